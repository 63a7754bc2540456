// kube-scheduler 1.32, reduced to what a lab shows: the default profile's filters (schedplugins.ts)
// over every node, the feasible node with the best NodeResourcesFit + BalancedAllocation score (then
// the fewest pods, then the seeded generator), and on failure the FitError message as the
// FailedScheduling event and the PodScheduled condition carry it. Pods that did not fit wait in the
// 'pods-unschedulable' index and are tried again when a bound pod goes or finishes or a node changes
// (the scheduling queue's moveAllToActiveOrBackoffQueue on those cluster events).
import { cmp } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { recordEvent } from './events';
import { rfc3339 } from '../util/clock';
import { isActivePod } from '../api/podutil';
import { computePodQOS } from '../api/qos';
import { podFootprint, type Footprint } from '../api/footprint';
import { filterNode, NodeInfo, scoreNode, type Rejection } from './schedplugins';
import { bindPodVolumes, volumeFilter, volumePreFilter } from './volumebinding';

const SCHEDULER = 'default-scheduler';

/** Pods this scheduler places: unbound, live, and naming it as their scheduler (as its informer filters). */
function waitsForUs(p: KObject): boolean {
  return !p.spec?.nodeName && !p.metadata.deletionTimestamp && isActivePod(p) && (p.spec?.schedulerName ?? SCHEDULER) === SCHEDULER;
}

/**
 * Whether a change since the last pass may make room for pods that did not fit: a node added, changed
 * or removed, or a pod bound to a node deleted or finished (noderesources fit.go
 * isSchedulableAfterPodEvent; an unbound pod's deletion frees nothing).
 */
function mayMakeRoom(state: State, since: number): boolean {
  if (state.changesSince(since, ['Node']).length) return true;
  // a claim bound or a volume made available (volumebinding.go's cluster events)
  if (state.changesSince(since, ['PersistentVolumeClaim', 'PersistentVolume']).length) return true;
  return state.changesSince(since, ['Pod']).some((c) => {
    if (!c.old?.spec?.nodeName || !isActivePod(c.old)) return false;
    const now = state.get('Pod', c.namespace, c.name);
    return !now || !isActivePod(now);
  });
}

/** "<count> <reason>" for each distinct reason, sorted as plain strings (types.go FitError.Error sortReasonsHistogram). */
function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/**
 * DefaultPreemption's PostFilter message (default_preemption.go PostFilter prefixes "preemption: ").
 * preemption.go Evaluator.Preempt: a pod with preemptionPolicy Never is not eligible; otherwise the
 * nodes a filter rejected as UnschedulableAndUnresolvable are left out of the dry run and get the
 * absent-node status "Preemption is not helpful for scheduling", and the dry run on the others
 * (SelectVictimsOnNode) finds no pod of lower priority to evict: kubesim has no PriorityClass
 * objects, so every pod it admits has priority 0 (the Priority admission plugin's default) and never
 * outranks another.
 */
