// A fast reader for the YAML that manifests are made of: block maps and sequences, plain and quoted
// scalars, comments, `---` separators and one-line flow collections of scalars. The `yaml` package
// parses ~3,600 documents/s (REFERENCE §10); this reads the common subset many times faster. Anything
// outside the subset (block scalars, anchors, tags, multi-line scalars, nested flow…) throws
// Unsupported, and the caller hands the text to the `yaml` package instead.
//
// Plain scalars resolve as go-yaml v2 (YAML 1.1) resolves them for kubectl: yes/no/on/off are bools,
// 0777 is octal, ~ and null are null. parseCoreYaml reads the same subset as the `yaml` package reads
// it (YAML 1.2, core schema), for the files kubesim reads with that package (its kubeconfig).

import { setKey } from './compare';
export class Unsupported extends Error {}

const unsupported = (why: string): never => {
  throw new Unsupported(why);
};

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/** How a plain scalar resolves (throws Unsupported for what the reader leaves to the full parser). */
type Resolve = (s: string) => unknown;

export function resolvePlain(s: string): unknown {
  if (NULLS.has(s)) return null;
  if (BOOL_TRUE.has(s)) return true;
  if (BOOL_FALSE.has(s)) return false;
  const c = s.charCodeAt(0);
  // only strings starting like a number can be one
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (/^[-+]?(0|[1-9][0-9]*)$/.test(s)) return Number(s);
    if (/^[-+]?0[0-7]+$/.test(s)) return parseInt(s, 8);
    if (/^[-+]?0x[0-9a-fA-F]+$/.test(s)) return parseInt(s, 16);
    if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
    if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
    // 1_000 and base-60 (1:20) are numbers to some YAML 1.1 readers: leave them to the full parser
    if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*(\.[0-9_]*)?$/.test(s)) unsupported('numeric form');
  }
  return s;
}

const CORE_NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const CORE_TRUE = new Set(['true', 'True', 'TRUE']);
const CORE_FALSE = new Set(['false', 'False', 'FALSE']);

/**
 * A plain scalar as the `yaml` package's core schema (YAML 1.2) resolves it: null and bool forms; a
 * scalar that starts like a number (digit, sign, dot) is left to the full parser (0o17, 1e3, .inf,
 * 1_000 … differ from YAML 1.1 and a kubeconfig holds none); anything else is a string.
 */
function resolveCore(s: string): unknown {
  if (CORE_NULLS.has(s)) return null;
  if (CORE_TRUE.has(s)) return true;
  if (CORE_FALSE.has(s)) return false;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) unsupported('numeric form');
  return s;
}

interface Line {
  indent: number;
  text: string; // without indentation, comment kept (stripped while scanning values)
}

const DQ_ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

/** Reads a scalar starting at s[i]; returns its value and the index after it (comments skipped). */
function scalar(s: string, i: number, inFlow: boolean, resolve: Resolve = resolvePlain): [unknown, number] {
  const ch = s[i];
  if (ch === '"') {
    let out = '';
    let j = i + 1;
    for (;;) {
      if (j >= s.length) unsupported('multi-line double-quoted scalar');
      const c = s[j];
      if (c === '"') break;
      if (c === '\\') {
        const e = s[j + 1];
        if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = s.slice(j + 2, j + 2 + n);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) unsupported('bad escape');
          out += String.fromCodePoint(parseInt(hex, 16));
          j += 2 + n;
          continue;
        }
        if (!(e in DQ_ESCAPES)) unsupported('bad escape');
        out += DQ_ESCAPES[e];
        j += 2;
        continue;
      }
      out += c;
      j++;
    }
    return [out, j + 1];
  }
  if (ch === "'") {
    let out = '';
    let j = i + 1;
    for (;;) {
      if (j >= s.length) unsupported('multi-line single-quoted scalar');
      if (s[j] === "'") {
        if (s[j + 1] === "'") {
          out += "'";
          j += 2;
          continue;
        }
        break;
      }
      out += s[j++];
    }
    return [out, j + 1];
  }
  if ('&*!|>%@`'.includes(ch) || (ch === '?' && (s[i + 1] === ' ' || i + 1 === s.length))) unsupported(`indicator ${ch}`);
  // plain: up to " #", or ": " / ":" at end (a key), or flow punctuation inside flow
  let j = i;
  while (j < s.length) {
    const c = s[j];
    if (c === '#' && j > i && (s[j - 1] === ' ' || s[j - 1] === '\t')) break;
    if (c === ':' && (j + 1 === s.length || s[j + 1] === ' ' || (inFlow && ',[]{}'.includes(s[j + 1])))) break;
    if (inFlow && ',[]{}'.includes(c)) break;
    j++;
  }
  return [resolve(s.slice(i, j).trimEnd()), j];
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

