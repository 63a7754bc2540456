// GET pods/<name>/log: the container's log as the kubelet serves it (pkg/registry/core/pod/rest/log.go
// for the checks, pkg/kubelet/kuberuntime/logs for tailLines/sinceSeconds/timestamps/limitBytes), the
// same lines `kubesim logs` prints (src/controllers/kubelet/readlog.ts). follow=true keeps the
// response open and sends new lines as the simulated cluster writes them, until the pod goes away.
import { badRequest, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { previousTimedLog, type LogLine } from '../controllers/kubelet/logs';
import { containerLog, formatLog, logWindow, startedAt, waitingReason } from '../controllers/kubelet/readlog';
import { openRead } from '../apiserver/transaction';
import type { Store } from '../store/store';
import { nowMs } from '../util/clock';
import type { RequestContext } from './context';

const FOLLOW_POLL_MS = 250;

function podOf(store: Store, namespace: string, name: string): KObject {
  const pod = openRead(store).get('Pod', namespace, name);
  if (!pod) throw notFound(lookupResource('pods')!, name);
  return pod;
}

/** The container a request names, or the pod's only one (pkg/registry/core/pod/strategy.go LogLocation). */
export function containerOf(pod: KObject, asked: string | null): string {
  const names: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
  const inits: string[] = (pod.spec?.initContainers ?? []).map((c: { name: string }) => c.name);
  if (!asked) {
    if (names.length === 1) return names[0];
    let msg = `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
    throw badRequest(msg);
  }
  if (!names.includes(asked) && !inits.includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${pod.metadata.name}`);
  return asked;
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

const isTrue = (v: string | null) => v === 'true' || v === '1';

/** sinceSeconds / sinceTime: the earliest time (ms) a line is served from. */
function sinceOf(q: URLSearchParams): number | undefined {
  const seconds = intParam(q, 'sinceSeconds');
  const time = q.get('sinceTime');
  if (seconds !== undefined && time) throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (seconds !== undefined) {
    if (seconds < 1) throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Invalid value: ' + seconds + ': must be greater than 0');
    return Math.floor(nowMs() / 1000) * 1000 - seconds * 1000;
  }
  if (time) {
    const t = Date.parse(time);
    if (Number.isNaN(t)) throw badRequest(`parsing time ${JSON.stringify(time)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(time)} as "2006"`);
    return Math.floor(t / 1000) * 1000;
  }
  return undefined;
}

export function serveLog(ctx: RequestContext, namespace: string, name: string): void {
  const q = ctx.url.searchParams;
  const pod = podOf(ctx.store, namespace, name);
  const container = containerOf(pod, q.get('container'));
  const tail = intParam(q, 'tailLines') ?? -1;
  const limit = intParam(q, 'limitBytes');
  if (limit !== undefined && limit < 1) throw badRequest(`PodLogOptions "" is invalid: limitBytes: Invalid value: ${limit}: must be greater than 0`);
  const since = sinceOf(q);
  const timestamps = isTrue(q.get('timestamps'));
  const state = openRead(ctx.store);
  let lines: LogLine[];
  if (isTrue(q.get('previous'))) {
    const prev = previousTimedLog(state, pod, container, startedAt(pod, container) || 0);
    if (!prev) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    lines = prev;
  } else {
    const why = waitingReason(pod, container);
    if (why) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
    lines = containerLog(state, pod, container);
  }
  let left = limit ?? Infinity;
  const res = ctx.res;
  /** writes within limitBytes; false once the limit is reached */
  const send = (text: string): boolean => {
    const b = Buffer.from(text);
    const part = b.length > left ? b.subarray(0, left) : b;
    left -= part.length;
    if (part.length) res.write(part);
    return left > 0;
  };
  const first = formatLog(logWindow(lines, tail, since), '', timestamps);
  const follow = isTrue(q.get('follow')) && !isTrue(q.get('previous'));
  res.writeHead(200, { 'Content-Type': 'text/plain', ...(follow ? { 'Transfer-Encoding': 'chunked' } : {}) });
  if (!send(first) || !follow) {
    res.end();
    return;
  }
  followLog(ctx, pod, container, lines.length, timestamps, send);
}

/** New lines as they come, until the pod is gone or replaced, the limit is reached or the client leaves. */
function followLog(ctx: RequestContext, pod: KObject, container: string, seen: number, timestamps: boolean, send: (t: string) => boolean): void {
  const uid = pod.metadata.uid;
  const stop = () => {
    clearInterval(timer);
    if (!ctx.res.writableEnded) ctx.res.end();
  };
  const timer = setInterval(() => {
    try {
      const state = openRead(ctx.store);
      const now = state.get('Pod', pod.metadata.namespace, pod.metadata.name);
      if (!now || now.metadata.uid !== uid) return stop(); // the pod is gone: its log ends
      const all = containerLog(state, now, container);
      // a restarted container starts a new log
      const fresh = all.length >= seen ? all.slice(seen) : all;
      seen = all.length;
      if (fresh.length && !send(formatLog(fresh, '', timestamps))) stop();
    } catch {
      /* the state is being rewritten: look again next time */
    }
  }, FOLLOW_POLL_MS);
  ctx.res.on('close', () => clearInterval(timer));
}
