// The persistent volume controller of kube-controller-manager (pkg/controller/volume/persistentvolume
// pv_controller.go syncClaim / syncVolume, index.go findBestMatchForClaim, util.go
// FindMatchingVolume), the pvc- and pv-protection controllers (pkg/controller/volume/pvcprotection,
// pvprotection), and minikube's storage-provisioner (the hostpath provisioner behind the `standard`
// class, sig-storage-lib-external-provisioner's events), level-triggered over every claim and volume:
//
// - a claim without a volume binds the smallest Available volume of its class whose access modes
//   contain its own (the volumes with the fewest modes first), capacity ≥ request, matching selector
//   and volume mode; a claim named by a volume's claimRef (pre-bound) takes that one;
// - else with no class it stays Pending (FailedBinding), with a class it is provisioned: the class
//   must exist (ProvisioningFailed), its provisioner is external (ExternalProvisioning), and when it
//   is minikube's hostpath provisioner the volume pvc-<claim uid> is made and bound at once;
// - a volume whose claim is gone is Released, then deleted (Delete), kept (Retain) or scrubbed and
//   made Available again (Recycle);
// - a claim or volume marked for deletion goes once no running pod uses the claim / no claim is
//   bound to the volume (the protection finalizers).
import { parseQuantity } from '../api/quantity';
import { pvcClass, pvClass, PVC_PROTECTION_FINALIZER, PV_PROTECTION_FINALIZER } from '../api/storage';
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/workloads';
import { matchesNodeSelectorTerms } from '../api/nodeaffinity';
import { claimHasClass, defaultClassOf } from '../apiserver/kinds/persistentvolumeclaim';
import { MINIKUBE_PROVISIONER, seededUuid } from '../cluster/storageclass';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { clone, cmp } from '../util/compare';
import { recordEvent } from './events';
import { dueTimers, hasDueTimer, wakeAt } from './timers';

const CONTROLLER = { component: 'persistentvolume-controller' };

export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The provisioner that provisions nothing: local volumes made by hand (storage/v1 NotSupportedProvisioner). */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
/** Where minikube's provisioner makes its volumes' directories (storage_provisioner.go pvDir). */
const HOSTPATH_DIR = '/tmp/hostpath-provisioner';

// ---------------------------------------------------------------------------------------------
// Matching (util.go).

const storageOf = (q: unknown): bigint => parseQuantity(q)?.nanos ?? 0n;
const requestOf = (claim: KObject): bigint => storageOf(claim.spec?.resources?.requests?.storage);
const capacityOf = (pv: KObject): bigint => storageOf(pv.spec?.capacity?.storage);
const modesOf = (o: KObject): string[] => (Array.isArray(o.spec?.accessModes) ? o.spec.accessModes : []);

/** IsVolumeBoundToClaim: the claimRef names the claim (and its uid, once known). */
export function isVolumeBoundToClaim(pv: KObject, claim: KObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata.name || (ref.namespace ?? '') !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** CheckVolumeModeMismatches: unset on either side reads as Filesystem. */
const volumeModeMismatch = (claim: KObject, pv: KObject): boolean => (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');

/** CheckAccessModes: every mode the claim asks for is one the volume has. */
const accessModesFit = (claim: KObject, pv: KObject): boolean => modesOf(claim).every((m) => modesOf(pv).includes(m));

/** The volume's required node affinity admits the node (CheckNodeAffinity). */
export function volumeFitsNode(pv: KObject, node: KObject): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!Array.isArray(terms)) return true;
  return matchesNodeSelectorTerms(terms, node);
}

/**
 * FindMatchingVolume over one access-mode group: the volume pre-bound to the claim, else the
 * smallest Available one that fits. node: the scheduler's path (WaitForFirstConsumer), which also
 * checks access modes and node affinity.
 */
