// Golden tests for kubectl describe output (src/printers/describe).
//
// Every golden below is the byte-exact output of the real kubectl 1.32 binary
// (/usr/lib/google-cloud-sdk/bin/kubectl.1.32) describing these same fixture objects, served by a stub
// API server (kubectl renders describe client-side from the Service, its EndpointSlices, the Events,
// etc.). kubectl ran at the real clock with the fixtures shifted by a whole number of seconds; the
// RFC1123Z dates it printed were shifted back, so the goldens read as if "now" were NOW. Ages were
// chosen away from display boundaries so the shift cannot change them. Each golden names the
// describe.go function that produces it.
import test from 'node:test';
import assert from 'node:assert/strict';

const NOW = '2025-01-15T12:00:00Z';
// kubectl prints times in the local zone (metav1.Time decodes with .Local()); pin it for the goldens
process.env.TZ = 'UTC';
process.env.KUBESIM_NOW = NOW;
const lib = await import('../dist/lib.cjs');
lib.resetClock?.();
const { describeService, describeNode, describePod, describeEndpoints, describeEndpointSlice, describeNamespace } = lib;

const nowMs = Date.parse(NOW);
const ts = (secAgo) => new Date(nowMs - secAgo * 1000).toISOString().replace('.000Z', 'Z');
const meta = (name, ns, extra = {}) => ({ name, ...(ns ? { namespace: ns } : {}), uid: 'uid-' + (ns || '') + '-' + name, resourceVersion: '1', creationTimestamp: ts(3 * 3600), ...extra });
const svc = (name, spec, extra = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, 'default', extra.metadata || {}), spec, status: extra.status || { loadBalancer: {} } });
const slice = (name, svcName, ports, endpoints) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta(name, 'default', { labels: { 'kubernetes.io/service-name': svcName, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, generateName: svcName + '-' }), addressType: 'IPv4', ports, endpoints });
const ep = (ip, ready = true, extra = {}) => ({ addresses: [ip], conditions: { ready, serving: ready, terminating: false }, ...extra });
const ev = (name, involved, reason, message, extra = {}) => ({ apiVersion: 'v1', kind: 'Event', metadata: meta(name, involved.namespace || 'default'), involvedObject: involved, reason, message, type: 'Normal', count: 1, source: { component: 'service-controller' }, firstTimestamp: ts(1200), lastTimestamp: ts(1200), reportingComponent: '', reportingInstance: '', ...extra });
const ref = (kind, name, ns = 'default', apiVersion = 'v1') => ({ kind, namespace: ns || undefined, name, uid: 'uid-' + (ns || '') + '-' + name, apiVersion });
const std = { sessionAffinity: 'None', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], internalTrafficPolicy: 'Cluster' };

