// The applications the Kubernetes tutorials run, answering as the real images do: hello-app,
// agnhost (serve-hostname, netexec, pause), serve_hostname, the echoserver generations and mongod.
// Each reply is checked byte for byte through `kubesim exec … curl` (and from a node), the log
// lines through `kubesim logs`, and hello-app, the echoserver and mongod through real port-forward
// listeners (mongod with hand-built OP_MSG and OP_QUERY messages; mongosh too where installed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { BIN, cluster } from './helpers.mjs';

const T0 = '2025-03-01T12:00:00Z';
const T1 = '2025-03-01T12:00:05.250Z';
// the pods are made half a minute before T0: their images are pulled and their servers up by then
// (the kubelet starts containers over simulated seconds)
const MADE = '2025-03-01T11:59:30Z';

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: hello1}
spec:
  containers:
  - name: hello
    image: us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: hello2}
spec:
  containers:
  - name: hello
    image: gcr.io/google-samples/hello-app:2.0
    env: [{name: PORT, value: "9000"}]
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: hostnames}
spec:
  containers:
  - name: hostnames
    image: registry.k8s.io/serve_hostname
---
apiVersion: v1
kind: Pod
metadata: {name: agn-hostname}
spec:
  containers:
  - name: agnhost
    image: registry.k8s.io/e2e-test-images/agnhost:2.53
    args: [serve-hostname, --port, "9377"]
---
apiVersion: v1
kind: Pod
metadata: {name: netexec}
spec:
  containers:
  - name: agnhost
    image: registry.k8s.io/e2e-test-images/agnhost:2.53
    command: [/agnhost, netexec, --http-port=8080]
---
apiVersion: v1
kind: Pod
metadata: {name: paused}
spec:
  containers:
  - name: agnhost
    image: registry.k8s.io/e2e-test-images/agnhost:2.53
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: echo110}
spec:
  containers:
  - name: echoserver
    image: registry.k8s.io/echoserver:1.10
---
apiVersion: v1
kind: Pod
metadata: {name: echo14}
spec:
  containers:
  - name: echoserver
    image: k8s.gcr.io/echoserver:1.4
---
apiVersion: v1
kind: Pod
metadata: {name: echo22}
spec:
  containers:
  - name: echoserver
    image: gcr.io/kubernetes-e2e-test-images/echoserver:2.2
---
apiVersion: v1
kind: Pod
metadata: {name: echoinfo}
spec:
  containers:
  - name: echoserver
    image: registry.k8s.io/echoserver:1.10
    env:
    - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
---
apiVersion: v1
kind: Pod
metadata: {name: mongo, labels: {app.kubernetes.io/name: mongo}}
spec:
  containers:
  - name: mongo
    image: mongo:7.0
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: curl
    image: curlimages/curl
    command: [sleep, "3600"]
`;

/** The echoserver 1.10 page (kubernetes/ingress-nginx images/echo/nginx.conf's template). */
const echo110 = ({ host, client, hostHeader, path = '/', query = '', podInfo = '\t-no pod information available-\n' }) =>
  `\nHostname: ${host}\n\nPod Information:\n${podInfo}\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\n` +
  `Request Information:\n\tclient_address=${client}\n\tmethod=GET\n\treal path=${path}\n\tquery=${query}\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://${hostHeader.replace(/:\d+$/, '')}:8080${path}\n\n` +
  `Request Headers:\n\taccept=*/*\n\thost=${hostHeader}\n\tuser-agent=curl/7.88.1\n\nRequest Body:\n\t-no body in request-\n\n`;

let shared;
function lab() {
  if (shared) return shared;
  const c = cluster({ seed: 'apps', now: MADE, init: [] });
  c.ok(['apply', '-f', '-'], { input: PODS });
  c.at(T0);
  const ip = (pod) => c.ok(['get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']);
  const node = (pod) => c.ok(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}']);
  shared = { c, ip, node };
  return shared;
}
after(() => shared?.c.cleanup());

