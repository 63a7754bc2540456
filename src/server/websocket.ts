// The server side of RFC 6455 WebSocket over an upgraded HTTP/1.1 socket: the handshake (the
// subprotocol kubectl offers, e.g. v5.channel.k8s.io for exec, SPDY/3.1+portforward.k8s.io for
// port-forward) and the framing. Node has no server-side WebSocket built in; kubectl's side is
// gorilla/websocket (client-go transport/websocket), which masks its frames and sends binary
// messages, so this framer is small: no extensions, fragmented messages reassembled, ping answered.
import type * as Net from 'net';
import type * as Http from 'http';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OP = { cont: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** One frame as RFC 6455 §5.2 lays it out; a client masks, a server does not. */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer, fin = true): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, payload]);
  mask.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([head, body]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Frames from a byte stream: feed() what arrived, get every complete frame (unmasked). */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    for (;;) {
      const b = this.buf;
      if (b.length < 2) break;
      let len = b[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      const masked = (b[1] & 0x80) !== 0;
      const need = at + (masked ? 4 : 0) + len;
      if (b.length < need) break;
      const payload = Buffer.from(b.subarray(need - len, need));
      if (masked) {
        const m = b.subarray(at, at + 4);
        for (let i = 0; i < payload.length; i++) payload[i] ^= m[i & 3];
      }
      out.push({ fin: (b[0] & 0x80) !== 0, opcode: b[0] & 0x0f, payload });
      this.buf = b.subarray(need);
    }
    return out;
  }
}

/** Whether a request asks to become a WebSocket. */
export function isWebSocketRequest(req: Http.IncomingMessage): boolean {
  return /\bwebsocket\b/i.test(String(req.headers.upgrade ?? '')) && !!req.headers['sec-websocket-key'];
}

/** The subprotocols the client offers, in its order. */
export function offeredProtocols(req: Http.IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function acceptKey(key: string): string {
  return (require('crypto') as typeof import('crypto')).createHash('sha1').update(key + GUID).digest('base64');
}

/** A WebSocket connection on the server side. */
export class WebSocket {
  private reader = new FrameReader();
  private parts: Buffer[] = [];
  private closed = false;
  onMessage: (data: Buffer) => void = () => undefined;
  onClose: () => void = () => undefined;

  constructor(
    readonly socket: Net.Socket,
    readonly protocol: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.ended());
    socket.on('error', () => socket.destroy());
  }

  /** Bytes read from the socket (or already read with the upgrade request). */
  receive(chunk: Buffer): void {
    for (const f of this.reader.feed(chunk)) {
      if (f.opcode === OP.ping) this.write(OP.pong, f.payload);
      else if (f.opcode === OP.close) {
        if (!this.closed) this.write(OP.close, f.payload.subarray(0, 2));
        this.closed = true;
        this.socket.end();
      } else if (f.opcode === OP.text || f.opcode === OP.binary || f.opcode === OP.cont) {
        this.parts.push(f.payload);
        if (f.fin) {
          const msg = Buffer.concat(this.parts);
          this.parts = [];
          this.onMessage(msg);
        }
      }
    }
  }

  private ended(): void {
    this.closed = true;
    const cb = this.onClose;
    this.onClose = () => undefined;
    cb();
  }

  private write(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(encodeFrame(opcode, payload));
  }

  /** One binary message. */
  send(data: Buffer): void {
    if (!this.closed) this.write(OP.binary, data);
  }

  /** A close frame (1000: normal) and the end of the socket. */
  close(code = 1000): void {
    if (this.closed) return;
    this.closed = true;
    const p = Buffer.alloc(2);
    p.writeUInt16BE(code, 0);
    this.write(OP.close, p);
    this.socket.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/**
 * Completes the handshake for one of `supported` (first the client offers that the server knows,
 * as the apiserver's wsstream does) and returns the connection; undefined when none matches (the
 * 400 is written, so kubectl can fall back to SPDY).
 */
export function upgradeWebSocket(req: Http.IncomingMessage, socket: Net.Socket, head: Buffer, supported: string[]): WebSocket | undefined {
  const offered = offeredProtocols(req);
  const protocol = offered.find((p) => supported.includes(p));
  if (!protocol) {
    const body = `unable to upgrade: no supported subprotocol among [${offered.join(' ')}]`;
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return undefined;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(String(req.headers['sec-websocket-key']))}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  const ws = new WebSocket(socket, protocol);
  if (head.length) queueMicrotask(() => ws.receive(head)); // after the caller has set onMessage
  return ws;
}
