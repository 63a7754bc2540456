// The StatefulSet controller (pkg/controller/statefulset, 1.32: stateful_set_control.go
// updateStatefulSet, stateful_set_utils.go, stateful_pod_control.go): pods named <set>-<ordinal>
// with a stable identity (hostname = pod name, subdomain = serviceName, the pod-name and pod-index
// labels, the revision's name in controller-revision-hash), made in ordinal order, each after its
// predecessors are Running and Ready (OrderedReady; Parallel makes them all at once); a missing pod
// is made again with its name; scale down removes the highest ordinal first, one at a time, waiting
// for it to terminate; RollingUpdate replaces pods from the highest ordinal down to the partition,
// each after the one before is Ready; OnDelete leaves that to the user. One PersistentVolumeClaim
// per claim template and ordinal (<template>-<set>-<ordinal>) is made before its pod, when the
// apiserver serves claims.
import { StatusError } from '../api/errors';
import { isPodReady } from '../api/podutil';
import { lookupResource, resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import { createObject, deleteObject, updateObject } from '../apiserver/registry';
import { MAX_PODS } from '../apiserver/kinds/pod';
import type { State } from '../store/state';
import { clone, cmp } from '../util/compare';
import { recordEvent } from './events';
import { currentRevision, hashRevision, HISTORY_HASH_LABEL, ownedRevisions, pruneRevisions, revisionName, revisionTemplate, templatePatch } from './history';
import { podFromTemplate } from './podtemplate';
import { selectorMatches } from '../api/workloads';
import { dueTimers, wakeAt } from './timers';
import { nowMs } from '../util/clock';
import { addTo, type Groups } from '../util/groups';

const SOURCE = { component: 'statefulset-controller' };
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

const controllerRef = (p: KObject | undefined) =>
  (p?.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === 'StatefulSet');

function affected(state: State, since: number): KObject[] {
  const names: Groups = new Map();
  const add = (ns: string, name: string | undefined) => addTo(names, ns, name);
  for (const c of state.changesSince(since, ['StatefulSet', 'Pod', 'PersistentVolumeClaim'])) {
    if (c.kind === 'StatefulSet') add(c.namespace, c.name);
    else if (c.kind === 'Pod') for (const p of [c.old, state.get('Pod', c.namespace, c.name)]) add(c.namespace, controllerRef(p)?.name);
  }
  // a pod's minReadySeconds ran out: the set looks again (the requeue after minReadySeconds)
  for (const [ns, name] of dueTimers(state, 'StatefulSet', nowMs())) add(ns, name);
  return [...names.keys()].sort(cmp).flatMap((ns) => state.pick('StatefulSet', ns, names.get(ns)!));
}

export function syncStatefulSets(state: State, since = 0): void {
  for (const sts of affected(state, since)) {
    if (sts.metadata.deletionTimestamp) continue;
    syncOne(state, sts);
  }
}

/** getOrdinal: the ordinal of <set>-<n>, or -1. */
function ordinalOf(sts: KObject, pod: KObject): number {
  const name = pod.metadata.name;
  const prefix = `${sts.metadata.name}-`;
  if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) return -1;
  return Number(name.slice(prefix.length));
}

const startOrdinal = (sts: KObject) => Number(sts.spec?.ordinals?.start ?? 0);
const isTerminating = (p: KObject) => !!p.metadata.deletionTimestamp;
const isRunningAndReady = (p: KObject) => p.status?.phase === 'Running' && isPodReady(p);
const isHealthy = (p: KObject) => isRunningAndReady(p) && !isTerminating(p);

