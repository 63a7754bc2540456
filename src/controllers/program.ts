// What a container's process does over time, from its image and its command: the lines it writes
// and when, whether and when it exits (and with what code), how it answers the SIGTERM of a graceful
// stop. The kubelet (kubelet.ts) starts, stops and restarts processes on the simulated clock; this
// module only says what one run does, as a timeline relative to its start.
//
// A process is one of:
// - a server (nginx, redis, an app image): runs until stopped;
// - a shell script (`sh -c "…"`, busybox `sleep 3600`, `echo hello`): interpreted here with a
//   virtual clock (`sleep N` moves it), its simple commands run by the simulated shell; an endless
//   `while true` loop becomes a repeating tail;
// - a shell with no script and no terminal (`run bb --image=busybox`): reads end of file from
//   /dev/null and exits 0 at once, which is why that pod ends in CrashLoopBackOff;
// - a program the image does not have: the runtime cannot start it (StartError, exit code 128).
import { imageRepo } from '../network/apps';
import { simulatesProgram } from '../network/shell';
import { shellQuote } from '../network/interp';

export interface Line {
  /** ms after the process started */
  at: number;
  text: string;
  /** written to stderr (the log has both; an attached terminal shows it on stderr) */
  err?: boolean;
}

export interface Program {
  /** what it writes, in order (the repeating tail, if any, follows: see `loop`) */
  lines: Line[];
  /** when it exits by itself (ms after start) and with which code; absent: it runs until stopped */
  exit?: { at: number; code: number };
  /** an endless loop after `lines`: from `start` ms, every `period` ms it writes `lines` (offsets within the period) */
  loop?: { start: number; period: number; lines: Line[] };
  /** what SIGTERM does: exit after `after` ms with `code`; absent: ignored (a shell or sleep as PID 1), killed at the end of the grace period */
  onTerm?: { after: number; code: number };
  /** the runtime could not start it: containerd's message (reason StartError, exit code 128) */
  startError?: string;
  /** files the script creates and removes (ms after start), for exec probes such as `cat /tmp/healthy` */
  files?: { path: string; created: number; removed?: number }[];
}

/** A run of one command line by the simulated shell (the kubelet supplies it, bound to the pod). */
export type Runner = (line: string) => { stdout: string; stderr: string; code: number; exit?: boolean } | undefined;

export interface ContainerSpecLike {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  stdin?: boolean;
  tty?: boolean;
  env?: { name: string; value?: string }[];
}

/** An image's ENTRYPOINT and CMD (from the images' Dockerfiles), for the images labs use. */
interface ImageDefaults {
  entrypoint: string[];
  cmd: string[];
}

const SHELL_IMAGES: Record<string, string> = { busybox: 'sh', alpine: '/bin/sh', ubuntu: '/bin/bash', debian: 'bash', centos: '/bin/bash', fedora: '/bin/bash', 'nicolaka/netshoot': 'zsh', bash: 'bash', rockylinux: '/bin/bash', almalinux: '/bin/bash', amazonlinux: '/bin/bash' };

/** Images whose programs are only the busybox applets and a shell: any other program is not there. */
const BASE_IMAGES = new Set(['busybox', 'alpine', 'ubuntu', 'debian', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'bash']);

