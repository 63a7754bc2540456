// The cluster as one command sees it: a snapshot of the manifest, the shards (kind × namespace) it
// read, and what it changed. Every change goes through add/replace/remove so resourceVersions, uids
// and timestamps are handled in one place; commit() writes only the shards that changed, and the
// manifest last, so the change appears all at once.
import { Index, INDEXES, indexesOf } from '../api/indexes';
import { hasSummary, summarize } from '../api/summary';
import { resourceByKind, RESOURCES } from '../api/resources';
import type { KObject } from '../api/types';
import { nowMs, rfc3339 } from '../util/clock';
import { cmp, setKey } from '../util/compare';
import { Rand } from '../util/rand';
import { addTo, type Groups } from '../util/groups';
import { Shard } from './shard';
import { oldestEvent, RUNTIME, shardKey, type ClusterFile, type ShardRef, type ShardWrite, type Store } from './store';

export interface Runtime {
  /** pod uid → container → log lines */
  logs: Record<string, Record<string, string[]>>;
  /** pod uid → container → when each of its log lines was written (ms; the CRI log's timestamps), beside `logs` */
  logTimes?: Record<string, Record<string, number[]>>;
  /** pod uid → container → the services whose variables it started with (names in the pod's namespace) */
  env: Record<string, Record<string, string[]>>;
  /** affinity chain (KUBE-SEP name list) → client IP → { endpoint "ip:port", last seen ms } */
  affinity: Record<string, Record<string, { ep: string; at: number }>>;
  /** IPVS virtual server → next real server index (rr scheduler) */
  rr: Record<string, number>;
  /** pod uid → application data (redis keys) */
  data: Record<string, Record<string, string>>;
  /** pod uid → what its kubelet remembers (controllers/kubelet/memory.ts owns the shape), for pods with something pending */
  kubelet: Record<string, KubeletEntry>;
  /** node → the images it has pulled (normalized reference → 1) */
  images: Record<string, Record<string, number>>;
  /** controllers' own due times (controllers/timers.ts): "Kind/namespace/name" → ms */
  timers?: Record<string, number>;
  /** pod uid → container → what its environment took from ConfigMaps and Secrets when it started */
  configEnv?: Record<string, Record<string, { env: [string, string][]; refs: Record<string, string> }>>;
  /** pod uid → volume → its emptyDir's files (network/volumes.ts) */
  emptyDirs?: Record<string, Record<string, VolumeStore>>;
  /** node → the files pods wrote through hostPath volumes (paths without the leading "/") */
  hostPaths?: Record<string, VolumeStore>;
  /** pod uid → container → its writable layer: the files it wrote outside its volumes (network/container.ts) */
  layers?: Record<string, Record<string, VolumeStore>>;
  /** PersistentVolume name (or claim uid) → the files written to it */
  claims?: Record<string, VolumeStore>;
  /** pod uid → volume → the content it shows until a change reaches it (controllers/volumesync.ts) */
  volumeSnaps?: Record<string, Record<string, { until: number; files: Record<string, [string, number]>; immutable?: boolean }[]>>;
  /** pod uid → container → mount path → a subPath file of an API-data volume as the container started with it */
  subPaths?: Record<string, Record<string, Record<string, [string, number]>>>;
  /** the HPA controller's memory (controllers/hpa.ts owns the shape): "namespace/name" → recommendations, scale events */
  hpa?: Record<string, unknown>;
}

/** A writable volume's files and directories, by path relative to its root. */
export interface VolumeStore {
  f: Record<string, string>;
  d: string[];
  /** the owner (uid, gid) of files and directories a non-root user made (root's when absent) */
  o?: Record<string, [number, number]>;
  /** files whose text is bytes (latin1), not UTF-8 text: what kubectl cp brought in */
  b?: Record<string, 1>;
  /** permission bits of the files and directories whose are not the defaults (0644, 0755): tar's, chmod's */
  m?: Record<string, number>;
  /** symbolic links, by path: their targets (tar extracts them, ln -s makes them) */
  l?: Record<string, string>;
}

/** What the store reads of a kubelet's memory of a pod: which pod, and when it next has work. */
export interface KubeletEntry {
  ns: string;
  name: string;
  due?: number;
}

/** how many earlier deletions the manifest keeps besides a commit's own */
const KEPT_DELETIONS = 128;

/** One change made during this command: what the controllers that run after it react to. */
export interface Change {
  kind: string;
  namespace: string;
  name: string;
  /** the object before the change (none for a create) */
  old?: KObject;
}

