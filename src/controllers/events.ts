// Events as the kubelet and controllers record them: one Event per (object, reason, message, source),
// its count and lastTimestamp bumped when the same thing happens again (client-go's EventCorrelator).
import { clone } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';

export interface EventSource {
  component: string;
  host?: string;
}

export function recordEvent(state: State, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource): void {
  const ns = obj.metadata.namespace ?? 'default';
  const now = rfc3339();
  const same = state
    .list('Event', ns)
    .find((e) => e.involvedObject?.uid === obj.metadata.uid && e.reason === reason && e.message === message && e.source?.component === source.component);
  if (same) {
    const upd = clone(same);
    upd.count = (upd.count ?? 1) + 1;
    upd.lastTimestamp = now;
    state.replace(upd);
    return;
  }
  // Event names are the object's name and the time in nanoseconds, in hex.
  const name = `${obj.metadata.name}.${(BigInt(nowMs()) * 1000000n + BigInt(state.rand.int(1e6))).toString(16)}`;
  state.add({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      resourceVersion: obj.metadata.resourceVersion,
      uid: obj.metadata.uid,
    },
    reason,
    message,
    source,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  });
}
