// The patch kubectl apply sends for an object that exists (k8s.io/apimachinery strategicpatch
// CreateThreeWayMergePatch: the changes from the live object to the new configuration without
// deletions, plus the deletions from the last applied configuration to the new one, with
// $setElementOrder and $retainKeys directives, merge keys from the Go types' patchMergeKey tags),
// and the way Go prints it: the apiserver's strict-field error quotes the patch as fmt's %+v of the
// map it decoded, and kubectl's "error when applying patch" shows its JSON.
//
// kubesim itself merges with its own three-way merge (create.ts); the patch is computed only for
// the messages that quote it.
import { elemOf, goCompare, patchMeta, type GoType } from '../api/decode';
import { goValue } from '../util/govalue';
export { goValue };
import type { KObject } from '../api/types';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The configuration as kubectl apply records it: the manifest, keys sorted, without the annotation itself. */
export function lastApplied(obj: KObject): string {
  const copy = structuredClone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED];
  return JSON.stringify(sortDeep(copy)) + '\n';
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}



type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

interface DiffOptions {
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  buildRetainKeys?: boolean;
}

/** reflect.TypeOf for JSON values: nil, bool, float64, string, []interface{}, map[string]interface{}. */
function goKind(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A struct field's (or a map's value) type and patch tags; nothing known for anything else. */
function lookup(t: GoType | undefined, key: string): { type?: GoType; strategy: string; mergeKey: string } {
  if (t?.k === 'map') return { type: elemOf(t), strategy: '', mergeKey: '' };
  return patchMeta(t, key);
}
/** extractRetainKeysPatchStrategy */
function strategies(s: string): { retainKeys: boolean; strategy: string } {
  const parts = s ? s.split(',') : [];
  return { retainKeys: parts.includes('retainKeys'), strategy: parts.filter((p) => p !== 'retainKeys')[0] ?? '' };
}

const str = (v: unknown): string => goValue(v); // fmt.Sprintf("%v", v) for scalars and merge keys
const cmpStr = (a: string, b: string) => goCompare(a, b);

