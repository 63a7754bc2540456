// kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go): the rules one node holds, each built
// once as a structured rule that can both print itself the way iptables-save does and match a
// packet. route.ts walks the same rules a request takes, so the trace and iptables-save agree.
import { inCidr } from '../util/ip';
import { localEndpoints, probability, type Endpoint, type ServicePort } from './model';

export interface Packet {
  src: string;
  dst: string;
  dport: number;
  proto: string; // lower case
  /** the source is an address of this node (traffic the node itself sends) */
  srcLocal: boolean;
  /** the destination is an address of this node */
  dstLocal: boolean;
  mark: boolean;
}

export interface WalkContext {
  /** true with the given probability (the statistic match) */
  random(p: number): boolean;
  /** the recent match: did this source use the named list within the last seconds */
  recentCheck(name: string, seconds: number): boolean;
  recentSet(name: string): void;
}

type Part =
  | { s: string; neg?: boolean }
  | { d: string; neg?: boolean }
  | { p: string }
  | { comment: string }
  | { dport: number; proto: string }
  | { addrtype: 'src' | 'dst' }
  | { statistic: string }
  | { rcheck: string; seconds: number }
  | { rset: string }
  | { markNot: true }
  | { mark: true }
  | { conntrack: string; neg?: boolean };

export interface Rule {
  chain: string;
  parts: Part[];
  target: string;
  /** what follows the target: --to-destination …, --reject-with … */
  targetArgs?: string;
}

export interface Table {
  name: 'filter' | 'nat';
  builtins: string[];
  chains: Set<string>;
  rules: Rule[];
}

const MASQ_MARK = '0x4000';

function cidr(ip: string): string {
  return ip.includes('/') ? ip : `${ip}/32`;
}

/** A DNAT rule's destination, ip:port. */
function dnatTo(r: Rule): string {
  return (r.targetArgs ?? '').replace('--to-destination ', '');
}

/** Each chain's rules in order, grouped once per table: walks and listings look chains up by name. */
const grouped = new WeakMap<Table, Map<string, Rule[]>>();
function rulesOf(t: Table, chain: string): Rule[] {
  let m = grouped.get(t);
  if (!m) {
    m = new Map();
    for (const r of t.rules) {
      const l = m.get(r.chain);
      if (l) l.push(r);
      else m.set(r.chain, [r]);
    }
    grouped.set(t, m);
  }
  return m.get(chain) ?? [];
}

/** The chains a listing shows: one asked for (undefined when the table has no such chain), or built-ins then the rest by name. */
function chainsOf(t: Table, chain?: string): string[] | undefined {
  if (chain) return t.builtins.includes(chain) || t.chains.has(chain) ? [chain] : undefined;
  return [...t.builtins, ...[...t.chains].sort()];
}

/** One rule as iptables-save prints it: addresses and protocol first, then the matches in order. */
export function renderRule(r: Rule): string {
  const out = ['-A', r.chain];
  const head: string[] = [];
  const rest: string[] = [];
  for (const p of r.parts) {
    if ('s' in p) head.push(...(p.neg ? ['!'] : []), '-s', cidr(p.s));
    else if ('d' in p) head.push(...(p.neg ? ['!'] : []), '-d', cidr(p.d));
    else if ('p' in p) head.push('-p', p.p);
    else if ('comment' in p) rest.push('-m', 'comment', '--comment', `"${p.comment}"`);
    else if ('dport' in p) rest.push('-m', p.proto, ...(p.dport >= 0 ? ['--dport', String(p.dport)] : []));
    else if ('addrtype' in p) rest.push('-m', 'addrtype', p.addrtype === 'src' ? '--src-type' : '--dst-type', 'LOCAL');
    else if ('statistic' in p) rest.push('-m', 'statistic', '--mode', 'random', '--probability', p.statistic);
    else if ('rcheck' in p) rest.push('-m', 'recent', '--rcheck', '--seconds', String(p.seconds), '--reap', '--name', p.rcheck, '--mask', '255.255.255.255', '--rsource');
    else if ('rset' in p) rest.push('-m', 'recent', '--set', '--name', p.rset, '--mask', '255.255.255.255', '--rsource');
    else if ('markNot' in p) rest.push('-m', 'mark', '!', '--mark', `${MASQ_MARK}/${MASQ_MARK}`);
    else if ('mark' in p) rest.push('-m', 'mark', '--mark', `${MASQ_MARK}/${MASQ_MARK}`);
    else if ('conntrack' in p) rest.push('-m', 'conntrack', ...(p.neg ? ['!'] : []), '--ctstate', p.conntrack);
  }
  out.push(...head, ...rest, '-j', r.target);
  if (r.targetArgs) out.push(r.targetArgs);
  return out.join(' ');
}

