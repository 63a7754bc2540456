// What a stored Service holds of the cluster's ranges: its cluster IPs and node ports (the
// apiserver's repair controllers read Services so), for the allocators and the indexes.
import type { KObject, ServiceSpec } from './types';

/** The cluster IPs a stored Service holds (none for ExternalName and headless services). */
export function serviceClusterIPs(svc: KObject): string[] {
  const spec: ServiceSpec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  if (ips[0] === 'None') return [];
  return ips.filter((ip) => ip !== '');
}

/** The node ports a stored Service holds, health-check node port included (the repair controller's view). */
export function serviceNodePorts(svc: KObject): number[] {
  const spec: ServiceSpec = svc.spec ?? {};
  const ports = collectNodePorts(spec);
  if (spec.healthCheckNodePort) ports.push(spec.healthCheckNodePort);
  return ports;
}

/** The node ports of a Service's ports (collectServiceNodePorts). */
export function collectNodePorts(spec: ServiceSpec): number[] {
  return (spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0);
}
