// Issue 18, item 5: the Python `kubernetes` client (from PyPI) through `kubesim serve`: it lists pods,
// creates a ConfigMap and watches pods, with the kubeconfig serve writes. Skipped, with the reason
// printed, where python3 or the package is missing (CI installs it with pip when PyPI answers).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cluster } from './helpers.mjs';
import { startServe } from './serve-helpers.mjs';

function pythonSkip() {
  const py = spawnSync('python3', ['-c', 'import kubernetes, sys; sys.stdout.write(kubernetes.__version__)'], { encoding: 'utf8' });
  if (py.error) return 'python3 is not installed';
  if (py.status !== 0) return 'the Python kubernetes package is not installed (pip install kubernetes)';
  return false;
}
const skip = pythonSkip();
if (skip) console.log(`# serve-python skipped: ${skip}`);

const c = cluster({ seed: 'serve-python', init: [] });
let s;
before(async () => {
  if (skip) return;
  c.ok(['run', 'web', '--image=nginx', '--labels=app=web']);
  c.ok(['get', 'pods']);
  s = await startServe(c);
});
after(async () => {
  await s?.stop();
  c.cleanup();
});

/** Runs a Python program with the server's kubeconfig loaded as `api` (CoreV1Api); its stdout as JSON. */
function python(body) {
  const program = `import json, sys\nfrom kubernetes import client, config, watch\nconfig.load_kube_config(config_file=${JSON.stringify(s.kubeconfig)})\napi = client.CoreV1Api()\n${body}`;
  const r = spawnSync('python3', ['-c', program], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('list: the pods kubesim lists, in every namespace, with their status', { skip }, () => {
  const got = python(`pods = api.list_pod_for_all_namespaces()\nprint(json.dumps([[p.metadata.namespace, p.metadata.name, p.status.phase] for p in pods.items]))`);
  const own = JSON.parse(c.ok(['get', 'pods', '-A', '-o', 'json'])).items.map((p) => [p.metadata.namespace, p.metadata.name, p.status.phase]);
  assert.deepEqual(got, own);
  assert.ok(got.some(([ns, name]) => ns === 'default' && name === 'web'));
});

test('create: a ConfigMap made by the client is stored, as kubesim reads it', { skip }, () => {
  const got = python(
    `cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python", labels={"made": "py"}), data={"a": "b"})\nout = api.create_namespaced_config_map("default", cm)\nprint(json.dumps([out.metadata.name, out.metadata.resource_version, out.data]))`,
  );
  const own = JSON.parse(c.ok(['get', 'configmap', 'from-python', '-o', 'json']));
  assert.deepEqual(got, ['from-python', own.metadata.resourceVersion, { a: 'b' }]);
  assert.deepEqual(own.metadata.labels, { made: 'py' });
  // an existing name is the apiserver's 409 AlreadyExists, as the client raises it
  const err = python(
    `try:\n  api.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python")))\n  print(json.dumps(None))\nexcept client.exceptions.ApiException as e:\n  print(json.dumps([e.status, json.loads(e.body)["reason"]]))`,
  );
  assert.deepEqual(err, [409, 'AlreadyExists']);
});

test('watch: the initial pods, then ADDED, MODIFIED and DELETED made by kubesim commands', { skip }, async () => {
  const program = `import json, sys\nfrom kubernetes import client, config, watch\nconfig.load_kube_config(config_file=${JSON.stringify(s.kubeconfig)})\napi = client.CoreV1Api()\nfor e in watch.Watch().stream(api.list_namespaced_pod, "default", label_selector="w=py", timeout_seconds=30):\n  print(e["type"], e["object"].metadata.name, e["object"].metadata.resource_version, flush=True)\n  if e["type"] == "DELETED":\n    break\n`;
  const child = spawn('python3', ['-c', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise((r) => child.on('exit', r));
  try {
    // the watch is open once python has imported the client and connected
    await new Promise((r) => setTimeout(r, 3000));
    c.ok(['run', 'pw', '--image=nginx', '--labels=w=py']);
    c.ok(['label', 'pod', 'pw', 'x=1']);
    c.ok(['delete', 'pod', 'pw', '--grace-period=0', '--force']);
    const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
    assert.equal(code, 0, `python: ${code} ${err} ${out}`);
    const events = out.trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(events.map(([type, name]) => `${type} ${name}`).filter((e, i, a) => a.indexOf(e) === i), ['ADDED pw', 'MODIFIED pw', 'DELETED pw']);
    const rvs = events.map(([, , rv]) => Number(rv));
    assert.ok(rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]), `versions increase: ${out}`);
  } finally {
    child.kill();
  }
});
