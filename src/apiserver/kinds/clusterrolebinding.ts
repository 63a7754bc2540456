// rbac.authorization.k8s.io/v1 ClusterRoleBinding (pkg/registry/rbac/clusterrolebinding/strategy.go):
// defaults, ValidateClusterRoleBinding(Update), and the columns printRoleBinding and
// printClusterRoleBinding share: NAME, ROLE (`Kind/name`), AGE; -o wide adds the subjects as
// rbac.SubjectsStrings gives them, joined by ", ".
import type { KObject } from '../../api/types';
import { AGE, NAME } from '../columns';
import { defineKind, resource, type Column } from '../strategy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/rbac') => require('../../api/rbac');

const subjects = (o: KObject) => api().subjectsStrings(o.subjects);

export const BINDING_COLUMNS: Column[] = [
  NAME,
  { header: 'ROLE', cell: (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}` },
  AGE,
  { header: 'USERS', wide: true, cell: (o) => subjects(o).users.join(', ') },
  { header: 'GROUPS', wide: true, cell: (o) => subjects(o).groups.join(', ') },
  { header: 'SERVICEACCOUNTS', wide: true, cell: (o) => subjects(o).sas.join(', ') },
];

export default defineKind({
  resource: resource('ClusterRoleBinding', 'clusterrolebindings', [], 'rbac.authorization.k8s.io', 'v1', false),
  defaults: (obj) => api().defaultBinding(obj),
  validate: (obj, old) => api().validateBinding(obj, old),
  columns: BINDING_COLUMNS,
});
