// Issue 15, part 7: PodDisruptionBudgets (policy/v1), honoured by drain. `create pdb` against real
// kubectl; get columns (printPodDisruptionBudget) and describe (describePodDisruptionBudgetV1); the
// disruption controller's status numbers (pkg/controller/disruption); the Eviction API
// (pkg/registry/core/pod/storage/eviction.go) as drain uses it (kubectl pkg/drain): evictions a
// budget allows, refusals retried every 5 s on the command's clock, the timeout; validation
// (pkg/apis/policy/validation); delete is not an eviction.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cluster, hasKubectl } from './helpers.mjs';

const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
/** a budget's spec changed as `kubectl apply` changes it (kubesim has no patch) */
const setSpec = (c, name, spec) =>
  c.ok(['apply', '-f', '-'], { input: `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${name}\nspec:\n  ${spec}\n  selector:\n    matchLabels:\n      app: ${name === 'web' ? 'web' : 'api'}\n` });
const T = (hms) => `2025-03-01T${hms}Z`;

const GENERATOR_CASES = [
  ['create', 'pdb', 'web', '--selector=app=web', '--min-available=1'],
  ['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=50%'],
  ['create', 'pdb', 'web', '--selector=app=web,tier=fe', '--max-unavailable=1'],
  ['create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=25%'],
  ['create', 'pdb', 'web', '--selector=tier in (b,a),!legacy,app=web', '--min-available=2'],
  ['create', 'pdb', 'web', '--selector=app==x,env notin (dev)', '--min-available=0'],
  ['create', 'pdb', 'web', '--selector=app', '--max-unavailable=100%'],
  ['create', 'pdb', 'web', '-n', 'prod', '--selector=app=web', '--min-available=007'],
  ['create', 'pdb', 'web', '--selector=a in (z,b,z),b notin (,x)', '--max-unavailable=3'],
  // the errors of Complete, Validate and ParseToLabelSelector
  ['create', 'pdb', 'web', '--min-available=1'],
  ['create', 'pdb', 'web', '--selector=app=web'],
  ['create', 'pdb', 'web', '--selector=app=web', '--min-available=1', '--max-unavailable=1'],
  ['create', 'pdb', 'web', '--selector=app=web', '--min-available=10GB'],
  ['create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=-1'],
  ['create', 'pdb', 'web', '--selector=a!=b', '--min-available=1'],
  ['create', 'pdb', 'web', '--selector==x', '--min-available=1'],
  ['create', 'pdb', 'web', '--selector=app=a b', '--min-available=1'],
  ['create', 'pdb', 'web', '--selector=a in (b', '--min-available=1'],
  ['create', 'pdb', 'web', '--selector=x>1', '--min-available=1'],
  ['create', 'pdb', 'web', '--selector=a=b,', '--min-available=1'],
  ['create', 'pdb', '--selector=a=b', '--min-available=1'],
  ['create', 'pdb', 'a', 'b', '--selector=a=b', '--min-available=1'],
];

test('create pdb matches kubectl --dry-run=client: -o yaml, -o json, -o name, the plain line and the errors', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed: nothing to compare with');
  const c = cluster({ seed: 'pdb-gen' });
  try {
    let compared = 0;
    for (const line of GENERATOR_CASES) {
      for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
        const args = [...line, '--dry-run=client', ...out];
        const k = spawnSync('kubectl', args, { encoding: 'utf8' });
        const s = c.run(args);
        const label = args.join(' ');
        assert.equal(s.code, k.status, `${label}: exit code (stderr ${s.stderr})`);
        assert.equal(s.stdout, k.stdout, `${label}: stdout`);
        assert.equal(s.stderr, k.stderr.replaceAll('kubectl', 'kubesim'), `${label}: stderr`);
        compared++;
      }
    }
    assert.equal(compared, GENERATOR_CASES.length * 4);
  } finally {
    c.cleanup();
  }
});

const c = cluster({ seed: 'pdb' });
after(() => c.cleanup());

