// The scheduler framework's filter run with the pods nominated to a node counted there
// (pkg/scheduler/framework/runtime/framework.go RunFilterPluginsWithNominatedPods and
// addGENominatedPods, 1.32): when pods of at least the incoming pod's priority (other than itself)
// are nominated to the node, every filter runs first with them added to the node and to the
// PreFilter states (PodTopologySpread's and InterPodAffinity's AddPod extensions), then, if that
// passes, again without them; the node passes only if both do. The first run's rejection is the
// node's status. Resources and anti-affinity are more likely to fail with the nominated pods
// counted, pod affinity without them: the decision is the conservative one.
import type { KObject } from '../api/types';
import { podFootprint, type Footprint } from '../api/footprint';
import { filterNode, podPriority, type NodeInfo, type Rejection } from './schedplugins';
import { affinityAddPods, affinityFilter, type AffinityState, type ClusterView } from './interpodaffinity';
import { spreadAddPods, spreadFilter, type SpreadState } from './topologyspread';

/** The cycle's PreFilter results, and the filters between the node-level ones and the topology ones (VolumeBinding). */
export interface PreFilterStates {
  spread?: SpreadState;
  affinity?: AffinityState;
  volumes?: (info: NodeInfo) => Rejection | undefined;
}

/** addGENominatedPods: the nominated pods that count, those of at least the pod's priority, not itself. */
export function nominatedThatCount(pod: KObject, nominated: readonly KObject[]): KObject[] {
  return nominated.filter((p) => p.metadata.uid !== pod.metadata.uid && podPriority(p) >= podPriority(pod));
}

/** RunFilterPluginsWithNominatedPods over one node; `nominated` are the pods nominated to it. */
export function filterWithNominatedPods(pod: KObject, fp: Footprint, info: NodeInfo, nominated: readonly KObject[], pre: PreFilterStates, view: ClusterView): Rejection | undefined {
  const run = (node: NodeInfo, spread: SpreadState | undefined, affinity: AffinityState | undefined) =>
    filterNode(pod, fp, node) ?? pre.volumes?.(node) ?? spreadFilter(spread, pod, node) ?? affinityFilter(affinity, node);
  const added = nominatedThatCount(pod, nominated);
  if (added.length) {
    const r = run(info.with(added.map(podFootprint)), spreadAddPods(pre.spread, pod, added, info), affinityAddPods(pre.affinity, pod, added, info, view));
    if (r) return r;
  }
  return run(info, pre.spread, pre.affinity);
}
