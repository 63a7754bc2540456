// The resource quota controller (kubernetes pkg/controller/resourcequota/resource_quota_controller.go
// syncResourceQuota, with quota.CalculateUsage): each quota's status.hard is its spec.hard, and
// status.used is what the namespace's objects use of each hard resource, recounted whenever a quota
// or an object it may count changes (the controller's replenishment): a deleted object, a pod that
// ended (terminal pods use no compute), a pod past its grace period.
import { addUsage, matchingResources, quotaMatches, quotaTracks, usageOf, type Usage } from '../api/quotaeval';
import { goQuantityString } from '../api/quota';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone } from '../util/compare';
import { deepEqual } from '../store/state';
import { resourceByKind, type Resource } from '../api/resources';

/** The kinds whose objects quotas count (a quota on another kind's count/… is recounted when the quota changes). */
export const QUOTA_READS = [
  'ResourceQuota', 'Pod', 'Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'ReplicationController', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'ServiceAccount', 'LimitRange', 'ControllerRevision', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
];

/** CalculateUsage: the sum over every kind with a resource in hard, of the objects the quota matches. */
export function calculateUsage(state: State, rq: KObject, hard: string[]): Usage {
  const ns = rq.metadata.namespace as string;
  let used: Usage = {};
  const kinds = new Set<string>(['Pod', 'Service', 'PersistentVolumeClaim', 'ConfigMap', 'Secret', 'ResourceQuota', 'ReplicationController']);
  for (const h of hard) {
    if (!h.startsWith('count/')) continue;
    const kind = kindForCount(h.slice(6));
    if (kind) kinds.add(kind);
  }
  for (const kind of kinds) {
    if (!quotaTracks(kind)) continue;
    const names = matchingResources(kind, hard);
    if (!names.length) continue;
    // UsageStats starts every matched resource at zero
    used = addUsage(used, Object.fromEntries(names.filter((n) => !(n in used)).map((n) => [n, '0'])));
    for (const obj of state.list(kind, ns)) {
      if (!quotaMatches(rq, obj, hard)) continue;
      const u = usageOf(obj);
      used = addUsage(used, Object.fromEntries(names.filter((n) => n in u).map((n) => [n, u[n]])));
    }
  }
  return used;
}

/** count/<plural>[.<group>] → the kind, if kubesim serves it */
function kindForCount(name: string): string | undefined {
  const dot = name.indexOf('.');
  const plural = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? '' : name.slice(dot + 1);
  for (const kind of QUOTA_READS) {
    const r = resourceOf(kind);
    if (r && r.plural === plural && r.group === group) return kind;
  }
  return undefined;
}

const resourceOf = (kind: string): Resource | undefined => {
  try {
    return resourceByKind(kind);
  } catch {
    return undefined;
  }
};

/** syncResourceQuota for one quota: writes status only when it changed. */
export function syncQuota(state: State, rq: KObject): void {
  const specHard: Record<string, unknown> = rq.spec?.hard ?? {};
  const hard: Usage = Object.fromEntries(Object.keys(specHard).sort().map((k) => [k, goQuantityString(specHard[k])]));
  const computed = calculateUsage(state, rq, Object.keys(hard));
  const used: Usage = {};
  for (const k of Object.keys(hard).sort()) if (k in computed) used[k] = computed[k];
  const status: Record<string, unknown> = {};
  if (Object.keys(hard).length) status.hard = hard;
  if (Object.keys(used).length) status.used = used;
  if (deepEqual(rq.status ?? {}, status)) return;
  const upd = clone(rq);
  upd.status = status;
  state.replace(upd);
}

/** The namespaces where a quota or something it may count changed since the last pass; their quotas are recounted. */
export function syncResourceQuotas(state: State, since = 0): void {
  const namespaces = new Set<string>();
  for (const c of state.changesSince(since, QUOTA_READS)) if (c.namespace) namespaces.add(c.namespace);
  const withQuotas = new Set(state.namespacesOf('ResourceQuota'));
  for (const ns of [...namespaces].sort()) {
    if (!withQuotas.has(ns)) continue;
    for (const rq of state.list('ResourceQuota', ns)) syncQuota(state, rq);
  }
}
