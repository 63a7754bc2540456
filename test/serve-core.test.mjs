// Issue 18, serve-core: `kubesim serve` answers the real kubectl 1.32 (discovery, REST, Tables,
// Status errors), and what kubectl prints through it is what kubesim's own CLI prints on the same
// state (the same simulated clock: the server runs with the test's KUBESIM_NOW).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { cluster } from './helpers.mjs';
import { hasKubectl, startServe } from './serve-helpers.mjs';

const skip = hasKubectl() ? false : 'kubectl is not on PATH';
const c = cluster({ seed: 'serve-core', init: [] });
let s;
before(async () => {
  if (!skip) s = await startServe(c);
});
after(async () => {
  await s?.stop();
  c.cleanup();
});

/** kubectl through the server, insisting on success */
const k = (args, opts) => {
  const r = s.kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};

test('serve prints its address and writes serve.json and a kubeconfig with the kubesim-serve context', { skip }, () => {
  assert.match(s.output(), /^Serving the kubesim API at http:\/\/127\.0\.0\.1:\d+ /);
  assert.match(s.output(), /export KUBECONFIG=.*kubeconfig-serve/);
  const info = JSON.parse(readFileSync(`${c.dir}/serve.json`, 'utf8'));
  assert.equal(info.url, s.url);
  assert.equal(typeof info.pid, 'number');
  assert.equal(k(['config', 'current-context']), 'kubesim-serve\n');
});

test('version: the server is v1.32 (the dispatcher runs kubectl 1.32)', { skip }, () => {
  assert.match(k(['version']), /Server Version: v1\.32\.2\n/);
  const v = JSON.parse(k(['version', '-o', 'json']));
  assert.equal(v.serverVersion.minor, '32');
  assert.equal(v.serverVersion.gitVersion, 'v1.32.2');
});

// each row: kubectl's args through the server = kubesim's args on the same state
const SAME = [
  ['get', 'pods', '-A'],
  ['get', 'pods', '-A', '-o', 'wide'],
  ['get', 'nodes'],
  ['get', 'nodes', '-o', 'wide'],
  ['get', 'all', '-A'],
];
for (const args of SAME) {
  test(`kubectl ${args.join(' ')} through serve prints what kubesim prints`, { skip }, () => {
    assert.equal(k(args), c.ok(args));
  });
}

test('a missing object is the apiserver NotFound Status kubectl prints', { skip }, () => {
  const r = s.kubectl(['get', 'pod', 'nope']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  assert.equal(r.stderr, c.run(['get', 'pod', 'nope']).stderr);
});

test('a second serve on the same state is refused while the first runs', { skip }, () => {
  const r = c.run(['serve', '--port', '0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `error: kubesim serve is already running for ${c.dir} at ${s.url} (pid ${s.child.pid})\n`);
});

test('SIGINT stops the server and removes serve.json', { skip }, async () => {
  const d = cluster({ seed: 'serve-core' });
  try {
    const other = await startServe(d);
    assert.ok(existsSync(`${d.dir}/serve.json`));
    const code = await other.stop('SIGINT');
    assert.equal(code, 0);
    assert.equal(existsSync(`${d.dir}/serve.json`), false);
  } finally {
    d.cleanup();
  }
});

test('serve refuses to listen on every interface', { skip }, () => {
  const r = c.run(['serve', '--port', '0', '--address', '0.0.0.0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'error: kubesim serve will not listen on every interface (0.0.0.0): name one address with --address\n');
});
