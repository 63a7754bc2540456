// The pod subresources that stream instead of answering once: log (a chunked text body, followed on
// the simulated clock), exec and attach (WebSocket v5.channel.k8s.io / v4), portforward (SPDY/3.1,
// over WebSocket or a plain upgrade). The apiserver proxies these to the kubelet; here the kubelet
// is kubesim's (src/controllers/kubelet/readlog.ts, src/network/podexec.ts, src/portforward).
import { StatusError } from '../api/errors';
import type { RequestContext } from './context';

export const STREAM_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward']);

/** api/v1/namespaces/<ns>/pods/<name>/<subresource> */
export function isStreamPath(s: string[]): boolean {
  return s.length === 7 && s[0] === 'api' && s[1] === 'v1' && s[2] === 'namespaces' && s[4] === 'pods' && STREAM_SUBRESOURCES.has(s[6]);
}

/* eslint-disable @typescript-eslint/no-require-imports */
export async function handle(ctx: RequestContext): Promise<void> {
  const [, , , namespace, , name, sub] = ctx.segments;
  const method = ctx.req.method ?? 'GET';
  if (sub === 'log') {
    if (method !== 'GET') throw methodNotAllowed();
    return (require('./podlog') as typeof import('./podlog')).serveLog(ctx, namespace, name);
  }
  if (sub === 'exec' || sub === 'attach') return (require('./exec') as typeof import('./exec')).serveExec(ctx, namespace, name, sub);
  return (require('./portforward') as typeof import('./portforward')).servePortForward(ctx, namespace, name);
}
/* eslint-enable @typescript-eslint/no-require-imports */

function methodNotAllowed(): StatusError {
  const e = new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  return e;
}
