// The cluster map as data (issue 19): nodes, the pods on them, Services and the endpoints they
// select, ownership and events, JSON-serialisable and in a stable order. The dashboard fetches it
// and `kubesim graph` prints it. Each field says what kubectl prints for the same object: the
// STATUS, READY and RESTARTS of a pod are printPod's (apiserver/kinds/pod.ts), a node's STATUS and
// ROLES printNode's, a Service's endpoints those of its EndpointSlices (kube-proxy's view).
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { parseSelector, matches, type Selector } from '../api/labels';
import { nodeStatus } from '../api/nodeutil';
import { eventTime, sortEvents } from '../api/events';
import { podStatusCells } from '../apiserver/kinds/pod';
import { nodeRoles } from '../apiserver/kinds/node';
import { servicePorts } from '../apiserver/kinds/service';
import { clientOf } from '../apiserver/client';
import { resourceByKind } from '../api/resources';
import { SERVICE_NAME_LABEL } from '../controllers/endpoints';
import { cmp } from '../util/compare';
import { rfc3339 } from '../util/clock';

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface MapNode {
  name: string;
  /** kubectl get nodes STATUS: Ready, NotReady, Unknown, then ",SchedulingDisabled" when cordoned */
  status: string;
  ready: boolean;
  unschedulable: boolean;
  /** ROLES, "<none>" for none */
  roles: string;
  internalIP: string;
  /** topology.kubernetes.io/zone, when labelled */
  zone?: string;
  podCIDR?: string;
  labels: Record<string, string>;
}

export interface MapPod {
  namespace: string;
  name: string;
  /** spec.nodeName; absent while pending scheduling */
  node?: string;
  /** kubectl get pods STATUS */
  status: string;
  /** kubectl get pods READY, "1/1" */
  ready: string;
  /** kubectl get pods RESTARTS, "0" or "2 (5s ago)" */
  restarts: string;
  ip?: string;
  hostNetwork: boolean;
  labels: Record<string, string>;
  /** the controller chain upward: ReplicaSet, then Deployment (empty for a bare pod) */
  owners: ObjectRef[];
}

export interface MapServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  nodePort?: number;
  protocol: string;
}

export interface MapService {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string;
  externalIPs: string[];
  /** status.loadBalancer.ingress addresses */
  loadBalancer: string[];
  ports: MapServicePort[];
  /** kubectl get services PORT(S): "80:30080/TCP" */
  portsText: string;
  selector: Record<string, string>;
  labels: Record<string, string>;
}

/** A Service's endpoint that is a pod, from the Service's EndpointSlices. */
export interface MapEdge {
  service: ObjectRef;
  pod: ObjectRef;
  /** conditions.ready of the endpoint: false is drawn dashed (a not-ready address) */
  ready: boolean;
  ip: string;
}

/** A workload controller: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob. */
export interface MapWorkload {
  kind: string;
  namespace: string;
  name: string;
  /** its own controller (a ReplicaSet's Deployment, a Job's CronJob) */
  owner?: ObjectRef;
  labels: Record<string, string>;
}

export interface MapOwnerEdge {
  owner: ObjectRef;
  owned: ObjectRef;
}

export interface MapEvent {
  namespace: string;
  name: string;
  type: string;
  reason: string;
  /** "Kind/name" as kubectl events' OBJECT column */
  object: string;
  involved: ObjectRef;
  message: string;
  /** RFC 3339: the time kubectl events sorts by (series, lastTimestamp, eventTime) */
  time: string;
  count: number;
}

export interface ClusterMap {
  /** every namespace (for the filter), sorted */
  namespaces: string[];
  nodes: MapNode[];
  pods: MapPod[];
  services: MapService[];
  workloads: MapWorkload[];
  edges: MapEdge[];
  owners: MapOwnerEdge[];
  events: MapEvent[];
}

