// Issue 15, part 6: storage. StorageClass, PersistentVolume and PersistentVolumeClaim as the 1.32
// apiserver serves them: their columns (pkg/printers/internalversion/printers.go printStorageClass,
// printPersistentVolume, printPersistentVolumeClaim), defaults (SetDefaults_*, the DefaultStorageClass
// and StorageObjectInUseProtection admission plugins) and validation messages
// (pkg/apis/core/validation, pkg/apis/storage/validation).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
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
