// The packet walk: where a new connection from a vantage point ends up. It decides which node sees
// the packet first, runs that node's kube-proxy rules (iptables or IPVS, from the same model the
// views print), then routes the rewritten packet to a pod or a node process, noting every hop for
// `curl --trace`. Pure computation: nothing here touches a real socket.
import type { KObject } from '../api/types';
import { nowMs } from '../util/clock';
import { listenerFor, type Listener } from './apps';
import { buildRules, renderRule, walk, type NodeRules, type Packet, type WalkContext } from './iptables';
import { servicePorts, localEndpoints, serviceAddresses, type Endpoint, type ServicePort } from './model';
import type { NodeInfo, Topology, Vantage } from './topology';
import { policiesEnforced } from '../cluster/config';
import { evaluate, verdictLine, type Direction, type NetPeer, type PolicyWorld } from './netpol';
import { podRef, type Hop } from './hops';

export type Connection =
  | { ok: true; pod: KObject; listener: Listener; node: NodeInfo; ip: string; port: number; clientIP: string; hops: Hop[] }
  | { ok: true; pod?: undefined; host: string; node: NodeInfo; ip: string; port: number; hops: Hop[]; sp?: ServicePort }
  | { ok: false; error: 'refused' | 'timeout'; hops: Hop[] };

/** A connection that failed, with the reason as the last hop (a drop or a refusal, where it happened). */
function failed(hops: Hop[], error: 'refused' | 'timeout', why: string, node?: string): Connection {
  hops.push({ kind: error === 'refused' ? 'refuse' : 'drop', text: why, ...(node ? { node } : {}) });
  return { ok: false, error, hops };
}

/** Processes on every node's own address that answer, besides host-network pods. */
const NODE_PORTS: Record<number, string> = { 22: 'sshd', 10250: 'kubelet', 10256: 'kube-proxy healthz' };

export class Network {
  private sps?: ServicePort[];
  private rules = new Map<string, NodeRules>();
  private toward = new Map<string, ServicePort[]>();
  private policies?: { world: PolicyWorld; enforced: boolean; cni: string } | null;
  constructor(public topo: Topology) {}

  get state() {
    return this.topo.state;
  }

  /** Every service port: what iptables-save, ipvsadm and ip addr show. */
  servicePorts(): ServicePort[] {
    return (this.sps ??= servicePorts(this.state));
  }

  /**
   * The service ports a packet to ip:port can match: those with that cluster, external or load
   * balancer IP, or that node port when the packet is for a node. Rules of other services can never
   * match it, so a walk over only these takes the same path, and large clusters stay quick.
   */
  portsToward(ip: string, port: number, toNode: boolean): ServicePort[] {
    if (this.sps) return this.sps;
    const key = `${ip}:${port}:${toNode}`;
    let sps = this.toward.get(key);
    if (!sps) {
      sps = servicePorts(this.state, (svc) => {
        const s = svc.spec ?? {};
        if (s.clusterIP === ip || (s.externalIPs ?? []).includes(ip)) return true;
        if ((svc.status?.loadBalancer?.ingress ?? []).some((i: { ip?: string }) => i.ip === ip)) return true;
        return toNode && (s.ports ?? []).some((p: { nodePort?: number }) => p.nodePort === port);
      });
      this.toward.set(key, sps);
    }
    return sps;
  }

  /** A node's whole rule set (iptables-save). */
  nodeRules(node: NodeInfo): NodeRules {
    return this.rulesFor(node, this.servicePorts(), 'all');
  }

  private rulesFor(node: NodeInfo, sps: ServicePort[], key: string): NodeRules {
    const k = `${node.name} ${key}`;
    let r = this.rules.get(k);
    if (!r) {
      r = buildRules(sps, node.name, this.topo.config.podCIDR);
      this.rules.set(k, r);
    }
    return r;
  }

  get ipvs(): boolean {
    return this.topo.config.proxyMode === 'ipvs';
  }

