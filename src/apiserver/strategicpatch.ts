// Strategic merge patch (application/strategic-merge-patch+json) as k8s.io/apimachinery's
// pkg/util/strategicpatch/patch.go applies it (StrategicMergeMapPatch: MergeParallelList and
// IgnoreUnmatchedNulls): maps merge key by key and null deletes; a list whose field carries
// patchStrategy "merge" merges its items by the patchMergeKey (lists of scalars: a union), others are
// replaced; the directives $patch (replace / delete, in a map or a list item), $retainKeys,
// $setElementOrder/<list> and $deleteFromPrimitiveList/<list>. The tags come from the Go types
// (src/api/goschemas.ts via decode.ts's patchMeta).
import { elemOf, patchMeta, type GoType } from '../api/decode';
import { goValue } from '../util/govalue';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** An error of the merge itself (the apiserver answers it as a BadRequest / kubectl prints it as is). */
export class PatchMergeError extends Error {}

/** reflect.TypeOf of a decoded JSON value, to compare original and patch. */
function goKind(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (isMap(v)) return 'map';
  return typeof v;
}

/** LookupPatchMetadata: a struct's field tags, a map's element type. */
function lookup(t: GoType | undefined, key: string): { type?: GoType; strategy: string; mergeKey: string } {
  if (t?.k === 'map') return { type: elemOf(t), strategy: '', mergeKey: '' };
  const m = patchMeta(t, key);
  const parts = m.strategy ? m.strategy.split(',') : [];
  return { type: m.type, strategy: parts.filter((p) => p !== 'retainKeys')[0] ?? '', mergeKey: m.mergeKey };
}

const badPatchType = (directive: unknown, patch: unknown) => new PatchMergeError(`unknown patch type: ${goValue(directive)} in map: ${goValue(patch)}`);
const noMergeKey = (m: unknown, key: string) => new PatchMergeError(`map: ${goValue(m)} does not contain declared merge key: ${key}`);

/** Applies a strategic merge patch to a copy of original. */
export function strategicMergePatch(original: Json, patch: Json, schema: GoType | undefined): Json {
  return mergeMap(structuredClone(original), structuredClone(patch), schema);
}

function mergeMap(original: Json | undefined, patch: Json, t: GoType | undefined): Json {
  if (Object.hasOwn(patch, '$patch')) {
    const d = patch.$patch;
    if (d === 'replace') {
      delete patch.$patch;
      return patch;
    }
    if (d === 'delete') return {};
    throw badPatchType(d, patch);
  }
  const out: Json = original ?? {};
  // applyRetainKeysDirective: keys of the original missing from the list go
  if (Object.hasOwn(patch, '$retainKeys')) {
    const keep = patch.$retainKeys;
    delete patch.$retainKeys;
    if (!Array.isArray(keep)) throw new PatchMergeError('invalid patch format of retainKeys');
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith('$deleteFromPrimitiveList/') || k.startsWith('$setElementOrder/')) continue;
      if (!keep.includes(k)) throw new PatchMergeError('invalid patch format of retainKeys');
    }
    for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
  }
  mergePatchIntoOriginal(out, patch, t);
  for (const [key, patchV] of Object.entries(patch)) {
    let k = key;
    let isDeleteList = false;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      k = k.slice('$deleteFromPrimitiveList/'.length);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete out[k];
      continue;
    }
    // a new value (or one of another type) is taken without its nulls and directives
    if (!Object.hasOwn(out, k) || goKind(out[k]) !== goKind(patchV)) {
      if (!isDeleteList) {
        const [v, keep] = removeDirectives(discardNulls(patchV));
        if (keep) out[k] = v;
        else delete out[k];
      }
      continue;
    }
    const m = lookup(t, k);
    if (isMap(patchV)) out[k] = m.strategy === 'replace' ? patchV : mergeMap(out[k] as Json, patchV, m.type);
    else if (Array.isArray(patchV)) out[k] = m.strategy === 'merge' ? mergeSlice(out[k] as unknown[], patchV, elemOf(m.type), m.mergeKey, isDeleteList) : patchV;
    else out[k] = patchV;
  }
  return out;
}

/** discardNullValuesFromPatch */
function discardNulls(v: unknown): unknown {
  if (isMap(v)) for (const [k, x] of Object.entries(v)) x === null ? delete v[k] : discardNulls(x);
  else if (Array.isArray(v)) v.forEach(discardNulls);
  return v;
}

/** removeDirectives: a map with $patch is dropped, recursively (kubectl keeps a new value's $retainKeys). */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (isMap(v)) {
    if (Object.hasOwn(v, '$patch')) return [undefined, false];
    for (const k of Object.keys(v)) {
      const [x, keep] = removeDirectives(v[k]);
      if (keep) v[k] = x;
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) return [v.map((x) => removeDirectives(x)).filter(([, keep]) => keep).map(([x]) => x), true];
  return [v, true];
}

