// The DaemonSet controller (pkg/controller/daemon, 1.32): one pod on every node the set's template
// fits (nodeSelector, required node affinity, the node's NoSchedule/NoExecute taints), each pinned
// to its node by a matchFields node affinity and left to the scheduler to bind; the pods of nodes
// it no longer fits are deleted, rolling updates replace old pods maxUnavailable at a time, and the
// status counts the nodes.
import { StatusError } from '../api/errors';
import { createObject, deleteObject } from '../apiserver/registry';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone, cmp } from '../util/compare';
import { availableAt, isActivePod, isPodAvailable, isPodReady } from '../api/podutil';
import { nowMs } from '../util/clock';
import { dueTimers, wakeAt } from './timers';
import { matchesNodeSelectorAndAffinity } from '../api/nodeaffinity';
import { templateGeneration } from '../api/daemonset';
import { recordEvent } from './events';
import { podTemplateHash } from './deployment';
import { tolerates } from './schedplugins';
import { SYSTEM_PRIORITY_CLASSES } from '../api/priority';
import { podFromTemplate } from './podtemplate';
import { currentRevision, ownedRevisions, pruneRevisions, revisionName, revisionObject, templatePatch, type NewRevision } from './history';
import { Rand } from '../util/rand';
import { addTo, type Groups } from '../util/groups';

const SOURCE = { component: 'daemonset-controller' };
export const REVISION_HASH = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** The tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations), in its order. */
function daemonTolerations(hostNetwork: boolean): Record<string, string>[] {
  const t = (key: string, effect: string) => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const list = [t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'), t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule')];
  if (hostNetwork) list.push(t('network-unavailable', 'NoSchedule'));
  return list;
}

const sameToleration = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** v1helper.AddOrUpdateTolerationInPodSpec for each daemon toleration. */
function withDaemonTolerations(spec: KObject['spec']): void {
  const list: Record<string, unknown>[] = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(!!spec.hostNetwork)) if (!list.some((x) => sameToleration(x, t))) list.push(t);
  spec.tolerations = list;
}

/** The current revision's hash (the ControllerRevision's name suffix in Kubernetes). */
export function daemonSetHash(ds: KObject): string {
  return podTemplateHash(ds.spec?.template ?? {}, ds.status?.collisionCount ?? 0);
}

/** NodeShouldRunDaemonPod: [shouldRun, shouldContinueRunning] for a node. */
export function nodeShouldRun(ds: KObject, node: KObject): [boolean, boolean] {
  const pod = { spec: clone(ds.spec?.template?.spec ?? {}) } as unknown as KObject;
  withDaemonTolerations(pod.spec);
  if (!matchesNodeSelectorAndAffinity(pod, node)) return [false, false];
  const taints: { key: string; value?: string; effect: string }[] = node.spec?.taints ?? [];
  const untolerated = taints.filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, t));
  return [untolerated.length === 0, !untolerated.some((t) => t.effect === 'NoExecute')];
}