  /** Opens a connection from a vantage point to ip:port. */
  connect(from: Vantage, ip: string, port: number, protocol = 'TCP'): Connection {
    const hops: Hop[] = [];
    const fail = (error: 'refused' | 'timeout', why: string, at?: string) => failed(hops, error, why, at);
    let node: NodeInfo | undefined;
    if (from.kind === 'outside') {
      node = this.topo.nodeByIP(ip) ?? this.externalTarget(ip, port, protocol);
      if (!node) {
        if (this.topo.inServiceNetwork(ip)) return fail('timeout', `no route to ${ip} from ${from.ip}: the service network ${this.topo.config.serviceCIDR} exists only inside the cluster (kube-proxy's rules on the nodes); nothing outside can reach a ClusterIP`);
        if (this.topo.inPodNetwork(ip)) return fail('timeout', `no route to ${ip} from ${from.ip}: the pod network ${this.topo.config.podCIDR} is reachable only from the nodes and pods`);
        return fail('timeout', `no host answers at ${ip}`);
      }
      hops.push({ kind: 'enter', node: node.name, from: from.ip, to: `${ip}:${port}`, text: `${from.ip} → ${ip}:${port}/${protocol}: reaches node ${node.name} (${node.ip})${node.ip === ip ? '' : ', which answers for this address'}` });
      if (!node.ready) return fail('timeout', `node ${node.name} is down: nothing answers`, node.name);
    } else {
      node = from.node;
      const who = from.kind === 'pod' ? `pod ${from.pod.metadata.namespace}/${from.pod.metadata.name}` : `node ${node.name}`;
      hops.push({ kind: 'enter', node: node.name, from: from.ip, to: `${ip}:${port}`, ...(from.kind === 'pod' ? { pod: podRef(from.pod) } : {}), text: `${from.ip} → ${ip}:${port}/${protocol} from ${who} on ${node.name}` });
    }
    return this.atNode(from, node, ip, port, protocol, hops, from.kind === 'node');
  }

  /**
   * The packet at a node's kube-proxy rules: sent by the node itself (OUTPUT) or arriving (PREROUTING).
   * A packet for another node's address that no rule rewrites is routed there and meets that node's
   * rules: a NodePort answers on every node's IP, whoever sends to it.
   */
  private atNode(from: Vantage, node: NodeInfo, ip: string, port: number, protocol: string, hops: Hop[], srcLocal: boolean): Connection {
    const fail = (error: 'refused' | 'timeout', why: string, at = node.name) => failed(hops, error, why, at);
    const dstLocal = ip === node.ip;
    const other = this.topo.nodeByIP(ip);
    const toNode = other !== undefined;
    const onward = (): Connection | undefined => {
      if (!other || other.name === node.name) return undefined;
      hops.push({ kind: 'route', node: node.name, from: node.name, to: other.name, text: `  routed ${node.name} → ${other.name} (${other.ip})` });
      if (!other.ready) return fail('timeout', `node ${other.name} is down: nothing answers`, other.name);
      return this.atNode(from, other, ip, port, protocol, hops, false);
    };
    if (this.ipvs) return this.viaIpvs(from, node, ip, port, protocol, hops, onward);

    const pkt: Packet = { src: from.ip, dst: ip, dport: port, proto: protocol.toLowerCase(), srcLocal, dstLocal, mark: false };
    const res = walk(this.rulesFor(node, this.portsToward(ip, port, toNode), `${ip}:${port}:${toNode}`), pkt, this.walkContext(from.ip));
    for (const r of res.rules) {
      const rule = renderRule(r);
      hops.push({ kind: 'rule', node: node.name, chain: r.chain, rule, target: r.target, text: `  ${node.name} iptables: ${rule}` });
    }
    if (res.kind === 'reject') {
      // Calico's chains come first in FORWARD: an egress-isolated pod's packet to a service without
      // endpoints is judged (for the service address, nothing rewrote it) before kube-proxy rejects it
      const dropped = this.egressCheck(from, ip, port, protocol, hops);
      if (dropped) return fail('timeout', dropped);
      return fail('refused', `rejected by kube-proxy's rule on ${node.name}: the service has no ready endpoints (icmp-port-unreachable, "connection refused")`);
    }
    if (res.kind === 'drop') return fail('timeout', `dropped by kube-proxy's rule on ${node.name}: no endpoint of this service runs on this node`);
    if (res.kind === 'dnat') {
      const [epIP, epPort] = res.to.split(':');
      hops.push({ kind: 'dnat', node: node.name, from: `${ip}:${port}`, to: res.to, text: `  DNAT ${ip}:${port} → ${res.to}${res.mark ? ' (marked for masquerade)' : ''}` });
      return this.deliver(from, node, epIP, Number(epPort), protocol, res.mark, hops);
    }
    if (dstLocal) {
      const hp = this.hostPort(from, node, port, protocol, hops);
      if (hp) return hp;
    }
    const routed = onward();
    if (routed) return routed;
    // no service rule: a plain destination
    const sp = this.portsToward(ip, port, toNode).find((s) => serviceAddresses(s).includes(ip));
    if (sp) return fail('refused', `${ip} is the address of service ${sp.namespace}/${sp.name}, which has no port ${port}/${protocol}: refused`);
    return this.deliver(from, node, ip, port, protocol, false, hops);
  }