export interface MapFilter {
  /** one namespace; undefined: all of them */
  namespace?: string;
  /** a label selector (kubectl -l syntax) on pods, services and workloads */
  selector?: string;
}

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

function controllerOf(o: KObject): ObjectRef | undefined {
  const ref = (o.metadata.ownerReferences ?? []).find((r: { controller?: boolean }) => r.controller);
  return ref ? { kind: ref.kind, namespace: o.metadata.namespace, name: ref.name } : undefined;
}

function key(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

function mapNode(n: KObject): MapNode {
  const labels = n.metadata.labels ?? {};
  const ip = (n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '';
  const status = nodeStatus(n);
  const out: MapNode = { name: n.metadata.name, status, ready: status.split(',')[0] === 'Ready', unschedulable: !!n.spec?.unschedulable, roles: nodeRoles(n), internalIP: ip, labels };
  if (labels['topology.kubernetes.io/zone']) out.zone = labels['topology.kubernetes.io/zone'];
  if (n.spec?.podCIDR) out.podCIDR = n.spec.podCIDR;
  return out;
}

function mapService(s: KObject): MapService {
  const spec = s.spec ?? {};
  const ports: MapServicePort[] = (spec.ports ?? []).map((p: Record<string, any>) => {
    const mp: MapServicePort = { port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' };
    if (p.name) mp.name = p.name;
    if (p.nodePort) mp.nodePort = p.nodePort;
    return mp;
  });
  const lb = (s.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string; hostname?: string }) => i.ip || i.hostname || '').filter((x: string) => x);
  return { namespace: s.metadata.namespace ?? '', name: s.metadata.name, type: spec.type ?? 'ClusterIP', clusterIP: spec.clusterIP ?? '', externalIPs: spec.externalIPs ?? [], loadBalancer: lb, ports, portsText: servicePorts(s), selector: spec.selector ?? {}, labels: s.metadata.labels ?? {} };
}

function mapEvent(e: KObject): MapEvent {
  const io = e.involvedObject ?? e.regarding ?? {};
  const t = eventTime(e);
  return {
    namespace: e.metadata.namespace ?? '',
    name: e.metadata.name,
    type: e.type ?? '',
    reason: e.reason ?? '',
    object: `${io.kind ?? ''}/${io.name ?? ''}`,
    involved: { kind: io.kind ?? '', namespace: io.namespace ?? e.metadata.namespace, name: io.name ?? '' },
    message: String(e.message ?? e.note ?? '').trim(),
    time: t ? rfc3339(t) : '',
    count: e.series?.count ?? e.count ?? 1,
  };
}

/** The map of a cluster's state, optionally narrowed to one namespace and a label selector. */
export function clusterMap(state: State, filter: MapFilter = {}): ClusterMap {
  const sel: Selector | undefined = filter.selector ? parseSelector(filter.selector) : undefined;
  const inNs = (o: KObject) => filter.namespace === undefined || o.metadata.namespace === filter.namespace;
  const keep = (o: KObject) => inNs(o) && (!sel || matches(sel, o.metadata.labels));
  // read through the API, as `get` reads: the command's user must be allowed to list pods; what it may
  // not list of the rest (nodes, events … for a user of one namespace) is left out of the map
  const api = clientOf(state);
  const strict = (kind: string) => api.list(resourceByKind(kind), filter.namespace);
  const listOf = (kind: string): KObject[] => {
    try {
      return strict(kind);
    } catch (e) {
      if ((e as { reason?: string }).reason === 'Forbidden') return [];
      throw e;
    }
  };

  const nodes = listOf('Node').map(mapNode);

  // the workloads, and each one's controller, to follow a pod's chain upward
  const workloads: MapWorkload[] = [];
  const ownerOf = new Map<string, ObjectRef | undefined>();
  for (const kind of WORKLOAD_KINDS) {
    for (const w of listOf(kind)) {
      const ref = { kind, namespace: w.metadata.namespace, name: w.metadata.name };
      const owner = controllerOf(w);
      ownerOf.set(key(ref), owner);
      if (!keep(w)) continue;
      const mw: MapWorkload = { kind, namespace: w.metadata.namespace ?? '', name: w.metadata.name, labels: w.metadata.labels ?? {} };
      if (owner) mw.owner = owner;
      workloads.push(mw);
    }
  }
  const chain = (first: ObjectRef | undefined): ObjectRef[] => {
    const out: ObjectRef[] = [];
    for (let r = first; r && out.length < 8; r = ownerOf.get(key(r))) out.push(r);
    return out;
  };

  const pods: MapPod[] = [];
  for (const p of strict('Pod')) {
    if (!keep(p)) continue;
    const cells = podStatusCells(p);
    const mp: MapPod = { namespace: p.metadata.namespace ?? '', name: p.metadata.name, status: cells.status, ready: cells.ready, restarts: cells.restarts, hostNetwork: !!p.spec?.hostNetwork, labels: p.metadata.labels ?? {}, owners: chain(controllerOf(p)) };
    if (p.spec?.nodeName) mp.node = p.spec.nodeName;
    if (p.status?.podIP) mp.ip = p.status.podIP;
    pods.push(mp);
  }

  const services = listOf('Service').filter(keep).map(mapService);

  // service → pod: the EndpointSlices' pod endpoints, one edge per pod (ready if any slice says so)
  const podKeys = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const svcKeys = new Set(services.map((s) => `${s.namespace}/${s.name}`));
  const edgeAt = new Map<string, MapEdge>();
  for (const slice of listOf('EndpointSlice')) {
    const ns = slice.metadata.namespace;
    const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svc || !svcKeys.has(`${ns}/${svc}`)) continue;
    for (const ep of slice.endpoints ?? []) {
      const ref = ep.targetRef;
      if (ref?.kind !== 'Pod' || !podKeys.has(`${ref.namespace ?? ns}/${ref.name}`)) continue;
      const k = `${ns}/${svc} ${ref.namespace ?? ns}/${ref.name}`;
      // an unset ready condition means ready (discovery/v1 EndpointConditions)
      const ready = ep.conditions?.ready !== false;
      const had = edgeAt.get(k);
      if (had) had.ready ||= ready;
      else edgeAt.set(k, { service: { kind: 'Service', namespace: ns, name: svc }, pod: { kind: 'Pod', namespace: ref.namespace ?? ns, name: ref.name }, ready, ip: ep.addresses?.[0] ?? '' });
    }
  }
  const edges = [...edgeAt.values()].sort((a, b) => cmp(a.service.namespace!, b.service.namespace!) || cmp(a.service.name, b.service.name) || cmp(a.pod.name, b.pod.name));

  // ownership among what the map shows: workload → workload, workload → pod
  const shown = new Set([...workloads.map((w) => key({ kind: w.kind, namespace: w.namespace, name: w.name })), ...pods.map((p) => key({ kind: 'Pod', namespace: p.namespace, name: p.name }))]);
  const owners: MapOwnerEdge[] = [];
  for (const w of workloads) if (w.owner && shown.has(key(w.owner))) owners.push({ owner: w.owner, owned: { kind: w.kind, namespace: w.namespace, name: w.name } });
  for (const p of pods) if (p.owners[0] && shown.has(key(p.owners[0]))) owners.push({ owner: p.owners[0], owned: { kind: 'Pod', namespace: p.namespace, name: p.name } });

  // with a selector, the events of the objects shown (events carry no labels of their own)
  const shownEvent = (e: MapEvent) => !sel || shown.has(key(e.involved)) || (e.involved.kind === 'Service' && svcKeys.has(`${e.involved.namespace}/${e.involved.name}`));
  const events = sortEvents(listOf('Event').filter(inNs)).map(mapEvent).filter(shownEvent);
  const namespaces = listOf('Namespace').map((n) => n.metadata.name as string);
  return { namespaces, nodes, pods, services, workloads, edges, owners, events };
}
