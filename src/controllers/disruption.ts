// The disruption controller (kubernetes pkg/controller/disruption/disruption.go, 1.32): for each
// PodDisruptionBudget, the pods its selector matches, how many of them are expected (the scale of
// their controllers, for maxUnavailable and percentages) and healthy (ready, not being deleted, not
// just evicted), and so how many may be disrupted now. The eviction handler (apiserver/eviction.ts)
// spends that allowance; this controller recomputes it as pods come, go and become ready.
import { scaledValue, setDisruptionCondition, updateDisruptionAllowedCondition } from '../api/policy';
import { isPodReady } from '../api/podutil';
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/workloads';
import type { State } from '../store/state';
import { nowMs } from '../util/clock';
import { clone } from '../util/compare';
import { recordEvent } from './events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const SOURCE = { component: 'controllermanager' };
/** DeletionTimeout: how long an eviction's entry in disruptedPods keeps its pod out of the count. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** getPodsForPdb: LabelSelectorAsSelector (nil selects nothing, {} everything) over the namespace. */
export function podsForPdb(state: State, pdb: KObject): KObject[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  return state.list('Pod', pdb.metadata.namespace).filter((p) => selectorMatches(sel, p.metadata.labels));
}

const controllerOf = (o: KObject): Obj | undefined => (o.metadata.ownerReferences ?? []).find((r: Obj) => r.controller);

function find(state: State, kind: string, ns: string, ref: Obj): KObject | undefined {
  let o: KObject | undefined;
  try {
    o = state.get(kind, ns, ref.name);
  } catch {
    return undefined; // a kind this cluster does not serve
  }
  return o && o.metadata.uid === ref.uid ? o : undefined;
}

/**
 * The finders of getExpectedScale, in order: a ReplicaSet's Deployment, a ReplicaSet on its own, a
 * StatefulSet, a ReplicationController: [controller uid, its spec.replicas].
 */
function controllerScale(state: State, ns: string, ref: Obj): [string, number] | undefined {
  const replicas = (o: KObject): [string, number] => [o.metadata.uid as string, Number(o.spec?.replicas ?? 0)];
  if (ref.kind === 'ReplicaSet') {
    const rs = find(state, 'ReplicaSet', ns, ref);
    if (!rs) return undefined;
    const owner = controllerOf(rs);
    if (owner?.kind === 'Deployment') {
      const d = find(state, 'Deployment', ns, owner);
      return d ? replicas(d) : undefined;
    }
    return replicas(rs);
  }
  if (ref.kind === 'StatefulSet' || ref.kind === 'ReplicationController') {
    const o = find(state, ref.kind, ns, ref);
    return o ? replicas(o) : undefined;
  }
  return undefined; // the generic scale finder: no other kind kubesim serves has a scale subresource
}

/**
 * getExpectedScale: the sum of the scales of the pods' controllers; a pod whose controller has none
 * is an error; pods without a controller are left out (and reported: `unmanaged`).
 */
function expectedScale(state: State, ns: string, pods: KObject[], unmanaged: string[]): number {
  const scales = new Map<string, number>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) unmanaged.push(pod.metadata.name);
    if (!ref || scales.has(ref.uid)) continue;
    const found = controllerScale(state, ns, ref);
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
    scales.set(found[0], found[1]);
  }
  let total = 0;
  for (const n of scales.values()) total += n;
  return total;
}

/** getExpectedPodCount: [expectedCount, desiredHealthy]; `unmanaged` gets the pods without a controller it met. */
function expectedPodCount(state: State, pdb: KObject, pods: KObject[], unmanaged: string[]): [number, number] {
  const spec = pdb.spec ?? {};
  const ns = pdb.metadata.namespace as string;
  if (spec.maxUnavailable != null) {
    const expected = expectedScale(state, ns, pods, unmanaged);
    return [expected, Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true))];
  }
  if (spec.minAvailable != null) {
    if (typeof spec.minAvailable === 'number') return [pods.length, spec.minAvailable];
    const expected = expectedScale(state, ns, pods, unmanaged);
    return [expected, scaledValue(spec.minAvailable, expected, true)];
  }
  return [0, 0];
}

