// The applications behind pod ports, chosen by image (and, for agnhost, by the subcommand its
// arguments name): what listens where and speaks what, what an HTTP request gets back, and the log
// lines a start and each request leave. The simulated data plane (curl, wget) and the real
// port-forward listeners both answer from here, so a page looks the same whichever way it is
// fetched. The Go servers live in goapps.ts, the echoserver in echoserver.ts, mongod in mongo.ts.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs } from '../util/clock';
import { header, httpDate, imageRepo, imageTag, type Container, type HttpRequest, type HttpResponse } from './appbase';
import { echoserverPorts, echoserverResponse, echoserverStartupLog, echoVariant } from './echoserver';
import { goServer, goStartupLog, serveGo } from './goapps';
import { mongoPort, mongoStartupLog } from './mongo';
import { ContainerFs } from './container';
import { nginxStartFailure } from './secctx';

export { httpDate, imageRepo, type Container, type HttpRequest, type HttpResponse } from './appbase';

export type AppKind = 'nginx' | 'httpd' | 'redis' | 'echo' | 'echoserver' | 'hello-app' | 'serve-hostname' | 'netexec' | 'mongo' | 'apiserver' | 'coredns' | 'tcp' | 'hpa-example' | 'ingress-nginx' | 'none';

/** Images that run no server at all: a request to them is refused. */
const NO_SERVER = new Set(
  'busybox alpine ubuntu debian centos fedora rockylinux almalinux amazonlinux archlinux bash curlimages/curl nicolaka/netshoot python node golang ruby openjdk eclipse-temurin perl rust gcc php hello-world pause'.split(' '),
);
/** Servers that speak something other than HTTP: they accept the connection, then say nothing HTTP understands. */
const TCP_SERVERS: Record<string, number[]> = { postgres: [5432], mysql: [3306], mariadb: [3306], memcached: [11211], rabbitmq: [5672], cassandra: [9042], zookeeper: [2181] };

export const NGINX_VERSION = '1.27.3';
export const HTTPD_VERSION = '2.4.62';
export const REDIS_VERSION = '7.4.1';

/** The application an image runs with its default command. */
export function appFor(image: string): AppKind {
  const repo = imageRepo(image);
  const last = repo.split('/').pop() as string;
  if (last === 'kube-apiserver') return 'apiserver';
  // minikube's ingress addon: registry.k8s.io/ingress-nginx/controller (network/ingressnginx.ts)
  if (last === 'controller' && repo.split('/').slice(-2)[0] === 'ingress-nginx') return 'ingress-nginx';
  if (last === 'kube-webhook-certgen') return 'none';
  if (last === 'coredns') return 'coredns';
  if (last === 'nginx' || last === 'nginx-unprivileged' || repo === 'nginxinc/nginx-unprivileged') return 'nginx';
  if (last === 'httpd' || last === 'apache') return 'httpd';
  if (last === 'redis' || last === 'redis-stack-server') return 'redis';
  if (last === 'hello-app') return 'hello-app';
  if (last === 'serve_hostname') return 'serve-hostname';
  if (last === 'echoserver') return 'echoserver';
  if (last === 'mongo') return 'mongo';
  // the HPA walkthrough's php-apache (kubernetes test/images/hpa-example): index.php burns CPU, says OK!
  if (last === 'hpa-example') return 'hpa-example';
  // agnhost's default CMD is `pause`: a server only when the arguments name one (appOf)
  if (last === 'agnhost') return 'none';
  if (TCP_SERVERS[last]) return 'tcp';
  if (NO_SERVER.has(repo) || NO_SERVER.has(last) || /^kube-|^etcd$/.test(last)) return 'none';
  return 'echo';
}

/** The application a container runs: its image's, or the one its command line starts (agnhost's subcommand). */
export function appOf(pod: KObject, c: Container): AppKind {
  const g = goServer(pod, c);
  return g ? g.app : appFor(c.image);
}

