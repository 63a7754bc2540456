// The state directory, format 2:
//   cluster.json   the manifest: config, the random generator's state, the resourceVersion counter,
//                  and which shard file holds each kind in each namespace. Renaming a new manifest
//                  into place is the one moment a change becomes visible, to writers and readers.
//   objects/       shard files, one per kind and namespace (a v1 List of objects in their Kubernetes
//                  JSON shape), never rewritten: a change writes new files under the next generation's
//                  names. Files a manifest no longer names are kept 30 s for readers still on it.
//   cluster.lock   held by a writer for its read-modify-write (lock.ts).
// Format 1 (one <plural>.json per kind next to cluster.json) is migrated on first use.
import { writeErr } from '../util/stdio';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliError } from '../api/errors';
import { Index, INDEXES } from '../api/indexes';
import { RESOURCES } from '../api/resources';
import { hasSummary, summarize } from '../api/summary';
import type { KObject } from '../api/types';
import type { ClusterConfig } from '../cluster/config';
import { cmp } from '../util/compare';
import { crashPoint } from './crash';
import { linesByName, Shard, type ShardParts } from './shard';
import { readError, readIfThere, saveError, syncDir, tempName, writeNew } from './fsio';
import { acquire, LOCK_FILE, stillHeld } from './lock';

export const FORMAT_VERSION = 2;
/**
 * The upgrades cluster/upgrade.ts applies to a state an older kubesim made, by name, in order (the
 * manifest's `upgrades` lists those applied). Append only.
 */
export const UPGRADES = ['storageclass-standard', 'root-ca-and-kube-proxy', 'daemonset-revisions', 'rbac-bootstrap-policy', 'system-priority-classes'] as const;

/** Whether a state lacks an upgrade (answered from the manifest alone). */
export function needsUpgrade(m: ClusterFile): boolean {
  const done = m.upgrades ?? [];
  return UPGRADES.some((n) => !done.includes(n));
}
export const MANIFEST = 'cluster.json';
export const OBJECTS = 'objects';
/** how long a superseded shard file stays for readers that read the manifest before it changed */
const GRACE_MS = 30_000;
/** in objects/ while a commit is under way: a commit that finds it searches for a dead writer's files */
const WRITING = '.writing';

/** One part file of a shard (a big shard is kept in several, see shard.ts). */
export interface PartRef {
  file: string;
  count: number;
  /** the table summary of its objects (api/summary.ts), for the kinds that have one */
  summary?: string;
}

/** A shard in the manifest: one file (file, summary) or several (parts); count is the whole shard's. */
export interface ShardRef {
  file?: string;
  count: number;
  summary?: string;
  parts?: PartRef[];
  /** Event shards: the oldest lastTimestamp in it, so expiry reads only shards with old events */
  oldest?: string;
}

export function partsOf(ref: ShardRef): PartRef[] {
  return ref.parts ?? [{ file: ref.file!, count: ref.count, ...(ref.summary ? { summary: ref.summary } : {}) }];
}

/** Every file a shard entry names. */
function filesOf(ref: ShardRef): string[] {
  return partsOf(ref).flatMap((p) => (p.summary ? [p.file, p.summary] : [p.file]));
}

export interface ClusterFile {
  formatVersion: number;
  config: ClusterConfig;
  /** sfc32 state, see util/rand.ts */
  rand: number[];
  /** last resourceVersion handed out */
  resourceVersion: number;
  /** commits so far: names the next shard files */
  generation?: number;
  /** "Kind/namespace" ("Kind/" for cluster-scoped kinds, "#runtime") → its file */
  shards?: Record<string, ShardRef>;
  /** the simulated time (ms) at which a kubelet next has work (a pull ends, a process exits …) */
  nextDue?: number;
  /** superseded files and when (wall clock, ms), removed after GRACE_MS */
  garbage?: { file: string; at: number }[];
  /** the upgrades of an older kubesim's state already applied (cluster/upgrade.ts) */
  upgrades?: string[];
  /** who cluster-wide bindings make all-powerful (controllers/superusers.ts): the admin's fast path */
  superusers?: { users: string[]; groups: string[] };
  /**
   * The latest deletions, oldest first: ["Kind/namespace/name", the version the deletion handed out].
   * An object's removal moves the version as etcd's revision moves on a delete; the object is gone
   * from the shard files, so this is how serve's watch history (server/history.ts) gives its DELETED
   * event that version. A commit keeps all of its own and the latest of earlier ones.
   */
  deleted?: [string, number][];
}

