// Issue 12 (part): hostile manifests get kubectl's one-line parse errors, never a stack, in bounded
// time, and change nothing; keys are data, never prototypes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, cluster, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'hostile' });
const files = mkdtempSync(join(tmpdir(), 'kubesim-hostile-'));
after(() => {
  c.cleanup();
  rmSync(files, { recursive: true, force: true });
});
c.ok(['get', 'ns']);

const deep = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const bomb = () => {
  let s = 'apiVersion: v1\nkind: Service\nmetadata: {name: lol}\nspec:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (const x of 'bcdefghi') {
    s += `  ${x}: &${x} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = x;
  }
  return s;
};

const CASES = [
  ['undefined alias', 'apiVersion: v1\nkind: Service\nmetadata: {name: *nope}\n', "yaml: unknown anchor 'nope' referenced"],
  ['self-referencing alias', 'apiVersion: v1\nkind: Service\nmetadata: &m\n  name: x\n  labels: *m\n', "yaml: anchor 'm' value contains itself"],
  ['billion laughs', bomb(), 'yaml: document contains excessive aliasing'],
  ['JSON nested 6,000 deep', `{"apiVersion":"v1","kind":"Service","metadata":{"name":"d"},"spec":${deep(6000)}}`, 'yaml: exceeded max depth of 1000'],
  ['YAML flow nested 6,000 deep', `apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec: ${'{a: '.repeat(6000)}1${'}'.repeat(6000)}\n`, 'yaml: exceeded max depth of 1000'],
  ['YAML flow list nested 6,000 deep', `apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec: ${'['.repeat(6000)}${']'.repeat(6000)}\n`, 'yaml: exceeded max depth of 1000'],
];

test('hostile YAML and JSON: one kubectl-style parse error line, exit 1, nothing changed, fast', () => {
  for (const [what, text, msg] of CASES) {
    for (const verb of ['create', 'apply']) {
      const f = join(files, `${what.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(f, text);
      const before = stateSnapshot(c.dir);
      const t0 = Date.now();
      const r = c.run([verb, '-f', f]);
      const took = Date.now() - t0;
      assert.equal(r.code, 1, `${what} (${verb}): ${r.stderr}`);
      assert.equal(r.stderr, `error: error parsing ${f}: error converting YAML to JSON: ${msg}\n`, `${what} (${verb})`);
      assert.doesNotMatch(r.stderr, /    at |TypeError|RangeError|ReferenceError/);
      assert.ok(took < 5000, `${what} (${verb}) took ${took} ms`);
      assert.deepEqual(stateSnapshot(c.dir), before, `${what} (${verb}): the state is byte-identical`);
    }
  }
});

test('__proto__ keys are data: a manifest cannot move an object into another namespace', () => {
  const f = join(files, 'proto.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: sneaky\n  __proto__:\n    namespace: kube-system\nspec:\n  ports:\n  - port: 80\n');
  // strict field validation (the default) refuses the unknown key; without it, it is dropped
  assert.match(c.run(['create', '-f', f]).stderr, /strict decoding error: unknown field "metadata\.__proto__"\n$/);
  assert.equal(c.ok(['create', '-f', f, '--validate=false']), 'service/sneaky created\n');
  assert.match(c.ok(['get', 'svc', 'sneaky', '-n', 'default', '-o', 'name']), /^service\/sneaky$/m);
  assert.equal(c.run(['get', 'svc', 'sneaky', '-n', 'kube-system']).code, 1, 'not in kube-system');
  // apply's three-way merge and the printers keep it as a key too
  assert.equal(c.ok(['apply', '-f', f, '--validate=false']).trim(), 'service/sneaky configured');
  assert.equal(c.run(['get', 'svc', 'sneaky', '-n', 'kube-system']).code, 1, 'still not in kube-system after apply');
  const o = JSON.parse(c.ok(['get', 'svc', 'sneaky', '-o', 'json']));
  assert.equal(o.metadata.namespace, 'default');
  assert.equal(Object.getPrototypeOf(o.metadata), Object.prototype);
});

