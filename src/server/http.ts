// `kubesim serve`'s HTTP server: one request context per request, handed to the first handler whose
// match accepts it (HANDLERS, in order). Each handler module loads on its first request, so the
// server starts with none of them parsed. Loopback by default (the serve verb checks the address).
import * as http from 'http';
import * as https from 'https';
import { StatusError } from '../api/errors';
import type { Store } from '../store/store';
import { sendStatus, type RequestContext } from './context';

type Handler = { handle(ctx: RequestContext): Promise<void> | void };

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The handlers, first match wins; one line per module (each engineer's part adds its own line).
 * Streams and watch come before REST: they claim subresource paths and watch requests REST would
 * otherwise answer.
 */
export const HANDLERS: { match(ctx: RequestContext): boolean; module: () => Handler }[] = [
  { match: (ctx) => isDiscovery(ctx.segments), module: () => require('./discovery') },
  { match: (ctx) => ctx.segments[0] === 'openapi' && ['v2', 'v3'].includes(ctx.segments[1]), module: () => require('./openapi') },
  { match: (ctx) => ctx.segments[0] === 'apis' && ['authentication.k8s.io', 'authorization.k8s.io'].includes(ctx.segments[1]) && ctx.segments.length > 3, module: () => require('./reviews') },
  { match: (ctx) => ctx.segments[0] === 'apis' && ctx.segments[1] === 'metrics.k8s.io' && ctx.segments.length > 3, module: () => require('./metrics') },
  { match: (ctx) => ctx.req.method === 'GET' && (/^(1|true)$/.test(ctx.url.searchParams.get('watch') ?? '') || ctx.segments[ctx.segments[0] === 'api' ? 2 : 3] === 'watch'), module: () => require('./watch') },
  { match: (ctx) => ctx.segments[4] === 'pods' && ctx.segments.length === 7 && (require('./streams') as typeof import('./streams')).isStreamPath(ctx.segments), module: () => require('./streams') },
  { match: (ctx) => ctx.segments[0] === 'api' || ctx.segments[0] === 'apis', module: () => require('./rest') },
  { match: (ctx) => ctx.segments.join('/') === 'kubesim/v1/run', module: () => require('./run') },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** /, /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version> */
export function isDiscovery(s: string[]): boolean {
  if (s.length === 0) return true; // the root: the paths served
  if (s.length === 1) return s[0] === 'version' || s[0] === 'api' || s[0] === 'apis';
  if (s[0] === 'api') return s.length === 2;
  if (s[0] === 'apis') return s.length === 2 || s.length === 3;
  return false;
}

/** What the apiserver answers a path nothing serves with (its NotFoundHandler). */
export function notFoundPath(): StatusError {
  const e = new StatusError('NotFound', 'the server could not find the requested resource');
  return e;
}

export function contextOf(req: http.IncomingMessage, res: http.ServerResponse, store: Store): RequestContext {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const segments = url.pathname.split('/').filter((x) => x !== '').map(decodeURIComponent);
  let body: Promise<Buffer> | undefined;
  return {
    req,
    res,
    url,
    segments,
    store,
    body: () =>
      (body ??= new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
      })),
  };
}

/** The first handler that matches answers; none: the apiserver's 404 Status. Errors become Status. */
export async function dispatch(ctx: RequestContext): Promise<void> {
  try {
    const h = HANDLERS.find((x) => x.match(ctx));
    // who asks, and may they (./auth.ts), before anything is served
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require('./auth') as typeof import('./auth')).authorized(ctx, () => {
      if (!h) throw notFoundPath();
      return h.module().handle(ctx);
    });
  } catch (e) {
    if (ctx.res.headersSent) {
      ctx.res.destroy();
      return;
    }
    sendStatus(ctx, e);
  }
}

export interface ServeOptions {
  store: Store;
  port: number;
  address: string;
  /** a certificate and key (PEM): https; none: plain http */
  tls?: { cert: string; key: string };
  /** runs kubesim CLI commands for other kubesim processes (POST /kubesim/v1/run, server/run.ts) */
  runner?: import('./run').Runner;
}

/** Starts listening; resolves to the server once it is bound (its address() has the real port). */
export function startServer(opts: ServeOptions): Promise<http.Server> {
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void dispatch({ ...contextOf(req, res, opts.store), runner: opts.runner });
  // a client certificate is asked for, never required: it is one of the credentials (./auth.ts)
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false }, listener) : http.createServer(listener);
  // an idle connection stays open longer than clients keep theirs (Go's transport: 90 s), so a
  // client never reuses one the server has just closed (a POST is not retried)
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  // Upgrade requests (exec, attach, port-forward over WebSocket or SPDY) go through the handlers too,
  // with a response on their raw socket for the errors answered before switching protocols; those
  // sockets outlive their request, so closing the server's connections closes them as well
  const upgraded = new Set<import('net').Socket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: import('net').Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', () => socket.end()); // an error answered: the upgrade is refused
    void dispatch({ ...contextOf(req, res, opts.store), upgrade: { socket, head } });
  });
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    for (const s of upgraded) s.destroy();
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      // the watch history starts with the server: changes from then on can be resumed from
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./history') as typeof import('./history')).hubFor(opts.store);
      resolve(server);
    });
  });
}