/** buildDisruptedPodMap: the evictions still expected to delete their pod (entries of deleted pods go). */
function disruptedPodMap(state: State, pdb: KObject, pods: KObject[], now: number): Record<string, string> {
  const was: Record<string, string> = pdb.status?.disruptedPods ?? {};
  const out: Record<string, string> = {};
  for (const pod of pods) {
    const at = was[pod.metadata.name];
    if (pod.metadata.deletionTimestamp || at === undefined) continue;
    // an eviction whose pod was not deleted within DeletionTimeout no longer counts (the controller
    // re-checks at that moment; kubesim's next look at the budget does it)
    if (Date.parse(at) + DELETION_TIMEOUT_MS < now) recordEvent(state, pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`, SOURCE);
    else out[pod.metadata.name] = at;
  }
  return out;
}

/** countHealthyPods: ready, not being deleted, not just evicted. */
function countHealthy(pods: KObject[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

function syncPdb(state: State, pdb: KObject, now: number): void {
  const pods = podsForPdb(state, pdb);
  const upd = clone(pdb);
  let counts: [number, number];
  const unmanaged: string[] = [];
  try {
    counts = expectedPodCount(state, pdb, pods, unmanaged);
  } catch (e) {
    // failSafe: nothing may be disrupted while the numbers cannot be worked out
    const st: Obj = { ...(upd.status ?? {}), disruptionsAllowed: 0 };
    setDisruptionCondition(st, 'False', 'SyncFailed', (e as Error).message);
    upd.status = st;
    // the event of this sync and of the one the status update brings (see below)
    if (state.replace(upd)) recordEvent(state, pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(e as Error).message}`, SOURCE, undefined, 2);
    return;
  }
  const [expected, desired] = counts;
  const disrupted = disruptedPodMap(state, pdb, pods, now);
  const healthy = countHealthy(pods, disrupted, now);
  // expectedCount must be > 0: a budget whose first pods the controller has not seen yet stays safe
  const allowed = expected <= 0 || healthy - desired <= 0 ? 0 : healthy - desired;
  const status: Obj = { observedGeneration: pdb.metadata.generation ?? 1 };
  if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
  Object.assign(status, { disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected });
  if (pdb.status?.conditions) status.conditions = clone(pdb.status.conditions);
  updateDisruptionAllowedCondition(status);
  upd.status = status;
  const changed = state.replace(upd);
  // trySync records these on every sync; a status update brings one more sync (kubesim records
  // them when the status changes: that sync and the one its update brings)
  if (!changed) return;
  if (!pods.length) recordEvent(state, pdb, 'Normal', 'NoPods', 'No matching pods found', SOURCE, undefined, 2);
  if (unmanaged.length) {
    const msg =
      `Pods selected by this PodDisruptionBudget (selector: ${selectorString(pdb.spec?.selector)}) were found to be unmanaged. ` +
      'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
      'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.';
    recordEvent(state, pdb, 'Warning', 'UnmanagedPods', msg, SOURCE, undefined, 2);
  }
}

/** *metav1.LabelSelector as %v prints it: its generated (gogo protobuf) String(). */
function selectorString(sel: Obj | undefined): string {
  if (!sel) return 'nil';
  const labels = sel.matchLabels ?? {};
  const ml = Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${labels[k]},`)
    .join('');
  const me = (sel.matchExpressions ?? []).map((e: Obj) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${ml}},MatchExpressions:[]LabelSelectorRequirement{${me}},}`;
}

/** Level-triggered: every budget of the namespaces in scope, recomputed from the pods as they are. */
export function syncDisruptionBudgets(state: State): void {
  const now = nowMs();
  for (const pdb of state.list('PodDisruptionBudget')) syncPdb(state, pdb, now);
}
