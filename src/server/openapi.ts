// The OpenAPI documents `kubesim serve` publishes, as kube-apiserver 1.32 does (kube-openapi's
// builder3/handler3 and handler for v2): /openapi/v3 (the discovery of the group-versions, each with
// a serverRelativeURL carrying the document's hash), /openapi/v3/api/v1 and /openapi/v3/apis/<g>/<v>,
// and /openapi/v2 (JSON, and the protobuf client-go asks for: openapi-v2pb.ts).
//
// Real kubectl 1.32 reads these for:
//   - explain: the kind's schema, found by `x-kubernetes-group-version-kind` in components.schemas;
//   - create/apply/replace with the default --validate=strict: the query-param verifier
//     (cli-runtime resource/query_param_verifier_v3.go) looks for a PATCH operation carrying the
//     kind's GVK and a `fieldValidation` query parameter, and then leaves validation to the server;
//   - client-side apply: the patcher (kubectl pkg/cmd/apply/patcher.go) builds the strategic merge
//     patch from the v3 schema when the PATCH operation accepts
//     application/strategic-merge-patch+json, reading `x-kubernetes-patch-strategy` and
//     `x-kubernetes-patch-merge-key` (apimachinery strategicpatch PatchMetaFromOpenAPIV3); it falls
//     back to kubectl's compiled-in types otherwise.
// The schemas come from src/api/explain.json (openAPIDocument, the same definitions `kubesim explain`
// renders), the patch extensions from the Go struct tags of src/api/goschemas.ts, the paths from the
// resources kubesim registers (src/api/resources.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openAPIDocument, type ExplainData, type Schema } from '../api/openapi';
import { elemOf, patchMeta, schemaOf, type GoType } from '../api/decode';
import { RESOURCES, type Resource } from '../api/resources';
import { encodeV2Document } from './openapi-v2pb';

const SCHEMA_PREFIX = '#/components/schemas/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** dist/explain.json beside the bundle (build.mjs copies it; explain reads the same file). */
let explainData: ExplainData | undefined;
export const loadExplainData = (): ExplainData => (explainData ??= JSON.parse(readFileSync(join(__dirname, 'explain.json'), 'utf8')) as ExplainData);

/** "api/v1", "apis/apps/v1": the key of a group-version in /openapi/v3's paths. */
export const gvPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

/** The resources of a group-version that have their definitions (every registered kind does). */
function servedResources(data: ExplainData, group: string, version: string): Resource[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version && data.kinds[r.kind]?.group === group && data.kinds[r.kind]?.version === version);
}

/** The group-versions served, core first, then the groups in registration order. */
export function servedGroupVersions(data: ExplainData): { group: string; version: string }[] {
  const out: { group: string; version: string }[] = [];
  for (const r of RESOURCES) {
    const k = data.kinds[r.kind];
    if (!k || k.group !== r.group || k.version !== r.version) continue;
    if (!out.some((g) => g.group === r.group && g.version === r.version)) out.push({ group: r.group, version: r.version });
  }
  return out.sort((a, b) => (a.group === '' ? 0 : 1) - (b.group === '' ? 0 : 1));
}

// --- schemas ------------------------------------------------------------------------------------

const refName = (s: Schema): string | undefined => {
  const ref = s.$ref ?? s.allOf?.[0]?.$ref;
  return typeof ref === 'string' && ref.startsWith(SCHEMA_PREFIX) ? ref.slice(SCHEMA_PREFIX.length) : undefined;
};
const elemSchema = (s: Schema): Schema => (s.type === 'array' ? s.items : s.type === 'object' && s.additionalProperties ? s.additionalProperties : s);
const goElem = (t: GoType | undefined): GoType | undefined => (t && (t.k === 'slice' || t.k === 'map') ? elemOf(t) : t);

/**
 * Adds the `patchStrategy`/`patchMergeKey` struct tags of the Go types as
 * x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key on the properties (kube-openapi's
 * openapi-gen writes them from the same tags), walking each kind's schema beside its Go struct.
 */
