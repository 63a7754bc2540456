// Issue 17, NetworkPolicy as an API kind: networking.k8s.io/v1 NetworkPolicy stored with
// SetDefaults_NetworkPolicy (pkg/apis/networking/v1/defaults.go), refused with ValidateNetworkPolicy's
// messages (pkg/apis/networking/validation/validation.go, kube-apiserver 1.32), listed with the
// columns of printNetworkPolicy (pkg/printers/internalversion/printers.go: NAME, POD-SELECTOR, AGE).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'netpol', init: [] });
after(() => c.cleanup());

const policy = (name, spec) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
${spec}`;
const create = (yaml, args = []) => c.run(['create', '-f', '-', ...args], { input: yaml });
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));

test('create, get by every name, delete', () => {
  const r = create(policy('allow-web', '  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n  - ports:\n    - port: 80\n'));
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'networkpolicy.networking.k8s.io/allow-web created\n');
  for (const name of ['netpol', 'networkpolicy', 'networkpolicies', 'NetworkPolicy', 'networkpolicies.networking.k8s.io', 'netpol.v1.networking.k8s.io']) {
    assert.equal(c.ok(['get', name]), 'NAME        POD-SELECTOR   AGE\nallow-web   app=web        0s\n', name);
  }
  assert.equal(c.ok(['get', 'netpol', '-o', 'name']), 'networkpolicy.networking.k8s.io/allow-web\n');
  assert.equal(c.ok(['delete', 'netpol', 'allow-web']), 'networkpolicy.networking.k8s.io "allow-web" deleted\n');
  const r2 = c.run(['get', 'netpol']);
  assert.equal(r2.stdout, '');
  assert.equal(r2.stderr, 'No resources found in default namespace.\n');
});

test('api-resources lists networkpolicies in the networking.k8s.io group', () => {
  const lines = c.ok(['api-resources']).split('\n');
  const i = lines.findIndex((l) => l.startsWith('networkpolicies '));
  assert.ok(i > 0);
  assert.deepEqual(lines[i].split(/\s+/), ['networkpolicies', 'netpol', 'networking.k8s.io/v1', 'true', 'NetworkPolicy']);
  // discovery order: batch before networking.k8s.io before policy
  assert.ok(lines[i - 1].includes('batch/v1'), lines[i - 1]);
  assert.ok(lines[i + 1].startsWith('poddisruptionbudgets'), lines[i + 1]);
  assert.ok(c.ok(['api-versions']).includes('networking.k8s.io/v1\n'));
});

// SetDefaults_NetworkPolicy: policyTypes [Ingress], plus Egress when egress rules exist, unless given;
// SetDefaults_NetworkPolicyPort: protocol TCP. podSelector (no omitempty) is always written.
const DEFAULTS = [
  ['no rules', '  podSelector: {}\n', { podSelector: {}, policyTypes: ['Ingress'] }],
  ['no podSelector at all', '  ingress: []\n', { podSelector: {}, policyTypes: ['Ingress'] }],
  [
    'egress rules add Egress',
    '  podSelector: {}\n  egress:\n  - ports:\n    - port: 53\n      protocol: UDP\n    - port: 53\n',
    { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] },
  ],
  ['given policyTypes are kept', '  podSelector: {}\n  policyTypes: [Egress]\n', { podSelector: {}, policyTypes: ['Egress'] }],
  [
    'named port and endPort',
    '  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n    - port: 8000\n      endPort: 9000\n',
    { podSelector: {}, ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }, { port: 8000, endPort: 9000, protocol: 'TCP' }] }], policyTypes: ['Ingress'] },
  ],
];
for (const [name, spec, want] of DEFAULTS) {
  test(`defaults: ${name}`, () => {
    const r = create(policy('d', spec));
    assert.equal(r.stderr, '');
    const got = json(['get', 'netpol', 'd']);
    assert.deepEqual(got.spec, want);
    assert.equal(got.metadata.generation, 1);
    c.ok(['delete', 'netpol', 'd']);
  });
}
