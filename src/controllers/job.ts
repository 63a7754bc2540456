// The Job controller (pkg/controller/job/job_controller.go), NonIndexed: pods from the template,
// up to parallelism at a time, until completions of them succeeded. Failed pods (restartPolicy
// Never) or container restarts (OnFailure) count against backoffLimit; a failed pod is replaced
// after the pod failure back-off (10 s, doubling, at most 10 min, counted from the last failure).
// activeDeadlineSeconds fails the job (DeadlineExceeded). 1.32 adds SuccessCriteriaMet or
// FailureTarget before Complete or Failed. A finished job with ttlSecondsAfterFinished is deleted
// (with its pods) that long after it finished. What waits for a time sets a timer (timers.ts).
// The pod failure policy, backoffLimitPerIndex and the success policy decide through jobpolicy.ts.
import { StatusError } from '../api/errors';
import { createObject, deleteObject } from '../apiserver/registry';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { clone, cmp } from '../util/compare';
import { addTo, type Groups } from '../util/groups';
import { isPodReady } from '../api/podutil';
import { recordEvent } from './events';
import { dueTimers, wakeAt } from './timers';
import { podFromTemplate } from './podtemplate';
import { FAILURE_COUNT_KEY, IGNORED_COUNT_KEY, INDEX_KEY, indexOf, intervals, isIndexFailed, matchPodFailurePolicy, matchSuccessPolicy, nextFailureCounts } from './jobpolicy';

const SOURCE = { component: 'job-controller' };
const BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 10 * 60_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function controllerRef(p: KObject | undefined): { name: string; uid: string } | undefined {
  return (p?.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === 'Job');
}

function affected(state: State, since: number): Groups {
  const out: Groups = new Map();
  for (const c of state.changesSince(since, ['Job', 'Pod', 'ResourceQuota', 'LimitRange'])) {
    if (c.kind === 'Job') addTo(out, c.namespace, c.name);
    // a quota or limit range changed: the unfinished jobs retry the pods they may have been refused
    else if (c.kind === 'ResourceQuota' || c.kind === 'LimitRange') {
      for (const job of state.list('Job', c.namespace)) if (!isJobFinished(job)) addTo(out, c.namespace, job.metadata.name);
    }
    else for (const p of [c.old, state.get('Pod', c.namespace, c.name)]) addTo(out, c.namespace, controllerRef(p)?.name);
  }
  for (const [ns, name] of dueTimers(state, 'Job', nowMs())) addTo(out, ns, name);
  return out;
}

export function syncJobs(state: State, since = 0): void {
  const todo = affected(state, since);
  for (const ns of [...todo.keys()].sort(cmp)) for (const job of state.pick('Job', ns, todo.get(ns)!)) syncJob(state, job);
}

const condTrue = (job: KObject, type: string) => (job.status?.conditions ?? []).some((c: Obj) => c.type === type && c.status === 'True');
export const isJobFinished = (job: KObject) => condTrue(job, 'Complete') || condTrue(job, 'Failed');

function condition(type: string, reason: string, message: string, at = rfc3339()): Obj {
  return { type, status: 'True', lastProbeTime: at, lastTransitionTime: at, reason, message };
}

/**
 * A pod of the job; Indexed: its index in an annotation and a label, its hostname, JOB_COMPLETION_INDEX;
 * with backoffLimitPerIndex, the index's failures so far (addIndexFailureCountAnnotation).
 */
function jobPod(job: KObject, index?: number, counts?: [number, number]): KObject {
  const pod = podFromTemplate(job, index !== undefined ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`);
  if (index !== undefined) {
    const md = pod.metadata;
    const spec: Obj = pod.spec;
    md.annotations = { ...(md.annotations ?? {}), [INDEX_KEY]: String(index) };
    if (counts) {
      md.annotations[FAILURE_COUNT_KEY] = String(counts[0]);
      if (counts[1] > 0) md.annotations[IGNORED_COUNT_KEY] = String(counts[1]);
    }
    md.labels = { ...(md.labels ?? {}), [INDEX_KEY]: String(index) };
    spec.hostname ??= `${job.metadata.name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${INDEX_KEY}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) c.env = [...(c.env ?? []), env];
  }
  return pod;
}

const backoffAfter = (failures: number) => Math.min(BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);

/** When a finished pod ended: its containers' last finishedAt (else the pod's last transition). */
function finishedAt(p: KObject): number {
  let t = 0;
  for (const cs of p.status?.containerStatuses ?? []) {
    const f = cs.state?.terminated?.finishedAt;
    if (f) t = Math.max(t, Date.parse(f));
  }
  return t || Date.parse(p.metadata.creationTimestamp ?? '') || nowMs();
}

function deleteActive(state: State, job: KObject, active: KObject[]): void {
  for (const p of active) {
    deleteObject(state, resourceByKind('Pod'), p.metadata.namespace, p.metadata.name);
    recordEvent(state, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, SOURCE);
  }
}

