// The kubelet, simulated: a pod bound to a Ready node gets a sandbox (an IP: the node's for
// hostNetwork pods, otherwise the lowest free address of the node's podCIDR, never one in use), then
// its containers are pulled and started at once, by the image rule of images.ts. A container whose
// image cannot be pulled waits in ErrImagePull, then ImagePullBackOff on the next command, and so on,
// as the kubelet's back-off alternates. Changing a container's image restarts it. The annotation
// kubesim.io/ready: "false" keeps a pod's containers running but not ready (for notReadyAddresses).
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { isNodeReady } from '../api/nodeutil';
import { recordEvent, type EventSource } from './events';
import { pullImage } from './images';
import { normalizeImage } from './kubelet-image';
import { isActivePod } from '../api/podutil';
import { computePodQOS } from '../api/qos';
import { PodIPRange } from './ipam';
import { servicesAtStart } from '../network/env';
import { appendLog, startupLog } from '../network/apps';

export { normalizeImage } from './kubelet-image';
export const READY_ANNOTATION = 'kubesim.io/ready';

/** Pods whose image pulls this process already tried: one attempt per pod per command. */
const triedThisCommand = new Set<string>();

interface ContainerSpec {
  name: string;
  image: string;
}

function podWantsReady(pod: KObject): boolean {
  return pod.metadata.annotations?.[READY_ANNOTATION] !== 'false';
}

/**
 * The pods a kubelet pass looks at: those changed since its last pass, those waiting on an image
 * pull (retried every command), and, when a node changed, every pod (it may have come back).
 */
function podsToSync(state: State, since: number): KObject[] {
  return state.podsToVisit(since, [...state.index('pods-pulling').entries()].map(([, k]) => k));
}

