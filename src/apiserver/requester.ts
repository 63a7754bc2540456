// Who is asking, and may they: the apiserver's authentication, impersonation and authorization filters
// (k8s.io/apiserver/pkg/endpoints/filters: authentication.go, impersonation.go, authorization.go) for
// the one command a kubesim process runs. The CLI says what credentials the kubeconfig gives and what
// --as/--as-group/--as-uid ask for (cli/identity.ts); every call of the API client is checked here.
//
// How credentials authenticate (decided once, here):
//   admin        the kubeconfig's default user (kubesim's `kubesim` entry, or no kubeconfig at all):
//                kubeadm's admin.conf user since 1.29, User "kubernetes-admin" in the groups
//                kubeadm:cluster-admins and system:authenticated (cluster-admin through kubeadm's
//                ClusterRoleBinding kubeadm:cluster-admins)
//   token        a ServiceAccount token `kubesim create token` issued for this cluster (its kid is the
//                cluster's signing key, it has not expired, its ServiceAccount still exists with the
//                same uid): User system:serviceaccount:NS:NAME in system:serviceaccounts,
//                system:serviceaccounts:NS, system:authenticated (pkg/serviceaccount/util.go
//                UserInfo). Such a token that fails one of these is Unauthorized. Any other token
//                is trusted as the kubeconfig entry's name (kubesim has no static token file).
//   certificate  a client certificate authenticates as its subject: CN the user, each O a group
//                (x509.CommonNameUserConversion); kubesim does not check who signed it
//   otherwise    the kubeconfig entry's (or the context's) user name, in system:authenticated
// `kubesim serve` applies the same mapping to each HTTP request, in a requester scope of its own
// (runAs; src/server/auth.ts reads the credentials from the request).
import { CliError, StatusError } from '../api/errors';
import { RESOURCES } from '../api/resources';
import { nowMs } from '../util/clock';
import { perCommand } from '../util/percommand';
import type { State } from '../store/state';
import type { KObject } from '../api/types';
import { AUTHENTICATED, authorize, forbiddenMessage, isSuperuser, rbacOf, type Attributes, type UserInfo } from './authorizer';
import { grantsEverything } from './superusers';

export type Credentials = { kind: 'admin' } | { kind: 'token'; token: string; name: string } | { kind: 'certificate'; pem: string; name: string } | { kind: 'name'; name: string };

export interface Impersonation {
  user?: string;
  groups: string[];
  uid?: string;
}

export interface Requester {
  credentials: Credentials;
  impersonate?: Impersonation;
}

export const ADMIN: UserInfo = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', AUTHENTICATED] };

/**
 * Who asks: one per process for a CLI command; one per request in `kubesim serve`, whose requests
 * interleave on their awaits, so each runs in its own scope (an AsyncLocalStorage, made by the first
 * request: a command never pays for it).
 */
interface Scope {
  requester?: Requester;
  /** the user, once authenticated and impersonated, and whether they may do anything */
  resolved?: { user: UserInfo; everything: boolean };
  /** the server's authorization filter has allowed the request as a whole (its RequestInfo) */
  authorized?: boolean;
}
const processScope: Scope = {};
let requests: import('node:async_hooks').AsyncLocalStorage<Scope> | undefined;
const scope = (): Scope => requests?.getStore() ?? processScope;

/**
 * The command's requester (cli/identity.ts); none: the default admin. Set in the scope in force: a
 * command another kubesim process sent to `kubesim serve` runs in a scope of its own (asCommand).
 */
export function setRequester(r: Requester | undefined): void {
  const s = scope();
  s.requester = r;
  s.resolved = undefined;
}

/**
 * Runs a kubesim command that another process sent to `kubesim serve` (cli/serverun.ts) as that
 * command's own requester, never as the HTTP request that carried it (the serve token's admin):
 * a scope of its own, which the command's setRequester fills, not authorized by the server's filter.
 */
export function asCommand<T>(fn: () => T): T {
  if (!requests) return fn();
  return requests.run({}, fn);
}

/** Runs one request of `kubesim serve` as its requester, the callbacks and promises it starts included. */
export function runAs<T>(r: Requester, fn: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  requests ??= new (require('node:async_hooks') as typeof import('node:async_hooks')).AsyncLocalStorage<Scope>();
  return requests.run({ requester: r }, fn);
}

/**
 * The apiserver authorizes a request once, in its filter, from the path and method (RequestInfo);
 * its handlers then read without asking again (a GET of deployments/scale needs no get of
 * deployments, a deletecollection no list). The server marks its request so; writes are still
 * checked on the object written (checkWrite).
 */
export function markAuthorized(): void {
  const s = requests?.getStore();
  if (s) s.authorized = true;
}

export function requesterOf(): Requester {
  return scope().requester ?? { credentials: { kind: 'admin' } };
}

const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';
// node:crypto (some 20 modules to load) only when a credential needs it: most commands never do
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = (): typeof import('node:crypto') => require('node:crypto');
const sha256 = (data: string | Buffer) => crypto().createHash('sha256').update(data).digest('hex');

