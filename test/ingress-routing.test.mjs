// The simulated ingress-nginx end to end: minikube's ingress addon installed by `cluster init
// --ingress nginx` and `addons enable ingress`, requests through the node's hostPort (and the
// NodePort) into the controller pod, routed by Ingress rules to the backend pods' endpoints, its
// 404/503/308 pages (nginx's ngx_http_special_response.c pages with server_tokens off), TLS with the
// Secret's certificate or the fake one, rewrite-target, the trace of both connections, the access
// log line (ingress-nginx's log-format-upstream) and the ADDRESS its status sync writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster } from './helpers.mjs';

const T0 = '2025-03-01T12:00:00Z';
const T1 = '2025-03-01T12:01:00Z';
const NODE = '192.168.49.2'; // the control plane (`kubesim ip`), labelled minikube.k8s.io/primary as minikube's is

const ingressYaml = (name, spec, annotations = {}) =>
  JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, annotations }, spec });
const be = (name, number = 80) => ({ service: { name, port: { number } } });

/** A cluster with the addon, two echoserver backends (web, api) and an Ingress routing foo.example. */
function setup(init = ['--ingress', 'nginx']) {
  const c = cluster({ seed: 'ing', now: T0, init });
  for (const [name, replicas] of [['web', 2], ['api', 1]]) {
    c.ok(['create', 'deployment', name, '--image=registry.k8s.io/echoserver:1.10', `--replicas=${replicas}`]);
    c.ok(['expose', 'deployment', name, '--port=80', '--target-port=8080']);
  }
  c.ok(['apply', '-f', '-'], {
    input: ingressYaml('main', {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'foo.example',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: be('web') },
              { path: '/api', pathType: 'Prefix', backend: be('api') },
              { path: '/gone', pathType: 'Exact', backend: be('missing') },
            ],
          },
        },
      ],
    }),
  });
  c.at(T1);
  return c;
}

const hostname = (out) => /Hostname: (\S+)/.exec(out)?.[1];

