// The client side of "one state, two doors" (issue 18): while `kubesim serve` runs on a command's
// state directory (it writes serve.json there), the command runs inside the server (POST
// /kubesim/v1/run, server/run.ts, cli/serverun.ts), which already has the state in memory; when no
// server runs (no serve.json, a dead pid, a refused connection) it runs in this process as before.
// Loaded twice: by bin/kubesim as dist/remote.cjs before the CLI bundle (so it uses Node's built-ins
// only), and by main.ts when bin could not tell the state directory without the kubeconfig.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunRequest } from '../server/run';
import { writeBytes } from '../util/stdio';

/**
 * The verbs that go through a server: they finish on their own and need no terminal. Left out, run
 * in-process: serve, port-forward, exec, attach, edit, ssh, proxy, wait (streams, editors,
 * terminals, waiting on the clock), config and cluster (they act on files and directories, not on
 * the state), completion and help, addons and node (not worth a round trip), diff (its diff program
 * writes to the terminal itself).
 */
const VERBS = new Set([
  'get', 'describe', 'create', 'apply', 'delete', 'label', 'annotate', 'scale', 'patch', 'replace', 'expose', 'run', 'set', 'rollout', 'autoscale',
  'taint', 'cordon', 'uncordon', 'drain', 'top', 'events', 'auth', 'api-resources', 'api-versions', 'explain', 'version', 'cluster-info', 'curl', 'ip',
  'logs', 'kustomize',
]);

/** Global flags that take a value, to find the verb after them (program.ts too). */
export const GLOBAL_VALUE_FLAGS = new Set(['-n', '--namespace', '--state', '--context', '--cluster', '--kubeconfig', '--as', '--as-group', '--as-uid', '--token']);

/** The environment a command reads (names, prefixes): the client's values go with the command. */
export const FORWARDED_ENV = /^(KUBESIM_|KUBECTL_|KUBE_|LC_)|^(TZ|HOME|USER|PATH|NO_COLOR|TERM|COLUMNS|KUBECONFIG|EDITOR|VISUAL|LANG)$/;