/** A shard's new content: its changed parts (null: the shard is gone) or, for #runtime and indexes, a JSON value. */
export type ShardWrite = { shard: ShardParts; oldest?: string } | { value: unknown } | null;

export function resolveStateDir(flag?: string): string {
  if (flag) return path.resolve(flag);
  if (process.env.KUBESIM_STATE) return path.resolve(process.env.KUBESIM_STATE);
  return path.join(os.homedir(), '.kubesim', 'cluster');
}

function damaged(file: string, why: string): CliError {
  return new CliError(
    `error: the state file ${file} is damaged (${why}).\n` + `Nothing was changed. Repair the file, or start a new cluster with: kubesim cluster reset`,
    true,
  );
}

/** Format 1's files: one per kind it had, and the nodes' memory. */
const V1_FILES = ['namespaces', 'nodes', 'services', 'pods', 'endpoints', 'events', 'endpointslices', 'deployments', 'replicasets', 'runtime'].map((f) => `${f}.json`);

export type DirKind = 'none' | 'empty' | 'cluster' | 'headless' | 'foreign';

export class Store {
  constructor(public dir: string) {}

  file(name: string): string {
    return path.join(this.dir, name);
  }

  objectFile(name: string): string {
    return path.join(this.dir, OBJECTS, name);
  }

  /**
   * What the directory holds: nothing yet, a cluster, kubesim's files without a cluster.json
   * (damaged: reported, never replaced), or only files that are not kubesim's.
   */
  kind(): DirKind {
    let entries: string[];
    try {
      const st = fs.statSync(this.dir);
      if (!st.isDirectory()) throw readError(this.dir, Object.assign(new Error('ENOTDIR: not a directory, scandir'), { code: 'ENOTDIR' }));
      entries = fs.readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw readError(this.dir, e);
    }
    if (entries.includes(MANIFEST)) return 'cluster';
    const ours = entries.filter((f) => this.owned(f));
    if (ours.some((f) => f === OBJECTS || V1_FILES.includes(f))) return 'headless';
    return entries.length === ours.length ? 'empty' : 'foreign';
  }

