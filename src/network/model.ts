// What kube-proxy knows: every service port it programs, with its chain names and the endpoints
// behind it, read from Services and EndpointSlices as kube-proxy reads them. iptables-save, ipvsadm
// and the packet walk in route.ts all work from this one model, so what they show cannot disagree.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { cmp } from '../util/compare';
import { SERVICE_NAME_LABEL } from '../controllers/endpoints';

export interface Endpoint {
  ip: string;
  port: number;
  nodeName?: string;
  pod?: { namespace: string; name: string };
  ready: boolean;
  /** KUBE-SEP-… */
  chain: string;
}

export interface ServicePort {
  svc: KObject;
  namespace: string;
  name: string;
  portName: string;
  /** ns/name or ns/name:port, kube-proxy's ServicePortName.String() */
  id: string;
  protocol: string;
  port: number;
  clusterIP: string;
  nodePort: number;
  externalIPs: string[];
  lbIPs: string[];
  /** ClientIP affinity timeout in seconds, 0 for none */
  affinity: number;
  externalLocal: boolean;
  internalLocal: boolean;
  /** the endpoints kube-proxy uses: ready ones, else serving-terminating ones */
  endpoints: Endpoint[];
  svcChain: string;
  svlChain: string;
  extChain: string;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32 (standard alphabet, no padding needed for 16 characters) of sha256(s), first 16 characters. */
export function chainHash(s: string): string {
  // required here, not at the top: loading crypto costs every command several milliseconds
  const { createHash } = require('crypto') as typeof import('crypto');
  const bytes = createHash('sha256').update(s).digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 16) break;
    value &= (1 << bits) - 1;
  }
  return out;
}

export function serviceChain(prefix: string, id: string, protocol: string): string {
  return `${prefix}-${chainHash(id + protocol.toLowerCase())}`;
}

export function endpointChain(id: string, protocol: string, ipPort: string): string {
  return `KUBE-SEP-${chainHash(id + protocol.toLowerCase() + ipPort)}`;
}

interface SliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  nodeName?: string;
  targetRef?: { kind: string; name: string; namespace: string };
}

/**
 * Every service port kube-proxy programs (not headless, not ExternalName), in namespace/name/port
 * order; `keep` narrows it to some services (a packet's walk needs only those it can match).
 */
export function servicePorts(state: State, keep?: (svc: KObject) => boolean): ServicePort[] {
  const slices = new Map<string, KObject[]>();
  for (const sl of state.list('EndpointSlice')) {
    const k = `${sl.metadata.namespace}/${sl.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
    if (!slices.has(k)) slices.set(k, []);
    slices.get(k)!.push(sl);
  }
  const out: ServicePort[] = [];
  for (const svc of state.list('Service')) {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName' || !spec.clusterIP || spec.clusterIP === 'None') continue;
    if (keep && !keep(svc)) continue;
    const ns = svc.metadata.namespace as string;
    const name = svc.metadata.name;
    for (const p of spec.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      const id = p.name ? `${ns}/${name}:${p.name}` : `${ns}/${name}`;
      const eps = endpointsFor(slices.get(`${ns}/${name}`) ?? [], p.name ?? '', protocol, id);
      out.push({
        svc,
        namespace: ns,
        name,
        portName: p.name ?? '',
        id,
        protocol,
        port: p.port,
        clusterIP: spec.clusterIP,
        nodePort: p.nodePort ?? 0,
        externalIPs: spec.externalIPs ?? [],
        lbIPs: (svc.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).filter(Boolean),
        affinity: spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : 0,
        externalLocal: spec.externalTrafficPolicy === 'Local' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer'),
        internalLocal: spec.internalTrafficPolicy === 'Local',
        endpoints: eps,
        svcChain: serviceChain('KUBE-SVC', id, protocol),
        svlChain: serviceChain('KUBE-SVL', id, protocol),
        extChain: serviceChain('KUBE-EXT', id, protocol),
      });
    }
  }
  return out;
}

function endpointsFor(slices: KObject[], portName: string, protocol: string, id: string): Endpoint[] {
  const all: (Endpoint & { serving: boolean; terminating: boolean })[] = [];
  const seen = new Set<string>();
  for (const sl of slices) {
    const port = (sl.ports ?? []).find((p: { name?: string; protocol?: string }) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port || typeof port.port !== 'number') continue;
    for (const e of (sl.endpoints ?? []) as SliceEndpoint[]) {
      const ip = e.addresses?.[0];
      if (!ip) continue;
      const ipPort = `${ip}:${port.port}`;
      if (seen.has(ipPort)) continue;
      seen.add(ipPort);
      const c = e.conditions ?? {};
      all.push({
        ip,
        port: port.port,
        nodeName: e.nodeName,
        pod: e.targetRef?.kind === 'Pod' ? { namespace: e.targetRef.namespace, name: e.targetRef.name } : undefined,
        ready: c.ready !== false,
        serving: c.serving ?? c.ready !== false,
        terminating: !!c.terminating,
        chain: endpointChain(id, protocol, ipPort),
      });
    }
  }
  // kube-proxy keeps endpoints in "ip:port" string order
  all.sort((a, b) => cmp(`${a.ip}:${a.port}`, `${b.ip}:${b.port}`));
  const ready = all.filter((e) => e.ready);
  const use = ready.length ? ready : all.filter((e) => e.serving && e.terminating);
  return use.map(({ serving: _s, terminating: _t, ...e }) => e);
}

/** The addresses a service port answers on besides node ports: cluster IP, external IPs, load-balancer IPs. */
export function serviceAddresses(sp: ServicePort): string[] {
  return [sp.clusterIP, ...sp.externalIPs, ...sp.lbIPs];
}

/** The endpoints a node's kube-proxy uses for traffic with Local policy. */
export function localEndpoints(sp: ServicePort, nodeName: string): Endpoint[] {
  return sp.endpoints.filter((e) => e.nodeName === nodeName);
}

/** kube-proxy's probability for rule i of n: 1/(n−i) printed %0.10f, then as iptables-save shows it. */
export function probability(remaining: number): string {
  const asWritten = Number((1 / remaining).toFixed(10));
  // xt_statistic stores it as a fraction of 2^31; iptables-save prints that back with 11 decimals
  return (Math.round(asWritten * 0x80000000) / 0x80000000).toFixed(11);
}
