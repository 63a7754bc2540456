// NetworkPolicy enforcement. The evaluation (src/network/netpol.ts) is checked on plain objects
// against the rules of kubernetes/website content/en/docs/concepts/services-networking/network-policies.md
// ("docs:" below names the sentence each case checks); then end to end through the packet walk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const ns = (name, labels = {}) => ({ kind: 'Namespace', metadata: { name, labels: { ...labels, 'kubernetes.io/metadata.name': name } } });
const pod = (namespace, name, labels, node, ip, extra = {}) => ({ kind: 'Pod', metadata: { namespace, name, labels }, spec: { nodeName: node, containers: [{ name: 'c', ports: extra.ports ?? [] }], ...(extra.hostNetwork ? { hostNetwork: true } : {}) }, status: { podIP: ip } });
const np = (name, spec, namespace = 'default') => ({ kind: 'NetworkPolicy', metadata: { namespace, name }, spec });

const NAMESPACES = [ns('default'), ns('prod', { team: 'prod' }), ns('dev', { team: 'dev' }), ns('kube-system')];
const DB = pod('default', 'db', { app: 'db' }, 'n2', '10.244.2.5', { ports: [{ name: 'pg', containerPort: 5432 }, { name: 'metrics', containerPort: 9187 }] });
const API = pod('default', 'api', { app: 'api' }, 'n1', '10.244.1.4');
const WEB = pod('default', 'web', { app: 'web' }, 'n1', '10.244.1.7');
const PROD_API = pod('prod', 'api', { app: 'api' }, 'n1', '10.244.1.9');
const PROD_WEB = pod('prod', 'web', { app: 'web' }, 'n3', '10.244.3.2');
const DEV_API = pod('dev', 'api', { app: 'api' }, 'n3', '10.244.3.3');
const DNS = pod('kube-system', 'coredns-1', { 'k8s-app': 'kube-dns' }, 'n0', '10.244.0.2', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] });
const HOSTNET = pod('kube-system', 'kube-proxy-x', { app: 'kp' }, 'n2', '192.168.49.4', { hostNetwork: true });

const P = (p) => ({ kind: 'pod', pod: p, ip: p.status.podIP });
const NODE = (name, ip) => ({ kind: 'node', node: name, ip });
const OUT = (ip) => ({ kind: 'ip', ip });

const POLICIES = {
  denyAll: np('deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
  allowApi: np('allow-api', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] }),
  nsAndPod: np('ns-and-pod', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'prod' } }, podSelector: { matchLabels: { app: 'api' } } }] }] }),
  nsOrPod: np('ns-or-pod', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'prod' } } }, { podSelector: { matchLabels: { app: 'api' } } }] }] }),
  allNs: np('all-ns', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] }),
  byName: np('by-name', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }] }] }),
  exprs: np('exprs', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'cache'] }] }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } }] }] }),
  named: np('named', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'pg' }] }] }),
  range: np('range', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 5000, endPort: 6000 }] }] }),
  udpOnly: np('udp-only', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'UDP' }] }] }),
  allowAll: np('allow-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }),
  ipBlock: np('outside', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '192.168.49.0/24', except: ['192.168.49.1/32'] } }] }] }),
  podCidrBlock: np('pod-cidr', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.244.1.0/24' } }] }] }),
  egressDeny: np('deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
  egressDns: np('allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }),
  egressDb: np('to-db', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'pg' }] }] }),
  egressOut: np('to-outside', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } }] }] }),
  // no policyTypes: Ingress always, Egress because there are egress rules (SetDefaults_NetworkPolicySpec)
  untyped: np('untyped', { podSelector: { matchLabels: { app: 'api' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }] }),
  prodDeny: np('deny-all', { podSelector: {} }, 'prod'),
};

