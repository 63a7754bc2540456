// batch/v1 Job: SetDefaults_Job, the strategy's generated selector, ValidateJob, the columns of
// printJob (1.32: STATUS from the conditions, COMPLETIONS, DURATION).
import type { KObject } from '../../api/types';
import { nowMs } from '../../util/clock';
import { humanDuration } from '../../util/duration';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { collectDependents, WORKLOAD_WIDE } from './workloads';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/batch') => require('../../api/batch');

const isTrue = (o: KObject, type: string) => (o.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === 'True');

/** printJob's STATUS, in its order of precedence. */
export function jobStatus(o: KObject): string {
  if (isTrue(o, 'Complete')) return 'Complete';
  if (isTrue(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (isTrue(o, 'Suspended')) return 'Suspended';
  if (isTrue(o, 'FailureTarget')) return 'FailureTarget';
  // (1.32 has no SuccessCriteriaMet here: a job between it and Complete prints Running)
  return 'Running';
}

function completions(o: KObject): string {
  const done = o.status?.succeeded ?? 0;
  if (o.spec?.completions != null) return `${done}/${o.spec.completions}`;
  const par = o.spec?.parallelism ?? 0;
  return par > 1 ? `${done}/1 of ${par}` : `${done}/1`;
}

function duration(o: KObject): string {
  const start = o.status?.startTime;
  if (!start) return '';
  const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : nowMs();
  return humanDuration(end - Date.parse(start));
}

export default defineKind({
  resource: resource('Job', 'jobs', [], 'batch', 'v1', true, undefined, ['all']),
  systemStatus: true,
  generation: true,
  defaults: (obj) => api().defaultJob(obj),
  beginCreate: (state, obj) => {
    // the uid is known before validation: the generated selector names it
    obj.metadata.uid = state.rand.uuid();
    api().generateJobSelector(obj, obj.metadata.uid as string);
    return () => {};
  },
  validate: (obj, old) => api().validateJob(obj, old),
  afterDelete: collectDependents,
  fields: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  columns: [
    NAME,
    { header: 'STATUS', cell: jobStatus },
    { header: 'COMPLETIONS', cell: completions },
    { header: 'DURATION', cell: duration },
    AGE,
    ...WORKLOAD_WIDE,
  ],
});
