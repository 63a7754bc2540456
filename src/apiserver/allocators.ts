// The apiserver's ClusterIP and NodePort allocators (pkg/registry/core/service/ipallocator and
// portallocator): what every stored Service holds, read from the service-addresses index once per
// command (the apiserver's RangeAllocation), not by reading every Service.
import { nodePortRange } from '../cluster/config';
import { serviceAllocators, type ServiceAllocators } from './serviceallocation';
import type { State } from '../store/state';

const cache = new WeakMap<State, ServiceAllocators>();

export function allocators(state: State): ServiceAllocators {
  let a = cache.get(state);
  if (!a) {
    const ips: string[] = [];
    const ports: number[] = [];
    for (const k of state.index('service-addresses').keys()) {
      if (k.startsWith('ip/')) ips.push(k.slice(3));
      else ports.push(Number(k.slice(5)));
    }
    a = serviceAllocators(ips, ports, state.config.serviceCIDR, nodePortRange(state.config), state.rand);
    cache.set(state, a);
  }
  return a;
}