/**
 * The credential id as a property computed when read (whoami, the reviews): every command
 * authenticates its admin, few show who that is, and the hash would load node:crypto for all.
 */
function lazyExtra(id: () => string[]): Record<string, string[]> {
  let value: string[] | undefined;
  return Object.defineProperty({}, CREDENTIAL_ID, { enumerable: true, configurable: true, get: () => (value ??= id()), set: (v: string[]) => (value = v) });
}

const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)';
const unauthorized = () => new CliError(UNAUTHORIZED, true);
/** The authenticators' refusal (the apiserver's 401) */
export const isUnauthorized = (e: unknown): boolean => e instanceof CliError && e.message === UNAUTHORIZED;

export const serviceAccountGroups = (ns: string): string[] => ['system:serviceaccounts', `system:serviceaccounts:${ns}`];

/** The user a ServiceAccount token is, or undefined when it is no token of this cluster's (not a JWT of kubesim's). */
export function tokenUser(state: State, token: string): UserInfo | 'invalid' | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let header: { kid?: string };
  type Ref = { name?: string; uid?: string };
  let claims: { iss?: string; exp?: number; sub?: string; jti?: string; 'kubernetes.io'?: { namespace?: string; serviceaccount?: Ref; pod?: Ref; node?: Ref; secret?: Ref } };
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TOKEN_ISSUER, tokenKeyId } = require('../generators/serviceaccount') as typeof import('../generators/serviceaccount');
  if (claims.iss !== TOKEN_ISSUER) return undefined;
  const k8s = claims['kubernetes.io'];
  const ns = k8s?.namespace;
  const sa = k8s?.serviceaccount;
  if (header.kid !== tokenKeyId(state.config.createdAt) || !ns || !sa?.name) return 'invalid';
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs()) return 'invalid';
  const live = state.get('ServiceAccount', ns, sa.name);
  if (!live || (sa.uid && live.metadata.uid !== sa.uid)) return 'invalid';
  // a bound token lives as long as its pod (or secret); the user's extra names them
  // (pkg/serviceaccount/claims.go, util.go: the credential id, pod and node)
  const extra: Record<string, string[]> = {};
  if (claims.jti) extra[CREDENTIAL_ID] = [`JTI=${claims.jti}`];
  for (const [kind, key] of [['Pod', 'pod'], ['Secret', 'secret']] as const) {
    const ref = k8s[key];
    if (!ref?.name) continue;
    const obj = state.get(kind, ns, ref.name);
    if (!obj || (ref.uid && obj.metadata.uid !== ref.uid)) return 'invalid';
  }
  if (k8s.node?.name) Object.assign(extra, { 'authentication.kubernetes.io/node-name': [k8s.node.name], 'authentication.kubernetes.io/node-uid': [k8s.node.uid ?? ''] });
  if (k8s.pod?.name) Object.assign(extra, { 'authentication.kubernetes.io/pod-name': [k8s.pod.name], 'authentication.kubernetes.io/pod-uid': [k8s.pod.uid ?? ''] });
  return { name: `system:serviceaccount:${ns}:${sa.name}`, uid: live.metadata.uid, groups: [...serviceAccountGroups(ns), AUTHENTICATED], extra };
}

/** The user the credentials authenticate as (the module comment has the mapping). */
export function authenticate(state: State, c: Credentials): UserInfo {
  switch (c.kind) {
    case 'admin':
      // admin.conf's client certificate, named by its fingerprint as the x509 authenticator does
      // (a certificate kubesim never made: a fingerprint stable for the cluster)
      return { ...ADMIN, groups: [...ADMIN.groups], extra: lazyExtra(() => [`X509SHA256=${sha256(`admin.conf/${state.config.createdAt}`)}`]) };
    case 'token': {
      const u = tokenUser(state, c.token);
      // a token no authenticator knows: kubesim trusts it only as a kubeconfig entry's (its name)
      if (u === 'invalid' || (!u && !c.name)) throw unauthorized();
      return u ?? { name: c.name, groups: [AUTHENTICATED] };
    }
    case 'certificate':
      try {
        const cert = new (crypto().X509Certificate)(c.pem);
        const subject = cert.subject.split('\n');
        const cn = subject.find((l) => l.startsWith('CN='))?.slice(3);
        const orgs = subject.filter((l) => l.startsWith('O=')).map((l) => l.slice(2));
        if (cn) return { name: cn, groups: [...orgs, AUTHENTICATED], extra: { [CREDENTIAL_ID]: [`X509SHA256=${sha256(cert.raw)}`] } };
      } catch {
        // not a certificate kubesim can read: the entry's name
      }
      return { name: c.name, groups: [AUTHENTICATED] };
    case 'name':
      return { name: c.name, groups: [AUTHENTICATED] };
  }
}

const rbacServed = () => RESOURCES.some((r) => r.kind === 'ClusterRoleBinding');

