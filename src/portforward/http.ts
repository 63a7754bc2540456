// A minimal HTTP/1.1 server over one forwarded connection: requests parsed from the byte stream
// (keep-alive, pipelining, HEAD, bodies by Content-Length), answered by the pod's simulated
// application, responses written with exactly the application's headers (a chunked one framed as
// one chunk and the last).
import type { Socket } from 'net';
import type { HttpRequest, HttpResponse } from '../network/apps';

const MAX_HEAD = 64 * 1024;
/** nginx's default client_max_body_size (1m): a larger body is refused with 413, not read */
export const MAX_BODY = 1024 * 1024;

/** nginx's error page for a status, as it sends it before closing the connection. */
function errorPage(status: string): string {
  const body = `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n</body>\r\n</html>\r\n`;
  return `HTTP/1.1 ${status}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
}

export function serveHttpConnection(sock: Socket, local: string, answer: (req: HttpRequest) => HttpResponse | undefined, onError: (e: unknown) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  let closed = false;
  /** body bytes of the current request still to come, and those read so far (an echo page prints them) */
  let skip = 0;
  let body: Buffer[] = [];
  let pending: (() => void) | undefined;
  const refuse = (status: string) => {
    sock.end(errorPage(status));
    closed = true;
  };
  const drain = () => {
    while (!closed) {
      if (skip > 0) {
        const n = Math.min(skip, buf.length);
        body.push(Buffer.from(buf.subarray(0, n)));
        skip -= n;
        buf = buf.subarray(n);
        if (skip > 0) return;
      }
      if (pending) {
        const respond = pending;
        pending = undefined;
        respond();
        continue;
      }
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_HEAD) refuse('400 Bad Request');
        return;
      }
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(lines[0]);
      if (!m) return refuse('400 Bad Request');
      const headers: [string, string][] = [];
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers.push([l.slice(0, i).trim(), l.slice(i + 1).trim()]);
      }
      const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
      // nginx: a Content-Length that is not a number, or several that disagree, is a bad request
      const lengths = [...new Set(headers.filter(([k]) => k.toLowerCase() === 'content-length').map(([, v]) => v))];
      if (lengths.length > 1 || (lengths.length === 1 && !/^\d{1,15}$/.test(lengths[0]))) return refuse('400 Bad Request');
      const len = lengths.length ? Number(lengths[0]) : 0;
      if (len > MAX_BODY) return refuse('413 Request Entity Too Large');
      buf = buf.subarray(end + 4);
      skip = len;
      body = [];
      const [, method, path, version] = m;
      pending = () => respond(method, path, version, headers, get, len ? Buffer.concat(body).toString('utf8') : undefined);
    }
  };
  const respond = (method: string, path: string, version: string, headers: [string, string][], get: (n: string) => string | undefined, reqBody: string | undefined) => {
    // inside the pod the connection comes from the runtime's dial to localhost; its source port is
    // an ephemeral one, as this socket's is
    const res = answer({ method, path, httpVersion: version, headers, clientIP: '127.0.0.1', clientPort: sock.remotePort, url: `http://${get('host') ?? local}${path}`, body: reqBody });
    if (!res || res.abort) {
      sock.destroy();
      closed = true;
      return;
    }
    const conn = (get('connection') ?? '').toLowerCase();
    const keepAlive = version === '1.1' ? conn !== 'close' : conn === 'keep-alive';
    const out = res.headers.filter(([k]) => keepAlive || k.toLowerCase() !== 'connection');
    if (!keepAlive) out.push(['Connection', 'close']);
    const head = [`HTTP/1.1 ${res.status} ${res.reason}`, ...out.map(([k, v]) => `${k}: ${v}`)].join('\r\n') + '\r\n\r\n';
    const chunked = out.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && v.toLowerCase() === 'chunked');
    const payload = Buffer.from(res.body);
    const framed = chunked ? Buffer.concat([Buffer.from(payload.length ? `${payload.length.toString(16)}\r\n` : ''), payload, Buffer.from(payload.length ? '\r\n0\r\n\r\n' : '0\r\n\r\n')]) : payload;
    sock.write(method === 'HEAD' ? head : Buffer.concat([Buffer.from(head, 'latin1'), framed]));
    if (!keepAlive) {
      sock.end();
      closed = true;
    }
  };
  sock.on('data', (chunk: Buffer) => {
    if (closed) return;
    // only a request's head is kept between chunks (at most MAX_HEAD); a body passes through skip
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    try {
      drain();
    } catch (e) {
      // the state could not be read or written (locked too long, damaged): this connection ends, forwarding goes on
      closed = true;
      sock.destroy();
      onError(e);
    }
  });
}
