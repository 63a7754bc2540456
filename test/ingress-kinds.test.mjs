// Issue 17: Ingress and IngressClass (networking.k8s.io/v1) as API kinds: create -f, get (the columns
// of printers.go printIngress / printIngressClass), delete, the validation messages of
// pkg/apis/networking/validation/validation.go and the DefaultIngressClass admission plugin.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cluster, hasKubectl } from './helpers.mjs';

const lib = createRequire(import.meta.url)('../dist/lib.cjs');
const c = cluster({ seed: 'ingress-kinds', init: [] });
after(() => c.cleanup());

const ingressClass = (name, { isDefault = false, controller = 'k8s.io/ingress-nginx', extra = '' } = {}) => `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
${isDefault ? '  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\n' : ''}spec:
  controller: ${controller}
${extra}`;

/** An Ingress with one rule per host ('' for none), path / Prefix to web:80. */
const ingress = (name, { hosts = ['a.example.com'], cls, tls = false, annotations = '' } = {}) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}` : ''}spec:
${cls ? `  ingressClassName: ${cls}\n` : ''}${tls ? '  tls:\n  - hosts: [a.example.com]\n    secretName: a-tls\n' : ''}  rules:
${hosts
  .map(
    (h) => `  - ${h ? `host: ${h}\n    ` : ''}http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`,
  )
  .join('')}`;

const create = (yaml) => c.run(['create', '-f', '-'], { input: yaml });

test('api-resources lists both kinds in the networking group; ing is the short name; get all leaves them out', () => {
  const lines = c.ok(['api-resources']).split('\n').filter((l) => /ingress/.test(l));
  assert.deepEqual(lines.map((l) => l.trim().split(/\s+/)), [
    ['ingressclasses', 'networking.k8s.io/v1', 'false', 'IngressClass'],
    ['ingresses', 'ing', 'networking.k8s.io/v1', 'true', 'Ingress'],
  ]);
  assert.deepEqual(c.ok(['api-resources', '-o', 'name']).split('\n').filter((l) => l.endsWith('.networking.k8s.io')), ['ingressclasses.networking.k8s.io', 'ingresses.networking.k8s.io', 'networkpolicies.networking.k8s.io']);
  // pkg/registry/networking/ingress/storage/storage.go has no Categories(): `get all` leaves Ingresses out
  create(ingress('hidden'));
  assert.doesNotMatch(c.ok(['get', 'all']), /ingress/);
  c.ok(['delete', 'ing', 'hidden']);
});

test('create -f, get ing / get ingressclass columns, -o yaml as the apiserver stores them, delete', () => {
  assert.equal(c.ok(['create', '-f', '-'], { input: ingressClass('nginx') }), 'ingressclass.networking.k8s.io/nginx created\n');
  assert.equal(create(ingress('web', { cls: 'nginx', tls: true })).stdout, 'ingress.networking.k8s.io/web created\n');
  assert.equal(c.ok(['get', 'ingressclass']), ['NAME    CONTROLLER             PARAMETERS   AGE', 'nginx   k8s.io/ingress-nginx   <none>       0s', ''].join('\n'));
  assert.equal(c.ok(['get', 'ing']), ['NAME   CLASS   HOSTS           ADDRESS   PORTS     AGE', 'web    nginx   a.example.com             80, 443   0s', ''].join('\n'));
  const o = JSON.parse(c.ok(['get', 'ingress.networking.k8s.io', 'web', '-o', 'json']));
  assert.equal(o.metadata.generation, 1);
  assert.deepEqual(o.status, { loadBalancer: {} });
  assert.equal(c.ok(['delete', 'ing', 'web']), 'ingress.networking.k8s.io "web" deleted\n');
  assert.equal(c.ok(['delete', 'ingressclass', 'nginx']), 'ingressclass.networking.k8s.io "nginx" deleted\n');
  assert.equal(c.run(['get', 'ing']).stderr, 'No resources found in default namespace.\n');
});

