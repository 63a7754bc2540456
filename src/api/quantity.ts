// Resource quantities as apimachinery's resource.Quantity prints them (pkg/api/resource/quantity.go).
// describe prints requests, limits, capacity and sums of them in canonical form ("1.5Gi" → "1536Mi",
// "0.5" → "500m"), so we keep the exact value (in nano units, as a BigInt) and the suffix family.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

const NANO = 1_000_000_000n;

export interface Quantity {
  /** value × 10^9, exact (parsing rounds finer values up to 1n, as Go does) */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/** Quantity{} in Go: zero, printed "0". Its format only matters when something is added to it. */
export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function interpretSuffix(s: string): { base: 10 | 2; exp: number; format: QuantityFormat } | undefined {
  if (s in DECIMAL_SUFFIXES) return { base: 10, exp: DECIMAL_SUFFIXES[s], format: 'DecimalSI' };
  if (s in BINARY_SUFFIXES) return { base: 2, exp: BINARY_SUFFIXES[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?\d+$/.test(s.slice(1))) {
    return { base: 10, exp: Number(s.slice(1)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** ceil(n / d) for a non-negative n and positive d */
function ceilDiv(n: bigint, d: bigint): bigint {
  return (n + d - 1n) / d;
}

/** resource.ParseQuantity; undefined for text Go would reject. Numbers (JSON ints) are accepted too. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number' && Number.isFinite(input)) input = String(input);
  if (typeof input !== 'string' || input === '') return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[-+]?\d*)$/.exec(input);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, frac = '', suffix] = m;
  const suf = interpretSuffix(suffix);
  if (!suf) return undefined;
  // value = digits / 10^len(frac) × base^exp, kept as a fraction num/den until scaled to nanos
  let num = BigInt((whole || '0') + frac) * NANO;
  let den = 10n ** BigInt(frac.length);
  if (suf.base === 2) num *= 2n ** BigInt(suf.exp);
  else if (suf.exp >= 0) num *= 10n ** BigInt(suf.exp);
  else den *= 10n ** BigInt(-suf.exp);
  const nanos = ceilDiv(num, den);
  let format = suf.format;
  // a fractional binary value below one is shown in decimal (ParseQuantity)
  if (format === 'BinarySI' && nanos > 0n && nanos < NANO) format = 'DecimalSI';
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** Quantity.Add: the sum keeps the receiver's format unless the receiver is zero. */
export function addQuantity(q: Quantity, y: Quantity): Quantity {
  return { nanos: q.nanos + y.nanos, format: q.nanos === 0n ? y.format : q.format };
}

export function cmpQuantity(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Quantity.Value(): the value rounded up to an integer. */
export function quantityValue(q: Quantity): bigint {
  return q.nanos >= 0n ? ceilDiv(q.nanos, NANO) : -(-q.nanos / NANO);
}

/** Quantity.MilliValue(): the value in thousandths, rounded up. */
export function quantityMilliValue(q: Quantity): bigint {
  return q.nanos >= 0n ? ceilDiv(q.nanos, 1_000_000n) : -(-q.nanos / 1_000_000n);
}

/** mantissa × 10^exponent with the exponent a multiple of 3 and as large as possible (AsCanonicalBytes) */
function canonicalDecimal(nanos: bigint): [bigint, number] {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  return [mantissa, exponent];
}

function decimalSuffix(exponent: number, format: QuantityFormat): string {
  if (format === 'DecimalSI') {
    for (const [s, e] of Object.entries(DECIMAL_SUFFIXES)) if (e === exponent) return s;
  }
  // DecimalExponent, or a DecimalSI exponent beyond "E" (quantitySuffixer falls back to "e")
  return exponent === 0 ? '' : `e${exponent}`;
}

/** Quantity.String(): the canonical form (CanonicalizeBytes). */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const abs = q.nanos < 0n ? -q.nanos : q.nanos;
    // small or fractional binary values are shown in decimal rather than rounded
    if (abs < 1024n * NANO || q.nanos % NANO !== 0n) format = 'DecimalSI';
  }
  if (format !== 'BinarySI') {
    const [mantissa, exponent] = canonicalDecimal(q.nanos);
    return `${mantissa}${decimalSuffix(exponent, format)}`;
  }
  let value = q.nanos / NANO;
  let power = 0;
  while (value % 1024n === 0n && power < 60) {
    value /= 1024n;
    power += 10;
  }
  const suffix = Object.entries(BINARY_SUFFIXES).find(([, e]) => e === power)?.[0] ?? '';
  return `${value}${suffix}`;
}

/** A ResourceList (map of name → quantity text) parsed; unparseable entries are dropped. */
export type ResourceList = Map<string, Quantity>;

export function toResourceList(raw: Record<string, unknown> | null | undefined): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, text] of Object.entries(raw ?? {})) {
    const q = parseQuantity(text);
    if (q) out.set(name, q);
  }
  return out;
}

/** quota/resource helpers' addResourceList: sums into `list` in place. */
export function addResourceList(list: ResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const cur = list.get(name);
    list.set(name, cur ? addQuantity(cur, q) : q);
  }
}

/** maxResourceList: keeps the larger of each entry in `list`. */
export function maxResourceList(list: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const cur = list.get(name);
    if (!cur || cmpQuantity(q, cur) > 0) list.set(name, q);
  }
}