const objects = [
  // REFERENCE §2 example
  svc('webserver', { ...std, type: 'NodePort', selector: { app: 'webserver' }, clusterIP: '10.108.113.5', clusterIPs: ['10.108.113.5'], ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30009 }], externalTrafficPolicy: 'Cluster' }, { metadata: { labels: { app: 'webserver' } } }),
  slice('webserver-abcde', 'webserver', [{ name: '', protocol: 'TCP', port: 80 }], [ep('10.244.1.2', true, { nodeName: 'node1', targetRef: { kind: 'Pod', namespace: 'default', name: 'webserver-5d4f-x1', uid: 'u1' } })]),
  // ClusterIP without external traffic policy, annotations incl. last-applied
  svc('backend', { ...std, type: 'ClusterIP', selector: { app: 'backend', tier: 'api' }, clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ protocol: 'TCP', port: 8080, targetPort: 80 }] }, { metadata: { labels: { app: 'backend', tier: 'api' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1"}\n', 'example.com/owner': 'team-a' } } }),
  slice('backend-xyz12', 'backend', [{ name: '', protocol: 'TCP', port: 80 }], [ep('10.244.2.7')]),
  // headless
  svc('headless', { ...std, type: 'ClusterIP', selector: { app: 'db' }, clusterIP: 'None', clusterIPs: ['None'], ports: [{ protocol: 'TCP', port: 5432, targetPort: 5432 }] }),
  slice('headless-q1w2e', 'headless', [{ name: '', protocol: 'TCP', port: 5432 }], [ep('10.244.1.9'), ep('10.244.2.9')]),
  // ExternalName
  svc('extdb', { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' }),
  // LoadBalancer with ingress
  svc('lb', { ...std, type: 'LoadBalancer', selector: { app: 'web' }, clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], externalIPs: ['203.0.113.7'], loadBalancerIP: '192.0.2.10', loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.0.0/16'], ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web', nodePort: 31080 }], externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, allocateLoadBalancerNodePorts: true }, { status: { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } } }),
  slice('lb-aaaaa', 'lb', [{ name: 'http', protocol: 'TCP', port: 8080 }], [ep('10.244.1.3'), ep('10.244.1.4', false)]),
  // more than 3 endpoints, across two slices
  svc('many', { ...std, type: 'ClusterIP', selector: { app: 'many' }, clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'], ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] }),
  slice('many-11111', 'many', [{ name: '', protocol: 'TCP', port: 8080 }], [ep('10.244.1.10'), ep('10.244.1.11'), ep('10.244.1.12', false), ep('10.244.1.13')]),
  slice('many-22222', 'many', [{ name: '', protocol: 'TCP', port: 8080 }], [ep('10.244.2.10'), ep('10.244.2.11')]),
  // slices but nothing ready
  svc('notready', { ...std, type: 'ClusterIP', selector: { app: 'nr' }, clusterIP: '10.96.8.8', clusterIPs: ['10.96.8.8'], ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }),
  slice('notready-zzzzz', 'notready', [{ name: '', protocol: 'TCP', port: 80 }], [ep('10.244.3.3', false)]),
  // multi-port, named
  svc('multi', { ...std, type: 'NodePort', selector: { app: 'multi' }, clusterIP: '10.96.9.9', clusterIPs: ['10.96.9.9'], ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'metrics', protocol: 'UDP', port: 9090, targetPort: 'prom', nodePort: 30090 }], externalTrafficPolicy: 'Cluster' }),
  slice('multi-mmmmm', 'multi', [{ name: 'http', protocol: 'TCP', port: 8080 }, { name: 'metrics', protocol: 'UDP', port: 9100 }], [ep('10.244.1.5'), ep('10.244.2.5')]),
  // events with count > 1 and a long annotation
  svc('evsvc', { ...std, type: 'ClusterIP', selector: { app: 'ev' }, clusterIP: '10.96.10.10', clusterIPs: ['10.96.10.10'], ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] }, { metadata: { labels: { a: '1', b: '2', c: '3' }, annotations: { 'example.com/long': 'x'.repeat(150), 'example.com/multi': 'line one\nline two\n', 'z.example.com/short': 'ok' } } }),
  ev('evsvc.1', ref('Service', 'evsvc'), 'EnsuringLoadBalancer', 'Ensuring load balancer', { count: 3, firstTimestamp: ts(3600), lastTimestamp: ts(600) }),
  ev('evsvc.2', ref('Service', 'evsvc'), 'Type', 'ClusterIP -> LoadBalancer  ', { firstTimestamp: ts(7200), lastTimestamp: ts(7200), source: {} , reportingController: 'service-controller' }),
  ev('evsvc.3', ref('Service', 'evsvc'), 'SyncLoadBalancerFailed', 'Error syncing load balancer: failed', { type: 'Warning', count: 2, firstTimestamp: ts(5400), lastTimestamp: ts(1800) }),

  // Endpoints with subsets
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('webserver', 'default', { labels: { app: 'webserver' } }), subsets: [
    { addresses: [{ ip: '10.244.1.2', nodeName: 'node1' }, { ip: '10.244.2.2' }], notReadyAddresses: [{ ip: '10.244.3.2' }], ports: [{ port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }] },
    { notReadyAddresses: [{ ip: '10.244.4.4' }] },
  ] },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('empty', 'default'), subsets: [] },

  // Namespace
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: 'uid-ns-default', resourceVersion: '1', creationTimestamp: ts(86400), labels: { 'kubernetes.io/metadata.name': 'default' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },

  // Nodes
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', uid: 'uid-node1', resourceVersion: '1', creationTimestamp: ts(2 * 86400 + 3600), labels: { 'kubernetes.io/hostname': 'node1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': '' }, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'dedicated', value: 'infra', effect: 'NoExecute' }] },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '102626232Ki', 'hugepages-2Mi': '0', memory: '16318412Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '94580335255', 'hugepages-2Mi': '0', memory: '16216012Ki', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ts(60), lastTransitionTime: ts(2 * 86400), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: ts(60), lastTransitionTime: ts(2 * 86400), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'node1' }],
      nodeInfo: { machineID: 'abc123', systemUUID: 'uuid-1', bootID: 'boot-1', kernelVersion: '6.8.0-1017-aws', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.18', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' },
    } },
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('node1', 'kube-node-lease'), spec: { holderIdentity: 'node1', leaseDurationSeconds: 40, renewTime: '2025-01-15T11:59:50.123456Z' } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node2', uid: 'uid-node2', resourceVersion: '1', creationTimestamp: ts(600) }, spec: {}, status: { nodeInfo: {} } },
  ev('node1.1', { kind: 'Node', name: 'node1', uid: 'node1', apiVersion: 'v1' }, 'Starting', 'Starting kubelet.', { source: { component: 'kubelet', host: 'node1' }, firstTimestamp: ts(2 * 86400), lastTimestamp: ts(2 * 86400), metadata: meta('node1.1', 'default') }),

  // Pods on node1
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('web-5d4f-abcde', 'default', { labels: { app: 'web', 'pod-template-hash': '5d4f' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }], creationTimestamp: ts(1500) }),
    spec: { nodeName: 'node1', serviceAccountName: 'default', priority: 0, restartPolicy: 'Always', enableServiceLinks: true,
      containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, env: [{ name: 'MODE', value: 'prod' }], volumeMounts: [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] },
        { name: 'sidecar', image: 'busybox', command: ['sh', '-c'], args: ['sleep 3600'], ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP', hostPort: 9100 }, { containerPort: 9101, protocol: 'UDP' }], resources: {} }],
      volumes: [{ name: 'kube-api-access-abcde', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } }, { name: 'cache', emptyDir: {} }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] },
    status: { phase: 'Running', qosClass: 'Burstable', hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }], podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }], startTime: ts(1500),
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: ts(1490) },
        { type: 'Initialized', status: 'True', lastTransitionTime: ts(1500) },
        { type: 'Ready', status: 'True', lastTransitionTime: ts(1480) },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: ts(1480) },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ts(1500) }],
      containerStatuses: [
        { name: 'nginx', ready: true, restartCount: 0, image: 'docker.io/library/nginx:1.27', imageID: 'docker.io/library/nginx@sha256:abc', containerID: 'containerd://c1', started: true, state: { running: { startedAt: ts(1485) } } },
        { name: 'sidecar', ready: false, restartCount: 2, image: 'docker.io/library/busybox:latest', imageID: 'docker.io/library/busybox@sha256:def', containerID: 'containerd://c2', started: false, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ts(1300), finishedAt: ts(1290) } } }] } },
  ev('web.1', ref('Pod', 'web-5d4f-abcde'), 'Scheduled', 'Successfully assigned default/web-5d4f-abcde to node1', { source: { component: 'default-scheduler' }, firstTimestamp: ts(1500), lastTimestamp: ts(1500) }),
  ev('web.2', ref('Pod', 'web-5d4f-abcde'), 'Pulled', 'Container image "nginx:1.27" already present on machine', { source: { component: 'kubelet', host: 'node1' }, firstTimestamp: ts(1490), lastTimestamp: ts(1490) }),
  ev('web.3', ref('Pod', 'web-5d4f-abcde'), 'BackOff', 'Back-off restarting failed container sidecar in pod web-5d4f-abcde_default(uid)', { type: 'Warning', count: 5, source: { component: 'kubelet', host: 'node1' }, firstTimestamp: ts(1280), lastTimestamp: ts(660) }),
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('coredns-1', 'kube-system', { creationTimestamp: ts(2 * 86400) }),
    spec: { nodeName: 'node1', containers: [{ name: 'coredns', image: 'coredns:1.11', resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } } }] },
    status: { phase: 'Running', qosClass: 'Burstable' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('pending-1', 'default', { creationTimestamp: ts(900) }),
    spec: { containers: [{ name: 'app', image: 'app:v1' }], nodeSelector: { disk: 'ssd' } },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available' }] } },
  // >12 tolerations with equal keys: kubectl's unstable Go sort decides the order
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('tols', 'default'), spec: { containers: [{ name: 'a', image: 'a' }], tolerations: Array.from({ length: 16 }, (_, i) => ({ key: i % 2 ? 'k' : '', operator: 'Exists', tolerationSeconds: i })) }, status: { phase: 'Pending' } },
  // 20 events at two distinct times: Go's unstable sort.Sort order
  svc('busy', { type: 'ClusterIP', clusterIP: '10.96.11.11', clusterIPs: ['10.96.11.11'], sessionAffinity: 'None' }),
  ...Array.from({ length: 20 }, (_, i) => ev('busy.' + i, ref('Service', 'busy'), 'R' + i, 'm' + i, { source: { component: 'c' }, firstTimestamp: ts(i % 3 === 0 ? 1200 : 600), lastTimestamp: ts(i % 3 === 0 ? 1200 : 600) })),
  // quantities: canonical forms, sidecar and init containers, overhead, hugepages, extended resources
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'qnode', uid: 'uid-qnode', creationTimestamp: ts(3 * 3600) }, spec: {}, status: {
    capacity: { cpu: '2500m', memory: '8Gi', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '2Gi', 'example.com/gpu': '4', pods: '110' },
    allocatable: { cpu: '2500m', memory: '7.5Gi', 'ephemeral-storage': '90Gi', 'hugepages-1Gi': '2Gi', 'example.com/gpu': '4', pods: '110' }, nodeInfo: {} } },
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('qpod', 'default', { creationTimestamp: ts(40 * 60) }),
    spec: { nodeName: 'qnode', overhead: { cpu: '10m', memory: '1Mi' },
      initContainers: [{ name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '10Mi' }, limits: { memory: '20Mi' } } }, { name: 'init', image: 'x', resources: { requests: { cpu: '2', 'ephemeral-storage': '1Gi' }, limits: { 'hugepages-1Gi': '1Gi' } } }],
      containers: [{ name: 'main', image: 'x', resources: { requests: { cpu: '0.25', memory: '1.5Gi', 'example.com/gpu': '1', 'hugepages-1Gi': '1Gi' }, limits: { cpu: '1', memory: '2Gi', 'example.com/gpu': '1', 'hugepages-1Gi': '1Gi' } },
        env: [{ name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }, { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }, { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } }, { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage' } } }] },
        { name: 'q', image: 'y', resources: { requests: Object.fromEntries(['1.5Gi', '0.5', '1e3', '1000m', '2048Ki', '0.1Mi', '3e-3', '0.0000000001', '1023', '1025Ki', '2Ei'].map((q, i) => ['example.com/r' + String(i).padStart(2, '0'), q])) } }] },
    status: { phase: 'Running', podIP: '10.1.1.1', containerStatuses: [{ name: 'main', ready: true, restartCount: 3, state: { running: { startedAt: ts(600) } }, lastState: { terminated: { exitCode: 2, startedAt: ts(1200), finishedAt: ts(700) } } }, { name: 'q', state: { waiting: {} } }] } },
  // quotas and limit ranges in a namespace
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'quota', uid: 'uid-ns-quota', creationTimestamp: ts(100) }, spec: {}, status: { phase: 'Active' } },
  { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('rq-b', 'quota'), spec: { hard: { pods: '10' }, scopes: ['NotTerminating', 'BestEffort'] }, status: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '1Gi' }, used: { pods: '2', 'requests.cpu': '500m' } } },
  { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('rq-a', 'quota'), spec: { hard: { services: '5' } }, status: { hard: { services: '5' }, used: { services: '1' } } },
  { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('lr', 'quota'), spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' }, maxLimitRequestRatio: { cpu: '4' } }] } },
];

