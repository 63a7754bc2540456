// A small BSON codec (bsonspec.org, version 1.1): enough for the documents a MongoDB client and
// server exchange in a handshake and simple commands. Pure computation on buffers.
//
// Values: a JS number encodes as int32 when it is an integer in range, as int64 past that, else as
// a double; Double forces a double (a server's `ok: 1.0`), Long and bigint an int64. Decoding gives
// numbers for int32 and double (doubles keep their type in a Double only when asked to), bigint for
// int64, Date for UTC datetime, ObjectId, Binary and Timestamp objects for those types.

export class Double {
  constructor(public readonly value: number) {}
}

export class ObjectId {
  constructor(public readonly bytes: Buffer) {
    if (bytes.length !== 12) throw new RangeError('an ObjectId is 12 bytes');
  }
  toHexString(): string {
    return this.bytes.toString('hex');
  }
}

export class Binary {
  constructor(public readonly data: Buffer, public readonly subtype = 0) {}
}

export class Timestamp {
  /** increment in the low 32 bits, seconds in the high 32 (the order on the wire) */
  constructor(public readonly t: number, public readonly i: number) {}
}

/** A value this codec cannot interpret (decimal128, regex, code…): kept as its raw bytes. */
export class Raw {
  constructor(public readonly type: number, public readonly bytes: Buffer) {}
}

export type BsonValue = number | bigint | string | boolean | null | undefined | Date | Double | ObjectId | Binary | Timestamp | Raw | BsonValue[] | BsonDocument;
export interface BsonDocument {
  [key: string]: BsonValue;
}

export class BsonError extends Error {}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function cstring(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.includes(0)) throw new BsonError(`a BSON key cannot contain a NUL byte: ${JSON.stringify(s)}`);
  return Buffer.concat([b, Buffer.from([0])]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
}

/** One element: type byte, name, value. */
function element(name: string, v: BsonValue): Buffer | undefined {
  const key = cstring(name);
  const typed = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), key, body]);
  if (v === undefined) return undefined; // as the drivers do by default: an undefined field is left out
  if (v === null) return typed(0x0a, Buffer.alloc(0));
  if (v instanceof Double) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v.value);
    return typed(0x01, b);
  }
  switch (typeof v) {
    case 'number': {
      if (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0)) return typed(0x10, int32(v));
      if (Number.isSafeInteger(v)) return element(name, BigInt(v));
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v);
      return typed(0x01, b);
    }
    case 'bigint': {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt.asIntN(64, v));
      return typed(0x12, b);
    }
    case 'string': {
      const s = Buffer.from(v, 'utf8');
      return typed(0x02, Buffer.concat([int32(s.length + 1), s, Buffer.from([0])]));
    }
    case 'boolean':
      return typed(0x08, Buffer.from([v ? 1 : 0]));
  }
  if (v instanceof Date) {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v.getTime()));
    return typed(0x09, b);
  }
  if (v instanceof ObjectId) return typed(0x07, v.bytes);
  if (v instanceof Binary) return typed(0x05, Buffer.concat([int32(v.data.length), Buffer.from([v.subtype]), v.data]));
  if (v instanceof Timestamp) {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(v.i >>> 0, 0);
    b.writeUInt32LE(v.t >>> 0, 4);
    return typed(0x11, b);
  }
  if (v instanceof Raw) return typed(v.type, v.bytes);
  if (Array.isArray(v)) return typed(0x04, encodeEntries(v.map((x, i) => [String(i), x])));
  return typed(0x03, encodeDocument(v as BsonDocument));
}

function encodeEntries(entries: [string, BsonValue][]): Buffer {
  const parts = entries.map(([k, v]) => element(k, v)).filter((b): b is Buffer => b !== undefined);
  const size = 4 + parts.reduce((n, p) => n + p.length, 0) + 1;
  return Buffer.concat([int32(size), ...parts, Buffer.from([0])]);
}

/** A document's bytes, its fields in insertion order (the order a command's name must come first in). */
export function encodeDocument(doc: BsonDocument): Buffer {
  return encodeEntries(Object.entries(doc));
}

interface Reader {
  buf: Buffer;
  pos: number;
  end: number;
}

function need(r: Reader, n: number): void {
  if (n < 0 || r.pos + n > r.end) throw new BsonError('truncated BSON document');
}

