// kube-scheduler's InterPodAffinity plugin (pkg/scheduler/framework/plugins/interpodaffinity, 1.32):
// PreFilter counts, per topology pair (label key = value of a node), the existing pods that match
// the incoming pod's required affinity / anti-affinity terms and the existing pods whose required
// anti-affinity terms match the incoming pod; Filter checks a node's pairs against those counts.
// PreScore/Score do the same with the preferred terms' weights, normalised between the lowest and
// highest node (scoring.go NormalizeScore).
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/labels';
import { topologyPair, type NodeInfo, type Rejection } from './schedplugins';

/** framework.AffinityTerm: the namespaces and selectors of a v1.PodAffinityTerm, resolved against its pod. */
interface Term {
  namespaces: Set<string>;
  nsSelector: Record<string, unknown> | null;
  selector: Record<string, unknown> | null;
  topologyKey: string;
  weight: number;
}

/** What the plugin reads of the cluster: the pods on a node (assumed ones included) and namespaces' labels. */
export interface ClusterView {
  infos: NodeInfo[];
  podsOn(info: NodeInfo): KObject[];
  /** the existing pods that carry pod affinity or anti-affinity (NodeInfo.PodsWithAffinity), with their node */
  podsWithAffinity(): [KObject, NodeInfo][];
  nsLabels(ns: string): Record<string, string>;
}

type Obj = Record<string, any>;

/** GetNamespacesFromPodAffinityTerm: the listed namespaces, or the pod's own when neither they nor a selector is given. */
function toTerm(pod: KObject, t: Obj, weight = 1): Term {
  const listed: string[] = t.namespaces ?? [];
  const nsSelector = t.namespaceSelector ?? null;
  const namespaces = new Set(listed.length || nsSelector ? listed : [pod.metadata.namespace ?? 'default']);
  return { namespaces, nsSelector, selector: t.labelSelector ?? null, topologyKey: t.topologyKey ?? '', weight };
}

