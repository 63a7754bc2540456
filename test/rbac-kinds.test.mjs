// RBAC kinds (rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding): their
// validation (kubernetes pkg/apis/rbac/validation/validation.go), columns (pkg/printers/internalversion/
// printers.go printRole / printRoleBinding / printClusterRole / printClusterRoleBinding), the default
// policy of a kubeadm 1.32 cluster (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata and
// kubeadm's own objects), the clusterrole aggregation controller (pkg/controller/clusterroleaggregation),
// the generators (kubectl pkg/cmd/create/create_role.go, create_clusterrole.go, create_rolebinding.go,
// create_clusterrolebinding.go: compared with kubectl itself) and the describers (kubectl
// pkg/describe/describe.go).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cluster, hasKubectl, ROOT, stateSnapshot } from './helpers.mjs';
import { startOpenAPIServer } from './openapi-server.mjs';

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
  assert.deepEqual(names('clusterroles'), expect('ClusterRole', ['cluster-roles', 'controller-roles']));
  assert.deepEqual(names('clusterrolebindings'), expect('ClusterRoleBinding', ['cluster-role-bindings', 'controller-role-bindings']));
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
  // Rules has no omitempty: an aggregated role nothing matches is served with rules: null; once it
  // held rules and lost them, the controller writes an empty list
  c.ok(['create', 'clusterrole', 'team', '--aggregation-rule=team=a']);
  assert.match(c.ok(['get', 'clusterrole', 'team', '-o', 'yaml']), /\nrules: null\n$/);
  c.ok(['create', 'clusterrole', 'team-member', '--verb=get', '--resource=pods']);
  c.ok(['label', 'clusterrole', 'team-member', 'team=a']);
  assert.deepEqual(stored('team'), [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  c.ok(['delete', 'clusterrole', 'team-member']);
  assert.deepEqual(stored('team'), []);
  c.ok(['delete', 'clusterrole', 'team']);
  assert.deepEqual(stored('admin'), union('system:aggregate-to-edit', 'system:aggregate-to-view', 'system:aggregate-to-admin'));
});

