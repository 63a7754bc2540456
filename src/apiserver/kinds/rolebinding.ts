// rbac.authorization.k8s.io/v1 RoleBinding (pkg/registry/rbac/rolebinding/strategy.go): the v1
// defaults (roleRef and User/Group subjects get the rbac group), ValidateRoleBinding(Update) (roleRef
// cannot change), and the columns of printRoleBinding.
import { BINDING_COLUMNS } from './clusterrolebinding';
import { defineKind, resource } from '../strategy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/rbac') => require('../../api/rbac');

export default defineKind({
  resource: resource('RoleBinding', 'rolebindings', [], 'rbac.authorization.k8s.io', 'v1', true),
  defaults: (obj) => api().defaultBinding(obj),
  validate: (obj, old) => api().validateBinding(obj, old),
  columns: BINDING_COLUMNS,
});