function readCString(r: Reader): string {
  const nul = r.buf.indexOf(0, r.pos);
  if (nul < 0 || nul >= r.end) throw new BsonError('unterminated BSON key');
  const s = r.buf.toString('utf8', r.pos, nul);
  r.pos = nul + 1;
  return s;
}

function readValue(r: Reader, type: number, depth: number, keepDoubles: boolean): BsonValue {
  switch (type) {
    case 0x01: {
      need(r, 8);
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return keepDoubles ? new Double(v) : v;
    }
    case 0x02: {
      need(r, 4);
      const len = r.buf.readInt32LE(r.pos);
      r.pos += 4;
      need(r, len);
      if (len < 1 || r.buf[r.pos + len - 1] !== 0) throw new BsonError('malformed BSON string');
      const s = r.buf.toString('utf8', r.pos, r.pos + len - 1);
      r.pos += len;
      return s;
    }
    case 0x03:
    case 0x04: {
      need(r, 4);
      const len = r.buf.readInt32LE(r.pos);
      need(r, len);
      const inner = readDocument({ buf: r.buf, pos: r.pos, end: r.pos + len }, depth + 1, keepDoubles);
      r.pos += len;
      return type === 0x03 ? inner : Object.values(inner);
    }
    case 0x05: {
      need(r, 5);
      const len = r.buf.readInt32LE(r.pos);
      const subtype = r.buf[r.pos + 4];
      r.pos += 5;
      need(r, len);
      const data = Buffer.from(r.buf.subarray(r.pos, r.pos + len));
      r.pos += len;
      return new Binary(data, subtype);
    }
    case 0x06: // undefined (deprecated)
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return type === 0x06 ? undefined : type === 0x0a ? null : new Raw(type, Buffer.alloc(0));
    case 0x07: {
      need(r, 12);
      const id = new ObjectId(Buffer.from(r.buf.subarray(r.pos, r.pos + 12)));
      r.pos += 12;
      return id;
    }
    case 0x08: {
      need(r, 1);
      return r.buf[r.pos++] !== 0;
    }
    case 0x09: {
      need(r, 8);
      const ms = r.buf.readBigInt64LE(r.pos);
      r.pos += 8;
      return new Date(Number(ms));
    }
    case 0x10: {
      need(r, 4);
      const v = r.buf.readInt32LE(r.pos);
      r.pos += 4;
      return v;
    }
    case 0x11: {
      need(r, 8);
      const ts = new Timestamp(r.buf.readUInt32LE(r.pos + 4), r.buf.readUInt32LE(r.pos));
      r.pos += 8;
      return ts;
    }
    case 0x12: {
      need(r, 8);
      const v = r.buf.readBigInt64LE(r.pos);
      r.pos += 8;
      return v;
    }
    case 0x13: {
      need(r, 16);
      const raw = new Raw(type, Buffer.from(r.buf.subarray(r.pos, r.pos + 16)));
      r.pos += 16;
      return raw;
    }
    case 0x0b: {
      // regex: two cstrings
      const start = r.pos;
      readCString(r);
      readCString(r);
      return new Raw(type, Buffer.from(r.buf.subarray(start, r.pos)));
    }
    default:
      throw new BsonError(`unsupported BSON type 0x${type.toString(16).padStart(2, '0')}`);
  }
}

function readDocument(r: Reader, depth: number, keepDoubles: boolean): BsonDocument {
  if (depth > 100) throw new BsonError('BSON document nested too deeply');
  need(r, 5);
  const len = r.buf.readInt32LE(r.pos);
  if (len < 5 || r.pos + len > r.end) throw new BsonError('BSON document length out of bounds');
  const end = r.pos + len;
  if (r.buf[end - 1] !== 0) throw new BsonError('BSON document not terminated');
  const inner: Reader = { buf: r.buf, pos: r.pos + 4, end: end - 1 };
  const doc: BsonDocument = {};
  while (inner.pos < inner.end) {
    const type = inner.buf[inner.pos++];
    const key = readCString(inner);
    const v = readValue(inner, type, depth, keepDoubles);
    Object.defineProperty(doc, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  r.pos = end;
  return doc;
}

/** The document at the start of buf (or at offset); `length` says how many bytes it took. */
export function decodeDocument(buf: Buffer, offset = 0, opts: { keepDoubles?: boolean } = {}): { doc: BsonDocument; length: number } {
  const r: Reader = { buf, pos: offset, end: buf.length };
  const doc = readDocument(r, 0, !!opts.keepDoubles);
  return { doc, length: r.pos - offset };
}
