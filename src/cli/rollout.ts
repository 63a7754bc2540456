// kubectl rollout status | history | undo | restart for deployments, daemon sets and stateful sets
// (pkg/cmd/rollout, polymorphichelpers: history.go, rollback.go, rollout_status.go).
import { writeOut } from '../util/stdio';
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { resourceByKind } from '../api/resources';
import type { ApiClient } from '../apiserver/client';
import type { KObject } from '../api/types';
import { ownedBy } from '../api/podutil';
import { HASH_LABEL, REVISION } from '../controllers/deployment';
import { printTemplate } from '../printers/describe/workloads';
import { DESCRIBE_TABS, tabwrite } from '../printers/tabwriter';
import { nowMs } from '../util/clock';
import { clone } from '../util/compare';
import { sameJson } from '../api/statefulset';
import { selectorMatches } from '../api/workloads';
import { mutateApi, namespaceOf, readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { parseResourceArgs } from './resource/args';
import { AS_PATCH } from '../apiserver/client';

function targetOf(args: string[], kinds: string[]): { kind: string; name: string } {
  const { requests } = parseResourceArgs(args);
  if (requests.length === 0 || requests[0].names.length === 0) throw new CliError('error: required resource not specified', true);
  const r = requests[0];
  if (!kinds.includes(r.res.kind)) throw new CliError(`error: no ${'history viewer'} has been implemented for "${r.res.kind}"`, true);
  return { kind: r.res.kind, name: r.names[0] };
}




function deployment(api: ApiClient, ns: string, name: string): KObject {
  return api.get(resourceByKind('Deployment'), ns, name);
}

const revisionOf = (rs: KObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);

function history(api: ApiClient, d: KObject): Map<number, KObject> {
  const m = new Map<number, KObject>();
  for (const rs of api.list(resourceByKind('ReplicaSet'), d.metadata.namespace).filter((x) => ownedBy(x, d))) m.set(revisionOf(rs), rs);
  return m;
}

/** DeploymentStatusViewer.Status: the one line kubectl prints for the current state. */
function statusLine(d: KObject): { line: string; done: boolean } {
  const name = d.metadata.name;
  const st = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  if ((d.metadata.generation ?? 1) > (st.observedGeneration ?? 0)) return { line: 'Waiting for deployment spec update to be observed...\n', done: false };
  const updated = st.updatedReplicas ?? 0;
  const replicas = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  if (updated < want) return { line: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
  if (replicas > updated) return { line: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...\n`, done: false };
  if (available < updated) return { line: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`, done: false };
  return { line: `deployment "${name}" successfully rolled out\n`, done: true };
}

/** DaemonSetStatusViewer.Status */
function daemonSetStatusLine(ds: KObject): { line: string; done: boolean } {
  const name = ds.metadata.name;
  const st = ds.status ?? {};
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') throw new CliError('error: rollout status is only available for RollingUpdate strategy type', true);
  if ((ds.metadata.generation ?? 1) > (st.observedGeneration ?? 0)) return { line: 'Waiting for daemon set spec update to be observed...\n', done: false };
  const desired = st.desiredNumberScheduled ?? 0;
  const updated = st.updatedNumberScheduled ?? 0;
  const available = st.numberAvailable ?? 0;
  if (updated < desired) return { line: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n`, done: false };
  if (available < desired) return { line: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n`, done: false };
  return { line: `daemon set "${name}" successfully rolled out\n`, done: true };
}

/** StatefulSetStatusViewer.Status */
function statefulSetStatusLine(sts: KObject): { line: string; done: boolean } {
  const st = sts.status ?? {};
  const us = sts.spec?.updateStrategy ?? {};
  if (us.type !== 'RollingUpdate') throw new CliError('error: rollout status is only available for RollingUpdate strategy type', true);
  if (!st.observedGeneration || (sts.metadata.generation ?? 1) > st.observedGeneration) return { line: 'Waiting for statefulset spec update to be observed...\n', done: false };
  const want = sts.spec?.replicas;
  if (want !== undefined && (st.readyReplicas ?? 0) < want) return { line: `Waiting for ${want - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  if (us.rollingUpdate) {
    const partition = us.rollingUpdate.partition;
    if (want !== undefined && partition !== undefined && (st.updatedReplicas ?? 0) < want - partition) {
      return { line: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${want - partition} new pods have been updated...\n`, done: false };
    }
    return { line: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) return { line: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...\n`, done: false };
  return { line: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...\n`, done: true };
}

export function runStatus(g: GlobalOptions, args: string[], o: { watch?: boolean; timeout?: string }): Outcome {
  const { kind, name } = targetOf(args, ['Deployment', 'DaemonSet', 'StatefulSet']);
  const ns = namespaceOf(g);
  const current = (): { line: string; done: boolean } =>
    kind === 'DaemonSet'
      ? daemonSetStatusLine(readApi(g).get(resourceByKind('DaemonSet'), ns, name))
      : kind === 'StatefulSet'
        ? statefulSetStatusLine(readApi(g).get(resourceByKind('StatefulSet'), ns, name))
        : statusLine(deployment(readApi(g), ns, name));
  const limit = parseDuration(o.timeout ?? '0s');
  const start = Date.now();
  let last = '';
  for (;;) {
    const { line, done } = current();
    if (line !== last) {
      writeOut(line);
      last = line;
    }
    if (done || o.watch === false) return { stdout: '' };
    if (limit > 0 && Date.now() - start > limit) throw new CliError('error: timed out waiting for the condition', true);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

function parseDuration(s: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(s);
  if (!m) throw new CliError(`error: invalid argument "${s}" for "--timeout" flag: time: invalid duration "${s}"`, true);
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] ?? 's'] as number);
}

