// A container's log as `kubectl logs` reads it from the node: what its process wrote (its program's
// lines up to now or its end) and what its application logged (start-up lines, one line per request,
// kept in the runtime); `--previous` is the run before the current one, kept at the restart. Each
// line has the time the CRI log file stamps it with (`logs --since`, `--timestamps`).
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { nowMs } from '../../util/clock';
import { timedLinesUntil, type Program } from '../program';
import { memories } from './memory';

const MAX_LINES = 1000;

export interface LogLine {
  text: string;
  /** when it was written (ms) */
  at: number;
}

/** What the application logged (the runtime's lines), each with its time (`fallback` for a line kept without one). */
export function appLog(state: State, pod: KObject, name: string, fallback: number): LogLine[] {
  const rt = state.runtime();
  const uid = pod.metadata.uid as string;
  const lines = rt.logs[uid]?.[name] ?? [];
  const times = rt.logTimes?.[uid]?.[name] ?? [];
  const skew = lines.length - times.length;
  return lines.map((text, i) => ({ text, at: times[i - skew] ?? fallback }));
}

export function timedLinesUntilRun(state: State, pod: KObject, name: string, run: { started: number; finished?: number; prog: Program }, until: number): LogLine[] {
  const own = timedLinesUntil(run.prog, until, run.started, MAX_LINES);
  const app = appLog(state, pod, name, run.started);
  const all = own.length ? (app.length ? [...app, ...own] : own) : app;
  return all.length > MAX_LINES ? all.slice(all.length - MAX_LINES) : all;
}

export function linesUntilRun(state: State, pod: KObject, name: string, run: { started: number; finished?: number; prog: Program }, until: number): string[] {
  return timedLinesUntilRun(state, pod, name, run, until).map((l) => l.text);
}

/** The current run's log, or undefined when the kubelet keeps no program for it (a server: the app's lines). */
export function currentTimedLog(state: State, pod: KObject, name: string): LogLine[] | undefined {
  const cm = memories(state)[pod.metadata.uid as string]?.c[name];
  if (!cm?.run) return undefined;
  const run = cm.run;
  const until = (run.finished ?? nowMs()) - run.started;
  return timedLinesUntilRun(state, pod, name, run, until);
}

export function currentLog(state: State, pod: KObject, name: string): string[] | undefined {
  return currentTimedLog(state, pod, name)?.map((l) => l.text);
}

/** The previous run's log (`logs -p`), if there was one; a log kept before times were has its lines at `fallback`. */
export function previousTimedLog(state: State, pod: KObject, name: string, fallback = 0): LogLine[] | undefined {
  const cm = memories(state)[pod.metadata.uid as string]?.c[name];
  return cm?.prevLog?.map((text, i) => ({ text, at: cm.prevTimes?.[i] ?? fallback }));
}

export function previousLog(state: State, pod: KObject, name: string): string[] | undefined {
  return memories(state)[pod.metadata.uid as string]?.c[name]?.prevLog;
}
