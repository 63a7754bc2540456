// The pod a command acts on when given TYPE/NAME (logs, exec, port-forward): a bare name or pod/NAME
// is that pod; deployment, replicaset and service choose among their pods the most active one, as
// kubectl's polymorphichelpers.AttachablePodForObject does.
import { CliError } from '../api/errors';
import { matchesMap } from '../api/labels';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import type { ApiClient } from '../apiserver/client';
import { isPodReady } from '../api/podutil';

export interface Target {
  pod: KObject;
  /** the object named, when it was not a pod (port-forward translates service ports) */
  owner?: KObject;
  /** how many pods the selector matched */
  matched: number;
}

function readySince(p: KObject): string {
  return (p.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.lastTransitionTime ?? '';
}

function restarts(p: KObject): number {
  return (p.status?.containerStatuses ?? []).reduce((n: number, cs: { restartCount?: number }) => n + (cs.restartCount ?? 0), 0);
}

const phaseRank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };

/** Most active first: on a node, Running, Ready, not being deleted, ready longer, fewer restarts, older. */
export function byActivity(a: KObject, b: KObject): number {
  const k = (p: KObject): (number | string)[] => [
    p.spec?.nodeName ? 0 : 1,
    phaseRank[p.status?.phase ?? ''] ?? 3,
    isPodReady(p) ? 0 : 1,
    p.metadata.deletionTimestamp ? 1 : 0,
    readySince(p) || '~',
    restarts(p),
    p.metadata.creationTimestamp ?? '',
    p.metadata.name,
  ];
  const ka = k(a);
  const kb = k(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

/**
 * The container kubectl uses when none is named: the kubectl.kubernetes.io/default-container
 * annotation, else the first; with several it says which (the "Defaulted container" line).
 */
export function defaultContainer(pod: KObject): { name: string; note?: string } {
  const names: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
  const name = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0];
  return { name, note: names.length > 1 ? `Defaulted container "${name}" out of: ${names.join(', ')}` : undefined };
}

/** polymorphichelpers.AttachablePodForObject: a pod, or the most active pod a workload or service selects. */
export function resolveTarget(api: ApiClient, ns: string, arg: string): Target {
  const i = arg.indexOf('/');
  const type = i < 0 ? 'pod' : arg.slice(0, i);
  const name = i < 0 ? arg : arg.slice(i + 1);
  const res = lookupResource(type);
  if (!res) throw new CliError(`error: the server doesn't have a resource type "${type}"`, true);
  if (!name) throw new CliError('error: arguments in resource/name form must have a single resource and name', true);
  const obj = api.get(res, ns, name);
  if (res.kind === 'Pod') return { pod: obj, matched: 1 };
  let selector: Record<string, string> | undefined;
  if (res.kind === 'Service') {
    selector = obj.spec?.selector;
    if (!selector || !Object.keys(selector).length) throw new CliError(`error: cannot attach to *v1.Service: invalid service '${name}': Service is defined without a selector`, true);
  } else if (res.kind === 'Deployment' || res.kind === 'ReplicaSet' || res.kind === 'Job' || res.kind === 'DaemonSet' || res.kind === 'StatefulSet') {
    selector = obj.spec?.selector?.matchLabels ?? {};
  } else {
    throw new CliError(`error: cannot attach to ${res.kind === 'Node' ? '*v1.Node' : `*v1.${res.kind}`}: selector for ${res.kind} not implemented`, true);
  }
  const pods = api.list(lookupResource('pods')!, ns).filter((p) => matchesMap(selector!, p.metadata.labels));
  if (!pods.length) throw new CliError('error: timed out waiting for the condition', true);
  pods.sort(byActivity);
  return { pod: pods[0], owner: obj, matched: pods.length };
}
