// NetworkPolicy evaluation: may a connection leave its source pod (egress) and enter its destination
// pod (ingress)? Pure: it reads policies and namespace labels through a PolicyWorld and decides with
// the semantics of kubernetes/website content/en/docs/concepts/services-networking/network-policies.md
// (and the API's field docs in k8s.io/api/networking/v1/types.go):
// - a pod is isolated for a direction when any policy selecting it has that policyType; it then
//   accepts only what some rule of some such policy allows (policies are additive);
// - a rule allows traffic that matches one of its peers (from/to) and one of its ports; an empty or
//   missing list matches everything;
// - a peer with podSelector and namespaceSelector in one element selects those pods of those
//   namespaces; podSelector alone means the policy's namespace; namespaceSelector {} every namespace;
// - ipBlock: the docs leave it implementation-defined whether it matches pod IPs; Calico matches
//   any source or destination address, pods' and nodes' included, and so do we;
// - traffic to and from the node where a pod runs is always allowed, a pod can always reach itself,
//   and host-network pods are never selected.
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/labels';
import { inCidr } from '../util/ip';

type Obj = Record<string, any>;

/** The other end of a connection, as the policy sees it. */
export type NetPeer =
  | { kind: 'pod'; pod: KObject; ip: string }
  /** a node: its own address, its bridge, a host-network pod on it */
  | { kind: 'node'; node: string; ip: string }
  /** a machine outside the cluster */
  | { kind: 'ip'; ip: string };

export type Direction = 'ingress' | 'egress';

/** What the evaluation reads: the policies of a namespace and a namespace's labels. */
export interface PolicyWorld {
  policies(namespace: string): KObject[];
  namespaceLabels(namespace: string): Record<string, string> | undefined;
}

export type Verdict =
  | { allowed: true; why: 'not-isolated' | 'own-node' | 'self' | 'host-network' }
  | { allowed: true; why: 'rule'; policy: KObject; rule: number; peer: string; port: string }
  | { allowed: false; isolatedBy: KObject[] };

/** The automatic label every namespace carries (the apiserver sets it; an old object may lack it). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A world from plain objects: the tests' and any caller's that has lists at hand. */
export function worldOf(policies: KObject[], namespaces: KObject[]): PolicyWorld {
  return {
    policies: (ns) => policies.filter((p) => (p.metadata.namespace ?? 'default') === ns),
    namespaceLabels: (ns) => namespaces.find((n) => n.metadata.name === ns)?.metadata.labels,
  };
}

export { selectorMatches };