/** A golden: kubectl's lines, each followed by a newline. */
function lines(...ls) {
  return ls.map((l) => l + '\n').join('');
}

// describeService: the REFERENCE §2 example (NodePort; External Traffic Policy makes the value column 26)
const SVC_WEBSERVER = lines(
  "Name:                     webserver",
  "Namespace:                default",
  "Labels:                   app=webserver",
  "Annotations:              <none>",
  "Selector:                 app=webserver",
  "Type:                     NodePort",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       10.108.113.5",
  "IPs:                      10.108.113.5",
  "Port:                     <unset>  80/TCP",
  "TargetPort:               80/TCP",
  "NodePort:                 <unset>  30009/TCP",
  "Endpoints:                10.244.1.2:80",
  "Session Affinity:         None",
  "External Traffic Policy:  Cluster",
  "Internal Traffic Policy:  Cluster",
  "Events:                   <none>",
);

// describeService: ClusterIP, no External Traffic Policy → values at column 26 still ('Internal Traffic Policy:' is as long);
// printAnnotationsMultiline skips kubectl.kubernetes.io/last-applied-configuration
const SVC_BACKEND = lines(
  "Name:                     backend",
  "Namespace:                default",
  "Labels:                   app=backend",
  "                          tier=api",
  "Annotations:              example.com/owner: team-a",
  "Selector:                 app=backend,tier=api",
  "Type:                     ClusterIP",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       10.96.0.20",
  "IPs:                      10.96.0.20",
  "Port:                     <unset>  8080/TCP",
  "TargetPort:               80/TCP",
  "Endpoints:                10.244.2.7:80",
  "Session Affinity:         None",
  "Internal Traffic Policy:  Cluster",
  "Events:                   <none>",
);

// describeService: headless (IP None)
const SVC_HEADLESS = lines(
  "Name:                     headless",
  "Namespace:                default",
  "Labels:                   <none>",
  "Annotations:              <none>",
  "Selector:                 app=db",
  "Type:                     ClusterIP",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       None",
  "IPs:                      None",
  "Port:                     <unset>  5432/TCP",
  "TargetPort:               5432/TCP",
  "Endpoints:                10.244.1.9:5432,10.244.2.9:5432",
  "Session Affinity:         None",
  "Internal Traffic Policy:  Cluster",
  "Events:                   <none>",
);

// describeService: ExternalName — IP Families <none>, empty IP (label padded, trailing spaces), IPs <none>;
// no traffic policies, so the column narrows to 'Session Affinity:' + 2
const SVC_EXTERNALNAME = lines(
  "Name:              extdb",
  "Namespace:         default",
  "Labels:            <none>",
  "Annotations:       <none>",
  "Selector:          <none>",
  "Type:              ExternalName",
  "IP Families:       <none>",
  "IP:                ",
  "IPs:               <none>",
  "External Name:     db.example.com",
  "Session Affinity:  None",
  "Events:            <none>",
);

