// kubectl's JSONPath (k8s.io/client-go/util/jsonpath: parser.go and jsonpath.go), as `-o jsonpath`
// uses it: text outside {} is printed as is; inside, fields, [index], [*], [start:end:step],
// [i,j] / ['a','b'] unions, .. recursion, [?(@.x op y)] filters, range/end, "quoted" literals.
// Scalars print as text, maps and lists as compact JSON; results of one action are space-separated.
import { CliError } from '../api/errors';

type Node =
  | { t: 'text'; v: string }
  | { t: 'list'; nodes: Node[] }
  | { t: 'field'; name: string }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'root' }
  | { t: 'current' }
  | { t: 'array'; params: (number | null)[]; hasStep: boolean; hasColon: boolean }
  | { t: 'union'; items: Node[][] }
  | { t: 'filter'; left: Node[]; op: string; right: Node[] }
  | { t: 'literal'; v: string | number | boolean }
  | { t: 'range'; nodes: Node[] }
  | { t: 'ident'; name: string }
  | { t: 'end' };

class ParseError extends Error {}

/** Parses a template into top-level nodes: text and actions (each action a node list). */
export function parseJsonPath(text: string): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) {
      out.push({ t: 'text', v: text.slice(i) });
      break;
    }
    if (open > i) out.push({ t: 'text', v: text.slice(i, open) });
    const close = findClose(text, open);
    if (close < 0) throw new ParseError('unclosed action');
    out.push(...parseAction(text.slice(open + 1, close)));
    i = close + 1;
  }
  return out;
}

/** The index of the bracket closing the one at `open` (nesting counted, quoted text skipped), or -1. */
function matching(s: string, open: number, opener: string, closer: string): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === opener) depth++;
    else if (c === closer && --depth === 0) return i;
  }
  return -1;
}

// an action ends at its closing "}", a bracket expression at its "]" (quoted text skipped)
const findClose = (s: string, open: number) => matching(s, open, '{', '}');
const bracketEnd = (s: string, open: number) => matching(s, open, '[', ']');

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}', '(', ')', '=', '!', '<', '>']);

function parseAction(src: string): Node[] {
  const s = src.trim();
  if (s === 'end') return [{ t: 'end' }];
  if (s.startsWith('range ') || s === 'range') return [{ t: 'range', nodes: parsePath(s.slice(5).trim()) }];
  return [{ t: 'list', nodes: parsePath(s) }];
}

/** A path expression: a sequence of steps. */
function parsePath(s: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '"' || c === "'") {
      const [v, end] = quoted(s, i);
      nodes.push({ t: 'literal', v });
      i = end;
    } else if (c === '$') {
      nodes.push({ t: 'root' });
      i++;
    } else if (c === '@') {
      nodes.push({ t: 'current' });
      i++;
    } else if (c === '.') {
      if (s[i + 1] === '.') nodes.push({ t: 'recursive' });
      // "..name": the name after the recursion is a field like ".name"
      i += s[i + 1] === '.' ? 2 : 1;
      const start = i;
      while (i < s.length && !TERMINATORS.has(s[i])) i += s[i] === '\\' ? 2 : 1;
      const name = s.slice(start, i).replace(/\\/g, '');
      if (name === '*') nodes.push({ t: 'wildcard' });
      else if (name) nodes.push({ t: 'field', name });
    } else if (c === '[') {
      const close = bracketEnd(s, i);
      if (close < 0) throw new ParseError('unterminated array');
      nodes.push(parseBracket(s.slice(i + 1, close)));
      i = close + 1;
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(s.slice(i))!;
      nodes.push({ t: 'literal', v: Number(m[0]) });
      i += m[0].length;
    } else if (s.startsWith('true', i) || s.startsWith('false', i)) {
      const v = s.startsWith('true', i);
      nodes.push({ t: 'literal', v });
      i += v ? 4 : 5;
    } else {
      // a bare word is an identifier; only range and end mean anything (it fails when evaluated)
      const start = i;
      while (i < s.length && !TERMINATORS.has(s[i])) i++;
      if (i === start) throw new ParseError(`unrecognized character in action: ${JSON.stringify(c)}`);
      nodes.push({ t: 'ident', name: s.slice(start, i) });
    }
  }
  return nodes;
}

function quoted(s: string, i: number): [string, number] {
  const q = s[i];
  let out = '';
  let j = i + 1;
  for (; j < s.length && s[j] !== q; j++) {
    if (s[j] === '\\' && j + 1 < s.length) {
      const e = s[++j];
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
    } else out += s[j];
  }
  if (j >= s.length) throw new ParseError('unterminated quoted string');
  return [out, j + 1];
}

