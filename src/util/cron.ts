// Cron schedules as the CronJob controller reads them (github.com/robfig/cron/v3 ParseStandard):
// five fields (minute hour day-of-month month day-of-week) with *, ?, lists, ranges, steps and
// month/day names, the @yearly … @hourly descriptors and @every <duration>, an optional TZ= or
// CRON_TZ= prefix. Day of month and day of week combine as cron does: both must match when either
// is a star, otherwise either may. Error texts are robfig's (the apiserver shows them).

export interface Schedule {
  /** the values of each field; a star (robfig's star bit) is kept as a flag for the day fields */
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domStar: boolean;
  dowStar: boolean;
  /** @every: a constant delay (ms) */
  every?: number;
  /** the TZ= / CRON_TZ= prefix, if any */
  tz?: string;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const BOUNDS: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, MONTHS, DOW];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseIntStrict(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

function value(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  return named !== undefined ? named : parseIntStrict(s);
}

/** getField / getRange: one field's values, and whether it was a star. */
function field(expr: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of expr.split(',')) {
    const rangeAndStep = part.split('/');
    const lowAndHigh = rangeAndStep[0].split('-');
    const singleDigit = lowAndHigh.length === 1;
    let start: number;
    let end: number;
    let extra = false;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      start = b.min;
      end = b.max;
      extra = true;
    } else {
      start = value(lowAndHigh[0], b);
      if (lowAndHigh.length === 1) end = start;
      else if (lowAndHigh.length === 2) end = value(lowAndHigh[1], b);
      else throw new Error(`too many hyphens: ${part}`);
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      step = parseIntStrict(rangeAndStep[1]);
      if (singleDigit) end = b.max;
      if (step > 1) extra = false;
    } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${part}`);
    if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${part}`);
    if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${part}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${part}`);
    if (step === 0) throw new Error(`step of range should be a positive number: ${part}`);
    for (let v = start; v <= end; v += step) values.add(v);
    if (extra) star = true;
  }
  return { values, star };
}

/** Go's time.ParseDuration for the units @every meets (h, m, s, ms). */
function goDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h']!;
    pos = re.lastIndex;
  }
  if (!s || pos !== s.length) throw new Error(`failed to parse duration ${s}: time: invalid duration ${JSON.stringify(s)}`);
  return total;
}

/** cron.ParseStandard; throws with robfig's message. */
export function parseCron(spec: string): Schedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let tz: string | undefined;
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const i = rest.indexOf(' ');
    const eq = rest.indexOf('=');
    tz = rest.slice(eq + 1, i < 0 ? undefined : i);
    if (!validZone(tz)) throw new Error(`provided bad location ${tz}: unknown time zone ${tz}`);
    rest = i < 0 ? '' : rest.slice(i).trim();
  }
  if (rest.startsWith('@')) {
    if (rest.startsWith('@every ')) return { ...parseFields('* * * * *'), every: Math.max(1000, Math.floor(goDuration(rest.slice(7)) / 1000) * 1000), tz };
    const d = DESCRIPTORS[rest];
    if (!d) throw new Error(`unrecognized descriptor: ${rest}`);
    return { ...parseFields(d), tz };
  }
  return { ...parseFields(rest), tz };
}

function parseFields(s: string): Schedule {
  const fields = s.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, h, dom, mo, dow] = fields.map((f, i) => field(f, BOUNDS[i]));
  return { minute: mi.values, hour: h.values, dom: dom.values, month: mo.values, dow: dow.values, domStar: dom.star, dowStar: dow.star };
}

export function validZone(tz: string): boolean {
  if (tz === 'UTC' || tz === '') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant ms (ms to add to UTC to get the wall clock). */
function offsetAt(tz: string | undefined, ms: number): number {
  if (!tz || tz === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The first activation strictly after `afterMs` (Schedule.Next), or undefined within 5 years. */
export function nextAfter(s: Schedule, afterMs: number, zone?: string): number | undefined {
  if (s.every !== undefined) return Math.floor(afterMs / 1000) * 1000 + s.every;
  const tz = s.tz ?? zone;
  const off = offsetAt(tz, afterMs);
  // walk the wall clock: whole days, hours, then minutes that cannot match are skipped
  let t = Math.floor((afterMs + off) / 60_000) * 60_000 + 60_000;
  const limit = t + 5 * 366 * 86_400_000;
  while (t < limit) {
    const d = new Date(t);
    const dayOk = s.month.has(d.getUTCMonth() + 1) && dayMatches(s, d);
    if (!dayOk) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!s.hour.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!s.minute.has(d.getUTCMinutes())) {
      t += 60_000;
      continue;
    }
    return t - offsetAt(tz, t - off);
  }
  return undefined;
}

function dayMatches(s: Schedule, d: Date): boolean {
  const dom = s.dom.has(d.getUTCDate());
  const dow = s.dow.has(d.getUTCDay());
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}
