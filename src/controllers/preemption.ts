// kube-scheduler's DefaultPreemption PostFilter (pkg/scheduler/framework/preemption/preemption.go
// and plugins/defaultpreemption/default_preemption.go, 1.32): for a pod no node fits, each node a
// filter rejected as merely Unschedulable is tried without the pods of lower priority; the victims
// are the fewest of them (the more important ones reprieved first, those a PodDisruptionBudget
// protects before the others) that still let the pod fit; the node whose victims matter least is
// chosen, the victims are marked (DisruptionTarget) and deleted with their grace period, and the pod
// is nominated there. Otherwise the message says why, as "preemption: 0/N nodes are available: ...".
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/labels';
import { podFootprint, type Footprint } from '../api/footprint';
import type { State } from '../store/state';
import { NodeInfo, podPriority, type Rejection } from './schedplugins';
import { affinityPreFilter, type ClusterView } from './interpodaffinity';
import { spreadPreFilter } from './topologyspread';
import { filterWithNominatedPods } from './nominated';

const startOf = (p: KObject): number => Date.parse(p.status?.startTime ?? p.metadata.creationTimestamp ?? '') || 0;
const keyOf = (p: KObject) => `${p.metadata.namespace}/${p.metadata.name}`;

/** util.MoreImportantPod: higher priority, then the one that started first. */
const moreImportant = (a: KObject, b: KObject) => podPriority(b) - podPriority(a) || startOf(a) - startOf(b);

/** podTerminatingByPreemption: being deleted after the scheduler marked it for preemption. */
function terminatingByPreemption(p: KObject): boolean {
  return !!p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: KObject['status']) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler');
}

/** A view of the cluster with some pods gone (the dry run's RemovePod). */
function without(view: ClusterView, gone: Set<string>): ClusterView {
  return {
    infos: view.infos,
    podsOn: (info) => view.podsOn(info).filter((p) => !gone.has(keyOf(p))),
    podsWithAffinity: () => view.podsWithAffinity().filter(([p]) => !gone.has(keyOf(p))),
    nsLabels: view.nsLabels,
  };
}

/**
 * RunFilterPluginsWithNominatedPods on the node as the view has it (volumes left out): the pods
 * nominated to the node count there as in the scheduling cycle (SelectVictimsOnNode, nominated.ts).
 */
function fits(pod: KObject, fp: Footprint, info: NodeInfo, view: ClusterView, nominated: readonly KObject[]): Rejection | undefined {
  const trial = new NodeInfo(info.node);
  for (const p of view.podsOn(info)) trial.add(podFootprint(p));
  return filterWithNominatedPods(pod, fp, trial, nominated, { spread: spreadPreFilter(pod, view), affinity: affinityPreFilter(pod, view) }, view);
}

interface Candidate {
  info: NodeInfo;
  victims: KObject[];
  pdbViolations: number;
}

/** filterPodsWithPDBViolation: the pods whose eviction would take a budget below zero, and the others. */
function splitByPdb(pods: KObject[], pdbs: KObject[]): [KObject[], KObject[]] {
  const allowed = new Map(pdbs.map((b) => [b, Number(b.status?.disruptionsAllowed ?? 0)]));
  const violating: KObject[] = [];
  const others: KObject[] = [];
  for (const p of pods) {
    let violates = false;
    for (const b of pdbs) {
      if (b.metadata.namespace !== p.metadata.namespace || !selectorMatches(b.spec?.selector, p.metadata.labels ?? {})) continue;
      if (Object.hasOwn(b.status?.disruptedPods ?? {}, p.metadata.name)) continue;
      allowed.set(b, allowed.get(b)! - 1);
      if (allowed.get(b)! < 0) violates = true;
    }
    (violates ? violating : others).push(p);
  }
  return [violating, others];
}

