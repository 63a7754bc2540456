// minReadySeconds on the simulated clock (podutil.IsPodAvailable): a ready pod counts as available
// only once it has been ready that long, so a Deployment's AVAILABLE column lags READY and a rolling
// update waits for each new pod's minReadySeconds before it retires an old one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'minready', init: [] });
after(() => c.cleanup());
const T = (s) => `2025-03-01T12:0${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}Z`;
const deploy = (image) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  minReadySeconds: 20
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
`;
const row = (t) => c.at(T(t)).ok(['get', 'deploy', 'web', '--no-headers']).trim().split(/\s+/).slice(1, 4).join(' ');

test('AVAILABLE follows READY by minReadySeconds; the ReplicaSet carries it', () => {
  c.at(T(0)).ok(['apply', '-f', '-'], { input: deploy('nginx') });
  assert.equal(row(10), '2/2 2 0');
  assert.equal(row(21), '2/2 2 0');
  assert.equal(row(25), '2/2 2 2');
  const rs = JSON.parse(c.ok(['get', 'rs', '-l', 'app=web', '-o', 'json'])).items[0];
  assert.equal(rs.spec.minReadySeconds, 20);
  assert.equal(rs.status.availableReplicas, 2);
});

test('a rolling update keeps the old pods until the new ones have been ready for minReadySeconds', () => {
  c.at(T(60)).ok(['apply', '-f', '-'], { input: deploy('nginx:1.27') });
  // the first new pod is ready within seconds but not available for 20 s: no old pod goes before
  const old = () => JSON.parse(c.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items.filter((p) => p.spec.containers[0].image === 'nginx' && !p.metadata.deletionTimestamp).length;
  c.at(T(75));
  assert.equal(old(), 2);
  c.at(T(90));
  assert.equal(old(), 1);
  c.at(T(130));
  assert.equal(old(), 0);
  assert.equal(c.ok(['rollout', 'status', 'deploy', 'web']), 'deployment "web" successfully rolled out\n');
});
