// The writes of the REST API and the subresources, through the API client (src/apiserver/client.ts)
// as one transaction each: POST (create; pods/eviction), PUT (update; */status, */scale), PATCH
// (JSON, merge, strategic; */status, */scale), DELETE (one object or a collection). Query and body
// options as the apiserver reads them (staging/src/k8s.io/apiserver/pkg/endpoints/handlers).
import { StatusError } from '../api/errors';
import { decodeProtobuf, isProtobuf } from '../api/protobuf';
import type { FieldValidation } from '../api/decode';
import { apiVersionOf } from '../api/resources';
import type { KObject } from '../api/types';
import type { PatchType } from '../apiserver/patch';
import type { Validation } from '../apiserver/registry';
import { scaleOf } from '../apiserver/scale';
import type { Cascade } from '../apiserver/strategy';
import { mutateClient, readClient } from '../apiserver/transaction';
import { dryRunVersion, type LocalClient } from '../apiserver/client';
import { sendJSON, type RequestContext } from './context';
import { atVersion, type Target } from './rest';
import { isTableRequest, tableOf } from './table';
import { notFoundPath } from './http';

const q = (ctx: RequestContext, k: string) => ctx.url.searchParams.get(k) ?? undefined;

/**
 * The request body as JSON: kubectl sends JSON, its typed clients protobuf (decoded into the JSON
 * the same Go struct gives, src/api/protobuf.ts); a body that does not parse is a BadRequest.
 */
export async function jsonBody(ctx: RequestContext): Promise<unknown> {
  const raw = await ctx.body();
  if (isProtobuf(ctx.req.headers['content-type'])) return decodeProtobuf(raw);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new StatusError('BadRequest', `error decoding request body: ${(e as Error).message}`);
  }
}

/** dryRun=All (the only value the apiserver knows) */
function dryRunOf(ctx: RequestContext, body?: { dryRun?: unknown }): boolean {
  const v = [...ctx.url.searchParams.getAll('dryRun'), ...(Array.isArray(body?.dryRun) ? (body.dryRun as string[]) : [])];
  for (const x of v) if (x !== 'All') throw new StatusError('BadRequest', `Invalid dry run value: ${JSON.stringify(x)}`);
  return v.length > 0;
}

/** fieldValidation (default Warn, as the apiserver's since 1.27) and a collector of the warnings to send. */
function validationOf(ctx: RequestContext, warnings: string[]): Validation {
  const v = q(ctx, 'fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') throw new StatusError('BadRequest', `fieldValidation parameter unsupported: ${v}`);
  return { mode: v as FieldValidation, warn: (m) => warnings.push(m) };
}

/** The Warning headers of the answer (299 - "text", RFC 7234 as the apiserver writes them). */
function warningHeaders(warnings: string[]): Record<string, string[]> {
  const seen = [...new Set(warnings.filter((w) => w))];
  return seen.length ? { Warning: seen.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}

function send(ctx: RequestContext, t: Target, code: number, obj: unknown, warnings: string[] = []): void {
  const headers = warningHeaders(warnings) as unknown as Record<string, string>;
  if (isTableRequest(ctx) && (obj as KObject)?.metadata) return sendJSON(ctx, code, tableOf(ctx, t, [obj as KObject], undefined), headers);
  sendJSON(ctx, code, obj, headers);
}

const methodNotAllowed = () => new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');

export async function writeRequest(ctx: RequestContext, t: Target): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  if (t.subresource) return subresource(ctx, t, method);
  if (method === 'POST' && t.name === undefined) return create(ctx, t);
  if (method === 'PUT' && t.name !== undefined) return update(ctx, t);
  if (method === 'PATCH' && t.name !== undefined) return patch(ctx, t);
  if (method === 'DELETE') return t.name === undefined ? deleteCollection(ctx, t) : deleteOne(ctx, t);
  throw methodNotAllowed();
}

