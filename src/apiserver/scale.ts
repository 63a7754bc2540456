// The scale subresource (autoscaling/v1 Scale) of the kinds that have one: the registries'
// scaleFromDeployment / scaleFromReplicaSet / … (pkg/registry/apps/*/storage/storage.go).
import { StatusError } from '../api/errors';
import type { KObject } from '../api/types';

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

/** The selector as a string (LabelSelectorAsSelector(...).String(), keys sorted); matchLabels and the set-based operators. */
function selectorString(kind: string, sel: Record<string, unknown> | undefined): string {
  if (!sel) return '';
  const labels = (kind === 'ReplicationController' ? sel : sel.matchLabels ?? {}) as Record<string, string>;
  const reqs: [string, string][] = Object.entries(labels).map(([k, v]) => [k, `${k}=${v}`]);
  if (kind !== 'ReplicationController') {
    for (const e of (sel.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
      const values = [...new Set(e.values ?? [])].sort().join(',');
      const text = { In: `${e.key} in (${values})`, NotIn: `${e.key} notin (${values})`, Exists: e.key, DoesNotExist: `!${e.key}` }[e.operator];
      if (text) reqs.push([e.key, text]);
    }
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
}

/** The Scale of an object, or the apiserver's 404 for a kind without the subresource. */
export function scaleOf(obj: KObject): KObject {
  if (!SCALABLE.includes(obj.kind)) throw new StatusError('NotFound', 'the server could not find the requested resource');
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj.kind, obj.spec?.selector) },
  } as KObject;
}
