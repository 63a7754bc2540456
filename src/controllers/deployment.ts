// The Deployment controller (pkg/controller/deployment), with rollouts that finish at once: the
// ReplicaSet whose template matches the Deployment's is scaled to spec.replicas, every other one to
// 0, each step recorded as a ScalingReplicaSet event, and the revision history kept as ReplicaSets.
import { createObject, deleteObject } from '../apiserver/registry';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import { deepEqual, type State } from '../store/state';
import { clone } from '../util/compare';
import { rfc3339 } from '../util/clock';
import { recordEvent } from './events';
import { ownedBy } from '../api/podutil';

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
const SOURCE = { component: 'deployment-controller' };
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * controller.ComputeHash: FNV-32a of the pod template, then rand.SafeEncodeString of the decimal
 * number. (Kubernetes hashes Go's spew dump of the struct; we hash canonical JSON, so the values
 * differ from a real cluster's but have the same form and stability.)
 */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = canonical(template) + (collisionCount ? `#${collisionCount}` : '');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The template without the hash label, as templates are compared (EqualIgnoreHash). */
function bareTemplate(t: KObject['spec']): unknown {
  const c = clone(t ?? {});
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  if (c.metadata) delete c.metadata.creationTimestamp;
  return c;
}

const revisionOf = (rs: KObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);

function newReplicaSet(state: State, d: KObject, revision: number): KObject {
  const hash = podTemplateHash(bareTemplate(d.spec.template), d.status?.collisionCount ?? 0);
  const template = clone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const replicas = d.spec.replicas ?? 1;
  return createObject(state, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(d.spec.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
      annotations: {
        ...copiedAnnotations(d),
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(int32Sum(replicas, surge(d))),
        [REVISION]: String(revision),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid as string }],
    },
    spec: {
      replicas: 0,
      // the set judges availability as the Deployment asks (getNewReplicaSet copies MinReadySeconds)
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [HASH_LABEL]: hash } },
      template,
    },
  });
}

/**
 * A rolling-update bound (an int or a percentage of replicas) as deploymentutil.ResolveFenceposts
 * resolves it: maxSurge rounds up, maxUnavailable down; Recreate allows neither.
 */
function fencepost(d: KObject, field: 'maxSurge' | 'maxUnavailable'): number {
  if (d.spec.strategy?.type === 'Recreate') return 0;
  const v = d.spec.strategy?.rollingUpdate?.[field];
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '25%'));
  if (!m) return 0;
  const exact = ((d.spec.replicas ?? 1) * Number(m[1])) / 100;
  return field === 'maxSurge' ? Math.ceil(exact) : Math.floor(exact);
}

const surge = (d: KObject) => fencepost(d, 'maxSurge');
/** Go's int32 addition, which wraps: replicas 2147483647 with a 25% surge annotates a negative max. */
const int32Sum = (a: number, b: number): number => (a + b) | 0;
const unavailableAllowed = (d: KObject) => fencepost(d, 'maxUnavailable');

function scale(state: State, d: KObject, rs: KObject, to: number, annotate: Record<string, string>): KObject {
  const from = rs.spec?.replicas ?? 0;
  const upd = clone(rs);
  upd.spec.replicas = to;
  upd.metadata.annotations = { ...(upd.metadata.annotations ?? {}), ...annotate };
  if (state.replace(upd) && from !== to) {
    recordEvent(state, d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, SOURCE);
  }
  return upd;
}

