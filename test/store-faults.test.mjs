// The state store under faults: a full disk, stale and live locks, many waiters, foreign files,
// a damaged or old-format state, temp files and symlinks, event expiry, and errors that must be
// one `error:` line, never a stack trace. Format 2 contract: cluster.json (formatVersion 2,
// config, rand, resourceVersion, generation, shards), objects/ (shard files), cluster.lock
// ({"pid","start","token"}) while a writer holds it.
//
// A "snapshot" is every path under the state dir (except cluster.lock) → sha256 of its content
// (directories and symlinks included, so a new empty dir or a planted link counts as a change).
// Every child process runs with a timeout and every test has one, so no case can hang the suite.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, NOW, tempState } from './helpers.mjs';

const FIXTURE_V1 = join(ROOT, 'test', 'fixtures', 'state-v1');
const SEED = 'faults';
const MIN = 60_000;
const at = (ms) => new Date(Date.parse(NOW) + ms).toISOString().replace('.000Z', 'Z');

// ---------------------------------------------------------------------------------------------
// helpers

const cleanups = [];
function later(fn) {
  cleanups.push(fn);
}
function cleanupAll() {
  while (cleanups.length) {
    try {
      cleanups.pop()();
    } catch {
      /* best effort */
    }
  }
}

/** A fresh temp dir removed after the test. */
function tmp() {
  const d = tempState();
  later(() => {
    try {
      fs.chmodSync(d, 0o755);
    } catch {
      /* gone */
    }
    fs.rmSync(d, { recursive: true, force: true });
  });
  return d;
}

function baseEnv(state, env = {}) {
  const e = { ...process.env, KUBESIM_NOW: NOW, KUBESIM_SEED: SEED, NO_COLOR: '1' };
  delete e.KUBESIM_LOCK_TIMEOUT_MS;
  // never fall back to ~/.kubesim: a command with --state still gets a harmless KUBESIM_STATE
  e.KUBESIM_STATE = state ?? join(tmpdir(), 'kubesim-faults-unused-state');
  return { ...e, ...env };
}

/**
 * Runs the CLI. state: the KUBESIM_STATE; opts.env overrides; opts.fsize: a `ulimit -f` in 1 KiB
 * blocks (through bash); opts.timeout in ms (the child is SIGKILLed after it).
 */
function run(state, args, opts = {}) {
  const env = baseEnv(state, opts.env);
  const timeout = opts.timeout ?? 20_000;
  const started = Date.now();
  const r =
    opts.fsize !== undefined
      ? spawnSync('bash', ['-c', `ulimit -f ${opts.fsize}; exec "$0" "$@"`, process.execPath, BIN, ...args], { encoding: 'utf8', env, timeout, killSignal: 'SIGKILL' })
      : spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout, killSignal: 'SIGKILL' });
  return {
    args,
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: Date.now() - started,
    timedOut: r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL',
  };
}

/** The result, for assertion messages. */
function show(r) {
  const head = r.timedOut ? `TIMED OUT after ${r.ms} ms (killed)` : `exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''} after ${r.ms} ms`;
  const cut = (s) => (s.length > 1500 ? s.slice(0, 1500) + '…' : s);
  return `kubesim ${r.args.join(' ')}: ${head}\n--- stderr ---\n${cut(r.stderr)}--- stdout ---\n${cut(r.stdout)}`;
}

function ok(state, args, opts) {
  const r = run(state, args, opts);
  assert.equal(r.code, 0, `setup command failed:\n${show(r)}`);
  return r.stdout;
}

