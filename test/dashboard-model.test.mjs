// Issue 19 (dash-model): the data under the dashboard. The cluster map (`kubesim graph -o json`, the
// JSON the page fetches) says what `kubesim get` and `kubesim events` print for the same state; the
// request walk's hops are, line for line, what `kubesim curl --trace` prints.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'dash-model', init: [] });
after(() => c.cleanup());
c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '--port=80']);
c.ok(['expose', 'deployment', 'web', '--type=NodePort', '--port=80']);
// a pod the Service selects that never becomes ready (nothing listens on its probe's port)
c.ok(['apply', '-f', '-'], {
  input: `apiVersion: v1
kind: Pod
metadata: {name: canary, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx
    readinessProbe: {httpGet: {path: /, port: 9999}, periodSeconds: 5}
`,
});
c.ok(['run', 'broken', '--image=registry.example/nope:1', '-l', 'app=other']);
c.at('2025-03-01T12:01:00Z');
c.ok(['cordon', 'node02']);
c.at('2025-03-01T12:02:00Z');

const mapOf = (...args) => JSON.parse(c.ok(['graph', '-o', 'json', ...args]));
/** A `get -o wide` table as rows of cells (kubectl's columns are separated by 3+ spaces, cells hold at most single spaces). */
const table = (args) =>
  c
    .ok(['get', ...args, '-o', 'wide'])
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/ {2,}/));

test('pods: the same pods, STATUS, READY, RESTARTS, IP and NODE as kubectl get pods -A -o wide', () => {
  const m = mapOf('-A');
  const rows = table(['pods', '-A']);
  assert.equal(m.pods.length, rows.length);
  assert.deepEqual(
    m.pods.map((p) => [p.namespace, p.name, p.ready, p.status, p.restarts, p.ip ?? '<none>', p.node ?? '<none>']),
    rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[6], r[7]]),
  );
  const byName = Object.fromEntries(m.pods.map((p) => [p.name, p]));
  assert.equal(byName.broken.status, 'ImagePullBackOff');
  assert.equal(byName.canary.ready, '0/1');
  const web = m.pods.filter((p) => p.name.startsWith('web-'));
  assert.equal(web.length, 3);
  for (const p of web) assert.deepEqual(p.owners.map((o) => o.kind), ['ReplicaSet', 'Deployment']);
  assert.deepEqual(byName.broken.owners, []);
});

test('nodes: STATUS (cordoned: SchedulingDisabled), ROLES and INTERNAL-IP as kubectl get nodes -o wide', () => {
  const m = mapOf();
  const rows = table(['nodes']);
  assert.deepEqual(
    m.nodes.map((n) => [n.name, n.status, n.roles, n.internalIP]),
    rows.map((r) => [r[0], r[1], r[2], r[5]]),
  );
  const n2 = m.nodes.find((n) => n.name === 'node02');
  assert.equal(n2.status, 'Ready,SchedulingDisabled');
  assert.equal(n2.unschedulable, true);
  assert.equal(n2.ready, true);
});

test('services: TYPE, CLUSTER-IP, PORT(S) and SELECTOR as kubectl get services; ports structured', () => {
  const m = mapOf();
  const rows = table(['services']);
  assert.deepEqual(
    m.services.map((s) => [s.name, s.type, s.clusterIP, s.portsText, Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',') || '<none>']),
    rows.map((r) => [r[0], r[1], r[2], r[4], r[6]]),
  );
  const web = m.services.find((s) => s.name === 'web');
  assert.equal(web.ports.length, 1);
  assert.equal(web.ports[0].port, 80);
  assert.equal(web.ports[0].targetPort, 80);
  assert.equal(web.ports[0].protocol, 'TCP');
  assert.match(String(web.ports[0].nodePort), /^3\d{4}$/);
});

test('endpoints: one edge per pod endpoint of the EndpointSlices, the not-ready pod not ready', () => {
  const m = mapOf();
  const edges = m.edges.filter((e) => e.service.name === 'web');
  assert.deepEqual(edges.map((e) => [e.pod.name.startsWith('web-') ? 'web' : e.pod.name, e.ready]).sort(), [['canary', false], ['web', true], ['web', true], ['web', true]]);
  // the edges' addresses are the ENDPOINTS the Endpoints object lists (ready ones only there)
  const eps = c.ok(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[0].addresses[*].ip}']).split(' ').sort();
  assert.deepEqual(edges.filter((e) => e.ready).map((e) => e.ip).sort(), eps);
  assert.ok(!m.edges.some((e) => e.pod.name === 'broken'));
});

test('ownership: Deployment → ReplicaSet → each pod', () => {
  const m = mapOf();
  const rs = m.workloads.find((w) => w.kind === 'ReplicaSet');
  assert.deepEqual(rs.owner, { kind: 'Deployment', namespace: 'default', name: 'web' });
  assert.deepEqual(
    m.owners.map((o) => `${o.owner.kind}/${o.owner.name} → ${o.owned.kind}/${o.owned.name.startsWith('web-') && o.owned.kind === 'Pod' ? 'web-pod' : o.owned.name}`),
    ['Deployment/web → ReplicaSet/' + rs.name, `ReplicaSet/${rs.name} → Pod/web-pod`, `ReplicaSet/${rs.name} → Pod/web-pod`, `ReplicaSet/${rs.name} → Pod/web-pod`],
  );
});

test('filters: namespace and label selector narrow pods, services, workloads, edges and events', () => {
  const all = mapOf('-A');
  const ks = mapOf('-n', 'kube-system');
  assert.ok(ks.pods.length > 0 && ks.pods.every((p) => p.namespace === 'kube-system'));
  assert.equal(ks.pods.length, all.pods.filter((p) => p.namespace === 'kube-system').length);
  assert.deepEqual(ks.nodes, all.nodes);
  assert.deepEqual(ks.namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const web = mapOf('-l', 'app=web');
  assert.deepEqual(web.pods.map((p) => p.name).filter((n) => !n.startsWith('web-')), ['canary']);
  assert.deepEqual(web.services.map((s) => s.name), ['web']);
  assert.ok(web.events.every((e) => e.object !== 'Pod/broken'));
  assert.equal(c.run(['graph', '-l', 'a in (']).stderr.startsWith('error: unable to parse requirement'), true);
  const bad = c.run(['graph', '-o', 'yaml']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'error: unable to match a printer suitable for the output format "yaml", allowed formats are: mermaid, dot, json\n');
});

test('events: the timeline in the order kubectl events prints them, with its OBJECT and MESSAGE', () => {
  const m = mapOf();
  const lines = c.ok(['events']).trimEnd().split('\n').slice(1);
  assert.equal(m.events.length, lines.length);
  const rows = lines.map((l) => l.split(/ {2,}/));
  // LAST SEEN may hold "5s (x3 over 60s)": the last three cells are TYPE REASON OBJECT, then MESSAGE
  assert.deepEqual(
    m.events.map((e) => [e.type, e.reason, e.object, e.message]),
    rows.map((r) => r.slice(-4)),
  );
  for (let i = 1; i < m.events.length; i++) assert.ok(m.events[i - 1].time <= m.events[i].time);
  assert.ok(m.events.some((e) => e.reason === 'Unhealthy' && e.object === 'Pod/canary' && e.type === 'Warning'));
});
