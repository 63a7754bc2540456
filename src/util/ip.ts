// IPv4 arithmetic for the simulated networks (node network, pod CIDRs, LB pools).
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
export function parseCidr(cidr: string): { base: number; bits: number; size: number } {
  const [ip, b] = cidr.split('/');
  const bits = Number(b);
  const size = 2 ** (32 - bits);
  return { base: ipToInt(ip) - (ipToInt(ip) % size), bits, size };
}
export function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + c.size;
}
export function isIPv4(s: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s);
}
