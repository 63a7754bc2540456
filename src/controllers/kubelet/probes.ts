// The kubelet's probes (pkg/kubelet/prober): a worker per probe and container ticks every
// periodSeconds from initialDelaySeconds after the start; a result flips after successThreshold
// successes or failureThreshold failures in a row. Startup holds the other two back until it
// passes; readiness sets the container's Ready (and so the endpoints); a liveness or startup failure
// kills the container, which restarts by the restart policy. Failures are Warning Unhealthy events
// with prober.go's texts; the handlers answer as pkg/probe/{http,tcp,exec} do, against the
// simulated app (a path nginx does not serve is a 404) or the container's shell.
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { probeHttp } from '../../network/apps';
import { imageRepo } from '../../network/apps';
import { commandLine, type Program, type Runner } from '../program';
import { NEVER, type ContainerMemory, type ProbeMemory } from './memory';
import type { CStatus } from './status';

type Kind = 'startup' | 'liveness' | 'readiness';
const KINDS: Kind[] = ['startup', 'liveness', 'readiness'];
const LABEL: Record<Kind, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };

interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: object;
}

interface ProbeSpec {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: object;
  readinessProbe?: object;
  startupProbe?: object;
}

/** What the probes need of the pod's sync. */
export interface ProbeHost {
  state: State;
  pod: KObject;
  /** the pod with the statuses of the step under way (what a probe's connection meets) */
  view(): KObject;
  policy: string;
  run(container: string): Runner;
  finish(s: { name: string }, at: number, code: number): void;
  eventAt(at: number, type: 'Normal' | 'Warning', reason: string, message: string, count?: number): void;
  wantsReadyNow(): boolean;
}

function probeOf(c: ProbeSpec, k: Kind): Probe | undefined {
  return (c as unknown as Record<string, Probe | undefined>)[`${k}Probe`];
}

export function resetProbes(cm: ContainerMemory): void {
  cm.probes = undefined;
}

const period = (p: Probe) => (p.periodSeconds ?? 10) * 1000;

function memoryFor(cm: ContainerMemory, k: Kind, p: Probe): ProbeMemory {
  const probes = (cm.probes ??= {});
  return (probes[k] ??= { ok: 0, fail: 0, next: cm.run!.started + (p.initialDelaySeconds ?? 0) * 1000, passed: k === 'liveness' });
}

/** Runs every probe tick of a running container up to `t`. */
export function probeStep(host: ProbeHost, c: ProbeSpec, cm: ContainerMemory, cs: CStatus, t: number): void {
  if (!cm.run || cm.run.finished !== undefined) return;
  const defined = KINDS.filter((k) => probeOf(c, k));
  if (!defined.length) return;
  const run = cm.run;
  for (const k of defined) {
    const p = probeOf(c, k)!;
    const pm = memoryFor(cm, k, p);
    // liveness and readiness wait for the startup probe
    if (k !== 'startup' && probeOf(c, 'startup') && !cm.probes?.startup?.passed) continue;
    let batch: { at: number; why: string; n: number } | undefined;
    const flush = () => {
      if (batch) host.eventAt(batch.at, 'Warning', 'Unhealthy', `${LABEL[k]} probe failed: ${batch.why}`, batch.n);
      batch = undefined;
    };
    for (let guard = 0; pm.next <= t && guard < 100000; guard++) {
      if (cm.stopping) break;
      const at = pm.next;
      const res = evaluate(host, c, p, run.prog, at - run.started);
      pm.next += period(p);
      if (res.ok) {
        flush();
        pm.ok++;
        pm.fail = 0;
        if (!pm.passed && pm.ok >= (p.successThreshold ?? 1)) {
          pm.passed = true;
          if (k === 'startup') {
            cs.started = true;
            for (const other of ['liveness', 'readiness'] as Kind[]) if (cm.probes?.[other]) cm.probes[other]!.next = Math.max(cm.probes[other]!.next, at);
            if (!probeOf(c, 'readiness')) cs.ready = host.wantsReadyNow();
          }
          if (k === 'readiness') cs.ready = host.wantsReadyNow();
        }
        // a steady success changes nothing until the program's files change: skip to then
        if (pm.passed) {
          const change = nextFileChange(run.prog, at - run.started);
          const resume = change === undefined ? Infinity : run.started + change;
          if (k === 'startup') pm.next = NEVER; // the startup probe stops once it passed
          else if (resume > pm.next) pm.next = resume === Infinity ? NEVER : firstTickAtOrAfter(pm, p, resume);
        }
        continue;
      }
      pm.fail++;
      pm.ok = 0;
      pm.why = res.why;
      if (batch && batch.why === res.why) {
        batch.n++;
        batch.at = at;
      } else {
        flush();
        batch = { at, why: res.why, n: 1 };
      }
      if (pm.fail < (p.failureThreshold ?? 3)) continue;
      if (k === 'readiness') {
        if (pm.passed) {
          pm.passed = false;
          cs.ready = false;
        }
        continue;
      }
      if (k === 'startup' || k === 'liveness') {
        flush();
        // computePodActions: kill it; it restarts unless the policy is Never
        const restart = host.policy !== 'Never';
        host.eventAt(at, 'Normal', 'Killing', `Container ${c.name} failed ${k} probe${restart ? ', will be restarted' : ''}`);
        const grace = (p.terminationGracePeriodSeconds ?? Number(host.pod.spec?.terminationGracePeriodSeconds ?? 30)) * 1000;
        const term = run.prog.onTerm;
        const stopAt = term && term.after < grace ? at + Math.max(term.after, 1000) : at + Math.max(grace, 2000);
        cm.stopping = { at: stopAt, code: term && term.after < grace ? term.code : 137, restart, why: k };
        pm.next = NEVER;
        break;
      }
    }
    flush();
  }
}

