// Issue 13: the API a kind is one module of. Every registered kind has what the verbs need; the
// generic describer (kinds without their own) prints what kubectl 1.32 printed for the same objects;
// node Leases are real objects the kubelet renews on the simulated clock; `all` and api-resources
// follow discovery; server-side dry runs change nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cluster, ROOT, stateSnapshot } from './helpers.mjs';

const lib = createRequire(import.meta.url)('../dist/lib.cjs');

test('every kind registers names, a strategy with validation and columns, and a decode schema', () => {
  assert.ok(lib.RESOURCES.length >= 10);
  for (const res of lib.RESOURCES) {
    const cols = lib.columnsFor(res.kind, true);
    assert.ok(cols.length >= 2, `${res.kind} has columns`);
    assert.ok(cols.every((c) => typeof c.header === 'string' && typeof c.cell === 'function'), res.kind);
    assert.equal(lib.lookupResource(res.plural), res);
    assert.equal(lib.lookupResource(res.kind), res);
    assert.ok(lib.schemaOf(res.kind), `${res.kind} has a decode schema (scripts/gen-schemas.mjs ROOTS)`);
  }
});

const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'describe', 'generic.json'), 'utf8'));
for (const c of golden.cases) {
  test(`generic describer: ${c.name} as kubectl 1.32 describes it`, () => {
    assert.equal(lib.describeGeneric(c.object, []), c.kubectl);
  });
}

test('smartLabelFor and camelcase.Split as kubectl uses them', () => {
  const cases = [
    ['apiVersion', 'API Version'],
    ['uid', 'UID'],
    ['involvedObject', 'Involved Object'],
    ['leaseDurationSeconds', 'Lease Duration Seconds'],
    ['someURLPath', 'Some URL Path'],
    ['podCIDRs', 'Pod CID Rs'],
    ['app.kubernetes.io/name', 'app.kubernetes.io/name'],
    ['a_b', 'a_b'],
  ];
  for (const [field, want] of cases) assert.equal(lib.smartLabelFor(field), want, field);
});

test('node Leases: kubelet-shaped, listed and described as kubectl does, renewed every 10 s while the node runs', (t) => {
  const c = cluster({ seed: 'leases' });
  after(c.cleanup);
  c.ok(['get', 'nodes']);
  assert.equal(
    c.ok(['get', 'leases', '-n', 'kube-node-lease']),
    'NAME           HOLDER         AGE\ncontrolplane   controlplane   0s\nnode01         node01         0s\nnode02         node02         0s\n',
  );
  assert.equal(c.ok(['get', 'leases', '-n', 'kube-node-lease', '-o', 'wide']), c.ok(['get', 'leases', '-n', 'kube-node-lease']));
  const lease = JSON.parse(c.ok(['get', 'lease', 'node01', '-n', 'kube-node-lease', '-o', 'json']));
  const node = JSON.parse(c.ok(['get', 'node', 'node01', '-o', 'json']));
  assert.deepEqual(lease.spec, { holderIdentity: 'node01', leaseDurationSeconds: 40, renewTime: '2025-03-01T12:00:00.000000Z' });
  assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'node01', uid: node.metadata.uid }]);
  assert.match(c.ok(['describe', 'node', 'node01']), /\nUnschedulable:      false\nLease:\n  HolderIdentity:  node01\n  AcquireTime:     <unset>\n  RenewTime:       Sat, 01 Mar 2025 12:00:00 \+0000\nConditions:\n/);
  assert.match(c.ok(['api-resources']), /\nleases {2,}coordination\.k8s\.io\/v1 +true         Lease\n/);
  // a minute later a command that changes something lets the kubelets renew; a stopped one does not
  c.at('2025-03-01T12:01:00Z').ok(['node', 'stop', 'node02']);
  c.at('2025-03-01T12:02:00Z').ok(['label', 'node', 'node01', 'x=y']);
  const renew = (n) => JSON.parse(c.ok(['get', 'lease', n, '-n', 'kube-node-lease', '-o', 'json'])).spec.renewTime;
  assert.equal(renew('node01'), '2025-03-01T12:02:00.000000Z');
  assert.equal(renew('node02'), '2025-03-01T12:00:00.000000Z', 'a stopped kubelet renews nothing');
  c.at('2025-03-01T12:02:05Z').ok(['node', 'start', 'node02']);
  assert.equal(renew('node02'), '2025-03-01T12:02:05.000000Z');
  assert.equal(renew('node01'), '2025-03-01T12:02:00.000000Z', 'renewed only after 10 s');
  // the garbage collector takes a deleted node's lease
  c.ok(['delete', 'node', 'node02']);
  const gone = c.run(['get', 'lease', 'node02', '-n', 'kube-node-lease']);
  assert.equal(gone.stderr, 'Error from server (NotFound): leases.coordination.k8s.io "node02" not found\n');
  t.diagnostic('leases follow the simulated clock');
});

