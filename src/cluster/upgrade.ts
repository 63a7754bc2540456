// A cluster made by an older kubesim lacks system objects a new one starts with. Each level below
// adds what one version of kubesim added to a new cluster, once (the manifest's systemLevel says how
// far a cluster has come), as kubeadm's upgrade installs an addon's new objects. Users' objects are
// never touched.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { SYSTEM_LEVEL } from '../store/store';
import { clone } from '../util/compare';
import { createKubeProxy } from './bootstrap';
import { publishRootCA, ROOT_CA_CONFIGMAP } from '../controllers/rootcacert';
import { reconcile } from '../controllers/reconcile';

type Step = (state: State) => void;

const LEVELS: Step[] = [
  // 1 (issue 15): kube-root-ca.crt in every namespace; kube-proxy's pods owned by a real DaemonSet
  (state) => {
    const missing = state.list('Namespace').filter((ns) => !state.get('ConfigMap', ns.metadata.name, ROOT_CA_CONFIGMAP));
    publishRootCA(state, missing.map((ns) => ns.metadata.name));
    if (!state.get('DaemonSet', 'kube-system', 'kube-proxy')) {
      const proxies = state.list('Pod', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy').map(clone) as KObject[];
      createKubeProxy(state, state.config, proxies);
      for (const p of proxies) state.replace(p);
    }
  },
];

if (LEVELS.length !== SYSTEM_LEVEL) throw new Error('cluster/upgrade.ts: SYSTEM_LEVEL must count the levels');

/** Brings the cluster's system objects up to SYSTEM_LEVEL; the caller holds the lock and commits. */
export function upgradeCluster(state: State): void {
  const from = state.cluster.systemLevel ?? 0;
  if (from >= SYSTEM_LEVEL) return;
  const mark = state.changeCount();
  for (let level = from; level < SYSTEM_LEVEL; level++) LEVELS[level](state);
  state.setSystemLevel(SYSTEM_LEVEL);
  if (state.changeCount() > mark) reconcile(state);
}
