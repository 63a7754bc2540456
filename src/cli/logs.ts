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
import { startupLog } from '../network/apps';
import { currentLog, previousLog } from '../controllers/kubelet/logs';

interface LogsOptions {
  container?: string;
  follow?: boolean;
  tail?: string;
  selector?: string;
  allContainers?: boolean;
  prefix?: boolean;
  previous?: boolean;
  timestamps?: boolean;
}

interface Source {
  pod: KObject;
  container: string;
}

function waitingReason(pod: KObject, container: string): string | undefined {
  const cs = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === container);
  if (cs?.state?.running || cs?.state?.terminated) return undefined;
  // a container waiting to restart: its last run's log
  if (cs?.lastState?.terminated) return undefined;
  const reason = cs?.state?.waiting?.reason ?? 'ContainerCreating';
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  if (reason === 'InvalidImageName') return "image can't be pulled";
  return reason;
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
  for (const pod of pods) {
    for (const c of containersOf(pod, o, notes)) {
      const why = waitingReason(pod, c);
      if (why) throw new CliError(`Error from server (BadRequest): container "${c}" in pod "${pod.metadata.name}" is waiting to start: ${why}`, true);
      out.push({ pod, container: c });
    }
  }
  return out;
}

/** The container's log; one that ran before kubesim kept logs (the cluster's own pods) has its start-up lines. */
function linesOf(state: State, s: Source): string[] {
  const run = currentLog(state, s.pod, s.container);
  if (run) return run;
  const kept = state.runtime().logs[s.pod.metadata.uid as string]?.[s.container];
  if (kept) return kept;
  const c = (s.pod.spec?.containers ?? []).find((x: { name: string }) => x.name === s.container);
  const cs = (s.pod.status?.containerStatuses ?? []).find((x: { name: string }) => x.name === s.container);
  const started = Date.parse(cs?.state?.running?.startedAt ?? '');
  return c && !Number.isNaN(started) ? startupLog(c, s.pod, started, state.config.proxyMode) : [];
}

function format(s: Source, lines: string[], o: LogsOptions, multi: boolean): string {
  const prefix = o.prefix || (multi && o.prefix !== false && o.allContainers) ? `[pod/${s.pod.metadata.name}/${s.container}] ` : '';
  return lines.map((l) => `${prefix}${l}\n`).join('');
}

export function runLogs(g: GlobalOptions, target: string | undefined, o: LogsOptions): Outcome {
  if (!target && !o.selector) {
    throw new CliError("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubesim logs -h' for help and examples", true);
  }
  const tail = o.tail !== undefined ? Number(o.tail) : o.selector ? 10 : -1;
  if (!Number.isInteger(tail)) throw new CliError(`Error: invalid argument "${o.tail}" for "--tail" flag: strconv.ParseInt: parsing "${o.tail}": invalid syntax\nSee 'kubesim logs --help' for usage.`, true);
  const state = openRead(g);
  const notes: string[] = [];
  const srcs = sources(state, g, target, o, notes);
  if (o.previous) {
    let out = '';
    for (const s of srcs) {
      const prev = previousLog(state, s.pod, s.container);
      if (!prev) throw new CliError(`Error from server (BadRequest): previous terminated container "${s.container}" in pod "${s.pod.metadata.name}" not found`, true);
      out += format(s, tail >= 0 ? prev.slice(Math.max(0, prev.length - tail)) : prev, o, srcs.length > 1);
    }
    writeErr(notes.map((n) => n + '\n').join(''));
    return { stdout: out };
  }
  let stdout = '';
  const seen = new Map<Source, number>();
  for (const s of srcs) {
    const all = linesOf(state, s);
    seen.set(s, all.length);
    stdout += format(s, tail >= 0 ? all.slice(Math.max(0, all.length - tail)) : all, o, srcs.length > 1);
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
      const all = linesOf(state, s);
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
    .action((target: string | undefined, o: LogsOptions) => run(() => runLogs(g(), target, o)));
}
