// kubectl's command-line grammar (spf13/pflag and cobra) in front of commander: `-n=ns`, `-o=json`,
// `--all-namespaces=true`, `--wait=false`, a flag's value given as the next argument even when it
// starts with a dash, pflag's messages for unknown and incomplete flags, and cobra's "Did you mean
// this?" for an unknown command. The argument vector is rewritten into the form commander reads.
import type { Command, Option } from 'commander';
import { CliError } from '../api/errors';

/** The command a flag error names: "kubesim get" → "See 'kubesim get --help' for usage." */
function usageError(message: string, path: string): CliError {
  return new CliError(`Error: ${message}\nSee '${path} --help' for usage.`, true);
}

const takesValue = (o: Option) => o.required || o.optional;
/**
 * A flag with pflag's NoOptDefVal (`--dry-run`, rollout's `--watch`) takes a value only after `=`;
 * given bare it gets this one, and the next argument stays an argument (commander would take it).
 */
export const BARE = 'true';
const isBool = (o: Option) => !o.required && !o.optional;

/** strconv.ParseBool */
export function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/**
 * Flags kubectl declares as integers (pflag Int32 / Int64), by command: their values are parsed as
 * strconv.ParseInt(s, 0, bits) does (0x1f, 0o17, 017, 1_000) and passed on in decimal.
 */
const INT_FLAGS: Record<string, Record<string, 32 | 64>> = {
  'create deployment': { '--replicas': 32, '--port': 32 },
  'create service nodeport': { '--node-port': 32 },
  'create priorityclass': { '--value': 32 },
  scale: { '--replicas': 64, '--current-replicas': 64 },
  delete: { '--grace-period': 64 },
  logs: { '--tail': 64, '--limit-bytes': 64 },
  cp: { '--retries': 64 },
};

