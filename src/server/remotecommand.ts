// The remote-command stream protocols (apimachinery pkg/util/remotecommand, client-go
// tools/remotecommand, kubelet pkg/kubelet/cri/streaming/remotecommand) as the kubelet serves them:
// WebSocket v5.channel.k8s.io / v4 — each binary message a channel byte then data: 0 stdin,
// 1 stdout, 2 stderr, 3 error (a metav1.Status: Success, or NonZeroExitCode with an ExitCode
// cause), 4 resize, 255 close (v5: the client closed the channel named by the next byte) — and
// SPDY/3.1 v4.channel.k8s.io, one stream per channel. Both give the program one StreamIO.
import type { RequestContext } from './context';
import { SpdySession, type SpdyStream } from './spdy';
import type { WebSocket } from './websocket';

const CH = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** The kubelet's answer when the container has no process to enter (kubectl: "unable to upgrade connection: …"). */
export function refuse(ctx: RequestContext, code: number, text: string): void {
  ctx.res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

/** What a running program reads and writes, whichever protocol carries it. */
export interface StreamIO {
  readonly tty: boolean;
  readonly closed: boolean;
  onStdin: (d: Buffer) => void;
  onStdinEnd: () => void;
  /** stdout: text, or bytes sent as they are (a tar archive) */
  out(text: string | Buffer): void;
  err(text: string): void;
  finish(code: number, message?: string): void;
}

/** The error channel's metav1.Status (kubelet's remotecommand: Success, NonZeroExitCode with its ExitCode cause, or an error's message). */
function statusJSON(code: number, message?: string): string {
  if (message !== undefined) return JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 });
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command, exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

const crlf = (tty: boolean, text: string) => (tty ? text.replace(/\r?\n/g, '\r\n') : text);
/** What a stream carries: bytes as they are, text as UTF-8 (on a terminal with its line ends made \r\n). */
const payload = (tty: boolean, data: string | Buffer): Buffer => (Buffer.isBuffer(data) ? data : Buffer.from(crlf(tty, data)));

/**
 * The SPDY/3.1 fallback (kubelet pkg/kubelet/cri/streaming/remotecommand/httpstream.go, protocol
 * v4.channel.k8s.io): the client opens one stream per channel (header streamtype: error, stdin,
 * stdout, stderr, resize); the program starts once every stream the request asked for is there.
 */
export function spdyStreams(ctx: RequestContext, want: string[], tty: boolean, start: (io: StreamIO) => void): void {
  const offered = String(ctx.req.headers['x-stream-protocol-version'] ?? '').split(',').map((x) => x.trim());
  if (!offered.includes('v4.channel.k8s.io')) return refuse(ctx, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [v4.channel.k8s.io]`);
  const sock = ctx.upgrade!.socket;
  sock.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n');
  const session = new SpdySession((b) => {
    if (!sock.destroyed) sock.write(b);
  });
  const feed = (b: Buffer) => {
    try {
      session.feed(b);
    } catch {
      sock.destroy();
    }
  };
  const streams = new Map<string, SpdyStream>();
  let closed = false;
  let stdinEnded = false;
  let started = false;
  const io: StreamIO = {
    tty,
    get closed() {
      return closed || sock.destroyed;
    },
    onStdin: () => undefined,
    onStdinEnd: () => undefined,
    out: (data) => data.length && streams.get('stdout')?.write(payload(tty, data)),
    err: (text) => (tty ? io.out(text) : text && streams.get('stderr')?.write(Buffer.from(text))),
    finish: (code, message) => {
      if (closed) return;
      closed = true;
      streams.get('stdout')?.end();
      streams.get('stderr')?.end();
      const e = streams.get('error');
      e?.write(Buffer.from(statusJSON(code, message)));
      e?.end();
      // the client closes the connection once it has read the error stream; a client gone stays gone
      setTimeout(() => sock.destroy(), 5000).unref();
    },
  };
  const stdinEnd = () => {
    if (stdinEnded) return;
    stdinEnded = true;
    io.onStdinEnd();
  };
  session.onStream = (st) => {
    st.reply();
    const type = st.headers.streamtype;
    streams.set(type, st);
    if (type === 'stdin') {
      st.onData = (d) => io.onStdin(d);
      st.onEnd = stdinEnd;
    }
    if (!started && want.every((w) => streams.has(w))) {
      started = true;
      start(io);
    }
  };
  session.onGoaway = () => sock.destroy();
  sock.on('data', feed);
  sock.on('close', () => {
    closed = true;
    stdinEnd();
  });
  sock.on('error', () => sock.destroy());
  if (ctx.upgrade!.head.length) feed(ctx.upgrade!.head);
}

/** The channels of one WebSocket stream connection. */
export class Channels implements StreamIO {
  onStdin: (d: Buffer) => void = () => undefined;
  onStdinEnd: () => void = () => undefined;
  private ended = false;

  constructor(
    private ws: WebSocket,
    private v5: boolean,
    readonly tty: boolean,
  ) {
    ws.onMessage = (m) => {
      if (!m.length) return;
      const ch = m[0];
      if (ch === CH.stdin) this.onStdin(m.subarray(1));
      else if (ch === CH.close && this.v5 && m[1] === CH.stdin) this.stdinEnded();
    };
    ws.onClose = () => this.stdinEnded();
  }

  private stdinEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.onStdinEnd();
  }

  get closed(): boolean {
    return this.ws.isClosed;
  }

  private send(ch: number, data: string | Buffer): void {
    if (!data.length) return;
    this.ws.send(Buffer.concat([Buffer.from([ch]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
  }

  /** stdout; on a terminal a line ends with \r\n, as the pty's output processing writes it */
  out(data: string | Buffer): void {
    this.send(CH.stdout, payload(this.tty, data));
  }

  /** stderr; a terminal has one output stream */
  err(text: string): void {
    if (this.tty) this.out(text);
    else this.send(CH.stderr, text);
  }

  /** The error channel's Status, then the end of the connection. */
  finish(code: number, message?: string): void {
    if (this.ws.isClosed) return;
    this.send(CH.error, statusJSON(code, message));
    this.ws.close();
  }
}

