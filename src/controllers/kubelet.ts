// The kubelet, simulated: a pod bound to a Ready node gets an IP (the node's for hostNetwork pods,
// otherwise the lowest free address of the node's podCIDR, never one in use), its containers start at
// once and it turns Running and Ready. The annotation kubesim.io/ready: "false" keeps a pod's
// containers running but not ready, so labs can show notReadyAddresses.
import { clone } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { nodeStatus } from '../printers/columns';
import { recordEvent } from './events';
import { isActivePod, qosClass } from './scheduler';
import { podIPFor } from './ipam';

export const READY_ANNOTATION = 'kubesim.io/ready';

/** docker.io/library/nginx:latest for "nginx", as the container runtime reports the image. */
export function normalizeImage(image: string): string {
  let ref = image;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (slash < 0) ref = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') ref = `docker.io/${ref}`;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  if (!last.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

function hexFrom(state: State, n: number): string {
  return state.rand.hex(n);
}

function podWantsReady(pod: KObject): boolean {
  return pod.metadata.annotations?.[READY_ANNOTATION] !== 'false';
}

export function runKubelet(state: State): void {
  const nodes = new Map(state.list('Node').map((n) => [n.metadata.name, n]));
  const pods = state.list('Pod');
  const used = new Map<string, Set<string>>(); // node → pod IPs in use
  for (const p of pods) {
    const ip = p.status?.podIP;
    if (ip && p.spec?.nodeName && !p.spec.hostNetwork && isActivePod(p)) {
      if (!used.has(p.spec.nodeName)) used.set(p.spec.nodeName, new Set());
      used.get(p.spec.nodeName)!.add(ip);
    }
  }
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || pod.metadata.deletionTimestamp || !isActivePod(pod)) continue;
    const node = nodes.get(nodeName);
    if (!node || nodeStatus(node).split(',')[0] !== 'Ready') continue;
    if (pod.status?.phase === 'Running') {
      syncReadiness(state, pod);
      continue;
    }
    startPod(state, pod, node, used);
  }
}

function startPod(state: State, pod: KObject, node: KObject, used: Map<string, Set<string>>): void {
  const nodeIP = (node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address;
  let ip: string | undefined;
  if (pod.spec.hostNetwork) ip = nodeIP;
  else {
    const inUse = used.get(node.metadata.name) ?? new Set<string>();
    used.set(node.metadata.name, inUse);
    ip = podIPFor(node.spec.podCIDR, inUse);
    if (!ip) return; // the node's range is exhausted: the pod stays ContainerCreating-less Pending
    inUse.add(ip);
  }
  const now = rfc3339();
  const ready = podWantsReady(pod);
  const cond = (type: string, status: boolean) => ({ lastProbeTime: null, lastTransitionTime: now, status: status ? 'True' : 'False', type });
  const upd = clone(pod);
  const containers: { name: string; image: string }[] = pod.spec.containers ?? [];
  upd.status = {
    conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
    containerStatuses: containers.map((c) => ({
      containerID: `containerd://${hexFrom(state, 64)}`,
      image: normalizeImage(c.image),
      imageID: `${normalizeImage(c.image).replace(/:[^:/]+$/, '')}@sha256:${hexFrom(state, 64)}`,
      lastState: {},
      name: c.name,
      ready,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: now } },
    })),
    hostIP: nodeIP,
    hostIPs: [{ ip: nodeIP }],
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    qosClass: qosClass(pod),
    startTime: now,
  };
  if (!ready) {
    const notReady = containers.map((c) => c.name).join(' ');
    for (const c of upd.status.conditions) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') {
        c.reason = 'ContainersNotReady';
        c.message = `containers with unready status: [${notReady}]`;
      }
    }
  }
  state.replace(upd);
  const src = { component: 'kubelet', host: node.metadata.name };
  for (const c of containers) {
    if (!pod.metadata.ownerReferences?.some((o: { kind: string }) => o.kind === 'Node')) {
      recordEvent(state, upd, 'Normal', 'Pulling', `Pulling image "${c.image}"`, src);
      recordEvent(state, upd, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.021s (1.021s including waiting). Image size: 72195292 bytes.`, src);
    } else {
      recordEvent(state, upd, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, src);
    }
    recordEvent(state, upd, 'Normal', 'Created', `Created container: ${c.name}`, src);
    recordEvent(state, upd, 'Normal', 'Started', `Started container ${c.name}`, src);
  }
}

/** Readiness follows the kubesim.io/ready annotation on a running pod. */
function syncReadiness(state: State, pod: KObject): void {
  const want = podWantsReady(pod);
  const readyCond = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (!readyCond || (readyCond.status === 'True') === want) return;
  const upd = clone(pod);
  const now = rfc3339();
  const names = (pod.spec.containers ?? []).map((c: { name: string }) => c.name).join(' ');
  for (const c of upd.status.conditions) {
    if (c.type === 'Ready' || c.type === 'ContainersReady') {
      c.status = want ? 'True' : 'False';
      c.lastTransitionTime = now;
      if (want) {
        delete c.reason;
        delete c.message;
      } else {
        c.reason = 'ContainersNotReady';
        c.message = `containers with unready status: [${names}]`;
      }
    }
  }
  for (const cs of upd.status.containerStatuses ?? []) cs.ready = want;
  state.replace(upd);
  if (!want) recordEvent(state, upd, 'Warning', 'Unhealthy', 'Readiness probe failed: marked not ready by kubesim.io/ready=false', { component: 'kubelet', host: pod.spec.nodeName });
}
