// scheduling.k8s.io/v1 PriorityClass: SetDefaults_PriorityClass (pkg/apis/scheduling/v1/defaults.go),
// ValidatePriorityClass(Update) (pkg/apis/scheduling/validation), the system classes the apiserver
// creates at start-up (pkg/apis/scheduling/v1/helpers.go SystemPriorityClasses), and the Priority
// admission plugin (plugin/pkg/admission/priority/admission.go): a pod's priority and preemption
// policy from its class, or from the global default class, or 0.
import { forbidden, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation';

/** scheduling.HighestUserDefinablePriority */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** helpers.go systemPriorityClasses: name, value, description */
export const SYSTEM_PRIORITY_CLASSES: [string, number, string][] = [
  ['system-node-critical', SYSTEM_CRITICAL_PRIORITY + 1000, 'Used for system critical pods that must not be moved from their current node.'],
  ['system-cluster-critical', SYSTEM_CRITICAL_PRIORITY, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'],
];

/** SetDefaults_PriorityClass */
export function defaultPriorityClass(pc: KObject): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}

/** IsKnownSystemPriorityClass's error, or '' when the class is one of the system classes as they are. */
function systemClassError(pc: KObject): string {
  const known = SYSTEM_PRIORITY_CLASSES.find(([name]) => name === pc.metadata.name);
  if (!known) return `${pc.metadata.name} is not a known system priority class`;
  if (pc.value !== known[1]) return `value of ${known[0]} PriorityClass must be ${known[1]}`;
  if (!!pc.globalDefault !== false) return `globalDefault of ${known[0]} PriorityClass must be false`;
  return '';
}

function validatePreemptionPolicy(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (v === '') return [required(field, '')];
  return PREEMPTION_POLICIES.includes(String(v)) ? [] : [unsupported(field, v, PREEMPTION_POLICIES)];
}

/** ValidatePriorityClass */
export function validatePriorityClass(pc: KObject): FieldError[] {
  const errs = validateObjectMeta(pc, false);
  const name = String(pc.metadata.name ?? '');
  if (name.startsWith('system-')) {
    const why = systemClassError(pc);
    if (why) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (Number(pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are immutable. */
export function validatePriorityClassUpdate(pc: KObject, old: KObject): FieldError[] {
  const errs = validateObjectMetaUpdate(pc, old);
  if ((pc.value ?? 0) !== (old.value ?? 0)) errs.push(forbidden('value', 'may not be changed in an update.'));
  if ((pc.preemptionPolicy ?? null) !== (old.preemptionPolicy ?? null)) errs.push({ type: 'Invalid value', field: 'preemptionPolicy', value: pc.preemptionPolicy, detail: 'field is immutable' });
  return errs;
}

/** getDefaultPriorityClass: the global default class (the lowest value if a race made several). */
export function globalDefaultClass(classes: KObject[]): KObject | undefined {
  let best: KObject | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || Number(best.value ?? 0) > Number(pc.value ?? 0))) best = pc;
  return best;
}

/**
 * admitPod on create: the class's value and preemption policy (or the global default's, or 0 and
 * PreemptLowerPriority); the error text when the class is missing or the pod's own values disagree.
 * `asked` is what the client sent, before defaulting.
 */
export function podPriority(
  spec: Record<string, any>,
  asked: { priority?: unknown; preemptionPolicy?: unknown },
  lookup: (name: string) => KObject | undefined,
  classes: () => KObject[],
): { priority: number; preemptionPolicy: string; className: string } | { error: string } {
  let className = String(spec.priorityClassName ?? '');
  let pc: KObject | undefined;
  if (!className) {
    pc = globalDefaultClass(classes());
    className = pc?.metadata.name ?? '';
  } else {
    pc = lookup(className);
    if (!pc) return { error: `no PriorityClass with name ${className} was found` };
  }
  const priority = pc ? Number(pc.value ?? 0) : 0;
  if (typeof asked.priority === 'number' && asked.priority !== priority) {
    return { error: `the integer value of priority (${asked.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name` };
  }
  const policy = String(pc?.preemptionPolicy ?? 'PreemptLowerPriority');
  if (typeof asked.preemptionPolicy === 'string' && asked.preemptionPolicy !== policy) {
    return { error: `the string value of PreemptionPolicy (${asked.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name` };
  }
  return { priority, preemptionPolicy: policy, className };
}