/** util.GetTargetNodeName: the pod's node, or the node its matchFields affinity names. */
function targetNode(p: KObject): string | undefined {
  if (p.spec?.nodeName) return p.spec.nodeName;
  for (const term of p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** The pod the controller makes for a node (NewPod, then the node affinity and tolerations). */
export function newPod(ds: KObject, node: string, hash: string): KObject {
  const pod = podFromTemplate(ds);
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_HASH]: hash, [TEMPLATE_GENERATION_LABEL]: String(templateGeneration(ds)) };
  const spec = pod.spec;
  withDaemonTolerations(spec);
  // the Priority admission plugin's value for the system classes, for pods bootstrap stores without
  // admission (createObject's admission sets it for the others, apiserver/priorityadmission.ts)
  const builtin = SYSTEM_PRIORITY_CLASSES.find(([name]) => name === spec.priorityClassName)?.[1];
  if (builtin !== undefined && spec.priority === undefined) spec.priority = builtin;
  // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become this one
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  spec.affinity = { ...(spec.affinity ?? {}) };
  spec.affinity.nodeAffinity = { ...(spec.affinity.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  return pod;
}

function controllerRef(p: KObject | undefined): { name: string; uid: string } | undefined {
  return (p?.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === 'DaemonSet');
}

/** What a node change means to daemon sets: a node came or went, or its labels or taints changed. */
function nodeChanged(state: State, c: { name: string; old?: KObject }): boolean {
  const now = state.get('Node', undefined, c.name);
  if (!now || !c.old) return true;
  const key = (n: KObject) => JSON.stringify([n.metadata.labels ?? {}, n.spec?.taints ?? []]);
  return key(now) !== key(c.old);
}

function affected(state: State, since: number): KObject[] {
  const names: Groups = new Map();
  const add = (ns: string, name: string | undefined) => addTo(names, ns, name);
  let all = false;
  for (const c of state.changesSince(since, ['DaemonSet', 'Pod', 'Node', 'ResourceQuota', 'LimitRange'])) {
    if (c.kind === 'DaemonSet') add(c.namespace, c.name);
    // a quota or limit range changed: the namespace's sets retry the pods they may have been refused
    else if (c.kind === 'ResourceQuota' || c.kind === 'LimitRange') for (const ds of state.list('DaemonSet', c.namespace)) add(c.namespace, ds.metadata.name);
    else if (c.kind === 'Pod') for (const p of [c.old, state.get('Pod', c.namespace, c.name)]) add(c.namespace, controllerRef(p)?.name);
    else if (!all && nodeChanged(state, c)) all = true;
  }
  // sets whose ready pods' minReadySeconds ran out
  for (const [ns, name] of dueTimers(state, 'DaemonSet', nowMs())) add(ns, name);
  if (all) return state.list('DaemonSet');
  return [...names.keys()].sort(cmp).flatMap((ns) => state.pick('DaemonSet', ns, names.get(ns)!));
}

/** podutil.IsPodAvailable with the set's minReadySeconds: what the rolling update and the status count. */
const isAvailable = (ds: KObject, p: KObject) => isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, nowMs());

const byCreation = (a: KObject, b: KObject) => cmp(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || cmp(a.metadata.name, b.metadata.name);

function intOrPercent(v: unknown, total: number): number {
  if (typeof v === 'string' && v.endsWith('%')) return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
  return typeof v === 'number' ? v : 0;
}

export function syncDaemonSets(state: State, since = 0): void {
  const sets = affected(state, since);
  if (!sets.length) return;
  const nodes = state.list('Node').sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  for (const ds of sets) {
    if (ds.metadata.deletionTimestamp) continue;
    syncOne(state, ds, nodes);
  }
}

function daemonPods(state: State, ds: KObject): Map<string, KObject[]> {
  const byNode = new Map<string, KObject[]>();
  const pods = state.listReferring('Pod', ds.metadata.namespace as string, ds.metadata.uid as string).filter((p) => controllerRef(p)?.uid === ds.metadata.uid);
  for (const p of pods.sort(byCreation)) {
    const node = targetNode(p);
    if (node === undefined) continue;
    if (!byNode.has(node)) byNode.set(node, []);
    byNode.get(node)!.push(p);
  }
  return byNode;
}

function remove(state: State, ds: KObject, p: KObject): void {
  try {
    deleteObject(state, resourceByKind('Pod'), p.metadata.namespace, p.metadata.name);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    return;
  }
  recordEvent(state, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, SOURCE);
}

/**
 * constructHistory: the ControllerRevision of the set's template (<set>-<hash>, labelled with the
 * template's labels and the hash), made or renumbered to the newest (update.go).
 */
export function daemonSetRevision(state: State, ds: KObject): KObject {
  return currentRevision(state, ds, (cc) => revisionOf(ds, cc), ownedRevisions(state, ds)).revision;
}

/** snapshot: the revision of the set's template (<set>-<hash>, its labels and the hash label). */
export function revisionOf(ds: KObject, collisionCount = ds.status?.collisionCount ?? 0): NewRevision {
  const hash = podTemplateHash(ds.spec?.template ?? {}, collisionCount);
  return { name: revisionName(ds.metadata.name, hash), hash, labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH]: hash }, data: templatePatch(ds) };
}

/**
 * The first revision of a set that has none, stored directly with a uid derived from the set's (the
 * seeded sequence stays where it was): kube-proxy's at bootstrap, and older states' sets.
 */
export function addFirstRevision(state: State, ds: KObject): void {
  if (ownedRevisions(state, ds).length) return;
  state.add(revisionObject(ds, revisionOf(ds), 1), Rand.fromSeed(`${ds.metadata.uid}/revision`).uuid());
}

