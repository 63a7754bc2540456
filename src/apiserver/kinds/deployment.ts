// apps/v1 Deployment: SetDefaults_Deployment, ValidateDeployment, the columns of printDeployment.
import { defaultDeployment, validateDeployment } from '../../api/workloads';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { collectDependents, WORKLOAD_WIDE } from './workloads';

export default defineKind({
  resource: resource('Deployment', 'deployments', ['deploy'], 'apps', 'v1', true, undefined, ['all']),
  systemStatus: true,
  generation: true,
  defaults: (obj) => defaultDeployment(obj),
  validate: (obj, old) => validateDeployment(obj, old),
  afterDelete: collectDependents,
  columns: [
    NAME,
    { header: 'READY', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { header: 'UP-TO-DATE', cell: (o) => String(o.status?.updatedReplicas ?? 0) },
    { header: 'AVAILABLE', cell: (o) => String(o.status?.availableReplicas ?? 0) },
    AGE,
    ...WORKLOAD_WIDE,
  ],
});
