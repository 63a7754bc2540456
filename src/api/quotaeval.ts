// What an object costs in quota (kubernetes pkg/quota/v1/evaluator/core: pods.go, services.go,
// persistent_volume_claims.go, registry.go's legacy object-count aliases, and
// staging/src/k8s.io/apiserver/pkg/quota/v1/generic's object-count evaluator for count/<resource>),
// which quotas an object falls under (the scopes), and the resource-list arithmetic of
// pkg/quota/v1/resources.go. Quantities are kept as the text Go's Quantity.String() gives.
import { computePodQOS } from './qos';
import { addQuantity, cmpQuantity, formatQuantity, type Quantity } from './quantity';
import { goQuantityString, q } from './quota';
import { podLimits, podRequests } from './resourcehelper';
import { qualifiedPlural, resourceByKind } from './resources';
import type { KObject } from './types';
import { nowMs } from '../util/clock';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** A ResourceList: resource name → Quantity.String(). */
export type Usage = Record<string, string>;

// ---- arithmetic (quota/v1/resources.go) ----

/** quota.Add: a value alone keeps its text; a sum is canonical. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? formatQuantity(addQuantity(q(a[k]), q(v))) : v;
  return out;
}

export function maskUsage(u: Usage, names: Iterable<string>): Usage {
  const out: Usage = {};
  for (const n of names) if (n in u) out[n] = u[n];
  return out;
}

/** quota.SubtractWithNonNegativeResult */
export function subtractNonNegative(a: Usage, b: Usage): Usage {
  const out: Usage = {};
  for (const [k, v] of Object.entries(a)) {
    const d = k in b ? q(v).nanos - q(b[k]).nanos : q(v).nanos;
    out[k] = k in b ? formatQuantity({ nanos: d > 0n ? d : 0n, format: q(v).format }) : v;
  }
  return out;
}

export const isZeroUsage = (u: Usage) => Object.values(u).every((v) => q(v).nanos === 0n);
export const removeZeros = (u: Usage): Usage => Object.fromEntries(Object.entries(u).filter(([, v]) => q(v).nanos !== 0n));

/** quota.LessThanOrEqual against the hard limits: the names over their limit. */
export function exceededNames(used: Usage, hard: Usage): string[] {
  return Object.keys(hard)
    .sort()
    .filter((k) => k in used && cmpQuantity(q(used[k]), q(hard[k])) > 0);
}

/** prettyPrint: name=value, sorted, joined "," */
export const prettyPrint = (u: Usage) =>
  Object.keys(u)
    .sort()
    .map((k) => `${k}=${u[k]}`)
    .join(',');

// ---- pods (pods.go) ----

const POD_RESOURCES = new Set([
  'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods',
]);
/** the resources a quota must see asked for explicitly by every container (validationSet) */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const isPodResource = (n: string) => POD_RESOURCES.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || (n.startsWith('requests.') && n.slice(9).includes('/'));

/** podComputeUsageHelper: what requests and limits count as. */
function podComputeUsage(requests: Map<string, string>, limits: Map<string, string>): Usage {
  const u: Usage = { pods: '1' };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests.has(r)) {
      u[r] = requests.get(r)!;
      u[`requests.${r}`] = requests.get(r)!;
    }
    if (limits.has(r)) u[`limits.${r}`] = limits.get(r)!;
  }
  for (const [r, v] of requests) {
    if (r.startsWith('hugepages-')) {
      u[r] = v;
      u[`requests.${r}`] = v;
    }
    // an extended resource (fully qualified, outside kubernetes.io) counts only as requests.<name>
    if (r.includes('/') && !r.includes('kubernetes.io/')) u[`requests.${r}`] = v;
  }
  return u;
}

const textMap = (raw: unknown): Map<string, string> => new Map(Object.entries((raw ?? {}) as Obj).map(([k, v]) => [k, goQuantityString(v)]));

/** QuotaV1Pod: terminal pods, and pods past their grace period, no longer use compute resources. */
export function podUsesCompute(pod: KObject, now = nowMs()): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const del = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (del && grace !== undefined && now > Date.parse(del) + Number(grace) * 1000) return false;
  return true;
}

/** A single container's (or the sum's) list as text: one container's value keeps its own text. */
function listText(list: Map<string, Quantity>, single: Obj | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of list) out.set(k, single && k in single ? goQuantityString(single[k]) : formatQuantity(v));
  return out;
}

/** PodUsageFunc */
export function podUsage(pod: KObject): Usage {
  const u: Usage = { 'count/pods': '1' };
  if (!podUsesCompute(pod)) return u;
  const containers: Obj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const only = containers.length === 1 && !pod.spec?.overhead ? containers[0].resources : undefined;
  const reqs = listText(podRequests(pod), only?.requests);
  const lims = listText(podLimits(pod), only?.limits);
  return addUsage(u, podComputeUsage(reqs, lims));
}

