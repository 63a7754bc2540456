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
// `import * as fs from 'fs'` becomes esbuild's __toESM(require('fs')), which copies every export of
// the module (a hundred getters for fs) on each import: twenty of them on every command's start. A
// module of named re-exports in between gives the importers plain property reads of one require.
const BUILTIN_FACADES = ['fs', 'path', 'os'];
const builtinFacades = {
  name: 'builtin-facades',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${BUILTIN_FACADES.join('|')})$`) }, (args) =>
      args.kind === 'import-statement' && args.namespace !== 'builtin-facade' ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin-facade' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-facade' }, async (args) => {
      const names = Object.keys(await import(`node:${args.path}`)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      return { contents: `export { ${names.join(', ')} } from 'node:${args.path}';\n`, loader: 'js' };
    });
  },
};
// Commands that need much code no other command reads run from a bundle of their own, loaded only
// when they run: in the CLI bundle, every import of `module` becomes a require of dist/<name>.cjs,
// built from `entry` (which registers the kinds itself: the two copies share no module state, so the
// CLI bundle hands over plain options only). A new one is one line here plus its entry file.
const OWN_BUNDLES = [
  // the server (src/server/**, 65 KB of the 1.25 MB CLI bundle minified) and whatever it runs
  { name: 'serve', module: 'src/cli/serve.ts', entry: 'src/cli/serve-entry.ts' },
  // the dashboard's server (src/dashboard/**, with the serve history it follows commits by)
  { name: 'dashboard', module: 'src/cli/dashboard.ts', entry: 'src/cli/dashboard-entry.ts' },
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
/** Node's module wrapper (Module.wrapper), as bin/kubesim recognises it at the start of a bundle. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none', plugins: [lazyChildProcess, builtinFacades] };
const [cli] = await Promise.all([
  // minified: half the bytes to read and to deserialise from the code cache, ~14 ms less per command
  // (the tests' lib.cjs stays readable; dist/kubesim.cjs.map maps stack traces back to src/)
  // written already wrapped as Node wraps a module (bin/kubesim's WRAPPER), so that bin/kubesim hands
  // V8 the text as read: Module.wrap's concatenation would be flattened into a second 1.25 MB copy
  // (300 page faults on every command). Only bin/kubesim runs it, never require().
  build({ ...common, plugins: [...common.plugins, ownBundles], entryPoints: ['src/main.ts'], outfile: 'dist/kubesim.cjs', external: ['./yaml.cjs', './protoschemas.cjs', ...ownOutputs], minify: true, sourcemap: 'external', metafile: true, banner: { js: WRAPPER[0] }, footer: { js: WRAPPER[1] } }),
  ...OWN_BUNDLES.map((o) => build({ ...common, entryPoints: [o.entry], outfile: `dist/${o.name}.cjs`, external: ['./yaml.cjs', './protoschemas.cjs'], minify: true, sourcemap: 'external' })),
  build({ ...common, entryPoints: ['src/lib.ts'], outfile: 'dist/lib.cjs', external: ['./yaml.cjs', './protoschemas.cjs'] }),
  // the client side of `kubesim serve`'s second door, which bin/kubesim loads before the bundle
  build({ ...common, entryPoints: ['src/cli/remote.ts'], outfile: 'dist/remote.cjs', minify: true }),
  // the protobuf field numbers, read only by serve (src/api/protobuf.ts)
  build({ ...common, entryPoints: ['src/api/protoschemas.ts'], outfile: 'dist/protoschemas.cjs', minify: true }),
  build({ ...common, entryPoints: ['src/util/yaml-entry.ts'], outfile: 'dist/yaml.cjs', minify: true }),
  // the dashboard's page (src/dashboard/page): a browser script and its style, inlined into the HTML
  // the dashboard serves (src/dashboard/server.ts)
  build({ entryPoints: ['src/dashboard/page/main.ts'], outfile: 'dist/dashboard.js', bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: true, logLevel: 'warning', legalComments: 'none' }),
  build({ entryPoints: ['src/dashboard/page/style.css'], outfile: 'dist/dashboard.css', bundle: true, minify: true, logLevel: 'warning' }),
]);
// what an own bundle carries must not come back into the CLI bundle through another import
const strays = Object.keys(cli.metafile.outputs['dist/kubesim.cjs'].inputs).filter((f) => f.startsWith('src/server/') || (f.startsWith('src/dashboard/') && !f.startsWith('src/dashboard/page/')) || OWN_BUNDLES.some((o) => f === o.module));
if (strays.length) throw new Error(`build: the CLI bundle includes modules of its own bundles: ${strays.join(', ')}`);
// bin/kubesim reads the bundles as latin1 (far quicker than utf8): they must be ASCII (esbuild
// escapes strings; write a non-ASCII character in a regular expression as \u00b5)
for (const f of ['kubesim', 'remote', 'yaml', 'protoschemas', ...OWN_BUNDLES.map((o) => o.name)]) {
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
 * The caches of short commands, made now. bin/kubesim saves a cache when there is none: its content
 * would be whatever command ran first (often a first `cluster init`, 1.06 MB of code mostly no later
 * command runs), and what a command needs that is not in it is compiled on every run. Here: `get
 * pods` on an existing cluster, with a kubeconfig file (read without the yaml package when it is
 * plain, as kubesim writes it), then a `create -f` adds the write path (lock, admission, controllers,
 * commit) to kubesim.cjs's (0.9 MB), and its second document, a block scalar the fast manifest reader
 * leaves to the yaml package, gives yaml.cjs's cache that package's parse. Callgrind, against a first-run cache: get nodes 201M -> 153M
 * instructions, create service 266M -> 215M; a get-only cache (0.6 MB) saves 10M more on a get but
 * costs 56M on every write; no cache at all doubles a get. In a temporary home, state and kubeconfig;
 * a failure only leaves the caches to the first run.
 */
function warmCaches() {
  const home = mkdtempSync(path.join(tmpdir(), 'kubesim-build-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KUBESIM_')));
  Object.assign(env, { HOME: home, KUBESIM_STATE: path.join(home, 'state'), KUBESIM_CONFIG: path.join(home, 'config'), NO_COLOR: '1' });
  const kubesim = (...args) => {
    const extra = typeof args[args.length - 1] === 'object' ? args.pop() : {};
    execFileSync(process.execPath, ['bin/kubesim', ...args], { env: { ...env, ...extra }, stdio: 'ignore', timeout: 60_000 });
  };
  try {
    kubesim('run', 'web', '--image=nginx'); // makes the cluster and a pod to list; its caches are dropped
    dropCaches();
    writeFileSync(env.KUBESIM_CONFIG, 'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: file://' + env.KUBESIM_STATE + '\n  name: kubesim\ncontexts:\n- context:\n    cluster: kubesim\n    user: kubesim\n  name: kubesim\ncurrent-context: kubesim\npreferences: {}\nusers:\n- name: kubesim\n  user: {}\n');
    kubesim('get', 'pods');
    writeFileSync(path.join(home, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: warm\nspec:\n  selector:\n    app: warm\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warm\ndata:\n  text: |\n    a block scalar\n');
    kubesim('create', '-f', path.join(home, 'svc.yaml'), { KUBESIM_CODE_CACHE: 'update' });
  } catch (e) {
    console.warn(`build: no code cache made (${e.message.split('\n')[0]}): the first command makes it`);
    dropCaches();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
