// The tar that kubectl cp runs in the container (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go):
// `tar cf - PATH` to copy out, `tar -xmf - -C DIR` to copy in, on the container's simulated file
// system. The archive is kept as its entries (names, kinds, bytes) rather than tar's blocks; the
// messages are busybox 1.36's tar (busybox, alpine images) or GNU tar 1.34's (Debian images).
import type { ContainerFs } from './container';
import { resolvePath } from './interp';

export interface TarEntry {
  /** the member name (no leading "/"; a directory's ends without "/") */
  name: string;
  type: 'f' | 'd' | 'l';
  data?: Buffer;
  /** a symbolic link's target */
  link?: string;
}

export interface TarRun {
  entries: TarEntry[];
  stderr: string;
  code: number;
}

/**
 * tar cf - PATH: the path and, for a directory, what is under it, depth first as tar walks it. An
 * absolute path loses its leading "/" (tar says so once); a missing one is tar's error.
 */
export function tarCreate(fs: ContainerFs, gnu: boolean, cwd: string, path: string): TarRun {
  const abs = resolvePath(cwd, path);
  const stripped = path.replace(/^\/+/, '');
  const leading = path !== stripped;
  const warn = leading ? (gnu ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n") : '';
  const top = fs.lstat(abs);
  if (!top) {
    // GNU tar strips the name before it stats the file; busybox only for what it archives
    return gnu ? { entries: [], stderr: `${warn}tar: ${path}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n`, code: 2 } : { entries: [], stderr: `tar: ${path}: No such file or directory\n`, code: 1 };
  }
  const entries: TarEntry[] = [];
  const walk = (p: string, name: string) => {
    const st = fs.lstat(p);
    if (!st) return;
    if (st.type === 'l') entries.push({ name, type: 'l', link: st.link });
    else if (st.type === 'd') {
      entries.push({ name, type: 'd' });
      for (const n of fs.list(p) ?? []) walk(p === '/' ? `/${n}` : `${p}/${n}`, name ? `${name}/${n}` : n);
    } else entries.push({ name, type: 'f', data: fs.bytes(p) ?? Buffer.alloc(0) });
  };
  walk(abs, stripped.replace(/\/+$/, ''));
  return { entries, stderr: warn, code: 0 };
}

/**
 * tar -xmf - -C DIR: the members written under DIR (tar makes the directories a member's name
 * needs). busybox stops at the first member it cannot write; GNU tar goes on and fails at the end.
 */
export function tarExtract(fs: ContainerFs, gnu: boolean, cwd: string, dir: string, entries: TarEntry[], owner?: [number, number]): { stderr: string; code: number } {
  const base = resolvePath(cwd, dir);
  if (!fs.isDir(base)) {
    return gnu ? { stderr: `tar: ${dir}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`, code: 2 } : { stderr: `tar: can't change directory to '${dir}': No such file or directory\n`, code: 1 };
  }
  let stderr = '';
  const mkdirs = (p: string): string | undefined => {
    if (fs.isDir(p)) return undefined;
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    const e = mkdirs(parent);
    if (e) return e;
    const denied = fs.writeError(p);
    if (denied) return denied;
    fs.mkdir(p);
    return undefined;
  };
  for (const m of entries) {
    const p = resolvePath(base, m.name);
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    const denied = mkdirs(m.type === 'd' ? p : parent) ?? (m.type === 'f' ? fs.writeError(p) : undefined);
    if (denied) {
      if (!gnu) return { stderr: stderr + (m.type === 'd' ? `tar: can't create directory '${m.name}': ${denied}\n` : `tar: can't open '${m.name}': ${denied}\n`), code: 1 };
      stderr += `tar: ${m.name}: Cannot open: ${denied}\n`;
      continue;
    }
    if (m.type === 'f' && fs.isDir(p)) {
      if (!gnu) return { stderr: stderr + `tar: can't remove old file ${m.name}: Is a directory\n`, code: 1 };
      stderr += `tar: ${m.name}: Cannot open: File exists\n`;
      continue;
    }
    if (m.type === 'f') fs.writeBytes(p, m.data ?? Buffer.alloc(0), owner);
  }
  return stderr ? { stderr: stderr + 'tar: Exiting with failure status due to previous errors\n', code: 2 } : { stderr, code: 0 };
}
