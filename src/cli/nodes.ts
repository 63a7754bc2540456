// Node maintenance and failure: kubectl's cordon, uncordon and drain, and kubesim's `node stop` /
// `node start`, which stop and restart a node's kubelet (and with it everything on the node).
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { isActivePod } from '../api/podutil';
import { setTaints } from '../api/nodeutil';
import { clientOf, type ApiClient } from '../apiserver/client';
import { rfc3339 } from '../util/clock';
import { clone } from '../util/compare';
import { UNSCHEDULABLE } from '../controllers/nodelifecycle';
import { setKubeletRunning } from '../controllers/kubeletpower';
import { mutate, mutateApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';

const NODES = () => lookupResource('nodes')!;
const PODS = () => lookupResource('pods')!;

function nodeName(arg: string): string {
  const m = /^(?:nodes?|no)\/(.+)$/.exec(arg);
  return m ? m[1] : arg;
}

function getNode(api: ApiClient, name: string): KObject {
  return api.get(NODES(), undefined, name);
}

function setUnschedulable(api: ApiClient, node: KObject, on: boolean): boolean {
  if (!!node.spec?.unschedulable === on) return false;
  const upd = clone(node);
  upd.spec ??= {};
  if (on) upd.spec.unschedulable = true;
  else delete upd.spec.unschedulable;
  setTaints(upd, UNSCHEDULABLE, on ? ['NoSchedule'] : [], rfc3339());
  api.update(upd);
  return true;
}

export function runCordon(g: GlobalOptions, args: string[], on: boolean, dryRun: boolean): Outcome {
  if (!args.length) throw new CliError(`error: USAGE: ${on ? 'cordon' : 'uncordon'} NODE [flags]\nSee 'kubesim ${on ? 'cordon' : 'uncordon'} -h' for help and examples`, true);
  return mutateApi(
    g,
    (api) => {
      let out = '';
      for (const a of args) {
        const node = getNode(api, nodeName(a));
        const changed = setUnschedulable(api, node, on);
        out += `node/${node.metadata.name} ${changed ? '' : 'already '}${on ? 'cordoned' : 'uncordoned'}${dryRun ? ' (dry run)' : ''}\n`;
      }
      return { stdout: out };
    },
    dryRun,
  );
}

interface DrainOptions {
  ignoreDaemonsets?: boolean;
  force?: boolean;
  deleteEmptydirData?: boolean;
  dryRun?: string;
}

const DS_FATAL = 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DS_WARN = 'ignoring DaemonSet-managed Pods';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARN = 'deleting Pods that declare no controller';
const LOCAL_FATAL = 'cannot delete Pods with local storage (use --delete-emptydir-data to override)';

function ownerKind(p: KObject): string | undefined {
  return (p.metadata.ownerReferences ?? []).find((o: { controller?: boolean }) => o.controller)?.kind;
}

/** kubectl drain: cordon, then evict every pod the filters allow, or explain which ones block it. */
export function runDrain(g: GlobalOptions, args: string[], o: DrainOptions): Outcome {
  if (!args.length) throw new CliError("error: USAGE: drain NODE [flags]\nSee 'kubesim drain -h' for help and examples", true);
  const dry = o.dryRun === 'client' || o.dryRun === 'server' || (o.dryRun as unknown) === true;
  return mutateApi(
    g,
    (api) => {
      let stdout = '';
      let stderr = '';
      const fatal: string[] = [];
      const pending: string[] = [];
      for (const a of args) {
        const node = getNode(api, nodeName(a));
        const name = node.metadata.name;
        stdout += `node/${name} ${setUnschedulable(api, node, true) ? '' : 'already '}cordoned${dry ? ' (dry run)' : ''}\n`;
        // the pods the node runs: GetPodsForDeletion lists them with spec.nodeName=<node>
        const pods = api.list(PODS(), undefined, { fieldSelector: `spec.nodeName=${name}` }).filter((p) => isActivePod(p) && !p.metadata.deletionTimestamp);
        const errors = new Map<string, string[]>();
        const warnings = new Map<string, string[]>();
        const evict: KObject[] = [];
        const add = (m: Map<string, string[]>, k: string, p: KObject) => {
          if (!m.has(k)) m.set(k, []);
          m.get(k)!.push(`${p.metadata.namespace}/${p.metadata.name}`);
        };
        for (const p of pods) {
          const kind = ownerKind(p);
          if (kind === 'Node') continue; // mirror pods: the kubelet owns them
          if (kind === 'DaemonSet') {
            add(o.ignoreDaemonsets ? warnings : errors, o.ignoreDaemonsets ? DS_WARN : DS_FATAL, p);
            continue;
          }
          if ((p.spec?.volumes ?? []).some((v: { emptyDir?: unknown }) => v.emptyDir) && !o.deleteEmptydirData) {
            add(errors, LOCAL_FATAL, p);
            continue;
          }
          if (!kind) {
            if (!o.force) {
              add(errors, UNMANAGED_FATAL, p);
              continue;
            }
            add(warnings, UNMANAGED_WARN, p);
          }
          evict.push(p);
        }
        if (errors.size) {
          const msgs = [...errors].map(([k, v]) => `${k}: ${v.join(', ')}`);
          stderr += `error: unable to drain node ${JSON.stringify(name)} due to error: ${msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`}, continuing command...\n`;
          fatal.push(...msgs);
          pending.push(name);
          continue;
        }
        if (warnings.size) stderr += `Warning: ${[...warnings].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}\n`;
        for (const p of evict) stdout += `evicting pod ${p.metadata.namespace}/${p.metadata.name}${dry ? ' (dry run)' : ''}\n`;
        if (!dry) {
          for (const p of evict) {
            api.delete(PODS(), p.metadata.namespace, p.metadata.name);
            stdout += `pod/${p.metadata.name} evicted\n`;
          }
        }
        stdout += `node/${name} drained${dry ? ' (dry run)' : ''}\n`;
      }
      if (pending.length) {
        stderr += `There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}`;
        // checkErr prints an aggregate's messages one per line, without the "error: " prefix
        return { stdout, stderr, errors: [new CliError(fatal.join('\n'), true)] };
      }
      return { stdout, stderr };
    },
    dry,
  );
}

/** kubesim node stop|start: the node's kubelet stops or starts (src/controllers/kubeletpower.ts). */
export function runNodePower(g: GlobalOptions, arg: string, start: boolean): Outcome {
  return mutate(g, (state) => {
    const node = getNode(clientOf(state), nodeName(arg));
    const name = node.metadata.name;
    if (!setKubeletRunning(state, node, start)) return { stdout: `node/${name} already ${start ? 'running' : 'stopped'}\n` };
    return { stdout: `node/${name} ${start ? 'started' : 'stopped'}\n` };
  });
}

export function registerNodes(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const dryRunOpt = (c: Command) => c.option('--dry-run [strategy]', 'Must be "none", "server", or "client".');
  dryRunOpt(
    program
      .command('cordon')
      .description('Mark node as unschedulable')
      .argument('[node...]'),
  ).action((nodes: string[], o: { dryRun?: string | boolean }) => run(() => runCordon(g(), nodes, true, !!o.dryRun && o.dryRun !== 'none')));
  dryRunOpt(
    program
      .command('uncordon')
      .description('Mark node as schedulable')
      .argument('[node...]'),
  ).action((nodes: string[], o: { dryRun?: string | boolean }) => run(() => runCordon(g(), nodes, false, !!o.dryRun && o.dryRun !== 'none')));
  dryRunOpt(
    program
      .command('drain')
      .description('Drain node in preparation for maintenance')
      .argument('[node...]')
      .option('--ignore-daemonsets', 'Ignore DaemonSet-managed pods.')
      .option('--force', 'Continue even if there are pods that do not declare a controller.')
      .option('--delete-emptydir-data', 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).')
      .option('--grace-period <seconds>', 'Period of time in seconds given to each pod to terminate gracefully.')
      .option('--timeout <duration>', 'The length of time to wait before giving up, zero means infinite'),
  ).action((nodes: string[], o: DrainOptions) => run(() => runDrain(g(), nodes, o)));
  const node = program.command('node').description('Stop or start a simulated node (its kubelet and everything on it)');
  node
    .command('stop')
    .argument('<node>')
    .description('Stop a node: it goes NotReady, its pods are evicted and recreated elsewhere by their controllers')
    .action((n: string) => run(() => runNodePower(g(), n, false)));
  node
    .command('start')
    .argument('<node>')
    .description('Start a stopped node again')
    .action((n: string) => run(() => runNodePower(g(), n, true)));
}
