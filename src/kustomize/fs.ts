// The file system the kustomize engine reads through: the engine is pure over it (tests and
// `apply -k` give it the real one; nothing else in kubesim loads this tree).
import * as nodefs from 'fs';
import * as path from 'path';

export interface KFs {
  /** the file's text; throws KustomizeError-worthy ENOENT errors as Node does */
  read(file: string): string;
  isDir(p: string): boolean;
  exists(p: string): boolean;
}

export const realFs: KFs = {
  read: (f) => nodefs.readFileSync(f, 'utf8'),
  isDir: (p) => {
    try {
      return nodefs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  exists: (p) => nodefs.existsSync(p),
};

export const join = path.join;
export const basename = path.basename;
export const resolve = path.resolve;

/** A kustomize build failure: the message kustomize's error chain prints. */
export class KustomizeError extends Error {}
