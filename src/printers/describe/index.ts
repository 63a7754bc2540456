// kubectl describe (kubectl 1.32 pkg/describe/describe.go): for each kind, what its describer fetches
// and the pure function from those objects to the exact text kubectl prints. A kind without a
// describer of its own gets the generic one, as in kubectl's describerMap / GenericDescriberFor.
import { isActivePod, ownedBy } from '../../api/podutil';
import type { KObject } from '../../api/types';
import { SERVICE_NAME_LABEL } from '../../controllers/endpoints';
import { describeService } from './service';
import { describeNode } from './node';
import { describePod } from './pod';
import { describeEndpoints } from './endpoints';
import { describeEndpointSlice } from './endpointslice';
import { describeNamespace } from './namespace';
import { describeDeployment, describeReplicaSet } from './workloads';
import { describeDaemonSet } from './daemonset';
import { describeStatefulSet } from './statefulset';
import { describeGeneric } from './generic';
import { describeServiceAccount, secretsOf } from './serviceaccount';
import { describeConfigMap, describeSecret } from './configdata';
import { describeCronJob, describeJob } from './batch';
import { describeLimitRange, describeResourceQuota } from './quota';
import { describePodDisruptionBudget } from './policy';
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass, podsForClaim } from './storage';
import { describeHPA } from './hpa';
import { describeNetworkPolicy } from './networkpolicy';
import { describeBinding, describeRole } from './rbac';
import { describeIngress, describeIngressClass } from './ingress';
import { describePriorityClass } from './priorityclass';

export { describeService, describeNode, describePod, describeEndpoints, describeEndpointSlice, describeNamespace, describeDeployment, describeReplicaSet, describeGeneric };
export { smartLabelFor, camelSplit } from './generic';

/** What a describer may read: the cluster's objects, as the API lists them (the server's order). */
export interface DescribeReader {
  /** the objects of a kind in a namespace (undefined: every namespace) */
  list(kind: string, namespace?: string): KObject[];
  /** one object, or undefined */
  find(kind: string, namespace: string | undefined, name: string): KObject | undefined;
}

/** searchEvents: the events whose involvedObject is this object (by uid; a Node's by kind and name). */
export function eventsFor(read: DescribeReader, obj: KObject): KObject[] {
  if (obj.kind === 'Node') return read.list('Event', 'default').filter((e) => e.involvedObject?.kind === 'Node' && e.involvedObject?.name === obj.metadata.name);
  return read.list('Event', obj.metadata.namespace || 'default').filter((e) => e.involvedObject?.uid === obj.metadata.uid);
}

const byCreation = (a: KObject, b: KObject) =>
  Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '') || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

/** The template without the pod-template-hash label: what makes a ReplicaSet the Deployment's new one. */
function templateKey(t: KObject | undefined): string {
  const copy = JSON.parse(JSON.stringify(t ?? {}));
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return JSON.stringify(copy, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
}

type Describer = (obj: KObject, read: DescribeReader, events: KObject[]) => string;

const DESCRIBERS: Record<string, Describer> = {
  Service: (svc, read, events) =>
    describeService(svc, read.list('EndpointSlice', svc.metadata.namespace).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name), events),
  Pod: (pod, _read, events) => describePod(pod, events),
  Node: (node, read, events) =>
    describeNode(
      node,
      read.list('Pod').filter((p) => p.spec?.nodeName === node.metadata.name && isActivePod(p)),
      events,
      read.find('Lease', 'kube-node-lease', node.metadata.name),
    ),
  Endpoints: (ep, _read, events) => describeEndpoints(ep, events),
  EndpointSlice: (slice, _read, events) => describeEndpointSlice(slice, events),
  Namespace: (ns, read) => describeNamespace(ns, read.list('ResourceQuota', ns.metadata.name), read.list('LimitRange', ns.metadata.name)),
  ConfigMap: (cm, _read, events) => describeConfigMap(cm, events),
  Secret: (secret) => describeSecret(secret),
  // deploymentutil.GetAllReplicaSets: the sets it controls, oldest first; the new one is the oldest
  // whose template equals the Deployment's (pod-template-hash aside); every other one is old, even at 0
  Deployment: (d, read, events) => {
    const sets = read.list('ReplicaSet', d.metadata.namespace).filter((rs) => ownedBy(rs, d)).sort(byCreation);
    const want = templateKey(d.spec?.template);
    const newRS = sets.find((rs) => templateKey(rs.spec?.template) === want);
    return describeDeployment(d, newRS, sets.filter((rs) => rs !== newRS), events);
  },
  ServiceAccount: (sa, read, events) => describeServiceAccount(sa, secretsOf(read, sa.metadata.namespace as string), events),
  ReplicaSet: (rs, read, events) => describeReplicaSet(rs, read.list('Pod', rs.metadata.namespace).filter((p) => ownedBy(p, rs)), events),
  Job: (job, _read, events) => describeJob(job, events),
  CronJob: (cj, _read, events) => describeCronJob(cj, events),
  ResourceQuota: (rq) => describeResourceQuota(rq),
  LimitRange: (lr) => describeLimitRange(lr),
  HorizontalPodAutoscaler: (hpa, _read, events) => describeHPA(hpa, events),
  DaemonSet: (ds, read, events) => describeDaemonSet(ds, read.list('Pod', ds.metadata.namespace).filter((p) => ownedBy(p, ds)), events),
  PodDisruptionBudget: (pdb, _read, events) => describePodDisruptionBudget(pdb, events),
  StatefulSet: (sts, read, events) => describeStatefulSet(sts, read.list('Pod', sts.metadata.namespace).filter((p) => ownedBy(p, sts)), events),
  PersistentVolume: (pv, _read, events) => describePersistentVolume(pv, events),
  PersistentVolumeClaim: (pvc, read, events) => describePersistentVolumeClaim(pvc, podsForClaim(read.list('Pod', pvc.metadata.namespace), pvc), events),
  StorageClass: (sc, _read, events) => describeStorageClass(sc, events),
  NetworkPolicy: (np) => describeNetworkPolicy(np),
  Role: (role) => describeRole(role),
  ClusterRole: (role) => describeRole(role),
  RoleBinding: (b) => describeBinding(b),
  ClusterRoleBinding: (b) => describeBinding(b),
  Ingress: (ing, read, events) =>
    describeIngress(
      ing,
      {
        service: (name) => read.find('Service', ing.metadata.namespace, name),
        slices: (name) => read.list('EndpointSlice', ing.metadata.namespace).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name),
      },
      events,
    ),
  IngressClass: (ic, _read, events) => describeIngressClass(ic, events),
  PriorityClass: (pc, _read, events) => describePriorityClass(pc, events),
};

/** The describer's fetch, then its pure function of the objects fetched. */
export function describeObject(obj: KObject, read: DescribeReader): string {
  const events = eventsFor(read, obj);
  const describer = DESCRIBERS[obj.kind];
  return describer ? describer(obj, read, events) : describeGeneric(obj, events);
}
