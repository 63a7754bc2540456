// `kubesim dashboard`'s HTTP server: the page (one HTML document with its script and style inlined,
// no other fetch), the cluster map as JSON, describe, "follow a request", and server-sent events that
// push a new map whenever the state directory sees a commit, from any process (the watch history
// `kubesim serve` uses, src/server/history.ts). Never imports src/cli.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { CliError, StatusError } from '../api/errors';
import { openRead } from '../apiserver/transaction';
import { clusterMap, type ClusterMap } from '../graph/model';
import { hubFor } from '../server/history';
import type { Store } from '../store/store';
import { describeFor } from './describe';
import { followRequest, type FollowRequest } from './follow';

export interface DashboardOptions {
  store: Store;
  port: number;
  address: string;
  /** the namespace shown when the page names none (the CLI's: -n, else the context's, else default) */
  namespace?: string;
}

/**
 * The map as the page gets it, with the cluster's resourceVersion and its commit count: a commit
 * that only removes objects moves no resourceVersion, so the commit tells one map from the next.
 */
export type VersionedMap = ClusterMap & { version: number; commit: number };

/** How many of the newest events the page's timeline gets. */
export const TIMELINE_EVENTS = 200;

/**
 * The map for a page's filters: ns (one namespace, "" for all; absent: the dashboard's namespace, as
 * kubectl get shows the current one) and l (a label selector).
 */
export function mapFor(store: Store, q: URLSearchParams, defaultNs?: string): VersionedMap {
  const state = openRead(store);
  const ns = (q.has('ns') ? q.get('ns') : defaultNs) || undefined;
  const l = q.get('l') || undefined;
  // every page with the same filters gets the same map of a commit: computed once (a few recent kept)
  const commit = state.cluster.generation ?? 0;
  const key = `${store.dir}\0${commit}\0${ns ?? ''}\0${l ?? ''}`;
  const hit = recent.get(key);
  if (hit) return hit;
  const m = clusterMap(state, { namespace: ns, selector: l });
  // the timeline shows the newest events: the rest would be most of the page's bytes on a busy cluster
  const out = { version: state.cluster.resourceVersion, commit, ...m, events: m.events.slice(-TIMELINE_EVENTS) };
  recent.set(key, out);
  if (recent.size > 8) recent.delete(recent.keys().next().value!);
  return out;
}

const recent = new Map<string, VersionedMap>();

/** The page's script and style, built by build.mjs beside the CLI's bundle (dist/). */
function asset(name: string): string {
  try {
    return fs.readFileSync(path.join(__dirname, name), 'utf8');
  } catch {
    return '';
  }
}

/** In a <script> element, "</script>" and "<!--" must not appear: "<" is written as \u003c. */
const inScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export function pageHTML(initial: VersionedMap, q: URLSearchParams, defaultNs = ''): string {
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>kubesim dashboard</title>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<style>${asset('dashboard.css')}</style></head><body>` +
    `<script id="initial" type="application/json">${inScript({ map: initial, ns: q.get('ns') ?? defaultNs, l: q.get('l') ?? '' })}</script>` +
    `<script>${asset('dashboard.js').replace(/<\/script/gi, '<\\/script')}</script></body></html>\n`
  );
}

function send(res: http.ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const json = (res: http.ServerResponse, code: number, v: unknown) => send(res, code, 'application/json', JSON.stringify(v));

function body(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      s += c;
      if (s.length > 65536) req.destroy();
    });
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

/** Server-sent events: a new map (for this page's filters) ~50 ms after the last of a burst of commits. */
function events(store: Store, req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, defaultNs?: string): void {
  const hub = hubFor(store);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  let timer: NodeJS.Timeout | undefined;
  let last = -1;
  const push = () => {
    timer = undefined;
    try {
      const m = mapFor(store, q, defaultNs);
      if (m.commit === last) return;
      last = m.commit;
      res.write(`event: map\ndata: ${JSON.stringify(m)}\n\n`);
    } catch {
      // between a commit's rename and its read, or a damaged state: the next commit pushes again
    }
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(push, 50);
  };
  // since: the commit of the map the page has; a commit between its load and this stream is sent now
  last = Number(q.get('since') ?? -1);
  const unsubscribe = hub.subscribe({ changes: soon, gap: soon });
  soon();
  const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    unsubscribe();
    clearInterval(beat);
    if (timer) clearTimeout(timer);
  });
}

/**
 * A page on another site must not drive the dashboard from the user's browser: a Host other than
 * the address it listens on is a rebound DNS name (refused), and a POST must be JSON, which a
 * cross-origin page can only send after a CORS preflight this server never grants.
 */
function foreign(opts: DashboardOptions, req: http.IncomingMessage): string | undefined {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (![opts.address, 'localhost', '127.0.0.1', '::1'].includes(host)) return `the dashboard answers only at ${opts.address}, not "${host}"`;
  if (req.method === 'POST' && !/^application\/json\b/.test(req.headers['content-type'] ?? '')) return 'a POST must be Content-Type: application/json';
  return undefined;
}

async function route(opts: DashboardOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { store, namespace } = opts;
  const refused = foreign(opts, req);
  if (refused) return json(res, 403, { error: refused });
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter((x) => x !== '').map(decodeURIComponent);
  const method = req.method ?? 'GET';
  if (method === 'GET' && parts.length === 0) return send(res, 200, 'text/html; charset=utf-8', pageHTML(mapFor(store, url.searchParams, namespace), url.searchParams, namespace));
  if (method === 'GET' && url.pathname === '/favicon.ico') return void res.writeHead(204).end(); // none: no 404 in the console
  if (parts[0] !== 'api') return json(res, 404, { error: `no page at ${url.pathname}` });
  if (method === 'GET' && parts[1] === 'map' && parts.length === 2) return json(res, 200, mapFor(store, url.searchParams, namespace));
  if (method === 'GET' && parts[1] === 'events' && parts.length === 2) return events(store, req, res, url.searchParams, namespace);
  // /api/describe/<kind>/<namespace>/<name>, "-" as the namespace of a cluster-scoped object
  if (method === 'GET' && parts[1] === 'describe' && parts.length === 5) return json(res, 200, describeFor(store, parts[2], parts[3] === '-' ? '' : parts[3], parts[4]));
  if (parts[1] === 'follow' && parts.length === 2) {
    if (method !== 'POST') return json(res, 405, { error: 'POST {source, destination, count}' });
    let r: FollowRequest;
    try {
      r = JSON.parse(await body(req));
    } catch {
      return json(res, 400, { error: 'the body is not JSON' });
    }
    return json(res, 200, followRequest(store, r));
  }
  return json(res, 404, { error: `no API at ${url.pathname}` });
}

function failure(res: http.ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  const message = String((e as Error)?.message ?? e).replace(/^error: /, '');
  if (e instanceof StatusError) return json(res, e.reason === 'NotFound' ? 404 : 400, { error: message });
  if (e instanceof CliError || (e as { reason?: string }).reason) return json(res, 400, { error: message });
  json(res, 500, { error: message });
}

/** Listens; resolves to the server once bound. Closing it ends the open event streams too. */
export function startDashboard(opts: DashboardOptions): Promise<http.Server> {
  const server = http.createServer((req, res) => void route(opts, req, res).catch((e) => failure(res, e)));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      hubFor(opts.store); // commits from now on are seen
      resolve(server);
    });
  });
}
