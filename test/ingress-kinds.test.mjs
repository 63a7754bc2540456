// Issue 17: Ingress and IngressClass (networking.k8s.io/v1) as API kinds: create -f, get (the columns
// of printers.go printIngress / printIngressClass), delete, the validation messages of
// pkg/apis/networking/validation/validation.go and the DefaultIngressClass admission plugin.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

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
  assert.deepEqual(c.ok(['api-resources', '-o', 'name']).split('\n').filter((l) => l.endsWith('.networking.k8s.io')), ['ingressclasses.networking.k8s.io', 'ingresses.networking.k8s.io']);
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