test('each image answers curl from a pod exactly as the real server does', () => {
  const { c, ip, node } = lab();
  c.at(T1);
  const client = ip('client');
  const rows = [
    // [what, url, exit code, body (exact string or RegExp)]
    ['hello-app 1.0 on 8080', `${ip('hello1')}:8080/`, 0, 'Hello, world!\nVersion: 1.0.0\nHostname: hello1\n'],
    ['hello-app 2.0 on $PORT, any path', `${ip('hello2')}:9000/anything?x=1`, 0, 'Hello, world!\nVersion: 2.0.0\nHostname: hello2\n'],
    ['hello-app: a declared containerPort opens nothing', `${ip('hello2')}:8080/`, 7, ''],
    ['serve_hostname on 9376: the hostname, no newline', `${ip('hostnames')}:9376`, 0, 'hostnames'],
    ['agnhost serve-hostname --port', `${ip('agn-hostname')}:9377/`, 0, 'agn-hostname'],
    ['agnhost serve-hostname is not on its default port then', `${ip('agn-hostname')}:9376/`, 7, ''],
    ['netexec /: Go time.Now() with the monotonic reading since start', `${ip('netexec')}:8080/`, 0, 'NOW: 2025-03-01 12:00:05.25 +0000 UTC m=+33.250000001'],
    ['netexec: every other path is "/"', `${ip('netexec')}:8080/whatever`, 0, 'NOW: 2025-03-01 12:00:05.25 +0000 UTC m=+33.250000001'],
    ['netexec /hostname', `${ip('netexec')}:8080/hostname`, 0, 'netexec'],
    ['netexec /echo', `${ip('netexec')}:8080/echo?msg=hello%20world`, 0, 'hello world'],
    ['netexec /clientip: ip:port', `${ip('netexec')}:8080/clientip`, 0, new RegExp(`^${client.replace(/\./g, '\\.')}:\\d{5}$`)],
    ['netexec /healthz: 200, empty', `${ip('netexec')}:8080/healthz`, 0, ''],
    ['netexec /header?key=', `${ip('netexec')}:8080/header?key=user-agent`, 0, 'curl/7.88.1'],
    ['netexec /header: r.Header as JSON, Host left out', `${ip('netexec')}:8080/header`, 0, '{"Accept":["*/*"],"User-Agent":["curl/7.88.1"]}'],
    ['agnhost without arguments only pauses', `${ip('paused')}:8080/`, 7, ''],
    ['echoserver 1.10', `${ip('echo110')}:8080/`, 0, echo110({ host: 'echo110', client, hostHeader: `${ip('echo110')}:8080` })],
    ['echoserver 1.10 with a query', `${ip('echo110')}:8080/a/b?x=1&y=2`, 0, echo110({ host: 'echo110', client, hostHeader: `${ip('echo110')}:8080`, path: '/a/b?x=1&y=2', query: 'x=1&y=2' })],
    [
      'echoserver 1.10 with the downward API variables',
      `${ip('echoinfo')}:8080/`,
      0,
      echo110({ host: 'echoinfo', client, hostHeader: `${ip('echoinfo')}:8080`, podInfo: `\tnode name:\t${node('echoinfo')}\n\tpod name:\techoinfo\n\tpod namespace:\tdefault\n\tpod IP:\t${ip('echoinfo')}\n` }),
    ],
    [
      'echoserver 1.4: the older page, no final newline',
      `${ip('echo14')}:8080/`,
      0,
      `CLIENT VALUES:\nclient_address=${client}\ncommand=GET\nreal path=/\nquery=nil\nrequest_version=1.1\nrequest_uri=http://${ip('echo14')}:8080/\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\naccept=*/*\nhost=${ip('echo14')}:8080\nuser-agent=curl/7.88.1\nBODY:\n-no body in request-`,
    ],
    [
      'echoserver 2.2 (e2e): two leading blank lines, two spaces after each header',
      `${ip('echo22')}:8080/`,
      0,
      `\n\nHostname: echo22\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.12.2 - lua: 10010\n\n` +
        `Request Information:\n\tclient_address=${client}\n\tmethod=GET\n\treal path=/\n\tquery=\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://${ip('echo22')}:8080/\n\n` +
        `Request Headers:\n\taccept=*/*  \n\thost=${ip('echo22')}:8080  \n\tuser-agent=curl/7.88.1  \n\nRequest Body:\n\t-no body in request-\n\n`,
    ],
    ['echoserver 1.4 has no TLS port', `${ip('echo14')}:8443/`, 7, ''],
    ['mongod in the simulated network: no HTTP answer (curl 52)', `${ip('mongo')}:27017/`, 52, ''],
  ];
  for (const [what, url, code, body] of rows) {
    const r = c.run(['exec', 'client', '--', 'curl', '-s', url]);
    assert.equal(r.code, code, `${what}: exit ${r.code} ${r.stderr}`);
    if (body instanceof RegExp) assert.match(r.stdout, body, what);
    else assert.equal(r.stdout, body, what);
  }
});

