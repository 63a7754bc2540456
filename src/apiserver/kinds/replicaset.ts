// apps/v1 ReplicaSet: SetDefaults_ReplicaSet, ValidateReplicaSet, the columns of printReplicaSet.
import { defaultReplicaSet, validateReplicaSet } from '../../api/workloads';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { collectDependents, WORKLOAD_WIDE } from './workloads';

export default defineKind({
  resource: resource('ReplicaSet', 'replicasets', ['rs'], 'apps', 'v1', true, undefined, ['all']),
  systemStatus: true,
  generation: true,
  defaults: (obj) => defaultReplicaSet(obj),
  validate: (obj, old) => validateReplicaSet(obj, old),
  afterDelete: collectDependents,
  fields: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  columns: [
    NAME,
    { header: 'DESIRED', cell: (o) => String(o.spec?.replicas ?? 0) },
    { header: 'CURRENT', cell: (o) => String(o.status?.replicas ?? 0) },
    { header: 'READY', cell: (o) => String(o.status?.readyReplicas ?? 0) },
    AGE,
    ...WORKLOAD_WIDE,
  ],
});
