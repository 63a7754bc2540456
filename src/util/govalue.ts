// Go's fmt %v of a decoded JSON value (interface{} from encoding/json): <nil>, maps as map[k:v]
// with sorted keys, lists as [a b]. custom-columns and the generic describer print values so.
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}
