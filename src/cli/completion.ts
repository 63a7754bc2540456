// kubesim completion bash|zsh|fish: shell scripts that ask `kubesim __complete -- WORDS… CURRENT`
// for candidates, as kubectl's (cobra's) scripts ask `kubectl __complete`: verbs and subcommands,
// resource types, the names of objects in the cluster state, flags (when the word starts with "-")
// and flag values: -o the command's output formats (kubectl's list, from its flag description),
// -n namespaces, --context the contexts of kubesim's kubeconfig when it exists.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { lookupResource, RESOURCES } from '../api/resources';
import { yaml } from '../util/yaml';
import { readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';

const TAKES_TYPE = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'scale', 'explain', 'wait', 'expose', 'edit', 'port-forward', 'logs', 'patch', 'replace', 'taint', 'top', 'autoscale']);

/**
 * The bash function is __start_kubesim, as cobra names kubectl's __start_kubectl, and it always runs
 * the kubesim program (never the word the user typed), so the same function completes an alias:
 * `alias kubectl=kubesim; complete -o default -F __start_kubesim kubectl`.
 */
const BASH = `# kubesim bash completion: source <(kubesim completion bash)
__start_kubesim() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  # bash splits "--output=" at "=" (COMP_WORDBREAKS): the value is what follows it
  [[ $cur == = ]] && cur=
  local IFS=$'\\n'
  COMPREPLY=( $(compgen -W "$(kubesim __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur") )
}
_kubesim() { __start_kubesim "$@"; }
complete -o default -F __start_kubesim kubesim
`;

const SCRIPTS: Record<string, string> = {
  bash: BASH,
  zsh: `# kubesim zsh completion: source <(kubesim completion zsh)
autoload -U +X bashcompinit && bashcompinit
${BASH.split('\n').slice(1).join('\n')}`,
  fish: `# kubesim fish completion: kubesim completion fish | source
complete -c kubesim -f -a '(kubesim __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
};

export function runCompletion(shell: string | undefined): Outcome {
  if (!shell) throw new CliError('error: Shell not specified.\nSee \'kubesim completion -h\' for help and examples', true);
  const script = SCRIPTS[shell];
  if (!script) throw new CliError(`error: Unsupported shell type "${shell}".`, true);
  return { stdout: script };
}

const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;

/** kubesim's kubeconfig (the user's ~/.kube/config is never read): its contexts' names */
function contexts(kubeconfig: string | undefined): string[] {
  const file = kubeconfig ?? process.env.KUBESIM_CONFIG ?? join(homedir(), '.kubesim', 'config');
  if (!existsSync(file)) return [];
  try {
    const doc = yaml().parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS() as { contexts?: { name?: string }[] };
    return (doc?.contexts ?? []).map((c) => c.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

/** kubectl's output formats for the command: the list in its -o flag's description */
function outputFormats(path: string[]): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { helpTexts } = require('./help/render') as typeof import('./help/render');
  const t = helpTexts().commands[path.join(' ')];
  const desc = t?.flags.find((f) => f[1] === 'output')?.[3] ?? '';
  const m = /One of: \(([^)]*)\)/.exec(desc);
  return m ? m[1].split(/,\s*/) : ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file'];
}

/**
 * The candidates for the word being typed (the last of `words`, the words after "kubesim"),
 * those that start with it.
 */
export function completions(program: Command, g: GlobalOptions, words: string[]): string[] {
  // "=" alone is bash's word break in "--output=" (the value comes next): nothing typed yet
  const last = words.length ? words[words.length - 1] : '';
  const cur = last === '=' ? '' : last;
  const before = words.slice(0, -1);
  // the command the words name and the positional words after it, skipping flags and their values
  let cmd = program;
  const path: string[] = [];
  const positional: string[] = [];
  const flags = (): Option[] => [...(cmd.options as Option[]), ...(cmd === program ? [] : (program.options as Option[]))];
  const values: Record<string, string> = {};
  let pending: Option | undefined;
  for (const w of before) {
    if (pending) {
      if (w === '=') continue; // "--namespace=kube-system" as bash splits it
      values[pending.long ?? ''] = w;
      pending = undefined;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      const eq = w.indexOf('=');
      const o = flags().find((f) => f.long === (eq < 0 ? w : w.slice(0, eq)) || f.short === w);
      if (o && eq >= 0) values[o.long ?? ''] = w.slice(eq + 1);
      else if (o?.required) pending = o;
      continue;
    }
    const sub = positional.length === 0 ? cmd.commands.find((c) => !hidden(c) && (c.name() === w || c.aliases().includes(w))) : undefined;
    if (sub) {
      cmd = sub;
      path.push(sub.name());
    } else positional.push(w);
  }
  const ns = values['--namespace'] ?? g.namespace;
  const starting = (xs: string[]) => xs.filter((x) => x.startsWith(cur));
  if (pending) {
    // a flag's value
    if (pending.long === '--output') return starting(outputFormats(path));
    if (pending.long === '--namespace') return starting(readApi(g).list(lookupResource('namespaces')!, undefined).map((o) => o.metadata.name));
    if (pending.long === '--context') return starting(contexts(values['--kubeconfig']));
    return [];
  }
  if (cur.startsWith('-')) {
    const names = flags().flatMap((o) => [...(o.long ? [o.long] : []), ...(o.short && cur.length <= 2 ? [o.short] : [])]);
    return starting([...new Set(names)].sort());
  }
  if (cmd === program) return starting(program.commands.filter((c) => !hidden(c)).map((c) => c.name()).sort());
  if (positional.length === 0 && cmd.commands.length) return starting(cmd.commands.filter((c) => !hidden(c)).map((c) => c.name()).sort());
  if (!TAKES_TYPE.has(path[0])) return [];
  if (positional.length === 0) return starting(RESOURCES.flatMap((r) => [r.plural, ...r.shortNames]).sort());
  const res = lookupResource(positional[0].split('/')[0]);
  if (!res) return [];
  return starting(
    readApi(g)
      .list(res, ns || 'default')
      .map((o) => o.metadata.name),
  );
}

export function registerCompletion(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('completion')
    .description('Output shell completion code for the specified shell (bash, zsh, or fish)')
    .argument('[shell]')
    .action((shell?: string) => run(() => runCompletion(shell)));
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .allowUnknownOption(true)
    .helpOption(false)
    .action((words: string[]) => run(() => ({ stdout: suggestions(program, g(), words).map((w) => w + '\n').join('') })));
}

/** kubectl's completion swallows the server's refusals: a list the user may not read suggests nothing */
function suggestions(program: Command, g: GlobalOptions, words: string[]): string[] {
  try {
    return completions(program, g, words);
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'Forbidden') return [];
    throw e;
  }
}
