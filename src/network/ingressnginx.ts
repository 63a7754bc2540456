// The ingress-nginx controller's nginx (registry.k8s.io/ingress-nginx/controller, as minikube's
// ingress addon runs it): HTTP on 80, HTTPS on 443, /healthz on 10254. A request is routed by
// ingressroute.ts over the Ingresses the controller watches, then proxied to one ready endpoint of
// the backend Service directly (ingress-nginx's Lua balancer, round-robin over the EndpointSlices'
// addresses, not through the ClusterIP), as a second connection from the controller's pod. Each
// request leaves ingress-nginx's access-log line (its default log-format-upstream, internal/ingress/
// controller/config/config.go) in the controller's log. Error pages are nginx's own
// (src/http/ngx_http_special_response.c with server_tokens off: `<center>nginx</center>`).
import { nested, podRef, type Hop } from './hops';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { header, httpDate, type HttpRequest, type HttpResponse } from './appbase';
import { routeRequest, servedByNginx, upstreamName, type IngressLike, type Route } from './ingressroute';
import { nowMs } from '../util/clock';

export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';

/** The Ingresses this controller serves (class nginx, or none: --watch-ingress-without-class). */
export function watchedIngresses(state: State): IngressLike[] {
  let list: KObject[];
  try {
    list = state.list('Ingress');
  } catch {
    return []; // a kubesim without the Ingress kind
  }
  const classes = (name: string): string | undefined => {
    try {
      return state.get('IngressClass', undefined, name)?.spec?.controller;
    } catch {
      return undefined;
    }
  };
  return (list as IngressLike[]).filter((i) => servedByNginx(i, classes));
}

