// The control loop, level-triggered: every controller looks at the whole state and moves it one step
// toward what it should be; we run them until nothing changes (a few rounds at most).
import type { State } from '../store/state';
import { syncEndpoints } from './endpoints';
import { runKubelet } from './kubelet';
import { syncLoadBalancers } from './loadbalancer';
import { schedule } from './scheduler';

const CONTROLLERS = [schedule, runKubelet, syncEndpoints, syncLoadBalancers];

export function reconcile(state: State): void {
  for (let round = 0; round < 5; round++) {
    const before = state.cluster.resourceVersion;
    for (const c of CONTROLLERS) c(state);
    if (state.cluster.resourceVersion === before) return;
  }
}