test('go-template printf with a width past Go\'s limit prints %!(NOVERB), as kubectl does, instead of running out of memory', () => {
  const t0 = Date.now();
  const r = c.run(['get', 'ns', 'default', '-o', 'go-template={{printf "%0999999999d" 1}}|{{printf "a%5d" 3}}|{{printf "%1000001d" 3 | len}}']);
  assert.equal(r.code, 0, r.stderr);
  // real kubectl 1.32 prints %!(NOVERB)%!(EXTRA int=1): a template constant is an int
  assert.match(r.stdout, /^%!\(NOVERB\)%!\(EXTRA int=1\)\|a    3\|1000001$/);
  assert.ok(Date.now() - t0 < 5000);
});

test('wrong shapes and out-of-range integers in a Deployment get the apiserver\'s decode error, never a crash', () => {
  const D = (spec) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n${spec}\n`;
  const cases = [
    ['spec: abc', 'string into Go struct field Deployment.spec of type v1.DeploymentSpec'],
    ['spec: 7', 'number into Go struct field Deployment.spec of type v1.DeploymentSpec'],
    ['spec:\n  strategy: 5', 'number into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy'],
    ['spec:\n  strategy: "x"', 'string into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy'],
    ['spec:\n  strategy:\n    rollingUpdate: true', 'bool into Go struct field DeploymentStrategy.spec.strategy.rollingUpdate of type v1.RollingUpdateDeployment'],
    ['spec:\n  replicas: 2147483648', 'number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['spec:\n  replicas: 1e21', 'number 1e+21 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['spec:\n  replicas: 1.5', 'number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
  ];
  const f = join(files, 'd.yaml');
  for (const [spec, want] of cases) {
    writeFileSync(f, D(spec));
    const before = stateSnapshot(c.dir);
    const r = c.run(['create', '-f', f]);
    assert.equal(r.code, 1, spec);
    assert.equal(r.stderr, `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal ${want}\n`, spec);
    assert.deepEqual(stateSnapshot(c.dir), before, `${spec}: nothing changed`);
  }
  writeFileSync(f, 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r}\nspec: [1]\n');
  assert.match(c.run(['create', '-f', f]).stderr, /ReplicaSet in version "v1" cannot be handled as a ReplicaSet: json: cannot unmarshal array into Go struct field ReplicaSet\.spec of type v1\.ReplicaSetSpec\n$/);
});

test('an unknown Deployment strategy type is refused as the apiserver refuses it', () => {
  const f = join(files, 'strategy.yaml');
  const D = (strategy) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: s}\nspec:\n  selector: {matchLabels: {a: b}}\n  strategy: ${strategy}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
  const cases = [
    ['{type: constructor}', 'The Deployment "s" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"constructor", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"\n'],
    ['{type: Recreate, rollingUpdate: {maxSurge: 1}}', 'The Deployment "s" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'\n'],
  ];
  for (const [strategy, want] of cases) {
    writeFileSync(f, D(strategy));
    const before = stateSnapshot(c.dir);
    const r = c.run(['create', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, want, strategy);
    assert.deepEqual(stateSnapshot(c.dir), before);
  }
  writeFileSync(f, D('{type: Recreate}'));
  assert.equal(c.ok(['create', '-f', f]), 'deployment.apps/s created\n');
});

/** A fresh cluster with Deployment `name` scaled to `replicas`; fn gets it and the scale's time. */
function scaledCluster(name, replicas, fn) {
  const s = cluster({ seed: name });
  try {
    s.ok(['create', 'deployment', name, '--image=nginx']);
    const t0 = Date.now();
    assert.equal(s.ok(['scale', 'deployment', name, `--replicas=${replicas}`]), `deployment.apps/${name} scaled\n`);
    fn(s, Date.now() - t0);
  } finally {
    s.cleanup();
  }
}

test('scaling to thousands of replicas: generated names never collide into AlreadyExists, in bounded time', { timeout: 60000 }, () => {
  scaledCluster('big', '2900', (s, took) => {
    const names = s.ok(['get', 'pods', '-l', 'app=big', '-o', 'name']).trim().split('\n');
    assert.equal(names.length, 2900);
    assert.equal(new Set(names).size, 2900);
    assert.ok(took < 20000, `scale to 2,900 took ${took} ms`);
  });
});

test('every kind decodes as the apiserver decodes it: a wrong JSON type is a BadRequest naming the Go field', () => {
  const f = join(files, 'kinds.yaml');
  const cases = [
    ['apiVersion: v1\nkind: Namespace\nmetadata: {name: n1}\nspec: {finalizers: 3}', 'Namespace in version "v1" cannot be handled as a Namespace: json: cannot unmarshal number into Go struct field NamespaceSpec.spec.finalizers of type []v1.FinalizerName'],
    ['apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec: {unschedulable: "yes"}', 'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal string into Go struct field NodeSpec.spec.unschedulable of type bool'],
    ['apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {addresses: [5]}', 'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal number into Go struct field NodeStatus.status.addresses of type v1.NodeAddress'],
    ['apiVersion: v1\nkind: Event\nmetadata: {name: e1}\ncount: 2147483648', 'Event in version "v1" cannot be handled as a Event: json: cannot unmarshal number 2147483648 into Go struct field Event.count of type int32'],
    ['apiVersion: v1\nkind: Event\nmetadata: {name: e1}\ninvolvedObject: []', 'Event in version "v1" cannot be handled as a Event: json: cannot unmarshal array into Go struct field Event.involvedObject of type v1.ObjectReference'],
    ['apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nstatus: 5\nspec: {containers: [{name: c, image: nginx}]}', 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Pod.status of type v1.PodStatus'],
    ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d1}\nstatus: {replicas: "1"}', 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas of type int32'],
    ['apiVersion: v1\nkind: Service\nmetadata: {name: s1}\nspec: {ports: [null, {port: "80"}]}', 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'],
    // Quantity.UnmarshalJSON's own errors end decoding without a field's name
    ['apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {containers: [{name: c, image: nginx, resources: {requests: {memory: abc}}}]}', "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: 5ii}}}]}', "Pod in version \"v1\" cannot be handled as a Pod: unable to parse quantity's suffix"],
  ];
  for (const [text, want] of cases) {
    writeFileSync(f, text + '\n');
    const before = stateSnapshot(c.dir);
    const r = c.run(['create', '-f', f]);
    assert.equal(r.code, 1, text);
    assert.equal(r.stderr, `Error from server (BadRequest): error when creating "${f}": ${want}\n`, text);
    assert.deepEqual(stateSnapshot(c.dir), before, `${text}: nothing changed`);
  }
});

test('replicas: 2147483647 is a valid int32: pods stop at kubesim\'s limit with FailedCreate, not out of memory', { timeout: 60000 }, () => {
  scaledCluster('huge', '2147483647', (s, took) => {
    const pods = s.ok(['get', 'pods', '-A', '--no-headers']).trim().split('\n').length;
    assert.equal(pods, 3000, 'the cluster holds kubesim\'s 3,000 pods, its own included');
    assert.match(s.ok(['get', 'events', '--field-selector', 'reason=FailedCreate']), /Warning   FailedCreate   replicaset\/huge-\w+   Error creating: pods "huge-\w+-\w+" is forbidden: kubesim simulates at most 3000 pods in a cluster\n$/);
    assert.match(s.ok(['describe', 'rs']), /Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n  ReplicaFailure   True    FailedCreate\n/);
    // Go's int32 addition wraps: the max-replicas annotation is negative, as on a real cluster
    assert.match(s.ok(['get', 'rs', '-o', 'jsonpath={.items[0].metadata.annotations.deployment\\.kubernetes\\.io/max-replicas}']), /^-1610612737$/);
    assert.ok(took < 15000, `took ${took} ms`);
    // a reader that goes away after a few bytes (`| head -c 100`) ends the command quietly
    const pipe = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" get events -A -o json | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      env: { ...process.env, KUBESIM_STATE: s.dir, KUBESIM_NOW: s.now, NO_COLOR: '1' },
    });
    assert.equal(pipe.stderr, '', 'no error for a closed pipe');
    assert.equal(pipe.stdout, '141\n', 'the status a SIGPIPE gives');
    // a pod by hand is refused the same way
    const r = s.run(['run', 'one-more', '--image=nginx']);
    assert.equal(r.stderr, 'Error from server (Forbidden): pods "one-more" is forbidden: kubesim simulates at most 3000 pods in a cluster\n');
  });
});

test('a StatefulSet or an Indexed Job of 2147483647 is bounded by the pods that can exist, not out of memory', { timeout: 90000 }, () => {
  const s = cluster({ seed: 'huge-sts' });
  try {
    for (const policy of ['OrderedReady', 'Parallel']) {
      const t0 = Date.now();
      const r = s.run(['apply', '-f', '-'], {
        input: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s-${policy.toLowerCase()}}\nspec: {replicas: 2147483647, podManagementPolicy: ${policy}, serviceName: x, selector: {matchLabels: {a: ${policy}}}, template: {metadata: {labels: {a: ${policy}}}, spec: {containers: [{name: c, image: nginx}]}}}\n`,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(Date.now() - t0 < 20000, `${policy}: ${Date.now() - t0} ms`);
    }
    const r = s.run(['apply', '-f', '-'], {
      input: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {completionMode: Indexed, completions: 2147483647, parallelism: 5, backoffLimitPerIndex: 1, template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox, command: [sleep, "5"]}]}}}\n',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(s.at('2025-03-01T12:00:10Z').ok(['get', 'sts', 's-orderedready', '--no-headers']), /^s-orderedready\s+1\/2147483647\s/);
    assert.match(s.ok(['get', 'job', 'j', '--no-headers']), /^j\s+Running\s+\d+\/2147483647\s/);
  } finally {
    s.cleanup();
  }
});

