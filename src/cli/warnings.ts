// What kubectl does with the server's answer to fieldValidation: --validate's value, and the
// warnings the server sends back (client-go's warning writer as kubectl sets it up).
import { isTerminal } from '../util/stdio';
import { perCommand } from '../util/percommand';
import type { Command } from 'commander';
import { CliError } from '../api/errors';
import type { FieldValidation } from '../api/decode';
import { parseBool } from './flags';

/**
 * cmdutil.GetValidationDirective: --validate (default and bare: "strict", pflag's NoOptDefVal) as
 * the request's fieldValidation. strconv.ParseBool's words count as true / false.
 */
export function validationDirective(value: string | undefined): FieldValidation {
  const v = value ?? 'strict';
  const b = parseBool(v);
  if (b !== undefined) return b ? 'Strict' : 'Ignore';
  if (v === 'strict') return 'Strict';
  if (v === 'warn') return 'Warn';
  if (v === 'ignore') return 'Ignore';
  throw new CliError(`error: invalid - validate option ${JSON.stringify(v)}; must be one of: strict (or true), warn, ignore (or false)`, true);
}

const written = new Set<string>();
perCommand(() => written.clear());

/**
 * rest.NewWarningWriter(stderr, {Deduplicate: true, Color: term.AllowsColorOutput(stderr)}): each
 * distinct warning once per command, "Warning:" in bold yellow on a terminal. '' for a repeat.
 */
export function warningLine(message: string): string {
  if (!message || written.has(message)) return '';
  written.add(message);
  const color = isTerminal(2) && process.env.TERM !== 'dumb' && !('NO_COLOR' in process.env);
  return color ? `\x1b[33;1mWarning:\x1b[0m ${message}\n` : `Warning: ${message}\n`;
}

/** kubectl's --validate flag (cmdutil.AddValidateFlags), on the verbs that send objects they were given. */
export function validateOption<C extends Command>(c: C): C {
  return c.option(
    '--validate [mode]',
    'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. "warn" will warn about unknown or duplicate fields without blocking the request. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields. (default "strict")',
  ) as C;
}