test('create, get and describe a PodDisruptionBudget; api-resources and the short name', () => {
  c.at(T('12:00:00'));
  assert.match(c.ok(['api-resources']), /\npoddisruptionbudgets +pdb +policy\/v1 +true +PodDisruptionBudget\n/);
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=4']);
  assert.equal(c.ok(['create', 'pdb', 'web-min', '--selector=app=web', '--min-available=3']), 'poddisruptionbudget.policy/web-min created\n');
  const again = c.run(['create', 'pdb', 'web-min', '--selector=app=web', '--min-available=3']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'error: failed to create poddisruptionbudgets: poddisruptionbudgets.policy "web-min" already exists\n');
  // just created: the strategy's empty status, then the controller's first look (no pod is ready yet)
  const created = json(c, ['get', 'pdb', 'web-min']);
  assert.equal(created.metadata.generation, 1);
  assert.deepEqual(created.status, {
    observedGeneration: 1,
    disruptionsAllowed: 0,
    currentHealthy: 0,
    desiredHealthy: 3,
    expectedPods: 4,
    conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: T('12:00:00'), reason: 'InsufficientPods', message: '' }],
  });
  c.ok(['create', 'pdb', 'web-max', '--selector=app=web', '--max-unavailable=30%']);
  c.ok(['create', 'pdb', 'nothing', '--selector=app=none', '--min-available=1']);
  c.at(T('12:01:00'));
  assert.equal(c.ok(['get', 'pdb']), [
    'NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE',
    'nothing   1               N/A               0                     60s',
    'web-max   N/A             30%               2                     60s',
    'web-min   3               N/A               1                     60s',
    '',
  ].join('\n'));
  assert.equal(c.ok(['get', 'poddisruptionbudgets.policy', 'web-min', '-o', 'name']), 'poddisruptionbudget.policy/web-min\n');
  assert.equal(c.ok(['describe', 'pdb', 'web-min']), [
    'Name:           web-min',
    'Namespace:      default',
    'Min available:  3',
    'Selector:       app=web',
    'Status:',
    '    Allowed disruptions:  1',
    '    Current:              4',
    '    Desired:              3',
    '    Total:                4',
    'Events:                   <none>',
    '',
  ].join('\n'));
  assert.equal(c.ok(['describe', 'pdb', 'web-max']).split('\n').slice(2, 4).join('\n'), 'Max unavailable:  30%\nSelector:         app=web');
  // trySync's NoPods on each sync: the first, and the one its own status update brings
  assert.equal(c.ok(['describe', 'pdb', 'nothing']), [
    'Name:           nothing',
    'Namespace:      default',
    'Min available:  1',
    'Selector:       app=none',
    'Status:',
    '    Allowed disruptions:  0',
    '    Current:              0',
    '    Desired:              1',
    '    Total:                0',
    'Events:',
    '  Type    Reason  Age                From               Message',
    '  ----    ------  ----               ----               -------',
    '  Normal  NoPods  60s (x2 over 60s)  controllermanager  No matching pods found',
    '',
  ].join('\n'));
  c.ok(['delete', 'pdb', 'web-min', 'web-max', 'nothing']);
  assert.equal(c.run(['get', 'pdb']).stderr, 'No resources found in default namespace.\n');
});

/** [disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods] */
const numbers = (name) => {
  const s = json(c, ['get', 'pdb', name]).status;
  return [s.disruptionsAllowed, s.currentHealthy, s.desiredHealthy, s.expectedPods];
};

