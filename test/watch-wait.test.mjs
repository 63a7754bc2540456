// Issue 7 (in part): get -w follows changes made by other kubesim processes; wait blocks until a
// condition holds, a delete happens, or its timeout passes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, cluster } from './helpers.mjs';

const c = cluster({ seed: 'watch' });
const children = new Set();
// a failed assertion must not leave a watcher running (it would keep the test process alive)
after(() => {
  for (const child of children) child.kill('SIGKILL');
  c.cleanup();
});

function start(args) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now, KUBESIM_SEED: 'watch', NO_COLOR: '1' } });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  return { child, done, out: () => out, err: () => err };
}

async function until(fn, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('get pods -w prints new rows as other commands change pods, and stops cleanly on SIGINT', async () => {
  c.ok(['run', 'first', '--image=nginx']);
  const w = start(['get', 'pods', '-w']);
  assert.ok(await until(() => w.out().includes('first')), w.err());
  assert.match(w.out(), /^NAME    READY   STATUS              RESTARTS   AGE\nfirst   0\/1     ContainerCreating   0          0s\n/);
  // a command 10 s later moves the cluster on: first has pulled nginx and runs
  c.at('2025-03-01T12:00:10Z').ok(['run', 'second', '--image=nginx']);
  assert.ok(await until(() => w.out().includes('second')), w.out());
  assert.ok(await until(() => /\nfirst +1\/1 +Running /.test(w.out())), w.out());
  c.ok(['delete', 'pod', 'first']);
  assert.ok(await until(() => /\nfirst +1\/1 +Terminating /.test(w.out())), w.out());
  const firstRows = () => w.out().split('\n').filter((l) => l.startsWith('first')).length;
  assert.equal(firstRows(), 3, w.out()); // ContainerCreating, Running, Terminating
  // nginx has stopped: first is gone, and the watch prints its row once more for the deletion
  c.at('2025-03-01T12:00:15Z').ok(['get', 'pods']);
  assert.ok(await until(() => firstRows() >= 4), w.out());
  w.child.kill('SIGINT');
  assert.equal(await w.done, 0);
});

test('wait --for=condition=Ready returns when the pod turns ready; --for=delete when it goes; timeouts fail', async () => {
  c.at('2025-03-01T12:01:00Z');
  c.ok(['run', 'slow', '--image=nginx']);
  c.ok(['annotate', 'pod', 'slow', 'kubesim.io/ready=false']);
  const w = start(['wait', '--for=condition=Ready', 'pod/slow', '--timeout=20s']);
  await new Promise((r) => setTimeout(r, 300));
  // nginx pulls (≈3.3 s) and runs, then the annotation lets it turn ready: the change comes 10 s later
  c.at('2025-03-01T12:01:10Z').ok(['annotate', 'pod', 'slow', 'kubesim.io/ready=true', '--overwrite']);
  assert.equal(await w.done, 0);
  assert.equal(w.out(), 'pod/slow condition met\n');
  const d = start(['wait', '--for=delete', 'pod/slow', '--timeout=20s']);
  await new Promise((r) => setTimeout(r, 300));
  c.ok(['delete', 'pod', 'slow']);
  c.at('2025-03-01T12:01:15Z').ok(['get', 'pods']); // the graceful stop is over: slow goes
  assert.equal(await d.done, 0);
  assert.equal(d.out(), 'pod/slow condition met\n');
  c.ok(['run', 'broken', '--image=ngnix']);
  const t = c.run(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/broken', '--timeout=1s']);
  assert.deepEqual([t.code, t.stderr], [1, 'error: timed out waiting for the condition on pods/broken\n']);
  assert.equal(c.run(['wait', '--for=condition=Ready', 'pod/nope']).stderr, 'Error from server (NotFound): pods "nope" not found\n');
});