/** The rest of a line must be empty or a comment. */
function endOfLine(s: string, i: number): void {
  i = skipSpaces(s, i);
  if (i < s.length && s[i] !== '#') unsupported('trailing content');
}

/** One-line flow collection of scalars: [a, b] or {a: b}. */
function flow(s: string, i: number, resolve: Resolve, unique: boolean): [unknown, number] {
  const open = s[i];
  const close = open === '[' ? ']' : '}';
  const seq: unknown[] = [];
  const map: Record<string, unknown> = {};
  let j = skipSpaces(s, i + 1);
  if (s[j] === close) return [open === '[' ? seq : map, j + 1];
  for (;;) {
    j = skipSpaces(s, j);
    if (s[j] === '[' || s[j] === '{') unsupported('nested flow');
    // `[a, b,]` (a trailing comma) and `[a,,b]` hold no null: the full parser knows what they are
    if (s[j] === ',' || s[j] === close) unsupported('empty flow entry');
    const [k, after] = scalar(s, j, true, resolve);
    j = skipSpaces(s, after);
    if (open === '{') {
      if (s[j] !== ':') unsupported('flow map without value');
      j = skipSpaces(s, j + 1);
      if (s[j] === '[' || s[j] === '{') unsupported('nested flow');
      const [v, a2] = s[j] === ',' || s[j] === '}' ? [null, j] : scalar(s, j, true, resolve);
      if (unique && Object.prototype.hasOwnProperty.call(map, String(k))) unsupported('duplicate key');
      map[String(k)] = v;
      j = skipSpaces(s, a2);
    } else seq.push(k);
    if (s[j] === ',') {
      j++;
      continue;
    }
    if (s[j] === close) return [open === '[' ? seq : map, j + 1];
    unsupported('unterminated flow');
  }
}

class Parser {
  pos = 0;
  constructor(
    private lines: Line[],
    private resolve: Resolve,
    // a repeated key: an error for the `yaml` package (left to it to word), the last value for go-yaml
    private unique: boolean,
  ) {}

  peek(): Line | undefined {
    return this.lines[this.pos];
  }

  /** A node whose first line is at `indent` (exactly). */
  node(indent: number): unknown {
    const l = this.peek()!;
    if (l.text === '-' || l.text.startsWith('- ')) return this.seq(indent);
    if (keyEnd(l.text) >= 0) return this.map(indent);
    unsupported('multi-line plain scalar');
  }

  seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const l = this.peek();
      if (!l || l.indent < indent) return out;
      if (l.indent > indent) unsupported('bad sequence indentation');
      if (!(l.text === '-' || l.text.startsWith('- '))) return out;
      const rest = l.text === '-' ? '' : l.text.slice(2);
      const lead = l.text.length - l.text.slice(1).trimStart().length; // "- " plus extra spaces
      const restTrim = rest.trimStart();
      if (restTrim === '' || restTrim.startsWith('#')) {
        this.pos++;
        out.push(this.childOrNull(indent, true));
      } else if (restTrim.startsWith('- ') || restTrim === '-' || keyEnd(restTrim) >= 0) {
        // "- key: v" or "- - x": the item is a node starting at the column after "- "
        this.lines[this.pos] = { indent: indent + lead, text: restTrim };
        out.push(this.node(indent + lead));
      } else {
        this.pos++;
        out.push(this.inlineValue(restTrim));
      }
    }
  }

  map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const l = this.peek();
      if (!l || l.indent < indent) return out;
      if (l.indent > indent) unsupported('bad mapping indentation');
      const ke = keyEnd(l.text);
      if (ke < 0) return out;
      const key = mapKey(l.text.slice(0, ke), this.resolve);
      const rest = l.text.slice(ke + 1).trimStart();
      this.pos++;
      let v: unknown;
      if (rest === '' || rest.startsWith('#')) v = this.childOrNull(indent, false);
      else v = this.inlineValue(rest);
      if (key === '<<') unsupported('merge key');
      if (this.unique && Object.prototype.hasOwnProperty.call(out, key)) unsupported('duplicate key');
      setKey(out, key, v);
    }
  }

  /** The block value after "key:" or "-" on the lines below, or null when there is none. */
  childOrNull(indent: number, inSeq: boolean): unknown {
    const n = this.peek();
    if (!n) return null;
    if (n.indent > indent) return this.node(n.indent);
    // YAML allows a map's sequence value at the key's own indentation
    if (!inSeq && n.indent === indent && (n.text === '-' || n.text.startsWith('- '))) return this.seq(indent);
    return null;
  }

  inlineValue(text: string): unknown {
    if (text[0] === '[' || text[0] === '{') {
      const [v, end] = flow(text, 0, this.resolve, this.unique);
      endOfLine(text, end);
      this.noContinuation();
      return v;
    }
    const [v, end] = scalar(text, 0, false, this.resolve);
    endOfLine(text, end);
    this.noContinuation();
    return v;
  }

  /** A more-indented line after an inline value would continue a multi-line scalar. */
  noContinuation(): void {
    const n = this.peek();
    if (n && this.pos > 0 && n.indent > this.lines[this.pos - 1].indent) unsupported('continuation line');
  }
}

/** Index of the ':' ending a mapping key on this line, or -1. */
function keyEnd(text: string): number {
  if (text[0] === '"' || text[0] === "'") {
    const [, end] = scalar(text, 0, false);
    return text[end] === ':' && (end + 1 === text.length || text[end + 1] === ' ') ? end : -1;
  }
  if (text[0] === '#' || text.startsWith('- ') || text === '-') return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#' && i > 0 && text[i - 1] === ' ') return -1;
    if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return i;
  }
  return -1;
}

function mapKey(raw: string, resolve: Resolve): string {
  const t = raw.trimEnd();
  if (t[0] === '"' || t[0] === "'") return String(scalar(t, 0, false)[0]);
  if ('&*!|>%@`[{?'.includes(t[0])) unsupported('complex key');
  // go-yaml resolves plain keys too: `y:` is the key "true" by the time kubectl sees JSON
  const v = resolve(t);
  return typeof v === 'string' ? v : String(v);
}

/** Every document in the text, as JSON values; throws Unsupported for YAML outside the subset. */
export function parseManifestYaml(text: string): unknown[] {
  return parseDocuments(text, resolvePlain, false);
}

/**
 * Every document in the text as the `yaml` package's parseAllDocuments(text)[i].toJS() has it (YAML
 * 1.2, core schema); throws Unsupported for YAML outside the subset, for a number-like plain scalar
 * and for a repeated key (the package's error to report).
 */
export function parseCoreYaml(text: string): unknown[] {
  return parseDocuments(text, resolveCore, true);
}

function parseDocuments(text: string, resolve: Resolve, unique: boolean): unknown[] {
  const docs: unknown[] = [];
  let lines: Line[] = [];
  const flush = () => {
    if (lines.length) {
      const p = new Parser(lines, resolve, unique);
      const first = lines[0];
      const v = p.node(first.indent);
      if (p.pos < lines.length) unsupported('content after the document');
      docs.push(v);
    }
    lines = [];
  };
  const raw = text.split('\n');
  for (let r of raw) {
    if (r.endsWith('\r')) r = r.slice(0, -1);
    if (r.startsWith('---')) {
      if (r.length > 3 && !/^---\s*(#.*)?$/.test(r)) unsupported('content after ---');
      flush();
      continue;
    }
    if (r.startsWith('...') && /^\.\.\.\s*$/.test(r)) {
      flush();
      continue;
    }
    if (r.startsWith('%')) unsupported('directive');
    let i = 0;
    while (r[i] === ' ') i++;
    if (r[i] === '\t') unsupported('tab indentation');
    const t = r.slice(i);
    if (t === '' || t.startsWith('#') || t.trim() === '') continue;
    lines.push({ indent: i, text: t.trimEnd() });
  }
  flush();
  return docs;
}
