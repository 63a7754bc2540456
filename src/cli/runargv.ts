// One kubesim command line run to its exit code: in its own process (main.ts), or for another kubesim
// process inside `kubesim serve` (cli/serverun.ts). kubectl's text for kubesim's own errors, the
// system's words for a failed file operation, a one-line message for anything else; never a stack.
import { writeErr } from '../util/stdio';
import { CliError, formatErrors } from '../api/errors';
import { buildProgram, isCommanderExit } from './program';
import { pflagArgs } from './flags';
import { ClockError, parseNow } from '../util/clock';

/** process.exit called by a command that `kubesim serve` runs: ends that command, not the server. */
export class ExitRequest extends Error {
  constructor(public code: number) {
    super(`exit ${code}`);
  }
}

/**
 * The one exit path for what a command did not handle: kubectl's text for kubesim's own errors, the
 * system's words for a failed file operation, a one-line message for anything else. Never a stack
 * (KUBESIM_DEBUG=1 adds it, for kubesim's developers).
 */
export function failure(e: unknown): string {
  if (e instanceof CliError || (e as { reason?: string })?.reason) return formatErrors([e]);
  if (e instanceof ClockError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    const m = /^[A-Z0-9]+: (.*)$/.exec(err.message);
    return `error: ${m ? m[1] : err.message}`;
  }
  // what is left is a kubesim bug: KUBESIM_DEBUG=1 shows where (the fuzz tests run with it)
  if (process.env.KUBESIM_DEBUG) writeErr(`${(e as Error)?.stack ?? e}\n`);
  if (e instanceof RangeError && /call stack/.test(e.message)) return 'error: the input is nested too deeply';
  return `error: ${e instanceof Error ? e.message : String(e)}`;
}

/** Runs the command line argv (no node and script names); its exit code once it returns. */
export function runArgv(argv: string[]): number {
  let exitCode = 0;
  try {
    // a bad clock fails every command the same way, before anything is read or written
    if (process.env.KUBESIM_NOW) parseNow(process.env.KUBESIM_NOW);
    const program = buildProgram((c) => {
      exitCode = c;
      // a command that finishes later (an attached `run -i` shell ends with the container) sets it then
      process.exitCode = c;
    }, argv);
    program.parse([...process.argv.slice(0, 2), ...pflagArgs(program, argv)]);
  } catch (e) {
    if (e instanceof ExitRequest) throw e;
    if (isCommanderExit(e)) {
      exitCode = e.exitCode;
    } else {
      writeErr(failure(e) + '\n');
      exitCode = 1;
    }
  }
  return exitCode;
}
