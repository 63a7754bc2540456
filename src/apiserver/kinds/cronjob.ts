// batch/v1 CronJob: SetDefaults_CronJob, ValidateCronJob, the columns of printCronJob.
import type { KObject } from '../../api/types';
import { age } from '../../util/duration';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { collectDependents } from './workloads';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/batch') => require('../../api/batch');

const containers = (o: KObject) => (o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? []) as { name: string; image: string }[];

export default defineKind({
  resource: resource('CronJob', 'cronjobs', ['cj'], 'batch', 'v1', true, undefined, ['all']),
  systemStatus: true,
  generation: true,
  defaults: (obj) => api().defaultCronJob(obj),
  validate: (obj) => api().validateCronJob(obj),
  afterDelete: collectDependents,
  columns: [
    NAME,
    { header: 'SCHEDULE', cell: (o) => String(o.spec?.schedule ?? '') },
    { header: 'TIMEZONE', cell: (o) => (o.spec?.timeZone != null ? String(o.spec.timeZone) : '<none>') },
    // printBoolPtr
    { header: 'SUSPEND', cell: (o) => (o.spec?.suspend == null ? '<unset>' : o.spec.suspend === true ? 'True' : 'False') },
    { header: 'ACTIVE', cell: (o) => String((o.status?.active ?? []).length) },
    { header: 'LAST SCHEDULE', cell: (o) => (o.status?.lastScheduleTime ? age(o.status.lastScheduleTime) : '<none>') },
    AGE,
    { header: 'CONTAINERS', wide: true, cell: (o) => containers(o).map((c) => c.name).join(',') },
    { header: 'IMAGES', wide: true, cell: (o) => containers(o).map((c) => c.image).join(',') },
    { header: 'SELECTOR', wide: true, cell: () => '<none>' },
  ],
});
