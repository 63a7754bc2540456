// Issue 4: Deployments → ReplicaSets → Pods, scaling with endpoints following, rollouts, history,
// undo, cascading and orphaning deletes, replacement of deleted pods, events.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const deploy = (image = 'nginx:1.27', replicas = 3) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`;
const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const endpointIPs = (c) => (json(c, ['get', 'ep', 'web']).subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => a.ip).sort();
const podIPs = (c) => json(c, ['get', 'pods', '-l', 'app=web']).items.map((p) => p.status.podIP).sort();

const c = cluster({ seed: 'workloads' });
after(() => c.cleanup());
// the tests go on one clock: T+s seconds
const at = (s) => c.at(`2025-03-01T12:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`);

test('a Deployment makes a ReplicaSet named by the template hash, which makes the pods', () => {
  assert.equal(c.ok(['apply', '-f', '-'], { input: deploy() }), 'deployment.apps/web created\n');
  c.ok(['apply', '-f', '-'], { input: svc });
  const rs = json(c, ['get', 'rs']).items;
  assert.equal(rs.length, 1);
  const hash = rs[0].metadata.labels['pod-template-hash'];
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.equal(rs[0].metadata.name, `web-${hash}`);
  assert.deepEqual(rs[0].metadata.ownerReferences.map((r) => `${r.kind}/${r.name}`), ['Deployment/web']);
  const pods = json(c, ['get', 'pods']).items;
  assert.equal(pods.length, 3);
  for (const p of pods) assert.match(p.metadata.name, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
  // while nginx:1.27 pulls, no pod is ready
  assert.equal(c.ok(['get', 'deploy']), 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/3     3            0           0s\n');
  at(10);
  assert.equal(c.ok(['get', 'deploy']), 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           10s\n');
  assert.equal(c.ok(['get', 'rs']), `NAME             DESIRED   CURRENT   READY   AGE\n${`web-${hash}`.padEnd(17)}3         3         3       10s\n`);
  assert.equal(c.ok(['rollout', 'status', 'deployment/web']), 'deployment "web" successfully rolled out\n');
  assert.match(c.ok(['describe', 'pod', pods[0].metadata.name]), new RegExp(`\\nControlled By:  ReplicaSet/web-${hash}\\n`));
});

test('scale 3 → 0 → 2: the Service endpoints follow', () => {
  assert.deepEqual(endpointIPs(c), podIPs(c));
  assert.equal(c.ok(['scale', 'deployment', 'web', '--replicas=0']), 'deployment.apps/web scaled\n');
  // the pods terminate gracefully: out of the endpoints at once, gone when nginx has stopped
  assert.equal(c.ok(['get', 'ep', 'web']), 'NAME   ENDPOINTS   AGE\nweb    <none>      10s\n');
  assert.ok(json(c, ['get', 'pods']).items.every((p) => p.metadata.deletionTimestamp));
  at(15);
  assert.equal(json(c, ['get', 'pods']).items.length, 0);
  assert.equal(c.ok(['scale', '--replicas=2', 'deploy/web']), 'deployment.apps/web scaled\n');
  assert.equal(podIPs(c).length, 2);
  assert.deepEqual(endpointIPs(c), podIPs(c));
  const r = c.run(['scale', 'deploy', 'web', '--replicas=5', '--current-replicas=3']);
  assert.deepEqual([r.code, r.stderr], [1, 'error: Expected replicas to be 3, was 2\n']);
  const nf = c.run(['scale', 'deploy', 'nope', '--replicas=1']);
  assert.equal(nf.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
});

test('a changed template rolls out a new ReplicaSet; history and undo', () => {
  const before = json(c, ['get', 'rs']).items[0].metadata.name;
  at(20);
  assert.equal(c.ok(['apply', '-f', '-'], { input: deploy('nginx:1.28', 2) }), 'deployment.apps/web configured\n');
  // a rolling update of 2 replicas (maxSurge 1, maxUnavailable 0) goes one pod at a time, each new
  // pod pulling nginx:1.28 (≈3.3 s) before an old one goes; a command every 5 s sees each step
  let sets = json(c, ['get', 'rs']).items;
  assert.equal(sets.length, 2);
  assert.deepEqual(sets.map((s) => [s.metadata.name === before, s.spec.replicas]).sort(), [[false, 1], [true, 2]]);
  for (const s of [25, 30, 35]) at(s).ok(['get', 'pods']);
  sets = json(c, ['get', 'rs']).items;
  const old = sets.find((s) => s.metadata.name === before);
  const cur = sets.find((s) => s.metadata.name !== before);
  assert.equal(old.spec.replicas, 0);
  assert.equal(cur.spec.replicas, 2);
  assert.equal(cur.metadata.annotations['deployment.kubernetes.io/revision'], '2');
  for (const p of json(c, ['get', 'pods']).items) assert.equal(p.spec.containers[0].image, 'nginx:1.28');
  assert.deepEqual(endpointIPs(c), podIPs(c));
  assert.equal(c.ok(['rollout', 'history', 'deployment/web']), 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  const events = c.ok(['describe', 'deployment', 'web']);
  // the steps in the order they were taken
  let last = -1;
  for (const step of [`Scaled up replica set ${cur.metadata.name} from 0 to 1`, `Scaled down replica set ${before} from 2 to 1`, `Scaled up replica set ${cur.metadata.name} from 1 to 2`, `Scaled down replica set ${before} from 1 to 0`]) {
    const m = new RegExp(`Normal  ScalingReplicaSet  \\d+s +deployment-controller  ${step}\\n`).exec(events);
    assert.ok(m && m.index > last, `${step} after the previous step:\n${events}`);
    last = m.index;
  }
  // kubectl 1.27+ lists every old ReplicaSet, those scaled to 0 too (kubernetes#113083; recorded from kubectl 1.32)
  assert.match(events, new RegExp(`\\nOldReplicaSets:  ${before} \\(0/0 replicas created\\)\\nNewReplicaSet:   ${cur.metadata.name} \\(2/2 replicas created\\)\\n`));
  assert.match(events, /\nReplicas:               2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable\n/);
  assert.equal(c.ok(['rollout', 'undo', 'deployment/web']), 'deployment.apps/web rolled back\n');
  assert.equal(json(c, ['get', 'rs', before]).spec.replicas, 2);
  // nginx:1.27 is on both nodes: the old pods start at once; the nginx:1.28 ones stop within a second
  at(40);
  for (const p of json(c, ['get', 'pods']).items) assert.equal(p.spec.containers[0].image, 'nginx:1.27');
  assert.equal(c.ok(['rollout', 'history', 'deploy/web']), 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
  const bad = c.run(['rollout', 'undo', 'deploy/web', '--to-revision=9']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: unable to find specified revision 9 in history\n']);
});

test('a pod deleted by hand is replaced by a new one', () => {
  const names = json(c, ['get', 'pods']).items.map((p) => p.metadata.name);
  c.ok(['delete', 'pod', names[0]]);
  at(45); // the deleted pod has stopped and gone
  const now = json(c, ['get', 'pods']).items.map((p) => p.metadata.name);
  assert.equal(now.length, names.length);
  assert.ok(!now.includes(names[0]));
  assert.match(c.ok(['describe', 'rs', names[0].replace(/-[^-]+$/, '')]), new RegExp(`SuccessfulCreate  5s    replicaset-controller  Created pod: ${now.find((n) => !names.includes(n))}\\n`));
});

test('selector/template mismatch is rejected with the apiserver message', () => {
  const r = c.run(['apply', '-f', '-'], { input: deploy().replace('      labels:\n        app: web\n    spec', '      labels:\n        app: other\n    spec') });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`\n');
});

test('delete --cascade=orphan keeps ReplicaSets and pods; a plain delete removes them', () => {
  const pods = json(c, ['get', 'pods']).items.length;
  assert.equal(c.ok(['delete', 'deployment', 'web', '--cascade=orphan']), 'deployment.apps "web" deleted\n');
  assert.equal(json(c, ['get', 'pods']).items.length, pods);
  for (const rs of json(c, ['get', 'rs']).items) assert.equal(rs.metadata.ownerReferences, undefined);
  c.ok(['apply', '-f', '-'], { input: deploy('nginx:1.29', 1) });
  c.ok(['delete', 'rs', '--all']);
  c.ok(['delete', 'deploy', 'web']);
  at(50); // the pods have stopped
  assert.equal(c.run(['get', 'rs']).stderr, 'No resources found in default namespace.\n');
  assert.equal(c.run(['get', 'pods']).stderr, 'No resources found in default namespace.\n');
});

test('get events lists what the controllers did in the server\'s order: by name, which is the object and then the time', () => {
  const out = c.ok(['get', 'events']).trimEnd().split('\n');
  assert.equal(out[0], 'LAST SEEN   TYPE     REASON              OBJECT                      MESSAGE');
  // "web-<hash>-<id>." < "web-<hash>." < "web.": a pod's events, then its ReplicaSet's, then the Deployment's
  assert.match(out[1], /^\d+s +Normal   Scheduled           pod\/web-\w+-\w{5}    Successfully assigned default\/web-\w+-\w{5} to node0\d$/);
  // the first pod by name came with the scale to 2, when its node had nginx:1.27 already
  assert.match(out[2], /^\d+s +Normal   Pulled              pod\/web-\w+-\w{5}    Container image "nginx:1\.27" already present on machine$/);
  const rs = out.findIndex((l) => / replicaset\/web-/.test(l));
  assert.match(out[rs], /^\d+s +Normal   SuccessfulCreate    replicaset\/web-\w+   Created pod: web-\w+-\w{5}$/);
  const hash = /replicaset\/(web-\w+)/.exec(out[rs])[1];
  assert.ok(out.slice(rs).every((l) => !l.includes(` pod/${hash}-`)), 'a ReplicaSet\'s events come after its pods\'');
  assert.match(out[out.length - 1], /^\d+s +Normal   ScalingReplicaSet   deployment\/web              Scaled \w+ replica set web-\w+ /);
  // each object's events in the order they happened: a start, and the stop when it was scaled away
  const mine = out.filter((l) => l.includes(out[1].split(/\s+/)[3] + ' '));
  assert.deepEqual(mine.map((l) => l.split(/\s+/)[2]), ['Scheduled', 'Pulled', 'Created', 'Started', 'Killing']);
  const ages = mine.map((l) => parseInt(l, 10));
  assert.deepEqual(ages, [...ages].sort((a, b) => b - a), 'LAST SEEN grows no younger down an object\'s events');
  assert.ok(ages[0] > ages[4], ages.join(' '));
});
