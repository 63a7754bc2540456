// Node predicates shared by controllers, the data plane and printers (kubernetes pkg/util/node,
// and the STATUS column of kubectl get nodes, printers.go printNode).
import type { KObject } from './types';

/** The STATUS column: Ready / NotReady / Unknown, then SchedulingDisabled for a cordoned node. */
export function nodeStatus(node: KObject): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Ready (schedulable or not), as the STATUS column's first word says. */
export function isNodeReady(node: KObject): boolean {
  return nodeStatus(node).split(',')[0] === 'Ready';
}

/** Replaces a node's taints with one key by the given effects (none: the key goes), added at `now`. */
export function setTaints(node: KObject, key: string, effects: string[], now: string): void {
  node.spec ??= {};
  const taints = [...((node.spec.taints ?? []) as { key: string }[]).filter((t) => t.key !== key), ...effects.map((effect) => ({ effect, key, timeAdded: now }))];
  if (taints.length) node.spec.taints = taints;
  else delete node.spec.taints;
}
