// Simulated resource metrics: what metrics-server would report as each running container's CPU
// usage, a pure function of the cluster state and the simulated time (no history is kept). The HPA
// controller (hpa.ts) reads it as the resource metrics API; `kubectl top` can read it too.
//
// The model, in millicores (m):
// - every running container of a server image idles at its app's IDLE_MILLI_BY_APP (1m for most: the
//   walkthrough's php-apache shows 0% of its 200m request at rest; a few busier control-plane and
//   database servers more); a container that only runs a shell or sleeps uses 0m;
// - an in-cluster client is a running container whose script loops forever over requests (`while
//   sleep 0.01; do wget -q -O- http://php-apache; done`, `while true; do curl …; done`): it sends
//   1000 / (sleep ms + REQUEST_MS) requests a second (the walkthrough's load generator: 1000 / 20 =
//   50 a second) and spends CLIENT_MILLI_PER_RPS per request a second itself (50 → 10m);
// - its requests go to what the URL's host resolves to in the client's DNS: a Service's ready
//   endpoints share them equally (kube-proxy's random choice, on average), a pod IP gets them all;
// - each request costs the serving container its image's CPU: COST_MS_PER_REQUEST (hpa-example's
//   index.php, a million square roots: 12 ms of CPU, so 50 a second are 600m, 300% of a 200m request)
//   or DEFAULT_COST_MS for any other server (0.2 ms);
// - a container with a cpu limit never uses more than it (CFS throttling); the walkthrough's
//   php-apache (limit 500m) then shows 250% on one pod, and the load spread over 7 pods ~43%.
// A pod has metrics once all its containers have run for METRICS_DELAY_MS (metrics-server's first
// two scrapes); before that it is "missing" to the HPA.
import { parseQuantity, quantityMilliValue, quantityValue } from '../api/quantity';
import type { KObject } from '../api/types';
import { appFor } from '../network/apps';
import { addresses, podResolver, resolve } from '../network/dns';
import type { State } from '../store/state';
import { containerArgv } from './program';

export const IDLE_MILLI = 1;
/** Idle usage of the servers that use more than IDLE_MILLI at rest (metrics-server's figures for them on a quiet kubeadm cluster, rounded). */
export const IDLE_MILLI_BY_APP: Record<string, number> = { apiserver: 40, coredns: 3, mongo: 6, redis: 2 };
export const REQUEST_MS = 10;
export const CLIENT_MILLI_PER_RPS = 0.2;
export const COST_MS_PER_REQUEST: Record<string, number> = { 'hpa-example': 12 };
export const DEFAULT_COST_MS = 0.2;
export const METRICS_DELAY_MS = 15_000;
/** Idle CPU of the control-plane images appFor counts as no server (metrics-server on a quiet kubeadm cluster, rounded). */
export const IDLE_MILLI_BY_IMAGE: Record<string, number> = { etcd: 18, 'kube-controller-manager': 14, 'kube-scheduler': 3, 'kube-proxy': 1 };
/**
 * Working set (MiB) by image (the repository's last part) or, failing that, by app: an idle nginx
 * worker ~3Mi, redis ~3Mi, a shell that sleeps ~1Mi (busybox), the control plane's figures on
 * a fresh kubeadm cluster. A container never uses more than its memory limit.
 */
export const MEMORY_MI_BY_IMAGE: Record<string, number> = {
  'kube-apiserver': 230,
  etcd: 42,
  'kube-controller-manager': 48,
  'kube-scheduler': 19,
  'kube-proxy': 14,
  coredns: 13,
  'hpa-example': 11,
};
export const MEMORY_MI_BY_APP: Record<string, number> = { nginx: 3, httpd: 6, redis: 3, mongo: 78, 'hello-app': 2, echoserver: 4, 'serve-hostname': 1, echo: 2, tcp: 2, none: 1 };
/** What a node runs outside pods (the OS, kubelet, containerd): its own usage in top nodes. */
export const NODE_OVERHEAD = { milli: 28, mi: 420 };
const MI = 1024 * 1024;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export interface PodUsage {
  /** container name → millicores */
  containers: Record<string, number>;
  /** the sample's time (ms) */
  timestamp: number;
}

const key = (ns: string, name: string) => `${ns}/${name}`;

