// Issue 17, NetworkPolicy as an API kind: networking.k8s.io/v1 NetworkPolicy stored with
// SetDefaults_NetworkPolicy (pkg/apis/networking/v1/defaults.go), refused with ValidateNetworkPolicy's
// messages (pkg/apis/networking/validation/validation.go, kube-apiserver 1.32), listed with the
// columns of printNetworkPolicy (pkg/printers/internalversion/printers.go: NAME, POD-SELECTOR, AGE).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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
  assert.ok(/ (batch|networking\.k8s\.io)\/v1 /.test(lines[i - 1]), lines[i - 1]);
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

// ValidateNetworkPolicy (kube-apiserver 1.32 pkg/apis/networking/validation/validation.go): each case's
// field errors in the order the validator appends them, with kubectl's Invalid message shape.
const INVALID = [
  ['endPort below port', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 9000\n      endPort: 8000\n', ['spec.ingress[0].ports[0].endPort: Invalid value: 8000: must be greater than or equal to `port`']],
  ['endPort with a named port', '  podSelector: {}\n  egress:\n  - ports:\n    - port: http\n      endPort: 90\n', ['spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric']],
  ['endPort without a port', '  podSelector: {}\n  ingress:\n  - ports:\n    - endPort: 90\n', ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified']],
  ['endPort out of range', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n      endPort: 70000\n', ['spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
  ['port 0', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 0\n', ['spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
  [
    'port name not an IANA_SVC_NAME',
    '  podSelector: {}\n  ingress:\n  - ports:\n    - port: Web_Port\n',
    ['spec.ingress[0].ports[0].port: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
  ],
  ['protocol', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n      protocol: ICMP\n', ['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"']],
  ['empty peer', '  podSelector: {}\n  ingress:\n  - from:\n    - {}\n', ['spec.ingress[0].from[0]: Required value: must specify a peer']],
  [
    'ipBlock with a selector',
    '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n      namespaceSelector: {}\n',
    ['spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer'],
  ],
  ['ipBlock without cidr', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        except: [10.0.0.0/24]\n', ['spec.ingress[0].from[0].ipBlock.cidr: Required value']],
  ['ipBlock cidr not a CIDR', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.1\n', ['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.1": not a valid CIDR']],
  [
    'except not a strict subset',
    '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/16\n        except: [10.0.0.0/16, 10.1.0.0/24, 10.0.0.0/8, 10.0.5.0/24]\n',
    [
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
      'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
      'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    ],
  ],
  ['except of the other family', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: ["fd00::/64"]\n', ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "fd00::/64": must be a strict subset of `cidr`']],
  ['except not a CIDR', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [nope, 11.0.0.0/8]\n', ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "nope": not a valid CIDR']],
  ['policyTypes value', '  podSelector: {}\n  policyTypes: [Ingress, egress]\n', ['spec.policyTypes[1]: Unsupported value: "egress": supported values: "Ingress", "Egress"']],
  [
    'more than two policyTypes',
    '  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n',
    ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes'],
  ],
  [
    'pod selector',
    '  podSelector:\n    matchLabels:\n      "a b": x\n    matchExpressions:\n    - key: tier\n      operator: In\n',
    [
      "spec.podSelector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
  ],
  [
    'peer selectors',
    '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchExpressions:\n        - key: team\n          operator: Exists\n          values: [a]\n      podSelector:\n        matchExpressions:\n        - key: app\n          operator: Like\n',
    [
      "spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator",
      "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
  ],
  ['name', null, ["metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
];
for (const [name, spec, causes] of INVALID) {
  test(`invalid: ${name}`, () => {
    const before = stateSnapshot(c.dir);
    const r = create(spec === null ? policy('Bad_Name', '  podSelector: {}\n') : policy('bad', spec));
    const pname = spec === null ? 'Bad_Name' : 'bad';
    const want =
      causes.length === 1
        ? `The NetworkPolicy "${pname}" is invalid: ${causes[0]}\n`
        : `The NetworkPolicy "${pname}" is invalid: \n${causes.map((x) => `* ${x}`).join('\n')}\n`;
    assert.equal(r.stderr, want);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(stateSnapshot(c.dir), before, 'a refused create leaves the state as it was');
  });
}

test('valid edge cases: IPv6 ipBlock, except strictly inside, endPort equal to port, both selectors in one peer', () => {
  const spec = [
    '  podSelector: {}',
    '  ingress:',
    '  - from:',
    '    - ipBlock:',
    '        cidr: "fd00::/48"',
    '        except: ["fd00:0:0:1::/64"]',
    '    - namespaceSelector: {}',
    '      podSelector: {}',
    '    ports:',
    '    - port: 80',
    '      endPort: 80',
    '    - protocol: UDP',
    '',
  ].join('\n');
  const r = create(policy('edge', spec));
  assert.equal(r.stderr, '');
  c.ok(['delete', 'netpol', 'edge']);
});

test('update: the spec is mutable and revalidated; generation counts spec changes', () => {
  assert.equal(create(policy('upd', '  podSelector: {}\n')).stderr, '');
  c.ok(['label', 'netpol', 'upd', 'x=y']);
  assert.equal(json(['get', 'netpol', 'upd']).metadata.generation, 1);
  c.ok(['patch', 'netpol', 'upd', '--type=merge', '-p', '{"spec":{"podSelector":{"matchLabels":{"app":"db"}}}}']);
  const got = json(['get', 'netpol', 'upd']);
  assert.equal(got.metadata.generation, 2);
  assert.deepEqual(got.spec.podSelector, { matchLabels: { app: 'db' } });
  const r = c.run(['patch', 'netpol', 'upd', '--type=merge', '-p', '{"spec":{"policyTypes":["Sideways"]}}']);
  assert.equal(r.stderr, 'The NetworkPolicy "upd" is invalid: spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"\n');
  c.ok(['delete', 'netpol', 'upd']);
});

// printNetworkPolicy: POD-SELECTOR is metav1.FormatLabelSelector(&spec.PodSelector): requirements
// sorted by key, values sorted, <none> for the empty selector.
test('POD-SELECTOR column', () => {
  const sels = [
    ['a-empty', '  podSelector: {}\n'],
    ['b-labels', '  podSelector:\n    matchLabels:\n      tier: db\n      app: web\n'],
    ['c-exprs', '  podSelector:\n    matchExpressions:\n    - {key: env, operator: In, values: [prod, dev]}\n    - {key: app, operator: NotIn, values: [x]}\n    - {key: canary, operator: DoesNotExist}\n    - {key: beta, operator: Exists}\n'],
    ['d-mixed', '  podSelector:\n    matchLabels:\n      role: api\n    matchExpressions:\n    - {key: app, operator: Exists}\n'],
  ];
  for (const [n, s] of sels) assert.equal(create(policy(n, s)).stderr, '');
  assert.equal(
    c.ok(['get', 'netpol']),
    [
      'NAME       POD-SELECTOR                                   AGE',
      'a-empty    <none>                                         0s',
      'b-labels   app=web,tier=db                                0s',
      'c-exprs    app notin (x),beta,!canary,env in (dev,prod)   0s',
      'd-mixed    app,role=api                                   0s',
      '',
    ].join('\n'),
  );
  c.at('2025-03-01T12:05:00Z');
  assert.match(c.ok(['get', 'netpol', 'a-empty', '--no-headers']), /^a-empty {3}<none> {3}5m\n$/);
  assert.match(c.ok(['get', 'netpol', '-A']), /^NAMESPACE {3}NAME {7}POD-SELECTOR/);
  c.at('2025-03-01T12:00:00Z');
  for (const [n] of sels) c.ok(['delete', 'netpol', n]);
});

// describe networkpolicy: kubectl 1.32 pkg/describe/describe.go describeNetworkPolicy /
// describeNetworkPolicySpec / printNetworkPolicySpecIngressFrom / printNetworkPolicySpecEgressTo.
// Name, Namespace, "Created on" (%s of metav1.Time: time.Time.String() in the local zone, UTC here),
// Labels and Annotations share one tab-aligned block; the spec lines carry no tab. The expected texts
// below are written from that source line by line (no events: the describer fetches none).
const HEAD = (name, labels = '<none>', annotations = '<none>') =>
  `Name:         ${name}\nNamespace:    default\nCreated on:   2025-03-01 12:00:00 +0000 UTC\nLabels:       ${labels}\nAnnotations:  ${annotations}\nSpec:\n`;
const DESCRIBE = [
  [
    'default-deny-ingress',
    '  podSelector: {}\n  policyTypes: [Ingress]\n',
    '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'default-deny-all',
    '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
    '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Allowing egress traffic:\n    <none> (Selected pods are isolated for egress connectivity)\n  Policy Types: Ingress, Egress\n',
  ],
  [
    'allow-all-ingress',
    '  podSelector: {}\n  ingress:\n  - {}\n',
    '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    To Port: <any> (traffic allowed to all ports)\n    From: <any> (traffic not restricted by source)\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'allow-from-frontend',
    '  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          role: frontend\n    ports:\n    - port: 80\n',
    '  PodSelector:     app=web\n  Allowing ingress traffic:\n    To Port: 80/TCP\n    From:\n      PodSelector: role=frontend\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'ns-and-pod-one-peer',
    '  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: a\n      podSelector:\n        matchLabels:\n          role: client\n',
    '  PodSelector:     app=db\n  Allowing ingress traffic:\n    To Port: <any> (traffic allowed to all ports)\n    From:\n      NamespaceSelector: team=a\n      PodSelector: role=client\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'ns-or-pod-two-peers',
    '  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: a\n    - podSelector:\n        matchLabels:\n          role: client\n',
    '  PodSelector:     app=db\n  Allowing ingress traffic:\n    To Port: <any> (traffic allowed to all ports)\n    From:\n      NamespaceSelector: team=a\n    From:\n      PodSelector: role=client\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'ipblock-except',
    '  podSelector:\n    matchLabels:\n      role: db\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 172.17.0.0/16\n        except:\n        - 172.17.1.0/24\n        - 172.17.2.0/24\n    - namespaceSelector:\n        matchLabels:\n          project: myproject\n    - podSelector:\n        matchLabels:\n          role: frontend\n    ports:\n    - protocol: TCP\n      port: 6379\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/24\n    ports:\n    - protocol: TCP\n      port: 5978\n',
    '  PodSelector:     role=db\n  Allowing ingress traffic:\n    To Port: 6379/TCP\n    From:\n      IPBlock:\n        CIDR: 172.17.0.0/16\n        Except: 172.17.1.0/24, 172.17.2.0/24\n    From:\n      NamespaceSelector: project=myproject\n    From:\n      PodSelector: role=frontend\n  Allowing egress traffic:\n    To Port: 5978/TCP\n    To:\n      IPBlock:\n        CIDR: 10.0.0.0/24\n        Except: \n  Policy Types: Ingress, Egress\n',
  ],
  [
    'named-port-and-range',
    '  podSelector:\n    matchExpressions:\n    - {key: app, operator: In, values: [web, api]}\n  ingress:\n  - ports:\n    - port: http\n    - port: 32000\n      endPort: 32768\n      protocol: UDP\n    - protocol: SCTP\n',
    '  PodSelector:     app in (api,web)\n  Allowing ingress traffic:\n    To Port: http/TCP\n    To Port Range: 32000-32768/UDP\n    To Port: <nil>/SCTP\n    From: <any> (traffic not restricted by source)\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'two-rules',
    '  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}\n    ports:\n    - port: 80\n  - from:\n    - namespaceSelector: {}\n    ports:\n    - port: 443\n',
    '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    To Port: 80/TCP\n    From:\n      PodSelector: <none>\n    ----------\n    To Port: 443/TCP\n    From:\n      NamespaceSelector: <none>\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
  ],
  [
    'egress-dns',
    '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:\n    - port: 53\n      protocol: UDP\n    - port: 53\n      protocol: TCP\n  - to:\n    - podSelector:\n        matchLabels:\n          app: db\n',
    '  PodSelector:     app=web\n  Not affecting ingress traffic\n  Allowing egress traffic:\n    To Port: 53/UDP\n    To Port: 53/TCP\n    To:\n      NamespaceSelector: kubernetes.io/metadata.name=kube-system\n      PodSelector: k8s-app=kube-dns\n    ----------\n    To Port: <any> (traffic allowed to all ports)\n    To:\n      PodSelector: app=db\n  Policy Types: Egress\n',
  ],
];
for (const [name, spec, body] of DESCRIBE) {
  test(`describe networkpolicy: ${name}`, () => {
    assert.equal(create(policy(name, spec)).stderr, '');
    assert.equal(c.ok(['describe', 'networkpolicy', name], { env: { TZ: 'UTC' } }), HEAD(name) + body);
    c.ok(['delete', 'netpol', name]);
  });
}

test('describe networkpolicy: labels and annotations align with the head block; describe netpol lists every policy', () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: labelled
  labels:
    team: payments
    app: api
  annotations:
    owner: alice
spec:
  podSelector: {}
`;
  assert.equal(create(yaml).stderr, '');
  const want = HEAD('labelled', 'app=api\n              team=payments', 'owner: alice') +
    '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Not affecting egress traffic\n  Policy Types: Ingress\n';
  assert.equal(c.ok(['describe', 'netpol', 'labelled'], { env: { TZ: 'UTC' } }), want);
  assert.equal(create(policy('other', '  podSelector: {}\n')).stderr, '');
  const all = c.ok(['describe', 'netpol'], { env: { TZ: 'UTC' } });
  assert.ok(all.startsWith(want + '\n\nName:         other\n'), all);
  c.ok(['delete', 'netpol', 'labelled', 'other']);
});

// `cluster init --cni calico|flannel`: recorded in the cluster's config (absent: calico, as in every
// state made before the flag); flannel brings what kube-flannel.yml (flannel-io/flannel v0.26.x)
// creates, and enforces no policy (policiesEnforced, which the packet walk asks).
const lib = createRequire(import.meta.url)('../dist/lib.cjs');
const config = (dir) => JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')).config;

test('policiesEnforced: calico and old states (no cni) enforce, flannel does not', () => {
  assert.equal(lib.policiesEnforced({}), true);
  assert.equal(lib.policiesEnforced({ cni: 'calico' }), true);
  assert.equal(lib.policiesEnforced({ cni: 'flannel' }), false);
});

test('cluster init without --cni records nothing and adds nothing; --cni calico is recorded', () => {
  assert.equal(config(c.dir).cni, undefined);
  assert.equal(c.run(['get', 'ns', 'kube-flannel']).code, 1);
  const cc = cluster({ seed: 'netpol-calico', init: ['--cni', 'calico'] });
  try {
    assert.equal(config(cc.dir).cni, 'calico');
    assert.equal(cc.ok(['get', 'ns', '--no-headers']).split('\n').filter(Boolean).length, 4);
  } finally {
    cc.cleanup();
  }
});

test('cluster init --cni with an unknown plugin is refused', () => {
  const cc = cluster({ seed: 'netpol-bad' });
  try {
    const r = cc.run(['cluster', 'init', '--cni', 'weave']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: --cni must be calico or flannel, not "weave"\n');
  } finally {
    cc.cleanup();
  }
});

test('cluster init --cni flannel: kube-flannel namespace, ServiceAccount, ConfigMap, DaemonSet and a running pod per node', () => {
  const f = cluster({ seed: 'netpol-flannel', init: ['--cni', 'flannel'] });
  try {
    assert.equal(config(f.dir).cni, 'flannel');
    const ns = JSON.parse(f.ok(['get', 'ns', 'kube-flannel', '-o', 'json']));
    assert.deepEqual(ns.metadata.labels, { 'k8s-app': 'flannel', 'kubernetes.io/metadata.name': 'kube-flannel', 'pod-security.kubernetes.io/enforce': 'privileged' });
    assert.match(f.ok(['get', 'sa', 'flannel', '-n', 'kube-flannel', '--no-headers']), /^flannel {3}0 {5}0s\n$/);
    const cm = JSON.parse(f.ok(['get', 'cm', 'kube-flannel-cfg', '-n', 'kube-flannel', '-o', 'json']));
    assert.deepEqual(Object.keys(cm.data).sort(), ['cni-conf.json', 'net-conf.json']);
    assert.deepEqual(JSON.parse(cm.data['net-conf.json']), { Network: '10.244.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan' } });
    assert.equal(JSON.parse(cm.data['cni-conf.json']).plugins[0].type, 'flannel');
    const ds = JSON.parse(f.ok(['get', 'ds', 'kube-flannel-ds', '-n', 'kube-flannel', '-o', 'json']));
    const spec = ds.spec.template.spec;
    assert.equal(spec.containers[0].image, 'docker.io/flannel/flannel:v0.26.4');
    assert.deepEqual(spec.initContainers.map((x) => x.name), ['install-cni-plugin', 'install-cni']);
    assert.equal(spec.hostNetwork, true);
    assert.equal(spec.serviceAccountName, 'flannel');
    assert.deepEqual(spec.tolerations, [{ effect: 'NoSchedule', operator: 'Exists' }]);
    assert.equal(
      f.ok(['get', 'ds', '-n', 'kube-flannel']),
      'NAME              DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nkube-flannel-ds   3         3         3       3            3           <none>          0s\n',
    );
    const pods = JSON.parse(f.ok(['get', 'pods', '-n', 'kube-flannel', '-o', 'json'])).items;
    assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['controlplane', 'node01', 'node02']);
    for (const p of pods) {
      assert.equal(p.status.phase, 'Running');
      assert.equal(p.status.podIP, p.status.hostIP, 'hostNetwork: the node address');
      assert.deepEqual(p.status.initContainerStatuses.map((s) => s.state.terminated?.reason), ['Completed', 'Completed']);
    }
    // the annotations flanneld's kube subnet manager puts on its node
    for (const node of JSON.parse(f.ok(['get', 'nodes', '-o', 'json'])).items) {
      const a = node.metadata.annotations;
      assert.equal(a['flannel.alpha.coreos.com/backend-type'], 'vxlan');
      assert.equal(a['flannel.alpha.coreos.com/kube-subnet-manager'], 'true');
      assert.equal(a['flannel.alpha.coreos.com/public-ip'], node.status.addresses.find((x) => x.type === 'InternalIP').address);
      assert.match(a['flannel.alpha.coreos.com/backend-data'], /^\{"VNI":1,"VtepMAC":"[0-9a-f][26ae](:[0-9a-f]{2}){5}"\}$/);
    }
    assert.match(f.ok(['cluster', 'init', '--help']), /--cni='calico':/);
    // reset keeps the plugin
    assert.match(f.ok(['cluster', 'reset']), /, network plugin flannel\n$/);
    assert.equal(config(f.dir).cni, 'flannel');
    assert.equal(f.ok(['get', 'pods', '-n', 'kube-flannel', '--no-headers']).split('\n').filter(Boolean).length, 3);
  } finally {
    f.cleanup();
  }
});

// The real kubectl's NetworkPolicyDescriber over the objects kubesim stored: a loopback stand-in
// apiserver serves discovery and GET of each policy exactly as `kubesim get -o json` returns it, and
// kubectl 1.32 describes it (TZ=UTC, as the kubesim side). Skipped with a reason when kubectl is absent.
async function standIn(objects) {
  const gv = '/apis/networking.k8s.io/v1';
  const server = createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    const json = (code, body) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (p === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/api/v1') return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: [{ name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['get', 'list'], shortNames: ['ev'] }] });
    if (p === '/apis') {
      const v = { groupVersion: 'networking.k8s.io/v1', version: 'v1' };
      return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'networking.k8s.io', versions: [v], preferredVersion: v }] });
    }
    if (p === gv) {
      return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'networking.k8s.io/v1', resources: [{ name: 'networkpolicies', singularName: 'networkpolicy', namespaced: true, kind: 'NetworkPolicy', verbs: ['get', 'list'], shortNames: ['netpol'] }] });
    }
    const m = /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/networkpolicies\/([^/]+)$/.exec(p);
    const o = m && objects.find((x) => x.metadata.namespace === m[1] && x.metadata.name === m[2]);
    if (o) return json(200, o);
    if (p.endsWith('/events')) return json(200, { kind: 'EventList', apiVersion: 'v1', metadata: {}, items: [] });
    json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${p} not found` });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

test('describe networkpolicy is byte-equal to the real kubectl 1.32 describing the same objects', async (t) => {
  if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) return t.skip('kubectl is not on PATH');
  const names = [];
  for (const [name, spec] of DESCRIBE) {
    assert.equal(create(policy(name, spec)).stderr, '');
    names.push(name);
  }
  const labelled = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: labelled
  labels: {team: payments, app: api}
  annotations: {owner: alice, long: "${'x'.repeat(150)}"}
spec:
  podSelector:
    matchExpressions:
    - {key: b, operator: In, values: [z, w]}
    - {key: a, operator: DoesNotExist}
`;
  assert.equal(create(labelled).stderr, '');
  names.push('labelled');
  c.at('2025-07-15T08:30:05Z');
  assert.equal(create(policy('summer', '  podSelector: {}\n')).stderr, '');
  c.at('2025-03-01T12:00:00Z');
  names.push('summer');
  const objects = JSON.parse(c.ok(['get', 'netpol', '-o', 'json'])).items;
  const server = await standIn(objects);
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-netpol-'));
  try {
    const kc = join(dir, 'kubeconfig');
    writeFileSync(kc, `apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster:\n    server: ${server.url}\ncontexts:\n- name: s\n  context:\n    cluster: s\n    namespace: default\n    user: u\ncurrent-context: s\nusers:\n- name: u\n  user: {}\n`);
    const real = (name, tz) =>
      new Promise((resolve) =>
        execFile('kubectl', ['--kubeconfig', kc, 'describe', 'networkpolicy', name], { env: { ...process.env, HOME: dir, TZ: tz } }, (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? err.code : 0 })),
      );
    // kubectl's runs in parallel (the stand-in answers them all), kubesim's one by one
    const wants = await Promise.all(names.map((name) => real(name, 'UTC')));
    names.forEach((name, i) => {
      assert.equal(wants[i].stderr, '', name);
      assert.equal(c.ok(['describe', 'networkpolicy', name], { env: { TZ: 'UTC' } }), wants[i].stdout, name);
    });
    // "Created on" is time.Time.String() in the local zone: its offset and the zone's abbreviation
    // (Go reads the zone's abbreviation from tzdata: JST, +04, CST, not CLDR's GMT+9, GST, GMT+8),
    // in winter and, for the policy made in July, in summer time
    const zones = ['', 'Europe/Berlin', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Tokyo', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Shanghai', 'America/Sao_Paulo', 'Nowhere/Land'];
    const cases = zones.flatMap((tz) => ['labelled', 'summer'].map((name) => [tz, name]));
    const zoned = await Promise.all(cases.map(([tz, name]) => real(name, tz)));
    cases.forEach(([tz, name], i) => {
      assert.equal(c.ok(['describe', 'networkpolicy', name], { env: { TZ: tz } }), zoned[i].stdout, `TZ=${tz} ${name}`);
    });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    c.ok(['delete', 'netpol', ...names]);
  }
});