function findMatchingVolume(claim: KObject, volumes: KObject[], node: KObject | undefined, delayBinding: boolean): KObject | undefined {
  const requested = requestOf(claim);
  const cls = pvcClass(claim);
  let smallest: KObject | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    if (capacityOf(pv) < requested) continue;
    if (volumeModeMismatch(claim, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const nodeOK = !node || volumeFitsNode(pv, node);
    if (isVolumeBoundToClaim(pv, claim)) return nodeOK ? pv : undefined;
    if (!node && delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (claim.spec?.selector && !selectorMatches(claim.spec.selector, pv.metadata.labels)) continue;
    if (pvClass(pv) !== cls) continue;
    if (!nodeOK) continue;
    if (node && !accessModesFit(claim, pv)) continue;
    if (!smallest || capacityOf(smallest) > capacityOf(pv)) smallest = pv;
  }
  return smallest;
}

/**
 * index.go findByClaim: the volumes grouped by their exact set of access modes; the groups holding
 * every mode the claim asks for are searched fewest modes first, the first match wins.
 */
export function findBestMatch(claim: KObject, volumes: KObject[], node?: KObject, delayBinding = false): KObject | undefined {
  const groups = new Map<string, KObject[]>();
  for (const pv of volumes) {
    const key = [...new Set(modesOf(pv))].sort().join(',');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(pv);
  }
  const wanted = modesOf(claim);
  const keys = [...groups.keys()].filter((k) => wanted.every((m) => k.split(',').includes(m)));
  keys.sort((a, b) => a.split(',').length - b.split(',').length);
  for (const k of keys) {
    const pv = findMatchingVolume(claim, groups.get(k)!, node, delayBinding);
    if (pv) return pv;
  }
  return undefined;
}

/** checkVolumeSatisfyClaim: why a volume a claim names cannot be its volume. */
function volumeUnfit(pv: KObject, claim: KObject): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (capacityOf(pv) < requestOf(claim)) return 'requested PV is too small';
  if (pvClass(pv) !== pvcClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!accessModesFit(claim, pv)) return 'incompatible accessMode';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Writes.

function setAnnotation(o: KObject, key: string, value: string): void {
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [key]: value };
}

/** updateVolumePhase: a new phase restarts lastPhaseTransitionTime. */
function withPhase(pv: KObject, phase: string, message?: string): KObject {
  const upd = clone(pv);
  if (pv.status?.phase !== phase) upd.status = { ...(upd.status ?? {}), phase, lastPhaseTransitionTime: rfc3339() };
  if (message) upd.status.message = message;
  else if (upd.status) delete upd.status.message;
  return upd;
}

function claimPhase(state: State, claim: KObject, phase: string): KObject {
  if (claim.status?.phase === phase) return claim;
  const upd = clone(claim);
  upd.status = phase === 'Bound' ? upd.status : { phase };
  upd.status.phase = phase;
  state.replace(upd);
  return state.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name)!;
}

/** pv_controller.go bind(): the volume's claimRef and phase, then the claim's volumeName and status. */
function bind(state: State, pv: KObject, claim: KObject): void {
  let vol = clone(pv);
  if (!isVolumeBoundToClaim(pv, claim) || !pv.spec.claimRef.uid || pv.spec.claimRef.resourceVersion === undefined) {
    if (!pv.spec?.claimRef) setAnnotation(vol, ANN_BOUND_BY_CONTROLLER, 'yes');
    vol.spec.claimRef = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      name: claim.metadata.name,
      namespace: claim.metadata.namespace,
      resourceVersion: claim.metadata.resourceVersion,
      uid: claim.metadata.uid,
    };
  }
  vol = withPhase(vol, 'Bound');
  state.replace(vol);
  const c = clone(claim);
  if (!claim.spec?.volumeName) setAnnotation(c, ANN_BOUND_BY_CONTROLLER, 'yes');
  setAnnotation(c, ANN_BIND_COMPLETED, 'yes');
  c.spec.volumeName = pv.metadata.name;
  c.status = { accessModes: [...modesOf(pv)], capacity: { ...(pv.spec?.capacity ?? {}) }, phase: 'Bound' };
  state.replace(c);
}

// ---------------------------------------------------------------------------------------------
// minikube's hostpath provisioner (a storage-provisioner pod on the control plane).

/** The provisioner's identity: from the cluster's seed, so it is the same for the life of the cluster. */
const seeded = (state: State, salt: string): string => seededUuid(state.config.seed, salt);

function provisionerSource(state: State): { component: string } {
  const host = state.list('Node').map((n) => n.metadata.name).sort()[0] ?? 'controlplane';
  return { component: `${MINIKUBE_PROVISIONER}_${host}_${seeded(state, 'hostpath-provisioner/controller')}` };
}

