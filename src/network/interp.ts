// The shell language of `sh -c '…'`, `exec -it POD -- sh` and `ssh NODE`: POSIX sh as busybox ash,
// dash and bash parse and run it (POSIX.1-2017 XCU chapter 2, "Shell Command Language"): lists with
// ; & && ||, pipelines, redirections, for / while / until / if / case, { } and ( ), functions,
// parameter expansion ($VAR ${VAR:-x} ${#VAR} $? $$ $1 "$@"), command substitution $(…) and `…`,
// arithmetic $((…)), field splitting and globbing of the last path component. Pure computation: the
// programs, the files and the environment come from the host (src/network/shell.ts), which knows the
// image. The three dialects differ only in their messages, which are the learner's clue to which
// shell they are in: busybox ash "sh: x: not found", dash "sh: 1: x: not found", bash "bash: x:
// command not found".

export type Dialect = 'ash' | 'dash' | 'bash';

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
  /** the shell's `exit` ran: an interactive session ends here */
  exit?: boolean;
  /** stdout as bytes, when they are no UTF-8 text (tar's archive): what a byte stream sends */
  stdoutBytes?: Buffer;
  /** the program wrote its stderr before its stdout (tar's note on the member names comes before the archive) */
  stderrFirst?: boolean;
}

/** Standard input as one buffer that `read` and the programs consume from the front. */
export interface Stdin {
  buf: string;
  pos: number;
  /** the input as the bytes that came (a stream's stdin: tar xf - reads an archive, not text) */
  bytes?: Buffer;
}

/** The files a shell sees: the image's, plus what the session wrote (src/network/container.ts). */
export interface Fs {
  read(path: string): string | undefined;
  isDir(path: string): boolean;
  /** false when the directory does not exist */
  write(path: string, text: string, append: boolean): boolean;
  /** why creating or writing the path fails (a read-only mount or root file system, a non-root user's Permission denied), if it does */
  writeError?(path: string, follow?: boolean): string | undefined;
  /** what is at a path itself (a symbolic link is not followed): `test -L` */
  lstat?(path: string): { type: 'f' | 'd' | 'l' } | undefined;
  /** a file's permission bits, links followed: `test -x` */
  fileMode?(path: string): number | undefined;
}

export interface Session {
  dialect: Dialect;
  /** $0: the name the shell was started as ("sh", "/bin/sh", "bash") */
  arg0: string;
  vars: Map<string, string>;
  exported: Set<string>;
  funcs: Map<string, Node>;
  positional: string[];
  cwd: string;
  last: number;
  pid: number;
  nextPid: number;
  interactive: boolean;
  /** a shell process that stays while the user types (exec -i POD -- sh): `ps` shows it */
  resident?: boolean;
  tty: boolean;
  errexit: boolean;
  xtrace: boolean;
  /** lines already read by this shell (from an interactive or piped stdin): messages count on from there */
  lineOffset?: number;
  /** files the session wrote, by absolute path (null: removed); directories it made */
  files: Map<string, string | null>;
  dirs: Set<string>;
}

export interface Host {
  fs: Fs;
  /** A program of the image (not a builtin); undefined when the image has no such program. */
  run(argv: string[], stdin: Stdin, sess: Session): Result | undefined;
  /** Where a program lives, for `command -v`, `type` and `which`; undefined when absent. */
  which(name: string): string | undefined;
}

/** How many loop iterations a command line may take before kubesim stops it (a real shell goes on until ^C). */
export const LOOP_LIMIT = 1000;
const STEP_LIMIT = 50000;
const DEPTH_LIMIT = 64;
const OUTPUT_LIMIT = 4 << 20;

// ---------------------------------------------------------------- tokens

type Tok = { k: 'w'; v: string; line: number } | { k: 'op'; v: string; line: number; fd?: number } | { k: 'nl'; line: number } | { k: 'eof'; line: number };

/** The input ends inside a construct: an interactive shell asks for more with PS2 ("> "). */
class Incomplete extends Error {
  constructor(public expecting?: string) {
    super('incomplete');
  }
}

class SyntaxErr extends Error {
  constructor(public tok: string, public line: number) {
    super('syntax');
  }
}

const META = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** The end of a $(…), `…`, ${…} or quoted run starting at i (after its opener); throws Incomplete at the end of input. */
function skipParen(src: string, i: number): number {
  let depth = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'") i = skipSingle(src, i + 1);
    else if (c === '"') i = skipDouble(src, i + 1);
    else if (c === '`') i = skipBacktick(src, i + 1);
    else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
      if (depth === 0) return i;
    } else i++;
  }
  throw new Incomplete(')');
}

function skipSingle(src: string, i: number): number {
  const j = src.indexOf("'", i);
  if (j < 0) throw new Incomplete("'");
  return j + 1;
}

function skipDouble(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '$' && src[i + 1] === '(') i = skipParen(src, i + 2);
    else if (c === '$' && src[i + 1] === '{') i = skipBrace(src, i + 2);
    else if (c === '`') i = skipBacktick(src, i + 1);
    else i++;
  }
  throw new Incomplete('"');
}

function skipBacktick(src: string, i: number): number {
  while (i < src.length) {
    if (src[i] === '\\') i += 2;
    else if (src[i] === '`') return i + 1;
    else i++;
  }
  throw new Incomplete('`');
}