export class State {
  rand: Rand;
  /** namespace/name of services deleted by this command, for the endpoints controller */
  deletedServices: string[] = [];
  /** shard key → its objects, for the shards this command read */
  private shards = new Map<string, Shard>();
  private dirty = new Set<string>();
  /** a counter per kind, bumped by every change: how controllers notice what others did */
  private versions = new Map<string, number>();
  /** namespaces (per kind) changed by this command: where controllers need to look */
  private touched = new Map<string, Set<string>>();
  /** every namespace in which anything changed during this command */
  private touchedAny = new Set<string>();
  /** while the controllers run: list(kind) without a namespace sees only the namespaces in scope */
  private scope?: { extra: Set<string> };
  private indexData = new Map<string, Index>();
  private log: Change[] = [];
  /** uids of pods removed by this command: what the runtime forgets */
  private removedPods = new Set<string>();
  private clusterDirty = false;
  /** deletions recorded by this command (see ClusterFile.deleted) */
  private deletedNow = 0;
  private runtimeData?: Runtime;
  private runtimeDirty = false;

  constructor(public store: Store, public cluster: ClusterFile) {
    this.rand = new Rand(cluster.rand);
  }

  kindVersion(kind: string): number {
    return this.versions.get(kind) ?? 0;
  }

  /** The namespaces in which objects of `kind` changed during this command ('' for cluster-scoped). */
  touchedNamespaces(kind: string): Set<string> {
    return this.touched.get(kind) ?? new Set();
  }

  /** How many changes this command has made so far: a position in the change log. */
  changeCount(): number {
    return this.log.length;
  }

  /** The changes since a position of the log, of the given kinds. */
  changesSince(since: number, kinds: string[]): Change[] {
    return this.log.slice(since).filter((c) => kinds.includes(c.kind));
  }

  private changed(kind: string, key: string, namespace: string | undefined, name: string, old: KObject | undefined): void {
    this.log.push({ kind, namespace: namespace ?? '', name, old });
    this.dirty.add(key);
    this.versions.set(kind, this.kindVersion(kind) + 1);
    if (!this.touched.has(kind)) this.touched.set(kind, new Set());
    this.touched.get(kind)!.add(namespace ?? '');
    if (namespace) this.touchedAny.add(namespace);
  }

  /**
   * From here on (the controllers' turn), listing a namespaced kind across namespaces yields only the
   * namespaces this command changed, plus `extra`: a level-triggered pass over what the change can
   * affect, where the state was already reconciled everywhere else. Cluster-wide facts come from
   * index(). unscoped() ends it.
   */
  scoped(extra: Iterable<string>): void {
    this.scope = { extra: new Set(extra) };
  }

  unscoped(): void {
    this.scope = undefined;
  }

  private inScope(ns: string): boolean {
    return !this.scope || this.touchedAny.has(ns) || this.scope.extra.has(ns);
  }

  /** An index over every stored object of its kind (api/indexes.ts), built once if the state has none. */
  index(name: string): Index {
    let data = this.indexData.get(name);
    if (!data) {
      const ref = this.cluster.shards?.[indexKey(name)];
      if (ref) data = this.store.readIndex(ref);
      else {
        const def = INDEXES.find((d) => d.name === name)!;
        data = Index.build(def, this.listAll(def.kind));
        this.dirty.add(indexKey(name));
      }
      this.indexData.set(name, data);
    }
    return data;
  }

  /** A new cluster starts with every index, empty. */
  initIndexes(): void {
    for (const def of INDEXES) {
      this.indexData.set(def.name, new Index());
      this.dirty.add(indexKey(def.name));
    }
  }

  /** Keeps the kind's indexes in step with one change (before the table changes: a first build reads the old state). */
  private reindex(kind: string, old: KObject | undefined, neu: KObject | undefined): void {
    for (const def of indexesOf(kind)) {
      const before = old ? def.entries(old) : [];
      const after = neu ? def.entries(neu) : [];
      if (before.length === after.length && before.every(([k, v], i) => k === after[i][0] && v === after[i][1])) continue;
      const data = this.index(def.name);
      if (old) data.apply(def, old, false);
      if (neu) data.apply(def, neu, true);
      this.dirty.add(indexKey(def.name));
    }
  }

  get config() {
    return this.cluster.config;
  }

