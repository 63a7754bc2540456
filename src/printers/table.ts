// kubectl's human-readable table (cli-runtime pkg/printers/tableprinter.go) on our tabwriter rules.
import { formatMap } from '../api/labels';
import type { KObject } from '../api/types';
import { columnsFor, type Column } from '../apiserver/strategy';
import { cleanCell, GET_TABS, textWidth } from './tabwriter';

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  /** print a NAMESPACE column first (-A) */
  withNamespace?: boolean;
  /** prefix names with `kind/` (several resource types requested) */
  withKind?: string;
  /** -L label columns */
  labelColumns?: string[];
  /** the columns of a kind kubesim does not store (the metrics API's), else its strategy's */
  columns?: Column[];
}

/**
 * Every row of a get table has the same number of cells, so the tabwriter's column blocks are the
 * whole table: each non-last column is max(minwidth, widest cell + padding) wide.
 */
export function formatGrid(rows: string[][]): string {
  if (rows.length === 0) return '';
  const n = rows[0].length;
  const widths = new Array<number>(n).fill(GET_TABS.minwidth);
  // each cell's width, measured once (a 10,000-row table has 70,000 cells), in one flat array
  const cellWidths = new Int32Array(rows.length * (n - 1));
  for (let i = 0, k = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let j = 0; j < n - 1; j++, k++) {
      const w = (cellWidths[k] = textWidth(row[j]));
      if (w + GET_TABS.padding > widths[j]) widths[j] = w + GET_TABS.padding;
    }
  }
  // every padding a column needs, made once: pads[j][c] follows a cell c wide (a very wide column
  // slices its padding per cell instead: the table would grow with the square of its width)
  const full = widths.map((w) => ' '.repeat(w));
  const pads = widths.map((w) => (w <= 512 ? Array.from({ length: w + 1 }, (_, c) => ' '.repeat(w - c)) : undefined));
  const lines = new Array<string>(rows.length);
  for (let i = 0, k = 0; i < rows.length; i++) {
    const row = rows[i];
    let line = '';
    for (let j = 0; j < n - 1; j++, k++) line += row[j] + (pads[j]?.[cellWidths[k]] ?? full[j].slice(cellWidths[k]));
    lines[i] = line + row[n - 1];
  }
  return lines.join('\n') + '\n';
}

export function tableRows(kind: string, objs: KObject[], opt: TableOptions): string[][] {
  const cols = opt.columns ?? columnsFor(kind, !!opt.wide);
  const rows: string[][] = [];
  if (!opt.noHeaders) {
    const h = cols.map((c) => c.header);
    if (opt.withNamespace) h.unshift('NAMESPACE');
    for (const l of opt.labelColumns ?? []) h.push(l.split('/').pop()!.toUpperCase());
    if (opt.showLabels) h.push('LABELS');
    rows.push(h);
  }
  const nameAt = cols.findIndex((c) => c.header === 'NAME');
  const wide = !!opt.wide;
  for (const o of objs) {
    // a cell is text whatever a stored object holds (a user-made object may lack any field)
    const r: string[] = opt.withNamespace ? [o.metadata.namespace ?? ''] : [];
    for (const c of cols) r.push(cleanCell(String(c.cell(o, wide) ?? '')));
    if (opt.withKind && nameAt >= 0) r[nameAt + (opt.withNamespace ? 1 : 0)] = `${opt.withKind}/${r[nameAt + (opt.withNamespace ? 1 : 0)]}`;
    for (const l of opt.labelColumns ?? []) r.push(o.metadata.labels?.[l] ?? '');
    if (opt.showLabels) r.push(formatMap(o.metadata.labels));
    rows.push(r);
  }
  return rows;
}

export function printTable(kind: string, objs: KObject[], opt: TableOptions): string {
  if (objs.length === 0) return '';
  return formatGrid(tableRows(kind, objs, opt));
}