test('status: minAvailable and maxUnavailable, absolute and percent (rounded up), as pods come, go and become ready', () => {
  c.at(T('12:10:00'));
  c.ok(['create', 'deployment', 'api', '--image=nginx', '--replicas=5']);
  const budgets = [
    ['min-int', '--min-available=3'],
    ['min-pct', '--min-available=50%'],
    ['max-int', '--max-unavailable=2'],
    ['max-pct', '--max-unavailable=30%'],
  ];
  for (const [name, flag] of budgets) c.ok(['create', 'pdb', name, '--selector=app=api', flag]);
  // no pod ready yet: nothing may be disrupted
  assert.deepEqual(numbers('min-int'), [0, 0, 3, 5]);
  assert.deepEqual(numbers('min-pct'), [0, 0, 3, 5]); // ceil(2.5)
  assert.deepEqual(numbers('max-int'), [0, 0, 3, 5]);
  assert.deepEqual(numbers('max-pct'), [0, 0, 3, 5]); // 5 - ceil(1.5)
  c.at(T('12:11:00'));
  assert.deepEqual(numbers('min-int'), [2, 5, 3, 5]);
  assert.deepEqual(numbers('min-pct'), [2, 5, 3, 5]);
  assert.deepEqual(numbers('max-pct'), [2, 5, 3, 5]);
  const cond = json(c, ['get', 'pdb', 'min-int']).status.conditions;
  assert.equal(cond.length, 1);
  assert.equal(cond[0].status, 'True');
  assert.equal(cond[0].reason, 'SufficientPods');
  // scaled: expectedPods follows the Deployment's replicas for percentages and maxUnavailable;
  // minAvailable as a number counts the pods there are (terminating ones too)
  c.ok(['scale', 'deployment', 'api', '--replicas=2']);
  assert.deepEqual(numbers('max-int'), [2, 2, 0, 2]);
  assert.deepEqual(numbers('min-pct'), [1, 2, 1, 2]);
  assert.deepEqual(numbers('min-int'), [0, 2, 3, 5]);
  c.at(T('12:12:00'));
  assert.deepEqual(numbers('min-int'), [0, 2, 3, 2]);
  // a pod without a controller: counted by a numeric minAvailable, left out of the expected scale
  c.ok(['run', 'stray', '--image=nginx', '--labels=app=api']);
  c.at(T('12:13:00'));
  assert.deepEqual(numbers('min-int'), [0, 3, 3, 3]);
  assert.deepEqual(numbers('max-int'), [3, 3, 0, 2]); // healthy counts every matched pod
  // trySync's warning for the pods getExpectedScale had to leave out (the selector as %v prints it)
  assert.match(
    c.ok(['describe', 'pdb', 'max-int']),
    / {2}Warning {2}UnmanagedPods {2}\d+s \(x2 over \d+s\) {2}controllermanager {2}Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: api,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged\. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior\. To account for these pods please set "\.spec\.minAvailable" field of the PDB to an integer value\.\n/,
  );
  assert.doesNotMatch(c.ok(['describe', 'pdb', 'min-int']), /UnmanagedPods/);
  // a spec change is a new generation the controller observes
  setSpec(c, 'min-int', 'minAvailable: 1');
  const patched = json(c, ['get', 'pdb', 'min-int']);
  assert.equal(patched.metadata.generation, 2);
  assert.equal(patched.status.observedGeneration, 2);
  assert.deepEqual(numbers('min-int'), [2, 3, 1, 3]);
  c.ok(['delete', 'pdb', 'min-int', 'min-pct', 'max-int', 'max-pct']);
  c.ok(['delete', 'deployment', 'api']);
  c.ok(['delete', 'pod', 'stray', '--grace-period=0', '--force']);
});

test('a pod whose controller has no scale: the budget fails safe (SyncFailed, nothing allowed)', () => {
  c.at(T('12:20:00'));
  c.ok(['create', 'job', 'batch', '--image=busybox', '--', 'sleep', '600']);
  c.ok(['create', 'pdb', 'batch', '--selector=job-name=batch', '--max-unavailable=1']);
  c.at(T('12:21:00'));
  const pod = json(c, ['get', 'pods', '-l', 'job-name=batch']).items[0].metadata.name;
  const st = json(c, ['get', 'pdb', 'batch']).status;
  assert.equal(st.disruptionsAllowed, 0);
  assert.equal(st.conditions[0].reason, 'SyncFailed');
  assert.equal(st.conditions[0].message, `found no controllers for pod "${pod}"`);
  assert.match(c.ok(['describe', 'pdb', 'batch']), new RegExp(`Warning  CalculateExpectedPodCountFailed .* Failed to calculate the number of expected pods: found no controllers for pod "${pod}"\n`));
  c.ok(['delete', 'pdb', 'batch']);
  c.ok(['delete', 'job', 'batch']);
});

