// The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): at each scheduled time a
// Job named <cronjob>-<scheduled minutes since the epoch> from the job template. The controller
// looks again at the next scheduled time (a timer, timers.ts), so catchUp replays every run at its
// moment; when it was kept from looking (a replay cut short), only the most recent missed time runs,
// and more than 100 missed times are reported (TooManyMissedTimes). concurrencyPolicy Forbid skips
// a run while a job is active, Replace deletes the active ones first; finished jobs beyond
// successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted, oldest first.
import { StatusError } from '../api/errors';
import { createObject, deleteObject } from '../apiserver/registry';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { clone, cmp } from '../util/compare';
import { addTo, type Groups } from '../util/groups';
import { nextAfter, parseCron, type Schedule } from '../util/cron';
import { recordEvent } from './events';
import { isJobFinished } from './job';
import { dueTimers, wakeAt } from './timers';

const SOURCE = { component: 'cronjob-controller' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function controllerRef(j: KObject | undefined): { name: string; uid: string } | undefined {
  return (j?.metadata.ownerReferences ?? []).find((r: { controller?: boolean; kind: string }) => r.controller && r.kind === 'CronJob');
}

function affected(state: State, since: number): Groups {
  const out: Groups = new Map();
  for (const c of state.changesSince(since, ['CronJob', 'Job'])) {
    if (c.kind === 'CronJob') addTo(out, c.namespace, c.name);
    else for (const j of [c.old, state.get('Job', c.namespace, c.name)]) addTo(out, c.namespace, controllerRef(j)?.name);
  }
  for (const [ns, name] of dueTimers(state, 'CronJob', nowMs())) addTo(out, ns, name);
  return out;
}

export function syncCronJobs(state: State, since = 0): void {
  const todo = affected(state, since);
  for (const ns of [...todo.keys()].sort(cmp)) for (const cj of state.pick('CronJob', ns, todo.get(ns)!)) syncCronJob(state, cj);
}

const jobFailed = (j: KObject) => (j.status?.conditions ?? []).some((c: Obj) => c.type === 'Failed' && c.status === 'True');
const ref = (j: KObject) => ({ kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion });

function syncCronJob(state: State, cj: KObject): void {
  const now = nowMs();
  const ns = cj.metadata.namespace as string;
  const name = cj.metadata.name;
  let wake: number | undefined;
  const spec: Obj = cj.spec ?? {};
  const status: Obj = clone(cj.status ?? {});
  let jobs = state.listReferring('Job', ns, cj.metadata.uid as string).filter((j) => controllerRef(j)?.uid === cj.metadata.uid);

  // the active list follows the jobs: finished ones leave it, unfinished ones are in it
  const active: Obj[] = [];
  for (const j of jobs) {
    const listed = (status.active ?? []).some((r: Obj) => r.uid === j.metadata.uid);
    if (!isJobFinished(j)) {
      // one it did not create (create job --from=cronjob/…) is reported, not adopted
      if (listed) active.push(ref(j));
      else recordEvent(state, cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`, SOURCE);
      continue;
    }
    if (listed) recordEvent(state, cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${jobFailed(j) ? 'Failed' : 'Complete'}`, SOURCE);
    // a finished job need not have been active: its completion time counts
    if (j.status?.completionTime && (!status.lastSuccessfulTime || j.status.completionTime > status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status.completionTime;
  }

  let sched: Schedule | undefined;
  try {
    sched = parseCron(spec.schedule ?? '');
  } catch {
    sched = undefined;
  }
  if (sched && !spec.suspend) {
    const tz = spec.timeZone ?? undefined;
    // mostRecentScheduleTime: the scheduled times since the last one (or the creation) up to now
    const earliest = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : Date.parse(cj.metadata.creationTimestamp ?? rfc3339());
    let from = earliest;
    if (spec.startingDeadlineSeconds != null) from = Math.max(from, now - spec.startingDeadlineSeconds * 1000);
    let recent: number | undefined;
    let missed = 0;
    for (let t = nextAfter(sched, from, tz); t !== undefined && t <= now; t = nextAfter(sched, t, tz)) {
      recent = t;
      if (++missed > 100) {
        // beyond 100 the controller stops counting and takes the latest time before now
        let last = t;
        for (let u = nextAfter(sched, Math.max(t, now - 366 * 86_400_000), tz); u !== undefined && u <= now; u = nextAfter(sched, u, tz)) last = u;
        recent = last;
        break;
      }
    }
    if (missed > 100) recordEvent(state, cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', SOURCE);
    if (recent !== undefined) {
      const jobName = `${name}-${Math.floor(recent / 60_000)}`;
      const exists = jobs.some((j) => j.metadata.name === jobName) || !!state.get('Job', ns, jobName);
      if (exists) {
        // already run (or a job of that name is in the way)
      } else if (spec.concurrencyPolicy === 'Forbid' && active.length) {
        // skipped: the run waits for the active job, and takes the next scheduled time
      } else {
        if (spec.concurrencyPolicy === 'Replace') {
          for (const r of active.splice(0)) {
            deleteObject(state, resourceByKind('Job'), ns, r.name);
            recordEvent(state, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${r.name}`, SOURCE);
          }
        }
        const jt: Obj = clone(spec.jobTemplate ?? {});
        const md: Obj = jt.metadata ?? {};
        const job: KObject = {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: {
            name: jobName,
            namespace: ns,
            ...(md.labels ? { labels: md.labels } : {}),
            annotations: { ...(md.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(recent) },
            ownerReferences: [{ apiVersion: 'batch/v1', blockOwnerDeletion: true, controller: true, kind: 'CronJob', name, uid: cj.metadata.uid as string }],
          },
          spec: jt.spec ?? {},
        };
        try {
          const made = createObject(state, job);
          active.push(ref(made));
          jobs = [...jobs, made];
          recordEvent(state, cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, SOURCE);
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
          recordEvent(state, cj, 'Warning', 'FailedCreate', `Error creating job: ${e.message}`, SOURCE);
        }
      }
      status.lastScheduleTime = rfc3339(recent);
    }
    wake = nextAfter(sched, now, tz);
  }

  // the history limits: the oldest finished jobs beyond them go
  const finished = jobs.filter((j) => state.get('Job', ns, j.metadata.name) && isJobFinished(j));
  const byStart = (a: KObject, b: KObject) => cmp(a.status?.startTime ?? a.metadata.creationTimestamp ?? '', b.status?.startTime ?? b.metadata.creationTimestamp ?? '') || cmp(a.metadata.name, b.metadata.name);
  for (const [list, limit] of [
    [finished.filter((j) => !jobFailed(j)), spec.successfulJobsHistoryLimit],
    [finished.filter(jobFailed), spec.failedJobsHistoryLimit],
  ] as [KObject[], number | undefined][]) {
    if (limit == null) continue;
    for (const j of [...list].sort(byStart).slice(0, Math.max(0, list.length - limit))) {
      deleteObject(state, resourceByKind('Job'), ns, j.metadata.name);
      recordEvent(state, cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, SOURCE);
    }
  }

  wakeAt(state, 'CronJob', ns, name, wake);
  const out: Obj = {};
  if (active.length) out.active = active;
  if (status.lastScheduleTime) out.lastScheduleTime = status.lastScheduleTime;
  if (status.lastSuccessfulTime) out.lastSuccessfulTime = status.lastSuccessfulTime;
  const cur = state.get('CronJob', ns, name)!;
  const upd = clone(cur);
  upd.status = out;
  state.replace(upd);
}
