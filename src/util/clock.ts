// The cluster clock. KUBESIM_NOW (RFC 3339) freezes it so outputs with AGE columns are reproducible.
import { perCommand } from './percommand';
let frozen: number | undefined;
let checked = false;
/** the simulated moment a catch-up replays (see atTime) */
let replaying: number | undefined;

export function nowMs(): number {
  if (replaying !== undefined) return replaying;
  if (!checked) {
    checked = true;
    const env = process.env.KUBESIM_NOW;
    if (env) frozen = parseNow(env);
  }
  return frozen ?? Date.now();
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Runs fn as of an earlier simulated moment: the cluster catching up replays what happened between
 * two commands step by step, each controller acting at the time its input changed.
 */
export function atTime<T>(ms: number, fn: () => T): T {
  const before = replaying;
  replaying = ms;
  try {
    return fn();
  } finally {
    replaying = before;
  }
}

/** Whether KUBESIM_NOW stands the clock still: then nothing waits for simulated time to pass. */
export function isFrozen(): boolean {
  nowMs();
  return frozen !== undefined;
}

/** KUBESIM_NOW's instant; anything but an RFC 3339 time is refused (Date.parse would take "1" or "May 5"). */
export function parseNow(text: string): number {
  const t = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) throw new ClockError(`error: KUBESIM_NOW must be an RFC 3339 time such as 2025-03-01T12:00:00Z, not ${JSON.stringify(text)}`);
  return t;
}

export class ClockError extends Error {}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time: 2024-01-02T03:04:05Z */
let lastSecond = NaN;
let lastText = '';
export function rfc3339(ms: number = nowMs()): string {
  // a command stamps thousands of objects within the same second: format it once
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

/** For tests: forget the cached KUBESIM_NOW. */
export function resetClock(): void {
  checked = false;
  frozen = undefined;
  replaying = undefined;
}
perCommand(resetClock);