test('HOSTS: * without hosts, up to three then "+ N more..." counting rules (formatHosts); CLASS <none>', () => {
  create(ingress('nohost', { hosts: [''] }));
  create(ingress('three', { hosts: ['a.io', '', 'b.io', 'c.io'] }));
  create(ingress('many', { hosts: ['a.io', 'b.io', 'c.io', 'd.io', 'e.io'] }));
  assert.equal(c.ok(['get', 'ing', 'nohost', 'three', 'many']), [
    'NAME     CLASS    HOSTS                        ADDRESS   PORTS   AGE',
    'nohost   <none>   *                                      80      0s',
    'three    <none>   a.io,b.io,c.io                         80      0s',
    'many     <none>   a.io,b.io,c.io + 2 more...             80      0s',
    '',
  ].join('\n'));
  c.ok(['delete', 'ing', 'nohost', 'three', 'many']);
});

test('IngressClass PARAMETERS: Kind.apiGroup/name; scope defaults to Cluster', () => {
  create(ingressClass('params', { extra: '  parameters:\n    apiGroup: k8s.example.com\n    kind: IngressParameters\n    name: external-lb\n' }));
  assert.match(c.ok(['get', 'ingressclass', 'params', '--no-headers']), /^params\s+k8s.io\/ingress-nginx\s+IngressParameters.k8s.example.com\/external-lb\s+0s\n$/);
  assert.equal(JSON.parse(c.ok(['get', 'ingressclass', 'params', '-o', 'json'])).spec.parameters.scope, 'Cluster');
  c.ok(['delete', 'ingressclass', 'params']);
});

test('DefaultIngressClass admission: no class and no annotation gets the newest default class', () => {
  create(ingressClass('old-default', { isDefault: true }));
  create(ingressClass('not-default'));
  create(ingress('first', {}));
  c.at('2025-03-01T12:05:00Z');
  create(ingressClass('new-default', { isDefault: true }));
  create(ingress('second', {}));
  create(ingress('explicit', { cls: 'not-default' }));
  create(ingress('legacy', { annotations: '    kubernetes.io/ingress.class: nginx\n' }));
  const cls = (n) => JSON.parse(c.ok(['get', 'ing', n, '-o', 'json'])).spec.ingressClassName;
  assert.equal(cls('first'), 'old-default');
  assert.equal(cls('second'), 'new-default');
  assert.equal(cls('explicit'), 'not-default');
  assert.equal(cls('legacy'), undefined);
  c.ok(['delete', 'ing', '--all']);
  c.ok(['delete', 'ingressclass', '--all']);
  c.at('2025-03-01T12:00:00Z');
});

