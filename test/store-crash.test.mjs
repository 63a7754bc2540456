// The state store killed at every step of a commit (format 2). A command run with
// KUBESIM_TEST_STEPS lists the steps it reaches (lock, shard…, manifest-tmp, commit, gc, unlock); then,
// for each occurrence of each step, the same command starts again from the same state and is killed
// there with KUBESIM_TEST_CRASH=<step>:<n>. Whatever the step, the cluster must read as it was before
// the command or as it is after it (before the manifest rename: before; from it on: after), and the
// next command must work at once: the dead holder's lock taken over, its leftover files collected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BIN, NOW } from './helpers.mjs';

const KINDS = ['namespaces', 'nodes', 'services', 'pods', 'endpoints', 'endpointslices', 'deployments', 'replicasets', 'events'];
/** the steps of one commit, in the order they must be reached: [step, how many times] */
const COMMIT_STEPS = [
  ['lock', 'once'],
  ['shard', 'at least once'],
  ['manifest-tmp', 'once'],
  ['commit', 'once'],
  ['gc', 'once'],
  ['unlock', 'once'],
];
/** the longest the command after a crash may take (it must not wait for a lock nobody holds) */
const RECOVERY_MS = 10_000;

const work = mkdtempSync(join(tmpdir(), 'kubesim-crash-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs kubesim against `dir`; {code, signal, stdout, stderr, ms}. */
function kubesim(dir, args, env = {}, timeout = 60_000) {
  const base = { ...process.env, KUBESIM_STATE: dir, KUBESIM_NOW: NOW, KUBESIM_SEED: 'crash', NO_COLOR: '1' };
  delete base.KUBESIM_TEST_CRASH;
  delete base.KUBESIM_TEST_STEPS;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...base, ...env }, timeout });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

