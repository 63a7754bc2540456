// Entry of dist/serve.cjs (build.mjs OWN_BUNDLES): `kubesim serve` with its own copy of everything it
// uses, kinds first, as src/main.ts registers them for the CLI bundle. The CLI bundle hands over
// plain options only, so the process never mixes objects of the two copies.
import '../apiserver/kinds';
export * from './serve';
