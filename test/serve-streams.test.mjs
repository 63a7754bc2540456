// Issue 18, serve-streams: the real kubectl 1.32 through `kubesim serve` reaches the simulated
// containers — logs (tail, timestamps, since, limit-bytes, previous, -f), exec over WebSocket
// v5.channel.k8s.io (exit codes, stdin, a shell reading its commands), port-forward over SPDY/3.1
// (inside WebSocket, and the plain SPDY upgrade kubectl falls back to) — and prints what kubesim's
// own CLI prints on the same state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import { BIN, cluster } from './helpers.mjs';
import { hasKubectl, startServe } from './serve-helpers.mjs';

const skip = hasKubectl() ? false : 'kubectl is not on PATH';
if (skip) console.log(`# skipping serve-streams: ${skip}`);
const T0 = '2025-03-01T12:00:00Z';
const T1 = '2025-03-01T12:02:00Z';
const c = cluster({ seed: 'serve-streams', now: T0, init: [] });
let s;
const children = new Set();

before(async () => {
  if (skip) return;
  c.ok(['run', 'web', '--image=nginx']);
  c.ok(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
  c.ok(['run', 'victim', '--image=nginx']);
  c.ok(['run', 'cache', '--image=redis']);
  const two = `${c.dir}.two.yaml`;
  writeFileSync(two, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: side\n    image: busybox\n    command: ["sh", "-c", "echo side up; sleep 3600"]\n');
  c.ok(['apply', '-f', two]);
  // a container that exits and restarts: its previous run's log
  c.ok(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo starting; echo failing >&2; exit 1']);
  c.at(T1);
  c.ok(['get', 'pods']);
  s = await startServe(c);
});

after(async () => {
  for (const ch of children) ch.kill('SIGKILL');
  await s?.stop();
  c.cleanup();
});

/** kubectl in the background against the server (port-forward, logs -f); killed in after() if still running */
function background(args, env = {}) {
  const ch = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: s.kubeconfig, KUBECACHEDIR: `${c.dir}.kubecache`, HOME: `${c.dir}.kubecache`, ...env } });
  children.add(ch);
  const p = { child: ch, out: '', err: '' };
  ch.stdout.on('data', (d) => (p.out += d));
  ch.stderr.on('data', (d) => (p.err += d));
  ch.on('exit', () => children.delete(ch));
  p.until = async (re, ms = 10000) => {
    const end = Date.now() + ms;
    while (!re.test(p.out + p.err)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}: ${p.out}${p.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return re.exec(p.out + p.err);
  };
  p.stop = () =>
    new Promise((r) => {
      if (ch.exitCode !== null || ch.signalCode !== null) return r();
      ch.once('exit', r);
      ch.kill('SIGINT');
    });
  return p;
}

function get(port, path = '/') {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
}

// each row: kubectl's args through the server, kubesim's args on the same state: the same stdout
const SAME_LOGS = [
  ['logs', 'web'],
  ['logs', 'web', '--tail=3'],
  ['logs', 'web', '--tail=2', '--timestamps'],
  ['logs', 'web', '--since=1h'],
  ['logs', 'web', '--since=10s'],
  ['logs', 'web', '--since-time=2025-03-01T12:00:03Z', '--tail=4'],
  ['logs', 'web', '--tail=0'],
  ['logs', 'crash'],
  ['logs', 'crash', '--previous'],
  ['logs', 'crash', '-p', '--timestamps'],
  // two containers: kubectl picks the default one and says so; -c names one; all of them, prefixed
  ['logs', 'two'],
  ['logs', 'two', '-c', 'side'],
  ['logs', 'two', '--all-containers', '--prefix'],
  ['exec', 'two', '--', 'hostname'],
  ['exec', 'two', '-c', 'side', '--', 'sh', '-c', 'echo $HOSTNAME; exit 7'],
];

for (const args of SAME_LOGS) {
  test(`kubectl ${args.join(' ')} through serve = kubesim's`, { skip }, () => {
    const k = s.kubectl(args);
    const own = c.run(args);
    // kubectl reads the containers' logs from a Go map (logs.go sequentialConsumeRequest): their
    // order varies from run to run; each container's lines keep theirs
    const byContainer = (out) => {
      if (!args.includes('--all-containers')) return out;
      const groups = {};
      for (const line of out.split('\n')) (groups[/^\[[^\]]*\]/.exec(line)?.[0] ?? ''] ??= []).push(line);
      return groups;
    };
    assert.deepEqual({ ...k, stdout: byContainer(k.stdout) }, { ...own, stdout: byContainer(own.stdout) });
  });
}

