// Issue 18 item 4, one state, two doors: while `kubesim serve` runs on a state directory, kubesim
// commands on it run inside the server (POST /kubesim/v1/run, found through serve.json), and in
// their own process when no server runs. The same commands through the server and in-process on an
// identical copy of the state print the same bytes, exit the same and leave the same objects.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, cluster } from './helpers.mjs';
import { startServe } from './serve-helpers.mjs';

const remote = createRequire(import.meta.url)(join(ROOT, 'dist', 'remote.cjs'));

const served = cluster({ seed: 'doors', init: [] });
const local = cluster({ seed: 'doors' });
const work = mkdtempSync(join(tmpdir(), 'kubesim-doors-'));
let s;

before(async () => {
  served.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  served.ok(['create', 'configmap', 'settings', '--from-literal=mode=dev']);
  served.ok(['expose', 'deployment', 'web', '--port=80']);
  // the in-process door works on a copy made before the server starts (no serve.json in it)
  rmSync(local.dir, { recursive: true, force: true });
  cpSync(served.dir, local.dir, { recursive: true });
  s = await startServe(served);
});
after(async () => {
  await s?.stop();
  served.cleanup();
  local.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** how many commands the server has run (GET /kubesim/v1/run, with the serve kubeconfig's token) */
async function runCount() {
  const token = JSON.parse(readFileSync(s.kubeconfig, 'utf8')).users[0].user.token;
  const r = await fetch(`${s.url}/kubesim/v1/run`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return (await r.json()).commands;
}

/** The objects of a state (every shard's items, the runtime, the counters), not the generation's file names. */
function objectsOf(dir) {
  const m = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8'));
  const shards = {};
  for (const [key, ref] of Object.entries(m.shards)) {
    shards[key] = (ref.parts ?? [ref]).map((p) => JSON.parse(readFileSync(join(dir, 'objects', p.file), 'utf8')));
  }
  return { config: m.config, rand: m.rand, resourceVersion: m.resourceVersion, nextDue: m.nextDue, upgrades: m.upgrades, shards };
}

const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: from-stdin
data:
  a: "1"
`;
writeFileSync(join(work, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-file\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "3600"]\n');

// [argv, { input, env, now, cwd }]: reads, writes, errors, stdin, output formats, the clock moving
const COMMANDS = [
  [['get', 'pods']],
  [['get', 'pods', '-o', 'wide']],
  [['get', 'all', '-A']],
  [['get', 'deployment', 'web', '-o', 'yaml']],
  [['get', 'pod', 'nope']],
  [['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}']],
  [['describe', 'deployment', 'web']],
  [['describe', 'node', 'node01']],
  [['apply', '-f', '-'], { input: manifest }],
  [['apply', '-f', '-'], { input: manifest }],
  [['create', '-f', '-'], { input: manifest }],
  [['create', '-f', 'pod.yaml', '-o', 'name'], { cwd: work }],
  [['create', '-f', 'missing.yaml'], { cwd: work }],
  [['label', 'configmap', 'settings', 'tier=web']],
  [['annotate', 'configmap', 'settings', 'note=x', '--record']],
  [['scale', 'deployment', 'web', '--replicas=3']],
  [['get', 'pods'], { now: '2025-03-01T12:01:00Z' }],
  [['set', 'image', 'deployment/web', 'nginx=nginx:1.27'], { now: '2025-03-01T12:01:00Z' }],
  [['rollout', 'history', 'deployment/web'], { now: '2025-03-01T12:01:30Z' }],
  [['patch', 'configmap', 'settings', '-p', '{"data":{"mode":"prod"}}'], { now: '2025-03-01T12:02:00Z' }],
  [['patch', 'configmap', 'settings', '-p', '{bad'], { now: '2025-03-01T12:02:00Z' }],
  [['run', 'one', '--image=busybox', '--restart=Never', '--', 'echo', 'hi'], { now: '2025-03-01T12:02:00Z' }],
  [['logs', 'one'], { now: '2025-03-01T12:03:00Z' }],
  [['get', 'events', '--sort-by=.metadata.name'], { now: '2025-03-01T12:03:00Z' }],
  [['delete', 'configmap', 'from-stdin'], { now: '2025-03-01T12:03:00Z' }],
  [['delete', 'configmap', 'from-stdin'], { now: '2025-03-01T12:03:00Z' }],
  [['taint', 'node', 'node02', 'k=v:NoSchedule'], { now: '2025-03-01T12:03:00Z' }],
  [['cordon', 'node02'], { now: '2025-03-01T12:03:00Z' }],
  [['auth', 'can-i', 'delete', 'pods', '--as=jane'], { now: '2025-03-01T12:03:00Z' }],
  // the command's own identity, not the server's: refused as in-process, and nothing changes
  [['--as=jane', 'get', 'pods'], { now: '2025-03-01T12:03:00Z' }],
  [['--as=jane', 'delete', 'deployment', 'web'], { now: '2025-03-01T12:03:00Z' }],
  [['--as=system:serviceaccount:default:default', 'get', 'configmaps'], { now: '2025-03-01T12:03:00Z' }],
  [['auth', 'whoami', '--as=jane', '--as-group=devs'], { now: '2025-03-01T12:03:00Z' }],
  [['api-resources', '--namespaced=false'], { now: '2025-03-01T12:03:00Z' }],
  [['explain', 'pod.spec.restartPolicy'], { now: '2025-03-01T12:03:00Z' }],
  [['get', 'pods', '--bogus-flag'], { now: '2025-03-01T12:03:00Z' }],
  [['get', 'pods', '-A'], { now: '2025-03-01T12:10:00Z', env: { TZ: 'Asia/Tokyo' } }],
  [['get', 'deploy', 'web'], { env: { KUBESIM_NOW: 'yesterday' } }],
];

/** One command through a door: the cluster's env, a clock, stdin, a working directory. */
function runIn(c, args, o = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: o.input ?? '',
    cwd: o.cwd,
    env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: o.now ?? c.now, KUBESIM_SEED: 'doors', NO_COLOR: '1', ...(o.env ?? {}) },
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

test('the same commands through the server and in-process: the same bytes, exit codes and objects', async () => {
  const before = await runCount();
  for (const [args, o] of COMMANDS) {
    const a = runIn(served, args, o);
    const b = runIn(local, args, o);
    const what = `kubesim ${args.join(' ')}`;
    assert.equal(a.stderr, b.stderr, `${what}: stderr`);
    assert.equal(a.stdout, b.stdout, `${what}: stdout`);
    assert.equal(a.code, b.code, `${what}: exit code`);
  }
  // every one of them went through the server
  assert.equal((await runCount()) - before, COMMANDS.length);
  assert.deepEqual(objectsOf(served.dir), objectsOf(local.dir));
});

test('a failing command through the server: its exit code and kubectl\'s message on stderr, no stack', () => {
  const r = runIn(served, ['get', 'pod', 'nope']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
});

test('commands that need a terminal, watch, wait or act on files run in-process (the server does not see them)', async () => {
  const before = await runCount();
  assert.match(runIn(served, ['get', 'pods', '--help']).stdout, /Display one or many resources/);
  assert.equal(runIn(served, ['config', 'current-context']).code, 1);
  runIn(served, ['exec', 'nope', '--', 'true']);
  assert.equal(await runCount(), before);
});

test('which command lines go to a server (dist/remote.cjs, what bin/kubesim decides before loading the bundle)', () => {
  const yes = [
    ['get', 'pods'], ['-n', 'kube-system', 'get', 'pods', '-o', 'wide'], ['describe', 'pod', 'x'], ['apply', '-f', '-'], ['delete', 'pod', 'x', '--wait=false'],
    ['logs', 'x', '--tail=5'], ['run', 'x', '--image=nginx'], ['run', 'x', '--image=busybox', '--', 'sh', '-c', 'echo -it'], ['rollout', 'restart', 'deploy/x'],
    ['events'], ['auth', 'can-i', 'get', 'pods'], ['explain', 'pods'], ['curl', '10.96.0.1'], ['run', 'x', '--image=nginx', '--rm=false'],
  ];
  const no = [
    ['get', 'pods', '-w'], ['get', 'pods', '--watch'], ['get', 'pods', '--watch-only'], ['events', '-w'], ['logs', '-f', 'x'], ['logs', 'x', '--follow'],
    ['run', 'x', '-it', '--image=busybox'], ['run', 'x', '-i', '--image=busybox'], ['run', 'x', '--rm', '--image=busybox'], ['run', 'x', '--attach', '--image=busybox'],
    ['rollout', 'status', 'deploy/x'], ['rollout', '-n', 'ns', 'status', 'deploy/x'], ['edit', 'cm', 'x'], ['exec', 'x', '--', 'ls'], ['port-forward', 'x', '80'], ['ssh', 'node01'], ['wait', '--for=delete', 'pod/x'],
    ['config', 'view'], ['cluster', 'reset'], ['serve'], ['completion', 'bash'], ['help'], ['get', 'pods', '-h'], ['create', 'cm', 'x', '--edit'], [], ['--state', 'x'],
    ['apply', 'edit-last-applied', 'cm/x'], ['diff', '-f', 'x.yaml'], ['apply', '-f', '/dev/fd/63'], ['create', 'secret', 'generic', 's', '--from-file=k=/dev/stdin'],
  ];
  const now = process.env.KUBESIM_NOW;
  try {
    delete process.env.KUBESIM_NOW;
    for (const a of yes) assert.equal(remote.forwardable(a), true, a.join(' '));
    for (const a of no) assert.equal(remote.forwardable(a), false, a.join(' '));
    // on the wall clock delete waits and drain retries in real time: in-process; a frozen clock does not wait
    assert.equal(remote.forwardable(['delete', 'pod', 'x']), false);
    assert.equal(remote.forwardable(['drain', 'node01']), false);
    process.env.KUBESIM_NOW = '2025-03-01T12:00:00Z';
    assert.equal(remote.forwardable(['delete', 'pod', 'x']), true);
    assert.equal(remote.forwardable(['drain', 'node01']), true);
  } finally {
    if (now === undefined) delete process.env.KUBESIM_NOW;
    else process.env.KUBESIM_NOW = now;
  }
  assert.equal(remote.readsStdin(['apply', '-f', '-']), true);
  assert.equal(remote.readsStdin(['apply', '--filename=-']), true);
  assert.equal(remote.readsStdin(['apply', '-f', 'x.yaml']), false);
});

test('a stale serve.json (a dead server, a refused connection): the command runs in-process, silently', () => {
  const c = cluster({ seed: 'doors-stale', init: [] });
  try {
    const expected = c.ok(['get', 'nodes']);
    // a port nothing listens on: bind one and let it go
    const port = Number(spawnSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], { encoding: 'utf8' }).stdout);
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    for (const pid of [Number(dead), process.pid]) {
      writeFileSync(join(c.dir, 'serve.json'), JSON.stringify({ url: `http://127.0.0.1:${port}`, pid, kubeconfig: `${c.dir}.kubeconfig-serve` }) + '\n');
      writeFileSync(`${c.dir}.kubeconfig-serve`, JSON.stringify({ users: [{ name: 'x', user: { token: 'kubesim' } }] }));
      const r = c.run(['get', 'nodes']);
      assert.equal(r.stderr, '', `pid ${pid}`);
      assert.equal(r.stdout, expected);
      assert.equal(r.code, 0);
    }
  } finally {
    rmSync(`${c.dir}.kubeconfig-serve`, { force: true });
    c.cleanup();
  }
});