/** The policy types, defaulted as SetDefaults_NetworkPolicySpec does for an object stored without them. */
export function policyTypes(p: KObject): string[] {
  const t: string[] | undefined = p.spec?.policyTypes;
  if (t?.length) return t;
  return (p.spec?.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
}

const podKey = (p: KObject) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/**
 * Decides one direction at one pod: ingress at `subject` from `peer`, or egress from `subject` to
 * `peer`, for traffic to `port`/`protocol` (the destination pod's port, after any DNAT).
 */
export function evaluate(world: PolicyWorld, dir: Direction, subject: KObject, peer: NetPeer, port: number, protocol = 'TCP'): Verdict {
  if (subject.spec?.hostNetwork) return { allowed: true, why: 'host-network' };
  if (peer.kind === 'pod' && podKey(peer.pod) === podKey(subject)) return { allowed: true, why: 'self' };
  if (peer.kind === 'node' && peer.node === subject.spec?.nodeName) return { allowed: true, why: 'own-node' };
  const ns = subject.metadata.namespace ?? 'default';
  const type = dir === 'ingress' ? 'Ingress' : 'Egress';
  const isolating = world.policies(ns).filter((p) => policyTypes(p).includes(type) && selectorMatches(p.spec?.podSelector ?? {}, subject.metadata.labels));
  if (!isolating.length) return { allowed: true, why: 'not-isolated' };
  // the pod whose containerPorts name the ports: the destination
  const target = dir === 'ingress' ? subject : peer.kind === 'pod' ? peer.pod : undefined;
  for (const p of isolating) {
    const rules: Obj[] = p.spec?.[dir] ?? [];
    for (let i = 0; i < rules.length; i++) {
      const peers: Obj[] | undefined = rules[i][dir === 'ingress' ? 'from' : 'to'];
      const which = peers?.length ? peers.find((e) => peerMatches(world, e, p.metadata.namespace ?? 'default', peer)) : {};
      if (!which) continue;
      const ports: Obj[] | undefined = rules[i].ports;
      const pm = ports?.length ? ports.find((x) => portMatches(x, port, protocol, target)) : {};
      if (!pm) continue;
      const word = dir === 'ingress' ? 'from' : 'to';
      return { allowed: true, why: 'rule', policy: p, rule: i, peer: peers?.length ? `${word} ${describePeer(which)}` : `${word} anywhere`, port: ports?.length ? describePort(pm, port, protocol) : 'any port' };
    }
  }
  return { allowed: false, isolatedBy: isolating };
}

function namespaceOf(p: KObject): string {
  return p.metadata.namespace ?? 'default';
}

function peerMatches(world: PolicyWorld, e: Obj, policyNs: string, peer: NetPeer): boolean {
  if (e.ipBlock) {
    const b = e.ipBlock;
    return !!b.cidr && inCidr(peer.ip, b.cidr) && !(b.except ?? []).some((x: string) => inCidr(peer.ip, x));
  }
  if (!e.podSelector && !e.namespaceSelector) return false;
  // selectors select pods on the pod network only: a node or an outside address is matched by ipBlock alone
  if (peer.kind !== 'pod' || peer.pod.spec?.hostNetwork) return false;
  const ns = namespaceOf(peer.pod);
  if (e.namespaceSelector) {
    const labels = { ...(world.namespaceLabels(ns) ?? {}), [NAMESPACE_NAME_LABEL]: ns };
    if (!selectorMatches(e.namespaceSelector, labels)) return false;
  } else if (ns !== policyNs) return false;
  return !e.podSelector || selectorMatches(e.podSelector, peer.pod.metadata.labels);
}

/** A NetworkPolicyPort against the destination port; a named port is looked up in the destination pod. */
function portMatches(x: Obj, port: number, protocol: string, target: KObject | undefined): boolean {
  if ((x.protocol ?? 'TCP') !== protocol) return false;
  if (x.port === undefined || x.port === null) return true;
  if (typeof x.port === 'number') return typeof x.endPort === 'number' ? port >= x.port && port <= x.endPort : port === x.port;
  return namedPort(target, String(x.port), protocol) === port;
}

function namedPort(pod: KObject | undefined, name: string, protocol: string): number | undefined {
  for (const c of [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** `app=api,tier in (a,b)`: a selector as the trace shows it. */
export function describeSelector(sel: Obj): string {
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

function describePeer(e: Obj): string {
  if (e.ipBlock) return `ipBlock ${e.ipBlock.cidr}${(e.ipBlock.except ?? []).length ? ` except ${e.ipBlock.except.join(', ')}` : ''}`;
  const pod = e.podSelector ? (describeSelector(e.podSelector) ? `podSelector ${describeSelector(e.podSelector)}` : 'podSelector {} (all pods)') : '';
  const ns = e.namespaceSelector ? (describeSelector(e.namespaceSelector) ? `namespaceSelector ${describeSelector(e.namespaceSelector)}` : 'namespaceSelector {} (all namespaces)') : '';
  return [ns, pod].filter(Boolean).join(' and ');
}

function describePort(x: Obj, port: number, protocol: string): string {
  if (x.port === undefined || x.port === null) return `any ${protocol} port`;
  if (typeof x.port === 'string') return `port ${x.port} (${port}/${protocol})`;
  if (typeof x.endPort === 'number') return `ports ${x.port}-${x.endPort}/${protocol}`;
  return `port ${port}/${protocol}`;
}

/** `10.244.1.4 (pod default/web)`: the other end as a trace names it. */
export function describeNetPeer(peer: NetPeer): string {
  if (peer.kind === 'pod') return `${peer.ip} (pod ${podKey(peer.pod)})`;
  if (peer.kind === 'node') return `${peer.ip} (node ${peer.node})`;
  return `${peer.ip} (outside the cluster)`;
}

/** The trace line for a verdict: plain words, one line per check. */
export function verdictLine(dir: Direction, subject: KObject, peer: NetPeer, port: number, protocol: string, v: Verdict): string {
  const who = podKey(subject);
  const head = dir === 'ingress' ? `ingress to ${who}` : `egress from ${who}`;
  if (!v.allowed) {
    return `NetworkPolicy: dropped: ${who} is isolated for ${dir} by ${v.isolatedBy.map(podKey).join(', ')}; no rule allows ${describeNetPeer(peer)} on port ${port}/${protocol}`;
  }
  switch (v.why) {
    case 'rule':
      return `NetworkPolicy: ${head} allowed by ${podKey(v.policy)} rule ${v.rule + 1} (${v.peer}, ${v.port})`;
    case 'self':
      return `NetworkPolicy: ${head} allowed: a pod can always reach itself`;
    case 'host-network':
      return `NetworkPolicy: ${head} allowed: a host-network pod is never selected by a policy`;
    case 'own-node':
      return `NetworkPolicy: ${head} allowed: traffic ${dir === 'ingress' ? 'from' : 'to'} the pod's own node ${peer.kind === 'node' ? peer.node : ''} is always allowed`;
    default:
      return `NetworkPolicy: ${head} allowed: no policy selects it for ${dir}`;
  }
}