export function syncDeployments(state: State): void {
  const sets = state.list('ReplicaSet');
  for (const d of state.list('Deployment')) {
    const mine = sets.filter((rs) => ownedBy(rs, d));
    const want = bareTemplate(d.spec.template);
    let current = mine.find((rs) => deepEqual(bareTemplate(rs.spec.template), want));
    const maxRevision = Math.max(0, ...mine.map(revisionOf));
    let revision = current ? revisionOf(current) : maxRevision + 1;
    if (current && revision < maxRevision) revision = maxRevision + 1; // a rollback makes an old set the newest revision
    // a paused Deployment creates no new ReplicaSet (sync.go: getAllReplicaSetsAndSyncRevision with
    // createIfNotExisted false): its template change waits for resume
    if (!current && d.spec.paused) {
      cleanupHistory(state, d, mine);
      updateDeploymentStatus(state, d, undefined, maxRevision);
      continue;
    }
    if (!current) current = newReplicaSet(state, d, revision);
    else if ((current.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
      // getNewReplicaSet: the existing new set follows a changed minReadySeconds
      const upd = clone(current);
      if (d.spec.minReadySeconds) upd.spec.minReadySeconds = d.spec.minReadySeconds;
      else delete upd.spec.minReadySeconds;
      state.replace(upd);
      current = state.get('ReplicaSet', upd.metadata.namespace, upd.metadata.name) ?? upd;
    }
    const annotations = {
      ...copiedAnnotations(d),
      'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
      'deployment.kubernetes.io/max-replicas': String(int32Sum(d.spec.replicas ?? 1, surge(d))),
      [REVISION]: String(revision),
    };
    const old = mine.filter((rs) => rs.metadata.uid !== current!.metadata.uid);
    if (d.spec.paused) current = scale(state, d, current, current.spec.replicas ?? 0, annotations);
    else current = rollOut(state, d, current, old, annotations);
    cleanupHistory(state, d, old);
    updateDeploymentStatus(state, d, current, revision);
  }
}

/**
 * One step of the rollout (pkg/controller/deployment rolling.go / recreate.go). The reconcile loop
 * repeats it as pods become available, so a rolling update surges new pods and retires old ones in
 * the strategy's steps, writing the same ScalingReplicaSet events; a new pod that never becomes
 * available stalls it, with the old pods still serving, as on a real cluster.
 */
function rollOut(state: State, d: KObject, current: KObject, old: KObject[], annotations: Record<string, string>): KObject {
  const desired = d.spec.replicas ?? 1;
  const live = old.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (live.length === 0) return scale(state, d, current, desired, annotations);
  if (d.spec.strategy?.type === 'Recreate') {
    for (const rs of live) scale(state, d, rs, 0, {});
    const running = state.list('Pod', d.metadata.namespace).some((p) => live.some((rs) => ownedBy(p, rs)));
    return running ? scale(state, d, current, current.spec.replicas ?? 0, annotations) : scale(state, d, current, desired, annotations);
  }
  const all = (current.spec.replicas ?? 0) + live.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
  // scale up the new set within maxSurge
  const up = Math.min(desired - (current.spec.replicas ?? 0), desired + surge(d) - all);
  if (up > 0) current = scale(state, d, current, (current.spec.replicas ?? 0) + up, annotations);
  else current = scale(state, d, current, current.spec.replicas ?? 0, annotations);
  // scale old sets down as far as maxUnavailable allows, counting the new set's unavailable pods
  const newRS = state.get('ReplicaSet', current.metadata.namespace, current.metadata.name) ?? current;
  const total = (newRS.spec.replicas ?? 0) + live.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
  const newUnavailable = (newRS.spec.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
  let down = total - (desired - unavailableAllowed(d)) - newUnavailable;
  for (const rs of [...live].sort((a, b) => revisionOf(a) - revisionOf(b))) {
    if (down <= 0) break;
    const n = Math.min(down, rs.spec.replicas ?? 0);
    scale(state, d, rs, (rs.spec.replicas ?? 0) - n, {});
    down -= n;
  }
  return newRS;
}

/** Keeps revisionHistoryLimit old ReplicaSets (the newest ones); deletes older empty ones. */
function cleanupHistory(state: State, d: KObject, old: KObject[]): void {
  const limit = d.spec.revisionHistoryLimit ?? 10;
  const empty = old.filter((rs) => !(rs.spec?.replicas) && !(rs.status?.replicas)).sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) deleteObject(state, resourceByKind('ReplicaSet'), rs.metadata.namespace, rs.metadata.name);
}

/**
 * The Deployment's annotations the new ReplicaSet carries (deployment util
 * copyDeploymentAnnotationsToReplicaSet): kubernetes.io/change-cause among them, which is how
 * `rollout history` shows it; the controller's own and kubectl's last-applied are skipped.
 */
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);
function copiedAnnotations(d: KObject): Record<string, string> {
  return Object.fromEntries(Object.entries((d.metadata.annotations ?? {}) as Record<string, string>).filter(([k]) => !SKIPPED_ANNOTATIONS.has(k)));
}

function updateDeploymentStatus(state: State, d: KObject, current: KObject | undefined, revision: number): void {
  const sets = state.list('ReplicaSet', d.metadata.namespace).filter((rs) => ownedBy(rs, d));
  const sum = (f: (rs: KObject) => number) => sets.reduce((n, rs) => n + f(rs), 0);
  // paused with no ReplicaSet for the template yet: nothing is updated
  const cur: KObject = current ? (state.get('ReplicaSet', current.metadata.namespace, current.metadata.name) ?? current) : { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: '', uid: '' }, status: {} } as unknown as KObject;
  const replicas = sum((rs) => rs.status?.replicas ?? 0);
  const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const desired = d.spec.replicas ?? 1;
  const live = state.get('Deployment', d.metadata.namespace, d.metadata.name)!;
  const upd = clone(live);
  upd.metadata.annotations = { ...(upd.metadata.annotations ?? {}), [REVISION]: String(revision) };
  const old: { type: string; status: string; reason: string; message: string; lastTransitionTime: string; lastUpdateTime: string }[] = live.status?.conditions ?? [];
  const now = rfc3339();
  const cond = (type: string, status: string, reason: string, message: string) => {
    const prev = old.find((c) => c.type === type);
    const same = prev && prev.status === status && prev.reason === reason && prev.message === message;
    return { lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now, lastUpdateTime: same ? prev!.lastUpdateTime : now, message, reason, status, type };
  };
  const minAvailable = desired - unavailableAllowed(d);
  const conditions = [
    available >= minAvailable
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
    // checkPausedConditions (sync.go): a paused Deployment's progress is Unknown, not timed
    d.spec.paused
      ? cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused')
      : (cur.status?.availableReplicas ?? 0) >= desired && replicas === desired
      ? cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${cur.metadata.name}" has successfully progressed.`)
      : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${cur.metadata.name}" is progressing.`),
  ];
  // getReplicaFailures (progress.go): the new set's ReplicaFailure, else an old set's, becomes the
  // Deployment's (ReplicaSetToDeploymentCondition: both times from the set's transition)
  const failures = [cur, ...sets.filter((rs) => rs.metadata.uid !== cur.metadata.uid)].flatMap((rs) => ((rs.status?.conditions ?? []) as { type: string }[]).filter((c) => c.type === 'ReplicaFailure'));
  if (failures.length) {
    const f = failures[0] as Record<string, string>;
    conditions.push({ lastTransitionTime: f.lastTransitionTime, lastUpdateTime: f.lastTransitionTime, message: f.message, reason: f.reason, status: f.status, type: 'ReplicaFailure' });
  }
  const status: Record<string, unknown> = { observedGeneration: live.metadata.generation ?? 1, replicas, updatedReplicas: cur.status?.replicas ?? 0 };
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (replicas - available > 0) status.unavailableReplicas = replicas - available;
  status.conditions = conditions;
  if (!replicas) delete status.replicas;
  if (!status.updatedReplicas) delete status.updatedReplicas;
  upd.status = status;
  state.replace(upd);
}
