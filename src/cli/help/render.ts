// `--help` in kubectl's layout (k8s.io/kubectl pkg/util/templates/templater.go, its MainUsageTemplate
// and cmdGroupsString; flags as pflag's FlagUsages prints them through kubectl's flagsUsages: the
// flag, `=` its default, `:`, then the description on the next line after a tab, unwrapped).
// The texts (Long, Examples, Short, usage line, flag descriptions and defaults) are real kubectl's,
// recorded by scripts/gen-help.mjs into texts.json (copied beside the bundle by build.mjs and read
// only here: help adds nothing to other commands' start-up). The Options section lists exactly the
// flags kubesim accepts for the command, each with kubectl's words where kubectl has the flag.
//
// The program's name: kubectl's usage line and footer come from the root command's CommandPath
// (its Use is the literal "kubectl", never the binary's file name), while its Long texts and
// Examples are literal strings that say "kubectl". kubesim does the same with its root's name: the
// usage line and footer say "kubesim" (what the user types, or what an alias runs), and the
// examples keep kubectl's "kubectl" as kubectl prints them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { OWN } from './own';
import { wrapLimit, wrapString } from './wrap';

/** [shorthand, name, default as pflag prints it, description] */
export type Flag = [string, string, string, string];
export interface CommandText {
  short: string;
  long: string;
  aliases: string[];
  examples: string;
  usage: string;
  commands: [string, [string, string][]][];
  flags: Flag[];
}
export interface HelpTexts {
  version: string;
  commands: Record<string, CommandText>;
  options: { long: string; flags: Flag[] };
}

let texts: HelpTexts | undefined;
/** dist/help.json beside the bundle (dist/kubesim.cjs or dist/lib.cjs) */
export function helpTexts(): HelpTexts {
  return (texts ??= JSON.parse(readFileSync(join(__dirname, 'help.json'), 'utf8')) as HelpTexts);
}

/** the command's names below the root: ['create', 'deployment'] */
export function commandPath(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names;
}
const rootOf = (cmd: Command): Command => {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
};
const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;
const isHiddenOption = (o: Option) => (o as unknown as { hidden?: boolean }).hidden === true;

/** kubectl's text for a command, kubesim's own for its own commands, or what commander knows */
export function textFor(cmd: Command): CommandText {
  const key = commandPath(cmd).join(' ');
  const own = OWN[key];
  const k = helpTexts().commands[key];
  // kubesim's own text replaces kubectl's words; kubectl's command groups and flags stay
  const fallback: CommandText = { short: cmd.description(), long: cmd.description(), aliases: [], examples: '', usage: `kubectl ${key} [options]`, commands: [], flags: [] };
  const base = k ?? fallback;
  if (!own) return base;
  return { ...base, short: own.short, long: own.long, examples: own.examples ?? '', usage: own.usage, flags: [...(own.flags ?? []), ...base.flags] };
}

/** pflag's line for a flag: `    -o, --output='':` */
function flagLine(short: string, name: string, def: string): string {
  return `    ${short ? `-${short}, ` : ''}--${name}=${def}:`;
}

/** A commander option's default as pflag prints it when kubectl does not have the flag. */
function ownDefault(o: Option): string {
  if (!o.required && !o.optional) return 'false';
  const d = o.defaultValue as unknown;
  if (Array.isArray(d)) return `[${d.join(',')}]`;
  if (typeof d === 'number') return String(d);
  return `'${d === undefined ? '' : String(d)}'`;
}

