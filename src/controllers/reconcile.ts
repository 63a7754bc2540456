// The control loop, level-triggered: every controller looks at the whole state and moves it one step
// toward what it should be. Controllers run in dependency order; one runs again only when a kind it
// reads was changed by another controller after its last run (its own writes never retrigger it),
// until nothing is left to do.
import type { State } from '../store/state';
import { syncDeployments } from './deployment';
import { syncEndpoints } from './endpoints';
import { syncReplicaSets } from './replicaset';
import { runKubelet } from './kubelet';
import { syncLoadBalancers } from './loadbalancer';
import { schedule } from './scheduler';
import { syncNodeLifecycle } from './nodelifecycle';
import { syncMirroring } from './mirroring';
import { expireEvents } from './eventttl';

interface Controller {
  run: (state: State) => void;
  /** the kinds whose changes this controller reacts to */
  reads: string[];
}

const CONTROLLERS: Controller[] = [
  { run: syncNodeLifecycle, reads: ['Node', 'Pod'] },
  { run: syncDeployments, reads: ['Deployment', 'ReplicaSet'] },
  { run: syncReplicaSets, reads: ['ReplicaSet', 'Pod'] },
  { run: schedule, reads: ['Pod', 'Node'] },
  { run: runKubelet, reads: ['Pod', 'Node'] },
  { run: syncEndpoints, reads: ['Service', 'Pod', 'Endpoints', 'EndpointSlice'] },
  { run: syncMirroring, reads: ['Service', 'Endpoints', 'EndpointSlice'] },
  { run: syncLoadBalancers, reads: ['Service'] },
];

export function reconcile(state: State): void {
  expireEvents(state);
  // Cost follows the change: the controllers look only at the namespaces this command changed (and
  // those with pods the kubelet revisits each time), since every earlier command left the others
  // reconciled. A node's change can matter to any pod: then they look everywhere.
  if (state.touchedNamespaces('Node').size === 0) state.scoped(Object.keys(state.index('pods-pulling')));
  try {
    loop(state);
  } finally {
    state.unscoped();
  }
}

function loop(state: State): void {
  const seen = new Map<Controller, number[]>(); // the versions of its inputs after its last run
  // a rolling update takes a round per surge step
  for (let round = 0; round < 100; round++) {
    let ran = false;
    for (const c of CONTROLLERS) {
      const before = seen.get(c);
      const now = c.reads.map((k) => state.kindVersion(k));
      if (before && now.every((v, i) => v === before[i])) continue;
      c.run(state);
      ran = true;
      seen.set(c, c.reads.map((k) => state.kindVersion(k)));
    }
    if (!ran) return;
  }
}
