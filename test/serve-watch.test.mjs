// Issue 18, serve-watch: the event history (src/server/history.ts) that `kubesim serve`'s watches
// stream from. Changes come from CLI commands in other processes (the second door); the hub finds
// them by diffing the part files of successive manifests.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cluster } from './helpers.mjs';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const cm = (name, data = 'a') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    app: w\ndata:\n  k: ${data}\n`;
const summary = (cs) => cs.map((c) => `${c.type} ${c.kind} ${c.namespace}/${c.name} ${c.rv}`);

describe('history (unit)', () => {
  const c = cluster({ seed: 'watch' });
  after(() => c.cleanup());
  c.ok(['get', 'ns']); // makes the cluster
  const hub = new lib.WatchHub(new lib.Store(c.dir), { capacity: 6 });
  const seen = [];
  hub.subscribe({ changes: (b) => seen.push(...b), gap: () => seen.push('gap') });

  test('ADDED, MODIFIED and DELETED from commits of other processes, in version order', () => {
    const start = hub.resourceVersion;
    c.ok(['apply', '-f', '-'], { input: cm('one') });
    hub.poll();
    c.ok(['apply', '-f', '-'], { input: cm('one', 'b') });
    c.ok(['apply', '-f', '-'], { input: cm('two') });
    hub.poll(); // two commits seen at once: both changes, in order
    c.ok(['delete', 'configmap', 'one']);
    hub.poll();
    const cms = seen.filter((e) => e.kind === 'ConfigMap' && e.namespace === 'default');
    const rvs = (name) => JSON.parse(c.ok(['get', 'cm', name, '-o', 'json'])).metadata.resourceVersion;
    // a deletion hands out a version of its own, as etcd's revision moves on a delete
    assert.deepEqual(summary(cms), [`ADDED ConfigMap default/one ${start + 1}`, `MODIFIED ConfigMap default/one ${start + 2}`, `ADDED ConfigMap default/two ${start + 3}`, `DELETED ConfigMap default/one ${start + 4}`]);
    assert.equal(rvs('two'), String(start + 3));
    assert.equal(hub.resourceVersion, start + 4);
    // a deleted object shows its last state, at the deletion's version
    assert.equal(cms[3].object.data.k, 'b');
    assert.equal(cms[3].object.metadata.resourceVersion, String(start + 4));
    // versions never go backwards along the stream
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].rv >= seen[i - 1].rv);
  });

  test('resuming from a version: later changes of the kind, the deletion included until its own version', () => {
    const cms = seen.filter((e) => e.kind === 'ConfigMap' && e.namespace === 'default');
    const from = cms[1].rv;
    assert.deepEqual(summary(hub.since(from, 'ConfigMap')), summary(cms.slice(2)));
    assert.deepEqual(summary(hub.since(cms[2].rv, 'ConfigMap')), summary(cms.slice(3)));
    assert.deepEqual(summary(hub.since(cms[3].rv, 'ConfigMap')), []);
    assert.deepEqual(hub.since(hub.resourceVersion + 5, 'ConfigMap'), []);
  });

  test('several deletions in one commit, and in commits the history sees at once: each its own version, in order', () => {
    for (const n of ['d1', 'd2', 'd3']) c.ok(['apply', '-f', '-'], { input: cm(n) });
    hub.poll();
    const start = hub.resourceVersion;
    c.ok(['delete', 'configmap', 'd1', 'd2']);
    c.ok(['apply', '-f', '-'], { input: cm('d4') });
    c.ok(['delete', 'configmap', 'd3']);
    hub.poll();
    const got = seen.filter((e) => e.kind === 'ConfigMap' && e.rv > start);
    assert.deepEqual(summary(got), [`DELETED ConfigMap default/d1 ${start + 1}`, `DELETED ConfigMap default/d2 ${start + 2}`, `ADDED ConfigMap default/d4 ${start + 3}`, `DELETED ConfigMap default/d3 ${start + 4}`]);
    assert.equal(hub.resourceVersion, start + 4);
  });

  test('a version older than the ring keeps: TooOld with the cacher message', () => {
    for (let i = 0; i < 4; i++) c.ok(['apply', '-f', '-'], { input: cm(`x${i}`) });
    hub.poll();
    assert.throws(
      () => hub.since(1, 'ConfigMap'),
      (e) => e instanceof lib.TooOld && /^too old resource version: 1 \(\d+\)$/.test(e.message),
    );
  });

  test('nothing changed: no events; current() lists as of the history', () => {
    const n = seen.length;
    c.ok(['get', 'cm']);
    hub.poll();
    assert.equal(seen.length, n);
    assert.deepEqual(
      hub.current('ConfigMap', 'default').map((o) => o.metadata.name),
      ['d4', 'kube-root-ca.crt', 'two', 'x0', 'x1', 'x2', 'x3'],
    );
  });

  test('a new cluster in the same directory (cluster reset): every watch ends with a gap, the ring starts again', () => {
    c.ok(['cluster', 'reset']);
    hub.poll();
    assert.equal(seen[seen.length - 1], 'gap');
    const rv = hub.resourceVersion;
    assert.deepEqual(hub.since(rv, 'ConfigMap'), []);
    assert.throws(() => hub.since(rv - 1, 'ConfigMap'), lib.TooOld);
  });

  test('a subscriber that throws is dropped; the others still get the batch', () => {
    const n = hub.watchers;
    hub.subscribe({ changes: () => { throw new Error('boom'); }, gap: () => {} });
    c.ok(['apply', '-f', '-'], { input: cm('after-boom') });
    hub.poll();
    assert.equal(hub.watchers, n);
    assert.equal(seen[seen.length - 1].name, 'after-boom');
  });
});

