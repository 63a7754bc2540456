// The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go Admit,
// generalFilter → scheduler.AdmissionCheck): a pod placed by spec.nodeName, which no scheduler saw,
// is refused when the node lacks the resources it requests, its node selector / required node
// affinity or host ports do not fit, or it does not tolerate a NoExecute taint; the first failure
// is the pod's reason (OutOf<resource>, or the predicate's name), and rejectPod makes it Failed with
// "Pod was rejected: <message>" and a Warning event of that reason.
import type { KObject } from '../../api/types';
import { podFootprint } from '../../api/footprint';
import { matchesNodeSelectorAndAffinity } from '../../api/nodeaffinity';
import { computePodQOS } from '../../api/qos';
import type { State } from '../../store/state';
import { filterNode, NodeInfo, tolerates, type Taint } from '../schedplugins';
import { recordEvent } from '../events';

const RESOURCE_ORDER = ['cpu', 'memory', 'ephemeral-storage'];

/** The reason and message of the first failure, or undefined when the pod may run here. */
export function admissionFailure(state: State, pod: KObject, node: KObject): { reason: string; message: string } | undefined {
  const self = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const others = new Map([...state.index('pod-footprint-by-node').members(node.metadata.name)].filter(([k]) => k !== self));
  const info = NodeInfo.fromIndex(node, others);
  const fp = podFootprint(pod);
  // noderesources.Fits: InsufficientResourceError, pods first
  const podsCap = Number(info.allocatable.get('pods') ?? 0n);
  if (info.pods + 1 > podsCap) return insufficient('pods', 1n, BigInt(info.pods), BigInt(podsCap));
  const names = [...RESOURCE_ORDER, ...[...fp.requests.keys()].filter((n) => !RESOURCE_ORDER.includes(n)).sort()];
  for (const name of names) {
    const want = fp.requests.get(name) ?? 0n;
    const used = info.requested.get(name) ?? 0n;
    const cap = info.allocatable.get(name) ?? 0n;
    if (want > 0n && want > cap - used) return insufficient(name, want, used, cap);
  }
  if (!matchesNodeSelectorAndAffinity(pod, node)) return predicate('NodeAffinity', "node(s) didn't match Pod's node affinity/selector");
  if (filterNode(pod, fp, info)?.reasons.includes("node(s) didn't have free ports for the requested pod ports")) {
    return predicate('NodePorts', "node(s) didn't have free ports for the requested pod ports");
  }
  const taints = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
  if (taints.some((t) => !tolerates(pod.spec?.tolerations ?? [], t))) return predicate('TaintToleration', "node(s) had taints that the pod didn't tolerate");
  return undefined;
}

/** InsufficientResourceError */
const insufficient = (name: string, requested: bigint, used: bigint, capacity: bigint) => ({
  reason: `OutOf${name}`,
  message: `Node didn't have enough resource: ${name}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
});
/** PredicateFailureError */
const predicate = (name: string, desc: string) => ({ reason: name, message: `Predicate ${name} failed: ${desc}` });

/** rejectPod: Failed with the reason, the message prefixed, and a Warning event. */
export function rejectPod(state: State, pod: KObject, r: { reason: string; message: string }): void {
  const upd = { ...pod, status: { phase: 'Failed', qosClass: pod.status?.qosClass ?? computePodQOS(pod), reason: r.reason, message: `Pod was rejected: ${r.message}` } };
  state.replace(upd);
  recordEvent(state, state.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? upd, 'Warning', r.reason, r.message, { component: 'kubelet', host: pod.spec?.nodeName });
}
