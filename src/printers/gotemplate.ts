// Go's text/template as kubectl's -o go-template uses it (cli-runtime pkg/printers/template.go):
// actions {{…}} with {{- -}} trimming and comments, pipelines, variables, if / else if / else,
// range (with else and $i, $e :=), with, parenthesised pipelines, and the builtins labs use
// (index len print printf println eq ne lt le gt ge and or not) plus kubectl's base64decode.
// Values print as Go's %v prints JSON data: map[k:v] with sorted keys, [a b], <no value>.
import { CliError } from '../api/errors';
import { goValue } from '../util/govalue';
import { goJSON } from './jsonpath';

type Value = unknown;
const NO_VALUE = Symbol('no value');

// ---- lexing ----

type Piece = { kind: 'text'; text: string } | { kind: 'action'; src: string; line: number; col: number };

class TemplateError extends Error {}

function lex(src: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) pieces.push({ kind: 'text', text });
      break;
    }
    const trimLeft = src.startsWith('{{- ', open) || src.startsWith('{{-\t', open) || src.startsWith('{{-\n', open);
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text) pieces.push({ kind: 'text', text });
    let start = open + (trimLeft ? 3 : 2);
    const close = findActionEnd(src, start);
    if (close < 0) throw new TemplateError(`template: output:${lineOf(src, open)}: unclosed action`);
    let end = close;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      trimNext = true;
      end = close - 1;
    }
    const body = src.slice(start, end).trim();
    if (!(body.startsWith('/*') && body.endsWith('*/'))) pieces.push({ kind: 'action', src: body, line: lineOf(src, open), col: open - src.lastIndexOf('\n', open - 1) });
    i = close + 2;
    start = i;
  }
  return pieces;
}

function lineOf(src: string, at: number): number {
  return src.slice(0, at).split('\n').length;
}

function findActionEnd(src: string, from: number): number {
  let quote = '';
  for (let i = from; i < src.length - 1; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === '`') quote = c;
    else if (c === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

// ---- parsing ----

type Operand =
  | { t: 'field'; base: 'dot' | 'root' | { var: string } | { sub: Pipeline }; path: string[] }
  | { t: 'lit'; v: Value }
  | { t: 'func'; name: string };
interface Command {
  args: Operand[];
}
interface Pipeline {
  decl: string[];
  assign: boolean;
  cmds: Command[];
  src: string;
}
type Tree =
  | { t: 'text'; text: string }
  | { t: 'out'; pipe: Pipeline; line: number; col: number }
  | { t: 'if' | 'with'; pipe: Pipeline; then: Tree[]; else: Tree[] }
  | { t: 'range'; pipe: Pipeline; body: Tree[]; else: Tree[] };

function tokenize(s: string, line: number): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += c === '"' && s[j] === '\\' ? 2 : 1;
      if (j >= s.length) throw new TemplateError(`template: output:${line}: unterminated quoted string`);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
    } else if ('()|'.includes(c)) {
      toks.push(c);
      i++;
    } else if (c === ':' && s[i + 1] === '=') {
      toks.push(':=');
      i += 2;
    } else if (c === ',') {
      toks.push(',');
      i++;
    } else {
      let j = i;
      while (j < s.length && !/\s/.test(s[j]) && !'()|,'.includes(s[j]) && !(s[j] === ':' && s[j + 1] === '=')) {
        if (s[j] === '.' && j > i && s[j - 1] === ')') break;
        j++;
      }
      toks.push(s.slice(i, j));
      i = j;
    }
  }
  return toks;
}

