// client-go util/flowcontrol.Backoff as the kubelet uses it for restarts and image pulls
// (pkg/kubelet/kubelet.go: backOffPeriod 10s, MaxContainerBackOff 300s): an entry per key holds
// the current delay and when it was last moved on. Next() doubles it up to the cap; an entry not
// moved on for more than twice the cap (10 minutes) has expired and starts again at 10 s
// (hasExpired, measured from the event that asks).

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

export interface Backoff {
  /** the current delay, ms */
  d: number;
  /** when Next() last moved it on, ms */
  last: number;
}

export function expired(b: Backoff | undefined, eventTime: number): boolean {
  return !b || eventTime - b.last > 2 * MAX_BACKOFF_MS;
}

/** Backoff.Next(id, eventTime) at `now`. */
export function next(b: Backoff | undefined, eventTime: number, now: number): Backoff {
  if (expired(b, eventTime)) return { d: INITIAL_BACKOFF_MS, last: now };
  return { d: Math.min(b!.d * 2, MAX_BACKOFF_MS), last: now };
}

/** Go's time.Duration.String() for whole seconds and milliseconds: 10s, 1m20s, 5m0s, 512ms, 1.021s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalS = ms / 1000;
  if (totalS < 60) return `${trimFloat(totalS)}s`;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS - h * 3600 - m * 60;
  return `${h ? `${h}h` : ''}${m}m${trimFloat(s)}s`;
}

function trimFloat(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
