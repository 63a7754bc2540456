// Start-up: what a short command loads (issue 18's start-up regression). The CLI bundle carries no
// server code (serve runs from dist/serve.cjs), the bundles are ASCII (bin/kubesim reads them as
// latin1), the code caches build.mjs makes are accepted, and a `get` loads neither Node's stream
// machinery nor crypto, nor a bundle it does not use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BIN, ROOT, cluster } from './helpers.mjs';

const DIST = join(ROOT, 'dist');
const sources = (bundle) => JSON.parse(readFileSync(join(DIST, `${bundle}.cjs.map`), 'utf8')).sources.map((s) => s.replace(/^(\.\.\/)+/, ''));

test('the CLI bundle carries no server code; dist/serve.cjs carries the server and the serve verb', () => {
  const cli = sources('kubesim');
  assert.deepEqual(
    cli.filter((s) => s.startsWith('src/server/') || s === 'src/cli/serve.ts'),
    [],
  );
  assert.ok(cli.includes('src/cli/serve-verb.ts'), 'the verb is declared in the CLI bundle');
  const serve = sources('serve');
  for (const s of ['src/cli/serve.ts', 'src/server/http.ts', 'src/apiserver/kinds/index.ts']) assert.ok(serve.includes(s), `${s} in dist/serve.cjs`);
});

test('the bundles bin/kubesim reads as latin1 are ASCII', () => {
  for (const b of ['kubesim', 'remote', 'yaml', 'serve', 'protoschemas']) {
    const bytes = readFileSync(join(DIST, `${b}.cjs`));
    assert.equal(
      bytes.findIndex((x) => x > 0x7f),
      -1,
      `dist/${b}.cjs`,
    );
  }
});

test("the bundles import Node's fs, path and os through one require each, not esbuild's copy of every export per import", () => {
  for (const b of ['kubesim', 'remote', 'serve', 'yaml']) {
    const text = readFileSync(join(DIST, `${b}.cjs`), 'latin1');
    // __toESM(require("fs")) (minified: a call around the require) defines a getter per export of fs
    assert.deepEqual(text.match(/[\w$]\(require\("(node:)?(fs|path|os)"\)\)/g) ?? [], [], `dist/${b}.cjs`);
  }
});

test('the CLI bundle is written wrapped as Node wraps a module, so bin/kubesim compiles the text as read', () => {
  const text = readFileSync(join(DIST, 'kubesim.cjs'), 'latin1');
  const [head] = createRequire(import.meta.url)('module').wrapper;
  assert.ok(text.startsWith(head), 'dist/kubesim.cjs starts with the module wrapper');
  assert.match(text, /\n\}\);\n$/);
});

/** Runs kubesim with a preload that records the files it reads and Node's modules it loads. */
function traced(c, args, env = {}) {
  const out = `${c.dir}.trace.json`;
  const preload = `${c.dir}.trace.cjs`;
  writeFileSync(
    preload,
    `const fs = require('fs'); const read = fs.readFileSync; const files = [];
fs.readFileSync = function (p, ...a) { files.push(String(p)); return read.call(this, p, ...a); };
const open = fs.openSync; fs.openSync = function (p, flags, ...a) { if (flags === undefined || flags === 'r') files.push(String(p)); return open.call(this, p, flags, ...a); };
process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ files, modules: process.moduleLoadList })));`,
  );
  const r = runNode(c, ['-r', preload, BIN, ...args], { env });
  const trace = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out);
  rmSync(preload);
  return { ...r, files: trace.files.filter((f) => f.startsWith(DIST)).map((f) => f.slice(DIST.length + 1)), modules: trace.modules.map((m) => m.replace(/^NativeModule /, '')) };
}

