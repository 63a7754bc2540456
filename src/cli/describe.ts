// kubectl describe TYPE [NAME_PREFIX]: an exact name, else (for `describe TYPE NAME` only) every
// object whose name starts with it; -l, -A, -f as the resource builder reads them.
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import type { KObject } from '../api/types';
import { describeObject } from '../printers/describe';
import { readerOf } from '../printers/describe/reader';
import { readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { namespaceFor, select, visit } from './resource/builder';

export function runDescribe(g: GlobalOptions, args: string[], o: { selector?: string; allNamespaces?: boolean; filename?: string[]; recursive?: boolean }): Outcome {
  const sel = select(g, args, o);
  if (sel.requests.length === 0) throw new CliError('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.', true);
  const api = readApi(g);
  const read = readerOf(api);
  const describe = (obj: KObject) => describeObject(obj, read);
  // DescribeMatchingResources: only for `describe TYPE NAME`, in -n's namespace, each description
  // followed by a newline of its own
  const r0 = sel.requests[0];
  if (!sel.fromFiles && args.length === 2 && !args[0].includes('/') && !args[1].includes('/') && sel.requests.length === 1 && r0.names.length === 1) {
    const name = r0.names[0];
    const exact = api.find(r0.res, namespaceFor(sel, r0, false), name);
    if (!exact) {
      const hits = api.list(r0.res, namespaceFor(sel, r0, false)).filter((x) => x.metadata.name.startsWith(name));
      return { stdout: hits.map((h) => describe(h) + '\n').join(''), errors: hits.length ? [] : [notFound(r0.res, name)] };
    }
  }
  const errors: unknown[] = [];
  const texts = visit(api, sel, errors).flatMap((v) => v.objects.map(describe));
  let stderr = '';
  if (texts.length === 0 && errors.length === 0) stderr = o.allNamespaces ? 'No resources found\n' : `No resources found in ${sel.namespace} namespace.\n`;
  // the first description as it is, each next one after "\n\n"
  return { stdout: texts.join('\n\n'), stderr, errors };
}

export function registerDescribe(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('[args...]', '(TYPE [NAME_PREFIX | -l label] | TYPE/NAME)')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files containing the resource to describe', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .action((args: string[], opts: { selector?: string; allNamespaces?: boolean }) => run(() => runDescribe(g(), args, opts)));
}