function imageDefaults(image: string): ImageDefaults | undefined {
  const repo = imageRepo(image);
  const last = repo.split('/').pop() as string;
  if (SHELL_IMAGES[repo]) return { entrypoint: [], cmd: [SHELL_IMAGES[repo]] };
  switch (last) {
    // nginxinc/docker-nginx mainline/debian/Dockerfile
    case 'nginx':
      return { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
    case 'redis':
      return { entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] };
    case 'httpd':
      return { entrypoint: [], cmd: ['httpd-foreground'] };
    case 'postgres':
      return { entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'] };
    case 'mysql':
    case 'mariadb':
      return { entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'] };
    // test/images/agnhost/Dockerfile: ENTRYPOINT ["/agnhost"], CMD ["pause"]
    case 'agnhost':
      return { entrypoint: ['/agnhost'], cmd: ['pause'] };
    case 'python':
      return { entrypoint: [], cmd: ['python3'] };
    case 'node':
      return { entrypoint: ['docker-entrypoint.sh'], cmd: ['node'] };
    case 'hello-world':
      return { entrypoint: [], cmd: ['/hello'] };
  }
  return undefined;
}

/** The argv a container runs: command replaces ENTRYPOINT (and drops CMD), args replace CMD. */
export function containerArgv(c: ContainerSpecLike): string[] {
  const d = imageDefaults(c.image);
  if (c.command?.length) return [...c.command, ...(c.args ?? [])];
  if (c.args?.length) return [...(d?.entrypoint ?? []), ...c.args];
  return d ? [...d.entrypoint, ...d.cmd] : [];
}

const SERVE: Program = { lines: [], onTerm: { after: 0, code: 0 } };
const base = (p: string) => p.split('/').pop() as string;

/**
 * The program a container runs. `run` executes one simple command line in the simulated shell of
 * the container (for `echo`, `printenv`, `cat` …), or says the program is not there.
 */
export function programOf(c: ContainerSpecLike, run: Runner): Program {
  const argv = containerArgv(c);
  const repo = imageRepo(c.image);
  const env = new Map((c.env ?? []).map((e) => [e.name, e.value ?? '']));
  // ingress-nginx's kube-webhook-certgen (the addon's admission Jobs): writes or patches, then exits 0
  if (repo.endsWith('ingress-nginx/kube-webhook-certgen')) return { lines: [], exit: { at: 1000, code: 0 } };
  if (!argv.length) return SERVE; // an image kubesim does not know: its default command serves
  let words = argv;
  // entrypoint scripts hand over to the command they are given (docker-entrypoint.sh "$@")
  if (/^\/?(usr\/local\/bin\/)?docker-entrypoint\.sh$/.test(words[0]) && words.length > 1) words = words.slice(1);
  const prog = base(words[0]);
  if (prog === 'docker-entrypoint.sh' || prog === 'nginx' || prog === 'redis-server' || prog === 'httpd-foreground' || prog === 'httpd') return SERVE;
  if (prog === 'postgres' && !env.get('POSTGRES_PASSWORD') && env.get('POSTGRES_HOST_AUTH_METHOD') !== 'trust') return postgresNoPassword();
  if (prog === 'mysqld' && !['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD'].some((k) => env.get(k))) return mysqlNoPassword();
  if (prog === 'postgres' || prog === 'mysqld' || prog === 'mongod') return SERVE;
  if (prog === 'agnhost') return words[1] === 'pause' || !words[1] ? { lines: [], onTerm: { after: 0, code: 0 } } : SERVE;
  if (prog === 'hello') return helloWorld();
  const shell = ['sh', 'bash', 'ash', 'zsh', 'dash'].includes(prog);
  if (shell) {
    const i = words.indexOf('-c');
    if (i > 0 && i + 1 < words.length) return script(words[i + 1], env, run);
    if (words.length > 1 && !words[1].startsWith('-')) return startError(words[1], 'no such file or directory');
    // no script: it reads commands from stdin, /dev/null without -i
    return c.stdin ? { lines: [] } : { lines: [], exit: { at: 0, code: 0 } };
  }
  if (prog === 'python3' || prog === 'python' || prog === 'node') return c.stdin ? { lines: [] } : { lines: [], exit: { at: 0, code: 0 } };
  // flannel's init containers copy its CNI plugin and config onto the node (kube-flannel.yml): done at once
  if (prog === 'cp' && (repo === 'flannel/flannel' || repo === 'flannel/flannel-cni-plugin')) return { lines: [], exit: { at: 0, code: 0 } };
  // a command line of the simulated shell's programs (sleep, echo, printenv, tail -f …)
  const known = simple(words, run);
  if (known) return known;
  if (BASE_IMAGES.has(repo)) return startError(words[0], 'executable file not found in $PATH');
  return SERVE; // an application binary of an image kubesim does not know: it serves
}

function startError(prog: string, why: string): Program {
  // containerd's create error as the kubelet reports it (the Failed event and the terminated message)
  return {
    lines: [],
    exit: { at: 0, code: 128 },
    startError: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${prog}": ${why}: unknown`,
  };
}

/** docker-library/postgres docker-entrypoint.sh, without POSTGRES_PASSWORD. */
function postgresNoPassword(): Program {
  const text = [
    'Error: Database is uninitialized and superuser password is not specified.',
    '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
    '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
    '',
    '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
    '       connections without a password. This is *not* recommended.',
    '',
    '       See PostgreSQL documentation about "trust":',
    '       https://www.postgresql.org/docs/current/auth-trust.html',
  ];
  return { lines: text.map((t) => ({ at: 0, text: t })), exit: { at: 0, code: 1 } };
}

function mysqlNoPassword(): Program {
  const text = [
    '[Note] [Entrypoint]: Entrypoint script for MySQL Server started.',
    '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
    '    You need to specify one of the following as an environment variable:',
    '    - MYSQL_ROOT_PASSWORD',
    '    - MYSQL_ALLOW_EMPTY_PASSWORD',
    '    - MYSQL_RANDOM_ROOT_PASSWORD',
  ];
  return { lines: text.map((t) => ({ at: 0, text: t })), exit: { at: 0, code: 1 } };
}

function helloWorld(): Program {
  const text = ['', 'Hello from Docker!', 'This message shows that your installation appears to be working correctly.', ''];
  return { lines: text.map((t) => ({ at: 0, text: t })), exit: { at: 0, code: 0 } };
}

/** A program given as words (not through a shell): sleep, tail -f, or one of the shell's programs. */
function simple(words: string[], run: Runner): Program | undefined {
  const prog = base(words[0]);
  if (prog === 'sleep') {
    const d = duration(words[1]);
    if (d === undefined) return { lines: [{ at: 0, text: `sleep: invalid number '${words[1] ?? ''}'` }], exit: { at: 0, code: 1 } };
    return d === Infinity ? { lines: [] } : { lines: [], exit: { at: d, code: 0 } };
  }
  if (prog === 'tail' && words.includes('-f')) return { lines: [] };
  if (prog === 'pause') return { lines: [], onTerm: { after: 0, code: 0 } };
  if (prog === 'echo') return { lines: [{ at: 0, text: words.slice(1).join(' ') }], exit: { at: 0, code: 0 } };
  // a server binary the shell does not simulate (etcd, an app's own program) is not run through it
  if (!simulatesProgram(prog)) return undefined;
  const r = run(commandLine(words));
  if (!r) return undefined;
  return { lines: [...outputLines(r.stdout, 0), ...outputLines(r.stderr, 0, true)], exit: { at: 0, code: r.code } };
}

/** argv as one command line for the shell, quoting only the words that need it. */
export function commandLine(argv: string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : shellQuote(w))).join(' ');
}

