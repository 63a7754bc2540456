// kube-scheduler 1.32, reduced to what a lab shows: the default profile's filters (schedplugins.ts,
// then PodTopologySpread and InterPodAffinity) over every node, the feasible node with the best
// weighted score (ties broken by the seeded generator), and on failure DefaultPreemption
// (preemption.ts) and the FitError message as the FailedScheduling event and the PodScheduled
// condition carry it. Pods that did not fit wait in the 'pods-unschedulable' index and are tried
// again when a bound pod goes or finishes or a node changes, those with pod affinity also when a pod
// is bound (the scheduling queue's moveAllToActiveOrBackoffQueue on those cluster events).
import { cmp } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { recordEvent, refTo, type EventExtras } from './events';
import { rfc3339 } from '../util/clock';
import { isActivePod } from '../api/podutil';
import { computePodQOS } from '../api/qos';
import { podFootprint, type Footprint } from '../api/footprint';
import { NodeInfo, nodeAffinityScores, podPriority, resourceScore, taintScores, type Rejection } from './schedplugins';
import { affinityPreFilter, affinityScores, type ClusterView } from './interpodaffinity';
import { spreadPreFilter, spreadScores } from './topologyspread';
import { filterWithNominatedPods } from './nominated';
import { histogram, preempt } from './preemption';
import { clone } from '../util/compare';
import { deleteObject } from '../apiserver/registry';
import { resourceByKind } from '../api/resources';
import { bindPodVolumes, volumeFilter, volumePreFilter } from './volumebinding';
import { imageLocalityScore } from './imagelocality';
import { onlyImagesChanged } from './kubelet/imagestore';

const SCHEDULER = 'default-scheduler';

/**
 * The scheduler's events go through the events/v1 recorder (fwk.EventRecorder()): its
 * reportingInstance is "default-scheduler-" + the hostname of the kube-scheduler (a host-network
 * static pod on the control plane: its node's name), and each Eventf names an action (schedule_one.go
 * "Scheduling" / "Binding", preemption.go "Preempting").
 */
function schedulerInstance(state: State): string {
  const pod = state.list('Pod', 'kube-system').find((p) => p.metadata.labels?.component === 'kube-scheduler' && p.spec?.nodeName);
  const host = pod?.spec?.nodeName ?? state.list('Node').find((n) => Object.hasOwn(n.metadata.labels ?? {}, 'node-role.kubernetes.io/control-plane'))?.metadata.name;
  return host ? `${SCHEDULER}-${host}` : '';
}

/** The instance, looked up once per pass (schedule() forgets it) rather than by a list of kube-system's pods for each event. */
const instanceOfPass = new WeakMap<State, string>();

function schedulerEvent(state: State, action: string, related?: KObject): EventExtras {
  let instance = instanceOfPass.get(state);
  if (instance === undefined) instanceOfPass.set(state, (instance = schedulerInstance(state)));
  return { action, reportingInstance: instance, ...(related ? { related: refTo(related) } : {}) };
}

/** Pods this scheduler places: unbound, live, and naming it as their scheduler (as its informer filters). */
function waitsForUs(p: KObject): boolean {
  return !p.spec?.nodeName && !p.metadata.deletionTimestamp && isActivePod(p) && (p.spec?.schedulerName ?? SCHEDULER) === SCHEDULER;
}

/**
 * Whether a change since the last pass may make room for pods that did not fit: a node added, changed
 * or removed, or a pod bound to a node deleted or finished (noderesources fit.go
 * isSchedulableAfterPodEvent; an unbound pod's deletion frees nothing).
 */
function mayMakeRoom(state: State, since: number): 'all' | 'affinity' | false {
  // a node's image list is no scheduling property (eventhandlers.go nodeSchedulingPropertiesChange)
  if (state.changesSince(since, ['Node']).some((c) => !onlyImagesChanged(c.old, state.get('Node', undefined, c.name)))) return 'all';
  // a claim bound or a volume made available (volumebinding.go's cluster events)
  if (state.changesSince(since, ['PersistentVolumeClaim', 'PersistentVolume']).length) return 'all';
  let bound = false;
  for (const c of state.changesSince(since, ['Pod'])) {
    const now = state.get('Pod', c.namespace, c.name);
    // a pod newly bound may be the one a pending pod's affinity waits for (interpodaffinity
    // plugin.go isSchedulableAfterPodChange)
    if (now?.spec?.nodeName && !c.old?.spec?.nodeName) bound = true;
    if (c.old?.spec?.nodeName && isActivePod(c.old) && (!now || !isActivePod(now))) return 'all';
  }
  return bound ? 'affinity' : false;
}

