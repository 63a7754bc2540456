// Writing to stdout and stderr as plain file descriptors: a command that only prints never builds
// Node's process.stdout stream (which loads the stream machinery, ~5 ms of a `get nodes`).
// A reader that goes away (`kubesim get pods | head -1`) ends the command quietly, as SIGPIPE ends
// kubectl: exit 141 (128 + SIGPIPE), what the shell reports for kubectl too.
import { writeSync } from 'fs';

const wait = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, text: string): void {
  if (!text) return;
  let buf = Buffer.from(text);
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
export const isTerminal = (fd: 1 | 2): boolean => (require('tty') as typeof import('tty')).isatty(fd);
