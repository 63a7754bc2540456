// kubesim serve: the Kubernetes REST API over the cluster state on a loopback port, for the real
// kubectl, client libraries and dashboards. Thin: the server lives in src/server; this verb checks
// the address, writes the kubeconfig and the discovery file, and stops on SIGINT/SIGTERM.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { CliError, formatErrors } from '../api/errors';
import { manifestOf } from '../apiserver/transaction';
import { checkedAddress } from '../server/address';
import { ADMIN_TOKEN } from '../server/auth';
import { startServer } from '../server/http';
import { writeErr, writeOut } from '../util/stdio';
import { namespaceOf, storeFor, type GlobalOptions } from './context';
import { configPath } from './kubeconfig';
import { commandRunner } from './serverun';

export interface ServeOptions {
  port: string;
  address?: string;
  tls?: boolean;
}

/** The discovery file other kubesim processes find a running server by (issue 18: one state, two doors). */
export const SERVE_FILE = 'serve.json';
// the name issue 18 gives it: `kubectl --context kubesim` once KUBECONFIG names this file
export const SERVE_CONTEXT = 'kubesim';

/** The kubeconfig for the real kubectl: beside kubesim's own (never the user's ~/.kube/config). */
export function serveKubeconfigPath(): string {
  return `${configPath()}-serve`;
}

function writeKubeconfig(file: string, url: string, namespace: string, ca?: string): void {
  const cluster = ca ? { server: url, 'certificate-authority-data': Buffer.from(ca).toString('base64') } : { server: url };
  const cfg = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: SERVE_CONTEXT, cluster }],
    // the admin's token (server/auth.ts): without any credentials kubectl asks for a username and
    // password on an https server
    users: [{ name: SERVE_CONTEXT, user: { token: ADMIN_TOKEN } }],
    contexts: [{ name: SERVE_CONTEXT, context: { cluster: SERVE_CONTEXT, user: SERVE_CONTEXT, namespace } }],
    'current-context': SERVE_CONTEXT,
    preferences: {},
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
}

/** The server serve.json names, if its process still runs (a file left by a killed one is stale). */
function runningServer(file: string): { url: string; pid: number } | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8'));
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

async function serve(g: GlobalOptions, o: ServeOptions): Promise<void> {
  const port = Number(o.port);
  if (!/^\d+$/.test(o.port) || port > 65535) throw new CliError(`error: invalid port "${o.port}"`, true);
  const address = checkedAddress(o.address);
  const store = storeFor(g);
  manifestOf(store); // a cluster exists (made on first use) before the first request
  const serveFile = store.file(SERVE_FILE);
  const running = runningServer(serveFile);
  if (running) throw new CliError(`error: kubesim serve is already running for ${store.dir} at ${running.url} (pid ${running.pid})`, true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tls = o.tls ? (require('../server/tls') as typeof import('../server/tls')).selfSigned(address === 'localhost' ? '127.0.0.1' : address) : undefined;
  const server = await startServer({ store, port, address, tls, runner: commandRunner(serveKubeconfigPath()) });
  const bound = server.address() as net.AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${bound.port}`;
  const kubeconfig = serveKubeconfigPath();
  writeKubeconfig(kubeconfig, url, namespaceOf(g), tls?.cert);
  fs.writeFileSync(serveFile, JSON.stringify({ url, pid: process.pid, kubeconfig }) + '\n');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    try {
      fs.rmSync(serveFile, { force: true });
    } catch {
      /* the state directory went away */
    }
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // paths under the home directory as a shell user types them (~/.kubesim/config-serve)
  const home = process.env.HOME;
  const tilde = (p: string) => (home && home !== '/' && p.startsWith(home + '/') ? '~' + p.slice(home.length) : p);
  writeOut(
    `Serving the kubesim API at ${url} (press Ctrl-C to stop)\n` +
      `Use your own kubectl with it:\n` +
      `  export KUBECONFIG=${tilde(kubeconfig)}\n` +
      `  kubectl get pods\n` +
      `or, without changing KUBECONFIG:\n` +
      `  kubectl --kubeconfig ${tilde(kubeconfig)} --context ${SERVE_CONTEXT} get pods\n` +
      `State: ${tilde(store.dir)}\n`,
  );
}

/** The serve verb's action (src/cli/serve-verb.ts declares the verb in the CLI bundle; this module
 * runs from dist/serve.cjs, build.mjs): errors are printed here, by this bundle's own error types. */
export function runServe(g: GlobalOptions, o: ServeOptions): void {
  serve(g, o).catch((e) => {
    if (e instanceof CliError || (e as { reason?: string }).reason) writeErr(formatErrors([e]) + '\n');
    else writeErr(`error: ${(e as Error).message ?? e}\n`);
    process.exit(1);
  });
}