/** controlledHistory: the ControllerRevisions the set's selector selects and the set controls, by revision. */
function controllerHistory(api: ApiClient, owner: KObject): Map<number, KObject> {
  const m = new Map<number, KObject>();
  const revs = api
    .list(resourceByKind('ControllerRevision'), owner.metadata.namespace)
    .filter((cr) => selectorMatches(owner.spec?.selector, cr.metadata.labels) && (cr.metadata.ownerReferences ?? []).some((r: { controller?: boolean; uid?: string }) => r.controller && r.uid === owner.metadata.uid));
  for (const cr of revs) m.set(Number(cr.revision ?? 0), cr);
  return m;
}

/** The template a revision's patch restores (applyDaemonSetHistory / applyStatefulSetHistory). */
function templateOf(cr: KObject): KObject['spec'] {
  const t = clone(cr.data?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

/** DaemonSetHistoryViewer / StatefulSetHistoryViewer (printHistory). */
function revisionHistory(g: GlobalOptions, kind: string, name: string, revision: string | undefined): Outcome {
  const api = readApi(g);
  const owner = api.get(resourceByKind(kind), namespaceOf(g), name);
  const h = controllerHistory(api, owner);
  const head = `${kind.toLowerCase()}.apps/${name}`;
  if (h.size === 0) return { stdout: `${head} \nNo rollout history found.\n` };
  if (revision && revision !== '0') {
    const cr = h.get(Number(revision));
    if (!cr) throw new CliError('error: unable to find the specified revision', true);
    const text = printTemplate(templateOf(cr));
    return { stdout: `${head} with revision #${revision}\n${text}\n` };
  }
  let rows = 'REVISION\tCHANGE-CAUSE\n';
  for (const r of [...h.keys()].sort((a, b) => a - b)) rows += `${r}\t${h.get(r)!.metadata.annotations?.['kubernetes.io/change-cause'] || '<none>'}\n`;
  return { stdout: `${head} \n${tabwrite(rows, { ...DESCRIBE_TABS, padding: 2 })}\n` };
}

/** DaemonSetRollbacker / StatefulSetRollbacker: the revision's patch applied to the set. */
function revisionUndo(g: GlobalOptions, kind: string, name: string, toRevision: string | undefined): Outcome {
  const ns = namespaceOf(g);
  const to = Number(toRevision ?? 0);
  const head = `${kind.toLowerCase()}.apps/${name}`;
  return mutateApi(g, (api) => {
    const owner = api.get(resourceByKind(kind), ns, name);
    if (to < 0) throw new CliError(`error: unable to find specified revision ${to} in history`, true);
    const h = controllerHistory(api, owner);
    if (to === 0 && h.size <= 1) throw new CliError('error: no last revision to roll back to', true);
    // findHistory: the one before the newest, or the one numbered so
    const cr = to === 0 ? h.get([...h.keys()].sort((a, b) => a - b).at(-2)!) : h.get(to);
    if (!cr) throw new CliError(`error: unable to find specified revision ${to} in history`, true);
    const tmpl = templateOf(cr);
    if (sameJson(owner.spec?.template, tmpl)) return { stdout: `${head} skipped rollback (current template already matches revision ${to})\n` };
    const upd = clone(owner);
    upd.spec.template = tmpl;
    api.update(upd, undefined, AS_PATCH);
    return { stdout: `${head} rolled back\n` };
  });
}

export function runHistory(g: GlobalOptions, args: string[], o: { revision?: string }): Outcome {
  const t = targetOf(args, ['Deployment', 'DaemonSet', 'StatefulSet']);
  if (t.kind !== 'Deployment') return revisionHistory(g, t.kind, t.name, o.revision);
  const name = t.name;
  const api = readApi(g);
  const d = deployment(api, namespaceOf(g), name);
  const h = history(api, d);
  if (o.revision && o.revision !== '0') {
    const rs = h.get(Number(o.revision));
    if (!rs) throw new CliError(`error: unable to find the specified revision`, true);
    // the ReplicaSet's template as it is, pod-template-hash label and all (history.go, kubectl 1.32)
    const text = printTemplate(rs.spec.template);
    return { stdout: `deployment.apps/${name} with revision #${o.revision}\n${text}\n` };
  }
  let rows = 'REVISION\tCHANGE-CAUSE\n';
  for (const r of [...h.keys()].sort((a, b) => a - b)) rows += `${r}\t${h.get(r)!.metadata.annotations?.['kubernetes.io/change-cause'] || '<none>'}\n`;
  return { stdout: `deployment.apps/${name} \n${tabwrite(rows, { ...DESCRIBE_TABS, padding: 2 })}\n` };
}

export function runUndo(g: GlobalOptions, args: string[], o: { toRevision?: string }): Outcome {
  const t = targetOf(args, ['Deployment', 'DaemonSet', 'StatefulSet']);
  if (t.kind !== 'Deployment') return revisionUndo(g, t.kind, t.name, o.toRevision);
  const name = t.name;
  const ns = namespaceOf(g);
  return mutateApi(g, (api) => {
    const d = deployment(api, ns, name);
    const h = history(api, d);
    const current = Number(d.metadata.annotations?.[REVISION] ?? 0);
    let to = Number(o.toRevision ?? 0);
    if (to === 0) {
      const older = [...h.keys()].filter((r) => r < current).sort((a, b) => b - a);
      if (older.length === 0) throw new CliError(`error: no rollout history found for deployment "${name}"`, true);
      to = older[0];
    }
    const rs = h.get(to);
    if (!rs) throw new CliError(`error: unable to find specified revision ${to} in history`, true);
    if (to === current) return { stdout: `deployment.apps/${name} skipped rollback (current template already matches revision ${to})\n` };
    const upd = clone(d);
    const tmpl = clone(rs.spec.template);
    delete tmpl.metadata?.labels?.[HASH_LABEL];
    upd.spec.template = tmpl;
    api.update(upd, undefined, AS_PATCH);
    return { stdout: `deployment.apps/${name} rolled back\n` };
  });
}

export function runRestart(g: GlobalOptions, args: string[]): Outcome {
  const { kind, name } = targetOf(args, ['Deployment', 'DaemonSet', 'StatefulSet']);
  const ns = namespaceOf(g);
  return mutateApi(g, (api) => {
    const upd = clone(api.get(resourceByKind(kind), ns, name));
    // defaultObjectRestarter
    if (kind === 'Deployment' && upd.spec.paused) throw new CliError(`error: deployments.apps "${name}" can't restart paused deployment (run rollout resume first)`, true);
    upd.spec.template.metadata = upd.spec.template.metadata ?? {};
    upd.spec.template.metadata.annotations = { ...(upd.spec.template.metadata.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': new Date(nowMs()).toISOString().replace(/\.\d+Z$/, 'Z') };
    api.update(upd, undefined, AS_PATCH);
    return { stdout: `${kind.toLowerCase()}.apps/${name} restarted\n` };
  });
}

/**
 * rollout pause / resume (pkg/cmd/rollout/rollout_pause.go, rollout_resume.go; polymorphichelpers
 * objectpauser.go / objectresumer.go): only Deployments can be paused.
 */
export function runPause(g: GlobalOptions, args: string[], pause: boolean): Outcome {
  const { requests } = parseResourceArgs(args);
  if (requests.length === 0 || requests[0].names.length === 0) throw new CliError('error: required resource not specified', true);
  const r = requests[0];
  if (r.res.kind !== 'Deployment') throw new CliError(`error: ${pause ? 'pausing' : 'resuming'} is not supported`, true);
  const ns = namespaceOf(g);
  return mutateApi(g, (api) => {
    let stdout = '';
    for (const name of r.names) {
      const upd = clone(deployment(api, ns, name));
      if (!!upd.spec.paused === pause) throw new CliError(`error: deployments.apps "${name}" ${pause ? 'is already paused' : 'is not paused'}`, true);
      if (pause) upd.spec.paused = true;
      else delete upd.spec.paused;
      api.update(upd, undefined, AS_PATCH);
      stdout += `deployment.apps/${name} ${pause ? 'paused' : 'resumed'}\n`;
    }
    return { stdout };
  });
}

export function registerRollout(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const rollout = program.command('rollout').description('Manage the rollout of a resource');
  rollout
    .command('status')
    .description('Show the status of the rollout')
    .argument('[args...]')
    .option('-w, --watch [bool]', 'Watch the status of the rollout until it\'s done', (v: string) => v !== 'false', true)
    .option('--timeout <duration>', 'The length of time to wait before ending watch, zero means never')
    .action((args: string[], opts: { watch?: boolean; timeout?: string }) => run(() => runStatus(g(), args, opts)));
  rollout
    .command('history')
    .description('View rollout history')
    .argument('[args...]')
    .option('--revision <n>', 'See the details, including podTemplate of the revision specified')
    .action((args: string[], opts: { revision?: string }) => run(() => runHistory(g(), args, opts)));
  rollout
    .command('undo')
    .description('Undo a previous rollout')
    .argument('[args...]')
    .option('--to-revision <n>', 'The revision to rollback to. Default to 0 (last revision).')
    .action((args: string[], opts: { toRevision?: string }) => run(() => runUndo(g(), args, opts)));
  rollout
    .command('restart')
    .description('Restart a resource')
    .argument('[args...]')
    .action((args: string[]) => run(() => runRestart(g(), args)));
  for (const [verb, pause] of [['pause', true], ['resume', false]] as const) {
    rollout
      .command(verb)
      .description(pause ? 'Mark the provided resource as paused' : 'Resume a paused resource')
      .argument('[args...]')
      .action((args: string[]) => run(() => runPause(g(), args, pause)));
  }
}
