// Server-side apply (kubectl apply --server-side; PATCH application/apply-patch+yaml through
// `kubesim serve`): the apiserver's structured-merge-diff, simplified to leaf fields. Each manager's fields are kept in metadata.managedFields (FieldsV1: "f:<field>",
// "k:{<merge key>}" for the items of keyed lists); an applied field whose value differs from the
// live one and that another manager owns is a conflict unless --force-conflicts takes it. Fields the
// manager applied before and no longer does are removed. An object that client-side apply wrote
// has its last-applied configuration's fields owned by "kubectl-client-side-apply".
import { StatusError } from '../api/errors';
import { elemOf, patchMeta, schemaOf, type GoType } from '../api/decode';
import type { Resource } from '../api/resources';
import type { KObject } from '../api/types';
import type { ApiClient } from './client';
import { rfc3339 } from '../util/clock';
import { AS_PATCH } from './client';
/** kubectl apply's annotation (client-side apply's last configuration) */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Json;
}

/** A leaf field: its FieldsV1 path and the apiserver's way of writing it (.spec.containers[name="web"].image). */
interface Leaf {
  keys: string[];
  text: string;
  value: unknown;
}

const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp']);

/** The leaf fields of an applied configuration (apiVersion, kind and the object's identity aside). */
function leaves(v: unknown, t: GoType | undefined, keys: string[] = [], text = '', top = true): Leaf[] {
  if (isMap(v)) {
    const out: Leaf[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (top && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue;
      if (keys.length === 1 && keys[0] === 'f:metadata' && IGNORED_META.has(k)) continue;
      const f = t?.k === 'map' ? { type: elemOf(t), strategy: '', mergeKey: '' } : patchMeta(t, k);
      const child = [...keys, `f:${k}`];
      const childText = `${text}.${k}`;
      if (Array.isArray(x) && f.mergeKey && f.strategy.includes('merge')) {
        for (const item of x) {
          if (!isMap(item)) continue;
          const key = { [f.mergeKey]: item[f.mergeKey] };
          out.push(...leaves(item, elemOf(f.type), [...child, `k:${JSON.stringify(key)}`], `${childText}[${f.mergeKey}=${JSON.stringify(item[f.mergeKey])}]`, false));
        }
      } else if (isMap(x) && Object.keys(x).length) out.push(...leaves(x, f.type, child, childText, false));
      else out.push({ keys: child, text: childText, value: x });
    }
    return out;
  }
  return [];
}

function toFieldsV1(ls: Leaf[]): Json {
  const root: Json = {};
  for (const l of ls) {
    let cur = root;
    for (const [i, k] of l.keys.entries()) {
      if (!isMap(cur[k])) cur[k] = {};
      cur = cur[k] as Json;
      if (k.startsWith('k:') && i < l.keys.length - 1) cur['.'] = {};
    }
  }
  return root;
}

function pathsOf(f: Json, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(f)) {
    if (k === '.') continue;
    const p = [...prefix, k];
    if (isMap(v) && Object.keys(v).filter((x) => x !== '.').length) out.push(...pathsOf(v, p));
    else out.push(JSON.stringify(p));
  }
  return out;
}

/** The live value at a FieldsV1 path. */
function valueAt(obj: unknown, keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (k.startsWith('f:')) cur = isMap(cur) ? cur[k.slice(2)] : undefined;
    else {
      const sel = JSON.parse(k.slice(2)) as Json;
      const [mk, mv] = Object.entries(sel)[0];
      cur = Array.isArray(cur) ? cur.find((i) => isMap(i) && i[mk] === mv) : undefined;
    }
  }
  return cur;
}

/** A skeleton of what a manager applied before, for the three-way merge's removals. */
function skeleton(f: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(f)) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    const inner = isMap(v) ? v : {};
    const items = Object.entries(inner).filter(([ik]) => ik.startsWith('k:'));
    if (items.length) out[name] = items.map(([ik, iv]) => ({ ...(JSON.parse(ik.slice(2)) as Json), ...skeleton(isMap(iv) ? iv : {}) }));
    else out[name] = Object.keys(inner).length ? skeleton(inner) : true;
  }
  return out;
}

/**
 * The apiserver's message (fieldmanager getConflictMessage): one conflict as structured-merge-diff's
 * Conflict.Error, several grouped by manager in sorted order. A manager reads as its name, plus
 * "using <apiVersion>" for an Update (an Apply manager's identity has no version).
 */
