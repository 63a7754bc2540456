// The node lifecycle controller and the kubelet's part in node failure. A node whose kubelet stopped
// (`kubesim node stop`) is tainted unreachable; its pods are marked not ready (so endpoints drop
// them) and, unless they tolerate the taint for good (DaemonSet and static pods do), evicted: marked
// for deletion, so their controllers create replacements elsewhere. Kubernetes waits the pods'
// 300 s tolerationSeconds first; kubesim evicts at once so labs need not wait. They stay
// Terminating until the node is back, when its kubelet finishes deleting them.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { isNodeReady } from '../api/nodeutil';
import { isPodReady } from '../api/podutil';
import { recordEvent } from './events';
import { isActivePod } from '../api/podutil';

export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Tolerates the unreachable NoExecute taint without a time limit. */
function staysOnUnreachable(pod: KObject): boolean {
  if ((pod.metadata.ownerReferences ?? []).some((o: { kind: string }) => o.kind === 'Node' || o.kind === 'DaemonSet')) return true;
  return ((pod.spec?.tolerations ?? []) as Toleration[]).some(
    (t) => (t.operator === 'Exists' && !t.key ? true : t.key === UNREACHABLE) && (!t.effect || t.effect === 'NoExecute') && t.tolerationSeconds === undefined,
  );
}

function setPodNotReady(pod: KObject, now: string): KObject {
  const upd = clone(pod);
  for (const c of upd.status?.conditions ?? []) {
    if (c.type === 'Ready' && c.status !== 'False') {
      c.status = 'False';
      c.lastTransitionTime = now;
      delete c.reason;
      delete c.message;
    }
  }
  return upd;
}

/**
 * The pods to look at: every pod when a node changed (it may have gone or come back); otherwise
 * the pods changed since the last pass and the pods on nodes that are not ready (from the index).
 */
function candidates(state: State, since: number, nodes: KObject[]): KObject[] {
  const onNotReady = nodes.filter((n) => !isNodeReady(n)).flatMap((n) => [...state.index('pods-by-node').members(n.metadata.name).keys()]);
  return state.podsToVisit(since, onNotReady);
}

export function syncNodeLifecycle(state: State, since = 0): void {
  const nodes = state.list('Node');
  const byNode = new Map<string, KObject[]>();
  for (const p of candidates(state, since, nodes)) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    if (!byNode.has(n)) byNode.set(n, []);
    byNode.get(n)!.push(p);
  }
  const now = rfc3339();
  for (const node of nodes) {
    const ready = isNodeReady(node);
    const pods = byNode.get(node.metadata.name) ?? [];
    for (const pod of pods) {
      // a Ready node's kubelet finishes what was marked for deletion (while it was away too)
      if (ready) continue;
      if (!isActivePod(pod)) continue;
      const upd = setPodNotReady(pod, now);
      if (isPodReady(pod)) recordEvent(state, pod, 'Warning', 'NodeNotReady', 'Node is not ready', { component: 'node-controller' });
      if (!pod.metadata.deletionTimestamp && !staysOnUnreachable(pod)) {
        // the eviction is a graceful delete: deletionTimestamp is the end of the grace period
        upd.metadata.deletionTimestamp = rfc3339(nowMs() + 30_000);
        upd.metadata.deletionGracePeriodSeconds = 30;
        if (state.replace(upd)) {
          recordEvent(state, state.get('Pod', pod.metadata.namespace, pod.metadata.name)!, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, { component: 'taint-eviction-controller' });
        }
        continue;
      }
      state.replace(upd);
    }
  }
}
