// Issue 18, serve-watch: the event history (src/server/history.ts) that `kubesim serve`'s watches
// stream from. Changes come from CLI commands in other processes (the second door); the hub finds
// them by diffing the part files of successive manifests.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cluster } from './helpers.mjs';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const cm = (name, data = 'a') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    app: w\ndata:\n  k: ${data}\n`;
const summary = (cs) => cs.map((c) => `${c.type} ${c.kind} ${c.namespace}/${c.name} ${c.rv}`);

describe('history (unit)', () => {
  const c = cluster({ seed: 'watch' });
  after(() => c.cleanup());
  c.ok(['get', 'ns']); // makes the cluster
  const hub = new lib.WatchHub(new lib.Store(c.dir), { capacity: 6 });
  const seen = [];
  hub.subscribe({ changes: (b) => seen.push(...b), gap: () => seen.push('gap') });

  test('ADDED, MODIFIED and DELETED from commits of other processes, in version order', () => {
    const start = hub.resourceVersion;
    c.ok(['apply', '-f', '-'], { input: cm('one') });
    hub.poll();
    c.ok(['apply', '-f', '-'], { input: cm('one', 'b') });
    c.ok(['apply', '-f', '-'], { input: cm('two') });
    hub.poll(); // two commits seen at once: both changes, in order
    c.ok(['delete', 'configmap', 'one']);
    hub.poll();
    const cms = seen.filter((e) => e.kind === 'ConfigMap' && e.namespace === 'default');
    const rvs = (name) => JSON.parse(c.ok(['get', 'cm', name, '-o', 'json'])).metadata.resourceVersion;
    assert.deepEqual(summary(cms), [`ADDED ConfigMap default/one ${start + 1}`, `MODIFIED ConfigMap default/one ${start + 2}`, `ADDED ConfigMap default/two ${start + 3}`, `DELETED ConfigMap default/one ${start + 3}`]);
    assert.equal(rvs('two'), String(start + 3));
    // a deleted object shows its last state, at the deletion's version
    assert.equal(cms[3].object.data.k, 'b');
    assert.equal(cms[3].object.metadata.resourceVersion, String(start + 3));
    // versions never go backwards along the stream
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].rv >= seen[i - 1].rv);
  });

  test('resuming from a version: later changes of the kind, and a deletion at exactly that version', () => {
    const cms = seen.filter((e) => e.kind === 'ConfigMap' && e.namespace === 'default');
    const from = cms[1].rv;
    assert.deepEqual(summary(hub.since(from, 'ConfigMap')), summary(cms.slice(2)));
    assert.deepEqual(summary(hub.since(cms[2].rv, 'ConfigMap')), summary(cms.slice(3)));
    assert.deepEqual(hub.since(hub.resourceVersion + 5, 'ConfigMap'), []);
  });

  test('a version older than the ring keeps: TooOld with the cacher message', () => {
    for (let i = 0; i < 4; i++) c.ok(['apply', '-f', '-'], { input: cm(`x${i}`) });
    hub.poll();
    assert.throws(
      () => hub.since(1, 'ConfigMap'),
      (e) => e instanceof lib.TooOld && /^too old resource version: 1 \(\d+\)$/.test(e.message),
    );
  });

  test('nothing changed: no events; current() lists as of the history', () => {
    const n = seen.length;
    c.ok(['get', 'cm']);
    hub.poll();
    assert.equal(seen.length, n);
    assert.deepEqual(
      hub.current('ConfigMap', 'default').map((o) => o.metadata.name),
      ['kube-root-ca.crt', 'two', 'x0', 'x1', 'x2', 'x3'],
    );
  });
});
