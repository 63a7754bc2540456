// Issue 15, part 2: ServiceAccounts. The kind (sa, NAME SECRETS AGE, describe as kubectl's
// describer), the serviceaccount controller's `default` in every namespace, kubeadm's kube-system
// accounts, the admission plugin's look-up, `create serviceaccount` against real kubectl, and
// `create token` / the pod's projected token as JWTs on the simulated clock.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, hasKubectl, ROOT } from './helpers.mjs';

const c = cluster({ seed: 'serviceaccount', init: [] });
after(() => c.cleanup());

/** the JSON of a JWT's part */
const part = (jwt, i) => JSON.parse(Buffer.from(jwt.trim().split('.')[i], 'base64url').toString('utf8'));
const NOW_S = Date.parse('2025-03-01T12:00:00Z') / 1000;

const KUBE_SYSTEM = [
  'attachdetach-controller', 'bootstrap-signer', 'certificate-controller', 'clusterrole-aggregation-controller', 'coredns', 'cronjob-controller',
  'daemon-set-controller', 'default', 'deployment-controller', 'disruption-controller', 'endpoint-controller', 'endpointslice-controller',
  'endpointslicemirroring-controller', 'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector', 'horizontal-pod-autoscaler',
  'job-controller', 'kube-proxy', 'legacy-service-account-token-cleaner', 'namespace-controller', 'node-controller', 'persistent-volume-binder',
  'pod-garbage-collector', 'pv-protection-controller', 'pvc-protection-controller', 'replicaset-controller', 'replication-controller',
  'resourcequota-controller', 'root-ca-cert-publisher', 'service-account-controller', 'statefulset-controller', 'token-cleaner',
  'ttl-after-finished-controller', 'ttl-controller', 'validatingadmissionpolicy-status-controller',
];

test('a new cluster has default in every namespace and kubeadm\'s accounts in kube-system', () => {
  const rows = c.ok(['get', 'sa', '-A', '--no-headers']).trim().split('\n').map((l) => l.split(/\s+/));
  const by = (ns) => rows.filter((r) => r[0] === ns).map((r) => r[1]);
  for (const ns of ['default', 'kube-node-lease', 'kube-public']) assert.deepEqual(by(ns), ['default'], ns);
  assert.deepEqual(by('kube-system'), KUBE_SYSTEM);
  assert.ok(rows.every((r) => r[2] === '0' && r[3] === '0s'));
  assert.equal(c.ok(['get', 'serviceaccounts', '-n', 'kube-system', 'coredns']), 'NAME      SECRETS   AGE\ncoredns   0         0s\n');
  assert.match(c.ok(['api-resources']), /\nserviceaccounts +sa +v1 +true +ServiceAccount\n/);
});

const DESCRIBE_CASES = [
  {
    name: 'default',
    manifest: null,
    want: ['Name:                default', 'Namespace:           default', 'Labels:              <none>', 'Annotations:         <none>', 'Image pull secrets:  <none>', 'Mountable secrets:   <none>', 'Tokens:              <none>', 'Events:              <none>', ''],
  },
  {
    name: 'builder',
    manifest: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n  labels: {team: a, app: ci}\n  annotations: {owner: ops}\nsecrets:\n- name: s1\n- name: s2\nimagePullSecrets:\n- name: regcred\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\n',
    want: ['Name:                builder', 'Namespace:           default', 'Labels:              app=ci', '                     team=a', 'Annotations:         owner: ops', 'Image pull secrets:  regcred (not found)', 'Mountable secrets:   s1', '                     s2 (not found)', 'Tokens:              <none>', 'Events:              <none>', ''],
  },
];

test('describe serviceaccount: kubectl\'s describer, its three sorted headers', () => {
  for (const k of DESCRIBE_CASES) {
    if (k.manifest) c.ok(['apply', '-f', '-'], { input: k.manifest });
    assert.equal(c.ok(['describe', 'sa', k.name]), k.want.join('\n'), k.name);
  }
  assert.equal(c.ok(['get', 'sa', 'builder']), 'NAME      SECRETS   AGE\nbuilder   2         0s\n');
});

