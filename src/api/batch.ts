// Jobs and CronJobs (batch/v1): SetDefaults_Job / SetDefaults_CronJob, the Job strategy's generated
// selector (pkg/registry/batch/job/strategy.go generateSelector) and the parts of ValidateJob /
// ValidateCronJob a lab meets (pkg/apis/batch/validation).
import { defaultPodTemplateSpec } from './defaults';
import { duplicate, invalid, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { isDNS1123Subdomain, validateLabels, validateObjectMeta, validatePodSpec } from './validation';
import { selectorMatches } from './workloads';
import { parseCron, validZone } from '../util/cron';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

function defaultTemplate(spec: Obj): void {
  if (!spec.template || typeof spec.template !== 'object') return;
  spec.template.metadata = { creationTimestamp: null, ...(spec.template.metadata ?? {}) };
  if (spec.template.spec && typeof spec.template.spec === 'object') defaultPodTemplateSpec(spec.template.spec);
}

export function defaultJob(job: KObject): void {
  const spec: Obj = (job.spec ??= {});
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  // JobPodReplacementPolicy (beta, on in 1.32)
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  // a pod condition pattern without a status means True (v1 SetDefaults_Job)
  for (const rule of Array.isArray(spec.podFailurePolicy?.rules) ? spec.podFailurePolicy.rules : []) {
    if (rule && Array.isArray(rule.onPodConditions)) for (const p of rule.onPodConditions) if (p && typeof p === 'object' && !p.status) p.status = 'True';
  }
  defaultTemplate(spec);
}

/**
 * The strategy's PrepareForCreate: unless spec.manualSelector, the selector is the job's uid and
 * the template carries the four labels 1.32 sets; the job takes the template's labels when it has
 * none (SetDefaults_Job, applied again when the stored object is read).
 */
export function generateJobSelector(job: KObject, uid: string): void {
  const spec: Obj = (job.spec ??= {});
  if (spec.manualSelector !== true) {
    spec.manualSelector = false;
    const tmpl = (spec.template ??= {});
    const md = (tmpl.metadata ??= { creationTimestamp: null });
    md.labels = { ...(md.labels ?? {}), [JOB_UID_LABEL]: uid, [JOB_NAME_LABEL]: job.metadata.name, 'controller-uid': uid, 'job-name': job.metadata.name };
    spec.selector = { matchLabels: { [JOB_UID_LABEL]: uid } };
  }
  const labels = spec.template?.metadata?.labels;
  if (labels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
}

const nonNegative = (v: unknown, field: string): FieldError[] => (typeof v === 'number' && v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : []);

function validateJobSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) errs.push(...nonNegative(spec[f], `${path}.${f}`));
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds === 0) errs.push(invalid(`${path}.activeDeadlineSeconds`, 0, 'must be greater than 0'));
  if (spec.maxFailedIndexes != null && spec.backoffLimitPerIndex == null) errs.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  const cm = spec.completionMode;
  if (cm !== undefined && cm !== 'NonIndexed' && cm !== 'Indexed') errs.push(unsupported(`${path}.completionMode`, cm, ['NonIndexed', 'Indexed']));
  if (cm === 'Indexed') {
    if (spec.completions == null) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
    if (typeof spec.parallelism === 'number' && spec.parallelism > 100000) errs.push(invalid(`${path}.parallelism`, spec.parallelism, 'must be less than or equal to 100000 when completion mode is Indexed'));
    if (typeof spec.completions === 'number' && typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > spec.completions) errs.push(invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
  } else {
    for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) if (spec[f] != null) errs.push(invalid(`${path}.${f}`, spec[f], 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (spec.successPolicy) {
    if (cm !== 'Indexed') errs.push(invalid(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  const rpp = spec.podReplacementPolicy;
  if (rpp != null) {
    if (spec.podFailurePolicy) {
      if (rpp !== 'Failed') errs.push(unsupported(`${path}.podReplacementPolicy`, rpp, ['Failed']));
    } else if (rpp !== 'Failed' && rpp !== 'TerminatingOrFailed') errs.push(unsupported(`${path}.podReplacementPolicy`, rpp, ['Failed', 'TerminatingOrFailed']));
  }
  if (!spec.template) errs.push(required(`${path}.template`));
  else {
    errs.push(...validateLabels(spec.template.metadata?.labels ?? {}, `${path}.template.metadata.labels`));
    if (spec.template.spec) errs.push(...validatePodSpec(spec.template.spec, `${path}.template.spec`));
    const rp = spec.template.spec?.restartPolicy;
    if (rp === 'Always') errs.push(required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
    else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(unsupported(`${path}.template.spec.restartPolicy`, rp ?? '', ['OnFailure', 'Never']));
    else if (spec.podFailurePolicy && rp !== 'Never') errs.push(invalid(`${path}.template.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

// Go's %q of a sorted []string: ["Count" "FailIndex"]
const quotedList = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

/** validatePodFailurePolicy (pkg/apis/batch/validation): at most 20 rules, each one well formed. */
function validatePodFailurePolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules: Obj[] = Array.isArray(spec.podFailurePolicy.rules) ? spec.podFailurePolicy.rules : [];
  if (rules.length > 20) errs.push({ type: 'Too many', field: `${path}.rules`, value: rules.length, detail: 'must have at most 20 items' });
  const tmpl: Obj = spec.template?.spec ?? {};
  const names = new Set([...(tmpl.containers ?? []), ...(tmpl.initContainers ?? [])].map((c: Obj) => c?.name));
  rules.forEach((rule, i) => {
    const rp = `${path}.rules[${i}]`;
    if (!rule.action) errs.push(required(`${rp}.action`, `valid values: ${quotedList(ACTIONS)}`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex == null) errs.push(invalid(`${rp}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!ACTIONS.includes(rule.action)) errs.push(unsupported(`${rp}.action`, rule.action, ACTIONS));
    const codes: Obj | undefined = rule.onExitCodes;
    if (codes) {
      const cp = `${rp}.onExitCodes`;
      if (!codes.operator) errs.push(required(`${cp}.operator`, `valid values: ${quotedList(['In', 'NotIn'])}`));
      else if (codes.operator !== 'In' && codes.operator !== 'NotIn') errs.push(unsupported(`${cp}.operator`, codes.operator, ['In', 'NotIn']));
      if (codes.containerName != null && !names.has(codes.containerName)) errs.push(invalid(`${cp}.containerName`, codes.containerName, 'must be one of the container or initContainer names in the pod template'));
      const values: number[] = Array.isArray(codes.values) ? codes.values : [];
      if (values.length === 0) errs.push(invalid(`${cp}.values`, values, 'at least one value is required'));
      else if (values.length > 255) errs.push({ type: 'Too many', field: `${cp}.values`, value: values.length, detail: 'must have at most 255 items' });
      const seen = new Set<number>();
      let ordered = true;
      values.forEach((v, j) => {
        if (codes.operator === 'In' && v === 0) errs.push(invalid(`${cp}.values[${j}]`, v, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(duplicate(`${cp}.values[${j}]`, v));
        else seen.add(v);
        if (j > 0 && values[j - 1] > v) ordered = false;
      });
      if (!ordered) errs.push(invalid(`${cp}.values`, values, 'must be ordered'));
    }
    const conds: Obj[] = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
    conds.forEach((c, j) => {
      const sp = `${rp}.onPodConditions[${j}].status`;
      if (!c.status) errs.push(required(sp, `valid values: ${quotedList(['False', 'True', 'Unknown'])}`));
      else if (!['False', 'True', 'Unknown'].includes(c.status)) errs.push(unsupported(sp, c.status, ['False', 'True', 'Unknown']));
    });
    if (codes && conds.length) errs.push(invalid(rp, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!codes && !conds.length) errs.push(invalid(rp, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

/** validateSuccessPolicy: 1 to 20 rules, each with succeededCount and/or succeededIndexes within completions. */
function validateSuccessPolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules: Obj[] = Array.isArray(spec.successPolicy.rules) ? spec.successPolicy.rules : [];
  if (rules.length === 0) errs.push(required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > 20) errs.push({ type: 'Too many', field: `${path}.rules`, value: rules.length, detail: 'must have at most 20 items' });
  const completions: number = spec.completions ?? 0;
  rules.forEach((rule, i) => {
    const rp = `${path}.rules[${i}]`;
    if (rule.succeededCount == null && rule.succeededIndexes == null) errs.push(required(rp, 'at least one of succeededCount or succeededIndexes must be specified'));
    let total = 0;
    if (rule.succeededIndexes != null) {
      const r = indexesFormat(String(rule.succeededIndexes), completions);
      if (typeof r === 'string') errs.push(invalid(`${rp}.succeededIndexes`, rule.succeededIndexes, `error parsing succeededIndexes: ${r}`));
      else total = r;
    }
    if (rule.succeededCount != null) {
      const cp = `${rp}.succeededCount`;
      errs.push(...nonNegative(rule.succeededCount, cp));
      if (rule.succeededCount > completions) errs.push(invalid(cp, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      if (rule.succeededIndexes != null && rule.succeededCount > total) errs.push(invalid(cp, rule.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  });
  return errs;
}

/** validateIndexesFormat / parseIndexInterval: ordered intervals below completions; the count or the error. */
function indexesFormat(text: string, completions: number): number | string {
  if (text === '') return 0;
  let total = 0;
  let last: number | undefined;
  for (const part of text.split(',')) {
    const limits = part.split('-');
    if (limits.length > 2) return `the fragment ${JSON.stringify(part)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const nums: number[] = [];
    for (const b of limits) {
      // strconv.Atoi: an optional sign and decimal digits
      if (!/^[+-]?\d+$/.test(b)) return `cannot convert string to integer for index: ${JSON.stringify(b)}`;
      if (Number(b) >= completions) return `too large index: ${JSON.stringify(b)}`;
      nums.push(Number(b));
    }
    const [x, y = nums[0]] = nums;
    if (nums.length > 1 && x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}

export function validateJob(job: KObject, old?: KObject): FieldError[] {
  const errs = [...validateObjectMeta(job, true, isDNS1123Subdomain)];
  const spec: Obj = job.spec ?? {};
  const sel = spec.selector;
  if (!sel) errs.push(required('spec.selector'));
  else if (!selectorMatches(sel, spec.template?.metadata?.labels)) errs.push(invalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  errs.push(...validateJobSpec(spec, 'spec'));
  if (old) {
    for (const f of ['selector', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'successPolicy']) {
      if (JSON.stringify(old.spec?.[f] ?? null) !== JSON.stringify(spec[f] ?? null)) errs.push(invalid(`spec.${f}`, spec[f], 'field is immutable'));
    }
    if (JSON.stringify(old.spec?.template ?? null) !== JSON.stringify(spec.template ?? null) && !old.spec?.suspend) errs.push(invalid('spec.template', spec.template, 'field is immutable'));
    if (old.spec?.completions !== spec.completions && spec.completionMode !== 'Indexed') errs.push(invalid('spec.completions', spec.completions, 'field is immutable'));
  }
  return errs;
}

export function defaultCronJob(cj: KObject): void {
  const spec: Obj = (cj.spec ??= {});
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = spec.jobTemplate;
  if (jt && typeof jt === 'object') {
    jt.metadata ??= { creationTimestamp: null };
    if (jt.spec && typeof jt.spec === 'object') defaultTemplate(jt.spec);
  }
}

/** The CronJob name leaves room for the 11 characters of a job's suffix. */
const CRONJOB_NAME_MAX = 52;

export function validateCronJob(cj: KObject): FieldError[] {
  const errs = [...validateObjectMeta(cj, true, (name, prefix) => {
    const msgs = isDNS1123Subdomain(name);
    if (!prefix && name.length > CRONJOB_NAME_MAX) msgs.push(`must be no more than ${CRONJOB_NAME_MAX} characters`);
    return msgs;
  })];
  const spec: Obj = cj.spec ?? {};
  const schedule = spec.schedule;
  if (!schedule) errs.push(required('spec.schedule'));
  else {
    try {
      parseCron(schedule);
    } catch (e) {
      errs.push(invalid('spec.schedule', schedule, (e as Error).message));
    }
    if (spec.timeZone != null && /^(CRON_)?TZ=/.test(schedule)) errs.push(invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  if (spec.timeZone != null) {
    const tz = String(spec.timeZone);
    if (tz === '') errs.push(invalid('spec.timeZone', tz, 'timeZone must be nil or non-empty string'));
    else if (tz.toLowerCase() === 'local') errs.push(invalid('spec.timeZone', tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
    else if (!validZone(tz)) errs.push(invalid('spec.timeZone', tz, `unknown time zone ${tz}`));
  }
  const cp = spec.concurrencyPolicy;
  if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(unsupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) errs.push(...nonNegative(spec[f], `spec.${f}`));
  const jt: Obj | undefined = spec.jobTemplate;
  if (!jt) errs.push(required('spec.jobTemplate'));
  else {
    const js: Obj = jt.spec ?? {};
    errs.push(...validateJobSpec(js, 'spec.jobTemplate.spec'));
    if (js.selector) errs.push(invalid('spec.jobTemplate.spec.selector', js.selector, '`selector` will be auto-generated'));
    if (js.manualSelector === true) errs.push(unsupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  }
  return errs;
}