function parseBracket(inner: string): Node {
  const s = inner.trim();
  if (s.startsWith('?(') && s.endsWith(')')) return parseFilter(s.slice(2, -1));
  if (s === '*') return { t: 'wildcard' };
  if (s.includes(',')) {
    const items = splitTop(s, ',').map((p) => {
      const x = p.trim();
      if (x.startsWith("'") || x.startsWith('"')) {
        if (x.startsWith('"')) throw new ParseError(`invalid array index ${JSON.stringify(x.slice(1, -1))}`);
        return [{ t: 'field', name: quoted(x, 0)[0] } as Node];
      }
      return [parseBracket(x)];
    });
    return { t: 'union', items };
  }
  if (s.startsWith("'")) return { t: 'field', name: quoted(s, 0)[0] };
  if (s.startsWith('"')) throw new ParseError(`invalid array index ${JSON.stringify(quoted(s, 0)[0])}`);
  const parts = s.split(':');
  if (parts.length > 3) throw new ParseError(`invalid array index ${s}`);
  const params = parts.map((p) => {
    const x = p.trim();
    if (x === '') return null;
    if (!/^-?\d+$/.test(x)) throw new ParseError(`invalid array index ${x}`);
    return Number(x);
  });
  return { t: 'array', params, hasColon: parts.length > 1, hasStep: parts.length === 3 };
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = '';
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function parseFilter(s: string): Node {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.*)$/.exec(s);
  if (!m) return { t: 'filter', left: parsePath(s.trim()), op: 'exists', right: [] };
  return { t: 'filter', left: parsePath(m[1].trim()), op: m[2], right: parsePath(m[3].trim()) };
}

// ---- evaluation ----

class ExecError extends Error {}

type Value = unknown;

function evalNodes(nodes: Node[], input: Value[], root: Value, allowMissing: boolean): Value[] {
  let cur = input;
  for (const n of nodes) cur = evalNode(n, cur, root, allowMissing);
  return cur;
}

const isObj = (v: Value): v is Record<string, Value> => !!v && typeof v === 'object' && !Array.isArray(v);

function evalNode(n: Node, input: Value[], root: Value, allowMissing: boolean): Value[] {
  switch (n.t) {
    case 'root':
      return [root];
    case 'current':
      return input;
    case 'literal':
      return [n.v];
    case 'field': {
      const out: Value[] = [];
      for (const v of input) {
        if (isObj(v) && n.name in v) out.push(v[n.name]);
        else if (isObj(v) && !allowMissing) throw new ExecError(`${n.name} is not found`);
      }
      return out;
    }
    case 'wildcard': {
      const out: Value[] = [];
      for (const v of input) {
        if (Array.isArray(v)) out.push(...v);
        else if (isObj(v)) for (const k of Object.keys(v).sort()) out.push(v[k]);
      }
      return out;
    }
    case 'recursive': {
      const out: Value[] = [];
      const walk = (v: Value) => {
        out.push(v);
        if (Array.isArray(v)) v.forEach(walk);
        else if (isObj(v)) for (const k of Object.keys(v).sort()) walk(v[k]);
      };
      input.forEach(walk);
      return out;
    }
    case 'array': {
      const out: Value[] = [];
      for (const v of input) {
        if (!Array.isArray(v)) continue;
        const len = v.length;
        let [start, end, step] = [n.params[0], n.params[1], n.params[2]];
        if (!n.hasColon) {
          let idx = start ?? 0;
          if (idx < 0) idx += len;
          // out of range is an error even when missing keys are allowed, as in client-go
          if (idx < 0 || idx >= len) throw new ExecError(`array index out of bounds: index ${n.params[0]}, length ${len}`);
          out.push(v[idx]);
          continue;
        }
        start = start ?? 0;
        end = end ?? len;
        step = step ?? 1;
        if (start < 0) start += len;
        if (end < 0) end += len;
        start = Math.max(0, Math.min(start, len));
        end = Math.max(0, Math.min(end, len));
        for (let i = start; i < end; i += Math.max(1, step)) out.push(v[i]);
      }
      return out;
    }
    case 'ident':
      throw new ExecError(`unrecognized identifier ${n.name}`);
    case 'union':
      return n.items.flatMap((nodes) => evalNodes(nodes, input, root, allowMissing));
    case 'filter': {
      const out: Value[] = [];
      for (const v of input) {
        const items = Array.isArray(v) ? v : [v];
        for (const item of items) {
          const left = evalNodes(n.left, [item], root, true);
          if (n.op === 'exists') {
            if (left.length && left[0] !== null && left[0] !== undefined) out.push(item);
            continue;
          }
          const right = evalNodes(n.right, [item], root, true);
          if (left.length && right.length && compare(left[0], n.op, right[0])) out.push(item);
        }
      }
      return out;
    }
    default:
      return [];
  }
}