test('Go net/http headers, a POST body on the echo page, HTTPS on 8443, and curl from a node', () => {
  const { c, ip } = lab();
  c.at(T1);
  // Go writes Date, Content-Length, then the sniffed Content-Type
  assert.equal(
    c.ok(['exec', 'client', '--', 'curl', '-si', `${ip('hello1')}:8080/`]),
    'HTTP/1.1 200 OK\r\nDate: Sat, 01 Mar 2025 12:00:05 GMT\r\nContent-Length: 46\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello, world!\nVersion: 1.0.0\nHostname: hello1\n',
  );
  // an echo with a status; http.Error-style headers come sorted before the server's
  assert.match(c.ok(['exec', 'client', '--', 'curl', '-si', `${ip('netexec')}:8080/echo?msg=gone&code=410`]), /^HTTP\/1\.1 410 Gone\r\nDate: .*\r\nContent-Length: 4\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\ngone$/);
  // nginx's chunked reply for the echoserver, with lua's Server header
  assert.match(c.ok(['exec', 'client', '--', 'curl', '-si', `${ip('echo110')}:8080/`]), /^HTTP\/1\.1 200 OK\r\nDate: .*\r\nContent-Type: text\/plain\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nServer: echoserver\r\n\r\n\nHostname: echo110\n/);
  const posted = c.ok(['exec', 'client', '--', 'curl', '-s', '-d', 'a=1&b=2', `${ip('echo110')}:8080/form`]);
  assert.match(posted, /\tmethod=POST\n/);
  assert.match(posted, /\tcontent-length=7\n\tcontent-type=application\/x-www-form-urlencoded\n\thost=/);
  assert.ok(posted.endsWith('\nRequest Body:\na=1&b=2\n\n'), posted);
  // 8443: a self-signed certificate (curl refuses it without -k), nginx's 497 page for plain HTTP
  assert.equal(c.run(['exec', 'client', '--', 'curl', '-s', `https://${ip('echo110')}:8443/`]).code, 60);
  assert.match(c.ok(['exec', 'client', '--', 'curl', '-sk', `https://${ip('echo110')}:8443/`]), /\trequest_scheme=https\n\trequest_uri=https:\/\/[\d.]+:8443\/\n/);
  assert.match(c.ok(['exec', 'client', '--', 'curl', '-s', `http://${ip('echo110')}:8443/`]), /<title>400 The plain HTTP request was sent to HTTPS port<\/title>/);
  // from a node, the pod sees the node's bridge address
  const fromNode = c.ok(['ssh', 'node01', '--', 'curl', '-s', `${ip('hostnames')}:9376`]);
  assert.equal(fromNode, 'hostnames');
});