/** An Ingress whose spec is the given YAML (indented two spaces under spec:). */
const withSpec = (name, spec, meta = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${meta}spec:
${spec}`;
const path = (p = '/', pathType = 'Prefix', backend = 'service: {name: web, port: {number: 80}}') =>
  `  rules:\n  - http:\n      paths:\n      - path: ${JSON.stringify(p)}\n${pathType ? `        pathType: ${pathType}\n` : ''}        backend: {${backend}}\n`;
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// pkg/apis/networking/validation/validation.go (validateHTTPIngressPath, validateIngressBackend,
// validateIngressRules, validateIngressTLS, ValidateIngressSpec, ValidateIngressCreate)
const INVALID_INGRESSES = [
  ['pathType is required', path('/', ''), 'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
  ['an unknown pathType', path('/', 'Regex'), 'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
  ['a Prefix path must be absolute', path('foo'), 'spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path'],
  ['an Exact path has no // or /./ and does not end in /..', path('/a//b/..', 'Exact'), ['spec.rules[0].http.paths[0].path: Invalid value: "/a//b/..": must not contain \'//\'', 'spec.rules[0].http.paths[0].path: Invalid value: "/a//b/..": cannot end with \'/..\'']],
  ['an ImplementationSpecific path may be empty, not relative', path('x', 'ImplementationSpecific'), 'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path'],
  ['a host is not an IP', '  rules:\n  - host: 10.0.0.1\n' + path().split('\n').slice(2).join('\n').replace(/^/, '    http:\n'), 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
  ['a wildcard only as the first label', '  rules:\n  - host: "foo.*.example.com"\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n', `spec.rules[0].host: Invalid value: "foo.*.example.com": ${WILDCARD}`],
  ['a host is a DNS subdomain', '  rules:\n  - host: Foo.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n', `spec.rules[0].host: Invalid value: "Foo.com": ${SUBDOMAIN}`],
  ['an http rule needs paths', '  rules:\n  - host: a.io\n    http:\n      paths: []\n', 'spec.rules[0].http.paths: Required value'],
  ['port name or number', path('/', 'Prefix', 'service: {name: web, port: {}}'), 'spec.rules[0].http.paths[0].backend: Required value: port name or number is required'],
  ['not both port name and number', path('/', 'Prefix', 'service: {name: web, port: {name: http, number: 80}}'), 'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number'],
  ['a port number in range', path('/', 'Prefix', 'service: {name: web, port: {number: 70000}}'), 'spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  ['a service name is a DNS-1035 label', path('/', 'Prefix', 'service: {name: 1web, port: {number: 80}}'), `spec.rules[0].http.paths[0].backend.service.name: Invalid value: "1web": ${DNS1035}`],
  ['a backend needs a service or a resource', path('/', 'Prefix', ''), 'spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required'],
  ['not both service and resource', '  defaultBackend:\n    service: {name: web, port: {number: 80}}\n    resource: {kind: Bucket, name: b}\n', 'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'],
  ['a resource backend needs kind and name', '  defaultBackend:\n    resource: {apiGroup: k8s.example.com}\n', ['spec.defaultBackend.resource.kind: Required value', 'spec.defaultBackend.resource.name: Required value']],
  ['rules or a default backend', '  tls: []\n', 'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
  ['tls hosts and secret name', '  defaultBackend: {service: {name: web, port: {number: 80}}}\n  tls:\n  - hosts: ["*.a.io", "B.io"]\n    secretName: Bad_Secret\n', [`spec.tls[0].hosts[1]: Invalid value: "B.io": ${SUBDOMAIN}`, `spec.tls[0].secretName: Invalid value: "Bad_Secret": ${SUBDOMAIN}`]],
  ['ingressClassName is a DNS subdomain', '  ingressClassName: Nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n', `spec.ingressClassName: Invalid value: "Nginx": ${SUBDOMAIN}`],
];

test('invalid Ingresses: the apiserver\'s messages, and nothing stored', () => {
  for (const [what, spec, want] of INVALID_INGRESSES) {
    const r = create(withSpec('bad', spec));
    const errs = Array.isArray(want) ? want : [want];
    const text = errs.length === 1 ? `The Ingress "bad" is invalid: ${errs[0]}\n` : `The Ingress "bad" is invalid: \n${errs.map((e) => `* ${e}`).join('\n')}\n`;
    assert.deepEqual([r.code, r.stderr], [1, text], what);
  }
  // ValidateIngressCreate: the legacy annotation must agree with ingressClassName
  const r = create(withSpec('bad', '  ingressClassName: nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n', '  annotations:\n    kubernetes.io/ingress.class: traefik\n'));
  assert.equal(r.stderr, 'The Ingress "bad" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified\n');
  assert.equal(c.run(['get', 'ing']).stderr, 'No resources found in default namespace.\n');
});

test('invalid IngressClasses: controller required, a domain-prefixed path, immutable; parameters rules', () => {
  const bad = (spec) => c.run(['create', '-f', '-'], { input: `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: bad\nspec:\n${spec}` }).stderr;
  assert.equal(bad('  controller: ""\n'), 'The IngressClass "bad" is invalid: spec.controller: Required value\n');
  assert.equal(bad('  controller: nginx\n'), 'The IngressClass "bad" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")\n');
  assert.equal(bad('  controller: example.com/a b\n'), 'The IngressClass "bad" is invalid: spec.controller: Invalid value: "a b": Invalid path (regex used for validation is \'[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+\')\n');
  assert.equal(bad('  controller: example.com/lb\n  parameters: {kind: Params, name: p, scope: Namespace}\n'), 'The IngressClass "bad" is invalid: spec.parameters.namespace: Required value: `parameters.scope` is set to \'Namespace\'\n');
  assert.equal(bad('  controller: example.com/lb\n  parameters: {kind: Params, name: p, namespace: x}\n'), 'The IngressClass "bad" is invalid: spec.parameters.namespace: Forbidden: `parameters.scope` is set to \'Cluster\'\n');
  assert.equal(bad('  controller: example.com/lb\n  parameters: {kind: Params, name: p, scope: Global}\n'), 'The IngressClass "bad" is invalid: spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"\n');
  // validateIngressClassSpecUpdate: the controller cannot change
  create(ingressClass('fixed'));
  const r = c.run(['replace', '-f', '-'], { input: ingressClass('fixed', { controller: 'example.com/other' }) });
  assert.deepEqual([r.code, r.stderr], [1, 'The IngressClass "fixed" is invalid: spec.controller: Invalid value: "example.com/other": field is immutable\n']);
  c.ok(['delete', 'ingressclass', 'fixed']);
});

// kubectl pkg/cmd/create/create_ingress.go: its own examples, then the corners of buildIngressRules
// (one rule per host), buildTLSRules (grouped by secret, each host once, no empty entry),
// buildHTTPIngressPath ("*" → Prefix), parseServiceBackendPort (intstr.Parse) and Validate's errors
const INGRESS_CASES = [
  ['simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert'],
  ['catch-all', '--class=otheringress', '--rule=/path=svc:port'],
  ['annotated', '--class=default', '--rule=foo.com/bar=svc:port', '--annotation', 'ingress.annotation1=foo', '--annotation', 'ingress.annotation2=bla'],
  ['multipath', '--class=default', '--rule=foo.com/=svc:port', '--rule=foo.com/admin/=svcadmin:portadmin'],
  ['ingress1', '--class=default', '--rule=foo.com/path*=svc:8080', '--rule=bar.com/admin*=svc2:http'],
  ['ingtls', '--class=default', '--rule=foo.com/=svc:https,tls', '--rule=foo.com/path/subpath*=othersvc:8080'],
  ['ingsecret', '--class=default', '--rule=foo.com/*=svc:8080,tls=secret1'],
  ['ingdefault', '--class=default', '--default-backend=defaultsvc:http', '--rule=foo.com/*=svc:8080,tls=secret1'],
  ['wild', '--rule=*.foo.com/=svc:80'],
  ['nohost-tls', '--rule=/=svc:80,tls'],
  ['nohost-secret', '--rule=/=svc:80,tls=s'],
  ['grouped', '--rule=a.com/=svc:80,tls=s', '--rule=b.com/x=svc:80,tls=s', '--rule=a.com/y=svc:80,tls=t', '--rule=c.com/*=svc2:0,tls'],
  ['emptyport', '--default-backend=svc:'],
  ['noname', '--default-backend=:80'],
  ['negative', '--default-backend=svc:-1'],
  ['ns', '-n', 'prod', '--rule=a.com/=svc:080', '--annotation', 'a=b=c', '--annotation', 'z=', '--annotation', 'a=x'],
  ['trailing', '--rule=a.com/=svc:80junk,tlsx'],
  ['ing-alias', '--rule=a.com/=svc:80'],
  // keys that are Object.prototype's own names stay plain map keys
  ['proto', '--rule=a.com/=svc:80', '--annotation', '__proto__=x', '--annotation', 'constructor=y', '--annotation', 'toString='],
  // Validate
  ['nothing'],
  ['noslash', '--rule=a.com=svc:80'],
  ['noport', '--rule=a.com/=svc'],
  ['badbackend', '--default-backend=svc'],
  ['badbackend2', '--default-backend=a:b:c'],
  ['badannotation', '--rule=a.com/=svc:80', '--annotation', 'noeq'],
];

test('create ingress matches kubectl --dry-run=client: -o yaml, -o json, -o name, the plain line and the errors', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed: nothing to compare with');
  let compared = 0;
  for (const [name, ...flags] of INGRESS_CASES) {
    for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
      const args = ['create', name === 'ing-alias' ? 'ing' : 'ingress', name, ...flags, '--dry-run=client', ...out];
      const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
      const s = c.run(args);
      const label = args.join(' ');
      assert.equal(s.code, k.status, `${label}: exit code (stderr ${s.stderr})`);
      assert.equal(s.stdout, k.stdout, `${label}: stdout`);
      assert.equal(s.stderr, k.stderr, `${label}: stderr`);
      compared++;
    }
  }
  assert.equal(compared, INGRESS_CASES.length * 4);
  // NameFromCommandArgs (kubesim names itself in the hint)
  assert.equal(c.run(['create', 'ingress', '--rule=a.com/=svc:80']).stderr, "error: exactly one NAME is required, got 0\nSee 'kubesim create ingress -h' for help and examples\n");
});

test('create ingress creates through the apiserver: the default class, the stored object, the refusal wrapped as Run wraps it', () => {
  create(ingressClass('nginx', { isDefault: true }));
  assert.equal(c.ok(['create', 'ingress', 'shop', '--rule=shop.example.com/*=web:80,tls=shop-tls', '--rule=shop.example.com/api=api:http']), 'ingress.networking.k8s.io/shop created\n');
  assert.equal(c.ok(['get', 'ing', 'shop']), ['NAME   CLASS   HOSTS              ADDRESS   PORTS     AGE', 'shop   nginx   shop.example.com             80, 443   0s', ''].join('\n'));
  const o = JSON.parse(c.ok(['get', 'ing', 'shop', '-o', 'json']));
  assert.deepEqual(o.spec.rules[0].http.paths.map((p) => [p.path, p.pathType]), [['/', 'Prefix'], ['/api', 'Exact']]);
  assert.equal(c.ok(['create', 'ingress', 'dry', '--rule=a.io/=web:80', '--dry-run=server', '-o', 'jsonpath={.spec.ingressClassName}']), 'nginx');
  const r = c.run(['create', 'ingress', 'bad', '--rule=a.io/=Web:80']);
  assert.deepEqual([r.code, r.stderr], [1, `error: failed to create ingress: Ingress.networking.k8s.io "bad" is invalid: spec.rules[0].http.paths[0].backend.service.name: Invalid value: "Web": ${DNS1035}\n`]);
  assert.equal(c.run(['get', 'ing', 'dry']).code, 1);
  c.ok(['delete', 'ing', 'shop']);
  c.ok(['delete', 'ingressclass', 'nginx']);
});

// kubectl 1.32 pkg/describe/describe.go describeIngressV1 / describeBackendV1 (a service backend's
// endpoints from its EndpointSlices, kubernetes#124598, 1.31) / describeIngressTLSV1 /
// describeIngressClassV1, laid out by text/tabwriter: each run of lines with a cell in a column is
// aligned on its own, so a host line ("  *\t") splits the path column, and the Rules hosts widen
// Annotations and Events.
test('describe ingress and describe ingressclass', () => {
  const d = cluster({ seed: 'ingress-describe', init: [] });
  try {
    d.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=8080']);
    d.ok(['expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
    d.at('2025-03-01T12:01:00Z');
    const ips = JSON.parse(d.ok(['get', 'pods', '-o', 'json'])).items.map((p) => p.status.podIP).sort();
    const eps = ips.map((ip) => `${ip}:8080`).join(',');
    d.ok(['create', '-f', '-'], {
      input: ingressClass('nginx', { isDefault: true, extra: '  parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb}\n' }).replace('metadata:\n', 'metadata:\n  labels: {app: ing}\n'),
    });
    d.ok(['create', 'ingress', 'shop', '--rule=shop.example.com/*=web:80,tls=shop-tls', '--rule=shop.example.com/api=api:http', '--rule=/x=web:8080,tls', '--default-backend=web:80', '--annotation', 'a=b']);
    assert.equal(d.ok(['describe', 'ing', 'shop']), [
      'Name:             shop',
      'Labels:           <none>',
      'Namespace:        default',
      'Address:          ',
      'Ingress Class:    nginx',
      `Default backend:  web:80 (${eps})`,
      'TLS:',
      '  shop-tls terminates shop.example.com',
      'Rules:',
      '  Host              Path  Backends',
      '  ----              ----  --------',
      '  shop.example.com  ',
      `                    /      web:80 (${eps})`,
      '                    /api   api:http (<error: services "api" not found>)',
      '  *                 ',
      `                    /x   web:8080 (${eps})`,
      'Annotations:        a: b',
      'Events:             <none>',
      '',
    ].join('\n'));
    // no rule with http: one "* *" line with the default backend; a resource backend; SNI routes
    d.ok(['create', '-f', '-'], {
      input: withSpec('res', '  defaultBackend:\n    resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}\n  tls:\n  - hosts: [a.io, b.io]\n  rules:\n  - host: a.io\n'),
    });
    assert.equal(d.ok(['describe', 'ingress', 'res']), [
      'Name:             res',
      'Labels:           <none>',
      'Namespace:        default',
      'Address:          ',
      'Ingress Class:    nginx',
      'Default backend:  APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets',
      'TLS:',
      '  SNI routes a.io,b.io',
      'Rules:',
      '  Host        Path  Backends',
      '  ----        ----  --------',
      '  *           *     APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets',
      'Annotations:  <none>',
      'Events:       <none>',
      '',
    ].join('\n'));
    // a Service whose selector matches nothing has an empty EndpointSlice: formatEndpointSlices
    // prints "" (no slice at all would be <none>); without a default backend: <default>
    d.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80:80']);
    d.ok(['create', 'ingress', 'bare', '--class=other', '--rule=a.io/=empty:80']);
    assert.equal(d.ok(['describe', 'ing', 'bare']), [
      'Name:             bare',
      'Labels:           <none>',
      'Namespace:        default',
      'Address:          ',
      'Ingress Class:    other',
      'Default backend:  <default>',
      'Rules:',
      '  Host        Path  Backends',
      '  ----        ----  --------',
      '  a.io        ',
      '              /   empty:80 ()',
      'Annotations:  <none>',
      'Events:       <none>',
      '',
    ].join('\n'));
    assert.equal(d.ok(['describe', 'ingressclass', 'nginx']), [
      'Name:         nginx',
      'Labels:       app=ing',
      'Annotations:  ingressclass.kubernetes.io/is-default-class: true',
      'Controller:   k8s.io/ingress-nginx',
      'Parameters:',
      '  APIGroup:  k8s.example.com',
      '  Kind:      IngressParameters',
      '  Name:      external-lb',
      'Events:      <none>',
      '',
    ].join('\n'));
  } finally {
    d.cleanup();
  }
});

// printers.go ingressLoadBalancerStatusStringer: ips (a hostname only where the ip is empty), a sorted
// set joined by ",", cut to 13 bytes + "..." past 16 unless wide; the ingress controller writes it
test('ADDRESS: the load balancer status as printIngress and describe show it', () => {
  const ing = (entries) => ({ metadata: { name: 'x' }, status: { loadBalancer: { ingress: entries } } });
  assert.equal(lib.ingressAddress(ing([]), false), '');
  assert.equal(lib.ingressAddress(ing([{ ip: '172.18.0.3' }]), false), '172.18.0.3');
  assert.equal(lib.ingressAddress(ing([{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.9', hostname: 'ignored' }]), true), '10.0.0.1,10.0.0.2,10.0.0.9,lb.example.com');
  assert.equal(lib.ingressAddress(ing([{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }]), false), '10.0.0.1,10.0...');
  assert.equal(lib.formatPorts([]), '80');
  assert.equal(lib.formatPorts([{ hosts: ['a'] }]), '80, 443');
  // formatHosts counts rules, not hosts, after the third: a host-less fourth rule still makes "+ 1 more..."
  assert.equal(lib.formatHosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }, {}]), 'a,b,c + 1 more...');
  assert.equal(lib.formatHosts([{}, { host: 'b' }]), 'b');
});

test('update: generation counts spec changes, status is kept, the annotation rule is create-only', () => {
  create(ingress('upd', { cls: 'a' }));
  const before = JSON.parse(c.ok(['get', 'ing', 'upd', '-o', 'json']));
  c.ok(['label', 'ing', 'upd', 'x=y']);
  assert.equal(JSON.parse(c.ok(['get', 'ing', 'upd', '-o', 'json'])).metadata.generation, 1);
  c.ok(['patch', 'ing', 'upd', '--type=merge', '-p', '{"spec":{"ingressClassName":"b"},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}}']);
  const after = JSON.parse(c.ok(['get', 'ing', 'upd', '-o', 'json']));
  assert.equal(after.metadata.generation, 2);
  assert.deepEqual(after.status, before.status);
  // ValidateIngressUpdate does not compare the legacy annotation with ingressClassName
  c.ok(['annotate', 'ing', 'upd', 'kubernetes.io/ingress.class=other']);
  const r = c.run(['patch', 'ing', 'upd', '--type=json', '-p', '[{"op":"replace","path":"/spec/rules/0/http/paths/0/pathType","value":"Regex"}]']);
  assert.deepEqual([r.code, r.stderr], [1, 'The Ingress "upd" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"\n']);
  c.ok(['delete', 'ing', 'upd']);
});
