// A pod spec's topologySpreadConstraints as ValidatePodSpec checks them (pkg/apis/core/validation
// validateTopologySpreadConstraints: ValidateMaxSkew, ValidateTopologyKey, ValidateWhenUnsatisfiable,
// ValidateSpreadConstraintNotRepeat, validateMinDomains, validateNodeInclusionPolicy). The label
// selector and matchLabelKeys checks are not made.
import { duplicate, invalid, required, unsupported, type FieldError } from './errors';

type Obj = Record<string, any>;
const ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];
const POLICIES = ['Honor', 'Ignore'];
const NOT_POSITIVE = 'must be greater than zero';

export function validateTopologySpreadConstraints(constraints: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = constraints.map((c) => (typeof c === 'object' && c !== null ? (c as Obj) : {}));
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    const maxSkew = Number(c.maxSkew ?? 0);
    if (maxSkew <= 0) errs.push(invalid(`${at}.maxSkew`, maxSkew, NOT_POSITIVE));
    const key = String(c.topologyKey ?? '');
    if (!key) errs.push(required(`${at}.topologyKey`, 'can not be empty'));
    const action = String(c.whenUnsatisfiable ?? '');
    if (!ACTIONS.includes(action)) errs.push(unsupported(`${at}.whenUnsatisfiable`, action, ACTIONS));
    // the tuple {topologyKey, whenUnsatisfiable} names one kind of constraint
    if (list.slice(i + 1).some((o) => String(o.topologyKey ?? '') === key && String(o.whenUnsatisfiable ?? '') === action)) {
      errs.push(duplicate(`${at}.{topologyKey, whenUnsatisfiable}`, `{${key}, ${action}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (Number(c.minDomains) <= 0) errs.push(invalid(`${at}.minDomains`, c.minDomains, NOT_POSITIVE));
      if (action !== 'DoNotSchedule') errs.push(invalid(`${at}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (c[f] !== undefined && c[f] !== null && !POLICIES.includes(String(c[f]))) errs.push(unsupported(`${at}.${f}`, c[f], POLICIES));
    }
  });
  return errs;
}
