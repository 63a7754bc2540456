// Follow a request (issue 19): the dashboard's "send a request from here to there and draw its way".
// It is `curl -sS -i --trace URL` run from the chosen vantage point by the same code as `kubesim
// curl`, `ssh NODE -- curl` and `exec POD -- curl`, so its hops are those --trace prints, and it is a
// real request: it advances the seeded random choices (kube-proxy's statistic rules), the round-robin
// counters, ClientIP affinity and the applications' logs exactly as curl does. Run it under the
// state lock (cli/context.ts touchRuntime) so those changes are kept, as curl's are.
import { CliError, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import type { Hop } from './hops';
import { Network } from './route';
import { curl, shellFor } from './shell';
import { nodeVantage, Topology, type Vantage } from './topology';

export type FollowSource = { kind: 'outside' } | { kind: 'node'; node: string } | { kind: 'pod'; namespace: string; name: string; container?: string };

export type FollowTarget =
  /** a Service port at its ClusterIP (port: the port's number or name; default its first port) */
  | { kind: 'service'; namespace: string; name: string; port?: number | string }
  /** a node port on a node: the port itself, or the node port of a Service's port */
  | { kind: 'nodeport'; node: string; port?: number; service?: { namespace: string; name: string; port?: number | string } }
  /** a pod's IP and a port */
  | { kind: 'pod'; namespace: string; name: string; port: number }
  /** any address */
  | { kind: 'ip'; ip: string; port: number }
  /** a DNS name, resolved by the source's resolver (CoreDNS in a pod) */
  | { kind: 'dns'; name: string; port: number }
  | { kind: 'url'; url: string };

export interface FollowRun {
  /** every hop, in order: what `curl --trace` prints, one hop a line */
  hops: Hop[];
  /** curl's exit status: 0, 6 (no such name), 7 (refused), 28 (timed out) … */
  exitCode: number;
  /** curl's error line when it failed ("curl: (7) Failed to connect …") */
  error?: string;
  /** the answer when one came: its status line, status code and body (the first 4 KiB) */
  reply?: { statusLine: string; status: number; body: string };
  /** the pod that answered (the last pod a hop delivered to) */
  pod?: { namespace: string; name: string };
}

export interface FollowResult {
  url: string;
  /** the client: "outside (192.168.49.1)", "node node01 (192.168.49.3)", "pod default/web-… (10.244.1.2)" */
  source: string;
  runs: FollowRun[];
  /** how many runs each pod answered, by namespace/name order: the load balancing at a glance */
  hits: { pod: { namespace: string; name: string }; count: number }[];
}

const MAX_RUNS = 1000;
const MAX_BODY = 4096;

function vantageOf(topo: Topology, s: FollowSource): Vantage {
  if (s.kind === 'outside') return { kind: 'outside', ip: topo.outsideIP() };
  if (s.kind === 'node') {
    const node = topo.node(s.node);
    if (node && !node.ready) throw new CliError(`error: node ${node.name} is down: it sends nothing`, true);
    return nodeVantage(topo, s.node);
  }
  const pod = topo.state.get('Pod', s.namespace, s.name);
  if (!pod) throw notFound(lookupResource('pods')!, s.name);
  const node = topo.node(pod.spec?.nodeName);
  const container = s.container ?? pod.spec?.containers?.[0]?.name;
  const running = (pod.status?.containerStatuses ?? []).some((c: { name: string; state?: { running?: unknown } }) => c.name === container && c.state?.running);
  if (!node || !running || !pod.status?.podIP) throw new CliError(`error: pod ${s.namespace}/${s.name} is not running: it sends nothing`, true);
  if (!node.ready) throw new CliError(`error: node ${node.name} is down: pod ${s.namespace}/${s.name} sends nothing`, true);
  return { kind: 'pod', pod, node, ip: pod.status.podIP, container };
}

function servicePort(svc: KObject, port: number | string | undefined): { port: number; nodePort?: number } {
  const ports: { name?: string; port: number; nodePort?: number }[] = svc.spec?.ports ?? [];
  const p = port === undefined ? ports[0] : ports.find((x) => x.port === port || x.name === port);
  if (!p) throw new CliError(`error: service ${svc.metadata.namespace}/${svc.metadata.name} has no port ${port ?? ''}`.trimEnd(), true);
  return p;
}

function getService(state: State, namespace: string, name: string): KObject {
  const svc = state.get('Service', namespace, name);
  if (!svc) throw notFound(lookupResource('services')!, name);
  return svc;
}

/** The URL a target names, as a person would type it after curl. */
export function targetURL(topo: Topology, t: FollowTarget): string {
  switch (t.kind) {
    case 'url':
      return t.url;
    case 'ip':
      return `http://${t.ip}:${t.port}/`;
    case 'dns':
      return `http://${t.name}:${t.port}/`;
    case 'pod': {
      const pod = topo.state.get('Pod', t.namespace, t.name);
      if (!pod) throw notFound(lookupResource('pods')!, t.name);
      if (!pod.status?.podIP) throw new CliError(`error: pod ${t.namespace}/${t.name} has no IP address yet`, true);
      return `http://${pod.status.podIP}:${t.port}/`;
    }
    case 'service': {
      const svc = getService(topo.state, t.namespace, t.name);
      const ip = svc.spec?.clusterIP;
      if (!ip || ip === 'None') throw new CliError(`error: service ${t.namespace}/${t.name} has no ClusterIP`, true);
      return `http://${ip}:${servicePort(svc, t.port).port}/`;
    }
    case 'nodeport': {
      const node = topo.node(t.node);
      if (!node) throw notFound(lookupResource('nodes')!, t.node);
      let port = t.port;
      if (t.service) {
        const p = servicePort(getService(topo.state, t.service.namespace, t.service.name), t.service.port);
        if (!p.nodePort) throw new CliError(`error: service ${t.service.namespace}/${t.service.name} has no node port`, true);
        port = p.nodePort;
      }
      if (port === undefined) throw new CliError('error: a node port or a service is required', true);
      return `http://${node.ip}:${port}/`;
    }
  }
}

function sourceText(v: Vantage): string {
  if (v.kind === 'outside') return `outside (${v.ip})`;
  if (v.kind === 'node') return `node ${v.node.name} (${v.ip})`;
  return `pod ${v.pod.metadata.namespace}/${v.pod.metadata.name} (${v.ip})`;
}

/** curl's -i output: the status line, headers, a blank line, the body. */
function replyOf(stdout: string): FollowRun['reply'] {
  const m = /^(HTTP\/[\d.]+ (\d{3})[^\r\n]*)\r?\n/.exec(stdout);
  if (!m) return undefined;
  const end = stdout.indexOf('\r\n\r\n');
  const body = end >= 0 ? stdout.slice(end + 4) : '';
  return { statusLine: m[1].trimEnd(), status: Number(m[2]), body: body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body };
}

/** Sends the request `times` times (1 to 1000) from the source to the target; each run is a real request. */
export function follow(state: State, source: FollowSource, target: FollowTarget, times = 1): FollowResult {
  const n = Math.max(1, Math.min(MAX_RUNS, Math.floor(times)));
  const topo = new Topology(state);
  const from = vantageOf(topo, source);
  const url = targetURL(topo, target);
  const sh = shellFor(new Network(topo), from);
  const runs: FollowRun[] = [];
  const counts = new Map<string, { pod: { namespace: string; name: string }; count: number }>();
  for (let i = 0; i < n; i++) {
    const hops: Hop[] = [];
    const r = curl(sh, ['-sS', '-i', '--trace', url], hops);
    const run: FollowRun = { hops, exitCode: r.code };
    const error = r.stderr
      .split('\n')
      .filter((l) => l && !l.startsWith('kubesim trace: '))
      .join('\n');
    if (error) run.error = error;
    const reply = replyOf(r.stdout);
    if (reply) run.reply = reply;
    const delivered = [...hops].reverse().find((h) => h.kind === 'deliver' && h.pod);
    if (delivered?.pod && r.code === 0) {
      run.pod = delivered.pod;
      const k = `${delivered.pod.namespace}/${delivered.pod.name}`;
      const c = counts.get(k) ?? { pod: delivered.pod, count: 0 };
      c.count++;
      counts.set(k, c);
    }
    runs.push(run);
  }
  const hits = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { url, source: sourceText(from), runs, hits };
}