// describeService + buildIngressString: LoadBalancer with external IPs, ingress 'ip (ipMode)' and hostname,
// named target port, HealthCheck NodePort, source ranges; formatEndpointSlices skips the not-ready endpoint
const SVC_LOADBALANCER = lines(
  "Name:                        lb",
  "Namespace:                   default",
  "Labels:                      <none>",
  "Annotations:                 <none>",
  "Selector:                    app=web",
  "Type:                        LoadBalancer",
  "IP Family Policy:            SingleStack",
  "IP Families:                 IPv4",
  "IP:                          10.96.5.5",
  "IPs:                         10.96.5.5",
  "External IPs:                203.0.113.7",
  "Desired LoadBalancer IP:     192.0.2.10",
  "LoadBalancer Ingress:        192.0.2.10 (VIP), lb.example.com",
  "Port:                        http  80/TCP",
  "TargetPort:                  web/TCP",
  "NodePort:                    http  31080/TCP",
  "Endpoints:                   10.244.1.3:8080",
  "Session Affinity:            None",
  "External Traffic Policy:     Local",
  "Internal Traffic Policy:     Cluster",
  "HealthCheck NodePort:        32000",
  "LoadBalancer Source Ranges:  10.0.0.0/8,192.168.0.0/16",
  "Events:                      <none>",
);

// formatEndpointSlices: more than 3 ready endpoints across two slices → ' + N more...'
const SVC_MANY = lines(
  "Name:                     many",
  "Namespace:                default",
  "Labels:                   <none>",
  "Annotations:              <none>",
  "Selector:                 app=many",
  "Type:                     ClusterIP",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       10.96.7.7",
  "IPs:                      10.96.7.7",
  "Port:                     <unset>  80/TCP",
  "TargetPort:               8080/TCP",
  "Endpoints:                10.244.1.10:8080,10.244.1.11:8080,10.244.1.13:8080 + 2 more...",
  "Session Affinity:         None",
  "Internal Traffic Policy:  Cluster",
  "Events:                   <none>",
);

// formatEndpointSlices: slices exist but nothing is ready → empty value (label still padded)
const SVC_NOTREADY = lines(
  "Name:                     notready",
  "Namespace:                default",
  "Labels:                   <none>",
  "Annotations:              <none>",
  "Selector:                 app=nr",
  "Type:                     ClusterIP",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       10.96.8.8",
  "IPs:                      10.96.8.8",
  "Port:                     <unset>  80/TCP",
  "TargetPort:               80/TCP",
  "Endpoints:                ",
  "Session Affinity:         None",
  "Internal Traffic Policy:  Cluster",
  "Events:                   <none>",
);

// describeService: two named ports; formatEndpointSlices matches slice ports by name
const SVC_MULTIPORT = lines(
  "Name:                     multi",
  "Namespace:                default",
  "Labels:                   <none>",
  "Annotations:              <none>",
  "Selector:                 app=multi",
  "Type:                     NodePort",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       10.96.9.9",
  "IPs:                      10.96.9.9",
  "Port:                     http  80/TCP",
  "TargetPort:               8080/TCP",
  "NodePort:                 http  30080/TCP",
  "Endpoints:                10.244.1.5:8080,10.244.2.5:8080",
  "Port:                     metrics  9090/UDP",
  "TargetPort:               prom/UDP",
  "NodePort:                 metrics  30090/UDP",
  "Endpoints:                10.244.1.5:9100,10.244.2.5:9100",
  "Session Affinity:         None",
  "External Traffic Policy:  Cluster",
  "Internal Traffic Policy:  Cluster",
  "Events:                   <none>",
);

// DescribeEvents: sorted by lastTimestamp, '<last> (xN over <first>)', From = source.component only in 1.32;
// printLabelsMultiline with several labels; printAnnotationsMultiline long (cut to 138 + '...') and multi-line values
const SVC_EVENTS = lines(
  "Name:                     evsvc",
  "Namespace:                default",
  "Labels:                   a=1",
  "                          b=2",
  "                          c=3",
  "Annotations:              example.com/long:",
  "                            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
  "                          example.com/multi:",
  "                            line one",
  "                            line two",
  "                          z.example.com/short: ok",
  "Selector:                 app=ev",
  "Type:                     ClusterIP",
  "IP Family Policy:         SingleStack",
  "IP Families:              IPv4",
  "IP:                       10.96.10.10",
  "IPs:                      10.96.10.10",
  "Port:                     <unset>  80/TCP",
  "TargetPort:               80/TCP",
  "Endpoints:                <none>",
  "Session Affinity:         None",
  "Internal Traffic Policy:  Cluster",
  "Events:",
  "  Type     Reason                  Age                From                Message",
  "  ----     ------                  ----               ----                -------",
  "  Normal   Type                    120m                                   ClusterIP -> LoadBalancer",
  "  Warning  SyncLoadBalancerFailed  30m (x2 over 90m)  service-controller  Error syncing load balancer: failed",
  "  Normal   EnsuringLoadBalancer    10m (x3 over 60m)  service-controller  Ensuring load balancer",
);

// DescribeEvents: 20 events at two times — Go's unstable sort.Sort (pdqsort) order, not a stable sort
const SVC_BUSY = lines(
  "Name:              busy",
  "Namespace:         default",
  "Labels:            <none>",
  "Annotations:       <none>",
  "Selector:          <none>",
  "Type:              ClusterIP",
  "IP Families:       <none>",
  "IP:                10.96.11.11",
  "IPs:               10.96.11.11",
  "Session Affinity:  None",
  "Events:",
  "  Type    Reason  Age   From  Message",
  "  ----    ------  ----  ----  -------",
  "  Normal  R9      20m   c     m9",
  "  Normal  R18     20m   c     m18",
  "  Normal  R15     20m   c     m15",
  "  Normal  R3      20m   c     m3",
  "  Normal  R12     20m   c     m12",
  "  Normal  R0      20m   c     m0",
  "  Normal  R6      20m   c     m6",
  "  Normal  R5      10m   c     m5",
  "  Normal  R8      10m   c     m8",
  "  Normal  R7      10m   c     m7",
  "  Normal  R10     10m   c     m10",
  "  Normal  R11     10m   c     m11",
  "  Normal  R4      10m   c     m4",
  "  Normal  R13     10m   c     m13",
  "  Normal  R14     10m   c     m14",
  "  Normal  R2      10m   c     m2",
  "  Normal  R16     10m   c     m16",
  "  Normal  R17     10m   c     m17",
  "  Normal  R1      10m   c     m1",
  "  Normal  R19     10m   c     m19",
);

