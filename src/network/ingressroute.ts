// ingress-nginx's choice of a backend for one request, as a pure function over plain Ingress
// objects. It follows how the controller turns Ingresses into nginx servers and locations
// (kubernetes/ingress-nginx internal/ingress/controller/controller.go getBackendServers,
// createServers, normalizePrefixPathType; rootfs/etc/nginx/template/nginx.tmpl buildLocation,
// buildServerName) and how nginx then picks a server and a location:
// - Ingresses are read oldest first (creationTimestamp); a host+path another Ingress already
//   configured is skipped;
// - a rule without host, and every Ingress's spec.defaultBackend, belong to the catch-all server
//   `_`; a host's own root location "/" goes to its Ingress's defaultBackend, else to the
//   controller's default backend (the 404 page);
// - server names: exact first, then a wildcard `*.example.com` (one DNS label, buildServerName's
//   `~^(?<subdomain>[\w-]+)\.example\.com$`), then `_`;
// - Prefix `/foo` becomes `= /foo` plus `/foo/` (element-wise), Exact `= /foo`, ImplementationSpecific
//   a plain nginx prefix `/foo` (so it matches /foobar) (location.go updateServerLocations); when a
//   location of the server uses use-regex or rewrite-target every location, Exact ones included,
//   becomes a case-insensitive regex `~* "^path"` (template.go buildLocation, enforceRegexModifier)
//   and the first that matches wins; locations are sorted longest path first, exact matches win;
// - rewrite-target: `rewrite "(?i)PATH" TARGET break;` with the path's capture groups.
// Classes: the caller passes the Ingresses the controller watches (ingressClassFilter).

export interface IngressLike {
  metadata: { namespace?: string; name: string; creationTimestamp?: string; annotations?: Record<string, string> };
  spec?: {
    ingressClassName?: string;
    defaultBackend?: Backend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: Backend }[] } }[];
  };
}

export interface Backend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface Route {
  /** the nginx server that took the request: a host name, a wildcard, or `_` */
  server: string;
  /** the Ingress whose location or default backend answered; none for the controller's own default backend */
  ingress?: { namespace: string; name: string };
  /** the rule's host (or "*" for none), path and pathType, when a rule's path matched */
  rule?: { host: string; path: string; pathType: string };
  /** the Service and port the request goes to; absent: the controller's default backend (404) */
  backend?: { namespace: string; service: string; port: number | string };
  /** how it was chosen */
  via: 'path' | 'ingress-default-backend' | 'controller-default-backend';
  /** the URI sent to the backend (rewrite-target applied) */
  upstreamURI: string;
  /** 308 to https: the server has a certificate of its own and the location does not turn ssl-redirect off */
  redirectHttps?: boolean;
  /** a plain sentence for --trace when nothing of an Ingress matched */
  why?: string;
}

interface Location {
  path: string;
  pathType: string;
  backend?: Backend;
  ing: IngressLike;
  host: string;
}

interface Server {
  name: string;
  locations: Location[];
  /** the root location's backend: an Ingress's defaultBackend */
  root?: { ing: IngressLike; backend: Backend };
  tls?: { namespace: string; secretName?: string };
}

const ANN = 'nginx.ingress.kubernetes.io/';

function ann(ing: IngressLike, key: string): string | undefined {
  return ing.metadata.annotations?.[ANN + key];
}

function byAge(a: IngressLike, b: IngressLike): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The nginx servers the controller writes for a set of Ingresses (the `_` catch-all always exists). */
export function buildServers(ingresses: IngressLike[]): Map<string, Server> {
  const servers = new Map<string, Server>([['_', { name: '_', locations: [] }]]);
  const sorted = [...ingresses].sort(byAge);
  const server = (host: string) => {
    let s = servers.get(host);
    if (!s) servers.set(host, (s = { name: host, locations: [] }));
    return s;
  };
  for (const ing of sorted) {
    const def = ing.spec?.defaultBackend;
    const catchAll = servers.get('_') as Server;
    if (def && !catchAll.root) catchAll.root = { ing, backend: def };
    for (const rule of ing.spec?.rules ?? []) {
      const host = rule.host || '_';
      const s = server(host);
      if (def && !s.root && host !== '_') s.root = { ing, backend: def };
      for (const p of rule.http?.paths ?? []) {
        const path = p.path || '/';
        const pathType = p.pathType ?? 'ImplementationSpecific';
        // "location already configured": the older Ingress keeps it
        if (s.locations.some((l) => l.path === path && l.pathType === pathType)) continue;
        s.locations.push({ path, pathType, backend: p.backend, ing, host: rule.host || '*' });
      }
    }
    for (const t of ing.spec?.tls ?? []) {
      for (const h of t.hosts ?? []) {
        const s = server(h);
        if (!s.tls) s.tls = { namespace: ing.metadata.namespace ?? 'default', secretName: t.secretName };
      }
    }
  }
  return servers;
}

