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

export type IndexData = Record<string, Record<string, string>>;

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

/** Adds (sign 1) or removes (sign -1) one object's entries. */
export function applyEntries(data: IndexData, def: IndexDef, o: KObject, add: boolean): void {
  const key = objectKey(o);
  for (const [k, v] of def.entries(o)) {
    if (add) {
      if (!Object.hasOwn(data, k)) data[k] = {};
      data[k][key] = v;
    } else if (Object.hasOwn(data, k)) {
      delete data[k][key];
      if (Object.keys(data[k]).length === 0) delete data[k];
    }
  }
}

export function buildIndex(def: IndexDef, objects: Iterable<KObject>): IndexData {
  const data: IndexData = {};
  for (const o of objects) applyEntries(data, def, o, true);
  return data;
}
