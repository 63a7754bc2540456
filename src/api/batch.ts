// Jobs and CronJobs (batch/v1): SetDefaults_Job / SetDefaults_CronJob, the Job strategy's generated
// selector (pkg/registry/batch/job/strategy.go generateSelector) and the parts of ValidateJob /
// ValidateCronJob a lab meets (pkg/apis/batch/validation).
import { defaultPodTemplateSpec } from './defaults';
import { invalid, required, unsupported, type FieldError } from './errors';
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
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...nonNegative(spec[f], `${path}.${f}`));
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds === 0) errs.push(invalid(`${path}.activeDeadlineSeconds`, 0, 'must be greater than 0'));
  const cm = spec.completionMode;
  if (cm !== undefined && cm !== 'NonIndexed' && cm !== 'Indexed') errs.push(unsupported(`${path}.completionMode`, cm, ['NonIndexed', 'Indexed']));
  if (cm === 'Indexed' && spec.completions == null) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  if (!spec.template) errs.push(required(`${path}.template`));
  else {
    errs.push(...validateLabels(spec.template.metadata?.labels ?? {}, `${path}.template.metadata.labels`));
    if (spec.template.spec) errs.push(...validatePodSpec(spec.template.spec, `${path}.template.spec`));
    const rp = spec.template.spec?.restartPolicy;
    if (rp === 'Always') errs.push(required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
    else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(unsupported(`${path}.template.spec.restartPolicy`, rp ?? '', ['OnFailure', 'Never']));
  }
  return errs;
}

export function validateJob(job: KObject, old?: KObject): FieldError[] {
  const errs = [...validateObjectMeta(job, true, isDNS1123Subdomain)];
  const spec: Obj = job.spec ?? {};
  const sel = spec.selector;
  if (!sel) errs.push(required('spec.selector'));
  else if (!selectorMatches(sel, spec.template?.metadata?.labels)) errs.push(invalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  errs.push(...validateJobSpec(spec, 'spec'));
  if (old) {
    for (const f of ['selector', 'completionMode', 'podFailurePolicy']) {
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
