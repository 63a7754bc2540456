// A pod's QoS class, one port of Kubernetes' rule (pkg/apis/core/helper/qos ComputePodQOS and
// GetPodQOS) for the scheduler, the kubelet and describe: quantities compare by value, so requests
// cpu "1" and limits cpu "1000m" are equal (Guaranteed).
import { addResourceList, cmpQuantity, toResourceList, type ResourceList } from './quantity';
import type { KObject } from './types';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const QOS_RESOURCES = ['cpu', 'memory'];

/** cpu and memory entries with a positive value (qos processResourceList) */
function qosResources(raw: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [n, q] of toResourceList(raw as Record<string, string>)) if (QOS_RESOURCES.includes(n) && q.nanos > 0n) out.set(n, q);
  return out;
}

/** Sums the QoS-relevant requests and limits; false when some limits lack cpu or memory. */
function collectQOS(pod: KObject, requests: ResourceList, limits: ResourceList): boolean {
  let guaranteed = true;
  // pod-level resources, when set, decide alone (PodLevelResources)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const sources: any[] = pod.spec?.resources ? [pod.spec] : [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const src of sources) {
    addResourceList(requests, qosResources(src.resources?.requests));
    const lim = qosResources(src.resources?.limits);
    addResourceList(limits, lim);
    const hasLimits = Object.keys(src.resources?.limits ?? {}).length > 0;
    if ((src !== pod.spec || hasLimits) && !QOS_RESOURCES.every((n) => lim.has(n))) guaranteed = false;
  }
  return guaranteed;
}

/** ComputePodQOS: BestEffort, Guaranteed or Burstable from the containers' requests and limits. */
export function computePodQOS(pod: KObject): string {
  const requests: ResourceList = new Map();
  const limits: ResourceList = new Map();
  let guaranteed = collectQOS(pod, requests, limits);
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  for (const [n, req] of requests) {
    const lim = limits.get(n);
    if (!lim || cmpQuantity(lim, req) !== 0) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** qos.GetPodQOS: status.qosClass when set, else ComputePodQOS. */
export function podQOS(pod: KObject): string {
  return str(pod.status?.qosClass) !== '' ? pod.status.qosClass : computePodQOS(pod);
}
