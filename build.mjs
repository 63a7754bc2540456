// Builds the CLI as one CommonJS bundle (fast start: REFERENCE §10) plus a library bundle that the
// tests import. `yaml` lives in its own bundle, loaded only by commands that read or print YAML.
import { build } from 'esbuild';
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };
await Promise.all([
  build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/kubesim.cjs', external: ['./yaml.cjs'] }),
  build({ ...common, entryPoints: ['src/lib.ts'], outfile: 'dist/lib.cjs', external: ['./yaml.cjs'] }),
  build({ ...common, entryPoints: ['src/util/yaml-entry.ts'], outfile: 'dist/yaml.cjs' }),
]);
