// kubesim's `node stop` / `node start`: a node's kubelet stops or starts. Stopped, it no longer
// posts status: the node lifecycle controller sees its conditions Unknown ("Kubelet stopped posting
// node status.") and taints it unreachable; its lease stops renewing. Started, it reports Ready.
import { CliError } from '../api/errors';
import { setTaints } from '../api/nodeutil';
import type { KObject } from '../api/types';
import { HEALTHY_NODE } from '../cluster/bootstrap';
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { recordEvent } from './events';
import { UNREACHABLE } from './nodelifecycle';

/** false when the kubelet already was in that state. */
export function setKubeletRunning(state: State, node: KObject, start: boolean): boolean {
  const isControlPlane = Object.keys(node.metadata.labels ?? {}).includes('node-role.kubernetes.io/control-plane');
  if (!start && isControlPlane) {
    throw new CliError(`error: ${node.metadata.name} runs the control plane (the API server, etcd, CoreDNS); stopping it would stop the cluster itself. Stop a worker node instead.`, true);
  }
  const upd = clone(node);
  const now = rfc3339();
  const ready = (upd.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if ((ready?.status === 'True') === start) return false;
  for (const c of upd.status?.conditions ?? []) {
    if (start) {
      const healthy = HEALTHY_NODE.find(([type]) => type === c.type);
      if (healthy) [, c.status, c.reason, c.message] = healthy;
    } else {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
    }
    c.lastTransitionTime = now;
    c.lastHeartbeatTime = now;
  }
  setTaints(upd, UNREACHABLE, start ? [] : ['NoSchedule', 'NoExecute'], now);
  state.replace(upd);
  const stored = state.get('Node', undefined, node.metadata.name)!;
  if (start) {
    const kubelet = { component: 'kubelet', host: node.metadata.name };
    recordEvent(state, stored, 'Normal', 'Starting', 'Starting kubelet.', kubelet);
    recordEvent(state, stored, 'Normal', 'NodeReady', `Node ${node.metadata.name} status is now: NodeReady`, kubelet);
  } else {
    recordEvent(state, stored, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, { component: 'node-controller' });
  }
  return true;
}