export function addPatchExtensions(schemas: Record<string, Schema>, kinds: { def: string; kind: string; apiVersion: string }[]): void {
  const seen = new Set<string>();
  const walk = (def: string, t: GoType | undefined): void => {
    if (seen.has(def) || !t || t.k !== 'struct') return;
    seen.add(def);
    const props: Record<string, Schema> = schemas[def]?.properties ?? {};
    for (const [name, prop] of Object.entries(props)) {
      const m = patchMeta(t, name);
      if (m.strategy) {
        if (m.mergeKey) prop['x-kubernetes-patch-merge-key'] = m.mergeKey;
        prop['x-kubernetes-patch-strategy'] = m.strategy;
      }
      const ref = refName(elemSchema(prop));
      if (ref) walk(ref, goElem(m.type));
    }
  };
  for (const k of kinds) walk(k.def, schemaOf(k.kind, k.apiVersion));
}

/** The meta/v1 definitions the operations name that the kinds' schemas do not reach. */
function metaSchemas(): Record<string, Schema> {
  return {
    [`${META}Patch`]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
    [`${META}Status`]: { description: "Status is a return value for calls that don't return other objects.", type: 'object' },
    [`${META}DeleteOptions`]: { description: 'DeleteOptions may be provided when deleting an API object.', type: 'object' },
    [`${META}ListMeta`]: {
      description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.',
      type: 'object',
      properties: { continue: { type: 'string' }, remainingItemCount: { type: 'integer', format: 'int64' }, resourceVersion: { type: 'string' }, selfLink: { type: 'string' } },
    },
  };
}

/** <Kind>List: what list operations return (the apiserver's list types, with their GVKs). */
function listSchema(def: string, gvk: { group: string; version: string; kind: string }): Schema {
  return {
    description: `${gvk.kind}List is a list of ${gvk.kind} objects.`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: { allOf: [{ $ref: SCHEMA_PREFIX + def }], default: {} } },
      kind: { type: 'string' },
      metadata: { allOf: [{ $ref: `${SCHEMA_PREFIX}${META}ListMeta` }], default: {} },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: `${gvk.kind}List`, version: gvk.version }],
  };
}

// --- paths ---------------------------------------------------------------------------------------

