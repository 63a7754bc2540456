// Cluster-wide facts a one-object change needs without reading every object: what the apiserver's
// allocators and the scheduler's cache know. Each index is a function of one object (index key →
// value), kept up to date by the State on every add, replace and remove and stored beside the
// objects in the same commit, so it always agrees with them.
import { serviceClusterIPs, serviceNodePorts } from './serviceutil';
import { isActivePod, isUnschedulablePod } from './podutil';
import { encodeFootprint, podFootprint } from './footprint';
import type { KObject } from './types';
import { partOf, partsFor } from '../util/parts';

export interface IndexDef {
  name: string;
  kind: string;
  /** [index key, value] pairs for one object; the index maps key → { "namespace/name": value } */
  entries(o: KObject): [string, string][];
}

export const INDEXES: IndexDef[] = [
  // the scheduler's node load and the kubelet's pod IPs in use, per node (value: the pod IP, '' for hostNetwork)
  {
    name: 'pods-by-node',
    kind: 'Pod',
    entries: (p) => (p.spec?.nodeName && isActivePod(p) ? [[p.spec.nodeName, !p.spec.hostNetwork && p.status?.podIP ? p.status.podIP : '']] : []),
  },
  // the scheduler's NodeInfo: what each pod bound to a node takes there (api/footprint.ts)
  {
    name: 'pod-footprint-by-node',
    kind: 'Pod',
    entries: (p) => (p.spec?.nodeName && isActivePod(p) ? [[p.spec.nodeName, encodeFootprint(podFootprint(p))]] : []),
  },
  // the scheduler's NodeInfo.PodsWithAffinity: bound pods with pod affinity or anti-affinity, by node
  {
    name: 'pods-with-affinity',
    kind: 'Pod',
    entries: (p) => (p.spec?.nodeName && isActivePod(p) && (p.spec.affinity?.podAffinity || p.spec.affinity?.podAntiAffinity) ? [[p.spec.nodeName, '']] : []),
  },
  // the scheduler's unschedulable queue: pods it found no node for, by namespace, retried when
  // something that may make room happens (a bound pod goes or finishes, a node changes)
  { name: 'pods-unschedulable', kind: 'Pod', entries: (p) => (isUnschedulablePod(p) ? [[p.metadata.namespace ?? '', '']] : []) },
  // the ClusterIP and NodePort allocators' bitmaps (RangeAllocation in a real apiserver)
  {
    name: 'service-addresses',
    kind: 'Service',
    entries: (s) => [...serviceClusterIPs(s).map((ip): [string, string] => [`ip/${ip}`, '']), ...serviceNodePorts(s).map((p): [string, string] => [`port/${p}`, ''])],
  },
  // LoadBalancer services (and any with an ingress to take back), by namespace: the pool's users
  {
    name: 'load-balancers',
    kind: 'Service',
    entries: (s) => (s.spec?.type === 'LoadBalancer' || s.status?.loadBalancer?.ingress?.length ? [[s.metadata.namespace ?? '', '']] : []),
  },
];

export function indexesOf(kind: string): IndexDef[] {
  return INDEXES.filter((d) => d.kind === kind);
}

export function objectKey(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** One part's new file (the shape the store writes for a shard's part). */
export interface IndexPartWrite {
  text: Buffer;
  count: number;
}

interface Part {
  loaded: boolean;
  flat: string[];
  /** entries of `flat` replaced or removed since it was read: object → its keys */
  shadowed: Map<string, Set<string>>;
  added: Map<string, [string, string, string]>;
  dirty: boolean;
  /** entries stored, for a part not read */
  stored: number;
}

/**
 * One index: (key, object) → value. It is stored in parts by key (util/parts.ts), each one flat
 * array [key, object, value, …], which parses several times faster than nested objects; a part is
 * read when a key in it is asked for, and changes are kept beside it and applied when it is listed
 * or saved, so a command that changes one entry among thirty thousand rewrites one small part.
 */