test('the servers log their start and every request in their own formats', () => {
  const { c, ip } = lab();
  c.at(T1);
  const client = ip('client');
  c.ok(['exec', 'client', '--', 'curl', '-s', `${ip('hello1')}:8080/path?q=1`]);
  c.ok(['exec', 'client', '--', 'curl', '-s', `${ip('hostnames')}:9376`]);
  c.ok(['exec', 'client', '--', 'curl', '-s', `${ip('netexec')}:8080/echo?msg=hi&code=201`]);
  const log = (pod) => c.ok(['logs', pod]).split('\n').filter(Boolean);
  const h = log('hello1');
  assert.equal(h[0], '2025/03/01 11:59:30 Server listening on port 8080');
  assert.equal(h[h.length - 1], '2025/03/01 12:00:05 Serving request: /path');
  assert.equal(log('hello2')[0], '2025/03/01 11:59:30 Server listening on port 9000');
  const sh = log('hostnames');
  assert.equal(sh[0], '2025/03/01 11:59:31 Serving on port 9376.');
  assert.match(sh[sh.length - 1], new RegExp(`^2025/03/01 12:00:05 HTTP request from ${client.replace(/\./g, '\\.')}:\\d{5}$`));
  assert.equal(log('agn-hostname')[0], '2025/03/01 11:59:32 Serving on port 9377.');
  const ne = log('netexec');
  assert.deepEqual(ne.slice(0, 2), ['2025/03/01 11:59:32 Started HTTP server on port 8080', '2025/03/01 11:59:32 Started UDP server on port  8081']);
  assert.equal(ne[ne.length - 1], '2025/03/01 12:00:05 GET /echo?msg=hi&code=201');
  assert.deepEqual(log('paused'), ['Paused']);
  const e = log('echo110');
  assert.deepEqual([e[0], e[1], e[4], e[5], e[6]], ['Generating self-signed cert', 'Generating a 2048 bit RSA private key', "writing new private key to '/certs/privateKey.key'", '-----', 'Starting nginx']);
  // nginx's combined format; the byte count includes the chunked framing ($body_bytes_sent)
  assert.ok(e.some((l) => new RegExp(`^${client.replace(/\./g, '\\.')} - - \\[01/Mar/2025:12:00:05 \\+0000\\] "GET / HTTP/1\\.1" 200 \\d+ "-" "curl/7\\.88\\.1"$`).test(l)), e.join('\n'));
  const m = log('mongo');
  assert.equal(m[0], '{"t":{"$date":"2025-03-01T11:59:40.995+00:00"},"s":"I",  "c":"CONTROL",  "id":23285,   "ctx":"main","msg":"Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols \'none\'"}');
  assert.equal(m[m.length - 1], '{"t":{"$date":"2025-03-01T11:59:40.995+00:00"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}');
  assert.ok(m.some((l) => l.includes('"id":4915701, "ctx":"main","msg":"Initialized wire specification"') && l.includes('"maxWireVersion":21')));
});

// ---------------------------------------------------------------- port-forward

function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Starts `kubesim port-forward …`; resolves with the local port once it listens on 127.0.0.1. */
function forward(c, args) {
  const child = spawn(process.execPath, [BIN, 'port-forward', ...args], { env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now, KUBESIM_SEED: 'pf', NO_COLOR: '1' } });
  const pf = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout.on('data', (d) => (pf.stdout += d));
  child.stderr.on('data', (d) => (pf.stderr += d));
  pf.ready = within(
    new Promise((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(pf.stdout);
        if (m) resolve(Number(m[1]));
      });
      pf.exited.then((code) => reject(new Error(`port-forward exited ${code}: ${pf.stderr}`)));
    }),
    15000,
    'port-forward to listen',
  );
  return pf;
}

async function stop(pf) {
  pf.child.kill('SIGINT');
  return within(pf.exited, 10000, 'port-forward to exit');
}