function syncJob(state: State, job: KObject): void {
  const now = nowMs();
  const ns = job.metadata.namespace as string;
  const name = job.metadata.name;
  // when the job next needs a look (a back-off ends, the deadline, the TTL), set once at the end
  let wake: number | undefined;
  const wakeBy = (at: number) => (wake = wake === undefined ? at : Math.min(wake, at));
  const pods = state.listReferring('Pod', ns, job.metadata.uid as string).filter((p) => controllerRef(p)?.uid === job.metadata.uid);
  const terminal = (p: KObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  const active = pods.filter((p) => !terminal(p) && !p.metadata.deletionTimestamp);
  const terminating = pods.filter((p) => !terminal(p) && p.metadata.deletionTimestamp).length;
  const indexed = job.spec?.completionMode === 'Indexed';
  // Indexed: a completion per index, however many of its pods succeeded
  const doneIndexes = new Set(pods.filter((p) => p.status?.phase === 'Succeeded').map(indexOf).filter((i): i is number => i !== undefined && i < (job.spec?.completions ?? 0)));
  // the counts never go down: a counted pod deleted later stays counted (the controller's
  // job-tracking finalizer keeps real pods until they are)
  const succeeded = indexed ? doneIndexes.size : Math.max(job.status?.succeeded ?? 0, pods.filter((p) => p.status?.phase === 'Succeeded').length);
  const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
  // a failure an Ignore rule of the pod failure policy matches is not counted
  let failed = Math.max(job.status?.failed ?? 0, failedPods.filter((p) => matchPodFailurePolicy(job, p).counts).length);
  const spec: Obj = job.spec ?? {};
  const perIndex = indexed && spec.backoffLimitPerIndex != null;
  // backoffLimitPerIndex: an index whose failures ran out (or a FailIndex rule matched) is not run again
  const failedIndexes = new Set(perIndex ? failedPods.filter((p) => isIndexFailed(job, p)).map(indexOf).filter((i): i is number => i !== undefined && i < (spec.completions ?? 0) && !doneIndexes.has(i)) : []);
  const status: Obj = clone(job.status ?? {});
  const conditions: Obj[] = status.conditions ?? [];

  if (isJobFinished(job)) {
    wakeAt(state, 'Job', ns, name, expireAfterFinished(state, job, now));
    return;
  }
  const add = (c: Obj) => conditions.push(c);
  let finished: 'Complete' | 'Failed' | undefined;
  let failure: { reason: string; message: string } | undefined;

  if (spec.suspend) {
    if (!condTrue(job, 'Suspended')) {
      deleteActive(state, job, active);
      active.length = 0;
      add(condition('Suspended', 'JobSuspended', 'Job suspended'));
      recordEvent(state, job, 'Normal', 'Suspended', 'Job suspended', SOURCE);
    }
  } else {
    const suspended = conditions.find((c) => c.type === 'Suspended' && c.status === 'True');
    if (suspended) {
      Object.assign(suspended, { status: 'False', lastProbeTime: rfc3339(), lastTransitionTime: rfc3339(), reason: 'JobResumed', message: 'Job resumed' });
      recordEvent(state, job, 'Normal', 'Resumed', 'Job resumed', SOURCE);
      delete status.startTime;
    }
    status.startTime ??= rfc3339();
    const backoffLimit: number = spec.backoffLimit ?? 6;
    const restarts = spec.template?.spec?.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((m: number, cs: Obj) => m + (cs.restartCount ?? 0), 0), 0) : 0;
    const deadline = spec.activeDeadlineSeconds != null ? Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 : undefined;
    const completions: number | undefined = spec.completions ?? undefined;
    // syncJob's order: a FailJob rule, the backoff limit, the deadline, the failed indexes, the
    // success policy, and then (no terminal condition) the completions
    const failJob = spec.podFailurePolicy ? failedPods.map((p) => matchPodFailurePolicy(job, p).failJob).find((m) => m !== undefined) : undefined;
    let success: { reason: string; message: string } | undefined;
    if (failJob) failure = { reason: 'PodFailurePolicy', message: failJob };
    else if (failed > backoffLimit || (restarts > 0 && restarts >= backoffLimit)) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (deadline !== undefined && now >= deadline) failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    else if (perIndex && spec.maxFailedIndexes != null && failedIndexes.size > spec.maxFailedIndexes) failure = { reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' };
    else if (perIndex && failedIndexes.size > 0 && failedIndexes.size + doneIndexes.size >= (completions ?? 0)) failure = { reason: 'FailedIndexes', message: 'Job has failed indexes' };
    else if (indexed) {
      const matched = matchSuccessPolicy(job, doneIndexes);
      if (matched) success = { reason: 'SuccessPolicy', message: matched };
    }
    if (failure) finished = 'Failed';
    else if (success || (completions != null ? succeeded >= completions : succeeded > 0 && active.length === 0)) {
      finished = 'Complete';
      success ??= { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
    }

    if (finished) {
      deleteActive(state, job, active);
      // the pods it stops fail
      if (finished === 'Failed') failed += active.length;
      active.length = 0;
      const at = rfc3339();
      if (finished === 'Complete') {
        add(condition('SuccessCriteriaMet', success!.reason, success!.message, at));
        add(condition('Complete', success!.reason, success!.message, at));
        status.completionTime = at;
        recordEvent(state, job, 'Normal', 'Completed', 'Job completed', SOURCE);
      } else {
        add(condition('FailureTarget', failure!.reason, failure!.message, at));
        add(condition('Failed', failure!.reason, failure!.message, at));
        recordEvent(state, job, 'Warning', failure!.reason, failure!.message, SOURCE);
      }
    } else {
      if (deadline !== undefined) wakeBy(deadline);
      const parallelism: number = spec.parallelism ?? 1;
      const want = completions != null ? Math.min(parallelism, completions - succeeded) : succeeded > 0 ? 0 : parallelism;
      // podReplacementPolicy Failed: a terminating pod is replaced only once it has failed
      let missing = want - active.length - (spec.podReplacementPolicy === 'Failed' ? terminating : 0);
      if (missing > 0 && failedPods.length && !perIndex) {
        // the pod failure back-off, from the last failure since the last success
        const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === 'Succeeded').map(finishedAt));
        const recent = failedPods.map(finishedAt).filter((t) => t >= lastSuccess);
        if (recent.length) {
          const at = Math.max(...recent) + backoffAfter(recent.length);
          if (now < at) {
            wakeBy(at);
            missing = 0;
          }
        }
      }
      // Indexed: the lowest indexes neither done, failed nor running; with backoffLimitPerIndex an
      // index whose last pod failed waits out its own back-off and carries its failure counts
      const busy = new Set([...active, ...(spec.podReplacementPolicy === 'Failed' ? pods.filter((p) => !terminal(p) && p.metadata.deletionTimestamp) : [])].map(indexOf));
      const lastFailed = new Map<number, KObject>();
      if (perIndex) for (const p of failedPods) {
        const i = indexOf(p);
        if (i === undefined) continue;
        const prev = lastFailed.get(i);
        if (!prev || finishedAt(p) >= finishedAt(prev)) lastFailed.set(i, p);
      }
      const pending: number[] = [];
      if (indexed) {
        for (let i = 0; i < (completions ?? 0) && pending.length < missing; i++) {
          if (doneIndexes.has(i) || failedIndexes.has(i) || busy.has(i)) continue;
          const last = lastFailed.get(i);
          if (last) {
            const [counted, ignored] = nextFailureCounts(job, last);
            const at = finishedAt(last) + backoffAfter(counted + ignored);
            if (now < at) {
              wakeBy(at);
              continue;
            }
          }
          pending.push(i);
        }
        missing = Math.min(missing, pending.length);
      }
      for (let i = 0; i < missing; i++) {
        let pod: KObject;
        try {
          pod = createObject(state, jobPod(job, indexed ? pending[i] : undefined, perIndex ? nextFailureCounts(job, lastFailed.get(pending[i])) : undefined));
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
          recordEvent(state, job, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, SOURCE);
          break;
        }
        active.push(pod);
        recordEvent(state, job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      }
    }
  }

  // JobStatus in struct order; the counters are omitted when 0, ready and terminating are not
  const out: Obj = {};
  if (conditions.length) out.conditions = conditions;
  if (status.startTime) out.startTime = status.startTime;
  if (status.completionTime) out.completionTime = status.completionTime;
  if (active.length) out.active = active.length;
  if (succeeded) out.succeeded = succeeded;
  if (failed) out.failed = failed;
  out.terminating = terminating;
  if (indexed && doneIndexes.size) out.completedIndexes = intervals(doneIndexes);
  if (perIndex) out.failedIndexes = intervals(failedIndexes);
  out.uncountedTerminatedPods = {};
  out.ready = active.filter(isPodReady).length;
  const cur = state.get('Job', ns, name)!;
  const upd = clone(cur);
  upd.status = out;
  state.replace(upd);
  if (finished) {
    const ttl = expireAfterFinished(state, upd, now);
    if (ttl !== undefined) wakeBy(ttl);
  }
  wakeAt(state, 'Job', ns, name, wake);
}

/** ttlSecondsAfterFinished (the ttl-after-finished controller): the job goes, with its pods; or when it will. */
function expireAfterFinished(state: State, job: KObject, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl == null) return undefined;
  const done = (job.status?.conditions ?? []).find((c: Obj) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const at = Date.parse(done?.lastTransitionTime ?? job.status?.completionTime ?? '') + ttl * 1000;
  if (Number.isNaN(at)) return undefined;
  if (now < at) return at;
  deleteObject(state, resourceByKind('Job'), job.metadata.namespace, job.metadata.name);
  return undefined;
}