test('an older cluster gains the default policy once, keeping a user object of the same name', () => {
  const o = cluster({ seed: 'rbac-upgrade', init: [] });
  cleanups.push(() => o.cleanup());
  // the user's own `edit` (no aggregation rule), then the state as kubesim left it before the RBAC
  // kinds: no bindings and no record of the upgrade
  o.ok(['delete', 'clusterrole', 'edit']);
  o.ok(['create', 'clusterrole', 'edit', '--verb=get', '--resource=pods']);
  const file = join(o.dir, 'cluster.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  m.upgrades = m.upgrades.filter((u) => u !== 'rbac-bootstrap-policy');
  for (const key of Object.keys(m.shards)) if (/^(Cluster)?RoleBinding\//.test(key)) delete m.shards[key];
  writeFileSync(file, JSON.stringify(m));
  assert.equal(o.run(['get', 'clusterrolebindings', '--no-headers']).stdout.trim().split('\n').length, testdata('cluster-role-bindings').length + testdata('controller-role-bindings').length + testdata('kubeadm').filter((x) => x.kind === 'ClusterRoleBinding').length);
  assert.match(o.ok(['get', 'clusterrolebinding', 'kubeadm:cluster-admins', '--no-headers']), /^kubeadm:cluster-admins\s+ClusterRole\/cluster-admin\s/);
  assert.equal(o.ok(['get', 'rolebindings', '-n', 'kube-system', '--no-headers']).trim().split('\n').length, 9);
  // the user's edit stays as it is
  assert.deepEqual(JSON.parse(o.ok(['get', 'clusterrole', 'edit', '-o', 'json'])).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  const snap = stateSnapshot(o.dir);
  o.ok(['get', 'clusterroles']);
  assert.deepEqual(stateSnapshot(o.dir), snap);
});

// The generators against the real kubectl: kubectl maps --resource through discovery, so it talks to
// a stand-in apiserver serving kubesim's resources (test/openapi-server.mjs).
const kubectl = hasKubectl();
let server;
let kdir;
before(async () => {
  if (!kubectl) return;
  const lib = createRequire(import.meta.url)('../dist/lib.cjs');
  server = await startOpenAPIServer(lib.RESOURCES.map((r) => ({ group: r.group, version: r.version, kind: r.kind, name: r.plural, shortNames: r.shortNames, namespaced: r.namespaced })));
  kdir = mkdtempSync(join(tmpdir(), 'kubesim-rbac-'));
});
after(async () => {
  if (server) await server.close();
  if (kdir) rmSync(kdir, { recursive: true, force: true });
});

function realKubectl(args) {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', server.kubeconfig(kdir), ...args], { env: { ...process.env, HOME: kdir } }, (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? err.code : 0 }));
  });
}

/** klog's "E1202 16:31:03.256947   29945 run.go:72]" prefix varies with time and pid */
const unstamp = (s) => s.replace(/^E\d{4} [\d:.]+ +\d+ /gm, 'E ');

const GENERATED = [
  // verbs and label keys named as Object.prototype's members are plain strings to kubectl
  ['create', 'role', 'proto', '--verb=__proto__,constructor,get', '--resource=pods'],
  ['create', 'clusterrole', 'agg', '--aggregation-rule=__proto__=true,constructor=x,hasOwnProperty=y'],
  ['create', 'role', 'pod-reader', '--verb=get', '--verb=list', '--verb=watch', '--resource=pods'],
  ['create', 'role', 'pod-reader', '--verb=get', '--resource=pods', '--resource-name=readablepod', '--resource-name=anotherpod'],
  ['create', 'role', 'foo', '--verb=get,list,watch', '--resource=pods,pods/status'],
  ['create', 'role', 'mixed', '--verb=get,list,get', '--resource=po,deploy,deployments.apps,pods/log,cronjobs.batch,rs/scale', '--resource-name=a,b', '--resource-name=a', '-n', 'dev'],
  ['create', 'role', 'all', '--verb=get,*,list', '--resource=deploy,*,pods'],
  ['create', 'role', 'imp', '--verb=impersonate', '--resource=serviceaccounts'],
  ['create', 'role', 'binder', '--verb=bind,escalate', '--resource=roles.rbac.authorization.k8s.io,clusterroles'],
  ['create', 'clusterrole', 'pod-reader', '--verb=get,list,watch', '--resource=pods'],
  ['create', 'clusterrole', 'foo', '--verb=get,list,watch', '--resource=rs.apps,statefulsets'],
  ['create', 'clusterrole', 'urls', '--verb=get', '--non-resource-url=/logs/*,/healthz', '--non-resource-url=/healthz', '--resource=nodes'],
  ['create', 'clusterrole', 'star', '--verb=*', '--non-resource-url=*'],
  ['create', 'clusterrole', 'monitoring', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true,b=c'],
  ['create', 'rolebinding', 'admin', '--clusterrole=admin', '--user=user1', '--user=user2', '--group=group1'],
  ['create', 'rolebinding', 'myapp-view-binding', '--clusterrole=view', '--serviceaccount=acme:myapp', '-n', 'acme'],
  ['create', 'rolebinding', 'r', '--role=pod-reader'],
  ['create', 'clusterrolebinding', 'cluster-admin', '--clusterrole=cluster-admin', '--user=user1', '--user=user2', '--group=group1'],
  ['create', 'clusterrolebinding', 'sa', '--clusterrole=view', '--serviceaccount=kube-system:default', '--serviceaccount=dev:bot'],
];

test('create role | clusterrole | rolebinding | clusterrolebinding --dry-run=client: byte-equal to kubectl (-o yaml, -o json, name)', async (t) => {
  if (!kubectl) return t.skip('kubectl is not on PATH');
  for (const args of GENERATED) {
    for (const out of [['-o', 'yaml'], ['-o', 'json'], ...(args === GENERATED[0] ? [[]] : [])]) {
      const full = [...args, '--dry-run=client', ...out];
      const want = await realKubectl(full);
      assert.equal(want.code, 0, `kubectl ${full.join(' ')}: ${want.stderr}`);
      const got = c.run(full);
      assert.deepEqual({ stdout: got.stdout, code: got.code }, { stdout: want.stdout, code: 0 }, full.join(' '));
    }
  }
});

const REFUSED = [
  // pflag's string slice reads an empty value as no element (readAsCSV)
  ['create', 'role', 'x', '--verb=', '--resource=pods'],
  ['create', 'role', 'x', '--verb=get', '--resource='],
  ['create', 'clusterrole', 'x', '--verb=get', '--non-resource-url='],
  ['create', 'role', 'x', '--resource=pods'],
  ['create', 'role', 'x', '--verb=get'],
  ['create', 'role', '--verb=get', '--resource=pods'],
  ['create', 'role', 'a', 'b', '--verb=get', '--resource=pods'],
  ['create', 'role', 'x', '--verb=get', '--resource=.apps'],
  ['create', 'role', 'x', '--verb=use', '--resource=pods'],
  ['create', 'role', 'x', '--verb=foo', '--resource=pods'],
  ['create', 'role', 'x', '--verb=foo,bar', '--resource=nosuchthings'],
  ['create', 'role', 'x', '--verb=get', '--resource=rs.extensions'],
  ['create', 'clusterrole', 'x', '--verb=get'],
  ['create', 'clusterrole', 'x', '--verb=list', '--non-resource-url=/logs'],
  ['create', 'clusterrole', 'x', '--verb=get', '--non-resource-url=logs'],
  ['create', 'clusterrole', 'x', '--verb=get', '--non-resource-url=/a*/b'],
  ['create', 'clusterrole', 'x', '--verb=get', '--aggregation-rule=a=b'],
  ['create', 'rolebinding', 'x'],
  ['create', 'rolebinding', 'x', '--role=a', '--clusterrole=b'],
  ['create', 'rolebinding', 'x', '--role=a', '--serviceaccount=sa'],
  ['create', 'clusterrolebinding', 'x', '--serviceaccount=:sa', '--clusterrole=view'],
  ['create', 'clusterrolebinding', 'x'],
];

test('the generators refuse what kubectl refuses, with its messages (and its warnings for non-standard verbs)', async (t) => {
  if (!kubectl) return t.skip('kubectl is not on PATH');
  const before = stateSnapshot(c.dir);
  for (const args of REFUSED) {
    const full = [...args, '--dry-run=client', '-o', 'yaml'];
    const want = await realKubectl(full);
    const got = c.run(full);
    assert.deepEqual(
      { stdout: got.stdout, stderr: unstamp(got.stderr).replaceAll('kubesim', 'kubectl'), code: got.code },
      { stdout: want.stdout, stderr: unstamp(want.stderr), code: want.code },
      full.join(' '),
    );
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('the generators create for real: create role then get role; a server dry run keeps nothing', () => {
  assert.equal(c.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods,deploy']), 'role.rbac.authorization.k8s.io/pod-reader created\n');
  assert.equal(c.ok(['get', 'role', 'pod-reader']), 'NAME         CREATED AT\npod-reader   2025-03-01T12:00:00Z\n');
  assert.deepEqual(JSON.parse(c.ok(['get', 'role', 'pod-reader', '-o', 'json'])).rules, [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
  ]);
  assert.equal(c.ok(['create', 'clusterrole', 'agg', '--aggregation-rule=team=a']), 'clusterrole.rbac.authorization.k8s.io/agg created\n');
  assert.equal(c.ok(['create', 'clusterrolebinding', 'agg', '--clusterrole=agg', '--group=team-a']), 'clusterrolebinding.rbac.authorization.k8s.io/agg created\n');
  assert.equal(c.ok(['create', 'rolebinding', 'pr', '--role=pod-reader', '--serviceaccount=default:default', '--user=jane']), 'rolebinding.rbac.authorization.k8s.io/pr created\n');
  assert.equal(c.ok(['get', 'rolebinding', 'pr', '-o', 'wide']), 'NAME   ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\npr     Role/pod-reader   0s    jane             default/default\n');
  assert.equal(c.ok(['create', 'clusterrolebinding', 'dry', '--clusterrole=view', '--user=u', '--dry-run=server']), 'clusterrolebinding.rbac.authorization.k8s.io/dry created (server dry run)\n');
  assert.equal(c.run(['get', 'clusterrolebinding', 'dry']).code, 1);
  // the apiserver's validation applies: an invalid name
  const bad = c.run(['create', 'clusterrole', 'a/b', '--verb=get', '--resource=pods']);
  assert.equal(bad.stderr, 'The ClusterRole "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain \'/\'\n');
  for (const [k, n] of [['rolebinding', 'pr'], ['role', 'pod-reader'], ['clusterrolebinding', 'agg'], ['clusterrole', 'agg']]) c.ok(['delete', k, n]);
});

// describe.go RoleDescriber: rules broken down per group/resource/name/verb, compacted (verbs merged in
// order of appearance), sorted by PolicyRule.String() ("&PolicyRule{Verbs:[…],APIGroups:[…],…"), so by
// verbs first; CombineResourceGroup writes resource.group/subresource; lists print as Go's %v.
test('describe role and clusterrole: the PolicyRule table, compacted and sorted as kubectl does', () => {
  assert.equal(
    apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: mixed, namespace: default}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
- {apiGroups: [apps], resources: [deployments], verbs: [get], resourceNames: [web, api]}
- {apiGroups: [""], resources: [pods], verbs: [watch, get]}
- {apiGroups: [batch, ""], resources: [jobs], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: urls, labels: {b: "2", a: "1"}}
rules:
- {nonResourceURLs: [/healthz, /logs/*], verbs: [get, post]}
- {apiGroups: [""], resources: [nodes], verbs: [get]}
`).code,
    0,
  );
  assert.equal(
    c.ok(['describe', 'role', 'mixed']),
    `Name:         mixed
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources         Non-Resource URLs  Resource Names  Verbs
  ---------         -----------------  --------------  -----
  jobs              []                 []              [create]
  jobs.batch        []                 []              [create]
  pods              []                 []              [get list watch]
  pods/log          []                 []              [get list]
  deployments.apps  []                 [api]           [get]
  deployments.apps  []                 [web]           [get]
`,
  );
  assert.equal(
    c.ok(['describe', 'clusterrole', 'urls']),
    `Name:         urls
Labels:       a=1
              b=2
Annotations:  <none>
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
             [/healthz]         []              [get]
             [/logs/*]          []              [get]
  nodes      []                 []              [get]
             [/healthz]         []              [post]
             [/logs/*]          []              [post]
`,
  );
  c.ok(['delete', 'role', 'mixed']);
  c.ok(['delete', 'clusterrole', 'urls']);
});

test('describe clusterrole view: one row per resource of the aggregated rules, in String() order', () => {
  const out = c.ok(['describe', 'clusterrole', 'view']).split('\n');
  assert.deepEqual(out.slice(0, 7), [
    'Name:         view',
    'Labels:       kubernetes.io/bootstrapping=rbac-defaults',
    '              rbac.authorization.k8s.io/aggregate-to-edit=true',
    'Annotations:  rbac.authorization.kubernetes.io/autoupdate: true',
    'PolicyRule:',
    '  Resources                                    Non-Resource URLs  Resource Names  Verbs',
    '  ---------                                    -----------------  --------------  -----',
  ]);
  // what the testdata implies: every group/resource of system:aggregate-to-view, all [get list watch],
  // ordered by "APIGroups:[g],Resources:[r]," (the verbs being equal)
  const pairs = new Map();
  for (const r of testdata('cluster-roles').find((o) => o.metadata.name === 'system:aggregate-to-view').rules) {
    for (const g of r.apiGroups) for (const res of r.resources) pairs.set(`${g}],Resources:[${res}],`, [g, res]);
  }
  const want = [...pairs.keys()].sort().map((k) => {
    const [g, res] = pairs.get(k);
    const [base, sub] = res.split('/');
    return `${base}${g ? `.${g}` : ''}${sub ? `/${sub}` : ''}`;
  });
  const rows = out.slice(7).filter(Boolean).map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows.map((r) => r[0]), want);
  for (const r of rows) assert.deepEqual(r.slice(1), ['[]', '[]', '[get', 'list', 'watch]']);
  assert.equal(out[7], '  bindings                                     []                 []              [get list watch]');
});

test('describe rolebinding and clusterrolebinding: Role and Subjects', () => {
  c.ok(['create', 'rolebinding', 'rb', '--clusterrole=view', '--user=jane', '--group=devs', '--serviceaccount=default:bot']);
  assert.equal(
    c.ok(['describe', 'rolebinding', 'rb']),
    `Name:         rb
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  ClusterRole
  Name:  view
Subjects:
  Kind            Name  Namespace
  ----            ----  ---------
  User            jane  
  Group           devs  
  ServiceAccount  bot   default
`,
  );
  c.ok(['delete', 'rolebinding', 'rb']);
  assert.equal(
    c.ok(['describe', 'clusterrolebinding', 'kubeadm:cluster-admins']),
    `Name:         kubeadm:cluster-admins
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  ClusterRole
  Name:  cluster-admin
Subjects:
  Kind   Name                    Namespace
  ----   ----                    ---------
  Group  kubeadm:cluster-admins  
`,
  );
  // a binding without subjects (the bootstrap policy's system:node)
  assert.match(c.ok(['describe', 'clusterrolebinding', 'system:node']), /\nSubjects:\n  Kind  Name  Namespace\n  ----  ----  ---------\n$/);
});
