// apps/v1 StatefulSet: SetDefaults_StatefulSet, ValidateStatefulSet(Update), the columns of
// printStatefulSet (NAME READY AGE, -o wide CONTAINERS IMAGES).
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { collectDependents, WORKLOAD_WIDE } from './workloads';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/statefulset') => require('../../api/statefulset');

export default defineKind({
  resource: resource('StatefulSet', 'statefulsets', ['sts'], 'apps', 'v1', true, undefined, ['all']),
  systemStatus: true,
  generation: true,
  defaults: (obj) => api().defaultStatefulSet(obj),
  validate: (obj, old) => api().validateStatefulSet(obj, old),
  afterDelete: collectDependents,
  columns: [
    NAME,
    { header: 'READY', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    AGE,
    // printStatefulSet's wide columns are the containers and images only (no selector)
    ...WORKLOAD_WIDE.filter((c) => c.header !== 'SELECTOR'),
  ],
});