/** pods.go Constraints: with cpu or memory under quota, every container must ask for them. */
export function podConstraints(pod: KObject, required: string[]): string | undefined {
  const need = required.filter((r) => VALIDATION_SET.has(r));
  if (!need.length) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as Obj[]) {
    const have = podComputeUsage(textMap(c.resources?.requests), textMap(c.resources?.limits));
    for (const r of need) if (!(r in have)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(String(c.name ?? ''));
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** podMatchesScopeFunc */
function podMatchesScope(pod: KObject, sel: Obj): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  const terminating = typeof deadline === 'number' && deadline >= 0;
  const bestEffort = computePodQOS(pod) === 'BestEffort';
  switch (sel.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return bestEffort;
    case 'NotBestEffort':
      return !bestEffort;
    case 'PriorityClass': {
      const pc = String(pod.spec?.priorityClassName ?? '');
      const values: string[] = sel.values ?? [];
      // podMatchesSelector: the selector runs over {PriorityClass: <the pod's class>}, a set
      // without that key when the pod names no class
      switch (sel.operator) {
        case 'Exists':
          return pc !== '';
        case 'DoesNotExist':
          return pc === '';
        case 'In':
          return pc !== '' && values.includes(pc);
        case 'NotIn':
          return pc === '' || !values.includes(pc);
        default:
          return false;
      }
    }
    case 'CrossNamespacePodAffinity': {
      const aff = pod.spec?.affinity ?? {};
      const terms: Obj[] = [
        ...(aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(aff.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Obj) => t.podAffinityTerm ?? {}),
        ...(aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(aff.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Obj) => t.podAffinityTerm ?? {}),
      ];
      return terms.some((t) => (t.namespaces ?? []).length > 0 || t.namespaceSelector !== undefined);
    }
    default:
      return false;
  }
}

// ---- services, claims, object counts ----

/** services.go Usage */
function serviceUsage(svc: KObject): Usage {
  const ports: Obj[] = svc.spec?.ports ?? [];
  const u: Usage = { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '0' };
  if (svc.spec?.type === 'NodePort') u['services.nodeports'] = String(ports.length);
  if (svc.spec?.type === 'LoadBalancer') {
    const allocate = svc.spec?.allocateLoadBalancerNodePorts !== false;
    u['services.nodeports'] = String(allocate ? ports.length : ports.filter((p) => p.nodePort).length);
    u['services.loadbalancers'] = '1';
  }
  return u;
}

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** persistent_volume_claims.go Usage */
function claimUsage(pvc: KObject): Usage {
  const u: Usage = { 'count/persistentvolumeclaims': '1', persistentvolumeclaims: '1' };
  const cls = String(pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '');
  if (cls) u[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = '1';
  const storage = pvc.spec?.resources?.requests?.storage;
  if (storage !== undefined) {
    u['requests.storage'] = goQuantityString(storage);
    if (cls) u[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = goQuantityString(storage);
  }
  return u;
}

/** registry.go legacyObjectCountAliases */
const LEGACY: Record<string, string> = { ConfigMap: 'configmaps', ResourceQuota: 'resourcequotas', ReplicationController: 'replicationcontrollers', Secret: 'secrets' };

/** The object-count name: count/<resource>[.<group>] */
export function countName(kind: string): string {
  return `count/${qualifiedPlural(resourceByKind(kind))}`;
}

/** Kinds quota never looks at (the apiserver's default ignored resources), and cluster-scoped ones. */
const IGNORED = new Set(['Event', 'Lease']);

export function quotaTracks(kind: string): boolean {
  if (IGNORED.has(kind)) return false;
  try {
    return resourceByKind(kind).namespaced;
  } catch {
    return false;
  }
}

/** Evaluator.Usage */
export function usageOf(obj: KObject): Usage {
  switch (obj.kind) {
    case 'Pod':
      return podUsage(obj);
    case 'Service':
      return serviceUsage(obj);
    case 'PersistentVolumeClaim':
      return claimUsage(obj);
  }
  const u: Usage = { [countName(obj.kind)]: '1' };
  if (LEGACY[obj.kind]) u[LEGACY[obj.kind]] = '1';
  return u;
}

/** Evaluator.MatchingResources: the quota's names this kind's evaluator counts. */
export function matchingResources(kind: string, names: string[]): string[] {
  switch (kind) {
    case 'Pod':
      return names.filter(isPodResource);
    case 'Service':
      return names.filter((n) => ['count/services', 'services', 'services.loadbalancers', 'services.nodeports'].includes(n));
    case 'PersistentVolumeClaim':
      return names.filter((n) => ['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage'].includes(n) || (n.includes(STORAGE_CLASS_SUFFIX) && /\/(requests\.storage|persistentvolumeclaims)$/.test(n)));
  }
  return names.filter((n) => n === countName(kind) || n === LEGACY[kind]);
}

/** The quota's scope selectors: its scopes (Exists) and its scopeSelector's expressions. */
export function scopeSelectors(rq: KObject): Obj[] {
  return [...((rq.spec?.scopes ?? []) as string[]).map((s) => ({ scopeName: s, operator: 'Exists' })), ...((rq.spec?.scopeSelector?.matchExpressions ?? []) as Obj[])];
}

/** Evaluator.Matches: the quota tracks one of the kind's resources (status.hard) and every scope matches. */
export function quotaMatches(rq: KObject, obj: KObject, hard: string[] = Object.keys(rq.status?.hard ?? {})): boolean {
  if (!matchingResources(obj.kind, hard).length) return false;
  const sels = scopeSelectors(rq);
  // only pods have scopes (MatchesNoScopeFunc elsewhere)
  if (obj.kind !== 'Pod') return sels.length === 0;
  return sels.every((s) => podMatchesScope(obj, s));
}
