// Builds the CLI as one CommonJS bundle (fast start: REFERENCE §10) plus a library bundle that the
// tests import. `yaml` lives in its own bundle, loaded only by commands that read or print YAML.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// commander requires child_process (and with it net and stream) at load time for executable
// subcommands, which kubesim never uses: give it a stand-in that loads the real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes('commander') ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, k) => require('node:child_process')[k] });",
      loader: 'js',
    }));
  },
};
// Commands that need much code no other command reads run from a bundle of their own, loaded only
// when they run: in the CLI bundle, every import of `module` becomes a require of dist/<name>.cjs,
// built from `entry` (which registers the kinds itself: the two copies share no module state, so the
// CLI bundle hands over plain options only). A new one is one line here plus its entry file.
const OWN_BUNDLES = [
  // the server (src/server/**) and whatever it runs, ~0.2 MB the CLI bundle would carry for one verb
  { name: 'serve', module: 'src/cli/serve.ts', entry: 'src/cli/serve-entry.ts' },
];
const ownBundles = {
  name: 'own-bundles',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path).replace(/\.ts$/, '');
      const own = OWN_BUNDLES.find((o) => target === path.resolve(o.module).replace(/\.ts$/, ''));
      return own ? { path: `./${own.name}.cjs`, external: true } : undefined;
    });
  },
};
const ownOutputs = OWN_BUNDLES.map((o) => `./${o.name}.cjs`);
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none', plugins: [lazyChildProcess] };
const [cli] = await Promise.all([
  // minified: half the bytes to read and to deserialise from the code cache, ~14 ms less per command
  // (the tests' lib.cjs stays readable; dist/kubesim.cjs.map maps stack traces back to src/)
  build({ ...common, plugins: [...common.plugins, ownBundles], entryPoints: ['src/main.ts'], outfile: 'dist/kubesim.cjs', external: ['./yaml.cjs', './protoschemas.cjs', ...ownOutputs], minify: true, sourcemap: 'external', metafile: true }),
  ...OWN_BUNDLES.map((o) => build({ ...common, entryPoints: [o.entry], outfile: `dist/${o.name}.cjs`, external: ['./yaml.cjs', './protoschemas.cjs'], minify: true, sourcemap: 'external' })),
  build({ ...common, entryPoints: ['src/lib.ts'], outfile: 'dist/lib.cjs', external: ['./yaml.cjs', './protoschemas.cjs'] }),
  // the protobuf field numbers, read only by serve (src/api/protobuf.ts)
  build({ ...common, entryPoints: ['src/api/protoschemas.ts'], outfile: 'dist/protoschemas.cjs', minify: true }),
  build({ ...common, entryPoints: ['src/util/yaml-entry.ts'], outfile: 'dist/yaml.cjs', minify: true }),
]);
// what an own bundle carries must not come back into the CLI bundle through another import
const strays = Object.keys(cli.metafile.outputs['dist/kubesim.cjs'].inputs).filter((f) => f.startsWith('src/server/') || OWN_BUNDLES.some((o) => f === o.module));
if (strays.length) throw new Error(`build: the CLI bundle includes modules of its own bundles: ${strays.join(', ')}`);
// bin/kubesim reads the bundles as latin1 (far quicker than utf8): they must be ASCII (esbuild
// escapes strings; write a non-ASCII character in a regular expression as \u00b5)
for (const f of ['kubesim', 'yaml', 'protoschemas', ...OWN_BUNDLES.map((o) => o.name)]) {
  const i = readFileSync(`dist/${f}.cjs`).findIndex((b) => b > 0x7f);
  if (i >= 0) throw new Error(`build: dist/${f}.cjs is not ASCII at byte ${i} (see dist/${f}.cjs.map)`);
}
// explain's OpenAPI definitions (scripts/gen-explain.mjs): read from beside the bundle by explain
// alone, so no other command parses them
copyFileSync('src/api/explain.json', 'dist/explain.json');
// the default RBAC policy (scripts/gen-rbac-policy.mjs): read by cluster init and its upgrade alone
copyFileSync('src/cluster/rbac-policy.json', 'dist/rbac-policy.json');
// kubectl's help texts (scripts/gen-help.mjs): read by help alone
copyFileSync('src/cli/help/texts.json', 'dist/help.json');
// bin/kubesim keeps V8's compiled code next to each bundle; a new bundle starts a new cache (V8
// checks a cache against the source's length only)
const dropCaches = () => {
  for (const f of readdirSync('dist')) if (f.endsWith('.cjs.cache')) rmSync(`dist/${f}`, { force: true });
};
dropCaches();
warmCaches();

/**
 * The caches of a short command, made now. bin/kubesim saves a cache when there is none: its content
 * would be whatever command ran first (often a first `cluster init`, whose code no later command
 * runs, 1.07 MB against 0.6 MB), and what a command needs that is not in it is compiled on every run.
 * `get pods` on an existing cluster makes kubesim.cjs's (callgrind: get nodes 3%, get pods 9% fewer
 * instructions than with a first-run cache, half of what no cache costs), with a kubeconfig file so
 * that yaml.cjs's holds the parse every command with a kubeconfig does (the few functions that adds
 * to kubesim.cjs's cost less to load than to compile). In a temporary home, state and kubeconfig; a
 * failure only leaves the caches to the first run.
 */
function warmCaches() {
  const home = mkdtempSync(path.join(tmpdir(), 'kubesim-build-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KUBESIM_')));
  Object.assign(env, { HOME: home, KUBESIM_STATE: path.join(home, 'state'), KUBESIM_CONFIG: path.join(home, 'config'), NO_COLOR: '1' });
  const kubesim = (...args) => execFileSync(process.execPath, ['bin/kubesim', ...args], { env, stdio: 'ignore', timeout: 60_000 });
  try {
    kubesim('run', 'web', '--image=nginx'); // makes the cluster and a pod to list; its caches are dropped
    dropCaches();
    writeFileSync(env.KUBESIM_CONFIG, 'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: file://' + env.KUBESIM_STATE + '\n  name: kubesim\ncontexts:\n- context:\n    cluster: kubesim\n    user: kubesim\n  name: kubesim\ncurrent-context: kubesim\npreferences: {}\nusers:\n- name: kubesim\n  user: {}\n');
    kubesim('get', 'pods');
  } catch (e) {
    console.warn(`build: no code cache made (${e.message.split('\n')[0]}): the first command makes it`);
    dropCaches();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
