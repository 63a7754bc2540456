// Entry point of the kubesim CLI bundle.
// every kind registers its names and strategy before any command runs
import './apiserver/kinds';
import { writeErr } from './util/stdio';
import { CliError, formatErrors } from './api/errors';
import { buildProgram, isCommanderExit } from './cli/program';
import { pflagArgs } from './cli/flags';
import { ClockError, parseNow } from './util/clock';

/**
 * The one exit path for what a command did not handle: kubectl's text for kubesim's own errors, the
 * system's words for a failed file operation, a one-line message for anything else. Never a stack
 * (KUBESIM_DEBUG=1 adds it, for kubesim's developers).
 */
function failure(e: unknown): string {
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

// Output goes through src/util/stdio.ts (plain descriptors; a reader that goes away ends the command
// with 141, as SIGPIPE ends kubectl). A stream a command builds itself (readline, help) can still
// meet EPIPE:
process.on('uncaughtException', (e: NodeJS.ErrnoException) => {
  if (e?.code === 'EPIPE') process.exit(141);
});

let exitCode = 0;
process.on('uncaughtException', (e) => {
  writeErr(failure(e) + '\n');
  process.exit(1);
});
try {
  // a bad clock fails every command the same way, before anything is read or written
  if (process.env.KUBESIM_NOW) parseNow(process.env.KUBESIM_NOW);
  const program = buildProgram((c) => {
    exitCode = c;
    // a command that finishes later (an attached `run -i` shell ends with the container) sets it then
    process.exitCode = c;
  }, process.argv.slice(2));
  program.parse([...process.argv.slice(0, 2), ...pflagArgs(program, process.argv.slice(2))]);
} catch (e) {
  if (isCommanderExit(e)) {
    exitCode = e.exitCode;
  } else {
    writeErr(failure(e) + '\n');
    exitCode = 1;
  }
}
process.exitCode = exitCode;