/** Whether the command line can run in a server: an allowed verb, no help, no watching, no terminal. */
export function forwardable(argv: string[]): boolean {
  let verb: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '-h' || a === '--help') return false;
    if (a.startsWith('-')) {
      if (!verb && GLOBAL_VALUE_FLAGS.has(a)) i++;
      continue;
    }
    verb ??= a;
  }
  if (!verb || !VERBS.has(verb)) return false;
  // a file only this process can read: its stdin by name, a descriptor (`-f <(…)` is /dev/fd/63)
  if (argv.some((a) => /\/dev\/(stdin|fd\/)|\/proc\/self\/fd\//.test(a))) return false;
  const before = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const flags = before.filter((a) => a.startsWith('-') && !a.startsWith('--'));
  const long = (names: string[]) => before.some((a) => names.some((n) => a === `--${n}` || (a.startsWith(`--${n}=`) && !/=false$/.test(a))));
  const short = (letters: string) => flags.some((a) => !a.includes('=') && [...letters].some((l) => a.slice(1).includes(l)));
  // a watch (get -w, events -w), a follow (logs -f), an attached or interactive run, a wait on a rollout
  if ((verb === 'get' || verb === 'events') && (long(['watch', 'watch-only']) || short('w'))) return false;
  if (verb === 'logs' && (long(['follow']) || short('f'))) return false;
  if (verb === 'run' && (long(['stdin', 'tty', 'attach', 'rm']) || short('it'))) return false;
  // (a subcommand anywhere among the words: `rollout -n ns status` has a flag's value before it)
  if (verb === 'rollout' && before.includes('status')) return false;
  if (verb === 'apply' && (before.includes('edit-last-applied') || long(['edit']))) return false;
  if (verb === 'create' && long(['edit'])) return false;
  // on the wall clock, delete waits (--wait) and drain retries in real time: the server would stand
  // still meanwhile, for every client (cli/delete.ts, cli/nodes.ts); with KUBESIM_NOW they do not wait
  const waitsOff = before.some((a) => a === '--wait=false') || !!process.env.KUBESIM_NOW;
  if ((verb === 'delete' && !waitsOff) || (verb === 'drain' && !process.env.KUBESIM_NOW)) return false;
  return true;
}

/** Whether the command reads standard input (`-f -`, `--filename=-`). */
export function readsStdin(argv: string[]): boolean {
  return argv.some((a, i) => a === '-f=-' || a === '--filename=-' || a === '-f-' || (a === '-' && (argv[i - 1] === '-f' || argv[i - 1] === '--filename')));
}

/** A flag's value in argv (`--name value` or `--name=value`). */
export function flagValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return undefined;
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

/**
 * The state directory, when telling it needs no kubeconfig (--state, KUBESIM_STATE, or no kubesim
 * kubeconfig at all: the default); undefined when a kubeconfig (or --context, --cluster) may choose it.
 * (the precedence of cli/context.ts storeFor and cli/kubeconfig.ts selected)
 */
export function quickStateDir(argv: string[]): string | undefined {
  const flag = flagValue(argv, '--state');
  if (flag) return path.resolve(flag);
  if (process.env.KUBESIM_STATE) return path.resolve(process.env.KUBESIM_STATE);
  if (['--context', '--cluster', '--kubeconfig'].some((f) => flagValue(argv, f) !== undefined)) return undefined;
  const config = process.env.KUBESIM_CONFIG || path.join(os.homedir(), '.kubesim', 'config');
  if (fs.existsSync(config)) return undefined;
  return path.join(os.homedir(), '.kubesim', 'cluster');
}

interface ServeInfo {
  url: string;
  pid: number;
  kubeconfig: string;
}

/** The bearer token (and CA, for --tls) of the kubeconfig serve wrote (JSON, cli/serve.ts). */
export function credentialsOf(kubeconfig: string): { token: string; ca?: Buffer } | undefined {
  try {
    const cfg = JSON.parse(fs.readFileSync(kubeconfig, 'utf8'));
    const token = cfg.users?.[0]?.user?.token;
    const ca = cfg.clusters?.[0]?.cluster?.['certificate-authority-data'];
    return typeof token === 'string' ? { token, ca: typeof ca === 'string' ? Buffer.from(ca, 'base64') : undefined } : undefined;
  } catch {
    return undefined;
  }
}

/** The server running on dir, if serve.json names a live process. */
export function serverOn(dir: string): (ServeInfo & { token: string; ca?: Buffer }) | undefined {
  let info: ServeInfo;
  try {
    info = JSON.parse(fs.readFileSync(path.join(dir, 'serve.json'), 'utf8'));
    process.kill(info.pid, 0);
  } catch {
    return undefined;
  }
  const creds = credentialsOf(info.kubeconfig);
  return creds && { ...info, ...creds };
}

/**
 * Where this command line runs: in the server (forward it), here, or 'undecided' when the state
 * directory needs the kubeconfig to tell and no stateDir (main.ts: through the kubeconfig) is given.
 */
export function route(argv: string[], stateDir?: () => string | undefined): { forward(fallback: () => void): void } | 'here' | 'undecided' {
  if (!forwardable(argv)) return 'here';
  if (readsStdin(argv) && isTty(0)) return 'here';
  const dir = quickStateDir(argv) ?? stateDir?.();
  if (dir === undefined) return stateDir ? 'here' : 'undecided';
  const server = serverOn(dir);
  return server ? { forward: (fallback) => forward(server, argv, fallback) } : 'here';
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const isTty = (fd: number): boolean => (require('tty') as typeof import('tty')).isatty(fd);

/**
 * Sends the command to the server and plays its answer: the frames' bytes to fds 1 and 2, then its
 * exit code. A server that cannot be reached or refuses (before any output): fallback, in-process.
 */
function forward(server: ServeInfo & { token: string; ca?: Buffer }, argv: string[], fallback: () => void): void {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && FORWARDED_ENV.test(k)) env[k] = v;
  const req: RunRequest = { argv, script: process.argv[1], cwd: process.cwd(), env, tty: { stdout: isTty(1), stderr: isTty(2) } };
  if (readsStdin(argv)) req.stdin = fs.readFileSync(0).toString('base64');
  const body = JSON.stringify(req);
  const https = server.url.startsWith('https:');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = (https ? require('https') : require('http')) as typeof import('https');
  let answered = false;
  const r = client.request(`${server.url}/kubesim/v1/run`, {
    method: 'POST',
    agent: false,
    ca: server.ca,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  r.on('response', (res) => {
    answered = true;
    if (res.statusCode !== 200) {
      res.resume();
      fallback();
      return;
    }
    // a frame's bytes go out as they arrive; only a header (and the exit code) is gathered
    let head: Buffer = Buffer.alloc(0);
    let fd = 0;
    let left = 0;
    res.on('data', (chunk: Buffer) => {
      while (chunk.length) {
        if (left === 0) {
          const need = (head.length < 5 ? 5 : 5 + head.readUInt32BE(1)) - head.length;
          head = Buffer.concat([head, chunk.subarray(0, need)]);
          chunk = chunk.subarray(need);
          if (head.length < 5) return;
          if (head[0] === 0) {
            if (head.length === 9) process.exit(head.readInt32BE(5));
            continue;
          }
          fd = head[0];
          left = head.readUInt32BE(1);
          head = Buffer.alloc(0);
          continue;
        }
        const part = chunk.subarray(0, left);
        writeBytes(fd, part);
        left -= part.length;
        chunk = chunk.subarray(part.length);
      }
    });
    res.on('end', () => lost());
    res.on('error', () => lost());
  });
  r.on('error', () => (answered ? lost() : fallback()));
  r.end(body);
}

/** The server went away in the middle of a command: it may or may not have run, so it is not run again. */
function lost(): never {
  writeBytes(2, Buffer.from('error: the connection to kubesim serve was lost before the command finished\n'));
  process.exit(1);
}
