// The scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding: PreFilter,
// Filter, PreBind through binder.go), for the claims a pod mounts:
// - PreFilter: a claim that does not exist, is Lost or is being deleted, or an unbound claim of an
//   Immediate class, rejects the pod on every node (UnschedulableAndUnresolvable);
// - Filter: a bound claim's volume must admit the node (its node affinity); an unbound claim of a
//   WaitForFirstConsumer class needs an Available volume usable from the node, or a class that can
//   provision one;
// - PreBind: the chosen static volumes are bound to their claims, the claims to provision get the
//   selected-node annotation (the PV controller and the provisioner do the rest).
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone } from '../util/compare';
import { ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, findBestMatch, isDelayBinding, NO_PROVISIONER, volumeFitsNode } from './persistentvolume';
import { pvcClass } from '../api/storage';
import type { Rejection } from './schedplugins';

export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

/** What PreFilter learned of the pod's claims: a rejection, or the volumes to check per node. */
export type VolumePlan = { rejected: string } | { boundVolumes: KObject[]; delayed: KObject[] };

/** PreFilter: undefined when the pod mounts no claim (the plugin skips). */
export function volumePreFilter(state: State, pod: KObject): VolumePlan | undefined {
  const names: string[] = (pod.spec?.volumes ?? []).filter((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim).map((v: { persistentVolumeClaim: { claimName?: string } }) => String(v.persistentVolumeClaim.claimName ?? ''));
  if (names.length === 0) return undefined;
  const claims: KObject[] = [];
  // podHasPVCs: the first claim in error decides
  for (const name of names) {
    const claim = state.get('PersistentVolumeClaim', pod.metadata.namespace, name);
    if (!claim) return { rejected: `persistentvolumeclaim "${name}" not found` };
    if (claim.status?.phase === 'Lost') return { rejected: `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${claim.spec?.volumeName ?? ''}"` };
    if (claim.metadata.deletionTimestamp) return { rejected: `persistentvolumeclaim "${name}" is being deleted` };
    claims.push(claim);
  }
  const boundVolumes: KObject[] = [];
  const delayed: KObject[] = [];
  let immediate = false;
  for (const claim of claims) {
    const pv = claim.spec?.volumeName ? state.get('PersistentVolume', undefined, claim.spec.volumeName) : undefined;
    // a claim counts as bound once its volume exists (binder.go isPVCFullyBound: volumeName set and the bind annotation)
    if (pv && claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'] === 'yes') boundVolumes.push(pv);
    else if (isDelayBinding(state, claim)) delayed.push(claim);
    else immediate = true;
  }
  if (immediate) return { rejected: 'pod has unbound immediate PersistentVolumeClaims' };
  return { boundVolumes, delayed };
}

/** Whether a delayed claim with no volume to take can have one provisioned (checkVolumeProvisions). */
function canProvision(state: State, claim: KObject): boolean {
  const sc = state.get('StorageClass', undefined, pvcClass(claim));
  return !!sc && sc.provisioner !== NO_PROVISIONER;
}

/** The static volume each delayed claim would take on the node (undefined: provisioned), or a rejection. */
function findVolumes(state: State, plan: { delayed: KObject[] }, node: KObject): { picks: Map<KObject, KObject | undefined> } | { reason: string } {
  const picks = new Map<KObject, KObject | undefined>();
  const taken = new Set<string>();
  const volumes = state.list('PersistentVolume');
  for (const claim of plan.delayed) {
    const pv = findBestMatch(claim, volumes.filter((v) => !taken.has(v.metadata.name)), node, true);
    if (pv) {
      taken.add(pv.metadata.name);
      picks.set(claim, pv);
    } else if (claim.metadata.annotations?.[ANN_SELECTED_NODE] || canProvision(state, claim)) picks.set(claim, undefined);
    else return { reason: ERR_BIND_CONFLICT };
  }
  return { picks };
}

/** Filter on one node. */
export function volumeFilter(state: State, plan: VolumePlan | undefined, node: KObject): Rejection | undefined {
  if (!plan || 'rejected' in plan) return undefined;
  const reasons: string[] = [];
  if (plan.boundVolumes.some((pv) => !volumeFitsNode(pv, node))) reasons.push(ERR_NODE_CONFLICT);
  if (plan.delayed.length) {
    const r = findVolumes(state, plan, node);
    if ('reason' in r) reasons.push(r.reason);
  }
  return reasons.length ? { reasons, unresolvable: true } : undefined;
}

/** PreBind: the volumes chosen on the node bound to their claims, the others marked for provisioning there. */
export function bindPodVolumes(state: State, plan: VolumePlan | undefined, node: KObject): void {
  if (!plan || 'rejected' in plan || plan.delayed.length === 0) return;
  const r = findVolumes(state, plan, node);
  if ('reason' in r) return;
  for (const [claim, pv] of r.picks) {
    if (pv) {
      if (pv.spec?.claimRef) continue;
      const upd = clone(pv);
      upd.metadata.annotations = { ...(upd.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      upd.spec.claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata.name, namespace: claim.metadata.namespace, resourceVersion: claim.metadata.resourceVersion, uid: claim.metadata.uid };
      state.replace(upd);
    } else if (!claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
      const upd = clone(claim);
      upd.metadata.annotations = { ...(upd.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: node.metadata.name };
      state.replace(upd);
    }
  }
}