test('logs: --limit-bytes cuts the log; a missing previous run is the kubelet\'s BadRequest, as kubesim says it', { skip }, () => {
  const full = c.ok(['logs', 'web']);
  assert.equal(s.kubectl(['logs', 'web', '--limit-bytes=25']).stdout, full.slice(0, 25));
  const k = s.kubectl(['logs', 'web', '-p']);
  const own = c.run(['logs', 'web', '-p']);
  assert.equal(k.code, 1);
  assert.equal(k.stderr, 'Error from server (BadRequest): previous terminated container "web" in pod "web" not found\n');
  assert.equal(k.stderr, own.stderr);
});

test('logs -f: the log so far, then the lines the cluster writes while kubectl follows', { skip }, async () => {
  const f = background(['logs', '-f', 'web', '--tail=1']);
  await f.until(/start worker process \d+\n$/);
  const ip = c.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
  // a request from another pod: nginx's access log line, written by kubesim's CLI while the server follows
  c.ok(['exec', 'bb', '--', 'wget', '-qO-', `http://${ip}/`]);
  await f.until(/"GET \/ HTTP\/1\.1" 200 615 "-" "Wget"/);
  await f.stop();
  const lines = f.out.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[1], c.ok(['logs', 'web', '--tail=1']).trimEnd());
});

test('exec: a command\'s output and status; sh -c "exit 3" is "command terminated with exit code 3"', { skip }, () => {
  for (const argv of [['hostname'], ['sh', '-c', 'echo out; echo err >&2; exit 3'], ['ls', '/'], ['cat', '/etc/hostname']]) {
    const k = s.kubectl(['exec', 'bb', '--', ...argv]);
    const own = c.run(['exec', 'bb', '--', ...argv]);
    assert.deepEqual(k, own, argv.join(' '));
  }
  const k = s.kubectl(['exec', 'bb', '--', 'sh', '-c', 'exit 3']);
  assert.equal(k.code, 3);
  assert.equal(k.stderr, 'command terminated with exit code 3\n');
});

test('exec: a program not in the image is the runtime\'s error (exit 1)', { skip }, () => {
  const k = s.kubectl(['exec', 'bb', '--', 'nosuch']);
  assert.equal(k.code, 1);
  assert.match(k.stderr, /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown\n$/);
});

