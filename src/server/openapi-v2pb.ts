// /openapi/v2 in protobuf: client-go's DiscoveryClient.OpenAPISchema asks for
// `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` only and proto.Unmarshals the body
// into gnostic's openapi_v2.Document (google/gnostic openapiv2/OpenAPIv2.proto), so JSON is no
// fallback there. kubectl 1.32 reads it for `explain --output plaintext-openapiv2` and when the v3
// documents fail. This encodes the swagger 2.0 JSON document (openapi.ts v2Document) into that
// message, as kube-openapi's ToProtoBinary does: vendor extensions, defaults and enum values are
// gnostic Any messages carrying their value as YAML text (JSON is YAML; kube-openapi's
// pkg/util/proto reads them with yaml.Unmarshal).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A protobuf message being written: fields appended in order, length-prefixed when nested. */
class Msg {
  private parts: Buffer[] = [];
  len = 0;
  private push(b: Buffer): void {
    this.parts.push(b);
    this.len += b.length;
  }
  private varint(n: number): void {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 127) | 128);
      n = Math.floor(n / 128);
    }
    out.push(n);
    this.push(Buffer.from(out));
  }
  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  str(field: number, s: unknown): this {
    if (typeof s !== 'string' || s === '') return this;
    const b = Buffer.from(s, 'utf8');
    this.key(field, 2);
    this.varint(b.length);
    this.push(b);
    return this;
  }
  strs(field: number, list: unknown): this {
    if (Array.isArray(list)) for (const s of list) this.str(field, s);
    return this;
  }
  bool(field: number, v: unknown): this {
    if (v === true) {
      this.key(field, 0);
      this.varint(1);
    }
    return this;
  }
  int(field: number, v: unknown): this {
    if (typeof v === 'number' && v > 0 && Number.isInteger(v)) {
      this.key(field, 0);
      this.varint(v);
    }
    return this;
  }
  double(field: number, v: unknown): this {
    if (typeof v === 'number' && v !== 0) {
      this.key(field, 1);
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v);
      this.push(b);
    }
    return this;
  }
  /** A nested message, written even when empty (presence matters for oneofs). */
  msg(field: number, m: Msg): this {
    this.key(field, 2);
    this.varint(m.len);
    for (const p of m.parts) this.parts.push(p);
    this.len += m.len;
    return this;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts, this.len);
  }
}

/** gnostic Any: `yaml` (field 2) holds the value's text. */
const any = (v: unknown): Msg => new Msg().str(2, JSON.stringify(v));
/** The x-… keys of an object as repeated NamedAny at `field`. */
function extensions(m: Msg, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) if (k.startsWith('x-')) m.msg(field, new Msg().str(1, k).msg(2, any(v)));
}

function schema(s: Json): Msg {
  const m = new Msg().str(1, s.$ref).str(2, s.format).str(3, s.title).str(4, s.description);
  if (s.default !== undefined) m.msg(5, any(s.default));
  m.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum);
  m.int(11, s.maxLength).int(12, s.minLength).str(13, s.pattern).int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems);
  m.int(17, s.maxProperties).int(18, s.minProperties).strs(19, s.required);
  for (const e of s.enum ?? []) m.msg(20, any(e));
  if (typeof s.additionalProperties === 'boolean') m.msg(21, new Msg().bool(2, s.additionalProperties));
  else if (s.additionalProperties) m.msg(21, new Msg().msg(1, schema(s.additionalProperties)));
  if (s.type) m.msg(22, new Msg().strs(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items) m.msg(23, (Array.isArray(s.items) ? s.items : [s.items]).reduce((im: Msg, i: Json) => im.msg(1, schema(i)), new Msg()));
  for (const a of s.allOf ?? []) m.msg(24, schema(a));
  if (s.properties) {
    const p = new Msg();
    for (const [name, v] of Object.entries(s.properties as Json)) p.msg(1, new Msg().str(1, name).msg(2, schema(v)));
    m.msg(25, p);
  }
  m.bool(27, s.readOnly);
  extensions(m, 31, s);
  return m;
}

/** ParametersItem → Parameter → BodyParameter, or NonBodyParameter's query/path sub-schema. */
function parameter(p: Json): Msg {
  let param: Msg;
  if (p.in === 'body') {
    param = new Msg().msg(1, new Msg().str(1, p.description).str(2, p.name).str(3, p.in).bool(4, p.required).msg(5, schema(p.schema ?? {})));
  } else {
    const sub = new Msg().bool(1, p.required).str(2, p.in).str(3, p.description).str(4, p.name);
    // QueryParameterSubSchema has allow_empty_value (5) before type; PathParameterSubSchema does not
    if (p.in === 'path') sub.str(5, p.type).str(6, p.format).bool(19, p.uniqueItems);
    else sub.str(6, p.type).str(7, p.format).bool(20, p.uniqueItems);
    param = new Msg().msg(2, new Msg().msg(p.in === 'path' ? 4 : 3, sub));
  }
  return new Msg().msg(1, param);
}

function operation(o: Json): Msg {
  const m = new Msg().strs(1, o.tags).str(2, o.summary).str(3, o.description).str(5, o.operationId).strs(6, o.produces).strs(7, o.consumes);
  for (const p of o.parameters ?? []) m.msg(8, parameter(p));
  const responses = new Msg();
  for (const [code, r] of Object.entries((o.responses ?? {}) as Json)) {
    const resp = new Msg().str(1, r.description);
    if (r.schema) resp.msg(2, new Msg().msg(1, schema(r.schema)));
    responses.msg(1, new Msg().str(1, code).msg(2, new Msg().msg(1, resp)));
  }
  m.msg(9, responses).strs(10, o.schemes);
  extensions(m, 13, o);
  return m;
}

const METHODS: [string, number][] = [
  ['get', 2],
  ['put', 3],
  ['post', 4],
  ['delete', 5],
  ['options', 6],
  ['head', 7],
  ['patch', 8],
];

/** The openapi_v2.Document message of a swagger 2.0 JSON document. */
export function encodeV2Document(doc: Json): Buffer {
  const m = new Msg().str(1, doc.swagger);
  if (doc.info) m.msg(2, new Msg().str(1, doc.info.title).str(2, doc.info.version));
  const paths = new Msg();
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Json)) {
    const pi = new Msg();
    for (const [method, field] of METHODS) if (item[method]) pi.msg(field, operation(item[method]));
    for (const x of item.parameters ?? []) pi.msg(9, parameter(x));
    paths.msg(2, new Msg().str(1, p).msg(2, pi));
  }
  m.msg(8, paths);
  const defs = new Msg();
  for (const [name, s] of Object.entries((doc.definitions ?? {}) as Json)) defs.msg(1, new Msg().str(1, name).msg(2, schema(s)));
  m.msg(9, defs);
  for (const req of doc.security ?? []) {
    const r = new Msg();
    for (const [name, scopes] of Object.entries(req as Json)) r.msg(1, new Msg().str(1, name).msg(2, new Msg().strs(1, scopes)));
    m.msg(12, r);
  }
  if (doc.securityDefinitions) {
    const sd = new Msg();
    for (const [name, d] of Object.entries(doc.securityDefinitions as Json)) {
      // only apiKey schemes are published (BearerToken), SecurityDefinitionsItem.api_key_security
      sd.msg(1, new Msg().str(1, name).msg(2, new Msg().msg(2, new Msg().str(1, d.type).str(2, d.name).str(3, d.in).str(4, d.description))));
    }
    m.msg(13, sd);
  }
  return m.bytes();
}
