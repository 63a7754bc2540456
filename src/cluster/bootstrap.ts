// A new cluster as kubeadm leaves it: nodes, the four namespaces, the `kubernetes` and `kube-dns`
// services, the control plane's static pods, kube-proxy on every node and two CoreDNS pods.
import type { KObject } from '../api/types';
import { reconcile } from '../controllers/reconcile';
import { keepImage, PAUSE_IMAGE, publishNodeImages } from '../controllers/kubelet/imagestore';
import { normalizeImage } from '../controllers/kubelet-image';
import { FORMAT_VERSION, Store, UPGRADES, type ClusterFile } from '../store/store';
import { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { intToIp, parseCidr } from '../util/ip';
import { Rand } from '../util/rand';
import { defaultPod, defaultService } from '../api/defaults';
import { DEFAULT_CONFIG, type ClusterConfig } from './config';
import { createObject, createService } from '../apiserver/registry';
import { createSystemServiceAccounts } from '../controllers/serviceaccount';
import { defaultDaemonSet } from '../api/daemonset';
import { addFirstRevision, daemonSetHash, newPod } from '../controllers/daemonset';
import { ensureDefaultStorageClass } from './storageclass';
import { installFlannel } from './flannel';
import { ensureBootstrapPolicy } from './rbacpolicy';
import { ensureSystemPriorityClasses } from './priorityclasses';

export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

export function nodeNames(count: number): string[] {
  const names = ['controlplane'];
  for (let i = 1; i < count; i++) names.push(`node${String(i).padStart(2, '0')}`);
  return names;
}

export function nodeIP(cfg: ClusterConfig, index: number): string {
  return intToIp(parseCidr(cfg.nodeNetwork).base + 2 + index);
}

export function nodePodCIDR(cfg: ClusterConfig, index: number): string {
  const c = parseCidr(cfg.podCIDR);
  return `${intToIp(c.base + index * 256)}/24`;
}

/**
 * The region the zones are in: their common stem when they are named the cloud providers' way, a
 * region and a letter (us-east-1a, us-east-1b → us-east-1; europe-west1-b, europe-west1-c →
 * europe-west1), otherwise region-1 (`--zones 2`'s zone-a, zone-b).
 */
export function regionOf(zones: string[]): string {
  const stems = new Set(zones.map((z) => /^(.*\d)-?[a-z]$/.exec(z)?.[1]));
  const [stem] = stems;
  return stems.size === 1 && stem ? stem : 'region-1';
}

function makeNode(cfg: ClusterConfig, index: number, name: string, rand: Rand): KObject {
  const controlPlane = index === 0;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
  // the well-known zone and region labels (k8s.io/api/core/v1 LabelTopologyZone, LabelTopologyRegion)
  // the scheduler spreads over. Not the deprecated failure-domain.beta.kubernetes.io/zone|region: a
  // 1.32 kubelet sets no zone labels (only an in-tree cloud provider did, removed in 1.31), and a
  // kubeadm cluster has no cloud-controller-manager to add them beside the GA ones.
  if (cfg.zones?.length) {
    labels['topology.kubernetes.io/region'] = regionOf(cfg.zones);
    labels['topology.kubernetes.io/zone'] = cfg.zones[index % cfg.zones.length];
  }
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const now = rfc3339();
  const cond = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    message,
    reason,
    status,
    type,
  });
  const resources = { cpu: '2', 'ephemeral-storage': '61202244Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4015672Ki', pods: '110' };
  const podCIDR = nodePodCIDR(cfg, index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR, podCIDRs: [podCIDR], ...(controlPlane ? { taints: [CONTROL_PLANE_TAINT] } : {}) },
    status: {
      addresses: [
        { address: nodeIP(cfg, index), type: 'InternalIP' },
        { address: name, type: 'Hostname' },
      ],
      allocatable: resources,
      capacity: resources,
      conditions: HEALTHY_NODE.map(([type, status, reason, message]) => cond(type, status, reason, message)),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: rand.uuid(),
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.8.0-49-generic',
        kubeletVersion: cfg.kubernetesVersion,
        machineID: rand.hex(32),
        operatingSystem: 'linux',
        osImage: 'Ubuntu 24.04.1 LTS',
        systemUUID: rand.uuid(),
      },
    },
  };
}

function makeNamespace(name: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

interface PodOpts {
  name: string;
  container: string;
  namespace: string;
  labels: Record<string, string>;
  image: string;
  node?: string;
  hostNetwork?: boolean;
  owner?: { apiVersion: string; kind: string; name: string; uid?: string };
  priorityClassName?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  tolerations?: object[];
  annotations?: Record<string, string>;
  requests?: Record<string, string>;
  command?: string[];
  serviceAccountName?: string;
}

function makeSystemPod(o: PodOpts, rand: Rand): KObject {
  const container: Record<string, unknown> = {
    name: o.container,
    image: o.image,
    imagePullPolicy: 'IfNotPresent',
  };
  if (o.command) container.command = o.command;
  if (o.ports) container.ports = o.ports;
  if (o.requests) container.resources = { requests: o.requests };
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: o.labels,
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.owner ? { ownerReferences: [{ ...o.owner, uid: o.owner.uid ?? rand.uuid(), controller: true, blockOwnerDeletion: o.owner.kind !== 'Node' ? true : undefined }] } : {}),
    },
    spec: {
      containers: [container],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
      ...(o.priorityClassName ? { priorityClassName: o.priorityClassName, priority: 2000001000 } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
    },
  };
  return pod;
}

