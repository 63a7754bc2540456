// Go's time.ParseDuration and Duration.String, for flags kubectl declares as durations (--timeout).
const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** time.ParseDuration in milliseconds; throws Go's message ("time: invalid duration \"x\""). */
export function parseGoDuration(s: string): number {
  const quoted = JSON.stringify(s);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (!rest) throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest) {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (!m[0] || m[0] === '.') throw new Error(`time: invalid duration ${quoted}`);
    rest = rest.slice(m[0].length);
    const u = /^[^\d.]+/.exec(rest)?.[0];
    if (!u) throw new Error(`time: missing unit in duration ${quoted}`);
    if (!(u in UNITS)) throw new Error(`time: unknown unit ${JSON.stringify(u)} in duration ${quoted}`);
    rest = rest.slice(u.length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * UNITS[u];
  }
  return sign * total;
}

/** time.Duration.String for a whole number of milliseconds: 0s, 500ms, 5s, 1m0s, 1h2m3.5s. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let u = Math.abs(Math.round(ms));
  let out: string;
  if (u < 1000) out = `${u}ms`;
  else {
    const h = Math.floor(u / 3600000);
    u -= h * 3600000;
    const m = Math.floor(u / 60000);
    u -= m * 60000;
    const sec = (u / 1000).toFixed(3).replace(/\.?0+$/, '');
    out = h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}
