// Controllers' own due times: a Job's back-off before its next pod, its active deadline, its TTL
// after finishing, a CronJob's next scheduled run. Kept in the state's runtime next to the
// kubelets' memories; the commit folds the earliest into the cluster's nextDue (store/state.ts), so
// every command's catchUp (reconcile.ts) replays them at their moment, as it does the kubelets'
// steps: at a timer's time the controllers run, and the one that set it takes it (dueTimers) and
// sets it again if it still needs one.
import type { State } from '../store/state';

/** "Kind/namespace/name" → when its controller wants another look (ms). */
export type Timers = Record<string, number>;

const timers = (state: State, write = false): Timers => (state.runtime(write).timers ??= {});

/** Sets (or with undefined, clears) an object's timer; the runtime is written only if it changed. */
export function wakeAt(state: State, kind: string, ns: string, name: string, at: number | undefined): void {
  const key = `${kind}/${ns}/${name}`;
  const t = timers(state);
  if (t[key] === at) return;
  if (at === undefined) delete timers(state, true)[key];
  else timers(state, true)[key] = at;
}

/** The objects of `kind` whose time has come by `now`, taken off the list: [namespace, name]. */
export function dueTimers(state: State, kind: string, now: number): [string, string][] {
  const t = timers(state);
  const out: [string, string][] = [];
  for (const [key, at] of Object.entries(t)) {
    if (at > now || !key.startsWith(`${kind}/`)) continue;
    const [, ns, name] = key.split('/');
    out.push([ns, name]);
  }
  if (out.length) for (const [ns, name] of out) delete timers(state, true)[`${kind}/${ns}/${name}`];
  return out;
}

export function hasDueTimer(state: State, kind: string, now: number): boolean {
  return Object.entries(timers(state)).some(([key, at]) => at <= now && key.startsWith(`${kind}/`));
}

/** The earliest timer. */
export function nextTimer(state: State): number | undefined {
  let due: number | undefined;
  for (const at of Object.values(timers(state))) if (due === undefined || at < due) due = at;
  return due;
}

/** An object's timer, if set. */
export function timerOf(state: State, kind: string, ns: string, name: string): number | undefined {
  return timers(state)[`${kind}/${ns}/${name}`];
}
