// kubesim logs: what the simulated containers printed — their start-up lines and one access-log
// line per request that reached them (curl, wget, port-forward). -f follows the log as other
// kubesim commands add to it.
import { writeOut, writeErr } from '../util/stdio';
import { clientOf } from '../apiserver/client';
import { lookupResource } from '../api/resources';
import { Command } from 'commander';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { resolveTarget, byActivity, defaultContainer } from './pod-target';
import { pollUntilInterrupted } from './poll';
import { nowMs } from '../util/clock';
import { previousTimedLog, type LogLine } from '../controllers/kubelet/logs';
import { containerLog, formatLog, logWindow, startedAt, waitingReason } from '../controllers/kubelet/readlog';
import { checkAccess } from '../apiserver/requester';

interface LogsOptions {
  container?: string;
  follow?: boolean;
  tail?: string;
  selector?: string;
  allContainers?: boolean;
  prefix?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  since?: string;
  sinceTime?: string;
}

interface Source {
  pod: KObject;
  container: string;
}

function containersOf(pod: KObject, o: LogsOptions, notes: string[]): string[] {
  const names = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
  if (o.allContainers) return names;
  if (o.container) {
    if (!names.includes(o.container)) throw new CliError(`error: container ${o.container} is not valid for pod ${pod.metadata.name}`, true);
    return [o.container];
  }
  const def = defaultContainer(pod);
  if (def.note) notes.push(def.note);
  return [def.name];
}

function sources(state: State, g: GlobalOptions, target: string | undefined, o: LogsOptions, notes: string[]): Source[] {
  const ns = namespaceOf(g);
  let pods: KObject[];
  if (o.selector) {
    pods = clientOf(state).list(lookupResource('pods')!, ns, { labelSelector: o.selector }).sort(byActivity);
    if (!pods.length) throw new CliError(`No resources found in ${ns} namespace.`, true);
  } else {
    const t = resolveTarget(clientOf(state), ns, target as string);
    if (t.matched > 1) notes.push(`Found ${t.matched} pods, using pod/${t.pod.metadata.name}`);
    pods = [t.pod];
  }
  const out: Source[] = [];
  for (const pod of pods) checkAccess(state, { verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: ns, name: pod.metadata.name });
  for (const pod of pods) {
    for (const c of containersOf(pod, o, notes)) {
      const why = waitingReason(pod, c);
      if (why) throw new CliError(`Error from server (BadRequest): container "${c}" in pod "${pod.metadata.name}" is waiting to start: ${why}`, true);
      out.push({ pod, container: c });
    }
  }
  return out;
}

function format(s: Source, lines: LogLine[], o: LogsOptions, multi: boolean): string {
  const prefix = o.prefix || (multi && o.prefix !== false && o.allContainers) ? `[pod/${s.pod.metadata.name}/${s.container}] ` : '';
  return formatLog(lines, prefix, !!o.timestamps);
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in ms (undefined when it is not one). */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+|0)$/.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (const p of m[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g)) ms += Number(p[1]) * GO_UNITS[p[2]];
  return m[1] === '-' ? -ms : ms;
}

/** --since / --since-time: the earliest time a line is shown from (whole seconds, as the kubelet gets them), if any. */
function sinceOf(o: LogsOptions): number | undefined {
  let seconds: number | undefined;
  if (o.since !== undefined) {
    const ms = parseGoDuration(o.since);
    if (ms === undefined) throw new CliError(`Error: invalid argument "${o.since}" for "--since" flag: time: invalid duration ${JSON.stringify(o.since)}\nSee 'kubesim logs --help' for usage.`, true);
    // kubectl: SinceSeconds.Round(time.Second)
    seconds = ms === 0 ? undefined : Math.sign(ms) * Math.round(Math.abs(ms) / 1000);
  }
  if (o.sinceTime !== undefined && o.sinceTime !== '' && seconds !== undefined) throw new CliError('error: at most one of `sinceTime` or `sinceSeconds` may be specified', true);
  if (seconds !== undefined && seconds < 0) throw new CliError('error: --since must be greater than 0', true);
  if (seconds !== undefined) return Math.floor(nowMs() / 1000) * 1000 - seconds * 1000;
  if (o.sinceTime) {
    const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(o.sinceTime) ? Date.parse(o.sinceTime) : NaN;
    if (Number.isNaN(t)) throw new CliError(`error: parsing time ${JSON.stringify(o.sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(o.sinceTime)} as "2006"`, true);
    // a metav1.Time on the wire: whole seconds
    return Math.floor(t / 1000) * 1000;
  }
  return undefined;
}

