// kubectl delete: TYPE NAME..., TYPE/NAME, -f FILE, -l SELECTOR, --all.
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { EMPTY_NAME, objectName } from './resource/files';
import type { Cascade } from '../apiserver/strategy';
import { qualifiedSingular, type Resource } from '../api/resources';
import { mutateApi, readApi, type GlobalOptions } from './context';
import { dryRunSuffix, isDryRun } from './printflags';
import { forEachManifest } from './resource/objects';
import { emit, inOrder, type Outcome } from './outcome';
import { isFrozen } from '../util/clock';
import { select, visit } from './resource/builder';

interface DeleteOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  ignoreNotFound?: boolean;
  output?: string;
  cascade?: string;
  fieldSelector?: string;
  dryRun?: string | boolean;
  now?: boolean;
  force?: boolean;
  gracePeriod?: string;
  wait?: boolean | string;
}

/**
 * The grace period the flags ask for (pkg/cmd/delete/delete.go Complete): --now is 1; 0 without
 * --force becomes 1 ("to prevent accidental data loss"); --force alone is 0. undefined: the object's own.
 */
function gracePeriodOf(o: DeleteOptions): number | undefined {
  let grace = -1;
  if (o.gracePeriod !== undefined) {
    if (!/^-?\d+$/.test(o.gracePeriod)) throw new CliError(`Error: invalid argument "${o.gracePeriod}" for "--grace-period" flag: strconv.ParseInt: parsing "${o.gracePeriod}": invalid syntax\nSee 'kubesim delete --help' for usage.`, true);
    grace = Number(o.gracePeriod);
  }
  if (o.now) {
    if (grace !== -1) throw new CliError('error: --now and --grace-period cannot be specified together', true);
    grace = 1;
  }
  if (grace === 0 && !o.force) grace = 1;
  if (o.force && grace < 0) grace = 0;
  return grace < 0 ? undefined : grace;
}

const FORCE_WARNING = 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';

const deleted = (res: Resource, name: string, output: string | undefined, suffix: string, force: boolean) =>
  output === 'name' ? `${qualifiedSingular(res)}/${name}\n` : `${qualifiedSingular(res)} "${name}" ${force ? 'force deleted' : 'deleted'}${suffix}\n`;

function cascadeOf(o: DeleteOptions): Cascade {
  const c = o.cascade ?? 'background';
  if (c === 'true') return 'background';
  if (c === 'false') return 'orphan';
  if (c !== 'background' && c !== 'foreground' && c !== 'orphan') {
    throw new CliError(`error: invalid cascade value (${c}). Must be "background", "foreground", or "orphan"`, true);
  }
  return c;
}

export function runDelete(g: GlobalOptions, args: string[], o: DeleteOptions): Outcome {
  const dryRun = isDryRun(o.dryRun);
  const cascade = cascadeOf(o);
  const grace = gracePeriodOf(o);
  const forced = grace === 0;
  const warning = forced && o.force ? FORCE_WARNING : '';
  const say = (res: Resource, name: string) => deleted(res, name, o.output, dryRunSuffix(o.dryRun), forced);
  const opts = { propagationPolicy: cascade, gracePeriodSeconds: grace };
  const gone: [Resource, string | undefined, string, string][] = [];
  const remember = (res: Resource, obj: { metadata: { namespace?: string; name: string; uid?: unknown } }) => gone.push([res, obj.metadata.namespace, obj.metadata.name, String(obj.metadata.uid ?? '')]);
  if (o.filename?.length) {
    if (args.length) throw new CliError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well', true);
    const out = forEachManifest(g, o.filename, !!o.recursive, () => 'deleting', (api, item, res) => {
      if (!objectName(item.obj)) throw new CliError(`error: error when deleting ${JSON.stringify(item.source)}: ${EMPTY_NAME}`, true);
      try {
        remember(res, api.delete(res, item.obj.metadata.namespace, item.obj.metadata.name, opts));
      } catch (e) {
        if (o.ignoreNotFound && e instanceof StatusError && e.reason === 'NotFound') return '';
        throw e;
      }
      return say(res, item.obj.metadata.name);
    }, dryRun);
    return finish(g, o, withWarning(out, warning), gone, dryRun);
  }
  if (args.length === 0) {
    throw new CliError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      true,
    );
  }
  const sel = select(g, args, o, { requireNames: true });
  const errors: unknown[] = [];
  let stdout = '';
  mutateApi(g, (api) => {
    for (const v of visit(api, sel, errors, {}, true)) {
      for (const t of v.objects) {
        try {
          remember(v.res, api.delete(v.res, t.metadata.namespace, t.metadata.name, opts));
          stdout += say(v.res, t.metadata.name);
        } catch (e) {
          // an object another deletion took with it (a ReplicaSet of a deleted Deployment) is gone already
          if (e instanceof StatusError && e.reason === 'NotFound' && o.ignoreNotFound) continue;
          errors.push(e);
        }
      }
    }
  }, dryRun);
  // delete.go DeleteResult: nothing found says so on stdout; kubectl 1.32 says nothing when the
  // objects were named and --ignore-not-found dropped them (seen against kubesim serve)
  if (!stdout && errors.length === 0 && !sel.byName) stdout = 'No resources found\n';
  return finish(g, o, withWarning({ stdout, errors }, warning), gone, dryRun);
}

function withWarning(out: Outcome, warning: string): Outcome {
  if (!warning) return out;
  if (out.parts) return inOrder([{ text: warning, stderr: true }, ...out.parts], out.errors);
  return { ...out, stderr: warning + (out.stderr ?? '') };
}

/**
 * --wait (the default): kubectl prints what it deleted, then waits until the objects are gone (a
 * pod stops within its grace period). On a frozen clock (KUBESIM_NOW) no time passes, so nothing
 * is waited for: the pods stay Terminating until a later KUBESIM_NOW.
 */
function finish(g: GlobalOptions, o: DeleteOptions, out: Outcome, gone: [Resource, string | undefined, string, string][], dryRun: boolean): Outcome {
  const wait = o.wait === undefined || o.wait === true || o.wait === 'true';
  if (!wait || dryRun || isFrozen() || !gone.length) return out;
  const still = () => {
    const api = readApi(g);
    return gone.filter(([res, ns, name, uid]) => String(api.find(res, ns, name)?.metadata.uid ?? '') === uid && uid !== '');
  };
  if (!still().length) return out;
  emit({ ...out, errors: [] });
  const tick = new Int32Array(new SharedArrayBuffer(4));
  while (still().length) Atomics.wait(tick, 0, 0, 250);
  return { stdout: '', errors: out.errors };
}

export function registerDelete(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('delete')
    .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
    .argument('[args...]')
    .option('-f, --filename <file>', 'containing the resource to delete', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Delete all resources, in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces')
    .option('--ignore-not-found', 'Treat "resource not found" as a successful delete')
    .option('-o, --output <format>', 'Output mode. Use "-o name" for shorter output (resource/name)')
    .option('--now', 'Signal resources for immediate shutdown (same as --grace-period=1)')
    .option('--force', 'Immediately remove resources from the API')
    .option('--grace-period <seconds>', 'Period of time in seconds given to the resource to terminate gracefully')
    .option('--wait [bool]', 'If true, wait for resources to be gone before returning. This waits for finalizers.')
    .option('--cascade <strategy>', 'Must be "background", "orphan", or "foreground"')
    .option('--field-selector <selector>', 'Selector (field query) to filter on, supports =, ==, and !=')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .action((args: string[], opts: DeleteOptions) => run(() => runDelete(g(), args, opts)));
}