function systemPods(cfg: ClusterConfig, names: string[], rand: Rand): KObject[] {
  const cp = names[0];
  const cpIP = nodeIP(cfg, 0);
  const version = cfg.kubernetesVersion;
  const nodeOwner = { apiVersion: 'v1', kind: 'Node', name: cp };
  const staticPod = (component: string, image: string, requests: Record<string, string>, command: string[]) =>
    makeSystemPod(
      {
        name: `${component}-${cp}`,
        container: component,
        namespace: 'kube-system',
        labels: { component, tier: 'control-plane' },
        annotations: { 'kubernetes.io/config.source': 'file' },
        image,
        node: cp,
        hostNetwork: true,
        owner: nodeOwner,
        priorityClassName: 'system-node-critical',
        tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
        requests,
        command,
      },
      rand,
    );
  const pods = [
    staticPod('etcd', 'registry.k8s.io/etcd:3.5.16-0', { cpu: '100m', memory: '100Mi' }, ['etcd', `--advertise-client-urls=https://${cpIP}:2379`]),
    staticPod('kube-apiserver', `registry.k8s.io/kube-apiserver:${version}`, { cpu: '250m' }, ['kube-apiserver', `--advertise-address=${cpIP}`, `--service-cluster-ip-range=${cfg.serviceCIDR}`, `--service-node-port-range=${cfg.nodePortRange}`]),
    staticPod('kube-controller-manager', `registry.k8s.io/kube-controller-manager:${version}`, { cpu: '200m' }, ['kube-controller-manager', `--cluster-cidr=${cfg.podCIDR}`, `--service-cluster-ip-range=${cfg.serviceCIDR}`]),
    staticPod('kube-scheduler', `registry.k8s.io/kube-scheduler:${version}`, { cpu: '100m' }, ['kube-scheduler']),
  ];
  const dsHash = rand.suffix(10).slice(0, 10);
  const dsOwner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: rand.uuid() };
  for (const n of names) {
    pods.push(
      makeSystemPod(
        {
          name: `kube-proxy-${rand.suffix(5)}`,
          container: 'kube-proxy',
          namespace: 'kube-system',
          labels: { 'controller-revision-hash': dsHash, 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
          image: `registry.k8s.io/kube-proxy:${version}`,
          node: n,
          hostNetwork: true,
          owner: dsOwner,
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
          command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
          serviceAccountName: 'kube-proxy',
        },
        rand,
      ),
    );
  }
  return pods;
}

/**
 * kube-proxy's DaemonSet as kubeadm creates it (cmd/kubeadm/app/phases/addons/proxy/manifests.go),
 * with the uid its pods' owner references name; the pods carry its revision's hash.
 */
export function createKubeProxy(state: State, cfg: ClusterConfig, pods: KObject[]): void {
  const proxies = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy');
  const labels = { 'k8s-app': 'kube-proxy' };
  const ds: KObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { ...labels }, generation: 1 },
    spec: {
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [
            {
              name: 'kube-proxy',
              image: `registry.k8s.io/kube-proxy:${cfg.kubernetesVersion}`,
              imagePullPolicy: 'IfNotPresent',
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
            },
          ],
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          tolerations: [{ operator: 'Exists' }],
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
  };
  defaultDaemonSet(ds);
  const uid = proxies[0]?.metadata.ownerReferences?.[0]?.uid;
  const stored = state.add(ds, uid);
  const hash = daemonSetHash(ds);
  // its first ControllerRevision, as the daemon controller's constructHistory makes it
  addFirstRevision(state, stored);
  // each pod as the daemon controller makes it (labels, node affinity, tolerations, priority), on its node
  for (const p of proxies) {
    const made = newPod(ds, p.spec.nodeName, hash);
    p.metadata.labels = made.metadata.labels;
    p.spec = { ...made.spec, nodeName: p.spec.nodeName };
  }
}

/**
 * CoreDNS as kubeadm deploys it: a Deployment, its ReplicaSet and two pods, which kubeadm's first
 * node (the control plane) hosts. Made through the registry so they are ordinary, adoptable objects.
 */
