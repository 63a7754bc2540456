// apps/v1 Deployment and ReplicaSet share the CONTAINERS/IMAGES/SELECTOR wide columns
// (printDeployment, printReplicaSet) and the garbage collector's cascade to their dependents.
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { clone } from '../../util/compare';
import { labelSelector } from '../columns';
import { strategyFor, type Cascade, type Column } from '../strategy';

const containers = (o: KObject) => (o.spec?.template?.spec?.containers ?? []) as { name: string; image: string }[];

export const WORKLOAD_WIDE: Column[] = [
  { header: 'CONTAINERS', wide: true, cell: (o) => containers(o).map((c) => c.name).join(',') },
  { header: 'IMAGES', wide: true, cell: (o) => containers(o).map((c) => c.image).join(',') },
  { header: 'SELECTOR', wide: true, cell: labelSelector },
];

/** Kinds whose objects can have controller owners, searched by the garbage collector. */
const DEPENDENT_KINDS = ['ReplicaSet', 'Job', 'Pod', 'ControllerRevision', 'PersistentVolumeClaim'];

/**
 * The garbage collector: the dependents of a deleted object (by ownerReferences uid) go with it,
 * recursively; with `orphan` they stay and lose that owner reference.
 */
export function collectDependents(state: State, owner: KObject, cascade: Cascade): void {
  const ns = owner.metadata.namespace;
  if (cascade === 'orphan') {
    for (const kind of DEPENDENT_KINDS) {
      for (const o of state.list(kind, ns)) {
        const refs = o.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === owner.metadata.uid)) continue;
        const upd = clone(o);
        const kept = refs.filter((r) => r.uid !== owner.metadata.uid);
        if (kept.length) upd.metadata.ownerReferences = kept;
        else delete upd.metadata.ownerReferences;
        state.replace(upd);
      }
    }
    return;
  }
  // one pass over the namespace per generation of dependents (Deployment → ReplicaSets → Pods),
  // not one per deleted object: deleting 5,000 pods stays linear
  let owners = new Set<string>([owner.metadata.uid as string]);
  while (owners.size) {
    const next = new Set<string>();
    for (const kind of DEPENDENT_KINDS) {
      for (const o of state.list(kind, ns)) {
        if (!(o.metadata.ownerReferences ?? []).some((r) => owners.has(r.uid))) continue;
        // a pod is deleted gracefully (its kubelet stops it and removes it), a protected claim is marked
        const marked = kind === 'Pod' || kind === 'PersistentVolumeClaim' ? strategyFor(kind).gracefulDelete?.(state, o, undefined) : undefined;
        if (marked) state.replace(marked);
        else state.remove(kind, o.metadata.namespace, o.metadata.name);
        next.add(o.metadata.uid as string);
      }
    }
    owners = next;
  }
}