  /**
   * A container's hostPort on this node: the CNI portmap plugin's CNI-HOSTPORT-DNAT rule sends the
   * node's port to the pod (the ingress-nginx controller's 80 and 443 on minikube). The client's
   * address is kept; a packet the node sends itself is masqueraded.
   */
  private hostPort(from: Vantage, node: NodeInfo, port: number, protocol: string, hops: Hop[]): Connection | undefined {
    // the pods on this node (the scheduler's index), not every pod of the cluster
    for (const [key, ip] of this.state.index('pods-by-node').members(node.name)) {
      if (!ip) continue;
      const i = key.indexOf('/');
      const p = this.state.get('Pod', key.slice(0, i), key.slice(i + 1));
      if (!p || p.status?.phase !== 'Running') continue;
      for (const c of p.spec?.containers ?? []) {
        const cp = (c.ports ?? []).find((x: { hostPort?: number; protocol?: string }) => x.hostPort === port && (x.protocol ?? 'TCP') === protocol);
        if (!cp) continue;
        const to = `${p.status.podIP}:${cp.containerPort}`;
        hops.push({ kind: 'dnat', node: node.name, chain: 'CNI-HOSTPORT-DNAT', from: `${node.ip}:${port}`, to, pod: podRef(p), text: `  ${node.name} CNI-HOSTPORT-DNAT: hostPort ${port}/${protocol} of pod ${p.metadata.namespace}/${p.metadata.name} → DNAT to ${to}` });
        return this.deliver(from, node, p.status.podIP, cp.containerPort, protocol, from.kind === 'node', hops);
      }
    }
    return undefined;
  }

