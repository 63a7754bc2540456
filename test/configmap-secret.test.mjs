// Issue 15: ConfigMap and Secret. The generators (create configmap, create secret generic | tls |
// docker-registry) compared byte for byte with real kubectl running offline (--dry-run=client),
// errors included; the kinds' validation, columns and describers; kube-root-ca.crt in every namespace.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster, hasKubectl } from './helpers.mjs';

const c = cluster({ seed: 'cmsecret' });
const D = mkdtempSync(join(tmpdir(), 'kubesim-cm-'));
after(() => {
  c.cleanup();
  rmSync(D, { recursive: true, force: true });
});

writeFileSync(join(D, 'f.txt'), 'hello\n');
writeFileSync(join(D, 'g.conf'), 'x=1\ny=<&>\n');
writeFileSync(join(D, 'bin.dat'), Buffer.from([0xff, 0xfe, 0x00, 0x01]));
writeFileSync(join(D, 'app.env'), '\ufeffA=1\n# comment\n\n   B=two words\nC=has=equals\nD=\r\nE="quoted"\n');
writeFileSync(join(D, 'bad.env'), 'A=1\nexport B=2\n');
writeFileSync(join(D, 'digit.env'), '1A=1\n');
writeFileSync(join(D, 'fromenv.env'), 'HOME_NOT_SET_X\nA=1\n');
mkdirSync(join(D, 'dir'));
writeFileSync(join(D, 'dir', 'one'), 'x');
writeFileSync(join(D, 'dir', 'two.json'), '{"a": 1}\n');
writeFileSync(join(D, 'dir', 'raw'), Buffer.from([0xc3, 0x28]));
mkdirSync(join(D, 'dir', 'sub'));
symlinkSync(join(D, 'f.txt'), join(D, 'dir', 'link'));
mkdirSync(join(D, 'baddir'));
writeFileSync(join(D, 'baddir', 'a b'), 'x');
writeFileSync(join(D, 'docker.json'), '{"auths":{}}');
spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(D, 'tls.key'), '-out', join(D, 'tls.crt'), '-days', '1', '-subj', '/CN=example.com'], { encoding: 'utf8' });
spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(D, 'other.key'), '-out', join(D, 'other.crt'), '-days', '1', '-subj', '/CN=other'], { encoding: 'utf8' });