  /** A shard, read (but not parsed) when first needed. */
  private shard(key: string): Shard {
    let sh = this.shards.get(key);
    if (!sh) {
      const ref = this.cluster.shards?.[key];
      sh = ref ? this.store.readShard(ref) : new Shard();
      this.shards.set(key, sh);
    }
    return sh;
  }

  private itemsOf(key: string): KObject[] {
    return this.shard(key).all();
  }

  /** The namespaces that hold objects of a kind (stored, or added by this command), sorted. */
  namespacesOf(kind: string): string[] {
    const prefix = `${kind}/`;
    const out = new Set<string>();
    for (const k of Object.keys(this.cluster.shards ?? {})) if (k.startsWith(prefix)) out.add(k.slice(prefix.length));
    for (const k of this.shards.keys()) if (k.startsWith(prefix)) out.add(k.slice(prefix.length));
    return [...out].sort(cmp);
  }



  /** How many objects of a kind the cluster holds, from the manifest's counts and the shards read. */
  count(kind: string): number {
    let n = 0;
    const namespaced = resourceByKind(kind).namespaced;
    for (const ns of namespaced ? this.namespacesOf(kind) : [undefined]) {
      const key = this.keyOf(kind, ns);
      n += this.shards.get(key)?.size ?? this.cluster.shards?.[key]?.count ?? 0;
    }
    return n;
  }

  /** What the manifest says of a stored shard (its file, count, oldest event), without reading it. */
  stored(kind: string, namespace: string | undefined): ShardRef | undefined {
    return this.cluster.shards?.[this.keyOf(kind, namespace)];
  }



  /** Objects of a kind, in namespace/name order (the shards are kept in name order). */
  list(kind: string, namespace?: string): KObject[] {
    if (namespace !== undefined || !resourceByKind(kind).namespaced) return this.itemsOf(shardKey(kind, resourceByKind(kind).namespaced ? namespace : undefined));
    return this.listAll(kind, this.namespacesOf(kind).filter((ns) => this.inScope(ns)));
  }

  /** The objects of a namespace whose names pass a test, in the order list() gives them, parsing only those. */
  listNamed(kind: string, namespace: string | undefined, test: (name: string) => boolean): KObject[] {
    return this.shard(this.keyOf(kind, namespace)).named(test);
  }

  /**
   * The pods a pod-level controller pass looks at: every pod when a node changed since its last pass
   * (it may have gone or come back), otherwise the pods changed since then plus `also` (namespace/name
   * keys), in list() order (namespace, then the store's) so choices are those of a full pass.
   */
  podsToVisit(since: number, also: Iterable<string> = []): KObject[] {
    if (this.changesSince(since, ['Node']).length) return this.list('Pod');
    return this.podsChanged(since, also);
  }

