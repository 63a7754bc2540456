// The REST API over every kind kubesim has, through the API client (src/apiserver/client.ts): the
// paths of the apiserver's RequestInfoFactory (staging/src/k8s.io/apiserver/pkg/endpoints/request/
// requestinfo.go), GET of an object or a list (selectors, limit/continue, Tables), and the writes.
// Each request is one transaction (src/apiserver/transaction.ts), as one CLI command is.
import { StatusError } from '../api/errors';
import { apiVersionOf, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { liveAtVersion } from '../api/versions';
import { readClient } from '../apiserver/transaction';
import { sendJSON, type RequestContext } from './context';
import { resourcesAt } from './discovery';
import { notFoundPath } from './http';
import { isTableRequest, tableOf } from './table';
import { writeRequest } from './write';

export interface Target {
  res: Resource;
  /** the version the request is at (a kind may be served at several: hpa autoscaling/v1 and v2) */
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The resource, namespace, name and subresource a path names; undefined: nothing is served there. */
export function targetOf(s: string[]): Target | undefined {
  let rest: string[];
  let group: string;
  let version: string;
  if (s[0] === 'api' && s.length >= 3) [group, version, rest] = ['', s[1], s.slice(2)];
  else if (s[0] === 'apis' && s.length >= 4) [group, version, rest] = [s[1], s[2], s.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>… except the namespace's own subresources (namespaces/x/status)
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const found = resourcesAt(group, version).find((r) => r.plural === rest[0]);
  if (!found) return undefined;
  // a cluster-scoped kind under namespaces/<ns>/ is not served there
  if (namespace !== undefined && !found.namespaced) return undefined;
  const res = found.version === version ? found : { ...found, version };
  return { res, version, namespace, name: rest[1], subresource: rest[2] };
}

const q = (ctx: RequestContext, k: string) => ctx.url.searchParams.get(k) ?? undefined;

export async function handle(ctx: RequestContext): Promise<void> {
  const t = targetOf(ctx.segments);
  if (!t) throw notFoundPath();
  const method = ctx.req.method ?? 'GET';
  if (method === 'GET' && !t.subresource) return t.name === undefined ? list(ctx, t) : getOne(ctx, t);
  return writeRequest(ctx, t);
}

/** The object as the request's version shows it (the apiserver converts on read). */
export function atVersion(o: KObject, t: Target): KObject {
  return liveAtVersion(o, apiVersionOf(t.res));
}

function getOne(ctx: RequestContext, t: Target): void {
  const obj = atVersion(readClient(ctx.store).get(t.res, t.namespace, t.name!), t);
  if (isTableRequest(ctx)) return sendJSON(ctx, 200, tableOf(ctx, t, [obj], undefined));
  sendJSON(ctx, 200, obj);
}

/** An opaque continue token: where the next page starts (the last key served), base64 JSON as the apiserver's. */
function continueToken(rv: string, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start })).toString('base64');
}

function continueStart(token: string): string {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof c.start === 'string') return c.start;
  } catch {
    /* reported below */
  }
  throw new StatusError('BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

// namespace, then name: the served order (apiserver/order.ts), NUL sorting below every name character
const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}\u0000${o.metadata.name}`;

function list(ctx: RequestContext, t: Target): void {
  const api = readClient(ctx.store);
  const table = isTableRequest(ctx);
  const full = !table || q(ctx, 'includeObject') === 'Object';
  let items = api.list(t.res, t.namespace, { labelSelector: q(ctx, 'labelSelector'), fieldSelector: q(ctx, 'fieldSelector'), summaries: !full });
  const rv = String(api.state.cluster.resourceVersion);
  const token = q(ctx, 'continue');
  if (token) {
    const start = continueStart(token);
    items = items.filter((o) => keyOf(o) > start);
  }
  const limit = Number(q(ctx, 'limit') ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (limit > 0 && items.length > limit) {
    metadata.continue = continueToken(rv, keyOf(items[limit - 1]));
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  if (table) return sendJSON(ctx, 200, tableOf(ctx, t, items, metadata));
  const kind = `${t.res.kind}List`;
  sendJSON(ctx, 200, { kind, apiVersion: apiVersionOf(t.res), metadata, items: items.map((o) => atVersion(o, t)) });
}