/** The waiting pods a pass tries again: all of them, or those whose pod affinity a newly bound pod may satisfy. */
function retryKeys(state: State, since: number): string[] {
  const why = mayMakeRoom(state, since);
  if (!why) return [];
  const keys = [...state.index('pods-unschedulable').entries()].map(([, key]) => key);
  if (why === 'all') return keys;
  return keys.filter((key) => {
    const [ns, name] = key.split('/');
    return !!state.get('Pod', ns, name)?.spec?.affinity?.podAffinity;
  });
}

/**
 * (*FitError).Error() (pkg/scheduler/framework/types.go): "0/N nodes are available: " + the filter
 * reasons' histogram (or, when a PreFilter plugin rejected the pod, its message instead) + "." and,
 * when DefaultPreemption's PostFilter found no way (default_preemption.go prefixes "preemption: "),
 * " " + its message; a pod it nominated a node for gets no PostFilter message. With no nodes at all
 * the scheduler fails before filtering, with ErrNoNodesAvailable.
 */
export function fitErrorMessage(numNodes: number, rejections: Rejection[], postFilterMsg: string, preFilterMsg?: string): string {
  if (numNodes === 0) return 'no nodes available to schedule pods';
  const filters = preFilterMsg ?? histogram(rejections.flatMap((r) => r.reasons));
  return `0/${numNodes} nodes are available: ${filters}.` + (postFilterMsg ? ` preemption: ${postFilterMsg}` : '');
}

/** A PreFilter rejection holds for every node: preemption cannot help anywhere (preemption.go). */
function preFilterFailure(pod: KObject, numNodes: number): string {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  return `0/${numNodes} nodes are available: ${numNodes} Preemption is not helpful for scheduling.`;
}

/**
 * prepareCandidate: each victim gets the DisruptionTarget condition, is deleted with its grace period
 * and has a Preempted event, regarding the victim as the scheduler saw it and related to the
 * preemptor (preemption.go: Eventf(victim, pod, Normal, "Preempted", "Preempting", ...)); then the
 * pod is nominated to the node.
 */
