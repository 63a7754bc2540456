// The event history behind `kubesim serve`'s watches: what the apiserver's watch cache is to etcd
// (k8s.io/apiserver/pkg/storage/cacher/watch_cache.go). Both doors commit to the state directory (the
// server's own requests and CLI commands in other processes), and every commit renames a new
// manifest into place; so the hub notices a commit by the manifest's identity, then diffs the shard
// part files the new manifest names against those the previous one named (unchanged parts keep
// their file, a superseded file stays readable for the store's grace period). The changes it finds
// are kept in a bounded ring, in order, for watches that resume from a resourceVersion, and fanned
// out to the live ones.
//
// resourceVersions: kubesim's counter moves on creates, updates and deletions, as etcd's revision
// does. A deleted object is gone from the shard files, so the manifest records the latest deletions
// with their versions (ClusterFile.deleted): the DELETED event carries its deletion's version, the
// object's last state at that version, in version order with the commit's other events. A deletion
// the record no longer has (more than it keeps between two looks) carries the commit's version.
import * as fs from 'fs';
import type { KObject } from '../api/types';
import { nowMs } from '../util/clock';
import { MANIFEST, partsOf, type ClusterFile, type Store } from '../store/store';
import { State } from '../store/state';
import { openRead } from '../apiserver/transaction';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: EventType;
  kind: string;
  /** '' for cluster-scoped objects */
  namespace: string;
  name: string;
  /** the event's resourceVersion */
  rv: number;
  /** the object as the event shows it (a deleted one in its last state) */
  object: KObject;
  /** the stored object before this change (MODIFIED), for selectors that stop or start matching */
  old?: KObject;
}

/** A live watch's sink: every change of every kind, in order; `gap` when changes could not be known. */
export interface Subscriber {
  changes(batch: Change[]): void;
  gap(kinds: Set<string>, rv: number): void;
}

export interface HubOptions {
  /** how many changes the ring keeps for resuming watches (the watch cache's capacity) */
  capacity?: number;
  /** how often the manifest is looked at (ms) */
  pollMs?: number;
  /**
   * Moves the cluster to the present when a kubelet step or a controller timer falls due (the CLI's
   * caught-up read, as a transaction): its commit is then seen like any other.
   */
  catchUp?: () => void;
}

/** Answered to a watch that starts from a version the ring no longer holds (the cacher's message). */
export class TooOld extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export class WatchHub {
  /** the manifest whose state the history has reached */
  manifest: ClusterFile;
  private ring: Change[] = [];
  /** the lowest version a watch can resume from: everything after it is in the ring */
  private floor: number;
  private readonly capacity: number;
  private subscribers = new Set<Subscriber>();
  private identity: string;
  private timer?: NodeJS.Timeout;
  private dirWatch?: fs.FSWatcher;
  private catchingUp = false;

  constructor(
    readonly store: Store,
    private readonly opts: HubOptions = {},
  ) {
    this.capacity = opts.capacity ?? 10_000;
    this.identity = this.identityNow();
    this.manifest = store.readCluster();
    this.floor = this.manifest.resourceVersion;
  }

  /** The cluster's version as the history has it: what a list or a bookmark reports. */
  get resourceVersion(): number {
    return this.manifest.resourceVersion;
  }

