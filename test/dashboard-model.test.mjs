// Issue 19 (dash-model): the data under the dashboard. The cluster map (`kubesim graph -o json`, the
// JSON the page fetches) says what `kubesim get` and `kubesim events` print for the same state; the
// request walk's hops are, line for line, what `kubesim curl --trace` prints.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cpSync, rmSync } from 'node:fs';
import { cluster, tempState } from './helpers.mjs';

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

// ---------------------------------------------------------------- follow a request

const require = createRequire(import.meta.url);
/** The library in this process, on the tests' clock: follow runs under the state lock as curl does. */
function lib() {
  process.env.KUBESIM_NOW = c.now;
  return require('../dist/lib.cjs');
}
/** A copy of the cluster's state: two copies take the same random choices from the same seed. */
function twin() {
  const dir = tempState();
  cpSync(c.dir, dir, { recursive: true });
  const t = cluster({ seed: 'dash-model' });
  rmSync(t.dir, { recursive: true, force: true });
  t.dir = dir;
  t.now = c.now;
  // helpers.cluster runs in t.dir through KUBESIM_STATE: point it at the copy
  const run = t.run;
  t.run = (args, opts = {}) => run(args, { ...opts, env: { ...(opts.env ?? {}), KUBESIM_STATE: dir } });
  return t;
}
function followIn(dir, source, target, times = 1) {
  const l = lib();
  return l.lockedState(new l.Store(dir), (state) => l.follow(state, source, target, times), false, false);
}
const traced = (stderr) => stderr.split('\n').filter((l) => l.startsWith('kubesim trace: ')).map((l) => l.slice('kubesim trace: '.length));