function preemptionMessage(pod: KObject, numNodes: number, rejections: Rejection[]): string {
  if (pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const statuses = rejections.map((r) => (r.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod'));
  return `preemption: 0/${numNodes} nodes are available: ${histogram(statuses)}.`;
}

/**
 * (*FitError).Error() (pkg/scheduler/framework/types.go): "0/N nodes are available: " + the filter
 * reasons' histogram (or, when a PreFilter plugin rejected the pod, its message instead) + "." + " "
 * + the PostFilter message. With no nodes at all the scheduler fails before filtering, with
 * ErrNoNodesAvailable.
 */
export function fitErrorMessage(pod: KObject, numNodes: number, rejections: Rejection[], preFilterMsg?: string): string {
  if (numNodes === 0) return 'no nodes available to schedule pods';
  const filters = preFilterMsg ?? histogram(rejections.flatMap((r) => r.reasons));
  return `0/${numNodes} nodes are available: ${filters}. ${preemptionMessage(pod, numNodes, rejections)}`;
}

/** The feasible node to bind to: highest score, then fewest pods, then the seeded pick among equals. */
function pickNode(state: State, fp: Footprint, feasible: NodeInfo[]): NodeInfo {
  let best: NodeInfo[] = [];
  let bestScore = -1n;
  for (const info of feasible) {
    const s = scoreNode(fp, info);
    if (s > bestScore || (s === bestScore && info.pods < best[0].pods)) {
      best = [info];
      bestScore = s;
    } else if (s === bestScore && info.pods === best[0].pods) best.push(info);
  }
  return best[state.rand.int(best.length)];
}

/**
 * schedule_one.go handleSchedulingFailure: PodScheduled False / Unschedulable with the message (its
 * lastTransitionTime kept while the status stays False, as UpdatePodCondition does) and a
 * FailedScheduling event for every failed attempt (the recorder counts repeats).
 */
function recordFailure(state: State, pod: KObject, msg: string): void {
  const conditions: { type: string; status: string; lastTransitionTime?: string }[] = pod.status?.conditions ?? [];
  const old = conditions.find((c) => c.type === 'PodScheduled');
  const cond = {
    lastProbeTime: null,
    lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : rfc3339(),
    message: msg,
    reason: 'Unschedulable',
    status: 'False',
    type: 'PodScheduled',
  };
  // a new object with the changed parts copied (replace() sets its resourceVersion): the stored one
  // is never written through
  const others = conditions.filter((c) => c.type !== 'PodScheduled');
  const upd = { ...pod, metadata: { ...pod.metadata }, status: { ...pod.status, phase: 'Pending', conditions: [...others, cond], qosClass: pod.status?.qosClass ?? computePodQOS(pod) } };
  state.replace(upd);
  recordEvent(state, upd, 'Warning', 'FailedScheduling', msg, { component: SCHEDULER });
}

function bind(state: State, pod: KObject, node: KObject): void {
  const upd = { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec, nodeName: node.metadata.name } };
  state.replace(upd);
  recordEvent(state, upd, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`, { component: SCHEDULER });
}

export function schedule(state: State, since = 0): void {
  // the pods changed since the last pass, and those waiting for room when room may have been made
  const retry = mayMakeRoom(state, since) ? [...state.index('pods-unschedulable').entries()].map(([, key]) => key) : [];
  const pending = state.podsChanged(since, retry).filter(waitsForUs);
  if (pending.length === 0) return;
  const nodes = state.list('Node').sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  // the scheduler's cache: each node's pods' footprints, from the index rather than the pods
  const footprints = state.index('pod-footprint-by-node');
  const infos = nodes.map((n) => NodeInfo.fromIndex(n, footprints.members(n.metadata.name)));
  // the active queue's order (queuesort PrioritySort): higher priority first, then older
  const priority = (p: KObject) => (typeof p.spec?.priority === 'number' ? p.spec.priority : 0);
  pending.sort(
    (a, b) =>
      priority(b) - priority(a) ||
      cmp(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') ||
      Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
  );
  for (const pod of pending) {
    const fp = podFootprint(pod);
    const rejections: Rejection[] = [];
    const feasible: NodeInfo[] = [];
    // VolumeBinding's PreFilter: a rejection there holds for every node (all unresolvable)
    const volumes = volumePreFilter(state, pod);
    if (volumes && 'rejected' in volumes) {
      const all = nodes.map(() => ({ reasons: [], unresolvable: true }));
      recordFailure(state, pod, fitErrorMessage(pod, nodes.length, all, volumes.rejected));
      continue;
    }
    for (const info of infos) {
      // the filters in the default profile's order: VolumeBinding after the node and resource checks
      const r = filterNode(pod, fp, info) ?? volumeFilter(state, volumes, info.node);
      if (r) rejections.push(r);
      else feasible.push(info);
    }
    if (feasible.length === 0) {
      recordFailure(state, pod, fitErrorMessage(pod, nodes.length, rejections));
      continue;
    }
    const chosen = pickNode(state, fp, feasible);
    // assume the pod on its node at once, so the next pod of this pass sees it (cache.AssumePod)
    chosen.add(fp);
    bindPodVolumes(state, volumes, chosen.node);
    bind(state, pod, chosen.node);
  }
}
