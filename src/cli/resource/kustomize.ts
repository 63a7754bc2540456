// -k DIR and `kustomize DIR`: the kustomize engine (src/kustomize/) over the real file system, its
// failures in kubectl's words. Loaded only by those flags.
import { CliError } from '../../api/errors';
import type { KObject } from '../../api/types';
import { build } from '../../kustomize/build';
import { KustomizeError, realFs } from '../../kustomize/fs';

export interface Kustomized {
  objects: KObject[];
  warnings: string[];
}

/** The build, or kustomize's error as `apply -k` prints it ("error: …"). */
export function kustomize(dir: string): Kustomized {
  try {
    const { objects, warnings } = build(realFs, dir.replace(/\/+$/, '') || '/');
    return { objects: objects as unknown as KObject[], warnings: warnings.map((w) => w + '\n') };
  } catch (e) {
    if (e instanceof KustomizeError) throw new CliError(`error: ${e.message}`, true);
    throw e;
  }
}