const CASES = [
  'create configmap cfg --from-literal=a=b',
  'create configmap cfg --from-literal=a=b --from-literal=c=d=e',
  'create cm cfg --from-literal=a=',
  'create configmap cfg',
  'create configmap cfg --from-file=$D/f.txt',
  'create configmap cfg --from-file=greeting=$D/f.txt',
  'create configmap cfg --from-file=$D/f.txt,$D/g.conf',
  'create configmap cfg --from-file=$D/f.txt --from-literal=k=v',
  'create configmap cfg --from-file=$D/bin.dat',
  'create configmap cfg --from-file=$D/dir',
  'create configmap cfg --from-file=$D/dir --append-hash',
  'create configmap cfg --from-literal=a=b --append-hash',
  'create configmap cfg --from-literal=html=<a&b> --append-hash',
  'create configmap cfg --from-env-file=$D/app.env',
  'create configmap cfg --from-env-file=$D/app.env --append-hash',
  'create configmap cfg --from-env-file=$D/fromenv.env',
  'create configmap cfg --from-literal=a=b -n team-a',
  'create configmap cfg --from-file=$D/missing',
  'create configmap cfg --from-env-file=$D/missing.env',
  'create configmap cfg --from-file=k=$D/dir',
  'create configmap cfg --from-file==$D/f.txt',
  'create configmap cfg --from-file=k=',
  'create configmap cfg --from-file=a=b=c',
  'create configmap cfg --from-literal=a',
  'create configmap cfg --from-literal==b',
  'create configmap cfg --from-literal=a/b=c',
  'create configmap cfg --from-literal=..a=c',
  'create configmap cfg --from-literal=a=1 --from-literal=a=2',
  'create configmap cfg --from-file=f.txt=$D/f.txt --from-literal=f.txt=2',
  'create configmap cfg --from-file=$D/baddir',
  'create configmap cfg --from-env-file=$D/bad.env',
  'create configmap cfg --from-env-file=$D/digit.env',
  'create configmap cfg --from-env-file=$D/dir',
  'create configmap cfg --from-env-file=$D/app.env --from-literal=a=b',
  'create configmap',
  'create configmap a b',
  'create secret generic s --from-literal=user=admin --from-literal=pass=s3cr3t',
  'create secret generic s',
  'create secret generic s --from-literal=a=b --type=foo',
  'create secret generic s --from-file=$D/f.txt --from-file=$D/bin.dat',
  'create secret generic s --from-file=$D/dir',
  'create secret generic s --from-env-file=$D/app.env',
  'create secret generic s --from-literal=a=b --append-hash',
  'create secret generic s --from-literal=a=b --type=kubernetes.io/basic-auth --append-hash',
  'create secret generic s --from-literal=a=1 --from-literal=a=2',
  'create secret generic s --from-literal=f.txt=1 --from-file=$D/f.txt',
  'create secret generic s --from-literal=a/b=1',
  'create secret generic s --from-file=$D/missing',
  'create secret generic s --from-env-file=$D/bad.env',
  'create secret generic s --from-env-file=$D/dir',
  'create secret generic',
  'create secret tls t --cert=$D/tls.crt --key=$D/tls.key',
  'create secret tls t --cert=$D/tls.crt --key=$D/tls.key --append-hash',
  'create secret tls t --cert=$D/tls.crt',
  'create secret tls t --cert=$D/missing.crt --key=$D/tls.key',
  'create secret tls t --cert=$D/f.txt --key=$D/tls.key',
  'create secret tls t --cert=$D/tls.crt --key=$D/f.txt',
  'create secret tls t --cert=$D/tls.crt --key=$D/other.key',
  'create secret tls t --cert=$D/tls.key --key=$D/tls.key',
  'create secret tls t --cert=$D/tls.crt --key=$D/tls.crt',
  'create secret docker-registry reg --docker-username=u --docker-password=p',
  'create secret docker-registry reg --docker-server=ghcr.io --docker-username=u --docker-password=p --docker-email=u@example.com',
  'create secret docker-registry reg --docker-server=ghcr.io --docker-username=u --docker-password=p<&> --append-hash',
  'create secret docker-registry reg --from-file=.dockerconfigjson=$D/docker.json',
  'create secret docker-registry reg --docker-username=u',
  'create secret docker-registry reg',
  'create secret docker-registry reg --docker-username=u --docker-password=p --docker-server=',
  'create configmap cfg --from-file=',
  'create configmap cfg --from-literal=constructor=x --from-literal=__proto__=y --append-hash',
  'create secret generic s --from-literal=constructor=x --from-literal=__proto__=y --from-literal=toString=z',
  'create configmap cfg --from-file=$D/f.txt,$D/missing',
];

const norm = (s) => s.replaceAll('kubectl', 'kubesim');

test('create configmap / secret match kubectl --dry-run=client: -o yaml, -o json, -o name and the plain line', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  let compared = 0;
  for (const line of CASES) {
    for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
      const args = [...line.replaceAll('$D', D).split(' '), '--dry-run=client', ...out];
      const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
      const s = c.run(args);
      const label = args.join(' ');
      assert.equal(norm(s.stderr), norm(k.stderr), `${label}: stderr`);
      assert.equal(s.stdout, k.stdout, `${label}: stdout`);
      assert.equal(s.code, k.status, `${label}: exit code`);
      compared++;
      if (k.status !== 0) break; // an error is the same whatever the output format
    }
  }
  t.diagnostic(`${CASES.length} argument sets, ${compared} outputs compared`);
  assert.ok(compared >= 150, `compared ${compared}`);
});

