// kubectl get: tables (-o wide, --no-headers, --show-labels, -L), -o yaml|json|name, -A, -l.
import { cmp } from '../util/compare';
import { readFileSync } from 'fs';
import { findJsonPath, printJsonPath, relaxedJsonPath } from '../printers/jsonpath';
import { printGoTemplate, TemplateExecError } from '../printers/gotemplate';
import { parseCustomColumns, parseCustomColumnsFile, printCustomColumns, type ColumnSpec } from '../printers/customcolumns';
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { apiVersionOf, lookupResource, qualifiedSingular, type Resource } from '../api/resources';
import { lookupUnstored } from '../api/unstored';
import type { ApiClient } from '../apiserver/client';
import { checkAccess } from '../apiserver/requester';
import type * as MetricsServer from '../controllers/metricsserver';
import { nowMs } from '../util/clock';
import { liveAtVersion } from '../api/versions';
import type { KObject } from '../api/types';
import { asListOrSingle, nameOf, toJSON, toYAML } from '../printers/output';
import { printTable } from '../printers/table';
import { namespaceOf, openRead, readApi, type GlobalOptions } from './context';
import { goTemplateOf, jsonPathTemplate } from './printflags';
import { namespaceFor, select, visit, type Selection, type Visited } from './resource/builder';
import { parseResourceArgs, resolveType } from './resource/args';
import { runWatch } from './watch';
import type { Outcome } from './outcome';

export interface GetOptions {
  output?: string;
  selector?: string;
  allNamespaces?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  ignoreNotFound?: boolean;
  fieldSelector?: string;
  sortBy?: string;
  template?: string;
  filename?: string[];
  recursive?: boolean;
  showManagedFields?: boolean;
}


const isMetrics = (res: Resource) => res.group === 'metrics.k8s.io';

/** metrics-server's objects, loaded when asked for: the usage model reaches the data plane, which a short get does not load. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const metricsServer = (): typeof MetricsServer => require('../controllers/metricsserver');

/** A type get reads: the stored kinds, then the metrics API metrics-server adds through the aggregator. */
function resolveForGet(t: string): Resource {
  const metrics = lookupResource(t) ? undefined : lookupUnstored(t);
  return metrics && isMetrics(metrics) ? metrics : resolveType(t);
}

/**
 * NodeMetrics and PodMetrics are no stored objects: metrics-server makes them from the usage it
 * scraped (controllers/metricsserver.ts, what `kubesim serve` answers), authorised as a get or
 * list of the metrics resource; a missing one is its NotFound.
 */
function readMetrics(g: GlobalOptions, sel: Selection, r: Selection['requests'][number], errors: unknown[]): KObject[] {
  const state = openRead(g);
  const now = nowMs();
  const { nodeMetrics, podMetricsOf } = metricsServer();
  const read = r.res.kind === 'PodMetrics' ? podMetricsOf : nodeMetrics;
  const attempt = (verb: 'get' | 'list', namespace: string | undefined, name?: string): KObject[] => {
    try {
      checkAccess(state, { verb, apiGroup: r.res.group, resource: r.res.plural, namespace, name });
      return read(state, now, { namespace, name, labelSelector: sel.flags.selector, fieldSelector: sel.flags.fieldSelector }).map((m) => m.object);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (!(e.reason === 'NotFound' && sel.flags.ignoreNotFound)) errors.push(e);
      return [];
    }
  };
  if (r.names.length) return r.names.flatMap((n) => attempt('get', namespaceFor(sel, r, false), n));
  return attempt('list', namespaceFor(sel, r, true));
}

function visitForGet(g: GlobalOptions, api: ApiClient, sel: Selection, errors: unknown[], summaries: boolean): Visited[] {
  if (!sel.requests.some((r) => isMetrics(r.res))) return visit(api, sel, errors, { summaries });
  return sel.requests.flatMap((r) => (isMetrics(r.res) ? [{ res: r.res, objects: readMetrics(g, sel, r, errors) }] : visit(api, { ...sel, requests: [r] }, errors, { summaries })));
}

