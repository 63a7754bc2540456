// The apiserver keeps events for --event-ttl (1 h by default) after their last update; etcd then
// drops them. Only namespaces whose oldest stored event is past that are read.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';

export const EVENT_TTL_MS = 3_600_000;

function lastSeen(e: KObject): string {
  return (e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '') as string;
}

export function expireEvents(state: State): void {
  // second-precision RFC 3339 in UTC, as every timestamp kubesim writes: comparable as text
  const cutoff = rfc3339(nowMs() - EVENT_TTL_MS);
  for (const ns of state.namespacesOf('Event')) {
    const oldest = state.stored('Event', ns)?.oldest;
    if (oldest === undefined || oldest >= cutoff) continue;
    for (const e of state.list('Event', ns)) if (lastSeen(e) < cutoff) state.remove('Event', ns, e.metadata.name);
  }
}
