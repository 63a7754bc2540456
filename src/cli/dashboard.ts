// kubesim dashboard: a web page of the cluster (nodes, pods, Services, endpoints, ownership, events,
// and the path one request takes), live as commands change the state. Thin: the server lives in
// src/dashboard; this verb checks the address, prints the URL and stops on SIGINT/SIGTERM.
import * as net from 'net';
import { CliError, formatErrors } from '../api/errors';
import { manifestOf } from '../apiserver/transaction';
import { checkedAddress } from '../server/address';
import { writeErr, writeOut } from '../util/stdio';
import { namespaceOf, storeFor, type GlobalOptions } from './context';

export interface DashboardOptions {
  port: string;
  address?: string;
  open?: boolean;
}

/** The system's "open this URL" command; a failure only means the user opens it themselves. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const child = (require('child_process') as typeof import('child_process')).spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => writeErr(`Could not start ${cmd}: open ${url} in your browser\n`));
    child.unref();
  } catch {
    writeErr(`Could not start ${cmd}: open ${url} in your browser\n`);
  }
}

async function dashboard(g: GlobalOptions, o: DashboardOptions): Promise<void> {
  const port = Number(o.port);
  if (!/^\d+$/.test(o.port) || port > 65535) throw new CliError(`error: invalid port "${o.port}"`, true);
  const address = checkedAddress(o.address, 'dashboard');
  const store = storeFor(g);
  manifestOf(store); // a cluster exists (made on first use) before the page asks for it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startDashboard } = require('../dashboard/server') as typeof import('../dashboard/server');
  const server = await startDashboard({ store, port, address, namespace: namespaceOf(g) });
  const bound = server.address() as net.AddressInfo;
  const url = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}/`;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    server.closeAllConnections(); // the pages' event streams
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  writeOut(`Dashboard of the cluster at ${url} (press Ctrl-C to stop)\nState: ${store.dir}\n`);
  if (o.open) openBrowser(url);
}

/** The dashboard verb's action (src/cli/dashboard-verb.ts declares its flags in the CLI bundle). */
export function runDashboard(g: GlobalOptions, o: DashboardOptions): void {
  dashboard(g, o).catch((e) => {
    if (e instanceof CliError || (e as { reason?: string }).reason) writeErr(formatErrors([e]) + '\n');
    else writeErr(`error: ${(e as Error).message ?? e}\n`);
    process.exit(1);
  });
}
