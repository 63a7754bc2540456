// create priorityclass: kubectl's generator (src/generators/priorityclass.ts), printed
// (--dry-run=client) or created.
import type { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { priorityClassFor } from '../generators/priorityclass';
import type { GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName } from './generate';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';

export function registerPriorityClassGenerator(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  dryRunOption(
    validateOption(create.command('priorityclass'))
      .alias('pc')
      .description('Create a priority class with the specified name')
      .argument('[name...]')
      .option('--value <n>', 'the value of this priority class.', '0')
      .option('--global-default', 'global-default specifies whether this PriorityClass should be considered as the default priority.')
      .option('--description <text>', 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.', '')
      .option('--preemption-policy <policy>', 'preemption-policy is the policy for preempting pods with lower priority.', 'PreemptLowerPriority'),
  ).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => {
      const name = exactlyOneName(names, 'create priorityclass');
      const o = cmd.optsWithGlobals();
      try {
        return emitGenerated(g(), [priorityClassFor(name, o)], o, 'created');
      } catch (e) {
        // Run: "failed to create priorityclass: <the apiserver's refusal>"
        if (e instanceof StatusError) throw new CliError(`error: failed to create priorityclass: ${e.message}`, true);
        throw e;
      }
    }),
  );
}
