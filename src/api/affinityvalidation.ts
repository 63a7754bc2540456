// A pod spec's affinity as ValidatePodSpec checks it (pkg/apis/core/validation validateAffinity:
// ValidateNodeSelector / ValidateNodeSelectorRequirement / ValidateNodeFieldSelectorRequirement,
// validatePreferredSchedulingTerms, validatePodAffinityTerm, validateWeightedPodAffinityTerms). The
// pod affinity terms' label selectors, namespaces and match(Mismatch)LabelKeys are not checked.
import { forbidden, invalid, required, type FieldError } from './errors';
import { isQualifiedName } from './validation';

type Obj = Record<string, any>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** unversionedvalidation.ValidateLabelName */
const labelName = (key: string, path: string): FieldError[] => isQualifiedName(key).map((m) => invalid(path, key, m));

function nodeSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = arr(rq.values);
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (!values.length) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length) errs.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(`${path}.operator`, rq.operator ?? '', 'not a valid selector operator'));
  }
  return [...errs, ...labelName(String(rq.key ?? ''), `${path}.key`)];
}

function nodeFieldSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = arr(rq.values);
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (values.length !== 1) errs.push(required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else errs.push(invalid(`${path}.operator`, rq.operator ?? '', 'not a valid selector operator'));
  if (rq.key !== 'metadata.name') errs.push(invalid(`${path}.key`, rq.key ?? '', 'not a valid field selector key'));
  return errs;
}

function nodeSelectorTerm(term: Obj, path: string): FieldError[] {
  return [
    ...arr(term.matchExpressions).flatMap((r, i) => nodeSelectorRequirement(obj(r), `${path}.matchExpressions[${i}]`)),
    ...arr(term.matchFields).flatMap((r, i) => nodeFieldSelectorRequirement(obj(r), `${path}.matchFields[${i}]`)),
  ];
}

const weight = (w: unknown, path: string): FieldError[] => (typeof w !== 'number' || w <= 0 || w > 100 ? [invalid(path, w ?? 0, 'must be in the range 1-100')] : []);

function podAffinityTerm(term: Obj, path: string): FieldError[] {
  const key = String(term.topologyKey ?? '');
  return [...(key ? [] : [required(`${path}.topologyKey`, 'can not be empty')]), ...labelName(key, `${path}.topologyKey`)];
}

function podAffinity(a: Obj, path: string): FieldError[] {
  return [
    ...arr(a.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => podAffinityTerm(obj(t), `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)),
    ...arr(a.preferredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => {
      const at = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      return [...weight(obj(t).weight, `${at}.weight`), ...podAffinityTerm(obj(obj(t).podAffinityTerm), `${at}.podAffinityTerm`)];
    }),
  ];
}

export function validateAffinity(affinity: unknown, path: string): FieldError[] {
  const a = obj(affinity);
  const errs: FieldError[] = [];
  if (a.nodeAffinity) {
    const na = obj(a.nodeAffinity);
    const at = `${path}.nodeAffinity`;
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req) {
      const terms = arr(obj(req).nodeSelectorTerms);
      const tp = `${at}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      if (!terms.length) errs.push(required(tp, 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...nodeSelectorTerm(obj(t), `${tp}[${i}]`)));
    }
    arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = `${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      errs.push(...weight(obj(t).weight, `${tp}.weight`), ...nodeSelectorTerm(obj(obj(t).preference), `${tp}.preference`));
    });
  }
  if (a.podAffinity) errs.push(...podAffinity(obj(a.podAffinity), `${path}.podAffinity`));
  if (a.podAntiAffinity) errs.push(...podAffinity(obj(a.podAntiAffinity), `${path}.podAntiAffinity`));
  return errs;
}
