// kubectl apply --prune (kubectl pkg/cmd/apply/prune.go): after applying, delete the objects of the
// allowlisted kinds that match -l (or every one, with --all), were created by kubectl apply (they
// carry its last-applied annotation) and are not among what was applied: in the applied objects'
// namespaces for namespaced kinds, everywhere for cluster-scoped ones. Prints `kind/name pruned`.
import { CliError } from '../api/errors';
import { qualifiedSingular, resourceForKind, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import type { ApiClient } from '../apiserver/client';
import { LAST_APPLIED } from './apply-patch';

/** kubectl 1.32's default prune set (prune.go defaultNamespacedPruneResources, defaultNonNamespacedPruneResources). */
const DEFAULT_ALLOWLIST = [
  'core/v1/ConfigMap', 'core/v1/Endpoints', 'core/v1/PersistentVolumeClaim', 'core/v1/Pod', 'core/v1/ReplicationController', 'core/v1/Secret', 'core/v1/Service',
  'batch/v1/Job', 'batch/v1/CronJob', 'networking.k8s.io/v1/Ingress', 'apps/v1/DaemonSet', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet',
  'core/v1/Namespace', 'core/v1/PersistentVolume',
];

export interface PruneOptions {
  prune?: boolean;
  selector?: string;
  all?: boolean;
  pruneAllowlist?: string[];
}

/** apply's Validate for --prune: a selector or --all, and well-formed group/version/kind entries. */
export function pruneResources(o: PruneOptions): Resource[] {
  if (!o.prune) return [];
  if (!o.all && !o.selector) {
    throw new CliError(
      'Error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector',
      true,
    );
  }
  if (o.all && o.selector) throw new CliError('error: cannot set --all and --selector at the same time', true);
  const out: Resource[] = [];
  const explicit = !!o.pruneAllowlist?.length;
  for (const gvk of explicit ? o.pruneAllowlist! : DEFAULT_ALLOWLIST) {
    const parts = gvk.split('/');
    if (parts.length !== 3) throw new CliError(`error: invalid GroupVersionKind format: ${gvk}, please follow <group/version/kind>`, true);
    const [group, version, kind] = parts;
    const apiVersion = group === '' || group === 'core' ? version : `${group}/${version}`;
    const res = resourceForKind(apiVersion, kind);
    // the defaults kubesim does not serve (ReplicationController, Endpoints, …) have nothing to prune
    if (!res && !explicit) continue;
    if (!res) throw new CliError(`error: no matches for kind "${kind}" in version "${apiVersion}"`, true);
    out.push(res);
  }
  return out;
}

/** The prune itself, in the apply's transaction: one line per pruned object. */
export function prune(api: ApiClient, resources: Resource[], applied: KObject[], o: PruneOptions, suffix: string): string {
  const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
  const visited = new Set(applied.map((obj) => key(obj.kind, obj.metadata.namespace, obj.metadata.name)));
  const namespaces = [...new Set(applied.map((obj) => obj.metadata.namespace).filter((n): n is string => !!n))];
  let out = '';
  for (const res of resources) {
    for (const ns of res.namespaced ? namespaces : [undefined]) {
      for (const obj of api.list(res, ns, o.selector ? { labelSelector: o.selector } : {})) {
        if (visited.has(key(res.kind, obj.metadata.namespace, obj.metadata.name)) || obj.metadata.annotations?.[LAST_APPLIED] === undefined) continue;
        api.delete(res, ns, obj.metadata.name);
        out += `${qualifiedSingular(res)}/${obj.metadata.name} pruned${suffix}\n`;
      }
    }
  }
  return out;
}
