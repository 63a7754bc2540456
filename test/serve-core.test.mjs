// Issue 18, serve-core: `kubesim serve` answers the real kubectl 1.32 (discovery, REST, Tables,
// Status errors), and what kubectl prints through it is what kubesim's own CLI prints on the same
// state (the same simulated clock: the server runs with the test's KUBESIM_NOW).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { cluster } from './helpers.mjs';
import { hasKubectl, startServe } from './serve-helpers.mjs';

const skip = hasKubectl() ? false : 'kubectl is not on PATH';
const c = cluster({ seed: 'serve-core', init: [] });
let s;
before(async () => {
  if (!skip) s = await startServe(c);
});
after(async () => {
  await s?.stop();
  c.cleanup();
});

/** kubectl through the server, insisting on success */
const k = (args, opts) => {
  const r = s.kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};

test('serve prints its address and writes serve.json and a kubeconfig with the kubesim-serve context', { skip }, () => {
  assert.match(s.output(), /^Serving the kubesim API at http:\/\/127\.0\.0\.1:\d+ /);
  assert.match(s.output(), /export KUBECONFIG=.*kubeconfig-serve/);
  const info = JSON.parse(readFileSync(`${c.dir}/serve.json`, 'utf8'));
  assert.equal(info.url, s.url);
  assert.equal(typeof info.pid, 'number');
  assert.equal(k(['config', 'current-context']), 'kubesim-serve\n');
});

test('version: the server is v1.32 (the dispatcher runs kubectl 1.32)', { skip }, () => {
  assert.match(k(['version']), /Server Version: v1\.32\.2\n/);
  const v = JSON.parse(k(['version', '-o', 'json']));
  assert.equal(v.serverVersion.minor, '32');
  assert.equal(v.serverVersion.gitVersion, 'v1.32.2');
});

// each row: kubectl's args through the server = kubesim's args on the same state
const SAME = [
  ['get', 'pods', '-A'],
  ['get', 'pods', '-A', '-o', 'wide'],
  ['get', 'nodes'],
  ['get', 'nodes', '-o', 'wide'],
  ['get', 'all', '-A'],
];
for (const args of SAME) {
  test(`kubectl ${args.join(' ')} through serve prints what kubesim prints`, { skip }, () => {
    assert.equal(k(args), c.ok(args));
  });
}

test('a missing object is the apiserver NotFound Status kubectl prints', { skip }, () => {
  const r = s.kubectl(['get', 'pod', 'nope']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  assert.equal(r.stderr, c.run(['get', 'pod', 'nope']).stderr);
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`;

test('create -f, run and expose through serve: kubectl prints what kubesim prints, and the objects are there', { skip }, () => {
  assert.equal(k(['create', '-f', '-', '--validate=false'], { input: deployment }), 'deployment.apps/web created\n');
  assert.equal(k(['run', 'p1', '--image=nginx', '--labels=run=p1']), 'pod/p1 created\n');
  assert.equal(k(['expose', 'deployment', 'web', '--port', '80']), 'service/web exposed\n');
  for (const args of [
    ['get', 'deploy,rs,pods,svc'],
    ['get', 'pods', '-o', 'wide'],
    ['get', 'pods', '-l', 'app=web'],
    ['get', 'pods', '--field-selector', 'metadata.name=p1'],
    ['get', 'svc', 'web', '-o', 'yaml'],
    ['get', 'deploy', 'web', '-o', 'json'],
    ['get', 'pods', '-o', 'name'],
    ['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'],
  ]) {
    assert.equal(k(args), c.ok(args), args.join(' '));
  }
});

test('create of an existing object is the AlreadyExists kubectl prints', { skip }, () => {
  const r = s.kubectl(['create', '-f', '-', '--validate=false'], { input: deployment });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "web" already exists\n');
  assert.equal(r.stderr, c.run(['create', '-f', '-'], { input: deployment }).stderr);
});

test('an invalid object is the Invalid Status with its causes, as kubectl prints it', { skip }, () => {
  const bad = deployment.replace('replicas: 2', 'replicas: -1').replace('name: web\nspec', 'name: bad\nspec');
  const r = s.kubectl(['create', '-f', '-', '--validate=false'], { input: bad });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, c.run(['create', '-f', '-'], { input: bad }).stderr);
  assert.match(r.stderr, /^The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n$/);
});

test('label, annotate, scale and the three patch types through serve', { skip }, () => {
  assert.equal(k(['label', 'deploy', 'web', 'tier=fe']), 'deployment.apps/web labeled\n');
  assert.equal(k(['annotate', 'deploy', 'web', 'note=x']), 'deployment.apps/web annotated\n');
  assert.equal(k(['scale', 'deploy', 'web', '--replicas=3']), 'deployment.apps/web scaled\n');
  assert.equal(k(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":1}}']), 'deployment.apps/web patched\n');
  assert.equal(k(['patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']), 'deployment.apps/web patched\n');
  assert.equal(k(['patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"2"}]']), 'deployment.apps/web patched\n');
  const d = JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.deepEqual(d.metadata.labels, { j: '2', m: '1', tier: 'fe' });
  assert.equal(d.metadata.annotations.note, 'x');
  assert.equal(d.spec.replicas, 1);
  assert.equal(k(['get', 'deploy', 'web', '--show-labels']), c.ok(['get', 'deploy', 'web', '--show-labels']));
  // the scale subresource as kubectl reads it
  assert.equal(k(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale']).includes('"replicas":1'), true);
});

test('describe service and deployment: kubectl renders them client-side from what serve answers', { skip }, () => {
  assert.equal(k(['describe', 'service', 'web']), c.ok(['describe', 'service', 'web']));
  // event ages are kubectl's own clock against the simulated one: compare the rest
  const noAges = (t) => t.replace(/^  (Normal|Warning) .*$/gm, (l) => l.trim().split(/\s+/).filter((_, i) => i !== 2).join(' ')).replace(/^  Type +Reason +Age +From .*\n  ----.*$/m, 'EVENTS');
  assert.equal(noAges(k(['describe', 'deployment', 'web'])), noAges(c.ok(['describe', 'deployment', 'web'])));
});

test('delete through serve', { skip }, () => {
  assert.equal(k(['delete', 'deploy', 'web', '--wait=false']), 'deployment.apps "web" deleted\n');
  assert.equal(c.run(['get', 'deploy', 'web']).stderr, 'Error from server (NotFound): deployments.apps "web" not found\n');
  assert.equal(k(['delete', 'svc', 'web', '--wait=false']), 'service "web" deleted\n');
  const r = s.kubectl(['delete', 'svc', 'web']);
  assert.equal(r.stderr, 'Error from server (NotFound): services "web" not found\n');
});

test('a second serve on the same state is refused while the first runs', { skip }, () => {
  const r = c.run(['serve', '--port', '0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `error: kubesim serve is already running for ${c.dir} at ${s.url} (pid ${s.child.pid})\n`);
});

test('SIGINT stops the server and removes serve.json', { skip }, async () => {
  const d = cluster({ seed: 'serve-core' });
  try {
    const other = await startServe(d);
    assert.ok(existsSync(`${d.dir}/serve.json`));
    const code = await other.stop('SIGINT');
    assert.equal(code, 0);
    assert.equal(existsSync(`${d.dir}/serve.json`), false);
  } finally {
    d.cleanup();
  }
});

test('serve refuses to listen on every interface', { skip }, () => {
  const r = c.run(['serve', '--port', '0', '--address', '0.0.0.0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'error: kubesim serve will not listen on every interface (0.0.0.0): name one address with --address\n');
});