// describeNode: roles, taints (sorted by effect,key), describeNodeLease, Conditions, Addresses, Capacity/Allocatable,
// System Info, PodCIDR(s); describeNodeResource (pods sorted by namespace/name, % of allocatable); events
const NODE_NODE1 = lines(
  "Name:               node1",
  "Roles:              control-plane",
  "Labels:             kubernetes.io/arch=amd64",
  "                    kubernetes.io/hostname=node1",
  "                    kubernetes.io/os=linux",
  "                    node-role.kubernetes.io/control-plane=",
  "Annotations:        node.alpha.kubernetes.io/ttl: 0",
  "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
  "CreationTimestamp:  Mon, 13 Jan 2025 11:00:00 +0000",
  "Taints:             dedicated=infra:NoExecute",
  "                    node-role.kubernetes.io/control-plane:NoSchedule",
  "Unschedulable:      false",
  "Lease:",
  "  HolderIdentity:  node1",
  "  AcquireTime:     <unset>",
  "  RenewTime:       Wed, 15 Jan 2025 11:59:50 +0000",
  "Conditions:",
  "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
  "  ----             ------  -----------------                 ------------------                ------                       -------",
  "  MemoryPressure   False   Wed, 15 Jan 2025 11:59:00 +0000   Mon, 13 Jan 2025 12:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
  "  Ready            True    Wed, 15 Jan 2025 11:59:00 +0000   Mon, 13 Jan 2025 12:00:00 +0000   KubeletReady                 kubelet is posting ready status",
  "Addresses:",
  "  InternalIP:  172.18.0.2",
  "  Hostname:    node1",
  "Capacity:",
  "  cpu:                4",
  "  ephemeral-storage:  102626232Ki",
  "  hugepages-2Mi:      0",
  "  memory:             16318412Ki",
  "  pods:               110",
  "Allocatable:",
  "  cpu:                4",
  "  ephemeral-storage:  94580335255",
  "  hugepages-2Mi:      0",
  "  memory:             16216012Ki",
  "  pods:               110",
  "System Info:",
  "  Machine ID:                 abc123",
  "  System UUID:                uuid-1",
  "  Boot ID:                    boot-1",
  "  Kernel Version:             6.8.0-1017-aws",
  "  OS Image:                   Debian GNU/Linux 12 (bookworm)",
  "  Operating System:           linux",
  "  Architecture:               amd64",
  "  Container Runtime Version:  containerd://1.7.18",
  "  Kubelet Version:            v1.32.0",
  "  Kube-Proxy Version:         v1.32.0",
  "PodCIDR:                      10.244.1.0/24",
  "PodCIDRs:                     10.244.1.0/24",
  "Non-terminated Pods:          (2 in total)",
  "  Namespace                   Name              CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
  "  ---------                   ----              ------------  ----------  ---------------  -------------  ---",
  "  default                     web-5d4f-abcde    100m (2%)     500m (12%)  128Mi (0%)       256Mi (1%)     25m",
  "  kube-system                 coredns-1         100m (2%)     0 (0%)      70Mi (0%)        170Mi (1%)     2d",
  "Allocated resources:",
  "  (Total limits may be over 100 percent, i.e., overcommitted.)",
  "  Resource           Requests    Limits",
  "  --------           --------    ------",
  "  cpu                200m (5%)   500m (12%)",
  "  memory             198Mi (1%)  426Mi (2%)",
  "  ephemeral-storage  0 (0%)      0 (0%)",
  "  hugepages-2Mi      0 (0%)      0 (0%)",
  "Events:",
  "  Type    Reason    Age   From     Message",
  "  ----    ------    ----  ----     -------",
  "  Normal  Starting  2d    kubelet  Starting kubelet.",
);

// describeNode: no Lease ('Failed to get lease'), no conditions/capacity, empty System Info values, no pods
const NODE_NODE2 = lines(
  "Name:               node2",
  "Roles:              <none>",
  "Labels:             <none>",
  "Annotations:        <none>",
  "CreationTimestamp:  Wed, 15 Jan 2025 11:50:00 +0000",
  "Taints:             <none>",
  "Unschedulable:      false",
  "Lease:              Failed to get lease: leases.coordination.k8s.io \"node2\" not found",
  "Addresses:",
  "System Info:",
  "  Machine ID:                 ",
  "  System UUID:                ",
  "  Boot ID:                    ",
  "  Kernel Version:             ",
  "  OS Image:                   ",
  "  Operating System:           ",
  "  Architecture:               ",
  "  Container Runtime Version:  ",
  "  Kubelet Version:            ",
  "  Kube-Proxy Version:         ",
  "Non-terminated Pods:          (0 in total)",
  "  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
  "  ---------                   ----    ------------  ----------  ---------------  -------------  ---",
  "Allocated resources:",
  "  (Total limits may be over 100 percent, i.e., overcommitted.)",
  "  Resource           Requests  Limits",
  "  --------           --------  ------",
  "  cpu                0 (0%)    0 (0%)",
  "  memory             0 (0%)    0 (0%)",
  "  ephemeral-storage  0 (0%)    0 (0%)",
  "Events:              <none>",
);

// describeNodeResource: sidecar/init/overhead arithmetic (PodRequestsAndLimits), hugepages and extended resources
const NODE_QNODE = lines(
  "Name:               qnode",
  "Roles:              <none>",
  "Labels:             <none>",
  "Annotations:        <none>",
  "CreationTimestamp:  Wed, 15 Jan 2025 09:00:00 +0000",
  "Taints:             <none>",
  "Unschedulable:      false",
  "Lease:              Failed to get lease: leases.coordination.k8s.io \"qnode\" not found",
  "Addresses:",
  "Capacity:",
  "  cpu:                2500m",
  "  ephemeral-storage:  100Gi",
  "  example.com/gpu:    4",
  "  hugepages-1Gi:      2Gi",
  "  memory:             8Gi",
  "  pods:               110",
  "Allocatable:",
  "  cpu:                2500m",
  "  ephemeral-storage:  90Gi",
  "  example.com/gpu:    4",
  "  hugepages-1Gi:      2Gi",
  "  memory:             7680Mi",
  "  pods:               110",
  "System Info:",
  "  Machine ID:                 ",
  "  System UUID:                ",
  "  Boot ID:                    ",
  "  Kernel Version:             ",
  "  OS Image:                   ",
  "  Operating System:           ",
  "  Architecture:               ",
  "  Container Runtime Version:  ",
  "  Kubelet Version:            ",
  "  Kube-Proxy Version:         ",
  "Non-terminated Pods:          (1 in total)",
  "  Namespace                   Name    CPU Requests  CPU Limits   Memory Requests  Memory Limits  Age",
  "  ---------                   ----    ------------  ----------   ---------------  -------------  ---",
  "  default                     qpod    2060m (82%)   1010m (40%)  1547Mi (20%)     2069Mi (26%)   40m",
  "Allocated resources:",
  "  (Total limits may be over 100 percent, i.e., overcommitted.)",
  "  Resource           Requests      Limits",
  "  --------           --------      ------",
  "  cpu                2060m (82%)   1010m (40%)",
  "  memory             1547Mi (20%)  2069Mi (26%)",
  "  ephemeral-storage  1Gi (1%)      0 (0%)",
  "  hugepages-1Gi      1Gi (50%)     1Gi (50%)",
  "  example.com/gpu    1             1",
  "Events:              <none>",
);

