// `kubesim get podmetrics | nodemetrics` in process (no serve): the metrics API metrics-server adds
// (metrics.k8s.io/v1beta1), read from the same source `kubesim serve` answers it from
// (src/controllers/metricsserver.ts); serve-auth.test.mjs compares it with kubectl through serve.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'metrics-get', init: [] });
after(() => c.cleanup());
c.ok(['run', 'cache', '--image=redis', '--labels=tier=db']);
// three minutes on: every pod has run past metrics-server's first scrapes
c.at('2025-03-01T12:03:00Z');

const res = (stdout, stderr = '', code = 0) => ({ stdout, stderr, code });
const METHOD = 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n';

test('get nodemetrics | nodes.metrics.k8s.io: metrics-server\'s table, the usage kubesim top shows', () => {
  const top = c.ok(['top', 'nodes', '--no-headers']).trim().split('\n').map((l) => l.split(/\s+/));
  const want = top.map(([name, cpu]) => new RegExp(`^${name} +${cpu} +\\d+Mi +15s$`));
  for (const type of ['nodemetrics', 'nodes.metrics.k8s.io', 'nodemetrics.v1beta1.metrics.k8s.io']) {
    const r = c.run(['get', type]);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    assert.match(header, /^NAME +CPU +MEMORY +WINDOW$/);
    assert.equal(rows.length, 3);
    rows.forEach((row, i) => assert.match(row, want[i], type));
  }
});

test('get podmetrics: by name, -l, -A, -o name|yaml, NotFound, and no watch', () => {
  const before = stateSnapshot(c.dir);
  const [, cpu, mem] = c.ok(['top', 'pod', 'cache', '--no-headers']).trim().split(/\s+/);
  const one = c.run(['get', 'podmetrics', 'cache']);
  assert.deepEqual([one.stderr, one.code], ['', 0]);
  assert.match(one.stdout, new RegExp(`^NAME +CPU +MEMORY +WINDOW\ncache +${cpu} +${mem} +15s\n$`));
  assert.deepEqual(c.run(['get', 'podmetrics', '-l', 'tier=db', '-o', 'name']), res('podmetrics.metrics.k8s.io/cache\n'));
  assert.deepEqual(c.run(['get', 'podmetrics', '-l', 'tier=none']), res('', 'No resources found in default namespace.\n'));
  assert.deepEqual(c.run(['get', 'podmetrics', 'nope']), res('', 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n', 1));
  assert.deepEqual(c.run(['get', 'podmetrics', 'nope', '--ignore-not-found']), res(''));
  assert.deepEqual(c.run(['get', 'nodemetrics', 'nope']), res('', 'Error from server (NotFound): nodemetrics.metrics.k8s.io "nope" not found\n', 1));
  const yaml = c.ok(['get', 'podmetrics', 'cache', '-o', 'yaml']);
  assert.match(yaml, /^apiVersion: metrics\.k8s\.io\/v1beta1\ncontainers:\n- name: cache\n  usage:\n    cpu: \d+m\n    memory: \d+Ki\nkind: PodMetrics\nmetadata:\n  creationTimestamp: "2025-03-01T12:03:00Z"\n  labels:\n    tier: db\n  name: cache\n  namespace: default\ntimestamp: "2025-03-01T12:03:00Z"\nwindow: 15s\n$/);
  const all = c.ok(['get', 'podmetrics', '-A', '--no-headers']).trim().split('\n');
  assert.ok(all.some((l) => /^kube-system +kube-apiserver-controlplane +40m /.test(l)), all.join('\n'));
  const w = c.run(['get', 'nodemetrics', 'controlplane', '-w']);
  assert.match(w.stdout, /^NAME +CPU +MEMORY +WINDOW\ncontrolplane /);
  assert.deepEqual([w.stderr, w.code], [METHOD, 1]);
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('get podmetrics as a user without the metrics API: Forbidden, as the authorizer words it', () => {
  assert.deepEqual(c.run(['get', 'podmetrics', '--as=jane']), res('', 'Error from server (Forbidden): pods.metrics.k8s.io is forbidden: User "jane" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"\n', 1));
});
