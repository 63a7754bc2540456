// kube-scheduler's PodTopologySpread plugin (pkg/scheduler/framework/plugins/podtopologyspread,
// 1.32). Filter takes the DoNotSchedule constraints: a node passes when the matching pods of its
// domain, plus the pod itself if it matches, exceed the domain with fewest by at most maxSkew (that
// minimum is 0 while fewer than minDomains domains exist). Score takes the ScheduleAnyway ones, or
// for a pod with no constraints of its own the cluster defaults (hostname maxSkew 3, zone maxSkew 5,
// over the selector of the Services and ReplicaSets/StatefulSets/ReplicationControllers that select
// it). Which nodes count as domains: nodeAffinityPolicy Honor (the pod's nodeSelector and required
// node affinity must match) and nodeTaintsPolicy Ignore by default (common.go
// matchNodeInclusionPolicies).
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/labels';
import { matchesNodeSelectorAndAffinity } from '../api/nodeaffinity';
import { tolerates, taintsOf, topologyPair, type NodeInfo, type Rejection } from './schedplugins';
import type { ClusterView } from './interpodaffinity';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Record<string, any> | null;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

type Obj = Record<string, any>;

/**
 * filterTopologySpreadConstraints: the constraints with this whenUnsatisfiable, matchLabelKeys'
 * values from the pod's labels ANDed into the selector.
 */
function constraintsOf(pod: KObject, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const labels: Record<string, string> = pod.metadata.labels ?? {};
  return ((pod.spec?.topologySpreadConstraints ?? []) as Obj[])
    .filter((c) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === action)
    .map((c) => {
      let selector: Obj | null = c.labelSelector ?? null;
      const keys = ((c.matchLabelKeys ?? []) as string[]).filter((k) => Object.hasOwn(labels, k));
      if (selector && keys.length) selector = { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...keys.map((k) => ({ key: k, operator: 'In', values: [labels[k]] }))] };
      return {
        maxSkew: Number(c.maxSkew ?? 1),
        topologyKey: c.topologyKey ?? '',
        selector,
        minDomains: Number(c.minDomains ?? 1),
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      };
    });
}

/** matchNodeInclusionPolicies */
function includes(c: Constraint, pod: KObject, info: NodeInfo): boolean {
  if (c.honorAffinity && !matchesNodeSelectorAndAffinity(pod, info.node)) return false;
  if (c.honorTaints) {
    const tolerations = pod.spec?.tolerations ?? [];
    if (taintsOf(info.node).some((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t))) return false;
  }
  return true;
}

/** countPodsMatchSelector: live pods of the pod's namespace that the selector picks (a nil selector picks none). */
function count(view: ClusterView, info: NodeInfo, c: Constraint, ns: string): number {
  if (!c.selector) return 0;
  return view.podsOn(info).filter((p) => !p.metadata.deletionTimestamp && (p.metadata.namespace ?? 'default') === ns && selectorMatches(c.selector, p.metadata.labels ?? {})).length;
}

const hasAllKeys = (info: NodeInfo, cs: Constraint[]) => cs.every((c) => Object.hasOwn(info.labels, c.topologyKey));

export interface SpreadState {
  constraints: Constraint[];
  /** "key\0value" → matching pods in the domain */
  counts: Map<string, number>;
}

/** filtering.go PreFilter (calPreFilterState); undefined when the pod has no DoNotSchedule constraint. */
export function spreadPreFilter(pod: KObject, view: ClusterView): SpreadState | undefined {
  const constraints = constraintsOf(pod, 'DoNotSchedule');
  if (!constraints.length) return undefined;
  const counts = new Map<string, number>();
  const ns = pod.metadata.namespace ?? 'default';
  for (const info of view.infos) {
    if (!hasAllKeys(info, constraints)) continue;
    for (const c of constraints) {
      if (!includes(c, pod, info)) continue;
      const k = topologyPair(c.topologyKey, info.labels[c.topologyKey]);
      counts.set(k, (counts.get(k) ?? 0) + count(view, info, c, ns));
    }
  }
  return { constraints, counts };
}

/**
 * filtering.go AddPod (updateWithPod) for the pods nominated to a node: each one of the pod's
 * namespace counts, on a node with all the constraints' keys, in the domains of the constraints
 * that select it and whose inclusion policies take the node. A copy: the cycle's state is kept for
 * the run without them. No state (the PreFilter skipped) stays none.
 */
