// The credentials a command presents and the impersonation it asks for (client-go's rest.Config from
// the kubeconfig's user, and --as/--as-group/--as-uid as ImpersonationConfig). What they authenticate
// as is the apiserver's business: src/apiserver/requester.ts has the mapping.
import * as fs from 'fs';
import * as path from 'path';
import { CliError } from '../api/errors';
import type { Credentials, Requester } from '../apiserver/requester';
import { configPath, DEFAULT_NAME, loadKubeconfig } from './kubeconfig';

export interface IdentityOptions {
  context?: string;
  user?: string;
  /** --token: replaces the kubeconfig user's credentials (client-go's BearerToken override) */
  token?: string;
  as?: string;
  asGroup?: string[];
  asUid?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The kubeconfig user's credentials: the admin's when kubesim's own entry (or no kubeconfig) is in use. */
export function credentialsOf(o: IdentityOptions): { credentials: Credentials; as?: string; asGroups?: string[] } {
  const name = authInfoName(o);
  const cfg = loadKubeconfig();
  if (!cfg || !name) return { credentials: { kind: 'admin' } };
  const user = cfg.users.find((u) => u.name === name)?.user ?? {};
  // the kubeconfig's own impersonation (AuthInfo.Impersonate, `as` / `as-groups`), below the flags
  const as = str(user.as) || undefined;
  const asGroups = Array.isArray(user['as-groups']) ? (user['as-groups'] as unknown[]).map(String) : undefined;
  const token = str(user.token) || readFile(str(user.tokenFile));
  if (token) return { credentials: { kind: 'token', token: token.trim(), name }, as, asGroups };
  const certData = str(user['client-certificate-data']);
  const pem = certData ? Buffer.from(certData, 'base64').toString('utf8') : readFile(str(user['client-certificate']));
  if (pem) return { credentials: { kind: 'certificate', pem, name }, as, asGroups };
  if (name === DEFAULT_NAME) return { credentials: { kind: 'admin' }, as, asGroups };
  return { credentials: { kind: 'name', name }, as, asGroups };
}

/** the kubeconfig user (AuthInfo) in force: --user, else the context's; '' when there is none */
function authInfoName(o: IdentityOptions): string {
  const cfg = loadKubeconfig();
  const ctx = cfg?.contexts.find((c) => c.name === (o.context || cfg.currentContext));
  return o.user || ctx?.context.user || '';
}

/** A file the kubeconfig names: a relative path is relative to the kubeconfig's directory (clientcmd ResolveLocalPaths). */
function readFile(file: string): string {
  if (!file) return '';
  try {
    return fs.readFileSync(path.resolve(path.dirname(configPath()), file), 'utf8');
  } catch {
    return '';
  }
}

/** The command's requester: the flags' impersonation over the kubeconfig's. */
export function requesterFor(o: IdentityOptions): Requester {
  const c = o.token ? { ...credentialsOf(o), credentials: { kind: 'token', token: o.token, name: '' } as Credentials } : credentialsOf(o);
  const groups = o.asGroup?.length ? o.asGroup : o.as === undefined ? c.asGroups ?? [] : [];
  const user = o.as || c.as;
  // clientcmd validateAuthInfo: the configuration is refused before any request is made
  if (!user && (groups.length || o.asUid)) throw new CliError(`error: requesting uid, groups or user-extra for ${authInfoName(o)} without impersonating a user`, true);
  if (user === undefined && !groups.length && o.asUid === undefined) return { credentials: c.credentials };
  return { credentials: c.credentials, impersonate: { user: user || undefined, groups, uid: o.asUid } };
}
