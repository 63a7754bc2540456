// core/v1 ResourceQuota: ValidateResourceQuota, the strategy's status (the system's: the quota
// controller writes status.hard and status.used), and the columns of printResourceQuota.
import type { KObject } from '../../api/types';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/quota') => require('../../api/quota');

/**
 * printResourceQuota's REQUEST and LIMIT cells: each status.hard resource in name order as
 * "name: used/hard", the limits.* ones in LIMIT, the rest in REQUEST, joined ", ".
 */
function usage(o: KObject, limits: boolean): string {
  const hard: Record<string, unknown> = o.status?.hard ?? {};
  const used: Record<string, unknown> = o.status?.used ?? {};
  const out: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const pieces = r.split('.');
    if ((pieces.length > 1 && pieces[0] === 'limits') !== limits) continue;
    out.push(`${r}: ${used[r] === undefined ? '0' : api().goQuantityString(used[r])}/${api().goQuantityString(hard[r])}`);
  }
  return out.join(', ');
}

export default defineKind({
  resource: resource('ResourceQuota', 'resourcequotas', ['quota'], '', 'v1', true),
  systemStatus: true,
  validate: (obj, old) => api().validateResourceQuota(obj, old),
  // ResourceQuotaStatus is a struct: encoding/json writes it even when empty ("status": {})
  beforeStore: (_state, obj) => {
    obj.status = {};
  },
  columns: [NAME, AGE, { header: 'REQUEST', cell: (o) => usage(o, false) }, { header: 'LIMIT', cell: (o) => usage(o, true) }],
});
