// kube-scheduler's default filter and score plugins (pkg/scheduler/framework/plugins, 1.32), over a
// NodeInfo built from the 'pod-footprint-by-node' index rather than from the pods themselves.
import type { KObject } from '../api/types';
import { nodeStatus } from '../api/nodeutil';
import { matchesNodeSelectorAndAffinity, preferredNodeAffinityWeight } from '../api/nodeaffinity';
import { ALL_IPS, decodeFootprint, toAmounts, type Amounts, type Footprint } from '../api/footprint';
import { toResourceList } from '../api/quantity';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** v1.Toleration.ToleratesTaint */
export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    if (t.operator === 'Exists') return true;
    return (t.operator ?? 'Equal') === 'Equal' && (t.value ?? '') === (taint.value ?? '');
  });
}

/** framework.NodeInfo, reduced: the node, its pods' footprints summed, and its allocatable. */
export class NodeInfo {
  pods = 0;
  requested: Amounts = new Map();
  nonZero: Amounts = new Map();
  ports = new Set<string>();
  /** "namespace/name" of the pods on the node, from the index; the pods assumed there this pass */
  podKeys: string[] = [];
  assumed: KObject[] = [];
  readonly allocatable: Amounts;

  constructor(readonly node: KObject) {
    this.allocatable = toAmounts(toResourceList(node.status?.allocatable));
  }

  /** NodeInfo.AddPod */
  add(f: Footprint): void {
    this.pods++;
    for (const [n, v] of f.requests) this.requested.set(n, (this.requested.get(n) ?? 0n) + v);
    for (const [n, v] of f.nonZero) this.nonZero.set(n, (this.nonZero.get(n) ?? 0n) + v);
    for (const p of f.ports) this.ports.add(p);
  }

  /** the node's labels (the topology plugins' domains) */
  get labels(): Record<string, string> {
    return this.node.metadata.labels ?? {};
  }

  /** A copy with more pods on it (the nominated pods a filter counts as there). */
  with(fps: Footprint[]): NodeInfo {
    const copy = new NodeInfo(this.node);
    copy.pods = this.pods;
    copy.requested = new Map(this.requested);
    copy.nonZero = new Map(this.nonZero);
    copy.ports = new Set(this.ports);
    for (const f of fps) copy.add(f);
    return copy;
  }

  static fromIndex(node: KObject, members: Map<string, string>): NodeInfo {
    const info = new NodeInfo(node);
    for (const [key, v] of members) {
      info.add(decodeFootprint(v));
      info.podKeys.push(key);
    }
    return info;
  }
}

/** framework topologyPair as a map key: a label key and its value on a node. */
export const topologyPair = (key: string, value: string): string => `${key}\0${value}`;

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export const podPriority = (p: KObject): number => (typeof p.spec?.priority === 'number' ? p.spec.priority : 0);

/** A filter's verdict on one node: its reasons, and whether removing pods (preemption) could help. */
export interface Rejection {
  reasons: string[];
  /** framework.UnschedulableAndUnresolvable */
  unresolvable: boolean;
}

type Filter = (pod: KObject, fp: Footprint, info: NodeInfo) => Rejection | undefined;

const unresolvable = (reason: string): Rejection => ({ reasons: [reason], unresolvable: true });