test('`all` is the kinds of that category in discovery order; api-resources lists them by group', () => {
  const c = cluster({ seed: 'all' });
  after(c.cleanup);
  c.ok(['create', 'deployment', 'web', '--image=nginx']);
  const kinds = c.ok(['get', 'all', '-o', 'name']).split('\n').filter(Boolean).map((l) => l.split('/')[0]);
  assert.deepEqual([...new Set(kinds)], ['pod', 'service', 'deployment.apps', 'replicaset.apps']);
  const groups = c.ok(['api-resources', '--no-headers']).split('\n').filter(Boolean).map((l) => l.split(/\s+/).find((w) => /^([\w.]+\/)?v\d+(beta\d+)?$/.test(w)));
  // kubectl's api-resources sorts discovery's list by group, then name (apiresources.go sortableResource);
  // the review APIs and metrics.k8s.io are served without being stored (src/api/unstored.ts)
  assert.deepEqual([...new Set(groups)], ['v1', 'apps/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v2', 'batch/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'metrics.k8s.io/v1beta1', 'networking.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1']);
  assert.match(c.ok(['api-resources', '-o', 'wide']), /\npods +po +v1 +true +Pod +create,delete,deletecollection,get,list,patch,update,watch +all\n/);
});

test('delete --dry-run (client and server) says what it would delete and changes nothing', () => {
  const c = cluster({ seed: 'dry' });
  after(c.cleanup);
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  const before = stateSnapshot(c.dir);
  assert.equal(c.ok(['delete', 'deployment', 'web', '--dry-run']), 'deployment.apps "web" deleted (dry run)\n');
  assert.equal(c.ok(['delete', 'deployment', 'web', '--dry-run=client']), 'deployment.apps "web" deleted (dry run)\n');
  assert.equal(c.ok(['delete', 'deployment', 'web', '--dry-run=server']), 'deployment.apps "web" deleted (server dry run)\n');
  assert.equal(c.ok(['delete', 'pods', '--all', '--dry-run=server', '-o', 'name']).split('\n').filter(Boolean).length, 2);
  assert.equal(c.ok(['scale', 'deployment', 'web', '--replicas=5', '--dry-run=server']), 'deployment.apps/web scaled (server dry run)\n');
  const bad = c.run(['delete', 'deployment', 'web', '--dry-run=maybe']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n']);
  assert.deepEqual(stateSnapshot(c.dir), before);
  assert.equal(c.ok(['delete', 'deployment', 'web', '--dry-run=none']), 'deployment.apps "web" deleted\n');
});

test('describe event and describe lease use the generic describer on the stored objects', () => {
  const c = cluster({ seed: 'gen' });
  after(c.cleanup);
  c.ok(['run', 'p', '--image=nginx']);
  const name = c.ok(['get', 'events', '--field-selector', 'reason=Scheduled', '-o', 'name']).trim().split('/')[1];
  const text = c.ok(['describe', 'event', name]);
  assert.match(text, new RegExp(`^Name:             ${name.replace('.', '\\.')}\\nNamespace:        default\\nLabels:           <none>\\nAnnotations:      <none>\\nAction:           Binding\\nAPI Version:      v1\\nCount:            1\\n`));
  assert.match(text, /\nInvolved Object:\n  API Version:       v1\n  Kind:              Pod\n  Name:              p\n/);
  assert.match(text, /\nReason:                Scheduled\n/);
  // the scheduler's events/v1 recorder: action, reportingInstance default-scheduler-<its host>
  assert.match(text, /\nReporting Component:   default-scheduler\nReporting Instance:    default-scheduler-controlplane\n/);
  assert.match(text, /\nEvents:       <none>\n$/);
  assert.match(c.ok(['describe', 'lease', 'node01', '-n', 'kube-node-lease']), /\nSpec:\n  Holder Identity:         node01\n  Lease Duration Seconds:  40\n  Renew Time:              2025-03-01T12:00:00\.000000Z\nEvents:                    <none>\n$/);
});

test('PATCH bodies: JSON merge patch (RFC 7386) and JSON patch (RFC 6902)', () => {
  // RFC 7386 appendix A, a selection
  const merge = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [doc, patch, want] of merge) assert.deepEqual(lib.mergePatch(doc, patch), want, JSON.stringify(patch));
  const doc = { spec: { replicas: 1, ports: [{ port: 80 }] }, metadata: { labels: { a: 'b' } } };
  const ops = [
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'add', path: '/spec/ports/-', value: { port: 443 } },
    { op: 'remove', path: '/metadata/labels/a' },
    { op: 'add', path: '/metadata/labels/x~1y', value: 'z' },
    { op: 'test', path: '/spec/replicas', value: 3 },
  ];
  assert.deepEqual(lib.jsonPatch(doc, ops), { spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] }, metadata: { labels: { 'x/y': 'z' } } });
  assert.deepEqual(doc.spec.replicas, 1, 'the stored object is not changed');
  assert.throws(() => lib.jsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }]), /Unable to remove nonexistent key: nope/);
  assert.throws(() => lib.jsonPatch(doc, [{ op: 'test', path: '/spec/replicas', value: 2 }]), /test failed/);
});