function parsePipeline(src: string, line: number): Pipeline {
  const toks = tokenize(src, line);
  let pos = 0;
  const decl: string[] = [];
  let assign = false;
  // "$x :=", "$i, $e :=", "$x ="
  const declEnd = toks.findIndex((t) => t === ':=' || t === '=');
  if (declEnd > 0 && toks.slice(0, declEnd).every((t) => t.startsWith('$') || t === ',')) {
    for (const t of toks.slice(0, declEnd)) if (t !== ',') decl.push(t);
    assign = toks[declEnd] === '=';
    pos = declEnd + 1;
  }
  const cmds: Command[] = [];
  const parseCmd = (): Command => {
    const args: Operand[] = [];
    while (pos < toks.length && toks[pos] !== '|' && toks[pos] !== ')') args.push(parseOperand());
    if (args.length === 0) throw new TemplateError(`template: output:${line}: missing value for command`);
    return { args };
  };
  const parseOperand = (): Operand => {
    const tok = toks[pos++];
    if (tok === '(') {
      const start = pos;
      let depth = 1;
      while (pos < toks.length && depth > 0) {
        if (toks[pos] === '(') depth++;
        if (toks[pos] === ')') depth--;
        pos++;
      }
      if (depth) throw new TemplateError(`template: output:${line}: unclosed left paren`);
      const sub = parsePipeline(toks.slice(start, pos - 1).join(' '), line);
      const path: string[] = [];
      while (pos < toks.length && toks[pos].startsWith('.') && toks[pos] !== '.') path.push(...toks[pos++].split('.').filter(Boolean));
      return { t: 'field', base: { sub }, path };
    }
    if (tok.startsWith('"')) {
      try {
        return { t: 'lit', v: JSON.parse(tok) };
      } catch {
        throw new TemplateError(`template: output:${line}: unterminated quoted string`);
      }
    }
    if (tok.startsWith('`')) return { t: 'lit', v: tok.slice(1, -1) };
    if (tok === 'true' || tok === 'false') return { t: 'lit', v: tok === 'true' };
    if (tok === 'nil') return { t: 'lit', v: null };
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(tok) || /^0x[0-9a-f]+$/i.test(tok)) return { t: 'lit', v: Number(tok) };
    if (tok === '.') return { t: 'field', base: 'dot', path: [] };
    if (tok.startsWith('.')) {
      const parts = tok.split('.').slice(1);
      if (parts.some((p) => !/^[A-Za-z_][\w]*$/.test(p))) throw new TemplateError(`template: output:${line}: unexpected "${tok.slice(tok.search(/\.(?![A-Za-z_])/))}" in operand`);
      return { t: 'field', base: 'dot', path: parts };
    }
    if (tok.startsWith('$')) {
      const [name, ...rest] = tok.split('.');
      return name === '$' ? { t: 'field', base: 'root', path: rest } : { t: 'field', base: { var: name }, path: rest };
    }
    if (/^[A-Za-z_]\w*$/.test(tok)) {
      if (!FUNCS[tok]) throw new TemplateError(`template: output:${line}: function "${tok}" not defined`);
      return { t: 'func', name: tok };
    }
    throw new TemplateError(`template: output:${line}: unexpected "${tok}" in command`);
  };
  cmds.push(parseCmd());
  while (pos < toks.length && toks[pos] === '|') {
    pos++;
    cmds.push(parseCmd());
  }
  if (pos < toks.length) throw new TemplateError(`template: output:${line}: unexpected "${toks[pos]}" in command`);
  return { decl, assign, cmds, src };
}

function parse(pieces: Piece[]): Tree[] {
  let pos = 0;
  const parseList = (stop: Set<string>): { nodes: Tree[]; ended: string } => {
    const nodes: Tree[] = [];
    while (pos < pieces.length) {
      const p = pieces[pos++];
      if (p.kind === 'text') {
        nodes.push({ t: 'text', text: p.text });
        continue;
      }
      const word = p.src.split(/\s+/)[0];
      if (stop.has(word)) return { nodes, ended: p.src };
      if (word === 'if' || word === 'with' || word === 'range') {
        nodes.push(parseBlock(word, p.src.slice(word.length).trim(), p.line));
        continue;
      }
      if (word === 'end' || word === 'else') throw new TemplateError(`template: output:${p.line}: unexpected {{${word}}}`);
      if (word === 'define' || word === 'template' || word === 'block') throw new TemplateError(`template: output:${p.line}: unsupported action ${word}`);
      nodes.push({ t: 'out', pipe: parsePipeline(p.src, p.line), line: p.line, col: p.col });
    }
    if (stop.size) throw new TemplateError(`template: output:${pieces.length ? (pieces[pieces.length - 1] as { line?: number }).line ?? 1 : 1}: unexpected EOF`);
    return { nodes, ended: '' };
  };
  const parseBlock = (kind: 'if' | 'with' | 'range', src: string, line: number): Tree => {
    const pipe = parsePipeline(src, line);
    const body = parseList(new Set(['end', 'else']));
    let elseNodes: Tree[] = [];
    if (body.ended.startsWith('else')) {
      const rest = body.ended.slice(4).trim();
      if (rest.startsWith('if ') && kind === 'if') {
        // {{else if X}} is {{else}}{{if X}}…{{end}} sharing the outer end
        elseNodes = [parseBlock('if', rest.slice(3), line)];
      } else elseNodes = parseList(new Set(['end'])).nodes;
    }
    if (kind === 'range') return { t: 'range', pipe, body: body.nodes, else: elseNodes };
    return { t: kind, pipe, then: body.nodes, else: elseNodes };
  };
  return parseList(new Set()).nodes;
}

