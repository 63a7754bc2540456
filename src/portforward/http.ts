// A minimal HTTP/1.1 server over one forwarded connection: requests parsed from the byte stream
// (keep-alive, pipelining, HEAD), answered by the pod's simulated application, responses written
// with exactly the application's headers.
import type { Socket } from 'net';
import type { HttpRequest, HttpResponse } from '../network/apps';

const MAX_HEAD = 64 * 1024;

export function serveHttpConnection(sock: Socket, local: string, answer: (req: HttpRequest) => HttpResponse | undefined, onError: (e: unknown) => void): void {
  let buf = Buffer.alloc(0);
  let closed = false;
  const badRequest = () => {
    const body = '<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n</body>\r\n</html>\r\n';
    sock.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    closed = true;
  };
  const drain = () => {
    while (!closed) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_HEAD) badRequest();
        return;
      }
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(lines[0]);
      if (!m) return badRequest();
      const headers: [string, string][] = [];
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers.push([l.slice(0, i).trim(), l.slice(i + 1).trim()]);
      }
      const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
      const len = Number(get('content-length') ?? 0);
      if (buf.length < end + 4 + len) return;
      buf = buf.subarray(end + 4 + len);
      const [, method, path, version] = m;
      const res = answer({ method, path, httpVersion: version, headers, clientIP: '127.0.0.1', url: `http://${get('host') ?? local}${path}` });
      if (!res) {
        sock.destroy();
        closed = true;
        return;
      }
      const conn = (get('connection') ?? '').toLowerCase();
      const keepAlive = version === '1.1' ? conn !== 'close' : conn === 'keep-alive';
      const out = res.headers.filter(([k]) => keepAlive || k.toLowerCase() !== 'connection');
      if (!keepAlive) out.push(['Connection', 'close']);
      const head = [`HTTP/1.1 ${res.status} ${res.reason}`, ...out.map(([k, v]) => `${k}: ${v}`)].join('\r\n') + '\r\n\r\n';
      sock.write(method === 'HEAD' ? head : Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(res.body)]));
      if (!keepAlive) {
        sock.end();
        closed = true;
      }
    }
  };
  sock.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
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