/** $setElementOrder/<list>: the list merged, then ordered as the directive says. */
function mergePatchIntoOriginal(original: Json, patch: Json, t: GoType | undefined): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith('$setElementOrder/')) continue;
    delete patch[key];
    if (!Array.isArray(order)) throw new PatchMergeError(`expected []interface{}, but got ${goKind(order)}`);
    const k = key.slice('$setElementOrder/'.length);
    const origList = Array.isArray(original[k]) ? (original[k] as unknown[]) : undefined;
    const patchList = Array.isArray(patch[k]) ? (patch[k] as unknown[]) : undefined;
    const m = lookup(t, k);
    let merged: unknown[];
    if (origList && !patchList) merged = origList;
    else if (!origList && patchList) merged = patchList;
    else if (origList && patchList) merged = m.strategy === 'merge' ? mergeSlice(origList, patchList, elemOf(m.type), m.mergeKey, false) : patchList;
    else continue;
    const maps = [...(origList ?? []), ...(patchList ?? [])].some(isMap);
    const mk = m.mergeKey;
    const [inPatch, serverOnly] = partition(merged, order, maps ? mk : '');
    original[k] = normalizeElementOrder(inPatch, serverOnly, order, origList ?? [], maps ? mk : '');
    delete patch[k];
  }
}

function mergeSlice(original: unknown[], patch: unknown[], elem: GoType | undefined, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (!original.length && !patch.length) return original;
  const all = [...original, ...patch];
  if (all.some(Array.isArray)) throw new PatchMergeError('lists of lists are not supported');
  const maps = all.some(isMap);
  let merged: unknown[];
  if (!maps) {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new PatchMergeError('cannot merge lists without merge key for type struct');
    let orig = original;
    const rest: unknown[] = [];
    let replace = false;
    for (const v of patch as Json[]) {
      if (!Object.hasOwn(v, '$patch')) {
        rest.push(v);
        continue;
      }
      if (v.$patch === 'delete') {
        if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
        orig = orig.filter((o) => !(isMap(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === v[mergeKey]));
      } else if (v.$patch === 'replace') replace = true;
      else if (v.$patch === 'merge') throw new PatchMergeError('merging lists cannot yet be specified in the patch');
      else throw badPatchType(v.$patch, v);
    }
    if (replace) return rest;
    patch = rest;
    merged = [...orig];
    for (const v of rest as Json[]) {
      if (!Object.hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      const at = merged.findIndex((o) => isMap(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === v[mergeKey]);
      if (at >= 0) merged[at] = mergeMap(merged[at] as Json, v, elem);
      else merged.push(v);
    }
    original = orig;
  }
  const [inPatch, serverOnly] = partition(merged, patch, maps ? mergeKey : '');
  return normalizeElementOrder(inPatch, serverOnly, patch, original, maps ? mergeKey : '');
}

/** deduplicateScalars, with its order (a duplicate's place takes the last item). */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s = s.slice(0, length);
        length--;
        j--;
      }
    }
  }
  return s;
}

const valOf = (item: unknown, mergeKey: string): unknown => (mergeKey ? (isMap(item) ? item[mergeKey] : null) : item);
const indexIn = (list: unknown[], item: unknown, mergeKey: string): number => list.findIndex((v) => valOf(v, mergeKey) === valOf(item, mergeKey));

/** partitionPrimitivesByPresentInList / partitionMapsByPresentInList */
function partition(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (mergeKey && !(isMap(v) && Object.hasOwn(v, mergeKey))) throw noMergeKey(v, mergeKey);
    (indexIn(by, v, mergeKey) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** normalizeSliceOrder: Go's sort.SliceStable (an insertion sort for short lists) with its odd less. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string): unknown[] {
  let keep = toSort;
  let del: unknown[] = [];
  if (mergeKey) {
    for (const v of [...toSort, ...order]) if (!(isMap(v) && Object.hasOwn(v, mergeKey))) throw noMergeKey(v, mergeKey);
    keep = toSort.filter((v) => (v as Json).$patch !== 'delete');
    del = toSort.filter((v) => (v as Json).$patch === 'delete');
  }
  const less = (a: unknown, b: unknown) => {
    const ia = indexIn(order, a, mergeKey);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  const s = [...keep];
  for (let i = 1; i < s.length; i++) for (let j = i; j > 0 && less(s[j], s[j - 1]); j--) [s[j], s[j - 1]] = [s[j - 1], s[j]];
  return [...s, ...del];
}

function normalizeElementOrder(inPatch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string): unknown[] {
  const right = normalizeSliceOrder(inPatch, patchOrder, mergeKey);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey);
  // mergeSortedSlice: server-only items slot in before the first patch item the live list had later
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
