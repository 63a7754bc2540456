// The pod side of exec, attach and cp: the pod and container a streaming request reaches (the exec
// subresource's authorization, the container's state) and a shell there, under the state lock.
import { clientOf } from '../apiserver/client';
import { checkAccess } from '../apiserver/requester';
import { CliError } from '../api/errors';
import type { State } from '../store/state';
import { Network } from '../network/route';
import { shellFor, type Shell } from '../network/shell';
import { Topology, type Vantage } from '../network/topology';
import { namespaceOf, touchRuntime, type GlobalOptions } from './context';
import { defaultContainer, resolveTarget } from './pod-target';

/** Under the lock (requests change what the nodes remember): one topology, the vantage point, a shell there. */
export function inShell<T>(g: GlobalOptions, vantage: (topo: Topology) => Vantage, fn: (sh: Shell, state: State) => T): T {
  return touchRuntime(g, (state) => {
    const topo = new Topology(state);
    return fn(shellFor(new Network(topo), vantage(topo)), state);
  });
}

export interface ExecOptions {
  /** an attached `run`: its container may still be starting (the session is its process) */
  starting?: boolean;
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

/** The pod, container and node an exec reaches, after kubectl's and the apiserver's checks (their messages). */
export function podVantage(topo: Topology, g: GlobalOptions, target: string, o: ExecOptions): { from: Vantage; note: string } {
  const ns = namespaceOf(g);
  const { pod } = resolveTarget(clientOf(topo.state), ns, target);
  // the streaming subresource: exec (create since kubectl's websocket upgrade, 1.30), attach for run -i
  checkAccess(topo.state, { verb: 'create', apiGroup: '', resource: 'pods', subresource: o.starting ? 'attach' : 'exec', namespace: ns, name: pod.metadata.name });
  let note = '';
  let container = o.container;
  if (!container) {
    const def = defaultContainer(pod);
    container = def.name;
    if (def.note) note = def.note + '\n';
  } else if (!(pod.spec?.containers ?? []).some((c: { name: string }) => c.name === container)) {
    throw new CliError(`Error from server (BadRequest): container ${container} is not valid for pod ${pod.metadata.name}`, true);
  }
  const cs = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === container);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    throw new CliError(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`, true);
  }
  const node = topo.node(pod.spec?.nodeName);
  if ((!cs?.state?.running && !o.starting) || !node) throw new CliError(`error: unable to upgrade connection: container not found ("${container}")`, true);
  if (!node.ready) throw new CliError(`Error from server: error dialing backend: dial tcp ${node.ip}:10250: connect: no route to host`, true);
  return { from: { kind: 'pod', pod, node, ip: pod.status.podIP, container: container as string }, note };
}
