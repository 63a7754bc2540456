// Writing to stdout and stderr as plain file descriptors: a command that only prints never builds
// Node's process.stdout stream (which loads the stream machinery, ~5 ms of a `get nodes`).
// A reader that goes away (`kubesim get pods | head -1`) ends the command quietly, as SIGPIPE ends
// kubectl: exit 141 (128 + SIGPIPE), what the shell reports for kubectl too.
// A command `kubesim serve` runs for another kubesim process (cli/serverun.ts) writes to a sink
// instead: what it prints, whether its streams are terminals and its stdin are that process's.
import { readFileSync, writeSync } from 'fs';

const wait = new Int32Array(new SharedArrayBuffer(4));

/** Where one command's output goes instead of fds 1 and 2 (the server runs commands one at a time). */
export interface Sink {
  write(fd: 1 | 2, text: string): void;
  tty: { stdout: boolean; stderr: boolean };
  /** the client's standard input, when the command reads it (`-f -`) */
  stdin?: string;
}
let sink: Sink | undefined;

/** Sends the output of the command about to run to s (undefined: back to the descriptors). */
export function setSink(s: Sink | undefined): void {
  sink = s;
}

function writeAll(fd: 1 | 2, text: string): void {
  if (!text) return;
  if (sink) return sink.write(fd, text);
  writeBytes(fd, Buffer.from(text));
}

/** All of buf to a descriptor (what a kubesim serve client prints: cli/remote.ts). */
export function writeBytes(fd: number, buf: Buffer): void {
  while (buf.length) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(141);
      // a non-blocking pipe that is full: wait for its reader
      if (code === 'EAGAIN') Atomics.wait(wait, 0, 0, 1);
      else throw e;
    }
  }
}

export const writeOut = (text: string): void => writeAll(1, text);
export const writeErr = (text: string): void => writeAll(2, text);

/**
 * Whether a standard stream is a terminal, without building process.stdout / process.stderr. `tty`
 * is required here, when asked: loading it loads net and the stream machinery.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const isTerminal = (fd: 1 | 2): boolean => (sink ? sink.tty[fd === 1 ? 'stdout' : 'stderr'] : (require('tty') as typeof import('tty')).isatty(fd));

/** The whole of standard input (`-f -`). */
export const readStdin = (): string => (sink ? (sink.stdin ?? '') : readFileSync(0, 'utf8'));
