// kubesim completion bash|zsh|fish: shell scripts that ask `kubesim __complete WORDS…` for
// candidates: verbs, then resource types, then the names of objects in the cluster state.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { lookupResource, RESOURCES } from '../api/resources';
import { readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';

const TAKES_TYPE = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'scale', 'explain', 'wait', 'expose', 'edit', 'port-forward', 'logs']);

const SCRIPTS: Record<string, string> = {
  bash: `# kubesim bash completion: source <(kubesim completion bash)
_kubesim() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  COMPREPLY=( $(compgen -W "$(kubesim __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "$cur") )
}
complete -o default -F _kubesim kubesim
`,
  zsh: `# kubesim zsh completion: source <(kubesim completion zsh)
autoload -U +X bashcompinit && bashcompinit
_kubesim() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  COMPREPLY=( $(compgen -W "$(kubesim __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "$cur") )
}
complete -o default -F _kubesim kubesim
`,
  fish: `# kubesim fish completion: kubesim completion fish | source
complete -c kubesim -f -a '(kubesim __complete -- (commandline -opc)[2..-1] 2>/dev/null)'
`,
};

export function runCompletion(shell: string | undefined): Outcome {
  if (!shell) throw new CliError('error: Shell not specified.\nSee \'kubesim completion -h\' for help and examples', true);
  const script = SCRIPTS[shell];
  if (!script) throw new CliError(`error: Unsupported shell type "${shell}".`, true);
  return { stdout: script };
}

/** The candidates for the next word after `words` (the words already typed after "kubesim"). */
export function completions(program: Command, g: GlobalOptions, words: string[]): string[] {
  const positional = words.filter((w) => !w.startsWith('-'));
  const nsAt = words.findIndex((w) => w === '-n' || w === '--namespace');
  const ns = nsAt >= 0 ? words[nsAt + 1] : g.namespace;
  if (positional.length === 0) return program.commands.map((c) => c.name()).filter((n) => !n.startsWith('__')).sort();
  const verb = program.commands.find((c) => c.name() === positional[0] || c.aliases().includes(positional[0]));
  if (!verb) return [];
  if (positional.length === 1 && verb.commands.length) return verb.commands.map((c) => c.name()).sort();
  if (!TAKES_TYPE.has(verb.name())) return verb.options.map((o) => o.long ?? '').filter(Boolean);
  if (positional.length === 1) return RESOURCES.flatMap((r) => [r.plural, ...r.shortNames]).sort();
  const res = lookupResource(positional[1].split('/')[0]);
  if (!res) return [];
  return readApi(g)
    .list(res, ns || 'default')
    .map((o) => o.metadata.name);
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
    .action((words: string[]) => run(() => ({ stdout: completions(program, g(), words).map((w) => w + '\n').join('') })));
}
