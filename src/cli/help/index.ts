// `kubesim options` (kubectl's global flags) and `kubesim help [COMMAND]...` (cobra's help command:
// the help of the command the words name). Loaded only for these; `--help` itself reaches the
// renderer through commander's formatHelp (src/cli/program.ts).
import type { Command } from 'commander';
import type { Outcome } from '../outcome';
import { renderHelp, renderOptions, textFor } from './render';

const hidden = (c: Command) => (c as unknown as { _hidden?: boolean })._hidden === true;

/** The command the words name, as far as they name subcommands (cobra's Find). */
export function findCommand(program: Command, words: string[]): Command | undefined {
  let cmd = program;
  for (const w of words) {
    const next = cmd.commands.find((c) => !hidden(c) && (c.name() === w || c.aliases().includes(w)));
    if (!next) return cmd === program ? undefined : cmd;
    cmd = next;
  }
  return cmd;
}

export function registerHelp(program: Command, _g: unknown, run: (fn: () => Outcome) => void): void {
  program
    .command('options', { hidden: true })
    .description('Print the list of flags inherited by all commands')
    .action(() => run(() => ({ stdout: renderOptions(program) })));
  program.helpCommand(false);
  // the default command too: `kubesim` alone prints the root's help on stdout and exits 0, as kubectl
  // does (unknown words never reach it: pflagArgs answers "unknown command" first)
  program
    .command('help', { hidden: true, isDefault: true })
    .description('Help about any command')
    .argument('[command...]')
    .action((words: string[]) =>
      run(() => {
        const cmd = findCommand(program, words);
        // cobra's help command: `Unknown help topic %#q` and the root's usage (its help without the
        // Long text) on stderr, exit 0
        if (!cmd) {
          const usage = renderHelp(program).slice(textFor(program).long.length + 2);
          return { stdout: '', stderr: `Unknown help topic [${words.map((w) => `\`${w}\``).join(' ')}]\n\n\n${usage}` };
        }
        return { stdout: renderHelp(cmd) };
      }),
    );
}
