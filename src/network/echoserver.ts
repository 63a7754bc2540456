// The echoserver images (registry.k8s.io/echoserver, k8s.gcr.io/echoserver, e2e-test-images/
// echoserver): nginx/openresty with a lua handler that prints the request back. Three generations
// answer differently, each rendered here as its template renders:
//   1.4 and older: the plain ngx.say page ("CLIENT VALUES:"…, nginx 1.10.0, lua 10001), no TLS;
//   1.10 (the tutorials' image): the lua-resty-template page with raw {* *} output, one leading
//     blank line (kubernetes/ingress-nginx images/echo/nginx.conf keeps that template; nginx
//     1.13.3, lua 10008), HTTPS on 8443 with a self-signed certificate;
//   2.x (kubernetes/kubernetes test/images/echoserver/nginx.conf and template.lua): the same page
//     through escaping {{ }} tags, two leading blank lines and two trailing spaces after each
//     single-valued header (nginx 1.12.2, lua 10010).
// The lua template rules followed: a line holding only a {% %} tag disappears (template.lua strips
// the blanks before the tag and the newline after it), the text after `[[` loses its first
// newline, ngx.say adds one at the end.
import type { KObject } from '../api/types';
import { fnv1a, imageName, ownEnv, tagVersion, header, httpDate, type Container, type HttpRequest, type HttpResponse } from './appbase';

export type EchoVariant = 'old' | 'v1' | 'e2e';

export function isEchoserver(image: string): boolean {
  return imageName(image) === 'echoserver';
}

export function echoVariant(image: string): EchoVariant {
  const v = tagVersion(image);
  if (!v) return 'v1';
  if (v[0] >= 2) return 'e2e';
  return v[0] === 1 && v[1] <= 4 ? 'old' : 'v1';
}

/** 8080 plain; 8443 with TLS from 1.10 on (run.sh makes a self-signed certificate at start). */
export function echoserverPorts(image: string): { tcp: number[]; tls: number[] } {
  return echoVariant(image) === 'old' ? { tcp: [8080], tls: [] } : { tcp: [8080, 8443], tls: [8443] };
}

const SERVER_VERSION: Record<EchoVariant, string> = { old: 'nginx: 1.10.0 - lua: 10001', v1: 'nginx: 1.13.3 - lua: 10008', e2e: 'nginx: 1.12.2 - lua: 10010' };

/** lua-resty-template's escape for {{ }} (the vendored copy no longer escapes '/'). */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

/** ngx.req.http_version(): a Lua number, so 1.0 prints as "1". */
const luaVersion = (v: string) => (/^\d+\.0$/.test(v) ? v.slice(0, -2) : v);

/** ngx.var.host: the Host header's name, lowercased, without its port. */
function ngxHost(req: HttpRequest): string {
  const h = (header(req, 'host') ?? '_').toLowerCase();
  return h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
}