/** May the user do anything at all? (cluster-wide rules with every verb on every resource) — checked once */
function mayDoEverything(state: State, user: UserInfo): boolean {
  if (isSuperuser(user)) return true;
  // what the manifest keeps (controllers/superusers.ts): no RBAC object to read
  const known = state.cluster.superusers;
  if (known) return known.users.includes(user.name) || user.groups.some((g) => known.groups.includes(g));
  // kubeadm's admin: its binding and cluster-admin, two named reads instead of every binding
  if (user.groups.includes('kubeadm:cluster-admins')) {
    const b = state.get('ClusterRoleBinding', undefined, 'kubeadm:cluster-admins') as { roleRef?: { kind?: string; name?: string }; subjects?: { kind: string; name: string }[] } | undefined;
    const bound = b?.subjects?.some((s) => s.kind === 'Group' && s.name === 'kubeadm:cluster-admins') && b.roleRef?.kind === 'ClusterRole';
    if (bound && grantsEverything(state.get('ClusterRole', undefined, b!.roleRef!.name!))) return true;
  }
  return false;
}


/**
 * impersonation.go: the authenticated user must be allowed `impersonate` on each thing asked for (the
 * user, or the ServiceAccount its name is; each group; the uid); then the request is the impersonated
 * user's: a ServiceAccount's groups when no group is given, and system:authenticated unless the user
 * is system:anonymous.
 */
function impersonated(state: State, who: UserInfo, imp: Impersonation): UserInfo {
  if (!imp.user) {
    if (!imp.groups.length && !imp.uid) return who;
    // impersonation.go buildImpersonationRequests: %v of the v1.ObjectReferences asked for
    const asked = [...imp.groups.map((g) => `{Group  ${g}    }`), ...(imp.uid ? [`{UID  ${imp.uid}    }`] : [])];
    throw new StatusError('InternalError', `Internal error occurred: requested [${asked.join(' ')}] without impersonating a user`);
  }
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(imp.user);
  const checks: Attributes[] = [
    sa ? { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] } : { verb: 'impersonate', apiGroup: '', resource: 'users', name: imp.user },
    ...imp.groups.map((g) => ({ verb: 'impersonate', apiGroup: '', resource: 'groups', name: g })),
    ...(imp.uid ? [{ verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'uids', name: imp.uid }] : []),
  ];
  if (!(rbacServed() && mayDoEverything(state, who))) {
    for (const a of checks) if (rbacServed() && !authorize(rbacOf(state), who, a)) throw forbidden(who, a);
  }
  let groups = imp.groups.length ? [...imp.groups] : sa ? serviceAccountGroups(sa[1]) : [];
  if (imp.user !== 'system:anonymous' && !groups.some((g) => g === AUTHENTICATED || g === 'system:unauthenticated')) groups = [...groups, AUTHENTICATED];
  return { name: imp.user, groups, ...(imp.uid ? { uid: imp.uid } : {}) };
}

export function forbidden(user: UserInfo, attrs: Attributes): StatusError {
  return new StatusError('Forbidden', forbiddenMessage(user, attrs));
}

/** The user the command acts as (authenticated, then impersonated), once per command. */
export function requestUser(state: State): UserInfo {
  return resolve(state).user;
}

function resolve(state: State): { user: UserInfo; everything: boolean } {
  const s = scope();
  if (s.resolved) return s.resolved;
  const r = s.requester ?? { credentials: { kind: 'admin' } };
  let user = authenticate(state, r.credentials);
  if (r.impersonate) user = impersonated(state, user, r.impersonate);
  // until the RBAC kinds are served every request is allowed (AlwaysAllow)
  s.resolved = { user, everything: !rbacServed() || mayDoEverything(state, user) };
  return s.resolved;
}

/** Is the command's user allowed the request? */
export function allowed(state: State, attrs: Attributes): boolean {
  const r = resolve(state);
  return r.everything || authorize(rbacOf(state), r.user, attrs);
}

/**
 * kubectl's --dry-run=client: a write is never sent, so it is never authorised (kubesim plays it on a
 * copy of the state); the reads it makes first still are.
 */
let clientDryRun = false;
perCommand(() => {
  setRequester(undefined);
  clientDryRun = false;
});
export function markClientDryRun(): void {
  clientDryRun = true;
}

/**
 * The authorization filter for a write: none for a write kubectl would not send. Checked even when
 * the server's filter allowed the request: the object written is the body's, whose kind the path
 * does not vouch for.
 */
export function checkWrite(state: State, attrs: Attributes): void {
  if (!clientDryRun) enforce(state, attrs);
}

/** The authorization filter: the apiserver's Forbidden error when the command's user may not (a read the server's filter allowed: nothing more to ask). */
export function checkAccess(state: State, attrs: Attributes): void {
  if (!scope().authorized) enforce(state, attrs);
}

function enforce(state: State, attrs: Attributes): void {
  if (!allowed(state, attrs)) throw forbidden(resolve(state).user, attrs);
}

/** RBAC's escalation check for a Role, ClusterRole or binding the command's user writes (apiserver/escalation.ts). */
export function checkEscalation(state: State, obj: KObject): void {
  if (clientDryRun) return;
  const r = resolve(state);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!r.everything) (require('./escalation') as typeof import('./escalation')).confirmNoEscalation(state, r.user, obj);
}
