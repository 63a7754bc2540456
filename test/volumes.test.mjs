// Issue 15, parts 1 and 6: pod volumes. ConfigMap and Secret keys as files (items, modes, subPath,
// optional, the atomic writer's ..data layout), downwardAPI and projected volumes, read-only
// mounts, FailedMount while an object is missing (kubelet volume manager back-off, then the
// container starts at the next retry), the environment fixed at container start while a mounted
// volume follows a change after the kubelet's sync, emptyDir shared by a pod's containers and kept
// across restarts, hostPath on the node, a claim's data kept with its volume, and nginx serving a
// ConfigMap through a Service.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'volumes', init: [] });
const files = mkdtempSync(join(tmpdir(), 'kubesim-vol-'));
after(() => {
  c.cleanup();
  rmSync(files, { recursive: true, force: true });
});
/** the clock at 12:00 + s seconds */
const at = (s) => c.at(new Date(Date.parse('2025-03-01T12:00:00Z') + s * 1000).toISOString().replace('.000Z', 'Z'));
const apply = (yaml) => c.ok(['apply', '-f', '-'], { input: yaml });
const exec = (pod, cmd, container) => c.run(['exec', pod, ...(container ? ['-c', container] : []), '--', 'sh', '-c', cmd]);
const out = (pod, cmd, container) => {
  const r = exec(pod, cmd, container);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};
const status = (pod) => c.ok(['get', 'pod', pod, '--no-headers']).trim().split(/\s+/)[2];
/** the pod's events as describe prints them: "Reason  Age  Message", From dropped */
const events = (pod) =>
  c
    .ok(['describe', 'pod', pod])
    .split('Events:\n')[1]
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => l.trim().split(/\s{2,}/))
    .map(([, reason, age, , message]) => `${reason} ${age} ${message}`);

const pod = (name, { containers, volumes, extra = '' }) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}, tier: web}
  annotations: {note: "a \\"quoted\\" value"}
spec:
${extra}  containers:
${containers}
  volumes:
${volumes}
`;

test('configMap and secret keys as files: data, binaryData, items with nested paths, modes, the ..data layout', () => {
  at(0);
  writeFileSync(join(files, 'index.html'), '<h1>from a ConfigMap</h1>\n');
  c.ok(['create', 'configmap', 'site', `--from-file=${join(files, 'index.html')}`, '--from-literal=color=blue']);
  apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: bin}
binaryData: {blob: aGVsbG8gYmluYXJ5}
data: {text: plain}
`);
  c.ok(['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=password=s3cret']);
  apply(
    pod('files', {
      containers: `  - name: box
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources: {limits: {cpu: 250m, memory: 64Mi}}
    volumeMounts:
    - {name: site, mountPath: /etc/site}
    - {name: picked, mountPath: /etc/picked}
    - {name: bin, mountPath: /etc/bin}
    - {name: creds, mountPath: /etc/creds}
    - {name: one, mountPath: /etc/color.txt, subPath: color}
    - {name: picked, mountPath: /etc/conf, subPath: conf}
    - {name: gone, mountPath: /etc/gone}
    - {name: info, mountPath: /etc/podinfo}
    - {name: all, mountPath: /etc/all}`,
      volumes: `  - {name: site, configMap: {name: site}}
  - name: picked
    configMap:
      name: site
      defaultMode: 0440
      items:
      - {key: color, path: conf/deep/color.txt}
      - {key: index.html, path: page.html, mode: 0600}
  - {name: bin, configMap: {name: bin}}
  - {name: creds, secret: {secretName: creds, defaultMode: 0400}}
  - {name: one, configMap: {name: site}}
  - {name: gone, configMap: {name: nothing-here, optional: true}}
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
      - {path: name, fieldRef: {fieldPath: metadata.name}}
      - {path: namespace, fieldRef: {fieldPath: metadata.namespace}}
      - {path: tier, fieldRef: {fieldPath: "metadata.labels['tier']"}}
      - {path: cpu_limit, resourceFieldRef: {containerName: box, resource: limits.cpu, divisor: 1m}}
      - {path: mem_limit, resourceFieldRef: {containerName: box, resource: limits.memory, divisor: 1Mi}}
  - name: all
    projected:
      sources:
      - configMap: {name: site, items: [{key: color, path: color}]}
      - secret: {name: creds, items: [{key: user, path: user}]}
      - downwardAPI: {items: [{path: podname, fieldRef: {fieldPath: metadata.name}}]}`,
    }),
  );
  at(30);
  assert.equal(status('files'), 'Running');
  const uid = JSON.parse(c.ok(['get', 'pod', 'files', '-o', 'json'])).metadata.uid;
  const cases = [
    ['cat /etc/site/index.html', '<h1>from a ConfigMap</h1>\n'],
    ['cat /etc/site/color; echo', 'blue\n'],
    ['ls /etc/site', 'color\nindex.html\n'],
    ['cat /etc/picked/conf/deep/color.txt /etc/picked/page.html', 'blue<h1>from a ConfigMap</h1>\n'],
    ['ls /etc/picked /etc/picked/conf', '/etc/picked:\nconf\npage.html\n\n/etc/picked/conf:\ndeep\n'],
    ['cat /etc/bin/blob /etc/bin/text; echo', 'hello binaryplain\n'],
    ['cat /etc/creds/user /etc/creds/password; echo', 'admins3cret\n'],
    ['cat /etc/color.txt; echo', 'blue\n'],
    ['ls /etc/conf /etc/conf/deep', '/etc/conf:\ndeep\n\n/etc/conf/deep:\ncolor.txt\n'],
    ['ls -A /etc/gone | wc -l', '2\n'],
    ['cat /etc/podinfo/labels; echo', 'app="files"\ntier="web"\n'],
    ['cat /etc/podinfo/name /etc/podinfo/namespace /etc/podinfo/tier; echo', 'filesdefaultweb\n'],
    ['cat /etc/podinfo/cpu_limit; echo; cat /etc/podinfo/mem_limit; echo', '250\n64\n'],
    ['cat /etc/all/color /etc/all/user /etc/all/podname; echo', 'blueadminfiles\n'],
    ['cat /etc/site/..data/color; echo', 'blue\n'],
  ];
  for (const [cmd, want] of cases) assert.equal(out('files', cmd), want, cmd);
  // annotations as fieldpath.FormatMap writes them: sorted, Go-quoted, no last newline
  assert.match(out('files', 'cat /etc/podinfo/annotations; echo'), /^kubectl\.kubernetes\.io\/last-applied-configuration=".*"\nnote="a \\"quoted\\" value"\n$/);
  // the atomic writer's layout: a timestamped directory, ..data pointing at it, a link per key
  const la = out('files', 'ls -la /etc/site').split('\n');
  const dir = la[2].split(/\s+/).pop();
  assert.match(dir, /^\.\.2025_03_01_12_00_00\.\d+$/);
  assert.deepEqual(la.slice(0, 6), [
    'drwxrwxrwx    2 root     root          4096 Mar  1 12:00 .',
    'drwxr-xr-x    2 root     root          4096 Mar  1 12:00 ..',
    `drwxr-xr-x    2 root     root          4096 Mar  1 12:00 ${dir}`,
    `lrwxrwxrwx    1 root     root    ${String(dir.length).padStart(10)} Mar  1 12:00 ..data -> ${dir}`,
    'lrwxrwxrwx    1 root     root            12 Mar  1 12:00 color -> ..data/color',
    'lrwxrwxrwx    1 root     root            17 Mar  1 12:00 index.html -> ..data/index.html',
  ]);
  // modes: defaultMode, an item's mode, a secret's tmpfs root (sticky)
  assert.deepEqual(out('files', 'ls -l /etc/site/..data/ /etc/picked/..data/ /etc/creds/..data/').split('\n').filter((l) => l.startsWith('-') || l.startsWith('d')).map((l) => [l.slice(0, 10), l.split(/\s+/).pop()].join(' ')), [
    '-rw-r--r-- color',
    '-rw-r--r-- index.html',
    'drwxr-xr-x conf',
    '-rw------- page.html',
    '-r-------- password',
    '-r-------- user',
  ]);
  assert.equal(out('files', 'ls -ld /etc/creds').slice(0, 10), 'drwxrwxrwt');
  // stat: a key is a link (stat -L follows it to the file and its mode)
  assert.equal(out('files', "stat -c '%a %A %N' /etc/creds/user /etc/creds; stat -L -c '%a %F %s' /etc/creds/user"), "777 lrwxrwxrwx '/etc/creds/user' -> '..data/user'\n1777 drwxrwxrwt '/etc/creds'\n400 regular file 5\n");
  assert.equal(out('files', 'ls -l /etc/picked/conf/deep/').split('\n')[0].slice(0, 10), '-r--r-----');
  assert.ok(uid);
  // describe's volume blocks (kubectl pkg/describe/describe.go print*VolumeSource, 1.32)
  const vols = c.ok(['describe', 'pod', 'files']).split('Volumes:\n')[1].split('QoS Class:')[0].split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
  for (const want of [
    ['site:', 'Type: ConfigMap (a volume populated by a ConfigMap)', 'Name: site', 'Optional: false'],
    ['creds:', 'Type: Secret (a volume populated by a Secret)', 'SecretName: creds', 'Optional: false'],
    ['gone:', 'Type: ConfigMap (a volume populated by a ConfigMap)', 'Name: nothing-here', 'Optional: true'],
    ['info:', 'Type: DownwardAPI (a volume populated by information about the pod)', 'Items:', 'metadata.labels -> labels'],
    ['all:', 'Type: Projected (a volume that contains injected data from multiple sources)', 'ConfigMapName: site', 'ConfigMapOptional: <nil>', 'SecretName: creds', 'SecretOptionalName: <nil>', 'DownwardAPI: true'],
  ]) {
    const i = vols.indexOf(want[0]);
    assert.deepEqual(vols.slice(i, i + want.length), want);
  }
});