function skipBrace(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'") i = skipSingle(src, i + 1);
    else if (c === '"') i = skipDouble(src, i + 1);
    else if (c === '}') return i + 1;
    else i++;
  }
  throw new Incomplete('}');
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  const heredocs: { tok: Tok & { k: 'w' }; delim: string; quoted: boolean; strip: boolean }[] = [];
  let i = 0;
  let line = 1;
  const lineAt = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (src[k] === '\n') line++;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      toks.push({ k: 'nl', line });
      line++;
      i++;
      for (const h of heredocs.splice(0)) {
        let body = '';
        for (;;) {
          if (i >= src.length) throw new Incomplete(h.delim);
          const nl = src.indexOf('\n', i);
          let text = nl < 0 ? src.slice(i) : src.slice(i, nl);
          i = nl < 0 ? src.length : nl + 1;
          line++;
          if (h.strip) text = text.replace(/^\t+/, '');
          if (text === h.delim) break;
          if (nl < 0) throw new Incomplete(h.delim);
          body += text + '\n';
        }
        h.tok.v = `\x01${h.quoted ? 'q' : 'u'}${body}`;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const redir = /^(\d*)(>>|>&|<&|>\||<>|<<-?|&>|>|<)/.exec(src.slice(i, i + 8));
    if (redir && !(redir[2] === '&>' && redir[1])) {
      toks.push({ k: 'op', v: redir[2], line, fd: redir[1] ? Number(redir[1]) : undefined });
      i += redir[0].length;
      if (redir[2].startsWith('<<')) {
        // a here-document: its body is the lines after this one, up to the delimiter
        while (src[i] === ' ' || src[i] === '\t') i++;
        const start = i;
        while (i < src.length && !META.has(src[i])) {
          if (src[i] === "'") i = skipSingle(src, i + 1);
          else if (src[i] === '"') i = skipDouble(src, i + 1);
          else i++;
        }
        const raw = src.slice(start, i);
        if (!raw) throw new SyntaxErr(src[i] === '\n' || i >= src.length ? 'newline' : src[i], line);
        const tok: Tok & { k: 'w' } = { k: 'w', v: '', line };
        toks.push(tok);
        heredocs.push({ tok, delim: raw.replace(/['"\\]/g, ''), quoted: /['"\\]/.test(raw), strip: redir[2] === '<<-' });
      }
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;') {
      toks.push({ k: 'op', v: two, line });
      i += 2;
      continue;
    }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      toks.push({ k: 'op', v: c, line });
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    while (i < src.length && !META.has(src[i])) {
      const ch = src[i];
      if (ch === '\\') {
        if (i + 1 >= src.length) throw new Incomplete();
        i += 2;
      } else if (ch === "'") i = skipSingle(src, i + 1);
      else if (ch === '"') i = skipDouble(src, i + 1);
      else if (ch === '`') i = skipBacktick(src, i + 1);
      else if (ch === '$' && src[i + 1] === '(') i = skipParen(src, i + 2);
      else if (ch === '$' && src[i + 1] === '{') i = skipBrace(src, i + 2);
      else i++;
    }
    lineAt(start, i);
    toks.push({ k: 'w', v: src.slice(start, i), line: startLine });
  }
  if (heredocs.length) throw new Incomplete(heredocs[0].delim);
  toks.push({ k: 'eof', line });
  return toks;
}

// ---------------------------------------------------------------- syntax tree

export interface Redir {
  fd: number;
  op: string;
  target: string;
}

export type Node =
  | { t: 'simple'; assigns: string[]; words: string[]; redirs: Redir[]; line: number }
  | { t: 'pipe'; cmds: Node[]; neg: boolean }
  | { t: 'andor'; first: Node; rest: { op: string; node: Node }[] }
  | { t: 'list'; items: { node: Node; bg: boolean }[] }
  | { t: 'for'; name: string; words?: string[]; body: Node }
  | { t: 'while'; until: boolean; cond: Node; body: Node }
  | { t: 'if'; clauses: { cond: Node; body: Node }[]; else?: Node }
  | { t: 'case'; word: string; items: { pats: string[]; body: Node }[] }
  | { t: 'group'; body: Node; sub: boolean }
  | { t: 'func'; name: string; body: Node }
  | { t: 'redir'; node: Node; redirs: Redir[] };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Parser {
  p = 0;
  constructor(private toks: Tok[]) {}

  peek(): Tok {
    return this.toks[this.p];
  }
  next(): Tok {
    return this.toks[this.p++];
  }
  isWord(v: string): boolean {
    const t = this.peek();
    return t.k === 'w' && t.v === v;
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.v === v;
  }
  skipNl(): void {
    while (this.peek().k === 'nl') this.p++;
  }
  fail(t: Tok, expecting?: string): never {
    if (t.k === 'eof') throw new Incomplete(expecting);
    throw new SyntaxErr(t.k === 'nl' ? 'newline' : t.v, t.line);
  }
  expect(word: string): void {
    const t = this.next();
    if (t.k !== 'w' || t.v !== word) this.fail(t, word);
  }

  program(): Node {
    this.skipNl();
    const list = this.list(new Set());
    const t = this.peek();
    if (t.k !== 'eof') this.fail(t);
    return list;
  }

  list(stops: Set<string>, need?: string): Node & { t: 'list' } {
    const items: { node: Node; bg: boolean }[] = [];
    this.skipNl();
    for (;;) {
      const t = this.peek();
      if (t.k === 'eof' || (t.k === 'op' && (t.v === ')' || t.v === ';;')) || (t.k === 'w' && stops.has(t.v))) break;
      const node = this.andOr();
      const sep = this.peek();
      if (sep.k === 'op' && (sep.v === ';' || sep.v === '&')) {
        this.p++;
        items.push({ node, bg: sep.v === '&' });
        this.skipNl();
        continue;
      }
      items.push({ node, bg: false });
      if (sep.k === 'nl') {
        this.skipNl();
        continue;
      }
      break;
    }
    if (need && !items.length) this.fail(this.peek(), need);
    return { t: 'list', items };
  }

  andOr(): Node {
    const first = this.pipeline();
    const rest: { op: string; node: Node }[] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.next() as { v: string }).v;
      this.skipNl();
      rest.push({ op, node: this.pipeline() });
    }
    return rest.length ? { t: 'andor', first, rest } : first;
  }

  pipeline(): Node {
    let neg = false;
    if (this.isWord('!')) {
      this.p++;
      neg = true;
    }
    const cmds = [this.command()];
    while (this.isOp('|')) {
      this.p++;
      this.skipNl();
      cmds.push(this.command());
    }
    return cmds.length === 1 && !neg ? cmds[0] : { t: 'pipe', cmds, neg };
  }

  command(): Node {
    const t = this.peek();
    if (t.k === 'eof') throw new Incomplete();
    if (t.k === 'op' && t.v === '(') {
      this.p++;
      const body = this.list(new Set(), ')');
      const c = this.next();
      if (c.k !== 'op' || c.v !== ')') this.fail(c, ')');
      return this.redirected({ t: 'group', body, sub: true });
    }
    if (t.k === 'op' && !isRedirOp(t.v)) this.fail(t);
    if (t.k === 'nl') this.fail(t);
    if (t.k === 'w') {
      switch (t.v) {
        case 'if':
          return this.redirected(this.ifClause());
        case 'for':
          return this.redirected(this.forClause());
        case 'while':
        case 'until':
          return this.redirected(this.whileClause());
        case 'case':
          return this.redirected(this.caseClause());
        case '{': {
          this.p++;
          const body = this.list(new Set(['}']), '}');
          this.expect('}');
          return this.redirected({ t: 'group', body, sub: false });
        }
        case 'then':
        case 'else':
        case 'elif':
        case 'fi':
        case 'do':
        case 'done':
        case 'esac':
        case '}':
        case 'in':
          this.fail(t);
      }
      const a = this.toks[this.p + 1];
      const b = this.toks[this.p + 2];
      if (NAME.test(t.v) && a?.k === 'op' && a.v === '(' && b?.k === 'op' && b.v === ')') {
        this.p += 3;
        this.skipNl();
        const body = this.command();
        return { t: 'func', name: t.v, body };
      }
    }
    return this.simple();
  }

  redirected(node: Node): Node {
    const redirs = this.redirs();
    return redirs.length ? { t: 'redir', node, redirs } : node;
  }

  redirs(): Redir[] {
    const out: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || !isRedirOp(t.v)) return out;
      this.p++;
      const target = this.next();
      if (target.k !== 'w') this.fail(target);
      out.push({ fd: t.fd ?? (t.v.startsWith('<') ? 0 : 1), op: t.v, target: target.v });
    }
  }

  simple(): Node {
    const assigns: string[] = [];
    const words: string[] = [];
    const redirs: Redir[] = [];
    const line = this.peek().line;
    for (;;) {
      const t = this.peek();
      if (t.k === 'w') {
        this.p++;
        if (!words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.v)) assigns.push(t.v);
        else words.push(t.v);
      } else if (t.k === 'op' && isRedirOp(t.v)) redirs.push(...this.redirs());
      else break;
    }
    if (!assigns.length && !words.length && !redirs.length) this.fail(this.peek());
    return { t: 'simple', assigns, words, redirs, line };
  }

  ifClause(): Node {
    this.p++;
    const clauses: { cond: Node; body: Node }[] = [];
    let cond = this.list(new Set(['then']), 'then');
    this.expect('then');
    let body = this.list(new Set(['elif', 'else', 'fi']), 'fi');
    clauses.push({ cond, body });
    let otherwise: Node | undefined;
    for (;;) {
      const t = this.next();
      if (t.k === 'w' && t.v === 'elif') {
        cond = this.list(new Set(['then']), 'then');
        this.expect('then');
        body = this.list(new Set(['elif', 'else', 'fi']), 'fi');
        clauses.push({ cond, body });
      } else if (t.k === 'w' && t.v === 'else') {
        otherwise = this.list(new Set(['fi']), 'fi');
        this.expect('fi');
        break;
      } else if (t.k === 'w' && t.v === 'fi') break;
      else this.fail(t, 'fi');
    }
    return { t: 'if', clauses, else: otherwise };
  }

  forClause(): Node {
    this.p++;
    const n = this.next();
    if (n.k !== 'w') this.fail(n, 'in');
    if (!NAME.test(n.v)) throw new SyntaxErr(n.v, n.line);
    this.skipNl();
    let words: string[] | undefined;
    if (this.isWord('in')) {
      this.p++;
      words = [];
      while (this.peek().k === 'w') words.push((this.next() as { v: string }).v);
      const sep = this.peek();
      if (sep.k === 'op' && sep.v === ';') this.p++;
      else if (sep.k !== 'nl') this.fail(sep, 'do');
    } else if (this.isOp(';')) this.p++;
    this.skipNl();
    this.expect('do');
    const body = this.list(new Set(['done']), 'done');
    this.expect('done');
    return { t: 'for', name: n.v, words, body };
  }

  whileClause(): Node {
    const until = (this.next() as { v: string }).v === 'until';
    const cond = this.list(new Set(['do']), 'do');
    this.expect('do');
    const body = this.list(new Set(['done']), 'done');
    this.expect('done');
    return { t: 'while', until, cond, body };
  }

  caseClause(): Node {
    this.p++;
    const w = this.next();
    if (w.k !== 'w') this.fail(w, 'in');
    this.skipNl();
    this.expect('in');
    this.skipNl();
    const items: { pats: string[]; body: Node }[] = [];
    for (;;) {
      if (this.isWord('esac')) {
        this.p++;
        break;
      }
      if (this.isOp('(')) this.p++;
      const pats: string[] = [];
      for (;;) {
        const pt = this.next();
        if (pt.k !== 'w') this.fail(pt, 'esac');
        pats.push(pt.v);
        if (this.isOp('|')) this.p++;
        else break;
      }
      const close = this.next();
      if (close.k !== 'op' || close.v !== ')') this.fail(close, ')');
      const body = this.list(new Set(['esac']));
      items.push({ pats, body });
      if (this.isOp(';;')) this.p++;
      this.skipNl();
    }
    return { t: 'case', word: w.v, items };
  }
}

