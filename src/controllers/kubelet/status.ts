// The pod status the kubelet writes, from its containers' statuses: the phase (kubelet_pods.go
// getPhase) and the conditions (pkg/kubelet/status/generate.go), each condition keeping its
// lastTransitionTime while its status stays the same.
import type { KObject } from '../../api/types';

export interface CStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  state: { waiting?: { reason: string; message?: string }; running?: { startedAt: string }; terminated?: Terminated };
  lastState: { terminated?: Terminated };
  [k: string]: unknown;
}

export interface Terminated {
  containerID?: string;
  exitCode: number;
  finishedAt: string;
  message?: string;
  reason: string;
  startedAt: string;
}

/** getPhase: the phase from the init and regular containers' states and the restart policy. */
export function podPhase(spec: KObject['spec'], init: CStatus[], regular: CStatus[]): string {
  const policy = spec.restartPolicy ?? 'Always';
  // an init container still to succeed keeps the pod Pending, or fails it when it may not restart
  let initPending = false;
  let initFailed = false;
  for (const cs of init) {
    const t = cs.state.terminated;
    if (t && t.exitCode === 0) continue;
    if (t && policy === 'Never') initFailed = true;
    initPending = true;
  }
  if (initFailed) return 'Failed';
  if (initPending) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const cs of regular) {
    if (cs.state.running) running++;
    else if (cs.state.terminated) {
      stopped++;
      if (cs.state.terminated.exitCode === 0) succeeded++;
    } else if (cs.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (policy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
    return stopped === succeeded ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

/** kubetypes.PodConditionByKubelet */
const KUBELET_CONDITIONS = ['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers'];

/** The conditions generate.go computes, in the order the kubelet writes them. */
export function podConditions(pod: KObject, phase: string, init: CStatus[], regular: CStatus[], now: string, wantsReady: boolean): object[] {
  const prev = new Map<string, { status: string; lastTransitionTime: string }>((pod.status?.conditions ?? []).map((c: { type: string }) => [c.type, c]));
  const cond = (type: string, ok: boolean, why?: { reason: string; message?: string }) => {
    const status = ok ? 'True' : 'False';
    const p = prev.get(type);
    return { lastProbeTime: null, lastTransitionTime: p && p.status === status ? p.lastTransitionTime : now, ...(why ?? {}), status, type };
  };
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const incomplete = init.filter((cs) => !(cs.state.terminated && cs.state.terminated.exitCode === 0)).map((cs) => cs.name);
  const initialized = incomplete.length === 0;
  // a Succeeded pod's init containers are all done: reason PodCompleted (GeneratePodInitializedCondition)
  const initWhy = !initialized
    ? { message: `containers with incomplete status: [${incomplete.join(' ')}]`, reason: 'ContainersNotInitialized' }
    : phase === 'Succeeded'
      ? { reason: 'PodCompleted' }
      : undefined;
  let ready: boolean;
  let why: { reason: string; message?: string } | undefined;
  if (terminal) {
    ready = false;
    why = { reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed' };
  } else {
    const unready = regular.filter((cs) => !cs.ready).map((cs) => cs.name);
    ready = unready.length === 0 && initialized && wantsReady;
    why = ready ? undefined : unready.length || initialized ? { message: `containers with unready status: [${unready.join(' ')}]`, reason: 'ContainersNotReady' } : initWhy;
  }
  // the sandbox is torn down once the pod is done
  const sandbox = !terminal;
  // status_manager.go mergePodStatus: conditions the kubelet does not own (a DisruptionTarget the
  // scheduler's preemption or the taint manager set) stay, before the kubelet's
  const others = ((pod.status?.conditions ?? []) as { type: string }[]).filter((c) => !KUBELET_CONDITIONS.includes(c.type));
  return [...others, cond('PodReadyToStartContainers', sandbox), cond('Initialized', initialized, initWhy), cond('Ready', ready, why), cond('ContainersReady', ready, why), cond('PodScheduled', true)];
}