/** "rbac.authorization.k8s.io" → "RbacAuthorization", "" → "Core": kube-openapi's operation id part. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

type Param = { name: string; in: 'query' | 'path'; required?: boolean; schema: Schema; uniqueItems?: boolean };
const query = (name: string, type = 'string'): Param => ({ name, in: 'query', schema: { type, uniqueItems: true } });
const pathParam = (name: string): Param => ({ name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } });
const WRITE = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
const LIST = ['allowWatchBookmarks:boolean', 'continue', 'fieldSelector', 'labelSelector', 'limit:integer', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents:boolean', 'timeoutSeconds:integer', 'watch:boolean'].map((p) => {
  const [n, t] = p.split(':');
  return query(n, t);
});
const DELETE = [query('dryRun'), query('gracePeriodSeconds', 'integer'), query('orphanDependents', 'boolean'), query('propagationPolicy')];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

const content = (ref: string, types = MEDIA): Schema => Object.fromEntries(types.map((t) => [t, { schema: { $ref: SCHEMA_PREFIX + ref } }]));
const ok = (ref: string, codes: string[]): Schema => Object.fromEntries(codes.map((c) => [c, { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', content: content(ref) }]));

/** The paths of one resource: collection and item (namespaced and cluster-wide lists), and /status. */
function resourcePaths(r: Resource, def: string, hasStatus: boolean): Record<string, Schema> {
  const gvk = { group: r.group, kind: r.kind, version: r.version };
  const base = `/${gvPath(r.group, r.version)}`;
  const ns = r.namespaced ? 'Namespaced' : '';
  const id = `${groupWord(r.group)}${r.version[0].toUpperCase()}${r.version.slice(1)}`;
  const tag = `${r.group ? r.group.replace(/\.k8s\.io$/, '').replace(/\./g, '') : 'core'}_${r.version}`;
  const op = (action: string, verb: string, extra: Schema): Schema => ({
    tags: [tag],
    operationId: `${verb}${id}${ns}${r.kind}`,
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const list = `${def}List`;
  const scope = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const scopeParams = r.namespaced ? [pathParam('namespace'), query('pretty')] : [query('pretty')];
  const paths: Record<string, Schema> = {};
  paths[scope] = {
    get: op('list', 'list', { parameters: LIST, responses: ok(list, ['200']) }),
    post: op('post', 'create', { parameters: WRITE, requestBody: { content: content(def, ['*/*']), required: true }, responses: ok(def, ['200', '201', '202']) }),
    delete: op('deletecollection', 'delete', { parameters: [...DELETE, ...LIST], requestBody: { content: content(`${META}DeleteOptions`, ['*/*']) }, responses: ok(`${META}Status`, ['200']) }),
    parameters: scopeParams,
  };
  paths[scope].delete.operationId = `delete${id}Collection${ns}${r.kind}`;
  const item = {
    get: op('get', 'read', { responses: ok(def, ['200']) }),
    put: op('put', 'replace', { parameters: WRITE, requestBody: { content: content(def, ['*/*']), required: true }, responses: ok(def, ['200', '201']) }),
    patch: op('patch', 'patch', {
      parameters: [...WRITE, query('force', 'boolean')],
      requestBody: { content: content(`${META}Patch`, PATCH_TYPES), required: true },
      responses: ok(def, ['200', '201']),
    }),
  };
  paths[`${scope}/{name}`] = {
    ...item,
    delete: op('delete', 'delete', { parameters: DELETE, requestBody: { content: content(`${META}DeleteOptions`, ['*/*']) }, responses: ok(`${META}Status`, ['200', '202']) }),
    parameters: [pathParam('name'), ...scopeParams],
  };
  if (hasStatus) {
    const status: Schema = JSON.parse(JSON.stringify(item));
    for (const o of Object.values(status)) o.operationId += 'Status';
    paths[`${scope}/{name}/status`] = { ...status, parameters: [pathParam('name'), ...scopeParams] };
  }
  if (r.namespaced) {
    paths[`${base}/${r.plural}`] = {
      get: op('list', 'list', { parameters: LIST, responses: ok(list, ['200']) }),
      parameters: [query('pretty')],
    };
    paths[`${base}/${r.plural}`].get.operationId = `list${id}${r.kind}ForAllNamespaces`;
  }
  return paths;
}

// --- documents -----------------------------------------------------------------------------------

/** The v3 document of one group-version (kube-openapi builder3's shape), or undefined if not served. */
export function v3Document(data: ExplainData, group: string, version: string): Schema | undefined {
  const resources = servedResources(data, group, version);
  if (!resources.length) return undefined;
  const { components } = openAPIDocument(data, group, version);
  const schemas: Record<string, Schema> = { ...components.schemas, ...metaSchemas() };
  // a definition has the same extensions in every document that carries it: walk from every kind
  addPatchExtensions(
    schemas,
    Object.entries(data.kinds).map(([kind, k]) => ({ def: k.def, kind, apiVersion: k.group ? `${k.group}/${k.version}` : k.version })),
  );
  const paths: Record<string, Schema> = {};
  for (const r of resources) {
    const def = data.kinds[r.kind].def;
    schemas[`${def}List`] = listSchema(def, { group, version, kind: r.kind });
    Object.assign(paths, resourcePaths(r, def, !!schemas[def]?.properties?.status));
  }
  // as builder3 does, the document carries the definitions its operations reach, and no others
  const reached = new Set<string>();
  const reach = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(reach);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(SCHEMA_PREFIX)) {
        const name = x.slice(SCHEMA_PREFIX.length);
        if (!reached.has(name) && schemas[name]) {
          reached.add(name);
          reach(schemas[name]);
        }
      } else reach(x);
    }
  };
  reach(paths);
  const sorted = Object.fromEntries([...reached].sort().map((n) => [n, schemas[n]]));
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: sorted, securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } }, security: [{ BearerToken: [] }] };
}

/** kube-openapi's etag: the upper-case hex SHA-512 of the served bytes. */
export const etagOf = (bytes: string | Buffer): string => createHash('sha512').update(bytes).digest('hex').toUpperCase();

