// The control loop, level-triggered: every controller looks at the whole state and moves it one step
// toward what it should be. Controllers run in dependency order; one runs again only when a kind it
// reads was changed by another controller after its last run (its own writes never retrigger it),
// until nothing is left to do.
import type { State } from '../store/state';
import { syncDeployments } from './deployment';
import { syncEndpoints } from './endpoints';
import { syncReplicaSets } from './replicaset';
import { nextKubeletDue, runDueKubelets, runKubelet } from './kubelet';
import { atTime, nowMs } from '../util/clock';
import { syncLoadBalancers } from './loadbalancer';
import { schedule } from './scheduler';
import { syncNodeLifecycle } from './nodelifecycle';
import { syncMirroring } from './mirroring';
import { expireEvents } from './eventttl';
import { syncNodeLeases } from './nodelease';
import { syncKubernetesService } from './apiserverservice';
import { syncJobs } from './job';
import { syncCronJobs } from './cronjob';
import { dueTimers, hasDueTimer, nextTimer } from './timers';

interface Controller {
  /** since: the change-log position of its last run (the command's start for the first), for change-driven controllers */
  run: (state: State, since: number) => void;
  /** the kinds whose changes this controller reacts to */
  reads: string[];
  /** also runs when nothing it reads changed, if this says there is work (back-off retries) */
  pending?: (state: State) => boolean;
}

const CONTROLLERS: Controller[] = [
  // the kubelets renew their leases as simulated time passes: a look at every pass
  { run: syncNodeLeases, reads: ['Node'], pending: () => true },
  { run: syncNodeLifecycle, reads: ['Node', 'Pod'] },
  { run: syncDeployments, reads: ['Deployment', 'ReplicaSet'] },
  { run: syncCronJobs, reads: ['CronJob', 'Job'], pending: (s) => hasDueTimer(s, 'CronJob', nowMs()) },
  { run: syncJobs, reads: ['Job', 'Pod'], pending: (s) => hasDueTimer(s, 'Job', nowMs()) },
  { run: syncReplicaSets, reads: ['ReplicaSet', 'Pod'] },
  { run: schedule, reads: ['Pod', 'Node'] },
  { run: runKubelet, reads: ['Pod', 'Node'] },
  { run: syncEndpoints, reads: ['Service', 'Pod', 'Endpoints', 'EndpointSlice'] },
  { run: syncMirroring, reads: ['Service', 'Endpoints', 'EndpointSlice'] },
  { run: syncLoadBalancers, reads: ['Service'] },
  { run: syncKubernetesService, reads: ['Service', 'Endpoints', 'EndpointSlice'] },
];

export function reconcile(state: State): void {
  expireEvents(state);
  // Cost follows the change: the controllers look only at the namespaces this command changed, since
  // every earlier command left the others reconciled. A node's change can matter to any pod: then
  // they look everywhere.
  if (state.touchedNamespaces('Node').size === 0) state.scoped([]);
  try {
    loop(state);
  } finally {
    state.unscoped();
  }
}

function loop(state: State): void {
  // the versions of each controller's inputs after its last run: all 0 before the command, when
  // the state was reconciled, so a controller whose inputs this command did not change does not run
  const seen = new Map<Controller, number[]>(CONTROLLERS.map((c) => [c, c.reads.map(() => 0)]));
  const since = new Map<Controller, number>(CONTROLLERS.map((c) => [c, 0]));
  // a rolling update takes a round per surge step
  for (let round = 0; round < 100; round++) {
    let ran = false;
    for (const c of CONTROLLERS) {
      const before = seen.get(c)!;
      const now = c.reads.map((k) => state.kindVersion(k));
      if (now.every((v, i) => v === before[i]) && !(round === 0 && c.pending?.(state))) continue;
      c.run(state, since.get(c)!);
      ran = true;
      seen.set(c, c.reads.map((k) => state.kindVersion(k)));
      since.set(c, state.changeCount());
    }
    if (!ran) return;
  }
}

/**
 * Moves the cluster to the present on the simulated clock: what fell due since the last command (a
 * pull finished, a process exited, a back-off ran out, a grace period ended) happens in time order,
 * each at its own moment, and the controllers react at that moment (a ReplicaSet makes the next pod
 * of a rollout as soon as one became ready, and that pod starts pulling then). Every command runs it
 * first, so what it shows is the cluster as it is now. Returns whether anything changed.
 */
export function catchUp(state: State): boolean {
  const now = nowMs();
  if (state.cluster.nextDue === undefined || state.cluster.nextDue > now) return false;
  const start = state.changeCount();
  let timerSteps = 0;
  // a bound on the replay: a cluster left alone for weeks still answers at once (the kubelets then
  // take their remaining steps in one go, at the present)
  for (let round = 0; round < MAX_REPLAY_STEPS; round++) {
    // the kubelets' next step or a controller's timer (controllers/timers.ts), whichever is first
    const kubelet = nextKubeletDue(state);
    // past a budget of timer steps the timers wait for the present (a cluster left alone for days
    // does not replay every minute of a CronJob: it starts the most recent missed run, as one whose
    // controller was down)
    const timer = timerSteps < MAX_TIMER_STEPS ? nextTimer(state) : undefined;
    const due = kubelet === undefined ? timer : timer === undefined ? kubelet : Math.min(kubelet, timer);
    if (due === undefined || due > now) break;
    atTime(due, () => {
      const before = state.changeCount();
      runDueKubelets(state, due);
      // a due timer has its controller run (pending), which takes it; one nobody took is dropped
      if (state.changeCount() !== before || timer === due) reconcile(state);
      if (timer === due) for (const kind of ['Job', 'CronJob']) dueTimers(state, kind, due);
    });
    if (timer === due) timerSteps++;
  }
  // a replay cut short leaves controllers' timers behind: they run now (a CronJob then starts only
  // its most recent missed run, as one whose controller was down)
  const timerLeft = (nextTimer(state) ?? Infinity) <= now;
  if ((runDueKubelets(state, now) && state.changeCount() !== start) || timerLeft) reconcile(state);
  if (timerLeft) for (const kind of ['Job', 'CronJob']) dueTimers(state, kind, now);
  state.runtime(true); // the next due time is worked out again at the commit
  return state.changeCount() !== start;
}

const MAX_REPLAY_STEPS = 2000;
/** controllers' timers replayed at their moments per command: an hour of a CronJob run every minute */
const MAX_TIMER_STEPS = 60;
