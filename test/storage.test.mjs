// Issue 15, part 6: storage. StorageClass, PersistentVolume and PersistentVolumeClaim as the 1.32
// apiserver serves them: their columns (pkg/printers/internalversion/printers.go printStorageClass,
// printPersistentVolume, printPersistentVolumeClaim), defaults (SetDefaults_*, the DefaultStorageClass
// and StorageObjectInUseProtection admission plugins) and validation messages
// (pkg/apis/core/validation, pkg/apis/storage/validation).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'storage', init: [] });
after(() => c.cleanup());
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));
const apply = (yaml) => c.ok(['apply', '-f', '-'], { input: yaml });
const fail = (args, input) => {
  const r = c.run(args, { input });
  assert.equal(r.code, 1, r.stdout);
  return r.stderr;
};

const pv = ({ name, size = '1Gi', modes = ['ReadWriteOnce'], cls = '', extra = '' }) => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${name}
spec:
  capacity:
    storage: ${size}
  accessModes: [${modes.join(', ')}]
${cls ? `  storageClassName: ${cls}\n` : ''}${extra}  hostPath:
    path: /data/${name}
`;
const pvc = ({ name, size = '500Mi', modes = ['ReadWriteOnce'], cls, ns = 'default', extra = '' }) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${cls !== undefined ? `  storageClassName: "${cls}"\n` : ''}  accessModes: [${modes.join(', ')}]
  resources:
    requests:
      storage: ${size}
${extra}`;

test('the kinds: short names, scope and api-resources rows', () => {
  const rows = c.ok(['api-resources']).split('\n').filter((l) => /persistentvolume|storageclass/.test(l));
  assert.deepEqual(rows.map((l) => l.trim().split(/\s+/)), [
    ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim'],
    ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume'],
    ['storageclasses', 'sc', 'storage.k8s.io/v1', 'false', 'StorageClass'],
  ]);
});