test('a short command loads neither the stream machinery, tty, net nor crypto, nor a bundle it does not use', () => {
  const c = cluster({ init: [] });
  try {
    c.ok(['run', 'web', '--image=nginx']);
    const table = [
      { args: ['get', 'nodes'], files: ['kubesim.cjs', 'kubesim.cjs.cache'] },
      { args: ['get', 'pods'], files: ['kubesim.cjs', 'kubesim.cjs.cache'] },
      { args: ['get', 'pods', '-o', 'json'], files: ['kubesim.cjs', 'kubesim.cjs.cache'] },
      // a kubeconfig as kubesim writes it is plain YAML, read without the yaml bundle
      { args: ['get', 'pods'], kubeconfig: KUBECONFIG, files: ['kubesim.cjs', 'kubesim.cjs.cache'] },
      // one beyond the fast reader's subset (an anchor): the yaml bundle, through its own cache
      { args: ['get', 'pods'], kubeconfig: 'apiVersion: v1\nkind: Config\ncurrent-context: &c ""\npreferences: {}\n', files: ['kubesim.cjs', 'kubesim.cjs.cache', 'yaml.cjs', 'yaml.cjs.cache'] },
      // serve's flags are declared in the CLI bundle: its help reads no server (help itself writes
      // through process.stdout, a stream)
      { args: ['serve', '--help'], files: ['kubesim.cjs', 'kubesim.cjs.cache', 'help.json'], streams: true },
    ];
    // every command first asks the second door's small client (bin/kubesim, dist/remote.cjs) whether
    // a server runs on its state (issue 18)
    for (const row of table) row.files.push('remote.cjs', 'remote.cjs.cache');
    for (const row of table) {
      const env = {};
      if (row.kubeconfig) {
        env.KUBESIM_CONFIG = `${c.dir}.own-kubeconfig`;
        writeFileSync(env.KUBESIM_CONFIG, row.kubeconfig);
      }
      const r = traced(c, row.args, env);
      const what = `kubesim ${row.args.join(' ')}${row.kubeconfig ? ' (with a kubeconfig)' : ''}`;
      assert.equal(r.code, 0, `${what}: ${r.stderr}`);
      assert.deepEqual([...new Set(r.files)].sort(), [...row.files].sort(), `${what} reads from dist/`);
      for (const m of row.streams ? ['crypto'] : ['stream', 'net', 'tty', 'crypto']) assert.ok(!r.modules.includes(m), `${what} loads ${m}`);
      if (env.KUBESIM_CONFIG) rmSync(env.KUBESIM_CONFIG);
    }
    // serve itself runs from its own bundle (here: refusing a bad port, before anything listens)
    const r = traced(c, ['serve', '--port', 'x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: invalid port "x"\n');
    assert.ok(r.files.includes('serve.cjs'), 'serve reads dist/serve.cjs');
    // and the dashboard from its own
    const d = traced(c, ['dashboard', '--port', 'x']);
    assert.equal(d.code, 1);
    assert.equal(d.stderr, 'error: invalid port "x"\n');
    assert.ok(d.files.includes('dashboard.cjs') && !d.files.includes('serve.cjs'), 'dashboard reads dist/dashboard.cjs');
  } finally {
    c.cleanup();
  }
});

/** A kubeconfig as `kubesim config` writes it, with a second context for a namespace. */
const KUBECONFIG =
  'apiVersion: v1\nclusters:\n- cluster:\n    server: file:///tmp/kubesim-nowhere\n  name: kubesim\ncontexts:\n- context:\n    cluster: kubesim\n    namespace: dev\n    user: kubesim\n  name: dev\n- context:\n    cluster: kubesim\n    user: kubesim\n  name: kubesim\ncurrent-context: kubesim\nkind: Config\npreferences: {}\nusers:\n- name: kubesim\n  user: {}\n';

/** Like c.run, with node's own arguments first (c.run puts BIN first). */
function runNode(c, args, opts = {}) {
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_CONFIG: `${c.dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: 'test', NO_COLOR: '1', ...(opts.env ?? {}) },
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

test("the build's code caches are accepted: a command leaves them as they are", () => {
  const c = cluster({ init: [] });
  try {
    const before = readFileSync(join(DIST, 'kubesim.cjs.cache'));
    assert.ok(before.length > 100_000, 'build.mjs made dist/kubesim.cjs.cache');
    assert.ok(readFileSync(join(DIST, 'yaml.cjs.cache')).length > 10_000, 'build.mjs made dist/yaml.cjs.cache');
    assert.ok(readFileSync(join(DIST, 'remote.cjs.cache')).length > 1_000, 'build.mjs made dist/remote.cjs.cache');
    c.ok(['get', 'nodes']);
    // bin/kubesim rewrites a cache V8 rejected (or a missing one) when the command exits
    assert.ok(readFileSync(join(DIST, 'kubesim.cjs.cache')).equals(before), 'the cache is unchanged');
  } finally {
    c.cleanup();
  }
});