export class Index {
  private parts: Part[];

  /** parts: how many part files; load(i): part i's stored array; counts: entries stored per part */
  constructor(parts = 1, private load: (i: number) => unknown = () => undefined, counts: number[] = []) {
    this.parts = Array.from({ length: parts }, (_, i) => ({ loaded: false, flat: [], shadowed: new Map(), added: new Map(), dirty: false, stored: counts[i] ?? 0 }));
  }

  static build(def: IndexDef, objects: Iterable<KObject>): Index {
    const ix = new Index();
    for (const o of objects) ix.apply(def, o, true);
    return ix;
  }

  private part(i: number): Part {
    const p = this.parts[i];
    if (!p.loaded) {
      p.loaded = true;
      const stored = this.load(i);
      p.flat = Array.isArray(stored) ? stored.map(String) : [];
    }
    return p;
  }

  /** Adds or removes one object's entries. */
  apply(def: IndexDef, o: KObject, add: boolean): void {
    const obj = objectKey(o);
    for (const [k, v] of def.entries(o)) {
      const p = this.part(partOf(k, this.parts.length));
      if (!p.shadowed.has(obj)) p.shadowed.set(obj, new Set());
      p.shadowed.get(obj)!.add(k);
      const id = `${k}\0${obj}`;
      if (add) p.added.set(id, [k, obj, v]);
      else p.added.delete(id);
      p.dirty = true;
    }
  }

  private *partEntries(p: Part): Generator<[string, string, string]> {
    const f = p.flat;
    for (let i = 0; i + 2 < f.length; i += 3) if (!p.shadowed.get(f[i + 1])?.has(f[i])) yield [f[i], f[i + 1], f[i + 2]];
    yield* p.added.values();
  }

  /** Every entry, as [key, object, value]. */
  *entries(): Generator<[string, string, string]> {
    for (let i = 0; i < this.parts.length; i++) yield* this.partEntries(this.part(i));
  }

  keys(): string[] {
    const out = new Set<string>();
    for (const [k] of this.entries()) out.add(k);
    return [...out];
  }

  /** The objects under one key, with their values (only its part is read). */
  members(key: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, o, v] of this.partEntries(this.part(partOf(key, this.parts.length)))) if (k === key) out.set(o, v);
    return out;
  }

  /** key → its objects and values, for a pass over the whole index. */
  groups(): Map<string, Map<string, string>> {
    const out = new Map<string, Map<string, string>>();
    for (const [k, o, v] of this.entries()) {
      let m = out.get(k);
      if (!m) out.set(k, (m = new Map()));
      m.set(o, v);
    }
    return out;
  }

  /** The parts to write: those changed, or all when the index grew or shrank past a split. */
  encode(all = false): { parts: number; count: number; write: Map<number, IndexPartWrite> } {
    const size = (p: Part) => (p.loaded ? [...this.partEntries(p)].length : p.stored);
    const count = this.parts.reduce((n, p) => n + size(p), 0);
    const parts = partsFor(count, this.parts.length);
    const write = new Map<number, IndexPartWrite>();
    const flat = (entries: Iterable<[string, string, string]>) => {
      const out: string[] = [];
      for (const [k, o, v] of entries) out.push(k, o, v);
      return out;
    };
    const text = (arr: string[]) => Buffer.from(JSON.stringify(arr) + '\n');
    if (parts !== this.parts.length) {
      const by = Array.from({ length: parts }, () => [] as string[]);
      for (const [k, o, v] of this.entries()) by[partOf(k, parts)].push(k, o, v);
      by.forEach((arr, i) => write.set(i, { text: text(arr), count: arr.length / 3 }));
    } else {
      this.parts.forEach((p, i) => {
        if (!p.dirty && !all) return;
        const arr = flat(this.partEntries(this.part(i)));
        write.set(i, { text: text(arr), count: arr.length / 3 });
      });
    }
    return { parts, count, write };
  }
}
