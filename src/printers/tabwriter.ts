// A port of Go's text/tabwriter (as used by kubectl) for space padding: cells are tab-terminated,
// the text after a line's last tab is not part of any column, and a column's width is decided per
// block of consecutive lines that have a cell in that column.

export interface TabOptions {
  minwidth: number;
  padding: number;
}

/** kubectl get (cli-runtime pkg/printers/tabwriter.go): minwidth 6, tabwidth 4, padding 3. */
export const GET_TABS: TabOptions = { minwidth: 6, padding: 3 };
/** kubectl describe (pkg/describe): minwidth 0, tabwidth 8, padding 2. */
export const DESCRIBE_TABS: TabOptions = { minwidth: 0, padding: 2 };

/** Width in runes, as Go counts it (surrogate pairs count once). */
export function textWidth(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // count code points, not UTF-16 units (Go counts runes)
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Formats text the way a Go tabwriter would after Write(text) and Flush(). */
export function tabwrite(text: string, opt: TabOptions): string {
  const rawLines = text.split('\n');
  const endsWithNewline = rawLines[rawLines.length - 1] === '';
  if (endsWithNewline) rawLines.pop();
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        s += c;
        if (j < widths.length && j < cells.length - 1) s += ' '.repeat(Math.max(0, widths[j] - textWidth(c)));
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = opt.minwidth;
      for (; t < line1; t++) {
        const cells = lines[t];
        if (column >= cells.length - 1) break;
        const cw = textWidth(cells[column]) + opt.padding;
        if (cw > w) w = cw;
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--; // the for loop's t++ must revisit line t
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

/** One table row: kubectl cuts a cell at the first \n, \r or \f and appends "...". */
export function cleanCell(s: string): string {
  if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\f') < 0) return s;
  const i = s.search(/[\n\r\f]/);
  return i < 0 ? s : s.slice(0, i) + '...';
}
