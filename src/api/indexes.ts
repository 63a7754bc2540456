// Cluster-wide facts a one-object change needs without reading every object: what the apiserver's
// allocators and the scheduler's cache know. Each index is a function of one object (index key →
// value), kept up to date by the State on every add, replace and remove and stored beside the
// objects in the same commit, so it always agrees with them.
import { serviceClusterIPs, serviceNodePorts } from '../controllers/ipam';
import { isActivePod, waitsOnImagePull } from './podutil';
import type { KObject } from './types';

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
  // pods the kubelet revisits on every command (image pull back-off), by namespace
  { name: 'pods-pulling', kind: 'Pod', entries: (p) => (waitsOnImagePull(p) ? [[p.metadata.namespace ?? '', '']] : []) },
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

/**
 * One index: (key, object) → value. It is stored as one flat array [key, object, value, …], which
 * parses several times faster than nested objects, and is used as read: changes are kept beside it
 * and applied when it is listed or saved, so a command that changes one entry among thirty thousand
 * builds no map.
 */
export class Index {
  /** entries of `flat` replaced or removed since it was read: object → its keys */
  private shadowed = new Map<string, Set<string>>();
  private added = new Map<string, [string, string, string]>();

  constructor(private flat: string[] = []) {}

  static decode(stored: unknown): Index {
    return new Index(Array.isArray(stored) ? stored.map(String) : []);
  }

  static build(def: IndexDef, objects: Iterable<KObject>): Index {
    const ix = new Index();
    for (const o of objects) ix.apply(def, o, true);
    return ix;
  }

  /** Adds or removes one object's entries. */
  apply(def: IndexDef, o: KObject, add: boolean): void {
    const obj = objectKey(o);
    for (const [k, v] of def.entries(o)) {
      const id = `${k}\0${obj}`;
      if (!this.shadowed.has(obj)) this.shadowed.set(obj, new Set());
      this.shadowed.get(obj)!.add(k);
      if (add) this.added.set(id, [k, obj, v]);
      else this.added.delete(id);
    }
  }

  /** Every entry, as [key, object, value]. */
  *entries(): Generator<[string, string, string]> {
    const f = this.flat;
    for (let i = 0; i + 2 < f.length; i += 3) if (!this.shadowed.get(f[i + 1])?.has(f[i])) yield [f[i], f[i + 1], f[i + 2]];
    yield* this.added.values();
  }

  keys(): string[] {
    const out = new Set<string>();
    for (const [k] of this.entries()) out.add(k);
    return [...out];
  }

  /** The objects under one key, with their values. */
  members(key: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, o, v] of this.entries()) if (k === key) out.set(o, v);
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

  encode(): string[] {
    const out: string[] = [];
    for (const [k, o, v] of this.entries()) out.push(k, o, v);
    return out;
  }
}
