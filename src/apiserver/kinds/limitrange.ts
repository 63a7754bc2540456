// core/v1 LimitRange: SetDefaults_LimitRangeItem, ValidateLimitRange, and the columns of
// printLimitRange (NAME, CREATED AT: the creation timestamp as RFC 3339, not an age).
import { defaultLimitRange, validateLimitRange } from '../../api/quota';
import { NAME } from '../columns';
import { defineKind, resource } from '../strategy';

export default defineKind({
  resource: resource('LimitRange', 'limitranges', ['limits'], '', 'v1', true),
  defaults: (obj) => defaultLimitRange(obj),
  validate: (obj, old) => validateLimitRange(obj, old),
  columns: [NAME, { header: 'CREATED AT', cell: (o) => String(o.metadata.creationTimestamp ?? '') }],
});
