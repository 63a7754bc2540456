// kubesim events: kubectl 1.32's pkg/cmd/events (events.go, event_printer.go): a namespace's (or
// every namespace's) events oldest first, filtered by --for TYPE/NAME and --types, in the columns
// LAST SEEN TYPE REASON OBJECT MESSAGE; -o prints the EventList; -w follows new and changed events.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { lookupResource } from '../api/resources';
import { clientOf } from '../apiserver/client';
import { goSort } from '../printers/describe/gosort';
import { formatGrid } from '../printers/table';
import { cleanCell } from '../printers/tabwriter';
import { toYAML } from '../printers/output';
import { typedListJSON } from '../printers/gojson';
import { printJsonPath } from '../printers/jsonpath';
import { printGoTemplate } from '../printers/gotemplate';
import { age } from '../util/duration';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { goTemplateOf, jsonPathTemplate } from './printflags';
import { pollUntilInterrupted } from './poll';
import { writeOut } from '../util/stdio';

interface EventsOptions {
  allNamespaces?: boolean;
  for?: string;
  types?: string[];
  watch?: boolean;
  output?: string;
  template?: string;
  headers?: boolean;
}

const FORMATS = 'json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file';

/** eventTime in events.go: the series' last time, else lastTimestamp, else eventTime. */
function eventTime(e: KObject): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** getInterval in event_printer.go: "5s", or "5s (x3 over 2m)" for a repeated event. */
function interval(e: KObject): string {
  const first = e.eventTime ? age(e.eventTime) : age(e.firstTimestamp);
  if (e.series) return `${age(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${age(e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}

/** escapeCell: text up to a line break, then "..." */
function escapeCell(s: unknown): string {
  const str = String(s ?? '');
  const i = str.search(/[\f\n\r]/);
  return cleanCell(i >= 0 ? str.slice(0, i) + '...' : str);
}

function row(e: KObject, withNs: boolean): string[] {
  const r = [interval(e), escapeCell(e.type), escapeCell(e.reason), `${escapeCell(e.involvedObject?.kind)}/${escapeCell(e.involvedObject?.name)}`, escapeCell(String(e.message ?? '').trim())];
  return withNs ? [String(e.metadata.namespace ?? ''), ...r] : r;
}

function header(withNs: boolean): string[] {
  const h = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  return withNs ? ['NAMESPACE', ...h] : h;
}

function typeFilter(types: string[] | undefined): (e: KObject) => boolean {
  const want = (types ?? []).flatMap((t) => t.split(',')).filter((t) => t !== '');
  for (const t of want) if (!/^(normal|warning)$/i.test(t)) throw new CliError('error: valid --types are Normal or Warning', true);
  return (e) => !want.length || want.some((t) => t.toLowerCase() === String(e.type ?? '').toLowerCase());
}

/** --for TYPE/NAME: the field selector on the involved object's kind and name. */
function forSelector(spec: string | undefined): string | undefined {
  if (!spec) return undefined;
  if (!spec.includes('/')) throw new CliError('error: --for must be in resource/name form', true);
  const seg = spec.split('/');
  if (seg.length !== 2) throw new CliError('error: arguments in resource/name form may not have more than one slash', true);
  const res = lookupResource(seg[0]);
  if (!res) throw new CliError(`error: the server doesn't have a resource type "${seg[0]}"`, true);
  return `involvedObject.kind=${res.kind},involvedObject.name=${seg[1]}`;
}

function printer(output: string, template: string | undefined): (events: KObject[]) => string {
  const jp = jsonPathTemplate(output);
  const list = (events: KObject[]) => ({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items: events.map((e) => ({ ...e, kind: 'Event', apiVersion: 'v1' })) });
  if (jp !== undefined) return (events) => printJsonPath(jp, list(events) as unknown as KObject, { asJSON: output.startsWith('jsonpath-as-json=') });
  const gt = goTemplateOf(output, template);
  if (gt !== undefined) return (events) => printGoTemplate(gt, list(events) as unknown as KObject);
  if (output === 'json') return (events) => typedListJSON(list(events), 'Event');
  if (output === 'yaml') return (events) => toYAML(list(events));
  if (output === 'name') return (events) => events.map((e) => `event/${e.metadata.name}\n`).join('');
  throw new CliError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${FORMATS}`, true);
}

function listEvents(g: GlobalOptions, o: EventsOptions, fieldSelector: string | undefined, keep: (e: KObject) => boolean): KObject[] {
  const state = openRead(g);
  const ns = o.allNamespaces ? undefined : namespaceOf(g);
  return clientOf(state).list(lookupResource('events')!, ns, { fieldSelector }).filter(keep);
}

export function runEvents(g: GlobalOptions, o: EventsOptions): Outcome {
  const keep = typeFilter(o.types);
  const fieldSelector = forSelector(o.for);
  const withNs = !!o.allNamespaces;
  const print = o.output ? printer(o.output, o.template) : undefined;
  if (o.watch) {
    watch(g, o, fieldSelector, keep, withNs);
    return { stdout: '' };
  }
  // SortableEvents: oldest first, with Go's unstable sort.Sort (events.go): equal times (the
  // simulated clock makes many) end in the order kubectl leaves them, not the server's name order
  const events = goSort(listEvents(g, o, fieldSelector, keep), (a, b) => eventTime(a) < eventTime(b));
  if (!events.length) return { stdout: '', stderr: o.allNamespaces ? 'No events found.\n' : `No events found in ${namespaceOf(g)} namespace.\n` };
  if (print) return { stdout: print(events) };
  const rows = events.map((e) => row(e, withNs));
  return { stdout: formatGrid(o.headers === false ? rows : [header(withNs), ...rows]) };
}

/** -w: the watch's ADDED events for what exists (in name order), then each new or changed event; the
 * tabwriter is flushed after each, so each line is aligned on its own (the first with the header). */
function watch(g: GlobalOptions, o: EventsOptions, fieldSelector: string | undefined, keep: (e: KObject) => boolean, withNs: boolean): void {
  const print = o.output ? printer(o.output, o.template) : undefined;
  let headerDue = o.headers !== false && !print;
  const seen = new Map<string, string>();
  const emit = (e: KObject) => {
    if (print) return writeOut(print([e]));
    const rows = [row(e, withNs)];
    if (headerDue) rows.unshift(header(withNs));
    headerDue = false;
    writeOut(formatGrid(rows));
  };
  const tick = () => {
    for (const e of listEvents(g, o, fieldSelector, keep)) {
      const k = `${e.metadata.namespace}/${e.metadata.name}`;
      const rv = String(e.metadata.resourceVersion ?? '');
      if (seen.get(k) === rv) continue;
      seen.set(k, rv);
      emit(e);
    }
  };
  tick();
  pollUntilInterrupted(tick);
}

export function registerEvents(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('events')
    .description('List events')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('--for <resource>', 'Filter events to only those pertaining to the specified resource.')
    .option('--types <types>', 'Output only events of given types.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-w, --watch', 'After listing the requested events, watch for more events.')
    .option('-o, --output <format>', `Output format. One of: (${FORMATS}).`)
    .option('--template <template>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file.')
    .option('--no-headers', "When using the default output format, don't print headers.")
    .option('--chunk-size <n>', 'Ignored: kubesim lists in one piece.')
    .action((o: EventsOptions) => run(() => runEvents(g(), o)));
}
