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