  /** The node that answers for a LoadBalancer ingress IP or external IP (MetalLB's L2 announcement). */
  private externalTarget(ip: string, port: number, protocol: string): NodeInfo | undefined {
    const sps = this.portsToward(ip, port, false);
    const sp = sps.find((s) => (s.lbIPs.includes(ip) || s.externalIPs.includes(ip)) && s.port === port && s.protocol === protocol) ?? sps.find((s) => s.lbIPs.includes(ip) || s.externalIPs.includes(ip));
    if (!sp) return undefined;
    const ready = this.topo.nodes.filter((n) => n.ready);
    if (!ready.length) return undefined;
    // with Local policy the announcing node is one that runs an endpoint, as MetalLB does
    const candidates = sp.externalLocal ? ready.filter((n) => localEndpoints(sp, n.name).length) : ready;
    const pool = candidates.length ? candidates : ready;
    let h = 0;
    for (const c of `${sp.namespace}/${sp.name}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return pool[h % pool.length];
  }

  private walkContext(client: string): WalkContext {
    const rt = () => this.state.runtime(true);
    const now = nowMs();
    return {
      random: (p) => {
        this.state.touch();
        return this.state.rand.float() < p;
      },
      recentCheck: (name, seconds) => {
        const e = rt().affinity[name]?.[client];
        return !!e && now - e.at <= seconds * 1000;
      },
      recentSet: (name) => {
        (rt().affinity[name] ??= {})[client] = { ep: name, at: now };
      },
    };
  }

  private viaIpvs(from: Vantage, node: NodeInfo, ip: string, port: number, protocol: string, hops: Hop[], onward: () => Connection | undefined): Connection {
    const toward = this.portsToward(ip, port, this.topo.nodeByIP(ip) !== undefined);
    const vs = this.virtualServers(node, toward).find((v) => v.ip === ip && v.port === port && v.protocol === protocol);
    if (!vs) {
      if (ip === node.ip) {
        const hp = this.hostPort(from, node, port, protocol, hops);
        if (hp) return hp;
      }
      const routed = onward();
      if (routed) return routed;
      if (toward.some((s) => serviceAddresses(s).includes(ip))) return failed(hops, 'refused', `${ip} is bound to kube-ipvs0 on ${node.name}, but no virtual server listens on port ${port}: refused`, node.name);
      return this.deliver(from, node, ip, port, protocol, false, hops);
    }
    const virtual = `${protocol}  ${ip}:${port} ${vs.sp.affinity ? `rr persistent ${vs.sp.affinity}` : 'rr'}`;
    hops.push({ kind: 'rule', node: node.name, rule: virtual, text: `  ${node.name} IPVS: virtual server ${virtual}` });
    if (!vs.real.length) {
      const dropped = this.egressCheck(from, ip, port, protocol, hops);
      if (dropped) return failed(hops, 'timeout', dropped, node.name);
      return failed(hops, 'refused', `  no real servers behind ${ip}:${port}: kube-proxy rejects the connection`, node.name);
    }
    const rt = this.state.runtime(true);
    const key = `${protocol}/${ip}:${port}`;
    let ep: Endpoint | undefined;
    const now = nowMs();
    if (vs.sp.affinity) {
      const e = rt.affinity[`IPVS ${key}`]?.[from.ip];
      if (e && now - e.at <= vs.sp.affinity * 1000) ep = vs.real.find((r) => `${r.ip}:${r.port}` === e.ep);
    }
    if (!ep) {
      const i = (rt.rr[key] ?? 0) % vs.real.length;
      rt.rr[key] = i + 1;
      ep = vs.real[i];
    }
    if (vs.sp.affinity) (rt.affinity[`IPVS ${key}`] ??= {})[from.ip] = { ep: `${ep.ip}:${ep.port}`, at: now };
    hops.push({ kind: 'dnat', node: node.name, from: `${ip}:${port}`, to: `${ep.ip}:${ep.port}`, text: `  -> real server ${ep.ip}:${ep.port} (Masq)` });
    const masq = from.kind !== 'pod' || !vs.sp.externalLocal;
    return this.deliver(from, node, ep.ip, ep.port, protocol, masq && ip !== vs.sp.clusterIP, hops);
  }

  /** kube-proxy's IPVS virtual servers on one node, with their real servers. */
  virtualServers(node: NodeInfo, sps = this.servicePorts()): { protocol: string; ip: string; port: number; sp: ServicePort; real: Endpoint[] }[] {
    const out: { protocol: string; ip: string; port: number; sp: ServicePort; real: Endpoint[] }[] = [];
    for (const sp of sps) {
      const internal = sp.internalLocal ? localEndpoints(sp, node.name) : sp.endpoints;
      const external = sp.externalLocal ? localEndpoints(sp, node.name) : sp.endpoints;
      out.push({ protocol: sp.protocol, ip: sp.clusterIP, port: sp.port, sp, real: internal });
      for (const ip of [...sp.externalIPs, ...sp.lbIPs]) out.push({ protocol: sp.protocol, ip, port: sp.port, sp, real: external });
      if (sp.nodePort) out.push({ protocol: sp.protocol, ip: node.ip, port: sp.nodePort, sp, real: external });
    }
    return out;
  }

  /** Routes a packet to its final address: a pod, or a process on a node. */
  private deliver(from: Vantage, node: NodeInfo, ip: string, port: number, protocol: string, masq: boolean, hops: Hop[]): Connection {
    const fail = (error: 'refused' | 'timeout', why: string, at = node.name) => failed(hops, error, why, at);
    // egress is decided at the source pod for the final (post-DNAT) destination, before routing
    const egress = this.egressCheck(from, ip, port, protocol, hops);
    if (egress) return fail('timeout', egress);
    const hostNode = this.topo.nodeByIP(ip);
    if (hostNode) {
      if (hostNode.name !== node.name) hops.push({ kind: 'route', node: node.name, from: node.name, to: hostNode.name, text: `  routed ${node.name} → ${hostNode.name} (${hostNode.ip})` });
      if (!hostNode.ready) return fail('timeout', `node ${hostNode.name} is down: nothing answers`, hostNode.name);
      for (const p of this.topo.hostNetworkPods(hostNode)) {
        const l = listenerFor(p, port, protocol);
        if (l && p.status?.phase === 'Running') {
          hops.push({ kind: 'deliver', node: hostNode.name, to: `${ip}:${port}`, pod: podRef(p), text: `  delivered to host-network pod ${p.metadata.namespace}/${p.metadata.name} on ${hostNode.name}, container ${l.container.name}, port ${port}` });
          return { ok: true, pod: p, listener: l, node: hostNode, ip, port, clientIP: masq || from.kind !== 'outside' ? node.ip : from.ip, hops };
        }
      }
      // kube-proxy serves each externalTrafficPolicy: Local service's health check node port on every node
      const hc = protocol === 'TCP' ? this.servicePorts().find((sp) => sp.svc.spec?.healthCheckNodePort === port) : undefined;
      if (hc) {
        hops.push({ kind: 'deliver', node: hostNode.name, to: `${ip}:${port}`, text: `  answered by kube-proxy on ${hostNode.name}: the health check node port of service ${hc.namespace}/${hc.name}` });
        return { ok: true, host: 'kube-proxy healthcheck', sp: hc, node: hostNode, ip, port, hops };
      }
      if (protocol === 'TCP' && NODE_PORTS[port]) {
        hops.push({ kind: 'deliver', node: hostNode.name, to: `${ip}:${port}`, text: `  answered by ${NODE_PORTS[port]} on ${hostNode.name} (${ip}:${port})` });
        return { ok: true, host: NODE_PORTS[port], node: hostNode, ip, port, hops };
      }
      return fail('refused', `nothing listens on ${hostNode.name} port ${port}/${protocol}: the node's kernel answers with a TCP reset (connection refused)`, hostNode.name);
    }
    if (!this.topo.inPodNetwork(ip)) return fail('timeout', `no host answers at ${ip}`);
    const podNode = this.topo.nodeForPodIP(ip);
    const pod = this.topo.podByIP(ip);
    if (podNode && podNode.name !== node.name) hops.push({ kind: 'route', node: node.name, from: node.name, to: podNode.name, text: `  routed ${node.name} → ${podNode.name} (${podNode.ip}), which holds the pod range ${podNode.podCIDR}` });
    if (podNode && !podNode.ready) return fail('timeout', `node ${podNode.name} is down: nothing answers for ${ip}`, podNode.name);
    if (!pod || !podNode) return fail('timeout', `no pod has the address ${ip}`);
    const dropped = this.policyCheck('ingress', pod, this.ingressSource(from, node, podNode, masq), port, protocol, hops);
    if (dropped) return fail('timeout', dropped, podNode.name);
    const who = `pod ${pod.metadata.namespace}/${pod.metadata.name} (${ip}) on ${podNode.name}`;
    if (pod.status?.phase !== 'Running') return fail('refused', `${who} is not running: refused`, podNode.name);
    const l = listenerFor(pod, port, protocol);
    if (!l) return fail('refused', `${who}: no container listens on port ${port}/${protocol}; the pod's kernel answers with a TCP reset (connection refused)`, podNode.name);
    // masqueraded, or sent by the node itself: the source is the node's address on the way to the pod
    const clientIP = masq || from.kind === 'node' ? (podNode.name === node.name ? node.bridgeIP : node.ip) : from.ip;
    hops.push({ kind: 'deliver', node: podNode.name, to: `${ip}:${port}`, pod: podRef(pod), text: `  delivered to ${who}, container ${l.container.name} (${l.app}), port ${port}; the pod sees the client as ${clientIP}` });
    return { ok: true, pod, listener: l, node: podNode, ip, port, clientIP, hops };
  }