  /** Polls the manifest every pollMs, and at once when the directory says it was replaced, until stop(). */
  start(): this {
    this.timer ??= setInterval(() => this.poll(), this.opts.pollMs ?? 50);
    this.timer.unref?.();
    if (!this.dirWatch) {
      try {
        this.dirWatch = fs.watch(this.store.dir, (_, name) => name === MANIFEST && this.poll());
        this.dirWatch.on('error', () => this.dirWatch?.close());
        this.dirWatch.unref();
      } catch {
        // no change notification here: the polling alone sees every commit
      }
    }
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.dirWatch?.close();
    this.dirWatch = undefined;
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get watchers(): number {
    return this.subscribers.size;
  }

  /**
   * Brings the history up to the manifest in force (and the simulated clock's due work first):
   * synchronous, so a watch that polls, reads and subscribes in one turn misses nothing.
   */
  poll(): void {
    this.dueWork();
    const id = this.identityNow();
    if (id === this.identity) return;
    let next: ClusterFile;
    try {
      next = this.store.readCluster();
    } catch {
      return; // between a rename and its read: the next poll sees it
    }
    this.identity = id;
    if ((next.generation ?? 0) === (this.manifest.generation ?? 0) && next.resourceVersion === this.manifest.resourceVersion) {
      this.manifest = next;
      return;
    }
    this.advance(next);
  }

  /** The changes after version `rv` of one kind (resuming a watch), or TooOld. */
  since(rv: number, kind: string): Change[] {
    if (rv < this.floor) throw new TooOld(rv, this.floor);
    return this.ring.filter((c) => c.kind === kind && c.rv > rv);
  }

  /** The objects of a kind as of the history's manifest (the initial ADDED events), in key order. */
  current(kind: string, namespace: string | undefined): KObject[] {
    return new State(this.store, this.manifest).list(kind, namespace);
  }

  private dueWork(): void {
    const due = this.manifest.nextDue;
    if (!this.opts.catchUp || this.catchingUp || due === undefined || due > nowMs()) return;
    this.catchingUp = true;
    try {
      this.opts.catchUp();
    } catch {
      // a held lock or a damaged state: the next poll tries again
    } finally {
      this.catchingUp = false;
    }
  }

  private identityNow(): string {
    try {
      const st = fs.statSync(this.store.file(MANIFEST));
      return `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      return '';
    }
  }

  private advance(next: ClusterFile): void {
    const prev = this.manifest;
    if (next.resourceVersion < prev.resourceVersion || (next.generation ?? 0) < (prev.generation ?? 0)) {
      // a new cluster in the same directory (cluster reset): its versions start again, so no
      // watch can go on from the old ones (each ends with 410; an informer relists)
      this.manifest = next;
      this.ring = [];
      this.floor = next.resourceVersion;
      const kinds = new Set(Object.keys({ ...prev.shards, ...next.shards }).filter((k) => !k.startsWith('#')).map((k) => k.slice(0, k.indexOf('/'))));
      this.tell((s) => s.gap(kinds, next.resourceVersion));
      return;
    }
    const deletedAt = new Map((next.deleted ?? []).filter(([, rv]) => rv > prev.resourceVersion));
    const changed: Change[] = [];
    const lost = new Set<string>();
    const keys = new Set([...Object.keys(prev.shards ?? {}), ...Object.keys(next.shards ?? {})]);
    for (const key of keys) {
      if (key.startsWith('#')) continue; // the runtime and the indexes are no API objects
      const a = prev.shards?.[key];
      const b = next.shards?.[key];
      const kind = key.slice(0, key.indexOf('/'));
      const namespace = key.slice(key.indexOf('/') + 1);
      const oldFiles = new Set(a ? partsOf(a).map((p) => p.file) : []);
      const newFiles = new Set(b ? partsOf(b).map((p) => p.file) : []);
      const gone = [...oldFiles].filter((f) => !newFiles.has(f));
      const added = [...newFiles].filter((f) => !oldFiles.has(f));
      if (!gone.length && !added.length) continue;
      let olds: Map<string, KObject>;
      let news: Map<string, KObject>;
      try {
        olds = this.objectsIn(gone);
        news = this.objectsIn(added);
      } catch {
        lost.add(kind); // a superseded file already removed: these changes cannot be known
        continue;
      }
      for (const [name, o] of news) {
        const was = olds.get(name);
        const rv = Number(o.metadata.resourceVersion);
        if (!was) changed.push({ type: 'ADDED', kind, namespace, name, rv, object: o });
        else if (was.metadata.resourceVersion !== o.metadata.resourceVersion) changed.push({ type: 'MODIFIED', kind, namespace, name, rv, object: o, old: was });
      }
      for (const [name, o] of olds) {
        if (news.has(name)) continue;
        const rv = deletedAt.get(`${key}/${name}`) ?? next.resourceVersion;
        changed.push({ type: 'DELETED', kind, namespace, name, rv, object: withVersion(o, rv) });
      }
    }
    const batch = changed.sort((x, y) => x.rv - y.rv);
    this.manifest = next;
    for (const c of batch) this.ring.push(c);
    this.trim();
    if (lost.size) {
      // a resume from before this commit cannot be answered for those kinds: nor for any, simply
      this.floor = Math.max(this.floor, next.resourceVersion);
      this.tell((s) => s.gap(lost, next.resourceVersion));
    }
    if (batch.length) this.tell((s) => s.changes(batch));
  }

  /** Every subscriber, each on its own: one that fails is dropped, the others still hear it all. */
  private tell(fn: (s: Subscriber) => void): void {
    for (const s of [...this.subscribers]) {
      try {
        fn(s);
      } catch {
        this.subscribers.delete(s);
      }
    }
  }

  private trim(): void {
    const extra = this.ring.length - this.capacity;
    if (extra <= 0) return;
    const dropped = this.ring.splice(0, extra);
    const last = dropped[dropped.length - 1];
    // versions never decrease along the ring: after dropping, everything after `floor` is kept
    this.floor = Math.max(this.floor, last.rv);
  }

  /** The objects of some part files, by name (an object is in the part its name hashes to). */
  private objectsIn(files: string[]): Map<string, KObject> {
    const out = new Map<string, KObject>();
    for (const f of files) {
      const list = this.store.readObjectFile(f) as { items?: KObject[] };
      for (const o of list.items ?? []) out.set(o.metadata.name, o);
    }
    return out;
  }
}

/** A deleted object as its DELETED event shows it: its last state at the deletion's version. */
function withVersion(o: KObject, rv: number): KObject {
  return { ...o, metadata: { ...o.metadata, resourceVersion: String(rv) } };
}

const hubs = new Map<string, WatchHub>();

/**
 * The history of a state directory, started with the server (so a watch that resumes from the
 * version of a list made before the first watch is answered). Due work on the simulated clock (a
 * kubelet step, a controller's timer) is caught up as a read request would (apiserver/transaction.ts).
 */
export function hubFor(store: Store, opts: HubOptions = { catchUp: () => void openRead(store) }): WatchHub {
  let h = hubs.get(store.dir);
  if (!h) hubs.set(store.dir, (h = new WatchHub(store, opts).start()));
  return h;
}
