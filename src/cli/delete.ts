// kubectl delete: TYPE NAME..., TYPE/NAME, -f FILE, -l SELECTOR, --all.
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { EMPTY_NAME, objectName } from './resource/files';
import type { Cascade } from '../apiserver/strategy';
import { qualifiedSingular, type Resource } from '../api/resources';
import { mutateApi, type GlobalOptions } from './context';
import { dryRunSuffix, isDryRun } from './printflags';
import { forEachManifest } from './resource/objects';
import type { Outcome } from './outcome';
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
}

const deleted = (res: Resource, name: string, output: string | undefined, suffix: string) =>
  output === 'name' ? `${qualifiedSingular(res)}/${name}\n` : `${qualifiedSingular(res)} "${name}" deleted${suffix}\n`;

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
  const say = (res: Resource, name: string) => deleted(res, name, o.output, dryRunSuffix(o.dryRun));
  if (o.filename?.length) {
    if (args.length) throw new CliError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well', true);
    return forEachManifest(g, o.filename, !!o.recursive, () => 'deleting', (api, item, res) => {
      if (!objectName(item.obj)) throw new CliError(`error: error when deleting ${JSON.stringify(item.source)}: ${EMPTY_NAME}`, true);
      try {
        api.delete(res, item.obj.metadata.namespace, item.obj.metadata.name, { propagationPolicy: cascade });
      } catch (e) {
        if (o.ignoreNotFound && e instanceof StatusError && e.reason === 'NotFound') return '';
        throw e;
      }
      return say(res, item.obj.metadata.name);
    }, dryRun);
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
    for (const v of visit(api, sel, errors)) {
      for (const t of v.objects) {
        try {
          api.delete(v.res, t.metadata.namespace, t.metadata.name, { propagationPolicy: cascade });
          stdout += say(v.res, t.metadata.name);
        } catch (e) {
          // an object another deletion took with it (a ReplicaSet of a deleted Deployment) is gone already
          if (e instanceof StatusError && e.reason === 'NotFound' && o.ignoreNotFound) continue;
          errors.push(e);
        }
      }
    }
  }, dryRun);
  const stderr = !stdout && errors.length === 0 ? 'No resources found\n' : '';
  return { stdout, stderr, errors };
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
    .option('--wait', 'Wait for resources to be gone before returning')
    .option('--cascade <strategy>', 'Must be "background", "orphan", or "foreground"')
    .option('--field-selector <selector>', 'Selector (field query) to filter on, supports =, ==, and !=')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .action((args: string[], opts: DeleteOptions) => run(() => runDelete(g(), args, opts)));
}
