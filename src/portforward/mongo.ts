// MongoDB's wire protocol over one forwarded connection: enough for a driver's handshake and the
// commands of the port-forward tutorial (`mongosh --port 28015`, `db.runCommand({ ping: 1 })`).
// Messages are framed by their 16-byte header (messageLength, requestID, responseTo, opCode);
// OP_MSG (2013) carries commands from 3.6 on, OP_QUERY (2004) on admin.$cmd the legacy handshake
// (isMaster/hello) that drivers still open with, answered by OP_REPLY (1). The answers themselves
// come from src/network/mongo.ts.
//
// Sources: mongodb/specifications source/message/OP_MSG.md and the wire protocol reference
// (docs.mongodb.com "MongoDB Wire Protocol"); mongodb/mongo src/mongo/transport/asio/
// asio_session_impl.cpp (the reply to a plain HTTP GET on the driver port),
// src/mongo/db/service_entry_point_common.cpp (OP_QUERY limited to the handshake from 6.0).
import type { Socket } from 'net';
import { BsonError, decodeDocument, encodeDocument, type BsonDocument } from '../network/bson';
import { commandError, connectionLog, MAX_MESSAGE, mongoVersion, runMongoCommand, type MongoVersion } from '../network/mongo';
import type { Container } from '../network/apps';
import { nowMs } from '../util/clock';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

/** What the session needs from the cluster: the container, its log, and whether the pod is still there. */
export interface MongoHost {
  container: Container;
  /** appends lines to the container's log; false when the pod is gone */
  log(lines: string[]): boolean;
  /** the container's log so far */
  read(): string[];
  lost(): void;
  onError(e: unknown): void;
}

/** mongod's connection numbers count up for the life of the process: here, of the forwarding. */
let nextConnectionId = 1;
let open = 0;
let nextRequestId = 1;

/** A message that does not follow the protocol: the server hangs up. */
class ProtocolError extends Error {}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** An OP_MSG with one body section. */
export function opMsg(doc: BsonDocument, responseTo: number, flags = 0): Buffer {
  const body = encodeDocument(doc);
  const flagBits = Buffer.alloc(4);
  flagBits.writeUInt32LE(flags >>> 0);
  const len = 16 + 4 + 1 + body.length;
  return Buffer.concat([header(len, responseTo, OP_MSG), flagBits, Buffer.from([0]), body]);
}

/** An OP_REPLY carrying one document (the answer to a legacy OP_QUERY command). */
function opReply(doc: BsonDocument, responseTo: number): Buffer {
  const body = encodeDocument(doc);
  const fixed = Buffer.alloc(20); // responseFlags, cursorID (0), startingFrom (0), numberReturned
  fixed.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + body.length, responseTo, OP_REPLY), fixed, body]);
}

/** OP_MSG's sections: the body (kind 0) with each document sequence (kind 1) added under its identifier. */
function parseOpMsg(msg: Buffer): { flags: number; doc: BsonDocument } {
  const flags = msg.readUInt32LE(16);
  let end = msg.length;
  if (flags & CHECKSUM_PRESENT) end -= 4;
  let pos = 20;
  let doc: BsonDocument | undefined;
  const sequences: [string, BsonDocument[]][] = [];
  while (pos < end) {
    const kind = msg[pos++];
    if (kind === 0) {
      const d = decodeDocument(msg.subarray(0, end), pos);
      doc = d.doc;
      pos += d.length;
    } else if (kind === 1) {
      const size = msg.readInt32LE(pos);
      const stop = pos + size;
      if (size < 5 || stop > end) throw new ProtocolError('bad OP_MSG document sequence');
      const nul = msg.indexOf(0, pos + 4);
      if (nul < 0 || nul >= stop) throw new ProtocolError('bad OP_MSG document sequence');
      const id = msg.toString('utf8', pos + 4, nul);
      const docs: BsonDocument[] = [];
      let p = nul + 1;
      while (p < stop) {
        const d = decodeDocument(msg.subarray(0, stop), p);
        docs.push(d.doc);
        p += d.length;
      }
      sequences.push([id, docs]);
      pos = stop;
    } else throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
  }
  if (!doc) throw new ProtocolError('OP_MSG without a body section');
  for (const [id, docs] of sequences) doc[id] = docs;
  return { flags, doc };
}