test('the controller makes default in a new namespace and again when it is deleted', () => {
  c.ok(['create', 'namespace', 'team']);
  const first = c.ok(['get', 'sa', 'default', '-n', 'team', '-o', 'jsonpath={.metadata.uid}']);
  assert.match(first, /^[0-9a-f-]{36}$/);
  assert.equal(c.ok(['delete', 'sa', 'default', '-n', 'team']), 'serviceaccount "default" deleted\n');
  const again = c.ok(['get', 'sa', 'default', '-n', 'team', '-o', 'jsonpath={.metadata.uid}']);
  assert.match(again, /^[0-9a-f-]{36}$/);
  assert.notEqual(again, first);
  c.ok(['delete', 'namespace', 'team']);
  assert.doesNotMatch(c.ok(['get', 'sa', '-A']), /^team /m);
});

const ADMISSION_CASES = [
  { sa: undefined, ok: true },
  { sa: 'default', ok: true },
  { sa: 'builder', ok: true },
  { sa: 'nope', ok: false },
];

test('admission: a pod runs as an existing ServiceAccount (default when unnamed); a Namespace and its Pod applied together', () => {
  for (const [i, k] of ADMISSION_CASES.entries()) {
    const name = `p${i}`;
    const spec = `${k.sa ? `  serviceAccountName: ${k.sa}\n` : ''}  containers: [{name: c, image: nginx}]\n`;
    const r = c.run(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n${spec}` });
    if (k.ok) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(c.ok(['get', 'pod', name, '-o', 'jsonpath={.spec.serviceAccountName}']), k.sa ?? 'default');
    } else {
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `Error from server (Forbidden): error when creating "STDIN": pods "${name}" is forbidden: error looking up service account default/${k.sa}: serviceaccount "${k.sa}" not found\n`);
    }
  }
  const both = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: fresh}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: fresh}\nspec:\n  containers: [{name: c, image: nginx}]\n';
  assert.equal(c.ok(['apply', '-f', '-'], { input: both }), 'namespace/fresh created\npod/web created\n');
  assert.equal(c.ok(['get', 'sa', '-n', 'fresh', '--no-headers']).split(/\s+/)[0], 'default');
});

const GENERATOR_CASES = [
  'create serviceaccount x',
  'create serviceaccount x -n team-a',
  'create sa my-sa',
  'create sa A_b',
  'create serviceaccount',
  'create serviceaccount a b',
];

test('create serviceaccount matches kubectl --dry-run=client: -o yaml, -o json, -o name and the plain line', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed: nothing to compare with');
  for (const line of GENERATOR_CASES) {
    for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
      const args = [...line.split(' '), '--dry-run=client', ...out];
      const k = spawnSync('kubectl', args, { encoding: 'utf8' });
      const s = c.run(args);
      const label = args.join(' ');
      assert.equal(s.code, k.status, `${label}: exit code (stderr ${s.stderr})`);
      assert.equal(s.stdout, k.stdout, `${label}: stdout`);
      assert.equal(s.stderr, k.stderr.replaceAll('kubectl', 'kubesim'), `${label}: stderr`);
    }
  }
});

test('create serviceaccount creates it; a taken or invalid name is refused as the apiserver refuses it', () => {
  assert.equal(c.ok(['create', 'serviceaccount', 'bot']), 'serviceaccount/bot created\n');
  assert.equal(c.run(['create', 'sa', 'bot']).stderr, 'error: failed to create serviceaccount: serviceaccounts "bot" already exists\n');
  assert.match(c.run(['create', 'sa', 'Bad_']).stderr, /^error: failed to create serviceaccount: ServiceAccount "Bad_" is invalid: metadata\.name: Invalid value: "Bad_": a lowercase RFC 1123 subdomain/);
});

const TOKEN_FLAG_CASES = [
  'create token',
  'create token a b',
  'create token x --duration=-1s',
  'create token x --duration=1500ms',
  'create token x --duration=abc',
  'create token x --audience=',
  'create token x --bound-object-name=p',
  'create token x --bound-object-uid=u',
  'create token x --bound-object-kind=Foo',
  'create token x --bound-object-kind=Pod',
];

test('create token: kubectl\'s flag checks, before any request', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed: nothing to compare with');
  for (const line of TOKEN_FLAG_CASES) {
    const args = line.split(' ');
    const k = spawnSync('kubectl', [...args, '--server=http://127.0.0.1:1'], { encoding: 'utf8' });
    const s = c.run(args);
    assert.equal(s.code, k.status, `${line}: exit code (stderr ${s.stderr})`);
    assert.equal(s.stdout, '', line);
    assert.equal(s.stderr, k.stderr.replaceAll('kubectl', 'kubesim'), `${line}: stderr`);
  }
});

const TOKEN_CASES = [
  { args: ['bot'], aud: ['https://kubernetes.default.svc.cluster.local'], life: 3600 },
  { args: ['bot', '--duration=10m'], aud: ['https://kubernetes.default.svc.cluster.local'], life: 600 },
  { args: ['bot', '--duration=48h', '--audience=https://example.com', '--audience=vault'], aud: ['https://example.com', 'vault'], life: 172800 },
];

test('create token: a JWT for the account, on the simulated clock', () => {
  const uid = c.ok(['get', 'sa', 'bot', '-o', 'jsonpath={.metadata.uid}']);
  for (const k of TOKEN_CASES) {
    const jwt = c.ok(['create', 'token', ...k.args]);
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const header = part(jwt, 0);
    assert.equal(header.alg, 'RS256');
    assert.match(header.kid, /^[\w-]{43}$/);
    const p = part(jwt, 1);
    assert.deepEqual(Object.keys(p), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(p.aud, k.aud);
    assert.equal(p.iat, NOW_S);
    assert.equal(p.nbf, NOW_S);
    assert.equal(p.exp, NOW_S + k.life);
    assert.equal(p.iss, 'https://kubernetes.default.svc.cluster.local');
    assert.deepEqual(p['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'bot', uid } });
    assert.equal(p.sub, 'system:serviceaccount:default:bot');
    assert.equal(Buffer.from(jwt.trim().split('.')[2], 'base64url').length, 256);
  }
  const y = c.ok(['create', 'token', 'bot', '-o', 'yaml']);
  assert.match(y, /^apiVersion: authentication\.k8s\.io\/v1\nkind: TokenRequest\nmetadata:\n  creationTimestamp: null\n  name: bot\n  namespace: default\nspec:\n  audiences:\n  - https:\/\/kubernetes\.default\.svc\.cluster\.local\n  boundObjectRef: null\n  expirationSeconds: 3600\nstatus:\n  expirationTimestamp: "2025-03-01T13:00:00Z"\n  token: [\w-]+\.[\w-]+\.[\w-]+\n$/);
});

const TOKEN_ERROR_CASES = [
  { args: ['nope'], err: 'error: failed to create token: serviceaccounts "nope" not found\n' },
  { args: ['bot', '-n', 'kube-public'], err: 'error: failed to create token: serviceaccounts "bot" not found\n' },
  { args: ['bot', '--duration=5m'], err: 'error: failed to create token: TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n' },
  { args: ['bot', '--bound-object-kind=Pod', '--bound-object-name=ghost'], err: 'error: failed to create token: pods "ghost" not found\n' },
];

test('create token: what the server refuses', () => {
  for (const k of TOKEN_ERROR_CASES) {
    const r = c.run(['create', 'token', ...k.args]);
    assert.equal(r.code, 1, k.args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, k.err, k.args.join(' '));
  }
});

test('the projected token a pod sees is a JWT for its ServiceAccount, bound to the pod and its node', () => {
  c.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: tok}\nspec:\n  serviceAccountName: bot\n  containers: [{name: c, image: nginx}]\n' });
  c.at('2025-03-01T12:01:00Z');
  const jwt = c.ok(['exec', 'tok', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
  const p = part(jwt, 1);
  const pod = JSON.parse(c.ok(['get', 'pod', 'tok', '-o', 'json']));
  const node = JSON.parse(c.ok(['get', 'node', pod.spec.nodeName, '-o', 'json']));
  const sa = c.ok(['get', 'sa', 'bot', '-o', 'jsonpath={.metadata.uid}']);
  assert.deepEqual(p['kubernetes.io'], {
    namespace: 'default',
    node: { name: pod.spec.nodeName, uid: node.metadata.uid },
    pod: { name: 'tok', uid: pod.metadata.uid },
    serviceaccount: { name: 'bot', uid: sa },
    warnafter: NOW_S + 3607,
  });
  assert.equal(p.sub, 'system:serviceaccount:default:bot');
  assert.equal(p.exp, NOW_S + 365 * 24 * 3600);
  assert.equal(part(jwt, 0).kid, part(c.ok(['create', 'token', 'bot']), 0).kid);
  // a token bound to the pod names it and its node; to a pod of another account, or a recreated one, it is refused
  const bound = part(c.ok(['create', 'token', 'bot', '--bound-object-kind=Pod', '--bound-object-name=tok']), 1)['kubernetes.io'];
  assert.deepEqual(bound, { namespace: 'default', node: { name: pod.spec.nodeName, uid: node.metadata.uid }, pod: { name: 'tok', uid: pod.metadata.uid }, serviceaccount: { name: 'bot', uid: sa } });
  assert.equal(c.run(['create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=tok']).stderr, 'error: failed to create token: cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.\n');
  assert.equal(c.run(['create', 'token', 'bot', '--bound-object-kind=Pod', '--bound-object-name=tok', '--bound-object-uid=123']).stderr, 'error: failed to create token: Operation cannot be fulfilled on Pod "tok": the UID in the bound object reference (123) does not match the UID in record. The object might have been deleted and then recreated\n');
  c.at('2025-03-01T12:00:00Z');
});

test('a ReplicaSet whose pods were refused for want of their ServiceAccount creates them once it exists', () => {
  const deploy = c.ok(['create', 'deployment', 'runner', '--image=nginx', '--dry-run=client', '-o', 'yaml']).replace('    spec:\n', '    spec:\n      serviceAccountName: runner\n');
  c.ok(['apply', '-f', '-'], { input: deploy });
  const rs = JSON.parse(c.ok(['get', 'rs', '-l', 'app=runner', '-o', 'json'])).items[0];
  assert.equal(rs.status.replicas ?? 0, 0);
  // admission runs before the name is generated: the refusal names the prefix
  assert.match(c.ok(['describe', 'rs', rs.metadata.name]), new RegExp(`Warning  FailedCreate  0s    replicaset-controller  Error creating: pods "${rs.metadata.name}-" is forbidden: error looking up service account default/runner: serviceaccount "runner" not found\n`));
  c.ok(['create', 'sa', 'runner']);
  assert.equal(JSON.parse(c.ok(['get', 'rs', rs.metadata.name, '-o', 'json'])).status.replicas, 1);
  assert.equal(c.ok(['get', 'pods', '-l', 'app=runner', '-o', 'jsonpath={.items[0].spec.serviceAccountName}']), 'runner');
});

test('a cluster made before kubesim kept ServiceAccounts gets a new cluster\'s at its first command (cluster/upgrade.ts)', () => {
  const old = cluster({ seed: 'serviceaccount-old' });
  try {
    cpSync(join(ROOT, 'test', 'fixtures', 'state-v1'), old.dir, { recursive: true });
    assert.equal(old.ok(['run', 'x', '--image=nginx']), 'pod/x created\n');
    const rows = old.ok(['get', 'sa', '-A', '--no-headers']).trim().split('\n');
    assert.equal(rows.length, KUBE_SYSTEM.length + 3);
    // CoreDNS's pods can be made again: their ServiceAccount exists
    old.ok(['delete', 'pod', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--wait=false']);
    const dns = JSON.parse(old.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'json'])).items;
    assert.equal(dns.filter((p) => !p.metadata.deletionTimestamp).length, 2);
  } finally {
    old.cleanup();
  }
});

const AUTOMOUNT_CASES = [
  { sa: 'quiet', pod: undefined, mounted: false },
  { sa: 'quiet', pod: true, mounted: true },
  { sa: 'bot', pod: undefined, mounted: true },
  { sa: 'bot', pod: false, mounted: false },
];

test('automountServiceAccountToken: the account\'s says no unless the pod says otherwise; kube-proxy runs as kube-proxy', () => {
  c.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet}\nautomountServiceAccountToken: false\n' });
  for (const [i, k] of AUTOMOUNT_CASES.entries()) {
    const auto = k.pod === undefined ? '' : `  automountServiceAccountToken: ${k.pod}\n`;
    c.ok(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Pod\nmetadata: {name: am${i}}\nspec:\n  serviceAccountName: ${k.sa}\n${auto}  containers: [{name: c, image: nginx}]\n` });
    const pod = JSON.parse(c.ok(['get', 'pod', `am${i}`, '-o', 'json']));
    assert.equal((pod.spec.volumes ?? []).some((v) => v.name.startsWith('kube-api-access-')), k.mounted, JSON.stringify(k));
  }
  const proxies = JSON.parse(c.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy', '-o', 'json'])).items;
  assert.ok(proxies.length > 0 && proxies.every((p) => p.spec.serviceAccountName === 'kube-proxy' && p.spec.serviceAccount === 'kube-proxy'));
});