// [case, policies, direction, subject, peer, port, protocol, allowed, docs rule]
const CASES = [
  ['no policy: allowed', [], 'ingress', DB, P(WEB), 5432, 'TCP', true, 'By default, pods are non-isolated; they accept traffic from any source.'],
  ['deny-all isolates every pod of the namespace', ['denyAll'], 'ingress', DB, P(API), 5432, 'TCP', false, 'Default deny all ingress traffic: selects all pods but does not allow any ingress traffic'],
  ['policies are additive: deny-all + allow-api', ['denyAll', 'allowApi'], 'ingress', DB, P(API), 5432, 'TCP', true, 'If any policy or policies select a pod, the pod is restricted to what is allowed by the union'],
  ['rule needs both from and ports: wrong port', ['allowApi'], 'ingress', DB, P(API), 9187, 'TCP', false, 'Each rule allows traffic which matches both the from and ports sections'],
  ['rule needs both from and ports: wrong pod', ['allowApi'], 'ingress', DB, P(WEB), 5432, 'TCP', false, 'Each rule allows traffic which matches both the from and ports sections'],
  ['podSelector alone: same namespace only', ['allowApi'], 'ingress', DB, P(PROD_API), 5432, 'TCP', false, 'podSelector: selects particular Pods in the same namespace as the NetworkPolicy'],
  ['a pod not selected stays open', ['allowApi'], 'ingress', WEB, P(PROD_WEB), 80, 'TCP', true, 'Other pods in the namespace that are not selected by any NetworkPolicy will continue to accept all traffic'],
  ['namespaceSelector AND podSelector: both match', ['nsAndPod'], 'ingress', DB, P(PROD_API), 5432, 'TCP', true, 'A single from entry that specifies both namespaceSelector and podSelector selects particular Pods within particular namespaces'],
  ['namespaceSelector AND podSelector: namespace only', ['nsAndPod'], 'ingress', DB, P(PROD_WEB), 5432, 'TCP', false, 'A single from entry … selects particular Pods within particular namespaces'],
  ['namespaceSelector AND podSelector: local pod does not match', ['nsAndPod'], 'ingress', DB, P(API), 5432, 'TCP', false, 'A single from entry … selects particular Pods within particular namespaces'],
  ['namespaceSelector OR podSelector: any pod of the namespace', ['nsOrPod'], 'ingress', DB, P(PROD_WEB), 5432, 'TCP', true, 'two elements in the from array … or from any Pod in any namespace with the label'],
  ['namespaceSelector OR podSelector: local pod', ['nsOrPod'], 'ingress', DB, P(API), 5432, 'TCP', true, 'two elements … allows connections from Pods in the local Namespace with the label role=client'],
  ['namespaceSelector OR podSelector: neither', ['nsOrPod'], 'ingress', DB, P(DEV_API), 5432, 'TCP', false, 'two elements in the from array'],
  ['namespaceSelector {}: every namespace', ['allNs'], 'ingress', DB, P(DEV_API), 5432, 'TCP', true, 'namespaceSelector: selects particular namespaces for which all Pods should be allowed (empty selects all)'],
  ['namespaceSelector {} matches pods, not outside addresses', ['allNs'], 'ingress', DB, OUT('192.168.49.1'), 5432, 'TCP', false, 'namespaceSelector selects Pods; addresses outside the cluster match only ipBlock'],
  ['automatic kubernetes.io/metadata.name label', ['byName'], 'ingress', DB, P(DEV_API), 5432, 'TCP', true, 'the immutable label kubernetes.io/metadata.name on all namespaces'],
  ['matchExpressions In / NotIn', ['exprs'], 'ingress', DB, P(API), 5432, 'TCP', true, 'label selectors (matchExpressions)'],
  ['matchExpressions NotIn excludes', ['exprs'], 'ingress', DB, P(WEB), 5432, 'TCP', false, 'label selectors (matchExpressions)'],
  ['named port resolved on the destination pod', ['named'], 'ingress', DB, P(WEB), 5432, 'TCP', true, 'ports: port may be a named port on the pod'],
  ['named port: another port number', ['named'], 'ingress', DB, P(WEB), 9187, 'TCP', false, 'ports: port may be a named port on the pod'],
  ['endPort range: inside', ['range'], 'ingress', DB, P(WEB), 5432, 'TCP', true, 'Targeting a range of ports: port to endPort inclusive'],
  ['endPort range: edge', ['range'], 'ingress', DB, P(WEB), 6000, 'TCP', true, 'Targeting a range of ports: port to endPort inclusive'],
  ['endPort range: outside', ['range'], 'ingress', DB, P(WEB), 9187, 'TCP', false, 'Targeting a range of ports'],
  ['protocol without port: every port of that protocol', ['udpOnly'], 'ingress', DB, P(WEB), 5432, 'UDP', true, 'ports: protocol (default TCP); no port means all ports'],
  ['protocol defaults to TCP', ['allowApi'], 'ingress', DB, P(API), 5432, 'UDP', false, 'ports: protocol defaults to TCP'],
  ['empty rule {}: allow all', ['denyAll', 'allowAll'], 'ingress', DB, OUT('203.0.113.9'), 1, 'TCP', true, 'Default allow all ingress traffic'],
  ['ipBlock: outside address in the block', ['ipBlock'], 'ingress', DB, OUT('192.168.49.77'), 5432, 'TCP', true, 'ipBlock: selects particular IP CIDR ranges to allow as ingress sources'],
  ['ipBlock except', ['ipBlock'], 'ingress', DB, OUT('192.168.49.1'), 5432, 'TCP', false, 'all of 172.17.0.0/16 except 172.17.1.0/24'],
  ['ipBlock: another node (Calico matches node addresses)', ['ipBlock'], 'ingress', DB, NODE('n1', '192.168.49.3'), 5432, 'TCP', true, 'ipBlock: the source IP the policy acts on may be the node\'s'],
  ['ipBlock with pod IPs (Calico: matches)', ['podCidrBlock'], 'ingress', DB, P(WEB), 5432, 'TCP', true, 'ipBlock with pod IPs is implementation-defined; Calico matches them'],
  ['ipBlock with pod IPs: outside the block', ['podCidrBlock'], 'ingress', DB, P(PROD_WEB), 5432, 'TCP', false, 'ipBlock with pod IPs is implementation-defined; Calico matches them'],
  ['another node is not exempt', ['denyAll'], 'ingress', DB, NODE('n1', '192.168.49.3'), 5432, 'TCP', false, 'only the node where the pod runs is always allowed'],
  ['own node always allowed (kubelet probes)', ['denyAll'], 'ingress', DB, NODE('n2', '192.168.49.4'), 5432, 'TCP', true, 'traffic to and from the node where a Pod is running is always allowed'],
  ['a pod can reach itself', ['denyAll'], 'ingress', DB, P(DB), 5432, 'TCP', true, 'a pod cannot block access to itself'],
  ['host-network pods are not selected', ['denyAll', 'prodDeny'], 'ingress', HOSTNET, P(PROD_WEB), 10256, 'TCP', true, 'policies select pods; a host-network pod is the node'],
  ['policy of another namespace does not apply', ['prodDeny'], 'ingress', DB, P(PROD_WEB), 5432, 'TCP', true, 'NetworkPolicy is namespaced: podSelector selects pods of its namespace'],
  ['Ingress-only policy leaves egress open', ['denyAll'], 'egress', API, P(DB), 5432, 'TCP', true, 'This policy does not change the default egress isolation behavior.'],
  ['default deny egress', ['egressDeny'], 'egress', API, P(DB), 5432, 'TCP', false, 'Default deny all egress traffic'],
  ['egress allows DNS to kube-dns in kube-system (UDP)', ['egressDeny', 'egressDns'], 'egress', API, P(DNS), 53, 'UDP', true, 'egress rules: to and ports'],
  ['egress DNS rule: other ports stay closed', ['egressDeny', 'egressDns'], 'egress', API, P(DB), 5432, 'TCP', false, 'egress rules: to and ports'],
  ['egress named port resolved on the destination pod', ['egressDb'], 'egress', API, P(DB), 5432, 'TCP', true, 'named port on the destination pod'],
  ['egress named port: another port', ['egressDb'], 'egress', API, P(DB), 9187, 'TCP', false, 'named port on the destination pod'],
  ['egress to an address: named port cannot match', ['egressDb'], 'egress', API, OUT('203.0.113.9'), 5432, 'TCP', false, 'a named port names a port of a pod'],
  ['egress ipBlock 0.0.0.0/0 except the pod network', ['egressOut'], 'egress', API, OUT('203.0.113.9'), 443, 'TCP', true, 'egress ipBlock with except'],
  ['egress ipBlock except the pod network: pod', ['egressOut'], 'egress', API, P(DB), 5432, 'TCP', false, 'egress ipBlock with except'],
  ['egress to the own node is always allowed', ['egressDeny'], 'egress', API, NODE('n1', '192.168.49.3'), 10250, 'TCP', true, 'traffic to and from the node where a Pod is running is always allowed'],
  ['egress to another node is not', ['egressDeny'], 'egress', API, NODE('n2', '192.168.49.4'), 10250, 'TCP', false, 'only the own node is exempt'],
  ['no policyTypes + egress rules: Egress is set', ['untyped'], 'egress', API, P(WEB), 80, 'TCP', false, 'If no policyTypes are specified … Egress will be set if the NetworkPolicy has any egress rules'],
  ['no policyTypes: Ingress is always set', ['untyped'], 'ingress', API, P(WEB), 80, 'TCP', false, 'If no policyTypes are specified … by default Ingress will always be set'],
  ['no policyTypes, no egress rules: egress open', ['prodDeny'], 'egress', PROD_WEB, P(DB), 5432, 'TCP', true, 'Egress will be set if the NetworkPolicy has any egress rules'],
];

