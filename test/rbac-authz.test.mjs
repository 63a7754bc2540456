// RBAC authorization: the rule forms of pkg/apis/rbac/v1/evaluation_helpers.go, the binding walk of
// pkg/registry/rbac/validation/rule.go, and the apiserver's Forbidden messages
// (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
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
