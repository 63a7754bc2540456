// What a kubelet remembers of a pod that is not in its status: the back-off entries, the image pull
// under way, the program each container runs (for its log), the previous run's log, the probes'
// counters, and when the pod next needs it. Kept in the state's runtime (see store/state.ts), only
// while there is something to remember: a pod whose containers just run has no entry.
import type { Program } from '../program';
import type { Backoff } from './backoff';
import type { State } from '../../store/state';
import type { MountWait } from './mounts';

/** "Never" in memory that is stored as JSON (Infinity would come back as null). */
export const NEVER = Number.MAX_SAFE_INTEGER;

export interface ProbeMemory {
  /** consecutive results of the current run */
  ok: number;
  fail: number;
  /** when the next probe is due (ms) */
  next: number;
  /** the result in force (readiness: Ready; startup: started) */
  passed: boolean;
  /** the failure text of the last failed probe (for the event) */
  why?: string;
  /** Unhealthy events recorded and when the last was (a failing readiness probe repeats every period) */
  emitted?: number;
}

export interface RunMemory {
  /** the container ID of this run */
  id: string;
  started: number;
  prog: Program;
  /** set once the run ended */
  finished?: number;
  code?: number;
  reason?: string;
  message?: string;
}

export interface ContainerMemory {
  /** the image reference this container was pulled and run with */
  image?: string;
  /** a pull under way: when it completes and what the Pulled event says */
  pull?: { done: number; message: string };
  /** an image pull that failed: retry at `retry` */
  pullFailed?: { retry: number; reason: string; message: string; shown?: 'ErrImagePull' | 'ImagePullBackOff'; image?: string };
  pullBackoff?: Backoff;
  backoff?: Backoff;
  /** the current or last run */
  run?: RunMemory;
  /** after an exit: when the container starts again (absent: it does not) */
  restartAt?: number;
  /** CrashLoopBackOff is shown from here until restartAt */
  waitingFrom?: number;
  /** a back-off wait whose BackOff event repeats (every 10 s, as the pod worker retries): crash or pull */
  repeat?: { kind: 'crash' | 'pull'; from: number; until: number; emitted: number };
  /** the last line count of the previous run's log (logs -p) */
  prevLog?: string[];
  /** when each line of prevLog was written (ms) */
  prevTimes?: number[];
  probes?: { liveness?: ProbeMemory; readiness?: ProbeMemory; startup?: ProbeMemory };
  /** an attached session that ended before the container started: it exits as soon as it starts */
  attachedExit?: number;
  /** issue 15: a ConfigMap or Secret the environment needs was missing (CreateContainerConfigError): try again at `retry` */
  configError?: { retry: number };
  /** a stop under way (graceful deletion or a liveness kill): when the process ends, and how */
  stopping?: { at: number; code: number; restart?: boolean; why: string };
}

export interface PodMemory {
  ns: string;
  name: string;
  /** the simulated time this pod was synced up to */
  at: number;
  /** when it next needs the kubelet (absent: nothing pending) */
  due?: number;
  c: Record<string, ContainerMemory>;
  /** when this kubelet first acted on the pod's deletion (its containers' stop starts then) */
  deletionSeen?: number;
  /** volumes that do not mount yet: the wait before any container starts (mounts.ts) */
  mount?: MountWait;
}

/** The kubelets' memories in the state's runtime (write: the commit saves them). */
export function memories(state: State, write = false): Record<string, PodMemory> {
  const rt = state.runtime(write);
  return (rt.kubelet ??= {}) as Record<string, PodMemory>;
}