/** Does a packet match every part of a rule? Statistic and recent parts ask the context. */
export function matches(r: Rule, pkt: Packet, ctx: WalkContext): boolean {
  for (const p of r.parts) {
    let ok = true;
    if ('s' in p) ok = inCidr(pkt.src, cidr(p.s)) !== !!p.neg;
    else if ('d' in p) ok = inCidr(pkt.dst, cidr(p.d)) !== !!p.neg;
    else if ('p' in p) ok = pkt.proto === p.p;
    else if ('dport' in p) ok = p.dport < 0 || pkt.dport === p.dport;
    else if ('addrtype' in p) ok = p.addrtype === 'src' ? pkt.srcLocal : pkt.dstLocal;
    else if ('statistic' in p) ok = ctx.random(Number(p.statistic));
    else if ('rcheck' in p) ok = ctx.recentCheck(p.rcheck, p.seconds);
    else if ('markNot' in p) ok = !pkt.mark;
    else if ('mark' in p) ok = pkt.mark;
    else if ('conntrack' in p) ok = p.conntrack === 'NEW' ? !p.neg : !!p.neg; // every simulated request is a new connection
    if (!ok) return false;
  }
  return true;
}

export interface NodeRules {
  filter: Table;
  nat: Table;
}

/** The filter and nat rules kube-proxy writes on one node. */
export function buildRules(sps: ServicePort[], nodeName: string, clusterCIDR: string): NodeRules {
  const filter: Table = { name: 'filter', builtins: ['INPUT', 'FORWARD', 'OUTPUT'], chains: new Set(['KUBE-EXTERNAL-SERVICES', 'KUBE-FIREWALL', 'KUBE-FORWARD', 'KUBE-KUBELET-CANARY', 'KUBE-NODEPORTS', 'KUBE-PROXY-CANARY', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES']), rules: [] };
  const nat: Table = { name: 'nat', builtins: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], chains: new Set(['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-PROXY-CANARY', 'KUBE-SERVICES']), rules: [] };
  const f = (chain: string, parts: Part[], target: string, targetArgs?: string) => filter.rules.push({ chain, parts, target, targetArgs });
  const n = (chain: string, parts: Part[], target: string, targetArgs?: string) => nat.rules.push({ chain, parts, target, targetArgs });
  const ctNew: Part = { conntrack: 'NEW' };

  f('INPUT', [ctNew, { comment: 'kubernetes load balancer firewall' }], 'KUBE-PROXY-FIREWALL');
  f('INPUT', [{ comment: 'kubernetes health check service ports' }], 'KUBE-NODEPORTS');
  f('INPUT', [ctNew, { comment: 'kubernetes externally-visible service portals' }], 'KUBE-EXTERNAL-SERVICES');
  f('INPUT', [], 'KUBE-FIREWALL');
  f('FORWARD', [ctNew, { comment: 'kubernetes load balancer firewall' }], 'KUBE-PROXY-FIREWALL');
  f('FORWARD', [{ comment: 'kubernetes forwarding rules' }], 'KUBE-FORWARD');
  f('FORWARD', [ctNew, { comment: 'kubernetes service portals' }], 'KUBE-SERVICES');
  f('FORWARD', [ctNew, { comment: 'kubernetes externally-visible service portals' }], 'KUBE-EXTERNAL-SERVICES');
  f('OUTPUT', [ctNew, { comment: 'kubernetes load balancer firewall' }], 'KUBE-PROXY-FIREWALL');
  f('OUTPUT', [ctNew, { comment: 'kubernetes service portals' }], 'KUBE-SERVICES');
  f('OUTPUT', [], 'KUBE-FIREWALL');
  f('KUBE-FIREWALL', [{ s: '127.0.0.0/8', neg: true }, { d: '127.0.0.0/8' }, { comment: 'block incoming localnet connections' }, { conntrack: 'RELATED,ESTABLISHED,DNAT', neg: true }], 'DROP');
  f('KUBE-FORWARD', [{ conntrack: 'INVALID' }], 'DROP');

  n('PREROUTING', [{ comment: 'kubernetes service portals' }], 'KUBE-SERVICES');
  n('OUTPUT', [{ comment: 'kubernetes service portals' }], 'KUBE-SERVICES');
  n('POSTROUTING', [{ comment: 'kubernetes postrouting rules' }], 'KUBE-POSTROUTING');
  n('KUBE-MARK-MASQ', [], 'MARK', `--set-xmark ${MASQ_MARK}/${MASQ_MARK}`);
  n('KUBE-POSTROUTING', [{ markNot: true }], 'RETURN');
  n('KUBE-POSTROUTING', [], 'MARK', `--set-xmark ${MASQ_MARK}/0x0`);
  n('KUBE-POSTROUTING', [{ comment: 'kubernetes service traffic requiring SNAT' }], 'MASQUERADE', '--random-fully');

  for (const sp of sps) {
    const proto = sp.protocol.toLowerCase();
    const local = localEndpoints(sp, nodeName);
    const hasEndpoints = sp.endpoints.length > 0;
    const hasInternal = hasEndpoints && (!sp.internalLocal || local.length > 0);
    const hasExternal = hasEndpoints && (!sp.externalLocal || local.length > 0);
    const internalChain = sp.internalLocal ? sp.svlChain : sp.svcChain;
    const externalPolicyChain = sp.externalLocal ? sp.svlChain : sp.svcChain;
    const usesExt = hasEndpoints && externallyAccessible(sp);
    const filterComment = !hasEndpoints ? `${sp.id} has no endpoints` : `${sp.id} has no local endpoints`;
    const filterTarget = hasEndpoints ? 'DROP' : 'REJECT';
    const filterArgs = hasEndpoints ? undefined : '--reject-with icmp-port-unreachable';
    const dst = (ip: string, comment: string): Part[] => [{ d: ip }, { p: proto }, { comment }, { dport: sp.port, proto }];

    if (hasInternal) n('KUBE-SERVICES', dst(sp.clusterIP, `${sp.id} cluster IP`), internalChain);
    else f('KUBE-SERVICES', dst(sp.clusterIP, filterComment), filterTarget, filterArgs);
    for (const ip of sp.externalIPs) {
      if (hasEndpoints) n('KUBE-SERVICES', dst(ip, `${sp.id} external IP`), sp.extChain);
      if (!hasExternal) f('KUBE-EXTERNAL-SERVICES', dst(ip, filterComment), filterTarget, filterArgs);
    }
    for (const ip of sp.lbIPs) {
      if (hasEndpoints) n('KUBE-SERVICES', dst(ip, `${sp.id} loadbalancer IP`), sp.extChain);
    }
    if (!hasExternal) for (const ip of sp.lbIPs) f('KUBE-EXTERNAL-SERVICES', dst(ip, filterComment), filterTarget, filterArgs);
    if (sp.nodePort) {
      if (hasEndpoints) n('KUBE-NODEPORTS', [{ p: proto }, { comment: sp.id }, { dport: sp.nodePort, proto }], sp.extChain);
      if (!hasExternal) f('KUBE-EXTERNAL-SERVICES', [{ p: proto }, { comment: filterComment }, { addrtype: 'dst' }, { dport: sp.nodePort, proto }], filterTarget, filterArgs);
    }
    if (hasInternal) n(internalChain, [{ s: clusterCIDR, neg: true }, ...dst(sp.clusterIP, `${sp.id} cluster IP`)], 'KUBE-MARK-MASQ');
    if (usesExt) {
      nat.chains.add(sp.extChain);
      if (!sp.externalLocal) n(sp.extChain, [{ comment: `masquerade traffic for ${sp.id} external destinations` }], 'KUBE-MARK-MASQ');
      else {
        n(sp.extChain, [{ s: clusterCIDR }, { comment: `pod traffic for ${sp.id} external destinations` }], sp.svcChain);
        n(sp.extChain, [{ comment: `masquerade LOCAL traffic for ${sp.id} external destinations` }, { addrtype: 'src' }], 'KUBE-MARK-MASQ');
        n(sp.extChain, [{ comment: `route LOCAL traffic for ${sp.id} external destinations` }, { addrtype: 'src' }], sp.svcChain);
      }
      if (hasExternal) n(sp.extChain, [], externalPolicyChain);
    }
    if (hasEndpoints && usesClusterPolicy(sp)) {
      nat.chains.add(sp.svcChain);
      endpointRules(n, sp, sp.svcChain, sp.endpoints);
    }
    if (usesLocalPolicy(sp) && local.length > 0) {
      nat.chains.add(sp.svlChain);
      endpointRules(n, sp, sp.svlChain, local);
    }
    const reachable = usesClusterPolicy(sp) ? sp.endpoints : local;
    for (const ep of reachable) {
      nat.chains.add(ep.chain);
      n(ep.chain, [{ s: ep.ip }, { comment: sp.id }], 'KUBE-MARK-MASQ');
      const parts: Part[] = [{ p: proto }, { comment: sp.id }];
      if (sp.affinity) parts.push({ rset: ep.chain });
      parts.push({ dport: -1, proto }); // "-m tcp" with no port
      n(ep.chain, parts, 'DNAT', `--to-destination ${ep.ip}:${ep.port}`);
    }
  }
  n('KUBE-SERVICES', [{ comment: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain' }, { addrtype: 'dst' }], 'KUBE-NODEPORTS');
  f('KUBE-FORWARD', [{ comment: 'kubernetes forwarding rules' }, { mark: true }], 'ACCEPT');
  f('KUBE-FORWARD', [{ comment: 'kubernetes forwarding conntrack rule' }, { conntrack: 'RELATED,ESTABLISHED' }], 'ACCEPT');
  return { filter, nat };
}

/** proxy.ServicePort.UsesClusterEndpoints: external traffic needs the cluster chain even with Local policy (short circuits). */
function usesClusterPolicy(sp: ServicePort): boolean {
  return !sp.internalLocal || externallyAccessible(sp);
}

function externallyAccessible(sp: ServicePort): boolean {
  return sp.nodePort > 0 || sp.externalIPs.length > 0 || sp.lbIPs.length > 0;
}

function usesLocalPolicy(sp: ServicePort): boolean {
  return sp.internalLocal || (sp.externalLocal && externallyAccessible(sp));
}

function endpointRules(n: (chain: string, parts: Part[], target: string) => void, sp: ServicePort, chain: string, eps: Endpoint[]): void {
  if (sp.affinity) for (const ep of eps) n(chain, [{ comment: `${sp.id} -> ${ep.ip}:${ep.port}` }, { rcheck: ep.chain, seconds: sp.affinity }], ep.chain);
  eps.forEach((ep, i) => {
    const parts: Part[] = [{ comment: `${sp.id} -> ${ep.ip}:${ep.port}` }];
    if (i < eps.length - 1) parts.push({ statistic: probability(eps.length - i) });
    n(chain, parts, ep.chain);
  });
}

/** iptables-save's text for the tables asked for. */
export function iptablesSave(rules: NodeRules, tables: ('filter' | 'nat')[], when: string): string {
  const out: string[] = [];
  for (const name of tables) {
    const t = rules[name];
    out.push(`# Generated by iptables-save v1.8.9 (nf_tables) on ${when}`, `*${name}`);
    const chains = chainsOf(t) as string[];
    for (const c of chains) out.push(t.builtins.includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`);
    for (const c of chains) for (const r of rulesOf(t, c)) out.push(renderRule(r));
    out.push('COMMIT', `# Completed on ${when}`);
  }
  return out.join('\n') + '\n';
}

/** `iptables -t TABLE -S [CHAIN]`: the policies or chain declarations, then the rules. */
export function iptablesSpec(rules: NodeRules, table: 'filter' | 'nat', chain?: string): string | undefined {
  const t = rules[table];
  const chains = chainsOf(t, chain);
  if (!chains) return undefined;
  const out: string[] = chains.map((c) => (t.builtins.includes(c) ? `-P ${c} ACCEPT` : `-N ${c}`));
  for (const c of chains) for (const r of rulesOf(t, c)) out.push(renderRule(r));
  return out.join('\n') + '\n';
}

/** /etc/services names `iptables -L` shows for the ports kube-proxy's rules use (numeric with -n). */
const SERVICE_NAMES: Record<number, string> = { 53: 'domain', 80: 'http', 443: 'https', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' };

function listAddress(cidrText: string | undefined, numeric: boolean): string {
  if (!cidrText) return numeric ? '0.0.0.0/0' : 'anywhere';
  return cidrText.endsWith('/32') ? cidrText.slice(0, -3) : cidrText;
}

/** One rule as `iptables -L` lists it (iptables print_firewall: %-9s target, %-5s protocol, opt, %-19s addresses, then each match and the target). */
export function listRule(r: Rule, numeric: boolean): string {
  let src: { s: string; neg?: boolean } | undefined;
  let dst: { d: string; neg?: boolean } | undefined;
  let proto = 'all';
  const extra: string[] = [];
  const port = (n: number) => (numeric ? String(n) : (SERVICE_NAMES[n] ?? String(n)));
  for (const p of r.parts) {
    if ('s' in p) src = p;
    else if ('d' in p) dst = p;
    else if ('p' in p) proto = p.p;
    else if ('comment' in p) extra.push(`/* ${p.comment} */`);
    else if ('dport' in p) extra.push(p.dport >= 0 ? `${p.proto} dpt:${port(p.dport)}` : p.proto);
    else if ('addrtype' in p) extra.push(`ADDRTYPE match ${p.addrtype}-type LOCAL`);
    else if ('statistic' in p) extra.push(`statistic mode random probability ${p.statistic}`);
    else if ('rcheck' in p) extra.push(`recent: CHECK seconds: ${p.seconds} reap name: ${p.rcheck} side: source mask: 255.255.255.255`);
    else if ('rset' in p) extra.push(`recent: SET name: ${p.rset} side: source mask: 255.255.255.255`);
    else if ('markNot' in p) extra.push(`mark match ! ${MASQ_MARK}/${MASQ_MARK}`);
    else if ('mark' in p) extra.push(`mark match ${MASQ_MARK}/${MASQ_MARK}`);
    else if ('conntrack' in p) extra.push(`${p.neg ? '! ' : ''}ctstate ${p.conntrack}`);
  }
  const args = r.targetArgs ?? '';
  if (r.target === 'DNAT') extra.push(`to:${dnatTo(r)}`);
  else if (r.target === 'MARK') extra.push(args.endsWith('/0x0') ? `MARK xor ${MASQ_MARK}` : `MARK or ${MASQ_MARK}`);
  else if (r.target === 'MASQUERADE' && args) extra.push(args.replace(/^--/, ''));
  else if (r.target === 'REJECT') extra.push(`reject-with ${args.split(' ').pop()}`);
  const addr = (neg: boolean | undefined, text: string) => `${neg ? '!' : ' '}${text.padEnd(19)} `;
  return `${r.target.padEnd(9)}  ${proto.padEnd(5)}-- ${addr(src?.neg, listAddress(src && cidr(src.s), numeric))}${addr(dst?.neg, listAddress(dst && cidr(dst.d), numeric))}${extra.map((e) => ' ' + e).join('')}`;
}

/** `iptables [-t TABLE] -L [CHAIN] [-n]`: each chain with its policy or reference count, then its rules. */
export function iptablesList(rules: NodeRules, table: 'filter' | 'nat', chain: string | undefined, numeric: boolean): string | undefined {
  const t = rules[table];
  const chains = chainsOf(t, chain);
  if (!chains) return undefined;
  const refs = new Map<string, number>();
  for (const r of t.rules) refs.set(r.target, (refs.get(r.target) ?? 0) + 1);
  const blocks = chains.map((c) => {
    const head = t.builtins.includes(c) ? `Chain ${c} (policy ACCEPT)` : `Chain ${c} (${refs.get(c) ?? 0} references)`;
    const rows = rulesOf(t, c).map((r) => listRule(r, numeric));
    return [head, 'target     prot opt source               destination         ', ...rows].join('\n') + '\n';
  });
  return blocks.join('\n');
}

/** ctime-style time as iptables-save prints it: "Tue Dec  1 05:08:25 2026". */
export function ctime(ms: number): string {
  const s = new Date(ms).toUTCString(); // "Tue, 01 Dec 2026 05:08:25 GMT"
  const [, day, mon, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(s) as RegExpExecArray;
  return `${s.slice(0, 3)} ${mon} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}

export type WalkResult =
  | { kind: 'dnat'; to: string; rules: Rule[]; mark: boolean }
  | { kind: 'reject' | 'drop'; rules: Rule[] }
  | { kind: 'none'; rules: Rule[] };

/**
 * Walks a new connection's first packet through the nat table (PREROUTING for traffic arriving at
 * the node, OUTPUT for traffic the node sends), then the filter table if nothing rewrote it.
 */
export function walk(rules: NodeRules, pkt: Packet, ctx: WalkContext): WalkResult {
  const taken: Rule[] = [];
  const start = pkt.srcLocal ? 'OUTPUT' : 'PREROUTING';
  const natResult = walkChain(rules.nat, start, pkt, ctx, taken, 0);
  if (natResult && natResult.kind === 'dnat') return { ...natResult, rules: taken, mark: pkt.mark };
  const fTaken: Rule[] = [];
  const fStart = pkt.srcLocal ? 'OUTPUT' : pkt.dstLocal ? 'INPUT' : 'FORWARD';
  const fr = walkChain(rules.filter, fStart, pkt, ctx, fTaken, 0);
  if (fr && (fr.kind === 'reject' || fr.kind === 'drop')) return { kind: fr.kind, rules: [...taken, ...fTaken] };
  return { kind: 'none', rules: taken };
}

type ChainResult = { kind: 'dnat'; to: string } | { kind: 'reject' | 'drop' | 'accept' } | undefined;

function walkChain(t: Table, chain: string, pkt: Packet, ctx: WalkContext, taken: Rule[], depth: number): ChainResult {
  if (depth > 20) return undefined;
  for (const r of rulesOf(t, chain)) {
    if (!matches(r, pkt, ctx)) continue;
    // the trace shows the nat rules a packet matched; of the filter table only its verdict
    if (t.name === 'nat') taken.push(r);
    switch (r.target) {
      case 'RETURN':
        return undefined;
      case 'MARK':
        pkt.mark = true;
        continue;
      case 'DNAT':
        for (const p of r.parts) if ('rset' in p) ctx.recentSet(p.rset);
        return { kind: 'dnat', to: dnatTo(r) };
      case 'REJECT':
        taken.push(r);
        return { kind: 'reject' };
      case 'DROP':
        if (r.chain === 'KUBE-FIREWALL' || r.chain === 'KUBE-FORWARD') continue;
        taken.push(r);
        return { kind: 'drop' };
      case 'ACCEPT':
        return { kind: 'accept' };
      case 'MASQUERADE':
        continue;
      default: {
        if (!t.chains.has(r.target)) continue;
        const res = walkChain(t, r.target, pkt, ctx, taken, depth + 1);
        if (res) return res;
      }
    }
  }
  return undefined;
}
