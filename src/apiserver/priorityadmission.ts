// The Priority admission plugin on pod create (plugin/pkg/admission/priority/admission.go admitPod):
// the pod's priority and preemption policy from its PriorityClass, or from the global default class
// (whose name it then carries), Forbidden when the class is missing or when the pod's own values
// disagree with the class's. What the client sent is noted before defaulting fills the fields in.
import { forbiddenError } from '../api/errors';
import { orderPodSpec } from '../api/defaults';
import { podPriority } from '../api/priority';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';

const asked = new WeakMap<KObject, { priority?: unknown; preemptionPolicy?: unknown }>();

/** Before defaulting: the priority and preemption policy the request itself carries. */
export function notePriorityAsked(pod: KObject): void {
  asked.set(pod, { priority: pod.spec?.priority, preemptionPolicy: pod.spec?.preemptionPolicy });
}

export function admitPodPriority(state: State, pod: KObject): void {
  const spec = pod.spec;
  if (!spec) return;
  const r = podPriority(spec, asked.get(pod) ?? {}, (name) => state.get('PriorityClass', undefined, name), () => state.list('PriorityClass'));
  if ('error' in r) throw forbiddenError(resourceByKind('Pod'), pod.metadata.name ?? '', r.error);
  spec.priority = r.priority;
  spec.preemptionPolicy = r.preemptionPolicy;
  if (r.className && !spec.priorityClassName) {
    spec.priorityClassName = r.className;
    orderPodSpec(spec);
  }
}
