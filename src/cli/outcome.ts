// A command's result: what goes to stdout, to stderr, and the errors that make it exit 1.
import { formatErrors } from '../api/errors';

export interface Outcome {
  stdout: string;
  stderr?: string;
  errors?: unknown[];
  /** an exit status other than 0/1, for programs run in the simulated cluster (curl's 7, 28 …) */
  code?: number;
}

export function fail(e: unknown): Outcome {
  return { stdout: '', errors: [e] };
}

/** Writes an outcome the way kubectl does: output first, then the errors, exit 1 if any. */
export function emit(o: Outcome): number {
  if (o.stdout) process.stdout.write(o.stdout);
  if (o.stderr) process.stderr.write(o.stderr);
  if (o.errors && o.errors.length) {
    process.stderr.write(formatErrors(o.errors) + '\n');
    return o.code ?? 1;
  }
  return o.code ?? 0;
}
