// `kubesim serve`'s watches: `GET …?watch=1` and the legacy `/api/v1/watch/…` paths answered with a
// chunked `application/json` stream of `{"type":…,"object":…}` lines, as the apiserver's WatchServer
// does (k8s.io/apiserver/pkg/endpoints/handlers/watch.go) over its watch cache
// (k8s.io/apiserver/pkg/storage/cacher: cacher.go, cache_watcher.go, watch_cache.go). The events come
// from the history hub (./history.ts), one per state directory, shared by every watch.
import { StatusError } from '../api/errors';
import { apiVersionOf } from '../api/resources';
import type { KObject } from '../api/types';
import { selection } from '../apiserver/client';
import type { RequestContext } from './context';
import { hubFor, TooOld, type Change, type EventType } from './history';
import { notFoundPath } from './http';
import { atVersion, targetOf as restTarget, type Target } from './rest';
import { isTableRequest, tableOf } from './table';

type Frame = { type: EventType | 'BOOKMARK' | 'ERROR'; object: unknown };

/**
 * A client that takes nothing for stallMs while events wait for it, or falls maxQueued events behind,
 * is cut off (the cacher closes a watcher whose buffer stays full too: cache_watcher.go), so it holds
 * no one up and memory stays bounded; its informer then relists.
 */
export const watchLimits = { stallMs: 10_000, maxQueued: 1_000_000 };

/** Whether a request is a watch: `watch=1|true` on a collection or object, or a `/watch/` path. */
export function isWatch(ctx: Pick<RequestContext, 'req' | 'url' | 'segments'>): boolean {
  if (ctx.req.method !== 'GET') return false;
  const w = ctx.url.searchParams.get('watch');
  if (w === '1' || w === 'true') return true;
  const s = ctx.segments;
  return (s[0] === 'api' && s[2] === 'watch') || (s[0] === 'apis' && s[3] === 'watch');
}

/** The resource a watch names: REST's path ([api, v1 | apis, g, v] [namespaces, ns] plural [name]), legacy `watch/` after the version. */
export function targetOf(segments: string[]): Target {
  const at = segments[0] === 'api' ? 2 : 3;
  const s = segments[at] === 'watch' ? [...segments.slice(0, at), ...segments.slice(at + 1)] : segments;
  const t = restTarget(s);
  if (!t || t.subresource !== undefined) throw notFoundPath();
  return t;
}

