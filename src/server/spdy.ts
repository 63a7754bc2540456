// The server side of SPDY/3.1 as kubectl speaks it (moby/spdystream, used by client-go's
// port-forward and its exec fallback): frames in, streams out. Data flows one way per frame;
// the client opens every stream (SYN_STREAM with headers such as streamtype/port/requestid) and the
// server answers each with SYN_REPLY. No flow control: spdystream sends no WINDOW_UPDATE and waits
// for none. Header blocks: the client compresses them with zlib and the SPDY/3 dictionary, one
// compression context per connection; this side writes them as stored (uncompressed) deflate
// blocks of one continuous zlib stream, each followed by an empty stored block as a sync flush
// writes it, which any zlib reader accepts and needs no dictionary.
import { SPDY3_DICTIONARY_B64 } from './spdy-dictionary';

export const TYPE = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9 } as const;
export const FLAG_FIN = 0x01;

let dictionary: Buffer | undefined;
export function spdyDictionary(): Buffer {
  dictionary ??= Buffer.from(SPDY3_DICTIONARY_B64, 'base64');
  return dictionary;
}

export type Headers = Record<string, string>;

/** A header block before compression: count, then length-prefixed names and values (§2.6.10). */
export function encodeHeaderBlock(h: Headers): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n, 0);
    return b;
  };
  const entries = Object.entries(h);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    const kb = Buffer.from(k.toLowerCase());
    const vb = Buffer.from(v);
    parts.push(u32(kb.length), kb, u32(vb.length), vb);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(b: Buffer): Headers {
  const out: Headers = {};
  let at = 0;
  const n = b.readUInt32BE(at);
  at += 4;
  for (let i = 0; i < n; i++) {
    const kl = b.readUInt32BE(at);
    const k = b.subarray(at + 4, at + 4 + kl).toString();
    at += 4 + kl;
    const vl = b.readUInt32BE(at);
    // several values are NUL-separated; kubectl sends one each
    out[k] = b.subarray(at + 4, at + 4 + vl).toString();
    at += 4 + vl;
  }
  return out;
}

/** This side's header compression: one zlib stream of stored blocks, each ended at a byte boundary. */
export class HeaderWriter {
  private started = false;

