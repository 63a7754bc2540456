// The Go servers the tutorials run, answering as Go's net/http answers: hello-app (GKE's
// quickstart), agnhost's serve-hostname and netexec (and the older serve_hostname image).
//
// Sources: GoogleCloudPlatform/kubernetes-engine-samples quickstarts/hello-app/main.go;
// kubernetes/kubernetes test/images/agnhost/serve-hostname/serve_hostname.go and
// test/images/agnhost/netexec/netexec.go, test/images/agnhost/pause/pause.go; Go's net/http
// (server.go chunkWriter.writeHeader and extraHeader for the header order, status.go, http.Error,
// http.Redirect) and time.Time.String for netexec's "NOW:".
import type { KObject } from '../api/types';
import { nowMs } from '../util/clock';
import {
  commandLine,
  containerStartedMs,
  ephemeralPort,
  goLogTime,
  httpDate,
  imageName,
  imageTag,
  ownEnv,
  parseFlags,
  podHostname,
  portFlag,
  queryValues,
  type Container,
  type HttpRequest,
  type HttpResponse,
} from './appbase';

/** Go's net/http StatusText. */
const STATUS_TEXT: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large', 414: 'Request URI Too Long', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

/** The reason phrase Go writes: the status text, or "status code N" for a code it has no name for. */
export function goReason(status: number): string {
  return STATUS_TEXT[status] ?? `status code ${status}`;
}

const bodyAllowed = (status: number) => !((status >= 100 && status <= 199) || status === 204 || status === 304);

/**
 * A Go handler's response: the handler's own headers first (sorted, as Header.WriteSubset writes
 * them), then the server's Date and Content-Length, then a sniffed Content-Type for a body the
 * handler gave none (DetectContentType: plain text for everything these servers write).
 */
export function goResponse(status: number, body: string, handlerHeaders: [string, string][] = []): HttpResponse {
  const allowed = bodyAllowed(status);
  const out = [...handlerHeaders].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const b = allowed ? body : '';
  out.push(['Date', httpDate()]);
  if (allowed && status !== 204) out.push(['Content-Length', String(Buffer.byteLength(b))]);
  if (b.length && !handlerHeaders.some(([k]) => k.toLowerCase() === 'content-type')) out.push(['Content-Type', 'text/plain; charset=utf-8']);
  return { status, reason: goReason(status), headers: out, body: b };
}

