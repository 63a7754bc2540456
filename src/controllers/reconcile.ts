// The control loop, level-triggered: every controller looks at the whole state and moves it one step
// toward what it should be. Controllers run in dependency order; one runs again only when a kind it
// reads was changed by another controller after its last run (its own writes never retrigger it),
// until nothing is left to do.
import type { State } from '../store/state';
import { syncDeployments } from './deployment';
import { syncEndpoints } from './endpoints';
import { syncReplicaSets } from './replicaset';
import { syncDaemonSets } from './daemonset';
import { syncStatefulSets } from './statefulset';
import { nextKubeletDue, runDueKubelets, runKubelet } from './kubelet';
import { atTime, nowMs } from '../util/clock';
import { syncLoadBalancers } from './loadbalancer';
import { schedule } from './scheduler';
import { syncNodeLifecycle } from './nodelifecycle';
import { syncTaintEviction } from './tainteviction';
import { syncMirroring } from './mirroring';
import { expireEvents } from './eventttl';
import { syncNodeLeases } from './nodelease';
import { syncKubernetesService } from './apiserverservice';
import { noServiceAccounts, syncServiceAccounts } from './serviceaccount';
import { syncRootCACerts } from './rootcacert';
import { syncJobs } from './job';
import { syncCronJobs } from './cronjob';
import { syncDisruptionBudgets } from './disruption';
import { claimResyncDue, syncPersistentVolumes } from './persistentvolume';
import { dueTimers, hasDueTimer, nextTimer } from './timers';
import { QUOTA_READS, syncResourceQuotas } from './resourcequota';
import { syncVolumeContents } from './volumesync';
import { syncHPAs } from './hpa';
import { syncClusterRoleAggregation } from './clusterroleaggregation';
import { syncSuperusers } from './superusers';
import { syncIngressStatus } from './ingressstatus';

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
  { run: syncServiceAccounts, reads: ['Namespace', 'ServiceAccount'], pending: noServiceAccounts },
  { run: syncNodeLifecycle, reads: ['Node', 'Pod'] },
  { run: syncTaintEviction, reads: ['Node', 'Pod'], pending: (s) => hasDueTimer(s, 'TaintEviction', nowMs()) },
  { run: syncHPAs, reads: ['HorizontalPodAutoscaler'], pending: (s) => hasDueTimer(s, 'HorizontalPodAutoscaler', nowMs()) },
  { run: syncDeployments, reads: ['Deployment', 'ReplicaSet'] },
  { run: syncCronJobs, reads: ['CronJob', 'Job'], pending: (s) => hasDueTimer(s, 'CronJob', nowMs()) },
  { run: syncJobs, reads: ['Job', 'Pod', 'ResourceQuota', 'LimitRange'], pending: (s) => hasDueTimer(s, 'Job', nowMs()) },
  { run: syncReplicaSets, reads: ['ReplicaSet', 'Pod', 'ServiceAccount', 'ResourceQuota', 'LimitRange'], pending: (s) => hasDueTimer(s, 'ReplicaSet', nowMs()) },
  { run: syncDaemonSets, reads: ['DaemonSet', 'Pod', 'Node', 'ResourceQuota', 'LimitRange'], pending: (s) => hasDueTimer(s, 'DaemonSet', nowMs()) },
  { run: syncStatefulSets, reads: ['StatefulSet', 'Pod', 'ResourceQuota', 'LimitRange'], pending: (s) => hasDueTimer(s, 'StatefulSet', nowMs()) },
  { run: syncPersistentVolumes, reads: ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'Pod'], pending: claimResyncDue },
  { run: schedule, reads: ['Pod', 'Node', 'PersistentVolumeClaim', 'PersistentVolume'] },
  { run: syncDisruptionBudgets, reads: ['PodDisruptionBudget', 'Pod', 'ReplicaSet', 'Deployment', 'StatefulSet'] },
  { run: runKubelet, reads: ['Pod', 'Node'] },
  { run: syncVolumeContents, reads: ['ConfigMap', 'Secret', 'PersistentVolume', 'Node'] },
  { run: syncEndpoints, reads: ['Service', 'Pod', 'Endpoints', 'EndpointSlice'] },
  { run: syncMirroring, reads: ['Service', 'Endpoints', 'EndpointSlice'] },
  { run: syncLoadBalancers, reads: ['Service'] },
  // after the load balancers: with --publish-service the address is the Service's
  { run: syncIngressStatus, reads: ['Ingress', 'IngressClass', 'Pod', 'Service'], pending: (s) => hasDueTimer(s, 'IngressStatus', nowMs()) },
  { run: syncKubernetesService, reads: ['Service', 'Endpoints', 'EndpointSlice'] },
  { run: syncRootCACerts, reads: ['Namespace', 'ConfigMap'] },
  { run: syncResourceQuotas, reads: QUOTA_READS },
  { run: syncClusterRoleAggregation, reads: ['ClusterRole'] },
  // a state an older kubesim made has none yet: the first reconcile fills it in
  { run: syncSuperusers, reads: ['ClusterRole', 'ClusterRoleBinding'], pending: (s) => s.cluster.superusers === undefined },
];