function ok(dir, args, env) {
  const r = kubesim(dir, args, env);
  if (r.code !== 0) throw new Error(`kubesim ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** Every object of every kind, each as its JSON text, sorted: two snapshots are equal as sets. */
function snapshot(dir) {
  const items = JSON.parse(ok(dir, ['get', KINDS.join(','), '-A', '-o', 'json'])).items;
  return items.map((o) => JSON.stringify(o)).sort();
}

/** What differs between two snapshots, one line per object ("+" only in actual, "-" only in expected). */
function difference(actual, expected) {
  const name = (text) => {
    const o = JSON.parse(text);
    return `${o.kind} ${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name} rv=${o.metadata.resourceVersion}`;
  };
  const a = new Set(actual);
  const e = new Set(expected);
  return [...actual.filter((x) => !e.has(x)).map((x) => `+ ${name(x)}`), ...expected.filter((x) => !a.has(x)).map((x) => `- ${name(x)}`)];
}

const duplicates = (values) => {
  const seen = new Map();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
};

/** Every file name (a string ending in .json) anywhere under v. */
function fileNames(v, out = new Set()) {
  if (typeof v === 'string' && v.endsWith('.json')) out.add(v.split('/').pop());
  else if (Array.isArray(v)) for (const x of v) fileNames(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) fileNames(x, out);
  return out;
}

/** Every file under dir with its bytes, for byte-for-byte comparison. */
function files(dir) {
  const out = {};
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/** After a successful command: no lock, no temp file, and objects/ holds only files cluster.json names. */
function assertTidy(dir) {
  const top = readdirSync(dir);
  assert.ok(!top.includes('cluster.lock'), 'cluster.lock is left after a successful command');
  assert.ok(top.includes('objects'), 'the state dir has no objects/ directory');
  const objects = readdirSync(join(dir, 'objects'));
  assert.deepEqual([...top, ...objects.map((f) => `objects/${f}`)].filter((f) => f.endsWith('.tmp')), [], 'temp files left');
  const manifest = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8'));
  assert.equal(manifest.formatVersion, 2, 'cluster.json formatVersion');
  const live = fileNames(manifest.shards);
  assert.ok(live.size > 0, 'cluster.json names no shard');
  assert.deepEqual([...live].filter((f) => !objects.includes(f)), [], 'shards cluster.json names that objects/ does not hold');
  // superseded shards a manifest still lists (kept a while for lock-free readers) count as named
  const named = fileNames(manifest);
  assert.deepEqual(objects.filter((f) => !named.has(f)), [], 'files in objects/ that cluster.json does not name');
}

// ---- the prepared cluster: a Deployment behind a Service, so a pod delete touches several kinds ----

const prepared = join(work, 'prepared');
let appPod;
before(() => {
  ok(prepared, ['cluster', 'init', '--seed', 'crash']);
  ok(prepared, ['create', 'deployment', 'app', '--image=nginx', '--replicas=2']);
  ok(prepared, ['create', 'service', 'clusterip', 'app', '--tcp=80:80']);
  appPod = JSON.parse(ok(prepared, ['get', 'pods', '-l', 'app=app', '-o', 'json'])).items[0]?.metadata.name;
  assert.ok(appPod, 'the prepared deployment has no pod');
});

let caseNo = 0;
/** A fresh copy of the prepared state. */
function fresh() {
  const dir = join(work, `case-${++caseNo}`);
  cpSync(prepared, dir, { recursive: true });
  return dir;
}

test('the state is format 2 and tidy after a successful command', () => {
  assertTidy(prepared);
});

test('a failed command leaves the state byte-identical', () => {
  for (const args of [
    ['create', 'deployment', 'app', '--image=nginx'], // AlreadyExists
    ['delete', 'pod', 'nope'], // NotFound
    ['scale', 'deployment', 'nope', '--replicas=3'],
    ['create', 'service', 'nodeport', 'bad', '--tcp=80:80', '--node-port=1'], // out of range
  ]) {
    const dir = fresh();
    const beforeFiles = files(dir);
    const r = kubesim(dir, args);
    assert.notEqual(r.code, 0, `kubesim ${args.join(' ')} was expected to fail`);
    assert.deepEqual(files(dir), beforeFiles, `kubesim ${args.join(' ')} failed but changed the state dir`);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** [title, the command's arguments (made once the prepared cluster exists)] */
const COMMANDS = [
  ['create deployment web --replicas=2', () => ['create', 'deployment', 'web', '--image=nginx', '--replicas=2']],
  ['create service nodeport np', () => ['create', 'service', 'nodeport', 'np', '--tcp=80:80']],
  ['delete pod <a pod of app>', () => ['delete', 'pod', appPod]],
  ['label pods --all x=y', () => ['label', 'pods', '--all', 'x=y']],
];

for (const [title, command] of COMMANDS) {
  test(`killed at every step: ${title}`, { timeout: 240_000 }, async (t) => {
    const args = command();
    const label = `kubesim ${args.join(' ')}`;

    // one clean run: the steps it reaches, and the state after it
    const beforeSnap = snapshot(prepared);
    const dir = fresh();
    const stepsFile = join(work, `steps-${caseNo}`);
    const run = kubesim(dir, args, { KUBESIM_TEST_STEPS: stepsFile });
    assert.equal(run.code, 0, `${label}: ${run.stderr}`);
    const afterSnap = snapshot(dir);
    assert.notDeepEqual(afterSnap, beforeSnap, `${label} changed nothing: the harness would prove nothing`);
    assertTidy(dir);
    rmSync(dir, { recursive: true, force: true });

    const steps = existsSync(stepsFile) ? readFileSync(stepsFile, 'utf8').split('\n').filter(Boolean) : [];
    t.diagnostic(`steps: ${steps.join(' ')}`);
    // the steps of one commit, in order (consecutive repeats folded)
    assert.deepEqual(
      steps.filter((s, i) => s !== steps[i - 1]),
      COMMIT_STEPS.map(([s]) => s),
      `${label}: the steps reached`,
    );
    for (const [s, times] of COMMIT_STEPS) if (times === 'once') assert.equal(steps.filter((x) => x === s).length, 1, `${label}: "${s}" reached more than once`);

    // every occurrence of every step: kill there, then judge
    const seen = new Map();
    for (const [i, step] of steps.entries()) {
      const k = (seen.get(step) ?? 0) + 1;
      seen.set(step, k);
      const at = `${step}:${k}`;
      const committed = i >= steps.indexOf('commit'); // killed at the rename or later
      await t.test(`KUBESIM_TEST_CRASH=${at}`, () => {
        const dir = fresh();
        try {
          const crash = kubesim(dir, args, { KUBESIM_TEST_CRASH: at });
          assert.deepEqual({ status: crash.code, signal: crash.signal }, { status: null, signal: 'SIGKILL' }, `not killed at ${at}: ${crash.stderr}`);
          if (step !== 'unlock') assert.ok(existsSync(join(dir, 'cluster.lock')), `killed at ${at} while holding the lock, but no cluster.lock is left: the take-over goes untested`);

          const state = snapshot(dir);
          const is = state.join('\n') === beforeSnap.join('\n') ? 'before' : state.join('\n') === afterSnap.join('\n') ? 'after' : 'neither';
          assert.notEqual(is, 'neither', `killed at ${at}, the cluster is neither the before nor the after state; compared with after (+ extra, - missing):\n${difference(state, afterSnap).join('\n')}`);
          assert.equal(is, committed ? 'after' : 'before', `killed at ${at}, ${committed ? 'after' : 'before'} the manifest rename`);

          // the next command works at once, on top of what was there
          const probe = kubesim(dir, ['create', 'namespace', 'probe'], {}, 2 * RECOVERY_MS);
          assert.equal(probe.code, 0, `create namespace probe after a kill at ${at} exited ${probe.code ?? probe.signal}: ${probe.stderr}`);
          assert.ok(probe.ms < RECOVERY_MS, `create namespace probe took ${Math.round(probe.ms)} ms after a kill at ${at}`);
          const then = snapshot(dir);
          const lost = difference(then, state).filter((l) => l.startsWith('-'));
          assert.deepEqual(lost, [], `objects lost or changed by the command after a kill at ${at}`);
          assert.ok(then.some((o) => JSON.parse(o).kind === 'Namespace' && JSON.parse(o).metadata.name === 'probe'), 'namespace probe is missing');
          const meta = then.map((o) => JSON.parse(o).metadata);
          assert.deepEqual(duplicates(meta.map((m) => m.uid)), [], `duplicate uids after a kill at ${at}`);
          assert.deepEqual(duplicates(meta.map((m) => m.resourceVersion)), [], `duplicate resourceVersions after a kill at ${at}`);
          assertTidy(dir);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
