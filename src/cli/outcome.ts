// A command's result: what goes to stdout, to stderr, and the errors that make it exit 1.
import { formatErrors } from '../api/errors';

export interface Outcome {
  stdout: string;
  stderr?: string;
  errors?: unknown[];
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
    return 1;
  }
  return 0;
}
