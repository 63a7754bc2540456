import type * as Y from 'yaml';

let mod: typeof Y | undefined;
/** The `yaml` package, loaded on first use from its own bundle so that `get` tables never pay for it. */
export function yaml(): typeof Y {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!mod) mod = require('./yaml.cjs') as typeof Y;
  return mod;
}
