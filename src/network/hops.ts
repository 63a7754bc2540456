// One step of a request's way through the simulated network, as data. route.ts, the resolver and
// the proxies note each step as a Hop; `curl --trace` prints each hop's text after "kubesim trace: "
// (renderTrace), and the dashboard draws the same hops: the two cannot tell different stories.

export type HopKind =
  /** the packet meets its first node: sent there from outside, or sent by a node or a pod on it */
  | 'enter'
  /** a kube-proxy rule that matched (iptables: one iptables-save line; IPVS: the virtual server) */
  | 'rule'
  /** the destination rewritten: kube-proxy's DNAT, IPVS's real server, a hostPort's CNI-HOSTPORT-DNAT */
  | 'dnat'
  /** routed from one node to another */
  | 'route'
  /** delivered: to a pod's container, a host-network pod, or a process of the node */
  | 'deliver'
  /** dropped: the client's connection times out */
  | 'drop'
  /** refused: the client gets a reset or an ICMP port unreachable */
  | 'refuse'
  /** the client's resolver: /etc/hosts, CoreDNS, curl's --resolve */
  | 'dns'
  /** a NetworkPolicy check that let the packet pass (or a note that policies are not enforced) */
  | 'policy'
  /** the TLS handshake's certificate choice */
  | 'tls'
  /** what a proxy did with the request (ingress-nginx's route and upstream choice) */
  | 'app';

export interface Hop {
  kind: HopKind;
  /** the line `curl --trace` prints after "kubesim trace: ", its indentation included */
  text: string;
  /** the node where this happens */
  node?: string;
  /** rule: the chain the rule sits in (KUBE-SERVICES, KUBE-SEP-…); dnat by a hostPort: CNI-HOSTPORT-DNAT */
  chain?: string;
  /** rule: the rule as `iptables-save` prints it (IPVS: the virtual server as ipvsadm shows it) */
  rule?: string;
  /** rule: where it jumps (a chain, DNAT, MARK …) */
  target?: string;
  /** enter, dnat: the address before (ip or ip:port); route: the node it leaves */
  from?: string;
  /** enter, dnat, deliver: the address after (ip:port); route: the node it reaches */
  to?: string;
  /** deliver: the pod reached; enter from a pod: the sending pod; app: the proxy's pod */
  pod?: { namespace: string; name: string };
}

/** The hop's pod reference, from a pod object. */
export function podRef(p: { metadata: { namespace?: string; name?: string } }): { namespace: string; name: string } {
  return { namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '' };
}

/** What `curl --trace` prints for these hops. */
export function renderTrace(hops: Hop[]): string {
  return hops.map((h) => `kubesim trace: ${h.text}\n`).join('');
}

/** The same hops one level deeper (a proxy's own connection to its upstream): two more spaces. */
export function nested(hops: Hop[]): Hop[] {
  return hops.map((h) => ({ ...h, text: `  ${h.text}` }));
}
