// go-yaml's block style for JSON-shaped values, written directly: the yaml package costs about
// 1 ms an object (10 s for `get pods -o yaml` at 5,000 pods). Keys and scalars that are plain or
// simply double-quoted are written here; for other one-line strings the yaml package picks the
// style and go-yaml's rule breaks long lines (goFold); anything else (several lines, keys that need
// quotes) is written by the yaml package, entry by entry, at its column.
import { goYamlNeedsDoubleQuotes } from './goyaml';

/** A string go-yaml writes plain: no indicator first, no ": " or " #", printable ASCII. */
const PLAIN = /^[A-Za-z0-9_/.(][-A-Za-z0-9_/.:=@,+~()%;*$<>!?&'"^[\]{}` ]*$/;
const SIMPLE_DOUBLE = /^[-A-Za-z0-9_/.:+ ]*$/;
const WIDTH = 80;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isMap = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The scalar as go-yaml writes it, or undefined when the yaml package must decide. */
function scalar(v: Json, room: number): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  if (v.length > room) return undefined;
  if (goYamlNeedsDoubleQuotes(v)) return SIMPLE_DOUBLE.test(v) ? `"${v}"` : undefined;
  if (!PLAIN.test(v) || v.endsWith(' ') || v.endsWith(':') || v.includes(': ') || v.includes(' #')) return undefined;
  // flow indicators and quotes are plain only inside a scalar that does not start with them
  if (/[[\]{}"'`,&*!|>%@]/.test(v[0])) return undefined;
  return v;
}

function keyText(k: string): string | undefined {
  return scalar(k, WIDTH);
}

export type Fallback = (value: unknown, width: number) => string;

/**
 * go-yaml's line breaking of a one-line scalar (emitterc.go, write_plain_scalar and the quoted
 * writers): at the first space of a run, once the line has passed column 80, the space becomes a
 * line break and the next line starts at `cont`. A line therefore ends just past column 80, never
 * before it; a double-quoted scalar breaks at any such space but its first and last character.
 */
export function goFold(prefix: string, text: string, cont: number): string {
  const double = text.startsWith('"');
  const single = text.startsWith("'");
  let out = prefix;
  let column = prefix.length;
  let spaces = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === ' ') {
      const inner = double || single ? i > 1 && i < text.length - 2 : true;
      const nextIsSpace = text[i + 1] === ' ';
      if (!spaces && column > WIDTH && inner && (double || !nextIsSpace)) {
        out += '\n' + ' '.repeat(cont);
        column = cont;
        if (double && nextIsSpace) {
          out += '\\';
          column++;
        }
        spaces = true;
        continue;
      }
      spaces = true;
    } else spaces = false;
    out += ch;
    column++;
  }
  return out;
}

/** Writes `v` (keys already sorted) as go-yaml would; `fallback` renders a one-entry piece at column 0. */
export function writeYaml(v: Json, fallback: Fallback): string {
  const out: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  /**
   * The yaml package's rendering of a piece at column `indent`: the piece is nested under one-letter
   * keys down to that column (a map entry at 2 per level; a list item at its key's column, as
   * sequences are not indented), so the package folds long text exactly as in the whole document;
   * the wrapper lines are dropped.
   */
  /**
   * A one-line string the fast path cannot write: the yaml package picks its style (plain, single
   * or double quotes, without folding), and go-yaml's rule breaks the line.
   */
  const styled = (prefix: string, key: string | undefined, val: string, indent: number) => {
    const item = fallback([val], 0).replace(/\n$/, '');
    if (!item.startsWith('- ') || item.includes('\n')) return false;
    const text = item.slice(2);
    let head = prefix;
    if (key !== undefined) {
      const entry = fallback({ [key]: val }, 0).replace(/\n$/, '');
      if (!entry.endsWith(text) || entry.includes('\n')) return false;
      head += entry.slice(0, entry.length - text.length);
    }
    out.push(goFold(head, text, indent + 2));
    return true;
  };
  const delegate = (piece: unknown, indent: number) => {
    const levels = Array.isArray(piece) ? indent / 2 + 1 : indent / 2;
    let wrapped: unknown = piece;
    for (let i = 0; i < levels; i++) wrapped = { a: wrapped };
    const lines = fallback(wrapped, WIDTH).replace(/\n$/, '').split('\n');
    out.push(...lines.slice(levels));
  };
  const map = (m: Record<string, Json>, indent: number, first?: string) => {
    let lead = first;
    const prefix = () => {
      const p = lead ?? pad(indent);
      lead = undefined;
      return p;
    };
    for (const k of Object.keys(m)) {
      const val = m[k];
      const kt = keyText(k);
      if (kt === undefined) {
        if (lead !== undefined) return false;
        delegate({ [k]: val }, indent);
        continue;
      }
      if (isMap(val)) {
        if (Object.keys(val).length === 0) out.push(`${prefix()}${kt}: {}`);
        else {
          out.push(`${prefix()}${kt}:`);
          if (!map(val, indent + 2)) return false;
        }
      } else if (Array.isArray(val)) {
        if (val.length === 0) out.push(`${prefix()}${kt}: []`);
        else {
          out.push(`${prefix()}${kt}:`);
          seq(val, indent);
        }
      } else {
        const s = scalar(val, WIDTH - indent - kt.length - 2);
        if (s !== undefined) out.push(`${prefix()}${kt}: ${s}`);
        else if (typeof val === 'string' && !val.includes('\n') && styled(lead ?? pad(indent), k, val, indent)) lead = undefined;
        else {
          if (lead !== undefined) return false;
          delegate({ [k]: val }, indent);
        }
      }
    }
    return true;
  };
  const seq = (a: Json[], indent: number): void => {
    for (const item of a) {
      if (isMap(item)) {
        if (Object.keys(item).length === 0) out.push(`${pad(indent)}- {}`);
        else {
          const mark = out.length;
          if (!map(item, indent + 2, `${pad(indent)}- `)) {
            out.length = mark;
            delegate([item], indent);
          }
        }
      } else if (Array.isArray(item)) {
        delegate([item], indent);
      } else {
        const s = scalar(item, WIDTH - indent - 2);
        if (s !== undefined) out.push(`${pad(indent)}- ${s}`);
        else if (!(typeof item === 'string' && !item.includes('\n') && styled(`${pad(indent)}- `, undefined, item, indent))) delegate([item], indent);
      }
    }
  };
  if (isMap(v)) {
    if (Object.keys(v).length === 0) return '{}\n';
    map(v, 0);
  } else if (Array.isArray(v)) {
    if (v.length === 0) return '[]\n';
    seq(v, 0);
  } else return fallback(v, WIDTH);
  return out.join('\n') + '\n';
}