function evictVictims(state: State, pod: KObject, node: KObject, victims: KObject[]): void {
  for (const v of victims) {
    const upd = clone(v);
    const conditions = ((upd.status ??= {}).conditions ??= []) as { type: string }[];
    const cond = { lastProbeTime: null, lastTransitionTime: rfc3339(), message: `${pod.spec?.schedulerName ?? SCHEDULER}: preempting to accommodate a higher priority pod`, reason: 'PreemptionByScheduler', status: 'True', type: 'DisruptionTarget' };
    const i = conditions.findIndex((c) => c.type === 'DisruptionTarget');
    if (i >= 0) conditions[i] = cond;
    else conditions.push(cond);
    state.replace(upd);
    const ns = v.metadata.namespace;
    recordEvent(state, v, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${node.metadata.name}`, { component: SCHEDULER }, undefined, 1, schedulerEvent(state, 'Preempting', pod));
    if (!v.metadata.deletionTimestamp) deleteObject(state, resourceByKind('Pod'), ns, v.metadata.name);
  }
}

/**
 * The feasible node to bind to: the highest weighted sum of the default profile's scores, each
 * plugin's already normalised to 0..100 by its NormalizeScore (default_plugins.go: TaintToleration 3,
 * NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1,
 * NodeResourcesBalancedAllocation 1, ImageLocality 1 from the nodes' status.images), and among
 * equal sums the seeded generator's pick: schedule_one.go selectHost samples the nodes with the top
 * score uniformly (reservoir sampling); one draw from state.rand per decision keeps it reproducible
 * under KUBESIM_SEED. Spreading comes from the scores themselves (LeastAllocated's non-zero default
 * requests, PodTopologySpread's default constraints), not from a pod count.
 */
function pickNode(state: State, pod: KObject, fp: Footprint, feasible: NodeInfo[], view: ClusterView): NodeInfo {
  const taint = taintScores(pod, feasible);
  const nodeAffinity = nodeAffinityScores(pod, feasible);
  const spread = spreadScores(pod, view, feasible, () => workloadsOf(state, pod.metadata.namespace ?? 'default'));
  const podAffinity = affinityScores(pod, view, feasible);
  let best: NodeInfo[] = [];
  let bestScore = -1;
  feasible.forEach((info, i) => {
    const s = resourceScore(fp, info) + 3 * taint[i] + 2 * nodeAffinity[i] + 2 * spread[i] + 2 * podAffinity[i] + imageLocalityScore(pod, info, view.infos);
    if (s > bestScore) {
      best = [info];
      bestScore = s;
    } else if (s === bestScore) best.push(info);
  });
  return best[state.rand.int(best.length)];
}

/** The waiting pods a preemption nominated a node for, by node (the scheduling queue's PodNominator). */
function nominatedPods(state: State): Map<string, KObject[]> {
  const out = new Map<string, KObject[]>();
  for (const [, key] of state.index('pods-unschedulable').entries()) {
    const [ns, name] = key.split('/');
    const p = state.get('Pod', ns, name);
    const node = p?.status?.nominatedNodeName;
    if (!p || !node || p.spec?.nodeName) continue;
    out.set(node, [...(out.get(node) ?? []), p]);
  }
  return out;
}

/**
 * The nominator kept up to date within a pass, as the scheduler does at once: a pod nominated by its
 * preemption (handleSchedulingFailure's AddNominatedPod), or bound or with its nomination cleared
 * (assume's DeleteNominatedPodIfExists), is counted from the next pod on.
 */
function renominate(byNode: Map<string, KObject[]>, pod: KObject, node?: string): void {
  for (const [name, pods] of byNode) {
    const rest = pods.filter((p) => p.metadata.uid !== pod.metadata.uid);
    if (rest.length !== pods.length) byNode.set(name, rest);
  }
  if (node) byNode.set(node, [...(byNode.get(node) ?? []), pod]);
}

/** What selects pods for the default spreading (helper.DefaultSelector's listers; kubesim has no ReplicationController kind). */
function workloadsOf(state: State, ns: string): KObject[] {
  return ['Service', 'ReplicaSet', 'StatefulSet'].flatMap((k) => state.list(k, ns));
}

/**
 * The scheduler's snapshot of the pods on each node, read from the store only when a plugin needs
 * them (a pod with affinity or spreading, or pods with affinity on the nodes), plus those assumed
 * this pass.
 */
function clusterView(state: State, infos: NodeInfo[]): ClusterView {
  const stored = new Map<NodeInfo, KObject[]>();
  const byName = new Map(infos.map((i) => [i.node.metadata.name, i]));
  const get = (key: string) => {
    const [ns, name] = key.split('/');
    return state.get('Pod', ns, name);
  };
  const hasAffinity = (p: KObject) => !!(p.spec?.affinity?.podAffinity || p.spec?.affinity?.podAntiAffinity);
  return {
    infos,
    podsOn(info) {
      let pods = stored.get(info);
      if (!pods) stored.set(info, (pods = info.podKeys.map(get).filter((p): p is KObject => !!p)));
      return [...pods, ...info.assumed];
    },
    podsWithAffinity() {
      const out: [KObject, NodeInfo][] = [];
      for (const [node, key] of state.index('pods-with-affinity').entries()) {
        const p = get(key);
        const info = byName.get(node);
        if (p && info) out.push([p, info]);
      }
      for (const info of infos) for (const p of info.assumed) if (hasAffinity(p)) out.push([p, info]);
      return out;
    },
    nsLabels: (ns) => state.get('Namespace', undefined, ns)?.metadata.labels ?? {},
  };
}

/**
 * schedule_one.go handleSchedulingFailure: PodScheduled False / Unschedulable with the message (its
 * lastTransitionTime kept while the status stays False, as UpdatePodCondition does) and a
 * FailedScheduling event for every failed attempt (the recorder counts repeats).
 */
function recordFailure(state: State, pod: KObject, msg: string, nominatedNodeName?: string | null): void {
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
  const status = { ...pod.status, phase: 'Pending', conditions: [...others, cond], qosClass: pod.status?.qosClass ?? computePodQOS(pod) };
  // the nominating info of a preemption (handleSchedulingFailure's updatePod), or its clearing
  if (nominatedNodeName) status.nominatedNodeName = nominatedNodeName;
  else if (nominatedNodeName === null) delete status.nominatedNodeName;
  const upd = { ...pod, metadata: { ...pod.metadata }, status };
  state.replace(upd);
  recordEvent(state, upd, 'Warning', 'FailedScheduling', msg, { component: SCHEDULER }, undefined, 1, schedulerEvent(state, 'Scheduling'));
}

function bind(state: State, pod: KObject, node: KObject): void {
  const upd = { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec, nodeName: node.metadata.name } };
  state.replace(upd);
  recordEvent(state, upd, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`, { component: SCHEDULER }, undefined, 1, schedulerEvent(state, 'Binding'));
}

export function schedule(state: State, since = 0): void {
  instanceOfPass.delete(state);
  // the pods changed since the last pass, and those waiting for room when room may have been made
  const retry = retryKeys(state, since);
  const pending = state.podsChanged(since, retry).filter(waitsForUs);
  if (pending.length === 0) return;
  const nodes = state.list('Node').sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  // the scheduler's cache: each node's pods' footprints, from the index rather than the pods
  const footprints = state.index('pod-footprint-by-node');
  const infos = nodes.map((n) => NodeInfo.fromIndex(n, footprints.members(n.metadata.name)));
  const view = clusterView(state, infos);
  const nominatedByNode = nominatedPods(state);
  // the active queue's order (queuesort PrioritySort): higher priority first, then older
  const priority = podPriority;
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
      recordFailure(state, pod, fitErrorMessage(nodes.length, [], preFilterFailure(pod, nodes.length), volumes.rejected));
      continue;
    }
    // the filters in the default profile's order: VolumeBinding after the node and resource
    // checks, then PodTopologySpread and InterPodAffinity; all of them also with the pods of at
    // least this priority nominated to the node counted (nominated.ts)
    const pre = { spread: spreadPreFilter(pod, view), affinity: affinityPreFilter(pod, view), volumes: (info: NodeInfo) => volumeFilter(state, volumes, info.node) };
    for (const info of infos) {
      const r = filterWithNominatedPods(pod, fp, info, nominatedByNode.get(info.node.metadata.name) ?? [], pre, view);
      if (r) rejections.push(r);
      else feasible.push(info);
    }
    if (feasible.length === 0) {
      const r = nodes.length ? preempt(state, pod, fp, view, rejections, nominatedByNode) : { message: '' };
      if ('message' in r) {
        const clear = 'clearNomination' in r && r.clearNomination;
        recordFailure(state, pod, fitErrorMessage(nodes.length, rejections, r.message), clear ? null : undefined);
        if (clear) renominate(nominatedByNode, pod);
      } else {
        evictVictims(state, pod, r.nominate.node, r.victims);
        const upd = state.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
        recordFailure(state, upd, fitErrorMessage(nodes.length, rejections, ''), r.nominate.node.metadata.name);
        renominate(nominatedByNode, state.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? upd, r.nominate.node.metadata.name);
      }
      continue;
    }
    // a pod nominated by an earlier preemption goes to that node if it fits (evaluateNominatedNode)
    const nominated = feasible.find((i) => i.node.metadata.name === pod.status?.nominatedNodeName);
    const chosen = nominated ?? pickNode(state, pod, fp, feasible, view);
    // assume the pod on its node at once, so the next pod of this pass sees it (cache.AssumePod)
    chosen.add(fp);
    chosen.assumed.push({ ...pod, spec: { ...pod.spec, nodeName: chosen.node.metadata.name } });
    bindPodVolumes(state, volumes, chosen.node);
    bind(state, pod, chosen.node);
    renominate(nominatedByNode, pod);
  }
}