/** One raw exchange: writes the bytes, collects what comes back until `done(buffer)` or the close. */
function exchange(port, bytes, done = () => false) {
  return within(
    new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => sock.write(bytes));
      let buf = Buffer.alloc(0);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (done(buf)) {
          sock.end();
          resolve(buf);
        }
      });
      sock.on('close', () => resolve(buf));
      sock.on('error', reject);
    }),
    10000,
    'a reply',
  );
}

test('port-forward: hello-app over a real socket, Go headers in order; the echo page with a body, chunked', async () => {
  const { c } = lab();
  c.at(T1);
  let pf = forward(c, ['pod/hello1', ':8080']);
  let port = await pf.ready;
  const raw = (await exchange(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).toString();
  assert.equal(raw, 'HTTP/1.1 200 OK\r\nDate: Sat, 01 Mar 2025 12:00:05 GMT\r\nContent-Length: 46\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nHello, world!\nVersion: 1.0.0\nHostname: hello1\n');
  assert.equal(await stop(pf), 0);
  assert.match(c.ok(['logs', 'hello1', '--tail', '1']), /^2025\/03\/01 12:00:05 Serving request: \/\n$/);

  pf = forward(c, ['pod/echo110', ':8080']);
  port = await pf.ready;
  const res = await new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/post?k=v', method: 'POST', headers: { 'Content-Type': 'text/plain' } }, (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, body }));
    });
    req.on('error', reject);
    req.end('hello body');
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.equal(res.headers.server, 'echoserver');
  assert.match(res.body, /^\nHostname: echo110\n/);
  assert.match(res.body, /\tclient_address=127\.0\.0\.1\n\tmethod=POST\n\treal path=\/post\?k=v\n\tquery=k=v\n/);
  assert.match(res.body, /\trequest_uri=http:\/\/127\.0\.0\.1:8080\/post\?k=v\n/);
  assert.ok(res.body.endsWith('\nRequest Body:\nhello body\n\n'), res.body);
  assert.equal(await stop(pf), 0);
});

// A tiny BSON codec of the test's own, so the server's bytes are checked by a second reading.
function bson(doc) {
  const parts = [];
  for (const [k, v] of Object.entries(doc)) {
    const key = Buffer.from(k + '\0');
    if (typeof v === 'number') {
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      parts.push(Buffer.from([0x10]), key, b);
    } else if (typeof v === 'boolean') parts.push(Buffer.from([0x08]), key, Buffer.from([v ? 1 : 0]));
    else if (typeof v === 'string') {
      const s = Buffer.from(v + '\0');
      const l = Buffer.alloc(4);
      l.writeInt32LE(s.length);
      parts.push(Buffer.from([0x02]), key, l, s);
    } else parts.push(Buffer.from([0x03]), key, bson(v));
  }
  const body = Buffer.concat(parts);
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 5);
  return Buffer.concat([len, body, Buffer.from([0])]);
}

function unbson(buf, at = 0) {
  const end = at + buf.readInt32LE(at) - 1;
  const out = {};
  let p = at + 4;
  while (p < end) {
    const type = buf[p++];
    const nul = buf.indexOf(0, p);
    const key = buf.toString('utf8', p, nul);
    p = nul + 1;
    if (type === 0x01) (out[key] = { double: buf.readDoubleLE(p) }), (p += 8);
    else if (type === 0x02) {
      const l = buf.readInt32LE(p);
      out[key] = buf.toString('utf8', p + 4, p + 4 + l - 1);
      p += 4 + l;
    } else if (type === 0x03 || type === 0x04) {
      const l = buf.readInt32LE(p);
      const d = unbson(buf, p);
      out[key] = type === 0x04 ? Object.values(d) : d;
      p += l;
    } else if (type === 0x08) out[key] = buf[p++] === 1;
    else if (type === 0x09) (out[key] = new Date(Number(buf.readBigInt64LE(p)))), (p += 8);
    else if (type === 0x10) (out[key] = buf.readInt32LE(p)), (p += 4);
    else if (type === 0x12) (out[key] = buf.readBigInt64LE(p)), (p += 8);
    else if (type === 0x0a) out[key] = null;
    else throw new Error(`type ${type}`);
  }
  return out;
}

