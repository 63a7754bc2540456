// One HTTP exchange over a simulated connection: whatever answers on the far end (an application in
// a pod, a node process) produces the bytes a client reads. curl and wget are built on this.
import { httpDate, plainHttpToTls, protocolOf, serveHttp, type HttpRequest, type HttpResponse } from './apps';
import type { Connection } from './route';
import type { State } from '../store/state';
import { kubeProxyHttp } from './node';
import { nowMs } from '../util/clock';

export type Exchange =
  | { kind: 'response'; res: HttpResponse }
  /** the server answered with something that is not HTTP/1.x */
  | { kind: 'http09' }
  /** the server closed the connection without a word */
  | { kind: 'empty' }
  /** TLS was asked of a plain server, or the reverse */
  | { kind: 'tls-mismatch' };

/** The node processes: sshd speaks SSH, the kubelet HTTPS. */
function hostProtocol(host: string): 'https' | 'ssh' | 'http' {
  return host === 'kubelet' ? 'https' : host === 'sshd' ? 'ssh' : 'http';
}

export function exchange(state: State, conn: Connection & { ok: true }, req: HttpRequest, tls: boolean): Exchange {
  const proto = conn.pod ? protocolOf(conn.listener, conn.port) : hostProtocol(conn.host);
  const serverTLS = proto === 'https';
  if (tls && !serverTLS) return { kind: 'tls-mismatch' };
  if (!tls && serverTLS) {
    if (conn.pod) return { kind: 'response', res: plainHttpToTls(conn.listener) };
    const body = 'Client sent an HTTP request to an HTTPS server.\n';
    return { kind: 'response', res: { status: 400, reason: 'Bad Request', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Connection', 'close']], body } };
  }
  // an SSH banner, a redis error line, serve-hostname's raw reply: not HTTP/1.x
  if (proto === 'ssh' || proto === 'resp' || proto === 'raw') return { kind: 'http09' };
  // mongod reads an HTTP request as a message too long to wait for: nothing comes back in time
  if (proto === 'silent' || proto === 'mongo') return { kind: 'empty' };
  if (!conn.pod && (conn.host.startsWith('kube-proxy') || conn.host === 'kubelet healthz')) return { kind: 'response', res: kubeProxyHttp(state, conn.node, conn.host, req.path, nowMs(), conn.sp) };
  if (!conn.pod) {
    const body = '404 page not found\n';
    return { kind: 'response', res: { status: 404, reason: 'Not Found', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], ['Date', httpDate()], ['Content-Length', String(body.length)]], body } };
  }
  const res = serveHttp(state, conn.pod, conn.listener, req);
  // a Go handler that panicked: the server closes the connection without a response
  if (res.abort) return { kind: 'empty' };
  return { kind: 'response', res };
}
