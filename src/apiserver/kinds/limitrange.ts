// core/v1 LimitRange: SetDefaults_LimitRangeItem, ValidateLimitRange, and the columns of
// printLimitRange (NAME, CREATED AT: the creation timestamp as RFC 3339, not an age).
import { NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/quota') => require('../../api/quota');

export default defineKind({
  resource: resource('LimitRange', 'limitranges', ['limits'], '', 'v1', true),
  defaults: (obj) => api().defaultLimitRange(obj),
  validate: (obj, old) => api().validateLimitRange(obj, old),
  columns: [NAME, { header: 'CREATED AT', cell: (o) => String(o.metadata.creationTimestamp ?? '') }],
});