// describePod: Controlled By from ownerReferences, containers (describeContainerBasicInfo/State/Resources/EnvVars/Volumes),
// Conditions ('%v \t%v \n': trailing spaces), projected kube-api-access volume (1.32 prints ConfigMapOptional: <nil>),
// emptyDir, QoS, tolerations, events
const POD_WEB = lines(
  "Name:             web-5d4f-abcde",
  "Namespace:        default",
  "Priority:         0",
  "Service Account:  default",
  "Node:             node1/172.18.0.2",
  "Start Time:       Wed, 15 Jan 2025 11:35:00 +0000",
  "Labels:           app=web",
  "                  pod-template-hash=5d4f",
  "Annotations:      <none>",
  "Status:           Running",
  "IP:               10.244.1.2",
  "IPs:",
  "  IP:           10.244.1.2",
  "Controlled By:  ReplicaSet/web-5d4f",
  "Containers:",
  "  nginx:",
  "    Container ID:   containerd://c1",
  "    Image:          nginx:1.27",
  "    Image ID:       docker.io/library/nginx@sha256:abc",
  "    Port:           80/TCP",
  "    Host Port:      0/TCP",
  "    State:          Running",
  "      Started:      Wed, 15 Jan 2025 11:35:15 +0000",
  "    Ready:          True",
  "    Restart Count:  0",
  "    Limits:",
  "      cpu:     500m",
  "      memory:  256Mi",
  "    Requests:",
  "      cpu:     100m",
  "      memory:  128Mi",
  "    Environment:",
  "      MODE:  prod",
  "    Mounts:",
  "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-abcde (ro)",
  "  sidecar:",
  "    Container ID:  containerd://c2",
  "    Image:         busybox",
  "    Image ID:      docker.io/library/busybox@sha256:def",
  "    Ports:         9100/TCP, 9101/UDP",
  "    Host Ports:    9100/TCP, 0/UDP",
  "    Command:",
  "      sh",
  "      -c",
  "    Args:",
  "      sleep 3600",
  "    State:          Waiting",
  "      Reason:       CrashLoopBackOff",
  "    Last State:     Terminated",
  "      Reason:       Error",
  "      Exit Code:    1",
  "      Started:      Wed, 15 Jan 2025 11:38:20 +0000",
  "      Finished:     Wed, 15 Jan 2025 11:38:30 +0000",
  "    Ready:          False",
  "    Restart Count:  2",
  "    Environment:    <none>",
  "    Mounts:         <none>",
  "Conditions:",
  "  Type                        Status",
  "  PodReadyToStartContainers   True ",
  "  Initialized                 True ",
  "  Ready                       True ",
  "  ContainersReady             True ",
  "  PodScheduled                True ",
  "Volumes:",
  "  kube-api-access-abcde:",
  "    Type:                    Projected (a volume that contains injected data from multiple sources)",
  "    TokenExpirationSeconds:  3607",
  "    ConfigMapName:           kube-root-ca.crt",
  "    ConfigMapOptional:       <nil>",
  "    DownwardAPI:             true",
  "  cache:",
  "    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)",
  "    Medium:      ",
  "    SizeLimit:   <unset>",
  "QoS Class:       Burstable",
  "Node-Selectors:  <none>",
  "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
  "                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
  "Events:",
  "  Type     Reason     Age                From               Message",
  "  ----     ------     ----               ----               -------",
  "  Normal   Scheduled  25m                default-scheduler  Successfully assigned default/web-5d4f-abcde to node1",
  "  Normal   Pulled     24m                kubelet            Container image \"nginx:1.27\" already present on machine",
  "  Warning  BackOff    11m (x5 over 21m)  kubelet            Back-off restarting failed container sidecar in pod web-5d4f-abcde_default(uid)",
);

// describePod: unscheduled pod — Node <none>, computed QoS BestEffort, Node-Selectors
const POD_PENDING = lines(
  "Name:         pending-1",
  "Namespace:    default",
  "Node:         <none>",
  "Labels:       <none>",
  "Annotations:  <none>",
  "Status:       Pending",
  "IP:           ",
  "IPs:          <none>",
  "Containers:",
  "  app:",
  "    Image:        app:v1",
  "    Port:         <none>",
  "    Host Port:    <none>",
  "    Environment:  <none>",
  "    Mounts:       <none>",
  "Conditions:",
  "  Type           Status",
  "  PodScheduled   False ",
  "Volumes:         <none>",
  "QoS Class:       BestEffort",
  "Node-Selectors:  disk=ssd",
  "Tolerations:     <none>",
  "Events:          <none>",
);

// printTolerationsMultilineWithIndent: 16 tolerations with equal keys — Go's unstable sort.Slice order
const POD_TOLS = lines(
  "Name:         tols",
  "Namespace:    default",
  "Node:         <none>",
  "Labels:       <none>",
  "Annotations:  <none>",
  "Status:       Pending",
  "IP:           ",
  "IPs:          <none>",
  "Containers:",
  "  a:",
  "    Image:        a",
  "    Port:         <none>",
  "    Host Port:    <none>",
  "    Environment:  <none>",
  "    Mounts:       <none>",
  "Volumes:          <none>",
  "QoS Class:        BestEffort",
  "Node-Selectors:   <none>",
  "Tolerations:      op=Exists for 8s",
  "                  op=Exists for 6s",
  "                  op=Exists for 2s",
  "                  op=Exists for 14s",
  "                  op=Exists for 0s",
  "                  op=Exists for 12s",
  "                  op=Exists for 10s",
  "                  op=Exists for 4s",
  "                  k op=Exists for 7s",
  "                  k op=Exists for 9s",
  "                  k op=Exists for 1s",
  "                  k op=Exists for 11s",
  "                  k op=Exists for 5s",
  "                  k op=Exists for 13s",
  "                  k op=Exists for 3s",
  "                  k op=Exists for 15s",
  "Events:           <none>",
);