test('a wrong token: the server refuses the run request (401, an apiserver Status)', async () => {
  const r = await fetch(`${s.url}/kubesim/v1/run`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).reason, 'Unauthorized');
});

test('10 parallel kubesim writers through the server lose nothing', async () => {
  const before = await runCount();
  const one = (i) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'create', 'configmap', `par-${i}`, `--from-literal=i=${i}`], {
        env: { ...process.env, KUBESIM_STATE: served.dir, KUBESIM_CONFIG: `${served.dir}.kubeconfig`, KUBESIM_NOW: '2025-03-01T12:10:00Z', NO_COLOR: '1' },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('exit', (code) => resolve({ code, out }));
    });
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => one(i)));
  for (const [i, r] of results.entries()) assert.deepEqual(r, { code: 0, out: `configmap/par-${i} created\n` });
  assert.equal((await runCount()) - before, 10);
  const names = served.ok(['get', 'configmaps', '-o', 'name']).split('\n').filter((n) => n.startsWith('configmap/par-'));
  assert.equal(names.length, 10);
});

test('a server with --tls: the command goes through https, trusting the CA of the serve kubeconfig', async () => {
  const c = cluster({ seed: 'doors-tls', init: [] });
  const t = await startServe(c, ['--tls']);
  try {
    assert.match(t.url, /^https:/);
    const token = JSON.parse(readFileSync(t.kubeconfig, 'utf8')).users[0].user.token;
    const count = async () => {
      const r = spawnSync('curl', ['-sk', '-H', `Authorization: Bearer ${token}`, `${t.url}/kubesim/v1/run`], { encoding: 'utf8' });
      return JSON.parse(r.stdout).commands;
    };
    const before = await count();
    assert.match(c.ok(['get', 'nodes']), /^NAME +STATUS +ROLES/);
    assert.equal((await count()) - before, 1);
  } finally {
    await t.stop();
    c.cleanup();
  }
});