/** The version an nginx or httpd image reports: its tag when the tag is a version, else the current one. */
export function serverVersion(image: string, app: AppKind): string {
  const tag = imageTag(image);
  const m = /^(\d+\.\d+\.\d+)/.exec(tag);
  if (m) return m[1];
  return app === 'httpd' ? HTTPD_VERSION : app === 'redis' ? REDIS_VERSION : NGINX_VERSION;
}

/**
 * What a listener speaks: HTTP, HTTPS, RESP (redis), MongoDB's wire protocol, a raw TCP reply
 * (serve-hostname --tcp), or nothing a client's first bytes get an answer to (databases, DNS over
 * TCP). curl, wget and port-forward all go by this.
 */
export type Protocol = 'http' | 'https' | 'resp' | 'mongo' | 'raw' | 'silent';

export interface Listener {
  container: Container;
  app: AppKind;
  /** the container port that was asked for */
  port: number;
  protocol: Protocol;
}

/**
 * Whether nginx serves HTTPS on 443. It does only when its configuration says so: a server block
 * with `listen 443 ssl` and a certificate, mounted from a ConfigMap and a Secret over
 * /etc/nginx/conf.d. Mounted ConfigMaps and Secrets are not simulated yet, so every nginx runs the
 * stock image's default.conf (port 80 only) and this is false; it is the one place to change when
 * they are.
 */
export function nginxListensTls(_pod: KObject, _container: Container): boolean {
  return false;
}

/** Which container of a pod listens on a port, if any. Ports come from the applications; a containerPort declaration opens nothing. */
export function listenerFor(pod: KObject, port: number, protocol = 'TCP'): Listener | undefined {
  const statuses: { name: string; state?: { running?: object } }[] = pod.status?.containerStatuses ?? [];
  for (const c of (pod.spec?.containers ?? []) as Container[]) {
    // a container that is not running (crashed, waiting to restart, still pulling) listens on nothing
    const cs = statuses.find((x) => x.name === c.name);
    if (statuses.length && (!cs || !cs.state?.running)) continue;
    const app = appOf(pod, c);
    const proto = serves(pod, c, app, port, protocol);
    if (proto) return { container: c, app, port, protocol: proto };
  }
  return undefined;
}