/** The flags a command accepts, in pflag's order (sorted by name), with kubectl's words. */
export function flagsOf(options: readonly Option[], known: Flag[]): Flag[] {
  const out: Flag[] = [];
  for (const o of options) {
    if (!o.long || isHiddenOption(o)) continue;
    const name = o.long.slice(2);
    const k = known.find((f) => f[1] === name);
    const short = o.short ? o.short.slice(1) : '';
    out.push(k ? [short, name, k[2], k[3]] : [short, name, ownDefault(o), o.description]);
  }
  return out.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/** `limit`: the terminal's wrap width (0: none), descriptions wrap at 10 less */
export function renderFlags(flags: Flag[], limit = 0): string {
  const body = (desc: string) => (limit ? wrapString(desc.split('\n').join(' '), limit - 10) : desc);
  return flags.map(([s, n, d, desc]) => `${flagLine(s, n, d)}\n${body(desc).split('\n').map((l) => `\t${l}`).join('\n')}\n\n`).join('');
}

/** cobra's rpad to the longest command name (at least 11), then kubectl's three spaces */
function listing(cmds: [string, string][], all: string[]): string {
  const pad = Math.max(11, ...all.map((n) => n.length));
  return cmds.map(([n, s]) => `  ${n.padEnd(pad)}   ${s}\n`).join('');
}

/** kubesim's own commands that kubectl does not have, shown in a group of their own at the root */
const SIMULATOR_GROUP = 'Simulator Commands (kubesim only)';

export function renderHelp(cmd: Command, limit = wrapLimit()): string {
  const s = helpText(cmd, limit);
  return limit ? wrapString(s, limit) : s;
}

function helpText(cmd: Command, limit: number): string {
  const root = rootOf(cmd);
  const prog = root.name();
  const t = textFor(cmd);
  const subs = cmd.commands.filter((c) => !hidden(c));
  const kubectlSubs = new Map(t.commands.flatMap(([, l]) => l));
  // kubesim's own Short where it has its own text (completion), else kubectl's listing
  const shortOf = (c: Command) => OWN[[...commandPath(c)].join(' ')]?.short ?? kubectlSubs.get(c.name()) ?? textFor(c).short ?? c.description();
  let s = '';
  if (t.long) s += `${t.long}\n\n`;
  const aliases = cmd.aliases();
  if (aliases.length) s += `Aliases:\n${[cmd.name(), ...aliases].join(', ')}\n\n`;
  if (t.examples) s += `Examples:\n${t.examples}\n\n`;
  if (subs.length) {
    const all = subs.map((c) => c.name());
    if (cmd === root) {
      // kubectl's groups with the verbs kubesim has, then kubesim's own
      const placed = new Set<string>();
      for (const [group, list] of t.commands) {
        const have = list.filter(([n]) => all.includes(n)).map(([n]): [string, string] => [n, shortOf(subs.find((c) => c.name() === n)!)]);
        have.forEach(([n]) => placed.add(n));
        if (have.length) s += `${group}:\n${listing(have, all)}\n`;
      }
      const rest = subs.filter((c) => !placed.has(c.name())).map((c): [string, string] => [c.name(), shortOf(c)]);
      if (rest.length) s += `${SIMULATOR_GROUP}:\n${listing(rest, all)}\n`;
    } else {
      // cobra sorts subcommands by name
      const sorted = [...subs].sort((a, b) => (a.name() < b.name() ? -1 : 1));
      s += `Available Commands:\n${listing(sorted.map((c) => [c.name(), shortOf(c)]), all)}\n`;
    }
  }
  const flags = flagsOf(cmd === root ? [] : (cmd.options as Option[]), t.flags);
  if (flags.length) s += `Options:\n${renderFlags(flags, limit)}`;
  const usage = t.usage.replace(/^kubectl\b/, prog);
  s += `Usage:\n  ${usage}\n\n`;
  // cobra's {{.CommandPath}}: "kubectl create secret <command> --help"
  if (subs.length) s += `Use "${[prog, ...commandPath(cmd)].join(' ')} <command> --help" for more information about a given command.\n`;
  s += `Use "${prog} options" for a list of global command-line options (applies to all commands).\n`;
  return s;
}

/** `kubesim options`: kubectl's text for the global flags kubesim accepts */
export function renderOptions(program: Command, limit = wrapLimit()): string {
  const t = helpTexts().options;
  const s = `${t.long}\n\n${renderFlags(flagsOf(program.options as Option[], [...t.flags, ...OWN_GLOBALS]), limit)}`;
  return limit ? wrapString(s, limit) : s;
}
const OWN_GLOBALS: Flag[] = [['', 'state', "''", 'The directory of the simulated cluster\'s state (default: $KUBESIM_STATE, else ~/.kubesim/cluster)']];