export function runLogs(g: GlobalOptions, target: string | undefined, o: LogsOptions): Outcome {
  if (!target && !o.selector) {
    throw new CliError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubesim logs -h' for help and examples", true);
  }
  const tail = o.tail !== undefined ? Number(o.tail) : o.selector ? 10 : -1;
  if (!Number.isInteger(tail)) throw new CliError(`Error: invalid argument "${o.tail}" for "--tail" flag: strconv.ParseInt: parsing "${o.tail}": invalid syntax\nSee 'kubesim logs --help' for usage.`, true);
  const since = sinceOf(o);
  const state = openRead(g);
  const notes: string[] = [];
  const srcs = sources(state, g, target, o, notes);
  if (o.previous) {
    let out = '';
    for (const s of srcs) {
      const prev = previousTimedLog(state, s.pod, s.container, startedAt(s.pod, s.container) || 0);
      if (!prev) throw new CliError(`Error from server (BadRequest): previous terminated container "${s.container}" in pod "${s.pod.metadata.name}" not found`, true);
      out += format(s, logWindow(prev, tail, since), o, srcs.length > 1);
    }
    writeErr(notes.map((n) => n + '\n').join(''));
    return { stdout: out };
  }
  let stdout = '';
  const seen = new Map<Source, number>();
  for (const s of srcs) {
    const all = containerLog(state, s.pod, s.container);
    seen.set(s, all.length);
    stdout += format(s, logWindow(all, tail, since), o, srcs.length > 1);
  }
  // kubectl says which pod and container it chose before the log itself
  writeErr(notes.map((n) => n + '\n').join(''));
  if (o.follow) follow(g, srcs, seen, o);
  return { stdout };
}

/** Polls the state for new lines until interrupted or the pod goes away. */
function follow(g: GlobalOptions, srcs: Source[], seen: Map<Source, number>, o: LogsOptions): void {
  const cancel = pollUntilInterrupted(() => {
    const state = openRead(g);
    for (const s of srcs) {
      const pod = clientOf(state).find(lookupResource('pods')!, s.pod.metadata.namespace, s.pod.metadata.name);
      if (!pod || pod.metadata.uid !== s.pod.metadata.uid) {
        cancel(); // the pod is gone: its log ends, and so does the command
        return;
      }
      const all = containerLog(state, s.pod, s.container);
      const from = seen.get(s) ?? 0;
      if (all.length > from) writeOut(format(s, all.slice(from), o, srcs.length > 1));
      else if (all.length < from) writeOut(format(s, all, o, srcs.length > 1)); // the container restarted
      seen.set(s, all.length);
    }
  });
}

export function registerLogs(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('logs')
    .description('Print the logs for a container in a pod')
    .argument('[target]', 'POD or TYPE/NAME')
    .option('-c, --container <name>', 'Print the logs of this container')
    .option('-f, --follow', 'Specify if the logs should be streamed.')
    .option('--tail <n>', 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on.')
    .option('--all-containers', 'Get all containers\' logs in the pod(s).')
    .option('--prefix', 'Prefix each log line with the log source (pod name and container name)')
    .option('-p, --previous', 'If true, print the logs for the previous instance of the container in a pod if it exists.')
    .option('--timestamps', 'Include timestamps on each line in the log output')
    .option('--since <duration>', 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.')
    .option('--since-time <time>', 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.')
    .action((target: string | undefined, o: LogsOptions) => run(() => runLogs(g(), target, o)));
}