function outputLines(text: string, at: number, err = false): Line[] {
  if (!text) return [];
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls.map((t) => (err ? { at, text: t, err } : { at, text: t }));
}

/** sleep's argument in ms: 5, 5s, 2m, 1h, 1d, 0.5, infinity. */
function duration(arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (arg === 'infinity' || arg === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]] as number;
  return Math.round(Number(m[1]) * unit * 1000);
}

// ------------------------------------------------------------------ shell scripts

type Node =
  | { t: 'cmd'; text: string }
  | { t: 'while'; cond: Node[]; body: Node[]; until: boolean }
  | { t: 'for'; name: string; words: string; body: Node[] }
  | { t: 'if'; cond: Node[]; then: Node[]; else: Node[] };

interface Stmt {
  node: Node;
  /** how it joins the next: ; && || */
  op: string;
}

/** Splits a script into statements at ; && || and newlines outside quotes, keeping each one's text. */
function statements(src: string): { text: string; op: string }[] {
  const out: { text: string; op: string }[] = [];
  let cur = '';
  let q: string | undefined;
  let depth = 0; // $( … ) nesting
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (q) {
      cur += c;
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < src.length) cur += src[++i];
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      cur += c;
    } else if (c === '\\' && i + 1 < src.length) {
      cur += c + src[++i];
    } else if (c === '$' && src[i + 1] === '(') {
      depth++;
      cur += c;
    } else if (c === ')' && depth > 0) {
      depth--;
      cur += c;
    } else if (depth === 0 && (c === ';' || c === '\n' || (c === '&' && src[i + 1] === '&') || (c === '|' && src[i + 1] === '|'))) {
      const op = c === '\n' ? ';' : c === ';' ? ';' : c + c;
      if (op.length === 2) i++;
      out.push({ text: cur.trim(), op });
      cur = '';
    } else if (c === '#' && /(^|\s)$/.test(cur) && depth === 0) {
      while (i + 1 < src.length && src[i + 1] !== '\n') i++;
    } else cur += c;
  }
  if (cur.trim()) out.push({ text: cur.trim(), op: ';' });
  // keywords may share a statement with the next command ("do echo hi", "then exit 1")
  const split: { text: string; op: string }[] = [];
  for (const s of out) {
    const m = /^(do|then|else)\s+(.*)$/s.exec(s.text);
    if (m) split.push({ text: m[1], op: ';' }, { text: m[2], op: s.op });
    else if (s.text) split.push(s);
  }
  return split;
}