/** storage_provisioner.go Provision, as the library's controller creates the volume (claimRef, class, provisioned-by). */
function provisionHostPath(state: State, claim: KObject, sc: KObject): KObject {
  const ns = claim.metadata.namespace as string;
  const source = provisionerSource(state);
  recordEvent(state, claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${claim.metadata.name}"`, source);
  const name = `pvc-${claim.metadata.uid}`;
  const pv: KObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { hostPathProvisionerIdentity: seeded(state, 'hostpath-provisioner/identity'), [ANN_PROVISIONED_BY]: MINIKUBE_PROVISIONER },
      finalizers: [PV_PROTECTION_FINALIZER],
    },
    spec: {
      accessModes: [...modesOf(claim)],
      capacity: { storage: claim.spec.resources.requests.storage },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata.name, namespace: ns, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid },
      hostPath: { path: `${HOSTPATH_DIR}/${ns}/${claim.metadata.name}`, type: '' },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      ...(Array.isArray(sc.mountOptions) ? { mountOptions: [...sc.mountOptions] } : {}),
    },
    status: { phase: 'Pending', lastPhaseTransitionTime: rfc3339() },
  };
  const made = state.add(pv);
  recordEvent(state, claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, source);
  return made;
}

/**
 * The data a volume holds lives with the data plane: the runtime's `claims` table, by the volume's
 * name (network/volumes.ts storeRef, branch vol). When the volume goes (Delete) or is scrubbed
 * (Recycle) its data goes too. Typed loosely: the table is the data plane's.
 */
export function forgetVolumeData(state: State, pvName: string): void {
  const rt = state.runtime() as unknown as { claims?: Record<string, unknown> };
  if (rt.claims && Object.hasOwn(rt.claims, pvName)) {
    state.runtime(true);
    delete rt.claims[pvName];
  }
}

// ---------------------------------------------------------------------------------------------
// The claims (syncClaim).

const allClaims = (state: State): KObject[] => state.namespacesOf('PersistentVolumeClaim').flatMap((ns) => state.list('PersistentVolumeClaim', ns));

function provision(state: State, claim: KObject, sc: KObject | undefined, cls: string): void {
  if (!sc) {
    recordEvent(state, claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`, CONTROLLER);
    return;
  }
  const provisioner = String(sc.provisioner ?? '');
  if (provisioner.startsWith('kubernetes.io/')) {
    // an in-tree provisioner kubesim has no plugin for (kubernetes.io/no-provisioner among them)
    recordEvent(state, claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`, CONTROLLER);
    return;
  }
  // setClaimProvisioner: the claim names who provisions it
  if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
    const c = clone(claim);
    setAnnotation(c, ANN_BETA_STORAGE_PROVISIONER, provisioner);
    setAnnotation(c, ANN_STORAGE_PROVISIONER, provisioner);
    state.replace(c);
    claim = state.get('PersistentVolumeClaim', c.metadata.namespace, c.metadata.name)!;
  }
  recordEvent(
    state,
    claim,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    CONTROLLER,
  );
  if (provisioner !== MINIKUBE_PROVISIONER) return; // nobody runs it: the claim waits
  if (state.get('PersistentVolume', undefined, `pvc-${claim.metadata.uid}`)) return;
  bind(state, provisionHostPath(state, claim, sc), claim);
}

/** syncUnboundClaim for a claim that names no volume. */
function syncUnnamedClaim(state: State, claim: KObject): void {
  // RetroactiveDefaultStorageClass: a claim with no class gets the default once there is one
  if (!claimHasClass(claim)) {
    const def = defaultClassOf(state);
    if (def) {
      const c = clone(claim);
      c.spec.storageClassName = def.metadata.name;
      state.replace(c);
      claim = state.get('PersistentVolumeClaim', c.metadata.namespace, c.metadata.name)!;
    }
  }
  const cls = pvcClass(claim);
  const sc = cls ? state.get('StorageClass', undefined, cls) : undefined;
  const delay = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const pv = findBestMatch(claim, state.list('PersistentVolume'), undefined, delay);
  if (pv) {
    bind(state, pv, claim);
    return;
  }
  claim = claimPhase(state, claim, 'Pending');
  const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  if (delay && !selected) {
    // emitEventForUnboundDelayBindingClaim
    const users = podsUsing(state, claim);
    if (users.length === 0) recordEvent(state, claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', CONTROLLER);
    else recordEvent(state, claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${users[0].metadata.name} to be scheduled`, CONTROLLER);
    return;
  }
  if (cls) provision(state, claim, sc, cls);
  else recordEvent(state, claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', CONTROLLER);
}

/** syncUnboundClaim for a claim that names its volume (volumeName set by the user). */
function syncNamedClaim(state: State, claim: KObject): void {
  const name = claim.spec.volumeName as string;
  const pv = state.get('PersistentVolume', undefined, name);
  if (!pv) {
    claimPhase(state, claim, 'Pending');
    return;
  }
  if (!pv.spec?.claimRef) {
    const why = volumeUnfit(pv, claim);
    if (why) {
      recordEvent(state, claimPhase(state, claim, 'Pending'), 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${name}": ${why}`, CONTROLLER);
      return;
    }
    bind(state, pv, claim);
  } else if (isVolumeBoundToClaim(pv, claim)) bind(state, pv, claim);
  else if (!claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER])
    recordEvent(state, claimPhase(state, claim, 'Pending'), 'Warning', 'FailedBinding', `volume "${name}" already bound to a different claim.`, CONTROLLER);
}

