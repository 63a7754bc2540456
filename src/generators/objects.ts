// kubectl's generators (pkg/cmd/create/create_deployment.go, create_service.go, pkg/cmd/run,
// pkg/generate/versioned/service*.go): typed objects built with keys in Go struct order, because
// `-o json` of a generated object prints in that order (YAML sorts them).
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../api/validation';
import type { Rand } from '../util/rand';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** kubectl's buildPodSpec: a container per image, named after the image. */
export function containersFor(images: string[], rand: Rand): Obj[] {
  return images.map((image) => {
    let name = image.split('/').pop()!;
    if (name.includes(':')) name = name.split(':')[0];
    if (name.includes('@')) name = name.split('@')[0];
    // sanitizeAndUniquify: "." and "_" become "-" and a random suffix keeps names unique
    if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${rand.suffix(5)}`;
    return { name, image, resources: {} };
  });
}

function meta(name: string, namespace: string | undefined, labels: Record<string, string>): Obj {
  return { name, ...(namespace ? { namespace } : {}), creationTimestamp: null, labels };
}

export function deploymentFor(name: string, namespace: string | undefined, images: string[], replicas: number, port: number | undefined, rand: Rand, command: string[] = []): KObject {
  const labels = { app: name };
  // `create deployment NAME --image=I -- COMMAND [args…]`: the words after "--" are the container's
  // command (Container.Command, which comes after Image in the struct)
  const containers = containersFor(images, rand).map((c) => (command.length ? { name: c.name, image: c.image, command: [...command], resources: {} } : c));
  if (port !== undefined && port >= 0 && containers.length) {
    const { resources: _r, ...first } = containers[0];
    containers[0] = { ...first, ports: [{ containerPort: port }], resources: {} };
  }
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: meta(name, namespace, labels) as KObject['metadata'],
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

/** create_service.go parsePorts: "port[:targetPort]" with kubectl's error texts. */
function parsePorts(s: string): { port: number; targetPort: number | string } {
  const [p, t] = s.split(':');
  if (!/^\d+$/.test(p)) throw new CliError(`error: strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`, true);
  const port = Number(p);
  if (port > 65535) throw new CliError(`error: strconv.ParseUint: parsing ${JSON.stringify(p)}: value out of range`, true);
  if (t === undefined) return { port, targetPort: port };
  if (/^-?\d+$/.test(t)) {
    const errs = isValidPortNum(Number(t));
    if (errs.length) throw new CliError(`error: ${errs.join(',')}`, true);
    return { port, targetPort: Number(t) };
  }
  const errs = isValidPortName(t);
  if (errs.length) throw new CliError(`error: ${errs.join(',')}`, true);
  return { port, targetPort: t };
}

export interface ServiceSpecArgs {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  tcp: string[];
  nodePort?: number;
  externalName?: string;
  clusterIP?: string;
}

export function serviceFor(name: string, namespace: string | undefined, a: ServiceSpecArgs): KObject {
  if (a.type === 'ExternalName') {
    if (isDNS1123Subdomain(a.externalName ?? '').length) throw new CliError(`error: invalid service external name ${a.externalName}`, true);
  } else if (a.tcp.length === 0 && a.clusterIP !== 'None') {
    throw new CliError('error: at least one tcp port specifier must be provided', true);
  }
  const ports = a.tcp.map((t) => {
    const { port, targetPort } = parsePorts(t);
    return { name: t.replace(/:/g, '-'), protocol: 'TCP', port, targetPort, ...(a.nodePort ? { nodePort: a.nodePort } : {}) };
  });
  const labels = { app: name };
  const spec: Obj = {};
  if (ports.length) spec.ports = ports;
  spec.selector = labels;
  if (a.clusterIP) spec.clusterIP = a.clusterIP;
  spec.type = a.type;
  if (a.externalName) spec.externalName = a.externalName;
  return { kind: 'Service', apiVersion: 'v1', metadata: meta(name, namespace, labels) as KObject['metadata'], spec, status: { loadBalancer: {} } };
}

export interface RunArgs {
  image: string;
  port?: number;
  labels?: Record<string, string>;
  env: string[];
  restart: string;
  command: boolean;
  args: string[];
  /** -i: the container keeps stdin open (once, for an attached run); -t: it gets a TTY */
  stdin?: boolean;
  tty?: boolean;
}

/** kubectl run's pod (generate/versioned/run.go BasicPod). */
export function podFor(name: string, namespace: string | undefined, a: RunArgs): KObject {
  const labels = a.labels ?? { run: name };
  const c: Obj = { name, image: a.image };
  if (a.args.length) {
    if (a.command) c.command = a.args;
    else c.args = a.args;
  }
  if (a.port !== undefined && a.port >= 0) c.ports = [{ containerPort: a.port }];
  if (a.env.length) {
    c.env = a.env.map((e) => {
      const i = e.indexOf('=');
      if (i <= 0) throw new CliError(`error: invalid env: ${e}`, true);
      return { name: e.slice(0, i), value: e.slice(i + 1) };
    });
  }
  c.resources = {};
  if (a.stdin) {
    c.stdin = true;
    c.stdinOnce = true;
  }
  if (a.tty) c.tty = true;
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: meta(name, namespace, labels) as KObject['metadata'],
    spec: { containers: [c], restartPolicy: a.restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
}

/** "k=v,k2=v2" as kubectl parses --labels. */
export function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new CliError(`error: invalid label spec: ${s}`, true);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

export interface ExposeArgs {
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: number[];
  protocols: string[];
  protocol?: string;
  targetPort?: string;
  type?: string;
  externalIP?: string;
  portName?: string;
  clusterIP?: string;
}

/** ServiceGeneratorV2 as kubectl expose drives it. */
export function exposedService(namespace: string | undefined, a: ExposeArgs): KObject {
  const ports: Obj[] = a.ports.map((port, i) => {
    const p: Obj = {};
    const name = a.ports.length > 1 ? `port-${i + 1}` : a.portName;
    if (name) p.name = name;
    p.protocol = a.protocol || a.protocols[i] || 'TCP';
    p.port = port;
    const tp = a.targetPort;
    p.targetPort = tp === undefined || tp === '' ? port : /^\d+$/.test(tp) ? Number(tp) : tp;
    return p;
  });
  const spec: Obj = { ports, selector: a.selector };
  if (a.clusterIP) spec.clusterIP = a.clusterIP;
  if (a.type) spec.type = a.type;
  if (a.externalIP) spec.externalIPs = [a.externalIP];
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name: a.name, ...(namespace ? { namespace } : {}), creationTimestamp: null, ...(Object.keys(a.labels).length ? { labels: a.labels } : {}) } as unknown as KObject['metadata'],
    spec,
    status: { loadBalancer: {} },
  };
}
