// A cluster made by an older kubesim gets the system objects a new cluster starts with, once, on
// its first command (src/cluster/upgrade.ts): kube-root-ca.crt in every namespace and kube-proxy's
// DaemonSet owning the kube-proxy pods it already has. The user's objects stay as they were.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, ROOT, stateSnapshot } from './helpers.mjs';

const cleanups = [];
after(() => cleanups.forEach((f) => f()));

/** A cluster as kubesim made them before issue 15: no ConfigMaps, no DaemonSets, no record of upgrades. */
function olderCluster() {
  const c = cluster({ seed: 'upgrade', init: [] });
  cleanups.push(() => c.cleanup());
  c.ok(['create', 'namespace', 'dev']);
  c.ok(['create', 'deployment', 'web', '--image=nginx', '-n', 'dev']);
  const file = join(c.dir, 'cluster.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  delete m.upgrades;
  for (const key of Object.keys(m.shards)) if (key.startsWith('ConfigMap/') || key.startsWith('DaemonSet/')) delete m.shards[key];
  writeFileSync(file, JSON.stringify(m));
  return c;
}

test('an older cluster gains kube-root-ca.crt everywhere and the kube-proxy DaemonSet on its first read', () => {
  const c = olderCluster();
  const proxiesBefore = JSON.parse(c.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy', '-o', 'json'])).items;
  assert.deepEqual(c.ok(['get', 'cm', '-A', '--no-headers']).trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' ')), [
    'default kube-root-ca.crt',
    'dev kube-root-ca.crt',
    'kube-node-lease kube-root-ca.crt',
    'kube-public kube-root-ca.crt',
    'kube-system kube-root-ca.crt',
  ]);
  const ds = JSON.parse(c.ok(['get', 'ds', 'kube-proxy', '-n', 'kube-system', '-o', 'json']));
  const proxies = JSON.parse(c.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy', '-o', 'json'])).items;
  // the same pods, now owned by the DaemonSet they always named
  assert.deepEqual(proxies.map((p) => p.metadata.name).sort(), proxiesBefore.map((p) => p.metadata.name).sort());
  for (const p of proxies) assert.equal(p.metadata.ownerReferences[0].uid, ds.metadata.uid);
  assert.match(c.ok(['get', 'ds', '-n', 'kube-system', '--no-headers']), /^kube-proxy\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io\/os=linux\s/);
  // the user's deployment is untouched, and a second command changes nothing
  assert.match(c.ok(["get", "deploy", "web", "-n", "dev", "--no-headers"]), /^web\s+0\/1\s+1\s+0\s/);
  const snap = stateSnapshot(c.dir);
  c.ok(['get', 'cm', '-A']);
  assert.deepEqual(stateSnapshot(c.dir), snap);
});

test('a kube-proxy DaemonSet the user deletes after the upgrade stays deleted', () => {
  const c = olderCluster();
  c.ok(['get', 'ns']);
  c.ok(['delete', 'ds', 'kube-proxy', '-n', 'kube-system', '--cascade=orphan']);
  assert.equal(c.run(['get', 'ds', 'kube-proxy', '-n', 'kube-system']).stderr, 'Error from server (NotFound): daemonsets.apps "kube-proxy" not found\n');
});

test('a format-1 state is migrated and upgraded', () => {
  const c = cluster({ seed: 'upgrade-v1' });
  cleanups.push(() => c.cleanup());
  cpSync(join(ROOT, 'test', 'fixtures', 'state-v1'), c.dir, { recursive: true });
  assert.match(c.ok(['get', 'cm', '-n', 'default']), /kube-root-ca\.crt/);
  assert.match(c.ok(['get', 'ds', '-n', 'kube-system']), /kube-proxy/);
});
