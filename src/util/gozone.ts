// The abbreviation Go's time.Local gives a moment ("UTC", "CET", "JST", "+04"), read as Go reads it
// (time/zoneinfo_unix.go initLocal, zoneinfo_read.go LoadLocationFromTZData): $TZ unset → the TZif
// file /etc/localtime; TZ="" → UTC; TZ=name → /usr/share/zoneinfo/name. The transition in force at
// the moment names it; after the last transition, the footer's POSIX TZ string does. Node's own
// zone names come from CLDR, not tzdata, and differ (Asia/Tokyo is "GMT+9" there, "JST" here).
import { readFileSync } from 'node:fs';

interface Zone {
  transitions: number[]; // seconds
  idx: number[];
  types: { off: number; abbr: string }[];
  footer: string;
}

const cache = new Map<string, Zone | null>();

function load(file: string): Zone | null {
  if (cache.has(file)) return cache.get(file)!;
  let z: Zone | null = null;
  try {
    z = parse(readFileSync(file));
  } catch {
    z = null;
  }
  cache.set(file, z);
  return z;
}

/** RFC 8536: the version 2+ body (64-bit times) after the version 1 one, then the footer. */
function parse(b: Buffer): Zone | null {
  if (b.toString('latin1', 0, 4) !== 'TZif') return null;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + i * 4));
  let [isut, isstd, leap, time, type, char] = counts(0);
  let p = 44 + time * 4 + time + type * 6 + char + leap * 8 + isstd + isut;
  const v2 = b[4] >= 0x32;
  const tsize = v2 ? 8 : 4;
  if (v2) {
    [isut, isstd, leap, time, type, char] = counts(p);
    p += 44;
  } else p = 44;
  const transitions: number[] = [];
  for (let i = 0; i < time; i++) transitions.push(tsize === 8 ? Number(b.readBigInt64BE(p + i * 8)) : b.readInt32BE(p + i * 4));
  p += time * tsize;
  const idx = [...b.subarray(p, p + time)];
  p += time;
  const raw: { off: number; ai: number }[] = [];
  for (let i = 0; i < type; i++) raw.push({ off: b.readInt32BE(p + i * 6), ai: b[p + i * 6 + 5] });
  p += type * 6;
  const chars = b.toString('latin1', p, p + char);
  p += char + leap * (tsize + 4) + isstd + isut;
  const types = raw.map((t) => ({ off: t.off, abbr: chars.slice(t.ai, chars.indexOf('\0', t.ai) < 0 ? undefined : chars.indexOf('\0', t.ai)) }));
  const footer = v2 ? b.toString('latin1', p).split('\n')[1] ?? '' : '';
  return { transitions, idx, types, footer };
}

/** The names and offsets (seconds east of UTC) of a POSIX TZ string's standard and summer time. */
function footerNames(tz: string): { abbr: string; off: number }[] {
  const m = /^(<[^>]+>|[A-Za-z]+)([-+]?\d+(?::\d+){0,2})(<[^>]+>|[A-Za-z]+)?([-+]?\d+(?::\d+){0,2})?/.exec(tz);
  if (!m) return [];
  const secs = (s: string) => {
    const sign = s.startsWith('-') ? -1 : 1;
    const [h, mm = '0', ss = '0'] = s.replace(/^[-+]/, '').split(':');
    return sign * (Number(h) * 3600 + Number(mm) * 60 + Number(ss));
  };
  const name = (s: string) => s.replace(/^<|>$/g, '');
  const std = -secs(m[2]); // POSIX offsets are west of UTC
  const out = [{ abbr: name(m[1]), off: std }];
  if (m[3]) out.push({ abbr: name(m[3]), off: m[4] ? -secs(m[4]) : std + 3600 });
  return out;
}

/**
 * Go's zone abbreviation for the moment `ms` whose local offset is `offMinutes` east of UTC, or
 * undefined when the zone's data cannot be read.
 */
export function goZoneAbbr(ms: number, offMinutes: number): string | undefined {
  const tz = process.env.TZ;
  if (tz === '' || tz === 'UTC') return 'UTC';
  const file = tz === undefined ? '/etc/localtime' : tz.startsWith('/') ? tz : `/usr/share/zoneinfo/${tz.replace(/^:/, '')}`;
  const z = load(file);
  // an unreadable zone: Go falls back to UTC, as Node does
  if (!z) return offMinutes === 0 ? 'UTC' : undefined;
  const t = Math.floor(ms / 1000);
  const off = offMinutes * 60;
  let i = z.transitions.length - 1;
  while (i >= 0 && z.transitions[i] > t) i--;
  if (i >= 0 && i < z.transitions.length - 1) {
    const ty = z.types[z.idx[i]];
    if (ty && ty.off === off) return ty.abbr;
  }
  const named = footerNames(z.footer).find((n) => n.off === off);
  if (named) return named.abbr;
  const last = i >= 0 ? z.types[z.idx[i]] : z.types[0];
  return last && last.off === off ? last.abbr : undefined;
}
