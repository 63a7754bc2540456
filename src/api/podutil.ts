// Pod predicates shared by controllers, indexes and printers (kubernetes pkg/api/v1/pod, podutil).
import type { KObject } from './types';

/** Not yet Succeeded or Failed: it still holds its node's resources and its IP. */
export function isActivePod(p: KObject): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

/** A container waits on an image the kubelet will try to pull again (the back-off it cycles through). */
export function waitsOnImagePull(p: KObject): boolean {
  return ((p.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[]).some((cs) =>
    ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'].includes(cs.state?.waiting?.reason ?? ''),
  );
}
