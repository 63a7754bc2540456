// pods/portforward through `kubesim serve`. kubectl 1.32 upgrades to WebSocket with the subprotocol
// SPDY/3.1+portforward.k8s.io and speaks SPDY/3.1 inside binary messages (client-go
// tools/portforward tunneling_dialer.go), falling back to a plain `Upgrade: SPDY/3.1` (REFERENCE §9).
// Per forwarded connection it opens an error stream and a data stream (headers streamtype, port,
// requestid); each is answered with SYN_REPLY (kubelet pkg/kubelet/cri/streaming/portforward
// httpstream.go), and the data stream is the connection to the simulated application on the pod's
// port (src/portforward/connection.ts, as `kubesim port-forward` answers its local connections).
import type * as Net from 'net';
import { badRequest, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';
import { locked, openRead } from '../apiserver/transaction';
import { currentPod, handleConnection, type PodRef, type PodTx } from '../portforward/connection';
import type { RequestContext } from './context';
import { SpdySession, type SpdyStream } from './spdy';
import { isWebSocketRequest, offeredProtocols, upgradeWebSocket } from './websocket';

const TUNNEL = 'SPDY/3.1+portforward.k8s.io';
const POD_CHECK_MS = 300;

export function servePortForward(ctx: RequestContext, namespace: string, name: string): void {
  const pod = openRead(ctx.store).get('Pod', namespace, name);
  if (!pod) throw notFound(lookupResource('pods')!, name);
  const up = ctx.upgrade;
  if (!up) throw badRequest('Upgrade request required');
  const ref: PodRef = { namespace, name, uid: pod.metadata.uid as string };
  const tx: PodTx = { openRead: () => openRead(ctx.store), touchRuntime: (fn) => locked(ctx.store, fn, false, false) };
  let session: SpdySession;
  let close: () => void;
  const feed = (b: Buffer) => {
    try {
      session.feed(b);
    } catch {
      close(); // not SPDY as kubectl writes it: the connection ends
    }
  };
  if (isWebSocketRequest(ctx.req) && !offeredProtocols(ctx.req).includes(TUNNEL)) return channelForward(ctx, tx, ref);
  if (isWebSocketRequest(ctx.req)) {
    const ws = upgradeWebSocket(ctx.req, up.socket, up.head, [TUNNEL]);
    if (!ws) return;
    session = new SpdySession((b) => ws.send(b));
    ws.onMessage = feed;
    ws.onClose = () => session.closeAll();
    close = () => ws.close();
  } else if (/^spdy\/3\.1$/i.test(String(ctx.req.headers.upgrade ?? ''))) {
    const sock = up.socket;
    sock.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    session = new SpdySession((b) => {
      if (!sock.destroyed) sock.write(b);
    });
    sock.on('data', feed);
    sock.on('close', () => session.closeAll());
    sock.on('error', () => sock.destroy());
    close = () => sock.destroy();
    if (up.head.length) feed(up.head);
  } else {
    throw badRequest('unable to upgrade: missing upgrade headers in request');
  }
  session.onGoaway = () => close();
  // the pod deleted, replaced or its node stopped: the kubelet's connection ends, and kubectl says
  // "lost connection to pod"
  const watch = setInterval(() => {
    try {
      if (!currentPod(tx, ref)) close();
    } catch {
      /* the state is being rewritten: look again next time */
    }
  }, POD_CHECK_MS);
  up.socket.on('close', () => clearInterval(watch));
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
  session.onStream = (s) => {
    s.reply();
    const rid = s.headers.requestid ?? '';
    const pair = pairs.get(rid) ?? {};
    pairs.set(rid, pair);
    if (s.headers.streamtype === 'error') pair.error = s;
    else if (s.headers.streamtype === 'data') pair.data = s;
    else return s.reset();
    if (!pair.error || !pair.data) return;
    pairs.delete(rid);
    const port = Number(s.headers.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      pair.error.write(Buffer.from(`invalid port: ${s.headers.port}`));
      pair.error.end();
      pair.data.end();
      return;
    }
    forward(tx, ref, port, pair.data, pair.error, close);
  };
}

/** One forwarded connection: the data stream as the socket the application's handler reads and writes. */
/** One direction's writer and the other's reader: a SPDY stream, or a WebSocket channel. */
interface Pipe {
  write(b: Buffer): void;
  end(): void;
  onData: (b: Buffer) => void;
  onEnd: () => void;
}

function forward(tx: PodTx, ref: PodRef, port: number, data: Pipe, error: Pick<Pipe, 'write' | 'end'>, lost: () => void): void {
  const { Duplex } = require('stream') as typeof import('stream');
  const conn = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      data.write(chunk);
      cb();
    },
    final(cb) {
      data.end();
      cb();
    },
  });
  data.onData = (b) => conn.push(b);
  data.onEnd = () => conn.push(null);
  conn.on('error', () => undefined);
  conn.on('close', () => {
    data.end();
    error.end();
  });
  const sock = Object.assign(conn, { remoteAddress: '127.0.0.1', remotePort: 0 }) as unknown as Net.Socket;
  handleConnection(tx, ref, { local: port, remote: port }, sock, lost, {
    // the kubelet's error goes back on the error stream; kubectl prints it ("an error occurred forwarding …")
    refused: (message) => {
      error.write(Buffer.from(message));
      error.end();
    },
    error: (e) => error.write(Buffer.from(e instanceof Error ? e.message : String(e))),
  });
}

/**
 * The WebSocket channel protocol other clients use (the Python client; kubelet
 * pkg/kubelet/cri/streaming/portforward/websocket.go, v4.channel.k8s.io): `ports=80,443` in the
 * query, channels 2i (data) and 2i+1 (error) for the i-th port, each first carrying its port as a
 * little-endian uint16 from the server; one connection per forwarded port pair.
 */
function channelForward(ctx: RequestContext, tx: PodTx, ref: PodRef): void {
  const ports = ctx.url.searchParams.getAll('ports').flatMap((p) => p.split(',')).map((p) => Number(p.trim()));
  if (!ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw badRequest(`query parameter "port" is required`);
  }
  const ws = upgradeWebSocket(ctx.req, ctx.upgrade!.socket, ctx.upgrade!.head, ['v4.channel.k8s.io', 'channel.k8s.io']);
  if (!ws) return;
  const send = (ch: number, b: Buffer) => ws.send(Buffer.concat([Buffer.from([ch]), b]));
  let ended = 0;
  const pipes: Pipe[] = ports.map((port, i) => {
    // the application closed every connection: so does the kubelet's WebSocket
    const end = () => ++ended === ports.length && ws.close();
    const p: Pipe = { write: (b) => send(2 * i, b), end, onData: () => undefined, onEnd: () => undefined };
    const head = Buffer.alloc(2);
    head.writeUInt16LE(port, 0);
    send(2 * i, head);
    send(2 * i + 1, head);
    return p;
  });
  ws.onMessage = (m) => {
    const ch = m[0];
    if (ch % 2 === 0 && pipes[ch / 2]) pipes[ch / 2].onData(m.subarray(1));
  };
  ws.onClose = () => pipes.forEach((p) => p.onEnd());
  ports.forEach((port, i) => forward(tx, ref, port, pipes[i], { write: (b) => send(2 * i + 1, b), end: () => undefined }, () => ws.close()));
}