test('created for real: names, columns, kubectl\'s wrapped server errors', () => {
  assert.equal(c.ok(['create', 'configmap', 'app', '--from-literal=a=1', `--from-file=${D}/bin.dat`]), 'configmap/app created\n');
  assert.equal(c.ok(['create', 'secret', 'generic', 'db', '--from-literal=user=admin', '--from-literal=pass=s3cr3t']), 'secret/db created\n');
  assert.equal(c.ok(['create', 'secret', 'tls', 'web-tls', `--cert=${D}/tls.crt`, `--key=${D}/tls.key`]), 'secret/web-tls created\n');
  assert.equal(c.ok(['create', 'secret', 'docker-registry', 'reg', '--docker-username=u', '--docker-password=p']), 'secret/reg created\n');
  assert.equal(c.ok(['get', 'cm', 'app']), 'NAME   DATA   AGE\napp    2      0s\n');
  assert.equal(c.ok(['get', 'secrets']), [
    'NAME      TYPE                             DATA   AGE',
    'db        Opaque                           2      0s',
    'reg       kubernetes.io/dockerconfigjson   1      0s',
    'web-tls   kubernetes.io/tls                2      0s',
    '',
  ].join('\n'));
  assert.equal(c.run(['create', 'cm', 'app', '--from-literal=a=1']).stderr, 'error: failed to create configmap: configmaps "app" already exists\n');
  assert.equal(c.run(['create', 'secret', 'generic', 'db']).stderr, 'error: failed to create secret secrets "db" already exists\n');
  const tls = c.run(['create', 'secret', 'generic', 'half', '--type=kubernetes.io/tls', '--from-literal=tls.crt=x']);
  assert.equal(tls.stderr, 'error: failed to create secret Secret "half" is invalid: data[tls.key]: Required value\n');
  assert.equal(tls.code, 1);
  assert.match(c.ok(['api-resources']), /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
});

test('validation: config keys, sizes, required keys per type, stringData merged, type defaulted', () => {
  const apply = (doc) => c.run(['apply', '-f', '-'], { input: JSON.stringify(doc) });
  const cm = (name, extra) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });
  const secret = (name, extra) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, ...extra });
  let r = apply(cm('keys', { data: { 'a b': '1', ok: '2' }, binaryData: { ok: 'eA==' } }));
  assert.equal(r.stderr, [
    'The ConfigMap "keys" is invalid: ',
    '* data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')',
    '* data[ok]: Invalid value: "ok": duplicate of key present in binaryData',
    '* binaryData[ok]: Invalid value: "ok": duplicate of key present in data',
    '',
  ].join('\n'));
  r = apply(cm('dots', { data: { '..a': '1' } }));
  assert.match(r.stderr, /data\[\.\.a\]: Invalid value: "\.\.a": must not start with '\.\.'/);
  // create: apply's last-applied annotation would be too long as well
  r = c.run(['create', '-f', '-'], { input: JSON.stringify(cm('big', { data: { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(600 * 1024) } })) });
  assert.equal(r.stderr, 'The ConfigMap "big" is invalid: : Too long: must have at most 1048576 bytes\n');
  r = apply(secret('dcj', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'nope' } }));
  assert.match(r.stderr, /data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null \(expecting 'u'\)|invalid character/);
  r = apply(secret('sat', { type: 'kubernetes.io/service-account-token' }));
  assert.match(r.stderr, /metadata\.annotations\[kubernetes\.io\/service-account\.name\]: Required value/);
  r = apply(secret('basic', { type: 'kubernetes.io/basic-auth' }));
  assert.match(r.stderr, /\* data\[username\]: Required value\n\* data\[password\]: Required value\n/);
  r = apply(secret('ssh', { type: 'kubernetes.io/ssh-auth' }));
  assert.match(r.stderr, /data\[ssh-privatekey\]: Required value/);
  assert.equal(apply(secret('merged', { data: { a: 'MQ==', b: 'Mg==' }, stringData: { b: 'two', c: 'three' } })).stdout, 'secret/merged created\n');
  const s = JSON.parse(c.ok(['get', 'secret', 'merged', '-o', 'json']));
  assert.deepEqual(s.data, { a: 'MQ==', b: 'dHdv', c: 'dGhyZWU=' });
  assert.equal(s.type, 'Opaque');
  assert.equal(s.stringData, undefined);
  // keys that are names of Object.prototype's members are keys like any other
  const raw = (text) => c.run(['apply', '-f', '-'], { input: text });
  assert.equal(raw('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"proto"},"data":{"__proto__":"x","constructor":"y"}}').code, 0);
  assert.equal(c.ok(['get', 'cm', 'proto', '-o', 'jsonpath={.data}']), '{"__proto__":"x","constructor":"y"}');
  assert.equal(raw('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"proto"},"stringData":{"__proto__":"x"},"data":{"constructor":"eQ=="}}').code, 0);
  assert.equal(c.ok(['get', 'secret', 'proto', '-o', 'jsonpath={.data}']), '{"__proto__":"eA==","constructor":"eQ=="}');
  // a []byte sent as an array of numbers is stored as base64
  assert.equal(apply(secret('arr', { data: { a: [104, 105] } })).code, 0);
  assert.equal(c.ok(['get', 'secret', 'arr', '-o', 'jsonpath={.data.a}']), 'aGk=');
});