// The watch handler on an in-process HTTP server (the served one is tested with real kubectl below).
import * as http from 'node:http';
import { execFile } from 'node:child_process';
import { BIN } from './helpers.mjs';

function watchServer(dir) {
  const store = new lib.Store(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const ctx = { req, res, url, segments: url.pathname.split('/').filter(Boolean), store };
    try {
      if (!lib.isWatch(ctx)) throw new lib.StatusError('NotFound', 'not a watch');
      lib.watchHandle(ctx);
    } catch (e) {
      res.writeHead(e.reason === 'NotFound' ? 404 : 400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', message: e.message, reason: e.reason }));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port })));
}

/** A watch's events as they come; wait(pred) resolves when pred(events) holds (or rejects after ms). */
function openWatch(port, path, headers = {}) {
  const w = { events: [], status: 0, ended: false, waiters: [] };
  const check = () => {
    w.waiters = w.waiters.filter(({ pred, resolve }) => (pred(w.events, w) ? (resolve(w.events), false) : true));
  };
  w.req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
    w.status = res.statusCode;
    w.headers = res.headers;
    setImmediate(check);
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line) w.events.push(JSON.parse(line));
      }
      check();
    });
    res.on('end', () => {
      if (buf) w.body = buf;
      w.ended = true;
      check();
    });
  });
  w.req.on('error', () => {});
  w.wait = (pred, ms = 10_000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`watch ${path}: timed out; saw ${JSON.stringify(w.events.map((e) => `${e.type} ${e.object.metadata?.name}`))}`)), ms);
      w.waiters.push({ pred, resolve: (v) => (clearTimeout(t), resolve(v)) });
      check();
    });
  w.close = () => w.req.destroy();
  return w;
}

const kubesim = (c, args, input) =>
  new Promise((resolve, reject) => {
    const p = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: 'watch', NO_COLOR: '1' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubesim ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
    if (input !== undefined) p.stdin.end(input);
  });

const names = (evs) => evs.map((e) => `${e.type} ${e.object.metadata.name}`);

