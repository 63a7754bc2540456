// Issue 16: patch, replace and diff. `patch --local -f` is compared byte for byte with real kubectl
// (strategic merge with merge keys and directives, JSON merge patch, JSON patch and their errors);
// on the cluster, messages are goldens from kubectl's pkg/cmd/patch, pkg/cmd/replace, pkg/cmd/diff
// and the apiserver's patch handler.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, hasKubectl, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'patch', init: [] });
after(() => c.cleanup());

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
      - name: side
        image: busybox
        args: ["sleep", "1d"]
`;
const file = join(c.dir, 'web.yaml');
writeFileSync(file, DEPLOY);

const tpl = (spec) => JSON.stringify({ spec: { template: { spec } } });

// [flags...] for `patch --local -f web.yaml`
const LOCAL_CASES = [
  // strategic: containers merge by name
  ['-p', tpl({ containers: [{ name: 'side', image: 'alpine' }] }), '-o', 'yaml'],
  ['-p', tpl({ containers: [{ name: 'new', image: 'alpine' }] }), '-o', 'yaml'],
  ['-p', tpl({ containers: [{ name: 'nginx', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] }), '-o', 'yaml'],
  ['-p', tpl({ containers: [{ name: 'nginx', ports: [{ containerPort: 443 }] }] }), '-o', 'json'],
  // $patch: delete and replace, in a list and in a map
  ['-p', tpl({ containers: [{ name: 'nginx', $patch: 'delete' }] }), '-o', 'yaml'],
  ['-p', tpl({ containers: [{ name: 'x', image: 'y' }, { $patch: 'replace' }] }), '-o', 'yaml'],
  ['-p', '{"spec":{"selector":{"$patch":"replace","matchLabels":{"a":"b"}}}}', '-o', 'yaml'],
  ['-p', '{"metadata":{"labels":{"$patch":"delete"}}}', '-o', 'yaml'],
  // $setElementOrder and $retainKeys
  ['-p', tpl({ '$setElementOrder/containers': [{ name: 'side' }, { name: 'nginx' }], containers: [{ name: 'nginx', image: 'n2' }] }), '-o', 'yaml'],
  ['-p', '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}', '-o', 'yaml'],
  // null deletes; YAML patches
  ['-p', '{"metadata":{"labels":{"app":null,"tier":"fe"}}}', '-o', 'yaml'],
  ['-p', 'spec: {replicas: 7}', '-o', 'yaml'],
  // merge patch replaces lists where strategic merges them
  ['--type', 'merge', '-p', tpl({ containers: [{ name: 'side', image: 'alpine' }] }), '-o', 'yaml'],
  ['--type', 'merge', '-p', '{"spec":{"replicas":null}}', '-o', 'json'],
  // JSON patch
  ['--type', 'json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"z","image":"z"}},{"op":"remove","path":"/spec/template/spec/containers/0"}]', '-o', 'yaml'],
  ['--type', 'json', '-p', '[{"op":"move","from":"/spec/replicas","path":"/spec/r2"},{"op":"copy","from":"/metadata/labels","path":"/metadata/annotations"},{"op":"add","path":"/metadata/labels/a~1b","value":"x"}]', '-o', 'yaml'],
  ['--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":5}]', '-o', 'yaml'],
  ['--type', 'json', '-p', '[{"op":"replace","path":"/spec/nope","value":1},{"op":"copy","from":"/spec/x","path":"/spec/y"}]', '-o', 'yaml'],
  // the success lines
  ['-p', '{"spec":{"replicas":2}}'],
  ['-p', '{"spec":{"replicas":3}}'],
  ['-p', '{"spec":{"replicas":3}}', '-o', 'name'],
  ['-p', '{"spec":{"replicas":3}}', '--dry-run=client'],
  // a new value is taken without its nulls and $patch maps (removeDirectives); $retainKeys stays
  ['-p', '{"spec":{"template":{"metadata":{"annotations":{"$patch":"replace","x":"y"}}}}}', '-o', 'yaml'],
  ['-p', tpl({ affinity: { nodeAffinity: { $retainKeys: ['a'], x: null, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } } }), '-o', 'yaml'],
  ['-p', tpl({ initContainers: [{ name: 'i', image: 'x' }, { name: 'j', $patch: 'delete' }] }), '-o', 'yaml'],
  ['-p', '{"metadata":{"finalizers":["c/z"],"$deleteFromPrimitiveList/finalizers":["a/x"]}}', '-o', 'yaml'],
  // errors
  ['-p', tpl({ containers: [{ name: 'side', $patch: 'bogus' }] })],
  ['-p', '{bad'],
  ['-p', 'x: ['],
  ['-p', '[1]'],
  ['-p', 'foo'],
  ['--type', 'foo', '-p', '{}'],
  ['--type', 'json', '-p', '{"a":1}'],
  ['--type', 'json', '-p', '[{"op":"bogus","path":"/a"}]'],
  ['--type', 'json', '-p', '[{"path":"/a"}]'],
  ['--type', 'json', '-p', '[{"op":"add","value":1}]'],
  ['--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":3}]'],
  ['--type', 'json', '-p', '[{"op":"remove","path":"/spec/foo"}]'],
  ['--type', 'json', '-p', '[{"op":"remove","path":"/spec/a/b"}]'],
  ['--type', 'json', '-p', '[{"op":"add","path":"/spec/a/b","value":1}]'],
  ['--type', 'json', '-p', '[{"op":"replace","path":"/spec/a/b","value":1}]'],
  ['--type', 'json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/7","value":1}]'],
  ['--type', 'json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/5","value":{}}]'],
  ['--type', 'json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/x","value":1}]'],
  ['--type', 'json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/-"}]'],
  ['--type', 'json', '-p', '[{"op":"move","from":"/spec/x","path":"/spec/y"}]'],
  ['--type', 'json', '-p', '[{"op":"move","from":"/spec/replicas","path":"/spec/a/b"}]'],
  ['--type', 'merge', '-p', 'x'],
  ['-p', '{}', '--patch-file', file],
  ['--patch-file', '/nonexistent/patch.json'],
  [],
  ['-p', '{}', '--dry-run=server'],
  ['-p', '{}', '-o', 'wide'],
];

test(`patch --local -f matches kubectl (${LOCAL_CASES.length + 2} cases)`, (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  const foo = join(c.dir, 'foo.yaml');
  writeFileSync(foo, 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\nspec:\n  a: 1\n');
  const custom = [['-f', foo, '-p', '{"spec":{"b":2}}'], ['-f', foo, '--type', 'merge', '-p', '{"spec":{"b":2}}', '-o', 'yaml']];
  for (const flags of [...LOCAL_CASES.map((f) => ['-f', file, ...f]), ...custom]) {
    const args = ['patch', '--local', ...flags];
    const k = spawnSync('kubectl', args, { encoding: 'utf8' });
    const s = c.run(args);
    assert.deepEqual([s.code, s.stdout, s.stderr], [k.status, k.stdout, k.stderr], args.join(' '));
  }
});

test('patch on the cluster: patched, (no change), errors, dry runs, status', () => {
  c.ok(['apply', '-f', file]);
  assert.equal(c.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":3}}']), 'deployment.apps/web patched\n');
  assert.equal(c.ok(['patch', 'deployment/web', '-p', '{"spec":{"replicas":3}}']), 'deployment.apps/web patched (no change)\n');
  assert.equal(c.ok(['patch', 'deploy', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":4}}', '-o', 'jsonpath={.spec.replicas}']), '4');
  assert.equal(c.ok(['patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/1/image","value":"alpine"}]']), 'deployment.apps/web patched\n');
  assert.equal(c.ok(['patch', '-f', file, '-p', tpl({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] })]), 'deployment.apps/web patched\n');
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}']), 'nginx:1.27 alpine');
  // the merge keys of the Go types: env by name; a new container goes after the patch's nginx (mergeSortedSlice)
  c.ok(['patch', 'deploy', 'web', '-p', tpl({ containers: [{ name: 'nginx', env: [{ name: 'B', value: '9' }] }, { name: 'third', image: 'redis' }] })]);
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].env[*].value}']), 'nginx third side 1 9');
  // dry runs change nothing and say no "(dry run)" (patch's ToPrinter overwrites the operation)
  const before = stateSnapshot(c.dir);
  assert.equal(c.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":1}}', '--dry-run=server']), 'deployment.apps/web patched\n');
  assert.equal(c.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":1}}', '--dry-run=client', '-o', 'jsonpath={.spec.replicas}']), '1');
  // failures leave the state byte-identical
  const fails = [
    [['patch', 'deploy', 'nope', '-p', '{}'], 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    [['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":-1}}'], 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'],
    [['patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]'], 'The request is invalid: the server rejected our request due to an error in our request\n'],
    [['patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nope"}]'], "Error from server (BadRequest): error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value\n"],
    [['patch', 'deploy', 'web', '-p', '"x"'], 'Error from server (BadRequest): json: cannot unmarshal string into Go value of type map[string]interface {}\n'],
    [['patch', 'deploy', 'web', '-p', tpl({ containers: [{ image: 'x' }] })], 'Error from server (BadRequest): map: map[image:x] does not contain declared merge key: name\n'],
    [['patch', 'deploy', '-p', '{}'], 'error: resource(s) were provided, but no name was specified\n'],
    [['patch', 'deploy', 'web'], 'error: must specify --patch or --patch-file containing the contents of the patch\n'],
    [['patch', 'deploy', 'web', '-p', '{}', '--local'], 'error: cannot specify --local and server resources\n'],
  ];
  for (const [args, stderr] of fails) {
    const r = c.run(args);
    assert.deepEqual([r.code, r.stderr, r.stdout], [1, stderr, ''], args.join(' '));
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
  // --subresource=status: only the status changes
  const r = c.ok(['patch', 'deploy', 'web', '--subresource=status', '--type=merge', '-p', '{"spec":{"replicas":8},"status":{"observedGeneration":99}}', '-o', 'jsonpath={.spec.replicas} {.status.observedGeneration}']);
  assert.equal(r, '4 99');
  // no fieldValidation is sent: the server's Warn drops unknown fields with a warning each
  const unknown = c.run(['patch', 'deploy', 'web', '-p', '{"spec":{"foo":1}}']);
  assert.deepEqual([unknown.code, unknown.stdout, unknown.stderr], [0, 'deployment.apps/web patched (no change)\n', 'Warning: unknown field "spec.foo"\n']);
  // --subresource=scale: the patch applies to the autoscaling/v1 Scale
  assert.equal(c.ok(['patch', 'deploy', 'web', '--subresource=scale', '-p', '{"spec":{"replicas":3}}']), 'scale.autoscaling/web patched\n');
  assert.equal(c.ok(['patch', 'deploy', 'web', '--subresource=scale', '-p', '{"spec":{"replicas":3}}']), 'scale.autoscaling/web patched (no change)\n');
  assert.equal(c.ok(['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":2}}', '-o', 'jsonpath={.kind} {.spec.replicas} {.status.selector}']), 'Scale 2 app=web');
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
  c.ok(['run', 'solo', '--image=nginx']);
  const noScale = c.run(['patch', 'pod', 'solo', '--subresource=scale', '-p', '{"spec":{"replicas":3}}']);
  assert.deepEqual([noScale.code, noScale.stderr], [1, 'Error from server (NotFound): the server could not find the requested resource\n']);
});

test('replace: PUT with the resourceVersion precondition, --force deletes and re-creates', () => {
  const r = cluster({ seed: 'replace', init: [] });
  try {
    const f = join(r.dir, 'web.yaml');
    writeFileSync(f, DEPLOY);
    const nf = r.run(['replace', '-f', f]);
    assert.deepEqual([nf.code, nf.stderr], [1, `Error from server (NotFound): error when replacing "${f}": deployments.apps "web" not found\n`]);
    r.ok(['create', '-f', f]);
    const five = join(r.dir, 'five.yaml');
    writeFileSync(five, DEPLOY.replace('replicas: 2', 'replicas: 5'));
    // no resourceVersion in the file: the stored one is taken
    assert.equal(r.ok(['replace', '-f', five]), 'deployment.apps/web replaced\n');
    assert.equal(r.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
    // a stale resourceVersion is the apiserver's Conflict
    const live = join(r.dir, 'live.yaml');
    writeFileSync(live, r.ok(['get', 'deploy', 'web', '-o', 'yaml']));
    r.ok(['scale', 'deploy', 'web', '--replicas=1']);
    const before = stateSnapshot(r.dir);
    const conflict = r.run(['replace', '-f', live]);
    assert.deepEqual(
      [conflict.code, conflict.stdout, conflict.stderr],
      [1, '', `Error from server (Conflict): error when replacing "${live}": Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again\n`],
    );
    assert.deepEqual(stateSnapshot(r.dir), before);
    assert.equal(r.ok(['replace', '-f', f, '--dry-run=server']), 'deployment.apps/web replaced (server dry run)\n');
    assert.equal(r.ok(['replace', '-f', f, '--dry-run=client', '-o', 'name']), 'deployment.apps/web\n');
    assert.deepEqual(stateSnapshot(r.dir), before);
    // --force: deleted, then created again (a new uid)
    const uid = r.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']);
    assert.equal(r.ok(['replace', '--force', '-f', f]), 'deployment.apps "web" deleted\ndeployment.apps/web replaced\n');
    assert.notEqual(r.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']), uid);
    assert.equal(r.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
    // kubectl's Validate messages
    for (const [args, stderr] of [
      [['replace'], 'error: must specify one of -f and -k\n'],
      [['replace', '-f', f, '--grace-period', '3'], 'error: --grace-period must have --force specified\n'],
      [['replace', '-f', f, '--force', '--dry-run=client'], 'error: --dry-run can not be used when --force is set\n'],
    ]) {
      const x = r.run(args);
      assert.deepEqual([x.code, x.stderr], [1, stderr], args.join(' '));
    }
  } finally {
    r.cleanup();
  }
});

test('diff: live against the dry-run apply, exit 0 / 1 / 2, KUBECTL_EXTERNAL_DIFF', (t) => {
  const d = cluster({ seed: 'diff', init: [] });
  try {
    const f = join(d.dir, 'web.yaml');
    writeFileSync(f, DEPLOY);
    // a new object: the whole dry-run create against an empty LIVE file
    const fresh = d.run(['diff', '-f', f]);
    assert.equal(fresh.code, 1);
    const lines = fresh.stdout.split('\n');
    assert.match(lines[0], /^diff -u -N \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web \/tmp\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web$/);
    assert.match(lines[1], /^--- \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web\t2025-03-01 12:00:00\.000000000 [+-]\d{4}$/);
    assert.match(lines[2], /^\+\+\+ \/tmp\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web\t/);
    assert.match(lines[3], /^@@ -0,0 \+1,\d+ @@$/);
    assert.ok(!fresh.stdout.includes('resourceVersion'), 'a dry-run create has no resourceVersion');
    assert.equal(d.run(['get', 'deploy']).stderr, 'No resources found in default namespace.\n');
    d.ok(['apply', '-f', f]);
    // what apply would change nothing: exit 0, no output
    assert.deepEqual(d.run(['diff', '-f', f]), { stdout: '', stderr: '', code: 0 });
    const f2 = join(d.dir, 'web2.yaml');
    writeFileSync(f2, DEPLOY.replace('replicas: 2', 'replicas: 5').replace('busybox', 'alpine'));
    const before = stateSnapshot(d.dir);
    const changed = d.run(['diff', '-f', f2]);
    assert.equal(changed.code, 1);
    const body = changed.stdout.split('\n').slice(3).join('\n');
    assert.match(body, /^@@ -\d+,7 \+\d+,7 @@\n/);
    assert.ok(body.includes('-  generation: 1\n+  generation: 2\n'));
    assert.ok(body.includes('-  replicas: 2\n+  replicas: 5\n'));
    assert.ok(body.includes('-        image: busybox\n+        image: alpine\n'));
    assert.deepEqual(stateSnapshot(d.dir), before);
    // the same text as GNU diff -u -N on the two directories (timestamps aside)
    const gnu = spawnSync('diff', ['--version'], { encoding: 'utf8' });
    if (gnu.status === 0) {
      const ext = d.run(['diff', '-f', f2], { env: { KUBECTL_EXTERNAL_DIFF: 'diff -u -N' } });
      const strip = (s) => s.replace(/\t.*$/gm, '');
      assert.deepEqual([ext.code, strip(ext.stdout)], [1, strip(changed.stdout)]);
    } else t.diagnostic('GNU diff is not installed: the internal diff is not compared with it');
    // the external program's words: only [a-zA-Z0-9-=]+ ones pass; its exit status is diff's
    const ls = d.run(['diff', '-f', f2], { env: { KUBECTL_EXTERNAL_DIFF: 'ls -1 $HOME' } });
    assert.equal(ls.code, 0);
    assert.match(ls.stdout, /^\/tmp\/LIVE-\d+:\napps\.v1\.Deployment\.default\.web\n\n\/tmp\/MERGED-\d+:\napps\.v1\.Deployment\.default\.web\n$/);
    // a Secret's data is masked (the Masker of pkg/cmd/diff)
    const s1 = join(d.dir, 's1.yaml');
    writeFileSync(s1, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YQ==\n  b: Yg==\n');
    d.ok(['apply', '-f', s1]);
    const s2 = join(d.dir, 's2.yaml');
    writeFileSync(s2, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: eA==\n  b: Yg==\n  c: Yw==\n');
    const masked = d.run(['diff', '-f', s2]);
    assert.equal(masked.code, 1);
    assert.ok(masked.stdout.includes("@@ -1,7 +1,8 @@\n apiVersion: v1\n data:\n-  a: '*** (before)'\n+  a: '*** (after)'\n   b: '***'\n+  c: '***'\n kind: Secret\n"), masked.stdout);
    // errors exit 2
    const missing = d.run(['diff', '-f', join(d.dir, 'nope.yaml')]);
    assert.deepEqual([missing.code, missing.stderr], [2, `error: the path "${join(d.dir, 'nope.yaml')}" does not exist\n`]);
    const none = d.run(['diff']);
    assert.deepEqual([none.code, none.stderr], [2, 'error: must specify one of -f and -k\n']);
  } finally {
    d.cleanup();
  }
});
