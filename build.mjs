// Builds the CLI as one CommonJS bundle (fast start: REFERENCE §10) plus a library bundle that the
// tests import. `yaml` lives in its own bundle, loaded only by commands that read or print YAML.
import { build } from 'esbuild';
import { copyFileSync, rmSync } from 'node:fs';
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
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none', plugins: [lazyChildProcess] };
await Promise.all([
  // minified: half the bytes to read and to deserialise from the code cache, ~14 ms less per command
  // (the tests' lib.cjs stays readable; dist/kubesim.cjs.map maps stack traces back to src/)
  build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/kubesim.cjs', external: ['./yaml.cjs', './protoschemas.cjs'], minify: true, sourcemap: 'external' }),
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
// explain's OpenAPI definitions (scripts/gen-explain.mjs): read from beside the bundle by explain
// alone, so no other command parses them
copyFileSync('src/api/explain.json', 'dist/explain.json');
// the default RBAC policy (scripts/gen-rbac-policy.mjs): read by cluster init and its upgrade alone
copyFileSync('src/cluster/rbac-policy.json', 'dist/rbac-policy.json');
// kubectl's help texts (scripts/gen-help.mjs): read by help alone
copyFileSync('src/cli/help/texts.json', 'dist/help.json');
// bin/kubesim keeps V8's compiled code next to the bundle; a new bundle starts a new cache.
rmSync('dist/kubesim.cjs.cache', { force: true });
