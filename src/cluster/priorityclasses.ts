// The two system PriorityClasses kube-apiserver creates at start-up (pkg/registry/scheduling/rest
// storage_scheduling.go AddSystemPriorityClasses, from pkg/apis/scheduling/v1 helpers.go).
import { SYSTEM_PRIORITY_CLASSES } from '../api/priority';
import type { State } from '../store/state';
import { seededUuid } from './storageclass';

/** Makes system-node-critical and system-cluster-critical unless the cluster has them (idempotent). */
export function ensureSystemPriorityClasses(state: State): void {
  for (const [name, value, description] of SYSTEM_PRIORITY_CLASSES) {
    if (state.get('PriorityClass', undefined, name)) continue;
    const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, generation: 1 }, value, description, preemptionPolicy: 'PreemptLowerPriority' };
    state.add(pc, seededUuid(state.config.seed, `priorityclass/${name}`));
  }
}
