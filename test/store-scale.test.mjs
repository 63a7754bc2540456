// Issue 11, scale: a command reads and writes what its change touches. The pieces that make that
// possible must agree with the objects they stand for: the table summaries (get reads them instead
// of the objects), the indexes (allocators, scheduler, kubelet), and the scoped controllers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cluster, storedItems } from './helpers.mjs';

const require = createRequire(import.meta.url);
// 15 s after the start (below): the images have pulled
const LATER = '2025-03-01T12:00:15Z';
process.env.KUBESIM_NOW = LATER; // lib's clock, for the AGE column
const lib = require('../dist/lib.cjs');

const manifest = (c) => JSON.parse(readFileSync(join(c.dir, 'cluster.json'), 'utf8'));
const all = (c, kind) => JSON.parse(c.ok(['get', kind, '-A', '-o', 'json'])).items;

// one cluster in many states: running, failing pulls, a completed pod, pods of a stopped node,
// services of every type with a load-balancer pool
const c = cluster({ seed: 'scale', init: ['--seed', 'scale', '--lb-pool', '192.168.49.200-192.168.49.210'] });
after(() => c.cleanup());
c.ok(['create', 'namespace', 'a']);
c.ok(['create', 'namespace', 'b']);
c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '-n', 'a']);
c.ok(['expose', 'deployment', 'web', '--port=80', '--type=LoadBalancer', '-n', 'a']);
c.ok(['create', 'service', 'externalname', 'ext', '--external-name=db.example.com', '-n', 'a']);
c.ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '-n', 'b']);
c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata: {name: headless, namespace: b}\nspec:\n  clusterIP: None\n  selector: {app: web}\n  ports: [{port: 80}]\n' });
// typo waits on its pull on node02, which stops below: its retries stop with it
c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: typo, namespace: b, labels: {run: typo}}\nspec:\n  nodeName: node02\n  containers: [{name: typo, image: ngnix}]\n' });
c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: gated, namespace: b, labels: {run: gated}}\nspec:\n  readinessGates: [{conditionType: example.com/ready}]\n  containers: [{name: c, image: nginx}]\n' });
c.ok(['run', 'once', '--image=busybox', '--restart=Never', '-n', 'b', '--', 'echo', 'hi']);
// 15 s on the images have pulled: web runs, gated runs unready, once has echoed and completed
c.at(LATER);
c.ok(['node', 'stop', 'node02']);

test('get tables from the summaries are the tables of the objects, for every pod and service', () => {
  for (const kind of ['Pod', 'Service']) {
    const objs = all(c, kind === 'Pod' ? 'pods' : 'services');
    assert.ok(objs.length > 5, `${kind}: a varied set of objects`);
    for (const o of objs) {
      for (const opt of [{ wide: true, showLabels: true, withNamespace: true }, { labelColumns: ['app', 'run'] }]) {
        assert.deepEqual(lib.tableRows(kind, [lib.summarize(o)], opt), lib.tableRows(kind, [o], opt), `${kind} ${o.metadata.namespace}/${o.metadata.name}`);
      }
    }
  }
  // and the CLI, which reads the summaries, prints what the objects give
  const pods = all(c, 'pods');
  assert.equal(c.ok(['get', 'pods', '-A', '-o', 'wide', '--show-labels']), lib.printTable('Pod', pods, { wide: true, showLabels: true, withNamespace: true }));
  assert.equal(c.ok(['get', 'pods', '-n', 'b', '--field-selector', 'status.phase=Pending', '-o', 'name']), 'pod/typo\n');
});

test('the stored indexes equal indexes built from every object', () => {
  const m = manifest(c);
  for (const def of lib.INDEXES) {
    const ref = m.shards[`#index/${def.name}`];
    assert.ok(ref, `index ${def.name} is stored`);
    const parts = ref.parts ?? [ref];
    const stored = new lib.Index(parts.length, (i) => JSON.parse(readFileSync(join(c.dir, 'objects', parts[i].file), 'utf8')));
    const built = lib.Index.build(def, all(c, def.kind === 'Pod' ? 'pods' : 'services'));
    const norm = (ix) => [...ix.entries()].map((e) => e.join(' ')).sort();
    assert.deepEqual(norm(stored), norm(built), def.name);
  }
});

test('a change in one namespace rewrites no shard of another', () => {
  const before = manifest(c).shards;
  const pod = all(c, 'pods').find((p) => p.metadata.namespace === 'a' && p.metadata.name.startsWith('web-'));
  c.ok(['label', 'pod', pod.metadata.name, 'tier=front', '-n', 'a']);
  const after = manifest(c).shards;
  const rewritten = Object.keys(after).filter((k) => after[k].file !== before[k]?.file).sort();
  assert.ok(rewritten.includes('Pod/a'), rewritten.join(' '));
  for (const k of rewritten) assert.ok(!/\/(b|default|kube-system)$/.test(k), `${k} was rewritten by a change in namespace a: ${rewritten.join(' ')}`);
});

