// What every command shares: where the state lives, opening it for reading or for a locked
// read-modify-write, and the namespace the command works in.
/* eslint-disable @typescript-eslint/no-require-imports */
const kubeconfig = (): typeof import('./kubeconfig') => require('./kubeconfig');
/* eslint-enable @typescript-eslint/no-require-imports */
import { clientOf, DryRunClient, LocalClient } from '../apiserver/client';
import { setRequester } from '../apiserver/requester';
import * as tx from '../apiserver/transaction';
import type { State } from '../store/state';
import { resolveStateDir, Store } from '../store/store';
import { perCommand } from '../util/percommand';

export interface GlobalOptions {
  state?: string;
  namespace?: string;
  /** the kubeconfig context (kubesim's own kubeconfig, cli/kubeconfig.ts) and a cluster to use instead of its */
  context?: string;
  cluster?: string;
  /** impersonation (--as, --as-group, --as-uid): cli/identity.ts */
  as?: string;
  asGroup?: string[];
  asUid?: string;
  /** --token: a bearer token instead of the kubeconfig user's credentials */
  token?: string;
}

/**
 * What the kubeconfig selects for this command (cli/kubeconfig.ts has the precedence). Read once:
 * an unknown --context fails here, before any state is read.
 */
let selection: { stateDir?: string; namespace?: string } | undefined;
function selectionOf(g: GlobalOptions): { stateDir?: string; namespace?: string } {
  selection ??= kubeconfig().selected(g, !g.state && !process.env.KUBESIM_STATE);
  return selection;
}

/**
 * Who the command's API requests come from (apiserver/requester.ts), set once before any state is
 * read: with no kubeconfig and no --as, the default admin, and nothing to load.
 */
let identified = false;
perCommand(() => {
  selection = undefined;
  identified = false;
});
function identify(g: GlobalOptions): void {
  if (identified) return;
  identified = true;
  if (g.as === undefined && !g.asGroup?.length && g.asUid === undefined && g.token === undefined && !kubeconfig().loadKubeconfig()) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { requesterFor } = require('./identity') as typeof import('./identity');
  setRequester(requesterFor(g));
}

export function storeFor(g: GlobalOptions): Store {
  const fromConfig = selectionOf(g).stateDir;
  identify(g);
  return new Store(resolveStateDir(g.state ?? (process.env.KUBESIM_STATE ? undefined : fromConfig)));
}

/** For commands that only read: no lock; each shard is read when first asked for (apiserver/transaction.ts). */
export function openRead(g: GlobalOptions): State {
  return tx.openRead(storeFor(g));
}

/** The API over the state as it is now, for commands that only read. */
export function readApi(g: GlobalOptions): LocalClient {
  return new LocalClient(openRead(g), () => openRead(g));
}

/**
 * The API for one read-modify-write transaction: under the lock, controllers after a change, one
 * commit (see mutate). A dry run works on a copy that is never written, as the apiserver's
 * dryRun=All runs every step but storage.
 */
export function mutateApi<T>(g: GlobalOptions, fn: (api: LocalClient) => T, dryRun = false): T {
  return mutate(g, (state) => fn(dryRun ? new DryRunClient(state) : clientOf(state)), dryRun);
}

/**
 * For commands that change the cluster: hold the lock for the whole read-modify-write, run the
 * controllers, then write what changed. If fn throws, nothing is written.
 */
export function mutate<T>(g: GlobalOptions, fn: (state: State) => T, dryRun = false): T {
  return locked(g, fn, dryRun, true);
}

/**
 * For the data plane (curl, exec, ssh, port-forward): under the lock, but no controllers. A request
 * changes no API object, only what the nodes remember (logs, affinity, the random generator), and
 * every command that changes objects leaves the state reconciled.
 */
export function touchRuntime<T>(g: GlobalOptions, fn: (state: State) => T): T {
  return locked(g, fn, false, false);
}

function locked<T>(g: GlobalOptions, fn: (state: State) => T, dryRun: boolean, runControllers: boolean): T {
  return tx.locked(storeFor(g), fn, dryRun, runControllers);
}

export function namespaceOf(g: GlobalOptions): string {
  return g.namespace || selectionOf(g).namespace || 'default';
}
