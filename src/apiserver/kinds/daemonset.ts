// apps/v1 DaemonSet: SetDefaults_DaemonSet, ValidateDaemonSet, the columns of printDaemonSet.
import type { KObject } from '../../api/types';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { collectDependents, WORKLOAD_WIDE } from './workloads';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/daemonset') => require('../../api/daemonset');

/** labels.FormatLabels: sorted key=value pairs, <none> when empty. */
function nodeSelector(o: KObject): string {
  const sel: Record<string, string> = o.spec?.template?.spec?.nodeSelector ?? {};
  const keys = Object.keys(sel).sort();
  return keys.length ? keys.map((k) => `${k}=${sel[k]}`).join(',') : '<none>';
}

const count = (field: string) => (o: KObject) => String(o.status?.[field] ?? 0);

export default defineKind({
  resource: resource('DaemonSet', 'daemonsets', ['ds'], 'apps', 'v1', true, undefined, ['all']),
  systemStatus: true,
  generation: true,
  defaults: (obj, old) => api().defaultDaemonSet(obj, old),
  validate: (obj, old) => api().validateDaemonSet(obj, old),
  afterDelete: collectDependents,
  columns: [
    NAME,
    { header: 'DESIRED', cell: count('desiredNumberScheduled') },
    { header: 'CURRENT', cell: count('currentNumberScheduled') },
    { header: 'READY', cell: count('numberReady') },
    { header: 'UP-TO-DATE', cell: count('updatedNumberScheduled') },
    { header: 'AVAILABLE', cell: count('numberAvailable') },
    { header: 'NODE SELECTOR', cell: nodeSelector },
    AGE,
    ...WORKLOAD_WIDE,
  ],
});
