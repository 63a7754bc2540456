// The server side of "one state, two doors" (issue 18): `kubesim serve` runs a kubesim CLI command
// for another kubesim process on the same state (POST /kubesim/v1/run, server/run.ts; the client is
// cli/remote.ts). The command runs as it would in its own process: the same program (runargv.ts),
// the client's argv, working directory, environment and terminals, its output captured through
// util/stdio.ts's sink, process.exit turned into the end of the command, and every module's
// per-command memory (util/percommand.ts) reset before and after. Synchronous: one command at a time.
import type { Runner, RunRequest } from '../server/run';
import { resetPerCommand } from '../util/percommand';
import { setSink, writeErr } from '../util/stdio';
import { cacheObjectFiles } from '../store/store';
import { credentialsOf, FORWARDED_ENV } from './remote';
import { ExitRequest, failure, runArgv } from './runargv';

/**
 * The runner serve passes to startServer. Its token is the one in the kubeconfig serve writes once
 * it listens (read at the first request; clients find the server only after that, cli/remote.ts).
 */
export function commandRunner(kubeconfig: string): Runner {
  // the state's object files are immutable: the server keeps what it read (store.ts)
  cacheObjectFiles(true);
  let token: string | undefined;
  return {
    get token() {
      return (token ??= credentialsOf(kubeconfig)?.token ?? '');
    },
    count: 0,
    run: (req, emit) => runCommand(req, emit),
  };
}

/** The server's values of the variables the command gets from its client (given back after it). */
function swapEnv(to: Record<string, string>): Record<string, string> {
  const before: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!FORWARDED_ENV.test(k)) continue;
    if (v !== undefined) before[k] = v;
    delete process.env[k];
  }
  for (const [k, v] of Object.entries(to)) if (FORWARDED_ENV.test(k) && typeof v === 'string') process.env[k] = v;
  return before;
}

export function runCommand(req: RunRequest, emit: (fd: 1 | 2, text: string) => void): number {
  // consecutive writes to one stream go out as one frame (a table printed line by line)
  let fd: 1 | 2 = 1;
  let pending = '';
  const flush = () => {
    if (pending) emit(fd, pending);
    pending = '';
  };
  const cwd = process.cwd();
  const argv = process.argv;
  process.argv = [argv[0], req.script ?? argv[1], ...req.argv.map(String)];
  const exit = process.exit;
  const exitCode = process.exitCode;
  const env = swapEnv(req.env);
  setSink({
    write(to, text) {
      if (to !== fd) flush();
      fd = to;
      pending += text;
      if (pending.length >= 1 << 16) flush();
    },
    tty: { stdout: !!req.tty?.stdout, stderr: !!req.tty?.stderr },
    stdin: req.stdin === undefined ? undefined : Buffer.from(req.stdin, 'base64').toString('utf8'),
  });
  process.exit = ((code?: number) => {
    throw new ExitRequest(code ?? Number(process.exitCode ?? 0));
  }) as typeof process.exit;
  resetPerCommand();
  let code: number;
  try {
    process.chdir(req.cwd);
    code = runArgv(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ExitRequest) code = e.code;
    else {
      writeErr(failure(e) + '\n');
      code = 1;
    }
  } finally {
    flush();
    setSink(undefined);
    process.exit = exit;
    process.argv = argv;
    process.exitCode = exitCode;
    swapEnv(env);
    process.chdir(cwd);
    resetPerCommand();
  }
  return code;
}
