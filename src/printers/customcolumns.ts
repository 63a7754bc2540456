// -o custom-columns=HEADER:PATH,… and custom-columns-file (cli-runtime pkg/printers/customcolumn.go):
// each path is a relaxed JSONPath; a column with no value prints <none>; several values are joined
// with ","; non-scalar values print in Go's %v form ([map[ip:10.244.3.4]]).
import { goValue } from '../util/govalue';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { findJsonPath, relaxedJsonPath } from './jsonpath';
import { formatGrid } from './table';

export interface ColumnSpec {
  header: string;
  path: string;
}

export function parseCustomColumns(spec: string): ColumnSpec[] {
  if (spec === '') throw new CliError('error: custom-columns format specified but no custom columns given', true);
  return spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new CliError(`error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`, true);
    return { header: part.slice(0, i), path: relaxedJsonPath(part.slice(i + 1)) };
  });
}

/** A custom-columns-file: a line of headers, then a line of paths, split on white space. */
export function parseCustomColumnsFile(text: string): ColumnSpec[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 2) throw new CliError(`error: unexpected custom-columns file, expected exactly 2 lines, got ${lines.length}`, true);
  const headers = lines[0].trim().split(/\s+/);
  const paths = lines[1].trim().split(/\s+/);
  if (headers.length !== paths.length) throw new CliError(`error: number of columns must match: ${headers.length} vs ${paths.length}`, true);
  return headers.map((header, i) => ({ header, path: relaxedJsonPath(paths[i]) }));
}


export function printCustomColumns(cols: ColumnSpec[], objs: KObject[], noHeaders: boolean): string {
  const rows: string[][] = noHeaders ? [] : [cols.map((c) => c.header)];
  for (const o of objs) {
    rows.push(
      cols.map((c) => {
        const values = findJsonPath(c.path, o);
        return values.length === 0 ? '<none>' : values.map(goValue).join(',');
      }),
    );
  }
  return formatGrid(rows);
}
