// What a pod takes on its node, as kube-scheduler's NodeInfo counts it (pkg/scheduler/framework
// types.go: Resource.Add, NodeInfo.update and calculateResource; HostPortInfo for the NodePorts
// plugin): cpu in millicores, every other resource as Quantity.Value() (rounded up), the same with
// the non-zero defaults for scoring, and the host ports it binds. Kept per pod in the
// 'pod-footprint-by-node' index so a scheduling pass never reads the pods already on the nodes.
import { podRequests, NON_ZERO_DEFAULTS } from './resourcehelper';
import { quantityMilliValue, quantityValue, type ResourceList } from './quantity';
import type { KObject } from './types';

/** resource name → amount (millicores for cpu) */
export type Amounts = Map<string, bigint>;

export interface Footprint {
  requests: Amounts;
  /** cpu and memory with NON_ZERO_DEFAULTS for containers that request none (NodeInfo.NonZeroRequested) */
  nonZero: Amounts;
  /** host ports, "PROTOCOL/IP/PORT" with IP 0.0.0.0 when none is given (HostPortInfo.sanitize) */
  ports: string[];
}

export const ALL_IPS = '0.0.0.0';

/**
 * schedutil.IsScalarResourceName: extended resources (a domain-prefixed name), hugepages and
 * attachable volumes; anything else but cpu, memory and ephemeral-storage is not counted.
 */
function counted(name: string): boolean {
  return ['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(name) || name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** A ResourceList in the scheduler's integers (framework.Resource). */
export function toAmounts(list: ResourceList): Amounts {
  const out: Amounts = new Map();
  for (const [name, q] of list) if (counted(name)) out.set(name, name === 'cpu' ? quantityMilliValue(q) : quantityValue(q));
  return out;
}

/** The pod's host ports (nodeports.go getContainerPorts: its containers' ports with a hostPort). */
export function hostPorts(pod: KObject): string[] {
  const out: string[] = [];
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) if (typeof p.hostPort === 'number' && p.hostPort > 0) out.push(`${p.protocol || 'TCP'}/${p.hostIP || ALL_IPS}/${p.hostPort}`);
  return out;
}

export function podFootprint(pod: KObject): Footprint {
  const requests = toAmounts(podRequests(pod));
  requests.delete('pods');
  const nz = toAmounts(podRequests(pod, { nonMissing: NON_ZERO_DEFAULTS }));
  const nonZero: Amounts = new Map([
    ['cpu', nz.get('cpu') ?? 0n],
    ['memory', nz.get('memory') ?? 0n],
  ]);
  return { requests, nonZero, ports: hostPorts(pod) };
}

const encodeAmounts = (a: Amounts): Record<string, string> => Object.fromEntries([...a].map(([k, v]) => [k, String(v)]));
const decodeAmounts = (o: Record<string, string> | undefined): Amounts => new Map(Object.entries(o ?? {}).map(([k, v]) => [k, BigInt(v)]));

/** The index's value: compact JSON, integers as strings (they may pass 2^53). */
export function encodeFootprint(f: Footprint): string {
  return JSON.stringify({ r: encodeAmounts(f.requests), z: encodeAmounts(f.nonZero), ...(f.ports.length ? { p: f.ports } : {}) });
}

export function decodeFootprint(text: string): Footprint {
  const o = JSON.parse(text) as { r?: Record<string, string>; z?: Record<string, string>; p?: string[] };
  return { requests: decodeAmounts(o.r), nonZero: decodeAmounts(o.z), ports: o.p ?? [] };
}