function sha(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

/** path (relative, '/'-separated) → sha256 | 'dir' | 'symlink -> target'; cluster.lock at the top is left out. */
function snapshot(dir) {
  const out = {};
  const walk = (abs, rel) => {
    for (const name of fs.readdirSync(abs).sort()) {
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (r === 'cluster.lock') continue;
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `symlink -> ${fs.readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r + '/'] = 'dir';
        walk(p, r);
      } else out[r] = sha(fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

function snapDiff(before, after) {
  const lines = [];
  for (const k of Object.keys(before)) {
    if (!(k in after)) lines.push(`removed  ${k}`);
    else if (before[k] !== after[k]) lines.push(`changed  ${k}`);
  }
  for (const k of Object.keys(after)) if (!(k in before)) lines.push(`added    ${k}`);
  return lines;
}

function assertUnchanged(dir, before, what) {
  const d = snapDiff(before, snapshot(dir));
  assert.deepEqual(d, [], `${what}: the state dir ${dir} must be unchanged, but:\n  ${d.join('\n  ')}`);
}

const STACK = /^\s+at /m;
const JS_ERROR = /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/;

/**
 * Exit 1 and a clean error: the first stderr line starts with `error: `, no stack, no JS error
 * names; oneLine: stderr is exactly that one line; pattern: the stderr must match it.
 */
function assertCleanError(r, what, { oneLine = false, pattern } = {}) {
  assert.ok(!r.timedOut, `${what}: must fail promptly, not hang\n${show(r)}`);
  assert.equal(r.code, 1, `${what}: exit code must be 1\n${show(r)}`);
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  assert.match(lines[0], /^error: /, `${what}: stderr must start with "error: "\n${show(r)}`);
  assert.doesNotMatch(r.stderr, STACK, `${what}: stderr must not hold a stack trace\n${show(r)}`);
  assert.doesNotMatch(r.stderr, JS_ERROR, `${what}: stderr must not name a JavaScript error class\n${show(r)}`);
  if (oneLine) assert.equal(lines.length, 1, `${what}: stderr must be exactly one line, got ${lines.length}\n${show(r)}`);
  if (pattern) assert.match(r.stderr, pattern, `${what}: stderr must match ${pattern}\n${show(r)}`);
}

/** A new initialized cluster in a temp dir. */
function initState(extra = []) {
  const d = tmp();
  ok(d, ['cluster', 'init', '--nodes', '1', ...extra]);
  return d;
}

function writeOld(file, content, ageMs) {
  fs.writeFileSync(file, content);
  const t = (Date.now() - ageMs) / 1000;
  fs.utimesSync(file, t, t);
}

/** The pid of a process that has exited (and been reaped). */
function deadPid() {
  const r = spawnSync('true');
  return r.pid;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), as text; field 2 is "(comm)" and may hold spaces. */
function startTime(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field 22 is rest[19]
  return rest[19];
}

/** The contract says "start": S without a JSON type; kubesim writes the text of field 22. Both forms are tried. */
const START_FORMS = [
  { name: 'start as a string', form: (ticks) => String(ticks) },
  { name: 'start as a number', form: (ticks) => Number(ticks) },
];

/** A live `sleep 60` we started; killed (by pid) after the test. */
function liveSleeper() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  later(() => child.kill('SIGKILL'));
  // /proc/PID/stat exists as soon as spawn returns a pid
  return child.pid;
}

function lockJson(pid, start, token = 'test-token-0123456789') {
  return JSON.stringify({ pid, start, token });
}

function walkFiles(dir) {
  const out = [];
  const walk = (abs, rel) => {
    for (const name of fs.readdirSync(abs)) {
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(p);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p, r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out;
}

const names = (stdout) => stdout.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean);

// ---------------------------------------------------------------------------------------------
// 1. disk full / file-size limit

describe('1. disk full (ulimit -f): nothing is saved, one error line, the state still works', () => {
  const CMD = ['create', 'deployment', 'd', '--image=nginx', '--replicas=2'];
  const BIG = ['create', 'deployment', 'd', '--image=nginx', '--replicas=40'];

  /** Sizes of the files the command writes, measured on a copy without the limit. */
  function writtenSizes(dir, cmd) {
    const copy = tmp();
    fs.cpSync(dir, copy, { recursive: true });
    const before = snapshot(copy);
    ok(copy, cmd);
    const after = snapshot(copy);
    return Object.keys(after)
      .filter((k) => after[k] !== before[k] && after[k] !== 'dir' && !after[k].startsWith('symlink'))
      .map((k) => ({ file: k, size: fs.statSync(join(copy, k)).size }))
      .sort((a, b) => a.size - b.size);
  }

  const cases = [
    { name: '10 KiB, --replicas=2', blocks: () => 10 },
    { name: '40 KiB, --replicas=2', blocks: () => 40 },
    { name: '10 KiB, --replicas=40 (the pods file cannot fit)', blocks: () => 10, cmd: BIG },
    { name: '1 KiB: hardly anything fits', blocks: () => 1 },
    {
      name: 'a limit between the smallest and the largest file written (some fit, some do not)',
      blocks: (sizes) => {
        const max = sizes[sizes.length - 1].size;
        const kib = Math.ceil(max / 1024) - 1; // the largest file does not fit
        assert.ok(kib * 1024 >= sizes[0].size, `test precondition: written files too close in size to split: ${JSON.stringify(sizes)}`);
        return kib;
      },
    },
  ];

  for (const c of cases) {
    test(c.name, { timeout: 60_000 }, (t) => {
      t.after(cleanupAll);
      const dir = initState();
      const cmd = c.cmd ?? CMD;
      const sizes = writtenSizes(dir, cmd);
      const blocks = c.blocks(sizes);
      if (!sizes.some((s) => s.size > blocks * 1024)) {
        // nothing to prove with this limit (the adaptive case below always has a file that does not fit)
        t.skip(`every file the command writes fits in ${blocks} KiB: ${JSON.stringify(sizes)}`);
        return;
      }
      const before = snapshot(dir);
      const r = run(dir, cmd, { fsize: blocks });
      const what = `create under ulimit -f ${blocks} (writes ${sizes.map((s) => `${s.file}=${s.size}`).join(', ')})`;
      assertCleanError(r, what, { oneLine: true, pattern: /^error: cannot save the cluster state/ });
      assertUnchanged(dir, before, what);

      const g = run(dir, ['get', 'deployments']);
      assert.equal(g.code, 0, `the next command must work after a failed save\n${show(g)}`);
      assert.ok(!names(g.stdout).includes('d'), `deployment d must not exist after the failed save\n${show(g)}`);
      const again = run(dir, cmd);
      assert.equal(again.code, 0, `the same create without the limit must then succeed\n${show(again)}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 2. stale and live locks

describe('2. locks: stale ones are taken over quickly, a live holder is waited for', () => {
  const stale = [
    { name: 'dead pid', lock: () => ({ content: lockJson(deadPid(), 1), ageMs: 0 }) },
    { name: 'empty lock file, 10 s old', lock: () => ({ content: '', ageMs: 10_000 }) },
    { name: 'garbage content, 10 s old', lock: () => ({ content: 'not a lock \u0000\u00ff{{', ageMs: 10_000 }) },
    ...START_FORMS.map((f) => ({
      name: `live pid that is not the holder (wrong start time: pid reuse; ${f.name})`,
      lock: () => {
        const pid = liveSleeper();
        return { content: lockJson(pid, f.form(Number(startTime(pid)) + 12345)), ageMs: 0 };
      },
    })),
  ];
  for (const c of stale) {
    test(`stale lock, ${c.name}: create namespace succeeds in < 5 s`, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      const dir = initState();
      const { content, ageMs } = c.lock();
      writeOld(join(dir, 'cluster.lock'), content, ageMs);
      const r = run(dir, ['create', 'namespace', 'a'], { timeout: 10_000 });
      assert.ok(!r.timedOut, `stale lock (${c.name}: ${JSON.stringify(content)}) must be taken over, not waited on\n${show(r)}`);
      assert.equal(r.code, 0, `stale lock (${c.name}) must be taken over\n${show(r)}`);
      assert.equal(r.stdout, 'namespace/a created\n', show(r));
      assert.ok(r.ms < 5000, `stale lock (${c.name}) must be taken over in < 5 s, took ${r.ms} ms`);
      assert.ok(!fs.existsSync(join(dir, 'cluster.lock')), 'cluster.lock must be released after the command');
      const g = run(dir, ['get', 'namespaces']);
      assert.ok(names(g.stdout).includes('a'), `namespace a must be saved\n${show(g)}`);
    });
  }

  const live = START_FORMS.flatMap((f) => [
    { name: `written just now, ${f.name}`, ageMs: 0, form: f.form },
    { name: `written 10 minutes ago (age alone never makes a live lock stale), ${f.name}`, ageMs: 10 * MIN, form: f.form },
  ]);
  for (const c of live) {
    test(`live lock held by a running holder, ${c.name}: waits KUBESIM_LOCK_TIMEOUT_MS, then fails`, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      const dir = initState();
      const pid = liveSleeper();
      const content = lockJson(pid, c.form(startTime(pid)));
      writeOld(join(dir, 'cluster.lock'), content, c.ageMs);
      const before = snapshot(dir);
      const r = run(dir, ['create', 'namespace', 'a'], { timeout: 15_000, env: { KUBESIM_LOCK_TIMEOUT_MS: '1500' } });
      assertCleanError(r, `create namespace behind a live lock ${content}`, {
        pattern: new RegExp(`^error: the cluster state .* is locked by process ${pid}\\b`),
      });
      assert.ok(r.ms >= 1400, `must wait about KUBESIM_LOCK_TIMEOUT_MS=1500 before giving up, gave up after ${r.ms} ms`);
      assert.ok(r.ms < 10_000, `must give up after about KUBESIM_LOCK_TIMEOUT_MS=1500, took ${r.ms} ms`);
      assertUnchanged(dir, before, 'a command that could not take the lock');
      assert.equal(fs.readFileSync(join(dir, 'cluster.lock'), 'utf8'), content, 'a live lock must not be broken or rewritten');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 3. 30 waiters behind a stale lock

test('3. 30 parallel creates behind a stale lock all succeed, with distinct uids and clusterIPs', { timeout: 120_000 }, async (t) => {
  t.after(cleanupAll);
  const dir = initState();
  writeOld(join(dir, 'cluster.lock'), lockJson(deadPid(), 1), 0);
  const N = 30;
  const env = baseEnv(dir);
  const children = [];
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) => {
      const name = `s${i + 1}`;
      const args = ['create', 'service', 'clusterip', name, '--tcp=80:80'];
      return new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.stderr.on('data', (b) => (stderr += b));
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ name, args, code, signal, stdout, stderr, ms: Date.now() - started, timedOut: signal === 'SIGKILL' });
        });
      });
    }),
  );
  const bad = results.filter((r) => r.code !== 0 || r.stdout !== `service/${r.name} created\n`);
  assert.deepEqual(
    bad.map((r) => r.name),
    [],
    `every one of ${N} parallel creates must exit 0 and print "service/sN created"; failures:\n${bad.map(show).join('\n')}`,
  );
  const g = run(dir, ['get', 'services', '-o', 'json']);
  assert.equal(g.code, 0, show(g));
  const svcs = JSON.parse(g.stdout).items.filter((s) => /^s\d+$/.test(s.metadata.name));
  assert.deepEqual(
    svcs.map((s) => s.metadata.name).sort(),
    results.map((r) => r.name).sort(),
    'get services must list all 30 services (none lost to a concurrent write)',
  );
  assert.equal(new Set(svcs.map((s) => s.metadata.uid)).size, N, 'the 30 services must have 30 distinct uids');
  const all = JSON.parse(g.stdout).items;
  assert.equal(new Set(all.map((s) => s.spec.clusterIP)).size, all.length, `all services must have distinct clusterIPs: ${all.map((s) => `${s.metadata.name}=${s.spec.clusterIP}`).join(' ')}`);
  assert.ok(!fs.existsSync(join(dir, 'cluster.lock')), 'cluster.lock must be released after the last writer');
});