test('NetworkPolicy evaluation: docs rules, case by case', () => {
  for (const [name, keys, dir, subject, peer, port, proto, allowed, rule] of CASES) {
    const world = lib.worldOf(keys.map((k) => POLICIES[k]), NAMESPACES);
    const v = lib.evaluate(world, dir, subject, peer, port, proto);
    assert.equal(v.allowed, allowed, `${name} (docs: ${rule}): ${lib.verdictLine(dir, subject, peer, port, proto, v)}`);
  }
});

test('NetworkPolicy verdicts say why', () => {
  const lines = [
    ['ingress', ['denyAll', 'allowApi'], DB, P(API), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed by default/allow-api rule 1 (from podSelector app=api, port 5432/TCP)'],
    ['ingress', ['denyAll', 'allowApi'], DB, P(WEB), 5432, 'TCP', 'NetworkPolicy: dropped: default/db is isolated for ingress by default/allow-api, default/deny-all; no rule allows 10.244.1.7 (pod default/web) on port 5432/TCP'],
    ['ingress', ['nsAndPod'], DB, P(PROD_API), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed by default/ns-and-pod rule 1 (from namespaceSelector team=prod and podSelector app=api, any port)'],
    ['ingress', ['allNs'], DB, P(DEV_API), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed by default/all-ns rule 1 (from namespaceSelector {} (all namespaces), any port)'],
    ['ingress', ['named'], DB, P(WEB), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed by default/named rule 1 (from anywhere, port pg (5432/TCP))'],
    ['ingress', ['range'], DB, P(WEB), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed by default/range rule 1 (from anywhere, ports 5000-6000/TCP)'],
    ['ingress', ['ipBlock'], DB, OUT('192.168.49.1'), 5432, 'TCP', 'NetworkPolicy: dropped: default/db is isolated for ingress by default/outside; no rule allows 192.168.49.1 (outside the cluster) on port 5432/TCP'],
    ['ingress', ['ipBlock'], DB, NODE('n1', '192.168.49.3'), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed by default/outside rule 1 (from ipBlock 192.168.49.0/24 except 192.168.49.1/32, any port)'],
    ['ingress', ['denyAll'], DB, NODE('n2', '192.168.49.4'), 5432, 'TCP', "NetworkPolicy: ingress to default/db allowed: traffic from the pod's own node n2 is always allowed"],
    ['ingress', ['denyAll'], DB, P(DB), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed: a pod can always reach itself'],
    ['ingress', ['prodDeny'], DB, P(WEB), 5432, 'TCP', 'NetworkPolicy: ingress to default/db allowed: no policy selects it for ingress'],
    ['egress', ['egressDeny', 'egressDns'], API, P(DNS), 53, 'UDP', 'NetworkPolicy: egress from default/api allowed by default/allow-dns rule 1 (to namespaceSelector kubernetes.io/metadata.name=kube-system and podSelector k8s-app=kube-dns, port 53/UDP)'],
    ['egress', ['egressDeny', 'egressDns'], API, P(DB), 5432, 'TCP', 'NetworkPolicy: dropped: default/api is isolated for egress by default/allow-dns, default/deny-egress; no rule allows 10.244.2.5 (pod default/db) on port 5432/TCP'],
  ];
  for (const [dir, keys, subject, peer, port, proto, want] of lines) {
    // the policies in the order the state lists them: by name
    const pols = keys.map((k) => POLICIES[k]).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const v = lib.evaluate(lib.worldOf(pols, NAMESPACES), dir, subject, peer, port, proto);
    assert.equal(lib.verdictLine(dir, subject, peer, port, proto, v), want);
  }
});

// ---------------------------------------------------------------- end to end, through the packet walk

import { cluster } from './helpers.mjs';

const LATER = '2025-03-01T12:00:20Z';
const APPS = `apiVersion: v1
kind: Namespace
metadata:
  name: prod
  labels:
    team: prod
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    app: db
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - name: http
      containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: NodePort
  selector:
    app: db
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  labels:
    app: api
spec:
  containers:
  - name: sh
    image: busybox
    command: [sleep, "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: sh
    image: nicolaka/netshoot
    command: [sleep, "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: prod
  labels:
    app: api
spec:
  containers:
  - name: sh
    image: busybox
    command: [sleep, "3600"]
`;

const policy = (name, spec) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
const DENY_ALL = policy('deny-all', 'podSelector: {}\npolicyTypes: [Ingress]');
const ALLOW_API = policy('allow-api', 'podSelector:\n  matchLabels: {app: db}\ningress:\n- from:\n  - podSelector:\n      matchLabels: {app: api}\n  ports:\n  - port: http');
const ALLOW_PROD_API = policy('allow-prod-api', 'podSelector:\n  matchLabels: {app: db}\ningress:\n- from:\n  - namespaceSelector:\n      matchLabels: {team: prod}\n    podSelector:\n      matchLabels: {app: api}\n  ports:\n  - port: 70\n    endPort: 90');
const ALLOW_OUTSIDE = policy('allow-outside', 'podSelector:\n  matchLabels: {app: db}\ningress:\n- from:\n  - ipBlock:\n      cidr: 192.168.49.1/32');
const WEB_EGRESS = policy('web-egress', 'podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Egress]');
const WEB_DNS = policy('web-dns', "podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Egress]\negress:\n- to:\n  - namespaceSelector:\n      matchLabels: {kubernetes.io/metadata.name: kube-system}\n    podSelector:\n      matchLabels: {k8s-app: kube-dns}\n  ports:\n  - {protocol: UDP, port: 53}\n  - {protocol: TCP, port: 53}");
const WEB_TO_DB = policy('web-to-db', 'podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Egress]\negress:\n- to:\n  - podSelector:\n      matchLabels: {app: db}');

const NGINX = '<title>Welcome to nginx!</title>';
const wget = (c, ns, podName, url) => c.run(['exec', '-n', ns, podName, '--', 'wget', '-qO-', '-T', '2', url]);

function setUp(init) {
  const c = cluster({ seed: 'netpol', init });
  c.ok(['create', '-f', '-'], { input: APPS });
  c.at(LATER);
  const get = (args, path) => c.ok([...args, '-o', `jsonpath=${path}`]);
  const nodes = Object.fromEntries(get(['get', 'nodes'], '{range .items[*]}{.metadata.name}={.status.addresses[0].address} {end}').trim().split(' ').map((kv) => kv.split('=')));
  const dbNode = get(['get', 'pod', 'db'], '{.spec.nodeName}');
  return { c, nodes, dbNode, dbIP: get(['get', 'pod', 'db'], '{.status.podIP}'), nodePort: get(['get', 'svc', 'db'], '{.spec.ports[0].nodePort}') };
}

test('no NetworkPolicy: everything reaches db and traces say nothing of policies', () => {
  const { c, nodes, nodePort } = setUp();
  try {
    assert.ok(wget(c, 'default', 'api', 'db').stdout.includes(NGINX));
    assert.ok(wget(c, 'prod', 'api', 'db.default').stdout.includes(NGINX));
    const r = c.run(['curl', '--trace', '-', '-sS', `${Object.values(nodes)[0]}:${nodePort}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /NetworkPolicy/);
  } finally {
    c.cleanup();
  }
});

test('ingress policies end to end: sources × ports, drops time out as the clients report them', () => {
  const { c, nodes, dbNode, dbIP, nodePort } = setUp();
  try {
    c.ok(['create', '-f', '-'], { input: `${DENY_ALL}---\n${ALLOW_API}` });
    const other = Object.keys(nodes).find((n) => n !== dbNode);
    // [case, run, expected exit code, stdout/stderr check] — docs: network-policies.md
    const cases = [
      ['same-namespace pod allowed by podSelector and named port http', () => wget(c, 'default', 'api', 'db'), 0, (r) => assert.ok(r.stdout.includes(NGINX))],
      ['same-namespace pod not selected: dropped, wget times out', () => wget(c, 'default', 'web', 'db'), 1, (r) => assert.equal(r.stderr, 'wget: download timed out\ncommand terminated with exit code 1\n')],
      ['podSelector alone is the policy namespace: prod/api dropped', () => wget(c, 'prod', 'api', 'db.default'), 1, (r) => assert.match(r.stderr, /^wget: download timed out\n/)],
      ['busybox nc -zv from an allowed pod: open', () => c.run(['exec', 'api', '--', 'nc', '-zv', '-w', '2', 'db', '80']), 0, (r) => assert.match(r.stderr, /^db \(10\.\d+\.\d+\.\d+:80\) open\n$/)],
      ['busybox nc -zv from a dropped pod: timed out (nc_bloaty.c)', () => c.run(['exec', '-n', 'prod', 'api', '--', 'nc', '-zv', '-w', '2', 'db.default', '80']), 1, (r) => assert.match(r.stderr, /^nc: db\.default \(10\.\d+\.\d+\.\d+:80\): Connection timed out\n/)],
      ['curl from a non-allowed pod: exit 28', () => c.run(['exec', 'web', '--', 'curl', '-sS', '-m', '2', 'db']), 28, (r) => assert.match(r.stderr, /^curl: \(28\) Connection timed out after 2001 milliseconds\n/)],
      ['own node (kubelet probes) always allowed', () => c.run(['ssh', dbNode, '--', 'curl', '-s', `${dbIP}:80`]), 0, (r) => assert.ok(r.stdout.includes(NGINX))],
      ['another node: not allowed', () => c.run(['ssh', other, '--', 'curl', '-sS', '-m', '2', `${dbIP}:80`]), 28, () => {}],
      ['outside through NodePort on another node: the pod sees that node, dropped', () => c.run(['curl', '-sS', '-m', '2', `${nodes[other]}:${nodePort}`]), 28, () => {}],
    ];
    for (const [name, run, code, check] of cases) {
      const r = run();
      assert.equal(r.code, code, `${name}: ${r.stderr}`);
      check(r);
    }
    // namespaceSelector AND podSelector in one element, a port range
    c.ok(['create', '-f', '-'], { input: ALLOW_PROD_API });
    assert.ok(wget(c, 'prod', 'api', 'db.default').stdout.includes(NGINX));
    // the trace says which rule allowed, and why a drop happened
    const ok = c.run(['exec', '-n', 'prod', 'api', '--', 'wget', '-qO-', 'db.default']);
    assert.equal(ok.code, 0);
    const traced = c.run(['exec', 'web', '--', 'curl', '--trace', '-', '-sS', '-m', '2', 'db']);
    assert.match(traced.stderr, /kubesim trace:   NetworkPolicy: egress from default\/web allowed: no policy selects it for egress\n/);
    assert.match(traced.stderr, new RegExp(`kubesim trace:   NetworkPolicy: dropped: default/db is isolated for ingress by default/allow-api, default/allow-prod-api, default/deny-all; no rule allows 10\\.244\\.\\d+\\.\\d+ \\(pod default/web\\) on port 80/TCP\\n`));
    const allowed = c.run(['exec', 'web', '--', 'curl', '--trace', '-', '-s', `${nodes[dbNode]}:${nodePort}`]);
    assert.equal(allowed.code, 28, 'web is not allowed through the NodePort either');
    const api = c.run(['ssh', dbNode, '--', 'curl', '--trace', '-', '-s', `${dbIP}:80`]);
    assert.match(api.stderr, new RegExp(`NetworkPolicy: ingress to default/db allowed: traffic from the pod's own node ${dbNode} is always allowed\\n`));
    const prod = c.run(['exec', '-n', 'prod', 'api', '--', 'wget', '-qO-', `${dbIP}:80`]);
    assert.equal(prod.code, 0, prod.stderr);
  } finally {
    c.cleanup();
  }
});

test('outside clients and ipBlock: the NodePort masquerades unless externalTrafficPolicy is Local', () => {
  const { c, nodes, dbNode, nodePort } = setUp();
  try {
    c.ok(['create', '-f', '-'], { input: `${DENY_ALL}---\n${ALLOW_OUTSIDE}` });
    const other = Object.keys(nodes).find((n) => n !== dbNode);
    // Cluster: the entry node masquerades; on another node the pod (and the policy) sees that node's address
    const dropped = c.run(['curl', '--trace', '-', '-sS', '-m', '2', `${nodes[other]}:${nodePort}`]);
    assert.equal(dropped.code, 28);
    assert.match(dropped.stderr, new RegExp(`kubesim trace:   NetworkPolicy: dropped: default/db is isolated for ingress by default/allow-outside, default/deny-all; no rule allows ${nodes[other].replace(/\./g, '\\.')} \\(node ${other}\\) on port 80/TCP\\n`));
    assert.match(dropped.stderr, /curl: \(28\) Connection timed out after 2001 milliseconds\n$/);
    // entering on the pod's own node: Calico's FORWARD chain judges it before the masquerade
    const same = c.run(['curl', '--trace', '-', '-sS', `${nodes[dbNode]}:${nodePort}`]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stderr, /NetworkPolicy: ingress to default\/db allowed by default\/allow-outside rule 1 \(from ipBlock 192\.168\.49\.1\/32, any port\)\n/);
    // Local: no masquerade, every entry that answers keeps the client's address
    c.ok(['patch', 'svc', 'db', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}']);
    const local = c.run(['curl', '--trace', '-', '-sS', `${nodes[dbNode]}:${nodePort}`]);
    assert.equal(local.code, 0, local.stderr);
    assert.match(local.stderr, /allowed by default\/allow-outside rule 1 \(from ipBlock 192\.168\.49\.1\/32, any port\)\n.*the pod sees the client as 192\.168\.49\.1\n/);
  } finally {
    c.cleanup();
  }
});

test('egress isolation: DNS fails until a rule allows port 53 to CoreDNS, then only allowed destinations answer', () => {
  const { c, dbIP } = setUp();
  try {
    c.ok(['create', '-f', '-'], { input: WEB_EGRESS });
    const ns = c.run(['exec', 'web', '--', 'nslookup', 'db']);
    assert.equal(ns.code, 1);
    assert.equal(ns.stdout, ';; connection timed out; no servers could be reached\n\n');
    const curl = c.run(['exec', 'web', '--', 'curl', '-sS', '-m', '2', 'db']);
    assert.equal(curl.code, 6);
    assert.equal(curl.stderr, 'curl: (6) Could not resolve host: db\ncommand terminated with exit code 6\n');
    const traced = c.run(['exec', 'web', '--', 'curl', '--trace', '-', '-sS', '-m', '2', 'db']);
    assert.match(traced.stderr, /NetworkPolicy: dropped: default\/web is isolated for egress by default\/web-egress; no rule allows 10\.244\.\d+\.\d+ \(pod kube-system\/coredns-[a-z0-9-]+\) on port 53\/UDP\n/);
    // busybox's nslookup from a pod nobody isolates still works
    assert.equal(c.run(['exec', 'api', '--', 'nslookup', 'db']).code, 0);
    c.ok(['create', '-f', '-'], { input: WEB_DNS });
    assert.equal(c.run(['exec', 'web', '--', 'nslookup', 'db']).code, 0);
    const noRoute = c.run(['exec', 'web', '--', 'curl', '--trace', '-', '-sS', '-m', '2', 'db']);
    assert.equal(noRoute.code, 28);
    // the name resolved (a successful lookup's own walk is not traced), the connection to db is dropped
    assert.match(noRoute.stderr, /^kubesim trace: DNS 10\.96\.0\.10 \(answered by kube-system\/coredns-/);
    assert.match(noRoute.stderr, new RegExp(`NetworkPolicy: dropped: default/web is isolated for egress by default/web-dns, default/web-egress; no rule allows ${dbIP.replace(/\./g, '\\.')} \\(pod default/db\\) on port 80/TCP\\n`));
    // a service without endpoints: kube-proxy rejects (refused), but an egress-isolated pod's packet
    // meets the policy first and is dropped (for the service address: nothing rewrote it)
    c.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80']);
    assert.equal(c.run(['exec', 'web', '--', 'curl', '-sS', '-m', '2', 'empty']).code, 28);
    const emptyIP = c.ok(['get', 'svc', 'empty', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(wget(c, 'default', 'api', 'empty').stderr, `wget: can't connect to remote host (${emptyIP}): Connection refused\ncommand terminated with exit code 1\n`);
    c.ok(['create', '-f', '-'], { input: WEB_TO_DB });
    const ok = c.run(['exec', 'web', '--', 'curl', '-sS', '-m', '2', 'db']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(ok.stdout.includes(NGINX));
  } finally {
    c.cleanup();
  }
});

test('IPVS mode: the same checks after the virtual server picks a real server', () => {
  const { c, nodes, dbNode, nodePort } = setUp(['--seed', 'netpol', '--proxy-mode', 'ipvs']);
  try {
    c.ok(['create', '-f', '-'], { input: `${DENY_ALL}---\n${ALLOW_API}---\n${ALLOW_OUTSIDE}` });
    assert.ok(wget(c, 'default', 'api', 'db').stdout.includes(NGINX));
    assert.equal(wget(c, 'default', 'web', 'db').stderr, 'wget: download timed out\ncommand terminated with exit code 1\n');
    const other = Object.keys(nodes).find((n) => n !== dbNode);
    const r = c.run(['curl', '--trace', '-', '-sS', '-m', '2', `${nodes[other]}:${nodePort}`]);
    assert.equal(r.code, 28);
    assert.match(r.stderr, /IPVS: virtual server TCP/);
    assert.match(r.stderr, new RegExp(`no rule allows ${nodes[other].replace(/\./g, '\\.')} \\(node ${other}\\) on port 80/TCP`));
  } finally {
    c.cleanup();
  }
});

test('flannel: policies are stored, nothing is enforced, and --trace says so once', () => {
  const { c, nodes, dbNode, nodePort } = setUp(['--seed', 'netpol', '--cni', 'flannel']);
  try {
    c.ok(['create', '-f', '-'], { input: `${DENY_ALL}---\n${WEB_EGRESS}` });
    assert.match(c.ok(['get', 'netpol']), /deny-all/);
    const r = c.run(['exec', 'web', '--', 'curl', '--trace', '-', '-s', 'db']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(NGINX));
    const notes = r.stderr.split('\n').filter((l) => l.includes('NetworkPolicy'));
    assert.deepEqual(notes, ["kubesim trace:   NetworkPolicy: not enforced (the cluster's CNI, flannel, does not implement NetworkPolicy)"]);
    const other = Object.keys(nodes).find((n) => n !== dbNode);
    assert.ok(c.ok(['curl', '-s', `${nodes[other]}:${nodePort}`]).includes(NGINX));
    assert.equal(c.run(['exec', 'web', '--', 'nslookup', 'db']).code, 0);
  } finally {
    c.cleanup();
  }
});