test('a pod waiting on a pull moves on with any command, whatever namespace it changes', () => {
  // (typo's node is stopped: a new one lands on a ready node)
  c.at('2025-03-01T12:01:00Z');
  c.ok(['run', 'typo2', '--image=ngnix', '-n', 'b']);
  // the stored pod, as the last command left it (a read would catch it up itself)
  const stored = () => storedItems(c.dir, 'pods').find((p) => p.metadata.name === 'typo2').status.containerStatuses[0].state.waiting.reason;
  assert.equal(stored(), 'ErrImagePull');
  // ImagePullBackOff a second after the failed pull, the retry 10 s after it: each seen by a command in another namespace
  const steps = [
    ['2025-03-01T12:01:01Z', 'a', 'ImagePullBackOff'],
    ['2025-03-01T12:01:10Z', 'a', 'ErrImagePull'],
    ['2025-03-01T12:01:11Z', 'default', 'ImagePullBackOff'],
    ['2025-03-01T12:01:30Z', 'default', 'ErrImagePull'],
  ];
  for (const [t, ns, want] of steps) {
    c.at(t).ok(['label', 'namespace', ns, `touched=${t.slice(14, 16)}`, '--overwrite']);
    assert.equal(stored(), want, `${t} label namespace ${ns}`);
  }
  c.at('2025-03-01T12:01:31Z').ok(['create', 'service', 'clusterip', 's-a', '--tcp=80', '-n', 'a']);
  assert.equal(stored(), 'ImagePullBackOff', 'create service -n a');
});

test('node start brings every namespace back (a node change looks everywhere)', () => {
  c.ok(['node', 'start', 'node02']);
  // back, node02's kubelet stops the pods deleted meanwhile; nginx takes about a second
  c.at('2025-03-01T12:01:40Z');
  const pods = all(c, 'pods').filter((p) => p.spec.nodeName === 'node02');
  assert.ok(pods.every((p) => !p.metadata.deletionTimestamp), 'no pod of node02 is left Terminating');
  const rows = c.ok(['get', 'pods', '-A']).split('\n').filter((l) => /Terminating|Unknown/.test(l));
  assert.deepEqual(rows, []);
});

test('a big namespace is kept in parts: a one-object change rewrites one part, lists stay in name order', () => {
  const b = cluster({ seed: 'parts' });
  try {
    const docs = Array.from({ length: 1100 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${String(i).padStart(4, '0')}\n  namespace: big\nspec:\n  ports:\n  - port: 80\n`);
    b.ok(['create', 'namespace', 'big']);
    assert.equal(b.ok(['create', '-f', '-'], { input: docs.join('---\n') }).split('\n').length, 1101);
    const shard = () => manifest(b).shards['Service/big'];
    assert.equal(shard().parts?.length, 2, 'two parts for 1,100 services');
    assert.equal(shard().count, 1100);
    const names = b.ok(['get', 'svc', '-n', 'big', '-o', 'name']).trim().split('\n');
    assert.deepEqual(names, [...names].sort(), 'name order across parts');
    assert.equal(names.length, 1100);
    const before = shard().parts.map((p) => p.file);
    b.ok(['label', 'svc', 's0042', 'x=y', '-n', 'big']);
    const after = shard().parts.map((p) => p.file);
    assert.equal(after.filter((f, i) => f !== before[i]).length, 1, 'one part rewritten');
    assert.match(b.ok(['get', 'svc', 's0042', '-n', 'big', '--show-labels']), /x=y/);
    // the service-addresses index (1,100+ cluster IPs) is in parts too: a new service rewrites one
    const index = () => manifest(b).shards['#index/service-addresses'].parts.map((p) => p.file);
    const ixBefore = index();
    assert.equal(ixBefore.length, 2, 'two index parts');
    b.ok(['create', 'service', 'clusterip', 'one-more', '--tcp=80', '-n', 'big']);
    assert.equal(index().filter((f, i) => f !== ixBefore[i]).length, 1, 'one index part rewritten');
    const ips = JSON.parse(b.ok(['get', 'svc', '-A', '-o', 'jsonpath={.items[*].spec.clusterIP}']).split(' ').length);
    assert.equal(ips, 1100 + 3, 'every service got an address');
    assert.equal(b.ok(['get', 'svc', '-n', 'big', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').length, 1101, 'every object read from the parts');
    // endpoints follow each part's services (one per service with a selector: none here) and the
    // shard shrinks back to one file when most of it is gone
    b.ok(['delete', 'svc', '--all', '-n', 'big']);
    assert.equal(shard(), undefined, 'no shard for an empty namespace');
    b.ok(['create', '-f', '-'], { input: docs.slice(0, 3).join('---\n') });
    assert.ok(shard().file && !shard().parts, 'a small shard is one file');
  } finally {
    b.cleanup();
  }
});
