// get -w / --watch-only: print the table, then a row for every object that changes, by following
// the API's watch until interrupted.
import { writeOut } from '../util/stdio';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { tableRows } from '../printers/table';
import { GET_TABS, textWidth } from '../printers/tabwriter';
import { readApi, type GlobalOptions } from './context';
import type { GetOptions } from './get';
import { namespaceFor, select } from './resource/builder';
import { untilInterrupted } from './poll';

/** Lays rows out with at least the widths already used, as kubectl's RememberWidths tabwriter does. */
class RememberingGrid {
  private widths: number[] = [];
  format(rows: string[][]): string {
    if (!rows.length) return '';
    const n = rows[0].length;
    for (let j = 0; j < n - 1; j++) {
      for (const r of rows) this.widths[j] = Math.max(this.widths[j] ?? GET_TABS.minwidth, textWidth(r[j]) + GET_TABS.padding);
    }
    return rows.map((r) => r.map((c, j) => (j < n - 1 ? c + ' '.repeat(this.widths[j] - textWidth(c)) : c)).join('') + '\n').join('');
  }
}

export function runWatch(g: GlobalOptions, args: string[], o: GetOptions & { watchOnly?: boolean }): void {
  const sel = select(g, args, o);
  if (sel.requests.length !== 1) throw new CliError(`error: watch is only supported on individual resources and resource collections, but ${sel.requests.length} resources were found.`, true);
  const r = sel.requests[0];
  const ns = namespaceFor(sel, r, true);
  const api = readApi(g);
  const opts = { labelSelector: o.selector, fieldSelector: o.fieldSelector };
  const named = (x: KObject) => !r.names.length || r.names.includes(x.metadata.name);
  const grid = new RememberingGrid();
  const table = { wide: o.output === 'wide', withNamespace: !!o.allNamespaces && r.res.namespaced, showLabels: o.showLabels };
  let headerDone = false;
  const print = (objs: KObject[]) => {
    if (!objs.length) return;
    const rows = tableRows(r.res.kind, objs, { ...table, noHeaders: headerDone || o.noHeaders });
    headerDone = true;
    writeOut(grid.format(rows));
  };
  if (!o.watchOnly) print(api.list(r.res, ns, opts).filter(named));
  // kubectl prints a deleted object's last state too
  const stop = api.watch(r.res, ns, opts, (events) => print(events.map((e) => e.object).filter(named)));
  untilInterrupted(stop);
}