/** cleanupHistory: revisions no pod of the set uses, past revisionHistoryLimit, oldest first. */
function cleanupHistory(state: State, ds: KObject, current: KObject): void {
  const live = new Set<string>([current.metadata.name]);
  for (const pods of daemonPods(state, ds).values()) for (const p of pods) if (p.metadata.labels?.[REVISION_HASH]) live.add(revisionName(ds.metadata.name, p.metadata.labels[REVISION_HASH]));
  pruneRevisions(state, ds, ownedRevisions(state, ds), live);
}

function syncOne(state: State, ds: KObject, nodes: KObject[]): void {
  const hash = daemonSetHash(ds);
  const revision = daemonSetRevision(state, ds);
  manage(state, ds, nodes, hash);
  // the old pods a rolling update deletes are replaced at once, while they terminate (the pod
  // update requeues the set in Kubernetes; here the same sync goes on)
  if (ds.spec?.updateStrategy?.type === 'RollingUpdate' && rollingUpdate(state, ds, nodes, hash)) manage(state, ds, nodes, hash);
  updateStatus(state, ds, nodes, hash);
  cleanupHistory(state, ds, revision);
}

/** manage: podsShouldBeOnNode for every node, then the creations and deletions (syncNodes). */
function manage(state: State, ds: KObject, nodes: KObject[], hash: string): void {
  const byNode = daemonPods(state, ds);
  // manage: podsShouldBeOnNode for every node
  const create: string[] = [];
  const del: KObject[] = [];
  for (const node of nodes) {
    const name = node.metadata.name;
    const pods = byNode.get(name) ?? [];
    const [shouldRun, shouldContinue] = nodeShouldRun(ds, node);
    if (shouldRun) {
      const running: KObject[] = [];
      for (const p of pods) {
        if (p.metadata.deletionTimestamp) continue;
        if (p.status?.phase === 'Failed') {
          del.push(p);
          continue;
        }
        running.push(p);
      }
      if (running.length === 0) create.push(name);
      else if (running.length > 1) del.push(...extraPods(ds, running, hash));
    } else if (!shouldContinue) {
      for (const p of pods) if (!p.metadata.deletionTimestamp) del.push(p);
    }
  }
  // nodes that no longer exist: their pods go (the pod GC's part, done here)
  const names = new Set(nodes.map((n) => n.metadata.name));
  for (const [node, pods] of byNode) if (!names.has(node)) for (const p of pods) if (!p.metadata.deletionTimestamp && !p.spec?.nodeName) del.push(p);
  syncNodes(state, ds, del, create, hash);
}

