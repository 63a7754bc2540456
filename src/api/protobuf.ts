// Kubernetes protobuf bodies (application/vnd.kubernetes.protobuf: the "k8s\0" magic, then a
// runtime.Unknown holding the TypeMeta and the object's bytes), decoded into the JSON encoding/json
// would give for the same Go struct: kubectl's typed clients (create deployment, create configmap,
// drain's evictions …) send them. Field numbers come from the Go types' protobuf tags
// (src/api/protoschemas.ts, generated with goschemas.ts). apimachinery pkg/runtime/serializer/protobuf.
import { StatusError } from './errors';

type PType = { k: string; bits?: number; e?: number; f?: [number, string, number, number][] };
let schemas: { kinds: Record<string, number>; types: PType[] } | undefined;
type Schemas = { kinds: Record<string, number>; types: PType[] };
// the field numbers are 40 KB that only `serve` reads (protobuf request bodies): their own bundle
// (dist/protoschemas.cjs, build.mjs), loaded on first use, so no other command reads them at start-up
// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = (): Schemas => (schemas ??= JSON.parse((require('./protoschemas.cjs') as typeof import('./protoschemas')).PROTO_SCHEMAS_JSON) as Schemas);

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim() === 'application/vnd.kubernetes.protobuf';
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw bad('truncated varint');
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw bad('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** one field: its number, wire type and raw value (a varint, or bytes for 1, 2 and 5) */
  field(): { num: number; wt: number; v: bigint | Buffer } {
    const tag = Number(this.varint());
    const num = tag >>> 3;
    const wt = tag & 7;
    if (wt === 0) return { num, wt, v: this.varint() };
    if (wt === 2) return { num, wt, v: this.bytes() };
    const size = wt === 1 ? 8 : wt === 5 ? 4 : -1;
    if (size < 0) throw bad(`unsupported wire type ${wt}`);
    const v = this.buf.subarray(this.pos, this.pos + size);
    this.pos += size;
    return { num, wt, v };
  }
}

const bad = (why: string) => new StatusError('BadRequest', `error decoding protobuf body: ${why}`);

/** metav1.Time's zero (0001-01-01T00:00:00Z), which encoding/json writes as null */
const ZERO_SECONDS = -62135596800n;

function timeOf(msg: Buffer, micro: boolean): string | null {
  const r = new Reader(msg);
  let seconds = 0n;
  let nanos = 0n;
  // an empty message is the zero time (metav1.Time.Unmarshal), which encoding/json writes as null
  if (r.done()) return null;
  while (!r.done()) {
    const f = r.field();
    if (f.num === 1 && f.wt === 0) seconds = BigInt.asIntN(64, f.v as bigint);
    if (f.num === 2 && f.wt === 0) nanos = BigInt.asIntN(32, f.v as bigint);
  }
  if (seconds === ZERO_SECONDS && nanos === 0n) return null;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  if (!micro) return iso.replace(/\.\d{3}Z$/, 'Z');
  return iso.replace(/\.\d{3}Z$/, `.${String(nanos / 1000n).padStart(6, '0')}Z`);
}