  /**
   * The policies in force, or null when the state holds none: then a connection pays for no more
   * than this one look at the state's manifest.
   */
  private policyGate(): { world: PolicyWorld; enforced: boolean; cni: string } | null {
    if (this.policies !== undefined) return this.policies;
    const state = this.state;
    if (!state.namespacesOf('NetworkPolicy').length) return (this.policies = null);
    const cni = state.config.cni ?? 'calico';
    const world: PolicyWorld = {
      policies: (ns) => state.list('NetworkPolicy', ns),
      namespaceLabels: (ns) => state.get('Namespace', undefined, ns)?.metadata.labels,
    };
    return (this.policies = { world, enforced: policiesEnforced(state.config), cni });
  }

  /**
   * One direction's check at one pod, noted in the hops; returns the drop's reason, or undefined
   * when the traffic may pass. A policy-enforcing CNI drops silently: the caller's connection times out.
   */
  private policyCheck(dir: Direction, subject: KObject, peer: NetPeer, port: number, protocol: string, hops: Hop[]): string | undefined {
    const gate = this.policyGate();
    if (!gate) return undefined;
    if (!gate.enforced) {
      const note = `  NetworkPolicy: not enforced (the cluster's CNI, ${gate.cni}, does not implement NetworkPolicy)`;
      if (!hops.some((h) => h.text === note)) hops.push({ kind: 'policy', text: note });
      return undefined;
    }
    const v = evaluate(gate.world, dir, subject, peer, port, protocol);
    const line = `  ${verdictLine(dir, subject, peer, port, protocol, v)}`;
    if (!v.allowed) return line;
    hops.push({ kind: 'policy', pod: podRef(subject), text: line });
    return undefined;
  }

