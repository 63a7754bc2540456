// `kubesim options` (kubectl's global flags) and `kubesim help [COMMAND]...` (cobra's help command:
// the help of the command the words name). Loaded only for these; `--help` itself reaches the
// renderer through commander's formatHelp (src/cli/program.ts).
import type { Command } from 'commander';
import type { Outcome } from '../outcome';
import { renderHelp, renderOptions } from './render';

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
  program
    .command('help', { hidden: true })
    .description('Help about any command')
    .argument('[command...]')
    .action((words: string[]) =>
      run(() => {
        const cmd = findCommand(program, words);
        // cobra: `Unknown help topic ["foo"]` and the root's usage
        if (!cmd) return { stdout: `Unknown help topic ${JSON.stringify(words).replace(/,/g, ' ')}\n${renderHelp(program)}` };
        return { stdout: renderHelp(cmd) };
      }),
    );
}