/** The server nginx picks for a Host: exact name, then a one-label wildcard, then `_`. */
export function pickServer(servers: Map<string, Server>, host: string): Server {
  const h = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const exact = servers.get(h);
  if (exact && h !== '_') return exact;
  // nginx checks wildcard names longest first
  const wild = [...servers.values()].filter((s) => s.name.startsWith('*.')).sort((a, b) => b.name.length - a.name.length);
  for (const s of wild) {
    const rest = s.name.slice(2);
    if (h.endsWith('.' + rest) && /^[\w-]+$/.test(h.slice(0, h.length - rest.length - 1))) return s;
  }
  return servers.get('_') as Server;
}

function usesRegex(l: Location): boolean {
  return ann(l.ing, 'use-regex') === 'true' || !!ann(l.ing, 'rewrite-target');
}

/** nginx's regex: the path as a case-insensitive pattern (PCRE's syntax is close enough to JS's for paths). */
function regexOf(path: string, anchored: boolean): RegExp | undefined {
  try {
    return new RegExp((anchored ? '^' : '') + path, 'i');
  } catch {
    return undefined;
  }
}

/** Whether a location takes a URI path, and in which order of preference (exact first). */
function matches(l: Location, uriPath: string, regexMode: boolean): 'exact' | 'prefix' | undefined {
  // buildLocation: with enforceRegex every location, Exact ones too, is `~* "^PATH"`; nginx takes
  // the first regex that matches, in the sorted order
  if (regexMode) return regexOf(l.path, true)?.test(uriPath) ? 'prefix' : undefined;
  if (l.pathType === 'Exact') return uriPath === l.path ? 'exact' : undefined;
  if (l.pathType === 'Prefix') {
    // normalizePrefixPathType: `= /foo` and `/foo/`
    if (l.path.endsWith('/')) return uriPath.startsWith(l.path) ? 'prefix' : undefined;
    if (uriPath === l.path) return 'exact';
    return uriPath.startsWith(l.path + '/') ? 'prefix' : undefined;
  }
  return uriPath.startsWith(l.path) ? 'prefix' : undefined;
}

/**
 * The route of one request: host (the Host header) and uri (path and query as sent). `https`:
 * whether it came on 443. `hasCert(namespace, secret)`: whether a TLS Secret exists (a server whose
 * Secret is missing is served the fake certificate and does not redirect).
 */