/** Converts a v3 schema to its v2 (swagger 2.0) form: bare $refs into #/definitions, no oneOf. */
function toV2(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toV2);
  if (!s || typeof s !== 'object') return s;
  const o = s as Schema;
  if (o.allOf?.length === 1 && o.allOf[0].$ref) {
    const { allOf, default: _d, ...rest } = o;
    return { ...toV2(rest) as Schema, $ref: (allOf[0].$ref as string).replace(SCHEMA_PREFIX, '#/definitions/') };
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(SCHEMA_PREFIX, '#/definitions/');
    else if (k === 'oneOf') continue;
    else out[k] = toV2(v);
  }
  return out;
}

/** The v2 document (swagger 2.0) of every served group-version, as /openapi/v2 serves it in JSON. */
export function v2Document(data: ExplainData): Schema {
  const definitions: Record<string, Schema> = {};
  const paths: Record<string, Schema> = {};
  for (const { group, version } of servedGroupVersions(data)) {
    const doc = v3Document(data, group, version)!;
    for (const [name, s] of Object.entries(doc.components.schemas as Record<string, Schema>)) {
      const v2 = toV2(s) as Schema;
      if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') Object.assign(v2, { type: 'string', format: 'int-or-string' });
      if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') v2.type = 'string';
      definitions[name] = v2;
    }
    for (const [p, item] of Object.entries(doc.paths as Record<string, Schema>)) {
      const v2: Schema = {};
      for (const [m, o] of Object.entries(item)) {
        if (m === 'parameters') {
          v2.parameters = (o as Param[]).map((x) => ({ name: x.name, in: x.in, type: x.schema.type, uniqueItems: true, ...(x.required ? { required: true } : {}) }));
          continue;
        }
        const { requestBody, responses, parameters = [], ...rest } = o as Schema;
        const params = (parameters as Param[]).map((x) => ({ name: x.name, in: x.in, type: x.schema.type, uniqueItems: true }));
        if (requestBody) params.unshift({ name: 'body', in: 'body', required: true, schema: toV2(Object.values(requestBody.content as Schema)[0].schema) } as never);
        v2[m] = {
          ...rest,
          consumes: requestBody ? Object.keys(requestBody.content) : undefined,
          produces: MEDIA,
          schemes: ['https'],
          parameters: params.length ? params : undefined,
          responses: Object.fromEntries(Object.entries(responses as Schema).map(([c, r]) => [c, { description: r.description, schema: toV2(Object.values(r.content as Schema)[0].schema) }])),
        };
      }
      paths[p] = v2;
    }
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, definitions, securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } }, security: [{ BearerToken: [] }] };
}

// --- the handler ---------------------------------------------------------------------------------

