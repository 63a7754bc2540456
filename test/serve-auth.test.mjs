// Issue 18, serve-auth: `kubesim serve` authenticates each request from its own credentials (the
// serve kubeconfig's admin token, a ServiceAccount token, a client certificate, impersonation
// headers), authorizes it as the CLI's API client does (RBAC, src/apiserver/authorizer.ts), and serves
// the review APIs and metrics.k8s.io: the real kubectl through it prints what kubesim prints.
// kubectl sends credentials only over TLS (clientcmd: a plain http server gets none), so --tls.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster, stateSnapshot } from './helpers.mjs';
import { hasKubectl, startServe } from './serve-helpers.mjs';

const skip = hasKubectl() ? false : 'kubectl is not on PATH';
if (skip) console.log(`# serve-auth skipped: ${skip}`);
const c = cluster({ seed: 'serve-auth', init: [] });
let s;
let token;
before(async () => {
  if (skip) return;
  // a ServiceAccount that may read pods in default (a Role and RoleBinding), and a token for it
  c.ok(['create', 'serviceaccount', 'bot']);
  c.ok(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods,pods/log']);
  c.ok(['create', 'rolebinding', 'bot-reads', '--role=pod-reader', '--serviceaccount=default:bot']);
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  c.ok(['run', 'cache', '--image=redis', '--labels=tier=db']);
  token = c.ok(['create', 'token', 'bot']).trim();
  // the server's clock stays where the test's is when it starts: three minutes on, every pod has
  // run past metrics-server's first scrapes (kubectl top computes ages on the wall clock otherwise)
  c.at(new Date(Date.parse(c.now) + 3 * 60_000).toISOString().replace('.000Z', 'Z'));
  s = await startServe(c, ['--tls']);
});
after(async () => {
  await s?.stop();
  c.cleanup();
});

const BOT = 'system:serviceaccount:default:bot';

/** The same command through kubesim and through the real kubectl: stdout, stderr and exit code equal. */
function same(args) {
  const want = c.run(args);
  const got = s.kubectl(args);
  assert.deepEqual({ stdout: got.stdout, stderr: got.stderr, code: got.code }, want, `kubectl ${args.join(' ')}`);
  return want;
}

test('authentication and authorization: tokens, impersonation and RBAC as the CLI has them', { skip }, () => {
  const cases = [
    // the serve kubeconfig's token: the admin
    { args: ['get', 'pods', '-n', 'kube-system', '-l', 'component=etcd'], code: 0 },
    // a ServiceAccount token, allowed by its RoleBinding
    { args: ['--token', token, 'get', 'pods'], code: 0 },
    { args: ['--token', token, 'get', 'deployments'], code: 1, stderr: /deployments.apps is forbidden: User "system:serviceaccount:default:bot" cannot list resource "deployments" in API group "apps" in the namespace "default"/ },
    { args: ['--token', token, 'get', 'pods', '-n', 'kube-system'], code: 1, stderr: /pods is forbidden: User "system:serviceaccount:default:bot" cannot list/ },
    // a token no authenticator knows: 401
    { args: ['--token', 'not-a-token', 'get', 'pods'], code: 1, stderr: /^error: You must be logged in to the server \(Unauthorized\)\n$/ },
    // --as: impersonation headers, checked as the CLI checks them, then the impersonated user's RBAC
    { args: [`--as=${BOT}`, 'get', 'pods'], code: 0 },
    { args: [`--as=${BOT}`, 'get', 'pods', '-n', 'kube-system'], code: 1, stderr: /^Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:default:bot" cannot list resource "pods" in API group "" in the namespace "kube-system"\n$/ },
    { args: [`--as=${BOT}`, 'delete', 'deployment', 'web'], code: 1, stderr: /cannot delete resource "deployments"/ },
    { args: ['--as=jane', '--as-group=system:masters', 'get', 'deployments'], code: 0 },
    // a ServiceAccount may not impersonate
    { args: ['--token', token, '--as=jane', 'get', 'pods'], code: 1, stderr: /users "jane" is forbidden: User "system:serviceaccount:default:bot" cannot impersonate resource "users" in API group "" at the cluster scope/ },
  ];
  for (const t of cases) {
    const r = same(t.args);
    assert.equal(r.code, t.code, t.args.join(' '));
    if (t.stderr) assert.match(r.stderr, t.stderr, t.args.join(' '));
  }
});

test('streams are authorized when they start: pods/log by the RoleBinding, pods/exec refused', { skip }, () => {
  const pod = c.ok(['get', 'pods', '-l', 'app=web', '-o', 'name']).split('\n')[0];
  const log = same(['--token', token, 'logs', pod]);
  assert.equal(log.code, 0);
  const exec = same(['--token', token, 'exec', pod, '--', 'ls', '/']);
  assert.equal(exec.code, 1);
  assert.match(exec.stderr, /cannot create resource "pods\/exec" in API group "" in the namespace "default"/);
});

test('a write refused through serve leaves the state byte-identical', { skip }, () => {
  const before = stateSnapshot(c.dir);
  for (const args of [
    ['--token', token, 'create', 'configmap', 'nope'],
    [`--as=${BOT}`, 'scale', 'deployment', 'web', '--replicas=5'],
    ['--token', token, 'delete', 'pods', '--all'],
    ['--token', 'not-a-token', 'create', 'configmap', 'nope'],
  ]) {
    const r = s.kubectl(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /forbidden|Unauthorized/, args.join(' '));
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('requests without credentials are the admin (a kubesim command without a kubeconfig); a bad bearer token is the apiserver 401 Status', { skip }, async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    let r = await fetch(`${s.url}/api/v1/namespaces/default/pods`);
    assert.equal(r.status, 200);
    r = await fetch(`${s.url}/api/v1/namespaces/default/pods`, { headers: { authorization: 'Bearer nonsense' } });
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    r = await fetch(`${s.url}/api/v1/namespaces/kube-system/pods`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 403);
    const body = await r.json();
    assert.equal(body.reason, 'Forbidden');
    assert.equal(body.message, 'pods is forbidden: User "system:serviceaccount:default:bot" cannot list resource "pods" in API group "" in the namespace "kube-system"');
    // discovery and /version are every authenticated user's (system:discovery, system:public-info-viewer)
    for (const p of ['/version', '/api', '/apis', '/api/v1']) {
      r = await fetch(`${s.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.status, 200, p);
    }
    // a watch is authorized when it starts
    r = await fetch(`${s.url}/apis/apps/v1/namespaces/default/deployments?watch=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 403);
  } finally {
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  }
});

test('auth can-i and auth whoami through serve print what kubesim auth prints (the review APIs)', { skip }, () => {
  // a binding to a Role that does not exist: RBAC's reason for a deny names it (no - RBAC: …)
  c.ok(['create', 'rolebinding', 'ghost', '--role=ghost', '--serviceaccount=default:bot']);
  assert.equal(s.kubectl(['auth', 'can-i', 'get', 'secrets', `--as=${BOT}`]).stdout, 'no - RBAC: role.rbac.authorization.k8s.io "ghost" not found\n');
  const cases = [
    ['auth', 'can-i', 'get', 'secrets', `--as=${BOT}`],
    ['auth', 'can-i', '--list', `--as=${BOT}`, '-n', 'default'],
    ['auth', 'can-i', 'get', 'pods'],
    ['auth', 'can-i', 'create', 'pods', `--as=${BOT}`],
    ['auth', 'can-i', 'list', 'pods', `--as=${BOT}`],
    ['auth', 'can-i', 'list', 'pods', '-A', `--as=${BOT}`],
    ['auth', 'can-i', 'get', 'pods', '--subresource=log', `--as=${BOT}`],
    ['auth', 'can-i', 'get', 'pods/web', '-n', 'kube-system', '-q', `--as=${BOT}`],
    ['auth', 'can-i', 'get', '/healthz', '--as=jane'],
    ['auth', 'can-i', 'create', 'selfsubjectreviews', '--as=jane'],
    ['auth', 'can-i', 'list', 'nodes.metrics.k8s.io'],
    ['auth', 'can-i', 'list', 'nodes', '--as=jane'],
    ['auth', 'can-i', 'frobnicate', 'widgets', '--as=jane'],
    ['auth', 'can-i', '--list'],
    ['auth', 'can-i', '--list', `--as=${BOT}`],
    ['--token', token, 'auth', 'can-i', '--list', '-n', 'kube-system'],
    ['--token', token, 'auth', 'can-i', 'watch', 'pods'],
    ['auth', 'whoami'],
    ['auth', 'whoami', '-o', 'yaml'],
    ['--token', token, 'auth', 'whoami'],
    ['--token', token, 'auth', 'whoami', '-o', 'json'],
    ['--as=jane', '--as-group=devs', 'auth', 'whoami'],
    ['--as=jane', '--as-uid=1234', 'auth', 'whoami', '-o', 'yaml'],
    [`--as=${BOT}`, 'auth', 'whoami'],
    ['--token', token, '--as=jane', 'auth', 'whoami'],
    ['--token', token, '--as=jane', 'auth', 'can-i', 'get', 'pods'],
    ['api-resources'],
    ['api-resources', '-o', 'wide'],
    ['api-versions'],
  ];
  const answers = new Set();
  for (const args of cases) answers.add(`${same(args).code}`);
  assert.deepEqual([...answers].sort(), ['0', '1'], 'both allowed and denied answers were compared');
});

test('SubjectAccessReview, LocalSubjectAccessReview and TokenReview over HTTP', { skip }, async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    const post = async (path, body, auth) => {
      const r = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    };
    const sar = (user, attrs) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, resourceAttributes: attrs } });
    let r = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', sar(BOT, { verb: 'list', resource: 'pods', namespace: 'default' }));
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "bot-reads/default" of Role "pod-reader" to ServiceAccount "bot/default"' });
    r = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', sar('jane', { verb: 'list', resource: 'pods', namespace: 'kube-system' }));
    assert.deepEqual(r.body.status, { allowed: false });
    r = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { user: 'root', groups: ['system:masters'], nonResourceAttributes: { verb: 'get', path: '/metrics' } } });
    assert.deepEqual(r.body.status, { allowed: true });
    r = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
    assert.equal(r.status, 422);
    assert.equal(r.body.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
    r = await post('/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', { spec: { user: BOT, resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } });
    assert.equal(r.status, 201);
    assert.equal(r.body.status.allowed, true);
    r = await post('/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', { spec: { user: BOT, resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'other' } } });
    assert.equal(r.status, 422);
    assert.match(r.body.message, /spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace/);
    // the ServiceAccount may not ask about others
    r = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', sar('jane', { verb: 'get', resource: 'pods' }), token);
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'subjectaccessreviews.authorization.k8s.io is forbidden: User "system:serviceaccount:default:bot" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
    r = await post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token } });
    assert.equal(r.status, 201);
    assert.equal(r.body.status.authenticated, true);
    assert.equal(r.body.status.user.username, BOT);
    assert.deepEqual(r.body.status.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    r = await post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: 'nope' } });
    assert.equal(r.body.status.authenticated, undefined);
    // create-only
    const g = await fetch(`${s.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`);
    assert.equal(g.status, 405);
  } finally {
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  }
});

