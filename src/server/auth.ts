// `kubesim serve`'s authentication, impersonation and authorization filters
// (k8s.io/apiserver/pkg/endpoints/filters: authentication.go, impersonation.go, authorization.go): who
// each request is, from its own credentials, and whether it may do what its path and method say
// (RequestInfo, k8s.io/apiserver/pkg/endpoints/request/requestinfo.go). The mapping from credentials to
// a user is the CLI's (src/apiserver/requester.ts); over HTTP the credentials are:
//   Authorization: Bearer <the serve kubeconfig's token>   the admin (writeKubeconfig in cli/serve.ts)
//   Authorization: Bearer <a ServiceAccount token>         system:serviceaccount:NS:NAME; an expired
//                                                          or unknown token is 401 Unauthorized
//   a client certificate (--tls)                           its CN and O (the x509 authenticator, first)
//   none                                                   the admin, as a kubesim command without a
//                                                          kubeconfig (the server listens on loopback)
// and Impersonate-User, Impersonate-Group (repeated), Impersonate-Uid as kubectl's --as flags send them.
// Each request then runs in its own requester scope (runAs), so the API client's checks, the
// escalation check and the review APIs see this request's user, across its awaits too.
import type { TLSSocket } from 'node:tls';
import { StatusError } from '../api/errors';
import type { Attributes } from '../apiserver/authorizer';
import { requestInfo } from '../apiserver/requestinfo';
import { checkAccess, isUnauthorized, markAuthorized, requestUser, runAs, type Credentials, type Requester } from '../apiserver/requester';
import { openRead } from '../apiserver/transaction';
import type { RequestContext } from './context';

/** The bearer token of the kubeconfig `kubesim serve` writes: the cluster admin's. */
export const ADMIN_TOKEN = 'kubesim';

const unauthorized = () => new StatusError('Unauthorized', 'Unauthorized');

/** The client certificate a TLS client sent, as PEM (none on plain http, or when the client sent none). */
function clientCertificate(ctx: RequestContext): string | undefined {
  const sock = ctx.req.socket as TLSSocket;
  if (typeof sock.getPeerCertificate !== 'function') return undefined;
  const raw = sock.getPeerCertificate()?.raw;
  if (!raw?.length) return undefined;
  const b64 = raw.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

/** The request's credentials; undefined: the admin's (the serve token, or none at all). */
function credentialsOf(ctx: RequestContext): Credentials | undefined {
  const pem = clientCertificate(ctx);
  if (pem) return { kind: 'certificate', pem, name: '' };
  const auth = ctx.req.headers.authorization;
  if (!auth) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m) throw unauthorized();
  return m[1] === ADMIN_TOKEN ? undefined : { kind: 'token', token: m[1], name: '' };
}

/** Impersonate-User / -Group / -Uid (impersonation.go buildImpersonationRequests). */
function impersonationOf(ctx: RequestContext): Requester['impersonate'] {
  const h = ctx.req.headersDistinct;
  const user = h['impersonate-user']?.[0];
  const groups = h['impersonate-group'] ?? [];
  const uid = h['impersonate-uid']?.[0];
  if (user === undefined && !groups.length && uid === undefined) return undefined;
  return { user, groups, uid };
}

/** The authorizer's attributes for a request (apiserver/requestinfo.ts). */
export function requestAttributes(ctx: Pick<RequestContext, 'req' | 'url'>): Attributes {
  return requestInfo(ctx.req.method ?? 'GET', ctx.url.pathname, ctx.url.searchParams.get('watch'));
}

/**
 * Runs the handler as the request's user, once allowed. The admin (the serve token, no impersonation)
 * skips the filter: the API client's own checks are all it needs, at no extra read of the state.
 */
export function authorized(ctx: RequestContext, handler: () => Promise<void> | void): Promise<void> | void {
  const credentials = credentialsOf(ctx);
  const impersonate = impersonationOf(ctx);
  if (!credentials && !impersonate) return runAs({ credentials: { kind: 'admin' } }, handler);
  const state = openRead(ctx.store);
  return runAs({ credentials: credentials ?? { kind: 'admin' }, impersonate }, () => {
    try {
      requestUser(state); // authenticated and impersonated (a refused impersonation is Forbidden)
    } catch (e) {
      // a token kubesim did not issue (on the wire: no kubeconfig entry vouches for it), or one no
      // longer valid: the authenticators' 401
      throw isUnauthorized(e) ? unauthorized() : e;
    }
    checkAccess(state, requestAttributes(ctx));
    markAuthorized();
    return handler();
  });
}
