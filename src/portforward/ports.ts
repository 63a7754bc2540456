// Which local port forwards to which container port: kubectl's parsing of `[LOCAL:]REMOTE`, named
// ports looked up in the pod, and a service's port translated to its targetPort
// (kubectl pkg/cmd/portforward, pkg/util/podutils; client-go tools/portforward).
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';

export interface ForwardedPort {
  local: number;
  remote: number;
}

function splitPort(port: string): [string, string] {
  const parts = port.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

const isNumber = (s: string) => /^-?\d+$/.test(s);

/** util.LookupContainerPortNumberByName: any container, any protocol. */
function containerPortByName(pod: KObject, name: string): number {
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  }
  throw new CliError(`error: Pod '${pod.metadata.name}' does not have a named port '${name}'`, true);
}

/** convertPodNamedPortToNumber */
export function podPorts(ports: string[], pod: KObject): string[] {
  return ports.map((port) => {
    const [local, remote] = splitPort(port);
    if (remote === '') throw new CliError('error: remote port cannot be empty', true);
    const container = isNumber(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${container}` : container;
  });
}

/** translateServicePortToTargetPort: a service port (number or name) becomes the pod's container port. */
export function servicePorts(ports: string[], svc: KObject, pod: KObject): string[] {
  return ports.map((port) => {
    const [local, remote] = splitPort(port);
    let portNum: number;
    if (isNumber(remote)) portNum = Number(remote);
    else {
      const sp = (svc.spec?.ports ?? []).find((p: { name?: string }) => p.name === remote);
      if (!sp) throw new CliError(`error: Service '${svc.metadata.name}' does not have a named port '${remote}'`, true);
      portNum = sp.port;
    }
    const container = containerPortForServicePort(svc, pod, portNum);
    // a remote port that changed gets the service port as its local port, as kubectl does
    if (container !== portNum && local === remote) return `${portNum}:${container}`;
    return local !== remote ? `${local}:${container}` : String(container);
  });
}

/** util.LookupContainerPortNumberByServicePort */
function containerPortForServicePort(svc: KObject, pod: KObject, port: number): number {
  for (const sp of svc.spec?.ports ?? []) {
    if (sp.port !== port) continue;
    if (svc.spec.clusterIP === 'None') return port;
    const tp = sp.targetPort;
    if (tp === undefined || tp === 0 || tp === '0') return sp.port;
    if (typeof tp === 'number' || isNumber(String(tp))) return Number(tp);
    return containerPortByName(pod, String(tp));
  }
  throw new CliError(`error: Service ${svc.metadata.name} does not have a service port ${port}`, true);
}

function parseUint16(s: string, what: 'local' | 'remote'): number {
  if (!/^\d+$/.test(s)) throw new CliError(`error: error parsing ${what} port '${s}': strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`, true);
  const n = Number(s);
  if (n > 65535) throw new CliError(`error: error parsing ${what} port '${s}': strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`, true);
  return n;
}

/** client-go's parsePorts: `5000`, `8888:5000`, `:5000` / `0:5000` (a random local port). */
export function parsePorts(ports: string[]): ForwardedPort[] {
  return ports.map((p) => {
    const parts = p.split(':');
    let local: string;
    let remote: string;
    if (parts.length === 1) [local, remote] = [parts[0], parts[0]];
    else if (parts.length === 2) [local, remote] = [parts[0] === '' ? '0' : parts[0], parts[1]];
    else throw new CliError(`error: invalid port format '${p}'`, true);
    const l = parseUint16(local, 'local');
    const r = parseUint16(remote, 'remote');
    if (r === 0) throw new CliError('error: remote port must be > 0', true);
    return { local: l, remote: r };
  });
}

/** checkUDPPorts: kubectl forwards TCP only, and says so for a port declared UDP and not TCP. */
export function checkUDP(ports: string[], target: KObject, pod: KObject): void {
  const declared: { name?: string; port: number; protocol?: string }[] =
    target.kind === 'Service'
      ? target.spec?.ports ?? []
      : (pod.spec?.containers ?? []).flatMap((c: { ports?: { name?: string; containerPort: number; protocol?: string }[] }) => (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol })));
  const tcp = new Set(declared.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.port));
  const udpOnly = new Set(declared.filter((p) => p.protocol === 'UDP' && !tcp.has(p.port)).map((p) => p.port));
  for (const port of ports) {
    const [, remote] = splitPort(port);
    const num = isNumber(remote) ? Number(remote) : declared.find((p) => p.name === remote)?.port;
    if (num !== undefined && udpOnly.has(num)) throw new CliError(`error: UDP protocol is not supported for ${remote}`, true);
  }
}
