// Durable file writes for the state directory: every byte written (short writes retried), fsynced,
// files created exclusively (never through a planted symlink) and only then made visible.
import * as fs from 'fs';
import * as path from 'path';
import { CliError } from '../api/errors';

/** Why a file operation failed, in the system's words ("no space left on device"). */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err !== 'object' || !err.code) return String((err as Error)?.message ?? err);
  // Node's messages read "ENOSPC: no space left on device, write": keep the middle
  const m = /^[A-Z0-9]+: (.*?)(?:, \w+(?: '.*')?)?$/.exec(err.message ?? '');
  return m ? m[1] : err.message;
}

export function saveError(dir: string, e: unknown): CliError {
  if (e instanceof CliError) return e;
  return new CliError(`error: cannot save the cluster state in ${dir}: ${reason(e)}; nothing was changed`, true);
}

export function readError(dir: string, e: unknown): CliError {
  if (e instanceof CliError) return e;
  return new CliError(`error: cannot read the cluster state in ${dir}: ${reason(e)}`, true);
}

/** write(2) until every byte is out: a short write (file-size limit, full disk) is retried, so the error surfaces. */
export function writeAll(fd: number, data: string | Buffer): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  let off = 0;
  while (off < buf.length) {
    const n = fs.writeSync(fd, buf, off, buf.length - off);
    if (n <= 0) throw Object.assign(new Error('EIO: short write, write'), { code: 'EIO' });
    off += n;
  }
}

/** Creates `file` (which must not exist: O_EXCL, mode 0600), writes all of `data` and fsyncs it. */
export function writeNew(file: string, data: string | Buffer): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    writeAll(fd, data);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  fs.closeSync(fd);
}

/** fsync a directory so a rename or a new entry in it survives a power cut. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some file systems cannot fsync a directory: the rename is still atomic */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

let tmpCounter = 0;
/** A temp file name next to `file` that no other process picks: pid, time and a counter. */
export function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}${(tmpCounter++).toString(36)}.tmp`);
}

/** The whole text of a file, or undefined when there is none. */
export function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
