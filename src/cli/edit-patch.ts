// The strategic merge patch kubectl edit sends (pkg/cmd/util/editor/editoptions.go visitToPatch:
// strategicpatch.CreateTwoWayMergePatch from the object as it was opened to the object as saved),
// and that patch applied to the live object as the apiserver's strategic merge does
// (k8s.io/apimachinery/pkg/util/strategicpatch/patch.go mergeMap: null deletes, lists with a
// patchMergeKey merge item by item, $patch: delete, $setElementOrder, $retainKeys,
// $deleteFromPrimitiveList). Merge keys and strategies come from the Go types (api/decode.ts).
import { elemOf, patchMeta, type GoType } from '../api/decode';
import { threeWayPatch } from './apply-patch';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * CreateTwoWayMergePatch(original, edited): the changes and additions plus the deletions, which is
 * the three-way patch whose live object is the original.
 */
export function twoWayPatch(original: Json, edited: Json, schema: GoType | undefined): Json {
  return threeWayPatch(original, edited, original, schema);
}

/** mergepatch's preconditions of kubectl edit: apiVersion, kind and metadata.name stay. */
export function changesIdentity(patch: Json): boolean {
  return 'apiVersion' in patch || 'kind' in patch || (isMap(patch.metadata) && 'name' in patch.metadata) || 'managedFields' in patch;
}

function lookup(t: GoType | undefined, key: string): { type?: GoType; strategy: string; mergeKey: string } {
  if (t?.k === 'map') return { type: elemOf(t), strategy: '', mergeKey: '' };
  return patchMeta(t, key);
}

const keyOf = (v: unknown, mergeKey: string): string => JSON.stringify(isMap(v) ? v[mergeKey] : v);

/** The live object with a strategic merge patch applied (a copy). */
export function applyStrategic(live: Json, patch: Json, schema: GoType | undefined): Json {
  return mergeMap(structuredClone(live), patch, schema);
}

function mergeMap(out: Json, patch: Json, schema: GoType | undefined): Json {
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const gone = new Set((value as unknown[]).map((v) => JSON.stringify(v)));
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((v) => !gone.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const m = lookup(schema, key);
    const cur = out[key];
    if (isMap(value) && isMap(cur)) out[key] = mergeMap(cur, value, m.type);
    else if (isMap(value)) out[key] = mergeMap({}, value, m.type);
    else if (Array.isArray(value) && Array.isArray(cur) && m.strategy.split(',').includes('merge')) out[key] = mergeList(cur, value, m.mergeKey, elemOf(m.type));
    else out[key] = structuredClone(value);
  }
  // $setElementOrder: the patched list in the order the edited object had
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith('$setElementOrder/')) continue;
    const field = key.slice('$setElementOrder/'.length);
    const list = out[field];
    if (!Array.isArray(list) || !Array.isArray(order)) continue;
    const mergeKey = lookup(schema, field).mergeKey;
    const rank = new Map(order.map((o, i) => [keyOf(o, mergeKey), i]));
    const ranked = list.filter((x) => rank.has(keyOf(x, mergeKey))).sort((a, b) => rank.get(keyOf(a, mergeKey))! - rank.get(keyOf(b, mergeKey))!);
    out[field] = [...ranked, ...list.filter((x) => !rank.has(keyOf(x, mergeKey)))];
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function mergeList(cur: unknown[], patch: unknown[], mergeKey: string, elem: GoType | undefined): unknown[] {
  const out = structuredClone(cur);
  if (!mergeKey) {
    // a merge list of scalars: a union
    for (const v of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(structuredClone(v));
    return out;
  }
  for (const item of patch) {
    if (!isMap(item)) continue;
    const at = out.findIndex((x) => keyOf(x, mergeKey) === keyOf(item, mergeKey));
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0 && isMap(out[at])) out[at] = mergeMap(out[at] as Json, item, elem);
    else out.push(mergeMap({}, item, elem));
  }
  return out;
}
