// The serve verb as the CLI bundle declares it (flags for help and completion); what it does runs
// from a bundle of its own, dist/serve.cjs (src/cli/serve-entry.ts, build.mjs OWN_BUNDLES): the server's
// code is never read by any other command.
import { Command } from 'commander';
import type { GlobalOptions } from './context';
import type { ServeOptions } from './serve';

export function registerServe(program: Command, g: () => GlobalOptions): void {
  program
    .command('serve')
    .description('Serve the Kubernetes API of the simulated cluster, for your own kubectl (kubesim only)')
    .option('--port <port>', 'The port to listen on (0: any free port)', '6443')
    .option('--address <address>', 'The address to listen on (loopback unless one is named)')
    .option('--tls', 'Serve https with a self-signed certificate made at start (the kubeconfig trusts it)')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action((o: ServeOptions) => (require('./serve') as typeof import('./serve')).runServe(g(), o));
}