class ParseError extends Error {}

function parse(src: string): Stmt[] {
  const toks = statements(src);
  let i = 0;
  const list = (ends: string[]): Stmt[] => {
    const out: Stmt[] = [];
    while (i < toks.length && !ends.includes(firstWord(toks[i].text))) {
      const tok = toks[i++];
      const w = firstWord(tok.text);
      if (w === 'while' || w === 'until') {
        const cond = [{ node: { t: 'cmd', text: tok.text.slice(w.length).trim() } as Node, op: ';' }];
        expect('do');
        const body = list(['done']);
        const end = expect('done');
        out.push({ node: { t: 'while', cond: cond.map((s) => s.node), body: body.map((s) => s.node), until: w === 'until' }, op: end.op });
      } else if (w === 'for') {
        const m = /^for\s+([A-Za-z_]\w*)(?:\s+in\s+(.*))?$/s.exec(tok.text);
        if (!m) throw new ParseError(`syntax error: ${tok.text}`);
        expect('do');
        const body = list(['done']);
        const end = expect('done');
        out.push({ node: { t: 'for', name: m[1], words: m[2] ?? '', body: body.map((s) => s.node) }, op: end.op });
      } else if (w === 'if') {
        const cond: Node[] = [{ t: 'cmd', text: tok.text.slice(2).trim() }];
        expect('then');
        const then = list(['else', 'fi', 'elif']).map((s) => s.node);
        let els: Node[] = [];
        if (i < toks.length && firstWord(toks[i].text) === 'else') {
          i++;
          els = list(['fi']).map((s) => s.node);
        }
        const end = expect('fi');
        out.push({ node: { t: 'if', cond, then, else: els }, op: end.op });
      } else out.push({ node: { t: 'cmd', text: tok.text }, op: tok.op });
    }
    return out;
  };
  const expect = (w: string) => {
    if (i >= toks.length || firstWord(toks[i].text) !== w) throw new ParseError(`syntax error: expected "${w}"`);
    return toks[i++];
  };
  const all = list([]);
  if (i < toks.length) throw new ParseError(`syntax error: unexpected "${firstWord(toks[i].text)}"`);
  return all;
}

function firstWord(s: string): string {
  return /^\S*/.exec(s)![0];
}

/** The budget of an interpretation: loops stop being unrolled past it (the output is capped anyway). */
const MAX_STEPS = 5000;

class Interp {
  t = 0;
  lines: Line[] = [];
  code = 0;
  exited = false;
  steps = 0;
  vars: Map<string, string>;
  termTrap?: string;
  files: { path: string; created: number; removed?: number }[] = [];
  constructor(
    env: Map<string, string>,
    private run: Runner,
  ) {
    this.vars = new Map(env);
  }

