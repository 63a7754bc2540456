// RBAC kinds (rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding): their
// validation (kubernetes pkg/apis/rbac/validation/validation.go), columns (pkg/printers/internalversion/
// printers.go printRole / printRoleBinding / printClusterRole / printClusterRoleBinding), the default
// policy of a kubeadm 1.32 cluster (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata and
// kubeadm's own objects), the clusterrole aggregation controller (pkg/controller/clusterroleaggregation),
// the generators (kubectl pkg/cmd/create/create_role.go, create_clusterrole.go, create_rolebinding.go,
// create_clusterrolebinding.go: compared with kubectl itself) and the describers (kubectl
// pkg/describe/describe.go).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cluster, ROOT, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'rbac', init: [] });
const cleanups = [() => c.cleanup()];
after(() => cleanups.forEach((f) => f()));

const apply = (yaml, verb = 'create') => c.run([verb, '-f', '-'], { input: yaml });

/** The testdata's objects (scripts/rbac, checked in from kubernetes' bootstrappolicy testdata). */
const testdata = (name) => parse(readFileSync(join(ROOT, 'scripts', 'rbac', `${name}.yaml`), 'utf8')).items;

test('the four kinds are served: api-resources, create -f, get, delete', () => {
  // (the widths depend on every kind served: compared by words; no short names in 1.32)
  const ar = c.ok(['api-resources']).split('\n').filter((l) => l.includes('rbac.authorization.k8s.io')).map((l) => l.split(/\s+/));
  assert.deepEqual(ar, [
    ['clusterrolebindings', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRoleBinding'],
    ['clusterroles', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRole'],
    ['rolebindings', 'rbac.authorization.k8s.io/v1', 'true', 'RoleBinding'],
    ['roles', 'rbac.authorization.k8s.io/v1', 'true', 'Role'],
  ]);
  const out = apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: default}
roleRef: {kind: Role, name: pod-reader}
subjects:
- {kind: User, name: jane}
- {kind: Group, name: devs}
- {kind: ServiceAccount, name: default, namespace: default}
- {kind: ServiceAccount, name: bot}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects:
- {kind: Group, name: managers, apiGroup: rbac.authorization.k8s.io}
`);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(
    out.stdout,
    'role.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/read-pods created\nclusterrole.rbac.authorization.k8s.io/secret-reader created\nclusterrolebinding.rbac.authorization.k8s.io/read-secrets created\n',
  );
  // printRole: NAME, CREATED AT (RFC 3339, UTC)
  assert.equal(c.ok(['get', 'roles']), 'NAME         CREATED AT\npod-reader   2025-03-01T12:00:00Z\n');
  // printRoleBinding: ROLE is Kind/name; -o wide adds the subjects (service accounts as ns/name)
  assert.equal(c.ok(['get', 'rolebinding', 'read-pods']), 'NAME        ROLE              AGE\nread-pods   Role/pod-reader   0s\n');
  assert.equal(
    c.ok(['get', 'rolebinding', 'read-pods', '-o', 'wide']),
    'NAME        ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\nread-pods   Role/pod-reader   0s    jane    devs     default/default, bot\n',
  );
  assert.match(c.ok(['get', 'clusterrolebinding', 'read-secrets', '-o', 'wide']), /\nread-secrets   ClusterRole\/secret-reader   0s\s+managers\s+\n$/);
  assert.equal(c.ok(['get', 'clusterrole', 'secret-reader']), 'NAME            CREATED AT\nsecret-reader   2025-03-01T12:00:00Z\n');
  // the v1 defaults: roleRef and User/Group subjects get the rbac group, service accounts none
  const rb = JSON.parse(c.ok(['get', 'rolebinding', 'read-pods', '-o', 'json']));
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
  assert.deepEqual(
    rb.subjects.map((s) => s.apiGroup),
    ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined, undefined],
  );
  // names are path segments (ValidateRBACName), so colons are fine
  assert.equal(c.ok(['get', 'clusterrole', 'system:basic-user', '-o', 'name']), 'clusterrole.rbac.authorization.k8s.io/system:basic-user\n');
  assert.equal(
    c.ok(['delete', 'rolebinding', 'read-pods', '-n', 'default']) + c.ok(['delete', 'role', 'pod-reader']) + c.ok(['delete', 'clusterrolebinding', 'read-secrets']) + c.ok(['delete', 'clusterrole', 'secret-reader']),
    'rolebinding.rbac.authorization.k8s.io "read-pods" deleted\nrole.rbac.authorization.k8s.io "pod-reader" deleted\nclusterrolebinding.rbac.authorization.k8s.io "read-secrets" deleted\nclusterrole.rbac.authorization.k8s.io "secret-reader" deleted\n',
  );
});

// validation.go's messages, each a case: the object, then the error kubectl prints
const INVALID = [
  [
    'a rule without verbs, apiGroups or resources',
    'kind: Role\nmetadata: {name: r}\nrules:\n- {}\n',
    'The Role "r" is invalid: \n* rules[0].verbs: Required value: verbs must contain at least one value\n* rules[0].apiGroups: Required value: resource rules must supply at least one api group\n* rules[0].resources: Required value: resource rules must supply at least one resource',
  ],
  [
    'non-resource URLs in a namespaced role, mixed with resources',
    'kind: Role\nmetadata: {name: r}\nrules:\n- {nonResourceURLs: [/healthz], resources: [pods], verbs: [get]}\n',
    'The Role "r" is invalid: \n* rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs\n* rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
  ],
  ['a name with a slash', 'kind: ClusterRole\nmetadata: {name: a/b}\n', 'The ClusterRole "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain \'/\''],
  [
    'an aggregation rule without selectors',
    'kind: ClusterRole\nmetadata: {name: agg}\naggregationRule: {clusterRoleSelectors: []}\n',
    'The ClusterRole "agg" is invalid: aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ],
  [
    'a binding to a Role from a ClusterRoleBinding, a bad apiGroup',
    'kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: example.com, kind: Role, name: x}\n',
    'The ClusterRoleBinding "b" is invalid: \n* roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"\n* roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
  ],
  ['a binding without roleRef name', 'kind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role}\n', 'The RoleBinding "b" is invalid: roleRef.name: Required value'],
  [
    'subjects: a cluster binding to a service account without namespace, an unknown kind, a User in another group',
    'kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\nsubjects:\n- {kind: ServiceAccount, name: sa}\n- {kind: Robot, name: r2}\n- {kind: User, name: u, apiGroup: example.com}\n- {kind: ServiceAccount, name: sa2, namespace: x, apiGroup: rbac.authorization.k8s.io}\n',
    'The ClusterRoleBinding "b" is invalid: \n* subjects[0].namespace: Required value\n* subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"\n* subjects[2].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"\n* subjects[3].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
  ],
];

test('validation: rules, names, aggregation rules, roleRef and subjects', () => {
  const before = stateSnapshot(c.dir);
  for (const [what, body, message] of INVALID) {
    const r = apply(`apiVersion: rbac.authorization.k8s.io/v1\n${body}`);
    assert.equal(r.code, 1, what);
    assert.equal(r.stderr, `${message}\n`, what);
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('a binding keeps its roleRef: cannot change roleRef', () => {
  const rb = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: fixed, namespace: default}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: a}]\n';
  assert.equal(apply(rb).code, 0);
  // subjects may change
  assert.equal(c.ok(['apply', '-f', '-'], { input: rb.replace('name: a}', 'name: b}') }), 'rolebinding.rbac.authorization.k8s.io/fixed configured\n');
  const r = apply(rb.replace('name: view', 'name: edit'), 'replace');
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'The RoleBinding "fixed" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef\n',
  );
  c.ok(['delete', 'rolebinding', 'fixed']);
});

test('the default policy: the bootstrap policy testdata and kubeadm objects, made at cluster creation', () => {
  const names = (kind, ns) => c.ok(['get', kind, ...(ns ? ['-n', ns] : []), '-o', 'name']).trim().split('\n').map((l) => l.slice(l.indexOf('/') + 1));
  const kubeadmItems = testdata('kubeadm');
  const expect = (kind, files, ns) => {
    const fromTestdata = files.flatMap(testdata).filter((o) => o.kind === kind && o.metadata.namespace === ns);
    return [...fromTestdata, ...kubeadmItems.filter((o) => o.kind === kind && o.metadata.namespace === ns)].map((o) => o.metadata.name).sort();
  };
  assert.deepEqual(names('clusterroles'), expect('ClusterRole', ['cluster-roles']));
  assert.deepEqual(names('clusterrolebindings'), expect('ClusterRoleBinding', ['cluster-role-bindings']));
  for (const ns of ['kube-system', 'kube-public']) {
    assert.deepEqual(names('roles', ns), [...new Set(expect('Role', ['namespace-roles'], ns))].sort(), ns);
    assert.deepEqual(names('rolebindings', ns), expect('RoleBinding', ['namespace-role-bindings'], ns), ns);
  }
  // kubeadm's: the admin.conf user's group is bound to cluster-admin
  assert.equal(
    c.ok(['get', 'clusterrolebinding', 'kubeadm:cluster-admins', '-o', 'wide']),
    'NAME                     ROLE                        AGE   USERS   GROUPS                   SERVICEACCOUNTS\n' +
      'kubeadm:cluster-admins   ClusterRole/cluster-admin   0s            kubeadm:cluster-admins   \n',
  );
  // labels and annotations as the testdata has them; creationTimestamp is the cluster's creation
  const crb = JSON.parse(c.ok(['get', 'clusterrolebinding', 'system:basic-user', '-o', 'json']));
  assert.deepEqual(crb.metadata.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  assert.deepEqual(crb.metadata.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
  assert.equal(crb.metadata.creationTimestamp, '2025-03-01T12:00:00Z');
  const ca = JSON.parse(c.ok(['get', 'clusterrole', 'cluster-admin', '-o', 'json']));
  assert.deepEqual(ca.rules, testdata('cluster-roles').find((o) => o.metadata.name === 'cluster-admin').rules);
});

test('aggregation: admin, edit and view hold the union of the roles labelled for them', () => {
  const items = testdata('cluster-roles');
  const rulesOf = (name) => items.find((o) => o.metadata.name === name).rules;
  const union = (...names) => {
    const out = [];
    for (const n of names) for (const r of rulesOf(n)) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(r))) out.push(r);
    return out;
  };
  const stored = (name) => JSON.parse(c.ok(['get', 'clusterrole', name, '-o', 'json'])).rules;
  // view: system:aggregate-to-view; edit: system:aggregate-to-edit, then view's (labelled
  // aggregate-to-edit), by name; admin: edit's rules, then system:aggregate-to-admin's
  assert.deepEqual(stored('view'), rulesOf('system:aggregate-to-view'));
  assert.deepEqual(stored('edit'), union('system:aggregate-to-edit', 'system:aggregate-to-view'));
  assert.deepEqual(stored('admin'), union('system:aggregate-to-edit', 'system:aggregate-to-view', 'system:aggregate-to-admin'));
  // a new role labelled for view reaches view, edit and admin; deleting it takes its rules away
  const extra = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: aggregate-widgets\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}\nrules:\n- {apiGroups: [example.com], resources: [widgets], verbs: [get, list, watch]}\n';
  assert.equal(apply(extra).code, 0);
  const widget = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] };
  for (const r of ['view', 'edit', 'admin']) assert.ok(stored(r).some((x) => JSON.stringify(x) === JSON.stringify(widget)), r);
  // sorted by name: aggregate-widgets comes before system:aggregate-to-view
  assert.deepEqual(stored('view')[0], widget);
  c.ok(['delete', 'clusterrole', 'aggregate-widgets']);
  assert.deepEqual(stored('view'), rulesOf('system:aggregate-to-view'));
  assert.deepEqual(stored('admin'), union('system:aggregate-to-edit', 'system:aggregate-to-view', 'system:aggregate-to-admin'));
});

test('an older cluster gains the default policy once, keeping a user object of the same name', () => {
  const o = cluster({ seed: 'rbac-upgrade', init: [] });
  cleanups.push(() => o.cleanup());
  const file = join(o.dir, 'cluster.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  m.upgrades = m.upgrades.filter((u) => u !== 'rbac-bootstrap-policy');
  for (const key of Object.keys(m.shards)) if (/^(Cluster)?Role(Binding)?\//.test(key)) delete m.shards[key];
  writeFileSync(file, JSON.stringify(m));
  assert.equal(o.ok(['get', 'clusterroles', '--no-headers']).trim().split('\n').length, testdata('cluster-roles').length + testdata('kubeadm').filter((x) => x.kind === 'ClusterRole').length);
  assert.match(o.ok(['get', 'clusterrolebinding', 'kubeadm:cluster-admins', '--no-headers']), /^kubeadm:cluster-admins\s+ClusterRole\/cluster-admin\s/);
  assert.equal(JSON.parse(o.ok(['get', 'clusterrole', 'view', '-o', 'json'])).rules.length, testdata('cluster-roles').find((x) => x.metadata.name === 'system:aggregate-to-view').rules.length);
  const snap = stateSnapshot(o.dir);
  o.ok(['get', 'clusterroles']);
  assert.deepEqual(stateSnapshot(o.dir), snap);
});