function firstTickAtOrAfter(pm: ProbeMemory, p: Probe, x: number): number {
  const per = period(p);
  if (pm.next >= x) return pm.next;
  return pm.next + Math.ceil((x - pm.next) / per) * per;
}

/** When the next probe tick that can change something is due. */
export function probeDue(cm: ContainerMemory, c: ProbeSpec, _t: number): number | undefined {
  if (!cm.probes || !cm.run || cm.stopping) return firstProbe(cm, c);
  let due = Infinity;
  for (const k of KINDS) {
    const pm = cm.probes[k];
    if (!pm) continue;
    if (k !== 'startup' && probeOf(c, 'startup') && !cm.probes.startup?.passed) continue;
    if (pm.next < due && pm.next < NEVER) due = pm.next;
  }
  const first = firstProbe(cm, c);
  if (first !== undefined && first < due) due = first;
  return due === Infinity ? undefined : due;
}

/** A probe whose worker has not run yet: its first tick. */
function firstProbe(cm: ContainerMemory, c: ProbeSpec): number | undefined {
  if (!cm.run || cm.run.finished !== undefined || cm.stopping) return undefined;
  let due: number | undefined;
  for (const k of KINDS) {
    const p = probeOf(c, k);
    if (!p || cm.probes?.[k]) continue;
    if (k !== 'startup' && probeOf(c, 'startup')) continue;
    const at = cm.run.started + (p.initialDelaySeconds ?? 0) * 1000;
    if (due === undefined || at < due) due = at;
  }
  return due;
}

function nextFileChange(prog: Program, offset: number): number | undefined {
  let best: number | undefined;
  for (const f of prog.files ?? []) {
    for (const x of [f.created, f.removed]) if (x !== undefined && x > offset && (best === undefined || x < best)) best = x;
  }
  return best;
}

function portNumber(c: ProbeSpec, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return (c.ports ?? []).find((p) => p.name === port)?.containerPort;
}

/** One probe's result, `offset` ms into the run. */
function evaluate(host: ProbeHost, c: ProbeSpec, p: Probe, prog: Program, offset: number): { ok: true } | { ok: false; why: string } {
  const ip = host.pod.status?.podIP ?? '';
  if (p.httpGet) {
    const port = portNumber(c, p.httpGet.port);
    const path = p.httpGet.path ?? '/';
    const host0 = p.httpGet.host || ip;
    const url = `${(p.httpGet.scheme ?? 'HTTP').toLowerCase()}://${host0}:${port ?? p.httpGet.port}${path}`;
    const res = port === undefined ? undefined : probeHttp(host.state, host.view(), port, path);
    if (!res) return { ok: false, why: `Get "${url}": dial tcp ${host0}:${port ?? p.httpGet.port}: connect: connection refused` };
    if (res.status < 200 || res.status >= 400) return { ok: false, why: `HTTP probe failed with statuscode: ${res.status}` };
    return { ok: true };
  }
  if (p.tcpSocket) {
    const port = portNumber(c, p.tcpSocket.port);
    const open = port !== undefined && probeHttp(host.state, host.view(), port, null) !== undefined;
    return open ? { ok: true } : { ok: false, why: `dial tcp ${ip}:${port ?? p.tcpSocket.port}: connect: connection refused` };
  }
  if (p.exec) {
    const argv = p.exec.command ?? [];
    const file = fileCheck(argv);
    const known = file && (prog.files ?? []).filter((f) => f.path === file.path);
    if (file && known && known.length) {
      const exists = known.some((f) => f.created <= offset && (f.removed === undefined || f.removed > offset));
      if (exists) return { ok: true };
      return { ok: false, why: file.cmd === 'cat' ? catMissing(c.image, file.path) : '' };
    }
    const line = argv.length === 1 ? argv[0] : commandLine(argv);
    const r = host.run(c.name)(line);
    if (!r) return { ok: false, why: '' };
    return r.code === 0 ? { ok: true } : { ok: false, why: (r.stdout + r.stderr).replace(/\n$/, '') };
  }
  return { ok: true };
}

function fileCheck(argv: string[]): { cmd: string; path: string } | undefined {
  const words = argv.length === 3 && /^(\/bin\/)?(ba)?sh$/.test(argv[0]) && argv[1] === '-c' ? argv[2].trim().split(/\s+/) : argv;
  if (words.length === 2 && ['cat', 'ls', 'stat'].includes(words[0])) return { cmd: words[0], path: words[1] };
  if (words.length === 3 && words[0] === 'test' && ['-e', '-f'].includes(words[1])) return { cmd: 'test', path: words[2] };
  return undefined;
}

/** cat's message for a missing file: busybox's on busybox and alpine, coreutils' elsewhere. */
function catMissing(image: string, path: string): string {
  const repo = imageRepo(image);
  return ['busybox', 'alpine'].includes(repo) ? `cat: can't open '${path}': No such file or directory` : `cat: ${path}: No such file or directory`;
}