/** Where a reconcile starts: the change-log position and each kind's version (nothing before it is new). */
export interface Mark {
  since: number;
  versions: Map<string, number>;
}

export function markOf(state: State): Mark {
  const kinds = new Set(CONTROLLERS.flatMap((c) => c.reads));
  return { since: state.changeCount(), versions: new Map([...kinds].map((k) => [k, state.kindVersion(k)])) };
}

/** from: only changes after this mark are new to the controllers (a catch-up round's). */
export function reconcile(state: State, from?: Mark): void {
  expireEvents(state);
  // Cost follows the change: the controllers look only at the namespaces this command changed, since
  // every earlier command left the others reconciled. A node's change can matter to any pod: then
  // they look everywhere.
  if (state.touchedNamespaces('Node').size === 0) state.scoped([]);
  try {
    loop(state, from);
  } finally {
    state.unscoped();
  }
}

function loop(state: State, from?: Mark): void {
  // the versions of each controller's inputs after its last run: all 0 before the command (or as
  // at the mark), when the state was reconciled, so a controller whose inputs did not change since
  // does not run
  const seen = new Map<Controller, number[]>(CONTROLLERS.map((c) => [c, c.reads.map((k) => from?.versions.get(k) ?? 0)]));
  const since = new Map<Controller, number>(CONTROLLERS.map((c) => [c, from?.since ?? 0]));
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
    // the kubelets' next step or a controller's timer (controllers/timers.ts), whichever is first;
    // past a budget of timer steps the timers wait for the present (a cluster left alone for days
    // does not replay every minute of a CronJob: it starts the most recent missed run, as one whose
    // controller was down)
    const kubelet = nextKubeletDue(state);
    const timer = timerSteps < MAX_TIMER_STEPS ? nextTimer(state) : undefined;
    const first = kubelet === undefined ? timer : timer === undefined ? kubelet : Math.min(kubelet, timer);
    if (first === undefined || first > now) break;
    // one round per second of simulated time (the resolution of every timestamp the API shows):
    // the kubelets take their steps within it at their own milliseconds, the controllers react at
    // its end, so a rollout of a thousand pods is tens of rounds, not thousands
    const due = Math.min(Math.ceil(first / 1000) * 1000, now);
    const timerDue = timer !== undefined && timer <= due;
    atTime(due, () => {
      const mark = markOf(state);
      runDueKubelets(state, due);
      // the controllers look only at what this round changed (the rounds before left it
      // reconciled); a due timer has its controller run (pending), which takes it; one nobody took
      // is dropped
      if (state.changeCount() !== mark.since || timerDue) reconcile(state, mark);
      if (timerDue) for (const kind of ['Job', 'CronJob', 'HorizontalPodAutoscaler']) dueTimers(state, kind, due);
    });
    if (timerDue) timerSteps++;
  }
  // a replay cut short leaves controllers' timers behind: they run now (a CronJob then starts only
  // its most recent missed run, as one whose controller was down)
  const timerLeft = (nextTimer(state) ?? Infinity) <= now;
  const mark = markOf(state);
  if ((runDueKubelets(state, now) && state.changeCount() !== mark.since) || timerLeft) reconcile(state, mark);
  if (timerLeft) for (const kind of ['Job', 'CronJob', 'HorizontalPodAutoscaler']) dueTimers(state, kind, now);
  state.runtime(true); // the next due time is worked out again at the commit
  return state.changeCount() !== start;
}

const MAX_REPLAY_STEPS = 2000;
/** controllers' timers replayed at their moments per command: an hour of a CronJob run every minute */
const MAX_TIMER_STEPS = 60;