test('install: the addon objects, the controller ready on the primary node, the admission Jobs completed', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  const pods = c.ok(['get', 'pods', '-n', 'ingress-nginx', '-o', 'wide']);
  assert.match(pods, /ingress-nginx-admission-create-\w{5}\s+0\/1\s+Completed/);
  assert.match(pods, /ingress-nginx-admission-patch-\w{5}\s+0\/1\s+Completed/);
  assert.match(pods, /ingress-nginx-controller-\w+-\w{5}\s+1\/1\s+Running\s+0\s+60s\s+[\d.]+\s+controlplane/);
  const svc = c.ok(['get', 'svc', '-n', 'ingress-nginx']);
  assert.match(svc, /ingress-nginx-controller\s+NodePort\s+[\d.]+\s+<none>\s+80:3\d{4}\/TCP,443:3\d{4}\/TCP/);
  assert.match(svc, /ingress-nginx-controller-admission\s+ClusterIP\s+[\d.]+\s+<none>\s+443\/TCP/);
  assert.match(c.ok(['get', 'ingressclass']), /^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\nnginx\s+k8s\.io\/ingress-nginx\s+<none>\s+60s\n$/);
  assert.equal(c.ok(['get', 'ingressclass', 'nginx', '-o', 'jsonpath={.metadata.annotations}']), '{"ingressclass.kubernetes.io/is-default-class":"true"}');
  const image = c.ok(['get', 'deploy', '-n', 'ingress-nginx', 'ingress-nginx-controller', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[*].hostPort}']);
  assert.equal(image, 'registry.k8s.io/ingress-nginx/controller:v1.11.3@sha256:d56f135b6462cfc476447cfe564b83a45e8bb7da2774963b00d12161112270b7 80 443');
  assert.equal(c.ok(['get', 'node', 'controlplane', '-o', 'jsonpath={.metadata.labels.minikube\\.k8s\\.io/primary}']), 'true');
  // the probes' /healthz on 10254, from a node
  const ip = c.ok(['get', 'pods', '-n', 'ingress-nginx', '-l', 'app.kubernetes.io/component=controller', '-o', 'jsonpath={.items[0].status.podIP}']);
  assert.equal(c.ok(['ssh', 'node02', 'curl', '-s', `http://${ip}:10254/healthz`]), 'ok');
  // the controller's start in its log: ingress-nginx's banner
  assert.match(c.ok(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller']), /^-{79}\nNGINX Ingress controller\n  Release:       v1\.11\.3\n/);
});

test('routing: Host header × path to the echoserver pods, round-robin over the endpoints, from the controller pod', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  const ctrlIP = c.ok(['get', 'pods', '-n', 'ingress-nginx', '-l', 'app.kubernetes.io/component=controller', '-o', 'jsonpath={.items[0].status.podIP}']);
  const webPods = c.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ');
  const apiPod = c.ok(['get', 'pods', '-l', 'app=api', '-o', 'jsonpath={.items[*].metadata.name}']);
  const a = c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/`]);
  const b = c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/other`]);
  assert.deepEqual([hostname(a), hostname(b)].sort(), [...webPods].sort());
  assert.match(a, new RegExp(`client_address=${ctrlIP.replace(/\./g, '\\.')}\n`));
  assert.match(a, /\tx-forwarded-for=192\.168\.49\.1\n/);
  assert.match(a, /\tx-real-ip=192\.168\.49\.1\n/);
  assert.match(a, /\tx-forwarded-host=foo\.example\n/);
  assert.match(a, /\tx-request-id=[0-9a-f]{32}\n/);
  assert.match(a, /\thost=foo\.example\n/);
  assert.equal(hostname(c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/api/v1`])), apiPod);
  // /apiv1 is not under /api (Prefix is element-wise): the root rule takes it
  assert.ok(webPods.includes(hostname(c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/apiv1`]))));
  // the minikube tutorial's `curl --resolve "hello-world.example:80:$(minikube ip)" http://hello-world.example`
  const ip = c.ok(['ip']).trim();
  assert.equal(ip, NODE);
  assert.equal(hostname(c.ok(['curl', '--resolve', `foo.example:80:${ip}`, 'http://foo.example/api'])), apiPod);
  // --resolve instead of -H, and the NodePort instead of the hostPort
  const np = c.ok(['get', 'svc', '-n', 'ingress-nginx', 'ingress-nginx-controller', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
  assert.equal(hostname(c.ok(['curl', '--resolve', `foo.example:${np}:192.168.49.4`, `http://foo.example:${np}/api`])), apiPod);
  // from a pod, through the controller's ClusterIP Service, with busybox wget's --header
  c.ok(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
  c.at('2025-03-01T12:02:00Z');
  const viaPod = c.ok(['exec', 'bb', '--', 'wget', '-qO-', '--header', 'Host: foo.example', 'http://ingress-nginx-controller.ingress-nginx/api']);
  assert.equal(hostname(viaPod), apiPod);
  const bbIP = c.ok(['get', 'pod', 'bb', '-o', 'jsonpath={.status.podIP}']);
  assert.match(viaPod, new RegExp(`\tx-real-ip=${bbIP.replace(/\./g, '\\.')}\n`));
});

test('404 from the default backend, 503 for a missing Service or one without endpoints', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  const r = c.run(['curl', '-i', `http://${NODE}/`]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'HTTP/1.1 404 Not Found\r\nDate: Sat, 01 Mar 2025 12:01:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 146\r\nConnection: keep-alive\r\n\r\n<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
  const gone = c.ok(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: foo.example', `http://${NODE}/gone`]);
  assert.equal(gone, '503');
  c.ok(['scale', 'deployment', 'api', '--replicas=0']);
  const down = c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/api`]);
  assert.equal(down, '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
});

test('rewrite-target with capture groups reaches the backend as the rewritten path', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  c.ok(['apply', '-f', '-'], {
    input: ingressYaml('rw', { rules: [{ host: 'rw.example', http: { paths: [{ path: '/something(/|$)(.*)', pathType: 'ImplementationSpecific', backend: be('api') }] } }] }, { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }),
  });
  const out = c.ok(['curl', '-H', 'Host: rw.example', `http://${NODE}/something/new?x=1`]);
  assert.match(out, /\treal path=\/new\?x=1\n/);
});

test('backend-protocol HTTPS: TLS to the backend; plain HTTP to a TLS port gets its 400', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  c.ok(['expose', 'deployment', 'api', '--name=api-tls', '--port=443', '--target-port=8443']);
  const rule = (host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('api-tls', 443) }] } });
  c.ok(['apply', '-f', '-'], { input: ingressYaml('tls-up', { rules: [rule('up.example')] }, { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' }) });
  c.ok(['apply', '-f', '-'], { input: ingressYaml('plain-up', { rules: [rule('plain.example')] }) });
  assert.match(c.ok(['curl', '-H', 'Host: up.example', `http://${NODE}/`]), /\trequest_scheme=https\n/);
  assert.match(c.ok(['curl', '-H', 'Host: plain.example', `http://${NODE}/`]), /400 The plain HTTP request was sent to HTTPS port/);
});

test('the admission webhook refuses a host and path another Ingress of the controller defines', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  const dup = ingressYaml('dup', { ingressClassName: 'nginx', rules: [{ host: 'foo.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('api') }] } }] });
  const r = c.run(['apply', '-f', '-'], { input: dup });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (BadRequest): error when creating "STDIN": admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "foo.example" and path "/" is already defined in ingress default/main\n');
  const gen = c.run(['create', 'ingress', 'dup2', '--rule=foo.example/api=api:80']);
  assert.equal(gen.stderr, 'error: failed to create ingress: admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "foo.example" and path "/api" is already defined in ingress default/main\n');
  // another class is not the controller's to judge; another path is fine
  c.ok(['create', 'ingress', 'other', '--class=traefik', '--rule=foo.example/=api:80']);
  c.ok(['create', 'ingress', 'more', '--rule=foo.example/more=api:80']);
});

test('trace: the hop into the controller, the rule that matched, the endpoint and the second connection', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  const r = c.run(['curl', '--trace', '-s', '-o', '/dev/null', '-H', 'Host: foo.example', `http://${NODE}/api/x`]);
  assert.equal(r.code, 0);
  const lines = r.stderr.split('\n');
  const at = (re) => lines.findIndex((l) => re.test(l));
  const order = [
    /^kubesim trace: 192\.168\.49\.1 → 192\.168\.49\.2:80\/TCP: reaches node controlplane/,
    /CNI-HOSTPORT-DNAT: hostPort 80\/TCP of pod ingress-nginx\/ingress-nginx-controller-/,
    /delivered to pod ingress-nginx\/ingress-nginx-controller-.*port 80; the pod sees the client as 192\.168\.49\.1/,
    /ingress-nginx: Ingress default\/main rule host foo\.example path \/api \(Prefix\) matched → service api:80/,
    /ingress-nginx: upstream default-api-80: endpoint 10\.244\.\d+\.\d+:8080 \(pod default\/api-/,
    /^kubesim trace:   10\.244\.\d+\.\d+ → 10\.244\.\d+\.\d+:8080\/TCP from pod ingress-nginx\/ingress-nginx-controller-/,
    /delivered to pod default\/api-.*port 8080; the pod sees the client as 10\.244\./,
  ];
  let last = -1;
  for (const re of order) {
    const i = at(re);
    assert.ok(i > last, `${re} after line ${last}:\n${r.stderr}`);
    last = i;
  }
  const miss = c.run(['curl', '--trace', '-s', '-o', '/dev/null', '-H', 'Host: nope.example', `http://${NODE}/`]);
  assert.match(miss.stderr, /ingress-nginx: no Ingress rule has host "nope\.example"; the catch-all server "_" takes it; the controller's default backend answers 404/);
});

test('access log: ingress-nginx log-format-upstream lines in the controller log', (t) => {
  const c = setup();
  t.after(() => c.cleanup());
  c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/api`]);
  c.ok(['curl', `http://${NODE}/nothing`]);
  const log = c.ok(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller']).trimEnd().split('\n');
  const [ok, miss] = log.slice(-2);
  assert.match(ok, /^192\.168\.49\.1 - - \[01\/Mar\/2025:12:01:00 \+0000\] "GET \/api HTTP\/1\.1" 200 \d+ "-" "curl\/7\.88\.1" 78 0\.001 \[default-api-80\] \[\] 10\.244\.\d+\.\d+:8080 \d+ 0\.001 200 [0-9a-f]{32}$/);
  assert.equal(miss.replace(/[0-9a-f]{32}$/, 'ID'), '192.168.49.1 - - [01/Mar/2025:12:01:00 +0000] "GET /nothing HTTP/1.1" 404 146 "-" "curl/7.88.1" 83 0.000 [upstream-default-backend] [] 127.0.0.1:8181 146 0.000 404 ID');
  // the request id the backend saw is the one logged
  const echo = c.ok(['curl', '-H', 'Host: foo.example', `http://${NODE}/api`]);
  const id = /x-request-id=([0-9a-f]{32})/.exec(echo)[1];
  assert.ok(c.ok(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller']).trimEnd().endsWith(` ${id}`));
});

test('ADDRESS: the status sync writes the node IP on its 60 s loop, with Sync events', (t) => {
  const c = cluster({ seed: 'ing', now: T0, init: ['--ingress', 'nginx'] });
  t.after(() => c.cleanup());
  c.at('2025-03-01T12:00:20Z').ok(['apply', '-f', '-'], { input: ingressYaml('one', { rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('web') }] } }] }) });
  assert.match(c.at('2025-03-01T12:00:59Z').ok(['get', 'ing', 'one']), /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\none\s+nginx\s+a\.example\s+80\s+39s\n$/);
  assert.match(c.at('2025-03-01T12:01:00Z').ok(['get', 'ing', 'one']), /one\s+nginx\s+a\.example\s+192\.168\.49\.2\s+80\s+40s\n$/);
  const ev = c.ok(['get', 'events', '--field-selector', 'involvedObject.name=one', '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.message} {.source.component} {.count}{"\\n"}{end}']);
  assert.equal(ev, 'Normal Sync Scheduled for sync nginx-ingress-controller 2\n');
  // the controller's log: the store's event, the reload, the status update
  const log = c.ok(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller']);
  assert.match(log, /\nI0301 12:00:20\.000000       7 store\.go:440\] "Found valid IngressClass" ingress="default\/one" ingressclass="nginx"\n/);
  assert.match(log, /\nI0301 12:00:20\.000000       7 controller\.go:213\] "Backend successfully reloaded"\n/);
  assert.match(log, /\nI0301 12:01:00\.000000       7 status\.go:304\] "updating Ingress status" namespace="default" ingress="one" currentValue=null newValue=\[\{"ip":"192\.168\.49\.2"\}\]\n/);
});

test('addons enable / list / disable ingress, as minikube prints them', (t) => {
  const c = cluster({ seed: 'ing', now: T0, init: [] });
  t.after(() => c.cleanup());
  assert.match(c.ok(['addons', 'list']), /\| ingress\s+\| kubesim\s+\| disabled\s+\| Kubernetes\s+\|/);
  const out = c.ok(['addons', 'enable', 'ingress']);
  assert.equal(
    out,
    '💡  ingress is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.\nYou can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS\n    ▪ Using image registry.k8s.io/ingress-nginx/controller:v1.11.3\n    ▪ Using image registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.4\n    ▪ Using image registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.4\n🔎  Verifying ingress addon...\n🌟  The \'ingress\' addon is enabled\n',
  );
  assert.match(c.ok(['addons', 'list']), /\| ingress\s+\| kubesim\s+\| enabled ✅\s+\| Kubernetes\s+\|/);
  c.ok(['create', 'ingress', 'one', '--rule=a.example/=web:80']);
  assert.match(c.at(T1).ok(['get', 'pods', '-n', 'ingress-nginx']), /ingress-nginx-controller-\S+\s+1\/1\s+Running/);
  assert.match(c.ok(['get', 'ing', 'one']), /192\.168\.49\.2/);
  assert.equal(c.ok(['addons', 'disable', 'ingress']), '🌑  "The \'ingress\' addon is disabled"\n');
  // --update-status-on-shutdown: the controller takes its address out as it goes
  assert.match(c.ok(['get', 'ing', 'one']), /one\s+nginx\s+a\.example\s+80\s+60s\n$/);
  assert.equal(c.run(['get', 'ingressclass', 'nginx']).code, 1);
  const bad = c.run(['addons', 'enable', 'dashboard']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'error: kubesim simulates the ingress addon only, not "dashboard"\n');
});

test('LoadBalancer install with a pool: the Service gets an address and the Ingresses show it', (t) => {
  const c = cluster({ seed: 'ing', now: T0, init: ['--ingress', 'nginx', '--lb-pool', '192.168.49.200-192.168.49.210'] });
  t.after(() => c.cleanup());
  assert.match(c.ok(['get', 'svc', '-n', 'ingress-nginx', 'ingress-nginx-controller']), /LoadBalancer\s+[\d.]+\s+192\.168\.49\.200\s+80:\d+\/TCP,443:\d+\/TCP/);
  c.ok(['apply', '-f', '-'], { input: ingressYaml('one', { rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('web') }] } }] }) });
  assert.match(c.at(T1).ok(['get', 'ing', 'one']), /one\s+nginx\s+a\.example\s+192\.168\.49\.200\s+80/);
  // the LB address reaches the controller through kube-proxy's rules
  assert.match(c.ok(['curl', '-s', '-H', 'Host: a.example', 'http://192.168.49.200/']), /503 Service Temporarily Unavailable/);
});