function serves(pod: KObject, c: Container, app: AppKind, port: number, protocol: string): Protocol | undefined {
  if (protocol === 'UDP') {
    if (app === 'coredns') return port === 53 ? 'silent' : undefined;
    return goServer(pod, c)?.udp.includes(port) ? 'silent' : undefined;
  }
  if (protocol !== 'TCP') return undefined;
  switch (app) {
    case 'nginx':
      if (port === (imageRepo(c.image).includes('unprivileged') ? 8080 : 80)) return 'http';
      return port === 443 && nginxListensTls(pod, c) ? 'https' : undefined;
    case 'httpd':
    case 'hpa-example':
      return port === 80 ? 'http' : undefined;
    case 'redis':
      return port === 6379 ? 'resp' : undefined;
    case 'ingress-nginx':
      // nginx on 80/443, the controller's health and metrics on 10254, the admission webhook on 8443
      return port === 80 || port === 10254 ? 'http' : port === 443 || port === 8443 ? 'https' : undefined;
    case 'apiserver':
      return port === 6443 || port === 8443 ? 'https' : undefined;
    case 'coredns':
      return port === 53 ? 'silent' : [8080, 8181, 9153].includes(port) ? 'http' : undefined;
    case 'tcp':
      return TCP_SERVERS[imageRepo(c.image).split('/').pop() as string].includes(port) ? 'silent' : undefined;
    case 'mongo':
      return port === mongoPort(c) ? 'mongo' : undefined;
    case 'echoserver': {
      const p = echoserverPorts(c.image);
      return p.tls.includes(port) ? 'https' : p.tcp.includes(port) ? 'http' : undefined;
    }
    case 'hello-app':
    case 'serve-hostname':
    case 'netexec': {
      const g = goServer(pod, c);
      if (!g?.tcp.includes(port)) return undefined;
      return g.tls.includes(port) ? 'https' : g.raw ? 'raw' : 'http';
    }
    case 'echo': {
      // an unknown image serves the ports it declares, or any port when it declares none
      const declared = (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
      return declared.length === 0 || declared.some((p) => p.containerPort === port) ? 'http' : undefined;
    }
    default:
      return undefined;
  }
}

export function protocolOf(l: Listener, _port?: number): Protocol {
  return l.protocol;
}

/** The answer a TLS port gives a plain HTTP request: nginx's 497 page, or Go's one-line 400. */
export function plainHttpToTls(l: Listener): HttpResponse {
  if (l.app === 'echoserver') {
    const server = `nginx/${echoVariant(l.container.image) === 'e2e' ? '1.12.2' : '1.13.3'}`;
    const body = `<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body bgcolor="white">\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
    return { status: 400, reason: 'Bad Request', headers: [['Server', server], ['Date', httpDate()], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'close']], body };
  }
  // Go's crypto/tls server, and so the API server and netexec: net/http's answer to plain HTTP
  return { status: 400, reason: 'Bad Request', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Connection', 'close']], body: 'Client sent an HTTP request to an HTTPS server.\n' };
}

const REASONS: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed' };

/** 01/Dec/2026:05:08:25 +0000, the access-log time of nginx and Apache */
function logTime(ms = nowMs()): string {
  const d = new Date(ms);
  const mon = d.toUTCString().slice(8, 11);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const HTTPD_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

/** Answers one HTTP request in the pod's application and logs it as that server would. */
export function serveHttp(state: State, pod: KObject, l: Listener, req: HttpRequest): HttpResponse {
  const uid = pod.metadata.uid as string;
  const ua = header(req, 'user-agent') ?? '-';
  const line = `${req.method} ${req.path} HTTP/${req.httpVersion}`;
  const combined = (status: number, bytes: number | string, extra = '') => `${req.clientIP} - - [${logTime()}] "${line}" ${status} ${bytes} "${header(req, 'referer') ?? '-'}" "${ua}"${extra}`;
  let res: HttpResponse;
  switch (l.app) {
    case 'hello-app':
    case 'serve-hostname':
    case 'netexec': {
      // the number of lines logged so far tells one request's made-up source port from the next
      const served = serveGo(pod, l.container, req, state.runtime().logs[uid]?.[l.container.name]?.length ?? 0);
      if (served.log.length) appendLog(state, pod, l.container.name, served.log);
      res = served.res;
      break;
    }
    case 'ingress-nginx': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ing = require('./ingressnginx') as typeof import('./ingressnginx');
      res = l.port === 80 || l.port === 443 ? ing.serveIngress(state, pod, l.port, req) : ing.healthz(req);
      break;
    }
    case 'echoserver': {
      const e = echoserverResponse(pod, l.container, req, l.port);
      appendLog(state, pod, l.container.name, [combined(200, e.bodyBytes)]);
      res = e.res;
      break;
    }
    default: {
      res = respond(state, pod, l, req);
      const bytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(res.body);
      if (l.app === 'nginx' || l.app === 'echo') appendLog(state, pod, l.container.name, [combined(res.status, l.app === 'nginx' && req.method === 'HEAD' ? 0 : bytes, l.app === 'nginx' ? ` "${header(req, 'x-forwarded-for') ?? '-'}"` : '')]);
      else if (l.app === 'httpd') appendLog(state, pod, l.container.name, [`${req.clientIP} - - [${logTime()}] "${line}" ${res.status} ${req.method === 'HEAD' ? '-' : bytes}`]);
    }
  }
  if (req.method === 'HEAD') return { ...res, body: '' };
  return res;
}

/** nginx's mime.types for the common extensions; default_type application/octet-stream. */
function mimeType(path: string): string {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const types: Record<string, string> = { html: 'text/html', htm: 'text/html', shtml: 'text/html', css: 'text/css', xml: 'text/xml', txt: 'text/plain', js: 'application/javascript', json: 'application/json', png: 'image/png', gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml', ico: 'image/x-icon' };
  return types[ext] ?? 'application/octet-stream';
}

type Doc = { kind: 'file'; path: string; body: string; mtime?: number } | { kind: 'redirect' } | { kind: 'forbidden' } | { kind: 'missing' };

/**
 * A static file server's answer from the container's file system (its volumes included): the file,
 * a directory's index, a redirect for a directory named without its slash, 403 for a directory
 * without an index or a file the server's user may not read. mtime: a file that is not the image's
 * own (written or mounted: the pod's start).
 */
function docFile(state: State, pod: KObject, c: Container, root: string, uri: string, index: string[]): Doc {
  let rel: string;
  try {
    rel = decodeURIComponent(uri);
  } catch {
    return { kind: 'missing' };
  }
  const parts: string[] = [];
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  const fs = new ContainerFs(state, pod, c, undefined, {}, false);
  let p = [root, ...parts].join('/');
  if (fs.isDir(p)) {
    if (!rel.endsWith('/') && parts.length) return { kind: 'redirect' };
    const found = index.map((n) => `${p}/${n}`).find((f) => fs.read(f) !== undefined && !fs.isDir(f));
    if (!found) return { kind: 'forbidden' };
    p = found;
  }
  const body = fs.read(p);
  if (body === undefined) return { kind: 'missing' };
  const mode = fs.fileMode(p);
  if (mode !== undefined && !(mode & 0o004)) return { kind: 'forbidden' };
  const own = fs.fromVolume(p) ? Date.parse(pod.status?.startTime ?? '') || nowMs() : undefined;
  return { kind: 'file', path: p, body, mtime: own };
}

function respond(state: State, pod: KObject, l: Listener, req: HttpRequest): HttpResponse {
  const path = req.path.split('?')[0];
  const date = httpDate();
  switch (l.app) {
    case 'nginx': {
      const version = `nginx/${serverVersion(l.container.image, 'nginx')}`;
      if (!['GET', 'HEAD'].includes(req.method)) return nginxError(405, version, date);
      // the default server's root (conf.d/default.conf): files from the image, or a volume mounted there
      const doc = docFile(state, pod, l.container, '/usr/share/nginx/html', path, ['index.html', 'index.htm']);
      if (doc.kind === 'redirect') {
        const res = nginxError(301, version, date);
        res.headers.splice(4, 0, ['Location', `http://${(header(req, 'host') ?? '').replace(/:\d+$/, '')}${path}/`]);
        return res;
      }
      if (doc.kind !== 'file') return nginxError(doc.kind === 'forbidden' ? 403 : 404, version, date);
      const stock = doc.body === NGINX_WELCOME && doc.mtime === undefined;
      const mtime = doc.mtime ?? Date.parse('2024-11-26T15:55:00Z');
      const bytes = Buffer.byteLength(doc.body, 'latin1');
      return {
        status: 200,
        reason: 'OK',
        headers: [
          ['Server', version],
          ['Date', date],
          ['Content-Type', mimeType(doc.path)],
          ['Content-Length', String(bytes)],
          ['Last-Modified', httpDate(mtime)],
          ['Connection', 'keep-alive'],
          // ngx_http_set_etag: the modification time and the length, in hex
          ['ETag', stock ? '"6745ef54-267"' : `"${Math.floor(mtime / 1000).toString(16)}-${bytes.toString(16)}"`],
          ['Accept-Ranges', 'bytes'],
        ],
        body: doc.body,
      };
    }
    case 'httpd': {
      const server = `Apache/${serverVersion(l.container.image, 'httpd')} (Unix)`;
      const doc = docFile(state, pod, l.container, '/usr/local/apache2/htdocs', path, ['index.html']);
      if (doc.kind === 'file' && !(doc.body === HTTPD_WORKS && doc.mtime === undefined)) {
        const bytes = Buffer.byteLength(doc.body, 'latin1');
        const mtime = doc.mtime as number;
        return {
          status: 200,
          reason: 'OK',
          headers: [
            ['Date', date],
            ['Server', server],
            ['Last-Modified', httpDate(mtime)],
            ['ETag', `"${bytes.toString(16)}-${(mtime * 1000).toString(16)}"`],
            ['Accept-Ranges', 'bytes'],
            ['Content-Length', String(bytes)],
            ['Content-Type', mimeType(doc.path)],
          ],
          body: doc.body,
        };
      }
      if (doc.kind === 'file') {
        return {
          status: 200,
          reason: 'OK',
          headers: [
            ['Date', date],
            ['Server', server],
            ['Last-Modified', 'Mon, 11 Jun 2007 18:53:14 GMT'],
            ['ETag', '"2d-432a5e4a73a80"'],
            ['Accept-Ranges', 'bytes'],
            ['Content-Length', String(HTTPD_WORKS.length)],
            ['Content-Type', 'text/html'],
          ],
          body: HTTPD_WORKS,
        };
      }
      const body = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`;
      return { status: 404, reason: 'Not Found', headers: [['Date', date], ['Server', server], ['Content-Length', String(body.length)], ['Content-Type', 'text/html; charset=iso-8859-1']], body };
    }
    case 'apiserver':
      // authenticated and authorised as the real one (src/network/apiserverapp.ts)
      return (require('./apiserverapp') as typeof import('./apiserverapp')).serveApiserver(state, req, date); // eslint-disable-line @typescript-eslint/no-require-imports
    case 'hpa-example': {
      // php:5-apache serving index.php (a million square roots, then "OK!", no newline)
      const body = 'OK!';
      return { status: 200, reason: 'OK', headers: [['Date', date], ['Server', 'Apache/2.4.10 (Debian)'], ['X-Powered-By', 'PHP/5.6.40'], ['Content-Length', '3'], ['Content-Type', 'text/html']], body };
    }
    case 'coredns': {
      const body = path === '/health' || path === '/ready' ? 'OK' : '404 page not found\n';
      const status = body === 'OK' ? 200 : 404;
      return { status, reason: REASONS[status], headers: [['Date', date], ['Content-Length', String(body.length)], ['Content-Type', 'text/plain; charset=utf-8']], body };
    }
    default:
      return echo(pod, l, req, date);
  }
}

function nginxError(status: number, version: string, date: string): HttpResponse {
  const title = `${status} ${REASONS[status]}`;
  // nginx's built-in error pages end their lines with CRLF (src/http/ngx_http_special_response.c)
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${version}</center>\r\n</body>\r\n</html>\r\n`;
  return { status, reason: REASONS[status], headers: [['Server', version], ['Date', date], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive']], body };
}

/** The echo page: who answered (so repeated requests show the load balancing) and what was asked. */
function echo(pod: KObject, _l: Listener, req: HttpRequest, date: string): HttpResponse {
  const [pathOnly, query = ''] = req.path.split('?');
  const lines = [
    `Hostname: ${pod.metadata.name}`,
    '',
    'Pod Information:',
    `\tnode name:\t${pod.spec?.nodeName ?? ''}`,
    `\tpod name:\t${pod.metadata.name}`,
    `\tpod namespace:\t${pod.metadata.namespace}`,
    `\tpod IP:\t${pod.status?.podIP ?? ''}`,
    '',
    'Request Information:',
    `\tclient_address=${req.clientIP}`,
    `\tmethod=${req.method}`,
    `\treal path=${pathOnly}`,
    `\tquery=${query}`,
    `\trequest_version=${req.httpVersion}`,
    `\trequest_uri=${req.url}`,
    '',
    'Request Headers:',
    ...[...req.headers].map(([k, v]) => [k.toLowerCase(), v]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `\t${k}=${v}`),
    '',
  ];
  const body = lines.join('\n') + '\n';
  return { status: 200, reason: 'OK', headers: [['Date', date], ['Content-Type', 'text/plain'], ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'keep-alive'], ['Server', 'kubesim-echo']], body };
}

const MAX_LOG_LINES = 1000;

/** Adds lines to a container's log, written at `at` (ms; now by default). */
export function appendLog(state: State, pod: KObject, container: string, lines: string[], at: number = nowMs()): void {
  const rt = state.runtime(true);
  const uid = pod.metadata.uid as string;
  const logs = (rt.logs[uid] ??= {});
  const l = (logs[container] ??= []);
  const byPod = ((rt.logTimes ??= {})[uid] ??= {});
  // a log kept before the times were: its lines count as written at the first one's time
  const times = (byPod[container] ??= new Array<number>(l.length).fill(at));
  l.push(...lines);
  for (let i = 0; i < lines.length; i++) times.push(at);
  if (l.length > MAX_LOG_LINES) l.splice(0, l.length - MAX_LOG_LINES);
  if (times.length > l.length) times.splice(0, times.length - l.length);
}

/** Forgets a container's log (a new run starts a new one). */
export function clearLog(state: State, pod: KObject, container: string): void {
  const uid = pod.metadata.uid as string;
  const rt = state.runtime();
  if (!rt.logs[uid]?.[container] && !rt.logTimes?.[uid]?.[container]) return;
  const w = state.runtime(true);
  if (w.logs[uid]) delete w.logs[uid][container];
  if (w.logTimes?.[uid]) delete w.logTimes[uid][container];
}

/** klog's header for an info line: I1201 05:08:25.000000       1 file:line] */
function klogInfo(ms: number, where: string, msg: string): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}       1 ${where}] ${msg}`;
}

/** What a server prints when its container starts (kube-proxy names its proxy mode). */
/**
 * What a server prints when its container starts (kube-proxy names its proxy mode). Given the
 * container, the lines follow its command line and environment (agnhost's subcommand, PORT…);
 * given only an image, its default command.
 */
export function startupLog(container: Container | string, pod: KObject, ms = nowMs(), proxyMode = 'iptables'): string[] {
  const c: Container = typeof container === 'string' ? { name: '', image: container } : container;
  const image = c.image;
  if (goServer(pod, c)) return goStartupLog(pod, c, ms);
  const app = appFor(image);
  if (app === 'echoserver') return echoserverStartupLog(pod, image);
  if (app === 'mongo') return mongoStartupLog(pod, c, ms);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (app === 'ingress-nginx') return (require('./ingressnginx') as typeof import('./ingressnginx')).controllerStartupLog(image, ms, pod);
  const last = imageRepo(image).split('/').pop();
  if (last === 'kube-proxy') {
    const mode = proxyMode === 'ipvs' ? 'ipvs' : 'iptables';
    const k = (where: string, msg: string) => klogInfo(ms, where, msg);
    return [
      k('server_linux.go:66', `"Using ${mode} proxy"`),
      k('server.go:698', `"Successfully retrieved node IP(s)" IPs=["${pod.status?.hostIP ?? ''}"]`),
      k('conntrack.go:121', '"Set sysctl" entry="net/netfilter/nf_conntrack_tcp_timeout_established" value=86400'),
      k('server_linux.go:170', `"Using ${mode === 'ipvs' ? 'ipvs' : 'iptables'} Proxier"`),
      k('server.go:497', '"Version info" version="' + (imageTag(image) || 'v1.32.2') + '"'),
      k('config.go:199', '"Starting service config controller"'),
      k('shared_informer.go:313', '"Waiting for caches to sync" controller="service config"'),
      k('config.go:105', '"Starting endpoint slice config controller"'),
      k('shared_informer.go:313', '"Waiting for caches to sync" controller="endpoint slice config"'),
      k('shared_informer.go:320', '"Caches are synced" controller="service config"'),
      k('shared_informer.go:320', '"Caches are synced" controller="endpoint slice config"'),
    ];
  }
  if (app === 'coredns') {
    return ['.:53', '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908', 'CoreDNS-1.11.3', 'linux/amd64, go1.21.11, a6338e9'];
  }
  const d = new Date(ms).toISOString();
  const ngTime = d.slice(0, 19).replace('T', ' ').replace(/-/g, '/');
  switch (app) {
    case 'nginx': {
      const v = serverVersion(image, 'nginx');
      // a read-only root or a non-root user: the entrypoint cannot edit default.conf, nginx may not start (secctx.ts)
      const fail = nginxStartFailure(pod, c as Parameters<typeof nginxStartFailure>[1], ngTime);
      const notices = [
        `${ngTime} [notice] 1#1: using the "epoll" event method`,
        `${ngTime} [notice] 1#1: nginx/${v}`,
        `${ngTime} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
        `${ngTime} [notice] 1#1: OS: Linux 5.15.0-126-generic`,
        `${ngTime} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      ];
      const workers = [`${ngTime} [notice] 1#1: start worker processes`, `${ngTime} [notice] 1#1: start worker process 29`, `${ngTime} [notice] 1#1: start worker process 30`];
      return [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        ...(fail && !fail.ipv6
          ? ['10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)']
          : ['10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf', '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf']),
        '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        ...(!fail ? [...notices, ...workers] : fail.notices ? [...fail.lines.filter((l) => / \[warn\] |^nginx: \[warn\]/.test(l)), ...notices, ...fail.lines.filter((l) => !/\[warn\]/.test(l)), ...(nginxStarts(fail) ? workers : [])] : fail.lines),
      ];
    }
    case 'httpd': {
      const dt = new Date(ms);
      const t = `${dt.toUTCString().slice(0, 3)} ${dt.toUTCString().slice(8, 11)} ${dt.toUTCString().slice(5, 7)} ${d.slice(11, 19)}.000000 ${dt.getUTCFullYear()}`;
      const ip = pod.status?.podIP ?? '127.0.0.1';
      const ah = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`;
      return [ah, ah, `[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${serverVersion(image, 'httpd')} (Unix) configured -- resuming normal operations`, `[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`];
    }
    case 'redis': {
      const dt = new Date(ms);
      const t = `${dt.toUTCString().slice(5, 16)} ${d.slice(11, 23)}`;
      const v = serverVersion(image, 'redis');
      return [
        `1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${t} * Redis version=${v}, bits=64, commit=00000000, modified=0, pid=1, just started`,
        `1:C ${t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
        `1:M ${t} * monotonic clock: POSIX clock_gettime`,
        `1:M ${t} * Running mode=standalone, port=6379.`,
        `1:M ${t} * Server initialized`,
        `1:M ${t} * Ready to accept connections tcp`,
      ];
    }
    default:
      return [];
  }
}

/** Whether nginx gets past its paths and pid file (its startup then ends with the workers). */
export function nginxStarts(fail: ReturnType<typeof nginxStartFailure>): boolean {
  return !fail || !fail.lines.some((l) => l.includes('[emerg]'));
}

/**
 * What the kubelet's probe gets from a pod's port (pkg/probe/http, pkg/probe/tcp): undefined when
 * nothing listens (connection refused); with path null only whether it accepts the connection.
 * Probes are not logged: the apps' access logs stay what learners' requests left.
 */
export function probeHttp(state: State, pod: KObject, port: number, path: string | null): { status: number } | undefined {
  const l = listenerFor(pod, port);
  if (!l) return undefined;
  if (path === null) return { status: 0 };
  if (protocolOf(l, port) !== 'http') return { status: 0 };
  const ip = pod.status?.podIP ?? '';
  const res = respond(state, pod, l, { method: 'GET', path, httpVersion: '1.1', headers: [['Host', `${ip}:${port}`], ['User-Agent', 'kube-probe/1.32'], ['Accept', '*/*']], clientIP: ip, url: `http://${ip}:${port}${path}` });
  return { status: res.status };
}
