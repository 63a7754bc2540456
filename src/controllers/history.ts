// Controller history (pkg/controller/history/controller_history.go) as the StatefulSet and DaemonSet
// controllers use it: a ControllerRevision per distinct pod template, named <owner>-<hash>, its data
// the strategic merge patch that restores the template ({"spec":{"template":{…,"$patch":"replace"}}},
// getPatch in both controllers), numbered in order; going back to an older template bumps that
// revision's number instead of making a new one; revisions no live pod uses are pruned past
// spec.revisionHistoryLimit.
import { StatusError } from '../api/errors';
import { canonicalJson, sameJson } from '../api/statefulset';
import type { KObject } from '../api/types';
import { createObject, deleteObject, updateObject } from '../apiserver/registry';
import { resourceByKind } from '../api/resources';
import type { State } from '../store/state';
import { clone, cmp } from '../util/compare';

/** The label a StatefulSet's revisions carry their hash in (history.ControllerRevisionHashLabel). */
export const HISTORY_HASH_LABEL = 'controller.kubernetes.io/hash';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** getPatch: the template with "$patch": "replace", under spec, keys sorted as json.Marshal of a map. */
export function templatePatch(owner: KObject): Record<string, unknown> {
  const template = clone(owner.spec?.template ?? {});
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** The template a revision restores (its patch without the directive). */
export function revisionTemplate(cr: KObject): KObject['spec'] {
  const t = clone(cr.data?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

/** HashControllerRevision: FNV-32 (FNV-1) of the data's bytes and the collision count, rand.SafeEncodeString'd. */
export function hashRevision(data: unknown, collisionCount?: number): string {
  const bytes = Buffer.from(canonicalJson(data) + (collisionCount ? String(collisionCount) : ''), 'utf8');
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

/** ControllerRevisionName: the owner's name (cut to 223 characters), a dash and the hash. */
export const revisionName = (prefix: string, hash: string) => `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;

const isController = (o: KObject, owner: KObject) => (o.metadata.ownerReferences ?? []).some((r: { controller?: boolean; uid?: string }) => r.controller && r.uid === owner.metadata.uid);

/** ListControllerRevisions: the owner's revisions, by revision number then name (history.SortControllerRevisions). */
export function ownedRevisions(state: State, owner: KObject): KObject[] {
  return state
    .listReferring('ControllerRevision', owner.metadata.namespace as string, owner.metadata.uid as string)
    .filter((cr) => isController(cr, owner))
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || cmp(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || cmp(a.metadata.name, b.metadata.name));
}

/** nextRevision: one more than the highest. */
export const nextRevision = (revs: KObject[]) => (revs.length ? Math.max(...revs.map((r) => r.revision ?? 0)) + 1 : 1);

export interface NewRevision {
  name: string;
  hash: string;
  labels: Record<string, string>;
  data: Record<string, unknown>;
}

/**
 * The revision for the owner's current template: the equal one if it exists (renumbered to the
 * newest if it is not), else a new one (CreateControllerRevision; a name taken by different data
 * counts a collision and hashes again). Returns the revision and the collision count.
 */
export function currentRevision(state: State, owner: KObject, make: (collisionCount: number) => NewRevision, revs: KObject[]): { revision: KObject; collisionCount: number } {
  let collisionCount = owner.status?.collisionCount ?? 0;
  const data = make(collisionCount).data;
  const equal = revs.filter((r) => sameJson(r.data, data));
  const latest = revs[revs.length - 1];
  if (equal.length) {
    const found = equal[equal.length - 1];
    if (found === latest) return { revision: found, collisionCount };
    const upd = clone(found);
    upd.revision = nextRevision(revs);
    return { revision: updateObject(state, upd).obj, collisionCount };
  }
  for (;;) {
    const want = make(collisionCount);
    const taken = state.get('ControllerRevision', owner.metadata.namespace, want.name);
    if (taken && sameJson(taken.data, want.data)) return { revision: taken, collisionCount };
    if (taken) {
      collisionCount++;
      continue;
    }
    return { revision: createObject(state, revisionObject(owner, want, nextRevision(revs))), collisionCount };
  }
}

/** NewControllerRevision: the owner as controller, its annotations, the template's labels and the hash. */
export function revisionObject(owner: KObject, want: NewRevision, revision: number): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: want.name,
      namespace: owner.metadata.namespace,
      labels: want.labels,
      ...(owner.metadata.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid as string, controller: true, blockOwnerDeletion: true }],
    },
    data: want.data,
    revision,
  };
}

/** truncateHistory / cleanupHistory: the oldest revisions neither live pods nor the set use, past the limit, deleted. */
export function pruneRevisions(state: State, owner: KObject, revs: KObject[], inUse: Set<string>): void {
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const unused = revs.filter((r) => !inUse.has(r.metadata.name));
  for (const r of unused.slice(0, Math.max(unused.length - limit, 0))) {
    try {
      deleteObject(state, resourceByKind('ControllerRevision'), r.metadata.namespace, r.metadata.name);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
    }
  }
}