function isRedirOp(v: string): boolean {
  return ['>', '>>', '<', '>&', '<&', '>|', '<>', '&>', '<<', '<<-'].includes(v);
}

/** Parses a script; throws Incomplete or SyntaxErr. */
function parse(src: string): Node {
  return new Parser(tokenize(src)).program();
}

/** True when an interactive shell needs another line before it can run what was typed (PS2, "> "). */
export function needsMore(src: string): boolean {
  try {
    parse(src);
    return false;
  } catch (e) {
    return e instanceof Incomplete;
  }
}

// ---------------------------------------------------------------- running

class ExitSignal {
  constructor(public code: number) {}
}
class LoopSignal {
  constructor(public kind: 'break' | 'continue', public n: number) {}
}
class ReturnSignal {
  constructor(public code: number) {}
}
class GuardSignal {
  constructor(public why: string) {}
}
/** An expansion error ("bad substitution", arithmetic): the command does not run; a script stops. */
class ExpandError {
  constructor(public msg: string, public code: number) {}
}

interface Io {
  out: string;
  err: string;
}

export const emptyStdin = (): Stdin => ({ buf: '', pos: 0 });

/** The rest of standard input, consumed (what `cat` or `grep` reads). */
export function drain(s: Stdin): string {
  const rest = s.buf.slice(s.pos);
  s.pos = s.buf.length;
  return rest;
}

const BUILTINS = new Set([
  ':', '.', 'true', 'false', 'echo', 'printf', 'cd', 'pwd', 'export', 'unset', 'exit', 'return', 'break', 'continue', 'test', '[', '[[', 'read', 'set', 'shift',
  'local', 'type', 'command', 'eval', 'exec', 'source', 'alias', 'unalias', 'trap', 'wait', 'umask', 'hash', 'readonly', 'let', 'history', 'ulimit', 'times', 'getopts', 'jobs', 'kill',
]);
const BASH_ONLY = new Set(['source', 'let', 'history', '[[']);

export class Interp {
  private steps = 0;
  private loops = 0;
  private depth = 0;
  private noErrexit = 0;

  constructor(public sess: Session, private host: Host) {}

  /** Runs a whole script (a -c string, a typed command or several lines of one compound command). */
  run(src: string, stdin: Stdin = emptyStdin()): Result {
    const io: Io = { out: '', err: '' };
    let code = 0;
    let exit = false;
    try {
      const node = parse(src);
      code = this.exec(node, stdin, io);
    } catch (e) {
      if (e instanceof ExitSignal) {
        code = e.code;
        exit = true;
      } else if (e instanceof SyntaxErr || e instanceof Incomplete) {
        io.err += this.syntaxMessage(e, src);
        code = 2;
        exit = !this.sess.interactive;
      } else if (e instanceof GuardSignal) {
        io.err += `kubesim: ${e.why}\n`;
        code = 130;
        exit = true;
      } else if (e instanceof ExpandError) {
        io.err += e.msg;
        code = e.code;
        exit = !this.sess.interactive;
      } else if (e instanceof LoopSignal || e instanceof ReturnSignal) {
        code = e instanceof ReturnSignal ? e.code : 0;
      } else throw e;
    }
    this.sess.last = code;
    return { stdout: io.out, stderr: io.err, code, ...(exit ? { exit: true } : {}) };
  }

  private prefix(at: number): string {
    const s = this.sess;
    const line = at + (s.lineOffset ?? 0);
    if (s.dialect === 'dash') return `${s.arg0}: ${line}: `;
    if (s.dialect === 'bash') return s.interactive ? `${s.arg0}: ` : `${s.arg0}: line ${line}: `;
    return `${s.arg0}: `;
  }

