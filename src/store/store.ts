// The state directory: one JSON file per kind (a v1 List of objects in their Kubernetes JSON shape),
// cluster.json (config, the random generator's state, the resourceVersion counter, format version),
// and a lock file held by mutating commands for their whole read-modify-write.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import type { ClusterConfig } from '../cluster/config';

export const FORMAT_VERSION = 1;

export interface ClusterFile {
  formatVersion: number;
  config: ClusterConfig;
  /** sfc32 state, see util/rand.ts */
  rand: number[];
  /** last resourceVersion handed out */
  resourceVersion: number;
}

export function resolveStateDir(flag?: string): string {
  if (flag) return path.resolve(flag);
  if (process.env.KUBESIM_STATE) return path.resolve(process.env.KUBESIM_STATE);
  return path.join(os.homedir(), '.kubesim', 'cluster');
}

function damaged(file: string, why: string): CliError {
  return new CliError(
    `error: the state file ${file} is damaged (${why}).\n` +
      `Nothing was changed. Repair or remove the file, or start a new cluster with: kubesim cluster reset`,
    true,
  );
}

export class Store {
  constructor(public dir: string) {}

  file(name: string): string {
    return path.join(this.dir, name);
  }

  exists(): boolean {
    return fs.existsSync(this.file('cluster.json'));
  }

  readCluster(): ClusterFile {
    const file = this.file('cluster.json');
    const data = this.readJson(file) as ClusterFile;
    if (typeof data !== 'object' || data === null || typeof data.formatVersion !== 'number' || !data.config || !Array.isArray(data.rand)) {
      throw damaged(file, 'not a kubesim cluster file');
    }
    if (data.formatVersion > FORMAT_VERSION) {
      throw new CliError(
        `error: the state in ${this.dir} was written by a newer kubesim (format ${data.formatVersion}; this one reads format ${FORMAT_VERSION}).\n` +
          `Nothing was changed. Upgrade kubesim, or start a new cluster with: kubesim cluster reset`,
        true,
      );
    }
    return data;
  }

  /** The objects of one kind; a missing file is an empty list. */
  readKind(fileName: string): KObject[] {
    const file = this.file(fileName);
    const text = readIfThere(file);
    if (text === undefined) return [];
    const data = this.parse(file, text) as { items?: unknown };
    if (typeof data !== 'object' || data === null || !Array.isArray(data.items)) throw damaged(file, 'no "items" list');
    return data.items as KObject[];
  }

  /** runtime.json: the simulated nodes' memory (see State.runtime); missing is empty. */
  readRuntime(): object {
    const file = this.file('runtime.json');
    const text = readIfThere(file);
    if (text === undefined) return {};
    const data = this.parse(file, text);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw damaged(file, 'not an object');
    return data;
  }

  private readJson(file: string): unknown {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw damaged(file, (e as Error).message);
    }
    return this.parse(file, text);
  }

  private parse(file: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw damaged(file, (e as Error).message);
    }
  }

  writeKind(fileName: string, items: KObject[]): void {
    // One object per line: readable, diffable, and as fast to write as compact JSON.
    const body = items.map((o) => JSON.stringify(o)).join(',\n');
    this.atomicWrite(fileName, `{"apiVersion":"v1","kind":"List","items":[${items.length ? '\n' + body + '\n' : ''}]}\n`);
  }

  writeCluster(c: ClusterFile): void {
    this.atomicWrite('cluster.json', JSON.stringify(c, null, 2) + '\n');
  }

  /** temp file + fsync + rename: a reader sees the old file or the new one, never half of one. */
  atomicWrite(fileName: string, text: string): void {
    const file = this.file(fileName);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  /** Takes the exclusive lock, waiting for another kubesim; a lock left by a dead process is taken over. */
  lock(): () => void {
    fs.mkdirSync(this.dir, { recursive: true });
    const lockFile = this.file('cluster.lock');
    const deadline = Date.now() + 30_000;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      try {
        const fd = fs.openSync(lockFile, 'wx');
        fs.writeSync(fd, String(process.pid));
        fs.closeSync(fd);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          try {
            fs.unlinkSync(lockFile);
          } catch {
            /* already gone */
          }
        };
        process.once('exit', release);
        return release;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let holder = NaN;
      try {
        holder = parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
      } catch {
        continue; // released between our two calls
      }
      if (!Number.isNaN(holder) && !alive(holder)) {
        try {
          fs.unlinkSync(lockFile);
        } catch {
          /* someone else took it over */
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError(`error: the cluster state ${this.dir} is locked by process ${holder}; if no kubesim is running, remove ${lockFile}`, true);
      }
      Atomics.wait(sleeper, 0, 0, 20);
    }
  }
}

/** A file's text, or undefined when there is no such file (a kind never written is empty). */
function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