test('exec -i: stdin reaches the program; a shell runs the commands it reads, its exit status is kubectl\'s', { skip }, () => {
  const script = 'echo hi\ncd /tmp\npwd\nif true; then\n  echo inside\nfi\nexit 4\necho never\n';
  const k = s.kubectl(['exec', '-i', 'bb', '--', 'sh'], { input: script });
  const own = c.run(['exec', '-i', 'bb', '--', 'sh'], { input: script });
  assert.equal(k.stdout, 'hi\n/tmp\ninside\n');
  assert.equal(k.code, 4);
  assert.deepEqual(k, own);
  // a shell the image does not have: the runtime's error at once, without waiting for stdin
  const bash = s.kubectl(['exec', '-i', 'bb', '--', 'bash'], { input: 'echo x\n' });
  assert.equal(bash.code, 1);
  assert.match(bash.stderr, /exec: "bash": executable file not found in \$PATH: unknown\n$/);
  const cat = s.kubectl(['exec', '-i', 'bb', '--', 'cat'], { input: 'one\ntwo\n' });
  assert.deepEqual(cat, { stdout: 'one\ntwo\n', stderr: '', code: 0 });
  // -t with a pipe: kubectl says so and runs without a terminal
  const t = s.kubectl(['exec', '-it', 'bb', '--', 'sh'], { input: 'echo tty\n' });
  assert.deepEqual(t, { stdout: 'tty\n', stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\n', code: 0 });
});

async function forwarded(env) {
  const pf = background(['port-forward', 'pod/web', '0:80'], env);
  const [, port] = await pf.until(/Forwarding from 127\.0\.0\.1:(\d+) -> 80\n/);
  try {
    const ip = c.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
    const page = c.ok(['exec', 'bb', '--', 'wget', '-qO-', `http://${ip}/`]);
    for (let i = 0; i < 2; i++) {
      const r = await get(Number(port));
      assert.equal(r.status, 200);
      assert.equal(r.headers.server, 'nginx/1.27.3');
      assert.equal(r.body, page);
    }
    // several connections at once: each its own pair of streams
    const many = await Promise.all([1, 2, 3].map(() => get(Number(port))));
    assert.deepEqual(many.map((r) => [r.status, r.body === page]), [[200, true], [200, true], [200, true]]);
    await pf.until(/(Handling connection for \d+\n){5}/);
    assert.equal(pf.err, '');
  } finally {
    await pf.stop();
  }
}

test('port-forward: SPDY/3.1 inside WebSocket (kubectl 1.32\'s default) reaches the simulated nginx', { skip }, () => forwarded({}));

test('port-forward: the plain SPDY/3.1 upgrade (KUBECTL_PORT_FORWARD_WEBSOCKETS=false) too', { skip }, () => forwarded({ KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }));

test('port-forward: a port nothing listens on is the kubelet\'s error on the error stream', { skip }, async () => {
  const pf = background(['port-forward', 'pod/web', '0:81']);
  const [, port] = await pf.until(/Forwarding from 127\.0\.0\.1:(\d+) -> 81\n/);
  await get(Number(port)).catch(() => undefined); // the connection is closed: an empty reply
  await pf.until(/an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace/);
  await pf.stop();
});

// kubectl -t needs a terminal: python's pty module gives it one (skipped without python3)
const PTY = `
import pty, os, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execvp('kubectl', ['kubectl', 'exec', '-it', 'bb', '--', 'sh'])
out = b''
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return
pump(1.5)
for keys in [b'echo hel', b'lo\\r', b'cd /tm\\x7fmp\\r', b'pwd\\r', b'exit 5\\r']:
    os.write(fd, keys)
    pump(0.4)
pump(1)
_, st = os.waitpid(pid, 0)
sys.stdout.write(repr(out) + '\\n' + str(os.waitstatus_to_exitcode(st)) + '\\n')
`;

test('exec -it on a terminal: the prompt, echo and line editing of a pty, \\r\\n line ends, the exit code', { skip }, async (t) => {
  const { spawnSync } = await import('node:child_process');
  if (spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status !== 0) return t.skip('python3 with pty is not available');
  const r = spawnSync('python3', ['-c', PTY], { encoding: 'utf8', timeout: 20000, env: { ...process.env, KUBECONFIG: s.kubeconfig, KUBECACHEDIR: `${c.dir}.kubecache`, HOME: `${c.dir}.kubecache` } });
  assert.equal(r.stdout, String.raw`b'/ # echo hello\r\nhello\r\n/ # cd /tm\x08 \x08mp\r\n/tmp # pwd\r\n/tmp\r\n/tmp # exit 5\r\ncommand terminated with exit code 5\r\n'` + '\n5\n');
});

test('exec over SPDY/3.1 (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false: v4.channel.k8s.io streams) = over WebSocket', { skip }, async () => {
  const { spawnSync } = await import('node:child_process');
  const spdyKubectl = (args, input) => {
    const r = spawnSync('kubectl', args, { encoding: 'utf8', input, env: { ...process.env, KUBECONFIG: s.kubeconfig, KUBECACHEDIR: `${c.dir}.kubecache`, HOME: `${c.dir}.kubecache`, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  };
  for (const argv of [['hostname'], ['sh', '-c', 'echo out; echo err >&2; exit 3']]) {
    assert.deepEqual(spdyKubectl(['exec', 'bb', '--', ...argv]), s.kubectl(['exec', 'bb', '--', ...argv]), argv.join(' '));
  }
  const script = 'echo hi\ncd /tmp\npwd\nexit 4\n';
  assert.deepEqual(spdyKubectl(['exec', '-i', 'bb', '--', 'sh'], script), { stdout: 'hi\n/tmp\n', stderr: 'command terminated with exit code 4\n', code: 4 });
  assert.deepEqual(spdyKubectl(['exec', '-i', 'bb', '--', 'cat'], 'x\n'), { stdout: 'x\n', stderr: '', code: 0 });
});

test('exec into a container that is not running: the kubelet refuses the upgrade, as kubesim says it', { skip }, () => {
  const k = s.kubectl(['exec', 'crash', '--', 'ls']);
  const own = c.run(['exec', 'crash', '--', 'ls']);
  assert.equal(k.code, 1);
  assert.equal(k.stderr, 'error: unable to upgrade connection: container not found ("crash")\n');
  assert.equal(k.stderr, own.stderr);
});

test('attach -i to a shell waiting on stdin: it runs what kubectl sends, its output is the container\'s log, its exit the container\'s', { skip }, async () => {
  const { writeFileSync } = await import('node:fs');
  const manifest = `${c.dir}.shpod.yaml`;
  writeFileSync(manifest, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: shpod\nspec:\n  restartPolicy: Never\n  containers:\n  - name: shpod\n    image: busybox\n    command: ["sh"]\n    stdin: true\n    stdinOnce: true\n');
  c.ok(['apply', '-f', manifest], { env: { KUBESIM_NOW: '2025-03-01T12:01:00Z' } });
  assert.match(c.ok(['get', 'pod', 'shpod']), /shpod {3}1\/1 {5}Running/);
  const k = s.kubectl(['attach', '-i', 'shpod'], { input: 'echo attached\nhostname\nexit 2\n' });
  assert.equal(k.stdout, 'attached\nshpod\n');
  assert.equal(k.code, 0);
  assert.match(c.ok(['get', 'pod', 'shpod']), /shpod {3}0\/1 {5}Error/);
  assert.equal(c.ok(['logs', 'shpod']), 'attached\nshpod\n');
});

test('the pod deleted: kubectl logs -f ends (0) and port-forward loses its connection (1)', { skip }, async () => {
  const f = background(['logs', '-f', 'victim', '--tail=1']);
  await f.until(/start worker process \d+\n$/);
  const pf = background(['port-forward', 'pod/victim', '0:80']);
  const [, port] = await pf.until(/Forwarding from 127\.0\.0\.1:(\d+) -> 80\n/);
  assert.equal((await get(Number(port))).status, 200);
  c.ok(['delete', 'pod', 'victim', '--grace-period=0', '--force']);
  const exited = (p) => new Promise((r) => (p.child.exitCode !== null ? r(p.child.exitCode) : p.child.once('exit', (code) => r(code))));
  assert.equal(await exited(f), 0);
  assert.equal(await exited(pf), 1);
  assert.match(pf.err, /error: lost connection to pod\n$/);
});

test('exec into a pod on a stopped node: the apiserver cannot dial its kubelet, as kubesim says it', { skip }, async () => {
  const d = cluster({ seed: 'serve-streams-node', now: T0, init: [] });
  let ds;
  try {
    d.ok(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
    d.at('2025-03-01T12:01:00Z');
    d.ok(['node', 'stop', d.ok(['get', 'pod', 'bb', '-o', 'jsonpath={.spec.nodeName}'])]);
    d.at('2025-03-01T12:01:50Z');
    ds = await startServe(d);
    const k = ds.kubectl(['exec', 'bb', '--', 'hostname']);
    const own = d.run(['exec', 'bb', '--', 'hostname']);
    assert.equal(k.code, 1);
    assert.match(k.stderr, /^Error from server: error dialing backend: dial tcp [\d.]+:10250: connect: no route to host\n$/);
    assert.equal(k.stderr, own.stderr);
  } finally {
    await ds?.stop();
    d.cleanup();
  }
});

/** A cluster and its server on the moving clock (no KUBESIM_NOW): containers start and write as time passes. */
async function movingServe(seed) {
  const d = cluster({ seed });
  const env = { ...process.env, KUBESIM_STATE: d.dir, KUBESIM_CONFIG: `${d.dir}.kubeconfig`, KUBESIM_SEED: seed, NO_COLOR: '1' };
  delete env.KUBESIM_NOW;
  const { spawnSync } = await import('node:child_process');
  const own = (args, input) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  };
  assert.equal(own(['cluster', 'init']).code, 0);
  const server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(server);
  let out = '';
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (b) => {
      out += b;
      if (/export KUBECONFIG=\S+/.test(out)) resolve();
    });
    server.on('exit', reject);
  });
  const kenv = { ...env, KUBECONFIG: /export KUBECONFIG=(\S+)/.exec(out)[1], HOME: `${d.dir}.kubecache`, KUBECACHEDIR: `${d.dir}.kubecache` };
  return {
    own,
    kubectl: (args, input) => {
      const r = spawnSync('kubectl', args, { input, encoding: 'utf8', timeout: 30000, env: kenv });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status };
    },
    kenv,
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r() : server.once('exit', r)));
    },
    cleanup() {
      server.kill('SIGKILL');
      d.cleanup();
    },
  };
}