const required = (pod: KObject, kind: 'podAffinity' | 'podAntiAffinity'): Term[] =>
  ((pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[]).map((t) => toTerm(pod, t));
const preferred = (pod: KObject, kind: 'podAffinity' | 'podAntiAffinity'): Term[] =>
  ((pod.spec?.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[]).map((w) => toTerm(pod, w.podAffinityTerm ?? {}, Number(w.weight ?? 0)));

/** AffinityTerm.Matches: the pod's namespace listed or selected, and its labels selected (a nil selector selects nothing). */
function matches(t: Term, pod: KObject, view: ClusterView): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  if (!t.namespaces.has(ns) && !(t.nsSelector && selectorMatches(t.nsSelector, view.nsLabels(ns)))) return false;
  return !!t.selector && selectorMatches(t.selector, pod.metadata.labels ?? {});
}


export interface AffinityState {
  affinity: Term[];
  antiAffinity: Term[];
  affinityCounts: Map<string, number>;
  antiAffinityCounts: Map<string, number>;
  existingAntiCounts: Map<string, number>;
  matchesOwnTerms: boolean;
}

function bump(m: Map<string, number>, info: NodeInfo, key: string, by = 1): void {
  const v = info.labels[key];
  if (v !== undefined) m.set(topologyPair(key, v), (m.get(topologyPair(key, v)) ?? 0) + by);
}

/**
 * filtering.go PreFilter; undefined (Skip) when the pod has no required terms and no existing pod's
 * required anti-affinity matches it.
 */
export function affinityPreFilter(pod: KObject, view: ClusterView): AffinityState | undefined {
  const affinity = required(pod, 'podAffinity');
  const antiAffinity = required(pod, 'podAntiAffinity');
  const s: AffinityState = { affinity, antiAffinity, affinityCounts: new Map(), antiAffinityCounts: new Map(), existingAntiCounts: new Map(), matchesOwnTerms: false };
  // getExistingAntiAffinityCounts: existing pods' required anti-affinity terms matching the incoming pod
  for (const [p, info] of view.podsWithAffinity()) for (const t of required(p, 'podAntiAffinity')) if (matches(t, pod, view)) bump(s.existingAntiCounts, info, t.topologyKey);
  // Skip when none matched and the pod has no required terms: then no AddPod runs either (a
  // nominated pod's anti-affinity goes unseen)
  if (!affinity.length && !antiAffinity.length && s.existingAntiCounts.size === 0) return undefined;
  // getIncomingAffinityAntiAffinityCounts: existing pods matching ALL the affinity terms count once per term
  if (affinity.length || antiAffinity.length) {
    for (const info of view.infos) {
      for (const p of view.podsOn(info)) {
        if (affinity.length && affinity.every((t) => matches(t, p, view))) for (const t of affinity) bump(s.affinityCounts, info, t.topologyKey);
        for (const t of antiAffinity) if (matches(t, p, view)) bump(s.antiAffinityCounts, info, t.topologyKey);
      }
    }
  }
  s.matchesOwnTerms = affinity.length > 0 && affinity.every((t) => matches(t, pod, view));
  return s;
}

/**
 * filtering.go AddPod (preFilterState.updateWithPod) for the pods nominated to a node: their
 * required anti-affinity terms that match the incoming pod, the incoming pod's affinity terms when
 * one matches them all, and its anti-affinity terms that match one, count in the node's domains. A
 * copy; no state (the PreFilter skipped) stays none.
 */
export function affinityAddPods(s: AffinityState | undefined, pod: KObject, added: KObject[], info: NodeInfo, view: ClusterView): AffinityState | undefined {
  if (!s) return s;
  const out: AffinityState = { ...s, affinityCounts: new Map(s.affinityCounts), antiAffinityCounts: new Map(s.antiAffinityCounts), existingAntiCounts: new Map(s.existingAntiCounts) };
  for (const p of added) {
    for (const t of required(p, 'podAntiAffinity')) if (matches(t, pod, view)) bump(out.existingAntiCounts, info, t.topologyKey);
    if (s.affinity.length && s.affinity.every((t) => matches(t, p, view))) for (const t of s.affinity) bump(out.affinityCounts, info, t.topologyKey);
    for (const t of s.antiAffinity) if (matches(t, p, view)) bump(out.antiAffinityCounts, info, t.topologyKey);
  }
  return out;
}

/** satisfyPodAffinity: every term's key on the node with a matching pod in its domain (or the first-pod exception). */
function satisfiesAffinity(s: AffinityState, info: NodeInfo): boolean {
  let podsExist = true;
  for (const t of s.affinity) {
    const v = info.labels[t.topologyKey];
    if (v === undefined) return false;
    if (!((s.affinityCounts.get(topologyPair(t.topologyKey, v)) ?? 0) > 0)) podsExist = false;
  }
  // the first pod of a group with affinity to itself: no pod anywhere matches, but it matches its own terms
  return podsExist || (s.affinityCounts.size === 0 && s.matchesOwnTerms);
}

function satisfiesAntiAffinity(s: AffinityState, info: NodeInfo): boolean {
  return !s.antiAffinity.some((t) => {
    const v = info.labels[t.topologyKey];
    return v !== undefined && (s.antiAffinityCounts.get(topologyPair(t.topologyKey, v)) ?? 0) > 0;
  });
}

function satisfiesExistingAntiAffinity(s: AffinityState, info: NodeInfo): boolean {
  return !Object.entries(info.labels).some(([k, v]) => (s.existingAntiCounts.get(topologyPair(k, v)) ?? 0) > 0);
}

/** filtering.go Filter: affinity (unresolvable), then the pod's anti-affinity, then existing pods' anti-affinity. */
export function affinityFilter(s: AffinityState | undefined, info: NodeInfo): Rejection | undefined {
  if (!s) return undefined;
  if (!satisfiesAffinity(s, info)) return { reasons: ["node(s) didn't match pod affinity rules"], unresolvable: true };
  if (!satisfiesAntiAffinity(s, info)) return { reasons: ["node(s) didn't match pod anti-affinity rules"], unresolvable: false };
  if (!satisfiesExistingAntiAffinity(s, info)) return { reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"], unresolvable: false };
  return undefined;
}

/**
 * scoring.go PreScore + Score + NormalizeScore over the feasible nodes: each existing pod adds (or,
 * for anti-affinity, takes) the weight of every preferred term of the incoming pod it matches, and
 * of every preferred term of its own the incoming pod matches (its required affinity terms count
 * with hardPodAffinityWeight 1), to the topology pair of its node; a node scores the sum over its
 * labels' pairs, scaled to 0..100 between the lowest (at most 0) and the highest (at least 0).
 */
export function affinityScores(pod: KObject, view: ClusterView, feasible: NodeInfo[]): number[] {
  const prefAffinity = preferred(pod, 'podAffinity');
  const prefAnti = preferred(pod, 'podAntiAffinity');
  const withAffinity = view.podsWithAffinity();
  if (!prefAffinity.length && !prefAnti.length && withAffinity.length === 0) return feasible.map(() => 0);
  const topology = new Map<string, number>();
  const visit = (p: KObject, info: NodeInfo) => {
    for (const t of prefAffinity) if (matches(t, p, view)) bump(topology, info, t.topologyKey, t.weight);
    for (const t of prefAnti) if (matches(t, p, view)) bump(topology, info, t.topologyKey, -t.weight);
    if (!p.spec?.affinity?.podAffinity && !p.spec?.affinity?.podAntiAffinity) return;
    for (const t of required(p, 'podAffinity')) if (matches(t, pod, view)) bump(topology, info, t.topologyKey, 1);
    for (const t of preferred(p, 'podAffinity')) if (matches(t, pod, view)) bump(topology, info, t.topologyKey, t.weight);
    for (const t of preferred(p, 'podAntiAffinity')) if (matches(t, pod, view)) bump(topology, info, t.topologyKey, -t.weight);
  };
  // the incoming pod's preferred terms look at every pod; otherwise only pods with affinity matter
  if (prefAffinity.length || prefAnti.length) for (const info of view.infos) for (const p of view.podsOn(info)) visit(p, info);
  else for (const [p, info] of withAffinity) visit(p, info);
  const raw = feasible.map((info) => Object.entries(info.labels).reduce((sum, [k, v]) => sum + (topology.get(topologyPair(k, v)) ?? 0), 0));
  const max = Math.max(0, ...raw);
  const min = Math.min(0, ...raw);
  return raw.map((s) => (max - min > 0 ? Math.trunc((100 * (s - min)) / (max - min)) : 0));
}
