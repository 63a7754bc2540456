// kubectl port-forward: thin wrapper; the listeners live in src/portforward.
import { writeErr } from '../util/stdio';
import { Command } from 'commander';
import { CliError, formatErrors } from '../api/errors';
import { portForward, type ForwardOptions } from '../portforward/forward';
import type { GlobalOptions } from './context';

export function registerPortForward(program: Command, g: () => GlobalOptions): void {
  program
    .command('port-forward')
    .description('Forward one or more local ports to a pod')
    .argument('[args...]', 'TYPE/NAME [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]')
    .option('--address <addresses>', 'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.', 'localhost')
    .option('--pod-running-timeout <duration>', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '1m0s')
    .action((args: string[], o: ForwardOptions) => {
      portForward(g(), args, o).then(
        (code) => process.exit(code),
        (e) => {
          if (e instanceof CliError || (e as { reason?: string }).reason) writeErr(formatErrors([e]) + '\n');
          else writeErr(`error: ${(e as Error).stack ?? e}\n`);
          process.exit(1);
        },
      );
    });
}
