// The dashboard verb as the CLI bundle declares it (flags for help and completion); what it does runs
// from a bundle of its own, dist/dashboard.cjs (src/cli/dashboard-entry.ts, build.mjs OWN_BUNDLES).
import { Command } from 'commander';
import type { GlobalOptions } from './context';
import type { DashboardOptions } from './dashboard';

export function registerDashboard(program: Command, g: () => GlobalOptions): void {
  program
    .command('dashboard')
    .description('Serve a live web page of the cluster: nodes, pods, Services, endpoints, events and the path of a request')
    .option('--port <port>', 'The port to listen on (0: any free port)', '8080')
    .option('--address <address>', 'The address to listen on (loopback unless one is named)')
    .option('--open', 'Open the page in the default browser')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action((o: DashboardOptions) => (require('./dashboard') as typeof import('./dashboard')).runDashboard(g(), o));
}
