// `cluster init --cni flannel`: what `kubectl apply -f kube-flannel.yml` (flannel-io/flannel v0.26.x,
// Documentation/kube-flannel.yml) creates — the kube-flannel namespace, the flannel ServiceAccount,
// the kube-flannel-cfg ConfigMap (net-conf.json's Network is the cluster's pod CIDR) and the
// kube-flannel-ds DaemonSet, whose controller then runs one pod per node, and the ClusterRole and
// ClusterRoleBinding `flannel` once kubesim serves the RBAC kinds.
import { resourceForKind } from '../api/resources';
import type { KObject } from '../api/types';
import { createObject } from '../apiserver/registry';
import { keepImage } from '../controllers/kubelet/imagestore';
import type { State } from '../store/state';
import { clone } from '../util/compare';
import type { ClusterConfig } from './config';

export const FLANNEL_NAMESPACE = 'kube-flannel';
export const FLANNEL_IMAGE = 'docker.io/flannel/flannel:v0.26.4';
export const FLANNEL_CNI_PLUGIN_IMAGE = 'docker.io/flannel/flannel-cni-plugin:v1.6.2-flannel1';

const NODE_LABELS = { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' };

const CNI_CONF = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

const netConf = (podCIDR: string) => `{
  "Network": "${podCIDR}",
  "EnableNFTables": false,
  "Backend": {
    "Type": "vxlan"
  }
}
`;

function daemonSet(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-flannel-ds', namespace: FLANNEL_NAMESPACE, labels: { ...NODE_LABELS } },
    spec: {
      selector: { matchLabels: { app: 'flannel', 'k8s-app': 'flannel' } },
      template: {
        metadata: { labels: { ...NODE_LABELS } },
        spec: {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } },
          containers: [
            {
              name: 'kube-flannel',
              image: FLANNEL_IMAGE,
              command: ['/opt/bin/flanneld'],
              args: ['--ip-masq', '--kube-subnet-mgr'],
              env: [
                // fieldRef.apiVersion as SetDefaults_ObjectFieldSelector stores it
                { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
                { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
                { name: 'CONT_WHEN_CACHE_NOT_READY', value: 'false' },
              ],
              resources: { requests: { cpu: '100m', memory: '50Mi' } },
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] }, privileged: false },
              volumeMounts: [
                { mountPath: '/run/flannel', name: 'run' },
                { mountPath: '/etc/kube-flannel/', name: 'flannel-cfg' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
              ],
            },
          ],
          hostNetwork: true,
          initContainers: [
            {
              name: 'install-cni-plugin',
              image: FLANNEL_CNI_PLUGIN_IMAGE,
              command: ['cp'],
              args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
              volumeMounts: [{ mountPath: '/opt/cni/bin', name: 'cni-plugin' }],
            },
            {
              name: 'install-cni',
              image: FLANNEL_IMAGE,
              command: ['cp'],
              args: ['-f', '/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
              volumeMounts: [
                { mountPath: '/etc/cni/net.d', name: 'cni' },
                { mountPath: '/etc/kube-flannel/', name: 'flannel-cfg' },
              ],
            },
          ],
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'flannel',
          tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
          volumes: [
            { name: 'run', hostPath: { path: '/run/flannel' } },
            { name: 'cni-plugin', hostPath: { path: '/opt/cni/bin' } },
            { name: 'cni', hostPath: { path: '/etc/cni/net.d' } },
            { name: 'flannel-cfg', configMap: { name: 'kube-flannel-cfg' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
          ],
        },
      },
    },
  };
}

/** Applies the flannel manifest's objects; the caller's reconcile lets the DaemonSet controller make the pods. */
export function installFlannel(state: State, cfg: ClusterConfig, nodes: string[]): void {
  createObject(state, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: FLANNEL_NAMESPACE, labels: { 'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged' } },
  });
  createObject(state, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: FLANNEL_NAMESPACE, labels: { 'k8s-app': 'flannel' } } });
  createObject(state, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-flannel-cfg', namespace: FLANNEL_NAMESPACE, labels: { ...NODE_LABELS } },
    data: { 'cni-conf.json': CNI_CONF, 'net-conf.json': netConf(cfg.podCIDR) },
  });
  if (resourceForKind('rbac.authorization.k8s.io/v1', 'ClusterRole')) {
    createObject(state, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'flannel', labels: { 'k8s-app': 'flannel' } },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      ],
    });
    createObject(state, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'flannel', labels: { 'k8s-app': 'flannel' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' },
      subjects: [{ kind: 'ServiceAccount', name: 'flannel', namespace: FLANNEL_NAMESPACE }],
    });
  }
  createObject(state, daemonSet());
  // what flanneld's kube subnet manager writes on its node once it runs (pkg/subnet/kube): the vxlan
  // device's VNI and (random, locally administered) MAC, and the node's public address
  for (const node of state.list('Node')) {
    const upd = clone(node);
    const b = state.rand.hex(12).match(/../g)!.map((x) => parseInt(x, 16));
    b[0] = (b[0] | 0x02) & 0xfe;
    const mac = b.map((x) => x.toString(16).padStart(2, '0')).join(':');
    upd.metadata.annotations = {
      ...upd.metadata.annotations,
      'flannel.alpha.coreos.com/backend-data': JSON.stringify({ VNI: 1, VtepMAC: mac }),
      'flannel.alpha.coreos.com/backend-type': 'vxlan',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': (node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '',
    };
    state.replace(upd);
  }
  // the node images were pulled while the cluster came up: flannel runs before any workload can
  // (cluster init publishes the nodes' image lists once its pods are placed)
  for (const n of nodes) for (const image of [FLANNEL_IMAGE, FLANNEL_CNI_PLUGIN_IMAGE]) keepImage(state, n, image, false);
}