/** When the pod became Ready (its Ready condition's lastTransitionTime), ms. */
function readySince(p: KObject): number {
  const cond = (p.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const t = Date.parse(cond?.lastTransitionTime ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** isRunningAndAvailable: Running and Ready for minReadySeconds. */
const availableAt = (p: KObject, minReady: number) => readySince(p) + minReady * 1000;
const isRunningAndAvailable = (p: KObject, minReady: number) => isRunningAndReady(p) && (minReady <= 0 || availableAt(p, minReady) <= nowMs());

/** getPersistentVolumeClaimName */
export const claimName = (sts: KObject, template: string, ordinal: number) => `${template}-${sts.metadata.name}-${ordinal}`;

/** newStatefulSetPod: the template, the set as controller, the identity and the claims' volumes. */
export function newStatefulSetPod(sts: KObject, ordinal: number, revision: string): KObject {
  const pod = podFromTemplate(sts, '');
  const name = `${sts.metadata.name}-${ordinal}`;
  delete pod.metadata.generateName;
  pod.metadata.name = name;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision };
  pod.spec.hostname = name;
  if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
  // updateStorage: each claim template becomes the volume of that name
  const templates: KObject[] = sts.spec?.volumeClaimTemplates ?? [];
  if (templates.length) {
    const claims = new Map(templates.map((t) => [t.metadata?.name as string, claimName(sts, t.metadata?.name, ordinal)]));
    const volumes = (pod.spec.volumes ?? []).filter((v: { name: string }) => !claims.has(v.name));
    for (const [vol, claim] of claims) volumes.push({ name: vol, persistentVolumeClaim: { claimName: claim } });
    pod.spec.volumes = volumes;
  }
  return pod;
}

/** The set as of a revision: its template from the revision's patch (ApplyRevision). */
function setAt(sts: KObject, rev: KObject): KObject {
  const s = clone(sts);
  s.spec.template = revisionTemplate(rev);
  return s;
}

interface Slot {
  ordinal: number;
  pod?: KObject;
}

/**
 * getPodsForStatefulSet's ClaimPods: pods of the set's namespace that its selector matches, that no
 * controller owns, whose name is the set's (isMemberOf) and that are not being deleted, become the
 * set's (after `delete --cascade=orphan` and a new set of the same name); so do its orphaned revisions.
 */
function adoptOrphans(state: State, sts: KObject): void {
  const sel = sts.spec?.selector;
  if (!sel?.matchLabels || Object.keys(sel.matchLabels).length === 0 || sel.matchExpressions?.length) return;
  for (const p of state.listSelectable('Pod', sts.metadata.namespace as string, [sel.matchLabels])) {
    if (p.metadata.deletionTimestamp || ordinalOf(sts, p) < 0) continue;
    if ((p.metadata.ownerReferences ?? []).some((r: { controller?: boolean }) => r.controller)) continue;
    if (!selectorMatches(sel, p.metadata.labels)) continue;
    const upd = clone(p);
    upd.metadata.ownerReferences = [...(upd.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid as string, controller: true, blockOwnerDeletion: true }];
    state.replace(upd);
  }
  // adoptOrphanRevisions: the revisions it selects that nobody controls
  for (const cr of state.list('ControllerRevision', sts.metadata.namespace)) {
    if ((cr.metadata.ownerReferences ?? []).some((r: { controller?: boolean }) => r.controller) || !selectorMatches(sel, cr.metadata.labels)) continue;
    const upd = clone(cr);
    upd.metadata.ownerReferences = [...(upd.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid as string, controller: true, blockOwnerDeletion: true }];
    state.replace(upd);
  }
}

function syncOne(state: State, sts: KObject): void {
  const ns = sts.metadata.namespace as string;
  adoptOrphans(state, sts);
  const pods = state.listReferring('Pod', ns, sts.metadata.uid as string).filter((p) => controllerRef(p)?.uid === sts.metadata.uid);
  // getStatefulSetRevisions
  let revs = ownedRevisions(state, sts);
  const make = (collisionCount: number) => {
    const data = templatePatch(sts);
    const hash = hashRevision(data, collisionCount);
    return { name: revisionName(sts.metadata.name, hash), hash, labels: { ...(sts.spec?.template?.metadata?.labels ?? {}), [HISTORY_HASH_LABEL]: hash }, data };
  };
  const { revision: updateRev, collisionCount } = currentRevision(state, sts, make, revs);
  revs = ownedRevisions(state, sts);
  const currentRev = revs.find((r) => r.metadata.name === sts.status?.currentRevision) ?? updateRev;
  const currentSet = setAt(sts, currentRev);
  const updateSet = setAt(sts, updateRev);

  const start = startOrdinal(sts);
  const want = Number(sts.spec?.replicas ?? 1);
  const end = start + want;
  // a slot per ordinal up to what could exist: past the pods there are plus the cluster's pod limit
  // every create is refused, so `replicas: 2147483647` costs what 3,000 do
  const slots = Math.max(0, Math.min(want, pods.length + MAX_PODS + 1));
  const replicas: Slot[] = Array.from({ length: slots }, (_, i) => ({ ordinal: start + i }));
  const condemned: KObject[] = [];
  for (const p of pods) {
    const ord = ordinalOf(sts, p);
    if (ord >= start && ord < end) {
      if (ord - start < slots) replicas[ord - start].pod = p;
    } else if (ord >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
  const monotonic = (sts.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const minReady = Number(sts.spec?.minReadySeconds ?? 0);
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition;

  // newVersionedStatefulSetPod: below the partition (or the current replicas) the current revision
  const versioned = (ordinal: number): KObject => {
    const rolling = sts.spec?.updateStrategy?.type === 'RollingUpdate';
    const ru = sts.spec?.updateStrategy?.rollingUpdate;
    const atCurrent = rolling && ((!ru && ordinal < start + (sts.status?.currentReplicas ?? 0)) || (ru && ordinal < start + Number(ru.partition ?? 0)));
    return atCurrent ? newStatefulSetPod(currentSet, ordinal, currentRev.metadata.name) : newStatefulSetPod(updateSet, ordinal, updateRev.metadata.name);
  };

  let firstUnhealthy: KObject | undefined;
  for (const s of replicas) if (s.pod && !isHealthy(s.pod)) firstUnhealthy ??= s.pod;
  for (let i = condemned.length - 1; i >= 0; i--) if (!isHealthy(condemned[i])) firstUnhealthy ??= condemned[i];

  const finish = () => {
    writeStatus(state, sts, currentRev.metadata.name, updateRev.metadata.name, collisionCount);
    const live = new Set<string>([currentRev.metadata.name, updateRev.metadata.name]);
    for (const p of state.listReferring('Pod', ns, sts.metadata.uid as string)) if (p.metadata.labels?.[REVISION_LABEL]) live.add(p.metadata.labels[REVISION_LABEL]);
    pruneRevisions(state, sts, ownedRevisions(state, sts), live);
  };

  // processReplica for each ordinal; monotonic: the first that is not Running and Ready stops it
  for (const slot of replicas) {
    let pod = slot.pod;
    if (pod && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') && !isTerminating(pod)) {
      const failed = pod.status.phase === 'Failed';
      recordEvent(state, sts, 'Warning', failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod', `StatefulSet ${ns}/${sts.metadata.name} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod.metadata.name}`, SOURCE);
      if (!removePod(state, sts, pod)) return finish();
      pod = undefined;
      if (state.get('Pod', ns, slot.pod!.metadata.name)) {
        if (monotonic) return finish();
        continue;
      }
    }
    if (!pod) {
      if (!createPod(state, sts, versioned(slot.ordinal))) return finish();
      if (monotonic) return finish();
      continue;
    }
    if (isTerminating(pod) && monotonic) return finish();
    if (!isRunningAndReady(pod) && monotonic) return finish();
    if (!isRunningAndAvailable(pod, minReady) && monotonic) return finish();
    if (!identityMatches(sts, pod) && !isTerminating(pod)) restoreIdentity(state, sts, pod);
  }
  // processCondemned, the highest ordinal first
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return finish();
      continue;
    }
    if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return finish();
    if (!isRunningAndAvailable(pod, minReady) && monotonic && pod !== firstUnhealthy) return finish();
    releaseClaims(state, sts, pod);
    removePod(state, sts, pod);
    if (monotonic) return finish();
  }
  if (sts.spec?.updateStrategy?.type === 'RollingUpdate') {
    // the pod with the largest ordinal that is not at the update revision goes; unhealthy ones wait
    const min = Number(partition ?? 0);
    for (let i = replicas.length - 1; i >= min; i--) {
      const pod = state.get('Pod', ns, `${sts.metadata.name}-${replicas[i].ordinal}`);
      if (!pod) break;
      if (pod.metadata.labels?.[REVISION_LABEL] !== updateRev.metadata.name && !isTerminating(pod)) {
        removePod(state, sts, pod);
        break;
      }
      if (!isHealthy(pod)) break;
    }
  }
  finish();
}

/** createPersistentVolumeClaims then the pod (CreateStatefulPod), with their events. */
function createPod(state: State, sts: KObject, pod: KObject): boolean {
  if (!createClaims(state, sts, pod)) return false;
  try {
    createObject(state, pod);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    // a pod of that name still terminating: the next look makes it
    if (e.reason === 'AlreadyExists') return false;
    recordEvent(state, sts, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${e.message}`, SOURCE);
    return false;
  }
  recordEvent(state, sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, SOURCE);
  return true;
}

/**
 * getPersistentVolumeClaims: the claim of each template for the pod's ordinal, with the template's
 * labels plus the selector's; the set owns it when whenDeleted is Delete (updateClaimOwnerRefForSetAndPod;
 * whenScaled: Delete is releaseClaims, at scale down). Without the PersistentVolumeClaim kind there is
 * nothing to make.
 */
export function claimsFor(sts: KObject, ordinal: number): KObject[] {
  const policy = sts.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  return (sts.spec?.volumeClaimTemplates ?? []).map((t: KObject) => {
    const c = clone(t);
    delete c.status;
    const md = { ...(c.metadata ?? {}) };
    delete md.creationTimestamp;
    md.name = claimName(sts, t.metadata?.name, ordinal);
    md.namespace = sts.metadata.namespace;
    md.labels = { ...(md.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) };
    const owners = [];
    if (policy.whenDeleted === 'Delete') owners.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid as string, controller: true, blockOwnerDeletion: true });
    if (owners.length) md.ownerReferences = owners;
    return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: md, spec: c.spec ?? {} };
  });
}

function createClaims(state: State, sts: KObject, pod: KObject): boolean {
  if (!sts.spec?.volumeClaimTemplates?.length || !lookupResource('persistentvolumeclaims')) return true;
  const ordinal = ordinalOf(sts, pod);
  for (const claim of claimsFor(sts, ordinal)) {
    if (state.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name)) continue;
    try {
      createObject(state, claim);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      recordEvent(state, sts, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${e.message}`, SOURCE);
      return false;
    }
    recordEvent(state, sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} success`, SOURCE);
  }
  return true;
}

/**
 * whenScaled: Delete: the claims of a pod removed by a scale down go with it (the controller makes the
 * pod their owner and the garbage collector deletes them after the pod; here they are deleted at
 * once, which their protection finalizer holds until the pod is gone).
 */
function releaseClaims(state: State, sts: KObject, pod: KObject): void {
  if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete' || !lookupResource('persistentvolumeclaims')) return;
  for (const claim of claimsFor(sts, ordinalOf(sts, pod))) {
    const live = state.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name);
    if (!live || live.metadata.deletionTimestamp) continue;
    const upd = clone(live);
    const refs = (upd.metadata.ownerReferences ?? []).filter((r: { uid: string }) => r.uid !== pod.metadata.uid);
    upd.metadata.ownerReferences = [...refs, { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid as string, controller: false, blockOwnerDeletion: true }];
    state.replace(upd);
    try {
      deleteObject(state, resourceByKind('PersistentVolumeClaim'), claim.metadata.namespace, claim.metadata.name);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
    }
  }
}

/** identityMatches: the pod's name label still names it. */
const identityMatches = (sts: KObject, pod: KObject) => pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name && pod.metadata.namespace === sts.metadata.namespace;

/** UpdateStatefulPod's updateIdentity: the pod-name and pod-index labels put back, with its event. */
function restoreIdentity(state: State, sts: KObject, pod: KObject): void {
  const upd = clone(pod);
  upd.metadata.labels = { ...(upd.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinalOf(sts, pod)) };
  try {
    updateObject(state, upd);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    recordEvent(state, sts, 'Warning', 'FailedUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${e.message}`, SOURCE);
    return;
  }
  recordEvent(state, sts, 'Normal', 'SuccessfulUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, SOURCE);
}

function removePod(state: State, sts: KObject, pod: KObject): boolean {
  try {
    deleteObject(state, resourceByKind('Pod'), pod.metadata.namespace, pod.metadata.name);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    return false;
  }
  recordEvent(state, sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, SOURCE);
  return true;
}

/** updateStatus / computeReplicaStatus, and completeRollingUpdate when every pod is updated and ready. */
function writeStatus(state: State, sts: KObject, currentName: string, updateName: string, collisionCount: number): void {
  const cur = state.get('StatefulSet', sts.metadata.namespace, sts.metadata.name);
  if (!cur) return;
  const pods = state.listReferring('Pod', sts.metadata.namespace as string, sts.metadata.uid as string).filter((p) => controllerRef(p)?.uid === sts.metadata.uid && ordinalOf(sts, p) >= 0);
  const minReady = Number(sts.spec?.minReadySeconds ?? 0);
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let wake: number | undefined;
  let current = 0;
  let updated = 0;
  for (const p of pods) {
    replicas++;
    if (isRunningAndReady(p)) {
      ready++;
      if (isRunningAndAvailable(p, minReady)) available++;
      else wake = Math.min(wake ?? Infinity, availableAt(p, minReady));
    }
    if (!isTerminating(p) && p.status?.phase) {
      if (p.metadata.labels?.[REVISION_LABEL] === currentName) current++;
      if (p.metadata.labels?.[REVISION_LABEL] === updateName) updated++;
    }
  }
  let currentRevision = currentName;
  if (sts.spec?.updateStrategy?.type === 'RollingUpdate' && updated === replicas && ready === replicas) {
    current = updated;
    currentRevision = updateName;
  }
  wakeAt(state, 'StatefulSet', sts.metadata.namespace as string, sts.metadata.name, wake);
  const status: Record<string, unknown> = { availableReplicas: available, collisionCount, currentReplicas: current, currentRevision, observedGeneration: sts.metadata.generation ?? 1, readyReplicas: ready, replicas, updateRevision: updateName, updatedReplicas: updated };
  for (const k of ['currentReplicas', 'readyReplicas', 'updatedReplicas']) if (!status[k]) delete status[k];
  const upd = clone(cur);
  upd.status = status;
  state.replace(upd);
}
