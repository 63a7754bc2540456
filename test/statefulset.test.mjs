// Issue 15, part 4: StatefulSets and ControllerRevisions. Ordinal pods made in order on the simulated
// clock (OrderedReady) or at once (Parallel), stable names and per-pod DNS through the headless
// service, claims from volumeClaimTemplates, scale down from the highest ordinal, rolling update by
// partition, revisions with rollout history / undo (stateful and daemon sets), the printer columns,
// the describer and the apiserver's validation messages (pkg/apis/apps/validation).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster } from './helpers.mjs';

const service = (name = 'nginx', app = 'nginx') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  clusterIP: None
  selector:
    app: ${app}
  ports:
  - port: 80
    name: web
---
`;
const sts = ({ name = 'web', app = 'nginx', svc = 'nginx', replicas = 3, image = 'registry.k8s.io/nginx-slim:0.24', policy = '', strategy = '', claims = '', mounts = '' } = {}) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${app}
  serviceName: ${svc}
  replicas: ${replicas}
${policy}${strategy}  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
          name: web
${mounts}${claims}`;
const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const rows = (text) => text.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
/** NAME READY STATUS of pods with a label, by name */
const pods = (c, sel) => rows(c.ok(['get', 'pods', '-l', sel, '--no-headers'])).map((r) => r.split(' ').slice(0, 3).join(' '));
const created = (c, sel) => Object.fromEntries(json(c, ['get', 'pods', '-l', sel]).items.map((p) => [p.metadata.name, p.metadata.creationTimestamp]));
const stamp = (s) => `2025-03-01T12:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`;

const c = cluster({ seed: 'statefulset', init: [] });
after(() => c.cleanup());
const at = (s) => c.at(stamp(s));

test('OrderedReady: web-0 first, each next pod once the one before is Running and Ready', () => {
  at(0);
  assert.equal(c.ok(['apply', '-f', '-'], { input: service() + sts() }), 'service/nginx created\nstatefulset.apps/web created\n');
  // only web-0 exists while it starts
  assert.deepEqual(pods(c, 'app=nginx'), ['web-0 0/1 ContainerCreating']);
  assert.equal(c.ok(['get', 'sts', 'web']), 'NAME   READY   AGE\nweb    0/3     0s\n');
  assert.equal(c.ok(['rollout', 'status', 'sts/web', '--watch=false']), 'Waiting for 3 pods to be ready...\n');
  at(30);
  assert.deepEqual(pods(c, 'app=nginx'), ['web-0 1/1 Running', 'web-1 1/1 Running', 'web-2 1/1 Running']);
  // each was created after its predecessor became ready: strictly later, in ordinal order
  const t = created(c, 'app=nginx');
  assert.ok(t['web-0'] < t['web-1'] && t['web-1'] < t['web-2'], JSON.stringify(t));
  for (const p of json(c, ['get', 'pods', '-l', 'app=nginx']).items) {
    const ord = p.metadata.name.slice(4);
    assert.equal(p.spec.hostname, p.metadata.name);
    assert.equal(p.spec.subdomain, 'nginx');
    assert.deepEqual(p.metadata.ownerReferences.map((r) => [r.kind, r.name, r.controller]), [['StatefulSet', 'web', true]]);
    assert.equal(p.metadata.labels['statefulset.kubernetes.io/pod-name'], p.metadata.name);
    assert.equal(p.metadata.labels['apps.kubernetes.io/pod-index'], ord);
    assert.match(p.metadata.labels['controller-revision-hash'], /^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  }
  const s = json(c, ['get', 'sts', 'web']);
  assert.deepEqual(Object.keys(s.status).sort(), ['availableReplicas', 'collisionCount', 'currentReplicas', 'currentRevision', 'observedGeneration', 'readyReplicas', 'replicas', 'updateRevision', 'updatedReplicas']);
  assert.deepEqual([s.status.replicas, s.status.readyReplicas, s.status.currentReplicas, s.status.updatedReplicas, s.status.availableReplicas, s.status.observedGeneration, s.status.collisionCount], [3, 3, 3, 3, 3, 1, 0]);
  assert.equal(s.status.currentRevision, s.status.updateRevision);
  // SetDefaults_StatefulSet
  assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec.updateStrategy, { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' });
  assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec.revisionHistoryLimit, 10);
  const events = rows(c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'custom-columns=REASON:.reason,FROM:.source.component,MESSAGE:.message', '--no-headers']));
  assert.deepEqual(events, [0, 1, 2].map((i) => `SuccessfulCreate statefulset-controller create Pod web-${i} in StatefulSet web successful`));
  assert.equal(c.ok(['rollout', 'status', 'sts/web']), 'partitioned roll out complete: 3 new pods have been updated...\n');
});