/** A body's namespace and name checked against the URL's (the apiserver's checkName / namespace rules). */
function placed(ctx: RequestContext, t: Target, body: unknown): KObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new StatusError('BadRequest', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  const obj = body as KObject;
  obj.metadata ??= {} as KObject['metadata'];
  if (t.res.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns && t.namespace && ns !== t.namespace) throw new StatusError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    if (t.namespace) obj.metadata.namespace = t.namespace;
  }
  if (t.name !== undefined && obj.metadata.name !== undefined && obj.metadata.name !== t.name) {
    throw new StatusError('BadRequest', `the name of the object (${obj.metadata.name}) does not match the name on the URL (${t.name})`);
  }
  obj.apiVersion ??= apiVersionOf(t.res);
  obj.kind ??= t.res.kind;
  return obj;
}

async function create(ctx: RequestContext, t: Target): Promise<void> {
  const obj = placed(ctx, t, await jsonBody(ctx));
  const warnings: string[] = [];
  const v = validationOf(ctx, warnings);
  const dry = dryRunOf(ctx);
  const created = mutateClient(ctx.store, (api) => api.create(obj, v), dry);
  send(ctx, t, 201, atVersion(dry ? dryRunVersion(created, undefined) : created, t), warnings);
}

async function update(ctx: RequestContext, t: Target): Promise<void> {
  const obj = placed(ctx, t, await jsonBody(ctx));
  obj.metadata.name ??= t.name!;
  const warnings: string[] = [];
  const v = validationOf(ctx, warnings);
  const dry = dryRunOf(ctx);
  const { out, stored } = mutateClient(ctx.store, (api) => ({ stored: storedVersion(api, t), out: api.replace(obj, v).obj }), dry);
  send(ctx, t, 200, atVersion(dry ? dryRunVersion(out, stored) : out, t), warnings);
}

/** The stored object's version, before a write (what a dry run answers) */
export function storedVersion(api: LocalClient, t: Target): string | undefined {
  return api.find(t.res, t.namespace, t.name!)?.metadata.resourceVersion;
}

/** The patch type of the Content-Type (the apiserver's 415 for any other). */
function patchTypeOf(ctx: RequestContext): PatchType | 'apply' {
  const ct = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
  }
  throw new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
}

async function patch(ctx: RequestContext, t: Target, subresource?: string): Promise<void> {
  const type = patchTypeOf(ctx);
  if (type === 'apply') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./apply') as typeof import('./apply')).applyPatch(ctx, t, subresource);
  }
  const body = await jsonBody(ctx);
  const warnings: string[] = [];
  const v = validationOf(ctx, warnings);
  const dry = dryRunOf(ctx);
  const { obj, stored } = mutateClient(ctx.store, (api) => ({ stored: storedVersion(api, t), obj: api.patch(t.res, t.namespace, t.name!, type, body, subresource, v).obj }), dry);
  if (dry) dryRunVersion(obj, stored);
  send(ctx, t, 200, subresource === 'scale' ? obj : atVersion(obj, t), warnings);
}

/** DeleteOptions from the body (kubectl sends one) or the query. */
async function deleteOptions(ctx: RequestContext): Promise<{ propagationPolicy?: Cascade; gracePeriodSeconds?: number; dryRun: boolean }> {
  const raw = (await ctx.body()).toString('utf8').trim();
  let body: { propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: string[]; orphanDependents?: boolean } = {};
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch (e) {
      throw new StatusError('BadRequest', `error decoding request body: ${(e as Error).message}`);
    }
  }
  const policy = body.propagationPolicy ?? q(ctx, 'propagationPolicy') ?? (body.orphanDependents === true || q(ctx, 'orphanDependents') === 'true' ? 'Orphan' : undefined);
  const cascade = ({ Background: 'background', Foreground: 'foreground', Orphan: 'orphan' } as Record<string, Cascade>)[policy ?? 'Background'];
  if (!cascade) throw new StatusError('Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"`);
  const grace = body.gracePeriodSeconds ?? (q(ctx, 'gracePeriodSeconds') !== undefined ? Number(q(ctx, 'gracePeriodSeconds')) : undefined);
  return { propagationPolicy: policy ? cascade : undefined, gracePeriodSeconds: grace, dryRun: dryRunOf(ctx, body) };
}