export function spreadAddPods(s: SpreadState | undefined, pod: KObject, added: KObject[], info: NodeInfo): SpreadState | undefined {
  if (!s || !hasAllKeys(info, s.constraints)) return s;
  const counts = new Map(s.counts);
  for (const p of added) {
    if ((p.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) continue;
    for (const c of s.constraints) {
      if (!c.selector || !selectorMatches(c.selector, p.metadata.labels ?? {}) || !includes(c, pod, info)) continue;
      const k = topologyPair(c.topologyKey, info.labels[c.topologyKey]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return { constraints: s.constraints, counts };
}

/** filtering.go Filter */
export function spreadFilter(s: SpreadState | undefined, pod: KObject, info: NodeInfo): Rejection | undefined {
  if (!s) return undefined;
  for (const c of s.constraints) {
    const value = info.labels[c.topologyKey];
    if (value === undefined) return { reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"], unresolvable: true };
    // minMatchNum: the smallest domain's count, or 0 while there are fewer domains than minDomains
    const domains = [...s.counts].filter(([k]) => k.startsWith(`${c.topologyKey}\0`)).map(([, n]) => n);
    const min = domains.length < c.minDomains || domains.length === 0 ? 0 : Math.min(...domains);
    const self = c.selector && selectorMatches(c.selector, pod.metadata.labels ?? {}) ? 1 : 0;
    const skew = (s.counts.get(topologyPair(c.topologyKey, value)) ?? 0) + self - min;
    if (skew > c.maxSkew) return { reasons: ["node(s) didn't match pod topology spread constraints"], unresolvable: false };
  }
  return undefined;
}

/**
 * helper.DefaultSelector: the selectors of the Services, ReplicationControllers, ReplicaSets and
 * StatefulSets of the pod's namespace that select it, ANDed; null when there are none.
 */
function defaultSelector(pod: KObject, workloads: KObject[]): Obj | null {
  const labels = pod.metadata.labels ?? {};
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Obj[] = [];
  for (const w of workloads) {
    if (w.kind === 'Service' || w.kind === 'ReplicationController') {
      const sel: Record<string, string> = w.spec?.selector ?? {};
      if (!Object.keys(sel).length || !Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
      Object.assign(matchLabels, sel);
    } else if (selectorMatches(w.spec?.selector, labels)) {
      Object.assign(matchLabels, w.spec.selector.matchLabels ?? {});
      matchExpressions.push(...(w.spec.selector.matchExpressions ?? []));
    }
  }
  return Object.keys(matchLabels).length || matchExpressions.length ? { matchLabels, matchExpressions } : null;
}

/**
 * scoring.go PreScore + Score + NormalizeScore: each node scores, per constraint, the matching pods
 * of its domain times log(domains + 2) plus maxSkew − 1; fewer is better, so the scores are turned
 * round to 100 × (max + min − score) / max. Nodes missing a key (with the pod's own constraints)
 * score 0.
 */
export function spreadScores(pod: KObject, view: ClusterView, feasible: NodeInfo[], workloads: () => KObject[]): number[] {
  let constraints = constraintsOf(pod, 'ScheduleAnyway');
  const own = (pod.spec?.topologySpreadConstraints ?? []).length > 0;
  if (!own) {
    const selector = defaultSelector(pod, workloads());
    if (!selector) return feasible.map(() => 0);
    constraints = [
      { maxSkew: 3, topologyKey: HOSTNAME, selector, minDomains: 1, honorAffinity: true, honorTaints: false },
      { maxSkew: 5, topologyKey: ZONE, selector, minDomains: 1, honorAffinity: true, honorTaints: false },
    ];
  }
  if (!constraints.length) return feasible.map(() => 0);
  const ns = pod.metadata.namespace ?? 'default';
  const ignored = new Set(feasible.filter((info) => own && !hasAllKeys(info, constraints)));
  const counts = new Map<string, number>();
  for (const info of feasible) {
    if (ignored.has(info)) continue;
    for (const c of constraints) if (c.topologyKey !== HOSTNAME && Object.hasOwn(info.labels, c.topologyKey)) counts.set(topologyPair(c.topologyKey, info.labels[c.topologyKey]), 0);
  }
  const weights = constraints.map((c) => {
    const size = c.topologyKey === HOSTNAME ? feasible.length - ignored.size : [...counts.keys()].filter((k) => k.startsWith(`${c.topologyKey}\0`)).length;
    return Math.log(size + 2);
  });
  for (const info of view.infos) {
    if (own && !hasAllKeys(info, constraints)) continue;
    for (const c of constraints) {
      if (c.topologyKey === HOSTNAME || !includes(c, pod, info)) continue;
      const k = topologyPair(c.topologyKey, info.labels[c.topologyKey]);
      if (counts.has(k)) counts.set(k, counts.get(k)! + count(view, info, c, ns));
    }
  }
  const raw = feasible.map((info) => {
    if (ignored.has(info)) return undefined;
    let score = 0;
    constraints.forEach((c, i) => {
      const v = info.labels[c.topologyKey];
      if (v === undefined) return;
      const n = c.topologyKey === HOSTNAME ? count(view, info, c, ns) : (counts.get(topologyPair(c.topologyKey, v)) ?? 0);
      score += n * weights[i] + (c.maxSkew - 1);
    });
    return Math.round(score);
  });
  const valid = raw.filter((s): s is number => s !== undefined);
  const max = Math.max(0, ...valid);
  const min = valid.length ? Math.min(...valid) : 0;
  return raw.map((s) => (s === undefined ? 0 : max === 0 ? 100 : Math.trunc((100 * (max + min - s)) / max)));
}
