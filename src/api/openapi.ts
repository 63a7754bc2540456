// The OpenAPI v3 document the apiserver publishes for a group-version (/openapi/v3/apis/<g>/<v>),
// rebuilt from the compact definitions scripts/gen-explain.mjs generates (src/api/explain.json).
// explain renders from this shape, as kubectl does, and the tests serve it to the real kubectl.
// The shapes are kube-openapi's (builder3, Kubernetes 1.32): a property naming a struct is
// {allOf: [{$ref}], description}; Time is {type: string, format: date-time}; Quantity and
// IntOrString are oneOf without a type; an object without properties is {type: object}.

export type CompactType = string | { a: CompactType } | { m: CompactType };
export interface CompactField {
  t: CompactType;
  d: string;
  e?: string[];
}
export interface CompactDef {
  d: string;
  p?: Record<string, CompactField>;
  r?: string[];
  k?: 'string' | 'oneOf' | 'object';
}
export interface ExplainData {
  kinds: Record<string, { group: string; version: string; def: string }>;
  defs: Record<string, CompactDef>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;
export interface OpenAPIDocument {
  components: { schemas: Record<string, Schema> };
}

const ONE_OF: Record<string, Schema[]> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': [{ type: 'integer' }, { type: 'string' }],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': [{ type: 'string' }, { type: 'number' }],
};

function typeSchema(t: CompactType, item: boolean): Schema {
  if (typeof t === 'object') return 'a' in t ? { type: 'array', items: typeSchema(t.a, true) } : { type: 'object', additionalProperties: typeSchema(t.m, true) };
  if (t.startsWith('#')) return item ? { allOf: [{ $ref: `#/components/schemas/${t.slice(1)}` }], default: {} } : { allOf: [{ $ref: `#/components/schemas/${t.slice(1)}` }] };
  return { type: t };
}

function defSchema(name: string, d: CompactDef): Schema {
  const s: Schema = d.d ? { description: d.d } : {};
  if (d.k === 'oneOf') return { ...s, oneOf: ONE_OF[name] };
  if (d.k === 'string') return { ...s, type: 'string', format: 'date-time' };
  if (d.k === 'object' || !d.p) return { ...s, type: 'object' };
  const properties: Schema = {};
  for (const [p, f] of Object.entries(d.p)) {
    const fs = typeSchema(f.t, false);
    if (f.d) fs.description = f.d;
    if (f.e) fs.enum = f.e;
    properties[p] = fs;
  }
  return { ...s, type: 'object', properties, ...(d.r ? { required: d.r } : {}) };
}

/** The document of one group-version: every definition (the apiserver's carry all reachable ones), the kinds' GVKs. */
export function openAPIDocument(data: ExplainData, group: string, version: string): OpenAPIDocument {
  const schemas: Record<string, Schema> = {};
  const gvk = new Map<string, Schema[]>();
  for (const [kind, k] of Object.entries(data.kinds)) if (k.group === group && k.version === version) gvk.set(k.def, [{ group, kind, version }]);
  for (const [name, d] of Object.entries(data.defs)) {
    const s = defSchema(name, d);
    if (gvk.has(name)) s['x-kubernetes-group-version-kind'] = gvk.get(name);
    schemas[name] = s;
  }
  return { components: { schemas } };
}