test('immutable ConfigMap and Secret: data and immutable are refused on update, type is immutable', () => {
  const apply = (doc) => c.run(['apply', '-f', '-'], { input: JSON.stringify(doc) });
  assert.equal(apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen' }, data: { a: '1' }, immutable: true }).code, 0);
  let r = apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen' }, data: { a: '2' }, immutable: true });
  assert.match(r.stderr, /ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set\n$/);
  r = apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen' }, data: { a: '1' }, immutable: false });
  assert.match(r.stderr, /ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set\n$/);
  // labels may still change
  assert.equal(apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen', labels: { x: 'y' } }, data: { a: '1' }, immutable: true }).code, 0);
  assert.equal(apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sealed' }, stringData: { a: '1' }, immutable: true }).code, 0);
  r = apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sealed' }, stringData: { a: '2' }, immutable: true });
  assert.match(r.stderr, /Secret "sealed" is invalid: data: Forbidden: field is immutable when `immutable` is set\n$/);
  r = apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sealed' }, stringData: { a: '1' }, immutable: true, type: 'other' });
  assert.match(r.stderr, /Secret "sealed" is invalid: type: Invalid value: "other": field is immutable\n$/);
});

test('describe configmap / secret: kubectl\'s describers', () => {
  c.ok(['create', 'configmap', 'desc', '--from-literal=b=two', '--from-literal=a=1', `--from-file=${D}/bin.dat`]);
  assert.equal(c.ok(['describe', 'configmap', 'desc']), [
    'Name:         desc', 'Namespace:    default', 'Labels:       <none>', 'Annotations:  <none>', '',
    'Data', '====', 'a:', '----', '1', '', 'b:', '----', 'two', '', '',
    'BinaryData', '====', 'bin.dat: 4 bytes', '', 'Events:  <none>', '',
  ].join('\n'));
  c.ok(['create', 'secret', 'generic', 'desc', '--from-literal=password=hunter2', '--from-literal=user=admin']);
  assert.equal(c.ok(['describe', 'secret', 'desc']), [
    'Name:         desc', 'Namespace:    default', 'Labels:       <none>', 'Annotations:  <none>', '',
    'Type:  Opaque', '', 'Data', '====', 'password:  7 bytes', 'user:      5 bytes', '',
  ].join('\n'));
});

test('kube-root-ca.crt: in every namespace from init, in new ones, and put back when deleted or changed', () => {
  const cms = JSON.parse(c.ok(['get', 'cm', '-A', '--field-selector=metadata.name=kube-root-ca.crt', '-o', 'json'])).items;
  assert.deepEqual(cms.map((x) => x.metadata.namespace), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  const ca = cms[0].data['ca.crt'];
  assert.match(ca, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]+\n-----END CERTIFICATE-----\n$/);
  assert.ok(cms.every((x) => x.data['ca.crt'] === ca), 'one CA for the cluster');
  assert.match(cms[0].metadata.annotations['kubernetes.io/description'], /^Contains a CA bundle/);
  c.ok(['create', 'namespace', 'team-b']);
  assert.equal(c.ok(['get', 'cm', '-n', 'team-b']), 'NAME               DATA   AGE\nkube-root-ca.crt   1      0s\n');
  c.ok(['delete', 'cm', 'kube-root-ca.crt', '-n', 'team-b']);
  assert.equal(JSON.parse(c.ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'team-b', '-o', 'json'])).data['ca.crt'], ca);
  c.run(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'team-b' }, data: { 'ca.crt': 'mine' } }) });
  assert.equal(JSON.parse(c.ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'team-b', '-o', 'json'])).data['ca.crt'], ca);
  // the same seed, the same CA
  const other = cluster({ seed: 'cmsecret' });
  try {
    other.ok(['cluster', 'init']);
    assert.equal(JSON.parse(other.ok(['get', 'cm', 'kube-root-ca.crt', '-o', 'json'])).data['ca.crt'], ca);
  } finally {
    other.cleanup();
  }
});