/** The handler: streams the events of one watch until the client goes, the timeout, or an ERROR. */
export function handle(ctx: RequestContext): void {
  const q = ctx.url.searchParams;
  const t = targetOf(ctx.segments);
  // a named object is watched as the apiserver does it: a field selector on its name
  const fieldSelector = [t.name !== undefined ? `metadata.name=${t.name}` : '', q.get('fieldSelector') ?? ''].filter(Boolean).join(',');
  const keep = selection(t.res, { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: fieldSelector || undefined });
  const rvParam = q.get('resourceVersion') ?? '';
  const sendInitial = q.get('sendInitialEvents') === 'true';
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  // apimachinery pkg/apis/meta/internalversion/validation: validateWatchOptions
  const match = q.get('resourceVersionMatch') ?? '';
  if (q.has('sendInitialEvents') && match !== 'NotOlderThan') {
    throw new StatusError('Invalid', `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`);
  }
  if (!q.has('sendInitialEvents') && match !== '') {
    throw new StatusError('Invalid', `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided`);
  }
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw new StatusError('BadRequest', `invalid resource version: ${JSON.stringify(rvParam)}`);
  // kubectl get -w asks for Table rows: the first event's Table has the column definitions, the
  // later ones none (handlers/response.go watchEmbeddedEncoder: NoHeaders after the first)
  const transform = isTableRequest(ctx) ? (obj: KObject, first: boolean) => table(ctx, t, obj, first) : (obj: KObject) => atVersion(obj, t);
  const hub = hubFor(ctx.store);
  hub.poll(); // the history up to the state in force: from here on nothing is missed

  const { res } = ctx;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let first = true;
  let closed = false;
  let ending = false;
  let lastRV = 0;
  // this watch's backlog: frames to make when the client can take them (the events' objects are
  // shared with the history, so a backlog costs a reference per event)
  const queue: (() => Frame)[] = [];
  let head = 0;
  let stall: NodeJS.Timeout | undefined;
  const pump = (): void => {
    while (!closed && head < queue.length) {
      let frame: Frame;
      try {
        frame = queue[head]();
      } catch {
        // an object its printer cannot show: this watch ends (the client relists), no other is touched
        return void res.destroy();
      }
      queue[head++] = undefined as never;
      if (!res.write(JSON.stringify(frame) + '\n')) {
        // the client is behind: carry on at 'drain'; one that takes nothing for stallMs is cut off
        stall ??= setTimeout(() => res.destroy(), watchLimits.stallMs);
        break;
      }
    }
    if (head > 1024 && head * 2 > queue.length) queue.splice(0, head), (head = 0);
    if (head === queue.length && ending) finish();
  };
  res.on('drain', () => {
    if (stall) clearTimeout(stall);
    stall = undefined;
    pump();
  });
  const write = (f: Frame | (() => Frame)): void => {
    if (closed || ending) return;
    queue.push(typeof f === 'function' ? f : () => f);
    if (queue.length - head > watchLimits.maxQueued) return void res.destroy();
    if (head === queue.length - 1 && !stall) pump();
  };
  const event = (type: EventType, obj: KObject): void => {
    lastRV = Math.max(lastRV, Number(obj.metadata.resourceVersion) || 0);
    write(() => {
      const object = transform(obj, first);
      first = false;
      return { type, object };
    });
  };
  const inScope = (c: Change) => c.kind === t.res.kind && (t.namespace === undefined || c.namespace === t.namespace);
  // cache_watcher.go convertToWatchEvent: an object that starts or stops matching the selectors is
  // ADDED or DELETED for this watch (the latter in its previous state, at the new version)
  const deliver = (c: Change): void => {
    if (!inScope(c)) return;
    const now = c.type !== 'DELETED' && keep(c.object);
    const before = c.type === 'DELETED' ? keep(c.object) : c.old !== undefined && keep(c.old);
    if (now && before) event('MODIFIED', c.object);
    else if (now) event('ADDED', c.object);
    else if (before) event('DELETED', c.type === 'DELETED' ? c.object : { ...c.old!, metadata: { ...c.old!.metadata, resourceVersion: String(c.rv) } });
  };
  const bookmark = (initialEnd = false): void => {
    const rv = Math.max(hub.resourceVersion, lastRV);
    const metadata: Record<string, unknown> = { resourceVersion: String(rv), creationTimestamp: null };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    write({ type: 'BOOKMARK', object: { kind: t.res.kind, apiVersion: apiVersionOf(t.res), metadata } });
  };
  const timers = new Set<NodeJS.Timeout>();
  let unsubscribe = () => {};
  function finish(): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const x of timers) clearTimeout(x);
    timers.clear();
    if (stall) clearTimeout(stall);
    res.end();
  }
  /** Ends the stream once what is queued is written (after an ERROR event, at the timeout). */
  const endAfterQueue = (): void => {
    if (closed || ending) return;
    ending = true;
    pump();
  };

  // the initial events: the current objects (resourceVersion unset or "0", or a watch-list), else
  // what happened after the given version (410 Gone as an ERROR event when it is too old)
  if (rvParam === '' || rvParam === '0' || sendInitial) {
    for (const o of hub.current(t.res.kind, t.namespace)) if (keep(o)) event('ADDED', o);
    if (sendInitial) bookmark(true);
  } else {
    let past: Change[];
    try {
      past = hub.since(Number(rvParam), t.res.kind);
    } catch (e) {
      if (!(e instanceof TooOld)) throw e;
      write({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: 'Expired', code: 410 } });
      endAfterQueue();
      return;
    }
    lastRV = Number(rvParam);
    for (const c of past) deliver(c);
  }
  unsubscribe = hub.subscribe({
    changes: (batch) => {
      for (const c of batch) deliver(c);
    },
    gap: (kinds, rv) => {
      if (!kinds.has(t.res.kind)) return;
      write({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${lastRV} (${rv})`, reason: 'Expired', code: 410 } });
      endAfterQueue();
    },
  });
  ctx.req.on('close', finish);
  res.on('close', finish);
  const timeout = Number(q.get('timeoutSeconds') ?? '');
  if (timeout > 0) timers.add(setTimeout(endAfterQueue, timeout * 1000));
  if (bookmarks && !closed) {
    // the cacher sends one about every minute (cacher.go bookmarkFrequency); tests ask sooner
    const every = Number(process.env.KUBESIM_WATCH_BOOKMARK_MS) || 60_000;
    const tick = setInterval(() => bookmark(), every);
    timers.add(tick);
  }
}

function table(ctx: RequestContext, t: Target, obj: KObject, first: boolean): unknown {
  const tbl = tableOf(ctx, t, [atVersion(obj, t)], { resourceVersion: obj.metadata.resourceVersion });
  if (!first) tbl.columnDefinitions = null;
  return tbl;
}
