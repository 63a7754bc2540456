// One pod on its node, moved through simulated time (pkg/kubelet/kuberuntime SyncPod, step by step):
// each call brings the pod from the time it was last synced to now, one due step after another,
// recording every event at the time it happened. The steps:
// - init containers one at a time, in order; app containers once they all succeeded;
// - an image pull: Pulling, then Pulled after the pull's time (ContainerCreating meanwhile), or
//   "already present" with IfNotPresent; a failed pull: ErrImagePull, ImagePullBackOff, retries on
//   the image back-off;
// - start: Created, Started; the process then runs its program (program.ts) and may exit;
// - an exit: Completed or Error; a restart by the restart policy on the restart back-off
//   (kuberuntime_manager.go doBackOff), CrashLoopBackOff while it waits;
// - probes (probes.ts): startup, readiness (Ready, the endpoints), liveness (a kill and a restart);
// - a deletion: Killing, preStop, SIGTERM, SIGKILL at the end of the grace period, then the pod is
//   removed (the kubelet's final delete).
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { nowMs, rfc3339 } from '../../util/clock';
import { clone } from '../../util/compare';
import { recordEvent, type EventSource } from '../events';
import { pullImage } from '../images';
import { normalizeImage } from '../kubelet-image';
import { programOf, type ContainerSpecLike, type Program, type Runner } from '../program';
import { appendLog, clearLog, nginxStarts, startupLog } from '../../network/apps';
import { containerEnv, servicesAtStart } from '../../network/env';
import { configEnv } from '../../network/configenv';
import { nginxStartFailure, verifyRunAsNonRoot } from '../../network/secctx';
import { recordVolumeStart } from './mounts';
import { deleteObject } from '../../apiserver/registry';
import { resourceByKind } from '../../api/resources';
import { expired, goDuration, next } from './backoff';
import { memories, NEVER, type ContainerMemory, type PodMemory } from './memory';
import { firstPullMs, pulledMessage, repeatPullMs } from './pull';
import { hasImage, keepImage, repoDigest } from './imagestore';
import { podConditions, podPhase, type CStatus, type Terminated } from './status';
import { probeStep, probeDue, resetProbes, type ProbeHost } from './probes';
import { containerRunner } from './runner';
import { linesUntilRun, timedLinesUntilRun } from './logs';
import { MOUNT_INITIAL_MS, MOUNT_MAX_MS, mountErrors, setUpMessage, timeoutAt, timeoutMessage, type MountWait } from './mounts';

export const READY_ANNOTATION = 'kubesim.io/ready';

/** The kubelet's memory of a pod, if it keeps one. */
export function memoryOf(state: State, pod: KObject): PodMemory | undefined {
  return memories(state)[pod.metadata.uid as string];
}

interface Spec extends ContainerSpecLike {
  imagePullPolicy?: string;
  lifecycle?: { preStop?: { exec?: { command?: string[] }; httpGet?: object; sleep?: { seconds: number } } };
  livenessProbe?: object;
  readinessProbe?: object;
  startupProbe?: object;
}

const SECOND = 1000;
/** how often a pod that backs off is retried (pod_workers.go: backOffPeriod with jitter) */
const REPEAT_MS = 10 * SECOND;

/** Brings one pod from its last sync to now. */
/** exits: containers whose attached process just ended (`run -i`), with its code. */
export function syncPod(state: State, pod: KObject, node: KObject, exits?: Record<string, number>): void {
  const now = nowMs();
  const uid = pod.metadata.uid as string;
  const existing = memories(state)[uid];
  const mem: PodMemory = existing ? clone(existing) : { ns: pod.metadata.namespace as string, name: pod.metadata.name, at: now, c: {} };
  const sim = new PodSync(state, pod, node, mem, exits);
  sim.step(Math.min(mem.at, now));
  for (let guard = 0; guard < 20000 && !sim.removed; guard++) {
    const d = sim.nextDue();
    if (d === undefined || d > now) break;
    sim.step(d);
  }
  if (!sim.removed) sim.flushRepeats(now);
  mem.at = now;
  const dues = sim.removed ? [] : [sim.nextDue(), sim.nextRepeat(now)].filter((x): x is number => x !== undefined);
  mem.due = dues.length ? Math.min(...dues) : undefined;
  const keep = !sim.removed && (mem.due !== undefined || Object.values(mem.c).some((cm) => worthKeeping(cm, now)));
  if (keep) {
    if (!existing || JSON.stringify(existing) !== JSON.stringify(mem)) memories(state, true)[uid] = mem;
  } else if (existing) delete memories(state, true)[uid];
}

