// Node maintenance and failure: kubectl's cordon, uncordon and drain, and kubesim's `node stop` /
// `node start`, which stop and restart a node's kubelet (and with it everything on the node).
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { isActivePod } from '../api/podutil';
import { setTaints } from '../api/nodeutil';
import { clientOf, type ApiClient } from '../apiserver/client';
import { atTime, isFrozen, nowMs, rfc3339 } from '../util/clock';
import { formatGoDuration, parseGoDuration } from '../util/goduration';
import { EvictionError } from '../apiserver/eviction';
import { clone } from '../util/compare';
import { UNSCHEDULABLE } from '../controllers/nodelifecycle';
import { setKubeletRunning } from '../controllers/kubeletpower';
import { mutate, mutateApi, type GlobalOptions } from './context';
import { emit, inOrder, type Outcome, type OutputPart } from './outcome';
import { AS_PATCH } from '../apiserver/client';

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
  api.update(upd, undefined, AS_PATCH);
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
  disableEviction?: boolean;
  gracePeriod?: string;
  timeout?: string;
  dryRun?: string;
}

const DS_FATAL = 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DS_WARN = 'ignoring DaemonSet-managed Pods';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARN = 'deleting Pods that declare no controller';
const LOCAL_FATAL = 'cannot delete Pods with local storage (use --delete-emptydir-data to override)';

/** EvictErrorRetryDelay: how long drain waits after a 429 before asking again. */
const RETRY_MS = 5000;
/**
 * kubectl's --timeout=0 waits forever for a budget to allow an eviction. kubesim bounds it at 2
 * minutes: the PDB machinery's own horizon (DeletionTimeout), and ample for what can unblock a drain
 * in a simulated cluster (a replacement pod pulls, starts and turns ready within seconds); a drain
 * that cannot progress then ends with kubectl's timeout error instead of never ending.
 */
const DEFAULT_TIMEOUT_MS = 2 * 60 * 1000;

function ownerKind(p: KObject): string | undefined {
  return (p.metadata.ownerReferences ?? []).find((o: { controller?: boolean }) => o.controller)?.kind;
}

/** GetPodsForDeletion: the node's pods the filters let through, and the errors and warnings of those they stop. */
function podsForDeletion(api: ApiClient, node: string, o: DrainOptions): { pods: KObject[]; errors: Map<string, string[]>; warnings: Map<string, string[]> } {
  const pods = api.list(PODS(), undefined, { fieldSelector: `spec.nodeName=${node}` }).filter((p) => isActivePod(p));
  const errors = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const out: KObject[] = [];
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
    out.push(p);
  }
  return { pods: out, errors, warnings };
}

/** utilerrors.NewAggregate(...).Error(): one message as it is, several in brackets. */
const aggregate = (msgs: string[]) => (msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`);

function flag<T>(name: string, value: string | undefined, parse: (v: string) => T, fallback: T): T {
  if (value === undefined) return fallback;
  try {
    return parse(value);
  } catch (e) {
    // cobra's flag error, before the command runs
    throw new CliError(`Error: invalid argument "${value}" for "--${name}" flag: ${(e as Error).message}\nSee 'kubesim drain --help' for usage.`, true);
  }
}

/**
 * kubectl drain (kubectl pkg/cmd/drain, pkg/drain): cordon every node, then for each node evict the
 * pods the filters allow (or explain which ones block it) through the Eviction API, which asks
 * their PodDisruptionBudgets.
 *
 * Retries and the simulated clock: a refused eviction (429) is printed and tried again 5 s later,
 * as kubectl's EvictErrorRetryDelay, until it succeeds or --timeout passes. Each attempt is its own
 * transaction, so the lock is free in between and every attempt starts from the cluster caught up
 * to its moment. Between attempts the command waits 5 s of the cluster's time:
 * - on the wall clock it sleeps 5 real seconds (the catch-up of the next attempt then replays them:
 *   a replacement pod elsewhere pulled its image and became ready, the budget allows again);
 * - with KUBESIM_NOW frozen no real time passes, so the command moves its own clock instead: the
 *   n-th round of attempts runs at KUBESIM_NOW + n·5 s (atTime), its catch-up replaying those
 *   seconds. The cluster is left as of the drain's last attempt; a later command should name a
 *   KUBESIM_NOW at least that late (before it, objects the drain made look newer than "now").
 * Either way the number of rounds is bounded by the timeout (DEFAULT_TIMEOUT_MS when --timeout is 0
 * or absent), so a drain that cannot progress ends with kubectl's "global timeout reached".
 */
export function runDrain(g: GlobalOptions, args: string[], o: DrainOptions): Outcome {
  const dry = o.dryRun === 'client' || o.dryRun === 'server' || (o.dryRun as unknown) === true;
  // a server dry run asks the apiserver (the budgets too) and keeps nothing; kubectl marks its lines so
  const server = o.dryRun === 'server';
  const mark = server ? ' (server dry run)' : dry ? ' (dry run)' : '';
  const timeout = flag('timeout', o.timeout, parseGoDuration, 0) || DEFAULT_TIMEOUT_MS;
  const grace = flag('grace-period', o.gracePeriod, (v) => {
    if (!/^[+-]?\d+$/.test(v)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    return Number(v);
  }, -1);
  const gracePeriodSeconds = grace >= 0 ? grace : undefined;
  if (!args.length) throw new CliError("error: USAGE: drain NODE [flags]\nSee 'kubesim drain -h' for help and examples", true);

  const frozen = isFrozen();
  const start = nowMs();
  let waited = 0;
  const elapsed = () => (frozen ? waited : nowMs() - start);
  // one transaction at the command's present (see above)
  const tx = <T>(fn: (api: ApiClient) => T, dryRun = dry): T => (frozen ? atTime(start + waited, () => mutateApi(g, fn, dryRun)) : mutateApi(g, fn, dryRun));
  let parts: OutputPart[] = [];
  const out = (text: string) => parts.push({ text });
  const err = (text: string) => parts.push({ text, stderr: true });
  const pause = () => {
    waited += RETRY_MS;
    if (frozen) return;
    emit({ stdout: '', parts });
    parts = [];
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_MS);
  };

  // RunCordonOrUncordon first, for every node (a node that does not exist stops it all)
  const names = tx((api) =>
    args.map((a) => {
      const node = getNode(api, nodeName(a));
      out(`node/${node.metadata.name} ${setUnschedulable(api, node, true) ? '' : 'already '}cordoned${mark}\n`);
      return node.metadata.name as string;
    }),
  );
  const fatal: string[] = [];
  const pending: string[] = [];
  for (const name of names) {
    const failed = (msg: string) => {
      err(`error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...\n`);
      fatal.push(msg);
      pending.push(name);
    };
    const list = tx((api) => podsForDeletion(api, name, o), true);
    if (list.errors.size) {
      failed(aggregate([...list.errors].map(([k, v]) => `${k}: ${v.join(', ')}`)));
      continue;
    }
    if (list.warnings.size) err(`Warning: ${[...list.warnings].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}\n`);
    if (dry && !server) {
      for (const p of list.pods) out(`evicting pod ${p.metadata.namespace}/${p.metadata.name} (dry run)\n`);
      out(`node/${name} drained (dry run)\n`);
      continue;
    }
    const errors = o.disableEviction
      ? deletePods(tx, list.pods, gracePeriodSeconds, server ? () => {} : out)
      : evictPods(tx, list.pods, { gracePeriodSeconds, timeout, elapsed, pause, out, err, mark });
    if (errors.length) {
      const msg = aggregate(errors);
      // deleteOrEvictPodsSimple: what is still on the node when it gave up
      const left = tx((api) => podsForDeletion(api, name, o).pods, true);
      if (left.length) err(`There are pending pods in node ${JSON.stringify(name)} when an error occurred: ${msg}\n${left.map((p) => `pod/${p.metadata.name}\n`).join('')}`);
      failed(msg);
      continue;
    }
    out(`node/${name} drained${mark}\n`);
  }
  if (pending.length) {
    err(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}`);
    // checkErr prints an aggregate's messages one per line, without the "error: " prefix
    return inOrder(parts, [new CliError(fatal.join('\n'), true)]);
  }
  return inOrder(parts);
}