test('get and describe: printStatefulSet, printControllerRevision, StatefulSetDescriber', () => {
  at(60);
  assert.equal(c.ok(['get', 'sts']), 'NAME   READY   AGE\nweb    3/3     60s\n');
  assert.equal(c.ok(['get', 'statefulsets.apps', '-o', 'wide']), 'NAME   READY   AGE   CONTAINERS   IMAGES\nweb    3/3     60s   nginx        registry.k8s.io/nginx-slim:0.24\n');
  const rev = json(c, ['get', 'sts', 'web']).status.currentRevision;
  assert.equal(c.ok(['get', 'controllerrevisions']), `NAME             CONTROLLER             REVISION   AGE\n${rev}   statefulset.apps/web   1          60s\n`);
  const cr = json(c, ['get', 'controllerrevision', rev]);
  assert.equal(cr.revision, 1);
  assert.deepEqual(cr.metadata.labels, { app: 'nginx', 'controller.kubernetes.io/hash': rev.slice(4) });
  assert.equal(cr.data.spec.template.$patch, 'replace');
  assert.equal(cr.data.spec.template.spec.containers[0].image, 'registry.k8s.io/nginx-slim:0.24');
  // api-resources rows (no short name for controllerrevisions; sts in the all category)
  const api = rows(c.ok(['api-resources'])).filter((r) => /^(statefulsets|controllerrevisions) /.test(r));
  assert.deepEqual(api, ['controllerrevisions apps/v1 true ControllerRevision', 'statefulsets sts apps/v1 true StatefulSet']);
  assert.match(c.ok(['get', 'all']), /\nNAME +READY +AGE\nstatefulset\.apps\/web +3\/3 +60s\n/);
  assert.equal(c.ok(['describe', 'sts', 'web']), [
    'Name:               web',
    'Namespace:          default',
    'CreationTimestamp:  Sat, 01 Mar 2025 12:00:00 +0000',
    'Selector:           app=nginx',
    'Labels:             <none>',
    'Annotations:        <none>',
    'Replicas:           3 desired | 3 total',
    'Update Strategy:    RollingUpdate',
    '  Partition:        0',
    'Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed',
    'Pod Template:',
    '  Labels:  app=nginx',
    '  Containers:',
    '   nginx:',
    '    Image:         registry.k8s.io/nginx-slim:0.24',
    '    Port:          80/TCP',
    '    Host Port:     0/TCP',
    '    Environment:   <none>',
    '    Mounts:        <none>',
    '  Volumes:         <none>',
    '  Node-Selectors:  <none>',
    '  Tolerations:     <none>',
    'Volume Claims:     <none>',
    'Events:',
    '  Type    Reason            Age   From                    Message',
    '  ----    ------            ----  ----                    -------',
    '  Normal  SuccessfulCreate  60s   statefulset-controller  create Pod web-0 in StatefulSet web successful',
    '  Normal  SuccessfulCreate  59s   statefulset-controller  create Pod web-1 in StatefulSet web successful',
    '  Normal  SuccessfulCreate  58s   statefulset-controller  create Pod web-2 in StatefulSet web successful',
    '',
  ].join('\n'));
});

