// A command's result: what goes to stdout, to stderr, and the errors that make it exit 1.
import { writeOut, writeErr } from '../util/stdio';
import { formatErrors } from '../api/errors';

/** A piece of output, for commands whose stdout and stderr interleave (a warning, then its result). */
export interface OutputPart {
  text: string;
  stderr?: boolean;
}

export interface Outcome {
  stdout: string;
  stderr?: string;
  /** stdout and stderr in the order kubectl writes them; when set, stdout and stderr hold the same text */
  parts?: OutputPart[];
  errors?: unknown[];
  /** an exit status other than 0/1, for programs run in the simulated cluster (curl's 7, 28 …) */
  code?: number;
}

/** An outcome from parts written in order. */
export function inOrder(parts: OutputPart[], errors?: unknown[]): Outcome {
  const join = (err: boolean) => parts.filter((p) => !!p.stderr === err).map((p) => p.text).join('');
  return { stdout: join(false), stderr: join(true), parts, errors };
}

export function fail(e: unknown): Outcome {
  return { stdout: '', errors: [e] };
}

/** Writes an outcome the way kubectl does: output first, then the errors, exit 1 if any. */
export function emit(o: Outcome): number {
  if (o.parts) {
    for (const p of o.parts) if (p.text) (p.stderr ? writeErr : writeOut)(p.text);
  } else {
    if (o.stdout) writeOut(o.stdout);
    if (o.stderr) writeErr(o.stderr);
  }
  if (o.errors && o.errors.length) {
    writeErr(formatErrors(o.errors) + '\n');
    return o.code ?? 1;
  }
  return o.code ?? 0;
}
