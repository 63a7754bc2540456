// Who may do everything, kept in the manifest so a command of the cluster's admin is authorised
// without reading a single RBAC object (apiserver/requester.ts reads it): the subjects of every
// ClusterRoleBinding whose ClusterRole grants every verb on every resource of every group and every
// non-resource URL (cluster-admin's rules), refreshed whenever a ClusterRole or binding changes. Not
// a Kubernetes controller: the apiserver's RBAC authorizer keeps the same facts in its informer
// caches.
import type { State } from '../store/state';
import { grantsEverything, superusersOf } from '../apiserver/superusers';

export function syncSuperusers(state: State): void {
  const next = superusersOf(state.list('ClusterRoleBinding'), (name) => grantsEverything(state.get('ClusterRole', undefined, name)));
  const prev = state.cluster.superusers;
  if (JSON.stringify(prev) !== JSON.stringify(next)) state.cluster.superusers = next;
}