/** time.Duration.String() */
function durationString(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let n = neg ? -ns : ns;
  if (n < 1000000000n) {
    const s = n < 1000n ? `${n}ns` : n < 1000000n ? `${Number(n) / 1e3}µs` : `${Number(n) / 1e6}ms`;
    return (neg ? '-' : '') + s;
  }
  const h = n / 3600000000000n;
  n -= h * 3600000000000n;
  const m = n / 60000000000n;
  n -= m * 60000000000n;
  const sec = Number(n) / 1e9;
  return `${neg ? '-' : ''}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}

function scalar(t: PType, f: { wt: number; v: bigint | Buffer }): unknown {
  switch (t.k) {
    case 'string':
      return (f.v as Buffer).toString('utf8');
    case 'bytes':
      return (f.v as Buffer).toString('base64');
    case 'bool':
      return (f.v as bigint) !== 0n;
    case 'int':
      return Number(BigInt.asIntN(t.bits === 32 ? 32 : 64, f.v as bigint));
    case 'float':
      return f.wt === 1 ? (f.v as Buffer).readDoubleLE(0) : (f.v as Buffer).readFloatLE(0);
  }
  return undefined;
}

const PACKABLE = new Set(['bool', 'int', 'float']);

/** One value of type idx from one occurrence of its field. */
function valueOf(idx: number, f: { wt: number; v: bigint | Buffer }): unknown {
  const t = schema().types[idx];
  switch (t.k) {
    case 'struct':
      return message(idx, f.v as Buffer);
    case 'time':
    case 'microtime':
      return timeOf(f.v as Buffer, t.k === 'microtime');
    case 'quantity':
    case 'raw': {
      const r = new Reader(f.v as Buffer);
      let inner: Buffer | undefined;
      while (!r.done()) {
        const x = r.field();
        if (x.num === 1 && x.wt === 2) inner = x.v as Buffer;
      }
      if (t.k === 'quantity') return inner?.toString('utf8') ?? '0';
      if (!inner || !inner.length) return null;
      try {
        return JSON.parse(inner.toString('utf8'));
      } catch {
        throw bad('an embedded object that is not JSON');
      }
    }
    case 'duration': {
      const r = new Reader(f.v as Buffer);
      let ns = 0n;
      while (!r.done()) {
        const x = r.field();
        if (x.num === 1 && x.wt === 0) ns = BigInt.asIntN(64, x.v as bigint);
      }
      return durationString(ns);
    }
    case 'intstr': {
      const r = new Reader(f.v as Buffer);
      let type = 0n;
      let intVal = 0;
      let strVal = '';
      while (!r.done()) {
        const x = r.field();
        if (x.num === 1) type = x.v as bigint;
        if (x.num === 2) intVal = Number(BigInt.asIntN(32, x.v as bigint));
        if (x.num === 3) strVal = (x.v as Buffer).toString('utf8');
      }
      return type === 1n ? strVal : intVal;
    }
  }
  return scalar(t, f);
}

/** what encoding/json's omitempty leaves out: a zero scalar, an empty slice or map (a struct never) */
const isZero = (v: unknown, k: string) => v === '' || v === 0 || v === false || v === null || (Array.isArray(v) && v.length === 0) || (k === 'map' && !!v && Object.keys(v as object).length === 0);

/** A struct's message as encoding/json writes the struct (fields in the order they arrive). */
function message(idx: number, buf: Buffer): Record<string, unknown> {
  const t = schema().types[idx];
  const fields = new Map<number, [number, string, number, number]>((t.f ?? []).map((x) => [x[0], x]));
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (!r.done()) {
    const f = r.field();
    const spec = fields.get(f.num);
    if (!spec) continue; // a field this version does not know: dropped, as the apiserver's decoder does
    const [, name, type] = spec;
    const ft = schema().types[type];
    if (name === '') {
      Object.assign(out, message(type, f.v as Buffer));
      continue;
    }
    if (ft.k === 'slice') {
      const et = schema().types[ft.e!];
      const list = (out[name] as unknown[]) ?? [];
      if (f.wt === 2 && PACKABLE.has(et.k)) {
        // a packed repeated scalar
        const r2 = new Reader(f.v as Buffer);
        while (!r2.done()) {
          if (et.k === 'float') {
            const size = et.bits === 32 ? 4 : 8;
            list.push(scalar(et, { wt: size === 8 ? 1 : 5, v: r2.buf.subarray(r2.pos, (r2.pos += size)) }));
          } else list.push(scalar(et, { wt: 0, v: r2.varint() }));
        }
      } else list.push(valueOf(ft.e!, f));
      out[name] = list;
      continue;
    }
    if (ft.k === 'map') {
      const m = (out[name] as Record<string, unknown>) ?? {};
      const r2 = new Reader(f.v as Buffer);
      let key = '';
      let value: unknown = undefined;
      while (!r2.done()) {
        const x = r2.field();
        if (x.num === 1) key = (x.v as Buffer).toString('utf8');
        if (x.num === 2) value = valueOf(ft.e!, x);
      }
      if (value === undefined) value = zeroOf(ft.e!);
      m[key] = value;
      out[name] = m;
      continue;
    }
    out[name] = valueOf(type, f);
  }
  for (const [, name, type, dropZero] of t.f ?? []) if (dropZero && name && name in out && isZero(out[name], schema().types[type].k)) delete out[name];
  return out;
}

function zeroOf(idx: number): unknown {
  const t = schema().types[idx];
  return { string: '', int: 0, bool: false, float: 0, quantity: '0' }[t.k as 'string'] ?? (t.k === 'struct' ? {} : null);
}

/** The object a protobuf body holds, as JSON would have given it (apiVersion and kind first). */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw bad('the body does not start with the k8s protobuf magic');
  const r = new Reader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  while (!r.done()) {
    const f = r.field();
    if (f.num === 1 && f.wt === 2) {
      const tm = new Reader(f.v as Buffer);
      while (!tm.done()) {
        const x = tm.field();
        if (x.num === 1) apiVersion = (x.v as Buffer).toString('utf8');
        if (x.num === 2) kind = (x.v as Buffer).toString('utf8');
      }
    }
    if (f.num === 2 && f.wt === 2) raw = f.v as Buffer;
  }
  const kinds = schema().kinds;
  const idx = kinds[`${apiVersion}/${kind}`] ?? kinds[kind];
  if (idx === undefined) throw new StatusError('UnsupportedMediaType', `kubesim cannot decode ${kind || 'this object'} (${apiVersion}) from protobuf: send application/json`);
  return { apiVersion, kind, ...message(idx, raw ?? Buffer.alloc(0)) };
}
