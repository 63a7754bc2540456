// What a Job's policies make of its pods (pkg/controller/job: pod_failure_policy.go, success_policy.go,
// backoff_utils.go and the per-index parts of indexed_job_utils.go): which rule a failed pod matches,
// which indexes failed for good, whether the success policy is met. Pure functions of the job and its
// pods; the Job controller (job.ts) acts on the answers.
import type { KObject } from '../api/types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-failure-count';
export const IGNORED_COUNT_KEY = 'batch.kubernetes.io/job-index-ignored-failure-count';

export type PolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PolicyMatch {
  /** the job's failure message (a FailJob rule) */
  failJob?: string;
  /** whether the failure counts towards backoffLimit (an Ignore rule's does not) */
  counts: boolean;
  action?: PolicyAction;
}

/** matchOnExitCodes: the first terminated container (then init container) whose non-zero exit code the requirement matches. */
function matchExitCodes(pod: KObject, req: Obj): Obj | undefined {
  const match = (list: Obj[] | undefined) =>
    (list ?? []).find((cs) => {
      const code = cs.state?.terminated?.exitCode;
      if (code === undefined || code === 0) return false;
      if (req.containerName != null && req.containerName !== cs.name) return false;
      const values: number[] = req.values ?? [];
      if (req.operator === 'In') return values.includes(code);
      if (req.operator === 'NotIn') return !values.includes(code);
      return false;
    });
  return match(pod.status?.containerStatuses) ?? match(pod.status?.initContainerStatuses);
}

/** matchPodFailurePolicy: the first rule a failed pod matches; a rule with an unknown action is skipped. */
export function matchPodFailurePolicy(job: KObject, pod: KObject): PolicyMatch {
  const rules: Obj[] = job.spec?.podFailurePolicy?.rules ?? [];
  const ns = pod.metadata.namespace;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const action = rule.action as PolicyAction;
    if (!['FailJob', 'FailIndex', 'Ignore', 'Count'].includes(action)) continue;
    let failMessage: string | undefined;
    if (rule.onExitCodes) {
      const cs = matchExitCodes(pod, rule.onExitCodes);
      if (!cs) continue;
      failMessage = `Container ${cs.name} for pod ${ns}/${pod.metadata.name} failed with exit code ${cs.state.terminated.exitCode} matching ${action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const patterns: Obj[] = rule.onPodConditions;
      const cond = (pod.status?.conditions ?? []).find((c: Obj) => patterns.some((p) => p.type === c.type && p.status === c.status));
      if (!cond) continue;
      failMessage = `Pod ${ns}/${pod.metadata.name} has condition ${cond.type} matching ${action} rule at index ${i}`;
    } else continue;
    if (action === 'Ignore') return { counts: false, action };
    if (action === 'FailJob') return { failJob: failMessage, counts: true, action };
    return { counts: true, action };
  }
  return { counts: true };
}

export const indexOf = (p: KObject): number | undefined => {
  const v = p.metadata.annotations?.[INDEX_KEY];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

const countOf = (p: KObject, key: string): number => {
  const v = p.metadata.annotations?.[key];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
};

/**
 * getNewIndexFailureCounts: the failure counts a replacement for this failed pod's index carries
 * (counted failures, ignored failures).
 */
export function nextFailureCounts(job: KObject, replaced: KObject | undefined): [number, number] {
  if (!replaced) return [0, 0];
  let counted = countOf(replaced, FAILURE_COUNT_KEY);
  let ignored = countOf(replaced, IGNORED_COUNT_KEY);
  if (matchPodFailurePolicy(job, replaced).counts) counted++;
  else ignored++;
  return [counted, ignored];
}

/** isIndexFailed: a FailIndex rule matched, or a counted failure beyond backoffLimitPerIndex. */
export function isIndexFailed(job: KObject, pod: KObject): boolean {
  if (pod.status?.phase !== 'Failed') return false;
  const m = matchPodFailurePolicy(job, pod);
  if (m.action === 'FailIndex') return true;
  return m.counts && countOf(pod, FAILURE_COUNT_KEY) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** status.completedIndexes / failedIndexes: ascending intervals, "1,3-5,7". */
export function intervals(indexes: Iterable<number>): string {
  const out: string[] = [];
  const xs = [...new Set(indexes)].sort((a, b) => a - b);
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(i === j ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** parseIndexesFromString: "0,2-4" → the indexes below completions; undefined when malformed. */
export function parseIndexes(text: string, completions: number): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const first = Number(m[1]);
    const last = m[2] !== undefined ? Number(m[2]) : first;
    if (last < first) return undefined;
    for (let i = first; i <= Math.min(last, completions - 1); i++) out.add(i);
  }
  return out;
}

/** matchSuccessPolicy: "Matched rules at index N" for the first rule the succeeded indexes satisfy. */
export function matchSuccessPolicy(job: KObject, succeeded: Set<number>): string | undefined {
  const rules: Obj[] = job.spec?.successPolicy?.rules ?? [];
  const completions: number = job.spec?.completions ?? 0;
  if (!job.spec?.successPolicy || succeeded.size === 0) return undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.succeededIndexes != null) {
      const wanted = parseIndexes(String(rule.succeededIndexes), completions);
      if (!wanted || wanted.size === 0) continue;
      const contains = [...wanted].filter((x) => succeeded.has(x)).length;
      if (contains === wanted.size || (rule.succeededCount != null && contains >= rule.succeededCount)) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount != null && succeeded.size >= rule.succeededCount) return `Matched rules at index ${i}`;
  }
  return undefined;
}
