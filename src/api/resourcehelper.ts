// A pod's requests and limits as one sum (k8s.io/component-helpers/resource helpers.go PodRequests
// and PodLimits, 1.32): the containers add up, init containers run one at a time so only the largest
// counts (a restartable "sidecar" init container stays, adding to everything after it), and the
// pod's overhead comes on top. kube-scheduler's NodeInfo and kubectl describe node both sum pods
// this way; limits with no requests were already copied into requests by the apiserver's defaulting
// (api/defaults.ts, SetDefaults_Pod), so they count here as requests.
import { addResourceList, maxResourceList, parseQuantity, toResourceList, type ResourceList } from './quantity';
import type { KObject } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface PodResourcesOptions {
  /**
   * kubectl's variant (kubectl pkg/util/resource podRequests): a container's request is the larger of
   * spec and status.containerStatuses[].allocatedResources. kube-scheduler 1.32 leaves it off
   * (InPlacePodVerticalScaling is alpha).
   */
  useStatusResources?: boolean;
  /**
   * PodResourcesOptions.NonMissingContainerRequests: a container that requests no cpu (memory) counts
   * as this much, so pods without requests still spread (schedutil DefaultMilliCPURequest 100m,
   * DefaultMemoryRequest 200Mi). Only for scoring.
   */
  nonMissing?: ResourceList;
}

/** schedutil.GetNonzeroRequests' defaults: 100m cpu and 200Mi memory for a container that sets none. */
export const NON_ZERO_DEFAULTS: ResourceList = new Map([
  ['cpu', parseQuantity('100m')!],
  ['memory', parseQuantity('200Mi')!],
]);

function containerRequests(c: Json, status: Json | undefined, opts: PodResourcesOptions): ResourceList {
  const own = toResourceList(c.resources?.requests);
  if (opts.useStatusResources && status?.allocatedResources) maxResourceList(own, toResourceList(status.allocatedResources));
  if (opts.nonMissing) for (const [n, q] of opts.nonMissing) if (!own.has(n)) own.set(n, q);
  return own;
}

/** AggregateContainerRequests/Limits: containers summed, then the max with each init container's need. */
function aggregate(pod: Json, own: (c: Json) => ResourceList): ResourceList {
  const total: ResourceList = new Map();
  for (const c of (pod.spec?.containers ?? []) as Json[]) addResourceList(total, own(c));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of (pod.spec?.initContainers ?? []) as Json[]) {
    const r = own(c);
    let need: ResourceList;
    if (c.restartPolicy === 'Always') {
      // a sidecar runs for the pod's lifetime: it adds to the total and to every later init container
      addResourceList(total, r);
      addResourceList(sidecars, r);
      need = new Map(sidecars);
    } else {
      need = new Map();
      addResourceList(need, r);
      addResourceList(need, sidecars);
    }
    maxResourceList(initMax, need);
  }
  maxResourceList(total, initMax);
  return total;
}

/** PodRequests: what the scheduler reserves on a node for this pod (and describe node's requests). */
export function podRequests(pod: KObject, opts: PodResourcesOptions = {}): ResourceList {
  const statuses = new Map<string, Json>();
  if (opts.useStatusResources) for (const cs of (pod.status?.containerStatuses ?? []) as Json[]) statuses.set(cs.name, cs);
  const total = aggregate(pod, (c) => containerRequests(c, statuses.get(c.name), opts));
  addResourceList(total, toResourceList(pod.spec?.overhead));
  return total;
}

/** PodLimits: limits summed the same way; overhead adds only to limits that are set and not zero. */
export function podLimits(pod: KObject): ResourceList {
  const total = aggregate(pod, (c) => toResourceList(c.resources?.limits));
  for (const [n, q] of toResourceList(pod.spec?.overhead)) if (total.get(n)?.nanos) addResourceList(total, new Map([[n, q]]));
  return total;
}