function createCoreDNS(state: State, controlPlane: string): void {
  const hash = '668d6bf9bc';
  const labels = { 'k8s-app': 'kube-dns' };
  const template = {
    metadata: { labels },
    spec: {
      containers: [
        {
          name: 'coredns',
          image: 'registry.k8s.io/coredns/coredns:v1.11.3',
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { containerPort: 53, name: 'dns', protocol: 'UDP' },
            { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
            { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
          ],
          resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        },
      ],
      dnsPolicy: 'Default',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'coredns',
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
      ],
    },
  };
  const deploy = createObject(state, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas: 2, selector: { matchLabels: labels }, template },
  });
  const hashed = JSON.parse(JSON.stringify(deploy.spec.template));
  hashed.metadata.labels = { ...labels, 'pod-template-hash': hash };
  const rs = createObject(state, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `coredns-${hash}`,
      namespace: 'kube-system',
      labels: hashed.metadata.labels,
      annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3', 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'Deployment', name: 'coredns', uid: deploy.metadata.uid as string }],
    },
    spec: { replicas: 2, selector: { matchLabels: hashed.metadata.labels }, template: hashed },
  });
  for (let i = 0; i < 2; i++) {
    const tmpl = JSON.parse(JSON.stringify(rs.spec.template));
    delete tmpl.metadata.creationTimestamp;
    createObject(state, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...tmpl.metadata,
        name: `coredns-${hash}-${state.rand.suffix(5)}`,
        namespace: 'kube-system',
        ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid as string }],
      },
      spec: { ...tmpl.spec, nodeName: controlPlane },
    });
  }
}

export interface InitOptions extends Partial<ClusterConfig> {
  seed?: string;
}

/** Writes a new cluster into the store (which the caller has locked). */
export function createCluster(store: Store, opts: InitOptions = {}): State {
  const seed = opts.seed ?? process.env.KUBESIM_SEED ?? `${Date.now()}-${process.pid}-${Math.random()}`;
  const config: ClusterConfig = { ...DEFAULT_CONFIG, ...stripUndefined(opts), seed, createdAt: rfc3339() };
  const file: ClusterFile = { formatVersion: FORMAT_VERSION, config, rand: Rand.fromSeed(seed).s, resourceVersion: 0, generation: 0, shards: {}, garbage: [], upgrades: [...UPGRADES] };
  const state = new State(store, file);
  state.initIndexes();
  const names = nodeNames(config.nodes);
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) state.add(makeNamespace(ns));
  names.forEach((n, i) => state.add(makeNode(config, i, n, state.rand)));
  createSystemServiceAccounts(state);

  const kubernetes = kubernetesService(config);
  const kubeDNS: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: dnsServiceIP(config),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      type: 'ClusterIP',
    },
  };
  for (const svc of [kubernetes, kubeDNS]) {
    defaultService(svc);
    const errs = createService(state, svc);
    if (errs) throw errs;
  }
  state.add(apiserverEndpoints(config));
  state.add(apiserverSlice(config));
  // the apiserver makes them at start-up, before any pod names one
  ensureSystemPriorityClasses(state);
  const pods = systemPods(config, names, state.rand);
  createKubeProxy(state, config, pods);
  for (const pod of pods) {
    defaultPod(pod);
    state.add(pod);
  }
  createCoreDNS(state, names[0]);
  ensureDefaultStorageClass(state);
  if (config.cni === 'flannel') installFlannel(state, config, names);
  ensureBootstrapPolicy(state);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (config.addons?.includes('ingress')) (require('./ingress') as typeof import('./ingress')).installIngress(state);
  // kubeadm pulls the control plane's images before it starts it, and every node has kube-proxy's
  // and CoreDNS's by the time the cluster is up: the system pods start at once
  for (const pod of state.list('Pod', 'kube-system')) {
    for (const n of pod.spec?.nodeName ? [pod.spec.nodeName] : names) for (const c of pod.spec.containers ?? []) keepImage(state, n, c.image, false);
  }
  reconcile(state);
  settleNodeImages(state, names);
  return state;
}

/**
 * Once the system pods are placed, each node holds the images of the pods that run there (CoreDNS's
 * only where CoreDNS runs) and the pause image, and its kubelet reports them in status.images.
 */
function settleNodeImages(state: State, names: string[]): void {
  const rt = state.runtime(true);
  const images: Record<string, Record<string, number>> = {};
  for (const n of names) images[n] = { [normalizeImage(PAUSE_IMAGE)]: 1 };
  for (const pod of state.listAll('Pod')) {
    const on = images[pod.spec?.nodeName ?? ''];
    if (on) for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) on[normalizeImage(c.image)] = 1;
  }
  rt.images = { ...rt.images, ...images };
  for (const n of names) publishNodeImages(state, n);
}

/** A healthy node's conditions as its kubelet posts them: type, status, reason, message. */
export const HEALTHY_NODE: [string, string, string, string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** kubeadm: the DNS service takes the tenth address of the service range. */
export function dnsServiceIP(cfg: ClusterConfig): string {
  return intToIp(parseCidr(cfg.serviceCIDR).base + 10);
}

/** The apiserver's own Service, default/kubernetes: the first usable address of the range (10.96.0.1). */
export function kubernetesService(cfg: ClusterConfig): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: intToIp(parseCidr(cfg.serviceCIDR).base + 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], type: 'ClusterIP' },
  };
}

/** Its Endpoints, which the apiserver itself keeps (not mirrored: it writes the slice too). */
export function apiserverEndpoints(cfg: ClusterConfig): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: nodeIP(cfg, 0) }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  };
}

export function apiserverSlice(cfg: ClusterConfig): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [nodeIP(cfg, 0)], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
