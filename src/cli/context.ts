// What every command shares: where the state lives, opening it for reading or for a locked
// read-modify-write, and the namespace the command works in.
import { createCluster } from '../cluster/bootstrap';
import { reconcile } from '../controllers/reconcile';
import { State } from '../store/state';
import { resolveStateDir, Store } from '../store/store';

export interface GlobalOptions {
  state?: string;
  namespace?: string;
}

export function storeFor(g: GlobalOptions): Store {
  return new Store(resolveStateDir(g.state));
}

/** A default cluster is made on first use, under the lock so two first commands make one cluster. */
function ensureCluster(store: Store): void {
  if (store.exists()) return;
  const release = store.lock();
  try {
    if (!store.exists()) createCluster(store).commit();
  } finally {
    release();
  }
}

/** For commands that only read: no lock; each kind is read when first asked for. */
export function openRead(g: GlobalOptions): State {
  const store = storeFor(g);
  ensureCluster(store);
  return new State(store, store.readCluster());
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
  ensureCluster(store);
  const release = store.lock();
  try {
    const state = new State(store, store.readCluster());
    const result = fn(state);
    if (runControllers) reconcile(state);
    state.commit();
    return result;
  } finally {
    release();
  }
}

export function namespaceOf(g: GlobalOptions): string {
  return g.namespace || 'default';
}