export function routeRequest(ingresses: IngressLike[], host: string, uri: string, https: boolean, hasCert: (namespace: string, name: string) => boolean = () => true): Route {
  const servers = buildServers(ingresses);
  const s = pickServer(servers, host);
  const q = uri.indexOf('?');
  const uriPath = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? '' : uri.slice(q);
  const regexMode = s.locations.some(usesRegex);
  // controller.go sorts a server's locations by path, descending, then (stably) longest first
  const ordered = [...s.locations].sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0)).sort((a, b) => b.path.length - a.path.length);
  let loc: Location | undefined;
  for (const l of ordered) {
    const m = matches(l, uriPath, regexMode);
    if (m === 'exact') {
      loc = l;
      break;
    }
    if (m && !loc) loc = l;
  }
  const certOK = !!s.tls?.secretName && hasCert(s.tls.namespace, s.tls.secretName);
  const redirect = (ing?: IngressLike) => {
    if (https || !ing) return undefined;
    if (ann(ing, 'force-ssl-redirect') === 'true') return true;
    return certOK && ann(ing, 'ssl-redirect') !== 'false' ? true : undefined;
  };
  if (loc && loc.backend?.service) {
    const ns = loc.ing.metadata.namespace ?? 'default';
    const port = loc.backend.service.port?.number ?? loc.backend.service.port?.name ?? 80;
    const target = ann(loc.ing, 'rewrite-target');
    let upstreamURI = uri;
    if (target) {
      // rewrite "(?i)PATH" TARGET break; nginx appends the query unless the target has one
      const re = regexOf(loc.path, false);
      const m = re?.exec(uriPath);
      if (m) {
        const rewritten = target.replace(/\$(\d)/g, (_, d) => m[Number(d)] ?? '');
        upstreamURI = rewritten + (rewritten.includes('?') ? '' : query);
      }
    }
    return {
      server: s.name,
      ingress: { namespace: ns, name: loc.ing.metadata.name },
      rule: { host: loc.host, path: loc.path, pathType: loc.pathType },
      backend: { namespace: ns, service: loc.backend.service.name, port },
      via: 'path',
      upstreamURI,
      redirectHttps: redirect(loc.ing),
    };
  }
  const why =
    s.name === '_'
      ? `no Ingress rule has host ${JSON.stringify(host.replace(/:\d+$/, ''))}; the catch-all server "_" takes it`
      : s.locations.length
        ? `host ${s.name}: no path of ${[...new Set(s.locations.map((l) => l.ing.metadata.name))].join(', ')} matches ${uriPath} (${s.locations.map((l) => `${l.path} ${l.pathType}`).join(', ')})`
        : `host ${s.name}: no paths`;
  if (s.root?.backend.service) {
    const ns = s.root.ing.metadata.namespace ?? 'default';
    const svc = s.root.backend.service;
    return { server: s.name, ingress: { namespace: ns, name: s.root.ing.metadata.name }, backend: { namespace: ns, service: svc.name, port: svc.port?.number ?? svc.port?.name ?? 80 }, via: 'ingress-default-backend', upstreamURI: uri, why, redirectHttps: redirect(s.root.ing) };
  }
  return { server: s.name, via: 'controller-default-backend', upstreamURI: uri, why };
}

/** The upstream's name in the access log and the trace: namespace-service-port (ingress-nginx upstreamName). */
export function upstreamName(b: { namespace: string; service: string; port: number | string }): string {
  return `${b.namespace}-${b.service}-${b.port}`;
}

/**
 * Whether the controller (--controller-class=k8s.io/ingress-nginx --watch-ingress-without-class=true,
 * as minikube runs it) serves an Ingress: the legacy annotation `kubernetes.io/ingress.class: nginx`,
 * else spec.ingressClassName naming an IngressClass of that controller, else no class at all.
 * `classController(name)` gives an IngressClass's spec.controller (undefined when it does not exist).
 */
export function servedByNginx(ing: IngressLike, classController: (name: string) => string | undefined): boolean {
  const legacy = ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (legacy !== undefined) return legacy === 'nginx';
  const cls = ing.spec?.ingressClassName;
  if (cls === undefined || cls === '') return true;
  return classController(cls) === 'k8s.io/ingress-nginx';
}

/** The TLS Secret for an SNI name: the server's own (exact, then wildcard), if any. */
export function tlsFor(ingresses: IngressLike[], sni: string): { namespace: string; secretName?: string } | undefined {
  const servers = buildServers(ingresses);
  const s = pickServer(servers, sni);
  return s.tls;
}

/**
 * The admission webhook's overlap check (ingress-nginx internal/ingress/controller/controller.go
 * checkOverlap): a host and path another served Ingress already defines is refused, unless one of
 * them is a canary. Returns the refusal, or undefined.
 */
export function overlapError(others: IngressLike[], ing: IngressLike): string | undefined {
  const key = (i: IngressLike) => `${i.metadata.namespace ?? 'default'}/${i.metadata.name}`;
  const canary = (i: IngressLike) => ann(i, 'canary') === 'true';
  if (canary(ing)) return undefined;
  const rest = [...others].filter((o) => key(o) !== key(ing)).sort(byAge);
  for (const rule of ing.spec?.rules ?? []) {
    const host = rule.host || '_';
    for (const p of rule.http?.paths ?? []) {
      if (!p.backend?.service) continue;
      const path = p.path || '/';
      const existing = rest.find((o) => !canary(o) && (o.spec?.rules ?? []).some((r) => (r.host || '_') === host && (r.http?.paths ?? []).some((q) => (q.path || '/') === path && q.backend?.service)));
      if (existing) return `host "${host}" and path "${path}" is already defined in ingress ${key(existing)}`;
    }
  }
  return undefined;
}
