// The ReplicaSet controller: keep spec.replicas pods that the set owns, creating from the template
// or deleting the least valuable first (pkg/controller/replicaset, ActivePodsWithRanks), and report
// status. A pod deleted by hand is simply one too few on the next reconcile.
import { StatusError } from '../api/errors';
import { createObject, deleteObject } from '../apiserver/registry';
import { rfc3339 } from '../util/clock';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone, cmp } from '../util/compare';
import { addTo, type Groups } from '../util/groups';
import { availableAt, isPodReady } from '../api/podutil';
import { nowMs } from '../util/clock';
import { dueTimers, wakeAt } from './timers';
import { recordEvent } from './events';
import { isActivePod } from '../api/podutil';
import { podFromTemplate } from './podtemplate';

const SOURCE = { component: 'replicaset-controller' };

/** Pods a controller may keep, in the order kubectl and the controller consider "most active" first. */
function rank(p: KObject): number[] {
  const phase = p.status?.phase;
  return [p.spec?.nodeName ? 1 : 0, phase === 'Running' ? 2 : phase === 'Pending' ? 1 : 0, isPodReady(p) ? 1 : 0];
}

/** The deletion order: unscheduled, pending, not ready, then the newest first. */
function deletionOrder(a: KObject, b: KObject): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  return cmp(b.metadata.creationTimestamp ?? '', a.metadata.creationTimestamp ?? '') || cmp(b.metadata.name, a.metadata.name);
}


function controllerRef(p: KObject | undefined): { name: string; uid: string } | undefined {
  return (p?.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === 'ReplicaSet');
}

/** The ReplicaSets to sync, by namespace: those changed since the last pass and the owners of changed pods. */
function affected(state: State, since: number): Map<string, Set<string>> {
  const out: Groups = new Map();
  const add = (ns: string, name: string | undefined) => addTo(out, ns, name);
  for (const c of state.changesSince(since, ['ReplicaSet', 'Pod', 'ServiceAccount', 'ResourceQuota', 'LimitRange'])) {
    if (c.kind === 'ReplicaSet') add(c.namespace, c.name);
    // a quota or limit range changed (raised, recounted, removed): the sets short of pods retry, as
    // the real controller's rate-limited requeue of a failed sync does
    else if (c.kind === 'ResourceQuota' || c.kind === 'LimitRange') {
      for (const rs of state.list('ReplicaSet', c.namespace)) if ((rs.status?.replicas ?? 0) < (rs.spec?.replicas ?? 1)) add(c.namespace, rs.metadata.name);
    }
    // a new ServiceAccount: the sets short of pods retry (their pods may have been refused for want of it)
    else if (c.kind === 'ServiceAccount') {
      if (!c.old) for (const rs of state.list('ReplicaSet', c.namespace)) if ((rs.status?.replicas ?? 0) < (rs.spec?.replicas ?? 1)) add(c.namespace, rs.metadata.name);
    }
    else for (const p of [c.old, state.get('Pod', c.namespace, c.name)]) add(c.namespace, controllerRef(p)?.name);
  }
  // sets whose ready pods' minReadySeconds ran out
  for (const [ns, name] of dueTimers(state, 'ReplicaSet', nowMs())) add(ns, name);
  return out;
}

export function syncReplicaSets(state: State, since = 0): void {
  const todo = affected(state, since);
  for (const rs of [...todo.keys()].sort(cmp).flatMap((ns) => state.pick('ReplicaSet', ns, todo.get(ns)!))) {
    // the pods it controls (only pods whose text names its uid are parsed)
    const mine = state
      .listReferring('Pod', rs.metadata.namespace as string, rs.metadata.uid as string)
      .filter((p) => controllerRef(p)?.uid === rs.metadata.uid && isActivePod(p) && !p.metadata.deletionTimestamp);
    const want = rs.spec?.replicas ?? 1;
    let failure: string | undefined;
    if (mine.length < want) {
      for (let i = mine.length; i < want; i++) {
        let pod: KObject;
        try {
          pod = createObject(state, podFromTemplate(rs));
        } catch (e) {
          // manageReplicas: the first refusal ends this sync's creations, as a Warning event
          if (!(e instanceof StatusError)) throw e;
          failure = e.message;
          recordEvent(state, rs, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, SOURCE);
          break;
        }
        mine.push(pod);
        recordEvent(state, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      }
    } else if (mine.length > want) {
      const victims = [...mine].sort(deletionOrder).slice(0, mine.length - want);
      for (const v of victims) {
        deleteObject(state, resourceByKind('Pod'), v.metadata.namespace, v.metadata.name);
        recordEvent(state, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`, SOURCE);
        mine.splice(mine.indexOf(v), 1);
      }
    }
    updateStatus(state, rs, mine, failure);
  }
}

/**
 * calculateStatus (pkg/controller/replicaset/replica_set_utils.go): a failed create sets the
 * ReplicaFailure condition (reason FailedCreate) once; a sync without failure removes it.
 */
function replicaFailure(rs: KObject, failure: string | undefined): unknown[] | undefined {
  const conds: Record<string, unknown>[] = Array.isArray(rs.status?.conditions) ? rs.status.conditions : [];
  const others = conds.filter((c) => c?.type !== 'ReplicaFailure');
  const existing = conds.find((c) => c?.type === 'ReplicaFailure');
  if (failure !== undefined) {
    others.push(existing ?? { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(), reason: 'FailedCreate', message: failure });
  }
  return others.length ? others : undefined;
}

function updateStatus(state: State, rs: KObject, pods: KObject[], failure?: string): void {
  const ready = pods.filter(isPodReady).length;
  // available: ready for minReadySeconds; the set looks again when the next one becomes so
  const now = nowMs();
  const at = pods.map((p) => availableAt(p, rs.spec?.minReadySeconds ?? 0)).filter((t): t is number => t !== undefined);
  const available = at.filter((t) => t <= now).length;
  const next = at.filter((t) => t > now);
  wakeAt(state, 'ReplicaSet', rs.metadata.namespace as string, rs.metadata.name, next.length ? Math.min(...next) : undefined);
  const labels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const fully = pods.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v)).length;
  const status: Record<string, unknown> = { replicas: pods.length };
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation ?? 1;
  const cur = state.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name)!;
  const conditions = replicaFailure(cur, failure);
  if (conditions) status.conditions = conditions;
  const upd = clone(cur);
  upd.status = status;
  state.replace(upd);
}
