// kubectl delete: TYPE NAME..., TYPE/NAME, -f FILE, -l SELECTOR, --all.
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { EMPTY_NAME, objectName } from './resource/files';
import { matches, parseSelector } from '../api/labels';
import { deleteObject, type Cascade } from '../api/registry';
import { qualifiedSingular, type Resource } from '../api/resources';
import { mutate, namespaceOf, type GlobalOptions } from './context';
import { forEachManifest } from './resource/objects';
import { byNamespaceAndName } from './resource/order';
import type { Outcome } from './outcome';
import { parseResourceArgs } from './resource/args';

interface DeleteOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  ignoreNotFound?: boolean;
  output?: string;
  cascade?: string;
}

const deleted = (res: Resource, name: string, output?: string) => (output === 'name' ? `${qualifiedSingular(res)}/${name}\n` : `${qualifiedSingular(res)} "${name}" deleted\n`);

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
  if (o.filename?.length) {
    if (args.length) throw new CliError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well', true);
    return forEachManifest(g, o.filename, !!o.recursive, () => 'deleting', (state, item, res) => {
      if (!objectName(item.obj)) throw new CliError(`error: error when deleting ${JSON.stringify(item.source)}: ${EMPTY_NAME}`, true);
      try {
        deleteObject(state, res, item.obj.metadata.namespace, item.obj.metadata.name, cascadeOf(o));
      } catch (e) {
        if (o.ignoreNotFound && e instanceof StatusError && e.reason === 'NotFound') return '';
        throw e;
      }
      return deleted(res, item.obj.metadata.name, o.output);
    });
  }
  const { requests } = parseResourceArgs(args);
  if (requests.length === 0) {
    throw new CliError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      true,
    );
  }
  const byName = requests.some((r) => r.names.length);
  if (byName && (o.all || o.selector)) throw new CliError('error: name cannot be provided when a selector is specified', true);
  if (!byName && !o.all && !o.selector) throw new CliError('error: resource(s) were provided, but no name was specified', true);
  const ns = namespaceOf(g);
  const errors: unknown[] = [];
  let stdout = '';
  mutate(g, (state) => {
    for (const r of requests) {
      const rns = r.res.namespaced ? ns : undefined;
      if (r.names.length) {
        for (const n of r.names) {
          try {
            deleteObject(state, r.res, rns, n, cascadeOf(o));
            stdout += deleted(r.res, n, o.output);
          } catch (e) {
            if (e instanceof StatusError && e.reason === 'NotFound' && o.ignoreNotFound) continue;
            errors.push(e);
          }
        }
        continue;
      }
      const sel = o.selector ? parseSelector(o.selector) : undefined;
      const targets = state
        .list(r.res.kind, r.res.namespaced && !o.allNamespaces ? ns : undefined)
        .filter((x) => !sel || matches(sel, x.metadata.labels))
        .sort(byNamespaceAndName);
      for (const t of targets) {
        try {
          deleteObject(state, r.res, t.metadata.namespace, t.metadata.name, cascadeOf(o));
          stdout += deleted(r.res, t.metadata.name, o.output);
        } catch (e) {
          errors.push(e);
        }
      }
    }
  });
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
    .action((args: string[], opts: DeleteOptions) => run(() => runDelete(g(), args, opts)));
}
