// The kubelet, simulated on the cluster's clock. A pod bound to a Ready node gets a sandbox (an IP:
// the node's for hostNetwork pods, otherwise the lowest free address of the node's podCIDR, never
// one in use, Terminating pods' included), then its containers go through what a real node does,
// each step at its simulated time: init containers one by one, image pulls (ContainerCreating for
// the pull's duration; ErrImagePull and ImagePullBackOff on the image back-off), start, the
// process's own exit (program.ts), restarts on the restart back-off with CrashLoopBackOff between,
// probes, and the graceful stop of a deleted pod. The kubelet runs when a pod or node changes, and
// when a pod's next step falls due (catchUp in reconcile.ts moves every due pod to the present).
// The annotation kubesim.io/ready: "false" keeps a pod's containers running but not ready.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { isNodeReady } from '../api/nodeutil';
import { isActivePod } from '../api/podutil';
import { computePodQOS } from '../api/qos';
import { PodIPRange } from './ipam';
import { memoryOf, syncPod } from './kubelet/sync';
import { admissionFailure, rejectPod } from './kubelet/admit';

export { normalizeImage } from './kubelet-image';
export { READY_ANNOTATION } from './kubelet/sync';

export function runKubelet(state: State, since = 0): void {
  const nodes = new Map(state.list('Node').map((n) => [n.metadata.name, n]));
  const pods = state.podsToVisit(since);
  syncPods(state, pods, nodes);
}

/** The earliest moment a kubelet has work (a pod's next step). */
export function nextKubeletDue(state: State): number | undefined {
  let due: number | undefined;
  for (const m of Object.values(state.runtime().kubelet ?? {})) if (m.due !== undefined && (due === undefined || m.due < due)) due = m.due;
  return due;
}

/** The pods whose next step is due by now (a pull ends, a process exits, a back-off ends …), moved to the present. */
export function runDueKubelets(state: State, now: number): boolean {
  const rt = state.runtime();
  const due: KObject[] = [];
  for (const [uid, m] of Object.entries(rt.kubelet ?? {})) {
    if (m.due === undefined || m.due > now) continue;
    const pod = state.get('Pod', m.ns, m.name);
    if (pod && pod.metadata.uid === uid) due.push(pod);
    else delete rt.kubelet[uid];
  }
  if (!due.length) return false;
  state.runtime(true);
  syncPods(state, due, new Map(state.list('Node').map((n) => [n.metadata.name, n])));
  // a pod whose node is gone or not Ready waits for the node (a node's change visits every pod)
  for (const m of Object.values(rt.kubelet ?? {})) if (m.due !== undefined && m.due <= now) delete m.due;
  return true;
}

function syncPods(state: State, pods: KObject[], nodes: Map<string, KObject>): void {
  // node → pod IPs in use, across the cluster (the index), not only the pods this pass looks at
  const ranges = new Map<string, PodIPRange>();
  const rangeOf = (node: KObject) => {
    const name = node.metadata.name;
    if (!ranges.has(name)) {
      const inUse = new Set([...state.index('pods-by-node').members(name).values()].filter((ip) => ip !== ''));
      ranges.set(name, new PodIPRange(String(node.spec?.podCIDR ?? ''), inUse));
    }
    return ranges.get(name)!;
  };
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) continue;
    if (!isActivePod(pod) && !pod.metadata.deletionTimestamp && !memoryOf(state, pod)) continue;
    const node = nodes.get(nodeName);
    if (!node || !isNodeReady(node)) continue;
    const starting = !(pod.status?.podIP || pod.metadata.deletionTimestamp || !isActivePod(pod));
    // a pod new to the node is admitted first (lifecycle/predicate.go): one that does not fit is Failed
    const refused = starting && !pod.status?.startTime ? admissionFailure(state, pod, node) : undefined;
    if (refused) {
      rejectPod(state, pod, refused);
      continue;
    }
    const withSandbox = !starting ? pod : createSandbox(state, pod, node, rangeOf(node));
    if (withSandbox) syncPod(state, withSandbox, node);
  }
}

/** Gives the pod its IP and the conditions of a started sandbox. */
function createSandbox(state: State, pod: KObject, node: KObject, range: PodIPRange): KObject | undefined {
  const nodeIP = (node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address;
  let ip: string | undefined;
  if (pod.spec.hostNetwork) ip = nodeIP;
  else {
    ip = range.take();
    if (!ip) return undefined; // the node's range is exhausted: the pod stays Pending
  }
  const upd = clone(pod);
  upd.status = { ...(upd.status ?? {}), hostIP: nodeIP, hostIPs: [{ ip: nodeIP }], phase: 'Pending', podIP: ip, podIPs: [{ ip }], qosClass: computePodQOS(pod), startTime: rfc3339() };
  state.replace(upd);
  return state.get('Pod', pod.metadata.namespace, pod.metadata.name);
}
