// Cluster DNS with CoreDNS's kubernetes plugin semantics (zone cluster.local): service names,
// headless services (one A record per ready endpoint), ExternalName (CNAME), SRV records for named
// ports, pod records a-b-c-d.<ns>.pod, and NXDOMAIN for everything else. Names outside the cluster
// do not resolve: the simulated cluster has no Internet.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { SERVICE_NAME_LABEL } from '../controllers/endpoints';
import { dnsServiceIP } from '../cluster/bootstrap';
import { cmp } from '../util/compare';

export const ZONE = 'cluster.local';

export type Answer =
  | { type: 'A'; name: string; ip: string }
  | { type: 'CNAME'; name: string; target: string }
  | { type: 'SRV'; name: string; priority: number; weight: number; port: number; target: string };

export type DnsResult = { rcode: 'NOERROR'; name: string; answers: Answer[] } | { rcode: 'NXDOMAIN'; name: string };

interface Address {
  ip: string;
  hostname?: string;
}

function headlessAddresses(state: State, svc: KObject): Address[] {
  const out: Address[] = [];
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  for (const sl of state.list('EndpointSlice', svc.metadata.namespace)) {
    if (sl.metadata.labels?.[SERVICE_NAME_LABEL] !== svc.metadata.name) continue;
    for (const e of sl.endpoints ?? []) {
      if (e.conditions?.ready === false && !publishNotReady) continue;
      for (const ip of e.addresses ?? []) if (!out.some((a) => a.ip === ip)) out.push({ ip, hostname: e.hostname });
    }
  }
  return out.sort((a, b) => cmp(a.ip, b.ip));
}

const dashed = (ip: string) => ip.replace(/\./g, '-');

/** The records for one fully qualified name (with or without the trailing dot). */
export function lookup(state: State, qname: string, qtype: 'A' | 'SRV' = 'A'): DnsResult {
  const name = qname.replace(/\.$/, '').toLowerCase();
  const nx: DnsResult = { rcode: 'NXDOMAIN', name };
  if (!name.endsWith(`.${ZONE}`)) return nx;
  const labels = name.slice(0, -ZONE.length - 1).split('.');
  // a-b-c-d.<ns>.pod.cluster.local
  if (labels.length === 3 && labels[2] === 'pod') {
    const m = /^(\d+)-(\d+)-(\d+)-(\d+)$/.exec(labels[0]);
    if (!m || !state.get('Namespace', undefined, labels[1])) return nx;
    return { rcode: 'NOERROR', name, answers: [{ type: 'A', name, ip: m.slice(1).join('.') }] };
  }
  if (labels[labels.length - 1] !== 'svc') return nx;
  const parts = labels.slice(0, -1);
  if (parts.length < 2) return nx;
  const ns = parts[parts.length - 1];
  const svcName = parts[parts.length - 2];
  const svc = state.get('Service', ns, svcName);
  if (!svc) return nx;
  const base = `${svcName}.${ns}.svc.${ZONE}`;
  const rest = parts.slice(0, -2);
  const headless = svc.spec?.clusterIP === 'None';
  if (rest.length === 2 && rest[0].startsWith('_') && rest[1].startsWith('_')) {
    const portName = rest[0].slice(1);
    const proto = rest[1].slice(1).toUpperCase();
    const port = (svc.spec?.ports ?? []).find((p: { name?: string; protocol?: string }) => p.name === portName && (p.protocol ?? 'TCP') === proto);
    if (!port || qtype !== 'SRV') return port ? { rcode: 'NOERROR', name, answers: [] } : nx;
    if (!headless) return { rcode: 'NOERROR', name, answers: [{ type: 'SRV', name, priority: 0, weight: 100, port: port.port, target: base }] };
    const addrs = headlessAddresses(state, svc);
    const weight = addrs.length ? Math.floor(100 / addrs.length) : 100;
    return { rcode: 'NOERROR', name, answers: addrs.map((a) => ({ type: 'SRV', name, priority: 0, weight, port: port.port, target: `${a.hostname ?? dashed(a.ip)}.${base}` })) };
  }
  if (rest.length === 1) {
    // <hostname or a-b-c-d>.<svc>.<ns>.svc: one endpoint of a headless service
    if (!headless) return nx;
    const a = headlessAddresses(state, svc).find((x) => (x.hostname ?? dashed(x.ip)) === rest[0] || dashed(x.ip) === rest[0]);
    return a ? { rcode: 'NOERROR', name, answers: [{ type: 'A', name, ip: a.ip }] } : nx;
  }
  if (rest.length) return nx;
  if (svc.spec?.type === 'ExternalName') return { rcode: 'NOERROR', name, answers: [{ type: 'CNAME', name, target: String(svc.spec.externalName ?? '').replace(/\.$/, '') }] };
  if (headless) {
    const addrs = headlessAddresses(state, svc);
    if (!addrs.length) return nx;
    return { rcode: 'NOERROR', name, answers: addrs.map((a) => ({ type: 'A', name, ip: a.ip })) };
  }
  return { rcode: 'NOERROR', name, answers: [{ type: 'A', name, ip: svc.spec.clusterIP }] };
}