test('kubectl top through serve (metrics.k8s.io/v1beta1) prints what kubesim top prints', { skip }, () => {
  const cases = [
    ['top', 'nodes'],
    ['top', 'node', 'controlplane'],
    ['top', 'node', 'nope'],
    ['top', 'nodes', '-l', 'node-role.kubernetes.io/control-plane', '--sort-by=memory', '--show-capacity'],
    ['top', 'pods'],
    ['top', 'pods', '-A'],
    ['top', 'pods', '-A', '--containers', '--sum'],
    ['top', 'pods', '-l', 'tier=db'],
    ['top', 'pods', '-l', 'app=none'],
    ['top', 'pods', '--field-selector=status.phase=Running', '--containers'],
    ['top', 'pod', 'cache'],
    ['top', 'pod', 'nope'],
    ['top', 'pods', '-n', 'kube-system', '--sort-by=cpu'],
    ['top', 'pods', '--as=jane'],
  ];
  const codes = new Set(cases.map((args) => same(args).code));
  assert.deepEqual([...codes].sort(), [0, 1]);
  assert.match(s.kubectl(['top', 'pods', '-A']).stdout, /kube-apiserver-controlplane +40m/);
  // kubectl get podmetrics / nodemetrics: metrics-server's Table (Name, cpu, memory, Window)
  const pm = s.kubectl(['get', 'podmetrics', '-l', 'tier=db']);
  assert.equal(pm.stderr, '');
  const top = c.ok(['top', 'pods', '-l', 'tier=db', '--no-headers']).trim().split(/\s+/);
  assert.match(pm.stdout, new RegExp(`^NAME +CPU +MEMORY +WINDOW\ncache +${top[1]} +${top[2]} +15s\n$`));
  assert.match(s.kubectl(['get', 'nodemetrics']).stdout, /^NAME +CPU +MEMORY +WINDOW\ncontrolplane +\d+m +\d+Mi +15s\n/);
  assert.match(s.kubectl(['top', 'pods', '--as=jane']).stderr, /pods.metrics.k8s.io is forbidden: User "jane" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"/);
});

test('kubesim get podmetrics | nodemetrics | nodes.metrics.k8s.io prints what kubectl get prints through serve (one source: controllers/metricsserver.ts)', { skip }, () => {
  const cases = [
    ['get', 'podmetrics'],
    ['get', 'pods.metrics.k8s.io', '-A'],
    ['get', 'podmetrics.v1beta1.metrics.k8s.io', '-n', 'kube-system', '--no-headers'],
    ['get', 'podmetrics', '-l', 'tier=db', '-o', 'wide'],
    ['get', 'podmetrics', 'cache', '-o', 'yaml'],
    ['get', 'podmetrics', 'cache', '-o', 'json'],
    ['get', 'podmetrics', '-o', 'name'],
    ['get', 'podmetrics', 'nope'],
    ['get', 'podmetrics', '-l', 'app=none'],
    ['get', 'podmetrics', '--as=jane'],
    ['get', 'nodemetrics'],
    ['get', 'nodes.metrics.k8s.io', '--show-labels'],
    ['get', 'nodemetrics', 'controlplane', '-o', 'jsonpath={.usage.cpu} {.window}'],
    ['get', 'nodemetrics', '-o', 'yaml'],
    ['get', 'nodemetrics', 'nope'],
    ['get', 'nodemetrics', '--sort-by=.metadata.name', '-L', 'kubernetes.io/hostname'],
  ];
  const codes = new Set(cases.map((args) => same(args).code));
  assert.deepEqual([...codes].sort(), [0, 1]);
  assert.match(c.ok(['get', 'podmetrics', 'cache']), /^NAME +CPU +MEMORY +WINDOW\ncache +\d+m +\d+Mi +15s\n$/);
});

test('a client certificate authenticates as its CN in its O groups, as the CLI takes a kubeconfig user with one', { skip: skip || (hasOpenssl() ? false : 'openssl is not on PATH') }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-auth-cert-'));
  try {
    const crt = join(dir, 'jane.crt');
    const key = join(dir, 'jane.key');
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', '/O=devs/O=qa/CN=jane'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    c.ok(['config', 'set-credentials', 'jane', `--client-certificate=${crt}`, `--client-key=${key}`]);
    c.ok(['config', 'set-context', 'as-jane', '--user=jane']);
    for (const args of [['auth', 'whoami'], ['get', 'pods'], ['auth', 'can-i', 'list', 'pods']]) {
      const want = c.run(['--context', 'as-jane', ...args]);
      const got = s.kubectl([`--client-certificate=${crt}`, `--client-key=${key}`, ...args]);
      assert.deepEqual({ stdout: got.stdout, stderr: got.stderr, code: got.code }, want, args.join(' '));
    }
    assert.match(s.kubectl([`--client-certificate=${crt}`, `--client-key=${key}`, 'auth', 'whoami']).stdout, /Username +jane\nGroups +\[devs qa system:authenticated\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function hasOpenssl() {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}

test('an X-Kubesim-Credentials header means nothing (removed: no kubesim command sent it); impersonation headers as kubectl\'s --as sends them', { skip }, async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    const whoami = async (headers) => {
      const r = await fetch(`${s.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' });
      return { status: r.status, body: await r.json() };
    };
    const admin = await whoami({});
    assert.equal(admin.status, 201);
    // the header is not read: the request has no credentials, so it is the admin's, garbage or not
    const cred = (c) => ({ 'x-kubesim-credentials': Buffer.from(JSON.stringify(c)).toString('base64') });
    for (const h of [cred({ kind: 'name', name: 'jane' }), cred({ kind: 'token', token, name: 'dev' }), { 'x-kubesim-credentials': 'garbage' }]) {
      assert.deepEqual(await whoami(h), admin);
    }
    let r = await whoami({ authorization: `Bearer ${token}`, 'impersonate-user': 'bob' });
    assert.equal(r.status, 403);
    assert.equal(r.body.message, `users "bob" is forbidden: User "${BOT}" cannot impersonate resource "users" in API group "" at the cluster scope`);
    r = await whoami({ 'impersonate-user': 'bob', 'impersonate-group': 'g1' });
    assert.deepEqual(r.body.status.userInfo, { groups: ['g1', 'system:authenticated'], username: 'bob' });
  } finally {
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  }
});

test('a write is authorized on the object written too: a ClusterRoleBinding posted to the configmaps path is refused', { skip }, async () => {
  c.ok(['create', 'role', 'cm-writer', '--verb=create', '--resource=configmaps']);
  c.ok(['create', 'rolebinding', 'cm-writer', '--role=cm-writer', '--user=writer']);
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    const post = (body) => fetch(`${s.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'content-type': 'application/json', 'impersonate-user': 'writer' }, body: JSON.stringify(body) });
    let r = await post({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'allowed' } });
    assert.equal(r.status, 201);
    const before = stateSnapshot(c.dir);
    r = await post({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'sneaky' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'writer', apiGroup: 'rbac.authorization.k8s.io' }] });
    assert.equal(r.status, 403);
    assert.match((await r.json()).message, /User "writer" cannot create resource "clusterrolebindings"/);
    assert.deepEqual(stateSnapshot(c.dir), before);
  } finally {
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  }
});

test('a ServiceAccount token whose ServiceAccount is gone is Unauthorized through serve, as in-process', { skip }, () => {
  c.ok(['create', 'serviceaccount', 'temp']);
  const t = c.ok(['create', 'token', 'temp']).trim();
  assert.equal(same(['--token', t, 'auth', 'whoami']).code, 0);
  c.ok(['delete', 'serviceaccount', 'temp']);
  const r = same(['--token', t, 'get', 'pods']);
  assert.deepEqual([r.code, r.stderr], [1, 'error: You must be logged in to the server (Unauthorized)\n']);
});