function conflictError(conflicts: { manager: string; apiVersion: string; operation: string; path: string }[]): StatusError {
  const pretty = (c: { manager: string; apiVersion: string; operation: string }) => `${JSON.stringify(c.manager)}${c.operation === 'Apply' ? '' : ` using ${c.apiVersion}`}`;
  let text: string;
  if (conflicts.length === 1) text = `Apply failed with 1 conflict: conflict with ${pretty(conflicts[0])}: ${conflicts[0].path}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(pretty(c), [...(byManager.get(pretty(c)) ?? []), c.path]);
    const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    text = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  // a 409 Conflict (kubectl adds its advice to the message: cli/create.ts)
  return new StatusError('Conflict', text);
}

export interface ServerSideOptions {
  fieldManager: string;
  force: boolean;
}

/** The managers of a live object: its managedFields, or the client-side apply's annotation. */
function managersOf(live: KObject): ManagedEntry[] {
  const mf = (live.metadata as Json).managedFields;
  if (Array.isArray(mf) && mf.length) return structuredClone(mf) as ManagedEntry[];
  const last = live.metadata.annotations?.[LAST_APPLIED];
  if (last === undefined) return [];
  try {
    const cfg = JSON.parse(last) as KObject;
    return [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: live.apiVersion, time: rfc3339(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(leaves(cfg, schemaOf(live.kind, live.apiVersion))) }];
  } catch {
    return [];
  }
}

/**
 * The apiserver's order of managedFields (apimachinery managedfields/internal/managedfields.go
 * sortEncodedManagedFields): by operation (Apply before Update), time (seconds), manager,
 * apiVersion. An apply that changes nothing then leaves the object as it was (no new version),
 * whichever manager wrote last (kubectl apply --server-side writes twice: its fields as
 * "kubectl", then the last-applied annotation as "kubectl-last-applied").
 */
function sortManaged(entries: ManagedEntry[]): ManagedEntry[] {
  const seconds = (m: ManagedEntry) => (m.time ? Math.floor(Date.parse(m.time) / 1000) : 0);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((p, q) => cmp(p.operation, q.operation) || seconds(p) - seconds(q) || cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion));
}

/** One object's server-side apply: the stored object. */
export function serverSideApply(api: ApiClient, res: Resource, obj: KObject, o: ServerSideOptions, merge: (live: unknown, last: unknown, next: unknown) => unknown): KObject {
  const t = schemaOf(obj.kind, obj.apiVersion);
  const mine = leaves(obj, t);
  const entry = (): ManagedEntry => ({ manager: o.fieldManager, operation: 'Apply', apiVersion: obj.apiVersion, time: rfc3339(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(mine) });
  const live = api.find(res, obj.metadata.namespace, obj.metadata.name);
  if (!live) {
    const created = structuredClone(obj);
    (created.metadata as Json).managedFields = [entry()];
    return api.create(created);
  }
  const managers = managersOf(live).filter((m) => !(m.manager === o.fieldManager && m.operation === 'Apply'));
  const previous = managersOf(live).find((m) => m.manager === o.fieldManager && m.operation === 'Apply');
  const myPaths = new Set(mine.map((l) => JSON.stringify(l.keys)));
  const conflicts: { manager: string; apiVersion: string; operation: string; path: string }[] = [];
  for (const m of managers) {
    const theirs = new Set(pathsOf(m.fieldsV1));
    for (const l of mine) {
      if (!theirs.has(JSON.stringify(l.keys))) continue;
      if (JSON.stringify(valueAt(live, l.keys)) === JSON.stringify(l.value)) continue; // co-owned
      conflicts.push({ manager: m.manager, apiVersion: m.apiVersion, operation: m.operation, path: l.text });
    }
  }
  if (conflicts.length && !o.force) throw conflictError(conflicts);
  // forced: the changed fields leave their old managers
  const taken = new Set(conflicts.length ? mine.filter((l) => JSON.stringify(valueAt(live, l.keys)) !== JSON.stringify(l.value)).map((l) => JSON.stringify(l.keys)) : []);
  const kept = managers
    .map((m) => {
      if (!taken.size) return m;
      const rest = pathsOf(m.fieldsV1).filter((p) => !taken.has(p) || !myPaths.has(p));
      return { ...m, fieldsV1: toFieldsV1(rest.map((p) => ({ keys: JSON.parse(p) as string[], text: '', value: undefined }))) };
    })
    .filter((m) => Object.keys(m.fieldsV1).length);
  const lastSkeleton = previous ? skeleton(previous.fieldsV1) : {};
  const merged = merge(structuredClone(live), lastSkeleton, obj) as KObject;
  (merged.metadata as Json).managedFields = sortManaged([...kept, entry()]);
  return api.update(merged, undefined, AS_PATCH).obj;
}

/**
 * A client-side apply of an object that has managedFields (it was server-side applied): the update
 * makes "kubectl-client-side-apply" the owner of the configuration's fields, and the fields whose
 * values it changed leave their other managers (the apiserver's Update semantics).
 */
export function recordClientSideApply(live: KObject, merged: KObject, config: KObject): void {
  const mf = (live.metadata as Json).managedFields;
  if (!Array.isArray(mf) || !mf.length) return;
  const t = schemaOf(config.kind, config.apiVersion);
  const mine = leaves(config, t);
  const changed = new Set(mine.filter((l) => JSON.stringify(valueAt(live, l.keys)) !== JSON.stringify(l.value)).map((l) => JSON.stringify(l.keys)));
  const manager = 'kubectl-client-side-apply';
  // a no-op update leaves managedFields (and their times) as they were
  const existing = (mf as ManagedEntry[]).find((m) => m.manager === manager && m.operation === 'Update');
  if (!changed.size && existing && JSON.stringify(existing.fieldsV1) === JSON.stringify(toFieldsV1(mine))) return;
  const others = (mf as ManagedEntry[])
    .filter((m) => !(m.manager === manager && m.operation === 'Update'))
    .map((m) => ({ ...m, fieldsV1: toFieldsV1(pathsOf(m.fieldsV1).filter((p) => !changed.has(p)).map((p) => ({ keys: JSON.parse(p) as string[], text: '', value: undefined }))) }))
    .filter((m) => Object.keys(m.fieldsV1).length);
  (merged.metadata as Json).managedFields = sortManaged([...others, { manager, operation: 'Update', apiVersion: config.apiVersion, time: rfc3339(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(mine) }]);
}
