// One HTTP exchange over a simulated connection: whatever answers on the far end (an application in
// a pod, a node process) produces the bytes a client reads. curl and wget are built on this.
import { serveHttp, type HttpRequest, type HttpResponse } from './apps';
import type { Connection } from './route';
import type { State } from '../store/state';
import { httpDate } from './apps';

export type Exchange =
  | { kind: 'response'; res: HttpResponse }
  /** the server answered with something that is not HTTP/1.x */
  | { kind: 'http09' }
  /** the server closed the connection without a word */
  | { kind: 'empty' }
  /** TLS was asked of a plain server, or the reverse */
  | { kind: 'tls-mismatch' };

const TLS_APPS = new Set(['apiserver']);
const TLS_HOST = new Set(['kubelet']);

export function isTLSServer(conn: Connection & { ok: true }): boolean {
  return conn.pod ? TLS_APPS.has(conn.listener.app) : TLS_HOST.has(conn.host);
}

export function exchange(state: State, conn: Connection & { ok: true }, req: HttpRequest, tls: boolean): Exchange {
  const serverTLS = isTLSServer(conn);
  if (tls && !serverTLS) return { kind: 'tls-mismatch' };
  if (!tls && serverTLS) {
    const body = 'Client sent an HTTP request to an HTTPS server.\n';
    return { kind: 'response', res: { status: 400, reason: 'Bad Request', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Connection', 'close']], body } };
  }
  if (!conn.pod) {
    if (conn.host === 'sshd') return { kind: 'http09' };
    const body = '404 page not found\n';
    return { kind: 'response', res: { status: 404, reason: 'Not Found', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], ['Date', httpDate()], ['Content-Length', String(body.length)]], body } };
  }
  const app = conn.listener.app;
  if (app === 'redis') return { kind: 'http09' };
  if (app === 'tcp' || (app === 'coredns' && conn.port === 53)) return { kind: 'empty' };
  return { kind: 'response', res: serveHttp(state, conn.pod, conn.listener, req) };
}