  private syntaxMessage(e: SyntaxErr | Incomplete, src: string): string {
    const s = this.sess;
    const lines = src.split('\n');
    if (e instanceof Incomplete) {
      const line = lines.length;
      if (s.dialect === 'bash') {
        const what = e.expecting === "'" || e.expecting === '"' || e.expecting === '`' ? `unexpected EOF while looking for matching \`${e.expecting}'\n${s.interactive ? 'bash: ' : `bash: -c: line ${line + 1}: `}syntax error: unexpected end of file` : 'syntax error: unexpected end of file';
        return `${s.interactive ? 'bash: ' : `bash: -c: line ${e.expecting && /['"`]/.test(e.expecting) ? line : line + 1}: `}${what}\n`;
      }
      const exp = e.expecting && !/['"`]/.test(e.expecting) ? ` (expecting "${e.expecting}")` : '';
      if (s.dialect === 'dash') return `${s.arg0}: ${line}: Syntax error: ${e.expecting && /['"`]/.test(e.expecting) ? 'Unterminated quoted string' : `end of file unexpected${exp}`}\n`;
      return `${s.arg0}: syntax error: ${e.expecting && /['"`]/.test(e.expecting) ? 'unterminated quoted string' : `unexpected end of file${exp}`}\n`;
    }
    if (s.dialect === 'bash') {
      const where = s.interactive ? 'bash: ' : `bash: -c: line ${e.line}: `;
      return `${where}syntax error near unexpected token \`${e.tok}'\n${where}\`${(lines[e.line - 1] ?? '').trim()}'\n`;
    }
    if (s.dialect === 'dash') return `${s.arg0}: ${e.line}: Syntax error: "${e.tok}" unexpected\n`;
    return `${s.arg0}: syntax error: unexpected "${e.tok}"\n`;
  }

  private step(): void {
    if (++this.steps > STEP_LIMIT) throw new GuardSignal(`stopped after ${STEP_LIMIT} commands; a real shell would go on until interrupted (Ctrl-C)`);
  }

  private exec(node: Node, stdin: Stdin, io: Io): number {
    if (io.out.length + io.err.length > OUTPUT_LIMIT) throw new GuardSignal('stopped: the output passed 4 MiB');
    switch (node.t) {
      case 'list': {
        let code = this.sess.last;
        for (const item of node.items) {
          code = this.exec(item.node, stdin, io);
          this.sess.last = code;
        }
        return code;
      }
      case 'andor': {
        this.noErrexit++;
        let code: number;
        try {
          code = this.exec(node.first, stdin, io);
          this.sess.last = code;
          for (let i = 0; i < node.rest.length; i++) {
            const { op, node: n } = node.rest[i];
            if ((op === '&&' && code !== 0) || (op === '||' && code === 0)) continue;
            if (i === node.rest.length - 1) this.noErrexit--;
            try {
              code = this.exec(n, stdin, io);
            } finally {
              if (i === node.rest.length - 1) this.noErrexit++;
            }
            this.sess.last = code;
          }
        } finally {
          this.noErrexit--;
        }
        return code;
      }
      case 'pipe': {
        if (node.neg) this.noErrexit++;
        let code = 0;
        try {
          let input = stdin;
          for (let i = 0; i < node.cmds.length; i++) {
            const last = i === node.cmds.length - 1;
            const stage: Io = last ? io : { out: '', err: '' };
            // each stage but the last runs in a subshell: its assignments do not survive
            code = last && node.cmds.length === 1 ? this.exec(node.cmds[i], input, stage) : this.subshell(() => this.exec(node.cmds[i], input, stage));
            if (!last) {
              io.err += stage.err;
              input = { buf: stage.out, pos: 0 };
            }
          }
        } finally {
          if (node.neg) this.noErrexit--;
        }
        return node.neg ? (code === 0 ? 1 : 0) : code;
      }
      case 'simple':
        return this.simple(node, stdin, io);
      case 'group':
        return node.sub ? this.subshell(() => this.exec(node.body, stdin, io)) : this.exec(node.body, stdin, io);
      case 'redir':
        return this.withRedirs(node.redirs, stdin, io, (input, sub) => this.exec(node.node, input, sub));
      case 'func':
        this.sess.funcs.set(node.name, node.body);
        return 0;
      case 'if': {
        for (const c of node.clauses) {
          this.noErrexit++;
          let cond: number;
          try {
            cond = this.exec(c.cond, stdin, io);
          } finally {
            this.noErrexit--;
          }
          if (cond === 0) return this.exec(c.body, stdin, io);
        }
        return node.else ? this.exec(node.else, stdin, io) : 0;
      }
      case 'for': {
        const words = node.words ? node.words.flatMap((w) => this.expand(w, io)) : [...this.sess.positional];
        let code = 0;
        for (const w of words) {
          this.loopStep();
          this.sess.vars.set(node.name, w);
          const r = this.loopBody(() => this.exec(node.body, stdin, io));
          if (r === 'break') break;
          if (typeof r === 'number') code = r;
        }
        return code;
      }
      case 'while': {
        let code = 0;
        for (;;) {
          this.loopStep();
          this.noErrexit++;
          let cond: number;
          try {
            cond = this.exec(node.cond, stdin, io);
          } finally {
            this.noErrexit--;
          }
          if ((cond === 0) === node.until) break;
          const r = this.loopBody(() => this.exec(node.body, stdin, io));
          if (r === 'break') break;
          if (typeof r === 'number') code = r;
        }
        return code;
      }
      case 'case': {
        const word = this.expandOne(node.word, io);
        for (const item of node.items) {
          if (item.pats.some((p) => globToRegExp(this.expandPattern(p, io)).test(word))) return this.exec(item.body, stdin, io);
        }
        return 0;
      }
    }
  }

  private loopStep(): void {
    if (++this.loops > LOOP_LIMIT) throw new GuardSignal(`stopped the loop after ${LOOP_LIMIT} iterations; a real shell would go on until interrupted (Ctrl-C)`);
  }

  private loopBody(fn: () => number): number | 'break' | 'continue' {
    try {
      return fn();
    } catch (e) {
      if (e instanceof LoopSignal) {
        if (e.n > 1) throw new LoopSignal(e.kind, e.n - 1);
        return e.kind;
      }
      throw e;
    }
  }

  /** Runs fn with a copy of the shell's variables, functions, options and directory: a subshell. */
  private subshell(fn: () => number): number {
    const s = this.sess;
    const saved = { vars: s.vars, exported: s.exported, funcs: s.funcs, cwd: s.cwd, positional: s.positional, errexit: s.errexit, xtrace: s.xtrace };
    s.vars = new Map(s.vars);
    s.exported = new Set(s.exported);
    s.funcs = new Map(s.funcs);
    try {
      return fn();
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof LoopSignal) return 0;
      if (e instanceof ExpandError) return e.code;
      throw e;
    } finally {
      Object.assign(s, saved);
    }
  }

  // ------------------------------------------------------------ simple commands

  private simple(node: Node & { t: 'simple' }, stdin: Stdin, io: Io): number {
    this.step();
    let substCode: number | undefined;
    const prevLast = this.sess.last;
    const words: string[] = [];
    const assigns: [string, string][] = [];
    try {
      for (const a of node.assigns) {
        const eq = a.indexOf('=');
        assigns.push([a.slice(0, eq), this.expandOne(a.slice(eq + 1), io, false)]);
      }
      for (const w of node.words) words.push(...this.expand(w, io));
    } catch (e) {
      if (e instanceof ExpandError) {
        io.err += e.msg;
        // an expansion error ends a non-interactive shell (POSIX 2.8.1)
        if (!this.sess.interactive) throw new ExitSignal(e.code);
        return e.code;
      }
      throw e;
    }
    if (this.lastSubst !== undefined) {
      substCode = this.lastSubst;
      this.lastSubst = undefined;
    }
    this.sess.last = prevLast;
    if (!words.length) {
      for (const [k, v] of assigns) this.setVar(k, v);
      if (node.redirs.length) return this.withRedirs(node.redirs, stdin, io, () => substCode ?? 0);
      return substCode ?? 0;
    }
    if (this.sess.xtrace) io.err += `+ ${[...assigns.map(([k, v]) => `${k}=${v}`), ...words].join(' ')}\n`;
    const code = node.redirs.length ? this.withRedirs(node.redirs, stdin, io, (input, sub) => this.invoke(words, assigns, input, sub, node.line)) : this.invoke(words, assigns, stdin, io, node.line);
    if (code !== 0 && this.sess.errexit && this.noErrexit === 0) {
      this.sess.last = code;
      throw new ExitSignal(code);
    }
    return code;
  }

  private lastSubst: number | undefined;

  setVar(name: string, value: string): void {
    this.sess.vars.set(name, value);
    if (name === 'PWD') this.sess.cwd = value;
  }

  private invoke(argv: string[], assigns: [string, string][], stdin: Stdin, io: Io, line: number): number {
    const name = argv[0];
    const fn = this.sess.funcs.get(name);
    if (fn) return this.callFunction(fn, argv, assigns, stdin, io);
    if (BUILTINS.has(name) && !(BASH_ONLY.has(name) && this.sess.dialect === 'dash')) {
      // a special builtin's assignments stay; for the others they are temporary, as for programs
      return this.withTempVars(assigns, ['export', 'readonly', 'local', 'set', 'unset', 'eval', '.', 'exec', 'exit'].includes(name), () => this.builtin(argv, stdin, io, line));
    }
    return this.withTempVars(assigns, false, () => {
      let r = this.host.run(argv, stdin, this.sess);
      // an executable file with no #! line: execve's ENOEXEC, and the shell runs it itself (a new sh)
      if (!r && this.noInterpreter(name)) r = this.host.run([this.sess.dialect === 'bash' ? 'bash' : 'sh', name, ...argv.slice(1)], stdin, this.sess);
      if (!r) {
        const denied = this.notExecutable(name);
        io.err += denied ? `${this.prefix(line)}${name}: ${denied}\n` : this.notFound(name, line);
        return denied ? 126 : 127;
      }
      io.out += r.stdout;
      io.err += r.stderr;
      return r.code;
    });
  }

  /**
   * Why a path that names a file cannot run (execve's EACCES, status 126): a file without an x bit
   * (only where the file system keeps modes: a pod's), a directory (bash: "Is a directory").
   */
  private notExecutable(name: string): string | undefined {
    const fs = this.host.fs;
    if (!name.includes('/') || !fs.fileMode) return undefined;
    const p = resolvePath(this.sess.cwd, name);
    if (fs.isDir(p)) return this.sess.dialect === 'bash' ? 'Is a directory' : 'Permission denied';
    return fs.read(p) !== undefined && ((fs.fileMode(p) ?? 0) & 0o111) === 0 ? 'Permission denied' : undefined;
  }

  /** A file with an x bit that is not a #! script (runProgram runs those). */
  private noInterpreter(name: string): boolean {
    const fs = this.host.fs;
    if (!name.includes('/') || !fs.fileMode) return false;
    const p = resolvePath(this.sess.cwd, name);
    const text = fs.isDir(p) ? undefined : fs.read(p);
    return text !== undefined && ((fs.fileMode(p) ?? 0) & 0o111) !== 0 && !text.startsWith('#!');
  }

  notFound(name: string, line: number): string {
    if (name.includes('/')) {
      if (this.sess.dialect === 'bash') return `${this.prefix(line)}${name}: No such file or directory\n`;
      return `${this.prefix(line)}${name}: not found\n`;
    }
    return this.sess.dialect === 'bash' ? `${this.prefix(line)}${name}: command not found\n` : `${this.prefix(line)}${name}: not found\n`;
  }

  private withTempVars(assigns: [string, string][], keep: boolean, fn: () => number): number {
    if (!assigns.length) return fn();
    const s = this.sess;
    if (keep) {
      for (const [k, v] of assigns) this.setVar(k, v);
      return fn();
    }
    const saved = assigns.map(([k]) => [k, s.vars.get(k), s.exported.has(k)] as const);
    for (const [k, v] of assigns) {
      s.vars.set(k, v);
      s.exported.add(k);
    }
    try {
      return fn();
    } finally {
      for (const [k, v, ex] of saved) {
        if (v === undefined) s.vars.delete(k);
        else s.vars.set(k, v);
        if (!ex) s.exported.delete(k);
      }
    }
  }

  private callFunction(body: Node, argv: string[], assigns: [string, string][], stdin: Stdin, io: Io): number {
    if (++this.depth > DEPTH_LIMIT) {
      this.depth--;
      throw new GuardSignal(`stopped: functions nested deeper than ${DEPTH_LIMIT} calls`);
    }
    const s = this.sess;
    const saved = s.positional;
    s.positional = argv.slice(1);
    try {
      return this.withTempVars(assigns, false, () => this.exec(body, stdin, io));
    } catch (e) {
      if (e instanceof ReturnSignal) return e.code;
      throw e;
    } finally {
      s.positional = saved;
      this.depth--;
    }
  }

  /** Applies redirections around fn: where its stdout and stderr go, what it reads. */
  private withRedirs(redirs: Redir[], stdin: Stdin, io: Io, fn: (stdin: Stdin, io: Io) => number): number {
    type Dest = { kind: 'out' } | { kind: 'err' } | { kind: 'null' } | { kind: 'file'; path: string };
    const fds: Record<number, Dest> = { 1: { kind: 'out' }, 2: { kind: 'err' } };
    let input = stdin;
    for (const r of redirs) {
      if (r.op === '<<' || r.op === '<<-') {
        const body = r.target.slice(2);
        input = { buf: r.target[1] === 'q' ? body : this.expandDouble(body, io), pos: 0 };
        continue;
      }
      let target: string;
      try {
        target = this.expandOne(r.target, io);
      } catch (e) {
        if (e instanceof ExpandError) {
          io.err += e.msg;
          return e.code;
        }
        throw e;
      }
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') continue;
        const from = fds[Number(target)];
        if (/^\d+$/.test(target) && from) fds[r.fd] = from;
        else if (r.op === '>&' && !/^\d+$/.test(target)) {
          const d = this.openOut(target, false, io);
          if (!d) return 1;
          fds[1] = d;
          fds[2] = d;
        }
        continue;
      }
      if (r.op === '<' || r.op === '<>') {
        if (r.fd !== 0) continue;
        const text = target === '/dev/null' ? '' : this.host.fs.read(this.abs(target));
        if (text === undefined) {
          io.err += this.sess.dialect === 'bash' ? `bash: ${target}: No such file or directory\n` : this.sess.dialect === 'dash' ? `${this.sess.arg0}: 1: cannot open ${target}: No such file\n` : `${this.sess.arg0}: can't open '${target}': No such file or directory\n`;
          return 1;
        }
        input = { buf: text, pos: 0 };
        continue;
      }
      const d = this.openOut(target, r.op === '>>', io);
      if (!d) return 1;
      if (r.op === '&>') {
        fds[1] = d;
        fds[2] = d;
      } else fds[r.fd] = d;
    }
    const sub: Io = { out: '', err: '' };
    let code: number;
    try {
      code = fn(input, sub);
    } finally {
      const send = (d: Dest | undefined, text: string) => {
        if (!text || !d) return;
        if (d.kind === 'out') io.out += text;
        else if (d.kind === 'err') io.err += text;
        else if (d.kind === 'file') this.host.fs.write(d.path, text, true);
      };
      send(fds[1], sub.out);
      send(fds[2], sub.err);
    }
    return code;
  }

  private openOut(target: string, append: boolean, io: Io): { kind: 'out' } | { kind: 'err' } | { kind: 'null' } | { kind: 'file'; path: string } | undefined {
    if (target === '/dev/null') return { kind: 'null' };
    if (target === '/dev/stdout' || target === '/dev/tty') return { kind: 'out' };
    if (target === '/dev/stderr') return { kind: 'err' };
    const path = this.abs(target);
    if (this.host.fs.isDir(path)) {
      io.err += this.sess.dialect === 'bash' ? `bash: ${target}: Is a directory\n` : this.sess.dialect === 'dash' ? `${this.sess.arg0}: 1: cannot create ${target}: Is a directory\n` : `${this.sess.arg0}: can't create ${target}: Is a directory\n`;
      return undefined;
    }
    const denied = this.host.fs.writeError?.(path);
    if (denied) {
      io.err += this.sess.dialect === 'bash' ? `bash: ${target}: ${denied}\n` : this.sess.dialect === 'dash' ? `${this.sess.arg0}: 1: cannot create ${target}: ${denied}\n` : `${this.sess.arg0}: can't create ${target}: ${denied}\n`;
      return undefined;
    }
    if (!this.host.fs.write(path, '', append)) {
      io.err += this.sess.dialect === 'bash' ? `bash: ${target}: No such file or directory\n` : this.sess.dialect === 'dash' ? `${this.sess.arg0}: 1: cannot create ${target}: Directory nonexistent\n` : `${this.sess.arg0}: can't create ${target}: nonexistent directory\n`;
      return undefined;
    }
    return { kind: 'file', path };
  }

  abs(p: string): string {
    return resolvePath(this.sess.cwd, p, this.sess.vars.get('HOME') ?? '/');
  }

  // ------------------------------------------------------------ builtins

  private builtin(argv: string[], stdin: Stdin, io: Io, line: number): number {
    const s = this.sess;
    const [name, ...args] = argv;
    const say = (msg: string) => {
      io.err += `${this.prefix(line)}${msg}\n`;
    };
    switch (name) {
      case ':':
      case 'true':
        return 0;
      case 'false':
        return 1;
      case 'echo':
        io.out += echo(args, s.dialect);
        return 0;
      case 'printf': {
        if (!args.length) {
          say(s.dialect === 'bash' ? 'printf: usage: printf [-v var] format [arguments]' : 'printf: usage: printf format [arg ...]');
          return s.dialect === 'bash' ? 2 : 1;
        }
        io.out += printf(args[0], args.slice(1));
        return 0;
      }
      case 'pwd':
        io.out += s.cwd + '\n';
        return 0;
      case 'cd': {
        const home = s.vars.get('HOME') ?? '/';
        let dir = args[0] ?? home;
        if (dir === '-') {
          dir = s.vars.get('OLDPWD') ?? s.cwd;
          io.out += dir + '\n';
        }
        const path = this.abs(dir);
        if (!this.host.fs.isDir(path)) {
          const exists = this.host.fs.read(path) !== undefined;
          if (s.dialect === 'bash') say(`cd: ${dir}: ${exists ? 'Not a directory' : 'No such file or directory'}`);
          else if (s.dialect === 'dash') say(`cd: can't cd to ${dir}`);
          else say(`cd: can't cd to ${dir}: ${exists ? 'Not a directory' : 'No such file or directory'}`);
          return s.dialect === 'bash' ? 1 : 2;
        }
        s.vars.set('OLDPWD', s.cwd);
        s.cwd = path;
        s.vars.set('PWD', path);
        return 0;
      }
      case 'export':
      case 'readonly': {
        if (!args.length || args[0] === '-p') {
          const names = [...s.exported].filter((k) => s.vars.has(k)).sort();
          io.out += names.map((k) => (s.dialect === 'bash' ? `declare -x ${k}="${(s.vars.get(k) ?? '').replace(/(["\\$`])/g, '\\$1')}"\n` : `export ${k}=${shellQuote(s.vars.get(k) ?? '')}\n`)).join('');
          return 0;
        }
        for (const a of args) {
          if (a.startsWith('-')) continue;
          const eq = a.indexOf('=');
          const k = eq < 0 ? a : a.slice(0, eq);
          if (!NAME.test(k)) {
            say(s.dialect === 'bash' ? `${name}: \`${a}': not a valid identifier` : `${name}: bad variable name`);
            return s.dialect === 'bash' ? 1 : 2;
          }
          if (eq >= 0) this.setVar(k, a.slice(eq + 1));
          if (name === 'export') s.exported.add(k);
        }
        return 0;
      }
      case 'local':
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq >= 0) this.setVar(a.slice(0, eq), a.slice(eq + 1));
          else if (!s.vars.has(a)) s.vars.set(a, '');
        }
        return 0;
      case 'unset':
        for (const a of args) {
          if (a === '-v') continue;
          if (a === '-f') continue;
          if (args.includes('-f')) s.funcs.delete(a);
          else {
            s.vars.delete(a);
            s.exported.delete(a);
          }
        }
        return 0;
      case 'exit': {
        if (args.length && !/^-?\d+$/.test(args[0])) {
          if (s.dialect === 'bash') {
            say(`exit: ${args[0]}: numeric argument required`);
            throw new ExitSignal(2);
          }
          say(`exit: Illegal number: ${args[0]}`);
          throw new ExitSignal(2);
        }
        if (s.interactive && s.dialect === 'bash') io.err += 'exit\n';
        throw new ExitSignal(args.length ? ((Number(args[0]) % 256) + 256) % 256 : s.last);
      }
      case 'return':
        throw new ReturnSignal(args.length ? Number(args[0]) & 255 : s.last);
      case 'break':
      case 'continue':
        if (this.loops === 0) return 0;
        throw new LoopSignal(name, Math.max(1, Number(args[0] ?? 1) || 1));
      case 'test':
      case '[':
      case '[[': {
        let a = args;
        const close = name === '[' ? ']' : name === '[[' ? ']]' : undefined;
        if (close) {
          if (a[a.length - 1] !== close) {
            say(s.dialect === 'bash' ? `${name}: missing \`${close}'` : `${name}: missing ${close}`);
            return 2;
          }
          a = a.slice(0, -1);
        }
        const r = testExpr(a, (p) => this.abs(p), this.host.fs, name === '[[');
        if (typeof r === 'string') {
          say(`${name}: ${r}`);
          return 2;
        }
        return r ? 0 : 1;
      }
      case 'read': {
        let raw = false;
        const names: string[] = [];
        for (let i = 0; i < args.length; i++) {
          if (args[i] === '-r') raw = true;
          else if (args[i] === '-p') io.err += args[++i] ?? '';
          else if (!args[i].startsWith('-')) names.push(args[i]);
        }
        if (!names.length) names.push('REPLY');
        if (stdin.pos >= stdin.buf.length) {
          for (const n of names) s.vars.set(n, '');
          return 1;
        }
        const nl = stdin.buf.indexOf('\n', stdin.pos);
        let lineText = nl < 0 ? stdin.buf.slice(stdin.pos) : stdin.buf.slice(stdin.pos, nl);
        stdin.pos = nl < 0 ? stdin.buf.length : nl + 1;
        if (!raw) lineText = lineText.replace(/\\(.)/g, '$1');
        const fields = lineText.trim().split(/[ \t]+/);
        names.forEach((n, i) => s.vars.set(n, i === names.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '')));
        return 0;
      }
      case 'set': {
        if (!args.length) {
          io.out += [...s.vars.keys()].sort().map((k) => `${k}=${shellQuote(s.vars.get(k) ?? '')}\n`).join('');
          return 0;
        }
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (a === '--') {
            s.positional = args.slice(i + 1);
            break;
          }
          if (/^[-+][a-zA-Z]+$/.test(a)) {
            const on = a[0] === '-';
            if (a.includes('e')) s.errexit = on;
            if (a.includes('x')) s.xtrace = on;
            if (a.includes('o')) i++;
          } else {
            s.positional = args.slice(i);
            break;
          }
        }
        return 0;
      }
      case 'shift': {
        const n = Number(args[0] ?? 1);
        if (n > s.positional.length) return 1;
        s.positional = s.positional.slice(n);
        return 0;
      }
      case 'type':
      case 'command': {
        if (name === 'command' && args[0] !== '-v' && args[0] !== '-V') return args.length ? this.invoke(args, [], stdin, io, line) : 0;
        const names = name === 'command' ? args.slice(1) : args;
        let code = 0;
        for (const n of names) {
          const where = s.funcs.has(n) ? 'function' : BUILTINS.has(n) ? 'builtin' : this.host.which(n);
          if (!where) {
            code = 1;
            if (name === 'type') io.err += s.dialect === 'bash' ? `bash: type: ${n}: not found\n` : '';
            if (name === 'type' && s.dialect !== 'bash') io.out += `${n}: not found\n`;
            continue;
          }
          if (name === 'command') io.out += where === 'builtin' || where === 'function' ? `${n}\n` : `${where}\n`;
          else io.out += where === 'builtin' ? `${n} is a shell builtin\n` : where === 'function' ? `${n} is a function\n` : `${n} is ${where}\n`;
        }
        return code;
      }
      case 'eval':
      case '.':
      case 'source': {
        let src = args.join(' ');
        if (name !== 'eval') {
          const text = args[0] === undefined ? undefined : this.host.fs.read(this.abs(args[0]));
          if (text === undefined) {
            say(s.dialect === 'bash' ? `${args[0] ?? name}: No such file or directory` : `.: can't open '${args[0] ?? ''}'`);
            return s.dialect === 'bash' ? 1 : 2;
          }
          src = text;
        }
        if (++this.depth > DEPTH_LIMIT) throw new GuardSignal(`stopped: eval nested deeper than ${DEPTH_LIMIT}`);
        try {
          return this.exec(parse(src), stdin, io);
        } catch (e) {
          if (e instanceof SyntaxErr || e instanceof Incomplete) {
            io.err += this.syntaxMessage(e, src);
            return 2;
          }
          throw e;
        } finally {
          this.depth--;
        }
      }
      case 'exec': {
        if (!args.length) return 0;
        const code = this.invoke(args, [], stdin, io, line);
        throw new ExitSignal(code);
      }
      case 'let': {
        let v = 0;
        for (const a of args) {
          const eq = /^([A-Za-z_]\w*)=(.*)$/.exec(a);
          v = this.arith(eq ? eq[2] : a);
          if (eq) this.setVar(eq[1], String(v));
        }
        return v === 0 ? 1 : 0;
      }
      case 'kill':
        if (!args.length) {
          say(s.dialect === 'bash' ? 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]' : 'kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]');
          return s.dialect === 'bash' ? 2 : 1;
        }
        say(`kill: kubesim does not simulate signals to the container's processes`);
        return 1;
      default:
        // alias, trap, wait, umask, hash, history, ulimit, times, getopts, jobs: nothing to show here
        return 0;
    }
  }

  // ------------------------------------------------------------ expansion

  /** A word's fields after expansion, field splitting and globbing. */
  expand(word: string, io: Io): string[] {
    const fields: string[] = [];
    let cur = '';
    let has = false;
    let glob = false;
    const push = () => {
      if (has || cur) {
        if (glob && /[*?[]/.test(cur)) fields.push(...this.globField(cur));
        else fields.push(cur.replace(/\x00/g, ''));
      }
      cur = '';
      has = false;
      glob = false;
    };
    // unquoted expansion results split on IFS white space
    const addSplit = (text: string) => {
      const parts = text.split(/[ \t\n]+/);
      parts.forEach((p, i) => {
        if (i > 0) push();
        cur += p;
        if (/[*?[]/.test(p)) glob = true;
      });
    };
    const s = word;
    let i = 0;
    if (s[0] === '~' && (s.length === 1 || s[1] === '/')) {
      cur += this.sess.vars.get('HOME') ?? '/';
      i = 1;
    }
    while (i < s.length) {
      const c = s[i];
      if (c === "'") {
        const j = s.indexOf("'", i + 1);
        cur += markQuoted(s.slice(i + 1, j));
        has = true;
        i = j + 1;
      } else if (c === '"') {
        has = true;
        const j = skipDouble(s, i + 1);
        const inner = s.slice(i + 1, j - 1);
        if (inner === '$@') {
          // "$@": one field per positional parameter
          const ps = this.sess.positional;
          ps.forEach((p, k) => {
            if (k > 0) push();
            cur += markQuoted(p);
            has = true;
          });
          if (!ps.length) has = false;
        } else cur += markQuoted(this.expandDouble(inner, io));
        i = j;
      } else if (c === '\\') {
        cur += markQuoted(s[i + 1] ?? '');
        i += 2;
      } else if (c === '$' || c === '`') {
        const { value, end, split } = this.dollar(s, i, io);
        if (split) addSplit(value);
        else cur += value;
        i = end;
      } else {
        if (c === '*' || c === '?' || c === '[') glob = true;
        cur += c;
        i++;
      }
    }
    push();
    return fields;
  }

  /** One string (assignment values, redirection targets, case words): no splitting, no globbing. */
  expandOne(word: string, io: Io, _split = false): string {
    let out = '';
    let i = 0;
    const s = word;
    if (s[0] === '~' && (s.length === 1 || s[1] === '/')) {
      out += this.sess.vars.get('HOME') ?? '/';
      i = 1;
    }
    while (i < s.length) {
      const c = s[i];
      if (c === "'") {
        const j = s.indexOf("'", i + 1);
        out += s.slice(i + 1, j);
        i = j + 1;
      } else if (c === '"') {
        const j = skipDouble(s, i + 1);
        out += this.expandDouble(s.slice(i + 1, j - 1), io);
        i = j;
      } else if (c === '\\') {
        out += s[i + 1] ?? '';
        i += 2;
      } else if (c === '$' || c === '`') {
        const { value, end } = this.dollar(s, i, io);
        out += value;
        i = end;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  /** A case pattern: expansions apply, quoted characters match themselves. */
  private expandPattern(word: string, io: Io): string {
    if (!/['"\\$`]/.test(word)) return word;
    return this.expandOne(word, io).replace(/[*?[\]]/g, (m) => `\\${m}`);
  }

  private expandDouble(inner: string, io: Io): string {
    let out = '';
    let i = 0;
    while (i < inner.length) {
      const c = inner[i];
      if (c === '\\' && i + 1 < inner.length && '$`"\\\n'.includes(inner[i + 1])) {
        out += inner[i + 1] === '\n' ? '' : inner[i + 1];
        i += 2;
      } else if (c === '$' || c === '`') {
        const { value, end } = this.dollar(inner, i, io);
        out += value;
        i = end;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  /** A $ or ` expansion at s[i]: its value, where it ends, and whether it splits when unquoted. */
  private dollar(s: string, i: number, io: Io): { value: string; end: number; split: boolean } {
    if (s[i] === '`') {
      const end = skipBacktick(s, i + 1);
      return { value: this.substitute(s.slice(i + 1, end - 1).replace(/\\([`$\\])/g, '$1'), io), end, split: true };
    }
    const n = s[i + 1];
    if (n === '(' && s[i + 2] === '(') {
      const end = skipParen(s, i + 3);
      if (s[end] === ')') return { value: String(this.arith(s.slice(i + 3, end - 1))), end: end + 1, split: true };
    }
    if (n === '(') {
      const end = skipParen(s, i + 2);
      return { value: this.substitute(s.slice(i + 2, end - 1), io), end, split: true };
    }
    if (n === '{') {
      const end = skipBrace(s, i + 2);
      return { value: this.braced(s.slice(i + 2, end - 1), io), end, split: true };
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!\-])/.exec(s.slice(i + 1));
    if (!m) return { value: '$', end: i + 1, split: false };
    return { value: this.param(m[1]) ?? '', end: i + 1 + m[1].length, split: true };
  }

  private param(name: string): string | undefined {
    const s = this.sess;
    switch (name) {
      case '?':
        return String(s.last);
      case '$':
        return String(s.pid);
      case '#':
        return String(s.positional.length);
      case '@':
      case '*':
        return s.positional.join(' ');
      case '!':
        return '';
      case '-':
        return `${s.errexit ? 'e' : ''}${s.xtrace ? 'x' : ''}${s.interactive ? 'i' : ''}`;
      case '0':
        return s.arg0;
    }
    if (/^\d+$/.test(name)) return s.positional[Number(name) - 1];
    return s.vars.get(name);
  }

  private braced(body: string, io: Io): string {
    const bad = () => {
      throw new ExpandError(this.sess.dialect === 'bash' ? `bash: \${${body}}: bad substitution\n` : `${this.sess.arg0}: ${this.sess.dialect === 'dash' ? '1: ' : ''}syntax error: bad substitution\n`, 2);
    };
    if (body.startsWith('#') && body.length > 1) {
      const v = this.param(body.slice(1));
      if (v === undefined && !NAME.test(body.slice(1)) && !/^[0-9?$#@*]$/.test(body.slice(1))) bad();
      return String((v ?? '').length);
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!\-])(.*)$/s.exec(body);
    if (!m) return bad();
    const v = this.param(m[1]);
    const rest = m[2];
    if (!rest) return v ?? '';
    const op = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%|\/\/|\/)(.*)$/s.exec(rest);
    if (!op) return bad();
    const word = () => this.expandOne(op[2], io);
    const unsetOrNull = v === undefined || (op[1].startsWith(':') && v === '');
    switch (op[1]) {
      case ':-':
      case '-':
        return unsetOrNull ? word() : (v ?? '');
      case ':=':
      case '=':
        if (unsetOrNull) {
          const w = word();
          this.setVar(m[1], w);
          return w;
        }
        return v ?? '';
      case ':+':
      case '+':
        return unsetOrNull ? '' : word();
      case ':?':
      case '?':
        if (unsetOrNull) throw new ExpandError(`${this.prefix(this.sess.vars.has('LINENO') ? 1 : 1)}${m[1]}: ${op[2] ? word() : 'parameter not set'}\n`, this.sess.dialect === 'bash' ? 1 : 2);
        return v ?? '';
      case '#':
      case '##': {
        const re = globToRegExp(word(), false);
        const val = v ?? '';
        const lens = Array.from({ length: val.length + 1 }, (_x, k) => k);
        if (op[1] === '##') lens.reverse();
        for (const k of lens) if (re.test(val.slice(0, k))) return val.slice(k);
        return val;
      }
      case '%':
      case '%%': {
        const re = globToRegExp(word(), false);
        const val = v ?? '';
        const starts = Array.from({ length: val.length + 1 }, (_x, k) => val.length - k);
        if (op[1] === '%%') starts.reverse();
        for (const k of starts) if (re.test(val.slice(k))) return val.slice(0, k);
        return val;
      }
      default: {
        // ${VAR/pattern/replacement} (bash and busybox ash)
        const [pat, rep = ''] = op[2].split('/');
        const re = new RegExp(globToRegExp(this.expandOne(pat, io), false).source.replace(/^\^|\$$/g, ''), op[1] === '//' ? 'g' : '');
        return (v ?? '').replace(re, () => this.expandOne(rep, io));
      }
    }
  }

  /** $(…): the commands' output, trailing newlines removed; runs in a subshell. */
  private substitute(src: string, io: Io): string {
    if (++this.depth > DEPTH_LIMIT) throw new GuardSignal(`stopped: command substitutions nested deeper than ${DEPTH_LIMIT}`);
    const sub: Io = { out: '', err: '' };
    try {
      let node: Node;
      try {
        node = parse(src);
      } catch (e) {
        if (e instanceof SyntaxErr || e instanceof Incomplete) {
          io.err += this.syntaxMessage(e, src);
          this.lastSubst = 2;
          return '';
        }
        throw e;
      }
      this.lastSubst = this.subshell(() => this.exec(node, emptyStdin(), sub));
    } finally {
      this.depth--;
      io.err += sub.err;
    }
    return sub.out.replace(/\n+$/, '');
  }

  /** $((…)): integer arithmetic over shell variables. */
  arith(expr: string): number {
    const text = this.expandOne(expr.replace(/"/g, ''), { out: '', err: '' });
    try {
      return new Arith(text, (n) => {
        const v = this.sess.vars.get(n);
        if (v === undefined || v === '') return 0;
        const num = Number(v.trim());
        if (Number.isInteger(num)) return num;
        return new Arith(v, () => 0).parse();
      }).parse();
    } catch (e) {
      if (e instanceof ArithErr) {
        const zero = e.message.startsWith('division by 0');
        const msg = this.sess.dialect === 'bash' ? `${this.sess.arg0}: ${text.trim()}: ${e.message}\n` : this.sess.dialect === 'dash' ? `${this.sess.arg0}: 1: ${zero ? 'Division by zero' : 'arithmetic expression: expecting primary'}\n` : `${this.sess.arg0}: ${zero ? 'divide by zero' : 'arithmetic syntax error'}\n`;
        throw new ExpandError(msg, this.sess.dialect === 'bash' ? 1 : 2);
      }
      throw e;
    }
  }

  private globField(pattern: string): string[] {
    const clean = pattern.replace(/\x00/g, '');
    const slash = pattern.lastIndexOf('/');
    const dirPart = slash < 0 ? '' : pattern.slice(0, slash + 1);
    if (/[*?[]/.test(dirPart.replace(/\x00./g, ''))) return [clean];
    const base = pattern.slice(slash + 1);
    const dir = this.abs(dirPart.replace(/\x00/g, '') || '.');
    const names = listDir(this.host.fs, dir, this.sess);
    if (!names) return [clean];
    const re = globToRegExp(base.replace(/\x00(.)/g, (_m, ch: string) => `\\${ch}`));
    const hits = names.filter((n) => (n.startsWith('.') ? base.startsWith('.') : true) && re.test(n)).sort();
    return hits.length ? hits.map((h) => dirPart.replace(/\x00/g, '') + h) : [clean];
  }
}

/** Quoted characters do not glob: each carries a NUL before it until the field is finished. */
function markQuoted(s: string): string {
  return s.replace(/[*?[]/g, (m) => `\x00${m}`);
}

/** The names in a directory as a shell sees them: the image's, plus the session's files. */
export let listDir: (fs: Fs, dir: string, sess: Session) => string[] | undefined = () => undefined;
export function setListDir(fn: typeof listDir): void {
  listDir = fn;
}

export function resolvePath(cwd: string, p: string, home = '/'): string {
  if (p === '~' || p.startsWith('~/')) p = home + p.slice(1);
  const parts = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** A shell glob as a regular expression: * ? [...] and backslash escapes. */
export function globToRegExp(glob: string, anchored = true): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, j);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = j;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(anchored ? `^${re}$` : `^${re}$`, 's');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'"'"'`)}'`;
}

// ---------------------------------------------------------------- echo, printf, test

/** echo: bash and busybox take -n and -e; dash's echo always reads backslash escapes. */
function echo(args: string[], dialect: Dialect): string {
  let newline = true;
  let escapes = dialect === 'dash';
  let i = 0;
  while (i < args.length && /^-[neE]+$/.test(args[i]) && !(dialect === 'dash' && args[i] !== '-n')) {
    if (args[i].includes('n')) newline = false;
    if (args[i].includes('e')) escapes = true;
    if (args[i].includes('E')) escapes = false;
    i++;
  }
  let text = args.slice(i).join(' ');
  if (escapes) {
    const c = text.indexOf('\\c');
    if (c >= 0) {
      text = text.slice(0, c);
      newline = false;
    }
    text = unescape(text);
  }
  return text + (newline ? '\n' : '');
}

function unescape(s: string): string {
  return s.replace(/\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (m, e: string) => {
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\' };
    if (map[e] !== undefined) return map[e];
    if (/^0?[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === 'x' && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return m;
  });
}

/** printf FORMAT ARGS: %s %d %i %u %x %X %o %c %b %% with flags and widths; the format repeats for extra arguments. */
export function printf(format: string, args: string[]): string {
  let out = '';
  let k = 0;
  do {
    let used = false;
    out += unescape(format.replace(/%%/g, '\x00pct')).replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdiuxXocbfeg])/g, (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
      used = true;
      const arg = args[k++] ?? '';
      let v: string;
      if ('diuxXo'.includes(conv)) {
        const n = Math.trunc(Number(arg) || (arg.startsWith("'") ? arg.charCodeAt(1) : 0));
        v = conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : conv === 'o' ? n.toString(8) : String(n);
        if (flags.includes('+') && n >= 0 && 'di'.includes(conv)) v = '+' + v;
      } else if ('feg'.includes(conv)) v = (Number(arg) || 0).toFixed(prec === undefined ? 6 : Number(prec));
      else if (conv === 'c') v = arg.slice(0, 1);
      else if (conv === 'b') v = unescape(arg);
      else v = prec === undefined ? arg : arg.slice(0, Number(prec));
      const w = Number(width || 0);
      if (v.length < w) v = flags.includes('-') ? v.padEnd(w) : flags.includes('0') && 'diuxXofeg'.includes(conv) ? v.padStart(w, '0') : v.padStart(w);
      return v;
    }).replace(/\x00pct/g, '%');
    if (!used) break;
  } while (k < args.length);
  return out;
}

/** test / [ / [[: string, integer and file tests; a string describes a usage error. */
function testExpr(a: string[], abs: (p: string) => string, fs: Fs, double: boolean): boolean | string {
  let i = 0;
  const num = (s: string): number | string => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : `${s}: integer expression expected`);
  const primary = (): boolean | string => {
    const t = a[i];
    if (t === '!') {
      i++;
      const r = primary();
      return typeof r === 'string' ? r : !r;
    }
    if (t === '(') {
      i++;
      const r = or();
      if (a[i] !== ')') return 'missing )';
      i++;
      return r;
    }
    if (i + 2 < a.length + 1 && a[i + 1] !== undefined && ['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '<', '>', '=~'].includes(a[i + 1]) && a[i + 2] !== undefined) {
      const [l, op, r] = [a[i], a[i + 1], a[i + 2]];
      i += 3;
      switch (op) {
        case '=':
        case '==':
          return double ? globToRegExp(r).test(l) : l === r;
        case '!=':
          return double ? !globToRegExp(r).test(l) : l !== r;
        case '<':
          return l < r;
        case '>':
          return l > r;
        case '=~':
          try {
            return new RegExp(r).test(l);
          } catch {
            return false;
          }
        default: {
          const x = num(l);
          const y = num(r);
          if (typeof x === 'string') return x;
          if (typeof y === 'string') return y;
          return op === '-eq' ? x === y : op === '-ne' ? x !== y : op === '-lt' ? x < y : op === '-le' ? x <= y : op === '-gt' ? x > y : x >= y;
        }
      }
    }
    if (/^-[a-zA-Z]$/.test(t ?? '') && a[i + 1] !== undefined) {
      const arg = a[i + 1];
      i += 2;
      const p = abs(arg);
      switch (t) {
        case '-z':
          return arg === '';
        case '-n':
          return arg !== '';
        case '-e':
        case '-r':
        case '-w':
          return fs.isDir(p) || fs.read(p) !== undefined;
        case '-f':
          return !fs.isDir(p) && fs.read(p) !== undefined;
        case '-d':
          return fs.isDir(p);
        case '-s':
          return (fs.read(p) ?? '').length > 0 || fs.isDir(p);
        case '-x':
          // the image's programs are executable; a file kubesim keeps a mode for has its x bits (root: any of them)
          return fs.isDir(p) || /^\/(usr\/)?(s?bin|local\/s?bin)\//.test(p) || ((fs.fileMode?.(p) ?? 0) & 0o111) !== 0;
        case '-L':
        case '-h':
          return fs.lstat?.(p)?.type === 'l';
        default:
          return `${t}: unary operator expected`;
      }
    }
    if (t === undefined) return false;
    i++;
    return t !== '';
  };
  const and = (): boolean | string => {
    let r = primary();
    while (a[i] === '-a' || a[i] === '&&') {
      i++;
      const n = primary();
      if (typeof r === 'string') return r;
      if (typeof n === 'string') return n;
      r = r && n;
    }
    return r;
  };
  const or = (): boolean | string => {
    let r = and();
    while (a[i] === '-o' || a[i] === '||') {
      i++;
      const n = and();
      if (typeof r === 'string') return r;
      if (typeof n === 'string') return n;
      r = r || n;
    }
    return r;
  };
  if (!a.length) return false;
  const r = or();
  if (typeof r === 'string') return r;
  if (i < a.length) return 'too many arguments';
  return r;
}

// ---------------------------------------------------------------- arithmetic

class ArithErr extends Error {}

/** $(( )) over integers: + - * / % ** comparisons && || ! ~ & | ^ << >> ?: and parentheses. */
class Arith {
  private toks: string[];
  private p = 0;
  constructor(text: string, private lookup: (name: string) => number) {
    this.toks = text.match(/\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_]\w*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^?:])\s*/gy)?.map((t) => t.trim()) ?? [];
    const consumed = this.toks.join('').length;
    if (consumed !== text.replace(/\s+/g, '').length) throw new ArithErr('syntax error: invalid arithmetic operator');
  }
  parse(): number {
    if (!this.toks.length) return 0;
    const v = this.ternary();
    if (this.p < this.toks.length) throw new ArithErr(`syntax error in expression (error token is "${this.toks.slice(this.p).join(' ')}")`);
    return v;
  }
  private peek(): string | undefined {
    return this.toks[this.p];
  }
  private ternary(): number {
    const c = this.binary(0);
    if (this.peek() === '?') {
      this.p++;
      const a = this.ternary();
      if (this.toks[this.p++] !== ':') throw new ArithErr('syntax error: expected `:\'');
      const b = this.ternary();
      return c ? a : b;
    }
    return c;
  }
  private static LEVELS = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'], ['**']];
  private binary(level: number): number {
    if (level >= Arith.LEVELS.length) return this.unary();
    let v = this.binary(level + 1);
    while (Arith.LEVELS[level].includes(this.peek() as string)) {
      const op = this.toks[this.p++];
      const r = this.binary(level + 1);
      switch (op) {
        case '||': v = v || r ? 1 : 0; break;
        case '&&': v = v && r ? 1 : 0; break;
        case '|': v = v | r; break;
        case '^': v = v ^ r; break;
        case '&': v = v & r; break;
        case '==': v = v === r ? 1 : 0; break;
        case '!=': v = v !== r ? 1 : 0; break;
        case '<': v = v < r ? 1 : 0; break;
        case '<=': v = v <= r ? 1 : 0; break;
        case '>': v = v > r ? 1 : 0; break;
        case '>=': v = v >= r ? 1 : 0; break;
        case '<<': v = v << r; break;
        case '>>': v = v >> r; break;
        case '+': v = v + r; break;
        case '-': v = v - r; break;
        case '*': v = v * r; break;
        case '/':
        case '%':
          if (r === 0) throw new ArithErr('division by 0 (error token is "' + String(r) + '")');
          v = op === '/' ? Math.trunc(v / r) : v % r;
          break;
        case '**': v = v ** r; break;
      }
    }
    return v;
  }
  private unary(): number {
    const t = this.peek();
    if (t === '-' || t === '+' || t === '!' || t === '~') {
      this.p++;
      const v = this.unary();
      return t === '-' ? -v : t === '+' ? v : t === '!' ? (v ? 0 : 1) : ~v;
    }
    if (t === '(') {
      this.p++;
      const v = this.ternary();
      if (this.toks[this.p++] !== ')') throw new ArithErr('missing `)\'');
      return v;
    }
    if (t === undefined) throw new ArithErr('syntax error: operand expected (error token is "")');
    this.p++;
    if (/^\d/.test(t)) return t.startsWith('0x') || t.startsWith('0X') ? parseInt(t, 16) : /^0\d/.test(t) ? parseInt(t, 8) : Number(t);
    if (/^[A-Za-z_]/.test(t)) return this.lookup(t);
    throw new ArithErr(`syntax error: operand expected (error token is "${t}")`);
  }
}