test('a manifest without a name: each verb that needs one says so as kubectl does', () => {
  const f = join(files, 'noname.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {labels: {a: b}}\nspec: {ports: [{port: 80}]}\n');
  const cases = [
    [['apply', '-f', f], `error: error when retrieving current configuration of:\nResource: "/v1, Resource=services", GroupVersionKind: "/v1, Kind=Service"\nName: "", Namespace: "default"\nfrom server for: "${f}": resource name may not be empty\n`],
    [['delete', '-f', f], `error: error when deleting "${f}": resource name may not be empty\n`],
    [['label', '-f', f, 'x=y'], 'error: resource name may not be empty\n'],
  ];
  for (const [args, want] of cases) {
    const before = stateSnapshot(c.dir);
    const r = c.run(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr, want, args.join(' '));
    assert.deepEqual(stateSnapshot(c.dir), before);
  }
  writeFileSync(f, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {labels: {a: b}}\n');
  assert.equal(c.run(['scale', '--replicas=2', '-f', f]).stderr, 'error: resource name may not be empty\n');
  // kubectl's TestDontAllowApplyWithPodGeneratedName
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {generateName: g-}\nspec: {ports: [{port: 80}]}\n');
  assert.equal(c.run(['apply', '-f', f]).stderr, 'error: from g-: cannot use generate name with apply\n');
});

test('a null list item decodes as its zero value, as Go decodes it: validation answers, nothing crashes', () => {
  const f = join(files, 'nulls.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {name: nulls}\nspec:\n  ports:\n  - null\n');
  const before = stateSnapshot(c.dir);
  for (const verb of ['create', 'apply']) {
    const r = c.run([verb, '-f', f], { env: { KUBESIM_DEBUG: '1' } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'The Service "nulls" is invalid: \n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive\n', verb);
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
  // quantities given as numbers or with a decimal exponent are quantities
  writeFileSync(f, 'apiVersion: v1\nkind: Pod\nmetadata: {name: qty}\nspec: {containers: [{name: c, image: nginx, resources: {requests: {memory: 1e3, cpu: 0.5}}}]}\n');
  assert.equal(c.ok(['create', '-f', f]), 'pod/qty created\n');
});

test('scale -f of a kind that cannot scale, and of a missing object, say what kubectl says', () => {
  const f = join(files, 'scale.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n');
  assert.equal(c.run(['scale', '--replicas=2', '-f', f]).stderr, 'error: no scaler has been implemented for {"" "Service"}\n');
  writeFileSync(f, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: missing}\n');
  assert.equal(c.run(['scale', '--replicas=2', '-f', f]).stderr, 'Error from server (NotFound): deployments.apps "missing" not found\n');
});
