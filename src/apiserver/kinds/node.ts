// core/v1 Node: cluster-scoped, its status the kubelet's (kept on update), and the columns of printNode.
import type { KObject } from '../../api/types';
import { nodeStatus } from '../../api/nodeutil';
import { nameIsDNSSubdomain } from '../../api/validation';
import { AGE, NAME } from '../columns';
import { defineKind, metaOnly, resource, type Column } from '../strategy';

/** findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted. */
export function nodeRoles(node: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((node.metadata.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(node: KObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: { type: string }) => x.type === type);
  // getNodeInternalIP: the first address of the type, empty when it has none
  return a ? String(a.address ?? '') : '<none>';
}
const unknown = (s: string | undefined) => (s ? s : '<unknown>');

const columns: Column[] = [
  NAME,
  { header: 'STATUS', cell: nodeStatus },
  { header: 'ROLES', cell: nodeRoles },
  AGE,
  { header: 'VERSION', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
  { header: 'INTERNAL-IP', wide: true, cell: (o) => nodeAddress(o, 'InternalIP') },
  { header: 'EXTERNAL-IP', wide: true, cell: (o) => nodeAddress(o, 'ExternalIP') },
  { header: 'OS-IMAGE', wide: true, cell: (o) => unknown(o.status?.nodeInfo?.osImage) },
  { header: 'KERNEL-VERSION', wide: true, cell: (o) => unknown(o.status?.nodeInfo?.kernelVersion) },
  { header: 'CONTAINER-RUNTIME', wide: true, cell: (o) => unknown(o.status?.nodeInfo?.containerRuntimeVersion) },
];

export default defineKind({
  resource: resource('Node', 'nodes', ['no'], '', 'v1', false),
  // a new node's status is its kubelet's first report; an update keeps the stored one
  keepStatusOnUpdate: true,
  validate: metaOnly(false, nameIsDNSSubdomain),
  // the garbage collector takes the node's lease, which the node owns
  afterDelete(state, node) {
    const lease = state.get('Lease', 'kube-node-lease', node.metadata.name);
    if (lease?.metadata.ownerReferences?.some((r) => r.uid === node.metadata.uid)) state.remove('Lease', 'kube-node-lease', node.metadata.name);
  },
  fields: { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  columns,
});
