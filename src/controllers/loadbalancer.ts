// A bare cluster has no load-balancer provider: LoadBalancer services keep an empty
// status.loadBalancer (EXTERNAL-IP <pending>). `cluster init --lb-pool FIRST-LAST` plays MetalLB:
// each LoadBalancer service gets the lowest free address of the pool as its ingress IP.
import { cmp, clone } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { intToIp, ipToInt } from '../util/ip';
import { recordEvent } from './events';

export function syncLoadBalancers(state: State): void {
  const pool = state.config.lbPool;
  // every LoadBalancer service shares the pool, whatever namespaces this command touched
  const services = state.listAll('Service', state.index('load-balancers').keys()).sort((a, b) => cmp((a.metadata.creationTimestamp ?? ''), b.metadata.creationTimestamp ?? '') || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  const inUse = new Set<string>();
  for (const svc of services) {
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (svc.spec?.type === 'LoadBalancer') for (const i of ingress) if (i.ip) inUse.add(i.ip);
  }
  for (const svc of services) {
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (svc.spec?.type !== 'LoadBalancer') {
      if (ingress.length) setIngress(state, svc, []);
      continue;
    }
    if (!pool || ingress.length) continue;
    const ip = pick(pool, inUse, svc.spec.loadBalancerIP);
    if (!ip) {
      recordEvent(state, svc, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${svc.metadata.namespace}/${svc.metadata.name}": no available IPs`, { component: 'metallb-controller' });
      continue;
    }
    inUse.add(ip);
    const upd = setIngress(state, svc, [{ ip, ipMode: 'VIP' }]);
    recordEvent(state, upd, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`, { component: 'metallb-controller' });
  }
}

function pick(pool: string, inUse: Set<string>, wanted?: string): string | undefined {
  const [first, last] = pool.split('-').map(ipToInt);
  if (wanted) {
    const n = ipToInt(wanted);
    return n >= first && n <= last && !inUse.has(wanted) ? wanted : undefined;
  }
  for (let n = first; n <= last; n++) if (!inUse.has(intToIp(n))) return intToIp(n);
  return undefined;
}

function setIngress(state: State, svc: KObject, ingress: object[]): KObject {
  const upd = clone(svc);
  upd.status = { loadBalancer: ingress.length ? { ingress } : {} };
  state.replace(upd);
  return upd;
}
