// port-forward: real loopback listeners answered by the simulated applications, checked with real
// clients (curl, Node's http client, a RESP client; redis-cli where installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';
import { BIN, MANIFESTS, cluster } from './helpers.mjs';

const NGINX_TITLE = '<title>Welcome to nginx!</title>';
const hasCurl = spawnSync('curl', ['--version']).status === 0;
const hasRedisCli = spawnSync('redis-cli', ['--version']).status === 0;
// port-forward binds ::1 too where the machine has IPv6; the expected "Forwarding from" lines follow
const hasIPv6 = await new Promise((resolve) => {
  const s = net.createServer().once('error', () => resolve(false)).listen(0, '::1', () => s.close(() => resolve(true)));
});
const LINES = hasIPv6 ? 2 : 1;
// 15 s after the start: the pods have pulled their images (nginx ≈3.3 s) and run
const LATER = '2025-03-01T12:00:15Z';
const v6line = (port, remote) => (hasIPv6 ? `Forwarding from [::1]:${port} -> ${remote}\n` : '');

/** Resolves with the promise's value, or fails the test after ms instead of hanging it. */
function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Waits until check() is true (polling), failing after ms. */
async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts `kubesim port-forward …`; resolves once every expected "Forwarding from" line is out. */
function forward(c, args, lines = LINES) {
  const child = spawn(process.execPath, [BIN, 'port-forward', ...args], { env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now, KUBESIM_SEED: 'pf', NO_COLOR: '1' } });
  const pf = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout.on('data', (d) => (pf.stdout += d));
  child.stderr.on('data', (d) => (pf.stderr += d));
  pf.ready = within(new Promise((resolve, reject) => {
    const check = () => {
      const n = (pf.stdout.match(/^Forwarding from /gm) ?? []).length;
      if (n >= lines) resolve(Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(pf.stdout)?.[1]));
    };
    child.stdout.on('data', check);
    pf.exited.then((code) => reject(new Error(`port-forward exited ${code}: ${pf.stderr}`)));
  }), 15000, 'port-forward to listen');
  return pf;
}

async function stop(pf) {
  pf.child.kill('SIGINT');
  return within(pf.exited, 10000, 'port-forward to exit');
}

function get(port, path = '/', opts = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', agent: opts.agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function curl(args) {
  return spawnSync('curl', args, { encoding: 'utf8' });
}

/** A RESP client: sends each command as an array of bulk strings, returns the raw replies. */
function resp(port, commands) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const replies = [];
    let i = 0;
    const send = () => {
      const args = commands[i];
      sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    };
    sock.on('connect', send);
    sock.on('data', (d) => {
      buf += d;
      // each command here gets a single-line reply, or a bulk string, or an array of bulk strings
      const m = /^(\+[^\r]*\r\n|-[^\r]*\r\n|:[^\r]*\r\n|\$-1\r\n|\$\d+\r\n[^\r]*\r\n|\*0\r\n|\*\d+\r\n(?:\$\d+\r\n[^\r]*\r\n)+)/.exec(buf);
      if (!m) return;
      replies.push(m[1]);
      buf = buf.slice(m[1].length);
      if (++i < commands.length) send();
      else {
        sock.end();
        resolve(replies);
      }
    });
    sock.on('error', reject);
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

