// The pod IPs a node's kubelet/CNI (host-local IPAM) gives out from the node's podCIDR.
import { intToIp, parseCidr } from '../util/ip';

/**
 * A node's pod addresses during one kubelet pass: the lowest free address from .2 up (.1 is the
 * bridge/gateway). A pass only takes addresses, so each search resumes where the last one stopped:
 * thousands of pods on a full node cost one scan, not one each.
 */
export class PodIPRange {
  private next: number;
  private end: number;
  constructor(podCIDR: string, private inUse: Set<string>) {
    const c = parseCidr(podCIDR);
    this.next = c.base + 2;
    this.end = c.base + c.size - 1;
  }
  take(): string | undefined {
    for (; this.next < this.end; this.next++) {
      const ip = intToIp(this.next);
      if (!this.inUse.has(ip)) {
        this.inUse.add(ip);
        this.next++;
        return ip;
      }
    }
    return undefined;
  }
}