/**
 * The answer to a DELETE: the object while it is still there (a pod given its grace period, an
 * object waiting for its finalizers or foreground dependents), else a Success Status naming it.
 */
function deleted(t: Target, obj: KObject, stillThere: boolean): unknown {
  if (stillThere) return atVersion(obj, t);
  const details = { name: obj.metadata.name, ...(t.res.group ? { group: t.res.group } : {}), kind: t.res.plural, uid: obj.metadata.uid };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

async function deleteOne(ctx: RequestContext, t: Target): Promise<void> {
  const o = await deleteOptions(ctx);
  const answer = mutateClient(
    ctx.store,
    (api) => {
      const obj = api.delete(t.res, t.namespace, t.name!, o);
      return deleted(t, obj, !!api.find(t.res, t.namespace, t.name!));
    },
    o.dryRun,
  );
  send(ctx, t, 200, answer);
}

async function deleteCollection(ctx: RequestContext, t: Target): Promise<void> {
  const o = await deleteOptions(ctx);
  const out = mutateClient(
    ctx.store,
    (api) => {
      const items = api.list(t.res, t.namespace, { labelSelector: q(ctx, 'labelSelector'), fieldSelector: q(ctx, 'fieldSelector') });
      return items.map((x) => atVersion(api.delete(t.res, x.metadata.namespace, x.metadata.name, o), t));
    },
    o.dryRun,
  );
  send(ctx, t, 200, { kind: `${t.res.kind}List`, apiVersion: apiVersionOf(t.res), metadata: {}, items: out });
}

async function subresource(ctx: RequestContext, t: Target, method: string): Promise<void> {
  const sub = t.subresource!;
  if (sub === 'status') {
    if (method === 'GET') return send(ctx, t, 200, atVersion(readClient(ctx.store).get(t.res, t.namespace, t.name!), t));
    if (method === 'PATCH') return patch(ctx, t, 'status');
    if (method === 'PUT') {
      // UpdateStatus: only the status of the body is kept (the status strategies' PrepareForUpdate)
      const obj = placed(ctx, t, await jsonBody(ctx));
      const ops = [{ op: 'add', path: '/status', value: obj.status ?? {} }];
      const { obj: out } = mutateClient(ctx.store, (api) => api.patch(t.res, t.namespace, t.name!, 'json', ops, 'status'), dryRunOf(ctx));
      return send(ctx, t, 200, atVersion(out, t));
    }
    throw methodNotAllowed();
  }
  if (sub === 'scale') {
    if (method === 'GET') return send(ctx, t, 200, scaleOf(readClient(ctx.store).get(t.res, t.namespace, t.name!)));
    if (method === 'PATCH') return patch(ctx, t, 'scale');
    if (method === 'PUT') {
      const body = (await jsonBody(ctx)) as { spec?: { replicas?: unknown } };
      const replicas = body?.spec?.replicas ?? 0;
      const { obj } = mutateClient(ctx.store, (api) => api.patch(t.res, t.namespace, t.name!, 'merge', { spec: { replicas } }, 'scale'), dryRunOf(ctx));
      return send(ctx, t, 200, obj);
    }
    throw methodNotAllowed();
  }
  if (sub === 'eviction' && t.res.kind === 'Pod') {
    if (method !== 'POST') throw methodNotAllowed();
    const body = (await jsonBody(ctx)) as { deleteOptions?: { gracePeriodSeconds?: number; dryRun?: string[] } };
    const dryRun = dryRunOf(ctx, body?.deleteOptions);
    const grace = body?.deleteOptions?.gracePeriodSeconds;
    mutateClient(ctx.store, (api) => api.evict(t.namespace!, t.name!, { gracePeriodSeconds: grace, dryRun }), dryRun);
    return sendJSON(ctx, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
  throw notFoundPath();
}
