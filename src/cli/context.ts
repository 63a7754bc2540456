// What every command shares: where the state lives, opening it for reading or for a locked
// read-modify-write, and the namespace the command works in.
import { CliError } from '../api/errors';
/* eslint-disable @typescript-eslint/no-require-imports */
// The control plane (every controller, the kubelet, the data plane it uses) loads only when a
// command needs it: a read with nothing due never does, so adding a kind's controller does not
// slow `get` (the verbs load the same way, src/cli/program.ts)
const controlPlane = (): typeof import('../controllers/reconcile') => require('../controllers/reconcile');
const bootstrap = (): typeof import('../cluster/bootstrap') => require('../cluster/bootstrap');
const upgrade = (): typeof import('../cluster/upgrade') => require('../cluster/upgrade');
const kubeconfig = (): typeof import('./kubeconfig') => require('./kubeconfig');
/* eslint-enable @typescript-eslint/no-require-imports */
import { nowMs } from '../util/clock';
import { clientOf, LocalClient } from '../apiserver/client';
import { setRequester } from '../apiserver/requester';
import { State } from '../store/state';
import { FORMAT_VERSION, MANIFEST, needsUpgrade, resolveStateDir, Store, type ClusterFile } from '../store/store';

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

/**
 * The manifest in force. A default cluster is made on first use (a directory without one; other
 * files in it stay as they are), under the lock so two first commands make one cluster; a format-1
 * state is migrated once. A directory with kubesim's files but no cluster.json is reported, never
 * replaced.
 */
function manifestOf(store: Store): ClusterFile {
  const kind = store.kind();
  if (kind === 'headless') {
    throw new CliError(
      `error: the cluster state in ${store.dir} has no ${MANIFEST}: it is damaged and kubesim will not guess what it held.\n` +
        `Nothing was changed. Restore ${MANIFEST}, or start a new cluster with: kubesim cluster reset`,
      true,
    );
  }
  if (kind === 'cluster') {
    const m = store.readCluster();
    if (m.formatVersion === FORMAT_VERSION && !needsUpgrade(m)) return m;
  }
  const release = store.lock();
  try {
    const now = store.kind();
    if (now === 'cluster') {
      const read = store.readCluster();
      const m = read.formatVersion === FORMAT_VERSION ? read : store.migrate(read);
      return needsUpgrade(m) ? upgraded(store, m) : m;
    }
    if (now === 'headless') return manifestOf(store); // reports it
    const state = bootstrap().createCluster(store);
    state.commit();
    return state.cluster;
  } finally {
    release();
  }
}

/** A state an older kubesim made, given what a new cluster has (cluster/upgrade.ts), under the lock. */
function upgraded(store: Store, m: ClusterFile): ClusterFile {
  const state = new State(store, m);
  upgrade().upgradeState(state);
  state.commit();
  return store.readCluster();
}

/** For commands that only read: no lock; each shard is read when first asked for. */
export function openRead(g: GlobalOptions): State {
  const store = storeFor(g);
  const m = manifestOf(store);
  // time has moved on past a kubelet's next step: the cluster catches up (and keeps it) first
  if (m.nextDue !== undefined && m.nextDue <= nowMs()) return caughtUp(store);
  return new State(store, m);
}

/** The cluster moved to the present under the lock and committed: what a read then sees. */
function caughtUp(store: Store): State {
  const release = store.lock();
  try {
    const state = new State(store, store.readCluster());
    if (controlPlane().catchUp(state)) state.commit();
    else if (state.cluster.nextDue !== undefined && state.cluster.nextDue <= nowMs()) state.commit();
  } finally {
    release();
  }
  return new State(store, store.readCluster());
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
  return mutate(g, (state) => fn(clientOf(state)), dryRun);
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
  // a client dry run changes an in-memory copy and writes nothing
  if (dryRun) return fn(openRead(g));
  const store = storeFor(g);
  manifestOf(store);
  const release = store.lock();
  try {
    const state = new State(store, store.readCluster());
    // the cluster as it is now, before the command acts on it
    const { catchUp, markOf, reconcile } = controlPlane();
    catchUp(state);
    const mark = markOf(state);
    const result = fn(state);
    // the controllers act on what the command changed: one that changed nothing (a failed create,
    // an apply with nothing to do) leaves the state byte-identical, retries and all
    if (runControllers && state.changeCount() > mark.since) reconcile(state, mark);
    state.commit();
    return result;
  } finally {
    release();
  }
}

export function namespaceOf(g: GlobalOptions): string {
  return g.namespace || selectionOf(g).namespace || 'default';
}