function compare(a: Value, op: string, b: Value): boolean {
  if (op === '==') return a === b || (typeof a === 'number' && typeof b === 'number' && a === b) || String(a) === String(b) && typeof a === typeof b;
  if (op === '!=') return !compare(a, '==', b);
  if (op === '=~') return typeof a === 'string' && typeof b === 'string' && new RegExp(b).test(a);
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
}

/** Go's json.Marshal (or MarshalIndent with indent): sorted keys, HTML characters escaped. */
export function goJSON(v: Value, indent?: number): string {
  const sort = (x: Value): Value => (Array.isArray(x) ? x.map(sort) : isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])])) : x);
  return JSON.stringify(sort(v), null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function toText(v: Value): string {
  if (Array.isArray(v) || isObj(v)) return goJSON(v);
  // a key that is there with a null value prints as Go's nil does here; a missing key prints nothing
  if (v === null) return 'null';
  if (v === undefined) return '';
  return String(v);
}

function execute(nodes: Node[], data: Value, root: Value, allowMissing: boolean): string {
  let out = '';
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.t === 'text') out += n.v;
    else if (n.t === 'list') out += evalNodes(n.nodes, [data], root, allowMissing).map(toText).join(' ');
    else if (n.t === 'range') {
      let depth = 1;
      let j = i + 1;
      for (; j < nodes.length; j++) {
        if (nodes[j].t === 'range') depth++;
        if (nodes[j].t === 'end' && --depth === 0) break;
      }
      // a range without its end runs to the end of the template
      const body = nodes.slice(i + 1, j);
      for (const item of evalNodes(n.nodes, [data], root, allowMissing)) out += execute(body, item, root, allowMissing);
      i = j;
    } else if (n.t === 'end') throw new ParseError('not in range, nothing to end');
  }
  return out;
}

/** The parsed template, or kubectl's parse error. */
function parseOrFail(template: string): Node[] {
  try {
    return parseJsonPath(template);
  } catch (e) {
    if (e instanceof ParseError) throw new CliError(`error: error parsing jsonpath ${template}, ${e.message}`, true);
    throw e;
  }
}

/** `-o jsonpath=TEMPLATE` on one object (or a List): kubectl's output and error texts. */
export function printJsonPath(template: string, data: Value, opts: { allowMissingKeys?: boolean; asJSON?: boolean } = {}): string {
  const nodes = parseOrFail(template);
  try {
    if (opts.asJSON) {
      // jsonpath-as-json: each action's results as one indented JSON array
      return nodes.map((n) => goJSON(n.t === 'text' ? [n.v] : n.t === 'list' ? evalNodes(n.nodes, [data], data, opts.allowMissingKeys ?? true) : [], 4) + '\n').join('');
    }
    return execute(nodes, data, data, opts.allowMissingKeys ?? true);
  } catch (e) {
    if (e instanceof ExecError || e instanceof ParseError) {
      throw new CliError(`error: error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goJSON(data)}\n\n`, true);
    }
    throw e;
  }
}

/**
 * cli-runtime's RelaxedJSONPathExpression: "{.a.b}", ".a.b" and "a.b" all mean {.a.b}, as
 * custom-columns and --sort-by accept them.
 */
export function relaxedJsonPath(expr: string): string {
  const m = /^\{?(.*?)\}?$/.exec(expr.trim())!;
  const inner = m[1];
  if (inner === '') throw new CliError(`error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'`, true);
  return `{${inner.startsWith('.') || inner.startsWith('$') ? inner : '.' + inner}}`;
}

/** The values one {path} selects (missing keys select nothing). */
export function findJsonPath(template: string, data: Value): Value[] {
  const nodes = parseOrFail(template);
  const action = nodes.find((n) => n.t === 'list');
  if (!action || action.t !== 'list') return [];
  try {
    return evalNodes(action.nodes, [data], data, true);
  } catch (e) {
    if (e instanceof ExecError) return [];
    throw e;
  }
}
