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