test('pod, deployment and service targets: nginx and echo answer real HTTP clients', { skip: !hasCurl && 'curl is not installed' }, async () => {
  const c = cluster({ seed: 'pf1' });
  try {
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    c.ok(['create', '-f', join(MANIFESTS, 'service-clusterip.yaml')]); // port 8080 → targetPort "http"
    c.ok(['create', 'deployment', 'echo', '--image=registry.k8s.io/echoserver:1.10', '--replicas=2', '--port=8080']);
    c.at(LATER);
    const port = await freePort();
    // pod/NAME: curl, HEAD, 404, and keep-alive with Node's client
    let pf = forward(c, ['pod/mypod', `${port}:80`]);
    await pf.ready;
    assert.equal(pf.stdout, `Forwarding from 127.0.0.1:${port} -> 80\n${v6line(port, 80)}`);
    const page = curl(['-s', `http://localhost:${port}/`]);
    assert.equal(page.status, 0);
    assert.ok(page.stdout.includes(NGINX_TITLE));
    assert.equal(Buffer.byteLength(page.stdout), 615);
    assert.match(curl(['-sI', `http://127.0.0.1:${port}/`]).stdout, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\nDate: .* GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\n/);
    assert.match(curl(['-s', `http://127.0.0.1:${port}/missing`]).stdout, /<title>404 Not Found<\/title>/);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 3; i++) assert.equal((await get(port, '/', { agent })).status, 200);
    agent.destroy();
    assert.equal((pf.stdout.match(/^Handling connection for \d+$/gm) ?? []).length, 4); // three curls, one keep-alive socket for three requests
    assert.equal(await stop(pf), 0);
    // the requests are in the pod's log, from 127.0.0.1 (the forwarded connection is local to the pod)
    const log = c.ok(['logs', 'mypod']);
    assert.equal((log.match(/^127\.0\.0\.1 - - \[.*\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/[\d.]+" "-"$/gm) ?? []).length, 1);
    assert.equal((log.match(/^127\.0\.0\.1 - - \[.*\] "GET \/ HTTP\/1\.1" 200 615 "-" "-" "-"$/gm) ?? []).length, 3);
    // no listener is left behind
    await new Promise((resolve, reject) => {
      const s = net.createServer().once('error', reject).listen(port, '127.0.0.1', () => s.close(resolve));
    });

    // deployment/NAME with a random local port: the echo app names the pod that answers
    pf = forward(c, ['deployment/echo', ':8080']);
    const p2 = await pf.ready;
    assert.ok(pf.stdout.startsWith(`Forwarding from 127.0.0.1:${p2} -> 8080\n${v6line(p2, 8080)}`), pf.stdout);
    const echo = await get(p2, '/hello?x=1');
    const pods = c.ok(['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ');
    assert.ok(pods.includes(/^Hostname: (.*)$/m.exec(echo.body)[1]));
    // the echoserver's "real path" is nginx's $request_uri, query included; chunked, as its lua writes it
    assert.match(echo.body, /\treal path=\/hello\?x=1\n\tquery=x=1\n/);
    assert.equal(echo.headers['transfer-encoding'], 'chunked');
    assert.equal(await stop(pf), 0);

    // service/NAME: the service port 8080 is translated to the named targetPort "http" (80)
    const p3 = await freePort();
    pf = forward(c, ['service/webserver-internal', `${p3}:8080`]);
    await pf.ready;
    assert.equal(pf.stdout, `Forwarding from 127.0.0.1:${p3} -> 80\n${v6line(p3, 80)}`);
    assert.ok(curl(['-s', `localhost:${p3}`]).stdout.includes(NGINX_TITLE));
    assert.equal(await stop(pf), 0);
  } finally {
    c.cleanup();
  }
});

test('50 concurrent connections are all answered', async () => {
  const c = cluster({ seed: 'pf2' });
  try {
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    c.at(LATER);
    const pf = forward(c, ['mypod', ':80']);
    const port = await pf.ready;
    const results = await Promise.all(Array.from({ length: 50 }, () => get(port, '/', { agent: false })));
    assert.equal(results.filter((r) => r.status === 200 && r.body.includes(NGINX_TITLE)).length, 50);
    assert.equal((pf.stdout.match(/^Handling connection for \d+$/gm) ?? []).length, 50);
    assert.equal(await stop(pf), 0);
  } finally {
    c.cleanup();
  }
});

test('redis speaks RESP; its keys outlive one forwarding session', async () => {
  const c = cluster({ seed: 'pf3' });
  try {
    c.ok(['create', 'deployment', 'redis', '--image=redis', '--port=6379']);
    c.at(LATER);
    const port = await freePort();
    let pf = forward(c, ['deployment/redis', `${port}:6379`]);
    await pf.ready;
    const replies = await resp(port, [['PING'], ['SET', 'greeting', 'hello'], ['GET', 'greeting'], ['INCR', 'hits'], ['INCR', 'hits'], ['EXISTS', 'greeting', 'nope'], ['KEYS', '*'], ['ECHO', 'hi'], ['INCR', 'greeting'], ['GET', 'missing'], ['NOPE', 'x'], ['GET']]);
    assert.deepEqual(replies, [
      '+PONG\r\n',
      '+OK\r\n',
      '$5\r\nhello\r\n',
      ':1\r\n',
      ':2\r\n',
      ':1\r\n',
      '*2\r\n$8\r\ngreeting\r\n$4\r\nhits\r\n',
      '$2\r\nhi\r\n',
      '-ERR value is not an integer or out of range\r\n',
      '$-1\r\n',
      "-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n",
      "-ERR wrong number of arguments for 'get' command\r\n",
    ]);
    assert.equal(await stop(pf), 0);
    pf = forward(c, ['deployment/redis', `${port}:6379`]);
    await pf.ready;
    assert.deepEqual(await resp(port, [['GET', 'greeting'], ['DEL', 'greeting', 'hits'], ['EXISTS', 'greeting']]), ['$5\r\nhello\r\n', ':2\r\n', ':0\r\n']);
    if (hasRedisCli) {
      assert.equal(spawnSync('redis-cli', ['-p', String(port), 'SET', 'k', 'v'], { encoding: 'utf8' }).stdout, 'OK\n');
      assert.equal(spawnSync('redis-cli', ['-p', String(port), 'GET', 'k'], { encoding: 'utf8' }).stdout, 'v\n');
    } else {
      console.log('# redis-cli is not installed: checked with the built-in RESP client only');
    }
    assert.equal(await stop(pf), 0);
  } finally {
    c.cleanup();
  }
});

test('errors: kubectl\'s texts for bad arguments, a busy port, a port nothing listens on, a pod that goes away', { skip: !hasCurl && 'curl is not installed' }, async () => {
  const c = cluster({ seed: 'pf4' });
  try {
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    c.ok(['create', '-f', join(MANIFESTS, 'service-clusterip.yaml')]);
    c.ok(['create', '-f', join(MANIFESTS, 'external-db.yaml')]);
    c.ok(['run', 'typo', '--image=ngnix']);
    const err = (args) => c.run(['port-forward', ...args]);
    // while its image pulls, a pod is Pending too
    assert.equal(err(['mypod', '80']).stderr, 'error: unable to forward port because pod is not running. Current status=Pending\n');
    c.at(LATER);
    assert.deepEqual(err([]), { stdout: '', stderr: "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubesim port-forward -h' for help and examples\n", code: 1 });
    assert.equal(err(['mypod']).stderr, "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubesim port-forward -h' for help and examples\n");
    assert.equal(err(['mypod', '1:2:3']).stderr, "error: invalid port format '1:2:3'\n");
    assert.equal(err(['mypod', 'nope']).stderr, "error: Pod 'mypod' does not have a named port 'nope'\n");
    assert.equal(err(['svc/webserver-internal', '9090']).stderr, 'error: Service webserver-internal does not have a service port 9090\n');
    assert.equal(err(['svc/external-db', '5432']).stderr, "error: cannot attach to *v1.Service: invalid service 'external-db': Service is defined without a selector\n");
    assert.equal(err(['typo', '80']).stderr, 'error: unable to forward port because pod is not running. Current status=Pending\n');
    assert.equal(err(['pod/nope', '80']).stderr, 'Error from server (NotFound): pods "nope" not found\n');
    assert.equal(err(['mypod', 'abc:80']).stderr, `error: error parsing local port 'abc': strconv.ParseUint: parsing "abc": invalid syntax\n`);

    // a port already in use on both addresses
    const busy = net.createServer();
    await new Promise((r) => busy.listen(hasIPv6 ? { port: 0, host: '::', ipv6Only: false } : { port: 0, host: '127.0.0.1' }, r));
    const port = busy.address().port;
    const r = err(['mypod', `${port}:80`]);
    busy.close();
    assert.equal(r.code, 1);
    const v6err = hasIPv6 ? ` unable to create listener: Error listen tcp6 [::1]:${port}: bind: address already in use` : ` unable to create listener: Error listen tcp6 [::1]:${port}: bind: cannot assign requested address`;
    assert.equal(
      r.stderr,
      `Unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${port}: bind: address already in use${v6err}]\n` +
        `error: unable to listen on any of the requested ports: [{${port} 80}]\n`,
    );

    // a container port nothing listens on: kubectl's error, the client's connection closed
    let pf = forward(c, ['mypod', ':81']);
    const p81 = await pf.ready;
    const refused = curl(['-s', `127.0.0.1:${p81}`]);
    assert.equal(refused.status, 52);
    await until(() => pf.stderr.includes('connection refused'), 5000, "port-forward's error line");
    assert.match(pf.stderr, /^E\d{4} [\d:.]+ +\d+ portforward\.go:\d+\] "Unhandled Error" err="an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : .*dial tcp4 127\.0\.0\.1:81: connect: connection refused/);
    assert.equal(await stop(pf), 0);

    // the pod is deleted while forwarding: lost connection, exit 1
    pf = forward(c, ['mypod', ':80']);
    await pf.ready;
    c.ok(['delete', 'pod', 'mypod']);
    // nginx stops on SIGTERM within a second: a command a little later finds the pod gone
    c.at('2025-03-01T12:00:20Z').ok(['get', 'pods']);
    assert.equal(await within(pf.exited, 10000, 'lost connection'), 1);
    assert.match(pf.stderr, /error: lost connection to pod\n$/);

    // … and the same when the pod's node stops
    c.ok(['create', 'deployment', 'web', '--image=nginx']);
    c.at('2025-03-01T12:00:30Z');
    const node = c.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].spec.nodeName}']);
    pf = forward(c, ['deployment/web', ':80']);
    await pf.ready;
    c.ok(['node', 'stop', node]);
    assert.equal(await within(pf.exited, 10000, 'lost connection'), 1);
    assert.match(pf.stderr, /error: lost connection to pod\n$/);
  } finally {
    c.cleanup();
  }
});

test("the docs' redis example: pods/, deployment/, replicaset/ and service/NAME with a named port all reach redis", async () => {
  const c = cluster({ seed: 'pf5' });
  try {
    c.ok(['apply', '-f', join(MANIFESTS, 'redis-master.yaml')]);
    c.at(LATER);
    const pod = c.ok(['get', 'pods', '-l', 'app=redis', '-o', 'jsonpath={.items[0].metadata.name}']);
    const rs = c.ok(['get', 'rs', '-l', 'app=redis', '-o', 'jsonpath={.items[0].metadata.name}']);
    for (const target of [pod, `pods/${pod}`, 'deployment/redis-master', `replicaset/${rs}`, 'service/redis-master']) {
      const port = await freePort();
      const pf = forward(c, [target, `${port}:${target.startsWith('service/') ? 'redis' : '6379'}`]);
      await pf.ready;
      assert.ok(pf.stdout.startsWith(`Forwarding from 127.0.0.1:${port} -> 6379\n`), `${target}: ${pf.stdout}`);
      assert.deepEqual(await resp(port, [['PING']]), ['+PONG\r\n'], target);
      if (hasRedisCli) assert.equal(spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout, 'PONG\n');
      assert.equal(await stop(pf), 0);
    }
  } finally {
    c.cleanup();
  }
});
