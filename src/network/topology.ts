// Who is where on the simulated network: nodes with their addresses and pod ranges, pods by IP, and
// the three places a request can start from (outside the cluster, on a node, inside a pod).
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { inCidr, intToIp, parseCidr } from '../util/ip';
import { isNodeReady } from '../api/nodeutil';
import { isActivePod } from '../api/podutil';
import { CliError, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';

export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR: string;
  /** the bridge (cni0) address, first of the pod range: what pods see for traffic masqueraded on their node */
  bridgeIP: string;
  ready: boolean;
  obj: KObject;
}

/** A machine on the nodes' network outside the cluster: the learner's laptop or a bastion host. */
export const OUTSIDE_IP_OFFSET = 1;

export type Vantage =
  | { kind: 'outside'; ip: string }
  | { kind: 'node'; node: NodeInfo; ip: string }
  | { kind: 'pod'; pod: KObject; node: NodeInfo; ip: string; container: string };

export class Topology {
  nodes: NodeInfo[];
  private podsByIP = new Map<string, KObject>();
  constructor(public state: State) {
    this.nodes = state.list('Node').map((n) => {
      const ip = (n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '';
      const podCIDR = n.spec?.podCIDR ?? '';
      const bridgeIP = podCIDR ? intToIp(parseCidr(podCIDR).base + 1) : '';
      return { name: n.metadata.name, ip, podCIDR, bridgeIP, ready: isNodeReady(n), obj: n };
    });
    for (const p of state.list('Pod')) {
      const ip = p.status?.podIP;
      if (ip && !p.spec?.hostNetwork && isActivePod(p)) this.podsByIP.set(ip, p);
    }
  }

  get config() {
    return this.state.config;
  }

  outsideIP(): string {
    return intToIp(parseCidr(this.config.nodeNetwork).base + OUTSIDE_IP_OFFSET);
  }

  node(name: string | undefined): NodeInfo | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  nodeByIP(ip: string): NodeInfo | undefined {
    return this.nodes.find((n) => n.ip === ip);
  }

  podByIP(ip: string): KObject | undefined {
    return this.podsByIP.get(ip);
  }

  /** Host-network pods listening on a node's address (the API server, etcd, kube-proxy …). */
  hostNetworkPods(node: NodeInfo): KObject[] {
    return this.state.list('Pod').filter((p) => p.spec?.hostNetwork && p.spec?.nodeName === node.name && isActivePod(p));
  }

  inPodNetwork(ip: string): boolean {
    return inCidr(ip, this.config.podCIDR);
  }

  inServiceNetwork(ip: string): boolean {
    return inCidr(ip, this.config.serviceCIDR);
  }

  onNodeNetwork(ip: string): boolean {
    return inCidr(ip, this.config.nodeNetwork);
  }

  /** The node whose pod range holds an address. */
  nodeForPodIP(ip: string): NodeInfo | undefined {
    return this.nodes.find((n) => n.podCIDR && inCidr(ip, n.podCIDR));
  }
}

/** A node as a vantage point (ssh, a followed request's source): it must exist and be up, as sshd needs. */
export function nodeVantage(topo: Topology, name: string): Vantage {
  const node = topo.node(name);
  if (!node) throw notFound(lookupResource('nodes')!, name);
  if (!node.ready) throw new CliError(`ssh: connect to host ${node.ip} port 22: No route to host`, true);
  return { kind: 'node', node, ip: node.ip };
}
