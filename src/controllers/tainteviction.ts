// The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go): a pod on a node
// with a NoExecute taint it does not tolerate is deleted at once; one that tolerates every such
// taint for a while (tolerationSeconds) is deleted when the shortest of those times has passed on
// the simulated clock, counted from when the controller first saw it (as the taint manager's
// timed worker does); a toleration without tolerationSeconds keeps the pod. Before deleting it adds
// the DisruptionTarget condition and records TaintManagerEviction. The node lifecycle controller's
// own not-ready/unreachable taints are left to it (nodelifecycle.ts).
import type { KObject } from '../api/types';
import { resourceByKind } from '../api/resources';
import { deleteObject } from '../apiserver/registry';
import { isActivePod } from '../api/podutil';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { recordEvent } from './events';
import { UNREACHABLE } from './nodelifecycle';
import { tolerates, type Taint, type Toleration } from './schedplugins';
import { dueTimers, timerOf, wakeAt } from './timers';

const KIND = 'TaintEviction';
const LIFECYCLE_TAINTS = new Set([UNREACHABLE, 'node.kubernetes.io/not-ready']);


const noExecute = (node: KObject): Taint[] => ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute' && !LIFECYCLE_TAINTS.has(t.key));

/**
 * getMatchingTolerations + getMinTolerationTime: undefined when a taint is not tolerated, Infinity
 * when the pod may stay for good, else the seconds it may stay.
 */
function tolerationTime(pod: KObject, taints: Taint[]): number | undefined {
  const tolerations = (pod.spec?.tolerations ?? []) as Toleration[];
  let min = Infinity;
  for (const taint of taints) {
    const used = tolerations.filter((t) => tolerates([t], taint));
    if (used.length === 0) return undefined;
    for (const t of used) if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) min = Math.min(min, Math.max(0, t.tolerationSeconds));
  }
  return min;
}

function evict(state: State, pod: KObject): void {
  const upd = clone(pod);
  const conditions = ((upd.status ??= {}).conditions ??= []) as { type: string }[];
  if (!conditions.some((c) => c.type === 'DisruptionTarget')) {
    conditions.push({ lastProbeTime: null, lastTransitionTime: rfc3339(), message: 'Taint manager: deleting due to NoExecute taint', reason: 'DeletionByTaintManager', status: 'True', type: 'DisruptionTarget' } as { type: string });
  }
  state.replace(upd);
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  recordEvent(state, state.get('Pod', ns, name)!, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`, { component: 'taint-eviction-controller' });
  deleteObject(state, resourceByKind('Pod'), ns, name);
}

export function syncTaintEviction(state: State): void {
  const now = nowMs();
  const due = new Set(dueTimers(state, KIND, now).map(([ns, name]) => `${ns}/${name}`));
  const tainted = new Map(state.list('Node').map((n) => [n.metadata.name, noExecute(n)] as const).filter(([, t]) => t.length > 0));
  if (tainted.size === 0 && due.size === 0) return;
  // the pods in scope (every namespace when a node changed) and those whose time has come
  const pods = new Map(state.list('Pod').map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  for (const key of due) {
    const [ns, name] = key.split('/');
    const p = state.get('Pod', ns, name);
    if (p) pods.set(key, p);
  }
  for (const pod of pods.values()) {
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name;
    const taints = tainted.get(pod.spec?.nodeName ?? '');
    const waiting = timerOf(state, KIND, ns, name) !== undefined || due.has(`${ns}/${name}`);
    if (!taints || pod.metadata.deletionTimestamp || !isActivePod(pod) || (pod.metadata.ownerReferences ?? []).some((o: { kind: string }) => o.kind === 'Node')) {
      // the taint went away (or the pod did): the pending eviction is cancelled
      if (waiting) wakeAt(state, KIND, ns, name, undefined);
      continue;
    }
    const seconds = tolerationTime(pod, taints);
    if (seconds === Infinity) {
      if (waiting) wakeAt(state, KIND, ns, name, undefined);
      continue;
    }
    if (seconds === undefined || seconds === 0 || due.has(`${ns}/${name}`)) {
      wakeAt(state, KIND, ns, name, undefined);
      evict(state, pod);
      continue;
    }
    if (!waiting) wakeAt(state, KIND, ns, name, now + seconds * 1000);
  }
}
