// rbac.authorization.k8s.io/v1 ClusterRole (pkg/registry/rbac/clusterrole/strategy.go):
// ValidateClusterRole(Update) and the columns of printClusterRole (NAME, CREATED AT). An aggregated
// role's rules are the clusterrole aggregation controller's (controllers/clusterroleaggregation.ts).
import { CREATED_AT, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/rbac') => require('../../api/rbac');

export default defineKind({
  resource: resource('ClusterRole', 'clusterroles', [], 'rbac.authorization.k8s.io', 'v1', false),
  // Rules has no omitempty: a role without rules is served with `rules: null`
  defaults: (obj) => {
    if (obj.rules === undefined) obj.rules = null;
  },
  validate: (obj, old) => api().validateClusterRole(obj, old),
  columns: [NAME, CREATED_AT],
});
