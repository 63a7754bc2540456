// Issue 15, part 3 (the Job's policies): the pod failure policy (FailJob, Ignore, FailIndex),
// backoffLimitPerIndex with maxFailedIndexes, the success policy of an Indexed job and
// podReplacementPolicy, on the simulated clock, with the controller's conditions and messages
// (pkg/controller/job pod_failure_policy.go, success_policy.go, job_controller.go) and the
// apiserver's validation messages (pkg/apis/batch/validation).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'jobpolicy', init: [] });
after(() => c.cleanup());
const T = (ms) => `2025-03-01T12:${ms}Z`;
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));
const conds = (name) => (json(['get', 'job', name]).status.conditions ?? []).map((x) => `${x.type}/${x.reason}: ${x.message}`);

const job = (name, spec, command, container = 'main') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}  template:
    spec:
      restartPolicy: Never
      containers:
      - name: ${container}
        image: busybox
        command: ["sh", "-c", ${JSON.stringify(command)}]
`;

test('a FailJob rule fails the job at the first matching exit code, with the rule in the message', () => {
  c.at(T('00:00')).ok(['apply', '-f', '-'], {
    input: job('fail42', '  completions: 4\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: main\n        operator: In\n        values: [42]\n', 'sleep 3; exit 42'),
  });
  c.at(T('00:30'));
  const pod = json(['get', 'pods', '-l', 'job-name=fail42']).items[0].metadata.name;
  const msg = `Container main for pod default/${pod} failed with exit code 42 matching FailJob rule at index 0`;
  assert.deepEqual(conds('fail42'), [`FailureTarget/PodFailurePolicy: ${msg}`, `Failed/PodFailurePolicy: ${msg}`]);
  const j = json(['get', 'job', 'fail42']);
  assert.equal(j.spec.podReplacementPolicy, 'Failed');
  assert.equal(j.status.failed, 1);
  assert.match(c.ok(['describe', 'job', 'fail42']), new RegExp(`Warning  PodFailurePolicy  \\d+s\\s+job-controller  ${msg}\\n`));
  assert.match(c.ok(['get', 'job', 'fail42', '--no-headers']), /^fail42\s+Failed\s+0\/4\s/);
});

test('an Ignore rule: the failures are not counted against backoffLimit and the pod is replaced', () => {
  c.at(T('01:00')).ok(['apply', '-f', '-'], {
    input: job('ignored', '  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes:\n        operator: In\n        values: [3]\n', 'sleep 1; exit 3'),
  });
  c.at(T('02:00'));
  const j = json(['get', 'job', 'ignored']);
  assert.equal(j.status.failed, undefined, 'no failure counted');
  assert.deepEqual(j.status.conditions, undefined);
  // failures at about 2 s, then after back-offs of 10 and 20 s: three pods in a minute
  const pods = json(['get', 'pods', '-l', 'job-name=ignored']).items;
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.status.phase === 'Failed' || p.status.phase === 'Pending' || p.status.phase === 'Running'));
  // an exit code the rule does not name counts: backoffLimit 0 fails the job at once
  c.at(T('03:00')).ok(['apply', '-f', '-'], {
    input: job('counted', '  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes:\n        operator: In\n        values: [3]\n', 'sleep 1; exit 4'),
  });
  c.at(T('03:30'));
  assert.deepEqual(conds('counted'), ['FailureTarget/BackoffLimitExceeded: Job has reached the specified backoff limit', 'Failed/BackoffLimitExceeded: Job has reached the specified backoff limit']);
});

test('backoffLimitPerIndex: a failing index is retried on its own back-off, then the job fails with FailedIndexes', () => {
  c.at(T('05:00')).ok(['apply', '-f', '-'], {
    input: job('perindex', '  completions: 4\n  parallelism: 2\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n', 'sleep 1; if [ $JOB_COMPLETION_INDEX -eq 1 ]; then exit 1; fi; exit 0'),
  });
  assert.equal(json(['get', 'job', 'perindex']).spec.backoffLimit, 2147483647);
  c.at(T('05:08'));
  let pods = json(['get', 'pods', '-l', 'job-name=perindex']).items;
  const first = pods.find((p) => p.metadata.labels['batch.kubernetes.io/job-completion-index'] === '1');
  assert.equal(first.metadata.annotations['batch.kubernetes.io/job-index-failure-count'], '0');
  assert.equal(pods.length, 4, 'index 1 waits out its 10 s back-off');
  c.at(T('05:30'));
  pods = json(['get', 'pods', '-l', 'job-name=perindex']).items;
  const retries = pods.filter((p) => p.metadata.labels['batch.kubernetes.io/job-completion-index'] === '1');
  assert.equal(retries.length, 2);
  assert.deepEqual(retries.map((p) => p.metadata.annotations['batch.kubernetes.io/job-index-failure-count']).sort(), ['0', '1']);
  const s = json(['get', 'job', 'perindex']).status;
  assert.equal(s.completedIndexes, '0,2-3');
  assert.equal(s.failedIndexes, '1');
  assert.equal(s.failed, 2);
  assert.deepEqual(conds('perindex'), ['FailureTarget/FailedIndexes: Job has failed indexes', 'Failed/FailedIndexes: Job has failed indexes']);
});

test('maxFailedIndexes: one failed index too many fails the job at once', () => {
  c.at(T('10:00')).ok(['apply', '-f', '-'], {
    input: job('maxfailed', '  completions: 5\n  parallelism: 5\n  completionMode: Indexed\n  backoffLimitPerIndex: 0\n  maxFailedIndexes: 1\n', 'if [ $JOB_COMPLETION_INDEX -lt 2 ]; then sleep 1; exit 1; fi; sleep 100'),
  });
  c.at(T('10:30'));
  const s = json(['get', 'job', 'maxfailed']).status;
  assert.equal(s.failedIndexes, '0-1');
  assert.deepEqual(conds('maxfailed'), ['FailureTarget/MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes', 'Failed/MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes']);
});

test('a FailIndex rule fails the index without retries', () => {
  c.at(T('12:00')).ok(['apply', '-f', '-'], {
    input: job('failindex', '  completions: 2\n  parallelism: 2\n  completionMode: Indexed\n  backoffLimitPerIndex: 5\n  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes:\n        operator: In\n        values: [7]\n', 'sleep 1; if [ $JOB_COMPLETION_INDEX -eq 0 ]; then exit 7; fi; exit 0'),
  });
  c.at(T('12:40'));
  assert.equal(json(['get', 'pods', '-l', 'job-name=failindex']).items.length, 2, 'no retry of index 0');
  const s = json(['get', 'job', 'failindex']).status;
  assert.equal(s.failedIndexes, '0');
  assert.equal(s.completedIndexes, '1');
  assert.match(conds('failindex')[1], /^Failed\/FailedIndexes/);
});

test('a success policy completes an Indexed job when its indexes succeeded and stops the rest', () => {
  c.at(T('15:00')).ok(['apply', '-f', '-'], {
    input: job('leader', '  completions: 4\n  parallelism: 4\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededIndexes: "0"\n', 'if [ $JOB_COMPLETION_INDEX -eq 0 ]; then sleep 2; exit 0; fi; sleep 1000'),
  });
  c.at(T('15:20'));
  assert.deepEqual(conds('leader'), ['SuccessCriteriaMet/SuccessPolicy: Matched rules at index 0', 'Complete/SuccessPolicy: Matched rules at index 0']);
  const s = json(['get', 'job', 'leader']).status;
  assert.equal(s.succeeded, 1);
  assert.equal(s.failed, undefined, 'the pods it stops are not failures');
  assert.match(c.ok(['get', 'job', 'leader', '--no-headers']), /^leader\s+Complete\s+1\/4\s/);
  // succeededCount over the listed indexes
  c.ok(['apply', '-f', '-'], {
    input: job('two', '  completions: 4\n  parallelism: 4\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededIndexes: "1-3"\n      succeededCount: 2\n', 'if [ $JOB_COMPLETION_INDEX -ge 2 ]; then sleep 2; exit 0; fi; sleep 1000'),
  });
  c.at(T('15:40'));
  assert.deepEqual(conds('two'), ['SuccessCriteriaMet/SuccessPolicy: Matched rules at index 0', 'Complete/SuccessPolicy: Matched rules at index 0']);
});

test('re-applying an unchanged Job changes nothing (generation counts defaulted specs)', () => {
  const manifest = job('same', '  completions: 1\n', 'exit 0');
  c.at(T('20:00')).ok(['apply', '-f', '-'], { input: manifest });
  assert.equal(c.ok(['apply', '-f', '-'], { input: manifest }), 'job.batch/same unchanged\n');
  assert.equal(json(['get', 'job', 'same']).metadata.generation, 1);
});

const invalidCases = [
  ['FailJob with OnFailure', '  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [1]\n', 'OnFailure', 'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
  ['no action', '  podFailurePolicy:\n    rules:\n    - onExitCodes:\n        operator: In\n        values: [1]\n', 'Never', 'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'],
  ['FailIndex without backoffLimitPerIndex', '  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes:\n        operator: In\n        values: [1]\n', 'Never', 'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set'],
  ['In 0', '  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [0, 2, 1]\n', 'Never', 'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator, spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [0,2,1]: must be ordered'],
  ['unknown container', '  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: other\n        operator: NotIn\n        values: [1]\n', 'Never', 'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template'],
  ['neither requirement', '  podFailurePolicy:\n    rules:\n    - action: Count\n', 'Never', 'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required'],
  ['backoffLimitPerIndex non-indexed', '  backoffLimitPerIndex: 1\n', 'Never', 'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
  ['maxFailedIndexes alone', '  completions: 2\n  completionMode: Indexed\n  maxFailedIndexes: 1\n', 'Never', 'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified'],
  ['successPolicy index too large', '  completions: 2\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededIndexes: "0-5"\n', 'Never', 'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-5": error parsing succeededIndexes: too large index: "5"'],
  ['successPolicy count', '  completions: 2\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededCount: 3\n', 'Never', 'spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of specified completions)'],
];

for (const [what, spec, restart, message] of invalidCases) {
  test(`validation: ${what}`, () => {
    const manifest = job('bad', spec, 'exit 0').replace('restartPolicy: Never', `restartPolicy: ${restart}`);
    const r = c.run(['apply', '-f', '-'], { input: manifest });
    assert.equal(r.code, 1);
    const causes = message.split(', spec.');
    assert.equal(r.stderr, `The Job "bad" is invalid: ${causes.length > 1 ? `\n${causes.map((m, i) => `* ${i ? 'spec.' : ''}${m}\n`).join('')}` : `${message}\n`}`);
  });
}
