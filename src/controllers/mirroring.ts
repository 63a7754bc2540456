// The EndpointSlice mirroring controller: hand-written Endpoints of a service without a selector
// (an external database, say) are mirrored into EndpointSlices, which is what kube-proxy reads.
// One slice per subset, owned by the Endpoints object, labelled managed-by the mirroring controller.
import type { KObject } from '../api/types';
import { deepEqual, type State } from '../store/state';
import { cmp } from '../util/compare';
import { addTo, type Groups } from '../util/groups';
import { SERVICE_NAME_LABEL, MANAGED_BY_LABEL, sliceFor } from './endpoints';

export const MIRROR_MANAGER = 'endpointslicemirroring-controller.k8s.io';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';

interface Addr {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: object;
}

function wanted(state: State, ep: KObject): boolean {
  if (ep.metadata.labels?.[SKIP_MIRROR] === 'true') return false;
  const svc = state.get('Service', ep.metadata.namespace, ep.metadata.name);
  return !!svc && !svc.spec?.selector && svc.spec?.type !== 'ExternalName';
}

function sliceEndpoint(a: Addr, ready: boolean): object {
  return {
    addresses: [a.ip],
    conditions: { ready },
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    ...(a.targetRef ? { targetRef: a.targetRef } : {}),
  };
}

/** The Endpoints names whose mirrors may be out of date: those of the services, Endpoints and slices changed since the last pass. */
function affected(state: State, since: number): Groups {
  const out: Groups = new Map();
  for (const c of state.changesSince(since, ['Service', 'Endpoints', 'EndpointSlice'])) {
    addTo(out, c.namespace, c.kind === 'EndpointSlice' ? (state.get('EndpointSlice', c.namespace, c.name) ?? c.old)?.metadata.labels?.[SERVICE_NAME_LABEL] : c.name);
  }
  return out;
}

export function syncMirroring(state: State, since = 0): void {
  const todo = affected(state, since);
  const bySvc = new Map<string, KObject[]>();
  const endpoints: KObject[] = [];
  for (const ns of [...todo.keys()].sort(cmp)) {
    const names = todo.get(ns)!;
    for (const sl of state.listSelectable('EndpointSlice', ns, [...names].map((n) => ({ [SERVICE_NAME_LABEL]: n })))) {
      if (sl.metadata.labels?.[MANAGED_BY_LABEL] !== MIRROR_MANAGER || !names.has(sl.metadata.labels?.[SERVICE_NAME_LABEL])) continue;
      const k = `${sl.metadata.namespace}/${sl.metadata.labels?.[SERVICE_NAME_LABEL]}`;
      if (!bySvc.has(k)) bySvc.set(k, []);
      bySvc.get(k)!.push(sl);
    }
    endpoints.push(...state.pick('Endpoints', ns, names));
  }
  const kept = new Set<string>();
  for (const ep of endpoints) {
    if (!wanted(state, ep)) continue;
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    const existing = (bySvc.get(key) ?? []).sort((a, b) => cmp(a.metadata.name, b.metadata.name));
    const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: ep.metadata.name, [MANAGED_BY_LABEL]: MIRROR_MANAGER };
    const desired = ((ep.subsets ?? []) as { addresses?: Addr[]; notReadyAddresses?: Addr[]; ports?: { name?: string; port: number; protocol?: string }[] }[])
      .map((ss) => ({
        ports: (ss.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
        endpoints: [...(ss.addresses ?? []).map((a) => sliceEndpoint(a, true)), ...(ss.notReadyAddresses ?? []).map((a) => sliceEndpoint(a, false))],
      }))
      .filter((d) => d.endpoints.length);
    desired.forEach((d, i) => {
      const old = existing[i];
      const body = sliceFor(state, ep, old, labels, d);
      kept.add(`${body.metadata.namespace}/${body.metadata.name}`);
      if (!old) state.add(body);
      else if (!deepEqual([old.endpoints, old.ports, old.metadata.labels], [body.endpoints, body.ports, labels])) state.replace(body);
    });
  }
  for (const list of bySvc.values()) {
    for (const sl of list) if (!kept.has(`${sl.metadata.namespace}/${sl.metadata.name}`)) state.remove('EndpointSlice', sl.metadata.namespace, sl.metadata.name);
  }
}