  /** The pods changed since a position of the log (those still stored) plus `also`, in podsToVisit's order. */
  podsChanged(since: number, also: Iterable<string> = []): KObject[] {
    const byNs: Groups = new Map();
    for (const c of this.changesSince(since, ['Pod'])) addTo(byNs, c.namespace, c.name);
    for (const k of also) addTo(byNs, k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1));
    return [...byNs.keys()].sort(cmp).flatMap((ns) => this.pick('Pod', ns, byNs.get(ns)!));
  }

  /** The named objects of a namespace, in the order list() gives them, parsing only those. */
  pick(kind: string, namespace: string | undefined, names: Set<string>): KObject[] {
    return this.shard(this.keyOf(kind, namespace)).pick(names);
  }

  /**
   * The objects of a namespace that any of these selectors may select (a superset: the caller
   * matches), parsing only those whose stored text holds a selector's first label.
   */
  listSelectable(kind: string, namespace: string, selectors: Record<string, string>[]): KObject[] {
    const sh = this.shard(this.keyOf(kind, namespace));
    if (selectors.some((s) => Object.keys(s).length === 0)) return sh.all();
    return sh.withAnyPair(selectors.map((s) => Object.entries(s)[0]));
  }

  /** The objects of a namespace that refer to this uid (owned by it, say): a superset, the caller checks. */
  listReferring(kind: string, namespace: string, uid: string): KObject[] {
    return this.listContaining(kind, namespace, [`"uid":${JSON.stringify(uid)}`]);
  }

  /** The objects of a namespace whose stored JSON text holds any of these strings, and those changed since read. */
  listContaining(kind: string, namespace: string, needles: string[]): KObject[] {
    return this.shard(this.keyOf(kind, namespace)).containing(needles);
  }

  /**
   * For a table: each object's summary (api/summary.ts) where its shard has one, else the object.
   * Only for reading commands: a summary is not the object.
   */
  listSummaries(kind: string, namespace?: string): KObject[] {
    const namespaced = resourceByKind(kind).namespaced;
    const nss = !namespaced ? [''] : namespace !== undefined ? [namespace] : this.namespacesOf(kind);
    const out: KObject[] = [];
    for (const ns of nss) {
      const key = shardKey(kind, namespaced ? ns : undefined);
      const ref = this.cluster.shards?.[key];
      const summaries = !this.shards.has(key) && ref ? this.store.readSummaries(ref) : undefined;
      for (const o of summaries ?? this.itemsOf(key)) out.push(o);
    }
    return out;
  }

  /** Objects of a kind in the given namespaces (all of them when omitted), whatever the scope. */
  listAll(kind: string, namespaces: string[] = this.namespacesOf(kind)): KObject[] {
    if (!resourceByKind(kind).namespaced) return this.itemsOf(shardKey(kind, undefined));
    const out: KObject[] = [];
    for (const ns of [...namespaces].sort(cmp)) for (const o of this.itemsOf(shardKey(kind, ns))) out.push(o);
    return out;
  }

  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.shard(this.keyOf(kind, namespace)).get(name);
  }

  private keyOf(kind: string, namespace: string | undefined): string {
    return shardKey(kind, resourceByKind(kind).namespaced ? namespace : undefined);
  }

  private nextResourceVersion(): string {
    this.clusterDirty = true;
    return String(++this.cluster.resourceVersion);
  }

  /**
   * Stores a new object, filling uid, creationTimestamp and resourceVersion as the apiserver does.
   * `uid`: one derived elsewhere, for objects that must not move the seeded sequence (node leases).
   */
  add(obj: KObject, uid?: string): KObject {
    const md = obj.metadata;
    md.uid = uid ?? this.rand.uuid();
    md.resourceVersion = this.nextResourceVersion();
    md.creationTimestamp = rfc3339();
    // apiserver field order: name, generateName, namespace, uid, resourceVersion, … — keep it readable
    obj.metadata = orderMeta(md);
    const key = this.keyOf(obj.kind, md.namespace);
    const t = this.shard(key);
    const old = t.get(md.name);
    this.reindex(obj.kind, old, obj);
    t.set(md.name, obj);
    this.changed(obj.kind, key, md.namespace, md.name, old);
    return obj;
  }

  /** Replaces a stored object; returns false (and changes nothing) when the content is the same. */
  replace(obj: KObject): boolean {
    const key = this.keyOf(obj.kind, obj.metadata.namespace);
    const t = this.shard(key);
    const old = t.get(obj.metadata.name);
    if (!old) throw new Error(`replace of missing ${obj.kind} ${key}${obj.metadata.name}`);
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    if (deepEqual(old, obj)) return false;
    obj.metadata.resourceVersion = this.nextResourceVersion();
    this.reindex(obj.kind, old, obj);
    t.set(obj.metadata.name, obj);
    this.changed(obj.kind, key, obj.metadata.namespace, obj.metadata.name, old);
    return true;
  }

  remove(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    const key = this.keyOf(kind, namespace);
    const t = this.shard(key);
    const old = t.get(name);
    if (old) {
      this.reindex(kind, old, undefined);
      if (kind === 'Pod') this.removedPods.add(old.metadata.uid as string);
      t.delete(name);
      this.changed(kind, key, namespace, name, old);
      // a deletion has a version of its own (etcd's revision of the delete), recorded for watches
      const rv = Number(this.nextResourceVersion());
      if (this.deletedNow++ === 0) this.cluster.deleted = (this.cluster.deleted ?? []).slice(-KEPT_DELETIONS);
      this.cluster.deleted!.push([`${key}/${name}`, rv]);
    }
    return old;
  }

  /**
   * Writes what changed: new shard files, then the manifest that names them, in one step. With
   * `replacing` (a new cluster over an old one), every shard of the old manifest goes too.
   */
  commit(replacing?: ClusterFile): void {
    const writes = new Map<string, ShardWrite>();
    for (const key of this.dirty) {
      if (key.startsWith(INDEX_PREFIX)) {
        writes.set(key, { shard: this.indexData.get(key.slice(INDEX_PREFIX.length))!.encode(!this.cluster.shards?.[key]) });
        continue;
      }
      const sh = this.shard(key);
      const kind = key.slice(0, key.indexOf('/'));
      const parts = sh.partsToWrite(hasSummary(kind) ? summarize : undefined, (i) => this.store.summaryLines(this.cluster.shards?.[key], i));
      writes.set(key, { shard: parts, oldest: kind === 'Event' ? oldestEvent(sh.all()) : undefined });
    }
    if (this.removedPods.size && this.cluster.shards?.[RUNTIME]) this.runtime(true);
    if (this.runtimeDirty && this.runtimeData) {
      this.pruneRuntime(this.runtimeData);
      writes.set(RUNTIME, { value: this.runtimeData });
      // when the kubelets next have work: every command (a read too) catches up once it is due
      let due: number | undefined;
      for (const m of Object.values(this.runtimeData.kubelet)) if (m.due !== undefined && (due === undefined || m.due < due)) due = m.due;
      // and the controllers' timers (a Job's back-off, a CronJob's next run)
      for (const at of Object.values(this.runtimeData.timers ?? {})) if (due === undefined || at < due) due = at;
      if (due !== this.cluster.nextDue) {
        if (due === undefined) delete this.cluster.nextDue;
        else this.cluster.nextDue = due;
        this.clusterDirty = true;
      }
    }
    this.cluster.rand = [...this.rand.s];
    if (replacing) for (const key of Object.keys(replacing.shards ?? {})) if (!writes.has(key)) writes.set(key, null);
    if (!this.clusterDirty && writes.size === 0 && !replacing) return;
    // the lock was held since the manifest was read: it is still the one in force
    this.cluster = this.store.commit(replacing ?? this.cluster, this.cluster, writes);
    this.dirty.clear();
    this.runtimeDirty = false;
    this.clusterDirty = false;
    this.deletedNow = 0;
  }

  /**
   * What the simulated nodes keep that is not an API object: container logs, the environment each
   * container started with, kube-proxy's affinity and round-robin memory, and application data such
   * as redis keys. Pass write=true to have commit() save it.
   */
  runtime(write = false): Runtime {
    if (!this.runtimeData) {
      const ref = this.cluster.shards?.[RUNTIME];
      const stored = ref ? (this.store.readObjectFile(ref.file!) as object) : {};
      this.runtimeData = { logs: {}, env: {}, affinity: {}, rr: {}, data: {}, kubelet: {}, images: {}, ...stored } as Runtime;
    }
    if (write) this.runtimeDirty = true;
    return this.runtimeData;
  }

  /** Marks the random generator's advance as a change worth saving (e.g. a random pick with no write). */
  touch(): void {
    this.clusterDirty = true;
  }

  /** Forgets what belonged to pods this command removed (keys are pod uids). */
  private pruneRuntime(rt: Runtime): void {
    for (const table of [rt.logs, rt.logTimes, rt.env, rt.data, rt.kubelet, rt.configEnv, rt.emptyDirs, rt.layers, rt.volumeSnaps, rt.subPaths]) if (table) for (const uid of this.removedPods) delete table[uid];
    // a volume's kept content is shown only until its change reaches the pod (controllers/volumesync.ts):
    // of those whose time has passed only the last is needed
    const now = nowMs();
    for (const vols of Object.values(rt.volumeSnaps ?? {})) {
      for (const [name, list] of Object.entries(vols)) {
        // the last one that ran out stays: it dates `..data` and is what a failed update leaves
        const expired = list.filter((s) => s.until <= now);
        vols[name] = [...expired.slice(-1), ...list.filter((s) => s.until > now)];
      }
    }
    // affinity memory outlives no timeout (at most a day, the API's limit)
    const oldest = now - 86_400_000;
    for (const [chain, clients] of Object.entries(rt.affinity)) {
      for (const [ip, e] of Object.entries(clients)) if (e.at < oldest) delete clients[ip];
      if (!Object.keys(clients).length) delete rt.affinity[chain];
    }
  }

  allKinds(): string[] {
    return RESOURCES.map((r) => r.kind);
  }
}

export const INDEX_PREFIX = '#index/';
const indexKey = (name: string) => INDEX_PREFIX + name;

function orderMeta(md: KObject['metadata']): KObject['metadata'] {
  const order = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers'];
  const out: Record<string, unknown> = {};
  for (const k of order) if ((md as Record<string, unknown>)[k] !== undefined) out[k] = (md as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(md)) if (!Object.hasOwn(out, k) && v !== undefined) setKey(out, k, v);
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
