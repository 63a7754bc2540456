// kubectl describe node (describe.go describeNode, describeNodeLease, describeNodeResource,
// getPodsTotalRequestsAndLimits; kubectl pkg/util/resource PodRequestsAndLimits).
import type { KObject } from '../../api/types';
import {
  Json,
  LEVEL_0,
  LEVEL_1,
  PrefixWriter,
  describeEvents,
  formatRFC1123Z,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printNodeTaintsMultiline,
  str,
  tabbedString,
  timestampSince,
} from './common';
import {
  Quantity,
  ResourceList,
  ZERO,
  addResourceList,
  formatQuantity,
  quantityMilliValue,
  quantityValue,
  toResourceList,
} from '../../api/quantity';
import { podLimits, podRequests } from '../../api/resourcehelper';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** describe.go findNodeRoles: node-role.kubernetes.io/<role> keys plus the kubernetes.io/role value. */
export function findNodeRoles(labels: Record<string, string> | null | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

/**
 * A pod's requests or limits as kubectl's podRequests/podLimits add them up (kubectl pkg/util/resource,
 * the same sums as component-helpers' PodRequests: containers, the init-container max, sidecars,
 * overhead); requests also take a container's allocatedResources when larger (in-place resize).
 */
function podResources(pod: Json, field: 'requests' | 'limits'): ResourceList {
  return field === 'requests' ? podRequests(pod, { useStatusResources: true }) : podLimits(pod);
}

/** Go's int64(float64) conversion on amd64: NaN and out-of-range values become MinInt64. */
function goInt64(f: number): string {
  if (!Number.isFinite(f) || Math.abs(f) >= 2 ** 63) return '-9223372036854775808';
  return String(Math.trunc(f));
}

/** "<q> (<pct>%)" with pct = int64(float64(part)/float64(whole)*100) as kubectl computes it. */
function withPercent(q: Quantity, part: bigint, whole: bigint): string {
  return `${formatQuantity(q)} (${goInt64((Number(part) / Number(whole)) * 100)}%)`;
}

/** Like withPercent, but kubectl's totals guard against a zero denominator (0%). */
function withGuardedPercent(q: Quantity, part: bigint, whole: bigint): string {
  return whole === 0n ? `${formatQuantity(q)} (0%)` : withPercent(q, part, whole);
}

const get = (list: ResourceList, name: string): Quantity => list.get(name) ?? ZERO;

/** The Non-terminated Pods table: one row per pod with its requests/limits as a share of allocatable. */
function describePodRows(w: PrefixWriter, pods: Json[], allocatable: ResourceList): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const cpu = quantityMilliValue(get(allocatable, 'cpu'));
  const mem = quantityValue(get(allocatable, 'memory'));
  for (const pod of pods) {
    const req = podResources(pod, 'requests');
    const lim = podResources(pod, 'limits');
    const cells = [
      withPercent(get(req, 'cpu'), quantityMilliValue(get(req, 'cpu')), cpu),
      withPercent(get(lim, 'cpu'), quantityMilliValue(get(lim, 'cpu')), cpu),
      withPercent(get(req, 'memory'), quantityValue(get(req, 'memory')), mem),
      withPercent(get(lim, 'memory'), quantityValue(get(lim, 'memory')), mem),
    ];
    const age = timestampSince(pod.metadata?.creationTimestamp);
    w.write(LEVEL_1, `${str(pod.metadata?.namespace)}\t${str(pod.metadata?.name)}\t\t${cells.join('\t')}\t${age}\n`);
  }
}

/** getPodsTotalRequestsAndLimits */
function podTotals(pods: Json[]): [ResourceList, ResourceList] {
  const reqs: ResourceList = new Map();
  const limits: ResourceList = new Map();
  for (const pod of pods) {
    addResourceList(reqs, podResources(pod, 'requests'));
    addResourceList(limits, podResources(pod, 'limits'));
  }
  return [reqs, limits];
}