test('logs -f on the moving clock: the lines a running program writes arrive as the simulated time passes', { skip }, async () => {
  const m = await movingServe('serve-streams-follow');
  try {
    assert.equal(m.own(['run', 'ticker', '--image=busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done']).code, 0);
    // the image pull takes a few (simulated, here real) seconds
    for (let i = 0; i < 100 && !/Running/.test(m.own(['get', 'pod', 'ticker']).stdout); i++) await new Promise((r) => setTimeout(r, 200));
    const f = background(['logs', '-f', 'ticker', '--tail=1'], { KUBECONFIG: m.kenv.KUBECONFIG, HOME: m.kenv.HOME, KUBECACHEDIR: m.kenv.KUBECACHEDIR });
    await f.until(/^tick\n/);
    // then one more line each second, while kubectl follows
    await f.until(/^(tick\n){3}/, 10000);
    await f.stop();
  } finally {
    m.cleanup();
  }
});

// `kubectl run -i --rm` needs the watch (serve-watch) to see its pod run: on the moving clock (a
// frozen one never starts the container), create, watch, attach, delete through the server
const hasWatch = existsSync(new URL('../src/server/watch.ts', import.meta.url));
test('kubectl run -i --rm --restart=Never -- sh through serve = kubesim run', { skip: skip || (hasWatch ? false : 'the watch handler (serve-watch) is not in this build') }, async () => {
  const m = await movingServe('serve-streams-run');
  try {
    const input = 'echo inside\nhostname\nexit 3\n';
    const k = m.kubectl(['run', 't1', '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh'], input);
    assert.equal(k.stdout, 'inside\nt1\npod "t1" deleted\n');
    assert.equal(k.stderr, "If you don't see a command prompt, try pressing enter.\npod default/t1 terminated (Error)\n");
    assert.equal(k.code, 3);
    await m.stop();
    const own = m.own(['run', 't2', '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh'], input);
    assert.equal(k.stderr.replace(/t1/g, 't2'), own.stderr);
    assert.equal(k.stdout.replace(/t1/g, 't2'), own.stdout);
  } finally {
    m.cleanup();
  }
});