  compress(raw: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01])); // deflate, 32K window, no preset dictionary
      this.started = true;
    }
    for (let at = 0; at < raw.length; at += 0xffff) {
      const chunk = raw.subarray(at, at + 0xffff);
      const h = Buffer.alloc(5);
      h[0] = 0; // not the final block, stored
      h.writeUInt16LE(chunk.length, 1);
      h.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(h, chunk);
    }
    // then an empty stored block, as zlib's sync flush ends each block: Go's flate reader hands
    // out a stored block's bytes only when the next block starts, and must not read past the frame
    parts.push(Buffer.from([0, 0, 0, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * The peer's header decompression: its blocks are one zlib stream (a sync flush after each), so
 * each block is read by inflating everything received so far and keeping what is new; the blocks
 * are small and few (two streams per forwarded connection).
 */
export class HeaderReader {
  private compressed: Buffer[] = [];
  private produced = 0;

  decompress(block: Buffer): Buffer {
    const zlib = require('zlib') as typeof import('zlib');
    this.compressed.push(block);
    const all = zlib.inflateSync(Buffer.concat(this.compressed), { dictionary: spdyDictionary(), finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const fresh = all.subarray(this.produced);
    this.produced = all.length;
    return fresh;
  }
}

export interface ControlFrame {
  control: true;
  type: number;
  flags: number;
  data: Buffer;
}
export interface DataFrame {
  control: false;
  streamId: number;
  flags: number;
  data: Buffer;
}
export type SpdyFrame = ControlFrame | DataFrame;

export function encodeControl(type: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(data.length, 4);
  h[4] = flags;
  return Buffer.concat([h, data]);
}

export function encodeData(streamId: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(data.length, 4);
  h[4] = flags;
  return Buffer.concat([h, data]);
}

/** Frames from a byte stream. */
export class SpdyFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4];
      const data = Buffer.from(this.buf.subarray(8, 8 + len));
      if (this.buf[0] & 0x80) out.push({ control: true, type: this.buf.readUInt16BE(2), flags, data });
      else out.push({ control: false, streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

const u32 = (...ns: number[]): Buffer => {
  const b = Buffer.alloc(4 * ns.length);
  ns.forEach((n, i) => b.writeUInt32BE(n >>> 0, 4 * i));
  return b;
};

/** One stream the client opened. */
export class SpdyStream {
  onData: (b: Buffer) => void = () => undefined;
  /** the client half-closed (FIN) or reset it */
  onEnd: () => void = () => undefined;
  remoteClosed = false;
  localClosed = false;

  constructor(
    private session: SpdySession,
    readonly id: number,
    readonly headers: Headers,
  ) {}

  reply(headers: Headers = {}): void {
    this.session.sendControl(TYPE.synReply, 0, Buffer.concat([u32(this.id), this.session.headerBlock(headers)]));
  }

  write(b: Buffer): void {
    if (this.localClosed) return;
    for (let at = 0; at < b.length; at += 0x10000) this.session.send(encodeData(this.id, 0, b.subarray(at, at + 0x10000)));
  }

  /** This side is done writing (an empty data frame with FIN). */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.send(encodeData(this.id, FLAG_FIN, Buffer.alloc(0)));
  }

  reset(status = 5 /* CANCEL */): void {
    this.localClosed = true;
    this.session.sendControl(TYPE.rstStream, 0, u32(this.id, status));
  }

  remoteEnded(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.onEnd();
  }
}

/** A SPDY/3.1 connection, server side, over any byte transport (a socket, or WebSocket messages). */
export class SpdySession {
  private reader = new SpdyFrameReader();
  private headersIn = new HeaderReader();
  private headersOut = new HeaderWriter();
  private streams = new Map<number, SpdyStream>();
  onStream: (s: SpdyStream) => void = () => undefined;
  /** the client said GOAWAY or broke the protocol */
  onGoaway: () => void = () => undefined;

  constructor(private write: (b: Buffer) => void) {}

  send(b: Buffer): void {
    this.write(b);
  }

  sendControl(type: number, flags: number, data: Buffer): void {
    this.write(encodeControl(type, flags, data));
  }

  headerBlock(h: Headers): Buffer {
    return this.headersOut.compress(encodeHeaderBlock(h));
  }

  feed(chunk: Buffer): void {
    for (const f of this.reader.feed(chunk)) {
      if (!f.control) {
        const s = this.streams.get(f.streamId);
        if (!s) continue;
        if (f.data.length) s.onData(f.data);
        if (f.flags & FLAG_FIN) s.remoteEnded();
        continue;
      }
      switch (f.type) {
        case TYPE.synStream: {
          const id = f.data.readUInt32BE(0) & 0x7fffffff;
          const headers = decodeHeaderBlock(this.headersIn.decompress(f.data.subarray(10)));
          const s = new SpdyStream(this, id, headers);
          this.streams.set(id, s);
          this.onStream(s);
          if (f.flags & FLAG_FIN) s.remoteEnded();
          break;
        }
        case TYPE.headers:
        case TYPE.synReply:
          this.headersIn.decompress(f.data.subarray(4)); // keeps the compression context in step
          break;
        case TYPE.rstStream: {
          const s = this.streams.get(f.data.readUInt32BE(0) & 0x7fffffff);
          if (s) {
            s.localClosed = true;
            s.remoteEnded();
          }
          break;
        }
        case TYPE.ping:
          this.sendControl(TYPE.ping, 0, f.data); // echoed, as spdystream expects
          break;
        case TYPE.goaway:
          this.onGoaway();
          break;
        default: // SETTINGS, WINDOW_UPDATE: nothing to do without flow control
      }
    }
  }

  /** Every stream ended (the transport went away). */
  closeAll(): void {
    for (const s of this.streams.values()) s.remoteEnded();
    this.streams.clear();
  }
}