// ---- evaluation ----

class ExecError extends Error {}

interface Scope {
  dot: Value;
  vars: Map<string, Value>[];
}

const isMap = (v: Value): v is Record<string, Value> => !!v && typeof v === 'object' && !Array.isArray(v);

function truth(v: Value): boolean {
  if (v === NO_VALUE || v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

function lookupVar(s: Scope, name: string): Value {
  for (let i = s.vars.length - 1; i >= 0; i--) if (s.vars[i].has(name)) return s.vars[i].get(name);
  throw new ExecError(`undefined variable: ${name}`);
}

function field(v: Value, name: string): Value {
  if (v === NO_VALUE || v === null || v === undefined) return NO_VALUE;
  if (isMap(v)) return name in v ? v[name] : NO_VALUE;
  throw new ExecError(`can't evaluate field ${name} in type ${goType(v)}`);
}

function goType(v: Value): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'interface {}';
}

function evalOperand(op: Operand, s: Scope, root: Value, final: Value[] | undefined): Value {
  if (op.t === 'lit') return op.v;
  if (op.t === 'func') return callFunc(op.name, final ?? []);
  let v: Value = op.base === 'dot' ? s.dot : op.base === 'root' ? root : 'var' in op.base ? lookupVar(s, op.base.var) : evalPipeline(op.base.sub, s, root);
  for (const p of op.path) v = field(v, p);
  return v;
}

function evalCommand(cmd: Command, s: Scope, root: Value, piped: Value[]): Value {
  const [head, ...rest] = cmd.args;
  if (head.t === 'func') {
    const args = rest.map((a) => evalOperand(a, s, root, undefined));
    // an integer constant in the template is a Go int; a number from the object is an int64
    // (the unstructured decoder's), as fmt's %!(EXTRA int=1) shows
    const types = rest.map((a) => (a.t === 'lit' && typeof a.v === 'number' && Number.isInteger(a.v) ? 'int' : undefined));
    return callFunc(head.name, [...args, ...piped], types);
  }
  if (rest.length || piped.length) throw new ExecError(`can't give argument to non-function ${describe(head)}`);
  return evalOperand(head, s, root, undefined);
}

function describe(op: Operand): string {
  if (op.t === 'field') return op.path.length ? `.${op.path.join('.')}` : '.';
  if (op.t === 'lit') return JSON.stringify(op.v);
  return op.name;
}

function evalPipeline(p: Pipeline, s: Scope, root: Value): Value {
  let v: Value = undefined;
  p.cmds.forEach((cmd, i) => {
    v = evalCommand(cmd, s, root, i === 0 ? [] : [v]);
  });
  if (p.decl.length) {
    const target = p.assign ? s.vars.find((m) => m.has(p.decl[0])) ?? s.vars[s.vars.length - 1] : s.vars[s.vars.length - 1];
    target.set(p.decl[0], v);
  }
  return v;
}

function execList(nodes: Tree[], s: Scope, root: Value): string {
  let out = '';
  for (const n of nodes) {
    switch (n.t) {
      case 'text':
        out += n.text;
        break;
      case 'out': {
        let v: Value;
        try {
          v = evalPipeline(n.pipe, s, root);
        } catch (e) {
          if (e instanceof ExecError) throw new ExecError(`template: output:${n.line}:${n.col + 1}: executing "output" at <${n.pipe.src}>: ${e.message}`);
          throw e;
        }
        if (!n.pipe.decl.length) out += printValue(v);
        break;
      }
      case 'if':
      case 'with': {
        s.vars.push(new Map());
        const v = evalPipeline(n.pipe, s, root);
        if (truth(v)) out += execList(n.then, n.t === 'with' ? { dot: v, vars: s.vars } : s, root);
        else out += execList(n.else, s, root);
        s.vars.pop();
        break;
      }
      case 'range': {
        s.vars.push(new Map());
        const v = evalPipeline({ ...n.pipe, decl: [] }, s, root);
        const entries: [Value, Value][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : isMap(v) ? Object.keys(v).sort().map((k) => [k, v[k]]) : [];
        if (v !== NO_VALUE && v !== null && v !== undefined && !Array.isArray(v) && !isMap(v)) throw new ExecError(`range can't iterate over ${printValue(v)}`);
        if (entries.length === 0) out += execList(n.else, s, root);
        for (const [k, item] of entries) {
          const vars = new Map<string, Value>();
          if (n.pipe.decl.length === 1) vars.set(n.pipe.decl[0], item);
          if (n.pipe.decl.length === 2) {
            vars.set(n.pipe.decl[0], k);
            vars.set(n.pipe.decl[1], item);
          }
          s.vars.push(vars);
          out += execList(n.body, { dot: item, vars: s.vars }, root);
          s.vars.pop();
        }
        s.vars.pop();
        break;
      }
    }
  }
  return out;
}

function printValue(v: Value): string {
  if (v === NO_VALUE) return '<no value>';
  return goValue(v);
}

// ---- functions ----

function num(v: Value, fn: string): number {
  if (typeof v !== 'number') throw new ExecError(`error calling ${fn}: incompatible types for comparison`);
  return v;
}

function basic(v: Value): Value {
  return v === NO_VALUE ? null : v;
}

const FUNCS: Record<string, (args: Value[], types?: (string | undefined)[]) => Value> = {
  and: (a) => a.find((x) => !truth(x)) ?? a[a.length - 1],
  or: (a) => a.find((x) => truth(x)) ?? a[a.length - 1],
  not: (a) => !truth(a[0]),
  len: (a) => {
    const v = a[0];
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    throw new ExecError(`error calling len: len of type ${goType(v)}`);
  },
  index: (a) => {
    let v = a[0];
    for (const k of a.slice(1)) {
      if (Array.isArray(v)) {
        if (typeof k !== 'number' || k < 0 || k >= v.length) throw new ExecError(`error calling index: index out of range: ${printValue(k)}`);
        v = v[k];
      } else if (isMap(v)) v = String(k) in v ? v[String(k)] : NO_VALUE;
      else if (v === NO_VALUE || v === null) throw new ExecError('error calling index: index of untyped nil');
      else throw new ExecError(`error calling index: can't index item of type ${goType(v)}`);
    }
    return v;
  },
  print: (a) => a.map((x, i) => (i > 0 && typeof x !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + printValue(x)).join(''),
  println: (a) => a.map(printValue).join(' ') + '\n',
  printf: (a, types) => sprintf(String(a[0]), a.slice(1), types?.slice(1)),
  eq: (a) => {
    const x = basic(a[0]);
    return a.slice(1).some((y) => basic(y) === x);
  },
  ne: (a) => basic(a[0]) !== basic(a[1]),
  lt: (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? a[0] < a[1] : num(a[0], 'lt') < num(a[1], 'lt')),
  le: (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? a[0] <= a[1] : num(a[0], 'le') <= num(a[1], 'le')),
  gt: (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? a[0] > a[1] : num(a[0], 'gt') > num(a[1], 'gt')),
  ge: (a) => (typeof a[0] === 'string' && typeof a[1] === 'string' ? a[0] >= a[1] : num(a[0], 'ge') >= num(a[1], 'ge')),
  base64decode: (a) => Buffer.from(String(a[0]), 'base64').toString('utf8'),
  base64encode: (a) => Buffer.from(String(a[0]), 'utf8').toString('base64'),
};

function callFunc(name: string, args: Value[], types: (string | undefined)[] = []): Value {
  return FUNCS[name](args, types);
}

/** Go's fmt parsenum: a width or precision past 1e6 with more digits to come is an overflow. */
function numberOverflows(digits: string | undefined): boolean {
  let n = 0;
  for (const d of digits ?? '') {
    if (n > 1e6) return true;
    n = n * 10 + Number(d);
  }
  return false;
}

/**
 * The fmt verbs templates use: %s %d %v %q %t %f %x %%, with flags, width and precision. As Go's
 * fmt: a width or precision that overflows ends the format with %!(NOVERB) (rather than a string of
 * a billion characters), and arguments left over are listed as %!(EXTRA type=value, …).
 */
export function sprintf(format: string, args: Value[], types: (string | undefined)[] = []): string {
  const typeOf = (i: number) => types[i] ?? goType(args[i]);
  const bad = /%[-+# 0]*(\d+)?(?:\.(\d+))?/g;
  for (let m = bad.exec(format); m; m = bad.exec(format)) {
    if (format[m.index + 1] === '%' && m[0] === '%') continue;
    if (numberOverflows(m[1]) || numberOverflows(m[2])) {
      const used: Value[] = [];
      const head = sprintfAll(format.slice(0, m.index), args, used, typeOf);
      return head + '%!(NOVERB)' + extra(args, used.length, typeOf);
    }
  }
  const used: Value[] = [];
  const out = sprintfAll(format, args, used, typeOf);
  return out + extra(args, used.length, typeOf);
}

function extra(args: Value[], from: number, typeOf: (i: number) => string): string {
  const rest = args.slice(from).map((v, i) => `${typeOf(from + i)}=${printValue(v)}`);
  return rest.length ? `%!(EXTRA ${rest.join(', ')})` : '';
}

/** fmt's %s of a value: applied to each element of a list or map, as fmt does, in Go's key order. */
function formatS(v: Value): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined || v === NO_VALUE) return '%!s(<nil>)';
  if (typeof v === 'number' || typeof v === 'boolean') return `%!s(${goType(v)}=${String(v)})`;
  if (Array.isArray(v)) return `[${v.map(formatS).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${formatS(v[k])}`).join(' ')}]`;
  return printValue(v);
}

function sprintfAll(format: string, args: Value[], used: Value[], typeOf: (i: number) => string = (i) => goType(args[i])): string {
  let i = 0;
  const out = format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const v = args[i++];
    // a missing key reaches a function as a nil interface: fmt prints %!s(<nil>), %v <nil>
    const nil = v === NO_VALUE || v === null || v === undefined;
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof v === 'number' ? String(Math.trunc(v)) : nil ? '%!d(<nil>)' : `%!d(${typeOf(i - 1)}=${printValue(v)})`;
        break;
      case 's':
        if (nil) s = '%!s(<nil>)';
        else if (typeof v === 'number' || typeof v === 'boolean') s = `%!s(${typeOf(i - 1)}=${printValue(v)})`;
        else s = formatS(v);
        if (prec !== undefined && !nil) s = s.slice(0, Number(prec));
        break;
      case 'v':
        s = nil ? '<nil>' : printValue(v);
        break;
      case 'q':
        s = JSON.stringify(typeof v === 'string' ? v : printValue(v));
        break;
      case 't':
        s = String(!!v);
        break;
      case 'f':
        s = typeof v === 'number' ? v.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${typeOf(i - 1)}=${printValue(v)})`;
        break;
      case 'x':
        s = typeof v === 'number' ? Math.trunc(v).toString(16) : Buffer.from(String(v)).toString('hex');
        break;
      default:
        s = `%!${verb}(${typeOf(i - 1)}=${printValue(v)})`;
    }
    if (width !== undefined && s.length < Number(width)) {
      const pad = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(Number(width) - s.length);
      s = flags.includes('-') ? s + pad.replace(/0/g, ' ') : pad + s;
    }
    return s;
  });
  used.push(...args.slice(0, i));
  return out;
}

export class TemplateExecError extends CliError {
  constructor(message: string, public stdout: string) {
    super(message, true);
  }
}

/** -o go-template=T: kubectl's output and error texts. */
export function printGoTemplate(template: string, data: Value): string {
  let tree: Tree[];
  try {
    tree = parse(lex(template));
  } catch (e) {
    if (e instanceof TemplateError) throw new CliError(`error: error parsing template ${template}, ${e.message}`, true);
    throw e;
  }
  try {
    return execList(tree, { dot: data, vars: [new Map([['$', data]])] }, data);
  } catch (e) {
    if (e instanceof ExecError) {
      // kubectl prints the debugging text on stdout and the error on stderr
      const debug = `Error executing template: ${e.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\traw data was:\n\t\t${goJSON(data)}\n\tobject given to template engine was:\n\t\t${goValue(data)}\n\n`;
      throw new TemplateExecError(`error: error executing template ${JSON.stringify(template)}: ${e.message}`, debug);
    }
    throw e;
  }
}
