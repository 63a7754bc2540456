// Upgrades of a state directory made by an older kubesim: each is named, idempotent, and applied
// once, under the lock, when the state is next opened (cli/context.ts manifestOf); the manifest
// records the names applied (store.ts UPGRADES lists them, so the check costs nothing and this
// module loads only when there is work). A new cluster is made with every one of them in place.
// Each adds what a new cluster started to have, as kubeadm's upgrade installs an addon's new
// objects; the user's objects are never touched.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { UPGRADES as NAMES } from '../store/store';
import { clone } from '../util/compare';
import { createKubeProxy } from './bootstrap';
import { ensureDefaultStorageClass } from './storageclass';
import { ensureBootstrapPolicy } from './rbacpolicy';
import { ensureSystemPriorityClasses } from './priorityclasses';
import { publishRootCA, ROOT_CA_CONFIGMAP } from '../controllers/rootcacert';
import { reconcile } from '../controllers/reconcile';
import { addFirstRevision } from '../controllers/daemonset';

/** issue 15: kube-root-ca.crt in every namespace; kube-proxy's pods owned by a real DaemonSet */
function rootCAAndKubeProxy(state: State): void {
  const missing = state.list('Namespace').filter((ns) => !state.get('ConfigMap', ns.metadata.name, ROOT_CA_CONFIGMAP));
  publishRootCA(state, missing.map((ns) => ns.metadata.name));
  if (state.get('DaemonSet', 'kube-system', 'kube-proxy')) return;
  // the DaemonSet takes the uid its pods' owner references always named
  const proxies = state.list('Pod', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy').map(clone) as KObject[];
  createKubeProxy(state, state.config, proxies);
  for (const p of proxies) state.replace(p);
}

/** every DaemonSet's first ControllerRevision (kube-proxy's above all: rollout history ds reads them) */
function daemonSetRevisions(state: State): void {
  for (const ds of state.list('DaemonSet')) addFirstRevision(state, ds);
}

/** name → what it adds, in store.ts UPGRADES' order. Append only: a name, once released, keeps its meaning. */
const STEPS: Record<(typeof NAMES)[number], (state: State) => void> = {
  // the default StorageClass every cluster starts with (cluster/storageclass.ts)
  'storageclass-standard': ensureDefaultStorageClass,
  'root-ca-and-kube-proxy': rootCAAndKubeProxy,
  'daemonset-revisions': daemonSetRevisions,
  // issue 17: the RBAC kinds' default objects (kube-apiserver's bootstrap policy and kubeadm's)
  'rbac-bootstrap-policy': ensureBootstrapPolicy,
  // issue 20: the system PriorityClasses kube-apiserver makes at start-up
  'system-priority-classes': ensureSystemPriorityClasses,
};

/** Applies the upgrades the state lacks, notes them in its manifest, and lets the controllers react (the caller commits). */
export function upgradeState(state: State): void {
  const done = new Set(state.cluster.upgrades ?? []);
  const mark = state.changeCount();
  for (const name of NAMES) if (!done.has(name)) STEPS[name](state);
  state.cluster.upgrades = [...NAMES];
  state.touch(); // the manifest changed even where no object did
  if (state.changeCount() > mark) reconcile(state);
}
