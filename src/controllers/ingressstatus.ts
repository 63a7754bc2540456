// ingress-nginx's status sync (kubernetes/ingress-nginx internal/ingress/status/status.go): the
// elected controller writes status.loadBalancer.ingress of the Ingresses it serves every
// updateInterval (60 s) from when it started leading, so ADDRESS appears up to a minute after an
// Ingress is made. The address is the InternalIP of the nodes running a controller pod
// (k8s.GetNodeIPOrName: ExternalIP first, none on these nodes), or, with --publish-service (the
// LoadBalancer install), that Service's load-balancer ingress. The store's event handler records
// `Normal Sync "Scheduled for sync"` from nginx-ingress-controller on every add and update of an
// Ingress (internal/ingress/controller/store/store.go), the status write included.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone, cmp } from '../util/compare';
import { nowMs } from '../util/clock';
import { recordEvent } from './events';
import { dueTimers, wakeAt } from './timers';

const NS = 'ingress-nginx';
const UPDATE_INTERVAL = 60_000;
const SOURCE = { component: 'nginx-ingress-controller' };

/** The running controller pods and when the first started (leading from then). */
function controllers(state: State): { pods: KObject[]; since: number } | undefined {
  const pods = state.list('Pod', NS).filter((p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'controller' && p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  const starts = pods.map((p) => Date.parse(p.status?.startTime ?? '')).filter((t) => !Number.isNaN(t));
  if (!starts.length) return undefined;
  return { pods, since: Math.min(...starts) };
}

function addresses(state: State, pods: KObject[]): { ip?: string; hostname?: string }[] {
  const dep = state.get('Deployment', NS, 'ingress-nginx-controller');
  const args: string[] = dep?.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const publish = args.find((a) => a.startsWith('--publish-service='));
  if (publish) {
    const svc = state.get('Service', NS, publish.split('/').pop() as string);
    return (svc?.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string; hostname?: string }) => (i.ip ? { ip: i.ip } : { hostname: i.hostname }));
  }
  const ips = new Set<string>();
  for (const p of pods) {
    const node = state.get('Node', undefined, p.spec?.nodeName ?? '');
    const addrs: { type: string; address: string }[] = node?.status?.addresses ?? [];
    const ip = addrs.find((a) => a.type === 'ExternalIP')?.address ?? addrs.find((a) => a.type === 'InternalIP')?.address;
    if (ip) ips.add(ip);
  }
  return [...ips].sort(cmp).map((ip) => ({ ip }));
}

function served(state: State, ing: KObject): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { servedByNginx } = require('../network/ingressroute') as typeof import('../network/ingressroute');
  return servedByNginx(ing as never, (name) => state.get('IngressClass', undefined, name)?.spec?.controller);
}

