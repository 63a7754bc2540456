// The kubelet's node lease (k8s.io/component-helpers apimachinery/lease controller.go, as the kubelet
// runs it): kube-node-lease/<node>, held by the node, 40 s long, renewed every 10 s of simulated
// time while the kubelet runs, owned by the Node. A stopped node's lease stops renewing.
import { isNodeReady } from '../api/nodeutil';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs } from '../util/clock';
import { clone } from '../util/compare';
import { Rand } from '../util/rand';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;
/** nodeLeaseRenewIntervalFraction (0.25) of the duration */
const RENEW_INTERVAL_MS = (LEASE_DURATION_SECONDS * 1000) / 4;

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function newLease(node: KObject, now: number): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: NODE_LEASE_NAMESPACE,
      // SetNodeOwnerFunc: the Node owns it, without controller or blockOwnerDeletion
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid as string }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}

/**
 * Creates each running node's lease when it has none, and renews it when the renew interval has
 * passed. The lease's uid comes from the node's, so adding leases leaves the seeded choices of
 * everything else as they were.
 */
export function syncNodeLeases(state: State): void {
  const now = nowMs();
  for (const node of state.list('Node')) {
    if (!isNodeReady(node)) continue; // the kubelet is down: no renewals
    const lease = state.get('Lease', NODE_LEASE_NAMESPACE, node.metadata.name);
    if (!lease) {
      if (state.get('Namespace', undefined, NODE_LEASE_NAMESPACE)) state.add(newLease(node, now), Rand.fromSeed(`${node.metadata.uid}/lease`).uuid());
      continue;
    }
    const renewed = Date.parse(lease.spec?.renewTime ?? '');
    if (Number.isFinite(renewed) && now - renewed < RENEW_INTERVAL_MS) continue;
    const upd = clone(lease);
    upd.spec = { ...(upd.spec ?? {}), renewTime: microTime(now) };
    state.replace(upd);
  }
}
