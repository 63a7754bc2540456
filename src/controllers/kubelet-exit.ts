// The kubelet's record of a container whose command ended while attached (`kubectl run -i`): the
// process exits now with the session's code, and the kubelet takes it from there (terminated state,
// the pod's phase and conditions, or a restart on the back-off).
import type { State } from '../store/state';
import { syncPod } from './kubelet/sync';

/**
 * A container's command ended (an attached `run`): the kubelet records it. With restart policy Never,
 * or OnFailure and exit 0, the pod completes; otherwise the container starts again. Returns the exit
 * code kubectl reports, when it waits for one.
 */
export function containerExited(state: State, ns: string, name: string, code: number, restart: string): number | undefined {
  const pod = state.get('Pod', ns, name);
  const node = pod?.spec?.nodeName ? state.get('Node', undefined, pod.spec.nodeName) : undefined;
  if (!pod || !node) return undefined;
  syncPod(state, pod, node, { [pod.spec.containers?.[0]?.name]: code });
  return restart === 'Always' ? undefined : code;
}
