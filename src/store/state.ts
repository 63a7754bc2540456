// The cluster as one command sees it: the kinds it loaded, indexed by namespace/name, and what it
// changed. Every change goes through add/replace/remove so resourceVersions, uids and timestamps are
// handled in one place; commit() writes only the kinds that changed.
import { resourceByKind, RESOURCES, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { nowMs, rfc3339 } from '../util/clock';
import { cmp } from '../util/compare';
import { Rand } from '../util/rand';
import type { ClusterFile, Store } from './store';

export interface Runtime {
  /** pod uid → container → log lines */
  logs: Record<string, Record<string, string[]>>;
  /** pod uid → container → the services whose variables it started with (names in the pod's namespace) */
  env: Record<string, Record<string, string[]>>;
  /** affinity chain (KUBE-SEP name list) → client IP → { endpoint "ip:port", last seen ms } */
  affinity: Record<string, Record<string, { ep: string; at: number }>>;
  /** IPVS virtual server → next real server index (rr scheduler) */
  rr: Record<string, number>;
  /** pod uid → application data (redis keys) */
  data: Record<string, Record<string, string>>;
}

const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
const byKey = (a: KObject, b: KObject) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name);

export class State {
  rand: Rand;
  /** namespace/name of services deleted by this command, for the endpoints controller */
  deletedServices: string[] = [];
  private kinds = new Map<string, Map<string, KObject>>();
  /** kinds read but not yet indexed: listing needs no index, and most commands only list */
  private raw = new Map<string, KObject[]>();
  private dirty = new Set<string>();
  /** a counter per kind, bumped by every change: how controllers notice what others did */
  private versions = new Map<string, number>();
  private clusterDirty = false;
  private runtimeData?: Runtime;
  private runtimeDirty = false;

  constructor(public store: Store, public cluster: ClusterFile) {
    this.rand = new Rand(cluster.rand);
  }

  kindVersion(kind: string): number {
    return this.versions.get(kind) ?? 0;
  }

  private changed(kind: string): void {
    this.dirty.add(kind);
    this.versions.set(kind, this.kindVersion(kind) + 1);
  }

  get config() {
    return this.cluster.config;
  }

  private rawItems(kind: string): KObject[] {
    let items = this.raw.get(kind);
    if (!items) {
      items = this.store.readKind(resourceByKind(kind).file);
      this.raw.set(kind, items);
    }
    return items;
  }

  private table(kind: string): Map<string, KObject> {
    let t = this.kinds.get(kind);
    if (!t) {
      t = new Map();
      for (const o of this.rawItems(kind)) t.set(key(o.metadata.namespace, o.metadata.name), o);
      this.kinds.set(kind, t);
    }
    return t;
  }

  /** Start empty instead of reading the file (cluster creation). */
  initEmpty(kind: string): void {
    this.kinds.set(kind, new Map());
    this.dirty.add(kind);
  }

  /** Objects of a kind, in namespace/name order (the files are kept in that order). */
  list(kind: string, namespace?: string): KObject[] {
    const t = this.kinds.get(kind);
    const all = t ? [...t.values()] : this.rawItems(kind).slice();
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.table(kind).get(key(namespace, name));
  }

  private nextResourceVersion(): string {
    this.clusterDirty = true;
    return String(++this.cluster.resourceVersion);
  }

  /** Stores a new object, filling uid, creationTimestamp and resourceVersion as the apiserver does. */
  add(obj: KObject): KObject {
    const md = obj.metadata;
    md.uid = this.rand.uuid();
    md.resourceVersion = this.nextResourceVersion();
    md.creationTimestamp = rfc3339();
    // apiserver field order: name, generateName, namespace, uid, resourceVersion, … — keep it readable
    obj.metadata = orderMeta(md);
    this.table(obj.kind).set(key(md.namespace, md.name), obj);
    this.changed(obj.kind);
    this.clusterDirty = true;
    return obj;
  }

  /** Replaces a stored object; returns false (and changes nothing) when the content is the same. */
  replace(obj: KObject): boolean {
    const t = this.table(obj.kind);
    const k = key(obj.metadata.namespace, obj.metadata.name);
    const old = t.get(k);
    if (!old) throw new Error(`replace of missing ${obj.kind} ${k}`);
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    if (deepEqual(old, obj)) return false;
    obj.metadata.resourceVersion = this.nextResourceVersion();
    t.set(k, obj);
    this.changed(obj.kind);
    return true;
  }

  remove(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    const t = this.table(kind);
    const k = key(namespace, name);
    const old = t.get(k);
    if (old) {
      t.delete(k);
      this.changed(kind);
      this.clusterDirty = true;
    }
    return old;
  }

  /** Writes what changed. Kinds first, cluster file last, so a crash between leaves a valid older counter only. */
  commit(): void {
    for (const kind of this.dirty) {
      const res: Resource = resourceByKind(kind);
      const items = [...this.table(kind).values()].sort(byKey);
      this.store.writeKind(res.file, items);
    }
    if (this.runtimeDirty && this.runtimeData) {
      this.pruneRuntime(this.runtimeData);
      this.store.atomicWrite('runtime.json', JSON.stringify(this.runtimeData) + '\n');
      this.runtimeDirty = false;
    }
    this.cluster.rand = [...this.rand.s];
    if (this.clusterDirty || this.dirty.size > 0) this.store.writeCluster(this.cluster);
    this.dirty.clear();
    this.clusterDirty = false;
  }

  /**
   * What the simulated nodes keep that is not an API object (runtime.json): container logs, the
   * environment each container started with, kube-proxy's affinity and round-robin memory, and
   * application data such as redis keys. Pass write=true to have commit() save it.
   */
  runtime(write = false): Runtime {
    if (!this.runtimeData) this.runtimeData = { logs: {}, env: {}, affinity: {}, rr: {}, data: {}, ...this.store.readRuntime() } as Runtime;
    if (write) this.runtimeDirty = true;
    return this.runtimeData;
  }

  /** Marks the random generator's advance as a change worth saving (e.g. a random pick with no write). */
  touch(): void {
    this.clusterDirty = true;
  }

  /** Forgets what belonged to pods that no longer exist (keys are pod uids). */
  private pruneRuntime(rt: Runtime): void {
    const uids = new Set(this.list('Pod').map((p) => p.metadata.uid as string));
    for (const table of [rt.logs, rt.env, rt.data]) for (const uid of Object.keys(table)) if (!uids.has(uid)) delete table[uid];
    // affinity memory outlives no timeout (at most a day, the API's limit)
    const oldest = nowMs() - 86_400_000;
    for (const [chain, clients] of Object.entries(rt.affinity)) {
      for (const [ip, e] of Object.entries(clients)) if (e.at < oldest) delete clients[ip];
      if (!Object.keys(clients).length) delete rt.affinity[chain];
    }
  }

  allKinds(): string[] {
    return RESOURCES.map((r) => r.kind);
  }
}

function orderMeta(md: KObject['metadata']): KObject['metadata'] {
  const order = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers'];
  const out: Record<string, unknown> = {};
  for (const k of order) if ((md as Record<string, unknown>)[k] !== undefined) out[k] = (md as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(md)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as KObject['metadata'];
}

/** Structural equality, blind to key order (JSON objects are unordered). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}