/** Running with every container started, and since when (the latest container start). */
function runningSince(pod: KObject): number | undefined {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return undefined;
  const statuses: Obj[] = pod.status?.containerStatuses ?? [];
  if (!statuses.length) return undefined;
  let since = 0;
  for (const cs of statuses) {
    const at = cs.state?.running?.startedAt;
    if (!at) return undefined;
    since = Math.max(since, Date.parse(at));
  }
  return since;
}

/** An endless request loop in a container's command: the URL's host and the requests per second. */
export function requestLoop(c: Obj): { host: string; rps: number } | undefined {
  const text = containerArgv(c as { name: string; image: string }).join(' ');
  if (!/\bwhile\b/.test(text) || !/\b(wget|curl)\b/.test(text)) return undefined;
  const cond = /\bwhile\s+([^;]*);/.exec(text)?.[1]?.trim() ?? '';
  if (!/^(true|:|sleep\s+[\d.]+[smh]?)$/.test(cond)) return undefined;
  const url = /\b(?:wget|curl)\b[^;]*?\s(?:'|")?((?:https?:\/\/)?[A-Za-z0-9][\w.-]*(?::\d+)?(?:\/[^\s'";]*)?)(?:'|")?\s*(?:;|$)/.exec(text)?.[1];
  if (!url) return undefined;
  const host = url.replace(/^https?:\/\//, '').split(/[:/]/)[0];
  // the sleeps in the loop, and each request's round trip
  let sleepMs = 0;
  for (const m of text.matchAll(/\bsleep\s+([\d.]+)([smh]?)/g)) sleepMs += Number(m[1]) * ({ '': 1000, s: 1000, m: 60_000, h: 3_600_000 }[m[2]] as number);
  return { host, rps: 1000 / (sleepMs + REQUEST_MS) };
}

/** The pods behind a name as the client's DNS resolves it: a Service's ready endpoints, or the pod at that IP. */
function targets(state: State, client: KObject, host: string): KObject[] {
  const ips = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? [host] : addresses(state, resolve(state, host, podResolver(state, client)));
  const out: KObject[] = [];
  for (const ip of ips) {
    const svc = state.listAll('Service').find((s) => s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip));
    if (svc) {
      const ep = state.get('Endpoints', svc.metadata.namespace, svc.metadata.name);
      for (const sub of ep?.subsets ?? []) {
        for (const a of sub.addresses ?? []) {
          const ref = a.targetRef;
          const pod = ref?.kind === 'Pod' ? state.get('Pod', ref.namespace ?? svc.metadata.namespace, ref.name) : undefined;
          if (pod && !out.includes(pod)) out.push(pod);
        }
      }
      continue;
    }
    const pod = state.listAll('Pod').find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork);
    if (pod && !out.includes(pod)) out.push(pod);
  }
  return out;
}

function cpuLimit(c: Obj): number | undefined {
  const q = parseQuantity(c.resources?.limits?.cpu);
  return q ? Number(quantityMilliValue(q)) : undefined;
}

/** Every running pod's CPU usage per container at `now` (namespace/name → usage), metrics-ready pods only. */
export function cpuUsage(state: State, now: number): Map<string, PodUsage> {
  // every namespace, whatever the controllers' scope: a client anywhere loads the pods it reaches
  const pods = state.listAll('Pod');
  const raw = new Map<string, Record<string, number>>();
  const running = new Map<string, number>();
  for (const p of pods) {
    const since = runningSince(p);
    if (since === undefined) continue;
    running.set(key(p.metadata.namespace as string, p.metadata.name), since);
    const use: Record<string, number> = {};
    for (const c of p.spec?.containers ?? []) {
      const app = appFor(c.image);
      use[c.name] = app === 'none' ? (IDLE_MILLI_BY_IMAGE[imageName(c.image)] ?? 0) : (IDLE_MILLI_BY_APP[app] ?? IDLE_MILLI);
    }
    raw.set(key(p.metadata.namespace as string, p.metadata.name), use);
  }
  // the clients' load, spread over what they reach
  for (const p of pods) {
    const k = key(p.metadata.namespace as string, p.metadata.name);
    if (!raw.has(k)) continue;
    for (const c of p.spec?.containers ?? []) {
      const loop = requestLoop(c);
      if (!loop) continue;
      raw.get(k)![c.name] += loop.rps * CLIENT_MILLI_PER_RPS;
      const to = targets(state, p, loop.host).filter((t) => raw.has(key(t.metadata.namespace as string, t.metadata.name)));
      for (const t of to) {
        const use = raw.get(key(t.metadata.namespace as string, t.metadata.name))!;
        // the serving container: the first one of a server image
        const server = (t.spec?.containers ?? []).find((x: Obj) => appFor(x.image) !== 'none');
        if (!server) continue;
        const cost = COST_MS_PER_REQUEST[appFor(server.image)] ?? DEFAULT_COST_MS;
        use[server.name] += (loop.rps / to.length) * cost;
      }
    }
  }
  const out = new Map<string, PodUsage>();
  for (const p of pods) {
    const k = key(p.metadata.namespace as string, p.metadata.name);
    const use = raw.get(k);
    if (!use || now - running.get(k)! < METRICS_DELAY_MS) continue;
    const containers: Record<string, number> = {};
    for (const c of p.spec?.containers ?? []) {
      const limit = cpuLimit(c);
      const v = Math.round(use[c.name] ?? 0);
      containers[c.name] = limit !== undefined ? Math.min(v, limit) : v;
    }
    out.set(k, { containers, timestamp: now });
  }
  return out;
}