// ---------------------------------------------------------------------------------------------
// 4. cluster reset / init --force delete only kubesim's files

describe("4. cluster reset / init --force touch only kubesim's files", () => {
  const FOREIGN = { 'package.json': '{"name":"my-project","version":"1.0.0"}\n', 'notes.txt': 'my notes\n' };

  for (const cmd of [['cluster', 'reset'], ['cluster', 'init', '--force']]) {
    test(`${cmd.join(' ')} in a kubesim state with foreign files keeps them`, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      const dir = initState();
      ok(dir, ['create', 'namespace', 'gone']);
      for (const [f, text] of Object.entries(FOREIGN)) fs.writeFileSync(join(dir, f), text);
      const r = run(dir, ['--state', dir, ...cmd]);
      assert.equal(r.code, 0, show(r));
      for (const [f, text] of Object.entries(FOREIGN)) {
        assert.ok(fs.existsSync(join(dir, f)), `${cmd.join(' ')} must not delete the foreign file ${f}`);
        assert.equal(fs.readFileSync(join(dir, f), 'utf8'), text, `${cmd.join(' ')} must not change the foreign file ${f}`);
      }
      const g = run(dir, ['get', 'namespaces']);
      assert.equal(g.code, 0, show(g));
      assert.ok(!names(g.stdout).includes('gone'), `${cmd.join(' ')} must start a new cluster\n${show(g)}`);
    });

    test(`${cmd.join(' ')} in a dir that is not a kubesim state refuses and changes nothing`, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      const dir = tmp();
      fs.writeFileSync(join(dir, 'package.json'), FOREIGN['package.json']);
      const before = snapshot(dir);
      const r = run(join(tmpdir(), 'kubesim-faults-unused-state'), ['--state', dir, ...cmd]);
      assertCleanError(r, `${cmd.join(' ')} in a non-kubesim dir`);
      assertUnchanged(dir, before, `${cmd.join(' ')} in a non-kubesim dir`);
      assert.ok(!fs.existsSync(join(dir, 'cluster.lock')), `${cmd.join(' ')} must not leave cluster.lock in a foreign dir`);
    });
  }

  const fresh = [
    { name: 'an empty dir', dir: () => tmp() },
    { name: 'a dir that does not exist yet', dir: () => join(tmp(), 'a', 'b') },
  ];
  for (const c of fresh) {
    test(`cluster init in ${c.name} works`, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      const dir = c.dir();
      const r = run(join(tmpdir(), 'kubesim-faults-unused-state'), ['--state', dir, 'cluster', 'init', '--nodes', '1']);
      assert.equal(r.code, 0, show(r));
      const cj = JSON.parse(fs.readFileSync(join(dir, 'cluster.json'), 'utf8'));
      assert.equal(cj.formatVersion, 2, 'cluster init must write format 2');
      const g = run(dir, ['get', 'nodes']);
      assert.equal(g.code, 0, show(g));
      assert.equal(names(g.stdout).length, 1, `the new cluster must have its one node\n${show(g)}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 5. a damaged state is reported, never replaced by a fresh cluster

describe('5. a state without cluster.json is damaged: an error, no fresh cluster', () => {
  const cases = [
    {
      name: 'cluster.json deleted from a state with objects, get pods',
      make: () => {
        const d = initState();
        ok(d, ['create', 'deployment', 'd', '--image=nginx']);
        fs.rmSync(join(d, 'cluster.json'));
        return d;
      },
      cmd: ['get', 'pods'],
    },
    {
      name: 'cluster.json deleted from a state with objects, create namespace',
      make: () => {
        const d = initState();
        ok(d, ['create', 'deployment', 'd', '--image=nginx']);
        fs.rmSync(join(d, 'cluster.json'));
        return d;
      },
      cmd: ['create', 'namespace', 'a'],
    },
    {
      name: 'format-1 kind files without cluster.json, get pods',
      make: () => {
        const d = tmp();
        for (const f of ['pods.json', 'services.json']) fs.copyFileSync(join(FIXTURE_V1, f), join(d, f));
        return d;
      },
      cmd: ['get', 'pods'],
    },
  ];
  for (const c of cases) {
    test(c.name, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      const dir = c.make();
      const before = snapshot(dir);
      const r = run(dir, c.cmd);
      assertCleanError(r, c.name, { pattern: /cluster\.json/ });
      assertUnchanged(dir, before, `${c.name} (must not create a fresh cluster)`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 6. temp files

describe('6. temp files: none left behind, stale ones removed, symlinks never followed', () => {
  const tmpName = /\.tmp/;

  test('no *.tmp anywhere after ordinary commands', { timeout: 60_000 }, (t) => {
    t.after(cleanupAll);
    const dir = initState();
    for (const args of [
      ['create', 'deployment', 'd', '--image=nginx', '--replicas=2'],
      ['scale', 'deployment', 'd', '--replicas=3'],
      ['create', 'service', 'clusterip', 'd', '--tcp=80:80'],
      ['delete', 'deployment', 'd'],
      ['create', 'namespace', 'x'],
    ]) {
      ok(dir, args);
      const left = walkFiles(dir).filter((f) => tmpName.test(f));
      assert.deepEqual(left, [], `kubesim ${args.join(' ')} left temp files behind`);
    }
  });

  test('stale *.tmp junk of a dead process is removed by the next mutating command', { timeout: 30_000 }, (t) => {
    t.after(cleanupAll);
    const dir = initState();
    const junk = ['objects/.x.99999999.tmp', 'cluster.json.99999999.tmp'];
    for (const f of junk) {
      fs.mkdirSync(join(dir, f, '..'), { recursive: true });
      writeOld(join(dir, f), 'half a file {"apiVersion":', 60 * MIN);
    }
    const r = run(dir, ['create', 'namespace', 'a']);
    assert.equal(r.code, 0, show(r));
    for (const f of junk) assert.ok(!fs.existsSync(join(dir, f)), `stale temp file ${f} (1 h old, dead pid) must be removed by a mutating command`);
    const left = walkFiles(dir).filter((f) => tmpName.test(f));
    assert.deepEqual(left, [], 'no temp file may remain');
  });

  test('planted symlinks at temp-file names are not followed', { timeout: 30_000 }, (t) => {
    t.after(cleanupAll);
    const dir = initState();
    const victimDir = tmp();
    const victim = join(victimDir, 'victim');
    const VICTIM = 'precious content, must never change\n';
    fs.writeFileSync(victim, VICTIM);
    // the next pids: names like F.<pid>.tmp for every file F the store has, and F.tmp
    const p = deadPid();
    const planted = [];
    const files = walkFiles(dir).filter((f) => f !== 'cluster.lock');
    for (const f of files) {
      const cands = [`${f}.tmp`];
      for (let pid = p + 1; pid <= p + 64; pid++) cands.push(`${f}.${pid}.tmp`);
      for (const c of cands) {
        fs.symlinkSync(victim, join(dir, c));
        planted.push(c);
      }
    }
    assert.ok(planted.includes('cluster.json.tmp'), 'test precondition: cluster.json.tmp planted');
    const r = run(dir, ['create', 'namespace', 'a']);
    assert.equal(fs.readFileSync(victim, 'utf8'), VICTIM, `a symlink planted at a temp-file name was followed: the victim file changed\n${show(r)}`);
    assert.equal(r.code, 0, `planted symlinks must not stop a mutating command\n${show(r)}`);
    for (const f of files) assert.ok(!fs.lstatSync(join(dir, f)).isSymbolicLink(), `${f} must not become a symlink (a planted link was renamed into place)`);
    const g = run(dir, ['get', 'namespaces']);
    assert.ok(names(g.stdout).includes('a'), `namespace a must be saved\n${show(g)}`);
  });
});

// ---------------------------------------------------------------------------------------------
// 7. events expire after an hour of simulated time

test('7. events older than 1 h are dropped by the next mutating command', { timeout: 60_000 }, (t) => {
  t.after(cleanupAll);
  const dir = initState();
  const evs = (now) => {
    const r = run(dir, ['get', 'events', '-A', '-o', 'json'], { env: { KUBESIM_NOW: now } });
    assert.equal(r.code, 0, show(r));
    return JSON.parse(r.stdout).items;
  };
  const last = (e) => e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp;
  const of = (items, name) => items.filter((e) => e.involvedObject?.name === name || e.involvedObject?.name?.startsWith(`${name}-`));

  ok(dir, ['create', 'deployment', 'd', '--image=nginx', '--replicas=2'], { env: { KUBESIM_NOW: at(0) } });
  const atT = evs(at(0));
  assert.ok(of(atT, 'd').length > 0, 'test precondition: creating deployment d records events');

  ok(dir, ['create', 'deployment', 'e', '--image=nginx'], { env: { KUBESIM_NOW: at(30 * MIN) } });
  const eEvents = of(evs(at(30 * MIN)), 'e').length;
  assert.ok(eEvents > 0, 'test precondition: creating deployment e records events');

  ok(dir, ['create', 'namespace', 'x'], { env: { KUBESIM_NOW: at(61 * MIN) } });
  const after = evs(at(61 * MIN));
  const cutoff = Date.parse(at(MIN));
  const old = after.filter((e) => Date.parse(last(e)) < cutoff);
  assert.deepEqual(
    old.map((e) => `${e.metadata.namespace}/${e.metadata.name} ${e.reason} ${last(e)}`),
    [],
    `at ${at(61 * MIN)}, events last seen more than 1 h earlier (before ${at(MIN)}) must be gone`,
  );
  assert.equal(of(after, 'd').length, 0, "deployment d's events (61 min old) must be gone");
  assert.equal(of(after, 'e').length, eEvents, "deployment e's events (31 min old) must remain");
});

// ---------------------------------------------------------------------------------------------
// 8. format 1 is migrated to format 2, once, with a notice

test('8. a format-1 state is migrated to format 2 on first use, with one notice', { timeout: 60_000 }, (t) => {
  t.after(cleanupAll);
  const dir = tmp();
  fs.cpSync(FIXTURE_V1, dir, { recursive: true });
  const v1 = JSON.parse(fs.readFileSync(join(dir, 'cluster.json'), 'utf8'));
  assert.equal(v1.formatVersion, 1, 'test precondition: the fixture is format 1');
  const kindFiles = fs.readdirSync(dir).filter((f) => f !== 'cluster.json' && JSON.parse(fs.readFileSync(join(dir, f), 'utf8')).kind === 'List');
  assert.ok(kindFiles.includes('nodes.json') && kindFiles.includes('namespaces.json'), 'test precondition: the fixture has kind files');
  const nodeUid = JSON.parse(fs.readFileSync(join(dir, 'nodes.json'), 'utf8')).items[0].metadata.uid;

  const r = run(dir, ['get', 'nodes']);
  assert.equal(r.code, 0, show(r));
  const notice = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(notice.length, 1, `stderr must be exactly one notice line\n${show(r)}`);
  assert.match(notice[0], /migrat/i, `the notice must mention the migration\n${show(r)}`);
  assert.match(notice[0], /format 2/, `the notice must mention format 2\n${show(r)}`);
  assert.deepEqual(names(r.stdout), ['controlplane'], `get nodes must list the fixture's node\n${show(r)}`);

  const v2 = JSON.parse(fs.readFileSync(join(dir, 'cluster.json'), 'utf8'));
  assert.equal(v2.formatVersion, 2, 'cluster.json must now say formatVersion 2');
  assert.ok(v2.resourceVersion >= v1.resourceVersion, `the resourceVersion counter must not go back (${v1.resourceVersion} → ${v2.resourceVersion})`);
  assert.deepEqual(v2.config, v1.config, 'the cluster config must survive the migration');
  const left = kindFiles.filter((f) => fs.existsSync(join(dir, f)));
  assert.deepEqual(left, [], 'the format-1 kind files must be gone after the migration');
  assert.ok(fs.existsSync(join(dir, 'objects')), 'format 2 keeps objects in objects/');

  const r2 = run(dir, ['get', 'nodes', '-o', 'json']);
  assert.equal(r2.code, 0, show(r2));
  assert.equal(r2.stderr, '', `the second command must print no notice\n${show(r2)}`);
  assert.equal(JSON.parse(r2.stdout).items[0].metadata.uid, nodeUid, 'objects keep their uids across the migration');
  const ns = run(dir, ['get', 'namespaces']);
  assert.deepEqual(names(ns.stdout).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system'], `namespaces survive the migration\n${show(ns)}`);
  const pods = run(dir, ['get', 'pods', '-A']);
  assert.ok(names(pods.stdout).length > 0 && pods.stdout.includes('coredns'), `pods survive the migration\n${show(pods)}`);
});

// ---------------------------------------------------------------------------------------------
// 9. errors are one line, never a stack trace

describe('9. errors, never stack traces', () => {
  const cases = [
    {
      name: '--state <regular file>/x (ENOTDIR)',
      make: () => {
        const f = join(tmp(), 'file');
        fs.writeFileSync(f, 'x\n');
        return { args: ['--state', join(f, 'x'), 'get', 'pods'], watch: f };
      },
    },
    {
      name: '--state <regular file>',
      make: () => {
        const f = join(tmp(), 'file');
        fs.writeFileSync(f, 'x\n');
        return { args: ['--state', f, 'get', 'pods'], watch: f };
      },
    },
    { name: 'KUBESIM_STATE=/dev/null', make: () => ({ args: ['get', 'pods'], state: '/dev/null' }) },
    {
      name: 'a new state dir without write permission (0555), get pods',
      root: true,
      make: () => {
        const d = tmp();
        fs.chmodSync(d, 0o555);
        return { args: ['get', 'pods'], state: d, watch: d };
      },
    },
    {
      name: 'an existing state dir without write permission (0555), create namespace',
      root: true,
      make: () => {
        const d = initState();
        fs.chmodSync(d, 0o555);
        if (fs.existsSync(join(d, 'objects'))) fs.chmodSync(join(d, 'objects'), 0o555);
        return { args: ['create', 'namespace', 'a'], state: d, watch: d };
      },
    },
    {
      name: 'KUBESIM_NOW=garbage on a new state dir',
      make: () => {
        const d = tmp();
        return { args: ['get', 'pods'], state: d, env: { KUBESIM_NOW: 'garbage' }, watch: d };
      },
    },
    {
      name: 'KUBESIM_NOW=garbage on an existing state',
      make: () => {
        const d = initState();
        return { args: ['get', 'pods'], state: d, env: { KUBESIM_NOW: 'garbage' }, watch: d };
      },
    },
  ];
  for (const c of cases) {
    test(c.name, { timeout: 30_000 }, (t) => {
      t.after(cleanupAll);
      if (c.root && process.getuid?.() === 0) {
        t.skip('running as root');
        return;
      }
      const { args, state, env, watch } = c.make();
      const before = watch && (fs.statSync(watch).isDirectory() ? snapshot(watch) : sha(fs.readFileSync(watch)));
      const r = run(state ?? join(tmpdir(), 'kubesim-faults-unused-state'), args, { env });
      assertCleanError(r, c.name, { oneLine: true });
      if (watch) {
        if (typeof before === 'string') assert.equal(sha(fs.readFileSync(watch)), before, `${c.name}: ${watch} must be unchanged`);
        else assertUnchanged(watch, before, c.name);
      }
    });
  }
});
