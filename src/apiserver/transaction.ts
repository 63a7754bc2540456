// One request as the apiserver runs it over kubesim's state directory: the cluster brought to the
// present on the simulated clock (catch-up), then for a change the writers' lock, the controllers
// after it, one commit. The CLI's commands (src/cli/context.ts) and `kubesim serve`'s requests
// (src/server) both go through here, so a request through either door is the same transaction.
import { CliError } from '../api/errors';
/* eslint-disable @typescript-eslint/no-require-imports */
// The control plane (every controller, the kubelet, the data plane it uses) loads only when a
// request needs it: a read with nothing due never does, so adding a kind's controller does not
// slow `get`. Required lazily, as the layers above this one are (controllers, cluster bootstrap).
const controlPlane = (): typeof import('../controllers/reconcile') => require('../controllers/reconcile');
const bootstrap = (): typeof import('../cluster/bootstrap') => require('../cluster/bootstrap');
const upgrade = (): typeof import('../cluster/upgrade') => require('../cluster/upgrade');
/* eslint-enable @typescript-eslint/no-require-imports */
import { nowMs } from '../util/clock';
import { clientOf, LocalClient } from './client';
import { State } from '../store/state';
import { FORMAT_VERSION, MANIFEST, needsUpgrade, Store, type ClusterFile } from '../store/store';

/**
 * The manifest in force. A default cluster is made on first use (a directory without one; other
 * files in it stay as they are), under the lock so two first commands make one cluster; a format-1
 * state is migrated once. A directory with kubesim's files but no cluster.json is reported, never
 * replaced.
 */
export function manifestOf(store: Store): ClusterFile {
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

/** For requests that only read: no lock; each shard is read when first asked for. */
export function openRead(store: Store): State {
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

/**
 * A read-modify-write: hold the lock for the whole of it, run the controllers after a change
 * (runControllers), then write what changed. If fn throws, nothing is written. A dry run works on
 * a copy that is never written, as the apiserver's dryRun=All runs every step but storage.
 */
export function locked<T>(store: Store, fn: (state: State) => T, dryRun: boolean, runControllers: boolean): T {
  if (dryRun) return fn(openRead(store));
  manifestOf(store);
  const release = store.lock();
  try {
    const state = new State(store, store.readCluster());
    // the cluster as it is now, before the request acts on it
    const { catchUp, markOf, reconcile } = controlPlane();
    catchUp(state);
    const mark = markOf(state);
    const result = fn(state);
    // the controllers act on what the request changed: one that changed nothing (a failed create,
    // an apply with nothing to do) leaves the state byte-identical, retries and all
    if (runControllers && state.changeCount() > mark.since) reconcile(state, mark);
    state.commit();
    return result;
  } finally {
    release();
  }
}

/** The API over the state as it is now, for a request that only reads (watch reopens it). */
export function readClient(store: Store): LocalClient {
  return new LocalClient(openRead(store), () => openRead(store));
}

/** The API for one read-modify-write request (see locked); dryRun: every step but storage. */
export function mutateClient<T>(store: Store, fn: (api: LocalClient) => T, dryRun = false): T {
  return locked(store, (state) => fn(clientOf(state)), dryRun, true);
}