/** A pod's /etc/resolv.conf (dnsPolicy ClusterFirst). */
export interface Resolver {
  nameserver: string;
  search: string[];
  ndots: number;
  /** does this resolver know the cluster zone (CoreDNS) or only the host network's names */
  cluster: boolean;
}

export function podResolver(state: State, pod: KObject): Resolver {
  const ns = pod.metadata.namespace;
  if (pod.spec?.hostNetwork && pod.spec?.dnsPolicy !== 'ClusterFirstWithHostNet') return nodeResolver(state);
  return { nameserver: dnsServiceIP(state.config), search: [`${ns}.svc.${ZONE}`, `svc.${ZONE}`, ZONE], ndots: 5, cluster: true };
}

/** A node's (and the outside machine's) resolver: the nodes' network gateway, which knows no cluster names. */
export function nodeResolver(state: State): Resolver {
  const gw = state.config.nodeNetwork.replace(/\.0\/\d+$/, '.1');
  return { nameserver: gw, search: [], ndots: 1, cluster: false };
}

export function resolvConf(r: Resolver): string {
  if (!r.cluster) return `nameserver ${r.nameserver}\noptions edns0 trust-ad\nsearch .\n`;
  return `search ${r.search.join(' ')}\nnameserver ${r.nameserver}\noptions ndots:${r.ndots}\n`;
}

/** The names a resolver tries for a query, in order (glibc/musl with search list and ndots). */
export function candidates(name: string, r: Resolver): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = r.search.map((s) => `${name}.${s}`);
  return dots >= r.ndots ? [name, ...searched] : [...searched, name];
}

/** Resolves a name the way a client with this resolver would: the search list, then the name as given. */
export function resolve(state: State, name: string, r: Resolver, qtype: 'A' | 'SRV' = 'A'): DnsResult {
  if (!r.cluster) return { rcode: 'NXDOMAIN', name };
  let last: DnsResult = { rcode: 'NXDOMAIN', name };
  for (const c of candidates(name, r)) {
    const res = lookup(state, c, qtype);
    if (res.rcode === 'NOERROR') return res;
    last = res;
  }
  return { ...last, name };
}

/** The A addresses a result leads to, following a CNAME inside the zone. */
export function addresses(state: State, res: DnsResult): string[] {
  if (res.rcode !== 'NOERROR') return [];
  const out: string[] = [];
  for (const a of res.answers) {
    if (a.type === 'A') out.push(a.ip);
    else if (a.type === 'CNAME' && a.target.endsWith(`.${ZONE}`)) out.push(...addresses(state, lookup(state, a.target)));
  }
  return out;
}

/** PTR: the name CoreDNS gives an address (service IPs and headless endpoints). */
export function reverse(state: State, ip: string): string | undefined {
  for (const svc of state.list('Service')) {
    if (svc.spec?.clusterIP === ip) return `${svc.metadata.name}.${svc.metadata.namespace}.svc.${ZONE}`;
  }
  for (const svc of state.list('Service')) {
    if (svc.spec?.clusterIP !== 'None') continue;
    const a = headlessAddresses(state, svc).find((x) => x.ip === ip);
    if (a) return `${a.hostname ?? dashed(ip)}.${svc.metadata.name}.${svc.metadata.namespace}.svc.${ZONE}`;
  }
  return undefined;
}