describe('watch handler (in-process server)', async () => {
  process.env.KUBESIM_WATCH_BOOKMARK_MS = '300';
  const c = cluster({ seed: 'watch' });
  c.ok(['get', 'ns']);
  const { server, port } = await watchServer(c.dir);
  const open = [];
  const watch = (path) => {
    const w = openWatch(port, path);
    open.push(w);
    return w;
  };
  after(() => {
    for (const w of open) w.close();
    server.close();
    server.closeAllConnections?.();
    c.cleanup();
  });
  const CMS = '/api/v1/namespaces/default/configmaps';

  test('initial ADDED events, then ADDED/MODIFIED/DELETED from CLI commands in other processes', async () => {
    const w = watch(`${CMS}?watch=1`);
    await w.wait((e) => e.length === 1);
    assert.equal(w.status, 200);
    assert.equal(w.headers['content-type'], 'application/json');
    assert.equal(w.headers['transfer-encoding'], 'chunked');
    assert.deepEqual(names(w.events), ['ADDED kube-root-ca.crt']);
    await kubesim(c, ['apply', '-f', '-'], cm('a'));
    await kubesim(c, ['apply', '-f', '-'], cm('a', 'b'));
    await kubesim(c, ['delete', 'cm', 'a']);
    await w.wait((e) => e.length === 4);
    assert.deepEqual(names(w.events), ['ADDED kube-root-ca.crt', 'ADDED a', 'MODIFIED a', 'DELETED a']);
    assert.equal(w.events[2].object.data.k, 'b');
    const rv = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rv[1] < rv[2] && rv[2] <= rv[3], String(rv));
  });

  test('a given resourceVersion: only the changes after it; too old: the ERROR event with 410 Expired', async () => {
    const w0 = watch(`${CMS}?watch=1`);
    await kubesim(c, ['apply', '-f', '-'], cm('r1'));
    await kubesim(c, ['apply', '-f', '-'], cm('r2'));
    await w0.wait((e) => e.some((x) => x.object.metadata.name === 'r2'));
    const r1 = w0.events.find((x) => x.object.metadata.name === 'r1').object.metadata.resourceVersion;
    const w = watch(`${CMS}?watch=true&resourceVersion=${r1}`);
    await w.wait((e) => e.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(names(w.events), ['ADDED r2']);
    const gone = watch(`${CMS}?watch=1&resourceVersion=1`);
    await gone.wait((_, x) => x.ended);
    assert.equal(gone.status, 200);
    assert.equal(gone.events.length, 1);
    assert.equal(gone.events[0].type, 'ERROR');
    const st = gone.events[0].object;
    assert.match(st.message, /^too old resource version: 1 \(\d+\)$/);
    assert.deepEqual({ ...st, message: '' }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: '', reason: 'Expired', code: 410 });
  });

  test('legacy /watch/ paths, a single object, selectors that stop matching, bookmarks, timeoutSeconds', async () => {
    const one = watch('/api/v1/watch/namespaces/default/configmaps/s1');
    const byName = watch(`${CMS}?watch=1&fieldSelector=${encodeURIComponent('metadata.name=s1')}&allowWatchBookmarks=true`);
    const labelled = watch(`${CMS}?watch=1&labelSelector=app%3Dw&resourceVersion=0`);
    const short = watch(`${CMS}?watch=1&timeoutSeconds=1`);
    await kubesim(c, ['apply', '-f', '-'], cm('s1'));
    await kubesim(c, ['label', 'cm', 's1', 'app=other', '--overwrite']);
    await one.wait((e) => e.length === 2);
    assert.deepEqual(names(one.events), ['ADDED s1', 'MODIFIED s1']);
    // the label no longer matches: DELETED for that watch, in its previous state at the new version
    await labelled.wait((e) => e.some((x) => x.type === 'DELETED'));
    const del = labelled.events.find((x) => x.type === 'DELETED');
    assert.equal(del.object.metadata.labels.app, 'w');
    assert.equal(del.object.metadata.resourceVersion, one.events[1].object.metadata.resourceVersion);
    // bookmarks come between the object's events; one after the MODIFIED carries at least its version
    const after = (e) => e.findIndex((x) => x.type === 'MODIFIED');
    await byName.wait((e) => after(e) >= 0 && e.slice(after(e)).some((x) => x.type === 'BOOKMARK'));
    assert.deepEqual(names(byName.events.filter((x) => x.type !== 'BOOKMARK')), ['ADDED s1', 'MODIFIED s1']);
    const bm = byName.events.slice(after(byName.events)).find((x) => x.type === 'BOOKMARK');
    assert.deepEqual(bm.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: bm.object.metadata.resourceVersion, creationTimestamp: null } });
    assert.ok(Number(bm.object.metadata.resourceVersion) >= Number(one.events[1].object.metadata.resourceVersion));
    await short.wait((_, x) => x.ended, 5000);
  });

  test('watch-list: sendInitialEvents with resourceVersionMatch=NotOlderThan ends the initial events with a bookmark', async () => {
    const w = watch(`${CMS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    await w.wait((e) => e.some((x) => x.type === 'BOOKMARK'));
    const i = w.events.findIndex((x) => x.type === 'BOOKMARK');
    assert.ok(w.events.slice(0, i).every((x) => x.type === 'ADDED'));
    assert.deepEqual(w.events[i].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  });

  test('20 watchers × 50 changes: every watcher sees every event, in order', async () => {
    const from = watch(`${CMS}?watch=1&labelSelector=batch%3Dfan`);
    await new Promise((r) => setTimeout(r, 100));
    const ws = Array.from({ length: 20 }, () => watch(`${CMS}?watch=1&labelSelector=batch%3Dfan`));
    const doc = (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f${i % 10}\n  labels:\n    batch: fan\ndata:\n  v: "${i}"\n`;
    for (let i = 0; i < 50; i++) await kubesim(c, ['apply', '-f', '-'], doc(i));
    const expected = Array.from({ length: 50 }, (_, i) => `${i < 10 ? 'ADDED' : 'MODIFIED'} f${i % 10} ${i}`);
    for (const w of [from, ...ws]) {
      await w.wait((e) => e.length >= 50);
      assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.data.v}`), expected);
    }
  });

  test('a client that stops reading is cut off after stallMs; the others see everything', async () => {
    // a cluster and server of its own: the watcher count is this test's alone
    const c2 = cluster({ seed: 'watch' });
    c2.ok(['get', 'ns']);
    const { server: server2, port: port2 } = await watchServer(c2.dir);
    lib.watchLimits.stallMs = 2000;
    const hub = lib.hubFor(new lib.Store(c2.dir));
    const path = `${CMS}?watch=1&labelSelector=big%3D1`;
    const stalled = http.get({ host: '127.0.0.1', port: port2, path }, (res) => res.pause());
    stalled.on('error', () => {});
    const reader = openWatch(port2, path);
    try {
      for (const end = Date.now() + 5000; hub.watchers < 2 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      assert.equal(hub.watchers, 2);
      // 6 MB of events in one commit: far more than the stalled client's socket buffers take
      const blob = 'x'.repeat(200 * 1024);
      const docs = Array.from({ length: 30 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big${i}\n  labels:\n    big: "1"\ndata:\n  v: ${blob}\n`).join('---\n');
      await kubesim(c2, ['apply', '-f', '-'], docs);
      await reader.wait((e) => e.length === 30);
      assert.deepEqual(names(reader.events), Array.from({ length: 30 }, (_, i) => `ADDED big${i}`));
      for (const end = Date.now() + 10_000; hub.watchers > 1 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
      assert.equal(hub.watchers, 1, 'the stalled watch was cut off, the reader kept');
    } finally {
      lib.watchLimits.stallMs = 10_000;
      stalled.destroy();
      reader.close();
      hub.stop();
      server2.close();
      server2.closeAllConnections?.();
      c2.cleanup();
    }
  });

  test('errors before the stream: an unknown resource is NotFound, a bad selector BadRequest', async () => {
    const nf = watch('/api/v1/namespaces/default/nothings?watch=1');
    await nf.wait((_, x) => x.ended);
    assert.equal(nf.status, 404);
    const bad = watch(`${CMS}?watch=1&fieldSelector=spec.x%3D1`);
    await bad.wait((_, x) => x.ended);
    assert.equal(bad.status, 400);
    for (const q of ['sendInitialEvents=true', 'sendInitialEvents=false&resourceVersionMatch=Exact', 'resourceVersionMatch=NotOlderThan']) {
      const inv = watch(`${CMS}?watch=1&${q}`);
      await inv.wait((_, x) => x.ended);
      assert.equal(inv.status, 400, q);
      assert.match(inv.body, /^\{"kind":"Status","message":"ListOptions.meta.k8s.io \\"\\" is invalid: resourceVersionMatch: Forbidden: /, q);
    }
  });
});

