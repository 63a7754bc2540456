// kubectl cp: files and directories between the user's machine and a container, as cp.go does it
// (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go, 1.32): to the pod, `test -d DEST` then
// `tar -xmf - -C DIR` with the local files as the archive; from the pod, `tar cf - PATH` whose
// members are written under the local destination. Both are pods/exec requests (the exec
// subresource's authorization, the container's state); tar runs on the container's simulated file
// system (network/tarcopy.ts), so its volumes and writable layer are what is copied.
import * as fsys from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { hasProgram, imageInfo } from '../network/container';
import { missingExecutable } from '../network/podexec';
import { containerFsOf } from '../network/shell';
import { tarCreate, tarExtract, type TarEntry } from '../network/tarcopy';
import type { GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { inShell, podVantage } from './pod-exec';
import type { Topology } from '../network/topology';

interface CpOptions {
  container?: string;
  preserve?: boolean;
  /** accepted (flags.ts checks it is an integer): a simulated copy is never interrupted, so never retried */
  retries?: string;
}

interface FileSpec {
  pod?: string;
  ns?: string;
  file: string;
}

/** stripTrailingSlash */
const trimSlash = (f: string) => (f.length > 1 && f.endsWith('/') ? f.slice(0, -1) : f);

/** extractFileSpec: [[namespace/]pod:]file/path. */
function fileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new CliError('error: filespec must match the canonical format: [[namespace/]pod:]file/path', true);
  if (i < 0) return { file: trimSlash(arg) };
  const pieces = arg.slice(0, i).split('/');
  const file = trimSlash(arg.slice(i + 1).replace(/\\/g, '/'));
  if (pieces.length === 1) return { pod: pieces[0], file };
  if (pieces.length === 2) return { ns: pieces[0], pod: pieces[1], file };
  throw new CliError('error: filespec must match the canonical format: [[namespace/]pod:]file/path', true);
}

/** stripPathShortcuts: no leading "../", "." or ".." alone is nothing, no leading "/". */
function stripShortcuts(p: string): string {
  let s = p;
  while (s.startsWith('../')) s = s.slice(3);
  if (s === '.' || s === '..') s = '';
  return s.startsWith('/') ? s.slice(1) : s;
}

export function cpRun(g: GlobalOptions, args: string[], o: CpOptions): Outcome {
  if (args.length !== 2) throw new CliError('error: source and destination are required', true);
  const src = fileSpec(args[0]);
  const dest = fileSpec(args[1]);
  if (src.pod && dest.pod) throw new CliError('error: one of src or dest must be a local file specification', true);
  if (!src.file || !dest.file) throw new CliError('error: filepath can not be empty', true);
  if (src.pod) return fromPod(g, src, dest.file, o);
  if (dest.pod) return toPod(g, src.file, dest, o);
  throw new CliError('error: one of src or dest must be a remote file specification', true);
}

/** The pod's container, reached as exec reaches it (the namespace of the file spec, else -n's). */
function inPod<T>(g: GlobalOptions, spec: FileSpec, o: CpOptions, fn: (fs: NonNullable<ReturnType<typeof containerFsOf>>, gnu: boolean, cwd: string, tar: string | undefined, note: string) => T): T {
  let note = '';
  const at = (topo: Topology) => {
    const v = podVantage(topo, spec.ns ? { ...g, namespace: spec.ns } : g, spec.pod as string, { container: o.container });
    note = v.note;
    return v.from;
  };
  return inShell(g, at, (sh, state) => {
    const fs = containerFsOf(sh)!;
    const c = sh.from.kind === 'pod' ? (sh.from.pod.spec?.containers ?? []).find((x: { name: string }) => x.name === (sh.from as { container: string }).container) : undefined;
    const info = imageInfo(c?.image ?? '');
    const cwd = (c as { workingDir?: string } | undefined)?.workingDir ?? '/';
    return fn(fs, info.family === 'debian' || info.family === 'ubuntu', cwd, hasProgram(info, 'tar') ? undefined : missingExecutable(state, 'tar'), note);
  });
}

// ------------------------------------------------------------------ to the pod

/**
 * recursiveTar: a file is one member, a directory its files (an empty one its own member: a
 * non-empty one has no header, tar makes it), names under the destination's base. os.Lstat: a
 * symbolic link is stored as one (its target in Linkname), not followed. tar.FileInfoHeader gives
 * each header the file's permission bits (fs.FileMode.Perm, setuid, setgid, sticky).
 */
