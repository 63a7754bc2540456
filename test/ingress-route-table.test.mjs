// The routing table of the simulated ingress-nginx (src/network/ingressroute.ts): host × path ×
// pathType → backend or the controller's 404, as ingress-nginx's controller.go and nginx.tmpl
// make the nginx servers and locations (see the module's header for the rules followed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const be = (name, number = 80) => ({ service: { name, port: { number } } });
const ing = (name, spec, extra = {}) => ({ metadata: { namespace: 'default', name, creationTimestamp: extra.at ?? '2026-01-01T00:00:00Z', annotations: extra.annotations }, spec });

const main = ing('main', {
  rules: [
    {
      host: 'foo.example',
      http: {
        paths: [
          { path: '/foo', pathType: 'Prefix', backend: be('prefix-foo') },
          { path: '/foo/bar', pathType: 'Exact', backend: be('exact-foobar') },
          { path: '/api', pathType: 'ImplementationSpecific', backend: be('impl-api') },
          { path: '/', pathType: 'Prefix', backend: be('root') },
          { path: '/deep/', pathType: 'Prefix', backend: be('deep') },
        ],
      },
    },
    { host: '*.wild.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('wild') }] } },
    { host: 'exact.example', http: { paths: [{ path: '/only', pathType: 'Exact', backend: be('only') }] } },
  ],
});
const catchAll = ing('catchall', { rules: [{ http: { paths: [{ path: '/any', pathType: 'Prefix', backend: be('any') }] } }] });

const table = [
  // host, uri, expected service (undefined: the controller's 404), via
  ['foo.example', '/foo', 'prefix-foo'],
  ['foo.example', '/foo/', 'prefix-foo'],
  ['foo.example', '/foo/baz', 'prefix-foo'],
  ['foo.example', '/foobar', 'root'], // Prefix is element-wise: /foobar is not under /foo
  ['foo.example', '/foo/bar', 'exact-foobar'], // exact beats the shorter prefix
  ['foo.example', '/foo/bar/', 'prefix-foo'], // Exact does not take a trailing slash
  ['foo.example', '/api', 'impl-api'],
  ['foo.example', '/apiv2', 'impl-api'], // ImplementationSpecific is nginx's plain prefix
  ['foo.example', '/deep', 'root'], // `/deep/` Prefix does not take /deep
  ['foo.example', '/deep/x', 'deep'],
  ['FOO.example:8080', '/foo?x=1', 'prefix-foo'], // host is case-insensitive, port ignored
  ['a.wild.example', '/x', 'wild'],
  ['a.b.wild.example', '/x', 'any-or-404'], // wildcard is one label only
  ['wild.example', '/', 'any-or-404'],
  ['exact.example', '/only', 'only'],
  ['exact.example', '/only/', undefined], // the host's root: no defaultBackend → 404
  ['exact.example', '/', undefined],
  ['other.example', '/any/thing', 'any'], // rule without host: catch-all server
  ['other.example', '/', undefined],
  ['10.0.0.1', '/any', 'any'],
];

test('routing table: host × path × pathType', () => {
  for (const [host, uri, want] of table) {
    const r = lib.routeRequest([main, catchAll], host, uri, false);
    const got = r.backend?.service;
    const exp = want === 'any-or-404' ? (uri.startsWith('/any') ? 'any' : undefined) : want;
    assert.equal(got, exp, `${host} ${uri}: ${JSON.stringify(r)}`);
    if (!exp) assert.equal(r.via, 'controller-default-backend');
  }
});

test('rule details name the Ingress, path and pathType; upstream names are ns-svc-port', () => {
  const r = lib.routeRequest([main], 'foo.example', '/foo/x', false);
  assert.deepEqual(r.ingress, { namespace: 'default', name: 'main' });
  assert.deepEqual(r.rule, { host: 'foo.example', path: '/foo', pathType: 'Prefix' });
  assert.equal(lib.upstreamName(r.backend), 'default-prefix-foo-80');
  assert.match(lib.routeRequest([main], 'nope.example', '/', false).why, /catch-all/);
});

test('defaultBackend: the host root and the catch-all server', () => {
  const d = ing('d', { defaultBackend: be('fallback', 8080), rules: [{ host: 'h.example', http: { paths: [{ path: '/a', pathType: 'Exact', backend: be('a') }] } }] });
  assert.equal(lib.routeRequest([d], 'h.example', '/a', false).backend.service, 'a');
  const r = lib.routeRequest([d], 'h.example', '/b', false);
  assert.equal(r.backend.service, 'fallback');
  assert.equal(r.via, 'ingress-default-backend');
  assert.equal(lib.routeRequest([d], 'unknown.example', '/b', false).backend.service, 'fallback');
});

test('the older Ingress keeps a host+path both configure', () => {
  const older = ing('older', { rules: [{ host: 'x.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('old') }] } }] }, { at: '2026-01-01T00:00:00Z' });
  const newer = ing('newer', { rules: [{ host: 'x.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('new') }, { path: '/n', pathType: 'Prefix', backend: be('n') }] } }] }, { at: '2026-01-02T00:00:00Z' });
  assert.equal(lib.routeRequest([newer, older], 'x.example', '/', false).backend.service, 'old');
  assert.equal(lib.routeRequest([newer, older], 'x.example', '/n', false).backend.service, 'n');
});

test('rewrite-target with capture groups, use-regex', () => {
  const rw = ing('rw', { rules: [{ host: 'rw.example', http: { paths: [{ path: '/something(/|$)(.*)', pathType: 'ImplementationSpecific', backend: be('svc') }] } }] }, { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' } });
  assert.equal(lib.routeRequest([rw], 'rw.example', '/something/new?q=1', false).upstreamURI, '/new?q=1');
  assert.equal(lib.routeRequest([rw], 'rw.example', '/something', false).upstreamURI, '/');
  assert.equal(lib.routeRequest([rw], 'rw.example', '/SOMETHING/x', false).upstreamURI, '/x'); // ~* is case-insensitive
  assert.equal(lib.routeRequest([rw], 'rw.example', '/other', false).backend, undefined);
  const re = ing('re', { rules: [{ host: 're.example', http: { paths: [{ path: '/v[0-9]+/api', pathType: 'ImplementationSpecific', backend: be('api') }] } }] }, { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } });
  assert.equal(lib.routeRequest([re], 're.example', '/v2/api/x', false).backend.service, 'api');
  assert.equal(lib.routeRequest([re], 're.example', '/vx/api', false).backend, undefined);
  // a regex location makes the whole server regex: an Exact or Prefix path of another Ingress for
  // the host becomes `~* "^path"` too (so /exactly matches /exactlyMore, case-insensitively)
  const plain = ing('plain', { rules: [{ host: 're.example', http: { paths: [{ path: '/exactly', pathType: 'Exact', backend: be('ex') }, { path: '/pre', pathType: 'Prefix', backend: be('pre') }] } }] });
  assert.equal(lib.routeRequest([re, plain], 're.example', '/EXACTLYmore', false).backend.service, 'ex');
  assert.equal(lib.routeRequest([re, plain], 're.example', '/prefix', false).backend.service, 'pre');
  assert.equal(lib.routeRequest([plain], 're.example', '/exactlymore', false).backend, undefined);
  assert.equal(lib.routeRequest([plain], 're.example', '/prefix', false).backend, undefined);
});

test('ssl-redirect: 308 only when the host has a certificate of its own', () => {
  const t = ing('t', { tls: [{ hosts: ['s.example'], secretName: 's-tls' }], rules: [{ host: 's.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('s') }] } }] });
  assert.equal(lib.routeRequest([t], 's.example', '/', false).redirectHttps, true);
  assert.equal(lib.routeRequest([t], 's.example', '/', true).redirectHttps, undefined);
  assert.equal(lib.routeRequest([t], 's.example', '/', false, () => false).redirectHttps, undefined);
  const off = { ...t, metadata: { ...t.metadata, annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } } };
  assert.equal(lib.routeRequest([off], 's.example', '/', false).redirectHttps, undefined);
});

test('class: legacy annotation, ingressClassName of the controller, or none', () => {
  const cls = (n) => ({ nginx: 'k8s.io/ingress-nginx', traefik: 'traefik.io/ingress-controller' })[n];
  const mk = (spec, annotations) => ({ metadata: { name: 'x', annotations }, spec });
  assert.equal(lib.servedByNginx(mk({ ingressClassName: 'nginx' }), cls), true);
  assert.equal(lib.servedByNginx(mk({ ingressClassName: 'traefik' }), cls), false);
  assert.equal(lib.servedByNginx(mk({ ingressClassName: 'missing' }), cls), false);
  assert.equal(lib.servedByNginx(mk({}), cls), true);
  assert.equal(lib.servedByNginx(mk({ ingressClassName: 'traefik' }, { 'kubernetes.io/ingress.class': 'nginx' }), cls), true);
  assert.equal(lib.servedByNginx(mk({}, { 'kubernetes.io/ingress.class': 'traefik' }), cls), false);
});