const REASONS: Record<number, string> = { 308: 'Permanent Redirect', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/** nginx's built-in error page (CRLF line ends, server_tokens off). */
export function nginxPage(status: number, extra: [string, string][] = []): HttpResponse {
  const title = `${status} ${REASONS[status]}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, reason: REASONS[status], headers: [['Date', httpDate()], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive'], ...extra], body };
}

/** access-log time: 02/Dec/2026:16:19:39 +0000 */
function timeLocal(ms = nowMs()): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${d.toUTCString().slice(8, 11)}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** $request_length: request line, headers and body as the client sent them. */
function requestLength(req: HttpRequest): number {
  let n = Buffer.byteLength(`${req.method} ${req.path} HTTP/${req.httpVersion}\r\n`);
  for (const [k, v] of req.headers) n += Buffer.byteLength(`${k}: ${v}\r\n`);
  return n + 2 + (req.body ? Buffer.byteLength(req.body) : 0);
}

interface Upstream {
  name: string;
  addr: string;
  length: string;
  time: string;
  status: string;
}

function accessLog(req: HttpRequest, res: HttpResponse, reqId: string, up: Upstream): string {
  const bytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(res.body);
  return `${req.clientIP} - - [${timeLocal()}] "${req.method} ${req.path} HTTP/${req.httpVersion}" ${res.status} ${bytes} "${header(req, 'referer') ?? '-'}" "${header(req, 'user-agent') ?? '-'}" ${requestLength(req)} ${up.time === '-' ? '0.000' : up.time} [${up.name}] [] ${up.addr} ${up.length} ${up.time} ${up.status} ${reqId}`;
}

function describeRoute(r: Route, uri: string): string {
  const rewrite = r.upstreamURI !== uri ? `; rewrite-target: ${uri} → ${r.upstreamURI}` : '';
  if (r.via === 'path' && r.rule && r.ingress) return `ingress-nginx: Ingress ${r.ingress.namespace}/${r.ingress.name} rule host ${r.rule.host} path ${r.rule.path} (${r.rule.pathType}) matched → service ${r.backend?.service}:${r.backend?.port}${rewrite}`;
  if (r.via === 'ingress-default-backend' && r.ingress) return `ingress-nginx: ${r.why}; Ingress ${r.ingress.namespace}/${r.ingress.name}'s defaultBackend → service ${r.backend?.service}:${r.backend?.port}`;
  return `ingress-nginx: ${r.why ?? 'no rule matched'}; the controller's default backend answers 404`;
}

/** One request on the controller's port 80 or 443. */
export function serveIngress(state: State, pod: KObject, port: number, req: HttpRequest): HttpResponse {
  const https = port === 443;
  const host = header(req, 'host') ?? '';
  const route = routeRequest(watchedIngresses(state), host, req.path, https, (ns, name) => !!state.get('Secret', ns, name));
  state.touch();
  const reqId = state.rand.hex(32);
  const me = podRef(pod);
  const trace: Hop[] = [];
  const note = (text: string) => trace.push({ kind: 'app', node: pod.spec?.nodeName, pod: me, text });
  note(`ingress-nginx in ${pod.metadata.namespace}/${pod.metadata.name}: ${https ? 'HTTPS' : 'HTTP'} request for host ${JSON.stringify(host)} ${req.method} ${req.path}`);
  const finish = (res: HttpResponse, up: Upstream): HttpResponse => {
    appendLogLazy(state, pod, accessLog(req, res, reqId, up));
    return { ...res, trace: [...trace, ...(res.trace ?? [])] };
  };
  const none: Upstream = { name: '', addr: '-', length: '-', time: '-', status: '-' };
  note(describeRoute(route, req.path));
  if (route.redirectHttps) {
    const hostOnly = host.replace(/:\d+$/, '');
    note(`ingress-nginx: ${route.server} has a TLS certificate and ssl-redirect is on: 308 to https`);
    const res = nginxPage(308, [['Location', `https://${hostOnly}${req.path}`]]);
    return finish(res, { ...none, name: route.backend ? upstreamName(route.backend) : 'upstream-default-backend' });
  }
  if (!route.backend) {
    const res = nginxPage(404);
    return finish(res, { name: 'upstream-default-backend', addr: '127.0.0.1:8181', length: String(res.body.length), time: '0.000', status: '404' });
  }
  const b = route.backend;
  const upName = upstreamName(b);
  const svc = state.get('Service', b.namespace, b.service);
  if (!svc) {
    note(`ingress-nginx: service ${b.namespace}/${b.service} not found: 503`);
    return finish(nginxPage(503), { ...none, name: upName });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { servicePorts } = require('./model') as typeof import('./model');
  const sp = servicePorts(state, (s) => s === svc).find((p) => (typeof b.port === 'number' ? p.port === b.port : p.portName === b.port));
  if (!sp) {
    note(`ingress-nginx: service ${b.namespace}/${b.service} has no port ${b.port}: 503`);
    return finish(nginxPage(503), { ...none, name: upName });
  }
  // only ready endpoints (internal/ingress/controller/endpointslices.go skips the others; no
  // serving-terminating fallback as kube-proxy has)
  const ready = sp.endpoints.filter((e) => e.ready);
  if (!ready.length) {
    note(`ingress-nginx: service ${b.namespace}/${b.service} has no ready endpoints: 503`);
    return finish(nginxPage(503), { ...none, name: upName });
  }
  // the Lua balancer's round robin over the upstream's endpoints
  const rt = state.runtime(true);
  const key = `ingress-nginx ${upName}`;
  const i = (rt.rr[key] ?? 0) % ready.length;
  rt.rr[key] = i + 1;
  const ep = ready[i];
  const addr = `${ep.ip}:${ep.port}`;
  note(`ingress-nginx: upstream ${upName}: endpoint ${addr}${ep.pod ? ` (pod ${ep.pod.namespace}/${ep.pod.name})` : ''}, ${i + 1} of ${ready.length} (round-robin)`);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Network } = require('./route') as typeof import('./route');
  const { Topology } = require('./topology') as typeof import('./topology');
  const { exchange } = require('./http') as typeof import('./http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const topo = new Topology(state);
  const node = topo.node(pod.spec?.nodeName);
  const podIP = pod.status?.podIP ?? '';
  if (!node) return finish(nginxPage(502), { ...none, name: upName });
  const conn = new Network(topo).connect({ kind: 'pod', pod, node, ip: podIP, container: 'controller' }, ep.ip, ep.port);
  trace.push(...nested(conn.hops));
  if (!conn.ok) {
    const status = conn.error === 'refused' ? 502 : 504;
    return finish(nginxPage(status), { name: upName, addr, length: '0', time: status === 504 ? '60.001' : '0.001', status: String(status) });
  }
  const hostOnly = host.replace(/:\d+$/, '');
  const scheme = https ? 'https' : 'http';
  // nginx.tmpl's proxy_set_header lines, then the client's other headers (Connection and Upgrade empty: not sent)
  // $best_http_host: the Host header as the client sent it (port included), else the server name
  const best = host || route.server;
  const set: [string, string][] = [
    ['Host', best],
    ['X-Request-ID', reqId],
    ['X-Real-IP', req.clientIP],
    ['X-Forwarded-For', req.clientIP],
    ['X-Forwarded-Host', best],
    ['X-Forwarded-Port', String(port)],
    ['X-Forwarded-Proto', scheme],
    ['X-Forwarded-Scheme', scheme],
    ['X-Scheme', scheme],
  ];
  const xff = header(req, 'x-forwarded-for');
  if (xff) set.push(['X-Original-Forwarded-For', xff]);
  const setNames = new Set(set.map(([k]) => k.toLowerCase()));
  const rest = req.headers.filter(([k]) => !setNames.has(k.toLowerCase()) && !['connection', 'upgrade', 'proxy', 'x-forwarded-for'].includes(k.toLowerCase()));
  // nginx.ingress.kubernetes.io/backend-protocol: HTTPS proxies over TLS (proxy_pass https://, the
  // backend's certificate not verified, as proxy_ssl_verify is off)
  const ingObj = route.ingress ? state.get('Ingress', route.ingress.namespace, route.ingress.name) : undefined;
  const upTLS = String(ingObj?.metadata.annotations?.['nginx.ingress.kubernetes.io/backend-protocol'] ?? '').toUpperCase() === 'HTTPS';
  if (upTLS) note('ingress-nginx: backend-protocol HTTPS: the upstream connection speaks TLS');
  const upReq: HttpRequest = { method: req.method, path: route.upstreamURI, httpVersion: '1.1', headers: [...set, ...rest], clientIP: podIP, url: `${upTLS ? 'https' : 'http'}://${hostOnly}${route.upstreamURI}`, body: req.body };
  const ex = exchange(state, conn, upReq, upTLS);
  if (ex.kind !== 'response') return finish(nginxPage(502), { name: upName, addr, length: '0', time: '0.001', status: '502' });
  const up = ex.res;
  // proxy_hide_header's defaults (Server, Date…) and the hop-by-hop headers go; nginx puts its own first
  const hidden = new Set(['server', 'date', 'connection', 'keep-alive', 'x-pad', 'content-length', 'content-type', 'transfer-encoding']);
  const headers: [string, string][] = [['Date', httpDate()]];
  const ct = up.headers.find(([k]) => k.toLowerCase() === 'content-type');
  if (ct) headers.push(['Content-Type', ct[1]]);
  const te = up.headers.find(([k]) => k.toLowerCase() === 'transfer-encoding');
  if (te) headers.push(['Transfer-Encoding', te[1]]);
  else headers.push(['Content-Length', up.headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? String(Buffer.byteLength(up.body))]);
  headers.push(['Connection', 'keep-alive'], ...up.headers.filter(([k]) => !hidden.has(k.toLowerCase())));
  const res: HttpResponse = { status: up.status, reason: up.reason, headers, body: up.body };
  return finish(res, { name: upName, addr, length: String(Buffer.byteLength(up.body)), time: '0.001', status: String(up.status) });
}

function appendLogLazy(state: State, pod: KObject, line: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./apps') as typeof import('./apps')).appendLog(state, pod, 'controller', [line]);
}

/** GET /healthz on 10254: ok. */
export function healthz(req: HttpRequest): HttpResponse {
  const ok = req.path.split('?')[0] === '/healthz';
  const body = ok ? 'ok' : '404 page not found\n';
  return { status: ok ? 200 : 404, reason: ok ? 'OK' : 'Not Found', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Date', httpDate()], ['Content-Length', String(body.length)]], body };
}

/** The controller's start (klog lines of cmd/nginx/main.go), on the pod's clock. */
export function controllerStartupLog(image: string, ms: number, pod: KObject): string[] {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const k = (where: string, msg: string) => `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.000000       7 ${where}] ${msg}`;
  const tag = /:(v[\d.]+)/.exec(image)?.[1] ?? 'v1.11.3';
  // the banner and klog lines of cmd/nginx/main.go; the build's commit is left out (not simulated)
  return [
    '-------------------------------------------------------------------------------',
    'NGINX Ingress controller',
    `  Release:       ${tag}`,
    '  Repository:    https://github.com/kubernetes/ingress-nginx',
    '  nginx version: nginx/1.25.5',
    '',
    '-------------------------------------------------------------------------------',
    '',
    k('main.go:205', '"Creating API client" host="https://10.96.0.1:443"'),
    k('main.go:248', '"Running in Kubernetes cluster" major="1" minor="32" git="v1.32.2" state="clean" platform="linux/amd64"'),
    k('main.go:101', '"SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"'),
    k('ssl.go:535', '"loading tls certificate" path="/usr/local/certificates/cert" key="/usr/local/certificates/key"'),
    k('nginx.go:271', '"Starting NGINX Ingress controller"'),
    k('controller.go:193', '"Configuration changes detected, backend reload required"'),
    k('leaderelection.go:254', 'attempting to acquire leader lease ingress-nginx/ingress-nginx-leader...'),
    k('leaderelection.go:268', 'successfully acquired lease ingress-nginx/ingress-nginx-leader'),
    k('status.go:85', `"New leader elected" identity="${pod.metadata.name}"`),
    k('controller.go:213', '"Backend successfully reloaded"'),
    k('controller.go:224', '"Initial sync, sleeping for 1 second"'),
  ];
}
