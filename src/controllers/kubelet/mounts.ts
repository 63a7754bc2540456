// The kubelet waits for a pod's volumes before it starts any of its containers, init containers too
// (kubelet.go SyncPod: volumeManager.WaitForAttachAndMount). A configMap or secret volume whose object
// (or an `items` key) is missing fails MountVolume.SetUp; the volume manager's reconciler retries it
// on the operation's exponential back-off (nestedpendingoperations: 500 ms, doubling, at most 2m2s),
// a FailedMount event each time. The pod worker's wait gives up after podAttachAndMountTimeout
// (2m3s, volume_manager.go) with "Unable to attach or mount volumes: …" and starts its next wait
// after the pod worker's back-off (pod_workers.go: backOffPeriod 10 s). A mount that succeeds lets
// the containers start at once.
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { isApiVolume, lookupIn, mountedPayload, setUpApiVolume } from '../../network/volumes';
import { configEnv } from '../../network/configenv';

export const MOUNT_INITIAL_MS = 500;
export const MOUNT_MAX_MS = 2 * 60_000 + 2_000;
export const ATTACH_TIMEOUT_MS = 2 * 60_000 + 3_000;
const WORKER_BACKOFF_MS = 10_000;

/** What the kubelet remembers of a pod whose volumes do not mount yet. */
export interface MountWait {
  /** when the first wait began */
  first: number;
  /** the next SetUp attempt, and the back-off that led to it */
  next: number;
  d: number;
  /** "Unable to attach or mount volumes" events recorded so far */
  timeouts: number;
  /** the volumes that failed at the last attempt */
  failing: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** The volumes the pod's containers mount (util.GetPodVolumeNames), with the SetUp error of each that fails. */
export function mountErrors(state: State, pod: KObject, node: KObject): Map<string, string> {
  const used = new Set<string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Obj[]) for (const m of c.volumeMounts ?? []) used.add(m.name);
  const errors = new Map<string, string>();
  const get = lookupIn(state, pod.metadata.namespace as string);
  for (const v of (pod.spec?.volumes ?? []) as Obj[]) {
    if (!used.has(v.name) || !isApiVolume(v)) continue;
    const r = setUpApiVolume(pod, v, get, undefined, node);
    if (r.error !== undefined) errors.set(v.name, r.error);
  }
  return errors;
}

/** The time of the k-th (1-based) "Unable to attach or mount volumes" event of a wait that began at `first`. */
export function timeoutAt(first: number, k: number): number {
  return first + k * ATTACH_TIMEOUT_MS + (k - 1) * WORKER_BACKOFF_MS;
}

export function timeoutMessage(failing: string[]): string {
  // Go's %v of a []string; configMap and secret volumes are not attachable, so none is "unattached"
  return `Unable to attach or mount volumes: unmounted volumes=[${[...failing].sort().join(' ')}], unattached volumes=[], failed to process volumes=[]: context deadline exceeded`;
}

export function setUpMessage(volume: string, error: string): string {
  return `MountVolume.SetUp failed for volume "${volume}" : ${error}`;
}

/**
 * What a container takes when it starts and keeps: the values its environment took from ConfigMaps
 * and Secrets (a later change shows in `printenv` only after a restart), and the files of its
 * subPath mounts of configMap and secret volumes (which never follow an update: the bind mount is
 * of the file as it was, kubernetes/kubernetes#50345).
 */
export function recordVolumeStart(state: State, pod: KObject, node: KObject, c: Obj): void {
  const uid = pod.metadata.uid as string;
  const rt = state.runtime(true);
  const refs = (c.envFrom ?? []).length || (c.env ?? []).some((e: Obj) => e.valueFrom?.configMapKeyRef || e.valueFrom?.secretKeyRef);
  if (refs) {
    const r = configEnv(state, pod, c);
    if (r.error === undefined) ((rt.configEnv ??= {})[uid] ??= {})[c.name] = { env: r.env, refs: Object.fromEntries(r.refs) };
  } else if (rt.configEnv?.[uid]) delete rt.configEnv[uid][c.name];
  const vols = new Map<string, Obj>(((pod.spec?.volumes ?? []) as Obj[]).map((v) => [v.name, v]));
  const files: Record<string, [string, number]> = {};
  for (const m of (c.volumeMounts ?? []) as Obj[]) {
    const v = vols.get(m.name);
    const sub = String(m.subPath ?? '').replace(/^\/+|\/+$/g, '');
    if (!v || !sub || !isApiVolume(v)) continue;
    const f = mountedPayload(state, pod, v, undefined, node).payload.get(sub);
    if (f) files[String(m.mountPath).replace(/\/+$/, '') || '/'] = [f.data, f.mode];
  }
  if (Object.keys(files).length) ((rt.subPaths ??= {})[uid] ??= {})[c.name] = files;
  else if (rt.subPaths?.[uid]) delete rt.subPaths[uid][c.name];
}