const INVALID = [
  ['minAvailable: 1\n  maxUnavailable: 1', 'The PodDisruptionBudget "bad" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000b8e2a0), Selector:(*v1.LabelSelector)(0xc000b8e2c0), MaxUnavailable:(*intstr.IntOrString)(0xc000b8e2b0), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set'],
  ['minAvailable: -1', 'The PodDisruptionBudget "bad" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
  ['minAvailable: "abc"', `The PodDisruptionBudget "bad" is invalid: spec.minAvailable: Invalid value: "abc": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`],
  ['maxUnavailable: "150%"', 'The PodDisruptionBudget "bad" is invalid: spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
  ['maxUnavailable: 1\n  unhealthyPodEvictionPolicy: Sometimes', 'The PodDisruptionBudget "bad" is invalid: spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"'],
];

test('validation: the apiserver\'s messages; nothing is stored', () => {
  for (const [spec, msg] of INVALID) {
    const r = c.run(['apply', '-f', '-'], { input: `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: bad\nspec:\n  ${spec}\n  selector:\n    matchLabels:\n      app: web\n` });
    assert.equal(r.code, 1, spec);
    assert.equal(r.stderr, `${msg}\n`, spec);
  }
  const op = c.run(['apply', '-f', '-'], { input: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: bad\nspec:\n  minAvailable: 1\n  selector:\n    matchExpressions:\n    - key: app\n      operator: Is\n' });
  assert.equal(op.stderr, 'The PodDisruptionBudget "bad" is invalid: spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator\n');
  assert.equal(c.run(['get', 'pdb', 'bad']).code, 1);
  // names: only path segment rules (no DNS subdomain one), checked after the spec
  assert.equal(c.ok(['create', 'pdb', 'Upper_Case', '--selector=app=x', '--min-available=1']), 'poddisruptionbudget.policy/Upper_Case created\n');
  c.ok(['delete', 'pdb', 'Upper_Case']);
});

/** the web pods by node: name → node */
const webPods = () => Object.fromEntries(json(c, ['get', 'pods', '-l', 'app=web']).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => [p.metadata.name, p.spec.nodeName]));

test('drain with a budget that allows it: evicted through the Eviction API, replacements scheduled elsewhere', () => {
  c.at(T('12:30:00'));
  c.ok(['scale', 'deployment', 'web', '--replicas=4']);
  c.ok(['create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=50%']);
  c.at(T('12:31:00'));
  const before = webPods();
  const on1 = Object.keys(before).filter((n) => before[n] === 'node01').sort();
  assert.ok(on1.length >= 1 && on1.length <= 2, JSON.stringify(before));
  // a server dry run asks for each eviction (the budget is checked, not spent) and keeps nothing
  const dry = c.run(['drain', 'node01', '--ignore-daemonsets', '--dry-run=server']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.stdout, `node/node01 cordoned (server dry run)\n${on1.map((p) => `evicting pod default/${p} (server dry run)\n`).join('')}node/node01 drained (server dry run)\n`);
  assert.deepEqual(webPods(), before);
  assert.doesNotMatch(c.ok(['get', 'node', 'node01']), /SchedulingDisabled/);
  const d = c.run(['drain', 'node01', '--ignore-daemonsets']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(d.stdout, `node/node01 cordoned\n${on1.map((p) => `evicting pod default/${p}\n`).join('')}${on1.map((p) => `pod/${p} evicted\n`).join('')}node/node01 drained\n`);
  assert.match(d.stderr, /^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\w+\n$/);
  // the budget spent: evictions noted in disruptedPods until the controller sees the pods go
  c.at(T('12:32:00'));
  const after = webPods();
  assert.equal(Object.keys(after).length, 4);
  assert.ok(Object.values(after).every((n) => n === 'node02'), JSON.stringify(after));
  assert.deepEqual(numbers('web'), [2, 4, 2, 4]);
  assert.equal(json(c, ['get', 'pdb', 'web']).status.disruptedPods, undefined);
  c.ok(['uncordon', 'node01']);
  c.ok(['delete', 'pdb', 'web']);
});

test('drain with a budget that refuses: the retry lines every 5 s, then proceeds as replacements become ready', () => {
  c.at(T('12:40:00'));
  c.ok(['rollout', 'restart', 'deployment', 'web']); // over both nodes again
  c.at(T('12:42:00'));
  c.ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=3']);
  assert.deepEqual(numbers('web'), [1, 4, 3, 4]);
  const before = webPods();
  const counts = ['node01', 'node02'].map((n) => Object.values(before).filter((x) => x === n).length);
  const node = counts[0] >= counts[1] ? 'node01' : 'node02';
  const on = Object.keys(before).filter((n) => before[n] === node).sort();
  assert.ok(on.length >= 2, JSON.stringify(before));
  const d = c.run(['drain', node, '--ignore-daemonsets']);
  assert.equal(d.code, 0, d.stderr);
  // one disruption at a time: each round evicts the first pod left and is refused the others; 5 s
  // later (the command's clock) the last evicted pod's replacement is ready elsewhere and the
  // budget allows the next
  let stdout = `node/${node} cordoned\n`;
  let stderr = '';
  for (let i = 0; i < on.length; i++) {
    stdout += on.slice(i).map((p) => `evicting pod default/${p}\n`).join('') + `pod/${on[i]} evicted\n`;
    stderr += on.slice(i + 1).map((p) => `error when evicting pods/"${p}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`).join('');
  }
  assert.equal(d.stdout, stdout + `node/${node} drained\n`);
  assert.equal(d.stderr.replace(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\w+\n/, ''), stderr);
  c.at(T('12:43:00'));
  assert.ok(Object.values(webPods()).every((n) => n !== node));
  assert.deepEqual(numbers('web'), [1, 4, 3, 4]);
  c.ok(['uncordon', node]);
});

test('drain that cannot progress ends with kubectl\'s timeout error; --disable-eviction deletes instead', () => {
  c.at(T('12:50:00'));
  setSpec(c, 'web', 'minAvailable: 4');
  const before = webPods();
  const node = Object.values(before)[0]; // the last drain left them all on one node
  const on1 = Object.keys(before).filter((n) => before[n] === node).sort();
  assert.equal(on1.length, 4);
  const pod = on1[0];
  const d = c.run(['drain', node, '--ignore-daemonsets', '--timeout=12s']);
  assert.equal(d.code, 1);
  // attempts at 0, 5 and 10 s; at 15 s the 12 s are up
  const lines = d.stdout.split('\n');
  assert.equal(lines[0], `node/${node} cordoned`);
  assert.equal(lines.filter((l) => l === `evicting pod default/${pod}`).length, 4);
  const timeout = `error when evicting pods/"${pod}" -n "default": global timeout reached: 12s`;
  const errLines = d.stderr.split('\n');
  assert.equal(errLines.filter((l) => l.startsWith(`error when evicting pods/"${pod}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`)).length, 3);
  assert.ok(d.stderr.includes(`There are pending pods in node "${node}" when an error occurred: `), d.stderr);
  assert.ok(d.stderr.includes(`\npod/${pod}\n`), d.stderr);
  assert.ok(d.stderr.includes(`error: unable to drain node "${node}" due to error: `), d.stderr);
  assert.ok(d.stderr.endsWith(`There are pending nodes to be drained:\n ${node}\n${on1.length === 1 ? timeout : `[${on1.map((p) => `error when evicting pods/"${p}" -n "default": global timeout reached: 12s`).join(', ')}]`}\n`), d.stderr);
  assert.ok(Object.keys(webPods()).includes(pod));
  // no timeout given: kubesim's bound (kubectl would wait for ever)
  const d2 = c.run(['drain', node, '--ignore-daemonsets']);
  assert.equal(d2.code, 1);
  assert.match(d2.stderr, /global timeout reached: 2m0s\]?\n$/);
  assert.equal(d2.stderr.split('\n').filter((l) => l.startsWith(`error when evicting pods/"${pod}"`) && l.includes('will retry')).length, 24);
  // cobra's flag errors, as kubectl prints them (checked before anything else)
  for (const [args, msg] of [
    [['--timeout=10'], 'invalid argument "10" for "--timeout" flag: time: missing unit in duration "10"'],
    [['--timeout=5x'], 'invalid argument "5x" for "--timeout" flag: time: unknown unit "x" in duration "5x"'],
    [['--grace-period=x'], 'invalid argument "x" for "--grace-period" flag: strconv.ParseInt: parsing "x": invalid syntax'],
  ]) {
    const bad = c.run(['drain', node, ...args]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `Error: ${msg}\nSee 'kubesim drain --help' for usage.\n`);
    if (hasKubectl()) assert.equal(bad.stderr, spawnSync('kubectl', ['drain', node, ...args], { encoding: 'utf8' }).stderr.replaceAll('kubectl', 'kubesim'));
  }
  assert.equal(c.run(['drain']).stderr, "error: USAGE: drain NODE [flags]\nSee 'kubesim drain -h' for help and examples\n");
  // --disable-eviction: a plain DELETE, no budget asked
  c.at(T('12:55:00'));
  const d3 = c.run(['drain', node, '--ignore-daemonsets', '--disable-eviction']);
  assert.equal(d3.code, 0, d3.stderr);
  assert.equal(d3.stdout, `node/${node} already cordoned\n${on1.map((p) => `pod/${p} deleted\n`).join('')}node/${node} drained\n`);
  c.ok(['uncordon', node]);
});

test('a pod two budgets cover cannot be evicted (500); delete ignores budgets', () => {
  c.at(T('13:00:00'));
  c.ok(['create', 'pdb', 'web2', '--selector=app=web', '--max-unavailable=1']);
  const pods = webPods();
  const [pod, node] = Object.entries(pods).sort()[0];
  const d = c.run(['drain', node, '--ignore-daemonsets', '--timeout=1m']);
  assert.equal(d.code, 1);
  const msg = `error when evicting pods/"${pod}" -n "default": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.`;
  assert.ok(d.stderr.includes(msg), d.stderr);
  assert.ok(!d.stderr.includes('will retry'), d.stderr);
  c.ok(['uncordon', node]);
  // kubectl delete is not an eviction: allowed 0 or not, the pod goes
  setSpec(c, 'web', 'minAvailable: 10');
  assert.equal(numbers('web')[0], 0);
  assert.equal(c.ok(['delete', 'pod', pod, '--wait=false']), `pod "${pod}" deleted\n`);
  assert.ok(json(c, ['get', 'pod', pod]).metadata.deletionTimestamp);
});

test('explain poddisruptionbudget: the policy/v1 field descriptions', () => {
  const out = c.ok(['explain', 'pdb.spec']);
  assert.match(out, /^GROUP:      policy\nKIND:       PodDisruptionBudget\nVERSION:    v1\n\nFIELD: spec <PodDisruptionBudgetSpec>\n/);
  for (const f of ['maxUnavailable\t<IntOrString>', 'minAvailable\t<IntOrString>', 'selector\t<LabelSelector>', 'unhealthyPodEvictionPolicy\t<string>']) assert.ok(out.includes(`  ${f}\n`), f);
  assert.match(c.ok(['explain', 'pdb.status.disruptionsAllowed']), /FIELD: disruptionsAllowed <integer>\n/);
});

test('the Eviction API without the budget: pending pods go at once; unready ones as unhealthyPodEvictionPolicy says', () => {
  c.at(T('13:10:00'));
  c.ok(['delete', 'pdb', '--all']);
  const deploy = (name, image, probe) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: c
        image: ${image}
${probe ? '        readinessProbe:\n          httpGet:\n            path: /\n            port: 9999\n          periodSeconds: 5\n' : ''}`;
  c.ok(['apply', '-f', '-'], { input: deploy('typo', 'ngnix', false) });
  c.ok(['apply', '-f', '-'], { input: deploy('unready', 'nginx', true) });
  c.ok(['create', 'pdb', 'typo', '--selector=app=typo', '--min-available=1']);
  c.ok(['create', 'pdb', 'unready', '--selector=app=unready', '--min-available=1']);
  c.at(T('13:11:00'));
  const pod = (app) => json(c, ['get', 'pods', '-l', `app=${app}`]).items[0];
  assert.equal(pod('typo').status.phase, 'Pending');
  assert.equal(pod('unready').status.phase, 'Running');
  assert.deepEqual(numbers('typo'), [0, 0, 1, 1]);
  assert.deepEqual(numbers('unready'), [0, 0, 1, 1]);
  // a pending pod: canIgnorePDB, deleted without asking the budget
  const typo = pod('typo');
  const d1 = c.run(['drain', typo.spec.nodeName, '--ignore-daemonsets', '--timeout=5s']);
  assert.ok(d1.stdout.includes(`pod/${typo.metadata.name} evicted\n`), d1.stdout + d1.stderr);
  assert.ok(!d1.stderr.includes(`pods/"${typo.metadata.name}"`), d1.stderr);
  c.ok(['uncordon', typo.spec.nodeName]);
  // a running pod that is not ready, under a budget not met: refused (IfHealthyBudget, the default)
  const unready = pod('unready');
  const d2 = c.run(['drain', unready.spec.nodeName, '--ignore-daemonsets', '--timeout=5s']);
  assert.equal(d2.code, 1);
  assert.ok(d2.stderr.includes(`error when evicting pods/"${unready.metadata.name}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`), d2.stderr);
  // AlwaysAllow: an unready pod may always go
  c.ok(['apply', '-f', '-'], { input: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: unready\nspec:\n  minAvailable: 1\n  unhealthyPodEvictionPolicy: AlwaysAllow\n  selector:\n    matchLabels:\n      app: unready\n' });
  const d3 = c.run(['drain', unready.spec.nodeName, '--ignore-daemonsets', '--timeout=5s']);
  assert.ok(d3.stdout.includes(`pod/${unready.metadata.name} evicted\n`), d3.stdout + d3.stderr);
  assert.equal(numbers('unready')[0], 0);
  c.ok(['uncordon', unready.spec.nodeName]);
});