function opMsg(doc, requestId) {
  const body = bson(doc);
  const h = Buffer.alloc(16);
  h.writeInt32LE(16 + 4 + 1 + body.length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(2013, 12);
  return Buffer.concat([h, Buffer.alloc(4), Buffer.from([0]), body]);
}

function opQuery(collection, doc, requestId) {
  const fixed = Buffer.alloc(8); // numberToSkip 0, numberToReturn -1
  fixed.writeInt32LE(-1, 4);
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(collection + '\0'), fixed, bson(doc)]);
  const h = Buffer.alloc(16);
  h.writeInt32LE(16 + body.length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(2004, 12);
  return Buffer.concat([h, body]);
}

const whole = (buf) => buf.length >= 4 && buf.length >= buf.readInt32LE(0);

/** The reply's header and its document (OP_MSG's body section, or OP_REPLY's first document). */
function reply(buf) {
  const head = { length: buf.readInt32LE(0), responseTo: buf.readInt32LE(8), opCode: buf.readInt32LE(12) };
  if (head.opCode === 2013) return { ...head, flags: buf.readUInt32LE(16), kind: buf[20], doc: unbson(buf, 21) };
  return { ...head, numberReturned: buf.readInt32LE(32), doc: unbson(buf, 36) };
}

test('port-forward to mongod (the port-forward tutorial): OP_MSG ping, hello, errors; the legacy OP_QUERY handshake', async () => {
  const { c } = lab();
  c.at(T1);
  c.ok(['expose', 'pod', 'mongo', '--port=27017']);
  const pf = forward(c, ['service/mongo', ':27017']);
  const port = await pf.ready;
  try {
    // db.runCommand({ ping: 1 }) → { ok: 1 }
    const ping = reply(await exchange(port, opMsg({ ping: 1, $db: 'admin' }, 42), whole));
    assert.equal(ping.opCode, 2013);
    assert.equal(ping.responseTo, 42);
    assert.equal(ping.kind, 0);
    assert.deepEqual(ping.doc, { ok: { double: 1 } });

    const hello = reply(await exchange(port, opMsg({ hello: 1, helloOk: true, $db: 'admin' }, 7), whole)).doc;
    assert.equal(hello.helloOk, true);
    assert.equal(hello.isWritablePrimary, true);
    assert.equal(hello.maxWireVersion, 21);
    assert.equal(hello.minWireVersion, 0);
    assert.equal(hello.maxBsonObjectSize, 16777216);
    assert.equal(hello.maxMessageSizeBytes, 48000000);
    assert.equal(hello.maxWriteBatchSize, 100000);
    assert.equal(hello.readOnly, false);
    assert.equal(hello.localTime.toISOString(), '2025-03-01T12:00:05.250Z');
    assert.ok(Number.isInteger(hello.connectionId) && hello.connectionId > 0);
    assert.deepEqual(hello.ok, { double: 1 });

    // an unknown command
    const bad = reply(await exchange(port, opMsg({ frobnicate: 1, $db: 'test' }, 8), whole)).doc;
    assert.deepEqual(bad, { ok: { double: 0 }, errmsg: "no such command: 'frobnicate'", code: 59, codeName: 'CommandNotFound' });

    // a driver's first message: OP_QUERY isMaster on admin.$cmd, answered by OP_REPLY
    const legacy = reply(await exchange(port, opQuery('admin.$cmd', { isMaster: 1, helloOk: true, client: { driver: { name: 'test', version: '1' } } }, 9), whole));
    assert.equal(legacy.opCode, 1);
    assert.equal(legacy.responseTo, 9);
    assert.equal(legacy.numberReturned, 1);
    assert.equal(legacy.doc.ismaster, true);
    assert.equal(legacy.doc.maxWireVersion, 21);
    // … but from 6.0 no other command may come that way
    const old = reply(await exchange(port, opQuery('admin.$cmd', { ping: 1 }, 10), whole)).doc;
    assert.equal(old.code, 352);
    assert.equal(old.codeName, 'UnsupportedOpQueryCommand');

    // buildInfo, getParameter, getLog as mongosh asks them at start
    const build = reply(await exchange(port, opMsg({ buildInfo: 1, $db: 'admin' }, 11), whole)).doc;
    assert.equal(build.version, '7.0.16');
    const fcv = reply(await exchange(port, opMsg({ getParameter: 1, featureCompatibilityVersion: 1, $db: 'admin' }, 12), whole)).doc;
    assert.deepEqual(fcv.featureCompatibilityVersion, { version: '7.0' });
    const warnings = reply(await exchange(port, opMsg({ getLog: 'startupWarnings', $db: 'admin' }, 13), whole)).doc;
    assert.match(warnings.log[0], /Access control is not enabled for the database/);

    // plain HTTP on the driver port
    const web = (await exchange(port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')).toString();
    assert.equal(web, 'HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 85\r\n\r\nIt looks like you are trying to access MongoDB over HTTP on the native driver port.\r\n');

    // mongosh, where installed, runs the tutorial's command
    if (spawnSync('mongosh', ['--version']).status === 0) {
      const sh = spawnSync('mongosh', ['--port', String(port), '--quiet', '--eval', 'db.runCommand({ ping: 1 })'], { encoding: 'utf8', timeout: 30000, env: { ...process.env, DO_NOT_TRACK: '1' } });
      assert.match(sh.stdout, /\{ ok: 1 \}/, sh.stderr);
    }
  } finally {
    assert.equal(await stop(pf), 0);
  }
  // the connections are in mongod's log, with the driver's metadata
  const log = c.ok(['logs', 'mongo']);
  assert.match(log, /^\{"t":\{"\$date":"2025-03-01T12:00:05\.250\+00:00"\},"s":"I", {2}"c":"NETWORK", {2}"id":22943, {3}"ctx":"listener","msg":"Connection accepted","attr":\{"remote":"127\.0\.0\.1:\d+","uuid":\{"uuid":\{"\$uuid":"[0-9a-f-]{36}"\}\},"connectionId":\d+,"connectionCount":1\}\}$/m);
  assert.match(log, /"msg":"client metadata","attr":\{"remote":"127\.0\.0\.1:\d+","client":"conn\d+","negotiatedCompressors":\[\],"doc":\{"driver":\{"name":"test","version":"1"\}\}\}\}$/m);
  assert.match(log, /"msg":"Connection ended"/);
});

// kubernetes/website content/en/examples/application/mongodb/mongo-deployment.yaml, as the page has it
const WEBSITE_MONGO = `{
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "mongo", labels: { app.kubernetes.io/name: "mongo", app.kubernetes.io/component: "backend" } },
  spec: {
    selector: { matchLabels: { app.kubernetes.io/name: "mongo", app.kubernetes.io/component: "backend" } },
    replicas: 1,
    template: {
      metadata: { labels: { app.kubernetes.io/name: "mongo", app.kubernetes.io/component: "backend" } },
      spec: { containers: [{ name: "mongo", image: "mongo:4.2", args: ["--bind_ip", "0.0.0.0"], resources: { requests: { cpu: "100m", memory: "100Mi" } }, ports: [{ containerPort: 27017 }] }] },
    },
  },
}
`;

test("the website's mongo:4.2 Deployment: its wire version, its command line, the pre-4.4 text log, OP_QUERY commands still allowed", async () => {
  const c = cluster({ seed: 'mongo42', now: MADE, init: [] });
  try {
    c.ok(['apply', '-f', '-'], { input: WEBSITE_MONGO });
    c.at(T0);
    const log = c.ok(['logs', 'deployment/mongo']).split('\n');
    assert.equal(log[log.length - 2], '2025-03-01T11:59:40.995+0000 I  NETWORK  [listener] waiting for connections on port 27017');
    assert.ok(log.includes('2025-03-01T11:59:40.995+0000 I  CONTROL  [initandlisten] db version v4.2.24'), log.join('\n'));
    const pf = forward(c, ['deployment/mongo', ':27017']);
    const port = await pf.ready;
    try {
      const hello = reply(await exchange(port, opQuery('admin.$cmd', { isMaster: 1 }, 1), whole)).doc;
      assert.equal(hello.ismaster, true);
      assert.equal(hello.maxWireVersion, 8);
      const ping = reply(await exchange(port, opQuery('admin.$cmd', { ping: 1 }, 2), whole));
      assert.equal(ping.opCode, 1);
      assert.deepEqual(ping.doc, { ok: { double: 1 } });
      const opts = reply(await exchange(port, opMsg({ getCmdLineOpts: 1, $db: 'admin' }, 3), whole)).doc;
      assert.deepEqual(opts.argv, ['mongod', '--bind_ip', '0.0.0.0']);
      assert.deepEqual(opts.parsed, { net: { bindIp: '0.0.0.0' } });
    } finally {
      assert.equal(await stop(pf), 0);
    }
    assert.match(c.ok(['logs', 'deployment/mongo']), /I {2}NETWORK {2}\[listener\] connection accepted from 127\.0\.0\.1:\d+ #1 \(1 connection now open\)/);
  } finally {
    c.cleanup();
  }
});

test('the hello-minikube tutorial: create deployment NAME --image=agnhost -- /agnhost netexec, then curl its node port', () => {
  const c = cluster({ seed: 'hello-node', now: T0, init: [] });
  try {
    // kubectl create deployment's "-- COMMAND [args…]" becomes the container's command (after image, before ports)
    const dry = JSON.parse(c.ok(['create', 'deployment', 'hello-node', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--port=8080', '--dry-run=client', '-o', 'json', '--', '/agnhost', 'netexec', '--http-port=8080']));
    const ctr = dry.spec.template.spec.containers[0];
    assert.deepEqual(Object.keys(ctr), ['name', 'image', 'command', 'ports', 'resources']);
    assert.deepEqual(ctr.command, ['/agnhost', 'netexec', '--http-port=8080']);
    const many = c.run(['create', 'deployment', 'x', '--image=a', '--image=b', '--', 'sleep', '1']);
    assert.deepEqual([many.code, many.stderr], [1, 'error: cannot specify multiple --image options and command\n']);
    const two = c.run(['create', 'deployment', 'a', 'b', '--image=x', '--', 'c']);
    assert.equal(two.stderr, "error: exactly one NAME is required, got 2\nSee 'kubesim create deployment -h' for help and examples\n");

    assert.equal(c.ok(['create', 'deployment', 'hello-node', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--', '/agnhost', 'netexec', '--http-port=8080']), 'deployment.apps/hello-node created\n');
    c.ok(['expose', 'deployment', 'hello-node', '--type=NodePort', '--port=8080']);
    const nodePort = c.ok(['get', 'svc', 'hello-node', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    c.at('2025-03-01T12:01:00Z');
    assert.equal(c.ok(['curl', '-s', `192.168.49.2:${nodePort}`]), 'NOW: 2025-03-01 12:01:00 +0000 UTC m=+58.000000001');
    const log = c.ok(['logs', 'deployment/hello-node']);
    assert.equal(log, '2025/03/01 12:00:02 Started HTTP server on port 8080\n2025/03/01 12:00:02 Started UDP server on port  8081\n2025/03/01 12:01:00 GET /\n');
  } finally {
    c.cleanup();
  }
});
