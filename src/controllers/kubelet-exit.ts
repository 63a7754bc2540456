// The kubelet's record of a container whose command ended while attached (`kubectl run -i`): its
// terminated state, the pod's phase and conditions, or a restart.
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { clone } from '../util/compare';

/**
 * A container's command ended (an attached `run`): the kubelet records it. With restart policy Never,
 * or OnFailure and exit 0, the pod completes; otherwise the container starts again. Returns the exit
 * code kubectl reports, when it waits for one.
 */
export function containerExited(state: State, ns: string, name: string, code: number, restart: string): number | undefined {
  const pod = state.get('Pod', ns, name);
  if (!pod) return undefined;
  const upd = clone(pod);
  const cs = upd.status.containerStatuses[0];
  const now = rfc3339();
  const terminated = { containerID: cs.containerID, exitCode: code, finishedAt: now, reason: code === 0 ? 'Completed' : 'Error', startedAt: cs.state.running?.startedAt ?? now };
  const done = restart === 'Never' || (restart === 'OnFailure' && code === 0);
  if (done) {
    cs.state = { terminated };
    cs.ready = false;
    cs.started = false;
    upd.status.phase = code === 0 ? 'Succeeded' : 'Failed';
    for (const c of upd.status.conditions ?? []) {
      if (c.type === 'PodReadyToStartContainers') {
        // the kubelet tears the sandbox down once the pod is done
        c.status = 'False';
        c.lastTransitionTime = now;
      } else if (c.type === 'Ready' || c.type === 'ContainersReady') {
        c.status = 'False';
        c.reason = 'PodCompleted';
        c.lastTransitionTime = now;
        delete c.message;
      }
    }
  } else {
    // the kubelet starts it again
    cs.lastState = { terminated };
    cs.restartCount = (cs.restartCount ?? 0) + 1;
    cs.state = { running: { startedAt: now } };
  }
  state.replace(upd);
  return restart === 'Always' ? undefined : code;
}
