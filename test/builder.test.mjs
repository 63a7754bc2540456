// Issue 13 (part): the resource builder's rules as kubectl's cli-runtime states them: -f for the
// verbs that read objects, selectors never with names, and which printers say "No resources found".
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cluster, hasKubectl, MANIFESTS } from './helpers.mjs';

const c = cluster({ seed: 'builder' });
after(() => c.cleanup());
const svc = join(MANIFESTS, 'service-nodeport.yaml');
const pod = join(MANIFESTS, 'nginx-pod.yaml');
c.ok(['create', '-f', svc, '-f', pod]);
c.at('2025-03-01T12:00:10Z'); // after nginx's first pull (≈3.3 s): mypod is Running

test('get -f and describe -f read the objects a file names, from the cluster', () => {
  const t = c.ok(['get', '-f', svc, '-f', pod]);
  assert.match(t, /^NAME                TYPE       CLUSTER-IP\s+EXTERNAL-IP   PORT\(S\)        AGE\nservice\/webserver   NodePort/);
  assert.match(t, /\n\nNAME        READY   STATUS    RESTARTS   AGE\npod\/mypod   1\/1     Running   0          10s\n$/);
  assert.equal(c.ok(['get', '-f', svc, '-o', 'name']), 'service/webserver\n');
  assert.match(c.ok(['describe', '-f', pod]), /^Name:             mypod\nNamespace:        default\n/);
  const missing = c.run(['get', '-f', join(MANIFESTS, 'redis-master.yaml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^Error from server \(NotFound\): deployments\.apps "redis-master" not found\nError from server \(NotFound\): services "redis-master" not found\n$/);
  assert.equal(c.run(['get', 'pods', '-f', pod]).stderr, 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n');
});

test('a selector cannot be combined with names (visitBySelector)', () => {
  const cases = [
    [['get', 'pod', 'mypod', '-l', 'a=b'], 'error: name cannot be provided when a selector is specified\n'],
    [['get', 'pod', 'mypod', '--field-selector', 'metadata.name=x'], 'error: name cannot be provided when a selector is specified\n'],
    [['get', 'pod/mypod', '-l', 'a=b'], 'error: selectors and the all flag cannot be used when passing resource/name arguments\n'],
    [['describe', 'pod', 'mypod', '-l', 'a=b'], 'error: name cannot be provided when a selector is specified\n'],
    // every verb that acts on stored objects goes through the same builder
    [['delete', 'pod', 'mypod', '-l', 'a=b'], 'error: name cannot be provided when a selector is specified\n'],
    [['delete', 'pod', 'mypod', '--all'], 'error: name cannot be provided when a selector is specified\n'],
    [['delete', 'pod/mypod', '--all'], 'error: selectors and the all flag cannot be used when passing resource/name arguments\n'],
    [['delete', 'pods'], 'error: resource(s) were provided, but no name was specified\n'],
    [['label', 'pod', 'mypod', '-l', 'a=b', 'x=y'], 'error: name cannot be provided when a selector is specified\n'],
    [['label', 'pods', 'x=y'], 'error: resource(s) were provided, but no name was specified\n'],
    [['annotate', 'pod/mypod', '--all', 'x=y'], 'error: selectors and the all flag cannot be used when passing resource/name arguments\n'],
    [['scale', 'deploy', 'web', '-l', 'a=b', '--replicas=1'], 'error: name cannot be provided when a selector is specified\n'],
    [['scale', 'deploy', '--replicas=1'], 'error: resource(s) were provided, but no name was specified\n'],
    [['wait', 'pods', '--for=delete'], 'error: resource(s) were provided, but no name was specified\n'],
    [['wait', 'pod', 'mypod', '-l', 'a=b', '--for=delete'], 'error: name cannot be provided when a selector is specified\n'],
    [['set', 'image', 'deploy', 'web', '-l', 'a=b', 'nginx=nginx:1'], 'error: name cannot be provided when a selector is specified\n'],
    [['label', '-f', svc, 'pods', 'x=y'], 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n'],
  ];
  for (const [args, want] of cases) {
    const r = c.run(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr, want, args.join(' '));
  }
});

test('"No resources found" comes only with a table; other printers print what they print', () => {
  const none = ['get', 'pods', '-l', 'app=nomatch'];
  assert.deepEqual(c.run(none), { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
  assert.deepEqual(c.run([...none, '-o', 'wide']), { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
  assert.deepEqual(c.run([...none, '-o', 'name']), { stdout: '', stderr: '', code: 0 });
  assert.deepEqual(c.run([...none, '-o', 'custom-columns=NAME:.metadata.name']), { stdout: 'NAME\n', stderr: '', code: 0 });
  assert.deepEqual(c.run([...none, '-o', 'jsonpath={.items}']), { stdout: '[]', stderr: '', code: 0 });
});

test('validation comes before the existence check: an invalid object whose name is taken is invalid', () => {
  const f = join(c.dir, '..', `builder-invalid-${process.pid}.yaml`);
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {name: webserver}\nspec: {type: NodePort, ports: [{port: 99999, targetPort: 80}]}\n');
  try {
    const r = c.run(['create', '-f', f]);
    assert.equal(r.stderr, 'The Service "webserver" is invalid: spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive\n');
    const again = c.run(['create', '-f', svc]);
    assert.match(again.stderr, /^Error from server \(AlreadyExists\): error when creating ".*": services "webserver" already exists\n$/);
  } finally {
    rmSync(f, { force: true });
  }
});

test('describe matches a name prefix only for `describe TYPE NAME`, each match followed by its own newline', () => {
  const exact = c.ok(['describe', 'pod', 'mypod']);
  assert.equal(c.ok(['describe', 'pod', 'mypo']), exact + '\n', 'DescribeMatchingResources: "%s\\n"');
  // TYPE/NAME, and several names, are exact
  const slash = c.run(['describe', 'pod/mypo']);
  assert.equal(slash.stderr, 'Error from server (NotFound): pods "mypo" not found\n');
  const two = c.run(['describe', 'pod', 'mypod', 'mypo']);
  assert.equal(two.stdout, exact);
  assert.equal(two.stderr, 'Error from server (NotFound): pods "mypo" not found\n');
});

test('the builder errors kubectl gives before it contacts a server are kubesim\'s too (compared with kubectl)', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed');
  const vectors = [
    ['get', 'pod', 'mypod', '-l', 'a=b'],
    ['get', 'pod/mypod', '-l', 'a=b'],
    ['describe', 'pod', 'mypod', '-l', 'a=b'],
    ['delete', 'pod', 'mypod', '-l', 'a=b'],
    ['delete', 'pod', 'mypod', '--all'],
    ['delete', 'pod/mypod', '--all'],
    ['label', 'pod', 'mypod', '-l', 'a=b', 'x=y'],
    ['label', '-f', svc, 'pods', 'x=y'],
    ['scale', 'deploy', 'web', '-l', 'a=b', '--replicas=1'],
    ['wait', 'pod', 'mypod', '-l', 'a=b', '--for=delete'],
  ];
  for (const args of vectors) {
    // no server: kubectl fails in the builder before any request (its discovery noise filtered out)
    const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    const want = k.stderr.split('\n').filter((l) => l.startsWith('error:')).join('\n') + '\n';
    assert.equal(c.run(args).stderr, want, args.join(' '));
  }
});