/** ngx.req.get_headers(): lowercased names, sorted as table.sort sorts them, a repeated header as a list. */
function sortedHeaders(req: HttpRequest): [string, string[]][] {
  const m = new Map<string, string[]>();
  for (const [k, v] of req.headers) {
    const key = k.toLowerCase();
    m.set(key, [...(m.get(key) ?? []), v]);
  }
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The page for one request, and its length as nginx counts it in the access log (chunked framing included). */
export function echoserverResponse(pod: KObject, c: Container, req: HttpRequest, port: number): { res: HttpResponse; bodyBytes: number } {
  const variant = echoVariant(c.image);
  const env = ownEnv(pod, c);
  const scheme = /^https:/i.test(req.url) ? 'https' : 'http';
  const requestUri = req.path;
  const qi = requestUri.indexOf('?');
  const query = qi < 0 ? undefined : requestUri.slice(qi + 1);
  const uri = `${scheme}://${ngxHost(req)}:${port}${requestUri}`;
  const body = req.body !== undefined && req.body !== '' ? req.body : undefined;
  let page: string;
  if (variant === 'old') {
    // ngx.say of a nil prints "nil"; each header is key=value; the body is printed without a newline
    const lines = [
      'CLIENT VALUES:',
      `client_address=${req.clientIP}`,
      `command=${req.method}`,
      `real path=${requestUri}`,
      `query=${query ?? 'nil'}`,
      `request_version=${luaVersion(req.httpVersion)}`,
      `request_uri=${uri}`,
      '',
      'SERVER VALUES:',
      `server_version=${SERVER_VERSION.old}`,
      '',
      'HEADERS RECEIVED:',
      ...sortedHeaders(req).map(([k, v]) => `${k}=${v.join(', ')}`),
      'BODY:',
    ];
    page = lines.join('\n') + '\n' + (body ?? '-no body in request-');
  } else {
    const out = variant === 'e2e' ? escapeHtml : (s: string) => s;
    const podName = env.get('POD_NAME');
    const na = (k: string) => out(env.get(k) ?? 'N/A');
    const podInfo = podName !== undefined ? `\tnode name:\t${na('NODE_NAME')}\n\tpod name:\t${na('POD_NAME')}\n\tpod namespace:\t${na('POD_NAMESPACE')}\n\tpod IP:\t${na('POD_IP')}\n` : '\t-no pod information available-\n';
    const headerLines = sortedHeaders(req)
      .map(([k, vals]) => (vals.length > 1 ? vals.map((v) => `\t${out(k)}=${out(v)}\n`).join('') : `\t${out(k)}=${out(vals[0])}${variant === 'e2e' ? '  ' : ''}\n`))
      .join('');
    page =
      (variant === 'e2e' ? '\n\n' : '\n') +
      `Hostname: ${out(env.get('HOSTNAME') ?? 'N/A')}\n\nPod Information:\n${podInfo}\nServer values:\n\tserver_version=${SERVER_VERSION[variant]}\n\n` +
      `Request Information:\n\tclient_address=${out(req.clientIP)}\n\tmethod=${out(req.method)}\n\treal path=${out(requestUri)}\n\tquery=${out(query ?? '')}\n` +
      `\trequest_version=${luaVersion(req.httpVersion)}\n\trequest_scheme=${scheme}\n\trequest_uri=${out(uri)}\n\n` +
      `Request Headers:\n${headerLines}\nRequest Body:\n${out(body ?? '\t-no body in request-')}\n` +
      '\n'; // ngx.say's newline
  }
  const head = req.method === 'HEAD';
  const headers: [string, string][] = [];
  // nginx's header filter: its own Server line first (only when lua set none), Date, Content-Type,
  // chunked transfer for a body of unknown length, Connection; then the headers lua set
  if (variant === 'old') headers.push(['Server', 'nginx/1.10.0']);
  headers.push(['Date', httpDate()], ['Content-Type', 'text/plain']);
  if (!head) headers.push(['Transfer-Encoding', 'chunked']);
  headers.push(['Connection', 'keep-alive']);
  if (variant !== 'old') headers.push(['Server', 'echoserver']);
  const len = Buffer.byteLength(page);
  const bodyBytes = head ? 0 : len.toString(16).length + 2 + len + 2 + 5;
  return { res: { status: 200, reason: 'OK', headers, body: page }, bodyBytes };
}

/** run.sh's start: a self-signed certificate (openssl's progress dots vary per start), then nginx. */
export function echoserverStartupLog(pod: KObject, image: string): string[] {
  const variant = echoVariant(image);
  if (variant === 'old') return [];
  const h = fnv1a(String(pod.metadata.uid ?? pod.metadata.name));
  const plus = variant === 'e2e' ? '+++++' : '+++';
  const dots = (n: number) => '.'.repeat(3 + (n % 40)) + plus;
  return [
    'Generating self-signed cert',
    variant === 'e2e' ? 'Generating a RSA private key' : 'Generating a 2048 bit RSA private key',
    dots(h),
    dots(h >>> 8),
    "writing new private key to '/certs/privateKey.key'",
    '-----',
    'Starting nginx',
  ];
}