test('a state directory the kubeconfig selects (no KUBESIM_STATE): the bundle reads the kubeconfig and forwards', async () => {
  const home = mkdtempSync(join(tmpdir(), 'kubesim-doors-home-'));
  const env = { ...process.env, HOME: home, KUBESIM_NOW: '2025-03-01T12:00:00Z', KUBESIM_SEED: 'doors-home', NO_COLOR: '1' };
  for (const k of ['KUBESIM_STATE', 'KUBESIM_CONFIG']) delete env[k];
  const kubesim = (args) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  assert.equal(kubesim(['cluster', 'init', '--name', 'foo']).status, 0);
  const dir = join(home, '.kubesim', 'clusters', 'foo');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env, stdio: 'ignore' });
  try {
    for (let i = 0; i < 150; i++) {
      try {
        readFileSync(join(dir, 'serve.json'));
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const { url } = JSON.parse(readFileSync(join(dir, 'serve.json'), 'utf8'));
    const token = JSON.parse(readFileSync(join(home, '.kubesim', 'config-serve'), 'utf8')).users[0].user.token;
    const count = async () => (await (await fetch(`${url}/kubesim/v1/run`, { headers: { authorization: `Bearer ${token}` } })).json()).commands;
    const n = await count();
    assert.match(kubesim(['get', 'nodes']).stdout, /^NAME +STATUS/);
    assert.equal(await count(), n + 1);
    // another context's state: in-process; an unknown context: in-process, and its error
    assert.equal(kubesim(['--context', 'kubesim', 'get', 'nodes']).status, 0);
    const bad = kubesim(['--context', 'nope', 'get', 'nodes']);
    assert.equal(bad.stderr, 'Error in configuration: context was not found for specified context: nope\n');
    assert.equal(await count(), n + 1);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
});

test('a watch on the server sees a change a forwarded command made', async () => {
  const ac = new AbortController();
  const r = await fetch(`${s.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0`, { signal: ac.signal });
  const reader = r.body.getReader();
  const seen = (async () => {
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += Buffer.from(value).toString('utf8');
      if (/"type":"ADDED","object":\{[^\n]*"name":"watched"/.test(text)) return text;
    }
  })();
  const timer = setTimeout(() => ac.abort(), 15000);
  try {
    assert.equal(runIn(served, ['create', 'configmap', 'watched']).stdout, 'configmap/watched created\n');
    assert.match(await seen, /"name":"watched"/);
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
});
