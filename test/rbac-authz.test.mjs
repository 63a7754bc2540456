// RBAC authorization: the rule forms of pkg/apis/rbac/v1/evaluation_helpers.go, the binding walk of
// pkg/registry/rbac/validation/rule.go, and the apiserver's Forbidden messages
// (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cluster, hasKubectl, stateSnapshot } from './helpers.mjs';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const role = (ns, name, rules) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: ns ? 'Role' : 'ClusterRole', metadata: ns ? { namespace: ns, name } : { name }, rules });
const binding = (ns, name, roleRef, subjects) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: ns ? 'RoleBinding' : 'ClusterRoleBinding',
  metadata: ns ? { namespace: ns, name } : { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleRef[0], name: roleRef[1] },
  subjects,
});
const U = (name) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
const G = (name) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
const SA = (namespace, name) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });
const jane = { name: 'jane', groups: ['system:authenticated'] };
const R = (verb, resource, namespace, extra = {}) => ({ verb, apiGroup: '', resource, namespace, ...extra });

// [description, objects, user, attributes, allowed]
const rule = (r) => [role('dev', 'r', [r]), binding('dev', 'b', ['Role', 'r'], [U('jane')])];
const TABLE = [
  ['exact verb', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), jane, R('get', 'pods', 'dev'), true],
  ['other verb', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), jane, R('list', 'pods', 'dev'), false],
  ['verbs *', rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] }), jane, R('deletecollection', 'pods', 'dev'), true],
  ['other group', rule({ verbs: ['get'], apiGroups: [''], resources: ['deployments'] }), jane, R('get', 'deployments', 'dev', { apiGroup: 'apps' }), false],
  ['apiGroups *', rule({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }), jane, R('get', 'deployments', 'dev', { apiGroup: 'apps' }), true],
  ['resources *', rule({ verbs: ['get'], apiGroups: [''], resources: ['*'] }), jane, R('get', 'pods', 'dev', { subresource: 'log' }), true],
  ['resource without its subresource', rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'] }), jane, R('create', 'pods', 'dev', { subresource: 'exec' }), false],
  ['resource/subresource', rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }), jane, R('create', 'pods', 'dev', { subresource: 'exec' }), true],
  ['subresource alone does not give the resource', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }), jane, R('get', 'pods', 'dev'), false],
  ['*/subresource', rule({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }), jane, R('get', 'deployments', 'dev', { apiGroup: 'apps', subresource: 'scale' }), true],
  ['*/other subresource', rule({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }), jane, R('get', 'pods', 'dev', { subresource: 'status' }), false],
  ['pods/* is not a wildcard', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }), jane, R('get', 'pods', 'dev', { subresource: 'log' }), false],
  ['resourceNames match', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }), jane, R('get', 'pods', 'dev', { name: 'web' }), true],
  ['resourceNames other', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }), jane, R('get', 'pods', 'dev', { name: 'db' }), false],
  ['resourceNames and list (no name)', rule({ verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }), jane, R('list', 'pods', 'dev'), false],
  ['other namespace', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), jane, R('get', 'pods', 'default'), false],
  ['cluster scope from a RoleBinding', rule({ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }), jane, R('get', 'nodes', undefined), false],
  ['other user', rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), { name: 'bob', groups: ['system:authenticated'] }, R('get', 'pods', 'dev'), false],
  ['RoleBinding → ClusterRole in its namespace', [role('', 'cr', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, R('list', 'pods', 'dev'), true],
  ['RoleBinding → ClusterRole elsewhere', [role('', 'cr', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, R('list', 'pods', 'default'), false],
  ['RoleBinding → ClusterRole, all namespaces', [role('', 'cr', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, R('list', 'pods', undefined), false],
  ['ClusterRoleBinding everywhere', [role('', 'cr', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, R('list', 'pods', 'kube-system'), true],
  ['ClusterRoleBinding cluster scope', [role('', 'cr', [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, R('get', 'nodes', undefined), true],
  ['missing role', [binding('dev', 'b', ['Role', 'nope'], [U('jane')])], jane, R('get', 'pods', 'dev'), false],
  ['group subject', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [G('devs')])], { name: 'x', groups: ['devs'] }, R('get', 'pods', 'dev'), true],
  ['system:authenticated group', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [G('system:authenticated')])], jane, R('get', 'pods', 'dev'), true],
  ['system:serviceaccounts:dev group', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [G('system:serviceaccounts:dev')])], { name: 'system:serviceaccount:dev:app', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] }, R('get', 'pods', 'dev'), true],
  ['SA subject', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [SA('dev', 'app')])], { name: 'system:serviceaccount:dev:app', groups: [] }, R('get', 'pods', 'dev'), true],
  ['SA subject without namespace: the binding\'s', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [SA('', 'app')])], { name: 'system:serviceaccount:dev:app', groups: [] }, R('get', 'pods', 'dev'), true],
  ['SA of another namespace', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [SA('dev', 'app')])], { name: 'system:serviceaccount:prod:app', groups: [] }, R('get', 'pods', 'dev'), false],
  ['user named like the SA is the SA', [role('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), binding('dev', 'b', ['Role', 'r'], [U('system:serviceaccount:dev:app')])], { name: 'system:serviceaccount:dev:app', groups: [] }, R('get', 'pods', 'dev'), true],
  ['system:masters without any binding', [], { name: 'root', groups: ['system:masters'] }, R('delete', 'nodes', undefined), true],
  ['nothing bound', [], jane, R('get', 'pods', 'dev'), false],
  ['nonResourceURL exact', [role('', 'cr', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, { verb: 'get', nonResourceURL: '/healthz' }, true],
  ['nonResourceURL prefix *', [role('', 'cr', [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, { verb: 'get', nonResourceURL: '/logs/kube.log' }, true],
  ['nonResourceURL other', [role('', 'cr', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, { verb: 'get', nonResourceURL: '/metrics' }, false],
  ['nonResourceURL *', [role('', 'cr', [{ verbs: ['*'], nonResourceURLs: ['*'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, { verb: 'post', nonResourceURL: '/anything' }, true],
  ['resource rule does not give a URL', [role('', 'cr', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, { verb: 'get', nonResourceURL: '/healthz' }, false],
  ['URL rule does not give a resource', [role('', 'cr', [{ verbs: ['*'], nonResourceURLs: ['*'] }]), binding('', 'b', ['ClusterRole', 'cr'], [U('jane')])], jane, R('get', 'nodes', undefined), false],
];

test('authorize: every rule form, binding kind and subject', () => {
  for (const [what, objects, user, attrs, want] of TABLE) {
    assert.equal(lib.authorize(lib.rbacFrom(objects), user, attrs), want, what);
  }
});

test('the apiserver Forbidden messages', () => {
  const cases = [
    [R('list', 'pods', 'dev'), 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "dev"'],
    [R('get', 'deployments', 'default', { apiGroup: 'apps', name: 'web' }), 'deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "default"'],
    [R('create', 'pods', 'dev', { subresource: 'exec', name: 'web' }), 'pods "web" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "dev"'],
    [R('list', 'nodes', undefined), 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope'],
    [{ verb: 'get', nonResourceURL: '/logs' }, 'forbidden: User "jane" cannot get path "/logs"'],
  ];
  for (const [attrs, want] of cases) assert.equal(lib.forbiddenMessage(jane, attrs), want);
});

test('kubectl auth can-i --list rules: broken down, compacted by resource, sorted by PolicyRule.String()', () => {
  // kubectl pkg/util/rbac/rbac.go and pkg/describe CombineResourceGroup
  const rows = lib.ruleRows([
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] },
    { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['web', 'db'] },
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] },
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  ]);
  assert.deepEqual(rows, [
    // '*' sorts before letters, ' ' and '/' before ']' (the verbs come first in the String())
    ['*.*', '[]', '[]', '[*]'],
    ['pods/log', '[]', '[]', '[get list]'],
    ['pods', '[]', '[]', '[get list]'],
    ['', '[/api/*]', '[]', '[get]'],
    ['', '[/healthz]', '[]', '[get]'],
    ['deployments.apps/scale', '[]', '[db]', '[get]'],
    ['deployments.apps/scale', '[]', '[web]', '[get]'],
  ]);
});

test('escalation: the rules a user does not hold, as CompactString lists them', () => {
  const owner = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/scale'] }, { verbs: ['get'], nonResourceURLs: ['/logs/*'] }];
  const missing = lib.uncovered(owner, [
    { verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['get'], apiGroups: [''], resources: ['deployments/scale'] },
    { verbs: ['get'], nonResourceURLs: ['/logs/a', '/metrics'] },
  ]);
  assert.deepEqual(missing.map(lib.compactString), ['{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}', '{NonResourceURLs:["/metrics"], Verbs:["get"]}']);
});

// ---------------------------------------------------------------- end to end

const c = cluster({ seed: 'rbac-authz', init: [] });
after(() => c.cleanup());
const apply = (yaml) => c.ok(['apply', '-f', '-'], { input: yaml });
const roleYaml = (ns, name, rules) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${ns ? 'Role' : 'ClusterRole'}
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
rules: ${JSON.stringify(rules)}
`;
const bindYaml = (ns, name, roleKind, roleName, subjects) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${ns ? 'RoleBinding' : 'ClusterRoleBinding'}
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${roleName}}
subjects: ${JSON.stringify(subjects)}
`;
const forbiddenErr = (msg) => `Error from server (Forbidden): ${msg}\n`;

test('lab: a Role and RoleBinding let jane read pods in dev, and nothing else', () => {
  c.ok(['create', 'ns', 'dev']);
  c.ok(['run', 'web', '--image=nginx', '-n', 'dev']);
  apply(roleYaml('dev', 'pod-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }]));
  apply(bindYaml('dev', 'jane-read', 'Role', 'pod-reader', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }]));
  assert.match(c.ok(['get', 'pods', '-n', 'dev', '--as', 'jane']), /^NAME +READY/);
  assert.equal(c.ok(['get', 'pod', 'web', '-n', 'dev', '--as', 'jane', '-o', 'name']), 'pod/web\n');
  const before = stateSnapshot(c.dir);
  const denied = [
    [['get', 'pods', '--as', 'jane'], 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    [['get', 'pods', '-A', '--as', 'jane'], 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope'],
    [['delete', 'pod', 'web', '-n', 'dev', '--as', 'jane'], 'pods "web" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "dev"'],
    [['exec', 'web', '-n', 'dev', '--as', 'jane', '--', 'ls'], 'pods "web" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "dev"'],
    [['get', 'deploy', '-n', 'dev', '--as', 'jane'], 'deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" in the namespace "dev"'],
    [['get', 'deploy', 'web', '-n', 'dev', '--as', 'jane'], 'deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "dev"'],
    [['get', 'nodes', '--as', 'jane'], 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope'],
    [['label', 'pod', 'web', 'a=b', '-n', 'dev', '--as', 'jane'], 'pods "web" is forbidden: User "jane" cannot patch resource "pods" in API group "" in the namespace "dev"'],
    [['scale', 'deploy', 'web', '--replicas=2', '-n', 'dev', '--as', 'jane'], 'deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "dev"'],
    [['create', 'token', 'default', '-n', 'dev', '--as', 'jane'], null],
  ];
  for (const [args, msg] of denied) {
    const r = c.run(args);
    assert.equal(r.code, 1, args.join(' '));
    if (msg) assert.equal(r.stderr, forbiddenErr(msg), args.join(' '));
  }
  // kubectl create configmap wraps the server's error (create_configmap.go)
  assert.equal(c.run(['create', 'configmap', 'x', '-n', 'dev', '--as', 'jane']).stderr, 'error: failed to create configmap: configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "dev"\n');
  assert.equal(c.run(['create', 'token', 'default', '-n', 'dev', '--as', 'jane']).stderr, 'error: failed to create token: serviceaccounts "default" is forbidden: User "jane" cannot create resource "serviceaccounts/token" in API group "" in the namespace "dev"\n');
  // a denied command changes nothing
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('auth can-i: yes/no and exit status, --as, -A, subresources, names, URLs, warnings', () => {
  const cases = [
    [['auth', 'can-i', 'list', 'pods', '-n', 'dev', '--as', 'jane'], 'yes\n', '', 0],
    [['auth', 'can-i', 'list', 'pods', '--as', 'jane'], 'no\n', '', 1],
    [['auth', 'can-i', 'delete', 'pods', '-n', 'dev', '--as', 'jane'], 'no\n', '', 1],
    [['auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', 'dev', '--as', 'jane'], 'yes\n', '', 0],
    [['auth', 'can-i', 'create', 'pods', '--subresource=exec', '-n', 'dev', '--as', 'jane'], 'no\n', '', 1],
    [['auth', 'can-i', 'get', 'pods/web', '-n', 'dev', '--as', 'jane'], 'yes\n', '', 0],
    [['auth', 'can-i', 'list', 'pods', '-A', '--as', 'jane'], 'no\n', '', 1],
    [['auth', 'can-i', 'get', 'po', '-n', 'dev', '--as', 'jane', '--quiet'], '', '', 0],
    [['auth', 'can-i', 'get', '/healthz', '--as', 'jane'], 'yes\n', '', 0],
    [['auth', 'can-i', 'get', '/logs', '--as', 'jane'], 'no\n', '', 1],
    [['auth', 'can-i', '*', '*'], 'yes\n', '', 0],
    [['auth', 'can-i', 'delete', 'nodes'], 'yes\n', "Warning: resource 'nodes' is not namespace scoped\n\n", 0],
    [['auth', 'can-i', 'get', 'foos'], 'yes\n', "Warning: the server doesn't have a resource type 'foos'\n\n", 0],
    [['auth', 'can-i', 'frob', 'pods', '--as', 'jane'], 'no\n', "Warning: verb 'frob' is not a known verb\n\n", 1],
    [['auth', 'can-i', 'impersonate', 'users'], 'yes\n', '', 0],
  ];
  for (const [args, stdout, stderr, code] of cases) {
    const r = c.run(args);
    assert.deepEqual([r.stdout, r.stderr, r.code], [stdout, stderr, code], args.join(' '));
  }
  assert.equal(c.run(['auth', 'can-i', 'get']).stderr, "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n");
  assert.equal(c.run(['auth', 'can-i', '--list', '-A']).stderr, "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n");
});

test('auth can-i --list: the admin, and jane in dev', () => {
  const admin = c.ok(['auth', 'can-i', '--list']).split('\n');
  assert.deepEqual(admin.slice(0, 3), [
    'Resources                                       Non-Resource URLs   Resource Names   Verbs',
    '*.*                                             []                  []               [*]',
    '                                                [*]                 []               [*]',
  ]);
  const jane = c.ok(['auth', 'can-i', '--list', '-n', 'dev', '--as', 'jane', '--no-headers']).split('\n');
  const words = jane.map((l) => l.trim().split(/ +/).join(' '));
  assert.deepEqual(words.slice(3, 5), ['pods/log [] [] [get list watch]', 'pods [] [] [get list watch]'], jane.join('\n'));
  assert.ok(!jane.some((l) => l.startsWith('*.*')));
  assert.ok(!jane[0].startsWith('Resources'));
  // in default jane holds only what every authenticated user does
  assert.ok(!c.ok(['auth', 'can-i', '--list', '--as', 'jane']).includes('pods '));
});

test('auth whoami: the admin, impersonated users and service accounts', () => {
  // admin.conf's certificate: kubeadm's admin, and the x509 authenticator's credential id
  assert.match(
    c.ok(['auth', 'whoami']),
    /^ATTRIBUTE {43}VALUE\nUsername {44}kubernetes-admin\nGroups {46}\[kubeadm:cluster-admins system:authenticated\]\nExtra: authentication\.kubernetes\.io\/credential-id   \[X509SHA256=[0-9a-f]{64}\]\n$/,
  );
  assert.equal(c.ok(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs', '--as-group', 'qa']), 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [devs qa system:authenticated]\n');
  assert.equal(
    c.ok(['auth', 'whoami', '--as', 'system:serviceaccount:dev:default']),
    'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:dev:default\nGroups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]\n',
  );
  assert.match(
    c.ok(['auth', 'whoami', '-o', 'yaml']),
    /^apiVersion: authentication.k8s.io\/v1\nkind: SelfSubjectReview\nmetadata:\n  creationTimestamp: "2025-03-01T12:00:00Z"\nstatus:\n  userInfo:\n    extra:\n      authentication.kubernetes.io\/credential-id:\n      - X509SHA256=[0-9a-f]{64}\n    groups:\n    - kubeadm:cluster-admins\n    - system:authenticated\n    username: kubernetes-admin\n$/,
  );
  const json = JSON.parse(c.ok(['auth', 'whoami', '-o', 'json', '--as', 'jane', '--as-uid', '42']));
  assert.deepEqual(json.status.userInfo, { username: 'jane', uid: '42', groups: ['system:authenticated'] });
});

test('impersonation needs the impersonate verb; contexts name other users; SA tokens authenticate', () => {
  const cfg = (args) => c.ok(['config', ...args]);
  assert.equal(cfg(['set-credentials', 'jane', '--username=jane', '--password=x']), 'User "jane" set.\n');
  cfg(['set-context', 'jane', '--cluster=kubesim', '--user=jane', '--namespace=dev']);
  const asJane = (args) => c.run([...args, '--context', 'jane']);
  assert.equal(asJane(['auth', 'whoami']).stdout, 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [system:authenticated]\n');
  assert.match(asJane(['get', 'pods']).stdout, /^NAME/);
  const r = asJane(['get', 'pods', '--as', 'bob']);
  assert.deepEqual([r.stderr, r.code], [forbiddenErr('users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope'), 1]);
  assert.equal(asJane(['get', 'pods', '--as', 'system:serviceaccount:dev:default']).stderr, forbiddenErr('serviceaccounts "default" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev"'));
  // a token kubesim create token issued: the ServiceAccount, its groups, and what its bindings grant
  c.ok(['create', 'serviceaccount', 'ci', '-n', 'dev']);
  apply(bindYaml('dev', 'ci-read', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'ci', namespace: 'dev' }]));
  const token = c.ok(['create', 'token', 'ci', '-n', 'dev']).trim();
  cfg(['set-credentials', 'ci', `--token=${token}`]);
  cfg(['set-context', 'ci', '--cluster=kubesim', '--user=ci', '--namespace=dev']);
  const who = c.ok(['auth', 'whoami', '--context', 'ci']);
  assert.match(who, /^Username +system:serviceaccount:dev:ci$/m);
  assert.match(who, /^Groups +\[system:serviceaccounts system:serviceaccounts:dev system:authenticated\]$/m);
  assert.match(c.ok(['get', 'pods', '--context', 'ci']), /^NAME/);
  assert.equal(c.run(['delete', 'pod', 'web', '--context', 'ci']).stderr, forbiddenErr('pods "web" is forbidden: User "system:serviceaccount:dev:ci" cannot delete resource "pods" in API group "" in the namespace "dev"'));
  // a token of a ServiceAccount that is gone no longer authenticates
  c.ok(['delete', 'serviceaccount', 'ci', '-n', 'dev']);
  assert.deepEqual([c.run(['get', 'pods', '--context', 'ci']).stderr, c.run(['get', 'pods', '--context', 'ci']).code], ['error: You must be logged in to the server (Unauthorized)\n', 1]);
});

test('escalation prevention: a Role or binding may grant only what the writer holds', () => {
  apply(roleYaml('dev', 'role-admin', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'get', 'list'] }]));
  apply(bindYaml('dev', 'alice-role-admin', 'Role', 'role-admin', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]));
  apply(bindYaml('dev', 'alice-read', 'Role', 'pod-reader', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]));
  const asAlice = (yaml) => c.run(['create', '-f', '-', '--as', 'alice'], { input: yaml });
  // within what alice holds: allowed
  assert.equal(asAlice(roleYaml('dev', 'reader2', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])).stdout, 'role.rbac.authorization.k8s.io/reader2 created\n');
  const before = stateSnapshot(c.dir);
  const r = asAlice(roleYaml('dev', 'deleter', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }]));
  assert.equal(
    r.stderr,
    'Error from server (Forbidden): error when creating "STDIN": roles.rbac.authorization.k8s.io "deleter" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:["apps"], Resources:["deployments"], Verbs:["list"]}\n',
  );
  // binding a role alice does not hold all of
  const b = asAlice(bindYaml('dev', 'bob-edit', 'ClusterRole', 'edit', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }]));
  assert.match(b.stderr, /^Error from server \(Forbidden\): error when creating "STDIN": rolebindings.rbac.authorization.k8s.io "bob-edit" is forbidden: user "alice" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n/);
  assert.deepEqual(stateSnapshot(c.dir), before);
  // binding one she holds all of
  assert.equal(asAlice(bindYaml('dev', 'bob-read', 'Role', 'pod-reader', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }])).stdout, 'rolebinding.rbac.authorization.k8s.io/bob-read created\n');
});

test('in a pod: the mounted ServiceAccount token is authenticated and authorised by the same rules', () => {
  c.at('2025-03-01T12:05:00Z'); // the pod has started
  const curl = (path, token = true) =>
    JSON.parse(c.ok(['exec', 'web', '-n', 'dev', '--', 'sh', '-c', `curl -sk ${token ? '-H "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" ' : ''}https://kubernetes.default${path}`]));
  const denied = curl('/api/v1/namespaces/dev/pods');
  assert.deepEqual(denied, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods is forbidden: User "system:serviceaccount:dev:default" cannot list resource "pods" in API group "" in the namespace "dev"',
    reason: 'Forbidden',
    details: { kind: 'pods' },
    code: 403,
  });
  assert.equal(curl('/api/v1/namespaces/dev/pods', false).message, 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "dev"');
  apply(bindYaml('dev', 'default-view', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'default', namespace: 'dev' }]));
  const list = curl('/api/v1/namespaces/dev/pods');
  assert.equal(list.kind, 'PodList');
  assert.deepEqual(list.items.map((p) => p.metadata.name), ['web']);
  assert.equal(curl('/api/v1/namespaces/dev/pods/web').metadata.name, 'web');
  assert.equal(curl('/api/v1/namespaces/dev/pods/nope').message, 'pods "nope" not found');
  assert.equal(curl('/apis/apps/v1/namespaces/default/deployments/x').message, 'deployments.apps "x" is forbidden: User "system:serviceaccount:dev:default" cannot get resource "deployments" in API group "apps" in the namespace "default"');
  assert.equal(curl('/api/v1/nodes').message, 'nodes is forbidden: User "system:serviceaccount:dev:default" cannot list resource "nodes" in API group "" at the cluster scope');
  assert.equal(curl('/version').gitVersion, 'v1.32.2');
  // a token that is not this cluster's is no one
  const bogus = JSON.parse(c.ok(['exec', 'web', '-n', 'dev', '--', 'curl', '-sk', '-H', 'Authorization: Bearer abc', 'https://kubernetes.default/api']));
  assert.deepEqual([bogus.reason, bogus.code], ['Unauthorized', 401]);
});

test('delete by name needs only delete (kubectl does not read the object first)', () => {
  apply(roleYaml('dev', 'cm-deleter', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['delete'] }]));
  apply(bindYaml('dev', 'carol-del', 'Role', 'cm-deleter', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'carol' }]));
  c.ok(['create', 'configmap', 'cfg', '-n', 'dev']);
  assert.equal(c.ok(['delete', 'configmap', 'cfg', '-n', 'dev', '--as', 'carol']), 'configmap "cfg" deleted\n');
  const r = c.run(['delete', 'configmap', 'cfg', '-n', 'dev', '--as', 'carol']);
  assert.deepEqual([r.stderr, r.code], ['Error from server (NotFound): configmaps "cfg" not found\n', 1]);
});

test('a client certificate authenticates as its CN, in its O groups; describe skips what the user may not read', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rbac-cert-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/O=devs/O=qa/CN=dave', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { encoding: 'utf8' });
  if (made.status !== 0) return t.skip('openssl is not available to make a certificate');
  c.ok(['config', 'set-credentials', 'dave', `--client-certificate=${join(dir, 'c.pem')}`, `--client-key=${join(dir, 'k.pem')}`, '--embed-certs']);
  c.ok(['config', 'set-context', 'dave', '--cluster=kubesim', '--user=dave']);
  const fingerprint = createHash('sha256').update(new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw).digest('hex');
  assert.equal(
    c.ok(['auth', 'whoami', '--context', 'dave']),
    `ATTRIBUTE                                           VALUE\nUsername                                            dave\nGroups                                              [devs qa system:authenticated]\nExtra: authentication.kubernetes.io/credential-id   [X509SHA256=${fingerprint}]\n`,
  );
  assert.equal(c.run(['get', 'pods', '--context', 'dave']).stderr, forbiddenErr('pods is forbidden: User "dave" cannot list resource "pods" in API group "" in the namespace "default"'));
  // jane may get the pod but not list events: the description has no events to show
  assert.match(c.ok(['describe', 'pod', 'web', '-n', 'dev', '--as', 'jane']), /^Name: +web$/m);
});

test('get of several kinds: what the user may list is printed, each refusal is an error (ContinueOnError)', () => {
  const r = c.run(['get', 'pods,svc,deploy', '-n', 'dev', '--as', 'jane', '-o', 'name']);
  assert.equal(r.stdout, 'pod/web\n');
  assert.equal(
    r.stderr,
    forbiddenErr('services is forbidden: User "jane" cannot list resource "services" in API group "" in the namespace "dev"') +
      forbiddenErr('deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" in the namespace "dev"'),
  );
  assert.equal(r.code, 1);
});

test('--as-group or --as-uid without --as: client-go refuses the configuration before any request (clientcmd validateAuthInfo)', () => {
  // compared with kubectl 1.32: `kubectl --kubeconfig=/dev/null get pods --as-group=x` names the empty
  // user; a kubeconfig's user is named; an empty --as is no user; an empty --as-uid asks for nothing
  const d = cluster({ seed: 'as-group' });
  try {
    const before = stateSnapshot(d.dir);
    for (const args of [['get', 'pods', '--as-group', 'devs'], ['auth', 'can-i', 'get', 'pods', '--as-uid=1'], ['get', 'pods', '--as=', '--as-group=x']]) {
      const r = d.run(args);
      assert.deepEqual([r.stdout, r.stderr, r.code], ['', 'error: requesting uid, groups or user-extra for  without impersonating a user\n', 1], args.join(' '));
    }
    assert.deepEqual(stateSnapshot(d.dir), before);
    assert.equal(d.run(['get', 'pods', '--as=jane', '--as-uid=']).stderr, 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n');
    d.ok(['config', 'set-credentials', 'u', '--token=abc']);
    d.ok(['config', 'set-context', 'x', '--user=u', '--cluster=kubesim']);
    const r = d.run(['get', 'pods', '--context=x', '--as-group=g']);
    assert.deepEqual([r.stderr, r.code], ['error: requesting uid, groups or user-extra for u without impersonating a user\n', 1]);
  } finally {
    d.cleanup();
  }
});

test('the manifest keeps who may do everything, refreshed as bindings change (the admin reads no RBAC object)', () => {
  const superusers = () => JSON.parse(readFileSync(join(c.dir, 'cluster.json'), 'utf8')).superusers;
  assert.deepEqual(superusers(), { users: [], groups: ['kubeadm:cluster-admins', 'system:masters'] });
  c.ok(['create', 'clusterrolebinding', 'erin-admin', '--clusterrole=cluster-admin', '--user=erin']);
  assert.deepEqual(superusers().users, ['erin']);
  assert.equal(c.ok(['auth', 'can-i', 'delete', 'nodes', '--as', 'erin']), 'yes\n');
  c.ok(['delete', 'clusterrolebinding', 'erin-admin']);
  assert.deepEqual(superusers().users, []);
  assert.equal(c.run(['auth', 'can-i', 'delete', 'nodes', '--as', 'erin']).stdout, 'no\n');
});

test('the in-cluster apiserver reads a request as RequestInfo does', () => {
  const cases = [
    ['GET', '/api/v1/namespaces/dev/pods', { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'dev' }],
    ['GET', '/api/v1/namespaces/dev/pods?watch=true', { verb: 'watch', apiGroup: '', resource: 'pods', namespace: 'dev' }],
    ['GET', '/api/v1/namespaces/dev/pods/web/log', { verb: 'get', apiGroup: '', resource: 'pods', name: 'web', subresource: 'log', namespace: 'dev' }],
    ['DELETE', '/apis/apps/v1/namespaces/dev/deployments/web', { verb: 'delete', apiGroup: 'apps', resource: 'deployments', name: 'web', namespace: 'dev' }],
    ['DELETE', '/api/v1/namespaces/dev/pods', { verb: 'deletecollection', apiGroup: '', resource: 'pods', namespace: 'dev' }],
    ['POST', '/api/v1/namespaces/dev/configmaps', { verb: 'create', apiGroup: '', resource: 'configmaps', namespace: 'dev' }],
    ['GET', '/api/v1/namespaces/dev', { verb: 'get', apiGroup: '', resource: 'namespaces', name: 'dev', namespace: 'dev' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', apiGroup: '', resource: 'namespaces' }],
    ['GET', '/api/v1/nodes/n1', { verb: 'get', apiGroup: '', resource: 'nodes', name: 'n1' }],
    ['GET', '/api/v1', { verb: 'get', nonResourceURL: '/api/v1' }],
    ['GET', '/healthz', { verb: 'get', nonResourceURL: '/healthz' }],
    ['POST', '/logs', { verb: 'post', nonResourceURL: '/logs' }],
  ];
  const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  for (const [method, url, want] of cases) assert.deepEqual(clean(lib.requestAttributes(method, url)), want, `${method} ${url}`);
});

test('whoami without permission to ask: kubectl says so in its own words', () => {
  const r = c.run(['auth', 'whoami', '--as', 'system:anonymous', '--as-group', 'system:unauthenticated']);
  assert.deepEqual([r.stderr, r.code], ['error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n', 1]);
  const ci = c.run(['auth', 'can-i', 'get', 'pods', '--as', 'system:anonymous', '--as-group', 'system:unauthenticated']);
  assert.equal(ci.stderr, forbiddenErr('selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope'));
});

test('auth can-i --list warns when a binding names a role that does not exist (SelfSubjectRulesReview incomplete)', () => {
  apply(bindYaml('dev', 'typo', 'Role', 'pod-raeder', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'frank' }]));
  const r = c.run(['auth', 'can-i', '--list', '-n', 'dev', '--as', 'frank']);
  assert.equal(r.stderr, 'Warning: the list may be incomplete: role.rbac.authorization.k8s.io "pod-raeder" not found\n');
  assert.match(r.stdout, /^Resources +Non-Resource URLs/);
});

test('config set-credentials writes the user entry as kubectl does (compared with kubectl)', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'rbac-creds-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'c.pem'), 'cert\n');
  const steps = [
    ['jane', '--token=abc', '--username=x'],
    ['jane', '--client-certificate=c.pem', '--client-key=c.pem'],
    ['jane', '--client-certificate=/nonexistent', '--embed-certs'],
    ['jane', '--token=t0k'],
    ['bob', '--username=u', '--password=p'],
    ['bob', '--token=abc'],
    ['carol', `--client-certificate=${join(dir, 'c.pem')}`, '--embed-certs'],
  ];
  const users = (file) => JSON.stringify(parseYaml(readFileSync(file, 'utf8')).users.filter((u) => u.name !== 'kubesim'));
  for (const s of steps) {
    const k = spawnSync('kubectl', ['config', 'set-credentials', ...s], { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(dir, 'kubectl.conf') } });
    const r = spawnSync(process.execPath, [BIN, 'config', 'set-credentials', ...s], { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBESIM_CONFIG: join(dir, 'kubesim.conf') } });
    assert.deepEqual([r.stdout, r.stderr, r.status], [k.stdout, k.stderr, k.status], s.join(' '));
  }
  assert.equal(users(join(dir, 'kubesim.conf')), users(join(dir, 'kubectl.conf')));
});

test('--dry-run=client sends no write, so none is authorised; --dry-run=server is', () => {
  assert.equal(c.ok(['label', 'pod', 'web', 'a=b', '-n', 'dev', '--as', 'jane', '--dry-run=client']), 'pod/web labeled (dry run)\n');
  const r = c.run(['label', 'pod', 'web', 'a=b', '-n', 'dev', '--as', 'jane', '--dry-run=server']);
  assert.equal(r.stderr, forbiddenErr('pods "web" is forbidden: User "jane" cannot patch resource "pods" in API group "" in the namespace "dev"'));
});

test('apply by a user who may not read the object: the retrieval error, as apply.go wraps it', () => {
  const r = c.run(['apply', '-f', '-', '--as', 'jane'], { input: roleYaml('dev', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]) });
  assert.equal(
    r.stderr,
    'Error from server (Forbidden): error when retrieving current configuration of:\nResource: "rbac.authorization.k8s.io/v1, Resource=roles", GroupVersionKind: "rbac.authorization.k8s.io/v1, Kind=Role"\nName: "pod-reader", Namespace: "dev"\nfrom server for: "STDIN": roles.rbac.authorization.k8s.io "pod-reader" is forbidden: User "jane" cannot get resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "dev"\n',
  );
});

test('completion suggests nothing from a list the user may not read', () => {
  assert.deepEqual([c.run(['__complete', 'get', 'pods', '', '--as', 'jane']).stdout, c.run(['__complete', 'get', 'pods', '', '--as', 'jane']).code], ['', 0]);
  assert.equal(c.ok(['__complete', 'get', 'pods', '', '--as', 'jane', '-n', 'dev']), 'web\n');
});

test('--token: a ServiceAccount token instead of the kubeconfig user; an unknown one is Unauthorized', () => {
  const token = c.ok(['create', 'token', 'default', '-n', 'dev']).trim();
  assert.match(c.ok(['auth', 'whoami', '--token', token]), /^Username +system:serviceaccount:dev:default$/m);
  assert.equal(c.run(['get', 'pods', '-n', 'dev', `--token=${token}`]).stderr, '');
  assert.deepEqual([c.run(['get', 'pods', '--token=abc']).stderr, c.run(['get', 'pods', '--token=abc']).code], ['error: You must be logged in to the server (Unauthorized)\n', 1]);
});