test('configMap, secret, projected and downwardAPI mounts are read-only: the shell says so', () => {
  at(40);
  const table = [
    ['busybox sh', 'files', 'echo x > /etc/site/color', "sh: can't create /etc/site/color: Read-only file system\n"],
    ['busybox touch', 'files', 'touch /etc/creds/new', 'touch: /etc/creds/new: Read-only file system\n'],
    ['busybox rm', 'files', 'rm /etc/site/color', "rm: can't remove '/etc/site/color': Read-only file system\n"],
    ['busybox mkdir', 'files', 'mkdir /etc/podinfo/d', "mkdir: can't create directory '/etc/podinfo/d': Read-only file system\n"],
  ];
  for (const [what, p, cmd, err] of table) {
    const r = exec(p, cmd);
    assert.equal(r.stderr, err + 'command terminated with exit code 1\n', what);
  }
  assert.equal(out('files', 'cat /etc/site/color; echo'), 'blue\n');
});

test('a missing ConfigMap keeps the pod ContainerCreating with FailedMount on the back-off, until it exists', () => {
  at(100);
  apply(
    pod('waits', {
      containers: `  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: config, mountPath: /etc/config}
    - {name: keyed, mountPath: /etc/keyed}`,
      volumes: `  - {name: config, configMap: {name: later}}
  - {name: keyed, secret: {secretName: creds, items: [{key: token, path: token}]}}`,
    }),
  );
  at(101);
  assert.equal(status('waits'), 'ContainerCreating');
  // attempts at +0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 63.5, 127.5 and 249.5 s (the cap is 2m2s); the
  // pod worker's wait gives up after 2m3s, then after the next one (2m3s + 10 s later)
  at(400);
  assert.equal(status('waits'), 'ContainerCreating');
  assert.deepEqual(events('waits'), [
    'Scheduled 5m Successfully assigned default/waits to node01',
    'FailedMount 51s (x10 over 5m) MountVolume.SetUp failed for volume "config" : configmap "later" not found',
    'FailedMount 51s (x10 over 5m) MountVolume.SetUp failed for volume "keyed" : references non-existent secret key: token',
    'FailedMount 44s (x2 over 2m57s) Unable to attach or mount volumes: unmounted volumes=[config keyed], unattached volumes=[], failed to process volumes=[]: context deadline exceeded',
  ]);
  c.ok(['create', 'configmap', 'later', '--from-literal=k=v']);
  // the secret gets the key
  apply(`apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {user: admin, password: s3cret, token: abc}
`);
  // the next attempt is at 249.5 + 122 = 371.5 s after the first (100 s): 471.5 s
  at(471);
  assert.equal(status('waits'), 'ContainerCreating');
  at(473);
  assert.equal(status('waits'), 'Running');
  assert.equal(out('waits', 'cat /etc/config/k /etc/keyed/token; echo'), 'vabc\n');
});