/** OP_QUERY: the collection ("admin.$cmd") and the query, unwrapped from $query when a driver wrapped it. */
function parseOpQuery(msg: Buffer): { collection: string; doc: BsonDocument } {
  const nul = msg.indexOf(0, 20);
  if (nul < 0) throw new ProtocolError('bad OP_QUERY');
  const collection = msg.toString('utf8', 20, nul);
  let doc = decodeDocument(msg, nul + 1 + 8).doc;
  if (doc.$query && typeof doc.$query === 'object' && !Array.isArray(doc.$query)) doc = doc.$query as BsonDocument;
  return { collection, doc };
}

const HTTP_REPLY = 'HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 85\r\n\r\nIt looks like you are trying to access MongoDB over HTTP on the native driver port.\r\n';

/** Serves one client connection until it closes. */
export function mongoSession(sock: Socket, host: MongoHost): void {
  const v: MongoVersion = mongoVersion(host.container.image);
  const id = nextConnectionId++;
  const remote = `${sock.remoteAddress === '::1' ? '127.0.0.1' : sock.remoteAddress ?? '127.0.0.1'}:${sock.remotePort ?? 0}`.replace(/^::ffff:/, '');
  const uuid = (require('crypto') as typeof import('crypto')).randomUUID();
  let buf: Buffer = Buffer.alloc(0);
  let closed = false;
  let sawMetadata = false;
  open++;
  const conn = () => ({ id, remote, uuid, open });
  if (!host.log([connectionLog(v, nowMs(), 'accepted', conn())])) {
    closed = true;
    sock.destroy();
    host.lost();
    return;
  }
  sock.on('close', () => {
    open = Math.max(0, open - 1);
    try {
      host.log([connectionLog(v, nowMs(), 'ended', conn())]);
    } catch {
      /* the state is being rewritten or the pod went: the line is lost, as a killed server's would be */
    }
  });
  const drop = () => {
    closed = true;
    sock.destroy();
  };
  const answer = (cmd: BsonDocument): BsonDocument => {
    if (!sawMetadata && cmd.client && typeof cmd.client === 'object' && !Array.isArray(cmd.client)) {
      sawMetadata = true;
      host.log([connectionLog(v, nowMs(), 'metadata', { ...conn(), metadata: cmd.client as BsonDocument })]);
    }
    return runMongoCommand({ version: v, container: host.container, connectionId: id, remote, log: () => host.read() }, cmd);
  };
  const step = (): boolean => {
    if (buf.length >= 4 && buf.subarray(0, 4).toString('latin1') === 'GET ') {
      sock.end(HTTP_REPLY);
      closed = true;
      return false;
    }
    if (buf.length < 16) return false;
    const len = buf.readInt32LE(0);
    // mongod drops a connection whose message length is out of bounds
    if (len < 16 || len > MAX_MESSAGE) {
      drop();
      return false;
    }
    if (buf.length < len) return false;
    const msg = buf.subarray(0, len);
    buf = buf.subarray(len);
    const requestId = msg.readInt32LE(4);
    const opCode = msg.readInt32LE(12);
    if (opCode === OP_MSG) {
      const { flags, doc } = parseOpMsg(msg);
      const reply = typeof doc.$db === 'string' ? answer(doc) : commandError('OP_MSG requests require a $db argument', 40571, 'Location40571');
      if (!(flags & MORE_TO_COME)) sock.write(opMsg(reply, requestId));
      return true;
    }
    if (opCode === OP_QUERY) {
      const { collection, doc } = parseOpQuery(msg);
      const name = Object.keys(doc)[0] ?? '';
      let reply: BsonDocument;
      const isCommand = collection.endsWith('.$cmd');
      // before 6.0 any command could come as OP_QUERY; from 6.0 only the handshake (a query on a
      // collection is a legacy find, which no version here answers with documents)
      if (isCommand && (['hello', 'isMaster', 'ismaster'].includes(name) || v.wire < 17)) reply = answer(doc);
      else reply = commandError(`Unsupported OP_QUERY command: ${isCommand ? name : 'find'}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`, 352, 'UnsupportedOpQueryCommand');
      sock.write(opReply(reply, requestId));
      return true;
    }
    // compression was never offered, and the other legacy opcodes are gone: the server hangs up
    drop();
    return false;
  };
  sock.on('data', (chunk: Buffer) => {
    if (closed) return;
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    try {
      while (!closed && step());
    } catch (e) {
      // a message that does not parse: mongod closes the connection; the state not answering is reported
      drop();
      if (!(e instanceof ProtocolError || e instanceof BsonError || e instanceof RangeError)) host.onError(e);
    }
  });
}
