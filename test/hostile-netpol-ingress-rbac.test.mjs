// Hostile manifests on issue 17's kinds (NetworkPolicy, Ingress, Role, ClusterRole, RoleBinding):
// wrong JSON types are refused by decoding as the apiserver's json decoder words it ("cannot unmarshal
// X into Go struct field T.path of type Y", sigs.k8s.io/json), keys that are Object.prototype's
// names by validation (apimachinery ValidateLabels / ValidateAnnotations, rbac validation); each
// exits 1 and leaves the state byte-identical.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'hostile17' });
after(() => c.cleanup());

const NP = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n';
const ING = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}\nspec:\n';
const RBAC = 'apiVersion: rbac.authorization.k8s.io/v1\n';
const QUALIFIED = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const bad = (kind, msg) => `Error from server (BadRequest): error when creating "STDIN": ${kind} in version "v1" cannot be handled as a ${kind}: json: ${msg}`;

const CASES = [
  [NP + '  podSelector: {}\n  ingress: [{ports: [{port: {}}]}]', bad('NetworkPolicy', 'cannot unmarshal object into Go struct field NetworkPolicyPort.spec.ingress.ports.port of type int32')],
  [NP + '  podSelector: []', bad('NetworkPolicy', 'cannot unmarshal array into Go struct field NetworkPolicySpec.spec.podSelector of type v1.LabelSelector')],
  [NP + '  podSelector: {}\n  ingress: x', bad('NetworkPolicy', 'cannot unmarshal string into Go struct field NetworkPolicySpec.spec.ingress of type []v1.NetworkPolicyIngressRule')],
  [NP + '  podSelector: {}\n  ingress: [{ports: [{port: 80, endPort: "90"}]}]', bad('NetworkPolicy', 'cannot unmarshal string into Go struct field NetworkPolicyPort.spec.ingress.ports.endPort of type int32')],
  [NP + '  podSelector: {matchLabels: {__proto__: x}}', `The NetworkPolicy "np" is invalid: spec.podSelector.matchLabels: Invalid value: "__proto__": ${QUALIFIED}`],
  [NP + '  podSelector: {matchLabels: {a: __proto__}}', `The NetworkPolicy "np" is invalid: spec.podSelector.matchLabels: Invalid value: "__proto__": ${LABEL_VALUE}`],
  [ING + '  rules: x', bad('Ingress', 'cannot unmarshal string into Go struct field IngressSpec.spec.rules of type []v1.IngressRule')],
  [ING + '  defaultBackend: {service: {name: s, port: {}}}', 'The Ingress "ing" is invalid: spec.defaultBackend: Required value: port name or number is required'],
  [ING + '  defaultBackend: {service: {name: s, port: {number: 80, name: http}}}', 'The Ingress "ing" is invalid: spec.defaultBackend: Invalid value: "": cannot set both port name & port number'],
  ['apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing, annotations: {__proto__: x}}\nspec: {defaultBackend: {service: {name: s, port: {number: 80}}}}', `The Ingress "ing" is invalid: metadata.annotations: Invalid value: "__proto__": ${QUALIFIED}`],
  [RBAC + 'kind: ClusterRole\nmetadata: {name: agg}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {__proto__: x}}]}', `The ClusterRole "agg" is invalid: aggregationRule.clusterRoleSelectors[0].matchLabels: Invalid value: "__proto__": ${QUALIFIED}`],
  [RBAC + 'kind: Role\nmetadata: {name: r}\nrules: x', bad('Role', 'cannot unmarshal string into Go struct field Role.rules of type []v1.PolicyRule')],
  [RBAC + "kind: Role\nmetadata: {name: r}\nrules: [{verbs: {a: 1}, apiGroups: [''], resources: [pods]}]", bad('Role', 'cannot unmarshal object into Go struct field PolicyRule.rules.verbs of type []string')],
  [RBAC + 'kind: RoleBinding\nmetadata: {name: rb}\nroleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}\nsubjects: [{kind: Alien, name: x}]', 'The RoleBinding "rb" is invalid: subjects[0].kind: Unsupported value: "Alien": supported values: "ServiceAccount", "User", "Group"'],
];

test('wrong types and prototype-named keys: the apiserver refuses, exit 1, state byte-identical', () => {
  c.ok(['get', 'ns']);
  const before = stateSnapshot(c.dir);
  for (const [yaml, msg] of CASES) {
    const r = c.run(['apply', '-f', '-'], { input: yaml });
    assert.deepEqual([r.stdout, r.stderr, r.code], ['', `${msg}\n`, 1], yaml);
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('a cycle of aggregating ClusterRoles settles: each holds the union of the others, none of its own', () => {
  c.ok(['apply', '-f', '-'], {
    input: `${RBAC}kind: ClusterRole\nmetadata: {name: cyc-a, labels: {agg: cyc}}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: cyc}}]}
---
${RBAC}kind: ClusterRole\nmetadata: {name: cyc-b, labels: {agg: cyc}}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: cyc}}]}
---
${RBAC}kind: ClusterRole\nmetadata: {name: cyc-c, labels: {agg: cyc}}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
`,
  });
  for (const name of ['cyc-a', 'cyc-b']) assert.deepEqual(JSON.parse(c.ok(['get', 'clusterrole', name, '-o', 'json'])).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], name);
  const snap = stateSnapshot(c.dir);
  c.ok(['get', 'clusterroles']);
  assert.deepEqual(stateSnapshot(c.dir), snap);
});
