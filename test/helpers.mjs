// Runs the built CLI as a user would, against a fresh state directory, with a frozen clock and seed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'kubesim');
export const MANIFESTS = join(ROOT, 'manifests');
export const SEEDS = join(ROOT, '..', 'shared', 'seeds');
export const NOW = '2025-03-01T12:00:00Z';

export function tempState() {
  return mkdtempSync(join(tmpdir(), 'kubesim-test-'));
}

/** A cluster in a temp dir; .run(args) → {stdout, stderr, code}. Time can move with .at(rfc3339). */
export function cluster({ seed = 'test', now = NOW, init } = {}) {
  const dir = tempState();
  const c = {
    dir,
    now,
    at(t) {
      c.now = t;
      return c;
    },
    run(args, opts = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        encoding: 'utf8',
        input: opts.input,
        // KUBESIM_CONFIG: a kubeconfig of the test's own (none until a test makes one), so the contexts
        // of the developer's ~/.kubesim/config never choose a test's namespace
        env: { ...process.env, KUBESIM_STATE: dir, KUBESIM_CONFIG: `${dir}.kubeconfig`, KUBESIM_NOW: c.now, KUBESIM_SEED: seed, NO_COLOR: '1', ...(opts.env ?? {}) },
      });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status };
    },
    /** run and insist on success */
    ok(args, opts) {
      const r = c.run(args, opts);
      if (r.code !== 0) throw new Error(`kubesim ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.kubeconfig`, { force: true });
    },
  };
  if (init) c.ok(['cluster', 'init', ...init]);
  return c;
}

export function hasKubectl() {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return r.status === 0;
}

/** The stored objects of one kind (plural, e.g. 'pods'), read through the state's manifest (format 2). */
export function storedItems(dir, plural) {
  const m = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8'));
  const items = [];
  for (const ref of Object.values(m.shards)) {
    for (const part of ref.parts ?? [ref]) {
      if (part.file.startsWith(`${plural}.`)) items.push(...JSON.parse(readFileSync(join(dir, 'objects', part.file), 'utf8')).items);
    }
  }
  return items;
}

/** Every file of a state directory (recursively, the lock aside) → its content: "byte-identical" checks. */
export function stateSnapshot(dir) {
  const out = {};
  const walk = (abs, rel) => {
    for (const name of readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === 'cluster.lock') continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p, r);
      else out[r] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
