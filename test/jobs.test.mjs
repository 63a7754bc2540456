// Issue 15, part 3: Jobs and CronJobs (batch/v1). The generators against real kubectl; a Job's
// timeline on the simulated clock; a failing Job reaching its backoff limit with the pod failure
// back-off between its pods; a CronJob's runs, history limits and concurrency policy over simulated
// minutes; validation and TTL.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cluster, hasKubectl } from './helpers.mjs';

const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const T = (hms) => `2025-03-01T${hms}Z`;

const job = (name, command, extra = '', restart = 'Never') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${extra}  template:
    spec:
      containers:
      - name: c
        image: busybox
        command: ${JSON.stringify(command)}
      restartPolicy: ${restart}
`;

const cronjob = (name, schedule, command, extra = '') => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "${schedule}"
${extra}  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: ${name}
            image: busybox
            command: ${JSON.stringify(command)}
          restartPolicy: OnFailure
`;

const GENERATOR_CASES = [
  ['create', 'job', 'x', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'job', 'x', '--image=busybox'],
  ['create', 'job', 'pi', '--image=perl:5.34', '-n', 'team-a', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'],
  ['create', 'job', 'x', '--image=nginx:1.27', '--', 'sleep', '10'],
  ['create', 'cronjob', 'c', '--image=busybox', '--schedule=*/1 * * * *', '--', 'date'],
  ['create', 'cronjob', 'c', '--image=busybox', '--schedule=@hourly', '--restart=Never'],
  ['create', 'cronjob', 'c', '--image=busybox', '--schedule=0 3 * * 1-5', '-n', 'foo', '--', 'sh', '-c', 'echo hi'],
  ['create', 'cj', 'c', '--image=busybox', '--schedule=* * * * *', '--restart=OnFailure'],
  ['create', 'job'],
  ['create', 'job', 'x'],
  ['create', 'job', 'a', 'b', '--image=x'],
  ['create', 'job', 'x', '--image=a', '--from=cronjob/a'],
  ['create', 'cronjob', 'c'],
  ['create', 'cronjob', 'c', '--image=busybox'],
  ['create', 'cronjob', 'c', '--schedule=* * * * *'],
  ['create', 'cronjob', '--image=busybox', '--schedule=* * * * *'],
];

function norm(s) {
  return s.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ run\.go:72\]/gm, 'E0000 00:00:00.000000 PID run.go:72]').replaceAll('kubectl', 'kubesim');
}

test('create job / cronjob match kubectl --dry-run=client: -o yaml, -o json, -o name and the plain line', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed: nothing to compare with');
  const c = cluster({ seed: 'jobs-gen' });
  try {
    let compared = 0;
    for (const line of GENERATOR_CASES) {
      for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
        // the flags go before "--": what follows it is the container's command
        const dash = line.indexOf('--');
        const args = dash < 0 ? [...line, '--dry-run=client', ...out] : [...line.slice(0, dash), '--dry-run=client', ...out, ...line.slice(dash)];
        const k = spawnSync('kubectl', args, { encoding: 'utf8' });
        const s = c.run(args);
        const label = args.join(' ');
        assert.equal(s.code, k.status, `${label}: exit code (stderr ${s.stderr})`);
        assert.equal(s.stdout, k.stdout, `${label}: stdout`);
        assert.equal(norm(s.stderr), norm(k.stderr), `${label}: stderr`);
        compared++;
      }
    }
    assert.equal(compared, GENERATOR_CASES.length * 4);
  } finally {
    c.cleanup();
  }
});

const c = cluster({ seed: 'jobs' });
after(() => c.cleanup());