test("follow: a NodePort request's hops are, line for line and in order, what curl --trace prints", () => {
  const a = twin();
  const b = twin();
  try {
    const nodePort = Number(c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    const ip = c.ok(['ip', 'node01']).trim();
    for (let i = 0; i < 3; i++) {
      const printed = traced(a.run(['curl', '-sS', '-i', '--trace', `http://${ip}:${nodePort}/`]).stderr);
      const f = followIn(b.dir, { kind: 'outside' }, { kind: 'nodeport', node: 'node01', service: { namespace: 'default', name: 'web' } });
      assert.equal(f.url, `http://${ip}:${nodePort}/`);
      const run = f.runs[0];
      assert.deepEqual(run.hops.map((h) => h.text), printed);
      assert.equal(lib().renderTrace(run.hops), printed.map((l) => `kubesim trace: ${l}\n`).join(''));
      // the structure under the text
      assert.deepEqual(run.hops[0].kind, 'enter');
      assert.equal(run.hops[0].node, 'node01');
      const rules = run.hops.filter((h) => h.kind === 'rule');
      assert.ok(rules.length >= 5);
      for (const r of rules) {
        assert.equal(r.text, `  node01 iptables: ${r.rule}`);
        assert.match(r.rule, new RegExp(`^-A ${r.chain} `));
      }
      assert.ok(rules.some((r) => r.chain === 'KUBE-NODEPORTS' && r.rule.includes(`--dport ${nodePort}`)));
      const dnat = run.hops.find((h) => h.kind === 'dnat');
      assert.equal(dnat.from, `${ip}:${nodePort}`);
      const last = run.hops.at(-1);
      assert.equal(last.kind, 'deliver');
      assert.match(last.pod.name, /^web-/);
      assert.deepEqual(run.pod, last.pod);
      assert.equal(last.to, dnat.to);
      assert.equal(run.exitCode, 0);
      assert.equal(run.reply.status, 200);
      assert.match(run.reply.body, /Welcome to nginx!/);
    }
    // the follow was a real request: both copies have taken the same choices, and go on alike
    const printed = traced(a.run(['curl', '--trace', '-s', `http://${ip}:${nodePort}/`]).stderr);
    assert.deepEqual(traced(b.run(['curl', '--trace', '-s', `http://${ip}:${nodePort}/`]).stderr), printed);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('follow: repeated, the hits per pod show the load balancing; ClientIP affinity pins one pod', () => {
  const a = twin();
  try {
    const f = followIn(a.dir, { kind: 'node', node: 'node02' }, { kind: 'service', namespace: 'default', name: 'web' }, 60);
    assert.equal(f.runs.length, 60);
    assert.match(f.source, /^node node02 \(/);
    assert.equal(f.hits.length, 3, JSON.stringify(f.hits));
    assert.ok(f.hits.every((h) => h.pod.name.startsWith('web-') && h.count > 5));
    assert.equal(f.hits.reduce((n, h) => n + h.count, 0), 60);
    assert.deepEqual(f.hits.map((h) => h.pod.name), [...f.hits.map((h) => h.pod.name)].sort());
    a.ok(['patch', 'svc', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']);
    const pinned = followIn(a.dir, { kind: 'outside' }, { kind: 'nodeport', node: 'node01', service: { namespace: 'default', name: 'web', port: 80 } }, 20);
    assert.equal(pinned.hits.length, 1, JSON.stringify(pinned.hits));
    assert.equal(pinned.hits[0].count, 20);
    assert.ok(pinned.runs[1].hops.some((h) => h.kind === 'rule' && h.rule.includes('--rcheck')));
  } finally {
    a.cleanup();
  }
});

test('follow: drops, refusals and DNS, from outside, a node and a pod', () => {
  const a = twin();
  try {
    a.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80:80']);
    // a ClusterIP from outside: no route (a drop, curl times out)
    const out = followIn(a.dir, { kind: 'outside' }, { kind: 'service', namespace: 'default', name: 'web' });
    assert.equal(out.runs[0].hops.at(-1).kind, 'drop');
    assert.equal(out.runs[0].exitCode, 28);
    assert.match(out.runs[0].error, /^curl: \(28\) /);
    assert.deepEqual(out.hits, []);
    // no endpoints: kube-proxy's REJECT
    const empty = followIn(a.dir, { kind: 'node', node: 'node01' }, { kind: 'service', namespace: 'default', name: 'empty' });
    const last = empty.runs[0].hops.at(-1);
    assert.equal(last.kind, 'refuse');
    assert.equal(last.node, 'node01');
    assert.equal(empty.runs[0].exitCode, 7);
    // a DNS name from a pod: CoreDNS answers first, then the walk
    const web = JSON.parse(a.ok(['graph', '-o', 'json'])).pods.find((p) => p.name.startsWith('web-'));
    const dns = followIn(a.dir, { kind: 'pod', namespace: 'default', name: web.name }, { kind: 'dns', name: 'web', port: 80 });
    const hops = dns.runs[0].hops;
    assert.equal(hops[0].kind, 'dns');
    assert.match(hops[0].text, /web\.default\.svc\.cluster\.local → /);
    assert.equal(hops[1].kind, 'enter');
    assert.deepEqual(hops[1].pod, { namespace: 'default', name: web.name });
    assert.equal(dns.runs[0].exitCode, 0);
    // the same request through exec prints the same hops (the walk from the pod's own shell)
    const b = twin();
    try {
      b.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80:80']);
      followIn(b.dir, { kind: 'outside' }, { kind: 'service', namespace: 'default', name: 'web' });
      followIn(b.dir, { kind: 'node', node: 'node01' }, { kind: 'service', namespace: 'default', name: 'empty' });
      const printed = traced(b.run(['exec', web.name, '--', 'curl', '-s', '--trace', 'http://web:80/']).stderr);
      assert.deepEqual(printed, hops.map((h) => h.text));
    } finally {
      b.cleanup();
    }
    // errors in kubectl's words
    assert.throws(() => followIn(a.dir, { kind: 'pod', namespace: 'default', name: 'nope' }, { kind: 'ip', ip: '10.0.0.1', port: 80 }), /pods "nope" not found/);
    assert.throws(() => followIn(a.dir, { kind: 'pod', namespace: 'default', name: 'broken' }, { kind: 'ip', ip: '10.0.0.1', port: 80 }), /pod default\/broken is not running/);
    assert.throws(() => followIn(a.dir, { kind: 'outside' }, { kind: 'service', namespace: 'default', name: 'web', port: 81 }), /service default\/web has no port 81/);
  } finally {
    a.cleanup();
  }
});

test('RBAC: the map reads as get does; pods must be listable, what else is forbidden is left out', () => {
  const denied = c.run(['graph', '--as', 'jane']);
  assert.equal(denied.code, 1);
  assert.equal(denied.stderr, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n');
  c.ok(['create', 'role', 'map-reader', '--verb=list', '--resource=pods,services,endpointslices.discovery.k8s.io']);
  c.ok(['create', 'rolebinding', 'map-reader', '--role=map-reader', '--user=jane']);
  const m = JSON.parse(c.ok(['graph', '-o', 'json', '--as', 'jane']));
  assert.deepEqual([m.nodes, m.events, m.workloads, m.namespaces], [[], [], [], []]);
  assert.equal(m.pods.length, JSON.parse(c.ok(['graph', '-o', 'json'])).pods.length);
  assert.equal(m.edges.filter((e) => e.service.name === 'web').length, 4);
  // without the nodes, pods are still drawn where they run
  assert.match(c.ok(['graph', '--as', 'jane']), /^  subgraph node_node01\["node01"\]$/m);
});