/** get -w of the metrics API: the list, then the server's refusal to watch (metrics-server serves get and list only). */
export function metricsWatchRefused(args: string[]): boolean {
  try {
    return parseResourceArgs(args, resolveForGet).requests.some((r) => isMetrics(r.res));
  } catch {
    return false;
  }
}

export function runGet(g: GlobalOptions, args: string[], o: GetOptions): Outcome {
  const sel = select(g, args, o, { resolve: resolveForGet });
  const { requests, multiType } = sel;
  if (requests.length === 0) {
    throw new CliError(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        'error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubesim get -h' for help and examples",
      true,
    );
  }
  const output = o.output ?? '';
  const template = jsonPathTemplate(output);
  const goTemplate = goTemplateOf(output, o.template);
  const columns = customColumns(output);
  if (template === undefined && goTemplate === undefined && !columns && !['', 'wide', 'yaml', 'json', 'name'].includes(output)) {
    throw new CliError(
      `error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
      true,
    );
  }
  const api = readApi(g);
  const ns = namespaceOf(g);
  const errors: unknown[] = [];
  if (sel.byName && o.allNamespaces && requests.some((r) => r.res.namespaced)) {
    // kubectl ignores -A when names are given only for cluster-scoped kinds; for namespaced ones it is an error
    throw new CliError('error: a resource cannot be retrieved by name across all namespaces', true);
  }
  // a table, -o name and the selectors read only what the summaries keep (api/summary.ts)
  const summaries = (output === '' || output === 'wide' || output === 'name') && !o.sortBy;
  // the objects at the version asked for (hpa.v1.autoscaling); a table is the same at any version
  const atVersion = (v: { res: Resource; objects: KObject[] }) => (summaries ? v.objects : v.objects.map((x) => liveAtVersion(x, apiVersionOf(v.res))));
  const found = visitForGet(g, api, sel, errors, summaries).map((v) => ({ kind: v.res.kind, objs: o.sortBy ? sortByPath(atVersion(v), o.sortBy) : atVersion(v) }));
  const byName = sel.byName;
  const all = found.flatMap((f) => f.objs);
  let out = '';
  if (template !== undefined) {
    const single = requests.length === 1 && requests[0].names.length === 1;
    if (all.length || !single) out = printJsonPath(template, asListOrSingle(all, single), { asJSON: output.startsWith('jsonpath-as-json=') });
  } else if (goTemplate !== undefined) {
    const single = requests.length === 1 && requests[0].names.length === 1;
    if (all.length || !single) {
      try {
        out = printGoTemplate(goTemplate, asListOrSingle(all, single));
      } catch (e) {
        if (!(e instanceof TemplateExecError)) throw e;
        return { stdout: e.stdout, errors: [...errors, e] };
      }
    }
  } else if (output === 'json' || output === 'yaml') {
    const single = requests.length === 1 && requests[0].names.length === 1;
    if (all.length || single === false) {
      const v = asListOrSingle(all, single);
      // the JSON/YAML printers drop managedFields unless asked (genericclioptions JSONYamlPrintFlags)
      out = output === 'json' ? toJSON(v, !!o.showManagedFields) : toYAML(v, !!o.showManagedFields);
    }
  } else if (output === 'name') {
    out = all.map((x) => nameOf(x) + '\n').join('');
  } else if (columns) {
    // printGeneric: a list, even an empty one, gets the header; a single missing object only its error
    const single = requests.length === 1 && requests[0].names.length === 1;
    if (all.length || !single) out = printCustomColumns(columns, all, !!o.noHeaders);
  } else {
    const tables: string[] = [];
    for (const f of found) {
      if (!f.objs.length) continue;
      const withKind = multiType ? qualifiedSingular(requests.find((r) => r.res.kind === f.kind)!.res) : undefined;
      tables.push(
        printTable(f.kind, f.objs, {
          wide: output === 'wide',
          noHeaders: o.noHeaders,
          showLabels: o.showLabels,
          withNamespace: !!o.allNamespaces && requests.find((r) => r.res.kind === f.kind)!.res.namespaced,
          withKind,
          labelColumns: o.labelColumns,
          columns: f.kind === 'NodeMetrics' || f.kind === 'PodMetrics' ? metricsServer().METRICS_COLUMNS : undefined,
        }),
      );
    }
    out = tables.join('\n');
  }
  let stderr = '';
  // only the human-readable printers (a table, -o wide) say so; -o name and the rest print what they print
  if (all.length === 0 && errors.length === 0 && !byName && (output === '' || output === 'wide')) {
    const anyNamespaced = requests.some((r) => r.res.namespaced);
    stderr = o.allNamespaces || !anyNamespaced ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  }
  return { stdout: out, stderr, errors };
}

function customColumns(output: string): ColumnSpec[] | undefined {
  if (output.startsWith('custom-columns=')) return parseCustomColumns(output.slice('custom-columns='.length));
  if (output.startsWith('custom-columns-file=')) {
    const file = output.slice('custom-columns-file='.length);
    try {
      return parseCustomColumnsFile(readFileSync(file, 'utf8'));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`error: ${(e as Error).message}`, true);
    }
  }
  if (output === 'custom-columns') throw new CliError('error: custom-columns format specified but no custom columns given', true);
  return undefined;
}

/**
 * --sort-by: kubectl sorts by the value a relaxed JSONPath selects, numbers as numbers and
 * everything else as text; the sort is stable.
 */
function sortByPath(objs: KObject[], expr: string): KObject[] {
  const path = relaxedJsonPath(expr);
  const key = new Map(objs.map((o) => [o, findJsonPath(path, o)[0]]));
  return [...objs].sort((a, b) => {
    const x = key.get(a);
    const y = key.get(b);
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return cmp(String(x), String(y));
  });
}



export function registerGet(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('get')
    .description('Display one or many resources')
    .argument('[args...]', 'TYPE[.VERSION][.GROUP] [NAME...] | TYPE/NAME ...')
    .option('-o, --output <format>', 'Output format: json, yaml, name, wide')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to get from a server.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on (=, ==, !=, in, notin, exists)')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers")
    .option('--show-labels', 'When printing, show all labels as the last column')
    .option('-L, --label-columns <labels>', 'Labels to present as columns (comma-separated)', (v: string, prev: string[] = []) => [...prev, ...v.split(',')])
    .option('--ignore-not-found', 'If the requested object does not exist the command will return exit code 0')
    .option('--field-selector <selector>', 'Selector (field query) to filter on, supports =, ==, and !=')
    .option('--template <template>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file.')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .option('--sort-by <jsonpath>', 'If non-empty, sort list types using this field specification (a JSONPath expression)')
    .option('-w, --watch', 'After listing/getting the requested object, watch for changes.')
    .option('--watch-only', 'Watch for changes to the requested object(s), without listing/getting first.')
    .action((args: string[], opts: GetOptions & { headers?: boolean; watch?: boolean; watchOnly?: boolean }) => {
      const o = { ...opts, noHeaders: opts.headers === false };
      if ((opts.watch || opts.watchOnly) && metricsWatchRefused(args)) {
        const refused = new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return run(() => {
          const listed = opts.watchOnly ? { stdout: '' } : runGet(g(), args, o);
          return { ...listed, stderr: '', errors: [...(listed.errors ?? []), refused] };
        });
      }
      if (opts.watch || opts.watchOnly) {
        try {
          runWatch(g(), args, o);
        } catch (e) {
          run(() => {
            throw e;
          });
        }
        return;
      }
      run(() => runGet(g(), args, o));
    });
}