/** One "Allocated resources" row with percentages of an allocatable amount (0% when it is zero). */
function allocatedRow(w: PrefixWriter, name: string, reqs: ResourceList, limits: ResourceList, whole: bigint, milli: boolean): void {
  const amount = (q: Quantity): bigint => (milli ? quantityMilliValue(q) : quantityValue(q));
  const r = get(reqs, name);
  const l = get(limits, name);
  w.write(LEVEL_1, `${name}\t${withGuardedPercent(r, amount(r), whole)}\t${withGuardedPercent(l, amount(l), whole)}\n`);
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** The Allocated resources table: cpu, memory, ephemeral-storage, hugepages-*, then extended resources. */
function describeAllocated(w: PrefixWriter, pods: Json[], allocatable: ResourceList): void {
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const [reqs, limits] = podTotals(pods);
  allocatedRow(w, 'cpu', reqs, limits, quantityMilliValue(get(allocatable, 'cpu')), true);
  allocatedRow(w, 'memory', reqs, limits, quantityValue(get(allocatable, 'memory')), false);
  allocatedRow(w, 'ephemeral-storage', reqs, limits, quantityValue(get(allocatable, 'ephemeral-storage')), false);
  const names = [...allocatable.keys()];
  const hugePages = names.filter((n) => n.startsWith('hugepages-')).sort();
  const extended = names
    .filter((n) => !n.startsWith('hugepages-') && !STANDARD_CONTAINER_RESOURCES.has(n) && n !== 'pods')
    .sort();
  for (const n of hugePages) allocatedRow(w, n, reqs, limits, quantityValue(get(allocatable, n)), false);
  for (const n of extended) w.write(LEVEL_1, `${n}\t${formatQuantity(get(reqs, n))}\t${formatQuantity(get(limits, n))}\n`);
}

/** describe.go describeNodeLease, or kubectl's text when the Lease could not be fetched. */
function describeNodeLease(w: PrefixWriter, nodeName: string, lease: KObject | undefined): void {
  if (!lease) {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${nodeName}" not found\n`);
    return;
  }
  const spec = lease.spec ?? {};
  w.write(LEVEL_0, 'Lease:\n');
  w.write(LEVEL_1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
  w.write(LEVEL_1, `AcquireTime:\t${spec.acquireTime ? formatRFC1123Z(spec.acquireTime) : '<unset>'}\n`);
  w.write(LEVEL_1, `RenewTime:\t${spec.renewTime ? formatRFC1123Z(spec.renewTime) : '<unset>'}\n`);
}

/** The node Conditions table (only when the node reports conditions). */
function describeNodeConditions(w: PrefixWriter, conditions: Json[]): void {
  if (conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
  w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
  for (const c of conditions) {
    const times = `${formatRFC1123Z(c.lastHeartbeatTime)} \t${formatRFC1123Z(c.lastTransitionTime)}`;
    w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)} \t${times} \t${str(c.reason)} \t${str(c.message)}\n`);
  }
}

/** Capacity/Allocatable entries, sorted by resource name, printed canonically. */
function printResourceList(w: PrefixWriter, title: string, raw: Record<string, string> | undefined): void {
  const list = toResourceList(raw);
  if (list.size === 0) return;
  w.write(LEVEL_0, `${title}:\n`);
  for (const name of [...list.keys()].sort()) w.write(LEVEL_0, `  ${name}:\t${formatQuantity(list.get(name)!)}\n`);
}

const SYSTEM_INFO: [string, string][] = [
  ['Machine ID', 'machineID'],
  ['System UUID', 'systemUUID'],
  ['Boot ID', 'bootID'],
  ['Kernel Version', 'kernelVersion'],
  ['OS Image', 'osImage'],
  ['Operating System', 'operatingSystem'],
  ['Architecture', 'architecture'],
  ['Container Runtime Version', 'containerRuntimeVersion'],
  ['Kubelet Version', 'kubeletVersion'],
  ['Kube-Proxy Version', 'kubeProxyVersion'],
];

/** System Info, PodCIDR(s) and ProviderID. */
function describeSystemInfo(w: PrefixWriter, node: Json): void {
  const info = node.status?.nodeInfo ?? {};
  w.write(LEVEL_0, 'System Info:\n');
  for (const [label, field] of SYSTEM_INFO) w.write(LEVEL_0, `  ${label}:\t${str(info[field])}\n`);
  if (str(node.spec?.podCIDR) !== '') w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  const cidrs: string[] = node.spec?.podCIDRs ?? [];
  if (cidrs.length > 0) w.write(LEVEL_0, `PodCIDRs:\t${cidrs.join(',')}\n`);
  if (str(node.spec?.providerID) !== '') w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);
}

/** The API lists pods by storage key, i.e. by namespace then name. */
function byNamespaceAndName(a: Json, b: Json): number {
  const ka = `${str(a.metadata?.namespace)}/${str(a.metadata?.name)}`;
  const kb = `${str(b.metadata?.namespace)}/${str(b.metadata?.name)}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * kubectl describe node. `pods` are the node's non-terminated pods (all namespaces; phase not
 * Succeeded/Failed); `lease` is kube-node-lease/<node>, absent → kubectl's "Failed to get lease" line.
 * `events` undefined/null omits the Events section.
 */
export function describeNode(node: KObject, pods: KObject[], events?: KObject[] | null, lease?: KObject): string {
  return tabbedString((w) => {
    const name = str(node.metadata?.name);
    w.write(LEVEL_0, `Name:\t${name}\n`);
    const roles = findNodeRoles(node.metadata?.labels);
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', node.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', node.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(node.metadata?.creationTimestamp)}\n`);
    printNodeTaintsMultiline(w, 'Taints', node.spec?.taints);
    w.write(LEVEL_0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
    describeNodeLease(w, name, lease);
    describeNodeConditions(w, node.status?.conditions ?? []);
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of (node.status?.addresses ?? []) as Json[]) w.write(LEVEL_1, `${str(a.type)}:\t${str(a.address)}\n`);
    printResourceList(w, 'Capacity', node.status?.capacity);
    printResourceList(w, 'Allocatable', node.status?.allocatable);
    describeSystemInfo(w, node);
    // percentages are of allocatable, or of capacity when the node reports no allocatable
    const allocatable = toResourceList(node.status?.allocatable);
    const base = allocatable.size > 0 ? allocatable : toResourceList(node.status?.capacity);
    const sorted = [...pods].sort(byNamespaceAndName);
    describePodRows(w, sorted, base);
    describeAllocated(w, sorted, base);
    describeEvents(w, events);
  });
}
