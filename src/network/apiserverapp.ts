// The kube-apiserver as a program in the cluster answers HTTP (https://kubernetes.default from a
// pod): the bearer token authenticates (a ServiceAccount token of this cluster, as the pod's mounted
// one; none: system:anonymous), the request's attributes are those of the apiserver's RequestInfo
// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), and the same RBAC rules decide
// (apiserver/authorizer.ts). Allowed reads answer the stored objects; kubesim's in-cluster API serves
// GET only: an allowed write is answered 405 (MethodNotAllowed) and changes nothing.
import type { KObject } from '../api/types';
import { RESOURCES } from '../api/resources';
import { versionInfo } from '../api/version';
import { authorize, forbiddenMessage, rbacOf, type Attributes, type UserInfo } from '../apiserver/authorizer';
import { requestInfo } from '../apiserver/requestinfo';
import { tokenUser } from '../apiserver/requester';
import type { State } from '../store/state';
import type { HttpRequest, HttpResponse } from './appbase';

const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

function headerOf(req: HttpRequest, name: string): string | undefined {
  return req.headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

/** RequestInfo (apiserver/requestinfo.ts): a resource request's attributes, or a non-resource path. */
export function requestAttributes(method: string, url: string): Attributes {
  const [path, query = ''] = url.split('?');
  return requestInfo(method, path, new URLSearchParams(query).get('watch'));
}

/** The Status an error answers, as the apiserver writes it for curl (indented: its pretty printing for curl and wget). */
function status(code: number, reason: string, message: string, details?: Record<string, string>): string {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) s.details = details;
  s.code = code;
  return JSON.stringify(s, null, 2) + '\n';
}

function json(code: number, reason: string, body: string, date: string, type = 'application/json'): HttpResponse {
  return {
    status: code,
    reason,
    headers: [['Audit-Id', '00000000-0000-0000-0000-000000000000'], ['Cache-Control', 'no-cache, private'], ['Content-Type', type], ['X-Content-Type-Options', 'nosniff'], ['Date', date], ['Content-Length', String(Buffer.byteLength(body))]],
    body,
  };
}

const REASON: Record<number, string> = { 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

export function serveApiserver(state: State, req: HttpRequest, date: string): HttpResponse {
  const answer = (code: number, body: string, type?: string) => json(code, REASON[code], body, date, type);
  // authentication: a bearer token must be one this cluster issued, to a ServiceAccount that still exists
  const auth = headerOf(req, 'authorization');
  let user = ANONYMOUS;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    const u = m ? tokenUser(state, m[1]) : undefined;
    if (!u || u === 'invalid') return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
    user = u;
  }
  const attrs = requestAttributes(req.method, req.path);
  if (!authorize(rbacOf(state), user, attrs)) {
    const details: Record<string, string> = {};
    if (attrs.nonResourceURL === undefined) {
      if (attrs.name) details.name = attrs.name;
      if (attrs.apiGroup) details.group = attrs.apiGroup;
      details.kind = attrs.resource ?? '';
    }
    return answer(403, status(403, 'Forbidden', forbiddenMessage(user, attrs), details));
  }
  if (attrs.nonResourceURL !== undefined) {
    const path = attrs.nonResourceURL.replace(/\/$/, '');
    if (['/healthz', '/livez', '/readyz'].includes(path)) return answer(200, 'ok', 'text/plain; charset=utf-8');
    if (path === '/version') {
      return answer(200, JSON.stringify(versionInfo(state.config.kubernetesVersion), null, 2) + '\n');
    }
    return answer(404, '404 page not found\n', 'text/plain; charset=utf-8');
  }
  const res = RESOURCES.find((r) => r.plural === attrs.resource && r.group === attrs.apiGroup);
  if (!res || attrs.subresource) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource', {}));
  if (attrs.verb !== 'get' && attrs.verb !== 'list') return answer(405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}));
  const ns = res.namespaced ? attrs.namespace : undefined;
  if (attrs.verb === 'get') {
    const obj = state.get(res.kind, ns, attrs.name!);
    if (!obj) return answer(404, status(404, 'NotFound', `${res.group ? `${res.plural}.${res.group}` : res.plural} "${attrs.name}" not found`, { name: attrs.name!, ...(res.group ? { group: res.group } : {}), kind: res.plural }));
    return answer(200, JSON.stringify(obj, null, 2) + '\n');
  }
  // a list's items carry no apiVersion and kind
  const items = state.list(res.kind, ns).map(({ apiVersion: _a, kind: _k, ...o }) => o as Partial<KObject>);
  const list = { kind: `${res.kind}List`, apiVersion: res.group ? `${res.group}/${res.version}` : res.version, metadata: { resourceVersion: String(state.cluster.resourceVersion) }, items };
  return answer(200, JSON.stringify(list, null, 2) + '\n');
}
