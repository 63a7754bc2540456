// Reading Event objects as kubectl events does (kubectl pkg/cmd/events/events.go): shared by the
// events verb and the dashboard's timeline.
import type { KObject } from './types';
import { goSort } from '../util/gosort';

/** eventTime in events.go: the series' last time, else lastTimestamp, else eventTime (ms, 0 if none). */
export function eventTime(e: KObject): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * SortableEvents: oldest first, with Go's unstable sort.Sort (events.go): equal times (the simulated
 * clock makes many) end in the order kubectl leaves them, not the server's name order.
 */
export function sortEvents(events: KObject[]): KObject[] {
  return goSort(events, (a, b) => eventTime(a) < eventTime(b));
}