function localEntries(src: string, name: string, out: TarEntry[]): { uid: number; gid: number } {
  const st = fsys.lstatSync(src);
  const mode = st.mode & 0o7777;
  if (st.isDirectory()) {
    const names = fsys.readdirSync(src).sort();
    if (!names.length) out.push({ name, type: 'd', mode });
    for (const n of names) localEntries(path.join(src, n), `${name}/${n}`, out);
  } else if (st.isSymbolicLink()) out.push({ name, type: 'l', link: fsys.readlinkSync(src), mode });
  else out.push({ name, type: 'f', data: fsys.readFileSync(src), mode });
  return { uid: st.uid, gid: st.gid };
}

function toPod(g: GlobalOptions, src: string, dest: FileSpec, o: CpOptions): Outcome {
  if (!fsys.existsSync(src)) throw new CliError(`error: ${src} doesn't exist in local filesystem`, true);
  // exec's "Defaulted container" note: the `test -d` exec's goes to a buffer, the tar exec's to stderr
  return inPod(g, dest, o, (fs, gnu, cwd, noTar, note) => {
    // checkDestinationIsDir: `test -d DEST` in the container; a directory receives the source by its name
    let destFile = path.posix.normalize(dest.file);
    if (fs.isDir(path.posix.resolve(cwd, destFile))) destFile = path.posix.join(destFile, path.basename(path.resolve(src)));
    if (noTar) return { stdout: '', stderr: `${note}error: ${noTar}\n`, code: 1 };
    const entries: TarEntry[] = [];
    const local = localEntries(path.normalize(src), path.posix.basename(destFile), entries);
    // tar -xmf - as root keeps the archive's owner (the local user's) and modes, unless --no-preserve
    // (`tar --no-same-permissions --no-same-owner -xmf -`); a non-root user's tar owns what it
    // makes and masks the modes with the umask
    const root = fs.identity().uid === 0;
    const preserve = o.preserve !== false && root;
    const r = tarExtract(fs, gnu, cwd, path.posix.dirname(destFile), entries, { owner: preserve ? [local.uid, local.gid] : undefined, samePermissions: preserve });
    return { stdout: '', stderr: note + r.stderr + (r.code ? `command terminated with exit code ${r.code}\n` : ''), code: r.code };
  });
}

// ------------------------------------------------------------------ from the pod

function fromPod(g: GlobalOptions, src: FileSpec, dest: string, o: CpOptions): Outcome {
  const r = inPod(g, src, o, (fs, gnu, cwd, noTar, note) => ({ ...(noTar ? { entries: [], stderr: '', code: 0 } : tarCreate(fs, gnu, cwd, src.file)), noTar, note }));
  // the tar exec's stderr (and exec's "Defaulted container" note) go to kubectl's standard output:
  // the TarPipe's ErrOut is o.Out; tar's exit status is not looked at (kubernetes/kubectl#980): a
  // missing file prints tar's complaint and kubectl exits 0
  if (r.noTar) return { stdout: r.note, stderr: `error: ${r.noTar}\n`, code: 1 };
  const stdout = r.note + r.stderr;
  let stderr = '';
  const prefix = stripShortcuts(path.posix.normalize(src.file.replace(/^\/+/, '')));
  const destBase = path.normalize(dest);
  let warned = false;
  // untarAll: the headers' modes are not looked at: a directory is os.MkdirAll(…, 0755), a file
  // os.Create (0666), both less the local umask; a symbolic link is never made (CVE-2019-11246 and
  // its successors): a warning, the first one with the tar pipe that would copy it
  for (const m of r.entries) {
    const target = path.join(destBase, m.name.slice(prefix.length));
    fsys.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    if (m.type === 'd') {
      fsys.mkdirSync(target, { recursive: true, mode: 0o755 });
      continue;
    }
    if (m.type === 'l') {
      // the namespace is the file spec's (src.PodNamespace): "" without one, whatever -n says
      stderr += !warned
        ? `warning: skipping symlink: ${JSON.stringify(target)} -> ${JSON.stringify(m.link)} (consider using "kubectl exec -n ${JSON.stringify(src.ns ?? '')} ${JSON.stringify(src.pod)} -- tar cf - ${JSON.stringify(src.file)} | tar xf -")\n`
        : `warning: skipping symlink: ${JSON.stringify(target)} -> ${JSON.stringify(m.link)}\n`;
      warned = true;
      continue;
    }
    try {
      fsys.writeFileSync(target, m.data ?? Buffer.alloc(0));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : String((e as Error).message);
      return { stdout, stderr: stderr + `error: open ${target}: ${why}\n`, code: 1 };
    }
  }
  return { stdout, stderr, code: 0 };
}

export function registerCp(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('cp')
    .description('Copy files and directories to and from containers')
    .argument('[args...]', '<file-spec-src> <file-spec-dest>')
    .option('-c, --container <name>', 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen')
    .option('--no-preserve', "The copied file/directory's ownership and permissions will not be preserved in the container")
    .option('--retries <n>', 'Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).')
    .action((args: string[], o: CpOptions) => run(() => cpRun(g(), args, o)));
}