/** Whether a container's memory says something the status cannot: a log, a live back-off entry, probe counters. */
function worthKeeping(cm: ContainerMemory, now: number): boolean {
  if (cm.prevLog) return true;
  if (cm.backoff && !expired(cm.backoff, now)) return true;
  if (cm.run && (cm.run.prog.lines.length || cm.run.prog.loop)) return true;
  if (cm.probes) return true;
  return false;
}

interface Slot {
  spec: Spec;
  init: boolean;
  index: number;
}

class PodSync implements ProbeHost {
  removed = false;
  /** the moment of this sync (the present it moves the pod to) */
  readonly syncNow = nowMs();
  /** the pod as stored, refreshed after every write */
  pod: KObject;
  readonly src: EventSource;
  private runner?: Runner;
  private runnerFor?: string;
  /** a container is starting: what its program writes to the pod's volumes is kept */
  private starting = false;

  constructor(
    readonly state: State,
    pod: KObject,
    readonly node: KObject,
    readonly mem: PodMemory,
    private exits?: Record<string, number>,
  ) {
    this.pod = pod;
    this.src = { component: 'kubelet', host: node.metadata.name };
  }

  get policy(): string {
    return this.pod.spec?.restartPolicy ?? 'Always';
  }

  private slots(): Slot[] {
    const init = ((this.pod.spec?.initContainers ?? []) as Spec[]).map((spec, index) => ({ spec, init: true, index }));
    const app = ((this.pod.spec?.containers ?? []) as Spec[]).map((spec, index) => ({ spec, init: false, index }));
    return [...init, ...app];
  }

  cm(name: string): ContainerMemory {
    return (this.mem.c[name] ??= {});
  }

  // ------------------------------------------------------------ one step

  private t = 0;
  private statuses!: { init: CStatus[]; app: CStatus[] };
  private events: { at: number; type: 'Normal' | 'Warning'; reason: string; message: string; count: number }[] = [];