  /** The names in the directory that kubesim wrote (and `cluster reset` may delete). */
  owned(name: string): boolean {
    return name === MANIFEST || name === OBJECTS || name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.t-`) || V1_FILES.includes(name) || /^\..*\.tmp$/.test(name) || /\.json\.\d+\.tmp$/.test(name);
  }

  readCluster(): ClusterFile {
    const file = this.file(MANIFEST);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw readError(this.dir, e);
    }
    const data = parse(file, text) as ClusterFile;
    if (typeof data !== 'object' || data === null || typeof data.formatVersion !== 'number' || !data.config || !Array.isArray(data.rand)) {
      throw damaged(file, 'not a kubesim cluster file');
    }
    if (data.formatVersion > FORMAT_VERSION) {
      throw new CliError(
        `error: the state in ${this.dir} was written by a newer kubesim (format ${data.formatVersion}; this one reads format ${FORMAT_VERSION}).\n` +
          `Nothing was changed. Upgrade kubesim, or start a new cluster with: kubesim cluster reset`,
        true,
      );
    }
    if (data.formatVersion === FORMAT_VERSION && (typeof data.shards !== 'object' || data.shards === null)) throw damaged(file, 'no "shards"');
    return data;
  }

  /** The objects of one shard, each part read when first needed and each object parsed when first asked for. */
  readShard(ref: ShardRef): Shard {
    const parts = partsOf(ref);
    return new Shard(parts.length, (i) => this.readObjectBytes(parts[i].file), ref.count, (why) => damaged(this.objectFile(parts[0].file), why));
  }

  /**
   * A shard's table summaries, in name order, or undefined when it has none. A table wants every
   * one of them, so each part file is parsed whole (faster than line by line).
   */
  readSummaries(ref: ShardRef): KObject[] | undefined {
    const parts = partsOf(ref);
    if (!parts.every((p) => p.summary)) return undefined;
    // a server keeps a split shard's summaries merged and sorted too, while its parts are unchanged
    const key = parts.length > 1 && objectCache ? parts.map((p) => p.summary).join('\n') : undefined;
    const merged = key === undefined ? undefined : mergedSummaries.get(key);
    if (merged && merged.files.every((f, i) => objectCache?.get(this.objectFile(parts[i].summary!))?.summaries === f)) return merged.items;
    const items: KObject[] = [];
    for (const p of parts) {
      const file = this.objectFile(p.summary!);
      const bytes = this.readObjectBytes(p.summary!);
      // a server keeps them parsed (frozen: a table's rows are built from them, never into them)
      const kept = objectCache?.get(file);
      if (kept?.bytes === bytes && kept.summaries) {
        items.push(...kept.summaries);
        continue;
      }
      const data = parse(file, bytes.toString('utf8')) as { items?: unknown };
      if (typeof data !== 'object' || data === null || !Array.isArray(data.items)) throw damaged(file, 'no "items" list');
      if (kept?.bytes === bytes) kept.summaries = deepFreeze(data.items as KObject[]);
      items.push(...(data.items as KObject[]));
    }
    if (parts.length === 1) return items;
    items.sort((a, b) => cmp(a.metadata.name, b.metadata.name));
    const files = parts.map((p) => objectCache?.get(this.objectFile(p.summary!))?.summaries);
    if (key !== undefined && files.every((f) => f)) {
      mergedSummaries.set(key, { files: files as KObject[][], items: Object.freeze(items) as KObject[] });
      // (the oldest go: shards a commit has replaced since)
      for (const k of mergedSummaries.keys()) if (mergedSummaries.size > 64) mergedSummaries.delete(k);
    }
    return items;
  }

  /** An index (api/indexes.ts), each part read when a key in it is asked for. */
  readIndex(ref: ShardRef): Index {
    const parts = partsOf(ref);
    return new Index(parts.length, (i) => parse(this.objectFile(parts[i].file), this.readObjectBytes(parts[i].file).toString('utf8')), parts.map((p) => p.count));
  }

  /** One part's summary lines by object name (for reuse at commit), without parsing them. */
  summaryLines(ref: ShardRef | undefined, part: number): Map<string, Buffer> | undefined {
    const p = ref ? partsOf(ref)[part] : undefined;
    return p?.summary ? linesByName(this.readObjectBytes(p.summary)) : undefined;
  }

  readObjectFile(name: string): unknown {
    return parse(this.objectFile(name), this.readObjectBytes(name).toString('utf8'));
  }

  private readObjectBytes(name: string): Buffer {
    try {
      return objectCache ? cachedBytes(this.objectFile(name), objectCache) : fs.readFileSync(this.objectFile(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CliError(`error: the cluster state in ${this.dir} changed while this command read it (${name} is gone); run the command again`, true);
      }
      throw readError(this.dir, e);
    }
  }

  lock(): () => void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      return acquire(this.dir);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw saveError(this.dir, e);
    }
  }

  /**
   * Makes `writes` (shard key → new content) and the manifest fields of `next` the state, all at once,
   * or fails with nothing changed. The caller holds the lock. Returns the manifest now in force.
   */
  commit(prev: ClusterFile, next: ClusterFile, writes: Map<string, ShardWrite>): ClusterFile {
    const objects = this.file(OBJECTS);
    const gen = (prev.generation ?? 0) + 1;
    const shards: Record<string, ShardRef> = { ...(prev.shards ?? {}) };
    const now = Date.now();
    const garbage = (prev.garbage ?? []).filter((g) => now - g.at < GRACE_MS);
    const expired = (prev.garbage ?? []).filter((g) => now - g.at >= GRACE_MS).map((g) => g.file);
    const written: string[] = [];
    let tmp: string | undefined;
    let manifest: ClusterFile;
    try {
      fs.mkdirSync(objects, { recursive: true });
      // the marker stays only if a commit did not finish (a crash, a failed write): then, and now
      // and then in any case, the directory is searched for what it left
      const marker = path.join(objects, WRITING);
      // (a first commit, or a reset over a manifest it cannot read, replaces whatever is there)
      this.removeLeftovers(prev, fs.existsSync(marker) || gen % 1000 === 0 || !prev.generation);
      fs.writeFileSync(marker, '');
      for (const [key, w] of writes) {
        const old = shards[key];
        delete shards[key];
        const put = (name: string, data: string | Buffer) => {
          writeNew(path.join(objects, name), data);
          written.push(name);
          crashPoint('shard');
        };
        if (w !== null && 'value' in w) {
          if (old) garbage.push(...filesOf(old).map((file) => ({ file, at: now })));
          const name = `${shardBase(key)}.${gen}.json`;
          put(name, JSON.stringify(w.value) + '\n');
          shards[key] = { file: name, count: 1 };
          continue;
        }
        // an empty index is kept: a missing one is rebuilt from every object
        if (w === null || (w.shard.count === 0 && !key.startsWith('#index/'))) {
          if (old) garbage.push(...filesOf(old).map((file) => ({ file, at: now })));
          continue;
        }
        // parts not written stay as they are (same number of parts); the written ones are replaced
        const before = old ? partsOf(old) : [];
        const keepOld = before.length === w.shard.parts;
        const parts: PartRef[] = [];
        for (let i = 0; i < w.shard.parts; i++) {
          const pw = w.shard.write.get(i);
          if (!pw) {
            if (!keepOld) throw new Error(`shard ${key}: part ${i} of a new split was not written`);
            parts.push(before[i]);
            continue;
          }
          if (keepOld) garbage.push(...(before[i].summary ? [before[i].file, before[i].summary!] : [before[i].file]).map((file) => ({ file, at: now })));
          const base = w.shard.parts === 1 ? shardBase(key) : `${shardBase(key)}.p${i}`;
          put(`${base}.${gen}.json`, pw.text);
          const part: PartRef = { file: `${base}.${gen}.json`, count: pw.count };
          if (pw.summary) {
            put(`${base}.${gen}.sum.json`, pw.summary);
            part.summary = `${base}.${gen}.sum.json`;
          }
          parts.push(part);
        }
        if (old && !keepOld) garbage.push(...filesOf(old).map((file) => ({ file, at: now })));
        const oldest = w.oldest ? { oldest: w.oldest } : {};
        shards[key] = parts.length === 1 ? { ...parts[0], count: w.shard.count, ...oldest } : { count: w.shard.count, parts, ...oldest };
      }
      if (written.length) syncDir(objects);
      manifest = { ...next, formatVersion: FORMAT_VERSION, generation: gen, shards: sortKeys(shards), garbage };
      tmp = tempName(this.file(MANIFEST));
      writeNew(tmp, JSON.stringify(manifest, null, 2) + '\n');
      crashPoint('manifest-tmp');
      if (!stillHeld(this.dir)) throw new CliError(`error: cannot save the cluster state in ${this.dir}: the lock was taken over by another process; nothing was changed`, true);
      fs.renameSync(tmp, this.file(MANIFEST));
      tmp = undefined;
      crashPoint('commit');
    } catch (e) {
      for (const f of written) fs.rmSync(path.join(objects, f), { force: true });
      if (tmp) fs.rmSync(tmp, { force: true });
      // what this commit wrote is gone: the directory is as it was
      fs.rmSync(path.join(objects, WRITING), { force: true });
      throw saveError(this.dir, e);
    }
    syncDir(this.dir);
    // after the commit nothing may fail the command: what is left here is collected next time
    for (const f of expired) rmQuiet(path.join(objects, f));
    crashPoint('gc');
    rmQuiet(path.join(objects, WRITING));
    return manifest;
  }

  /**
   * Under the lock, before a commit: files a crashed or failed writer left behind (shards no manifest
   * names, temp files, format 1's files after a migration, take-over markers).
   */
  private removeLeftovers(prev: ClusterFile, searchObjects: boolean): void {
    let junk = false;
    for (const f of fs.readdirSync(this.dir)) {
      if (f.startsWith(`.${MANIFEST}.`) && f.endsWith('.tmp')) junk = rmQuiet(this.file(f));
      else if (f.startsWith(`.${LOCK_FILE}.`) && f.endsWith('.tmp') && !lockTempAlive(f)) junk = rmQuiet(this.file(f));
      // format 1's files outlive a migration only if it was cut short after its commit
      else if ((prev.generation ?? 0) > 0 && (V1_FILES.includes(f) || /\.json\.\d+\.tmp$/.test(f))) junk = rmQuiet(this.file(f));
    }
    // a dead writer's temp files here mean its shards may be in objects/ too
    if (searchObjects || junk) {
      const keep = new Set<string>([WRITING, ...Object.values(prev.shards ?? {}).flatMap(filesOf), ...(prev.garbage ?? []).map((g) => g.file)]);
      for (const f of fs.readdirSync(this.file(OBJECTS))) if (!keep.has(f)) rmQuiet(this.objectFile(f));
    }
  }

  /** Format 1 → 2, under the lock: every kind file becomes shards, then the old files go. */
  migrate(v1: ClusterFile): ClusterFile {
    const writes = new Map<string, ShardWrite>();
    const all = new Map<string, KObject[]>();
    for (const res of RESOURCES) {
      const file = this.file(res.file);
      const text = readIfThere(file);
      if (text === undefined) continue;
      const data = parse(file, text) as { items?: unknown };
      if (typeof data !== 'object' || data === null || !Array.isArray(data.items)) throw damaged(file, 'no "items" list');
      const byShard = new Map<string, KObject[]>();
      for (const o of data.items as KObject[]) {
        const key = shardKey(res.kind, res.namespaced ? o.metadata?.namespace : undefined);
        if (!byShard.has(key)) byShard.set(key, []);
        byShard.get(key)!.push(o);
      }
      for (const [key, items] of byShard) {
        const sh = new Shard();
        for (const o of items) sh.set(o.metadata?.name, o);
        writes.set(key, { shard: sh.partsToWrite(hasSummary(res.kind) ? summarize : undefined), oldest: res.kind === 'Event' ? oldestEvent(items) : undefined });
      }
      all.set(res.kind, data.items as KObject[]);
    }
    for (const def of INDEXES) writes.set(`#index/${def.name}`, { shard: Index.build(def, all.get(def.kind) ?? []).encode(true) });
    const rtFile = this.file('runtime.json');
    const rt = readIfThere(rtFile);
    if (rt !== undefined) writes.set(RUNTIME, { value: parse(rtFile, rt) });
    const base: ClusterFile = { formatVersion: FORMAT_VERSION, config: v1.config, rand: v1.rand, resourceVersion: v1.resourceVersion, generation: 0, shards: {}, garbage: [] };
    const m = this.commit(base, base, writes);
    for (const f of V1_FILES) rmQuiet(this.file(f));
    writeErr(`kubesim: migrated the cluster state in ${this.dir} from format 1 to format ${FORMAT_VERSION}\n`);
    return m;
  }

