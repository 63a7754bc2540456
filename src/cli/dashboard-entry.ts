// Entry of dist/dashboard.cjs (build.mjs OWN_BUNDLES): `kubesim dashboard` with its own copy of
// everything it uses, kinds first, as src/main.ts registers them for the CLI bundle.
import '../apiserver/kinds';
export * from './dashboard';