test('a missing ConfigMap key: configmap references non-existent config key; optional volumes need none', () => {
  at(500);
  apply(
    pod('keys', {
      extra: `  initContainers:
  - {name: init, image: busybox:1.36, command: ["true"], volumeMounts: [{name: k, mountPath: /etc/k}]}
`,
      containers: `  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: k, mountPath: /etc/k}
    - {name: opt, mountPath: /etc/opt}`,
      volumes: `  - {name: k, configMap: {name: site, items: [{key: nope, path: nope}]}}
  - {name: opt, configMap: {name: site, optional: true, items: [{key: nope, path: nope}, {key: color, path: c}]}}`,
    }),
  );
  at(510);
  // no container starts before the volumes mount, init containers neither
  assert.equal(status('keys'), 'Init:0/1');
  assert.deepEqual(events('keys').slice(1), ['FailedMount 3s (x5 over 10s) MountVolume.SetUp failed for volume "k" : configmap references non-existent config key: nope']);
  c.ok(['delete', 'pod', 'keys', '--grace-period=0', '--force'], {});
});

test('the environment is fixed at container start; a mounted volume follows a change after 60 s, a subPath never', () => {
  at(600);
  c.ok(['create', 'configmap', 'live', '--from-literal=MODE=one']);
  apply(
    pod('live', {
      containers: `  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 300"]
    env:
    - name: MODE
      valueFrom: {configMapKeyRef: {name: live, key: MODE}}
    envFrom:
    - {configMapRef: {name: live}, prefix: FROM_}
    volumeMounts:
    - {name: live, mountPath: /etc/live}
    - {name: live, mountPath: /etc/mode, subPath: MODE}`,
      volumes: `  - {name: live, configMap: {name: live}}`,
    }),
  );
  at(610);
  assert.equal(out('live', 'printenv MODE FROM_MODE; cat /etc/live/MODE /etc/mode; echo'), 'one\none\noneone\n');
  apply(c.ok(['create', 'configmap', 'live', '--from-literal=MODE=two', '-o', 'yaml', '--dry-run=client']));
  at(669);
  assert.equal(out('live', 'printenv MODE; cat /etc/live/MODE /etc/mode; echo'), 'one\noneone\n');
  at(670);
  assert.equal(out('live', 'printenv MODE; cat /etc/live/MODE /etc/mode; echo'), 'one\ntwoone\n');
  // the ..data link moved to the new projection
  assert.match(out('live', 'ls -la /etc/live'), /\.\.data -> \.\.2025_03_01_12_11_10\.\d+\n/);
  // the process exits at 300 s and restarts: the new container takes the new values, subPath too
  at(915);
  assert.equal(JSON.parse(c.ok(['get', 'pod', 'live', '-o', 'json'])).status.containerStatuses[0].restartCount, 1);
  assert.equal(out('live', 'printenv MODE FROM_MODE; cat /etc/live/MODE /etc/mode; echo'), 'two\ntwo\ntwotwo\n');
});

test('a deleted ConfigMap leaves the files; made again, they follow after the sync, unless it was immutable', () => {
  at(920);
  c.ok(['create', 'configmap', 'soft', '--from-literal=v=old']);
  apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: hard}
immutable: true
data: {v: old}
`);
  apply(
    pod('kept', {
      containers: `  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: soft, mountPath: /etc/soft}
    - {name: hard, mountPath: /etc/hard}`,
      volumes: `  - {name: soft, configMap: {name: soft}}
  - {name: hard, configMap: {name: hard}}`,
    }),
  );
  at(930);
  // an immutable ConfigMap cannot change: the apiserver says so
  const r = c.run(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hard}\nimmutable: true\ndata: {v: new}\n' });
  assert.equal(r.code, 1);
  c.ok(['delete', 'configmap', 'soft', 'hard']);
  at(1000);
  assert.equal(out('kept', 'cat /etc/soft/v /etc/hard/v'), 'oldold');
  c.ok(['create', 'configmap', 'soft', '--from-literal=v=new']);
  c.ok(['create', 'configmap', 'hard', '--from-literal=v=new']);
  at(1059);
  assert.equal(out('kept', 'cat /etc/soft/v /etc/hard/v'), 'oldold');
  at(1060);
  assert.equal(out('kept', 'cat /etc/soft/v /etc/hard/v'), 'newold');
  c.ok(['delete', 'pod', 'kept', '--grace-period=0', '--force']);
});

test('emptyDir: the two-container lab (one writes index.html, nginx serves it); writes survive exec sessions and restarts', () => {
  at(1100);
  apply(`apiVersion: v1
