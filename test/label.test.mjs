// Issue 4: label, annotate and set image. --local runs are compared with real kubectl; on the cluster,
// relabelling moves a pod in and out of a Service's endpoints.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, hasKubectl } from './helpers.mjs';

const c = cluster({ seed: 'label' });
after(() => c.cleanup());
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));

test('label / annotate --local match kubectl', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  const f = join(c.dir, 'lab.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels:\n    app: web\n  annotations:\n    a: b\nspec:\n  ports:\n  - port: 80\n');
  const cases = [
    ['label', 'app=other'], ['label', 'app=other', '--overwrite', '-o', 'yaml'], ['label', 'tier=db', 'env=prod', '-o', 'json'], ['label', 'k=bad@value'],
    ['label', 'app-'], ['label', 'app-', '-o', 'yaml'], ['label', 'app-', 'tier=x', '-o', 'yaml'], ['label'], ['label', 'new=1'], ['label', 'new=1', '-o', 'name'],
    ['annotate', 'a=c'], ['annotate', 'a=c', '--overwrite', '-o', 'yaml'], ['annotate', 'a-', '-o', 'yaml'], ['annotate', 'x=1', 'y=two words', '-o', 'yaml'],
  ];
  for (const [verb, ...rest] of cases) {
    const args = [verb, '--local', '-f', f, ...rest];
    const k = spawnSync('kubectl', args, { encoding: 'utf8' });
    const s = c.run(args);
    assert.deepEqual([s.code, s.stdout, s.stderr], [k.status, k.stdout, k.stderr], args.join(' '));
  }
});

test('relabelling a pod moves it in and out of the endpoints', () => {
  c.ok(['run', 'p1', '--image=nginx', '--labels=app=web', '--port=80']);
  c.ok(['create', 'service', 'clusterip', 'web', '--tcp=80']);
  // while nginx pulls, p1 is a not-ready address, which the ENDPOINTS column leaves out
  assert.equal(c.ok(['get', 'ep', 'web']), 'NAME   ENDPOINTS   AGE\nweb                0s\n');
  c.at('2025-03-01T12:00:10Z');
  const ip = json(['get', 'pod', 'p1']).status.podIP;
  assert.equal(c.ok(['get', 'ep', 'web']), `NAME   ENDPOINTS       AGE\nweb    ${ip}:80   10s\n`);
  assert.equal(c.ok(['label', 'pod', 'p1', 'app=other', '--overwrite']), 'pod/p1 labeled\n');
  assert.equal(c.ok(['get', 'ep', 'web']), 'NAME   ENDPOINTS   AGE\nweb    <none>      10s\n');
  const r = c.run(['label', 'pod', 'p1', 'app=web']);
  assert.deepEqual([r.code, r.stderr], [1, "error: 'app' already has a value (other), and --overwrite is false\n"]);
  assert.equal(c.ok(['label', 'pods', '-l', 'run!=x', 'app=web', '--overwrite']), 'pod/p1 labeled\n');
  assert.equal(c.ok(['get', 'ep', 'web']), `NAME   ENDPOINTS       AGE\nweb    ${ip}:80   10s\n`);
  assert.equal(c.ok(['label', 'pod', 'p1', 'app=web', '--overwrite']), 'pod/p1 not labeled\n');
  assert.equal(c.ok(['annotate', 'svc', 'web', 'owner=team-a']), 'service/web annotated\n');
  assert.equal(json(['get', 'svc', 'web']).metadata.annotations.owner, 'team-a');
  assert.equal(c.run(['label', 'pod', 'nope', 'a=b']).stderr, 'Error from server (NotFound): pods "nope" not found\n');
});

test('set image rolls a deployment to a new ReplicaSet', () => {
  c.at('2025-03-01T12:01:00Z');
  c.ok(['create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=2']);
  c.at('2025-03-01T12:01:10Z');
  assert.equal(c.ok(['set', 'image', 'deployment/api', 'nginx=nginx:1.28']), 'deployment.apps/api image updated\n');
  // the new pods pull nginx:1.28 one at a time (maxUnavailable 0), each old pod going when a new one
  // is ready: a command every 5 s sees each step
  for (const t of ['15', '20', '25', '30']) c.at(`2025-03-01T12:01:${t}Z`).ok(['get', 'pods']);
  const sets = json(['get', 'rs', '-l', 'app=api']).items;
  assert.equal(sets.length, 2);
  for (const p of json(['get', 'pods', '-l', 'app=api']).items) assert.equal(p.spec.containers[0].image, 'nginx:1.28');
  const r = c.run(['set', 'image', 'deployment/api', 'nope=x']);
  assert.deepEqual([r.code, r.stderr], [1, 'error: unable to find container named "nope"\n']);
});

test('--dry-run=client on scale, label, annotate and set image prints the result and changes nothing', () => {
  c.ok(['create', 'deployment', 'dry', '--image=nginx:1.27']);
  const before = c.ok(['get', 'deploy', 'dry', '-o', 'json']);
  assert.equal(c.ok(['scale', 'deploy', 'dry', '--replicas=4', '--dry-run=client']), 'deployment.apps/dry scaled (dry run)\n');
  assert.equal(c.ok(['label', 'deploy', 'dry', 'tier=web', '--dry-run=client']), 'deployment.apps/dry labeled (dry run)\n');
  assert.equal(c.ok(['annotate', 'deploy', 'dry', 'note=x', '--dry-run=client', '-o', 'name']), 'deployment.apps/dry\n');
  assert.match(c.ok(['set', 'image', 'deploy/dry', 'nginx=nginx:1.28', '--dry-run=client', '-o', 'yaml']), /\n      - image: nginx:1\.28\n/);
  assert.equal(c.ok(['get', 'deploy', 'dry', '-o', 'json']), before);
});