/** http.Error: the message as plain text, with nosniff. */
function goError(status: number, msg: string): HttpResponse {
  return goResponse(status, msg + '\n', [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff']]);
}

/** Go's %q for the printable ASCII these handlers see: a double-quoted, escaped string. */
const goQuote = (s: string) => JSON.stringify(s);

/** time.Time.String of time.Now() in a UTC container: the monotonic reading counts from the process start (runtime's startNano, one nanosecond before). */
export function goNow(ms: number, startedMs?: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = (((ms % 1000) + 1000) % 1000) * 1e6;
  const frac = nanos ? '.' + p(nanos, 9).replace(/0+$/, '') : '';
  let mono = '';
  if (startedMs !== undefined) {
    const total = BigInt(Math.max(0, ms - startedMs)) * 1000000n + 1n;
    mono = ` m=+${total / 1000000000n}.${String(total % 1000000000n).padStart(9, '0')}`;
  }
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac} +0000 UTC${mono}`;
}

const goLog = (msg: string) => `${goLogTime()} ${msg}`;

// ---------------------------------------------------------------- which Go server a container runs

export type GoApp = 'hello-app' | 'serve-hostname' | 'netexec' | 'none';

export interface GoServer {
  app: GoApp;
  /** TCP ports it serves (HTTP, or raw TCP for serve-hostname --tcp) */
  tcp: number[];
  udp: number[];
  /** the TCP ports that speak TLS */
  tls: number[];
  /** serve-hostname without HTTP: a raw TCP reply */
  raw?: boolean;
  flags: Map<string, string>;
  /** the agnhost subcommand, or the image's own program */
  sub?: string;
}

const AGNHOST_BOOLS = ['tcp', 'udp', 'http', 'close'];

/**
 * The server a Go image's container runs. agnhost's subcommand is the first argument after
 * /agnhost (ENTRYPOINT ["/agnhost"], CMD ["pause"]: with no arguments it only pauses); a command
 * that is not agnhost runs none of its servers.
 */
export function goServer(pod: KObject, c: Container): GoServer | undefined {
  const name = imageName(c.image);
  if (name === 'hello-app') {
    const port = Number(ownEnv(pod, c).get('PORT') || 8080);
    return { app: 'hello-app', tcp: Number.isInteger(port) ? [port] : [], udp: [], tls: [], flags: new Map() };
  }
  if (name === 'serve_hostname' || name === 'agnhost') {
    const argv = name === 'agnhost' ? commandLine(c, ['/agnhost'], ['pause']) : commandLine(c, ['/serve_hostname'], []);
    const prog = (argv[0] ?? '').split('/').pop();
    let sub: string | undefined;
    let rest: string[];
    if (name === 'agnhost') {
      if (prog !== 'agnhost') return { app: 'none', tcp: [], udp: [], tls: [], flags: new Map() };
      sub = argv[1];
      rest = argv.slice(2);
    } else {
      if (prog !== 'serve_hostname') return { app: 'none', tcp: [], udp: [], tls: [], flags: new Map() };
      sub = 'serve-hostname';
      rest = argv.slice(1);
    }
    const flags = parseFlags(rest, AGNHOST_BOOLS);
    if (sub === 'serve-hostname') {
      const port = portFlag(flags, 'port', 9376);
      const on = (f: string, def: boolean) => (flags.has(f) ? flags.get(f) !== 'false' : def);
      const http = on('http', true);
      const tcp = on('tcp', false);
      const udp = on('udp', false);
      // "Can't server TCP/UDP mode and HTTP mode at the same time": it exits instead of serving
      if (http && (tcp || udp)) return { app: 'none', tcp: [], udp: [], tls: [], flags, sub };
      return { app: 'serve-hostname', tcp: http || tcp ? [port] : [], udp: udp ? [port] : [], tls: [], raw: !http && tcp, flags, sub };
    }
    if (sub === 'netexec') {
      const http = portFlag(flags, 'http-port', 8080);
      const udp = portFlag(flags, 'udp-port', 8081);
      return { app: 'netexec', tcp: [http], udp: udp === -1 ? [] : [udp], tls: flags.get('tls-cert-file') ? [http] : [], flags, sub };
    }
    return { app: 'none', tcp: [], udp: [], tls: [], flags, sub };
  }
  return undefined;
}

/** What the server prints at start. */
export function goStartupLog(pod: KObject, c: Container, ms: number): string[] {
  const s = goServer(pod, c);
  if (!s) return [];
  const t = goLogTime(ms);
  switch (s.app) {
    case 'hello-app':
      return [`${t} Server listening on port ${ownEnv(pod, c).get('PORT') || '8080'}`];
    case 'serve-hostname':
      return [`${t} Serving on port ${portFlag(s.flags, 'port', 9376)}.`];
    case 'netexec': {
      const lines = [`${t} Started HTTP server on port ${s.tcp[0]}`];
      // the UDP goroutine logs its address, "" when bound to any: hence the two spaces
      if (s.udp.length) lines.push(`${t} Started UDP server on port  ${s.udp[0]}`);
      return lines;
    }
    default:
      return s.sub === 'pause' ? ['Paused'] : [];
  }
}

/** hello-app's version line follows its tag: 1.0 → 1.0.0, 2.0 → 2.0.0. */
function helloVersion(image: string): string {
  const tag = imageTag(image);
  if (/^\d+\.\d+\.\d+$/.test(tag)) return tag;
  if (/^\d+\.\d+$/.test(tag)) return `${tag}.0`;
  return '1.0.0';
}

/** r.RemoteAddr: the client as the pod sees it, with its source port. */
export function remoteAddr(pod: KObject, req: HttpRequest, salt: number): string {
  const port = req.clientPort ?? ephemeralPort(`${req.clientIP}|${pod.metadata.uid}|${nowMs()}|${req.path}|${salt}`);
  return `${req.clientIP}:${port}`;
}

/** textproto.CanonicalMIMEHeaderKey for the usual header names. */
function canonicalKey(k: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k)) return k;
  return k
    .split('-')
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w))
    .join('-');
}

/** Go's json.Marshal escaping: HTML-safe, as encoding/json does by default. */
function goJSON(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** path.Clean, for http.Redirect's target. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/') || (p.startsWith('/') ? '/' : '.');
}

const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[ch] as string);

export interface Served {
  res: HttpResponse;
  log: string[];
}

/** One request to a Go server. `salt` varies the made-up source port between requests. */
export function serveGo(pod: KObject, c: Container, req: HttpRequest, salt: number): Served {
  const s = goServer(pod, c);
  const host = podHostname(pod);
  const pathOnly = req.path.split('?')[0];
  if (s?.app === 'hello-app') {
    // r.URL.Path: the path without its query
    return { res: goResponse(200, `Hello, world!\nVersion: ${helloVersion(c.image)}\nHostname: ${host}\n`), log: [goLog(`Serving request: ${pathOnly}`)] };
  }
  if (s?.app === 'serve-hostname') {
    const close = s.flags.has('close') && s.flags.get('close') !== 'false';
    return { res: goResponse(200, host, close ? [['Connection', 'close']] : []), log: [goLog(`HTTP request from ${remoteAddr(pod, req, salt)}`)] };
  }
  return netexec(pod, c, req, salt, s?.flags ?? new Map());
}

/** netexec's handlers (agnhost's netexec.go addRoutes); "/" takes every path the others do not. */
function netexec(pod: KObject, c: Container, req: HttpRequest, salt: number, flags: Map<string, string>): Served {
  const pathOnly = req.path.split('?')[0];
  const form = queryValues(req.path);
  const v = (k: string) => form.get(k) ?? '';
  const ready = portFlag(flags, 'udp-port', 8081) !== -1 || portFlag(flags, 'sctp-port', -1) !== -1;
  const notSimulated = (what: string) => goError(501, `kubesim: netexec's ${what} is not simulated`);
  switch (pathOnly) {
    case '/clientip':
      return { res: goResponse(200, remoteAddr(pod, req, salt)), log: [goLog('GET /clientip')] };
    case '/header': {
      const key = v('key');
      if (key) {
        const want = canonicalKey(key);
        const val = req.headers.find(([k]) => k.toLowerCase() !== 'host' && canonicalKey(k) === want)?.[1] ?? '';
        return { res: goResponse(200, val), log: [goLog(`GET /header?key=${key}`)] };
      }
      // r.Header: every header but Host (the server moves it to r.Host), canonical names, values in order
      const all: Record<string, string[]> = {};
      for (const [k, val] of req.headers) if (k.toLowerCase() !== 'host') (all[canonicalKey(k)] ??= []).push(val);
      const sorted = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
      return { res: goResponse(200, goJSON(sorted)), log: [goLog('GET /header')] };
    }
    case '/echo': {
      const msg = v('msg');
      const code = v('code');
      const log = [goLog(`GET /echo?msg=${msg}&code=${code}`)];
      if (code === '') return { res: goResponse(200, msg), log };
      if (!/^[+-]?\d+$/.test(code)) return { res: goResponse(200, `argument 'code' must be an integer or empty, got ${goQuote(code)}\n`), log };
      const n = Number(code);
      if (n < 100 || n > 999) {
        // WriteHeader panics on such a code; the server recovers and drops the connection
        log.push(goLog(`http: panic serving ${remoteAddr(pod, req, salt)}: invalid WriteHeader code ${n}`));
        return { res: { status: 0, reason: '', headers: [], body: '', abort: true }, log };
      }
      // an informational code is sent ahead, then the body goes out under an implicit 200
      return { res: goResponse(n >= 100 && n <= 199 && n !== 101 ? 200 : n, msg), log };
    }
    case '/healthz':
      return { res: goResponse(ready ? 200 : 412, ''), log: [goLog('GET /healthz')] };
    case '/readyz':
      return { res: ready ? goResponse(200, 'ok') : goResponse(412, ''), log: [goLog('GET /readyz')] };
    case '/hostname':
    case '/hostName':
      return { res: goResponse(200, podHostname(pod)), log: [goLog(`GET ${pathOnly}`)] };
    case '/redirect': {
      const location = v('location');
      const codeStr = v('code');
      const log = [goLog(`${req.method} /redirect?msg=${location}&code=${codeStr}`)];
      let code = 302;
      if (codeStr !== '') {
        if (!/^[+-]?\d+$/.test(codeStr)) return { res: goResponse(200, `argument 'code' must be an integer or empty, got ${goQuote(codeStr)}\n`), log };
        code = Number(codeStr);
      }
      // http.Redirect: a relative target is resolved against the request's directory and cleaned
      let url = location;
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url) && !url.startsWith('//')) {
        if (!url.startsWith('/')) url = '/' + url;
        const qi = url.indexOf('?');
        const [p, q] = qi < 0 ? [url, ''] : [url.slice(0, qi), url.slice(qi)];
        let cleaned = cleanPath(p);
        if (p.endsWith('/') && !cleaned.endsWith('/')) cleaned += '/';
        url = cleaned + q;
      }
      const html = req.method === 'GET' || req.method === 'HEAD';
      const headers: [string, string][] = [['Location', url]];
      if (html) headers.push(['Content-Type', 'text/html; charset=utf-8']);
      const body = req.method === 'GET' ? `<a href="${htmlEscape(url)}">${goReason(code)}</a>.\n\n` : '';
      return { res: goResponse(code, body, headers), log };
    }
    case '/dial':
      return { res: notSimulated('/dial'), log: [goLog(`GET /dial?host=${v('host')}&protocol=${v('protocol')}&port=${v('port')}&request=${v('request')}&tries=${v('tries')}`)] };
    case '/shell':
      return { res: notSimulated('/shell'), log: [goLog(`GET /shell?cmd=${v('shellCommand') || v('cmd')}`)] };
    case '/upload':
      return { res: notSimulated('/upload'), log: [goLog('GET /upload')] };
    case '/exit':
      return { res: notSimulated('/exit'), log: [goLog(`GET /exit?code=${v('code')}&timeout=${v('timeout')}&wait=${v('wait')}`)] };
    case '/shutdown':
      return { res: notSimulated('/shutdown'), log: [goLog('GET /shutdown')] };
    default:
      return { res: goResponse(200, `NOW: ${goNow(nowMs(), containerStartedMs(pod, c.name))}`), log: [goLog('GET /')] };
  }
}