test('a static PV: defaults (Retain, Filesystem, hostPath type ""), the pv-protection finalizer, status', () => {
  c.ok(['create', '-f', '-'], { input: pv({ name: 'static-a' }) });
  const o = json(['get', 'pv', 'static-a']);
  assert.equal(o.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(o.spec.volumeMode, 'Filesystem');
  assert.deepEqual(o.spec.hostPath, { path: '/data/static-a', type: '' });
  assert.deepEqual(o.metadata.finalizers, ['kubernetes.io/pv-protection']);
  assert.ok(o.status.lastPhaseTransitionTime);
});

test('a claim: volumeMode Filesystem, the pvc-protection finalizer, phase Pending', () => {
  c.ok(['create', '-f', '-'], { input: pvc({ name: 'plain', cls: 'nothing-here' }) });
  const o = json(['get', 'pvc', 'plain']);
  assert.equal(o.spec.volumeMode, 'Filesystem');
  assert.deepEqual(o.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  assert.equal(o.status.phase, 'Pending');
});

test('StorageClass columns: (default) after the default class, nil fields as the printer shows them', () => {
  apply(`apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: example.com/fast
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
`);
  const out = c.ok(['get', 'sc', 'fast']);
  assert.equal(out, [
    'NAME   PROVISIONER        RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE',
    'fast   example.com/fast   Retain          WaitForFirstConsumer   true                   0s',
    '',
  ].join('\n'));
  c.ok(['delete', 'sc', 'fast']);
});

test('validation: a claim', () => {
  const err = fail(['create', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: bad
spec:
  resources: {}
`);
  assert.equal(err, [
    'The PersistentVolumeClaim "bad" is invalid: ',
    '* spec.accessModes: Required value: at least 1 access mode is required',
    '* spec.resources[storage]: Required value',
    '',
  ].join('\n'));
  assert.equal(
    fail(['create', '-f', '-'], pvc({ name: 'bad', modes: ['ReadWriteOncePod', 'ReadWriteOnce'], size: '0' })),
    [
      'The PersistentVolumeClaim "bad" is invalid: ',
      '* spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      '* spec.resources[storage]: Invalid value: "0": must be greater than zero',
      '',
    ].join('\n'),
  );
});

test('validation: a claim\'s selector (ValidateLabelSelector)', () => {
  const err = fail(['create', '-f', '-'], pvc({ name: 'sel', extra: '  selector:\n    matchLabels:\n      "a b": x\n    matchExpressions:\n    - {key: a, operator: In}\n    - {key: b, operator: Exists, values: [x]}\n    - {key: c, operator: Foo}\n' }));
  assert.equal(err, [
    'The PersistentVolumeClaim "sel" is invalid: ',
    "* spec.selector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    "* spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "* spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    '* spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
    '',
  ].join('\n'));
});

test('validation: a PV', () => {
  const err = fail(['create', '-f', '-'], `apiVersion: v1
kind: PersistentVolume
metadata:
  name: bad
spec:
  accessModes: [Foo]
  persistentVolumeReclaimPolicy: Keep
`);
  assert.equal(err, [
    'The PersistentVolume "bad" is invalid: ',
    '* spec.accessModes: Unsupported value: "Foo": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    '* spec.capacity: Required value',
    '* spec.capacity: Unsupported value: null: supported values: "storage"',
    '* spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
    '* spec: Required value: must specify a volume type',
    '',
  ].join('\n'));
});

test('validation: a StorageClass, and its immutable fields', () => {
  assert.equal(
    fail(['create', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: bad
reclaimPolicy: Recycle
volumeBindingMode: Later
`),
    [
      'The StorageClass "bad" is invalid: ',
      '* provisioner: Required value',
      '* reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      '* volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      '',
    ].join('\n'),
  );
  const sc = (prov, policy) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: slow
provisioner: ${prov}
reclaimPolicy: ${policy}
parameters:
  type: ${prov === 'a.io/x' ? 'one' : 'two'}
`;
  apply(sc('a.io/x', 'Delete'));
  assert.equal(fail(['apply', '-f', '-'], sc('b.io/y', 'Retain')), [
    'The StorageClass "slow" is invalid: ',
    '* parameters: Forbidden: updates to parameters are forbidden.',
    '* provisioner: Forbidden: updates to provisioner are forbidden.',
    '* reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    '',
  ].join('\n'));
  c.ok(['delete', 'sc', 'slow']);
});

test('a claim\'s spec is immutable but for the request', () => {
  apply(pvc({ name: 'fixed', cls: 'x' }));
  const err = fail(['apply', '-f', '-'], pvc({ name: 'fixed', cls: 'x', modes: ['ReadWriteMany'] }));
  assert.match(err, /^The PersistentVolumeClaim "fixed" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/);
});

test('every new cluster has minikube\'s default class `standard`', () => {
  assert.equal(c.ok(['get', 'sc']), [
    'NAME                 PROVISIONER                RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE',
    'standard (default)   k8s.io/minikube-hostpath   Delete          Immediate           false                  0s',
    '',
  ].join('\n'));
  const sc = json(['get', 'sc', 'standard']);
  assert.deepEqual(sc.metadata.labels, { 'addonmanager.kubernetes.io/mode': 'EnsureExists' });
  assert.equal(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class'], 'true');
  assert.equal(
    sc.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
    '{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"},"labels":{"addonmanager.kubernetes.io/mode":"EnsureExists"},"name":"standard"},"provisioner":"k8s.io/minikube-hostpath"}\n',
  );
});

test('a state made before StorageClasses existed gains `standard` when next opened, once', () => {
  const old = cluster({ seed: 'storage-old', init: [] });
  try {
    old.ok(['delete', 'sc', 'standard']);
    // what an older kubesim wrote: no record of upgrades, no StorageClass at all
    const file = join(old.dir, 'cluster.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    delete m.upgrades;
    writeFileSync(file, JSON.stringify(m));
    assert.match(old.ok(['get', 'sc', '--no-headers']), /^standard \(default\) +k8s.io\/minikube-hostpath +Delete +Immediate +false +0s\n$/);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).upgrades, ['storageclass-standard', 'root-ca-and-kube-proxy', 'daemonset-revisions', 'rbac-bootstrap-policy', 'system-priority-classes']);
    // deleted by the user afterwards, it stays deleted
    old.ok(['delete', 'sc', 'standard']);
    assert.equal(old.run(['get', 'sc']).stderr, 'No resources found\n');
  } finally {
    old.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// The PV controller, minikube's provisioner and the scheduler's VolumeBinding, on the simulated clock.

const events = (k, args) => {
  const out = k.ok(['describe', ...args]);
  return out.slice(out.indexOf('Events:'));
};

test('dynamic provisioning through the default class: pvc-<uid>, the hostpath, the three events', () => {
  const k = cluster({ seed: 'storage-dyn', init: [] });
  try {
    k.at('2025-03-01T12:00:10Z').ok(['apply', '-f', '-'], { input: pvc({ name: 'data' }) });
    const claim = JSON.parse(k.ok(['get', 'pvc', 'data', '-o', 'json']));
    const name = `pvc-${claim.metadata.uid}`;
    assert.equal(claim.spec.volumeName, name);
    assert.equal(claim.spec.storageClassName, 'standard');
    assert.deepEqual(claim.status, { accessModes: ['ReadWriteOnce'], capacity: { storage: '500Mi' }, phase: 'Bound' });
    assert.deepEqual(Object.keys(claim.metadata.annotations).sort(), [
      'kubectl.kubernetes.io/last-applied-configuration',
      'pv.kubernetes.io/bind-completed',
      'pv.kubernetes.io/bound-by-controller',
      'volume.beta.kubernetes.io/storage-provisioner',
      'volume.kubernetes.io/storage-provisioner',
    ]);
    const vol = JSON.parse(k.ok(['get', 'pv', name, '-o', 'json']));
    assert.deepEqual(vol.spec.hostPath, { path: '/tmp/hostpath-provisioner/default/data', type: '' });
    assert.equal(vol.spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.deepEqual(vol.spec.claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data', namespace: 'default', resourceVersion: vol.spec.claimRef.resourceVersion, uid: claim.metadata.uid });
    assert.equal(vol.metadata.annotations['pv.kubernetes.io/provisioned-by'], 'k8s.io/minikube-hostpath');
    k.at('2025-03-01T12:00:40Z');
    assert.equal(k.ok(['get', 'pvc']), [
      'NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE',
      `data   Bound    ${name}   500Mi      RWO            standard       <unset>                 30s`,
      '',
    ].join('\n'));
    assert.equal(k.ok(['get', 'pv', '-o', 'wide']), [
      'NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE   VOLUMEMODE',
      `${name}   500Mi      RWO            Delete           Bound    default/data   standard       <unset>                          30s   Filesystem`,
      '',
    ].join('\n'));
    const ev = events(k, ['pvc', 'data']).split('\n');
    assert.match(ev[3], /^ {2}Normal {2}ExternalProvisioning {3}30s {3}persistentvolume-controller +Waiting for a volume to be created either by the external provisioner 'k8s.io\/minikube-hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.$/);
    assert.match(ev[4], /^ {2}Normal {2}Provisioning {11}30s {3}k8s.io\/minikube-hostpath_controlplane_[0-9a-f-]{36} {2}External provisioner is provisioning volume for claim "default\/data"$/);
    assert.match(ev[5], new RegExp(`^  Normal  ProvisioningSucceeded  30s   k8s.io/minikube-hostpath_controlplane_[0-9a-f-]{36}  Successfully provisioned volume ${name}$`));
    // PersistentVolumeClaimResize: standard does not allow expansion
    const grow = k.run(['apply', '-f', '-'], { input: pvc({ name: 'data', size: '1Gi' }) });
    assert.equal(grow.code, 1);
    assert.match(grow.stderr, /persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize\n$/);
    // Delete: the claim goes, and its volume with it
    k.ok(['delete', 'pvc', 'data']);
    assert.equal(k.run(['get', 'pv']).stderr, 'No resources found\n');
  } finally {
    k.cleanup();
  }
});

test('static binding: the smallest fit, the fewest access modes first, the class must match', () => {
  const k = cluster({ seed: 'storage-static', init: [] });
  try {
    const vols = [
      pv({ name: 'big', size: '10Gi', cls: 'manual' }),
      pv({ name: 'small', size: '1Gi', cls: 'manual' }),
      pv({ name: 'medium', size: '2Gi', cls: 'manual' }),
      pv({ name: 'shared', size: '1Gi', cls: 'manual', modes: ['ReadWriteOnce', 'ReadWriteMany'] }),
      pv({ name: 'other', size: '1Gi', cls: 'slow' }),
    ];
    k.ok(['apply', '-f', '-'], { input: vols.join('---\n') });
    assert.deepEqual(k.ok(['get', 'pv', '--no-headers']).split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 5).join(' ')), [
      'big 10Gi RWO Retain Available',
      'medium 2Gi RWO Retain Available',
      'other 1Gi RWO Retain Available',
      'shared 1Gi RWO,RWX Retain Available',
      'small 1Gi RWO Retain Available',
    ]);
    // 1536Mi: small is too small, medium (2Gi) is the smallest that fits
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'a', size: '1536Mi', cls: 'manual' }) });
    // 1Gi RWO: small (RWO only) before shared (RWO,RWX), though both fit
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'b', size: '1Gi', cls: 'manual' }) });
    // RWX: only shared has it
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'c', size: '1Gi', cls: 'manual', modes: ['ReadWriteMany'] }) });
    assert.deepEqual(k.ok(['get', 'pvc', '--no-headers']).split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 5).join(' ')), [
      'a Bound medium 2Gi RWO',
      'b Bound small 1Gi RWO',
      'c Bound shared 1Gi RWO,RWX',
    ]);
    assert.match(k.ok(['get', 'pv', 'medium', '--no-headers']), /^medium +2Gi +RWO +Retain +Bound +default\/a +manual +<unset> +0s\n$/);
    // a class with no volume left and no StorageClass: Pending, the provisioning fails
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'd', size: '20Gi', cls: 'manual' }) });
    assert.match(k.ok(['get', 'pvc', 'd', '--no-headers']), /^d +Pending +manual +<unset> +0s\n$/);
    assert.match(events(k, ['pvc', 'd']), /Warning {2}ProvisioningFailed {2}0s +persistentvolume-controller {2}storageclass.storage.k8s.io "manual" not found\n/);
    // no class at all (""): the FailedBinding event
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'e', cls: '' }) });
    assert.equal(events(k, ['pvc', 'e']), [
      'Events:',
      '  Type    Reason         Age   From                         Message',
      '  ----    ------         ----  ----                         -------',
      '  Normal  FailedBinding  0s    persistentvolume-controller  no persistent volumes available for this claim and no storage class is set',
      '',
    ].join('\n'));
    // a volume that comes later is taken
    k.at('2025-03-01T12:01:00Z').ok(['apply', '-f', '-'], { input: pv({ name: 'late', size: '1Gi' }) });
    assert.match(k.ok(['get', 'pvc', 'e', '--no-headers']), /^e +Bound +late +1Gi +RWO +<unset> +60s\n$/);
    // pre-bound by the claim: volumeName
    k.ok(['apply', '-f', '-'], { input: pv({ name: 'mine', size: '1Gi', cls: 'manual' }) + '---\n' + pvc({ name: 'f', cls: 'manual', extra: '  volumeName: mine\n' }) });
    assert.match(k.ok(['get', 'pvc', 'f', '--no-headers']), /^f +Bound +mine +1Gi +RWO +manual/);
    // a volume that does not satisfy the claim that names it
    k.ok(['apply', '-f', '-'], { input: pv({ name: 'tiny', size: '100Mi', cls: 'manual' }) + '---\n' + pvc({ name: 'g', cls: 'manual', extra: '  volumeName: tiny\n' }) });
    assert.match(events(k, ['pvc', 'g']), /Warning {2}VolumeMismatch {2}0s +persistentvolume-controller {2}Cannot bind to requested volume "tiny": requested PV is too small\n/);
  } finally {
    k.cleanup();
  }
});

test('reclaim: Retain leaves the volume Released; Delete of a hostPath outside /tmp fails', () => {
  const k = cluster({ seed: 'storage-reclaim', init: [] });
  try {
    k.ok(['apply', '-f', '-'], { input: [pv({ name: 'keep', cls: 'manual' }), pv({ name: 'drop', cls: 'manual2', extra: '  persistentVolumeReclaimPolicy: Delete\n' }), pvc({ name: 'k', cls: 'manual' }), pvc({ name: 'd', cls: 'manual2' })].join('---\n') });
    k.at('2025-03-01T12:00:30Z').ok(['delete', 'pvc', 'k', 'd']);
    assert.equal(k.ok(['get', 'pv']), [
      'NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS     CLAIM       STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE',
      'drop   1Gi        RWO            Delete           Failed     default/d   manual2        <unset>                          30s',
      'keep   1Gi        RWO            Retain           Released   default/k   manual         <unset>                          30s',
      '',
    ].join('\n'));
    assert.match(events(k, ['pv', 'drop']), /Warning {2}VolumeFailedDelete {2}0s +persistentvolume-controller {2}host_path deleter only supports \/tmp\/.\+ but received provided \/data\/drop\n/);
    // a Released volume is not bound again: a new claim of its class stays Pending
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'again', cls: 'manual' }) });
    assert.match(k.ok(['get', 'pvc', 'again', '--no-headers']), /^again +Pending/);
    // Recycle (deprecated, still served): scrubbed and Available again, claimRef gone
    k.ok(['apply', '-f', '-'], { input: pv({ name: 'again', cls: 'r', extra: '  persistentVolumeReclaimPolicy: Recycle\n' }) + '---\n' + pvc({ name: 'r1', cls: 'r' }) });
    k.ok(['delete', 'pvc', 'r1']);
    assert.match(k.ok(['get', 'pv', 'again', '--no-headers']), /^again +1Gi +RWO +Recycle +Available +r +<unset>/);
    assert.match(events(k, ['pv', 'again']), /Normal {2}VolumeRecycled {2}0s +persistentvolume-controller {2}Volume recycled\n/);
    // a claim naming a volume another claim holds
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'r2', cls: 'r' }) + '---\n' + pvc({ name: 'r3', cls: 'r', extra: '  volumeName: again\n' }) });
    assert.match(k.ok(['get', 'pvc', 'r2', '--no-headers']), /^r2 +Bound +again/);
    assert.match(events(k, ['pvc', 'r3']), /Warning {2}FailedBinding {2}0s +persistentvolume-controller {2}volume "again" already bound to a different claim.\n/);
    // pv-protection: a bound volume deleted stays Terminating until its claim goes
    k.ok(['apply', '-f', '-'], { input: pv({ name: 'held', cls: 'manual3' }) + '---\n' + pvc({ name: 'h', cls: 'manual3' }) });
    k.ok(['delete', 'pv', 'held', '--wait=false']);
    assert.match(k.ok(['get', 'pv', 'held', '--no-headers']), /^held +1Gi +RWO +Retain +Terminating +default\/h/);
    k.ok(['delete', 'pvc', 'h']);
    assert.equal(k.run(['get', 'pv', 'held']).stderr, 'Error from server (NotFound): persistentvolumes "held" not found\n');
  } finally {
    k.cleanup();
  }
});

const podWith = (name, claim, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "infinity"]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claim}
`;

test('the scheduler: a missing claim, an unbound immediate claim, then the pod schedules once it binds', () => {
  const k = cluster({ seed: 'storage-sched', init: [] });
  try {
    k.ok(['apply', '-f', '-'], { input: podWith('p1', 'nothere') });
    const last = (pod) => events(k, ['pod', pod]).trim().split('\n').pop();
    assert.equal(last('p1'), '  Warning  FailedScheduling  0s    default-scheduler  0/3 nodes are available: persistentvolumeclaim "nothere" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'later', cls: 'manual' }) + '---\n' + podWith('p2', 'later') });
    assert.equal(last('p2'), '  Warning  FailedScheduling  0s    default-scheduler  0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    k.at('2025-03-01T12:00:20Z').ok(['apply', '-f', '-'], { input: pv({ name: 'vol', cls: 'manual' }) });
    const p2 = JSON.parse(k.ok(['get', 'pod', 'p2', '-o', 'json']));
    assert.ok(p2.spec.nodeName, 'p2 is scheduled once its claim is bound');
    // the claim that was missing appears: p1 schedules (provisioned through the default class)
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'nothere' }) });
    assert.ok(JSON.parse(k.ok(['get', 'pod', 'p1', '-o', 'json'])).spec.nodeName);
    // pvc-protection: the claim of a running pod stays Terminating until the pod is gone
    k.at('2025-03-01T12:01:00Z').ok(['delete', 'pvc', 'later', '--wait=false']);
    assert.match(k.ok(['get', 'pvc', 'later', '--no-headers']), /^later +Terminating +vol +1Gi +RWO +manual/);
    assert.match(k.ok(['describe', 'pvc', 'later']), /\nUsed By: +p2\n/);
    k.ok(['delete', 'pod', 'p2', '--wait=false']);
    k.at('2025-03-01T12:02:00Z');
    assert.equal(k.run(['get', 'pvc', 'later']).stderr, 'Error from server (NotFound): persistentvolumeclaims "later" not found\n');
    assert.match(k.ok(['get', 'pv', 'vol', '--no-headers']), /^vol +1Gi +RWO +Retain +Released +default\/later/);
  } finally {
    k.cleanup();
  }
});

test('the scheduler: a volume\'s node affinity limits the pod to its node', () => {
  const k = cluster({ seed: 'storage-affinity', init: [] });
  try {
    const affinity = (node) => `  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: kubernetes.io/hostname
          operator: In
          values: [${node}]
`;
    k.ok(['apply', '-f', '-'], { input: pv({ name: 'on2', cls: 'local', extra: affinity('node02') }) + '---\n' + pvc({ name: 'near', cls: 'local' }) + '---\n' + podWith('p', 'near') });
    assert.equal(JSON.parse(k.ok(['get', 'pod', 'p', '-o', 'json'])).spec.nodeName, 'node02');
    // a volume only the control plane (tainted) could serve
    k.ok(['apply', '-f', '-'], { input: pv({ name: 'oncp', cls: 'local2', extra: affinity('controlplane') }) + '---\n' + pvc({ name: 'far', cls: 'local2' }) + '---\n' + podWith('q', 'far') });
    assert.equal(
      events(k, ['pod', 'q']).trim().split('\n').pop(),
      '  Warning  FailedScheduling  0s    default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  } finally {
    k.cleanup();
  }
});

test('describe: storageclass, pv and pvc as kubectl 1.32 prints them', () => {
  const k = cluster({ seed: 'storage-describe', init: [] });
  try {
    k.ok(['apply', '-f', '-'], {
      input: [
        pv({ name: 'local-1', cls: 'manual', extra: '  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [node01, node02]\n' }),
        pvc({ name: 'claim-1', cls: 'manual', size: '1Gi' }),
        podWith('user-b', 'claim-1'),
        podWith('user-a', 'claim-1'),
      ].join('---\n'),
    });
    k.at('2025-03-01T12:05:00Z');
    assert.equal(k.ok(['describe', 'sc', 'standard']), [
      'Name:            standard',
      'IsDefaultClass:  Yes',
      'Annotations:     kubectl.kubernetes.io/last-applied-configuration={"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"},"labels":{"addonmanager.kubernetes.io/mode":"EnsureExists"},"name":"standard"},"provisioner":"k8s.io/minikube-hostpath"}',
      ',storageclass.kubernetes.io/is-default-class=true',
      'Provisioner:           k8s.io/minikube-hostpath',
      'Parameters:            <none>',
      'AllowVolumeExpansion:  <unset>',
      'MountOptions:          <none>',
      'ReclaimPolicy:         Delete',
      'VolumeBindingMode:     Immediate',
      'Events:                <none>',
      '',
    ].join('\n'));
    assert.equal(k.ok(['describe', 'pv', 'local-1']), [
      // one tabwriter block from Name to Message: the widest label is "  Required Terms:"
      'Name:              local-1',
      'Labels:            <none>',
      'Annotations:       pv.kubernetes.io/bound-by-controller: yes',
      'Finalizers:        [kubernetes.io/pv-protection]',
      'StorageClass:      manual',
      'Status:            Bound',
      'Claim:             default/claim-1',
      'Reclaim Policy:    Retain',
      'Access Modes:      RWO',
      'VolumeMode:        Filesystem',
      'Capacity:          1Gi',
      'Node Affinity:     ',
      '  Required Terms:  ',
      '    Term 0:        kubernetes.io/hostname in [node01, node02]',
      'Message:           ',
      'Source:',
      '    Type:          HostPath (bare host directory volume)',
      '    Path:          /data/local-1',
      '    HostPathType:  ',
      'Events:            <none>',
      '',
    ].join('\n'));
    assert.equal(k.ok(['describe', 'pvc', 'claim-1']), [
      'Name:          claim-1',
      'Namespace:     default',
      'StorageClass:  manual',
      'Status:        Bound',
      'Volume:        local-1',
      'Labels:        <none>',
      'Annotations:   pv.kubernetes.io/bind-completed: yes',
      '               pv.kubernetes.io/bound-by-controller: yes',
      'Finalizers:    [kubernetes.io/pvc-protection]',
      'Capacity:      1Gi',
      'Access Modes:  RWO',
      'VolumeMode:    Filesystem',
      'Used By:       user-a',
      '               user-b',
      'Events:        <none>',
      '',
    ].join('\n'));
    k.ok(['delete', 'pvc', 'claim-1', '--wait=false']);
    k.at('2025-03-01T12:05:30Z');
    assert.match(k.ok(['describe', 'pvc', 'claim-1']), /\nStatus:        Terminating \(lasts 30s\)\n/);
  } finally {
    k.cleanup();
  }
});

test('WaitForFirstConsumer: the claim waits for a pod, binds where the pod goes; no volume and no provisioner fails', () => {
  const k = cluster({ seed: 'storage-wffc', init: [] });
  try {
    const sc = (name, prov) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
provisioner: ${prov}
volumeBindingMode: WaitForFirstConsumer
`;
    const on = (node) => `  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [${node}]\n`;
    k.ok(['apply', '-f', '-'], { input: [sc('local', 'kubernetes.io/no-provisioner'), sc('late', 'k8s.io/minikube-hostpath'), pv({ name: 'disk', cls: 'local', extra: on('node01') }), pvc({ name: 'w', cls: 'local' })].join('---\n') });
    assert.match(k.ok(['get', 'pvc', 'w', '--no-headers']), /^w +Pending +local/);
    assert.match(events(k, ['pvc', 'w']), /Normal {2}WaitForFirstConsumer {2}0s +persistentvolume-controller {2}waiting for first consumer to be created before binding\n/);
    k.ok(['apply', '-f', '-'], { input: podWith('a', 'w') });
    assert.equal(JSON.parse(k.ok(['get', 'pod', 'a', '-o', 'json'])).spec.nodeName, 'node01');
    assert.match(k.ok(['get', 'pvc', 'w', '--no-headers']), /^w +Bound +disk +1Gi/);
    // no volume left of the class, and it provisions nothing
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'x', cls: 'local' }) + '---\n' + podWith('b', 'x') });
    assert.equal(
      events(k, ['pod', 'b']).trim().split('\n').pop(),
      "  Warning  FailedScheduling  0s    default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    // a provisioning class: provisioned once the pod is placed, on the node chosen
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'prov', cls: 'late' }) });
    assert.match(k.ok(['get', 'pvc', 'prov', '--no-headers']), /^prov +Pending +late/);
    k.ok(['apply', '-f', '-'], { input: podWith('c', 'prov') });
    const pod = JSON.parse(k.ok(['get', 'pod', 'c', '-o', 'json']));
    const claim = JSON.parse(k.ok(['get', 'pvc', 'prov', '-o', 'json']));
    assert.equal(claim.metadata.annotations['volume.kubernetes.io/selected-node'], pod.spec.nodeName);
    assert.equal(claim.status.phase, 'Bound');
    assert.equal(claim.spec.volumeName, `pvc-${claim.metadata.uid}`);
  } finally {
    k.cleanup();
  }
});

test('a claim made while there was no default class gets the default once there is one', () => {
  const k = cluster({ seed: 'storage-retro', init: [] });
  try {
    k.ok(['delete', 'sc', 'standard']);
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'early' }) });
    assert.equal(JSON.parse(k.ok(['get', 'pvc', 'early', '-o', 'json'])).spec.storageClassName, undefined);
    assert.match(events(k, ['pvc', 'early']), /FailedBinding {2}0s +persistentvolume-controller {2}no persistent volumes available for this claim and no storage class is set\n/);
    k.ok(['apply', '-f', '-'], { input: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: newdefault
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: k8s.io/minikube-hostpath
` });
    assert.match(k.ok(['get', 'pvc', 'early', '--no-headers']), /^early +Bound +pvc-[0-9a-f-]+ +500Mi +RWO +newdefault/);
  } finally {
    k.cleanup();
  }
});

test('a Pending claim is looked at again every 15 s (the controller\'s resync): its event counts up', () => {
  const k = cluster({ seed: 'storage-resync', init: [] });
  try {
    k.ok(['apply', '-f', '-'], { input: pvc({ name: 'lonely', cls: '' }) });
    k.at('2025-03-01T12:01:05Z');
    assert.equal(
      events(k, ['pvc', 'lonely']).split('\n')[3],
      '  Normal  FailedBinding  5s (x5 over 65s)  persistentvolume-controller  no persistent volumes available for this claim and no storage class is set',
    );
    assert.equal(k.ok(['get', 'pvc', 'lonely', '-o', 'wide']), [
      'NAME     STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE   VOLUMEMODE',
      'lonely   Pending                                                     <unset>                 65s   Filesystem',
      '',
    ].join('\n'));
  } finally {
    k.cleanup();
  }
});

test('the server\'s warnings: Recycle, the beta class annotation, a fractional byte request', () => {
  const r = c.run(['create', '-f', '-'], {
    input: pv({ name: 'recycled', cls: 'w', extra: '  persistentVolumeReclaimPolicy: Recycle\n' }) + '---\n' + pvc({ name: 'frac', cls: 'w', size: '1.5' }).replace('metadata:\n', 'metadata:\n  annotations:\n    volume.beta.kubernetes.io/storage-class: w\n'),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, [
    'Warning: spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.',
    'Warning: metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead',
    'Warning: spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
    '',
  ].join('\n'));
});
