// kubectl's help on a terminal: k8s.io/kubectl pkg/util/term/term_writer.go (NewResponsiveWriter:
// the whole text word-wrapped at 120, 100 or 80 columns by the terminal's width, none below 80 or
// off a terminal) and templates/help_flags_printer.go (a flag's description wrapped at that limit
// less 10, its lines indented by a tab), with github.com/mitchellh/go-wordwrap's WrapString.

/** the width kubectl wraps help at: 0 when stdout is not a terminal (no wrapping) */
export function wrapLimit(): number {
  const cols = process.stdout.isTTY ? (process.stdout.columns ?? 0) : 0;
  return cols >= 120 ? 120 : cols >= 100 ? 100 : cols >= 80 ? 80 : 0;
}

/** go-wordwrap's WrapString: breaks at spaces so that lines fit `lim`; a longer word stays whole */
export function wrapString(s: string, lim: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  for (const ch of s) {
    if (ch === '\n') {
      if (word.length === 0) {
        if (current + space.length <= lim) out += space;
      } else out += space + word;
      out += ch;
      current = 0;
      word = '';
      space = '';
    } else if (/\s/.test(ch) && ch !== '\u00a0') {
      if (space.length === 0 || word.length > 0) {
        current += space.length + word.length;
        out += space + word;
        space = '';
        word = '';
      }
      space += ch;
    } else {
      word += ch;
      if (current + space.length + word.length > lim && word.length < lim) {
        out += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word.length === 0) {
    if (current + space.length <= lim) out += space;
  } else out += space + word;
  return out;
}