// The served API with the real kubectl 1.32: get -w, rollout status and wait follow changes made by
// kubesim commands in other processes and by the simulated clock moving on.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { hasKubectl, startServe } from './serve-helpers.mjs';

/** kubectl running in the background against the server: its output so far, its end, kill(). */
function kubectlBg(s, args) {
  const cache = `${s.kubeconfig}.bgcache`;
  const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: s.kubeconfig, KUBECACHEDIR: cache, HOME: cache }, stdio: ['ignore', 'pipe', 'pipe'] });
  const b = { out: '', err: '', code: undefined };
  child.stdout.on('data', (d) => (b.out += d));
  child.stderr.on('data', (d) => (b.err += d));
  b.done = new Promise((r) => child.on('exit', (code) => r((b.code = code))));
  b.kill = () => child.exitCode === null && child.kill('SIGTERM');
  b.until = async (pred, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!pred(b.out)) {
      if (Date.now() > end) throw new Error(`kubectl ${args.join(' ')}: timed out; out=${b.out} err=${b.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return b;
}

describe('watch through kubesim serve (real kubectl)', { skip: hasKubectl() ? false : 'kubectl is not on PATH' }, async () => {
  const c = cluster({ seed: 'watch' });
  c.ok(['get', 'ns']);
  const s = hasKubectl() ? await startServe(c) : undefined;
  const bg = [];
  const start = (args) => {
    const b = kubectlBg(s, args);
    bg.push(b);
    return b;
  };
  after(async () => {
    for (const b of bg) b.kill();
    await s?.stop();
    if (s) rmSync(`${s.kubeconfig}.bgcache`, { recursive: true, force: true });
    c.cleanup();
  });

  test('kubectl get pods -w --output-watch-events: ADDED, MODIFIED and DELETED made by kubesim commands in another process', async () => {
    const w = start(['get', 'pods', '-w', '--output-watch-events']);
    // kubectl lists first (nothing yet), then watches from the list's version
    await new Promise((r) => setTimeout(r, 1500));
    await kubesim(c, ['run', 'web', '--image=nginx']);
    await w.until((o) => /^ADDED +web /m.test(o));
    await kubesim(c, ['label', 'pod', 'web', 'tier=front']);
    await w.until((o) => /^MODIFIED +web /m.test(o));
    await kubesim(c, ['delete', 'pod', 'web', '--force', '--grace-period=0']);
    await w.until((o) => /^DELETED +web /m.test(o));
    w.kill();
    const lines = w.out.trimEnd().split('\n');
    assert.match(lines[0], /^EVENT +NAME +READY +STATUS +RESTARTS +AGE$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/ +/).slice(0, 2).join(' ')), ['ADDED web', 'MODIFIED web', 'DELETED web']);
    // the rows are kubesim's own columns, laid out by kubectl
    assert.match(lines[1], /^ADDED +web +0\/1 +ContainerCreating +0 +0s$/);
  });

  test('kubectl rollout status and kubectl wait --for=condition=Ready return once the simulated clock moves on', async () => {
    await kubesim(c, ['create', 'deployment', 'd', '--image=nginx', '--replicas=2']);
    await kubesim(c, ['run', 'p', '--image=nginx']);
    const rollout = start(['rollout', 'status', 'deploy/d', '--timeout=60s']);
    const wait = start(['wait', '--for=condition=Ready', 'pod/p', '--timeout=60s']);
    await rollout.until((o) => /Waiting for deployment "d" rollout to finish/.test(o));
    assert.equal(rollout.code, undefined);
    assert.equal(wait.code, undefined);
    // a kubesim command five simulated minutes later: the kubelets start the containers meanwhile
    const later = { ...c, now: '2025-03-01T12:05:00Z' };
    await kubesim(later, ['get', 'pods']);
    assert.equal(await rollout.done, 0);
    assert.equal(await wait.done, 0);
    assert.match(rollout.out, /deployment "d" successfully rolled out\n$/);
    assert.equal(wait.out, 'pod/p condition met\n');
  });

  test('kubectl writes through the server reach kubectl get -w; kubectl delete waits for the DELETED event', async () => {
    const w = start(['get', 'pods', '-w', '--output-watch-events', '-l', 'run=kw']);
    await new Promise((r) => setTimeout(r, 1500));
    const k = (args) => {
      const r = s.kubectl(args);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    assert.equal(k(['run', 'kw', '--image=nginx']), 'pod/kw created\n');
    k(['label', 'pod', 'kw', 'tier=back']);
    await w.until((o) => /^MODIFIED +kw /m.test(o));
    // a graceful delete: kubectl watches the pod until it is gone, which takes the kubelet's steps
    const del = start(['delete', 'pod', 'kw']);
    await w.until((o) => /^MODIFIED +kw +\S+ +Terminating /m.test(o));
    assert.equal(del.code, undefined);
    await kubesim({ ...c, now: '2025-03-01T12:10:00Z' }, ['get', 'pods']);
    assert.equal(await del.done, 0);
    assert.equal(del.out, 'pod "kw" deleted\n');
    await w.until((o) => /^DELETED +kw /m.test(o));
    assert.deepEqual(w.out.trimEnd().split('\n').slice(1).map((l) => l.split(/ +/)[0]), ['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
  });

  test('served watch with Accept as=Table: Table-wrapped events, column definitions on the first only', async () => {
    const port = Number(new URL(s.url).port);
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    const w = openWatch(port, '/api/v1/namespaces/default/configmaps?watch=true', { accept });
    try {
      await kubesim(c, ['apply', '-f', '-'], cm('t1'));
      await w.wait((e) => e.some((x) => x.object.rows?.[0]?.cells[0] === 't1'));
      const [first, ...rest] = w.events;
      assert.equal(first.object.kind, 'Table');
      assert.equal(first.object.apiVersion, 'meta.k8s.io/v1');
      assert.deepEqual(first.object.columnDefinitions.map((d) => d.name), ['Name', 'Data', 'Age']);
      for (const e of rest) assert.equal(e.object.columnDefinitions, null);
      const t1 = w.events.find((x) => x.object.rows[0].cells[0] === 't1').object;
      assert.equal(t1.rows.length, 1);
      assert.deepEqual(t1.rows[0].cells.slice(0, 2), ['t1', '1']);
      assert.equal(t1.rows[0].object.kind, 'PartialObjectMetadata');
      assert.equal(t1.metadata.resourceVersion, t1.rows[0].object.metadata.resourceVersion);
    } finally {
      w.close();
    }
  });

  test('20 served watchers, 25 kubectl writers and 25 kubesim writers at once: every watcher sees all 50, in the same order', async () => {
    const port = Number(new URL(s.url).port);
    const ws = Array.from({ length: 20 }, () => openWatch(port, '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=par%3D1'));
    try {
      await Promise.all(ws.map((w) => w.wait((e) => w.status === 200)));
      const doc = (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: par${i}\n  labels:\n    par: "1"\n`;
      const viaKubectl = (i) =>
        new Promise((resolve, reject) => {
          const cache = `${s.kubeconfig}.bgcache`;
          const p = execFile('kubectl', ['create', '--validate=false', '-f', '-'], { env: { ...process.env, KUBECONFIG: s.kubeconfig, KUBECACHEDIR: cache, HOME: cache } }, (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()));
          p.stdin.end(doc(i));
        });
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? viaKubectl(i) : kubesim(c, ['create', '-f', '-'], doc(i)))));
      const orders = [];
      for (const w of ws) {
        await w.wait((e) => e.length >= 50, 20_000);
        assert.equal(w.events.length, 50);
        assert.ok(w.events.every((e) => e.type === 'ADDED'));
        const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
        assert.ok(rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]), 'versions increase');
        orders.push(names(w.events).join(','));
      }
      assert.equal(new Set(orders).size, 1);
      assert.equal(new Set(orders[0].split(',')).size, 50);
    } finally {
      for (const w of ws) w.close();
    }
  });

  test('20 served watchers, 50 real kubectl writers at once (25 creates, 25 label updates): nothing lost, every watcher sees all 50 in version order', async () => {
    const doc = (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k50-new${i}\n  labels:\n    k50: "1"\n`;
    for (let i = 0; i < 25; i++) await kubesim(c, ['create', '-f', '-'], doc(i).replace('new', 'old'));
    const port = Number(new URL(s.url).port);
    const ws = Array.from({ length: 20 }, () => openWatch(port, '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=k50%3D1'));
    try {
      // each watch first lists the 25 existing ones (ADDED), then the writers' 50 changes
      await Promise.all(ws.map((w) => w.wait((e) => e.length >= 25)));
      const cache = `${s.kubeconfig}.bgcache`;
      const kubectl = (args, input) =>
        new Promise((resolve, reject) => {
          const p = execFile('kubectl', args, { env: { ...process.env, KUBECONFIG: s.kubeconfig, KUBECACHEDIR: cache, HOME: cache } }, (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()));
          p.stdin.end(input ?? '');
        });
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? kubectl(['label', 'configmap', `k50-old${i >> 1}`, `w=${i}`]) : kubectl(['create', '--validate=false', '-f', '-'], doc(i >> 1)))));
      const orders = [];
      for (const w of ws) {
        await w.wait((e) => e.length >= 75, 30_000);
        assert.equal(w.events.length, 75);
        const live = w.events.slice(25);
        assert.equal(live.filter((e) => e.type === 'ADDED' && /^k50-new/.test(e.object.metadata.name)).length, 25);
        assert.equal(live.filter((e) => e.type === 'MODIFIED' && /^k50-old/.test(e.object.metadata.name) && e.object.metadata.labels.w).length, 25);
        const rvs = live.map((e) => Number(e.object.metadata.resourceVersion));
        assert.ok(rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]), 'versions increase');
        orders.push(live.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`).join(','));
      }
      assert.equal(new Set(orders).size, 1, 'every watcher saw the same sequence');
      // and the store has every write
      const stored = JSON.parse(c.ok(['get', 'cm', '-l', 'k50=1', '-o', 'json'])).items;
      assert.equal(stored.length, 50);
      assert.equal(stored.filter((o) => o.metadata.labels.w !== undefined).length, 25);
    } finally {
      for (const w of ws) w.close();
    }
  });

  test('served watch over HTTP: resuming from a version listed before any watch, and 410 Expired for one older than the history', async () => {
    const base = `${s.url}/api/v1/namespaces/default/pods`;
    const port = Number(new URL(s.url).port);
    const list = await (await fetch(base)).json();
    const rv = list.metadata.resourceVersion;
    await kubesim({ ...c, now: '2025-03-01T12:15:00Z' }, ['run', 'q', '--image=nginx']);
    const w = openWatch(port, `/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}`);
    try {
      await w.wait((e) => e.some((x) => x.object.metadata.name === 'q'));
      assert.equal(w.events.find((x) => x.object.metadata.name === 'q').type, 'ADDED', JSON.stringify(names(w.events)));
      // kw's deletion (the previous test) is at or before the listed version: the list already had it gone
      assert.ok(!names(w.events).includes('DELETED kw'), JSON.stringify(names(w.events)));
      // after the listed version only, a deletion at its own version too
      assert.ok(w.events.every((x) => Number(x.object.metadata.resourceVersion) > Number(rv)));
    } finally {
      w.close();
    }
    const gone = openWatch(port, '/api/v1/namespaces/default/pods?watch=1&resourceVersion=2');
    await gone.wait((_, x) => x.ended);
    assert.equal(gone.events[0].type, 'ERROR');
    assert.equal(gone.events[0].object.code, 410);
    assert.equal(gone.events[0].object.reason, 'Expired');
  });
  test('kubectl get pods -w through the server prints what kubesim get pods -w prints, row for row', async () => {
    // the same clock as the server's, so the AGE cells agree
    const env = { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: 'watch', NO_COLOR: '1' };
    const own = spawn(process.execPath, [BIN, 'get', 'pods', '-w', '-l', 'run=cmp'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let ownOut = '';
    own.stdout.on('data', (d) => (ownOut += d));
    bg.push({ kill: () => own.exitCode === null && own.kill('SIGTERM') });
    const w = start(['get', 'pods', '-w', '-l', 'run=cmp']);
    await new Promise((r) => setTimeout(r, 1500));
    const at = (t) => ({ ...c, now: `2025-03-01T12:${t}Z` });
    // kubesim's own -w looks every 250 ms: two commits within one look would print as one row, so
    // each change waits for both watchers to show it
    const both = async (rows) => {
      await w.until((o) => o.split('\n').length >= rows + 2);
      for (const end = Date.now() + 10_000; ownOut.split('\n').length < rows + 2 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    };
    await kubesim(at('20:00'), ['run', 'cmp', '--image=nginx']);
    await both(1);
    await kubesim(at('20:00'), ['label', 'pod', 'cmp', 'x=y']);
    await both(2);
    await kubesim(at('20:30'), ['get', 'pods']);
    await w.until((o) => /Running/.test(o));
    await new Promise((r) => setTimeout(r, 800)); // kubesim's own watch looks every 250 ms
    assert.equal(w.out.split('\n').length, 5, w.out);
    assert.equal(ownOut, w.out);
  });
});

describe('watch on a running clock (real kubectl)', { skip: hasKubectl() ? false : 'kubectl is not on PATH' }, async () => {
  // no KUBESIM_NOW: simulated time runs with the wall clock, and the server's history catches the
  // kubelet's steps up when they fall due, with no other command to do it
  const c = cluster({ seed: 'watch' });
  c.ok(['get', 'ns']);
  const env = { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_SEED: 'watch', NO_COLOR: '1' };
  delete env.KUBESIM_NOW;
  const server = hasKubectl() ? spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] }) : undefined;
  const ready = server && new Promise((r) => server.stdout.on('data', (d) => /at http/.test(String(d)) && r()));
  const bg = [];
  after(async () => {
    for (const b of bg) b.kill();
    rmSync(`${c.dir}.kubeconfig-serve.bgcache`, { recursive: true, force: true });
    rmSync(`${c.dir}.kubeconfig-serve`, { force: true });
    if (server && server.exitCode === null) {
      const done = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await done;
    }
    c.cleanup();
  });

  test('a pod started by a kubesim command turns Running in kubectl get -w when its kubelet step falls due', async () => {
    await ready;
    const w = kubectlBg({ kubeconfig: `${c.dir}.kubeconfig-serve` }, ['get', 'pods', '-w', '--output-watch-events']);
    bg.push(w);
    await new Promise((r) => setTimeout(r, 1500));
    await new Promise((resolve, reject) => execFile(process.execPath, [BIN, 'run', 'web', '--image=nginx'], { env }, (e) => (e ? reject(e) : resolve())));
    await w.until((o) => /^MODIFIED +web +1\/1 +Running /m.test(o), 30_000);
    assert.match(w.out, /^ADDED +web +0\/1 +ContainerCreating /m);
  });
});
