// A container's log as `kubectl logs` reads it from the node: what its process wrote (its program's
// lines up to now or its end) and what its application logged (start-up lines, one line per request,
// kept in the runtime); `--previous` is the run before the current one, kept at the restart.
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { nowMs } from '../../util/clock';
import { linesUntil, type Program } from '../program';
import { memories } from './memory';

const MAX_LINES = 1000;

export function linesUntilRun(state: State, pod: KObject, name: string, run: { started: number; finished?: number; prog: Program }, until: number): string[] {
  const own = linesUntil(run.prog, until, run.started, MAX_LINES);
  const app = state.runtime().logs[pod.metadata.uid as string]?.[name] ?? [];
  const all = own.length ? (app.length ? [...app, ...own] : own) : app;
  return all.length > MAX_LINES ? all.slice(all.length - MAX_LINES) : all;
}

/** The current run's log, or undefined when the kubelet keeps no program for it (a server: the app's lines). */
export function currentLog(state: State, pod: KObject, name: string): string[] | undefined {
  const cm = memories(state)[pod.metadata.uid as string]?.c[name];
  if (!cm?.run) return undefined;
  const run = cm.run;
  const until = (run.finished ?? nowMs()) - run.started;
  return linesUntilRun(state, pod, name, run, until);
}

/** The previous run's log (`logs -p`), if there was one. */
export function previousLog(state: State, pod: KObject, name: string): string[] | undefined {
  return memories(state)[pod.metadata.uid as string]?.c[name]?.prevLog;
}
