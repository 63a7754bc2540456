// --record (deprecated in kubectl 1.32, still accepted by set image|resources|serviceaccount|selector,
// scale …): the kubernetes.io/change-cause annotation, set to the command line as
// cmdutil.RecordFlags / parseCommandArguments writes it: the program's base name, the positional
// arguments, then each flag given as --long=value in command-line order (booleans as =true).
import { Option, type Command } from 'commander';
import { basename } from 'path';
import type { KObject } from '../api/types';

export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** The flag: accepted, and hidden from help as kubectl hides deprecated flags. */
export function recordOption(): Option {
  return new Option('--record [bool]', 'Record current kubectl command in the resource annotation (deprecated)').argParser((v: string) => v !== 'false').hideHelp();
}

export const RECORD_WARNING = 'Flag --record has been deprecated, --record will be removed in the future\n';

/** The options a command accepts, its parents' (the global -n …) included. */
function optionsOf(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) out.push(...(c.options as readonly Option[]));
  return out;
}

/** parseCommandArguments over the process's arguments as the given command parses them. */
export function changeCause(cmd: Command, argv: string[] = process.argv.slice(2)): string {
  const opts = optionsOf(cmd);
  const args: string[] = [];
  let flags = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    let opt: Option | undefined;
    let value: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      opt = opts.find((o) => o.long === name);
      if (eq >= 0) value = a.slice(eq + 1);
    } else if (a.startsWith('-') && a.length > 1) {
      opt = opts.find((o) => o.short === a.slice(0, 2));
      if (a.length > 2) value = a.slice(2).replace(/^=/, '');
    } else {
      args.push(a);
      continue;
    }
    if (!opt) continue;
    if (value === undefined) value = opt.required && i + 1 < argv.length ? argv[++i] : 'true';
    flags += ` --${opt.long!.slice(2)}=${value}`;
  }
  return basename(process.argv[1] ?? 'kubectl') + (args.length ? ` ${args.join(' ')}` : '') + flags;
}

/** The object with the change-cause annotation when --record was given. */
export function recordChangeCause(obj: KObject, cause: string | undefined): KObject {
  if (cause === undefined) return obj;
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [CHANGE_CAUSE]: cause };
  return obj;
}