// describeContainers: init/sidecar containers, canonical quantities (Quantity.String), env fieldRef (only
// metadata.name/namespace resolve in kubectl), resourceFieldRef with divisors, Last State, Waiting without reason
const POD_QPOD = lines(
  "Name:         qpod",
  "Namespace:    default",
  "Node:         qnode/",
  "Labels:       <none>",
  "Annotations:  <none>",
  "Status:       Running",
  "IP:           10.1.1.1",
  "IPs:          <none>",
  "Init Containers:",
  "  side:",
  "    Image:      x",
  "    Port:       <none>",
  "    Host Port:  <none>",
  "    Limits:",
  "      memory:  20Mi",
  "    Requests:",
  "      cpu:        50m",
  "      memory:     10Mi",
  "    Environment:  <none>",
  "    Mounts:       <none>",
  "  init:",
  "    Image:      x",
  "    Port:       <none>",
  "    Host Port:  <none>",
  "    Limits:",
  "      hugepages-1Gi:  1Gi",
  "    Requests:",
  "      cpu:                2",
  "      ephemeral-storage:  1Gi",
  "    Environment:          <none>",
  "    Mounts:               <none>",
  "Containers:",
  "  main:",
  "    Container ID:   ",
  "    Image:          x",
  "    Image ID:       ",
  "    Port:           <none>",
  "    Host Port:      <none>",
  "    State:          Running",
  "      Started:      Wed, 15 Jan 2025 11:50:00 +0000",
  "    Last State:     Terminated",
  "      Exit Code:    2",
  "      Started:      Wed, 15 Jan 2025 11:40:00 +0000",
  "      Finished:     Wed, 15 Jan 2025 11:48:20 +0000",
  "    Ready:          True",
  "    Restart Count:  3",
  "    Limits:",
  "      cpu:              1",
  "      example.com/gpu:  1",
  "      hugepages-1Gi:    1Gi",
  "      memory:           2Gi",
  "    Requests:",
  "      cpu:              250m",
  "      example.com/gpu:  1",
  "      hugepages-1Gi:    1Gi",
  "      memory:           1536Mi",
  "    Environment:",
  "      POD:   qpod (v1:metadata.name)",
  "      NODE:   (v1:spec.nodeName)",
  "      MEM:   1536 (requests.memory)",
  "      CPU:   0 (limits.ephemeral-storage)",
  "    Mounts:  <none>",
  "  q:",
  "    Container ID:   ",
  "    Image:          y",
  "    Image ID:       ",
  "    Port:           <none>",
  "    Host Port:      <none>",
  "    State:          Waiting",
  "    Ready:          False",
  "    Restart Count:  0",
  "    Requests:",
  "      example.com/r00:  1536Mi",
  "      example.com/r01:  500m",
  "      example.com/r02:  1e3",
  "      example.com/r03:  1",
  "      example.com/r04:  2Mi",
  "      example.com/r05:  104857600m",
  "      example.com/r06:  3e-3",
  "      example.com/r07:  1n",
  "      example.com/r08:  1023",
  "      example.com/r09:  1025Ki",
  "      example.com/r10:  2Ei",
  "    Environment:        <none>",
  "    Mounts:             <none>",
  "Volumes:                <none>",
  "QoS Class:              Burstable",
  "Node-Selectors:         <none>",
  "Tolerations:            <none>",
  "Events:                 <none>",
);

// describeEndpoints: two subsets (ports table with <unset> name; a subset with only not-ready addresses)
const EP_WEBSERVER = lines(
  "Name:         webserver",
  "Namespace:    default",
  "Labels:       app=webserver",
  "Annotations:  <none>",
  "Subsets:",
  "  Addresses:          10.244.1.2,10.244.2.2",
  "  NotReadyAddresses:  10.244.3.2",
  "  Ports:",
  "    Name     Port  Protocol",
  "    ----     ----  --------",
  "    <unset>  80    TCP",
  "    metrics  9100  TCP",
  "",
  "  Addresses:          <none>",
  "  NotReadyAddresses:  10.244.4.4",
  "",
  "Events:  <none>",
);

// describeEndpoints: no subsets; 'Subsets:' has no tab, so 'Events:  <none>' starts a new block
const EP_EMPTY = lines(
  "Name:         empty",
  "Namespace:    default",
  "Labels:       <none>",
  "Annotations:  <none>",
  "Subsets:",
  "Events:  <none>",
);

// describeEndpointSliceV1: ports table, endpoint with targetRef and nodeName
const EPS_WEBSERVER = lines(
  "Name:         webserver-abcde",
  "Namespace:    default",
  "Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io",
  "              kubernetes.io/service-name=webserver",
  "Annotations:  <none>",
  "AddressType:  IPv4",
  "Ports:",
  "  Name     Port  Protocol",
  "  ----     ----  --------",
  "  <unset>  80    TCP",
  "Endpoints:",
  "  - Addresses:  10.244.1.2",
  "    Conditions:",
  "      Ready:    true",
  "    Hostname:   <unset>",
  "    TargetRef:  Pod/webserver-5d4f-x1",
  "    NodeName:   node1",
  "    Zone:       <unset>",
  "Events:         <none>",
);

// describeEndpointSliceV1: a ready and a not-ready endpoint ('- Addresses:' lines reset alignment per block)
const EPS_LB = lines(
  "Name:         lb-aaaaa",
  "Namespace:    default",
  "Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io",
  "              kubernetes.io/service-name=lb",
  "Annotations:  <none>",
  "AddressType:  IPv4",
  "Ports:",
  "  Name  Port  Protocol",
  "  ----  ----  --------",
  "  http  8080  TCP",
  "Endpoints:",
  "  - Addresses:  10.244.1.3",
  "    Conditions:",
  "      Ready:    true",
  "    Hostname:   <unset>",
  "    NodeName:   <unset>",
  "    Zone:       <unset>",
  "  - Addresses:  10.244.1.4",
  "    Conditions:",
  "      Ready:   false",
  "    Hostname:  <unset>",
  "    NodeName:  <unset>",
  "    Zone:      <unset>",
  "Events:        <none>",
);

// describeNamespace: 'No resource quota.' and 'No LimitRange resource.'
const NS_DEFAULT = lines(
  "Name:         default",
  "Labels:       kubernetes.io/metadata.name=default",
  "Annotations:  <none>",
  "Status:       Active",
  "",
  "No resource quota.",
  "",
  "No LimitRange resource.",
);

// describeNamespace + DescribeResourceQuotas (sorted by name, scope help) + DescribeLimitRanges
const NS_QUOTA = lines(
  "Name:         quota",
  "Labels:       <none>",
  "Annotations:  <none>",
  "Status:       Active",
  "",
  "Resource Quotas",
  "  Name:     rq-a",
  "  Resource  Used  Hard",
  "  --------  ---   ---",
  "  services  1     5",
  "  Name:     rq-b",
  "  Scopes:   BestEffort, NotTerminating",
  "  * Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
  "  * Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
  "  Resource         Used  Hard",
  "  --------         ---   ---",
  "  pods             2     10",
  "  requests.cpu     500m  4",
  "  requests.memory  0     1Gi",
  "",
  "Resource Limits",
  " Type       Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio",
  " ----       --------  ---   ---  ---------------  -------------  -----------------------",
  " Container  cpu       100m  2    200m             500m           4",
);

