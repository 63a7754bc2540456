// The Endpoints and EndpointSlice controllers (REFERENCE §5): for every service with a selector,
// the pods it selects become addresses, each port's targetPort resolved per pod. Services without a
// selector, and ExternalName services, are left to whoever writes their endpoints by hand.
import { cmp, clone } from '../util/compare';
import { addTo, type Groups } from '../util/groups';
import { matchesMap } from '../api/labels';
import type { KObject } from '../api/types';
import { deepEqual, type State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { isActivePod, isPodReady } from '../api/podutil';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const MAX_ENDPOINTS_ADDRESSES = 1000;
const MAX_SLICE_ENDPOINTS = 100;

interface SvcPort { name?: string; port: number; protocol?: string; targetPort?: number | string; appProtocol?: string }
interface ContainerPort { name?: string; containerPort: number; protocol?: string }

/** podutil.FindPort: an int targetPort as is; a name looks for the container port with that name and protocol. */
export function resolveTargetPort(pod: KObject, sp: SvcPort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of (c.ports ?? []) as ContainerPort[]) {
      if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
    }
  }
  return undefined;
}

/** Pods indexed by namespace and by each `key=value` label, so selecting is not pods × services. */
class PodIndex {
  private byLabel = new Map<string, KObject[]>();
  private byNamespace = new Map<string, KObject[]>();
  constructor(pods: KObject[]) {
    for (const p of pods) {
      if (!p.status?.podIP || !isActivePod(p)) continue;
      const ns = p.metadata.namespace ?? '';
      push(this.byNamespace, ns, p);
      for (const [k, v] of Object.entries((p.metadata.labels ?? {}) as Record<string, string>)) push(this.byLabel, `${ns}\0${k}=${v}`, p);
    }
  }
  select(ns: string, selector: Record<string, string>): KObject[] {
    const keys = Object.keys(selector);
    const base = keys.length ? this.byLabel.get(`${ns}\0${keys[0]}=${selector[keys[0]]}`) : this.byNamespace.get(ns);
    return (base ?? []).filter((p) => matchesMap(selector, p.metadata.labels));
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function selectedPods(svc: KObject, index: PodIndex): KObject[] {
  return index.select(svc.metadata.namespace ?? '', svc.spec.selector);
}

/**
 * podutil.ShouldPodBeInEndpoints: the v1 Endpoints leave a terminating pod out (unless the service
 * publishes not-ready addresses); EndpointSlices keep it, ready: false, with its readiness in
 * serving and terminating: true (the pods-and-endpoint-termination-flow tutorial).
 */
function notTerminating(svc: KObject, pods: KObject[]): KObject[] {
  if (svc.spec.publishNotReadyAddresses) return pods;
  return pods.filter((p) => !p.metadata.deletionTimestamp);
}

function managed(svc: KObject): boolean {
  return !!svc.spec?.selector && svc.spec.type !== 'ExternalName';
}

/**
 * The services whose endpoints may have changed since the controller's last pass, by namespace:
 * changed services, Endpoints and EndpointSlices name theirs; a changed pod, every service of its
 * namespace that selects it before or after the change (the endpoints controller's pod handlers).
 */
function affectedServices(state: State, since: number): Map<string, Set<string>> {
  const out: Groups = new Map();
  const add = (ns: string, name: string | undefined) => addTo(out, ns, name);
  const podLabels = new Map<string, Record<string, string>[]>();
  for (const c of state.changesSince(since, ['Service', 'Pod', 'Endpoints', 'EndpointSlice'])) {
    if (c.kind === 'Service' || c.kind === 'Endpoints') add(c.namespace, c.name);
    else if (c.kind === 'EndpointSlice') {
      const now = state.get('EndpointSlice', c.namespace, c.name);
      add(c.namespace, (now ?? c.old)?.metadata.labels?.[SERVICE_NAME_LABEL]);
    } else {
      const now = state.get('Pod', c.namespace, c.name);
      if (!podLabels.has(c.namespace)) podLabels.set(c.namespace, []);
      for (const p of [c.old, now]) if (p) podLabels.get(c.namespace)!.push(p.metadata.labels ?? {});
    }
  }
  for (const [ns, labelSets] of podLabels) {
    // a service that selects one of these pods names one of its labels in its selector, or selects everything
    const needles = labelSets.flatMap((l) => Object.entries(l).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`));
    for (const svc of state.listContaining('Service', ns, [...needles, '"selector":{}'])) {
      if (managed(svc) && labelSets.some((l) => matchesMap(svc.spec.selector, l))) add(ns, svc.metadata.name);
    }
  }
  return out;
}

export function syncEndpoints(state: State, since = 0): void {
  const affected = affectedServices(state, since);
  const namespaces = [...affected.keys()].sort(cmp);
  // the controller's slices are named <service>-<random suffix> (generateName)
  const slicesOf = (ns: string, names: Set<string>) => state.listNamed('EndpointSlice', ns, (n) => names.has(n.slice(0, n.lastIndexOf('-'))));
  for (const ns of namespaces) {
    const names = affected.get(ns)!;
    if (!names.size) continue;
    // in the store's order, as a full pass would go
    const services = state.pick('Service', ns, names).filter(managed);
    // only the pods these services may select are parsed
    const index = new PodIndex(state.listSelectable('Pod', ns, services.map((svc) => svc.spec.selector)));
    const slicesBySvc = new Map<string, KObject[]>();
    for (const sl of slicesOf(ns, names)) {
      if (sl.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && names.has(sl.metadata.labels?.[SERVICE_NAME_LABEL])) push(slicesBySvc, sl.metadata.labels?.[SERVICE_NAME_LABEL], sl);
    }
    for (const svc of services) {
      const selected = selectedPods(svc, index);
      syncEndpointsObject(state, svc, notTerminating(svc, selected));
      syncSlices(state, svc, selected, slicesBySvc.get(svc.metadata.name) ?? []);
    }
  }
  for (const key of state.deletedServices.splice(0)) {
    const [ns, name] = key.split('/');
    if (!state.get('Service', ns, name)) state.remove('Endpoints', ns, name);
    addTo(affected, ns, name);
  }
  // The garbage collector removes slices whose owning service is gone (Endpoints of a deleted
  // service are removed by the service's deletion itself, see src/apiserver/kinds/service.ts).
  for (const [ns, names] of affected) {
    for (const sl of slicesOf(ns, names)) {
      if (sl.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) continue;
      const svcName = sl.metadata.labels?.[SERVICE_NAME_LABEL];
      const svc = svcName ? state.get('Service', sl.metadata.namespace, svcName) : undefined;
      if (!svc || svc.metadata.uid !== sl.metadata.ownerReferences?.[0]?.uid) state.remove('EndpointSlice', sl.metadata.namespace, sl.metadata.name);
    }
  }
}

/**
 * endpointutil.ShouldSetHostname: a pod with a hostname whose subdomain is the service's name, in its
 * namespace, is published under that hostname (what per-pod DNS records of headless services use).
 */
function hostnameFor(pod: KObject, svc: KObject): string | undefined {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? h : undefined;
}

function endpointAddress(pod: KObject, svc: KObject) {
  const hostname = hostnameFor(pod, svc);
  return {
    ip: pod.status.podIP,
    ...(hostname ? { hostname } : {}),
    nodeName: pod.spec.nodeName,
    targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
  };
}

function syncEndpointsObject(state: State, svc: KObject, pods: KObject[]): void {
  const ports: SvcPort[] = svc.spec.ports ?? [];
  const publishNotReady = !!svc.spec.publishNotReadyAddresses;
  // subsets keyed by the resolved port list, as RepackSubsets groups them
  const subsets = new Map<string, { addresses: object[]; notReadyAddresses: object[]; ports: object[] }>();
  let total = 0;
  for (const pod of pods) {
    const epPorts: { name?: string; port: number; protocol: string; appProtocol?: string }[] = [];
    for (const sp of ports) {
      const n = resolveTargetPort(pod, sp);
      if (n === undefined) continue;
      epPorts.push({ ...(sp.name ? { name: sp.name } : {}), port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    if (ports.length > 0 && epPorts.length === 0) continue;
    if (total >= MAX_ENDPOINTS_ADDRESSES) break;
    total++;
    const k = JSON.stringify(epPorts);
    if (!subsets.has(k)) subsets.set(k, { addresses: [], notReadyAddresses: [], ports: epPorts });
    const ss = subsets.get(k)!;
    if (publishNotReady || isPodReady(pod)) ss.addresses.push(endpointAddress(pod, svc));
    else ss.notReadyAddresses.push(endpointAddress(pod, svc));
  }
  const byIP = (a: { ip: string }, b: { ip: string }) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
  const out = [...subsets.values()].map((ss) => {
    const o: Record<string, unknown> = {};
    if (ss.addresses.length) o.addresses = (ss.addresses as { ip: string }[]).sort(byIP);
    if (ss.notReadyAddresses.length) o.notReadyAddresses = (ss.notReadyAddresses as { ip: string }[]).sort(byIP);
    if (ss.ports.length) o.ports = ss.ports;
    return o;
  });
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  const existing = state.get('Endpoints', svc.metadata.namespace, svc.metadata.name);
  const desired: KObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      ...(existing ? clone(existing.metadata) : { name: svc.metadata.name, namespace: svc.metadata.namespace }),
      labels: Object.keys(labels).length ? labels : undefined,
      annotations: {
        'endpoints.kubernetes.io/last-change-trigger-time': existing?.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? rfc3339(),
        ...(total >= MAX_ENDPOINTS_ADDRESSES && pods.length > MAX_ENDPOINTS_ADDRESSES ? { 'endpoints.kubernetes.io/over-capacity': 'truncated' } : {}),
      },
    },
    ...(out.length ? { subsets: out } : {}),
  };
  if (!desired.metadata.labels) delete desired.metadata.labels;
  if (!existing) {
    state.add(desired);
    return;
  }
  if (!deepEqual(existing.subsets ?? null, desired.subsets ?? null)) {
    desired.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'] = rfc3339();
  }
  state.replace(desired);
}

/** An EndpointSlice owned by `owner` (a Service, or Endpoints for mirrored slices): the old one's metadata kept, or a new name. */
export function sliceFor(state: State, owner: KObject, old: KObject | undefined, labels: Record<string, string>, content: { endpoints: object[] | null; ports: object[] | null }, annotations?: Record<string, string>): KObject {
  const name = owner.metadata.name;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: old
      ? { ...clone(old.metadata), labels }
      : {
          name: `${name}-${state.rand.suffix(5)}`,
          generateName: `${name}-`,
          namespace: owner.metadata.namespace,
          labels,
          ...(annotations ? { annotations } : {}),
          ownerReferences: [{ apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: owner.kind, name, uid: owner.metadata.uid as string }],
        },
    addressType: 'IPv4',
    endpoints: content.endpoints,
    ports: content.ports,
  };
}

function syncSlices(state: State, svc: KObject, pods: KObject[], mine: KObject[]): void {
  const ports: SvcPort[] = svc.spec.ports ?? [];
  const publishNotReady = !!svc.spec.publishNotReadyAddresses;
  // One slice per distinct resolved port list (the controller groups endpoints the same way).
  const groups = new Map<string, { ports: object[]; endpoints: object[] }>();
  for (const pod of pods) {
    const slPorts: object[] = [];
    for (const sp of ports) {
      const n = resolveTargetPort(pod, sp);
      if (n === undefined) continue;
      slPorts.push({ name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    if (ports.length > 0 && slPorts.length === 0) continue;
    const k = JSON.stringify(slPorts);
    if (!groups.has(k)) groups.set(k, { ports: slPorts, endpoints: [] });
    const terminating = !!pod.metadata.deletionTimestamp;
    const ready = isPodReady(pod);
    const hostname = hostnameFor(pod, svc);
    groups.get(k)!.endpoints.push({
      addresses: [pod.status.podIP],
      conditions: { ready: publishNotReady || (ready && !terminating), serving: ready, terminating },
      ...(hostname ? { hostname } : {}),
      nodeName: pod.spec.nodeName,
      targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    });
  }
  const desired: { ports: object[] | null; endpoints: object[] | null }[] = [];
  for (const g of groups.values()) {
    (g.endpoints as { addresses: string[] }[]).sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : 1));
    for (let i = 0; i < g.endpoints.length; i += MAX_SLICE_ENDPOINTS) desired.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_SLICE_ENDPOINTS) });
  }
  // A service with no endpoints still gets one empty placeholder slice.
  if (desired.length === 0) desired.push({ ports: null, endpoints: null });

  const existing = mine
    .filter((s) => s.metadata.ownerReferences?.[0]?.uid === svc.metadata.uid)
    .sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY, [SERVICE_NAME_LABEL]: svc.metadata.name };
  if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  desired.forEach((d, i) => {
    const old = existing[i];
    const body = sliceFor(state, svc, old, labels, d, { 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339() });
    if (!old) state.add(body);
    else {
      if (!deepEqual([old.endpoints, old.ports], [body.endpoints, body.ports])) {
        body.metadata.annotations = { ...(body.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339() };
      }
      state.replace(body);
    }
  });
  for (const extra of existing.slice(desired.length)) state.remove('EndpointSlice', extra.metadata.namespace, extra.metadata.name);
}