  /** The egress check at a source pod (host-network pods are never selected): the drop's reason, if dropped. */
  private egressCheck(from: Vantage, ip: string, port: number, protocol: string, hops: Hop[]): string | undefined {
    if (from.kind !== 'pod' || from.pod.spec?.hostNetwork) return undefined;
    return this.policyCheck('egress', from.pod, this.peerAt(ip), port, protocol, hops);
  }

  /** What is at an address, as a policy sees a destination: a pod, a node (its address or bridge), or an outside machine. */
  private peerAt(ip: string): NetPeer {
    const pod = this.topo.podByIP(ip);
    if (pod) return { kind: 'pod', pod, ip };
    const node = this.topo.nodes.find((n) => n.ip === ip || n.bridgeIP === ip);
    return node ? { kind: 'node', node: node.name, ip } : { kind: 'ip', ip };
  }

  /**
   * The source an ingress policy at a pod judges. Traffic masqueraded on another node arrives with
   * that node's address; masqueraded on the pod's own node, the policy (Calico's FORWARD chains) runs
   * before POSTROUTING's masquerade and sees the original source. Sent by a node itself: that node.
   */
  private ingressSource(from: Vantage, node: NodeInfo, podNode: NodeInfo, masq: boolean): NetPeer {
    if (masq && podNode.name !== node.name) return { kind: 'node', node: node.name, ip: node.ip };
    if (from.kind === 'node') return { kind: 'node', node: from.node.name, ip: from.node.name === podNode.name ? from.node.bridgeIP : from.ip };
    if (from.kind === 'pod') return from.pod.spec?.hostNetwork ? { kind: 'node', node: from.node.name, ip: from.ip } : { kind: 'pod', pod: from.pod, ip: from.ip };
    return { kind: 'ip', ip: from.ip };
  }
}