/** strconv.ParseInt(s, 0, bits): the value in decimal, or the error's reason. */
export function parseGoInt(s: string, bits: 32 | 64): { value: string } | { error: string } {
  const m = /^([+-]?)(0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[bB][01](?:_?[01])*|0[oO]?(?:_?[0-7])+|[1-9](?:_?[0-9])*|0)$/.exec(s);
  if (!m) return { error: `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax` };
  const digits = m[2].replace(/_/g, '');
  let n: bigint;
  if (/^0[xX]/.test(digits)) n = BigInt(digits);
  else if (/^0[bB]/.test(digits)) n = BigInt(digits);
  else if (/^0[oO]/.test(digits)) n = BigInt(`0o${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits);
  if (m[1] === '-') n = -n;
  const limit = 1n << BigInt(bits - 1);
  if (n < -limit || n >= limit) return { error: `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range` };
  return { value: n.toString() };
}

/** pflag names a flag in errors by both its forms when it has a shorthand: "-r, --replicas". */
function flagName(o: Option): string {
  return o.short && o.long ? `${o.short}, ${o.long}` : (o.long ?? o.short ?? '');
}

/** The commands from the root to the one the arguments name, and where the names were. */
function commandPath(program: Command, args: string[], globals: Option[]): Command[] {
  const path = [program];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      // a global flag's separate value is not a command name
      const o = globals.find((g) => g.long === a || g.short === a);
      if (o && takesValue(o)) i++;
      continue;
    }
    const cur = path[path.length - 1];
    if (cur.commands.length === 0) break;
    const next = cur.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!next) {
      if (cur === program) throw unknownCommand(program, a);
      break; // a subcommand's argument (e.g. `create -f`): commander decides
    }
    path.push(next);
  }
  return path;
}

/** cobra's Levenshtein distance (case-insensitive) for suggestions. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
  }
  return d[s.length][t.length];
}

/**
 * cobra's legacyArgs error with SuggestionsFor: commands within distance 2, or that the typed name
 * is a prefix of, in the order the commands were added (kubectl's help order).
 */
const KUBECTL_ORDER = 'create expose run set explain get edit delete rollout scale autoscale certificate cluster-info top cordon uncordon drain taint describe logs attach exec port-forward proxy cp auth debug events diff apply patch replace wait kustomize label annotate completion api-resources api-versions config plugin version'.split(' ');
const helpOrder = (n: string) => (KUBECTL_ORDER.includes(n) ? KUBECTL_ORDER.indexOf(n) : KUBECTL_ORDER.length);

export function unknownCommand(program: Command, typed: string): CliError {
  const names = program.commands
    .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
    .map((c) => c.name())
    .sort((a, b) => helpOrder(a) - helpOrder(b));
  const suggestions = names.filter((n) => distance(typed, n) <= 2 || n.toLowerCase().startsWith(typed.toLowerCase()));
  const more = suggestions.length ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '';
  return new CliError(`Error: unknown command ${JSON.stringify(typed)} for ${JSON.stringify(program.name())}${more}`, true);
}

/**
 * Rewrites the user's arguments (without node and the script) into commander's form, or throws
 * pflag's error. Flags are those of the command the arguments name plus the global ones.
 */
export function pflagArgs(program: Command, args: string[]): string[] {
  const globals = program.options as Option[];
  const path = commandPath(program, args, globals);
  const cmd = path[path.length - 1];
  // commands that pass their arguments on (curl, ssh) read them as they are
  if ((cmd as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption) return args;
  const usage = path.map((c) => c.name()).join(' ');
  const known: Option[] = [...(cmd.options as Option[]), ...(cmd === program ? [] : globals)];
  const byLong = (name: string) => known.find((o) => o.long === name);
  const byShort = (ch: string) => known.find((o) => o.short === `-${ch}`);
  const ints = INT_FLAGS[path.slice(1).map((c) => c.name()).join(' ')] ?? {};
  /** a flag's value as commander should see it: an integer flag's in decimal, or pflag's error */
  const value = (o: Option, v: string): string => {
    const bits = o.long ? ints[o.long] : undefined;
    if (!bits) return v;
    const r = parseGoInt(v, bits);
    if ('error' in r) throw usageError(`invalid argument ${JSON.stringify(v)} for ${JSON.stringify(flagName(o))} flag: ${r.error}`, usage);
    return r.value;
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (name === '--help') {
        out.push(a);
        continue;
      }
      const o = byLong(name);
      if (!o) throw usageError(`unknown flag: ${name}`, usage);
      if (eq < 0) {
        if (o.required) {
          if (i + 1 >= args.length) throw usageError(`flag needs an argument: ${name}`, usage);
          out.push(a, value(o, args[++i]));
        } else out.push(o.optional ? `${name}=${BARE}` : a);
        continue;
      }
      const v = a.slice(eq + 1);
      if (isBool(o)) {
        const b = parseBool(v);
        if (b === undefined) throw usageError(`invalid argument ${JSON.stringify(v)} for ${JSON.stringify(flagName(o))} flag: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`, usage);
        if (b) out.push(name);
        continue;
      }
      out.push(name, value(o, v));
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // a run of shorthands: booleans, then at most one flag that takes the rest (or the next argument)
      for (let j = 1; j < a.length; j++) {
        const ch = a[j];
        const o = byShort(ch);
        if (ch === 'h' && !o) {
          out.push('-h');
          continue;
        }
        if (!o) throw usageError(`unknown shorthand flag: '${ch}' in -${a.slice(j)}`, usage);
        const rest = a.slice(j + 1);
        if (isBool(o)) {
          if (rest.startsWith('=')) {
            const v = rest.slice(1);
            const b = parseBool(v);
            if (b === undefined) throw usageError(`invalid argument ${JSON.stringify(v)} for ${JSON.stringify(flagName(o))} flag: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`, usage);
            if (b) out.push(`-${ch}`);
            break;
          }
          out.push(`-${ch}`);
          continue;
        }
        if (rest.length) {
          out.push(`-${ch}`, value(o, rest.startsWith('=') ? rest.slice(1) : rest));
        } else if (o.required) {
          if (i + 1 >= args.length) throw usageError(`flag needs an argument: '${ch}' in -${ch}`, usage);
          out.push(`-${ch}`, value(o, args[++i]));
        } else {
          out.push(`-${ch}${BARE}`);
        }
        break;
      }
      continue;
    }
    out.push(a);
  }
  return out;
}