  /** After a new cluster replaced an old one: format 1's files, if the old one was of that format. */
  removeFormat1(): void {
    for (const f of V1_FILES) rmQuiet(this.file(f));
  }
}

export const RUNTIME = '#runtime';

/**
 * Object files a long-lived process (kubesim serve, cli/serverun.ts) keeps in memory, by path, least
 * recently used first. A file is never rewritten under its name (each commit names new ones), but a
 * `cluster reset` starts the generations again: an entry is used only while the file's identity
 * (inode, size, mtime) is the one it was read with.
 */
let objectCache: Map<string, { id: string; bytes: Buffer; summaries?: KObject[] }> | undefined;
let cachedSize = 0;
/** a split shard's summaries, merged and sorted, by its part files; valid while each part's parsed list is the one cached */
const mergedSummaries = new Map<string, { files: KObject[][]; items: KObject[] }>();
const CACHE_BYTES = 256 << 20;

export function cacheObjectFiles(on: boolean): void {
  objectCache = on ? new Map() : undefined;
  cachedSize = 0;
  mergedSummaries.clear();
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function cachedBytes(file: string, cache: NonNullable<typeof objectCache>): Buffer {
  const st = fs.statSync(file);
  const id = `${st.ino}-${st.size}-${st.mtimeMs}`;
  const hit = cache.get(file);
  if (hit) cache.delete(file);
  if (hit?.id === id) {
    cache.set(file, hit);
    return hit.bytes;
  }
  if (hit) cachedSize -= hit.bytes.length;
  const bytes = fs.readFileSync(file);
  cache.set(file, { id, bytes });
  cachedSize += bytes.length;
  for (const [f, e] of cache) {
    if (cachedSize <= CACHE_BYTES) break;
    cache.delete(f);
    cachedSize -= e.bytes.length;
  }
  return bytes;
}

export function shardKey(kind: string, namespace: string | undefined): string {
  return `${kind}/${namespace ?? ''}`;
}

/** "Pod/default" → "pods.default"; "Node/" → "nodes"; "#runtime" → "runtime" */
function shardBase(key: string): string {
  if (key === RUNTIME) return 'runtime';
  if (key.startsWith('#index/')) return `index.${key.slice('#index/'.length)}`;
  const [kind, ns] = key.split('/');
  const res = RESOURCES.find((r) => r.kind === kind);
  const plural = res ? res.plural : kind.toLowerCase();
  return ns ? `${plural}.${ns}` : plural;
}


export function oldestEvent(items: KObject[]): string | undefined {
  let oldest: string | undefined;
  for (const e of items) {
    const t = (e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp) as string | undefined;
    if (t && (oldest === undefined || t < oldest)) oldest = t;
  }
  return oldest;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function parse(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw damaged(file, (e as Error).message);
  }
}

/** Removes a file if it can; true, so a caller can note that it found one. */
function rmQuiet(file: string): true {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* collected next time */
  }
  return true;
}

/** `.cluster.lock.<pid36>-….tmp`: a waiter's lock file; keep it while that process lives. */
function lockTempAlive(name: string): boolean {
  const pid = parseInt(name.slice(`.${LOCK_FILE}.`.length).split('-')[0], 36);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
