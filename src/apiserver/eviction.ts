// The pods/eviction subresource (kubernetes pkg/registry/core/pod/storage/eviction.go, 1.32): a
// graceful delete that first asks the pod's PodDisruptionBudget. A pod that is not running yet, has
// finished, or is already going is deleted at once; a pod no budget covers too. Otherwise the budget
// must allow a disruption: the handler spends it (disruptionsAllowed - 1, the pod noted in
// disruptedPods for the disruption controller) and deletes the pod, or refuses with 429.
import { forbiddenError, notFound, StatusError } from '../api/errors';
import { isPodReady } from '../api/podutil';
import { updateDisruptionAllowedCondition } from '../api/policy';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/workloads';
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { deleteObject } from './registry';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** MaxDisruptedPodSize: evictions the controller has not caught up with yet, per budget. */
const MAX_DISRUPTED_POD_SIZE = 2000;
const VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface EvictOptions {
  /** the Eviction's deleteOptions.gracePeriodSeconds */
  gracePeriodSeconds?: number;
  /** dryRun=All: every check, nothing written (the budget is not spent, the pod stays) */
  dryRun?: boolean;
}

/** An answer with a status code other than the reasons StatusError knows (429, 500). */
export class EvictionError extends StatusError {
  constructor(
    reason: string,
    public code: number,
    message: string,
    /** the DisruptionBudget cause's message */
    public cause?: string,
  ) {
    super(reason, message);
  }
}

/** canIgnorePDB: a pod that is not running (yet or any more), or already being deleted. */
function canIgnorePdb(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/** getPodDisruptionBudgets: the budgets of the pod's namespace whose (non-empty) selector matches it. */
function budgetsOf(state: State, pod: KObject): KObject[] {
  return state.list('PodDisruptionBudget', pod.metadata.namespace).filter((pdb) => {
    const sel: Obj | undefined = pdb.spec?.selector;
    // a nil or empty selector matches nothing here (unlike the controller's)
    if (!sel || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) return false;
    return selectorMatches(sel, pod.metadata.labels);
  });
}

/** checkAndDecrement: spends one disruption of the budget, or says why it cannot. */
function checkAndDecrement(state: State, podName: string, pdb: KObject, dryRun: boolean): void {
  const st: Obj = pdb.status ?? {};
  const res = lookupResource('poddisruptionbudgets')!;
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw new EvictionError('TooManyRequests', 429, VIOLATES, `The disruption budget ${pdb.metadata.name} is still being processed by the server.`);
  }
  if ((st.disruptionsAllowed ?? 0) < 0) throw forbiddenError(res, pdb.metadata.name, 'pdb disruptions allowed is negative');
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) throw forbiddenError(res, pdb.metadata.name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  if ((st.disruptionsAllowed ?? 0) === 0) {
    throw new EvictionError('TooManyRequests', 429, VIOLATES, `The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
  }
  if (dryRun) return;
  const upd = clone(pdb);
  const status: Obj = upd.status;
  status.disruptionsAllowed--;
  if (status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(status);
  // disruptedPods sits before disruptionsAllowed in the struct
  const disrupted = { ...(status.disruptedPods ?? {}), [podName]: rfc3339() };
  const { observedGeneration, ...rest } = status;
  delete rest.disruptedPods;
  upd.status = { ...(observedGeneration !== undefined ? { observedGeneration } : {}), disruptedPods: disrupted, ...rest };
  state.replace(upd);
}

/**
 * POST pods/NAME/eviction. Returns the pod as the delete left it (marked for deletion, or gone);
 * throws NotFound, a 429 (TooManyRequests) the client should retry, or the 500 of a pod two
 * budgets cover.
 */
export function evictPod(state: State, namespace: string, name: string, opts: EvictOptions = {}): KObject {
  const pods = lookupResource('pods')!;
  const pod = state.get('Pod', namespace, name);
  if (!pod) throw notFound(pods, name);
  const remove = () => (opts.dryRun ? pod : deleteObject(state, pods, namespace, name, 'background', opts.gracePeriodSeconds));
  if (canIgnorePdb(pod)) return remove();
  const pdbs = budgetsOf(state, pod);
  if (pdbs.length > 1) throw new EvictionError('InternalError', 500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  if (pdbs.length === 0) return remove();
  const pdb = pdbs[0];
  const st: Obj = pdb.status ?? {};
  // an unready pod does not count as healthy: taking it costs the budget nothing when it is met
  if (!isPodReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return remove();
    if ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0) return remove();
  }
  checkAndDecrement(state, name, pdb, !!opts.dryRun);
  return remove();
}