/** klog's info line as the controller (PID 7 in its image) writes it. */
function klog(ms: number, where: string, msg: string): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}       7 ${where}] ${msg}`;
}

/** What the controller logs and records when a change reaches its store: the event, a reload. */
function logSync(state: State, pods: KObject[], ing: KObject, at: number, why: 'add' | 'update' | 'status'): void {
  const first = why === 'add';
  const reload = why !== 'status';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { appendLog } = require('../network/apps') as typeof import('../network/apps');
  const ns = ing.metadata.namespace;
  const name = ing.metadata.name;
  const ref = `Event(v1.ObjectReference{Kind:"Ingress", Namespace:"${ns}", Name:"${name}", UID:"${ing.metadata.uid}", APIVersion:"networking.k8s.io/v1", ResourceVersion:"${ing.metadata.resourceVersion}", FieldPath:""}): type: 'Normal' reason: 'Sync' Scheduled for sync`;
  for (const pod of pods) {
    const lines = first ? [klog(at, 'store.go:440', `"Found valid IngressClass" ingress="${ns}/${name}" ingressclass="${ing.spec?.ingressClassName ?? '_'}"`)] : [];
    lines.push(klog(at, 'event.go:377', ref));
    if (reload) {
      lines.push(klog(at, 'controller.go:193', '"Configuration changes detected, backend reload required"'), klog(at, 'controller.go:213', '"Backend successfully reloaded"'));
      const podRef = `Event(v1.ObjectReference{Kind:"Pod", Namespace:"${NS}", Name:"${pod.metadata.name}", UID:"${pod.metadata.uid}", APIVersion:"v1", ResourceVersion:"${pod.metadata.resourceVersion}", FieldPath:""}): type: 'Normal' reason: 'RELOAD' NGINX reload triggered due to a change in configuration`;
      lines.push(klog(at, 'event.go:377', podRef));
      recordEvent(state, pod, 'Normal', 'RELOAD', 'NGINX reload triggered due to a change in configuration', SOURCE, at);
    }
    appendLog(state, pod, 'controller', lines, at);
  }
}

/** What the controller's informers have seen (its process memory, kept beside the pod's app data). */
function memory(state: State, pod: KObject): Record<string, string> {
  return state.runtime().data[pod.metadata.uid as string] ?? {};
}

function remember(state: State, pod: KObject, key: string, value: string): void {
  const rt = state.runtime(true);
  (rt.data[pod.metadata.uid as string] ??= {})[key] = value;
}

function hasSyncEvent(state: State, ing: KObject): boolean {
  return state.list('Event', ing.metadata.namespace).some((e) => e.involvedObject?.uid === ing.metadata.uid && e.reason === 'Sync' && e.source?.component === SOURCE.component);
}

export function syncIngressStatus(state: State): void {
  const ctl = controllers(state);
  if (!ctl) {
    clearOnShutdown(state);
    return;
  }
  const now = nowMs();
  const due = new Set(dueTimers(state, 'IngressStatus', now).map(([ns, name]) => `${ns}/${name}`));
  const ings = new Map<string, KObject>();
  let listed: KObject[];
  // every namespace's, not only those the command touched: the controller watches them all
  try {
    listed = state.listAll('Ingress');
  } catch {
    return; // a kubesim without the Ingress kind
  }
  for (const i of listed) ings.set(`${i.metadata.namespace}/${i.metadata.name}`, i);
  for (const key of due) {
    const [ns, name] = key.split('/');
    const i = state.get('Ingress', ns, name);
    if (i) ings.set(key, i);
  }
  const want = addresses(state, ctl.pods);
  for (const ing of ings.values()) {
    if (ing.metadata.deletionTimestamp || !served(state, ing)) continue;
    const seenAt = Math.max(Date.parse(ing.metadata.creationTimestamp ?? '') || now, ctl.since);
    // the controller's store: a new Ingress, or a new generation of one, is a Sync and a reload
    const seen = memory(state, ctl.pods[0]);
    const key = `ingress ${ing.metadata.namespace}/${ing.metadata.name}`;
    const gen = String(ing.metadata.generation ?? 1);
    if (seen[key] !== gen) {
      const why = seen[key] === undefined && !hasSyncEvent(state, ing) ? 'add' : seen[key] === undefined ? undefined : 'update';
      const at = why === 'add' ? Math.min(seenAt, now) : now;
      if (why) {
        recordEvent(state, ing, 'Normal', 'Sync', 'Scheduled for sync', SOURCE, at);
        logSync(state, ctl.pods, ing, at, why);
      }
      remember(state, ctl.pods[0], key, gen);
    }
    const have = ing.status?.loadBalancer?.ingress ?? [];
    if (JSON.stringify(have) === JSON.stringify(want)) continue;
    // the next tick of the status loop at or after the controller saw it
    const tick = ctl.since + Math.ceil((seenAt - ctl.since) / UPDATE_INTERVAL) * UPDATE_INTERVAL;
    const at = tick;
    if (at > now) {
      wakeAt(state, 'IngressStatus', ing.metadata.namespace as string, ing.metadata.name, at);
      continue;
    }
    const upd = clone(ing);
    upd.status = { loadBalancer: want.length ? { ingress: want } : {} };
    for (const pod of ctl.pods.slice(0, 1)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { appendLog } = require('../network/apps') as typeof import('../network/apps');
      appendLog(state, pod, 'controller', [klog(at, 'status.go:304', `"updating Ingress status" namespace="${ing.metadata.namespace}" ingress="${ing.metadata.name}" currentValue=${have.length ? JSON.stringify(have) : 'null'} newValue=${JSON.stringify(want)}`)], at);
    }
    state.replace(upd);
    const stored = state.get('Ingress', upd.metadata.namespace, upd.metadata.name) ?? upd;
    // the update comes back through the informer: another "Scheduled for sync"
    recordEvent(state, stored, 'Normal', 'Sync', 'Scheduled for sync', SOURCE, at);
    logSync(state, ctl.pods, stored, at, 'status');
  }
}

/**
 * --update-status-on-shutdown (default true): the last controller to stop takes its addresses out
 * of the Ingresses' status (status.go Shutdown), so ADDRESS empties when the addon goes.
 */
function clearOnShutdown(state: State): void {
  if (state.get('Deployment', NS, 'ingress-nginx-controller')?.spec?.replicas) return; // still starting or restarting
  let list: KObject[];
  try {
    list = state.listAll('Ingress');
  } catch {
    return;
  }
  for (const ing of list) {
    // the IngressClass may have gone with the addon: its name still says whose the Ingress was
    if (!(ing.status?.loadBalancer?.ingress ?? []).length || !(served(state, ing) || ing.spec?.ingressClassName === 'nginx')) continue;
    const upd = clone(ing);
    upd.status = { loadBalancer: {} };
    state.replace(upd);
  }
}
