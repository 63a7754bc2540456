// get -w / --watch-only: print the table, then a row for every object that changes, by following
// the kind's state file (polled: other kubesim processes replace it atomically) until interrupted.
import * as fs from 'fs';
import { CliError } from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import type { KObject } from '../api/types';
import { tableRows } from '../printers/table';
import { GET_TABS, textWidth } from '../printers/tabwriter';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import type { GetOptions } from './get';
import { sortedByNamespaceAndName } from './resource/order';
import { parseResourceArgs } from './resource/args';
import { pollUntilInterrupted } from './poll';
import { MANIFEST } from '../store/store';

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
  const { requests } = parseResourceArgs(args);
  if (requests.length !== 1) throw new CliError('error: watch is only supported on individual resources and resource collections, but 2 resources were found.', true);
  const r = requests[0];
  const ns = r.res.namespaced && !o.allNamespaces ? namespaceOf(g) : undefined;
  const sel = o.selector ? parseSelector(o.selector) : undefined;
  const pick = (state: ReturnType<typeof openRead>) =>
    state.list(r.res.kind, ns).filter((x) => (!sel || matches(sel, x.metadata.labels)) && (!r.names.length || r.names.includes(x.metadata.name)));
  const state = openRead(g);
  const file = state.store.file(MANIFEST); // every commit renames a new manifest into place
  const grid = new RememberingGrid();
  const opt = { wide: o.output === 'wide', withNamespace: !!o.allNamespaces && r.res.namespaced, showLabels: o.showLabels };
  let seen = new Map<string, KObject>(pick(state).map((x) => [`${x.metadata.namespace}/${x.metadata.name}`, x]));
  let headerDone = false;
  const print = (objs: KObject[]) => {
    if (!objs.length) return;
    const rows = tableRows(r.res.kind, objs, { ...opt, noHeaders: headerDone || o.noHeaders });
    headerDone = true;
    process.stdout.write(grid.format(rows));
  };
  if (!o.watchOnly) print(sortedByNamespaceAndName([...seen.values()]));
  let last = mtime(file);
  pollUntilInterrupted(() => {
    const now = mtime(file);
    if (now === last) return;
    last = now;
    const next = new Map<string, KObject>(pick(openRead(g)).map((x) => [`${x.metadata.namespace}/${x.metadata.name}`, x]));
    const changed: KObject[] = [];
    for (const [k, x] of next) if (seen.get(k)?.metadata.resourceVersion !== x.metadata.resourceVersion) changed.push(x);
    for (const [k, x] of seen) if (!next.has(k)) changed.push(x); // kubectl prints a deleted object's last state
    seen = next;
    print(changed);
  });
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