// ---- how kubectl gathers each describer's inputs (mirrors the stub server's queries) ----

const find = (kind, name, ns) => objects.find((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns));
/** searchEvents: involvedObject name/namespace/uid, plus kind except for pods (ref.Kind is cleared). */
const eventsFor = (o, uid = o.metadata.uid) =>
  objects.filter(
    (e) =>
      e.kind === 'Event' &&
      e.involvedObject.name === o.metadata.name &&
      (e.involvedObject.namespace ?? '') === (o.metadata.namespace ?? '') &&
      (o.kind === 'Pod' || e.involvedObject.kind === o.kind) &&
      e.involvedObject.uid === uid,
  );
const slicesFor = (svc) =>
  objects.filter((s) => s.kind === 'EndpointSlice' && s.metadata.namespace === svc.metadata.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
const podsOn = (node) => objects.filter((p) => p.kind === 'Pod' && p.spec?.nodeName === node.metadata.name && !['Succeeded', 'Failed'].includes(p.status?.phase));
/** NodeDescriber merges events found by the node's uid and by its name used as uid (kubelet events). */
const nodeEvents = (node) => [...eventsFor(node), ...eventsFor(node, node.metadata.name)];
const leaseFor = (node) => objects.find((l) => l.kind === 'Lease' && l.metadata.namespace === 'kube-node-lease' && l.metadata.name === node.metadata.name);
const nsItems = (kind, ns) => objects.filter((o) => o.kind === kind && o.metadata.namespace === ns);

const describeSvc = (name) => {
  const s = find('Service', name, 'default');
  return describeService(s, slicesFor(s), eventsFor(s));
};
const describeNo = (name) => {
  const n = find('Node', name);
  return describeNode(n, podsOn(n), nodeEvents(n), leaseFor(n));
};
const describePo = (name) => {
  const p = find('Pod', name);
  return describePod(p, eventsFor(p));
};
const describeNs = (name) => describeNamespace(find('Namespace', name), nsItems('ResourceQuota', name), nsItems('LimitRange', name));

// ---- services ----

test('service: REFERENCE §2 NodePort example, values at column 26', () => {
  assert.equal(describeSvc('webserver'), SVC_WEBSERVER);
  assert.equal(SVC_WEBSERVER.split('\n')[0].indexOf('webserver'), 26);
});
test('service: ClusterIP', () => assert.equal(describeSvc('backend'), SVC_BACKEND));
test('service: headless', () => assert.equal(describeSvc('headless'), SVC_HEADLESS));
test('service: ExternalName has no IP fields and a narrower column', () => {
  assert.equal(describeSvc('extdb'), SVC_EXTERNALNAME);
  assert.ok(SVC_EXTERNALNAME.includes('\nIP:                \n'));
});
test('service: LoadBalancer with ingress', () => assert.equal(describeSvc('lb'), SVC_LOADBALANCER));
test('service: more than 3 endpoints', () => assert.equal(describeSvc('many'), SVC_MANY));
test('service: slices without a ready endpoint', () => assert.equal(describeSvc('notready'), SVC_NOTREADY));
test('service: several named ports', () => assert.equal(describeSvc('multi'), SVC_MULTIPORT));
test('service: events table with counts, long and multi-line annotations', () => assert.equal(describeSvc('evsvc'), SVC_EVENTS));
test('service: more than 12 events keep Go sort order', () => assert.equal(describeSvc('busy'), SVC_BUSY));
test('service: no events requested → no Events section', () => {
  const s = find('Service', 'webserver', 'default');
  assert.equal(describeService(s, slicesFor(s)), SVC_WEBSERVER.replace(/Events:.*\n$/, ''));
});
test('service: no slices → Endpoints <none>', () => {
  const s = find('Service', 'webserver', 'default');
  assert.match(describeService(s, [], []), /\nEndpoints: {16}<none>\n/);
});

// ---- nodes ----

test('node: lease, conditions, capacity, pods and allocated resources', () => assert.equal(describeNo('node1'), NODE_NODE1));
test('node: without lease, status or pods', () => assert.equal(describeNo('node2'), NODE_NODE2));
test('node: request/limit arithmetic, hugepages, extended resources', () => assert.equal(describeNo('qnode'), NODE_QNODE));
test('node: times print in the local zone like kubectl', () => {
  process.env.TZ = 'Asia/Kolkata';
  try {
    assert.match(describeNo('node2'), /\nCreationTimestamp:  Wed, 15 Jan 2025 17:20:00 \+0530\n/);
  } finally {
    process.env.TZ = 'UTC';
  }
});

// ---- pods ----

test('pod: running pod with controller, containers, volumes, tolerations, events', () => assert.equal(describePo('web-5d4f-abcde'), POD_WEB));
test('pod: pending pod', () => assert.equal(describePo('pending-1'), POD_PENDING));
test('pod: many tolerations keep Go sort order', () => assert.equal(describePo('tols'), POD_TOLS));
test('pod: quantities, init containers, env sources', () => assert.equal(describePo('qpod'), POD_QPOD));
test('pod: controller argument overrides ownerReferences', () => {
  const p = find('Pod', 'web-5d4f-abcde');
  assert.match(describePod(p, [], 'ReplicaSet/other'), /\nControlled By:  ReplicaSet\/other\n/);
});

// ---- endpoints, endpointslices, namespaces ----

test('endpoints: subsets', () => assert.equal(describeEndpoints(find('Endpoints', 'webserver'), []), EP_WEBSERVER));
test('endpoints: no subsets', () => assert.equal(describeEndpoints(find('Endpoints', 'empty'), []), EP_EMPTY));
test('endpointslice: one endpoint with target', () => assert.equal(describeEndpointSlice(find('EndpointSlice', 'webserver-abcde'), []), EPS_WEBSERVER));
test('endpointslice: ready and not-ready endpoints', () => assert.equal(describeEndpointSlice(find('EndpointSlice', 'lb-aaaaa'), []), EPS_LB));
test('namespace: no quotas or limit ranges', () => assert.equal(describeNs('default'), NS_DEFAULT));
test('namespace: quotas and limit ranges', () => assert.equal(describeNs('quota'), NS_QUOTA));
test('namespace: quota and limit range sections left out when not served', () => {
  assert.equal(describeNamespace(find('Namespace', 'default'), null, null), NS_DEFAULT.replace(/\n\nNo resource quota\.\n\nNo LimitRange resource\.\n$/, '\n'));
});