function openssl(dir, cn) {
  const key = join(dir, `${cn}.key`);
  const crt = join(dir, `${cn}.crt`);
  const r = spawnSync('openssl', ['req', '-x509', '-nodes', '-newkey', 'rsa:2048', '-days', '365', '-keyout', key, '-out', crt, '-subj', `/CN=${cn}/O=${cn}`], { encoding: 'utf8' });
  return r.status === 0 ? { key, crt } : undefined;
}

test('TLS: the Secret certificate by SNI, the fake one otherwise; -k, exit 60 without it, ssl-redirect', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-tls-'));
  const pair = openssl(dir, 'secure.example');
  if (!pair) {
    t.skip('openssl is not installed');
    return;
  }
  const c = setup();
  t.after(() => c.cleanup());
  c.ok(['create', 'secret', 'tls', 'foo-tls', `--cert=${pair.crt}`, `--key=${pair.key}`]);
  c.ok(['apply', '-f', '-'], {
    input: ingressYaml('secure', { ingressClassName: 'nginx', tls: [{ hosts: ['secure.example', 'alias.example'], secretName: 'foo-tls' }], rules: ['secure.example', 'alias.example'].map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('api') }] } })) }),
  });
  const res = `secure.example:443:${NODE}`;
  const v = c.run(['curl', '-k', '-v', '-s', '-o', '/dev/null', '--resolve', res, 'https://secure.example/']);
  assert.equal(v.code, 0);
  assert.match(v.stderr, /\* Server certificate:\n\*  subject: CN=secure\.example; O=secure\.example\n/);
  assert.match(v.stderr, /SSL certificate verify result: self-signed certificate \(18\), continuing anyway\./);
  const traced = c.run(['curl', '--trace', '-k', '-s', '-o', '/dev/null', '--resolve', res, 'https://secure.example/']);
  assert.match(traced.stderr, /kubesim trace: TLS: SNI "secure\.example" → ingress-nginx presents Secret default\/foo-tls \(subject CN=secure\.example; O=secure\.example\)\n/);
  const no = c.run(['curl', '--resolve', res, 'https://secure.example/']);
  assert.equal(no.code, 60);
  assert.match(no.stderr, /^curl: \(60\) SSL certificate problem: self-signed certificate\nMore details here: https:\/\/curl\.se\/docs\/sslcerts\.html/);
  // --cacert: the certificate itself is the CA of a self-signed one; then the name must match
  const trusted = c.run(['curl', '-v', '-s', '--cacert', pair.crt, '--resolve', res, 'https://secure.example/']);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stderr, /\*  SSL certificate verify ok\.\n/);
  assert.match(trusted.stdout, /Hostname: api-/);
  const alias = c.run(['curl', '--cacert', pair.crt, '--resolve', `alias.example:443:${NODE}`, 'https://alias.example/']);
  assert.equal(alias.code, 60, alias.stderr);
  assert.match(alias.stderr, /^curl: \(60\) SSL: no alternative certificate subject name matches target host name 'alias\.example'\nMore details here/);
  const nope = c.run(['curl', '--cacert', join(dir, 'nope.crt'), '--resolve', res, 'https://secure.example/']);
  assert.equal(nope.code, 77, nope.stderr);
  // an IP in the URL sends no SNI: the controller's fake certificate, and the Host header still routes
  const fake = c.run(['curl', '-k', '-v', '-H', 'Host: secure.example', `https://${NODE}/`]);
  assert.match(fake.stderr, /subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate/);
  assert.match(fake.stdout, /Hostname: api-/);
  assert.match(fake.stdout, /x-forwarded-proto=https/);
  // HTTP/2 over TLS (ingress-nginx offers h2, curl takes it), HTTP/1.1 with --http1.1
  const two = c.ok(['curl', '-k', '-i', '--resolve', res, 'https://secure.example/']);
  assert.match(two, /^HTTP\/2 200 \r\ndate: .*\r\ncontent-type: text\/plain\r\n/);
  assert.doesNotMatch(two, /connection:|transfer-encoding:/i);
  assert.match(c.ok(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller']), /"GET \/ HTTP\/2\.0" 200 /);
  assert.match(c.ok(['curl', '-k', '-i', '--http1.1', '--resolve', res, 'https://secure.example/']), /^HTTP\/1\.1 200 OK\r\n/);
  // plain HTTP to a host with a certificate of its own: 308 to https
  const redirect = c.ok(['curl', '-i', '-H', 'Host: secure.example', `http://${NODE}/a?b=1`]);
  assert.match(redirect, /^HTTP\/1\.1 308 Permanent Redirect\r\n/);
  assert.match(redirect, /\r\nContent-Length: 164\r\n/);
  assert.match(redirect, /\r\nLocation: https:\/\/secure\.example\/a\?b=1\r\n/);
  writeFileSync(join(dir, 'done'), '');
});