const imageName = (image: string) => String(image ?? '').split('@')[0].replace(/:[^/:]*$/, '').split('/').pop() as string;

/** A small per-pod spread (0..1), from the uid: two replicas of one image do not show the same bytes. */
function spread(uid: string, container: string): number {
  let h = 2166136261;
  for (const ch of `${uid}/${container}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return (h % 1000) / 1000;
}

/** A running container's working set in bytes: its image's base plus a spread, capped by its memory limit. */
export function memoryBytes(pod: KObject, c: Obj): number {
  const base = MEMORY_MI_BY_IMAGE[imageName(c.image)] ?? MEMORY_MI_BY_APP[appFor(c.image)] ?? 2;
  // a spread of up to 20% (at least 1Mi), in whole MiB: top's sums and percentages then add up exactly
  const bytes = Math.round(base + Math.max(base * 0.2, 1) * spread(String(pod.metadata.uid), c.name)) * MI;
  const q = parseQuantity(c.resources?.limits?.memory);
  const limit = q ? Number(quantityValue(q)) : undefined;
  return limit !== undefined ? Math.min(bytes, limit) : bytes;
}

export interface NodeUsage {
  milli: number;
  bytes: number;
}

export function nodeReady(node: KObject): boolean {
  return (node.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** The nodes metrics-server can scrape at `now` (Ready for METRICS_DELAY_MS): their pods' usage plus the node's own. */
export function nodeUsage(state: State, now: number, pods: Map<string, PodUsage>): Map<string, NodeUsage> {
  const out = new Map<string, NodeUsage>();
  for (const n of state.listAll('Node')) {
    const ready = (n.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
    if (!nodeReady(n) || now - Date.parse(ready?.lastTransitionTime ?? n.metadata.creationTimestamp) < METRICS_DELAY_MS) continue;
    out.set(n.metadata.name, { milli: NODE_OVERHEAD.milli, bytes: NODE_OVERHEAD.mi * MI });
  }
  for (const p of state.listAll('Pod')) {
    const u = pods.get(key(p.metadata.namespace as string, p.metadata.name));
    const n = out.get(p.spec?.nodeName);
    if (!u || !n) continue;
    for (const c of p.spec?.containers ?? []) {
      n.milli += u.containers[c.name] ?? 0;
      n.bytes += memoryBytes(p, c);
    }
  }
  return out;
}

export interface PodMetrics {
  pod: KObject;
  containers: { name: string; milli: number; bytes: number }[];
}

/**
 * What metrics-server has for these pods at `now` (kubectl top pod and the metrics API read it): the
 * running pods past their first scrapes, on nodes it can reach, with each container's usage.
 */
export function podMetrics(state: State, now: number, pods: KObject[]): PodMetrics[] {
  const usage = cpuUsage(state, now);
  const readyNodes = new Set(state.listAll('Node').filter(nodeReady).map((n) => n.metadata.name));
  const out: PodMetrics[] = [];
  for (const pod of pods) {
    const u = usage.get(key(pod.metadata.namespace as string, pod.metadata.name));
    if (!u || !readyNodes.has(pod.spec?.nodeName)) continue;
    out.push({ pod, containers: (pod.spec?.containers ?? []).map((c: Obj) => ({ name: c.name, milli: u.containers[c.name] ?? 0, bytes: memoryBytes(pod, c) })) });
  }
  return out;
}