test('a Job: defaults, the generated selector, its pod and the timeline of get jobs', () => {
  c.at(T('12:00:00'));
  assert.equal(c.ok(['apply', '-f', '-'], { input: job('pi', ['sleep', '5']) }), 'job.batch/pi created\n');
  const j = json(c, ['get', 'job', 'pi']);
  const uid = j.metadata.uid;
  assert.deepEqual(
    { ...j.spec, template: undefined },
    { backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false, parallelism: 1, podReplacementPolicy: 'TerminatingOrFailed', selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } }, suspend: false, template: undefined },
  );
  assert.deepEqual(j.spec.template.metadata.labels, { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
  assert.deepEqual(j.metadata.labels, j.spec.template.metadata.labels);
  assert.equal(c.ok(['get', 'jobs']), 'NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           0s         0s\n');
  const pods = json(c, ['get', 'pods', '-l', 'job-name=pi']).items;
  assert.equal(pods.length, 1);
  assert.match(pods[0].metadata.name, /^pi-[a-z0-9]{5}$/);
  assert.deepEqual(pods[0].metadata.ownerReferences, [{ apiVersion: 'batch/v1', blockOwnerDeletion: true, controller: true, kind: 'Job', name: 'pi', uid }]);
  assert.match(c.ok(['get', 'jobs', '-o', 'wide']), /^NAME   STATUS    COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES    SELECTOR\npi     Running   0\/1           0s         0s    c            busybox   batch\.kubernetes\.io\/controller-uid=/);

  // busybox pulls (≈0.5 s), then sleeps 5 s
  c.at(T('12:00:03'));
  assert.equal(c.ok(['get', 'jobs']), 'NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           3s         3s\n');
  assert.equal(json(c, ['get', 'job', 'pi']).status.active, 1);
  c.at(T('12:00:30'));
  assert.equal(c.ok(['get', 'jobs']), 'NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           6s         30s\n');
  assert.match(c.ok(['get', 'pods', '-l', 'job-name=pi']), /pi-[a-z0-9]{5}   0\/1     Completed   0          30s\n$/);
  const done = json(c, ['get', 'job', 'pi']).status;
  assert.deepEqual(done.conditions.map((x) => [x.type, x.status, x.reason, x.message, x.lastTransitionTime]), [
    ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', '2025-03-01T12:00:06Z'],
    ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', '2025-03-01T12:00:06Z'],
  ]);
  assert.equal(done.startTime, '2025-03-01T12:00:00Z');
  assert.equal(done.completionTime, '2025-03-01T12:00:06Z');
  assert.equal(done.succeeded, 1);
  assert.equal(done.active, undefined);
  assert.deepEqual([done.ready, done.terminating, done.uncountedTerminatedPods], [0, 0, {}]);
  const events = c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Job']);
  assert.match(events, /Normal   SuccessfulCreate   job\/pi   Created pod: pi-[a-z0-9]{5}\n/);
  assert.match(events, /Normal   Completed          job\/pi   Job completed\n/);
  assert.equal(c.ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=1s']), 'job.batch/pi condition met\n');
});

test('parallel completions: pods up to parallelism until completions succeeded', () => {
  c.at(T('12:01:00'));
  c.ok(['apply', '-f', '-'], { input: job('par', ['sleep', '2'], '  completions: 5\n  parallelism: 2\n') });
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=par']).items.length, 2);
  c.at(T('12:01:03'));
  assert.match(c.ok(['get', 'job', 'par']), /par    Running   2\/5 /);
  c.at(T('12:01:30'));
  assert.match(c.ok(['get', 'job', 'par']), /par    Complete   5\/5           9s /);
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=par']).items.filter((p) => p.status.phase === 'Succeeded').length, 5);
});

test('a failing Job: the pod failure back-off between pods, then BackoffLimitExceeded', () => {
  c.at(T('12:02:00'));
  c.ok(['apply', '-f', '-'], { input: job('bad', ['sh', '-c', 'exit 1'], '  backoffLimit: 2\n') });
  // the first pod fails at once (the image is on the node); the next comes 10 s later, then 20 s
  c.at(T('12:02:05'));
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=bad']).items.length, 1);
  assert.match(c.ok(['get', 'job', 'bad']), /bad    Running   0\/1 /);
  c.at(T('12:02:11'));
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=bad']).items.length, 2);
  c.at(T('12:02:25'));
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=bad']).items.length, 2);
  c.at(T('12:02:40'));
  assert.match(c.ok(['get', 'job', 'bad']), /bad    Failed   0\/1           40s /);
  const pods = json(c, ['get', 'pods', '-l', 'job-name=bad']).items;
  assert.deepEqual(pods.map((p) => p.status.phase), ['Failed', 'Failed', 'Failed']);
  const st = json(c, ['get', 'job', 'bad']).status;
  assert.equal(st.failed, 3);
  assert.deepEqual(st.conditions.map((x) => [x.type, x.reason, x.message]), [
    ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  ]);
  assert.equal(st.completionTime, undefined);
  assert.match(c.ok(['get', 'events', '--field-selector', 'involvedObject.name=bad']), /Warning   BackoffLimitExceeded   job\/bad   Job has reached the specified backoff limit\n/);
  assert.equal(c.ok(['wait', '--for=condition=failed', 'job/bad', '--timeout=1s']), 'job.batch/bad condition met\n');
});

test('activeDeadlineSeconds fails the job and deletes its pods; OnFailure restarts count toward the limit', () => {
  c.at(T('12:03:00'));
  c.ok(['apply', '-f', '-'], { input: job('slow', ['sleep', '600'], '  activeDeadlineSeconds: 30\n') });
  c.at(T('12:03:29'));
  assert.match(c.ok(['get', 'job', 'slow']), /slow   Running /);
  c.at(T('12:03:31'));
  assert.match(c.ok(['get', 'job', 'slow']), /slow   Failed /);
  const st = json(c, ['get', 'job', 'slow']).status;
  assert.deepEqual(st.conditions.at(-1), { type: 'Failed', status: 'True', lastProbeTime: T('12:03:30'), lastTransitionTime: T('12:03:30'), reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
  assert.ok(json(c, ['get', 'pods', '-l', 'job-name=slow']).items.every((p) => p.metadata.deletionTimestamp || p.status.phase !== 'Running'));
  assert.equal(st.failed, 1, 'the pod it stopped counts as failed');

  c.ok(['apply', '-f', '-'], { input: job('crash', ['sh', '-c', 'exit 1'], '  backoffLimit: 2\n', 'OnFailure') });
  c.at(T('12:06:00'));
  const crash = json(c, ['get', 'job', 'crash']).status;
  assert.equal(crash.conditions.at(-1).reason, 'BackoffLimitExceeded');
  assert.equal(crash.failed, 1);
});

test('validation: restartPolicy, negative counts', () => {
  const r = c.run(['apply', '-f', '-'], { input: job('always', ['true'], '', 'Always') });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'The Job "always" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n');
  const neg = c.run(['apply', '-f', '-'], { input: job('neg', ['true'], '  parallelism: -1\n') });
  assert.match(neg.stderr, /spec\.parallelism: Invalid value: -1: must be greater than or equal to 0/);
  const cj = c.run(['create', 'cronjob', 'c', '--image=busybox', '--schedule=61 * * * *']);
  assert.equal(cj.stderr, 'error: failed to create cronjob: CronJob.batch "c" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n');
});

test('ttlSecondsAfterFinished deletes the finished job and its pods in simulated time', () => {
  c.at(T('12:10:00'));
  c.ok(['apply', '-f', '-'], { input: job('short', ['true'], '  ttlSecondsAfterFinished: 20\n') });
  c.at(T('12:10:15'));
  assert.match(c.ok(['get', 'job', 'short']), /short   Complete /);
  c.at(T('12:10:25'));
  assert.equal(c.run(['get', 'job', 'short']).stderr, 'Error from server (NotFound): jobs.batch "short" not found\n');
  c.at(T('12:11:30'));
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=short']).items.length, 0);
});

test('a CronJob: a Job per scheduled minute, named by it; history limits; get cronjobs', () => {
  c.at(T('12:20:30'));
  assert.equal(c.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *', '--', 'sh', '-c', 'date']), 'cronjob.batch/tick created\n');
  assert.equal(c.ok(['get', 'cj']), 'NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\ntick   */1 * * * *   <none>     False     0        <none>          0s\n');
  const cj = json(c, ['get', 'cj', 'tick']);
  assert.deepEqual([cj.spec.concurrencyPolicy, cj.spec.suspend, cj.spec.successfulJobsHistoryLimit, cj.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  c.at(T('12:20:59'));
  assert.equal(c.ok(['get', 'jobs', '-l', 'job-name']).includes('tick-'), false);
  c.at(T('12:21:00'));
  // 12:21 is 29013861 minutes after the epoch
  assert.equal(c.ok(['get', 'cj', 'tick']), 'NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\ntick   */1 * * * *   <none>     False     1        0s              30s\n');
  const first = json(c, ['get', 'job', 'tick-29013861']);
  assert.equal(first.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], T('12:21:00'));
  assert.deepEqual(first.metadata.ownerReferences, [{ apiVersion: 'batch/v1', blockOwnerDeletion: true, controller: true, kind: 'CronJob', name: 'tick', uid: cj.metadata.uid }]);
  c.at(T('12:25:10'));
  const names = json(c, ['get', 'jobs']).items.map((j) => j.metadata.name).filter((n) => n.startsWith('tick-'));
  assert.deepEqual(names, ['tick-29013863', 'tick-29013864', 'tick-29013865'], 'the three most recent successful jobs are kept');
  const st = json(c, ['get', 'cj', 'tick']).status;
  assert.deepEqual(st, { lastScheduleTime: T('12:25:00'), lastSuccessfulTime: T('12:25:01') });
  const ev = c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=CronJob']);
  assert.match(ev, /Normal   SuccessfulCreate   cronjob\/tick   Created job tick-29013865\n/);
  assert.match(ev, /Normal   SawCompletedJob    cronjob\/tick   Saw completed job: tick-29013865, condition: Complete\n/);
  assert.match(ev, /Normal   SuccessfulDelete   cronjob\/tick   Deleted job tick-29013861\n/);
  // suspended: no more runs
  c.ok(['apply', '-f', '-'], { input: cronjob('tick', '*/1 * * * *', ['sh', '-c', 'date'], '  suspend: true\n') });
  c.at(T('12:28:10'));
  assert.match(c.ok(['get', 'cj', 'tick']), /tick   \*\/1 \* \* \* \*   <none>     True      0        3m10s /);
  c.ok(['delete', 'cj', 'tick']);
  assert.equal(json(c, ['get', 'jobs']).items.filter((j) => j.metadata.name.startsWith('tick-')).length, 0);
});

test('concurrencyPolicy Forbid skips a run while a job is active; create job --from=cronjob', () => {
  c.at(T('12:30:00'));
  c.ok(['apply', '-f', '-'], { input: cronjob('long', '*/1 * * * *', ['sleep', '90'], '  concurrencyPolicy: Forbid\n') });
  c.at(T('12:33:30'));
  const names = json(c, ['get', 'jobs']).items.map((j) => j.metadata.name).filter((n) => n.startsWith('long-'));
  // 12:31 runs until 12:32:30; 12:32 is skipped; 12:33 runs
  assert.deepEqual(names, ['long-29013871', 'long-29013873']);
  c.ok(['apply', '-f', '-'], { input: cronjob('long', '*/1 * * * *', ['sleep', '90'], '  concurrencyPolicy: Forbid\n  suspend: true\n') });
  assert.equal(c.ok(['create', 'job', 'by-hand', '--from=cronjob/long']), 'job.batch/by-hand created\n');
  const j = json(c, ['get', 'job', 'by-hand']);
  assert.equal(j.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.deepEqual(j.metadata.ownerReferences.map((r) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['CronJob', 'long', true, undefined]]);
  // the CronJob reports a job it did not create, and does not count it as its own
  assert.match(c.ok(['get', 'events', '--field-selector', 'involvedObject.name=long']), /Warning   UnexpectedJob      cronjob\/long   Saw a job that the controller did not create or forgot: by-hand\n/);
  assert.equal(json(c, ['get', 'cj', 'long']).status.active?.some((r) => r.name === 'by-hand') ?? false, false);
  assert.equal(j.spec.template.spec.containers[0].command.join(' '), 'sleep 90');
  assert.equal(c.run(['create', 'job', 'x', '--from=cronjob/nope']).stderr, 'Error from server (NotFound): cronjobs.batch "nope" not found\n');
});

test('describe job / cronjob, as kubectl\'s describers', () => {
  c.at(T('12:40:00'));
  c.ok(['apply', '-f', '-'], { input: cronjob('desc', '*/5 * * * *', ['sleep', '3']) });
  c.at(T('12:45:10'));
  const cj = c.ok(['describe', 'cj', 'desc']);
  assert.match(cj, /^Name:                          desc\nNamespace:                     default\nLabels:                        <none>\nAnnotations:                   <none>\n/);
  assert.match(cj, /\nSchedule:                      \*\/5 \* \* \* \*\nConcurrency Policy:            Allow\nSuspend:                       False\nSuccessful Job History Limit:  3\nFailed Job History Limit:      1\nStarting Deadline Seconds:     <unset>\nSelector:                      <unset>\nParallelism:                   <unset>\nCompletions:                   <unset>\nPod Template:\n/);
  assert.match(cj, /\nLast Schedule Time:  Sat, 01 Mar 2025 12:45:00 \+0000\nActive Jobs:         <none>\nEvents:\n/);
  assert.match(cj, /  Normal  SawCompletedJob   6s    cronjob-controller  Saw completed job: desc-29013885, condition: Complete\n/);
  const job = c.ok(['describe', 'job', 'desc-29013885']);
  assert.match(job, /\nControlled By:    CronJob\/desc\nParallelism:      1\nCompletions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\nBackoff Limit:    6\nStart Time:       Sat, 01 Mar 2025 12:45:00 \+0000\nCompleted At:     Sat, 01 Mar 2025 12:45:04 \+0000\nDuration:         4s\nPods Statuses:    0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed\nPod Template:\n/);
  assert.match(job, /  Normal  Completed         6s    job-controller  Job completed\n$/);
});

test('cron schedules as robfig/cron ParseStandard reads them', () => {
  const { parseCron, nextAfter } = createRequire(import.meta.url)('../dist/lib.cjs');
  const next = (spec, from, tz) => new Date(nextAfter(parseCron(spec), Date.parse(from), tz)).toISOString().replace('.000Z', 'Z');
  assert.equal(next('*/1 * * * *', '2025-03-01T12:00:30Z'), '2025-03-01T12:01:00Z');
  assert.equal(next('*/15 * * * *', '2025-03-01T12:00:00Z'), '2025-03-01T12:15:00Z');
  assert.equal(next('@hourly', '2025-03-01T12:00:00Z'), '2025-03-01T13:00:00Z');
  assert.equal(next('@daily', '2025-03-01T12:00:00Z'), '2025-03-02T00:00:00Z');
  assert.equal(next('@weekly', '2025-03-01T12:00:00Z'), '2025-03-02T00:00:00Z', '1 March 2025 is a Saturday');
  assert.equal(next('0 9 * * mon-fri', '2025-03-01T12:00:00Z'), '2025-03-03T09:00:00Z');
  assert.equal(next('30 6 1 JAN *', '2025-03-01T12:00:00Z'), '2026-01-01T06:30:00Z');
  // day of month and day of week, both restricted: either will do
  assert.equal(next('0 0 13 * 5', '2025-03-01T12:00:00Z'), '2025-03-07T00:00:00Z');
  assert.equal(nextAfter(parseCron('0 0 31 2 *'), Date.parse('2025-03-01T12:00:00Z')), undefined, 'never');
  // time zones: the field, and CRON_TZ in the schedule
  assert.equal(next('0 9 * * *', '2025-03-01T12:00:00Z', 'America/New_York'), '2025-03-01T14:00:00Z');
  assert.equal(next('CRON_TZ=Asia/Tokyo 0 9 * * *', '2025-03-01T12:00:00Z'), '2025-03-02T00:00:00Z');
  const err = (spec) => {
    try {
      parseCron(spec);
      return '';
    } catch (e) {
      return e.message;
    }
  };
  assert.equal(err('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
  assert.equal(err('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(err('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(err('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  assert.equal(err('@fortnightly'), 'unrecognized descriptor: @fortnightly');
  assert.equal(err('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
});

test('a CronJob left alone for days: an hour of runs replayed, then only the most recent missed run', () => {
  c.at(T('13:00:30'));
  c.ok(['apply', '-f', '-'], { input: cronjob('gap', '*/1 * * * *', ['true']) });
  c.at('2025-03-03T13:00:30Z');
  const mine = json(c, ['get', 'jobs']).items.map((j) => j.metadata.name).filter((n) => n.startsWith('gap-'));
  // the last three of the replayed hour (kept by the history limit), then the one at the present
  const minute = (t) => `gap-${Date.parse(t) / 60000}`;
  assert.deepEqual(mine.slice(0, 3), [minute(T('13:58:00')), minute(T('13:59:00')), minute(T('14:00:00'))]);
  assert.equal(mine.at(-1), `gap-${Date.parse('2025-03-03T13:00:00Z') / 60000}`, 'the run at the present');
  assert.match(c.ok(['get', 'events', '--field-selector', 'involvedObject.name=gap']), /Warning   TooManyMissedTimes   cronjob\/gap   too many missed start times\. Set or decrease \.spec\.startingDeadlineSeconds or check clock skew\n/);
});

test('an Indexed job: a pod per index, the index in its name, label, annotation, hostname and env; completedIndexes', () => {
  c.at(T('14:00:00'));
  c.ok(['apply', '-f', '-'], { input: job('idx', ['sleep', '2'], '  completions: 4\n  parallelism: 2\n  completionMode: Indexed\n') });
  const first = json(c, ['get', 'pods', '-l', 'job-name=idx']).items;
  assert.deepEqual(first.map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, '')).sort(), ['idx-0', 'idx-1']);
  const p0 = first.find((p) => p.metadata.name.startsWith('idx-0-'));
  assert.equal(p0.metadata.labels['batch.kubernetes.io/job-completion-index'], '0');
  assert.equal(p0.metadata.annotations['batch.kubernetes.io/job-completion-index'], '0');
  assert.equal(p0.spec.hostname, 'idx-0');
  assert.deepEqual(p0.spec.containers[0].env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
  c.at(T('14:00:03'));
  assert.equal(json(c, ['get', 'job', 'idx']).status.completedIndexes, '0-1');
  c.at(T('14:00:30'));
  assert.match(c.ok(['get', 'job', 'idx']), /idx    Complete   4\/4 /);
  assert.match(c.ok(['describe', 'job', 'idx']), /\nPods Statuses:      0 Active \(0 Ready\) \/ 4 Succeeded \/ 0 Failed\nCompleted Indexes:  0-3\n/);
});

test('a suspended job makes no pods until it is resumed', () => {
  c.at(T('14:10:00'));
  c.ok(['apply', '-f', '-'], { input: job('later', ['true'], '  suspend: true\n') });
  assert.match(c.ok(['get', 'job', 'later']), /later   Suspended   0\/1                      0s\n$/);
  assert.equal(json(c, ['get', 'pods', '-l', 'job-name=later']).items.length, 0);
  const sus = json(c, ['get', 'job', 'later']).status.conditions[0];
  assert.deepEqual([sus.type, sus.status, sus.reason, sus.message], ['Suspended', 'True', 'JobSuspended', 'Job suspended']);
  c.at(T('14:10:20'));
  c.ok(['apply', '-f', '-'], { input: job('later', ['true'], '  suspend: false\n') });
  c.at(T('14:10:30'));
  const st = json(c, ['get', 'job', 'later']).status;
  assert.deepEqual(st.conditions.map((x) => [x.type, x.status, x.reason]), [['Suspended', 'False', 'JobResumed'], ['SuccessCriteriaMet', 'True', 'CompletionsReached'], ['Complete', 'True', 'CompletionsReached']]);
  assert.equal(st.startTime, T('14:10:20'));
  assert.match(c.ok(['get', 'events', '--field-selector', 'involvedObject.name=later']), /Normal   Resumed            job\/later   Job resumed\n/);
});
