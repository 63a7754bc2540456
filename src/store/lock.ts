// The writers' lock: `cluster.lock` names its holder as JSON {pid, start, token}. It appears whole
// (written to a temp file, then hard-linked into place: link(2) fails if the name exists), so a lock
// is never empty. A lock whose holder is gone (no such pid, or the pid now belongs to a process that
// started at another time) is stale. Exactly one waiter removes a given stale lock: the one that
// creates its take-over marker `cluster.lock.t-<id>` (O_EXCL); everyone then races for the lock as
// usual. Release removes the lock only if it is still ours. A waiter gives up only when one holder
// has kept the lock for the whole timeout; a queue of live holders that come and go never fails it.
import * as fs from 'fs';
import * as path from 'path';
import { CliError } from '../api/errors';
import { crashPoint } from './crash';
import { readIfThere, writeAll } from './fsio';

export const LOCK_FILE = 'cluster.lock';
const DEFAULT_TIMEOUT_MS = 60_000;
/** an unreadable lock (not one kubesim 2 writes) is stale once it is this old */
const GARBAGE_AGE_MS = 1000;

interface Holder {
  pid: number;
  start?: string;
  token: string;
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot (Linux). */
export function processStart(pid: number): string | undefined {
  const text = readIfThereQuiet(`/proc/${pid}/stat`);
  if (!text) return undefined;
  // field 2 is "(comm)", which may hold spaces and parentheses: count from the last ')'
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return rest[19];
}

function readIfThereQuiet(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Is the process that wrote this lock still running? */
export function holderAlive(h: Holder): boolean {
  if (!Number.isInteger(h.pid) || h.pid <= 0) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (h.start === undefined) return true;
  const now = processStart(h.pid);
  return now === undefined || now === h.start; // another start time: the pid was reused
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text);
    if (h && typeof h === 'object' && Number.isInteger(h.pid) && typeof h.token === 'string') return { pid: h.pid, start: typeof h.start === 'string' || typeof h.start === 'number' ? String(h.start) : undefined, token: h.token };
  } catch {
    /* not a lock kubesim wrote */
  }
  return undefined;
}

interface Seen {
  /** what makes this lock file this one: its token, or for an unreadable file its inode and mtime */
  id: string;
  holder?: Holder;
  stale: boolean;
}

function look(file: string): Seen | undefined {
  let text: string | undefined;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
    text = readIfThere(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (text === undefined) return undefined;
  const holder = parseHolder(text);
  if (holder) return { id: holder.token, holder, stale: !holderAlive(holder) };
  return { id: `${st.ino}-${st.size}-${Math.floor(st.mtimeMs)}`, stale: Date.now() - st.mtimeMs > GARBAGE_AGE_MS };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

let current: { file: string; token: string } | undefined;
let exitHook = false;

/** Releases the lock if this process still holds it (also run at exit, whatever ends the command). */
function releaseCurrent(): void {
  if (!current) return;
  const { file, token } = current;
  current = undefined;
  const h = parseHolder(readIfThereQuiet(file) ?? '');
  if (h && h.token === token) fs.rmSync(file, { force: true });
}

export function stillHeld(dir: string): boolean {
  if (!current || current.file !== path.join(dir, LOCK_FILE)) return false;
  const h = parseHolder(readIfThereQuiet(current.file) ?? '');
  return !!h && h.token === current.token;
}

/** Takes the lock of `dir`, waiting for live holders; returns the release function. */
export function acquire(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const token = `${process.pid.toString(36)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const me: Holder = { pid: process.pid, start: processStart(process.pid), token };
  const tmp = path.join(dir, `.${LOCK_FILE}.${token}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    writeAll(fd, JSON.stringify(me) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  const timeout = Number(process.env.KUBESIM_LOCK_TIMEOUT_MS) > 0 ? Number(process.env.KUBESIM_LOCK_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  let watching: { id: string; since: number } | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(tmp, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const seen = look(file);
      if (!seen) continue; // released between our two calls
      if (seen.stale) {
        removeStale(file, seen.id, me);
        continue;
      }
      const now = Date.now();
      if (!watching || watching.id !== seen.id) watching = { id: seen.id, since: now };
      else if (now - watching.since > timeout) {
        const who = seen.holder ? `process ${seen.holder.pid}` : 'another process';
        throw new CliError(`error: the cluster state ${dir} is locked by ${who}, which has held it for ${Math.round(timeout / 1000)}s; if no kubesim is running, remove ${file}`, true);
      }
      // short sleeps while the queue is short, longer ones (with jitter) when it keeps us waiting
      sleep(Math.min(2 + attempt, 25) + Math.random() * 5);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  current = { file, token };
  if (!exitHook) {
    exitHook = true;
    process.on('exit', releaseCurrent);
  }
  // take-over markers left by earlier take-overs are done with: the lock is ours
  for (const f of fs.readdirSync(dir)) if (f.startsWith(`${LOCK_FILE}.t-`)) fs.rmSync(path.join(dir, f), { force: true });
  crashPoint('lock');
  return () => {
    if (current?.token !== token) return;
    crashPoint('unlock');
    releaseCurrent();
  };
}

/**
 * Removes the stale lock `file` if it is still the one identified by `id`. Only the process that
 * creates the marker for `id` may do it, so two waiters never remove two different locks; a marker
 * whose maker died is itself stale and is removed the same way.
 */
function removeStale(file: string, id: string, me: Holder, depth = 0): void {
  const marker = `${file}.t-${id.replace(/[^A-Za-z0-9-]/g, '')}`.slice(0, 240);
  try {
    const fd = fs.openSync(marker, 'wx', 0o600);
    try {
      writeAll(fd, JSON.stringify(me) + '\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // someone else is taking it over; if they died doing so, take over their marker first
    const m = look(marker);
    if (m?.stale && depth < 4) removeStale(marker, m.id, me, depth + 1);
    return;
  }
  try {
    const again = look(file);
    if (again && again.id === id) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(marker, { force: true });
  }
}