kind: Pod
metadata:
  name: two-containers
spec:
  restartPolicy: Never
  volumes:
  - name: shared-data
    emptyDir: {}
  containers:
  - name: nginx-container
    image: nginx
    volumeMounts:
    - name: shared-data
      mountPath: /usr/share/nginx/html
  - name: debian-container
    image: debian
    volumeMounts:
    - name: shared-data
      mountPath: /pod-data
    command: ["/bin/sh"]
    args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
`);
  at(1130);
  assert.equal(out('two-containers', 'curl -s localhost', 'nginx-container'), 'Hello from the debian container\n');
  assert.equal(out('two-containers', 'cat /usr/share/nginx/html/index.html', 'nginx-container'), 'Hello from the debian container\n');
  // a write in one exec session is there in the next, and in the other container
  out('two-containers', 'mkdir -p /usr/share/nginx/html/docs && echo "<p>docs</p>" > /usr/share/nginx/html/docs/index.html && echo more >> /usr/share/nginx/html/index.html', 'nginx-container');
  assert.equal(out('two-containers', 'ls -la /usr/share/nginx/html', 'nginx-container'), 'total 16\ndrwxrwxrwx 2 root root 4096 Mar  1 12:18 .\ndrwxr-xr-x 2 root root 4096 Mar  1 12:18 ..\ndrwxr-xr-x 2 root root 4096 Mar  1 12:18 docs\n-rw-r--r-- 1 root root   37 Mar  1 12:18 index.html\n');
  assert.equal(out('two-containers', 'curl -s localhost/docs/', 'nginx-container'), '<p>docs</p>\n');
  assert.match(out('two-containers', 'curl -si localhost/docs', 'nginx-container'), /^HTTP\/1.1 301 Moved Permanently\r?\n([^\n]*\n)*Location: http:\/\/localhost\/docs\/\r?\n/);
  assert.match(out('two-containers', 'curl -si localhost/missing.html', 'nginx-container'), /^HTTP\/1.1 404 Not Found/);
  out('two-containers', 'rm /usr/share/nginx/html/docs/index.html', 'nginx-container');
  assert.match(out('two-containers', 'curl -si localhost/docs/', 'nginx-container'), /^HTTP\/1.1 403 Forbidden/);
});

test('emptyDir outlives a container restart, not its pod; hostPath is the node\'s; a claim\'s data outlives the pod', () => {
  at(1200);
  const spec = (name, node) =>
    pod(name, {
      extra: `  nodeName: ${node}\n`,
      containers: `  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "sleep 100"]
    volumeMounts:
    - {name: scratch, mountPath: /scratch}
    - {name: host, mountPath: /host}
    - {name: claim, mountPath: /claim}`,
      volumes: `  - {name: scratch, emptyDir: {}}
  - {name: host, hostPath: {path: /var/data, type: DirectoryOrCreate}}
  - {name: claim, persistentVolumeClaim: {claimName: data}}`,
    });
  // the claim is bound to a volume the provisioner makes (storage.test.mjs); its data is the volume's
  apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
  apply(spec('keeper', 'node02'));
  at(1210);
  assert.equal(status('keeper'), 'Running');
  out('keeper', 'echo scratch > /scratch/f; echo host > /host/f; echo claim > /claim/f');
  // the container exits at 100 s and starts again: the emptyDir is the pod's
  at(1315);
  assert.equal(JSON.parse(c.ok(['get', 'pod', 'keeper', '-o', 'json'])).status.containerStatuses[0].restartCount, 1);
  assert.equal(out('keeper', 'cat /scratch/f /host/f /claim/f'), 'scratch\nhost\nclaim\n');
  const vols = c.ok(['describe', 'pod', 'keeper']).split('Volumes:\n')[1].split('QoS Class:')[0].split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
  assert.deepEqual(vols.slice(0, 12), [
    'scratch:',
    "Type: EmptyDir (a temporary directory that shares a pod's lifetime)",
    'Medium:',
    'SizeLimit: <unset>',
    'host:',
    'Type: HostPath (bare host directory volume)',
    'Path: /var/data',
    'HostPathType: DirectoryOrCreate',
    'claim:',
    'Type: PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)',
    'ClaimName: data',
    'ReadOnly: false',
  ]);
  // another pod on the same node sees the node's directory; on another node it does not
  apply(spec('neighbour', 'node02'));
  apply(spec('stranger', 'node03'));
  at(1330);
  assert.equal(out('neighbour', 'cat /host/f /claim/f; ls /scratch | wc -l'), 'host\nclaim\n0\n');
  assert.equal(exec('stranger', 'cat /host/f').code, 1);
  // the node has the file where the hostPath points
  assert.equal(c.ok(['ssh', 'node02', '--', 'cat', '/var/data/f']), 'host\n');
  assert.equal(c.run(['ssh', 'node03', '--', 'cat', '/var/data/f']).code, 1);
  // a pod made again has a new emptyDir, the same claim
  c.ok(['delete', 'pod', 'keeper', '--grace-period=0', '--force']);
  apply(spec('keeper', 'node02'));
  at(1340);
  assert.equal(out('keeper', 'cat /claim/f; ls /scratch | wc -l'), 'claim\n0\n');
  // the claim's data is its PersistentVolume's: gone with it (reclaim policy Delete)
  const pv = JSON.parse(c.ok(['get', 'pvc', 'data', '-o', 'json'])).spec.volumeName;
  assert.match(pv, /^pvc-/);
  for (const p of ['keeper', 'neighbour', 'stranger']) c.ok(['delete', 'pod', p, '--grace-period=0', '--force']);
  c.ok(['delete', 'pvc', 'data']);
  at(1360);
  assert.equal(c.run(['get', 'pv', pv]).code, 1);
  apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
  apply(spec('keeper', 'node02'));
  at(1370);
  assert.equal(out('keeper', 'ls /claim | wc -l'), '0\n');
});

test('nginx serves a ConfigMap mounted over its document root through a Service', () => {
  at(1400);
  apply(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        volumeMounts:
        - {name: site, mountPath: /usr/share/nginx/html}
      volumes:
      - {name: site, configMap: {name: site}}
`);
  c.ok(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']);
  at(1430);
  const svc = JSON.parse(c.ok(['get', 'svc', 'web', '-o', 'json']));
  const ip = svc.spec.clusterIP;
  const nodePort = svc.spec.ports[0].nodePort;
  const headers = c.ok(['ssh', 'node01', '--', 'curl', '-si', `http://${ip}/`]);
  assert.match(headers, /^HTTP\/1.1 200 OK\r?\nServer: nginx\/1.27.\d+\r?\nDate: Sat, 01 Mar 2025 12:23:50 GMT\r?\nContent-Type: text\/html\r?\nContent-Length: 26\r?\nLast-Modified: Sat, 01 Mar 2025 12:23:20 GMT\r?\nConnection: keep-alive\r?\nETag: "67c2fc38-1a"\r?\nAccept-Ranges: bytes\r?\n\r?\n<h1>from a ConfigMap<\/h1>\n$/);
  const nodeIP = JSON.parse(c.ok(['get', 'node', 'node02', '-o', 'json'])).status.addresses.find((a) => a.type === 'InternalIP').address;
  assert.equal(c.ok(['curl', '-s', `http://${nodeIP}:${nodePort}/color`]), 'blue');
  assert.match(c.ok(['curl', '-s', `http://${nodeIP}:${nodePort}/nope.html`]), /<title>404 Not Found<\/title>/);
  // httpd serves its htdocs the same way
  apply(
    pod('apache', {
      containers: `  - name: httpd
    image: httpd:2.4
    volumeMounts:
    - {name: site, mountPath: /usr/local/apache2/htdocs}`,
      volumes: `  - {name: site, configMap: {name: site}}`,
    }),
  );
  at(1460);
  const podIP = JSON.parse(c.ok(['get', 'pod', 'apache', '-o', 'json'])).status.podIP;
  assert.equal(c.ok(['ssh', 'node01', '--', 'curl', '-s', `http://${podIP}/`]), '<h1>from a ConfigMap</h1>\n');
  assert.equal(c.ok(['ssh', 'node01', '--', 'curl', '-s', `http://${podIP}/color`]), 'blue');
});
