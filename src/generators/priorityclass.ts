// kubectl create priorityclass (kubectl pkg/cmd/create/create_priorityclass.go createPriorityClass):
// the object as kubectl builds it; globalDefault and description are omitted when empty (omitempty),
// value and preemptionPolicy never are. kubectl checks nothing of the values: the apiserver does.
import type { KObject } from '../api/types';

export function priorityClassFor(name: string, o: { value?: string; globalDefault?: string | boolean; description?: string; preemptionPolicy?: string }): KObject {
  const globalDefault = o.globalDefault === true || o.globalDefault === 'true';
  return {
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    metadata: { name, creationTimestamp: null },
    value: Number(o.value ?? 0),
    ...(globalDefault ? { globalDefault: true } : {}),
    ...(o.description ? { description: o.description } : {}),
    preemptionPolicy: o.preemptionPolicy ?? 'PreemptLowerPriority',
  } as unknown as KObject;
}
