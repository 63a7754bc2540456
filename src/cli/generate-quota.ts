// create quota: kubectl's generator (src/generators/quota.ts), printed (--dry-run=client) or created.
import type { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { quotaFor } from '../generators/quota';
import type { GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName } from './generate';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';

export function registerQuotaGenerator(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  dryRunOption(
    validateOption(create.command('quota'))
      .alias('resourcequota')
      .description('Create a quota with the specified name')
      .argument('[name...]')
      .option('--hard <pairs>', 'A comma-delimited set of resource=quantity pairs that define a hard limit.')
      .option('--scopes <scopes>', 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.'),
  ).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => {
      const name = exactlyOneName(names, 'create quota');
      const o = cmd.optsWithGlobals();
      const obj = quotaFor(name, g().namespace || undefined, o);
      try {
        return emitGenerated(g(), [obj], o, 'created');
      } catch (e) {
        // Run: "failed to create quota: <the apiserver's refusal>"
        if (e instanceof StatusError) throw new CliError(`error: failed to create quota: ${e.message}`, true);
        throw e;
      }
    }),
  );
}
