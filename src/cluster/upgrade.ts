// Upgrades of a state directory made by an older kubesim: each is named, idempotent, and applied
// once, under the lock, when the state is next opened (cli/context.ts manifestOf); the manifest
// records the names applied. A new cluster is made with every one of them already in place.
import type { ClusterFile } from '../store/store';
import type { State } from '../store/state';
import { ensureDefaultStorageClass } from './storageclass';
import { addFirstRevision } from '../controllers/daemonset';

/** name → what it adds. Append only: a name, once released, keeps its meaning. */
const UPGRADES: [string, (state: State) => void][] = [
  // the default StorageClass every cluster starts with (cluster/storageclass.ts)
  ['storageclass-standard', ensureDefaultStorageClass],
  // every DaemonSet's ControllerRevision (kube-proxy's above all: rollout history ds reads them)
  ['daemonset-revisions', (state) => state.list('DaemonSet').forEach((ds) => addFirstRevision(state, ds))],
];

export const ALL_UPGRADES = UPGRADES.map(([name]) => name);

export function needsUpgrade(m: ClusterFile): boolean {
  const done = m.upgrades ?? [];
  return ALL_UPGRADES.some((n) => !done.includes(n));
}

/** Applies the upgrades the state lacks, and notes them in its manifest (the caller commits). */
export function upgradeState(state: State): void {
  const done = new Set(state.cluster.upgrades ?? []);
  for (const [name, apply] of UPGRADES) if (!done.has(name)) apply(state);
  state.cluster.upgrades = [...ALL_UPGRADES];
  state.touch(); // the manifest changed even where no object did
}