/** SelectVictimsOnNode: the victims, or the status that says why there are none. */
function selectVictims(pod: KObject, fp: Footprint, info: NodeInfo, view: ClusterView, pdbs: KObject[], nominated: readonly KObject[]): Candidate | Rejection {
  const potential = view.podsOn(info).filter((p) => podPriority(p) < podPriority(pod));
  if (!potential.length) return { reasons: ['No preemption victims found for incoming pod'], unresolvable: true };
  const gone = new Set(potential.map(keyOf));
  const r = fits(pod, fp, info, without(view, gone), nominated);
  if (r) return r;
  potential.sort(moreImportant);
  const [violating, others] = splitByPdb(potential, pdbs);
  const victims: KObject[] = [];
  let pdbViolations = 0;
  const reprieve = (p: KObject): boolean => {
    gone.delete(keyOf(p));
    if (!fits(pod, fp, info, without(view, gone), nominated)) return true;
    gone.add(keyOf(p));
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of others) reprieve(p);
  if (violating.length && others.length) victims.sort(moreImportant);
  return { info, victims, pdbViolations };
}

/**
 * pickOneNodeForPreemption: fewest budget violations, then the lowest highest victim priority, then
 * the lowest sum of priorities, then the fewest victims, then the latest start among the most
 * important victims, then the first.
 */
function pickCandidate(cs: Candidate[]): Candidate {
  const score = (c: Candidate): number[] => {
    const top = Math.max(...c.victims.map(podPriority));
    const sum = c.victims.reduce((s, p) => s + podPriority(p) + 2147483648, 0);
    const latest = Math.min(...c.victims.filter((p) => podPriority(p) === top).map(startOf));
    return [c.pdbViolations, top, sum, c.victims.length, -latest];
  };
  let best = cs[0];
  for (const c of cs.slice(1)) {
    const [a, b] = [score(c), score(best)];
    const i = a.findIndex((v, k) => v !== b[k]);
    if (i >= 0 && a[i] < b[i]) best = c;
  }
  return best;
}

/** a message, and whether the pod's nomination is to be cleared (preemption cannot help anywhere) */
export type PreemptionResult = { nominate: NodeInfo; victims: KObject[] } | { message: string; clearNomination?: boolean };

/** "<count> <reason>" sorted as plain strings (FitError.Error's histogram). */
export function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/**
 * Evaluator.Preempt for a pod with no feasible node; `rejections` in the order of `infos`. A
 * message is DefaultPreemption's PostFilter status ("preemption: ..." is added by the caller).
 */
export function preempt(state: State, pod: KObject, fp: Footprint, view: ClusterView, rejections: Rejection[], nominatedByNode: ReadonlyMap<string, readonly KObject[]>): PreemptionResult {
  // PodEligibleToPreemptOthers
  if (pod.spec?.preemptionPolicy === 'Never') return { message: 'not eligible due to preemptionPolicy=Never.' };
  const nominated = view.infos.find((i) => i.node.metadata.name === pod.status?.nominatedNodeName);
  const nominatedIdx = nominated ? view.infos.indexOf(nominated) : -1;
  if (nominated && !rejections[nominatedIdx]?.unresolvable && view.podsOn(nominated).some((p) => podPriority(p) < podPriority(pod) && terminatingByPreemption(p))) {
    return { message: 'not eligible due to a terminating pod on the nominated node.' };
  }
  const pdbs = state.list('PodDisruptionBudget');
  const statuses: string[] = [];
  const candidates: Candidate[] = [];
  view.infos.forEach((info, i) => {
    // nodesWherePreemptionMightHelp: an unresolvable rejection is not worth a dry run
    if (rejections[i].unresolvable) return void statuses.push('Preemption is not helpful for scheduling');
    const r = selectVictims(pod, fp, info, view, pdbs, nominatedByNode.get(info.node.metadata.name) ?? []);
    if ('victims' in r) candidates.push(r);
    else statuses.push(...r.reasons);
  });
  // findCandidates: with no node where preemption might help, the pod's nominated node is cleared
  const clearNomination = rejections.every((r) => r.unresolvable);
  if (!candidates.length) return { message: `0/${view.infos.length} nodes are available: ${histogram(statuses)}.`, clearNomination };
  const best = pickCandidate(candidates);
  return { nominate: best.info, victims: best.victims };
}