/** syncNodes: the creations (the first refusal ends them, as a Warning event), then the deletions. */
function syncNodes(state: State, ds: KObject, del: KObject[], create: string[], hash: string): void {
  for (const node of create) {
    let pod: KObject;
    try {
      pod = createObject(state, newPod(ds, node, hash));
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      recordEvent(state, ds, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, SOURCE);
      break;
    }
    recordEvent(state, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
  }
  for (const p of del) remove(state, ds, p);
}

const surgeOf = (ds: KObject, desired: number) =>
  ds.spec?.updateStrategy?.type === 'RollingUpdate' ? intOrPercent(ds.spec.updateStrategy.rollingUpdate?.maxSurge ?? 0, desired) : 0;

/**
 * podsShouldBeOnNode's extra running pods (oldest first in `running`): without surge all but the
 * oldest; with surge an old and a new pod may share the node while the new one is not ready yet and
 * the old one is, otherwise only the oldest new one stays (or the oldest, if none is new).
 */
function extraPods(ds: KObject, running: KObject[], hash: string): KObject[] {
  if (surgeOf(ds, 1) <= 0) return running.slice(1);
  const newest = running.find((p) => p.metadata.labels?.[REVISION_HASH] === hash);
  const oldest = running.find((p) => p.metadata.labels?.[REVISION_HASH] !== hash);
  const keep = new Set<KObject>();
  if (newest && oldest && !isAvailable(ds, newest) && isAvailable(ds, oldest)) keep.add(newest).add(oldest);
  else keep.add(newest ?? running[0]);
  return running.filter((p) => !keep.has(p));
}

/**
 * update.go rollingUpdate, maxSurge 0: old pods deleted while fewer than maxUnavailable are
 * unavailable (an old pod that is not ready anyway goes at once). Returns whether it deleted any.
 */
function rollingUpdate(state: State, ds: KObject, nodes: KObject[], hash: string): boolean {
  const byNode = daemonPods(state, ds);
  const desired = nodes.filter((n) => nodeShouldRun(ds, n)[0]).length;
  const maxSurge = surgeOf(ds, desired);
  if (maxSurge > 0) return surgingUpdate(state, ds, nodes, hash, byNode, maxSurge);
  const maxUnavailable = Math.max(intOrPercent(ds.spec.updateStrategy.rollingUpdate?.maxUnavailable ?? 1, desired), 0);
  let unavailable = 0;
  const replace: KObject[] = [];
  const candidates: KObject[] = [];
  for (const node of nodes) {
    if (!nodeShouldRun(ds, node)[0]) continue;
    const pods = (byNode.get(node.metadata.name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const updated = pods.filter((p) => p.metadata.labels?.[REVISION_HASH] === hash);
    const old = pods.filter((p) => p.metadata.labels?.[REVISION_HASH] !== hash);
    if (pods.length > 1 || pods.length === 0) {
      unavailable++;
      continue;
    }
    if (updated.length) {
      if (!isAvailable(ds, updated[0])) unavailable++;
      continue;
    }
    if (!isAvailable(ds, old[0])) replace.push(old[0]);
    else if (unavailable < maxUnavailable) candidates.push(old[0]);
  }
  const room = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
  const victims = [...replace, ...candidates.slice(0, room)];
  for (const p of victims) remove(state, ds, p);
  return victims.length > 0;
}

/**
 * update.go rollingUpdate with maxSurge: a new pod beside each old one, up to maxSurge nodes at a
 * time (at once where the old pod is not ready); the old pod goes when the new one is ready.
 */
function surgingUpdate(state: State, ds: KObject, nodes: KObject[], hash: string, byNode: Map<string, KObject[]>, maxSurge: number): boolean {
  const del: KObject[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let surge = 0;
  for (const node of nodes) {
    if (!nodeShouldRun(ds, node)[0]) continue;
    const name = node.metadata.name;
    const pods = (byNode.get(name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const updated = pods.filter((p) => p.metadata.labels?.[REVISION_HASH] === hash);
    const old = pods.filter((p) => p.metadata.labels?.[REVISION_HASH] !== hash);
    if (updated.length > 1 || old.length > 1) {
      surge++;
      continue;
    }
    if (!old.length) continue;
    if (!updated.length) {
      if (!isAvailable(ds, old[0])) allowed.push(name);
      else if (surge < maxSurge) candidates.push(name);
      continue;
    }
    if (!isAvailable(ds, updated[0])) surge++;
    else del.push(old[0]);
  }
  const create = [...allowed, ...candidates.slice(0, Math.min(Math.max(maxSurge - surge, 0), candidates.length))];
  syncNodes(state, ds, del, create, hash);
  return del.length + create.length > 0;
}

function updateStatus(state: State, ds: KObject, nodes: KObject[], hash: string): void {
  const byNode = daemonPods(state, ds);
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let available = 0;
  const now = nowMs();
  // the next moment a ready pod becomes available (minReadySeconds): the set looks again then
  let wake: number | undefined;
  for (const node of nodes) {
    const pods = (byNode.get(node.metadata.name) ?? []).filter((p) => isActivePod(p) || !!p.metadata.deletionTimestamp);
    const [shouldRun] = nodeShouldRun(ds, node);
    if (!shouldRun) {
      if (pods.length) misscheduled++;
      continue;
    }
    desired++;
    if (!pods.length) continue;
    current++;
    // podByCreationTimestampAndPhase: scheduled pods first, then the oldest
    const pod = [...pods].sort((a, b) => Number(!a.spec?.nodeName) - Number(!b.spec?.nodeName) || byCreation(a, b))[0];
    if (isPodReady(pod)) ready++;
    const at = availableAt(pod, ds.spec?.minReadySeconds ?? 0);
    if (at !== undefined && at <= now) available++;
    else if (at !== undefined) wake = Math.min(wake ?? Infinity, at);
    if (pod.metadata.labels?.[REVISION_HASH] === hash) updated++;
  }
  const status: Record<string, unknown> = { currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready, observedGeneration: ds.metadata.generation ?? 1 };
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (desired - available) status.numberUnavailable = desired - available;
  wakeAt(state, 'DaemonSet', ds.metadata.namespace as string, ds.metadata.name, wake);
  const cur = state.get('DaemonSet', ds.metadata.namespace, ds.metadata.name);
  if (!cur) return;
  const upd = clone(cur);
  upd.status = status;
  state.replace(upd);
}
