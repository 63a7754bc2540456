// Pod predicates shared by controllers, indexes and printers (kubernetes pkg/api/v1/pod, podutil).
import type { KObject } from './types';

/** Not yet Succeeded or Failed: it still holds its node's resources and its IP. */
export function isActivePod(p: KObject): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/**
 * podutil.IsPodAvailable: ready for at least minReadySeconds (since the Ready condition's last
 * transition). The controller requeues after minReadySeconds and finds "before now" true by then,
 * so on the simulated clock a pod is available at transition + minReadySeconds. availableAt says
 * when a ready pod becomes available (undefined: not ready).
 */
export function availableAt(pod: KObject, minReadySeconds = 0): number | undefined {
  const c = (pod.status?.conditions ?? []).find((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True');
  if (!c) return undefined;
  if (!minReadySeconds) return -Infinity;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? -Infinity : t + minReadySeconds * 1000;
}

export function isPodAvailable(pod: KObject, minReadySeconds: number, now: number): boolean {
  const at = availableAt(pod, minReadySeconds);
  return at !== undefined && at <= now;
}

/** metav1.IsControlledBy: o's controller owner reference is owner (by uid). */
export function ownedBy(o: KObject, owner: KObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r: { uid: string; controller?: boolean }) => r.uid === owner.metadata.uid && r.controller);
}

/**
 * Waiting in the scheduler's unschedulable queue: not bound, not going away, and its last scheduling
 * attempt failed (PodScheduled False, reason Unschedulable, as schedule_one.go handleSchedulingFailure
 * records it).
 */
export function isUnschedulablePod(p: KObject): boolean {
  if (p.spec?.nodeName || p.metadata.deletionTimestamp || !isActivePod(p)) return false;
  return (p.status?.conditions ?? []).some((c: { type: string; status: string; reason?: string }) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
}