interface Served {
  bytes: Buffer;
  etag: string;
}
/** The documents are built once per server (the registered kinds do not change while it runs). */
const cache = new Map<string, Served | null>();
function served(key: string, build: () => unknown): Served | null {
  if (!cache.has(key)) {
    const doc = build();
    const bytes = doc === undefined ? null : Buffer.isBuffer(doc) ? doc : Buffer.from(JSON.stringify(doc));
    cache.set(key, bytes && { bytes, etag: etagOf(bytes) });
  }
  return cache.get(key)!;
}
const gvDoc = (gv: string): Served | null =>
  served(`v3:${gv}`, () => {
    const data = loadExplainData();
    const m = /^(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(gv);
    if (!m) return undefined;
    return m[1] ? v3Document(data, '', m[1]) : v3Document(data, m[2], m[3]);
  });

/** What the handler needs of serve-core's RequestContext. */
export interface OpenAPIRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

export const isOpenAPIRequest = (url: URL): boolean => url.pathname === '/openapi/v2' || url.pathname === '/openapi/v3' || url.pathname.startsWith('/openapi/v3/');

/** One media range of an Accept header (goautoneg.ParseAccept), q=0 left out. */
function acceptClauses(accept: string | undefined): { type: string; sub: string }[] {
  return (accept || '*/*')
    .split(',')
    .map((c) => c.trim().split(';'))
    .filter(([range, ...params]) => range && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
    .map(([range]) => {
      const [type, sub = '*'] = range.trim().split('/');
      return { type, sub };
    });
}
const acceptsJSON = (accept: string | undefined): boolean => acceptClauses(accept).some((c) => (c.type === 'application' || c.type === '*') && (c.sub === 'json' || c.sub === '*'));
const V2_PB = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** kube-openapi handler.go: the first Accept clause matching JSON or either protobuf spelling. */
function v2ContentType(accept: string | undefined): string | undefined {
  for (const c of acceptClauses(accept)) {
    if (c.type !== 'application' && c.type !== '*') continue;
    if (c.sub === 'json' || c.sub === '*') return 'application/json';
    if (c.sub === 'com.github.proto-openapi.spec.v2@v1.0+protobuf' || c.sub === 'com.github.proto-openapi.spec.v2.v1.0+protobuf') return V2_PB;
  }
  return undefined;
}

/** http.ServeContent's conditional GET: 304 when If-None-Match names the etag. */
function sendDocument(o: OpenAPIRequest, doc: Served, headers: Record<string, string>, type = 'application/json'): void {
  const etag = `"${doc.etag}"`;
  const h = { ...headers, Etag: etag, 'Content-Type': type };
  const inm = o.req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    o.res.writeHead(304, h);
    o.res.end();
    return;
  }
  o.res.writeHead(200, { ...h, 'Content-Length': String(doc.bytes.length) });
  o.res.end(o.req.method === 'HEAD' ? undefined : doc.bytes);
}
const plain = (o: OpenAPIRequest, status: number, body = ''): void => {
  o.res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  o.res.end(body);
};

/**
 * /openapi/v3 (kube-openapi handler3 HandleDiscovery), /openapi/v3/<gv> (HandleGroupVersion: a
 * `hash` that is not the current one redirects (301) to the current URL; with the current hash the
 * answer is immutable for a year), /openapi/v2 (handler.go: JSON, or the gnostic protobuf client-go
 * asks for; any other Accept gets 406 Not Acceptable).
 */
export function handleOpenAPI(o: OpenAPIRequest): void {
  const p = o.url.pathname;
  if (o.req.method !== 'GET' && o.req.method !== 'HEAD') return plain(o, 405, 'method not allowed');
  if (p === '/openapi/v3') {
    const data = loadExplainData();
    const root = served('v3:root', () => ({
      paths: Object.fromEntries(
        servedGroupVersions(data)
          .map((g) => gvPath(g.group, g.version))
          .map((gv) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${gvDoc(gv)!.etag}` }]),
      ),
    }))!;
    return sendDocument(o, root, {});
  }
  if (p === '/openapi/v2') {
    const type = v2ContentType(o.req.headers.accept);
    if (!type) return plain(o, 406);
    const json = served('v2', () => v2Document(loadExplainData()))!;
    if (type === 'application/json') return sendDocument(o, json, { Vary: 'Accept' });
    const pb = served('v2pb', () => encodeV2Document(JSON.parse(json.bytes.toString())))!;
    return sendDocument(o, pb, { Vary: 'Accept' }, type);
  }
  const gv = p.slice('/openapi/v3/'.length);
  const doc = gvDoc(gv);
  if (!doc) return plain(o, 404); // handler3: ErrGroupVersionNotFound → an empty 404
  o.res.setHeader('Vary', 'Accept');
  if (!acceptsJSON(o.req.headers.accept)) return plain(o, 406);
  const hash = o.url.searchParams.get('hash');
  if (hash && hash !== doc.etag) {
    o.res.writeHead(301, { Location: `/openapi/v3/${gv}?hash=${doc.etag}`, 'Content-Type': 'text/html; charset=utf-8' });
    o.res.end();
    return;
  }
  const headers: Record<string, string> = {};
  if (hash) {
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(Date.now() + 365 * 86400e3).toUTCString();
  }
  sendDocument(o, doc, headers);
}

/** The handler module serve-core's router loads lazily. */
export const handle = (ctx: OpenAPIRequest): void => handleOpenAPI(ctx);
