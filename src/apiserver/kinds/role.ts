// rbac.authorization.k8s.io/v1 Role (pkg/registry/rbac/role/strategy.go): ValidateRole(Update) and the
// columns of printRole (NAME, CREATED AT: the creation time in RFC 3339, UTC).
import { CREATED_AT, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the rules load when an object of the kind is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/rbac') => require('../../api/rbac');

export default defineKind({
  resource: resource('Role', 'roles', [], 'rbac.authorization.k8s.io', 'v1', true),
  // Rules has no omitempty: a role without rules is served with `rules: null`
  defaults: (obj) => {
    if (obj.rules === undefined) obj.rules = null;
  },
  validate: (obj, old) => api().validateRole(obj, old),
  columns: [NAME, CREATED_AT],
});
