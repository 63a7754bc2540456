// policy/v1 PodDisruptionBudget: ValidatePodDisruptionBudget (kubernetes pkg/apis/policy/validation),
// the strategy's initial status (pkg/registry/policy/poddisruptionbudget/strategy.go), and the
// intstr arithmetic the disruption controller and the eviction handler share.
import { forbidden, GoSyntax, invalid, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { rfc3339 } from '../util/clock';
import { isQualifiedName, isValidLabelValue, validateLabels, validateObjectMeta, type NameValidator } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** The status PrepareForCreate leaves (an empty PodDisruptionBudgetStatus, its ints not omitted). */
export function initialPdbStatus(): Obj {
  return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}

/** appsvalidation.ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'number') return v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
  if (typeof v !== 'string') return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
  if (!/^[0-9]+%$/.test(v)) return [invalid(path, v, PERCENT_MSG)];
  return Number(v.slice(0, -1)) > 100 ? [invalid(path, v, 'must not be greater than 100%')] : [];
}

/** unversionedvalidation.ValidateLabelSelector (AllowInvalidLabelValueInSelector off, as on create). */
export function validateLabelSelector(sel: Obj | undefined | null, path: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels ?? {}, `${path}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((e: Obj, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values: unknown[] = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!values.length) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else errs.push(invalid(`${p}.operator`, e.operator ?? '', 'not a valid selector operator'));
    errs.push(...isQualifiedName(String(e.key ?? '')).map((m) => invalid(`${p}.key`, String(e.key ?? ''), m)));
    values.forEach((v, j) => errs.push(...isValidLabelValue(String(v)).map((m) => invalid(`${p}.values[${j}]`, v, m))));
  });
  return errs;
}

/** The internal spec as %#v prints it (pointer fields as addresses: the apiserver's are arbitrary). */
function specGoSyntax(spec: Obj): GoSyntax {
  const ptr = (set: boolean, type: string, addr: string) => `(*${type})(${set ? addr : 'nil'})`;
  return new GoSyntax(
    `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(spec.minAvailable != null, 'intstr.IntOrString', '0xc000b8e2a0')}, ` +
      `Selector:${ptr(spec.selector != null, 'v1.LabelSelector', '0xc000b8e2c0')}, ` +
      `MaxUnavailable:${ptr(spec.maxUnavailable != null, 'intstr.IntOrString', '0xc000b8e2b0')}, ` +
      `UnhealthyPodEvictionPolicy:${ptr(spec.unhealthyPodEvictionPolicy != null, 'policy.UnhealthyPodEvictionPolicyType', '0xc000b8e2d0')}}`,
  );
}

/** path.ValidatePathSegmentName: the only rule BeforeCreate's ObjectMeta check has for this kind's names. */
const pathSegmentName: NameValidator = (name, prefix) => {
  const errs: string[] = [];
  if (!prefix && (name === '.' || name === '..')) errs.push(`may not be '${name}'`);
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
};

/**
 * ValidatePodDisruptionBudget; the generic ObjectMeta rules run only when it found nothing
 * (rest.BeforeCreate: "Do this *after* custom validation so that specific error messages are shown").
 */
export function validatePodDisruptionBudget(pdb: KObject): FieldError[] {
  const errs = validatePodDisruptionBudgetSpec(pdb);
  return errs.length ? errs : validateObjectMeta(pdb, true, pathSegmentName);
}

/** ValidatePodDisruptionBudgetSpec: what ValidateUpdate checks too (the spec is mutable). */
export function validatePodDisruptionBudgetSpec(pdb: KObject): FieldError[] {
  const spec: Obj = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) errs.push(invalid('spec', specGoSyntax(spec), 'minAvailable and maxUnavailable cannot be both set'));
  if (spec.minAvailable != null) errs.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  if (spec.maxUnavailable != null) errs.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && !POLICIES.includes(policy)) errs.push(unsupported('spec.unhealthyPodEvictionPolicy', policy, POLICIES));
  return errs;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as it is, a percentage of total (rounded up when
 * roundUp, down otherwise).
 */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.replace(/%$/, ''));
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

// component-helpers apps/poddisruptionbudget (pdbhelper), which the controller and the eviction handler share

/**
 * apimeta.SetStatusCondition for DisruptionAllowed: lastTransitionTime moves only when the status
 * does; a metav1.Condition's message is always present.
 */
export function setDisruptionCondition(status: Obj, condStatus: 'True' | 'False', reason: string, message = ''): void {
  const conds: Obj[] = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
  const old = i >= 0 ? conds[i] : undefined;
  const cond = {
    type: 'DisruptionAllowed',
    status: condStatus,
    observedGeneration: status.observedGeneration ?? 0,
    lastTransitionTime: old && old.status === condStatus ? old.lastTransitionTime : rfc3339(),
    reason,
    message,
  };
  if (!cond.observedGeneration) delete (cond as Obj).observedGeneration;
  if (i >= 0) conds[i] = cond;
  else conds.push(cond);
}

/** pdbhelper.UpdateDisruptionAllowedCondition */
export function updateDisruptionAllowedCondition(status: Obj): void {
  if ((status.disruptionsAllowed ?? 0) > 0) setDisruptionCondition(status, 'True', 'SufficientPods');
  else setDisruptionCondition(status, 'False', 'InsufficientPods');
}