  step(t: number): void {
    this.t = t;
    const p = this.pod;
    const prevInit = new Map<string, CStatus>((p.status?.initContainerStatuses ?? []).map((cs: CStatus) => [cs.name, clone(cs)]));
    const prevApp = new Map<string, CStatus>((p.status?.containerStatuses ?? []).map((cs: CStatus) => [cs.name, clone(cs)]));
    const hasInit = (p.spec?.initContainers ?? []).length > 0;
    const fresh = (s: Slot): CStatus => ({
      image: s.spec.image,
      imageID: '',
      lastState: {},
      name: s.spec.name,
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } },
    });
    this.statuses = {
      init: (p.spec?.initContainers ?? []).map((c: Spec) => prevInit.get(c.name) ?? fresh({ spec: c, init: true, index: 0 })),
      app: (p.spec?.containers ?? []).map((c: Spec) => prevApp.get(c.name) ?? fresh({ spec: c, init: false, index: 0 })),
    };
    const slots = this.slots();
    for (const s of slots) this.hydrate(s);
    for (const [name, code] of Object.entries(this.exits ?? {})) {
      const cm = this.cm(name);
      if (cm.run && cm.run.finished === undefined) cm.stopping = { at: t, code, why: 'exit' };
      // a session that ended before its container started (an attached run on a frozen clock)
      else if (!cm.run) cm.attachedExit = code;
    }
    this.exits = undefined;
    if (p.metadata.deletionTimestamp) this.terminate(slots);
    else if (this.volumesMounted(slots, t)) {
      // init containers in order: the next starts when the one before succeeded
      let gate = true;
      let pulling = false;
      for (const s of slots) {
        if (!s.init && s.index === 0) {
          gate = this.statuses.init.every((cs) => cs.state.terminated?.exitCode === 0);
          pulling = false;
        }
        this.advance(s, gate && !pulling);
        const cm = this.cm(s.spec.name);
        if (s.init) {
          const cs = this.status(s);
          if (!(cs.state.terminated?.exitCode === 0)) gate = false;
        }
        if (cm.pull) pulling = true;
      }
    }
    this.write();
  }

  /**
   * Whether the pod's volumes are mounted (mounts.ts): at once for most pods; a configMap or secret
   * volume whose object or key is missing is tried again on the volume manager's back-off, a
   * FailedMount event each time, until it mounts. Containers that started once are past it.
   */
  private volumesMounted(slots: Slot[], t: number): boolean {
    const started =
      slots.some((s) => {
        const cm = this.mem.c[s.spec.name];
        return !!cm && !!(cm.run || cm.pull || cm.pullFailed || cm.configError);
      }) || [...this.statuses.init, ...this.statuses.app].some((cs) => cs.containerID || !cs.state.waiting);
    if (started) {
      this.mem.mount = undefined;
      return true;
    }
    let w = this.mem.mount;
    for (let at = w ? w.next : t, guard = 0; at <= t && guard < 10000; guard++) {
      if (w) this.mountTimeouts(w, at);
      const errors = mountErrors(this.state, this.pod, this.node);
      if (!errors.size) {
        this.mem.mount = undefined;
        return true;
      }
      for (const [name, err] of errors) this.event(at, 'Warning', 'FailedMount', setUpMessage(name, err));
      const d = w ? Math.min(w.d * 2, MOUNT_MAX_MS) : MOUNT_INITIAL_MS;
      w = { first: w?.first ?? at, next: at + d, d, timeouts: w?.timeouts ?? 0, failing: [...errors.keys()] };
      this.mem.mount = w;
      at = w.next;
    }
    if (w) this.mountTimeouts(w, t);
    return false;
  }

  /** The pod worker's waits that timed out by `upTo`: "Unable to attach or mount volumes", one each. */
  private mountTimeouts(w: MountWait, upTo: number): void {
    for (let at = timeoutAt(w.first, w.timeouts + 1); at <= upTo; at = timeoutAt(w.first, w.timeouts + 1)) {
      this.event(at, 'Warning', 'FailedMount', timeoutMessage(w.failing));
      w.timeouts++;
    }
  }

  status(s: Slot): CStatus {
    return (s.init ? this.statuses.init : this.statuses.app)[s.index];
  }

  /** Memory for a container the kubelet last saw steady (it keeps none for those): from its status. */
  private hydrate(s: Slot): void {
    const cm = this.cm(s.spec.name);
    const cs = this.status(s);
    if (cm.run || cm.pull || cm.pullFailed) return;
    const id = String(cs.containerID ?? '').replace(/^containerd:\/\//, '');
    if (cs.state.running) {
      cm.image = cs.image === normalizeImage(s.spec.image) ? s.spec.image : String(cs.image);
      cm.run = { id, started: Date.parse(cs.state.running.startedAt), prog: this.program(s.spec) };
    } else if (cs.state.terminated) {
      const tm = cs.state.terminated;
      cm.image = cs.image === normalizeImage(s.spec.image) ? s.spec.image : String(cs.image);
      cm.run = { id, started: Date.parse(tm.startedAt), prog: { lines: [] }, finished: Date.parse(tm.finishedAt), code: tm.exitCode, reason: tm.reason };
    }
    // a waiting container (a failed pull before the kubelet kept memory) starts over: it pulls again
  }

  private event(at: number, type: 'Normal' | 'Warning', reason: string, message: string, count = 1): void {
    this.events.push({ at, type, reason, message, count });
  }

  eventAt(at: number, type: 'Normal' | 'Warning', reason: string, message: string, count = 1): void {
    this.event(at, type, reason, message, count);
  }

  view(): KObject {
    return { ...this.pod, status: { ...(this.pod.status ?? {}), containerStatuses: this.statuses.app } };
  }

  wantsReadyNow(): boolean {
    return this.wantsReady();
  }

  private podRef(): string {
    // format.Pod: name_namespace(uid)
    return `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})`;
  }

  // ------------------------------------------------------------ one container

  private advance(s: Slot, mayStart: boolean): void {
    const c = s.spec;
    const cm = this.cm(c.name);
    const cs = this.status(s);
    const t = this.t;
    if (cm.run && cm.run.finished === undefined) {
      if (cm.image !== undefined && cm.image !== c.image) {
        this.event(t, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
        this.finish(s, t, cm.run.prog.onTerm?.code ?? 137);
        cm.restartAt = t;
        cm.waitingFrom = undefined;
        cm.image = undefined; // the new image is pulled
        return this.advance(s, mayStart);
      }
      const exitAt = cm.run.prog.exit ? cm.run.started + cm.run.prog.exit.at : Infinity;
      const stopAt = cm.stopping ? cm.stopping.at : Infinity;
      if (Math.min(exitAt, stopAt) <= t) {
        if (stopAt < exitAt) this.finish(s, stopAt, cm.stopping!.code);
        else this.finish(s, exitAt, cm.run.prog.exit!.code);
        return this.advance(s, mayStart);
      }
      if (!s.init) probeStep(this, s.spec, cm, cs, t);
      return;
    }
    if (cm.configError) {
      // issue 15: the pod worker's retry after CreateContainerConfigError (the image is there already)
      if (t < cm.configError.retry) return;
      const at = cm.configError.retry;
      cm.configError = undefined;
      this.event(at, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      return this.start(s, at);
    }
    if (cm.run && cm.run.finished !== undefined) {
      if (cm.restartAt === undefined) return;
      if (cm.waitingFrom !== undefined && t >= cm.waitingFrom && t < cm.restartAt && !cs.state.waiting) {
        const d = cm.backoff?.d ?? 10 * SECOND;
        cs.lastState = { terminated: cs.state.terminated };
        cs.state = { waiting: { message: `back-off ${goDuration(d)} restarting failed container=${c.name} pod=${this.podRef()}`, reason: 'CrashLoopBackOff' } };
        cm.repeat = { kind: 'crash', from: cm.waitingFrom, until: cm.restartAt, emitted: 0 };
      }
      this.repeatTo(c, cm, t);
      if (t >= cm.restartAt) this.restart(s, cm.restartAt);
      return;
    }
    if (cm.pull) {
      if (t < cm.pull.done) return;
      const done = cm.pull.done;
      this.event(done, 'Normal', 'Pulled', cm.pull.message);
      keepImage(this.state, this.node.metadata.name, c.image);
      cm.pull = undefined;
      return this.start(s, done);
    }
    if (cm.pullFailed && cm.pullFailed.image !== undefined && cm.pullFailed.image !== c.image) {
      // the pull back-off is kept per pod and image (image_manager.go backOffKey): a changed image is pulled at once
      cm.pullFailed = undefined;
      cm.pullBackoff = undefined;
      cm.repeat = undefined;
    }
    if (cm.pullFailed) {
      const f = cm.pullFailed;
      if (f.shown === 'ErrImagePull' && f.retry !== NEVER && t >= (cm.pullBackoff?.last ?? t) + SECOND && t < f.retry) {
        const at = (cm.pullBackoff?.last ?? t) + SECOND;
        f.shown = 'ImagePullBackOff';
        cs.state = { waiting: { message: `Back-off pulling image "${c.image}"`, reason: 'ImagePullBackOff' } };
        cm.repeat = { kind: 'pull', from: at, until: f.retry, emitted: 0 };
      }
      this.repeatTo(c, cm, t);
      if (t >= f.retry) return this.beginPull(s, f.retry);
      return;
    }
    if (mayStart) this.beginPull(s, t);
  }

  private beginPull(s: Slot, t0: number): void {
    const c = s.spec;
    const cm = this.cm(c.name);
    const cs = this.status(s);
    const res = pullImage(c.image);
    if (!res.ok) {
      cs.image = normalizeImage(c.image);
      if (res.reason === 'InvalidImageName') {
        this.event(t0, 'Warning', 'InspectFailed', res.message);
        this.event(t0, 'Warning', 'Failed', 'Error: InvalidImageName');
        cm.pullFailed = { retry: NEVER, reason: res.reason, message: res.message };
        cs.state = { waiting: { message: res.message, reason: 'InvalidImageName' } };
        return;
      }
      cm.pullBackoff = next(cm.pullBackoff, t0, t0);
      this.event(t0, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      this.event(t0, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${res.message}`);
      this.event(t0, 'Warning', 'Failed', 'Error: ErrImagePull');
      cm.pullFailed = { retry: t0 + cm.pullBackoff.d, reason: res.reason, message: res.message, shown: 'ErrImagePull', image: c.image };
      cs.state = { waiting: { message: res.message, reason: 'ErrImagePull' } };
      return;
    }
    cm.pullFailed = undefined;
    cm.image = c.image;
    const node = this.node.metadata.name;
    const present = hasImage(this.state, node, c.image);
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    if (policy === 'Never' && !present) {
      const msg = `Container image "${c.image}" is not present with pull policy of Never`;
      this.event(t0, 'Warning', 'ErrImageNeverPull', msg);
      this.event(t0, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      cm.pullFailed = { retry: NEVER, reason: 'ErrImageNeverPull', message: msg, image: c.image };
      cs.state = { waiting: { message: msg, reason: 'ErrImageNeverPull' } };
      return;
    }
    if (policy !== 'Always' && present) {
      this.event(t0, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      return this.start(s, t0);
    }
    const ms = present ? repeatPullMs(this.state) : firstPullMs(c.image);
    this.event(t0, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    cm.pull = { done: t0 + ms, message: pulledMessage(c.image, ms) };
    if (!cs.state.waiting || cs.state.waiting.reason !== 'PodInitializing') cs.state = { waiting: { reason: s.init || !(this.pod.spec?.initContainers ?? []).length ? 'ContainerCreating' : 'PodInitializing' } };
  }

  private start(s: Slot, t0: number): void {
    const c = s.spec;
    const cm = this.cm(c.name);
    const cs = this.status(s);
    // issue 15: generateContainerConfig reads the ConfigMaps and Secrets of the environment first;
    // one missing (or a key) is CreateContainerConfigError, tried again at the next retry (10 s)
    const config = configEnv(this.state, this.pod, c);
    if (config.error !== undefined) {
      this.event(t0, 'Warning', 'Failed', `Error: ${config.error}`);
      cs.state = { waiting: { message: config.error, reason: 'CreateContainerConfigError' } };
      cm.configError = { retry: t0 + REPEAT_MS };
      return;
    }
    // then verifyRunAsNonRoot against the image's user (kuberuntime_container.go generateContainerConfig)
    const nonRoot = verifyRunAsNonRoot(this.pod, c);
    if (nonRoot !== undefined) {
      this.event(t0, 'Warning', 'Failed', `Error: ${nonRoot}`);
      cs.state = { waiting: { message: nonRoot, reason: 'CreateContainerConfigError' } };
      cm.configError = { retry: t0 + REPEAT_MS };
      return;
    }
    const id = this.state.rand.hex(64);
    const image = normalizeImage(c.image);
    // a new container: a fresh writable layer (network/container.ts)
    const layers = this.state.runtime().layers?.[this.pod.metadata.uid as string];
    if (layers?.[c.name]) delete this.state.runtime(true).layers![this.pod.metadata.uid as string][c.name];
    this.recordStart(c, t0);
    this.starting = true;
    let prog: Program;
    try {
      prog = this.program(c);
    } finally {
      this.starting = false;
    }
    cm.run = { id, started: t0, prog };
    cm.stopping = undefined;
    resetProbes(cm);
    cs.containerID = `containerd://${id}`;
    cs.image = image;
    // the repo digest the node's status.images also names (imagestore.ts); the draw the random
    // digest of earlier versions took stays, so a seeded cluster keeps its names and addresses
    this.state.rand.hex(64);
    cs.imageID = repoDigest(image);
    this.event(t0, 'Normal', 'Created', `Created container: ${c.name}`);
    if (prog.startError) {
      this.event(t0, 'Warning', 'Failed', `Error: ${prog.startError}`);
      cm.run.reason = 'StartError';
      return this.finish(s, t0, 128, prog.startError);
    }
    this.event(t0, 'Normal', 'Started', `Started container ${c.name}`);
    cs.started = !c.startupProbe;
    cs.ready = !s.init && !c.readinessProbe && !c.startupProbe && this.wantsReady();
    cs.state = { running: { startedAt: rfc3339(t0) } };
    if (cm.attachedExit !== undefined) {
      const code = cm.attachedExit;
      cm.attachedExit = undefined;
      return this.finish(s, t0, code);
    }
    const exit = prog.exit ? t0 + prog.exit.at : Infinity;
    if (exit <= this.t) this.finish(s, exit, prog.exit!.code);
    else if (!s.init) probeStep(this, c, cm, cs, this.t);
  }

  private wantsReady(): boolean {
    return this.pod.metadata.annotations?.[READY_ANNOTATION] !== 'false';
  }

  /** The process ended at `tf` with `code`: its terminated state, and whether and when it starts again. */
  finish(s: Slot | { name: string }, tf: number, code: number, message?: string): void {
    const slot = 'spec' in s ? s : this.slots().find((x) => x.spec.name === s.name)!;
    const c = slot.spec;
    const cm = this.cm(c.name);
    const cs = this.status(slot);
    const run = cm.run!;
    run.finished = tf;
    run.code = code;
    run.reason = run.reason === 'StartError' ? 'StartError' : code === 0 ? 'Completed' : 'Error';
    const terminated: Terminated = {
      containerID: `containerd://${run.id}`,
      exitCode: code,
      finishedAt: rfc3339(tf),
      ...(message ? { message } : {}),
      reason: run.reason,
      startedAt: run.reason === 'StartError' ? '1970-01-01T00:00:00Z' : rfc3339(run.started),
    };
    cs.state = { terminated };
    cs.ready = false;
    cs.started = false;
    const stopping = cm.stopping;
    cm.stopping = undefined;
    const deleting = !!this.pod.metadata.deletionTimestamp;
    const restart = !deleting && (stopping?.restart ?? (slot.init ? code !== 0 && this.policy !== 'Never' : this.policy === 'Always' || (this.policy === 'OnFailure' && code !== 0)));
    if (!restart) {
      cm.restartAt = undefined;
      cm.waitingFrom = undefined;
      return;
    }
    // doBackOff: the first exit (no back-off entry, or one older than 10 minutes) restarts at the
    // next sync; later ones wait out the entry's delay from the exit, CrashLoopBackOff meanwhile
    if (expired(cm.backoff, tf)) {
      cm.restartAt = tf + SECOND;
      cm.waitingFrom = undefined;
    } else {
      cm.restartAt = tf + cm.backoff!.d;
      cm.waitingFrom = tf + SECOND < cm.restartAt ? tf + SECOND : undefined;
    }
  }

  private restart(s: Slot, tr: number): void {
    const c = s.spec;
    const cm = this.cm(c.name);
    const cs = this.status(s);
    const run = cm.run!;
    cm.backoff = next(cm.backoff, run.finished!, tr);
    if (!cs.lastState.terminated || cs.state.terminated) cs.lastState = { terminated: cs.state.terminated ?? cs.lastState.terminated };
    cs.restartCount = (cs.restartCount ?? 0) + 1;
    const prev = timedLinesUntilRun(this.state, this.pod, c.name, run, (run.finished ?? this.t) - run.started);
    cm.prevLog = prev.map((l) => l.text);
    cm.prevTimes = prev.map((l) => l.at);
    clearLog(this.state, this.pod, c.name);
    cm.restartAt = undefined;
    cm.waitingFrom = undefined;
    if (cm.image === undefined) return this.beginPull(s, tr); // the image changed: pull the new one
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    if (policy === 'Always') {
      const ms = repeatPullMs(this.state);
      this.event(tr, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      this.event(tr, 'Normal', 'Pulled', pulledMessage(c.image, ms));
    } else this.event(tr, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    this.start(s, tr);
  }

  /** What a run wrote: its program's lines up to its end (or now) and what the app logged meanwhile. */
  logOf(name: string, run: { started: number; finished?: number; prog: Program }): string[] {
    const until = (run.finished ?? this.t) - run.started;
    return linesUntilRun(this.state, this.pod, name, run, until);
  }

  // ------------------------------------------------------------ deletion

  private terminate(slots: Slot[]): void {
    const md = this.pod.metadata;
    const graceEnd = Date.parse(md.deletionTimestamp as string);
    const grace = Number(md.deletionGracePeriodSeconds ?? 0) * SECOND;
    const t = this.t;
    // the stop starts when this kubelet learns of the deletion: at once, or when its node is back
    const seen = this.mem.deletionSeen ?? Math.max(graceEnd - grace, this.syncNow);
    this.mem.deletionSeen = seen;
    const t0 = seen;
    let last = t0 + Math.min(SECOND, grace);
    for (const s of slots) {
      const cm = this.cm(s.spec.name);
      const cs = this.status(s);
      cm.pull = undefined;
      cm.pullFailed = undefined;
      cm.restartAt = undefined;
      cm.waitingFrom = undefined;
      cm.repeat = undefined;
      if (!cm.run || cm.run.finished !== undefined) continue;
      // a later delete with a shorter grace period brings the SIGKILL forward
      if (!cm.stopping || cm.stopping.why !== `delete ${graceEnd}`) {
        const from = Math.max(t0, cm.run.started);
        if (!cm.stopping?.why.startsWith('delete')) this.event(from, 'Normal', 'Killing', `Stopping container ${s.spec.name}`);
        const preStop = preStopMs(s.spec);
        const term = cm.run.prog.onTerm;
        let at = term ? from + preStop + term.after : Infinity;
        let code = term ? term.code : 137;
        // SIGKILL at the end of the grace period (the runtime's StopContainer timeout, 2 s at least)
        const killAt = Math.max(graceEnd, from + 2 * SECOND);
        if (at >= killAt) {
          at = killAt;
          code = 137;
        }
        cm.stopping = { at: Math.max(at, from + Math.min(SECOND, grace)), code, restart: false, why: `delete ${graceEnd}` };
      }
      if (cm.stopping.at <= t) this.finish(s, cm.stopping.at, cm.stopping.code);
      else if (!s.init) probeStep(this, s.spec, cm, cs, t);
      last = Math.max(last, cm.stopping?.at ?? last);
    }
    const running = slots.some((s) => this.cm(s.spec.name).run && this.cm(s.spec.name).run!.finished === undefined);
    this.removeAt = running ? undefined : last;
  }

  private removeAt?: number;

  // ------------------------------------------------------------ writing

  private write(): void {
    const p = this.pod;
    const upd = clone(p);
    const { init, app } = this.statuses;
    const phase = podPhase(p.spec, init, app);
    const wants = this.wantsReady();
    for (const cs of app) {
      if (!wants) {
        cs.ready = false;
        continue;
      }
      // the annotation turned back to ready: a started container is ready again unless a readiness probe says otherwise
      if (cs.ready || !cs.state.running || cs.started === false) continue;
      const spec = (p.spec?.containers ?? []).find((c: KObject) => c.name === cs.name);
      if (!spec?.readinessProbe || this.mem.c[cs.name]?.probes?.readiness?.passed) cs.ready = true;
    }
    const st = upd.status ?? (upd.status = {});
    const now = rfc3339(this.t);
    st.conditions = podConditions(p, phase, init, app, now, wants);
    if (init.length) st.initContainerStatuses = init.map((cs) => ({ ...cs, ready: !!cs.state.terminated && cs.state.terminated.exitCode === 0 }));
    st.containerStatuses = app;
    st.phase = phase;
    const stored = this.state.replace(upd) ? this.state.get('Pod', p.metadata.namespace, p.metadata.name)! : p;
    this.pod = stored;
    for (const e of this.events.sort((a, b) => a.at - b.at)) recordEvent(this.state, stored, e.type, e.reason, e.message, this.src, e.at, e.count);
    this.events = [];
    if (this.removeAt !== undefined && this.removeAt <= this.t) {
      deleteObject(this.state, resourceByKind('Pod'), p.metadata.namespace, p.metadata.name, 'background', 0);
      this.removed = true;
    }
  }

  // ------------------------------------------------------------ due times

  nextDue(): number | undefined {
    let due = Infinity;
    const consider = (x: number | undefined) => {
      if (x !== undefined && x > this.t && x < due && x < NEVER) due = x;
    };
    for (const s of this.slots()) {
      const cm = this.mem.c[s.spec.name];
      if (!cm) continue;
      if (cm.pull) consider(cm.pull.done);
      if (cm.configError) consider(cm.configError.retry);
      if (cm.pullFailed) {
        consider(cm.pullFailed.retry >= NEVER ? undefined : cm.pullFailed.retry);
        if (cm.pullFailed.shown === 'ErrImagePull' && cm.pullBackoff) consider(cm.pullBackoff.last + SECOND);
      }
      if (cm.run && cm.run.finished === undefined) {
        if (cm.run.prog.exit) consider(cm.run.started + cm.run.prog.exit.at);
        if (cm.stopping) consider(cm.stopping.at);
        if (!s.init) consider(probeDue(cm, s.spec, this.t));
      }
      if (cm.restartAt !== undefined) {
        consider(cm.restartAt);
        consider(cm.waitingFrom);
      }
    }
    if (this.mem.mount) {
      consider(this.mem.mount.next);
      consider(timeoutAt(this.mem.mount.first, this.mem.mount.timeouts + 1));
    }
    if (this.removeAt !== undefined) consider(this.removeAt);
    if (this.pod.metadata.deletionTimestamp && this.removeAt === undefined) consider(Date.parse(this.pod.metadata.deletionTimestamp));
    return due === Infinity ? undefined : due;
  }

  /**
   * The BackOff events of a wait, up to `upTo`: the pod worker retries the pod about every 10 s
   * while it backs off, and each retry records one (client-go aggregates them: "x6 over 96s").
   */
  private repeatTo(c: Spec, cm: ContainerMemory, upTo: number): void {
    const r = cm.repeat;
    if (!r) return;
    const last = Math.min(upTo, r.until - 1);
    if (last >= r.from) {
      const ticks = Math.floor((last - r.from) / REPEAT_MS) + 1;
      const n = ticks - r.emitted;
      if (n > 0) {
        const at = r.from + (ticks - 1) * REPEAT_MS;
        if (r.kind === 'crash') this.event(at, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.podRef()}`, n);
        else {
          this.event(at, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, n);
          this.event(at, 'Warning', 'Failed', 'Error: ImagePullBackOff', n);
        }
        r.emitted = ticks;
      }
    }
    if (upTo >= r.until - 1) cm.repeat = undefined;
  }

  /** The next repeated event's time, after `now` (when a look at the pod would count one more). */
  nextRepeat(now: number): number | undefined {
    let due: number | undefined;
    for (const cm of Object.values(this.mem.c)) {
      const r = cm.repeat;
      if (!r) continue;
      const next = r.from + r.emitted * REPEAT_MS;
      const at = next > now ? next : r.from + (Math.floor((now - r.from) / REPEAT_MS) + 1) * REPEAT_MS;
      if (at < r.until && (due === undefined || at < due)) due = at;
    }
    return due;
  }

  /** Whether a repeated event fell due by `now` and is not yet counted. */
  repeatsDue(now: number): boolean {
    return Object.values(this.mem.c).some((cm) => cm.repeat && Math.min(now, cm.repeat.until - 1) >= cm.repeat.from + cm.repeat.emitted * REPEAT_MS);
  }

  flushRepeats(now: number): void {
    if (this.repeatsDue(now)) this.step(now);
  }

  // ------------------------------------------------------------ programs

  private recordStart(c: Spec, t0: number): void {
    const rt = this.state.runtime(true);
    const uid = this.pod.metadata.uid as string;
    const envs = (rt.env[uid] ??= {});
    envs[c.name] = servicesAtStart(this.state, this.pod);
    recordVolumeStart(this.state, this.pod, this.node, c);
    clearLog(this.state, this.pod, c.name); // a new run starts a new log
    const lines = startupLog(c, this.pod, t0, this.state.config.proxyMode);
    if (lines.length) appendLog(this.state, this.pod, c.name, lines, t0);
  }

  program(c: Spec): Program {
    // nginx that cannot make its paths or pid file under its securityContext exits 1 (secctx.ts)
    if (!nginxStarts(nginxStartFailure(this.pod, c, ''))) return { lines: [], exit: { at: 0, code: 1 } };
    const env = new Map(containerEnv(this.state, this.pod, c.name));
    return programOf({ ...c, env: [...env].map(([name, value]) => ({ name, value })) }, this.run(c.name));
  }

  /** The simulated shell of one container, made when a program first needs it. */
  run(container: string): Runner {
    return (line: string) => {
      if (!this.runner || this.runnerFor !== container) {
        this.runner = containerRunner(this.state, this.pod, this.node, container, () => this.starting);
        this.runnerFor = container;
      }
      return this.runner(line);
    };
  }
}

/** A preStop hook's time: `sleep N` (exec or the sleep action) takes N seconds; others are quick. */
function preStopMs(c: Spec): number {
  const h = c.lifecycle?.preStop;
  if (!h) return 0;
  if (h.sleep) return Number(h.sleep.seconds) * SECOND;
  const cmd = (h.exec?.command ?? []).join(' ');
  const m = /\bsleep\s+(\d+(?:\.\d+)?)/.exec(cmd);
  return m ? Math.round(Number(m[1]) * SECOND) : 0;
}


/** The program a container of this pod runs (what an attached `run` shows). */
export function programFor(state: State, pod: KObject, container: string): Program | undefined {
  const node = pod.spec?.nodeName ? state.get('Node', undefined, pod.spec.nodeName) : undefined;
  const c = ((pod.spec?.containers ?? []) as Spec[]).find((x) => x.name === container);
  if (!node || !c) return undefined;
  return new PodSync(state, pod, node, { ns: pod.metadata.namespace as string, name: pod.metadata.name, at: nowMs(), c: {} }).program(c);
}