test('pods: envFrom and key references in exec\'s environment; a missing ConfigMap is CreateContainerConfigError until it exists', () => {
  const p = cluster({ seed: 'cmsecret-pods' });
  try {
    p.ok(['create', 'configmap', 'app', '--from-literal=MODE=prod', '--from-literal=bad.key-1=x', '--from-literal=1bad=y']);
    p.ok(['create', 'secret', 'generic', 'db', '--from-literal=password=hunter2']);
    const pod = (name, env, envFrom) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], env, envFrom }] } });
    p.ok(['apply', '-f', '-'], {
      input: pod('uses', [
        { name: 'DB_PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
        { name: 'MODE', value: 'overridden' },
      ], [{ configMapRef: { name: 'app' } }, { prefix: 'S_', secretRef: { name: 'db' } }]),
    });
    p.ok(['apply', '-f', '-'], { input: pod('waits', [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'later', key: 'level' } } }]) });
    p.ok(['apply', '-f', '-'], { input: pod('nokey', [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }]) });
    p.at('2025-03-01T12:00:30Z');
    const env = p.ok(['exec', 'uses', '--', 'printenv']);
    assert.match(env, /\nMODE=overridden\nbad\.key-1=x\nS_password=hunter2\nDB_PASS=hunter2\n/);
    assert.doesNotMatch(env, /1bad|OPT=/);
    const waiting = (name) => JSON.parse(p.ok(['get', 'pod', name, '-o', 'json'])).status.containerStatuses[0].state.waiting;
    assert.deepEqual(waiting('waits'), { message: 'configmap "later" not found', reason: 'CreateContainerConfigError' });
    assert.deepEqual(waiting('nokey'), { message: "couldn't find key user in Secret default/db", reason: 'CreateContainerConfigError' });
    assert.match(p.ok(['get', 'pod', 'waits']), /waits   0\/1     CreateContainerConfigError   0          30s/);
    assert.match(p.ok(['describe', 'pod', 'waits']), /Warning  Failed     \d+s \(x3 over 30s\)\s+kubelet\s+Error: configmap "later" not found/);
    p.ok(['create', 'configmap', 'later', '--from-literal=level=debug']);
    p.at('2025-03-01T12:00:45Z');
    assert.match(p.ok(['get', 'pod', 'waits']), /waits   1\/1     Running   0          45s/);
    assert.equal(p.ok(['exec', 'waits', '--', 'printenv', 'LEVEL']), 'debug\n');
  } finally {
    p.cleanup();
  }
});
