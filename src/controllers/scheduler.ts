// kube-scheduler, reduced to what a lab shows: filter nodes (Ready, schedulable, taints tolerated,
// nodeSelector, nodeName), then spread by picking the least-loaded node (ties broken by the seeded
// generator), and record Scheduled / FailedScheduling events.
import { cmp } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nodeStatus } from '../api/nodeutil';
import { recordEvent } from './events';
import { rfc3339 } from '../util/clock';
import { isActivePod } from '../api/podutil';
import { computePodQOS } from '../api/qos';

interface Taint { key: string; value?: string; effect: string }
interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}


function whyNot(node: KObject, pod: KObject): string | undefined {
  if (nodeStatus(node).startsWith('NotReady') || nodeStatus(node) === 'Unknown') return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
  if (node.spec?.unschedulable) return 'node(s) were unschedulable';
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  for (const taint of (node.spec?.taints ?? []) as Taint[]) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerates(tolerations, taint)) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  const sel: Record<string, string> = pod.spec?.nodeSelector ?? {};
  for (const [k, v] of Object.entries(sel)) if (node.metadata.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}


export function schedule(state: State, since = 0): void {
  // pods that may be waiting for a node: those changed since the last pass, or all when a node changed
  const pending = state.podsToVisit(since).filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && isActivePod(p));
  if (pending.length === 0) return;
  const nodes = state.list('Node').sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  // the active pods on each node, from the index rather than every pod of the cluster (the scheduler's cache)
  const onNode = state.index('pods-by-node').groups();
  const load = new Map<string, number>(nodes.map((n) => [n.metadata.name, onNode.get(n.metadata.name)?.size ?? 0]));
  pending.sort((a, b) => cmp((a.metadata.creationTimestamp ?? ''), b.metadata.creationTimestamp ?? '') || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  for (const pod of pending) {
    const reasons = new Map<string, number>();
    const fit: KObject[] = [];
    for (const n of nodes) {
      const why = whyNot(n, pod);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else fit.push(n);
    }
    if (fit.length === 0) {
      // FitError.Error(): "<count> <reason>" strings, sorted as strings
      const detail = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort().join(', ');
      const msg = `0/${nodes.length} nodes are available: ${detail}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const cond = { lastProbeTime: null, lastTransitionTime: rfc3339(), message: msg, reason: 'Unschedulable', status: 'False', type: 'PodScheduled' };
      const old = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
      if (old && old.message === msg) continue;
      // a new object with the changed parts copied (replace() sets its resourceVersion): the
      // stored one is never written through
      const upd = { ...pod, metadata: { ...pod.metadata }, status: { phase: 'Pending', conditions: [cond], qosClass: pod.status?.qosClass ?? computePodQOS(pod) } };
      state.replace(upd);
      recordEvent(state, upd, 'Warning', 'FailedScheduling', msg, { component: 'default-scheduler' });
      continue;
    }
    const least = Math.min(...fit.map((n) => load.get(n.metadata.name) ?? 0));
    const best = fit.filter((n) => (load.get(n.metadata.name) ?? 0) === least);
    const node = best[state.rand.int(best.length)];
    const upd = { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec, nodeName: node.metadata.name } };
    load.set(node.metadata.name, least + 1);
    state.replace(upd);
    recordEvent(state, upd, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`, { component: 'default-scheduler' });
  }
}

