// The Job controller (pkg/controller/job/job_controller.go), NonIndexed: pods from the template,
// up to parallelism at a time, until completions of them succeeded. Failed pods (restartPolicy
// Never) or container restarts (OnFailure) count against backoffLimit; a failed pod is replaced
// after the pod failure back-off (10 s, doubling, at most 10 min, counted from the last failure).
// activeDeadlineSeconds fails the job (DeadlineExceeded). 1.32 adds SuccessCriteriaMet or
// FailureTarget before Complete or Failed. A finished job with ttlSecondsAfterFinished is deleted
// (with its pods) that long after it finished. What waits for a time sets a timer (timers.ts).
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

const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';

/** A pod of the job; Indexed: its index in an annotation and a label, its hostname, JOB_COMPLETION_INDEX. */
function jobPod(job: KObject, index?: number): KObject {
  const pod = podFromTemplate(job, index !== undefined ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`);
  if (index !== undefined) {
    const md = pod.metadata;
    const spec: Obj = pod.spec;
    md.annotations = { ...(md.annotations ?? {}), [INDEX_KEY]: String(index) };
    md.labels = { ...(md.labels ?? {}), [INDEX_KEY]: String(index) };
    spec.hostname ??= `${job.metadata.name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${INDEX_KEY}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) c.env = [...(c.env ?? []), env];
  }
  return pod;
}

const indexOf = (p: KObject): number | undefined => {
  const v = p.metadata.annotations?.[INDEX_KEY];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

/** status.completedIndexes: ascending intervals, "1,3-5,7". */
function intervals(indexes: number[]): string {
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
  let failed = Math.max(job.status?.failed ?? 0, failedPods.length);
  const spec: Obj = job.spec ?? {};
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
    const complete = completions != null ? succeeded >= completions : succeeded > 0 && active.length === 0;
    if (complete) finished = 'Complete';
    else if (failed > backoffLimit || (restarts > 0 && restarts >= backoffLimit)) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (deadline !== undefined && now >= deadline) failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    if (failure) finished = 'Failed';

    if (finished) {
      deleteActive(state, job, active);
      // the pods it stops fail
      if (finished === 'Failed') failed += active.length;
      active.length = 0;
      const at = rfc3339();
      if (finished === 'Complete') {
        add(condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', at));
        add(condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', at));
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
      let missing = want - active.length;
      if (missing > 0 && failedPods.length) {
        // the pod failure back-off, from the last failure since the last success
        const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === 'Succeeded').map(finishedAt));
        const recent = failedPods.map(finishedAt).filter((t) => t >= lastSuccess);
        if (recent.length) {
          const at = Math.max(...recent) + Math.min(BACKOFF_MS * 2 ** (recent.length - 1), MAX_BACKOFF_MS);
          if (now < at) {
            wakeBy(at);
            missing = 0;
          }
        }
      }
      // Indexed: the lowest indexes neither done nor running
      const busy = new Set(active.map(indexOf));
      const pending: number[] = [];
      if (indexed) for (let i = 0; i < (completions ?? 0) && pending.length < missing; i++) if (!doneIndexes.has(i) && !busy.has(i)) pending.push(i);
      if (indexed) missing = Math.min(missing, pending.length);
      for (let i = 0; i < missing; i++) {
        let pod: KObject;
        try {
          pod = createObject(state, jobPod(job, indexed ? pending[i] : undefined));
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
  if (indexed && doneIndexes.size) out.completedIndexes = intervals([...doneIndexes]);
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