test('port-forward to redis through serve: RESP commands and replies over the data stream', { skip }, async () => {
  const net = await import('node:net');
  const pf = background(['port-forward', 'cache', '0:6379']);
  const [, port] = await pf.until(/Forwarding from 127\.0\.0\.1:(\d+) -> 6379\n/);
  try {
    const sock = net.connect(Number(port), '127.0.0.1');
    let got = '';
    sock.on('data', (d) => (got += d));
    sock.write('PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    for (let i = 0; i < 200 && got.length < '+PONG\r\n+OK\r\n$2\r\nv1\r\n'.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(got, '+PONG\r\n+OK\r\n$2\r\nv1\r\n');
    sock.destroy();
  } finally {
    await pf.stop();
  }
});

test('attach to a server process: what it writes from then on (an access log line), until kubectl leaves', { skip }, async () => {
  const a = background(['attach', 'web']);
  // kubectl says nothing until the container writes; give the upgrade a moment
  await new Promise((r) => setTimeout(r, 1500));
  const ip = c.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
  c.ok(['exec', 'bb', '--', 'wget', '-qO-', `http://${ip}/`]);
  await a.until(/"GET \/ HTTP\/1\.1" 200 615 "-" "Wget"/);
  await a.stop();
  assert.equal(a.out.trimEnd().split('\n').length, 1, a.out);
});

test('port-forward over the WebSocket channel protocol (v4.channel.k8s.io, as the Python client speaks it)', { skip }, async () => {
  const net = await import('node:net');
  const { createRequire } = await import('node:module');
  const { websocket: ws } = createRequire(import.meta.url)('../dist/lib.cjs');
  const url = new URL(s.url);
  const sock = net.connect(Number(url.port), url.hostname);
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => (buf = Buffer.concat([buf, d])));
  const waitFor = async (pred) => {
    for (let i = 0; i < 250 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(pred(), buf.toString('latin1'));
  };
  try {
    sock.write(`GET /api/v1/namespaces/default/pods/web/portforward?ports=80 HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n`);
    await waitFor(() => buf.includes('\r\n\r\n'));
    assert.match(buf.toString('latin1'), /^HTTP\/1\.1 101 Switching Protocols\r\n[^]*Sec-WebSocket-Protocol: v4\.channel\.k8s\.io\r\n/);
    buf = buf.subarray(buf.indexOf('\r\n\r\n') + 4);
    const reader = new ws.FrameReader();
    const msgs = [];
    const pump = () => {
      msgs.push(...reader.feed(buf).map((f) => f.payload));
      buf = Buffer.alloc(0);
    };
    sock.write(ws.encodeFrame(ws.OP.binary, Buffer.concat([Buffer.from([0]), Buffer.from('GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n')]), Buffer.from([1, 2, 3, 4])));
    await waitFor(() => (pump(), msgs.slice(2).some((m) => m.includes('</html>'))));
    // each channel first says its port (80, little-endian), then the data channel has nginx's answer
    assert.deepEqual(msgs.slice(0, 2).map((m) => [...m]), [[0, 80, 0], [1, 80, 0]]);
    const http = Buffer.concat(msgs.slice(2).filter((m) => m[0] === 0).map((m) => m.subarray(1))).toString();
    assert.match(http, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n/);
    assert.match(http, /<title>Welcome to nginx!<\/title>/);
  } finally {
    sock.destroy();
  }
});