export function runKubelet(state: State, since = 0): void {
  const nodes = new Map(state.list('Node').map((n) => [n.metadata.name, n]));
  const pods = podsToSync(state, since);
  // node → pod IPs in use, across the cluster (the index), not only the pods this command looks at
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
    if (!nodeName || pod.metadata.deletionTimestamp || !isActivePod(pod)) continue;
    const node = nodes.get(nodeName);
    if (!node || !isNodeReady(node)) continue;
    const withSandbox = pod.status?.podIP ? pod : createSandbox(state, pod, node, rangeOf(node));
    if (withSandbox) syncContainers(state, withSandbox, node);
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

function running(cs: KObject['status']): boolean {
  return !!cs?.state?.running;
}

/** Brings each container to its spec: started, restarted on an image change, or waiting on a failed pull. */
function syncContainers(state: State, pod: KObject, node: KObject): void {
  const src: EventSource = { component: 'kubelet', host: node.metadata.name };
  const staticPod = (pod.metadata.ownerReferences ?? []).some((o: { kind: string }) => o.kind === 'Node');
  const now = rfc3339();
  const upd = clone(pod);
  const old = new Map<string, KObject["status"]>((upd.status?.containerStatuses ?? []).map((cs: { name: string }) => [cs.name, cs]));
  const events: [string, string, string][] = [];
  const tried = triedThisCommand.has(pod.metadata.uid as string);
  const started: ContainerSpec[] = [];
  const statuses = ((pod.spec.containers ?? []) as ContainerSpec[]).map((c) => {
    const cs = old.get(c.name);
    const image = normalizeImage(c.image);
    if (cs && cs.image === image && running(cs)) return cs;
    const waitingOnPull = cs && cs.image === image && ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'].includes(cs.state?.waiting?.reason);
    if (waitingOnPull && tried) return cs;
    const pull = pullImage(c.image);
    if (pull.ok) {
      if (cs && running(cs)) events.push(['Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`]);
      if (staticPod) events.push(['Normal', 'Pulled', `Container image "${c.image}" already present on machine`]);
      else {
        events.push(['Normal', 'Pulling', `Pulling image "${c.image}"`]);
        events.push(['Normal', 'Pulled', `Successfully pulled image "${c.image}" in 1.021s (1.021s including waiting). Image size: 72195292 bytes.`]);
      }
      events.push(['Normal', 'Created', `Created container: ${c.name}`]);
      events.push(['Normal', 'Started', `Started container ${c.name}`]);
      const restarted = cs && running(cs);
      started.push(c);
      return {
        containerID: `containerd://${state.rand.hex(64)}`,
        image,
        imageID: `${image.replace(/:[^:/]+$/, '')}@sha256:${state.rand.hex(64)}`,
        lastState: restarted ? { terminated: { containerID: cs.containerID, exitCode: 0, finishedAt: now, reason: 'Completed', startedAt: cs.state.running.startedAt } } : (cs?.lastState ?? {}),
        name: c.name,
        ready: false,
        restartCount: (cs?.restartCount ?? 0) + (restarted ? 1 : 0),
        started: true,
        state: { running: { startedAt: now } },
      };
    }
    triedThisCommand.add(pod.metadata.uid as string);
    let reason: string = pull.reason;
    let message = pull.message;
    if (pull.reason === 'InvalidImageName') {
      events.push(['Warning', 'InspectFailed', pull.message]);
      events.push(['Warning', 'Failed', 'Error: InvalidImageName']);
    } else if (waitingOnPull && cs.state.waiting.reason === 'ErrImagePull') {
      reason = 'ImagePullBackOff';
      message = `Back-off pulling image "${c.image}"`;
      events.push(['Normal', 'BackOff', message]);
      events.push(['Warning', 'Failed', 'Error: ImagePullBackOff']);
    } else {
      events.push(['Normal', 'Pulling', `Pulling image "${c.image}"`]);
      events.push(['Warning', 'Failed', `Failed to pull image "${c.image}": ${pull.message}`]);
      events.push(['Warning', 'Failed', 'Error: ErrImagePull']);
    }
    return { image, imageID: '', lastState: cs?.lastState ?? {}, name: c.name, ready: false, restartCount: cs?.restartCount ?? 0, started: false, state: { waiting: { message, reason } } };
  });
  const allRunning = statuses.every((cs) => running(cs));
  const ready = allRunning && podWantsReady(pod);
  for (const cs of statuses) if (running(cs)) cs.ready = ready;
  upd.status.containerStatuses = statuses;
  upd.status.phase = allRunning ? 'Running' : 'Pending';
  upd.status.conditions = conditions(pod, ready, statuses.filter((cs) => !cs.ready).map((cs) => cs.name), now);
  if (state.replace(upd)) {
    const stored = state.get('Pod', pod.metadata.namespace, pod.metadata.name)!;
    if (started.length) recordStart(state, stored, started);
    for (const [type, reason, message] of events) recordEvent(state, stored, type as 'Normal' | 'Warning', reason, message, src);
    if (!podWantsReady(pod) && allRunning && podWasReady(pod)) {
      recordEvent(state, stored, 'Warning', 'Unhealthy', 'Readiness probe failed: marked not ready by kubesim.io/ready=false', src);
    }
  }
}

/** What the container runtime remembers of a start: the environment it was given and the first log lines. */
function recordStart(state: State, pod: KObject, started: ContainerSpec[]): void {
  const rt = state.runtime(true);
  const uid = pod.metadata.uid as string;
  const env = servicesAtStart(state, pod);
  const envs = (rt.env[uid] ??= {});
  for (const c of started) {
    envs[c.name] = env;
    const logs = rt.logs[uid]?.[c.name];
    if (logs) logs.length = 0; // a restarted container starts a new log
    const lines = startupLog(c, pod, undefined, state.config.proxyMode);
    if (lines.length) appendLog(state, pod, c.name, lines);
  }
}

function podWasReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** The pod conditions, keeping each one's lastTransitionTime while its status stays the same. */
function conditions(pod: KObject, ready: boolean, notReady: string[], now: string): object[] {
  const prev = new Map<string, { status: string; lastTransitionTime: string }>((pod.status?.conditions ?? []).map((c: { type: string }) => [c.type, c]));
  const cond = (type: string, ok: boolean, why?: { reason: string; message: string }) => {
    const status = ok ? 'True' : 'False';
    const p = prev.get(type);
    return { lastProbeTime: null, lastTransitionTime: p && p.status === status ? p.lastTransitionTime : now, ...(why ?? {}), status, type };
  };
  const why = ready ? undefined : { message: `containers with unready status: [${notReady.join(' ')}]`, reason: 'ContainersNotReady' };
  return [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready, why), cond('ContainersReady', ready, why), cond('PodScheduled', true)];
}