function diffMaps(original: Json, modified: Json, schema: GoType | undefined, o: DiffOptions): Json {
  const patch: Json = {};
  const retainKeys: string[] = [];
  for (const [key, mod] of Object.entries(modified)) {
    if (o.buildRetainKeys && mod !== null) retainKeys.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    const orig = original[key];
    if (goKind(orig) !== goKind(mod)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    if (isMap(orig) && isMap(mod)) {
      const m = lookup(schema, key);
      const { retainKeys: rk } = strategies(m.strategy);
      const value = diffMaps(orig, mod, m.type, { ...o, buildRetainKeys: rk });
      if (Object.keys(value).length) patch[key] = value;
    } else if (Array.isArray(orig) && Array.isArray(mod)) {
      sliceDiff(key, orig, mod, patch, schema, o);
    } else if (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
  }
  if (!o.ignoreDeletions) for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  const additional = Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
  if (retainKeys.length && (Object.keys(patch).length || additional)) patch.$retainKeys = retainKeys.sort(cmpStr);
  return patch;
}

function sliceDiff(key: string, orig: unknown[], mod: unknown[], patch: Json, schema: GoType | undefined, o: DiffOptions): void {
  const m = lookup(schema, key);
  const { retainKeys, strategy } = strategies(m.strategy);
  const maps = [...orig, ...mod].some(isMap);
  const keyed = (l: unknown[]) => l.every((i) => isMap(i) && Object.hasOwn(i, m.mergeKey));
  if (strategy !== 'merge' || (maps && (!m.mergeKey || !keyed(orig) || !keyed(mod)))) {
    if (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
    return;
  }
  const elem = elemOf(m.type);
  if (maps) {
    const byKey = (l: unknown[]) => [...(l as Json[])].sort((a, b) => cmpStr(str(a[m.mergeKey]), str(b[m.mergeKey])));
    const os = byKey(orig);
    const ms = byKey(mod);
    const add: Json[] = [];
    const del: Json[] = [];
    let i = 0;
    let j = 0;
    while (i < os.length || j < ms.length) {
      const ok = i < os.length ? str(os[i][m.mergeKey]) : undefined;
      const mk = j < ms.length ? str(ms[j][m.mergeKey]) : undefined;
      if (ok !== undefined && mk !== undefined && ok === mk) {
        const value = diffMaps(os[i], ms[j], elem, { ...o, buildRetainKeys: retainKeys });
        if (Object.keys(value).length) add.push({ ...value, [m.mergeKey]: ms[j][m.mergeKey] });
        i++;
        j++;
      } else if (ok === undefined || (mk !== undefined && ok > mk)) {
        if (!o.ignoreChangesAndAdditions) add.push(ms[j]);
        j++;
      } else {
        if (!o.ignoreDeletions) del.push({ $patch: 'delete', [m.mergeKey]: os[i][m.mergeKey] });
        i++;
      }
    }
    const order = (x: Json) => (mod as Json[]).findIndex((y) => str(y[m.mergeKey]) === str(x[m.mergeKey]));
    const list = [...add.sort((a, b) => order(a) - order(b)), ...del];
    const sameOrder = deepEqual(
      (orig as Json[]).map((x) => str(x[m.mergeKey])).filter((k) => (mod as Json[]).some((y) => str(y[m.mergeKey]) === k)),
      (mod as Json[]).map((x) => str(x[m.mergeKey])).filter((k) => (orig as Json[]).some((y) => str(y[m.mergeKey]) === k)),
    );
    if (list.length) patch[key] = list;
    if ((!o.ignoreChangesAndAdditions && (list.length > 0 || !sameOrder)) || (!o.ignoreDeletions && list.length > 0)) {
      patch[`$setElementOrder/${key}`] = (mod as Json[]).map((x) => ({ [m.mergeKey]: x[m.mergeKey] }));
    }
    return;
  }
  // a merge list of scalars
  const os = [...orig].sort((a, b) => cmpStr(str(a), str(b)));
  const ms = [...mod].sort((a, b) => cmpStr(str(a), str(b)));
  const add: unknown[] = [];
  const del: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < os.length || j < ms.length) {
    const a = i < os.length ? str(os[i]) : undefined;
    const b = j < ms.length ? str(ms[j]) : undefined;
    if (a !== undefined && b !== undefined && a === b) {
      i++;
      j++;
    } else if (a === undefined || (b !== undefined && a > b)) {
      if (!o.ignoreChangesAndAdditions) add.push(ms[j]);
      j++;
    } else {
      if (!o.ignoreDeletions) del.push(os[i]);
      i++;
    }
  }
  const order = (x: unknown) => mod.findIndex((y) => deepEqual(x, y));
  if (add.length) patch[key] = add.sort((a, b) => order(a) - order(b));
  const dedup = del.filter((x, k) => del.findIndex((y) => deepEqual(x, y)) === k);
  if (dedup.length) patch[`$deleteFromPrimitiveList/${key}`] = dedup;
  if ((!o.ignoreDeletions && dedup.length) || (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod))) patch[`$setElementOrder/${key}`] = mod;
}

/** mergeMap(deletions, delta) as CreateThreeWayMergePatch does (directives taken as they are). */
function mergePatches(a: Json, b: Json, schema: GoType | undefined): Json {
  const out = clone(a);
  for (const [key, v] of Object.entries(b)) {
    if (key.startsWith('$') || v === null || !Object.hasOwn(out, key)) {
      out[key] = v;
      continue;
    }
    const cur = out[key];
    const m = lookup(schema, key);
    if (isMap(cur) && isMap(v)) out[key] = mergePatches(cur, v, m.type);
    else if (Array.isArray(cur) && Array.isArray(v) && strategies(m.strategy).strategy === 'merge' && m.mergeKey) {
      const merged = [...cur] as unknown[];
      for (const item of v) {
        const at = isMap(item) ? merged.findIndex((x) => isMap(x) && str(x[m.mergeKey]) === str(item[m.mergeKey])) : -1;
        if (at >= 0) merged[at] = mergePatches(merged[at] as Json, item as Json, elemOf(m.type));
        else merged.push(item);
      }
      out[key] = merged;
    } else out[key] = v;
  }
  return out;
}

/** The strategic merge patch kubectl apply sends: live → modified without deletions, plus last → modified deletions. */
export function threeWayPatch(original: unknown, modified: Json, current: Json, schema: GoType | undefined): Json {
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true });
  const deletions = diffMaps(isMap(original) ? original : {}, modified, schema, { ignoreChangesAndAdditions: true });
  return mergePatches(deletions, delta, schema);
}

// ---------------------------------------------------------------------------------------------
// Go's printing of decoded JSON.

/** strconv.Quote (%q): Go escapes, non-printable runes as \x, \u or \U. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x80) {
      const short: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
      out += short[c] ?? `\\x${c.toString(16).padStart(2, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

/** encoding/json.Marshal: keys sorted, <, >, &, U+2028 and U+2029 escaped. */
export function goJSON(v: unknown): string {
  if (isMap(v)) return `{${Object.keys(v).sort(goCompare).map((k) => `${goJSON(k)}:${goJSON(v[k])}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  if (typeof v === 'string') return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(v ?? null);
}
