// Go's fmt %v of a decoded JSON value (interface{} as the apiserver and kubectl decode it,
// sigs.k8s.io/json with PreserveInts: a number without a fraction or exponent that fits is an int64,
// any other a float64): <nil>, maps as map[k:v] with keys in Go's order, lists as [a b].
// custom-columns, go-templates, the generic describer, strategic merge patch errors and apply print values so.

const SURROGATE = /[\uD800-\uDFFF]/;
/** Go's string order (bytes of UTF-8), which differs from JS's UTF-16 order only past U+FFFF. */
export function goCompare(a: string, b: string): number {
  if (a === b) return 0;
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort(goCompare).map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 && Math.abs(v) < 1e21 ? String(v) : goFloat(v);
  return String(v);
}

/** %v of a float64 (strconv 'g', shortest): exponent form when the exponent is < -4 or >= 6. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return String(n);
}
