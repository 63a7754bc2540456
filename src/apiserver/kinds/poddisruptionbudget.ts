// policy/v1 PodDisruptionBudget (pkg/registry/policy/poddisruptionbudget/strategy.go): the status is
// the disruption controller's (PrepareForCreate starts it empty; an update keeps it), generation
// counts spec changes; ValidatePodDisruptionBudget; the columns of printPodDisruptionBudget.
import type { KObject } from '../../api/types';
import { validateObjectMetaUpdate } from '../../api/validation';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/policy') => require('../../api/policy');

/** intstr.IntOrString.String(), N/A when unset. */
const intOrString = (v: unknown) => (v == null ? 'N/A' : String(v));

export default defineKind({
  resource: resource('PodDisruptionBudget', 'poddisruptionbudgets', ['pdb'], 'policy', 'v1', true),
  systemStatus: true,
  generation: true,
  // rest.BeforeUpdate: the strategy's ValidateUpdate, then the ObjectMeta update rules
  validate: (obj: KObject, old?: KObject) => (old ? [...api().validatePodDisruptionBudgetSpec(obj), ...validateObjectMetaUpdate(obj, old)] : api().validatePodDisruptionBudget(obj)),
  beforeStore: (_state, obj) => {
    obj.status = api().initialPdbStatus();
  },
  columns: [
    NAME,
    { header: 'MIN AVAILABLE', cell: (o) => intOrString(o.spec?.minAvailable) },
    { header: 'MAX UNAVAILABLE', cell: (o) => intOrString(o.spec?.maxUnavailable) },
    { header: 'ALLOWED DISRUPTIONS', cell: (o) => String(o.status?.disruptionsAllowed ?? 0) },
    AGE,
  ],
});