test('create -f and apply --dry-run: client sends nothing, server runs every step but storage', () => {
  const c = cluster({ seed: 'dry-files' });
  after(c.cleanup);
  const pod = join(ROOT, 'manifests', 'nginx-pod.yaml');
  c.ok(['get', 'nodes']);
  const before = stateSnapshot(c.dir);
  assert.equal(c.ok(['create', '-f', pod, '--dry-run=client']), 'pod/mypod created (dry run)\n');
  assert.equal(c.ok(['create', '-f', pod, '--dry-run']), 'pod/mypod created (dry run)\n');
  assert.equal(c.ok(['create', '-f', pod, '--dry-run=server']), 'pod/mypod created (server dry run)\n');
  // the server's answer: defaulted and admitted, with the system's fields, not stored
  const answered = JSON.parse(c.ok(['create', '-f', pod, '--dry-run=server', '-o', 'json']));
  assert.equal(answered.spec.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.ok(answered.metadata.uid);
  assert.match(c.ok(['create', '-f', pod, '--dry-run=client', '-o', 'yaml']), /\n  namespace: default\n/);
  // a client dry run does not validate; a server one does
  const bad = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}';
  assert.equal(c.ok(['create', '-f', '-', '--dry-run=client'], { input: bad }), 'pod/Bad_Name created (dry run)\n');
  assert.equal(c.run(['create', '-f', '-', '--dry-run=server'], { input: bad }).code, 1);
  assert.equal(c.ok(['apply', '-f', pod, '--dry-run=server']), 'pod/mypod created (server dry run)\n');
  assert.deepEqual(stateSnapshot(c.dir), before);
  c.ok(['apply', '-f', pod]);
  const applied = stateSnapshot(c.dir);
  assert.equal(c.ok(['apply', '-f', pod, '--dry-run=client']), 'pod/mypod configured (dry run)\n');
  assert.equal(c.ok(['apply', '-f', pod, '--dry-run=server']), 'pod/mypod unchanged (server dry run)\n');
  assert.deepEqual(stateSnapshot(c.dir), applied);
});

test('the apiserver puts default/kubernetes back, with its Endpoints and EndpointSlice, when it is deleted', () => {
  const c = cluster({ seed: 'kubernetes-svc' });
  after(c.cleanup);
  const before = JSON.parse(c.ok(['get', 'svc', 'kubernetes', '-o', 'json']));
  assert.equal(c.at('2025-03-01T12:00:30Z').ok(['delete', 'svc', 'kubernetes']), 'service "kubernetes" deleted\n');
  const after_ = JSON.parse(c.ok(['get', 'svc', 'kubernetes', '-o', 'json']));
  assert.notEqual(after_.metadata.uid, before.metadata.uid, 'a new object');
  assert.equal(after_.metadata.creationTimestamp, '2025-03-01T12:00:30Z');
  assert.deepEqual(after_.spec.clusterIPs, ['10.96.0.1']);
  assert.deepEqual(after_.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  assert.match(c.ok(['get', 'endpoints', 'kubernetes']), /\nkubernetes   192\.168\.49\.2:6443   0s\n$/);
  assert.match(c.ok(['get', 'endpointslice', 'kubernetes']), /\nkubernetes   IPv4          6443    192\.168\.49\.2   /);
  // and kube-proxy routes it again
  assert.match(c.ok(['ssh', 'node01', '--', 'iptables-save', '-t', 'nat']), /-d 10\.96\.0\.1\/32 -p tcp -m comment --comment "default\/kubernetes:https cluster IP"/);
});