  expand(text: string): string {
    // $VAR and ${VAR} outside single quotes; $? is the last status
    let out = '';
    let q = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "'") q = !q;
      if (!q && c === '$' && text[i + 1] === '(') {
        // $(command): its output, trailing newlines removed (date: the time of this moment of the run)
        const end = text.indexOf(')', i + 2);
        if (end > 0) {
          const inner = text.slice(i + 2, end).trim();
          if (inner === 'date') out += DATE_MARK + String(this.t) + DATE_MARK;
          else out += (this.run(inner)?.stdout ?? '').replace(/\n+$/, '');
          i = end;
          continue;
        }
      }
      if (!q && c === '$') {
        const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*)|(\?))/.exec(text.slice(i));
        if (m) {
          out += m[3] ? String(this.code) : (this.vars.get(m[1] ?? m[2]) ?? '');
          i += m[0].length - 1;
          continue;
        }
      }
      out += c;
    }
    return out;
  }

  list(stmts: Node[] | Stmt[]): void {
    let prevOp = ';';
    for (const s of stmts) {
      if (this.exited || this.steps > MAX_STEPS) return;
      const node = 'node' in s ? s.node : s;
      const op = 'node' in s ? s.op : ';';
      const skip = (prevOp === '&&' && this.code !== 0) || (prevOp === '||' && this.code === 0);
      prevOp = op;
      if (skip) continue;
      this.exec(node);
    }
  }

  exec(n: Node): void {
    this.steps++;
    switch (n.t) {
      case 'cmd':
        return this.command(n.text);
      case 'for': {
        const words = this.expand(n.words).split(/\s+/).filter(Boolean);
        for (const w of words) {
          if (this.exited || this.steps > MAX_STEPS) return;
          this.vars.set(n.name, w);
          this.list(n.body);
        }
        return;
      }
      case 'if':
        this.list(n.cond);
        if (this.exited) return;
        this.list(this.code === 0 ? n.then : n.else);
        return;
      case 'while':
        throw new Error('while is run by loop()');
    }
  }

  command(raw: string): void {
    const text = this.expand(raw).trim();
    const words = text.split(/\s+/);
    const w = words[0];
    const assign = /^(?:export\s+)?([A-Za-z_]\w*)=(.*)$/s.exec(text);
    if (assign) {
      this.vars.set(assign[1], assign[2].replace(/^(["'])(.*)\1$/s, '$2'));
      this.code = 0;
      return;
    }
    if (w === 'exit') {
      this.code = words[1] === undefined ? this.code : Number(words[1]) & 255;
      this.exited = true;
      return;
    }
    // a redirection to a file creates it (the output goes there, not to the log)
    const redirect = /^(.*?)\s*>>?\s*([^\s'"]+)$/s.exec(text);
    if (redirect && !/['"]/.test(text.slice(text.lastIndexOf('>')))) {
      this.touch(redirect[2]);
      // the shell writes the file (a pod's volume keeps it: the emptyDir lab's writer container)
      const r = redirect[1] ? this.run(text) : undefined;
      if (r) this.emit(r.stderr, true);
      this.code = r ? r.code : 0;
      return;
    }
    if (w === 'touch' || (w === 'mkdir' && words.length > 1)) {
      for (const f of words.slice(1).filter((x) => !x.startsWith('-'))) this.touch(f);
      this.code = 0;
      return;
    }
    if (w === 'rm') {
      for (const f of words.slice(1).filter((x) => !x.startsWith('-'))) {
        const live = this.files.find((x) => x.path === f && x.removed === undefined);
        if (live) live.removed = this.t;
      }
      this.code = 0;
      return;
    }
    if (w === 'trap') {
      // trap 'CMD' TERM: SIGTERM runs it (a script that exits on it stops at once)
      if (/\b(TERM|SIGTERM|15)\b/.test(text)) this.termTrap = text;
      this.code = 0;
      return;
    }
    if (w === 'true' || w === ':') {
      this.code = 0;
      return;
    }
    if (w === 'false') {
      this.code = 1;
      return;
    }
    if (w === 'sleep') {
      const d = duration(words[1]);
      if (d === undefined) {
        this.write(`sleep: invalid number '${words[1] ?? ''}'`);
        this.code = 1;
        return;
      }
      this.t = d === Infinity ? Infinity : this.t + d;
      this.code = 0;
      return;
    }
    if (w === 'echo') {
      const nl = words[1] !== '-n';
      const rest = text.replace(/^echo\s*(-n\s*)?/, '');
      const out = unquote(rest) + '\n';
      this.emit(nl ? out : out.replace(/\n$/, ''));
      this.code = 0;
      return;
    }
    if (w === 'date') {
      this.emit(DATE_MARK + String(this.t) + DATE_MARK + '\n');
      this.code = 0;
      return;
    }
    const r = this.run(text);
    if (!r) {
      this.write(`sh: ${w}: not found`);
      this.code = 127;
      return;
    }
    this.emit(r.stdout);
    this.emit(r.stderr, true);
    this.code = r.code;
    if (r.exit) this.exited = true;
  }

  private touch(path: string): void {
    if (!this.files.some((x) => x.path === path && x.removed === undefined)) this.files.push({ path, created: this.t });
  }

  private emit(text: string, err = false): void {
    for (const l of outputLines(text, this.t, err)) this.lines.push(l);
  }

  private write(text: string): void {
    this.lines.push({ at: this.t, text, err: true });
  }
}

function unquote(s: string): string {
  return s.replace(/(["'])(.*?)\1/g, '$2');
}

/** A `date` inside a script: the time is only known when the run starts, so the text holds a
 * placeholder with the offset into the run (the iteration's own offset is added for loops). */
export const DATE_MARK = '\u0000';

/** Formats busybox `date` for an instant: Sat Mar  1 12:00:00 UTC 2025. */
export function formatBusyboxDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Interprets a `sh -c` script on a virtual clock. */
export function script(src: string, env: Map<string, string>, run: Runner): Program {
  let stmts: Stmt[];
  try {
    stmts = parse(src);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { lines: [{ at: 0, text: `sh: ${e.message}` }], exit: { at: 0, code: 2 } };
  }
  const it = new Interp(env, run);
  const prog = runTop(it, stmts);
  if (it.files.length) prog.files = it.files;
  if (it.termTrap && !prog.onTerm) prog.onTerm = { after: 0, code: /exit\s+(\d+)/.exec(it.termTrap) ? Number(/exit\s+(\d+)/.exec(it.termTrap)![1]) : 143 };
  return prog;
}

function runTop(it: Interp, stmts: Stmt[]): Program {
  for (let k = 0; k < stmts.length; k++) {
    const s = stmts[k];
    if (it.exited) break;
    const prev = k > 0 ? stmts[k - 1].op : ';';
    if ((prev === '&&' && it.code !== 0) || (prev === '||' && it.code === 0)) continue;
    if (s.node.t === 'while') {
      const endless = loopForever(it, s.node);
      if (endless) return endless;
      continue;
    }
    it.exec(s.node);
    if (it.t === Infinity) return { lines: it.lines };
  }
  return { lines: it.lines, exit: { at: it.t, code: it.code } };
}

/**
 * A while/until loop. One whose condition is constant-true (true, :, [ 1 ], a condition the shell
 * keeps answering 0) is endless: one iteration is run to learn its output and period, which then
 * repeats forever. Others are unrolled up to the step budget.
 */
function loopForever(it: Interp, n: Extract<Node, { t: 'while' }>): Program | undefined {
  const condText = n.cond[0]?.t === 'cmd' ? n.cond[0].text.trim() : '';
  // `while sleep 1; do …` too: a sleep that parses always succeeds (it paces each pass)
  const sleeps = /^sleep\s+\S+$/.test(condText) && (duration(condText.split(/\s+/)[1]) ?? Infinity) < Infinity;
  const constTrue = sleeps || /^(true|:|\[\s*1\s*\]|\[\s*1\s*-eq\s*1\s*\])$/.test(condText);
  if (constTrue !== n.until) {
    const start = it.t;
    const before = it.lines.length;
    if (sleeps) it.list(n.cond);
    it.list(n.body);
    if (it.exited) return { lines: it.lines, exit: { at: it.t, code: it.code } };
    if (it.t === Infinity) return { lines: it.lines };
    const period = Math.max(it.t - start, 1);
    const body = it.lines.splice(before).map((l) => ({ at: l.at - start, text: l.text }));
    return { lines: it.lines, loop: { start, period, lines: body } };
  }
  // a loop whose condition can change: run it until the condition fails (bounded)
  for (let k = 0; k < 1000 && !it.exited; k++) {
    it.list(n.cond);
    if ((it.code === 0) === n.until) break;
    it.list(n.body);
    if (it.t === Infinity) break;
  }
  return undefined;
}

/** The lines a process wrote from its start until `upTo` ms after it (the loop unrolled, capped to the last `cap`). */
export function linesUntil(p: Program, upTo: number, startMs: number, cap = 1000): string[] {
  return timedLinesUntil(p, upTo, startMs, cap).map((l) => l.text);
}

/** linesUntil with each line's time (ms): the process's start plus the line's offset. */
export function timedLinesUntil(p: Program, upTo: number, startMs: number, cap = 1000): { text: string; at: number }[] {
  // a date placeholder holds the offset of the line's own pass: the loop's iterations add theirs
  const fill = (l: Line, shift = 0) =>
    l.text.includes(DATE_MARK) ? l.text.replace(new RegExp(`${DATE_MARK}(\\d+)${DATE_MARK}`, 'g'), (_m, off: string) => formatBusyboxDate(startMs + Number(off) + shift)) : l.text;
  const out: { text: string; at: number }[] = [];
  for (const l of p.lines) if (l.at <= upTo) out.push({ text: fill(l), at: startMs + l.at });
  const loop = p.loop;
  if (loop && upTo >= loop.start && loop.lines.length) {
    const iterations = Math.floor((upTo - loop.start) / loop.period) + 1;
    // only the last `cap` lines are kept: skip whole iterations before them
    const per = loop.lines.length;
    const skip = Math.max(0, iterations - Math.ceil(cap / per) - 1);
    for (let k = skip; k < iterations; k++) {
      const t0 = loop.start + k * loop.period;
      for (const l of loop.lines) if (t0 + l.at <= upTo) out.push({ text: fill(l, k * loop.period), at: startMs + t0 + l.at });
    }
  }
  return out.length > cap ? out.slice(out.length - cap) : out;
}
