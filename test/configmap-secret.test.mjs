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
    }
  }
  assert.ok(compared >= 4 * 60);
});
