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
  /** the permission bits of the header (tar's defaults when absent: 0644, 0755, 0777) */
  mode?: number;
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
    const mode = st.mode & 0o7777;
    if (st.type === 'l') entries.push({ name, type: 'l', link: st.link, mode });
    else if (st.type === 'd') {
      entries.push({ name, type: 'd', mode });
      for (const n of fs.list(p) ?? []) walk(p === '/' ? `/${n}` : `${p}/${n}`, name ? `${name}/${n}` : n);
    } else entries.push({ name, type: 'f', data: fs.bytes(p) ?? Buffer.alloc(0), mode });
  };
  walk(abs, stripped.replace(/\/+$/, ''));
  return { entries, stderr: warn, code: 0 };
}

/** How tar -x treats the headers' owners and modes. */
export interface ExtractOptions {
  /** the owner to give what is extracted (root keeps the archive's unless --no-same-owner) */
  owner?: [number, number];
  /**
   * the header's mode as it is (--same-permissions: GNU tar's default for root; busybox's for root
   * only, tar.c "Apparently only root's tar preserves perms"); else it is masked by the umask (022)
   */
  samePermissions: boolean;
}

/** The container's umask (/proc/PID/status shows 0022: containerd's default). */
const UMASK = 0o022;

/**
 * tar -xmf - -C DIR: the members written under DIR (tar makes the directories a member's name
 * needs, 0777 less the umask). busybox stops at the first member it cannot write; GNU tar goes on
 * and fails at the end. A file or a link replaces what was there (busybox's ARCHIVE_UNLINK_OLD, GNU
 * tar's unlink-and-retry), a directory excepted; -m: the times are not restored (kubesim keeps none).
 */
export function tarExtract(fs: ContainerFs, gnu: boolean, cwd: string, dir: string, entries: TarEntry[], o: ExtractOptions): { stderr: string; code: number } {
  const owner = o.owner;
  const modeOf = (m: TarEntry) => {
    const bits = m.mode ?? (m.type === 'd' ? 0o755 : 0o644);
    return o.samePermissions ? bits & 0o7777 : bits & 0o777 & ~UMASK;
  };
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
    const denied = mkdirs(m.type === 'd' ? p : parent) ?? (m.type !== 'd' ? fs.writeError(p) : undefined);
    if (denied) {
      if (!gnu) return { stderr: stderr + (m.type === 'd' ? `tar: can't create directory '${m.name}': ${denied}\n` : `tar: can't open '${m.name}': ${denied}\n`), code: 1 };
      stderr += `tar: ${m.name}: Cannot open: ${denied}\n`;
      continue;
    }
    const old = fs.lstat(p);
    if (m.type !== 'd' && old?.type === 'd') {
      if (!gnu) return { stderr: stderr + `tar: can't remove old file ${m.name}: Is a directory\n`, code: 1 };
      stderr += `tar: ${m.name}: Cannot open: File exists\n`;
      continue;
    }
    if (m.type === 'l') {
      // the link itself (tar never follows one it extracts over); its mode is always 0777
      fs.symlink(p, m.link ?? '', owner);
      continue;
    }
    if (m.type === 'f') {
      if (old?.type === 'l') fs.remove(p);
      fs.writeBytes(p, m.data ?? Buffer.alloc(0), owner);
    }
    fs.chmod(p, modeOf(m));
  }
  return stderr ? { stderr: stderr + 'tar: Exiting with failure status due to previous errors\n', code: 2 } : { stderr, code: 0 };
}

// ------------------------------------------------------------------ the archive itself (ustar)

/** One 512-byte ustar header (the fields tar and Go's archive/tar read). */
function header(e: TarEntry, size: number, owner: [number, number]): Buffer {
  const h = Buffer.alloc(512);
  const put = (s: string, at: number, len: number) => h.write(s.slice(0, len), at, len, 'utf8');
  const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, '0');
  let name = e.type === 'd' ? `${e.name}/` : e.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const i = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, i);
    name = name.slice(i + 1);
  }
  put(name, 0, 100);
  put(oct(e.mode ?? (e.type === 'd' ? 0o755 : e.type === 'l' ? 0o777 : 0o644), 8), 100, 8);
  put(oct(owner[0], 8), 108, 8);
  put(oct(owner[1], 8), 116, 8);
  put(oct(size, 12), 124, 12);
  put(oct(Math.floor(Date.parse('2025-03-01T12:00:00Z') / 1000), 12), 136, 12);
  h.write('        ', 148, 8, 'latin1');
  h.write(e.type === 'd' ? '5' : e.type === 'l' ? '2' : '0', 156, 1, 'latin1');
  if (e.link) put(e.link, 157, 100);
  h.write('ustar\u000000', 257, 8, 'latin1');
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return h;
}

/** The entries as a ustar archive: headers, contents padded to 512 bytes, two zero blocks. */
export function tarBytes(entries: TarEntry[], owner: [number, number] = [0, 0]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'f' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    parts.push(header(e, data.length, owner), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A ustar (or Go's PAX) archive's entries; undefined when it is not one. */
export function tarEntries(buf: Buffer): TarEntry[] | undefined {
  const out: TarEntry[] = [];
  let paxPath: string | undefined;
  for (let at = 0; at + 512 <= buf.length; ) {
    const h = buf.subarray(at, at + 512);
    if (h.every((b) => b === 0)) return out;
    const field = (from: number, len: number) => h.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) return undefined;
    const type = field(156, 1) || '0';
    const mode = parseInt(field(100, 8).trim() || '0', 8) & 0o7777;
    const data = buf.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    if (type === 'L') {
      paxPath = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const prefix = field(345, 155);
    const name = (paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))).replace(/\/+$/, '');
    paxPath = undefined;
    if (type === '5') out.push({ name, type: 'd', mode });
    else if (type === '2') out.push({ name, type: 'l', link: field(157, 100), mode });
    else if (type === '0') out.push({ name, type: 'f', data: Buffer.from(data), mode });
  }
  return out;
}