/** syncBoundClaim: the volume is still there and still names the claim. */
function syncBoundClaim(state: State, claim: KObject): void {
  const pv = state.get('PersistentVolume', undefined, claim.spec.volumeName);
  if (!pv) {
    if (claim.status?.phase !== 'Lost') {
      const c = claimPhase(state, claim, 'Lost');
      recordEvent(state, c, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', CONTROLLER);
    }
    return;
  }
  if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim)) {
    if (!pv.spec?.claimRef?.uid || pv.status?.phase !== 'Bound' || claim.status?.phase !== 'Bound') bind(state, pv, claim);
    return;
  }
  if (claim.status?.phase !== 'Lost') {
    const c = claimPhase(state, claim, 'Lost');
    recordEvent(state, c, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly', CONTROLLER);
  }
}

// ---------------------------------------------------------------------------------------------
// The volumes (syncVolume, reclaimVolume).

/** The pods of the claim's namespace that mount it. */
export function podsUsing(state: State, claim: KObject): KObject[] {
  return state.list('Pod', claim.metadata.namespace).filter((p) => (p.spec?.volumes ?? []).some((v: { persistentVolumeClaim?: { claimName?: string } }) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
}

/** deleteVolumeOperation: the provisioner (or the in-tree hostPath deleter, for /tmp only) removes it. */
function deleteVolume(state: State, pv: KObject): void {
  const byMinikube = pv.metadata.annotations?.[ANN_PROVISIONED_BY] === MINIKUBE_PROVISIONER;
  const path = String(pv.spec?.hostPath?.path ?? '');
  let failure: string | undefined;
  if (!byMinikube) {
    if (pv.metadata.annotations?.[ANN_PROVISIONED_BY]) return; // another external provisioner's: it deletes, if it runs
    if (!pv.spec?.hostPath) failure = `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`;
    else if (!/^\/tmp\/.+/.test(path)) failure = `host_path deleter only supports /tmp/.+ but received provided ${path}`;
  }
  if (failure) {
    if (pv.status?.phase === 'Failed') return;
    const upd = withPhase(pv, 'Failed', failure);
    state.replace(upd);
    recordEvent(state, upd, 'Warning', 'VolumeFailedDelete', failure, CONTROLLER);
    return;
  }
  removeVolume(state, pv);
}

/** The volume object goes (its pv-protection finalizer has nothing to protect), and its data with it. */
function removeVolume(state: State, pv: KObject): void {
  state.remove('PersistentVolume', undefined, pv.metadata.name);
  forgetVolumeData(state, pv.metadata.name);
}

function syncVolume(state: State, pv: KObject): void {
  const ref = pv.spec?.claimRef;
  if (!ref) {
    if (pv.status?.phase !== 'Available') state.replace(withPhase(pv, 'Available'));
    return;
  }
  const claim = state.get('PersistentVolumeClaim', ref.namespace, ref.name);
  const found = claim && (!ref.uid || ref.uid === claim.metadata.uid) ? claim : undefined;
  if (!ref.uid) {
    // pre-bound by the user, the claim not there (yet): waits, Available
    if (pv.status?.phase !== 'Available' && pv.status?.phase !== 'Bound') state.replace(withPhase(pv, 'Available'));
    return;
  }
  if (found) {
    if (pv.status?.phase !== 'Bound' && found.spec?.volumeName === pv.metadata.name) state.replace(withPhase(pv, 'Bound'));
    return;
  }
  // the claim is gone: Released, then its reclaim policy
  if (pv.status?.phase === 'Failed') return;
  let vol = pv;
  if (pv.status?.phase !== 'Released') {
    state.replace(withPhase(pv, 'Released'));
    vol = state.get('PersistentVolume', undefined, pv.metadata.name)!;
  }
  const policy = vol.spec?.persistentVolumeReclaimPolicy;
  if (policy === 'Delete') deleteVolume(state, vol);
  else if (policy === 'Recycle') {
    // the recycler scrubs the volume, then it is free for any claim
    forgetVolumeData(state, vol.metadata.name);
    const upd = withPhase(vol, 'Available');
    delete upd.spec.claimRef;
    if (upd.metadata.annotations) delete upd.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
    state.replace(upd);
    recordEvent(state, upd, 'Normal', 'VolumeRecycled', 'Volume recycled', CONTROLLER);
  }
}

// ---------------------------------------------------------------------------------------------
// Protection (pvcprotection, pvprotection): the finalizer comes off when nothing needs the object.

/** A pod that may run with the claim: scheduled, not finished (pvc_protection_controller podUsesPVC). */
const podHoldsClaim = (p: KObject): boolean => !!p.spec?.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

function dropFinalizer(state: State, o: KObject, finalizer: string): void {
  const rest = (o.metadata.finalizers ?? []).filter((f: string) => f !== finalizer);
  if (rest.length === (o.metadata.finalizers ?? []).length && rest.length > 0) return;
  if (rest.length === 0) {
    // the last finalizer gone from an object marked for deletion: the apiserver removes it
    if (o.kind === 'PersistentVolume') removeVolume(state, o);
    else state.remove(o.kind, o.metadata.namespace, o.metadata.name);
    return;
  }
  const upd = clone(o);
  upd.metadata.finalizers = rest;
  state.replace(upd);
}

function protect(state: State): void {
  for (const claim of allClaims(state)) {
    if (!claim.metadata.deletionTimestamp) continue;
    if (podsUsing(state, claim).some(podHoldsClaim)) continue;
    dropFinalizer(state, claim, PVC_PROTECTION_FINALIZER);
  }
  for (const pv of state.list('PersistentVolume')) {
    if (!pv.metadata.deletionTimestamp || pv.status?.phase === 'Bound') continue;
    dropFinalizer(state, pv, PV_PROTECTION_FINALIZER);
  }
}

function syncVolumes(state: State): void {
  for (const listed of state.list('PersistentVolume')) {
    const pv = state.get('PersistentVolume', undefined, listed.metadata.name);
    if (pv) syncVolume(state, pv);
  }
}

/** --pvclaimbinder-sync-period: the controller looks at every claim again this often. */
const RESYNC_MS = 15_000;

function syncClaim(state: State, ns: string, name: string): void {
  const claim = state.get('PersistentVolumeClaim', ns, name);
  if (!claim || claim.metadata.deletionTimestamp) return;
  if (!claim.spec?.volumeName) syncUnnamedClaim(state, claim);
  else if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== 'yes') syncNamedClaim(state, claim);
  else syncBoundClaim(state, claim);
  // a claim still Pending is looked at again at the next resync (its event counted again, as the
  // recorder's correlator does: "(x4 over 45s)")
  const after = state.get('PersistentVolumeClaim', ns, name);
  const pending = !!after && !after.metadata.deletionTimestamp && after.status?.phase === 'Pending';
  wakeAt(state, 'PersistentVolumeClaim', ns, name, pending ? nowMs() + RESYNC_MS : undefined);
}

/**
 * One pass: protection, the claims in namespace/name order, then the volumes. A pass that only pods
 * woke (a pod gone may free a claim marked for deletion) does only the protection; one that only
 * the resync woke looks at the claims whose time came.
 */
export function syncPersistentVolumes(state: State, since: number): void {
  protect(state);
  const due = dueTimers(state, 'PersistentVolumeClaim', nowMs());
  if (state.changesSince(since, ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass']).length === 0) {
    for (const [ns, name] of due.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))) syncClaim(state, ns, name);
    return;
  }
  // the volumes first (a new one becomes Available for the claims), the claims, the volumes again
  syncVolumes(state);
  for (const listed of allClaims(state)) syncClaim(state, listed.metadata.namespace as string, listed.metadata.name);
  syncVolumes(state);
  // a claim whose volume was just released or deleted, etc.: the protection of what is now free
  protect(state);
}

/** The resync has work (reconcile.ts pending). */
export const claimResyncDue = (state: State): boolean => hasDueTimer(state, 'PersistentVolumeClaim', nowMs());

/** Whether a claim's class binds late (the scheduler's VolumeBinding needs it). */
export function isDelayBinding(state: State, claim: KObject): boolean {
  const cls = pvcClass(claim);
  return !!cls && state.get('StorageClass', undefined, cls)?.volumeBindingMode === 'WaitForFirstConsumer';
}