test('per-pod DNS: <pod>.<service> resolves to the pod, the headless name to every ready pod; /etc/hosts has the FQDN', () => {
  at(70);
  c.ok(['run', 'bb', '--image=busybox:1.36', '--', 'sleep', '3600']);
  at(80);
  const ips = Object.fromEntries(json(c, ['get', 'pods', '-l', 'app=nginx']).items.map((p) => [p.metadata.name, p.status.podIP]));
  assert.equal(c.ok(['exec', 'bb', '--', 'nslookup', 'web-0.nginx']), `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-0.nginx.default.svc.cluster.local\nAddress: ${ips['web-0']}\n\n`);
  const all = c.ok(['exec', 'bb', '--', 'nslookup', 'nginx.default.svc.cluster.local']);
  assert.deepEqual([...all.matchAll(/Address: (\S+)/g)].map((m) => m[1]).sort(), Object.values(ips).sort());
  // the endpoint controllers publish the hostname (ShouldSetHostname)
  const slice = json(c, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=nginx']).items[0];
  assert.deepEqual(slice.endpoints.map((e) => e.hostname).sort(), ['web-0', 'web-1', 'web-2']);
  assert.deepEqual(json(c, ['get', 'endpoints', 'nginx']).subsets[0].addresses.map((a) => a.hostname).sort(), ['web-0', 'web-1', 'web-2']);
  assert.equal(c.ok(['exec', 'web-1', '--', 'cat', '/etc/hosts']).split('\n').slice(-2).join('\n'), `${ips['web-1']}\tweb-1.nginx.default.svc.cluster.local\tweb-1\n`);
  assert.equal(c.ok(['exec', 'web-1', '--', 'hostname']), 'web-1\n');
  assert.equal(c.ok(['exec', 'web-1', '--', 'hostname', '-f']), 'web-1.nginx.default.svc.cluster.local\n');
  assert.equal(c.ok(['exec', 'bb', '--', 'hostname', '-f']), 'bb\n');
  // a pod that is not ready is not published
  assert.equal(c.run(['exec', 'bb', '--', 'nslookup', 'web-7.nginx']).code, 1);
});

test('a deleted pod comes back with the same name and identity', () => {
  at(90);
  const before = json(c, ['get', 'pod', 'web-1']).metadata.uid;
  c.ok(['delete', 'pod', 'web-1', '--wait=false']);
  at(130);
  const p = json(c, ['get', 'pod', 'web-1']);
  assert.notEqual(p.metadata.uid, before);
  assert.equal(p.spec.hostname, 'web-1');
  assert.deepEqual(pods(c, 'app=nginx'), ['web-0 1/1 Running', 'web-1 1/1 Running', 'web-2 1/1 Running']);
  // its identity label taken off is put back (UpdateStatefulPod)
  c.ok(['label', 'pod', 'web-2', 'statefulset.kubernetes.io/pod-name-']);
  assert.equal(json(c, ['get', 'pod', 'web-2']).metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-2');
  assert.match(c.ok(['get', 'events', '--field-selector', 'reason=SuccessfulUpdate', '-o', 'custom-columns=M:.message', '--no-headers']), /^update Pod web-2 in StatefulSet web successful\n$/);
});

test('rolling update by partition: only ordinals at or above it, the highest first', () => {
  at(200);
  const v1 = json(c, ['get', 'sts', 'web']).status.currentRevision;
  const partitioned = "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n";
  assert.equal(c.ok(['apply', '-f', '-'], { input: sts({ image: 'nginx:1.27', strategy: partitioned }) }), 'statefulset.apps/web configured\n');
  at(240);
  const rev = (n) => json(c, ['get', 'pod', n]).metadata.labels['controller-revision-hash'];
  const v2 = json(c, ['get', 'sts', 'web']).status.updateRevision;
  assert.notEqual(v1, v2);
  assert.deepEqual([rev('web-0'), rev('web-1'), rev('web-2')], [v1, v1, v2]);
  assert.equal(c.ok(['rollout', 'status', 'sts/web']), 'partitioned roll out complete: 1 new pods have been updated...\n');
  assert.match(c.ok(['describe', 'sts', 'web']), /\nUpdate Strategy:    RollingUpdate\n  Partition:        2\n/);
  // the partition lowered: web-1, then web-0, each after the one above is ready
  assert.equal(c.ok(['apply', '-f', '-'], { input: sts({ image: 'nginx:1.27', strategy: partitioned.replace('partition: 2', 'partition: 0') }) }), 'statefulset.apps/web configured\n');
  assert.deepEqual([rev('web-0'), rev('web-2')], [v1, v2]);
  assert.equal(json(c, ['get', 'pod', 'web-1']).metadata.deletionTimestamp !== undefined, true);
  // the pod being replaced is still Running and Ready while it terminates (it counts as ready, not as updated)
  assert.equal(c.ok(['rollout', 'status', 'sts/web', '--watch=false']), 'Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...\n');
  at(300);
  assert.deepEqual([rev('web-0'), rev('web-1'), rev('web-2')], [v2, v2, v2]);
  const t = created(c, 'app=nginx');
  assert.ok(t['web-1'] < t['web-0'], JSON.stringify(t));
  const s = json(c, ['get', 'sts', 'web']).status;
  assert.deepEqual([s.currentRevision, s.updateRevision, s.updatedReplicas, s.currentReplicas], [v2, v2, 3, 3]);
  assert.equal(c.ok(['rollout', 'status', 'sts/web']), 'partitioned roll out complete: 3 new pods have been updated...\n');
});

test('rollout history and undo of a stateful set read its ControllerRevisions', () => {
  at(320);
  assert.equal(c.ok(['rollout', 'history', 'sts/web']), 'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  assert.match(c.ok(['rollout', 'history', 'statefulset', 'web', '--revision=1']), /^statefulset\.apps\/web with revision #1\nPod Template:\n  Labels:\tapp=nginx\n  Containers:\n   nginx:\n    Image:\tregistry\.k8s\.io\/nginx-slim:0\.24\n/);
  assert.deepEqual([c.run(['rollout', 'history', 'sts/web', '--revision=9']).stderr], ['error: unable to find the specified revision\n']);
  assert.equal(c.ok(['rollout', 'undo', 'sts/web', '--to-revision=2']), 'statefulset.apps/web skipped rollback (current template already matches revision 2)\n');
  assert.equal(c.run(['rollout', 'undo', 'sts/web', '--to-revision=5']).stderr, 'error: unable to find specified revision 5 in history\n');
  assert.equal(c.ok(['rollout', 'undo', 'sts/web']), 'statefulset.apps/web rolled back\n');
  // revision 1's template is now the newest: renumbered 3, no new revision
  assert.deepEqual(rows(c.ok(['get', 'controllerrevisions', '--no-headers', '-o', 'custom-columns=REV:.revision', '--sort-by=.revision'])), ['2', '3']);
  at(400);
  assert.deepEqual(json(c, ['get', 'pods', '-l', 'app=nginx']).items.map((p) => p.spec.containers[0].image), ['registry.k8s.io/nginx-slim:0.24', 'registry.k8s.io/nginx-slim:0.24', 'registry.k8s.io/nginx-slim:0.24']);
  assert.equal(c.ok(['rollout', 'restart', 'sts/web']), 'statefulset.apps/web restarted\n');
});

test('scale down removes the highest ordinal first, one at a time, each after the one above has terminated', () => {
  at(500);
  assert.equal(c.ok(['scale', 'sts', 'web', '--replicas=1']), 'statefulset.apps/web scaled\n');
  const states = pods(c, 'app=nginx');
  assert.deepEqual(states, ['web-0 1/1 Running', 'web-1 1/1 Running', 'web-2 1/1 Terminating']);
  at(600);
  assert.deepEqual(pods(c, 'app=nginx'), ['web-0 1/1 Running']);
  const deletes = rows(c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,reason=SuccessfulDelete', '-o', 'custom-columns=T:.lastTimestamp,MESSAGE:.message', '--no-headers', '--sort-by=.lastTimestamp']));
  const last = deletes.slice(-2);
  assert.deepEqual(last.map((r) => r.split(' ').slice(1).join(' ')), ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
  assert.ok(last[0].split(' ')[0] < last[1].split(' ')[0], 'web-1 goes after web-2 is gone');
  assert.equal(c.ok(['get', 'sts', 'web', '--no-headers']).trim().split(/\s+/)[1], '1/1');
});

test('delete --cascade=orphan leaves the pods; a new set of the same name adopts them and their revisions', () => {
  at(620);
  const uid = json(c, ['get', 'pod', 'web-0']).metadata.uid;
  assert.equal(c.ok(['delete', 'sts', 'web', '--cascade=orphan']), 'statefulset.apps "web" deleted\n');
  assert.equal(json(c, ['get', 'pod', 'web-0']).metadata.ownerReferences, undefined);
  // revisions 2 and 3 and the restart's 4, orphaned too
  const revs = json(c, ['get', 'controllerrevisions', '-l', 'app=nginx']).items;
  assert.deepEqual(revs.map((r) => r.revision).sort(), [2, 3, 4]);
  assert.ok(revs.every((r) => r.metadata.ownerReferences === undefined));
  c.ok(['apply', '-f', '-'], { input: sts({ replicas: 1 }) });
  const p = json(c, ['get', 'pod', 'web-0']);
  const set = json(c, ['get', 'sts', 'web']);
  assert.equal(p.metadata.uid, uid, 'the same pod, adopted');
  assert.deepEqual(p.metadata.ownerReferences.map((r) => [r.kind, r.uid]), [['StatefulSet', set.metadata.uid]]);
  assert.deepEqual(json(c, ['get', 'controllerrevisions', '-l', 'app=nginx']).items.map((r) => r.metadata.ownerReferences[0].uid), [set.metadata.uid, set.metadata.uid, set.metadata.uid]);
  // the new set's template is revision 3's (no restart annotation): the adopted pod is rolled to it
  assert.ok(p.metadata.deletionTimestamp, 'the adopted pod, at the restart revision, is replaced');
  at(680);
  assert.deepEqual(pods(c, 'app=nginx'), ['web-0 1/1 Running']);
  assert.equal(json(c, ['get', 'pod', 'web-0']).metadata.labels['controller-revision-hash'], json(c, ['get', 'sts', 'web']).status.updateRevision);
});

test('Parallel: every pod at once; claims from volumeClaimTemplates before their pods', () => {
  at(700);
  const claims = `  volumeClaimTemplates:
  - metadata:
      name: data
      labels:
        tier: storage
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;
  const mounts = '        volumeMounts:\n        - name: data\n          mountPath: /data\n';
  c.ok(['apply', '-f', '-'], { input: service('db', 'db') + sts({ name: 'db', app: 'db', svc: 'db', replicas: 3, image: 'nginx:1.27', policy: '  podManagementPolicy: Parallel\n', claims, mounts }) });
  const t = created(c, 'app=db');
  assert.deepEqual(Object.keys(t).sort(), ['db-0', 'db-1', 'db-2']);
  assert.equal(new Set(Object.values(t)).size, 1);
  const pvcs = json(c, ['get', 'pvc', '-l', 'app=db']).items;
  assert.deepEqual(pvcs.map((p) => p.metadata.name).sort(), ['data-db-0', 'data-db-1', 'data-db-2']);
  for (const p of pvcs) {
    assert.deepEqual(p.metadata.labels, { app: 'db', tier: 'storage' });
    assert.equal(p.metadata.ownerReferences, undefined, 'Retain/Retain: nobody owns the claims');
    assert.equal(p.spec.resources.requests.storage, '1Gi');
  }
  const pod = json(c, ['get', 'pod', 'db-1']);
  assert.deepEqual(pod.spec.volumes.find((v) => v.name === 'data'), { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } });
  const events = rows(c.ok(['get', 'events', '--field-selector', 'involvedObject.name=db', '-o', 'custom-columns=MESSAGE:.message', '--no-headers']));
  assert.deepEqual(events.slice(0, 2), ['create Claim data-db-0 Pod db-0 in StatefulSet db success', 'create Pod db-0 in StatefulSet db successful']);
  const s = json(c, ['get', 'sts', 'db']);
  assert.deepEqual(s.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  assert.deepEqual(s.spec.volumeClaimTemplates[0].status, { phase: 'Pending' });
  // the claims bind to volumes the default class provisions
  at(710);
  assert.deepEqual(json(c, ['get', 'pvc', '-l', 'app=db']).items.map((p) => [p.status.phase, p.spec.storageClassName]), [['Bound', 'standard'], ['Bound', 'standard'], ['Bound', 'standard']]);
  assert.match(c.ok(['exec', 'sts/db', '--', 'hostname']), /^db-[012]\n$/);
  assert.match(c.ok(['describe', 'sts', 'db']), /\nVolume Claims:\n  Name:          data\n  StorageClass:  \n  Labels:        tier=storage\n  Annotations:   <none>\n  Capacity:      1Gi\n  Access Modes:  \[ReadWriteOnce\]\n/);
});

test('deleting a stateful set takes its pods and revisions; the claims stay (whenDeleted: Retain)', () => {
  at(760);
  assert.equal(c.ok(['delete', 'sts', 'db', '--wait=false']), 'statefulset.apps "db" deleted\n');
  assert.equal(json(c, ['get', 'controllerrevisions', '-l', 'app=db']).items.length, 0);
  at(900);
  assert.equal(json(c, ['get', 'pods', '-l', 'app=db']).items.length, 0);
  assert.equal(json(c, ['get', 'pvc', '-l', 'app=db']).items.length, 3);
});

test('whenDeleted: Delete: the set owns its claims, and deleting it marks them for deletion', () => {
  at(950);
  const claims = `  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
  volumeClaimTemplates:
  - metadata:
      name: cache
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 100Mi
`;
  c.ok(['apply', '-f', '-'], { input: sts({ name: 'kv', app: 'kv', svc: 'kv', replicas: 1, image: 'busybox:1.36', claims }) });
  const uid = json(c, ['get', 'sts', 'kv']).metadata.uid;
  const pvc = json(c, ['get', 'pvc', 'cache-kv-0']);
  assert.deepEqual(pvc.metadata.ownerReferences, [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: 'kv', uid }]);
  assert.deepEqual(json(c, ['get', 'sts', 'kv']).spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Retain' });
  c.ok(['delete', 'sts', 'kv', '--wait=false']);
  assert.ok(json(c, ['get', 'pvc', 'cache-kv-0']).metadata.deletionTimestamp, 'the claim is being deleted (its protection finalizer holds it)');
});

test('minReadySeconds: the next pod waits until the one before has been ready that long; availableReplicas follows', () => {
  at(980);
  const input = sts({ name: 'slow', app: 'slow', svc: 'slow', replicas: 2, image: 'nginx:1.27' }).replace('  replicas: 2\n', '  replicas: 2\n  minReadySeconds: 10\n');
  c.ok(['apply', '-f', '-'], { input });
  at(985);
  assert.deepEqual(pods(c, 'app=slow'), ['slow-0 1/1 Running']);
  const s = json(c, ['get', 'sts', 'slow']).status;
  assert.deepEqual([s.readyReplicas, s.availableReplicas], [1, 0]);
  at(1000);
  assert.deepEqual(pods(c, 'app=slow'), ['slow-0 1/1 Running', 'slow-1 1/1 Running']);
  const t = created(c, 'app=slow');
  assert.ok(Date.parse(t['slow-1']) - Date.parse(t['slow-0']) >= 10000, JSON.stringify(t));
  at(1020);
  const done = json(c, ['get', 'sts', 'slow']).status;
  assert.deepEqual([done.readyReplicas, done.availableReplicas], [2, 2]);
  c.ok(['delete', 'sts', 'slow', '--wait=false']);
});

test('whenScaled: Delete: a scale down takes the removed pods\' claims, the others stay', () => {
  at(1100);
  const claims = `  persistentVolumeClaimRetentionPolicy:
    whenScaled: Delete
  volumeClaimTemplates:
  - metadata:
      name: cache
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 100Mi
`;
  c.ok(['apply', '-f', '-'], { input: sts({ name: 'kv2', app: 'kv2', svc: 'kv2', replicas: 2, image: 'nginx:1.27', claims }) });
  at(1120);
  assert.deepEqual(pods(c, 'app=kv2'), ['kv2-0 1/1 Running', 'kv2-1 1/1 Running']);
  c.ok(['scale', 'sts', 'kv2', '--replicas=1']);
  const pvc = json(c, ['get', 'pvc', 'cache-kv2-1']);
  assert.deepEqual(pvc.metadata.ownerReferences.map((r) => [r.kind, r.name, r.controller]), [['Pod', 'kv2-1', false]]);
  at(1180);
  assert.deepEqual(json(c, ['get', 'pvc', '-l', 'app=kv2']).items.map((p) => p.metadata.name), ['cache-kv2-0']);
  c.ok(['delete', 'sts', 'kv2', '--wait=false']);
});

test('DaemonSets keep ControllerRevisions: rollout history and undo', () => {
  at(1200);
  assert.equal(rows(c.ok(['get', 'controllerrevisions', '-n', 'kube-system', '--no-headers'])).map((r) => r.split(' ').slice(1, 3).join(' ')).join(), 'daemonset.apps/kube-proxy 1');
  assert.equal(c.ok(['rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system']), 'daemonset.apps/kube-proxy \nREVISION  CHANGE-CAUSE\n1         <none>\n\n');
  const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "infinity"]
`;
  c.ok(['apply', '-f', '-'], { input: ds });
  assert.equal(c.run(['rollout', 'undo', 'ds/agent']).stderr, 'error: no last revision to roll back to\n');
  at(1230);
  c.ok(['set', 'image', 'ds/agent', 'agent=busybox:1.37']);
  at(1300);
  const revs = json(c, ['get', 'controllerrevisions', '-l', 'app=agent']).items.sort((a, b) => a.revision - b.revision);
  assert.deepEqual(revs.map((r) => r.revision), [1, 2]);
  const hashes = new Set(json(c, ['get', 'pods', '-l', 'app=agent']).items.map((p) => p.metadata.labels['controller-revision-hash']));
  assert.deepEqual([...hashes], [revs[1].metadata.labels['controller-revision-hash']]);
  assert.equal(revs[1].metadata.name, `agent-${[...hashes][0]}`);
  assert.equal(c.ok(['rollout', 'history', 'ds/agent']), 'daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  assert.match(c.ok(['rollout', 'history', 'ds/agent', '--revision=2']), /^daemonset\.apps\/agent with revision #2\nPod Template:\n  Labels:\tapp=agent\n  Containers:\n   agent:\n    Image:\tbusybox:1\.37\n/);
  assert.equal(c.ok(['rollout', 'undo', 'ds/agent']), 'daemonset.apps/agent rolled back\n');
  assert.equal(json(c, ['get', 'ds', 'agent']).spec.template.spec.containers[0].image, 'busybox:1.36');
  at(1400);
  assert.deepEqual(json(c, ['get', 'controllerrevisions', '-l', 'app=agent']).items.map((r) => r.revision).sort(), [2, 3]);
  assert.equal(c.ok(['rollout', 'undo', 'ds/agent', '--to-revision=3']), 'daemonset.apps/agent skipped rollback (current template already matches revision 3)\n');
});

test('OnDelete: a new template waits until a pod is deleted by hand; the replacement is at the new revision', () => {
  at(1500);
  const onDelete = '  updateStrategy:\n    type: OnDelete\n';
  c.ok(['apply', '-f', '-'], { input: sts({ name: 'od', app: 'od', svc: 'od', replicas: 2, image: 'nginx:1.27', strategy: onDelete }) });
  at(1520);
  assert.deepEqual(json(c, ['get', 'sts', 'od']).spec.updateStrategy, { type: 'OnDelete' });
  assert.equal(c.run(['rollout', 'status', 'sts/od']).stderr, 'error: rollout status is only available for RollingUpdate strategy type\n');
  c.ok(['set', 'image', 'sts/od', 'nginx=nginx:1.26']);
  at(1530);
  const image = (n) => json(c, ['get', 'pod', n]).spec.containers[0].image;
  assert.deepEqual([image('od-0'), image('od-1')], ['nginx:1.27', 'nginx:1.27']);
  c.ok(['delete', 'pod', 'od-0', '--wait=false']);
  at(1580);
  assert.deepEqual([image('od-0'), image('od-1')], ['nginx:1.26', 'nginx:1.27']);
  const st = json(c, ['get', 'sts', 'od']).status;
  assert.deepEqual([st.currentReplicas, st.updatedReplicas, st.currentRevision !== st.updateRevision], [1, 1, true]);
  c.ok(['delete', 'sts', 'od', '--wait=false']);
});

test('a state made before DaemonSets kept revisions gains kube-proxy\'s when next opened', () => {
  const old = cluster({ seed: 'sts-old', init: [] });
  try {
    const name = json(old, ['get', 'controllerrevisions', '-n', 'kube-system']).items[0].metadata.name;
    old.ok(['delete', 'controllerrevision', name, '-n', 'kube-system']);
    const file = join(old.dir, 'cluster.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.upgrades = m.upgrades.filter((u) => u !== 'daemonset-revisions');
    writeFileSync(file, JSON.stringify(m));
    assert.equal(old.ok(['rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system']), 'daemonset.apps/kube-proxy \nREVISION  CHANGE-CAUSE\n1         <none>\n\n');
    assert.equal(json(old, ['get', 'controllerrevisions', '-n', 'kube-system']).items[0].metadata.name, name);
  } finally {
    old.cleanup();
  }
});

test('validation: ValidateStatefulSet and ValidateStatefulSetUpdate messages', () => {
  const bad = (spec) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: bad\nspec:\n${spec}`;
  const tmpl = (labels, extra = '') => `  template:\n    metadata:\n      labels:\n        ${labels}\n    spec:\n${extra}      containers:\n      - name: c\n        image: busybox\n`;
  const cases = [
    [bad(`  serviceName: x\n${tmpl('app: b')}`), 'The StatefulSet "bad" is invalid: spec.selector: Required value\n'],
    [bad(`  serviceName: x\n  podManagementPolicy: Sometimes\n  selector:\n    matchLabels:\n      app: a\n${tmpl('app: b', '      restartPolicy: Never\n')}`),
      'The StatefulSet "bad" is invalid: \n* spec.podManagementPolicy: Invalid value: "Sometimes": must be \'OrderedReady\' or \'Parallel\'\n* spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`\n* spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n'],
    [bad(`  replicas: -1\n  selector:\n    matchLabels:\n      app: a\n  updateStrategy:\n    type: OnDelete\n    rollingUpdate:\n      partition: 1\n${tmpl('app: a')}`),
      'The StatefulSet "bad" is invalid: \n* spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'\n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'],
    [bad(`  selector:\n    matchLabels:\n      app: a\n  updateStrategy:\n    rollingUpdate:\n      partition: -2\n${tmpl('app: a', '      activeDeadlineSeconds: 5\n')}`),
      'The StatefulSet "bad" is invalid: \n* spec.updateStrategy.rollingUpdate.partition: Invalid value: -2: must be greater than or equal to 0\n* spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported\n'],
  ];
  for (const [input, stderr] of cases) {
    const r = c.run(['create', '-f', '-'], { input });
    assert.deepEqual([r.code, r.stderr], [1, stderr], input);
  }
  // only replicas, ordinals, template, updateStrategy, revisionHistoryLimit, the claim retention policy and minReadySeconds change
  const r = c.run(['apply', '-f', '-'], { input: sts({ svc: 'other', replicas: 1 }) });
  assert.deepEqual([r.code, r.stderr], [1, 'The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden\n']);
  assert.equal(c.run(['get', 'sts', 'bad']).code, 1);
});