type Tx = <T>(fn: (api: ApiClient) => T, dryRun?: boolean) => T;

/** --disable-eviction: DELETE each pod (no budget is asked). */
function deletePods(tx: Tx, pods: KObject[], gracePeriodSeconds: number | undefined, out: (t: string) => void): string[] {
  return tx((api) => {
    const errors: string[] = [];
    for (const p of pods) {
      try {
        api.delete(PODS(), p.metadata.namespace, p.metadata.name, { gracePeriodSeconds });
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'NotFound') continue;
        errors.push((e as Error).message);
        break; // deletePods returns at the first error
      }
      out(`pod/${p.metadata.name} deleted\n`);
    }
    return errors;
  });
}

interface EvictRun {
  gracePeriodSeconds?: number;
  /** ' (server dry run)': each eviction is asked for and nothing kept, no "evicted" line follows */
  mark: string;
  timeout: number;
  elapsed: () => number;
  pause: () => void;
  out: (t: string) => void;
  err: (t: string) => void;
}

/**
 * evictPods: every pod is asked for in each round, as kubectl's one goroutine per pod does; a 429
 * leaves it for the next round, 5 s later; the timeout is checked after "evicting pod", before asking.
 */
function evictPods(tx: Tx, pods: KObject[], r: EvictRun): string[] {
  const errors: string[] = [];
  let left = pods.map((p) => ({ ns: p.metadata.namespace as string, name: p.metadata.name as string }));
  const who = (p: { ns: string; name: string }) => `pods/${JSON.stringify(p.name)} -n ${JSON.stringify(p.ns)}`;
  while (left.length) {
    const evicted: string[] = [];
    left = tx((api) =>
      left.filter((p) => {
        r.out(`evicting pod ${p.ns}/${p.name}${r.mark}\n`);
        if (r.elapsed() >= r.timeout) {
          errors.push(`error when evicting ${who(p)}: global timeout reached: ${formatGoDuration(r.timeout)}`);
          return false;
        }
        try {
          api.evict(p.ns, p.name, { gracePeriodSeconds: r.gracePeriodSeconds, dryRun: r.mark !== '' });
          evicted.push(p.name);
          return false;
        } catch (e) {
          if (e instanceof StatusError && e.reason === 'NotFound') return false;
          if (e instanceof EvictionError && e.code === 429) {
            r.err(`error when evicting ${who(p)} (will retry after ${formatGoDuration(RETRY_MS)}): ${e.message}\n`);
            return true;
          }
          errors.push(`error when evicting ${who(p)}: ${(e as Error).message}`);
          return false;
        }
      }),
    );
    if (!r.mark) for (const name of evicted) r.out(`pod/${name} evicted\n`);
    if (left.length) r.pause();
  }
  return errors;
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
      .option('--timeout <duration>', 'The length of time to wait before giving up, zero means infinite')
      .option('--disable-eviction', 'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.'),
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
