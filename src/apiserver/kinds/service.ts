// core/v1 Service: defaulting, the ClusterIP and NodePort allocation of its REST storage
// (pkg/registry/core/service/storage/storage.go beginCreate/beginUpdate), validation, and the
// columns of printService.
import { defaultService } from '../../api/defaults';
import { invalidError } from '../../api/errors';
import { formatMap } from '../../api/labels';
import type { KObject } from '../../api/types';
import { validateService, validateServiceClusterIPsRelatedFields, validateServiceIPFamiliesForCluster } from '../../api/validation';
import { allocateServiceAddresses, prepareServiceUpdate, releaseServiceAddresses, updateServiceAddresses } from '../serviceallocation';
import { allocators } from '../allocators';
import { AGE, NAME } from '../columns';
import { defineKind, resource, type Column } from '../strategy';

const res = resource('Service', 'services', ['svc'], '', 'v1', true, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], ['all']);

function externalIP(svc: KObject, wide: boolean): string {
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress: { ip?: string; hostname?: string }[] = svc.status?.loadBalancer?.ingress ?? [];
      const seen = new Set<string>();
      for (const i of ingress) {
        const v = i.ip || i.hostname;
        if (v) seen.add(v);
      }
      let lb = [...seen].sort().join(',');
      if (!wide && lb.length > 16) lb = lb.slice(0, 13) + '...';
      const all = [lb, ...externalIPs].filter((x) => x !== '');
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** makePortString: "port[:nodePort]/PROTO" joined by ",". */
export function servicePorts(svc: KObject): string {
  const ports: { port: number; nodePort?: number; protocol?: string }[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function clusterIP(svc: KObject): string {
  const ips: string[] = svc.spec?.clusterIPs ?? [];
  const ip = ips[0] ?? svc.spec?.clusterIP;
  return ip ? ip : '<none>';
}

const columns: Column[] = [
  NAME,
  { header: 'TYPE', cell: (o) => o.spec?.type ?? '' },
  { header: 'CLUSTER-IP', cell: clusterIP },
  { header: 'EXTERNAL-IP', cell: externalIP },
  { header: 'PORT(S)', cell: servicePorts },
  AGE,
  { header: 'SELECTOR', wide: true, cell: (o) => formatMap(o.spec?.selector) },
];

export default defineKind({
  resource: res,
  systemStatus: true,
  defaults: (obj, old) => defaultService(obj, old),
  validate: (obj, old) => validateService(obj, old),
  // the clusterIP fields are checked, then addresses allocated; validation follows
  beginCreate(state, svc) {
    const name = svc.metadata.name ?? '';
    const ipErrs = [...validateServiceClusterIPsRelatedFields(svc), ...validateServiceIPFamiliesForCluster(svc)];
    if (ipErrs.length) throw invalidError(res, name, ipErrs);
    const used = allocators(state);
    const allocErrs = allocateServiceAddresses(svc, used);
    if (allocErrs.length) throw invalidError(res, name, allocErrs);
    return () => releaseServiceAddresses(svc, used);
  },
  // the apiserver carries allocated values (clusterIP, nodePorts) over before it validates
  prepareForUpdate: (old, obj) => prepareServiceUpdate(old, obj),
  allocateUpdate: (state, old, obj) => updateServiceAddresses(old, obj, allocators(state)),
  afterDelete(state, svc) {
    releaseServiceAddresses(svc, allocators(state));
    // the endpoints controller deletes the Endpoints of a deleted service (hand-written or not) once
    // the command is done, so `delete -f` of a service and its Endpoints deletes both
    state.deletedServices.push(`${svc.metadata.namespace}/${svc.metadata.name}`);
  },
  fields: { 'spec.clusterIP': (o) => o.spec?.clusterIP ?? '', 'spec.type': (o) => o.spec?.type ?? '' },
  columns,
});
