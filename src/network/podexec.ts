// What a program started in a container (`kubectl exec`, `attach`, `run -it`) meets, whichever door
// it came through (`kubesim exec` in src/cli/network.ts, `kubesim serve`'s pods/exec in
// src/server/exec.ts): a shell in the container's image, its prompt, the runtime's error for a
// program that is not there, one line of a shell session run with the session carried over.
import type { State } from '../store/state';
import { imageInfo } from './container';
import { appendLog } from './apps';
import { containerFsOf, runLine, type Result, type Shell } from './shell';
import { resolvePath, type Session } from './interp';

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/dash', '/usr/bin/bash']);

/** Whether an image has the shell asked for (busybox has no bash; distroless images have no shell at all). */
export function hasShell(image: string, name: string): boolean {
  const info = imageInfo(image);
  const base = name.split('/').pop() as string;
  if (!info.sh) return false;
  if (base === 'bash') return info.bash;
  return base === 'sh' || (base === 'ash' && (info.family === 'busybox' || info.family === 'alpine')) || (base === 'dash' && info.sh === 'dash');
}

/** The prompt a shell shows: busybox's "\w # ", dash's "# ", bash's "user@host:\w$ " (Debian's bashrc). */
export function promptOf(sess: Session, user: string, host: string, home: string): string {
  const dir = sess.cwd === home ? '~' : sess.cwd.startsWith(home + '/') ? '~' + sess.cwd.slice(home.length) : sess.cwd;
  const sign = user === 'root' ? '#' : '$';
  if (sess.dialect === 'bash') return `${user}@${host}:${dir}${sign} `;
  if (sess.dialect === 'dash') return `${sign} `;
  return `${dir} ${sign} `;
}

/**
 * The container runtime's error for a program not in the image (runc via containerd), as the
 * kubelet's Status message; for a path to a file it cannot execute (no x bit, a directory: execve's
 * EACCES), runc's "permission denied".
 */
export function missingExecutable(state: State, prog: string, sh?: Shell): string {
  const fs = sh && prog.includes('/') ? containerFsOf(sh) : undefined;
  const p = fs ? resolvePath('/', prog) : '';
  const text = fs && !fs.isDir(p) ? fs.read(p) : undefined;
  // a file with an x bit that runProgram did not run has no #! line: execve's ENOEXEC
  const why = !fs || (!fs.isDir(p) && text === undefined) ? 'executable file not found in $PATH' : text !== undefined && ((fs.fileMode(p) ?? 0) & 0o111) !== 0 ? 'exec format error' : 'permission denied';
  return `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${state.rand.hex(64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${prog}": ${why}: unknown`;
}

/** One command of a shell session in a pod, the session carried over; attached, its output is also the container's log. */
export function sessionLine(sh: Shell, state: State, sess: Session, text: string, log: boolean): Result {
  sh.session = sess;
  const r = runLine(sh, text);
  sess.lineOffset = (sess.lineOffset ?? 0) + text.split('\n').length - 1;
  if (log && sh.from.kind === 'pod') {
    const lines = (r.stdout + r.stderr).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length) appendLog(state, sh.from.pod, sh.from.container, lines);
  }
  return r;
}