/** nodeunschedulable.go: a cordoned node, unless the pod tolerates node.kubernetes.io/unschedulable. */
const nodeUnschedulable: Filter = (pod, _fp, { node }) =>
  node.spec?.unschedulable && !tolerates(pod.spec?.tolerations ?? [], { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
    ? unresolvable('node(s) were unschedulable')
    : undefined;

/**
 * The node's taints; a node that is not Ready but was not tainted for it yet gets the taint the node
 * lifecycle controller puts there (TaintNodesByCondition: not-ready for False, unreachable for Unknown).
 */
export function taintsOf(node: KObject): Taint[] {
  const taints = (node.spec?.taints ?? []) as Taint[];
  const status = nodeStatus(node).split(',')[0];
  if (status === 'Ready') return taints;
  const key = status === 'NotReady' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
  return taints.some((t) => t.key === key && t.effect === 'NoSchedule') ? taints : [...taints, { key, effect: 'NoSchedule' }];
}

/** taint_toleration.go Filter: the first NoSchedule/NoExecute taint not tolerated (FindMatchingUntoleratedTaint). */
const taintToleration: Filter = (pod, _fp, { node }) => {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  const taint = taintsOf(node).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  return taint ? unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : undefined;
};

/** node_affinity.go: nodeSelector and required node affinity (ErrReasonPod). */
const nodeAffinity: Filter = (pod, _fp, { node }) =>
  matchesNodeSelectorAndAffinity(pod, node) ? undefined : unresolvable("node(s) didn't match Pod's node affinity/selector");

/** HostPortInfo.CheckConflict: 0.0.0.0 clashes with the port on any address, an address with itself and 0.0.0.0. */
function portInUse(used: Set<string>, port: string): boolean {
  const [protocol, ip, num] = port.split('/');
  if (ip === ALL_IPS) return [...used].some((u) => u.startsWith(`${protocol}/`) && u.endsWith(`/${num}`));
  return used.has(port) || used.has(`${protocol}/${ALL_IPS}/${num}`);
}

/** node_ports.go: a wanted host port already bound on the node (Unschedulable: preemption may free it). */
const nodePorts: Filter = (_pod, fp, info) =>
  fp.ports.some((p) => portInUse(info.ports, p)) ? { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false } : undefined;

/**
 * noderesources/fit.go fitsRequest: one more pod than allocatable pods, then each requested resource
 * that the node's allocatable minus its pods' requests cannot cover. Every shortfall is a reason.
 * Unschedulable, never unresolvable in 1.32 (the "request larger than the node" case came in 1.34,
 * kubernetes#131345).
 */
const nodeResourcesFit: Filter = (_pod, fp, info) => {
  const reasons: string[] = [];
  if (info.pods + 1 > Number(info.allocatable.get('pods') ?? 0n)) reasons.push('Too many pods');
  const order = ['cpu', 'memory', 'ephemeral-storage', ...[...fp.requests.keys()].filter((n) => !['cpu', 'memory', 'ephemeral-storage'].includes(n)).sort()];
  for (const name of order) {
    const want = fp.requests.get(name) ?? 0n;
    if (want <= 0n) continue;
    if (want > (info.allocatable.get(name) ?? 0n) - (info.requested.get(name) ?? 0n)) reasons.push(`Insufficient ${name}`);
  }
  return reasons.length ? { reasons, unresolvable: false } : undefined;
};

/**
 * The default profile's filters in order (apis/config/v1 default_plugins.go). NodeName is left out:
 * a pod with spec.nodeName never reaches the scheduler. The first plugin to reject a node decides
 * its status (framework.RunFilterPlugins returns on the first failure).
 */
const FILTERS: Filter[] = [nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

export function filterNode(pod: KObject, fp: Footprint, info: NodeInfo): Rejection | undefined {
  for (const f of FILTERS) {
    const r = f(pod, fp, info);
    if (r) return r;
  }
  return undefined;
}

const MAX_NODE_SCORE = 100n;

/** least_allocated.go leastResourceScorer over cpu and memory (weight 1 each), non-zero requests. */
function leastAllocated(fp: Footprint, info: NodeInfo): bigint {
  let sum = 0n;
  let weights = 0n;
  for (const r of ['cpu', 'memory']) {
    const alloc = info.allocatable.get(r) ?? 0n;
    if (alloc === 0n) continue;
    const req = (info.nonZero.get(r) ?? 0n) + (fp.nonZero.get(r) ?? 0n);
    sum += req > alloc ? 0n : ((alloc - req) * MAX_NODE_SCORE) / alloc;
    weights++;
  }
  return weights ? sum / weights : 0n;
}

/** balanced_allocation.go balancedResourceScorer: 100 × (1 − the spread of cpu and memory fractions). */
function balancedAllocation(fp: Footprint, info: NodeInfo): bigint {
  const fractions: number[] = [];
  for (const r of ['cpu', 'memory']) {
    const alloc = info.allocatable.get(r) ?? 0n;
    if (alloc === 0n) continue;
    const req = (info.requested.get(r) ?? 0n) + (fp.requests.get(r) ?? 0n);
    fractions.push(Math.min(Number(req) / Number(alloc), 1));
  }
  // two resources: the standard deviation is half their difference
  const std = fractions.length === 2 ? Math.abs((fractions[0] - fractions[1]) / 2) : 0;
  return BigInt(Math.trunc((1 - std) * Number(MAX_NODE_SCORE)));
}

/** NodeResourcesFit (LeastAllocated) plus NodeResourcesBalancedAllocation, both weight 1. */
export function resourceScore(fp: Footprint, info: NodeInfo): number {
  return Number(leastAllocated(fp, info) + balancedAllocation(fp, info));
}

/**
 * helper.DefaultNormalizeScore: scores scaled so the highest is 100 (all 0 stay 0), or with reverse
 * turned round (100 − that), all 100 when every score is 0.
 */
function normalize(scores: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? 100 : 0));
  return scores.map((s) => {
    const n = Math.trunc((100 * s) / max);
    return reverse ? 100 - n : n;
  });
}

/**
 * taint_toleration.go Score: the node's PreferNoSchedule taints the pod does not tolerate (with its
 * tolerations of effect PreferNoSchedule or none), fewer being better.
 */
export function taintScores(pod: KObject, feasible: NodeInfo[]): number[] {
  const tolerations = ((pod.spec?.tolerations ?? []) as Toleration[]).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  const counts = feasible.map(({ node }) => ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(tolerations, t)).length);
  return normalize(counts, true);
}

/** node_affinity.go Score: the weights of the preferred terms the node matches, scaled to the best. */
export function nodeAffinityScores(pod: KObject, feasible: NodeInfo[]): number[] {
  return normalize(
    feasible.map(({ node }) => preferredNodeAffinityWeight(pod, node)),
    false,
  );
}
