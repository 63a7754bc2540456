// The programs a learner runs on a node (`kubesim ssh`), in a pod (`kubesim exec`) or on their own
// machine (`kubesim curl`), and the shell that runs them (src/network/interp.ts). Each program prints
// what the real one prints, and exists only where the real one does: the image decides in a pod
// (src/network/container.ts: busybox's applets, nginx's curl), a kubeadm node has bash, procps,
// curl, iptables, ipvsadm, crictl and bind9's nslookup.
import { nowMs } from '../util/clock';
import { addresses, nodeResolver, podResolver, resolvConf, resolve, reverse, ZONE, type DnsResult, type Resolver } from './dns';
import { podHostname } from './appbase';
import { containerEnv } from './env';
import { exchange } from './http';
import { appFor, listenerFor, protocolOf } from './apps';
import { ipvsadmList, ipvsIptables } from './ipvs';
import { serviceAddresses } from './model';
import { dnsServiceIP } from '../cluster/bootstrap';
import { ctime, iptablesList, iptablesSave, iptablesSpec } from './iptables';
import { drain, emptyStdin, globToRegExp, Interp, printf, resolvePath, setListDir, shellQuote, type Dialect, type Fs, type Host, type Result, type Session, type Stdin } from './interp';
import {
  busyboxIfconfig,
  busyboxIpAddr,
  busyboxIpRoute,
  busyboxPs,
  containerOf,
  containerProcs,
  ContainerFs,
  hasProgram,
  idLine,
  whoami,
  imageInfo,
  nginxVersion,
  podInterface,
  programPath,
  serviceAccountFiles,
  type ImageInfo,
  type Stat,
} from './container';
import { crictl, nodeProcesses, psAux, psEf, psSimple } from './node';
import { tarBytes, tarCreate, tarEntries, tarExtract } from './tarcopy';
import type { Connection, Network } from './route';
import { podRef, renderTrace, type Hop } from './hops';
import type { NodeInfo, Vantage } from './topology';

export type { Result } from './interp';

export interface Shell {
  net: Network;
  from: Vantage;
  resolver: Resolver;
  /** the shell session the commands run in: its variables, directory and written files */
  session?: Session;
  /** a look that changes nothing: writes to a pod's volumes stay in the session (the kubelet re-deriving a program) */
  scratch?: boolean;
}

export function shellFor(net: Network, from: Vantage): Shell {
  const resolver = from.kind === 'pod' ? podResolver(net.state, from.pod) : nodeResolver(net.state);
  return { net, from, resolver };
}

const CURL_VERSION = '7.88.1';

const ok = (stdout: string): Result => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): Result => ({ stdout: '', stderr, code });

type Program = (sh: Shell, args: string[], stdin: Stdin) => Result;

/** Programs and where they exist: in a pod when the image has them, on nodes, and (curl) outside. */
const PROGRAMS: Record<string, Program> = {
  curl: (sh, a) => curl(sh, a),
  wget: (sh, a) => wget(sh, a),
  nc: (sh, a) => nc(sh, a),
  nslookup: (sh, a) => (sh.from.kind === 'pod' ? nslookup(sh, a) : nslookupBind(sh, a)),
  cat: (sh, a, stdin) => cat(sh, a, stdin),
  printenv: (sh, a) => {
    const env = envOf(sh);
    if (!a.length) return ok(env.map(([k, v]) => `${k}=${v}\n`).join(''));
    const vals = a.map((n) => env.find(([k]) => k === n)?.[1]);
    return { stdout: vals.filter((v) => v !== undefined).map((v) => v + '\n').join(''), stderr: '', code: vals.every((v) => v !== undefined) ? 0 : 1 };
  },
  env: (sh, a, stdin) => {
    const set = a.filter((x) => /^[A-Za-z_]\w*=/.test(x));
    const rest = a.slice(set.length);
    if (rest.length) return runProgram(sh, rest, stdin) ?? fail(isBusybox(sh) ? `env: can't execute '${rest[0]}': No such file or directory\n` : `env: '${rest[0]}': No such file or directory\n`, 127);
    return ok([...envOf(sh).filter(([k]) => !set.some((s) => s.startsWith(k + '='))).map(([k, v]) => `${k}=${v}`), ...set].map((l) => l + '\n').join(''));
  },
  hostname: (sh, a) => ok((a.some((x) => x === '-f' || x === '--fqdn' || x === '--long') ? fqdn(sh) : hostname(sh)) + '\n'),
  echo: (_sh, a) => ok(a.join(' ') + '\n'),
  printf: (_sh, a) => (a.length ? ok(printf(a[0], a.slice(1))) : fail('printf: missing operand\n')),
  true: () => ok(''),
  false: () => fail(''),
  sleep: (sh, a) => sleep(sh, a),
  sh: (sh, a, stdin) => shellProgram(sh, 'sh', a, stdin),
  ash: (sh, a, stdin) => shellProgram(sh, 'ash', a, stdin),
  dash: (sh, a, stdin) => shellProgram(sh, 'dash', a, stdin),
  bash: (sh, a, stdin) => shellProgram(sh, 'bash', a, stdin),
  ls: (sh, a) => ls(sh, a),
  id: (sh) => (sh.from.kind === 'pod' ? ok(idLine(infoOf(sh) as ImageInfo, fsOf(sh) as ContainerFs)) : ok('uid=1000(docker) gid=999(docker) groups=999(docker),4(adm),27(sudo)\n')),
  whoami: (sh) => {
    if (sh.from.kind !== 'pod') return ok('docker\n');
    const w = whoami(infoOf(sh) as ImageInfo, fsOf(sh) as ContainerFs);
    return { stdout: w.out, stderr: w.err, code: w.err ? 1 : 0 };
  },
  date: (sh, a) => date(sh, a),
  uname: (sh, a) => uname(sh, a),
  pwd: (sh) => ok((sh.session?.cwd ?? '/') + '\n'),
  seq: (_sh, a) => {
    const n = a.map(Number);
    if (!a.length || n.some((x) => !Number.isFinite(x))) return fail(a.length ? `seq: invalid floating point argument: '${a.find((x) => !Number.isFinite(Number(x)))}'\n` : 'seq: missing operand\n');
    const [from, step, to] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], 1, n[1]] : [n[0], n[1], n[2]];
    const out: string[] = [];
    for (let x = from; step > 0 ? x <= to : x >= to; x += step) if (out.push(String(x)) > 100000 || step === 0) break;
    return ok(out.map((l) => l + '\n').join(''));
  },
  touch: (sh, a) => touch(sh, a),
  tar: (sh, a, stdin) => tar(sh, a, stdin),
  // the image's /usr/bin/test, as kubectl cp runs it (`test -d DEST`): the shell's builtin
  test: (sh, a) => runLine({ ...sh, session: undefined }, ['test', ...a].map(shellQuote).join(' ')),
  stat: (sh, a) => stat(sh, a),
  mkdir: (sh, a) => mkdir(sh, a),
  rm: (sh, a) => rm(sh, a),
  chmod: (sh, a) => chmod(sh, a),
  ln: (sh, a) => ln(sh, a),
  readlink: (sh, a) => readlink(sh, a),
  ps: (sh, a) => ps(sh, a),
  ip: (sh, a) => (sh.from.kind === 'node' ? ipCmd(sh, sh.from.node, a) : podIp(sh, a)),
  ifconfig: (sh) => (sh.from.kind === 'pod' ? ok(busyboxIfconfig(podInterface(sh.from.pod, sh.from.node.podCIDR))) : fail('bash: ifconfig: command not found\n', 127)),
  nginx: (sh, a) => nginx(sh, a),
  which: (sh, a) => {
    const found = a.filter((x) => !x.startsWith('-')).map((x) => whichPath(sh, x));
    return { stdout: found.filter(Boolean).map((p) => p + '\n').join(''), stderr: '', code: found.every(Boolean) && found.length ? 0 : 1 };
  },
  basename: (_sh, a) => (a.length ? ok((a[0].replace(/\/+$/, '').split('/').pop() || '/').replace(a[1] !== undefined && a[0].endsWith(a[1]) && a[0] !== a[1] ? new RegExp(`${a[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : /$^/, '') + '\n') : fail('basename: missing operand\n')),
  dirname: (_sh, a) => (a.length ? ok((a[0].replace(/\/+$/, '').replace(/\/[^/]*$/, '') || (a[0].startsWith('/') ? '/' : '.')) + '\n') : fail('dirname: missing operand\n')),
  grep: (sh, a, stdin) => filter(sh, ['grep', ...a], stdin),
  egrep: (sh, a, stdin) => filter(sh, ['grep', '-E', ...a], stdin),
  head: (sh, a, stdin) => filter(sh, ['head', ...a], stdin),
  tail: (sh, a, stdin) => filter(sh, ['tail', ...a], stdin),
  wc: (sh, a, stdin) => filter(sh, ['wc', ...a], stdin),
  sort: (sh, a, stdin) => filter(sh, ['sort', ...a], stdin),
  uniq: (sh, a, stdin) => filter(sh, ['uniq', ...a], stdin),
  cut: (sh, a, stdin) => filter(sh, ['cut', ...a], stdin),
  tr: (sh, a, stdin) => filter(sh, ['tr', ...a], stdin),
  tee: (sh, a, stdin) => {
    const text = drain(stdin);
    const fs = fsOf(sh);
    let stderr = '';
    for (const f of a.filter((x) => !x.startsWith('-'))) {
      const denied = fs.writeError?.(absPath(sh, f));
      if (denied) stderr += `tee: ${f}: ${denied}\n`;
      else fs.write(absPath(sh, f), text, a.includes('-a'));
    }
    return { stdout: text, stderr, code: stderr ? 1 : 0 };
  },
  xargs: (sh, a, stdin) => {
    const words = drain(stdin).split(/\s+/).filter(Boolean);
    const cmd = a.length ? a : ['echo'];
    return runProgram(sh, [...cmd, ...words]) ?? fail(`xargs: ${cmd[0]}: No such file or directory\n`, 127);
  },
};

/** The node's own tools (and sudo, which runs any of them). */
const NODE_PROGRAMS: Record<string, (sh: Shell, node: NodeInfo, args: string[], stdin: Stdin) => Result> = {
  'iptables-save': iptablesSaveCmd,
  iptables: iptablesCmd,
  // kube-proxy in iptables mode creates no virtual servers: ipvsadm shows only its header
  ipvsadm: (sh, node) => ok(sh.net.ipvs ? ipvsadmList(sh.net, node) : 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n'),
  crictl: (sh, node, a) => crictl(sh.net.state, node, a, nowMs()),
  sudo: (sh, _node, a, stdin) => {
    const i = a.findIndex((x) => !x.startsWith('-'));
    if (i < 0) return fail('usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]\n            [-u user] [command [arg ...]]\nusage: sudo [-ABbEHkNnPS] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABkNnS] [-C num] [-D directory] [-g group] [-h host] [-p\n            prompt] [-R directory] [-T timeout] [-u user] file ...\n');
    const argv = a.slice(i);
    return runProgram(sh, argv, stdin) ?? fail(`sudo: ${argv[0]}: command not found\n`);
  },
};

/** Programs a kubeadm node (Ubuntu) has besides the simulated ones above. */
const NODE_HAS = new Set(['bash', 'sh', 'dash', 'curl', 'wget', 'nslookup', 'dig', 'cat', 'ls', 'ps', 'ip', 'env', 'printenv', 'hostname', 'echo', 'printf', 'true', 'false', 'sleep', 'id', 'whoami', 'date', 'uname', 'pwd', 'seq', 'touch', 'mkdir', 'rm', 'which', 'basename', 'dirname', 'grep', 'egrep', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'xargs', 'sudo', 'crictl', 'iptables', 'iptables-save', 'ipvsadm', 'systemctl', 'journalctl', 'kubelet', 'kubeadm', 'kubectl', 'ctr', 'conntrack', 'ss', 'vi', 'less', 'find', 'sed', 'awk', 'tar', 'gzip']);

function infoOf(sh: Shell): ImageInfo | undefined {
  if (sh.from.kind !== 'pod') return undefined;
  return imageInfo(containerOf(sh.from.pod, sh.from.container)?.image ?? '');
}

function isBusybox(sh: Shell): boolean {
  const f = infoOf(sh)?.family;
  return f === 'busybox' || f === 'alpine';
}

/** Whether a program exists where the shell runs. */
function exists(sh: Shell, prog: string): boolean {
  if (sh.from.kind === 'pod') return hasProgram(infoOf(sh) as ImageInfo, prog);
  if (sh.from.kind === 'node') return NODE_HAS.has(prog);
  return prog === 'curl';
}

function whichPath(sh: Shell, prog: string): string | undefined {
  if (!exists(sh, prog)) return undefined;
  if (sh.from.kind === 'pod') return programPath(infoOf(sh) as ImageInfo, prog);
  return ['iptables', 'iptables-save', 'ipvsadm', 'sudo'].includes(prog) ? `/usr/sbin/${prog}` : prog === 'crictl' ? '/usr/local/bin/crictl' : `/usr/bin/${prog}`;
}

/** Whether the simulated shell has a program of this name anywhere (what it can run at all). */
export function simulatesProgram(name: string): boolean {
  const prog = name.split('/').pop() as string;
  return Object.hasOwn(PROGRAMS, prog) || Object.hasOwn(NODE_PROGRAMS, prog);
}

/** Runs one program; `undefined` when it does not exist here. */
export function runProgram(sh: Shell, argv: string[], stdin: Stdin = emptyStdin()): Result | undefined {
  const raw = argv[0] ?? '';
  const prog = raw.split('/').pop() as string;
  if (!prog || !exists(sh, prog)) return runScript(sh, argv, stdin);
  if (raw.includes('/') && sh.from.kind === 'pod' && whichPath(sh, prog) !== raw && !['/bin/' + prog, '/usr/bin/' + prog, '/sbin/' + prog, '/usr/sbin/' + prog, '/usr/local/bin/' + prog].includes(raw)) return runScript(sh, argv, stdin);
  if (sh.from.kind === 'node' && Object.hasOwn(NODE_PROGRAMS, prog)) return NODE_PROGRAMS[prog](sh, sh.from.node, argv.slice(1), stdin);
  if (Object.hasOwn(PROGRAMS, prog)) return PROGRAMS[prog](sh, argv.slice(1), stdin);
  return fail(`kubesim: ${prog} is in this ${sh.from.kind === 'pod' ? 'image' : 'node'}, but kubesim does not simulate it\n`);
}

let scriptDepth = 0;

/**
 * A script file of the container run by its path: the kernel's binfmt_script runs the #! line's
 * interpreter (with its one argument) on the script's path, when the file has an x bit. undefined
 * otherwise (no such file, not executable, no #! line: what the caller reports), and past the
 * kernel's 4 levels of interpreters.
 */
function runScript(sh: Shell, argv: string[], stdin: Stdin): Result | undefined {
  const raw = argv[0] ?? '';
  if (sh.from.kind !== 'pod' || !raw.includes('/') || scriptDepth >= 4) return undefined;
  const fs = fsOf(sh);
  const p = absPath(sh, raw);
  const text = fs.isDir(p) ? undefined : fs.read(p);
  if (text === undefined || ((fs.fileMode?.(p) ?? 0) & 0o111) === 0) return undefined;
  const m = /^#![ \t]*(\S+)[ \t]*([^\n]*)/.exec(text);
  if (!m) return undefined;
  scriptDepth++;
  try {
    return runProgram(sh, [m[1], ...(m[2].trim() ? [m[2].trim()] : []), raw, ...argv.slice(1)], stdin);
  } finally {
    scriptDepth--;
  }
}

/** A command given as words, or as one quoted command line ("curl -s web | head -1"). */
export function runArgs(sh: Shell, argv: string[]): Result | undefined {
  return argv.length === 1 && /[\s;|&$<>]/.test(argv[0]) ? runLine(sh, argv[0]) : runProgram(sh, argv);
}

/** Runs a command line (or several lines) in the shell's session, as `sh -c` would. */
export function runLine(sh: Shell, line: string): Result {
  const sess = sh.session ?? openSession(sh, {});
  return new Interp(sess, hostFor(sh, sess)).run(line);
}

/**
 * A new shell session where the vantage point is: the image's `sh` (busybox ash, dash) or bash in a
 * pod, bash on a node. Its variables start as the process environment.
 */
export function openSession(sh: Shell, o: { name?: string; interactive?: boolean; tty?: boolean }): Session {
  const info = infoOf(sh);
  const name = o.name ?? (sh.from.kind === 'pod' ? 'sh' : 'bash');
  const base = name.split('/').pop() as string;
  const dialect: Dialect = base === 'bash' ? 'bash' : sh.from.kind !== 'pod' ? 'dash' : (info?.sh ?? 'ash');
  const env = envOf(sh);
  const cwd = sh.from.kind === 'pod' ? ((containerOf(sh.from.pod, sh.from.container) as { workingDir?: string } | undefined)?.workingDir ?? '/') : sh.from.kind === 'node' ? '/home/docker' : '/';
  const vars = new Map(env);
  const session: Session = {
    dialect,
    arg0: name,
    vars,
    exported: new Set(env.map(([k]) => k)),
    funcs: new Map(),
    positional: [],
    cwd,
    last: 0,
    pid: sh.from.kind === 'pod' ? 7 : 2113,
    nextPid: sh.from.kind === 'pod' ? 13 : 2150,
    interactive: !!o.interactive,
    tty: !!o.tty,
    errexit: false,
    xtrace: false,
    files: new Map(),
    dirs: new Set(),
  };
  if (!vars.has('PWD')) vars.set('PWD', cwd);
  if (dialect === 'bash') {
    vars.set('SHLVL', '1');
    session.exported.add('SHLVL');
  }
  return session;
}

function hostFor(sh: Shell, sess: Session): Host {
  const fs = fsOf({ ...sh, session: sess });
  return {
    fs,
    which: (name) => whichPath(sh, name),
    run: (argv, stdin, s) => {
      s.nextPid++;
      return runProgram({ ...sh, session: s }, argv, stdin);
    },
  };
}

// `ls` and globbing list directories through the container's file system
setListDir((fs, dir) => (fs as Fs & { list?: (p: string) => string[] | undefined }).list?.(dir));

/** `sh`, `bash`: -c STRING runs it; a script file runs its lines; no arguments reads commands from stdin. */
function shellProgram(sh: Shell, name: string, args: string[], stdin: Stdin): Result {
  const parent = sh.session;
  const child = openSession(sh, { name });
  if (parent) {
    // a new process: it inherits the exported variables, the directory and the files
    child.vars = new Map([...parent.exported].filter((k) => parent.vars.has(k)).map((k) => [k, parent.vars.get(k) as string]));
    child.exported = new Set(child.vars.keys());
    child.cwd = parent.cwd;
    child.files = parent.files;
    child.dirs = parent.dirs;
    child.pid = parent.nextPid;
    child.nextPid = parent.nextPid + 1;
  }
  let i = 0;
  let script: string | undefined;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-' && args[i] !== '--') {
    if (args[i].includes('c')) script = args[i + 1];
    if (args[i].includes('e')) child.errexit = true;
    if (args[i].includes('x')) child.xtrace = true;
    if (args[i].includes('c')) {
      i += 2;
      break;
    }
    i++;
  }
  const host = hostFor(sh, child);
  if (script !== undefined) {
    if (args[i - 1] !== script) return fail(child.dialect === 'bash' ? `${name}: -c: option requires an argument\n` : `${name}: -c requires an argument\n`, 2);
    if (args[i] !== undefined) child.arg0 = args[i];
    child.positional = args.slice(i + 1);
    const r = new Interp(child, host).run(script);
    return { stdout: r.stdout, stderr: r.stderr, code: r.code };
  }
  if (args[i] !== undefined && args[i] !== '-') {
    const text = host.fs.read(resolvePath(child.cwd, args[i]));
    if (text === undefined) return fail(child.dialect === 'bash' ? `${name}: ${args[i]}: No such file or directory\n` : child.dialect === 'dash' ? `${name}: 0: cannot open ${args[i]}: No such file\n` : `${name}: can't open '${args[i]}': No such file or directory\n`, child.dialect === 'bash' ? 127 : 2);
    child.positional = args.slice(i + 1);
    const r = new Interp(child, host).run(text);
    return { stdout: r.stdout, stderr: r.stderr, code: r.code };
  }
  const r = new Interp(child, host).run(drain(stdin));
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}

// ---------------------------------------------------------------- files

function absPath(sh: Shell, p: string): string {
  return resolvePath(sh.session?.cwd ?? (sh.from.kind === 'node' ? '/home/docker' : '/'), p, sh.session?.vars.get('HOME') ?? '/root');
}

/** The file system where the shell runs: the container's, or a node's few files. */
function fsOf(sh: Shell): ShellFs {
  if (sh.from.kind === 'pod') {
    const c = containerOf(sh.from.pod, sh.from.container) ?? { name: sh.from.container, image: '' };
    const kubelet: Record<string, string> = {
      '/etc/hosts': fileText(sh, '/etc/hosts') as string,
      '/etc/hostname': hostname(sh) + '\n',
      '/etc/resolv.conf': resolvConf(sh.resolver),
      '/dev/termination-log': '',
      ...serviceAccountFiles(sh.net.state, sh.from.pod),
    };
    return new ContainerFs(sh.net.state, sh.from.pod, c, sh.session, kubelet, !sh.scratch);
  }
  return nodeFs(sh);
}

/** The container's file system where the shell is (kubectl cp's tar runs on it), none on a node. */
export function containerFsOf(sh: Shell): ContainerFs | undefined {
  return sh.from.kind === 'pod' ? (fsOf(sh) as ContainerFs) : undefined;
}

/** A file system as the shell's programs use it; a pod's also has volumes (read-only ones, links, modes). */
type ShellFs = Omit<Fs, 'lstat'> & {
  list(p: string): string[] | undefined;
  lstat?(p: string): Stat | undefined;
  ownerNames?(st: Stat): [string, string];
  readError?(p: string): string | undefined;
  fileMode?(p: string): number | undefined;
  mkdir?(p: string): boolean;
  remove?(p: string): boolean;
  chmod?(p: string, mode: number): boolean;
  symlink?(p: string, target: string): boolean;
  resolve?(p: string, last?: boolean): string;
  identity?(): { uid: number };
};


function nodeFs(sh: Shell): ShellFs {
  const sess = sh.session;
  const dirs: Record<string, string[]> = {
    '/': ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var'],
    '/home': ['docker'],
    '/home/docker': [],
    '/tmp': [],
    '/etc': ['hostname', 'hosts', 'os-release', 'resolv.conf'],
  };
  const files: Record<string, string> = {
    '/etc/hostname': hostname(sh) + '\n',
    '/etc/hosts': fileText(sh, '/etc/hosts') as string,
    '/etc/resolv.conf': resolvConf(sh.resolver),
    '/etc/os-release': 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n',
  };
  // what pods wrote through hostPath volumes is on the node (network/volumes.ts)
  const host = sh.from.kind === 'node' ? sh.net.state.runtime().hostPaths?.[sh.from.node.name] : undefined;
  const inHost = (p: string) => {
    const rel = p.replace(/^\/+/, '');
    return !!host && (host.d.includes(rel) || [...Object.keys(host.f), ...host.d].some((k) => k.startsWith(rel + '/')));
  };
  const isDir = (p: string) => !!dirs[p] || !!sess?.dirs.has(p) || (['/bin', '/boot', '/dev', '/lib', '/lib64', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/usr', '/var'].includes(p)) || inHost(p);
  return {
    read: (p) => {
      const w = sess?.files.get(p);
      if (w !== undefined) return w ?? undefined;
      return files[p] ?? host?.f[p.replace(/^\/+/, '')];
    },
    isDir,
    write: (p, text, append) => {
      const dir = p.slice(0, p.lastIndexOf('/')) || '/';
      if (!isDir(dir) || !sess) return !sess;
      sess.files.set(p, (append ? (sess.files.get(p) ?? files[p] ?? '') : '') + text);
      return true;
    },
    list: (p) => {
      if (!isDir(p)) return undefined;
      const names = new Set(dirs[p] ?? []);
      const rel = p.replace(/^\/+/, '');
      for (const k of [...Object.keys(host?.f ?? {}), ...(host?.d ?? [])]) {
        const r = rel ? (k.startsWith(rel + '/') ? k.slice(rel.length + 1) : undefined) : k;
        if (r) names.add(r.split('/')[0]);
      }
      for (const [f, v] of sess?.files ?? []) if ((f.slice(0, f.lastIndexOf('/')) || '/') === p) (v === null ? names.delete(f.slice(f.lastIndexOf('/') + 1)) : names.add(f.slice(f.lastIndexOf('/') + 1)));
      for (const d of sess?.dirs ?? []) if ((d.slice(0, d.lastIndexOf('/')) || '/') === p) names.add(d.slice(d.lastIndexOf('/') + 1));
      return [...names].sort();
    },
  };
}

function cat(sh: Shell, files: string[], stdin: Stdin): Result {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const names = files.filter((f) => f === '-' || !f.startsWith('-'));
  if (!names.length) return ok(drain(stdin));
  const fs = fsOf(sh);
  const bb = isBusybox(sh);
  for (const f of names) {
    if (f === '-') {
      stdout += drain(stdin);
      continue;
    }
    const p = absPath(sh, f);
    if (fs.isDir(p)) {
      stderr += bb ? 'cat: read error: Is a directory\n' : `cat: ${f}: Is a directory\n`;
      code = 1;
      continue;
    }
    const text = fs.read(p);
    const denied = text !== undefined ? fs.readError?.(p) : undefined;
    if (text === undefined || denied) {
      const why = denied ?? 'No such file or directory';
      stderr += bb ? `cat: can't open '${f}': ${why}\n` : `cat: ${f}: ${why}\n`;
      code = 1;
    } else stdout += text;
  }
  return { stdout, stderr, code };
}

/** ls [-1alAdh] [PATH...]: one name a line when the output is not a terminal, columns on one. */
function ls(sh: Shell, args: string[]): Result {
  const flags = args.filter((a) => /^-[a-zA-Z1]+$/.test(a)).join('');
  const paths = args.filter((a) => !/^-[a-zA-Z1]+$/.test(a));
  const all = flags.includes('a');
  const almost = flags.includes('A');
  const long = flags.includes('l');
  const dirOnly = flags.includes('d');
  const fs = fsOf(sh);
  const bb = isBusybox(sh);
  const tty = !!sh.session?.tty;
  let stdout = '';
  let stderr = '';
  let code = 0;
  const targets = paths.length ? paths : ['.'];
  const fileTargets: string[] = [];
  const dirTargets: string[] = [];
  for (const t of targets) {
    const p = absPath(sh, t);
    const denied = fs.isDir(p) && !dirOnly ? fs.readError?.(p) : undefined;
    if (denied) {
      stderr += bb ? `ls: can't open '${t}': ${denied}\n` : `ls: cannot open directory '${t}': ${denied}\n`;
      code = bb ? 1 : 2;
    } else if (fs.isDir(p) && !dirOnly) dirTargets.push(t);
    else if (fs.isDir(p) || fs.read(p) !== undefined || fs.lstat?.(p)) fileTargets.push(t);
    else {
      stderr += bb ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`;
      code = bb ? 1 : 2;
    }
  }
  const render = (names: string[], dir: string, operands = false): string => {
    if (long) {
      const rows = names.map((n) => {
        const p = n === '.' || n === '..' ? resolvePath(dir, n) : n.startsWith('/') ? n : resolvePath(dir, n);
        const st = fs.lstat?.(p);
        const isD = st ? st.type === 'd' : fs.isDir(p);
        const size = st ? st.size : isD ? 4096 : Buffer.byteLength(fs.read(p) ?? '');
        const mode = st ? modeString(st) : isD ? 'drwxr-xr-x' : '-rw-r--r--';
        // a symbolic link's target lives in its inode: it takes no blocks (the `total` line)
        const [user, group] = st && fs.ownerNames ? fs.ownerNames(st) : ['root', 'root'];
        return { mode, links: isD ? 2 : 1, size, blocks: st?.link ? 0 : Math.ceil(size / 4096) * 4, name: st?.link ? `${n} -> ${st.link}` : n, user, group };
      });
      // kubesim keeps no modification times: a listed file is shown as changed at the present on
      // the simulated clock (ls's recent-file form, "%b %e %H:%M")
      const when = lsTime(nowMs());
      if (bb) return rows.map((r) => `${r.mode} ${String(r.links).padStart(4)} ${r.user.slice(0, 8).padEnd(8)} ${r.group.slice(0, 8).padEnd(8)} ${String(r.size).padStart(9)} ${when} ${r.name}\n`).join('');
      const w = Math.max(...rows.map((r) => String(r.size).length), 1);
      const uw = Math.max(...rows.map((r) => r.user.length));
      const gw = Math.max(...rows.map((r) => r.group.length));
      // coreutils prints the total for a directory's listing, not for file operands (print_dir)
      return (operands ? '' : `total ${rows.reduce((s, r) => s + r.blocks, 0)}\n`) + rows.map((r) => `${r.mode} ${r.links} ${r.user.padEnd(uw)} ${r.group.padEnd(gw)} ${String(r.size).padStart(w)} ${when} ${r.name}\n`).join('');
    }
    if (!tty || !names.length) return names.map((n) => n + '\n').join('');
    // ls -C: columns down then across, as wide as an 80-column terminal allows
    const width = Math.max(...names.map((n) => n.length)) + 2;
    const cols = Math.max(1, Math.floor(80 / width));
    const rowsN = Math.ceil(names.length / cols);
    let out = '';
    for (let r = 0; r < rowsN; r++) {
      const cells: string[] = [];
      for (let c = 0; c < cols; c++) {
        const n = names[c * rowsN + r];
        if (n !== undefined) cells.push(n);
      }
      out += cells.map((n, i) => (i === cells.length - 1 ? n : n.padEnd(width))).join('') + '\n';
    }
    return out;
  };
  if (fileTargets.length) stdout += render(fileTargets, sh.session?.cwd ?? '/', true);
  dirTargets.forEach((t, i) => {
    const p = absPath(sh, t);
    let names = fs.list(p) ?? [];
    if (!all && !almost) names = names.filter((n) => !n.startsWith('.'));
    if (all) names = ['.', '..', ...names];
    if (targets.length > 1) stdout += `${i || fileTargets.length ? '\n' : ''}${t}:\n`;
    stdout += render(names, p);
  });
  return { stdout, stderr, code };
}

/** drwxrwxrwt, -rw-r--r--, lrwxrwxrwx: ls's mode column. */
function modeString(st: Stat): string {
  const bits = 'rwxrwxrwx'.split('').map((ch, i) => (st.mode & (1 << (8 - i)) ? ch : '-'));
  if (st.mode & 0o1000) bits[8] = bits[8] === 'x' ? 't' : 'T';
  if (st.mode & 0o2000) bits[5] = bits[5] === 'x' ? 's' : 'S';
  return (st.type === 'd' ? 'd' : st.type === 'l' ? 'l' : '-') + bits.join('');
}

/**
 * stat -c FORMAT [-L] FILE...: the format letters that show what a volume's files are (%a %A %n %N
 * %s %F %U %G %u %g); a symlink is itself unless -L follows it (a configMap key is a link to ..data).
 */
function stat(sh: Shell, args: string[]): Result {
  let format: string | undefined;
  let follow = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--format') format = args[++i];
    else if (a.startsWith('--format=') || a.startsWith('--printf=')) format = a.slice(a.indexOf('=') + 1) + (a.startsWith('--format=') ? '' : '\0');
    else if (a === '-L' || a === '--dereference') follow = true;
    else names.push(a);
  }
  if (format === undefined) return fail(`kubesim: stat is in this ${sh.from.kind === 'pod' ? 'image' : 'node'}, but kubesim simulates only stat -c FORMAT\n`);
  const fs = fsOf(sh);
  const bb = isBusybox(sh);
  let stdout = '';
  let stderr = '';
  for (const n of names) {
    const p = absPath(sh, n);
    let st = fs.lstat?.(p) ?? (fs.isDir(p) ? { type: 'd' as const, mode: 0o755, size: 4096 } : fs.read(p) !== undefined ? { type: 'f' as const, mode: 0o644, size: Buffer.byteLength(fs.read(p) ?? '') } : undefined);
    if (!st) {
      stderr += bb ? `stat: can't stat '${n}': No such file or directory\n` : `stat: cannot statx '${n}': No such file or directory\n`;
      continue;
    }
    if (follow && st.type === 'l') st = fs.isDir(p) ? { type: 'd', mode: 0o755, size: 4096 } : { type: 'f', mode: fs.fileMode?.(p) ?? 0o644, size: Buffer.byteLength(fs.read(p) ?? '') };
    const s = st;
    const type = s.type === 'd' ? 'directory' : s.type === 'l' ? 'symbolic link' : s.size === 0 ? 'regular empty file' : 'regular file';
    const codes: Record<string, () => string> = {
      a: () => (s.mode & 0o7777).toString(8),
      A: () => modeString(s),
      n: () => n,
      N: () => (s.type === 'l' && s.link ? `'${n}' -> '${s.link}'` : `'${n}'`),
      s: () => String(s.size),
      F: () => type,
      U: () => (fs.ownerNames ? fs.ownerNames(s)[0] : 'root'),
      G: () => (fs.ownerNames ? fs.ownerNames(s)[1] : 'root'),
      u: () => String(s.uid ?? 0),
      g: () => String(s.gid ?? 0),
      '%': () => '%',
    };
    stdout += format.replace(/%(.)/g, (m, ch: string) => (codes[ch] ? codes[ch]() : m)) + (format.endsWith('\0') ? '' : '\n');
  }
  return { stdout: stdout.replace(/\0$/, ''), stderr, code: stderr ? 1 : 0 };
}

/**
 * tar with the archive on stdin or stdout (`f -`), as kubectl cp and `exec … tar cf - DIR | tar xf -`
 * use it: c (create), x (extract, -C DIR), t (list). The archive is ustar; it passes through the
 * exec streams as text, so what is not UTF-8 text does not survive it (kubectl cp itself keeps bytes).
 */
function tar(sh: Shell, args: string[], stdin: Stdin): Result {
  const fs = sh.from.kind === 'pod' ? (fsOf(sh) as ContainerFs) : undefined;
  const gnu = !isBusybox(sh);
  let mode = '';
  let file: string | undefined;
  let dir = '.';
  let keepModes = false;
  let noSameModes = false;
  const paths: string[] = [];
  const words = [...args];
  if (words[0] && !words[0].startsWith('-')) words[0] = `-${words[0]}`;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-C' || w === '--directory') dir = words[++i] ?? '.';
    else if (w === '--no-same-permissions') noSameModes = true;
    else if (w === '--same-permissions' || w === '--preserve-permissions') keepModes = true;
    else if (w.startsWith('--')) continue; // --no-same-owner: the archive's owner is root's anyway (what the shell's tar makes)
    else if (/^-[a-zA-Z]+$/.test(w)) {
      for (const ch of w.slice(1)) {
        if (ch === 'p') keepModes = true;
        if ('cxt'.includes(ch)) mode = ch;
        else if (ch === 'f') file = words[++i];
        else if (ch === 'C') dir = words[++i] ?? '.';
      }
    } else paths.push(w);
  }
  if (!fs || !mode || file !== '-') return fail(`kubesim: tar is in this ${sh.from.kind === 'pod' ? 'image' : 'node'}, but kubesim simulates only tar cf - PATH…, tar xf - [-C DIR] and tar tf - in a pod\n`);
  const cwd = sh.session?.cwd ?? '/';
  if (mode === 'c') {
    if (!paths.length) return fail(gnu ? "tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n" : 'tar: empty archive\n', gnu ? 2 : 1);
    const runs = paths.map((p) => tarCreate(fs, gnu, cwd, p));
    const stderr = runs.map((r) => r.stderr).join('').replace(/(tar: Removing leading `\/' from member names\n)(.*)\1/s, '$1$2');
    const bytes = tarBytes(runs.flatMap((r) => r.entries));
    const text = bytes.toString('utf8');
    // tar names the members (and says it removes their leading "/") as it writes them: its note
    // comes before the archive is through
    return { stdout: Buffer.from(text, 'utf8').equals(bytes) ? text : bytes.toString('latin1'), stdoutBytes: bytes, stderrFirst: true, stderr, code: Math.max(...runs.map((r) => r.code)) };
  }
  // the archive as it came: the bytes of a stream's stdin, else the text given
  const raw = stdin.bytes && stdin.pos === 0 ? stdin.bytes : undefined;
  const text = drain(stdin);
  const entries = tarEntries(raw ?? Buffer.from(text, 'utf8'));
  if (!entries) return fail(gnu ? 'tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n' : 'tar: invalid tar magic\n', gnu ? 2 : 1);
  if (mode === 't') return ok(entries.map((e) => (e.type === 'd' ? `${e.name}/` : e.name) + '\n').join(''));
  // root's tar keeps the headers' modes (-p, --same-permissions for anyone; --no-same-permissions not)
  const same = (fs.identity().uid === 0 || keepModes) && !noSameModes;
  const r = tarExtract(fs, gnu, cwd, dir, entries, { samePermissions: same });
  return { stdout: '', stderr: r.stderr, code: r.code };
}

function touch(sh: Shell, args: string[]): Result {
  const fs = fsOf(sh);
  let stderr = '';
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    const p = absPath(sh, f);
    const denied = fs.writeError?.(p);
    if (denied) {
      stderr += isBusybox(sh) ? `touch: ${f}: ${denied}\n` : `touch: cannot touch '${f}': ${denied}\n`;
      continue;
    }
    if (fs.read(p) !== undefined || fs.isDir(p)) continue;
    if (!fs.write(p, '', true)) stderr += isBusybox(sh) ? `touch: ${f}: No such file or directory\n` : `touch: cannot touch '${f}': No such file or directory\n`;
  }
  return { stdout: '', stderr, code: stderr ? 1 : 0 };
}

function mkdir(sh: Shell, args: string[]): Result {
  const fs = fsOf(sh);
  const parents = args.some((a) => /^-\w*p/.test(a));
  let stderr = '';
  for (const d of args.filter((a) => !a.startsWith('-'))) {
    const p = absPath(sh, d);
    if (fs.isDir(p)) {
      if (!parents) stderr += isBusybox(sh) ? `mkdir: can't create directory '${d}': File exists\n` : `mkdir: cannot create directory '${d}': File exists\n`;
      continue;
    }
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!fs.isDir(parent) && !parents) {
      stderr += isBusybox(sh) ? `mkdir: can't create directory '${d}': No such file or directory\n` : `mkdir: cannot create directory '${d}': No such file or directory\n`;
      continue;
    }
    const denied = fs.writeError?.(p);
    if (denied) {
      stderr += isBusybox(sh) ? `mkdir: can't create directory '${d}': ${denied}\n` : `mkdir: cannot create directory '${d}': ${denied}\n`;
      continue;
    }
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const q = '/' + parts.slice(0, i).join('/');
      if (!fs.isDir(q) && !fs.mkdir?.(q)) sh.session?.dirs.add(q);
    }
  }
  return { stdout: '', stderr, code: stderr ? 1 : 0 };
}

function rm(sh: Shell, args: string[]): Result {
  const fs = fsOf(sh);
  const force = args.some((a) => /^-\w*f/.test(a));
  const recursive = args.some((a) => /^-\w*[rR]/.test(a));
  let stderr = '';
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    const p = absPath(sh, f);
    if (fs.lstat?.(p)?.type === 'l') {
      // a symbolic link goes, not what it points at
      const denied = fs.writeError?.(p, false);
      if (denied) stderr += isBusybox(sh) ? `rm: can't remove '${f}': ${denied}\n` : `rm: cannot remove '${f}': ${denied}\n`;
      else fs.remove?.(p);
      continue;
    }
    const exists = fs.isDir(p) || fs.read(p) !== undefined;
    const denied = exists && (recursive || !fs.isDir(p)) ? fs.writeError?.(p) : undefined;
    if (denied) {
      stderr += isBusybox(sh) ? `rm: can't remove '${f}': ${denied}\n` : `rm: cannot remove '${f}': ${denied}\n`;
      continue;
    }
    if (fs.isDir(p)) {
      if (!recursive) stderr += isBusybox(sh) ? `rm: '${f}' is a directory\n` : `rm: cannot remove '${f}': Is a directory\n`;
      else if (!fs.remove?.(p)) sh.session?.dirs.delete(p);
      continue;
    }
    if (fs.read(p) === undefined) {
      if (!force) stderr += isBusybox(sh) ? `rm: can't remove '${f}': No such file or directory\n` : `rm: cannot remove '${f}': No such file or directory\n`;
      continue;
    }
    if (!fs.remove?.(p)) sh.session?.files.set(p, null);
  }
  return { stdout: '', stderr, code: stderr ? 1 : 0 };
}

/**
 * chmod [-R] MODE FILE...: octal or symbolic modes ([ugoa]*[-+=][rwxXst]*, comma-separated), kept
 * with the volume's or the writable layer's files. Only the owner or root may (EPERM), and not on a
 * read-only mount (EROFS comes first: chmod_common's mnt_want_write). Messages: busybox
 * coreutils/chmod.c (bb_simple_perror_msg of the name), coreutils chmod.c.
 */
function chmod(sh: Shell, args: string[]): Result {
  const fs = fsOf(sh);
  const bb = isBusybox(sh);
  const recursive = args.some((a) => /^-[a-zA-Z]*R/.test(a));
  const words = args.filter((a) => !/^-[RvcfH]+$/.test(a));
  const [spec, ...files] = words;
  if (spec === undefined || !files.length) return fail(bb ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: chmod [-Rcvf] MODE[,MODE]... FILE...\n' : spec === undefined ? "chmod: missing operand\nTry 'chmod --help' for more information.\n" : `chmod: missing operand after '${spec}'\nTry 'chmod --help' for more information.\n`);
  if (parseMode(spec, 0o644, false) === undefined) return fail(bb ? `chmod: invalid mode '${spec}'\n` : `chmod: invalid mode: '${spec}'\nTry 'chmod --help' for more information.\n`);
  let stderr = '';
  const uid = fs.identity?.().uid ?? 0;
  const one = (p: string, name: string) => {
    const st = fs.lstat?.(fs.resolve?.(p) ?? p);
    if (!st || (fs.resolve && fs.read(p) === undefined && !fs.isDir(p))) {
      stderr += bb ? `chmod: ${name}: No such file or directory\n` : `chmod: cannot access '${name}': No such file or directory\n`;
      return;
    }
    const ro = fs.writeError?.(p) === 'Read-only file system';
    const why = ro ? 'Read-only file system' : uid !== 0 && (st.uid ?? 0) !== uid ? 'Operation not permitted' : undefined;
    if (why) {
      stderr += bb ? `chmod: ${name}: ${why}\n` : `chmod: changing permissions of '${name}': ${why}\n`;
      return;
    }
    fs.chmod?.(p, parseMode(spec, st.mode, st.type === 'd') as number);
    if (recursive && fs.isDir(p)) for (const n of fs.list(p) ?? []) if (fs.lstat?.(`${p}/${n}`)?.type !== 'l') one(`${p === '/' ? '' : p}/${n}`, `${name}/${n}`);
  };
  for (const f of files) one(absPath(sh, f), f);
  return { stdout: '', stderr, code: stderr ? 1 : 0 };
}

/** A chmod mode applied to `old`: octal, or symbolic clauses (the umask does not apply to an explicit who). */
function parseMode(spec: string, old: number, dir: boolean): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = old & 0o7777;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    for (const [, op, perms] of m[2].matchAll(/([-+=])([rwxXst]*)/g)) {
      let bits = 0;
      const x = perms.includes('x') || (perms.includes('X') && (dir || (old & 0o111) !== 0));
      for (const w of who) {
        const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
        if (perms.includes('r')) bits |= 4 << shift;
        if (perms.includes('w')) bits |= 2 << shift;
        if (x) bits |= 1 << shift;
        if (perms.includes('s') && w === 'u') bits |= 0o4000;
        if (perms.includes('s') && w === 'g') bits |= 0o2000;
      }
      if (perms.includes('t')) bits |= 0o1000;
      // with no who, + and = leave the umask's bits alone (chmod +w: u only under 022)
      if (m[1] === '' && op !== '-') bits &= ~0o022;
      if (op === '+') mode |= bits;
      else if (op === '-') mode &= ~bits;
      else {
        let clear = 0;
        for (const w of who) clear |= 0o7 << (w === 'u' ? 6 : w === 'g' ? 3 : 0);
        mode = (mode & ~clear) | bits;
      }
    }
  }
  return mode;
}

/**
 * ln -s [-f] [-n] TARGET [LINK]: a symbolic link (kubesim keeps no hard links). LINK may be a
 * directory (the link goes in it, named as the target). Messages: busybox coreutils/ln.c
 * (bb_simple_perror_msg of the link's name), coreutils ln.c ("failed to create symbolic link").
 */
function ln(sh: Shell, args: string[]): Result {
  const fs = fsOf(sh);
  const bb = isBusybox(sh);
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const words = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
  if (!flags.includes('s')) return fail(`kubesim: ln is in this image, but kubesim simulates only ln -s (symbolic links)\n`);
  if (!words.length) return fail(bb ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR\n' : "ln: missing file operand\nTry 'ln --help' for more information.\n");
  const target = words[0];
  let name = words[1] ?? (target.replace(/\/+$/, '').split('/').pop() as string);
  let p = absPath(sh, name);
  if (!flags.includes('n') && fs.isDir(p)) {
    name = `${name.replace(/\/+$/, '')}/${target.replace(/\/+$/, '').split('/').pop()}`;
    p = absPath(sh, name);
  }
  const err = (why: string) => fail(bb ? `ln: ${name}: ${why}\n` : `ln: failed to create symbolic link '${name}': ${why}\n`);
  const parent = p.slice(0, p.lastIndexOf('/')) || '/';
  if (!fs.isDir(parent)) return err('No such file or directory');
  const there = fs.lstat?.(p);
  if (there && !flags.includes('f')) return err('File exists');
  const denied = fs.writeError?.(p, false);
  if (denied) return err(denied);
  if (there?.type === 'd') return bb ? fail(`ln: ${name}: Is a directory\n`) : fail(`ln: cannot remove '${name}': Is a directory\n`);
  if (there) fs.remove?.(p);
  if (!fs.symlink?.(p, target)) return err('Read-only file system');
  return ok('');
}

/** readlink [-f] PATH: a link's target (nothing and status 1 for what is not one); -f the path with every link followed. */
function readlink(sh: Shell, args: string[]): Result {
  const fs = fsOf(sh);
  const canon = args.some((a) => /^-[a-zA-Z]*[fem]/.test(a));
  let stdout = '';
  let code = 0;
  for (const a of args.filter((x) => !x.startsWith('-'))) {
    const p = absPath(sh, a);
    if (canon) {
      const r = fs.resolve ? fs.resolve(p) : p;
      if (fs.read(r) === undefined && !fs.isDir(r) && !fs.isDir(r.slice(0, r.lastIndexOf('/')) || '/')) code = 1;
      else stdout += r + '\n';
      continue;
    }
    const st = fs.lstat?.(p);
    if (st?.type === 'l' && st.link !== undefined) stdout += st.link + '\n';
    else code = 1;
  }
  return { stdout, stderr: '', code };
}

// ---------------------------------------------------------------- processes, clock, system

function sleep(sh: Shell, args: string[]): Result {
  // the simulated clock does not move: sleep returns at once, but checks its argument as the real one does
  if (!args.length) return fail(isBusybox(sh) ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n' : "sleep: missing operand\nTry 'sleep --help' for more information.\n");
  for (const a of args) {
    if (/^(\d+(\.\d*)?|\.\d+)[smhd]?$/.test(a) || a === 'infinity') continue;
    return fail(isBusybox(sh) ? `sleep: invalid number '${a}'\n` : `sleep: invalid time interval \u2018${a}\u2019\nTry 'sleep --help' for more information.\n`);
  }
  return ok('');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ls -l's time of a file changed within six months: "Mar  1 17:00" (UTC, as containers run) */
function lsTime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}

/** date [+FORMAT] on the simulated clock, in UTC (containers and kubeadm nodes run in UTC). */
function date(sh: Shell, args: string[]): Result {
  const d = new Date(nowMs());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const fmt = args.find((a) => a.startsWith('+'));
  const bad = args.find((a) => !a.startsWith('+') && a !== '-u' && a !== '--utc' && a !== '-R' && a !== '-I' && !a.startsWith('-I'));
  if (bad) return fail(isBusybox(sh) ? `date: invalid date '${bad}'\n` : `date: invalid date \u2018${bad}\u2019\n`);
  if (args.includes('-R')) return ok(`${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000\n`);
  if (args.includes('-I')) return ok(d.toISOString().slice(0, 10) + '\n');
  const codes: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()],
    A: () => ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    h: () => MONTHS[d.getUTCMonth()],
    d: () => p2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2),
    m: () => p2(d.getUTCMonth() + 1),
    Y: () => String(d.getUTCFullYear()),
    y: () => p2(d.getUTCFullYear() % 100),
    H: () => p2(d.getUTCHours()),
    M: () => p2(d.getUTCMinutes()),
    S: () => p2(d.getUTCSeconds()),
    s: () => String(Math.floor(d.getTime() / 1000)),
    N: () => String((d.getTime() % 1000) * 1000000).padStart(9, '0'),
    Z: () => 'UTC',
    z: () => '+0000',
    F: () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    T: () => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  const f = fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S %Z %Y';
  return ok(f.replace(/%(.)/g, (m, c: string) => (codes[c] ? codes[c]() : m)) + '\n');
}

function uname(sh: Shell, args: string[]): Result {
  const node = sh.from.kind === 'outside' ? undefined : sh.from.node;
  const kernel = node?.obj.status?.nodeInfo?.kernelVersion ?? '6.8.0-49-generic';
  const version = `#${/-(\d+)-/.exec(kernel)?.[1] ?? '1'}-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024`;
  const fields: Record<string, string> = { s: 'Linux', n: hostname(sh), r: kernel, v: version, m: 'x86_64', o: 'GNU/Linux' };
  const flags = args.join('').replace(/-/g, '');
  if (!flags) return ok('Linux\n');
  const order = flags.includes('a') ? 'snrvmo' : 'snrvmo'.split('').filter((c) => flags.includes(c)).join('');
  return ok(order.split('').map((c) => fields[c]).join(' ') + '\n');
}

function ps(sh: Shell, args: string[]): Result {
  const a = args.join(' ');
  if (sh.from.kind === 'pod') {
    const info = infoOf(sh) as ImageInfo;
    const c = containerOf(sh.from.pod, sh.from.container) ?? { name: '', image: '' };
    const cpus = Number(sh.from.node.obj.status?.capacity?.cpu ?? 2) || 2;
    const procs = containerProcs(c, sh.from.pod, sh.session, cpus, sh.session ? sh.session.nextPid : 7);
    if (!info.procps) return ok(busyboxPs(procs));
    const now = nowMs();
    const np = procs.map((p) => ({ user: p.user, pid: p.pid, ppid: p.pid === 1 ? 0 : 1, vsz: 4372, rss: 2800, tty: sh.session?.tty && p.pid !== 1 ? 'pts/0' : '?', stat: p.pid === 1 ? 'Ss' : p.cmd === 'ps' ? 'R+' : 'Ss', startMs: now, rate: 0, cmd: p.cmd === 'ps' ? `ps ${a}`.trim() : p.cmd }));
    if (/a/.test(a) && /u/.test(a)) return ok(psAux(np, now, 8000000));
    if (/-\w*e/.test(a) && /f/.test(a)) return ok(psEf(np, now));
    return ok(psSimple(np, now));
  }
  if (sh.from.kind !== 'node') return undefined as never;
  const now = nowMs();
  const mem = Number(/^(\d+)Ki$/.exec(sh.from.node.obj.status?.capacity?.memory ?? '')?.[1] ?? 8000000);
  const procs = nodeProcesses(sh.net.state, sh.from.node, now, { interactive: !!sh.session?.interactive, user: 'docker', cmd: `ps ${a}`.trim() });
  const bsd = !a.startsWith('-') && /a/.test(a) && /x/.test(a);
  if (bsd && /u/.test(a)) return ok(psAux(procs, now, mem));
  if (/-\w*e/.test(a) && /f/.test(a)) return ok(psEf(procs, now));
  if (/-\w*[eA]/.test(a) || bsd) return ok(psSimple(procs, now));
  return ok(psSimple(procs.filter((p) => p.tty !== '?' || p.cmd.startsWith('ps')), now));
}

/** `ip` in a pod: busybox's applet (addr, route, link). */
function podIp(sh: Shell, args: string[]): Result {
  if (sh.from.kind !== 'pod') return fail('');
  const i = podInterface(sh.from.pod, sh.from.node.podCIDR);
  const sub = args.find((x) => !x.startsWith('-')) ?? '';
  if (sub && 'address'.startsWith(sub)) return ok(busyboxIpAddr(i));
  if (sub && 'route'.startsWith(sub)) return ok(busyboxIpRoute(i, sh.from.node.bridgeIP, sh.from.node.podCIDR));
  if (sub && 'link'.startsWith(sub)) return ok(busyboxIpAddr(i).split('\n').filter((l) => /^\d|link\//.test(l)).join('\n') + '\n');
  return fail('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n\nOPTIONS := -f[amily] inet|inet6|link | -o[neline]\n', 1);
}

/** nginx -v, -V, -t, -s SIGNAL: the binary's answers (its messages go to stderr). */
function nginx(sh: Shell, args: string[]): Result {
  const c = sh.from.kind === 'pod' ? containerOf(sh.from.pod, sh.from.container) : undefined;
  const v = nginxVersion(c?.image ?? '');
  if (args.includes('-v')) return { stdout: '', stderr: `nginx version: nginx/${v}\n`, code: 0 };
  if (args.includes('-V')) return { stdout: '', stderr: `nginx version: nginx/${v}\nbuilt by gcc 12.2.0 (Debian 12.2.0-14) \nbuilt with OpenSSL 3.0.11 19 Sep 2023 (running with OpenSSL 3.0.15 3 Sep 2024)\nTLS SNI support enabled\n`, code: 0 };
  if (args.includes('-t') || args.includes('-T')) return { stdout: '', stderr: 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n', code: 0 };
  const s = args.indexOf('-s');
  if (s >= 0) {
    const d = new Date(nowMs()).toISOString();
    return { stdout: '', stderr: `${d.slice(0, 10).replace(/-/g, '/')} ${d.slice(11, 19)} [notice] 45#45: signal process started\n`, code: 0 };
  }
  // a second nginx: the first one holds port 80
  const bind = '[emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)';
  return { stdout: '', stderr: `nginx: ${bind}\nnginx: [emerg] bind() to [::]:80 failed (98: Address already in use)\n`.repeat(5) + 'nginx: [emerg] still could not bind()\n', code: 1 };
}

// ---------------------------------------------------------------- text filters

/** grep, head, tail, wc, sort, uniq, cut, tr over stdin or files. */
function filter(sh: Shell, argv: string[], stdin: Stdin): Result {
  const [prog, ...rawArgs] = argv;
  const fs = fsOf(sh);
  // options with a value: -n N, -c N, -d X, -f N, -e PAT, -k N, -t X
  const opts: string[] = [];
  const operands: string[] = [];
  const withValue: Record<string, string> = { head: 'nc', tail: 'nc', cut: 'dfc', grep: 'emAB', sort: 'kt' };
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i];
    if (a.startsWith('-') && a.length > 1 && !/^-\d+$/.test(a)) {
      opts.push(a);
      const last = a[a.length - 1];
      if (a.length === 2 && (withValue[prog] ?? '').includes(last) && i + 1 < rawArgs.length) opts.push(rawArgs[++i]);
    } else if (/^-\d+$/.test(a)) opts.push('-n', a.slice(1));
    else operands.push(a);
  }
  const flag = (c: string) => opts.some((o) => /^-[a-zA-Z]+$/.test(o) && o.includes(c));
  const value = (c: string): string | undefined => {
    const i = opts.findIndex((o) => o === `-${c}`);
    if (i >= 0) return opts[i + 1];
    const inline = opts.find((o) => o.startsWith(`-${c}`) && o.length > 2);
    return inline?.slice(2);
  };
  const bb = isBusybox(sh);
  let input = '';
  let stderr = '';
  let code = 0;
  const pattern = prog === 'grep' ? (value('e') ?? operands.shift() ?? '') : '';
  const inputs = prog === 'tr' ? [] : operands;
  if (!inputs.length) input = drain(stdin);
  for (const f of inputs) {
    const text = f === '-' ? drain(stdin) : fs.read(absPath(sh, f));
    if (text === undefined) {
      stderr += bb ? `${prog}: ${f}: No such file or directory\n` : prog === 'head' || prog === 'tail' ? `${prog}: cannot open '${f}' for reading: No such file or directory\n` : `${prog}: ${f}: No such file or directory\n`;
      code = prog === 'grep' ? 2 : 1;
    } else input += text;
  }
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out = (ls: string[]): Result => ({ stdout: ls.map((l) => l + '\n').join(''), stderr, code });
  const num = (c: string, def: number) => {
    const v = value(c);
    return v === undefined ? def : Math.abs(Number(v.replace(/^\+/, ''))) || 0;
  };
  switch (prog) {
    case 'head':
      return out(lines.slice(0, num('n', 10)));
    case 'tail': {
      const v = value('n');
      if (v?.startsWith('+')) return out(lines.slice(Math.max(0, Number(v.slice(1)) - 1)));
      const n = num('n', 10);
      return out(n ? lines.slice(Math.max(0, lines.length - n)) : []);
    }
    case 'wc': {
      const words = input.split(/\s+/).filter(Boolean).length;
      const nl = (input.match(/\n/g) ?? []).length;
      const bytes = Buffer.byteLength(input);
      const name = operands.length === 1 ? ` ${operands[0]}` : '';
      if (flag('l') || flag('w') || flag('c')) {
        const picked = [flag('l') ? nl : undefined, flag('w') ? words : undefined, flag('c') ? bytes : undefined].filter((x) => x !== undefined);
        if (picked.length === 1) return { stdout: `${picked[0]}${name}\n`, stderr, code };
        return { stdout: picked.map((x) => String(x).padStart(bb ? 9 : 7)).join(' ') + name + '\n', stderr, code };
      }
      return { stdout: bb ? `${String(nl).padStart(9)} ${String(words).padStart(9)} ${String(bytes).padStart(9)}${name}\n` : `${String(nl).padStart(7)} ${String(words).padStart(7)} ${String(bytes).padStart(7)}${name}\n`, stderr, code };
    }
    case 'sort': {
      let s = [...lines];
      const k = value('k');
      const t = value('t');
      const key = (l: string) => (k ? (t ? l.split(t) : l.trim().split(/\s+/))[Number(k.split(',')[0]) - 1] ?? '' : l);
      if (flag('n')) s.sort((x, y) => (parseFloat(key(x)) || 0) - (parseFloat(key(y)) || 0));
      else s.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
      if (flag('r')) s.reverse();
      if (flag('u')) s = s.filter((l, i) => i === 0 || l !== s[i - 1]);
      return out(s);
    }
    case 'uniq': {
      const groups: [string, number][] = [];
      for (const l of lines) {
        const last = groups[groups.length - 1];
        if (last && last[0] === l) last[1]++;
        else groups.push([l, 1]);
      }
      return out(groups.filter(([, n]) => (flag('d') ? n > 1 : flag('u') ? n === 1 : true)).map(([l, n]) => (flag('c') ? `${String(n).padStart(7)} ${l}` : l)));
    }
    case 'cut': {
      const d = value('d') ?? '\t';
      const f = value('f');
      const c = value('c');
      const ranges = (spec: string) => spec.split(',').map((r) => {
        const [a, b] = r.split('-');
        return [a ? Number(a) : 1, r.includes('-') ? (b ? Number(b) : Infinity) : Number(a)] as [number, number];
      });
      if (f) return out(lines.map((l) => (l.includes(d) ? l.split(d).filter((_x, i) => ranges(f).some(([a, b]) => i + 1 >= a && i + 1 <= b)).join(d) : l)));
      if (c) return out(lines.map((l) => l.split('').filter((_x, i) => ranges(c).some(([a, b]) => i + 1 >= a && i + 1 <= b)).join('')));
      return fail(bb ? 'cut: expected a list of bytes, characters, or fields\n' : 'cut: you must specify a list of bytes, characters, or fields\nTry \'cut --help\' for more information.\n');
    }
    case 'tr': {
      const expand = (set: string) => set.replace(/\[:upper:\]/g, 'A-Z').replace(/\[:lower:\]/g, 'a-z').replace(/\[:digit:\]/g, '0-9').replace(/\[:space:\]/g, ' \t\n').replace(/(.)-(.)/g, (_m, a: string, b: string) => Array.from({ length: Math.max(0, b.charCodeAt(0) - a.charCodeAt(0) + 1) }, (_x, i) => String.fromCharCode(a.charCodeAt(0) + i)).join('')).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      const [a = '', b = ''] = operands.map(expand);
      if (flag('d')) return { stdout: input.split('').filter((ch) => !a.includes(ch)).join(''), stderr, code };
      let res = input.split('').map((ch) => {
        const i = a.indexOf(ch);
        return i < 0 ? ch : (b[Math.min(i, b.length - 1)] ?? ch);
      }).join('');
      if (flag('s')) res = res.replace(new RegExp(`([${(b || a).replace(/[\]\\^-]/g, '\\$&')}])\\1+`, 'g'), '$1');
      return { stdout: res, stderr, code };
    }
    case 'grep': {
      let re: RegExp;
      try {
        const src = flag('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flag('E') ? pattern : basicRegex(pattern);
        re = new RegExp(flag('w') ? `\\b(?:${src})\\b` : flag('x') ? `^(?:${src})$` : src, flag('i') ? 'i' : '');
      } catch {
        return fail(bb ? `grep: bad regex '${pattern}'\n` : 'grep: Unmatched ( or \\(\n', 2);
      }
      const hits = lines.map((l, i) => [l, i] as const).filter(([l]) => re.test(l) !== flag('v'));
      const found = hits.length ? 0 : 1;
      if (flag('q')) return { stdout: '', stderr, code: code === 2 ? 2 : found };
      if (flag('c')) return { stdout: `${hits.length}\n`, stderr, code: code === 2 ? 2 : found };
      if (flag('o')) return { stdout: hits.flatMap(([l]) => [...l.matchAll(new RegExp(re.source, re.flags + 'g'))].map((m) => m[0] + '\n')).join(''), stderr, code: code === 2 ? 2 : found };
      return { stdout: hits.map(([l, i]) => (flag('n') ? `${i + 1}:${l}` : l) + '\n').join(''), stderr, code: code === 2 ? 2 : found };
    }
  }
  return fail(`${prog}: not simulated\n`);
}

/** A POSIX basic regular expression as a JavaScript one: \( \) \{ \} \| group, the bare ones are literal. */
function basicRegex(p: string): string {
  return p.replace(/\\([(){}|+?])|([(){}|+?])/g, (_m, esc: string | undefined, bare: string | undefined) => (esc ? esc : `\\${bare}`));
}

export { globToRegExp };

/** hostname -f: the canonical name /etc/hosts gives the hostname (the FQDN the kubelet writes for a pod with a subdomain). */
function fqdn(sh: Shell): string {
  const p = sh.from.kind === 'pod' ? sh.from.pod : undefined;
  if (p?.spec?.subdomain) return `${podHostname(p)}.${p.spec.subdomain}.${p.metadata.namespace}.svc.${ZONE}`;
  return hostname(sh);
}

function hostname(sh: Shell): string {
  if (sh.from.kind === 'pod') return sh.from.pod.spec?.hostname ?? sh.from.pod.metadata.name;
  if (sh.from.kind === 'node') return sh.from.node.name;
  return 'laptop';
}

/** The environment a program sees: the session's exported variables, or the process's own at start. */
function envOf(sh: Shell): [string, string][] {
  const s = sh.session;
  if (s) return [...s.vars].filter(([k]) => s.exported.has(k));
  if (sh.from.kind === 'pod') return containerEnv(sh.net.state, sh.from.pod, sh.from.container);
  return [
    ['SHELL', '/bin/bash'],
    ['PWD', '/home/docker'],
    ['LOGNAME', 'docker'],
    ['HOME', '/home/docker'],
    ['USER', 'docker'],
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  ];
}

function fileText(sh: Shell, f: string): string | undefined {
  switch (f) {
    case '/etc/resolv.conf':
      return resolvConf(sh.resolver);
    case '/etc/hostname':
      return hostname(sh) + '\n';
    case '/etc/hosts': {
      if (sh.from.kind === 'pod') {
        const p = sh.from.pod;
        // kubelet managedHostsFileContent: with a subdomain the FQDN <hostname>.<subdomain>.<ns>.svc.<zone> first
        const host = podHostname(p);
        const own = p.spec?.subdomain ? `${host}.${p.spec.subdomain}.${p.metadata.namespace}.svc.${ZONE}\t${host}` : host;
        return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${p.status?.podIP ?? ''}\t${own}\n`;
      }
      return `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${sh.net.topo.nodes.map((n) => `${n.ip}\t${n.name}\n`).join('')}`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- name resolution

type Resolved = { ok: true; ip: string; dns?: DnsResult; dnsServer?: string; hops: Hop[] } | { ok: false; timeout: boolean; hops: Hop[] };

/** A resolver's step, for the trace. */
function dnsHop(text: string): Hop {
  return { kind: 'dns', text };
}

function isIP(s: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(s);
}

/** What a client's resolver makes of a host name, asking CoreDNS through the simulated network. */
export function resolveHost(sh: Shell, host: string): Resolved {
  if (isIP(host)) return { ok: true, ip: host, hops: [] };
  if (host === 'localhost') return { ok: true, ip: '127.0.0.1', hops: [] };
  const node = sh.net.topo.nodes.find((n) => n.name === host);
  if (node && sh.from.kind !== 'pod') return { ok: true, ip: node.ip, hops: [dnsHop(`resolved ${host} → ${node.ip} (/etc/hosts)`)] };
  if (!sh.resolver.cluster) return { ok: false, timeout: false, hops: [dnsHop(`${host}: the resolver ${sh.resolver.nameserver} is the nodes' network gateway, which knows no cluster names`)] };
  const dnsConn = sh.net.connect(sh.from, sh.resolver.nameserver, 53, 'UDP');
  if (!dnsConn.ok) return { ok: false, timeout: true, hops: [dnsHop(`DNS query to ${sh.resolver.nameserver}:53/UDP failed:`), ...dnsConn.hops] };
  const res = resolve(sh.net.state, host, sh.resolver);
  const ips = addresses(sh.net.state, res);
  const by = dnsConn.pod ? ` (answered by ${dnsConn.pod.metadata.namespace}/${dnsConn.pod.metadata.name})` : '';
  if (!ips.length) {
    const cname = res.rcode === 'NOERROR' ? res.answers.find((a) => a.type === 'CNAME') : undefined;
    const why = cname && cname.type === 'CNAME' ? `${res.name} is a CNAME for ${cname.target}, which is outside the cluster and does not resolve here` : `NXDOMAIN for ${host} (tried ${res.name})`;
    return { ok: false, timeout: false, hops: [dnsHop(`DNS ${sh.resolver.nameserver}${by}: ${why}`)] };
  }
  const ip = ips[0];
  return { ok: true, ip, dns: res, dnsServer: sh.resolver.nameserver, hops: [dnsHop(`DNS ${sh.resolver.nameserver}${by}: ${res.name} → ${ips.join(', ')}`)] };
}

/** A connection to an address, treating 127.0.0.1 as the vantage point itself. */
function open(sh: Shell, ip: string, port: number): Connection {
  if (ip.startsWith('127.')) {
    if (sh.from.kind === 'pod') {
      const l = listenerFor(sh.from.pod, port);
      if (l && sh.from.pod.status?.phase === 'Running') return { ok: true, pod: sh.from.pod, listener: l, node: sh.from.node, ip, port, clientIP: '127.0.0.1', hops: [{ kind: 'deliver', node: sh.from.node.name, to: `${ip}:${port}`, pod: podRef(sh.from.pod), text: `localhost inside pod ${sh.from.pod.metadata.name}: container ${l.container.name}` }] };
      return { ok: false, error: 'refused', hops: [{ kind: 'refuse', node: sh.from.node.name, text: `nothing in pod ${sh.from.pod.metadata.name} listens on port ${port}` }] };
    }
    if (sh.from.kind === 'node') {
      // bound to 127.0.0.1 only (kubeadm's defaults): kube-proxy's metrics server and the kubelet's healthz
      const local: Record<number, string> = { 10249: 'kube-proxy metrics', 10248: 'kubelet healthz' };
      if (local[port]) return { ok: true, host: local[port], node: sh.from.node, ip, port, hops: [{ kind: 'deliver', node: sh.from.node.name, to: `${ip}:${port}`, text: `localhost on ${sh.from.node.name}: ${local[port]} (127.0.0.1:${port})` }] };
      return sh.net.connect(sh.from, sh.from.node.ip, port);
    }
    return { ok: false, error: 'refused', hops: [{ kind: 'refuse', text: `nothing listens on this machine's port ${port}` }] };
  }
  return sh.net.connect(sh.from, ip, port);
}

// ---------------------------------------------------------------- curl

interface CurlOpts {
  url?: string;
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  maxTime?: number;
  connectTimeout?: number;
  output?: string;
  writeOut?: string;
  headers: string[];
  method?: string;
  data?: string;
  insecure: boolean;
  fail: boolean;
  trace: boolean;
  /** --resolve HOST:PORT:ADDR entries */
  resolve: string[];
  /** --cacert FILE: the CA certificates to trust instead of the system's */
  cacert?: string;
  /** --http1.1: no HTTP/2 over TLS */
  http11?: boolean;
}

function parseCurl(args: string[]): CurlOpts | string {
  const o: CurlOpts = { silent: false, showError: false, verbose: false, head: false, include: false, headers: [], insecure: false, fail: false, trace: false, resolve: [] };
  const withArg: Record<string, (v: string) => void> = {
    m: (v) => (o.maxTime = Number(v)),
    'max-time': (v) => (o.maxTime = Number(v)),
    'connect-timeout': (v) => (o.connectTimeout = Number(v)),
    o: (v) => (o.output = v),
    output: (v) => (o.output = v),
    w: (v) => (o.writeOut = v),
    'write-out': (v) => (o.writeOut = v),
    H: (v) => o.headers.push(v),
    header: (v) => o.headers.push(v),
    X: (v) => (o.method = v),
    request: (v) => (o.method = v),
    d: (v) => (o.data = v),
    data: (v) => (o.data = v),
    A: (v) => o.headers.push(`User-Agent: ${v}`),
    'user-agent': (v) => o.headers.push(`User-Agent: ${v}`),
    resolve: (v) => o.resolve.push(v),
    cacert: (v) => (o.cacert = v),
  };
  const flags: Record<string, () => void> = {
    s: () => (o.silent = true),
    silent: () => (o.silent = true),
    S: () => (o.showError = true),
    'show-error': () => (o.showError = true),
    v: () => (o.verbose = true),
    verbose: () => (o.verbose = true),
    I: () => (o.head = true),
    head: () => (o.head = true),
    i: () => (o.include = true),
    include: () => (o.include = true),
    k: () => (o.insecure = true),
    insecure: () => (o.insecure = true),
    f: () => (o.fail = true),
    fail: () => (o.fail = true),
    L: () => undefined,
    location: () => undefined,
    '4': () => undefined,
    'http1.1': () => (o.http11 = true),
    trace: () => (o.trace = true),
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s);
      if (flags[name]) flags[name]();
      else if (withArg[name]) {
        const v = inline ?? args[++i];
        if (v === undefined) return `curl: option ${a}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`;
        withArg[name](v);
      } else return `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (flags[c]) flags[c]();
        else if (withArg[c]) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return `curl: option -${c}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`;
          withArg[c](v);
          break;
        } else return `curl: option -${c}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`;
      }
    } else o.url = a;
  }
  return o;
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
  hostHeader: string;
}

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]+)(?::(\d+))?([/?][^#]*)?/.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const def = scheme === 'https' ? 443 : 80;
  const port = m[3] ? Number(m[3]) : def;
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = '/' + path;
  return { scheme, host: m[2], port, path, hostHeader: m[3] && port !== def ? `${m[2]}:${port}` : m[2] };
}

/** curl's exit status and message for a failed transfer. */
function curlFail(o: CurlOpts, code: number, msg: string, verbose: string[] = []): Result {
  const show = !o.silent || o.showError;
  const stderr = (o.verbose ? verbose.map((l) => `* ${l}\n`).join('') : '') + (show ? `curl: (${code}) ${msg}\n` : '');
  return { stdout: o.writeOut ? writeOut(o.writeOut, 0, '') : '', stderr, code };
}

function writeOut(fmt: string, status: number, ip: string): string {
  return fmt
    .replace(/%\{http_code\}|%\{response_code\}/g, String(status).padStart(3, '0'))
    .replace(/%\{remote_ip\}/g, ip)
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t');
}

function traceLines(o: CurlOpts, hops: Hop[]): string {
  return o.trace ? renderTrace(hops) : '';
}

/**
 * curl in the simulated network. Every hop the request takes is appended to `hops` (the dashboard's
 * "follow a request" reads them there); --trace prints the same hops, so the two cannot differ.
 */
export function curl(sh: Shell, args: string[], hops: Hop[] = []): Result {
  const o = parseCurl(args);
  if (typeof o === 'string') return { stdout: '', stderr: o, code: 2 };
  if (!o.url) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", code: 2 };
  const url = parseUrl(o.url);
  if (!url) {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(o.url)?.[1];
    if (scheme) return curlFail(o, 1, `Protocol "${scheme}" not supported or disabled in libcurl`);
    return curlFail(o, 3, 'URL using bad/illegal format or missing URL');
  }
  const start = hops.length;
  // --resolve HOST:PORT:ADDR puts the name in curl's DNS cache for that port: no lookup
  const pinned = o.resolve.map((e) => /^([^:]+):(\d+):(.+)$/.exec(e)).find((m) => m && m[1].toLowerCase() === url.host.toLowerCase() && Number(m[2]) === url.port);
  const r: Resolved = pinned ? { ok: true, ip: pinned[3], hops: [dnsHop(`--resolve: ${url.host}:${url.port} → ${pinned[3]} (curl's DNS cache, no lookup)`)] } : resolveHost(sh, url.host);
  hops.push(...r.hops);
  if (!r.ok) {
    const res = curlFail(o, 6, `Could not resolve host: ${url.host}`, [`Could not resolve host: ${url.host}`, 'Closing connection 0']);
    return { ...res, stderr: traceLines(o, hops.slice(start)) + res.stderr };
  }
  const conn = open(sh, r.ip, url.port);
  hops.push(...conn.hops);
  let trace = traceLines(o, hops.slice(start));
  const v: string[] = [`  Trying ${r.ip}:${url.port}...`];
  const limit = o.maxTime ?? o.connectTimeout;
  if (!conn.ok) {
    if (conn.error === 'refused') {
      v.push(`connect to ${r.ip} port ${url.port} failed: Connection refused`, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`, 'Closing connection 0');
      const res = curlFail(o, 7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`, v);
      return { ...res, stderr: trace + res.stderr };
    }
    // a dropped packet: curl waits for its own timeout, or the kernel's (about 130 s of SYN retries)
    const msg = limit !== undefined ? `Connection timed out after ${Math.round(limit * 1000) + 1} milliseconds` : `Failed to connect to ${url.host} port ${url.port} after 130315 ms: Couldn't connect to server`;
    v.push(msg, 'Closing connection 0');
    const res = curlFail(o, 28, msg, v);
    return { ...res, stderr: trace + res.stderr };
  }
  if (pinned) v.unshift(`Added ${pinned[1]}:${pinned[2]}:${pinned[3]} to DNS cache`, `Hostname ${url.host} was found in DNS cache`);
  v.push(`Connected to ${url.host} (${r.ip}) port ${url.port} (#0)`);
  const tls = url.scheme === 'https';
  // ingress-nginx serves the certificate of the Ingress TLS Secret for the SNI name, else its fake one
  const cert = tls && conn.pod && conn.listener.app === 'ingress-nginx' && protocolOf(conn.listener) === 'https' ? (require('./ingresstls') as typeof import('./ingresstls')).serverCertificate(sh.net.state, isIP(url.host) ? '' : url.host) : undefined;
  if (cert) {
    const tlsHop: Hop = { kind: 'tls', node: conn.node.name, ...(conn.pod ? { pod: podRef(conn.pod) } : {}), text: `TLS: SNI ${isIP(url.host) ? '(none: the URL names an address)' : JSON.stringify(url.host)} → ingress-nginx presents ${cert.source} (subject ${cert.subject})` };
    hops.push(tlsHop);
    trace += traceLines(o, [tlsHop]);
  }
  if (cert && o.cacert && !o.insecure) {
    // the CA file is read where curl runs: the user's own machine, or the node's or container's files
    let pem: string | undefined;
    if (sh.from.kind === 'outside') {
      try {
        pem = (require('fs') as typeof import('fs')).readFileSync(o.cacert, 'latin1');
      } catch {
        pem = undefined;
      }
    } else pem = fsOf(sh).read(absPath(sh, o.cacert));
    if (pem === undefined) {
      const res = curlFail(o, 77, `error setting certificate file: ${o.cacert}`, [...v, `error setting certificate file: ${o.cacert}`, 'Closing connection 0']);
      return { ...res, stderr: trace + res.stderr };
    }
    const bad = (require('./ingresstls') as typeof import('./ingresstls')).verifyWith(cert, pem, url.host);
    v.push(...cert.verbose(!bad, !o.http11).map((l) => l.replace(/ SSL certificate verify result: .*/, ' SSL certificate verify ok.')));
    if (bad) {
      v.push(bad.message, 'Closing connection 0');
      const res = curlFail(o, bad.code, bad.message + (bad.code === 60 ? '\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.' : ''), v);
      return { ...res, stderr: trace + res.stderr };
    }
  } else if (cert) v.push(...cert.verbose(o.insecure, !o.http11));
  if (tls && !o.insecure && !(cert && o.cacert) && conn.pod && protocolOf(conn.listener) === 'https') {
    // the API server's certificate comes from the cluster's CA; the echoserver's and netexec's are self-signed
    const problem = cert ? cert.problem : conn.listener.app === 'apiserver' ? 'unable to get local issuer certificate' : 'self-signed certificate';
    v.push(`SSL certificate problem: ${problem}`, 'Closing connection 0');
    const res = curlFail(
      o,
      60,
      `SSL certificate problem: ${problem}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.`,
      v,
    );
    return { ...res, stderr: trace + res.stderr };
  }
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const reqHeaders: [string, string][] = [['Host', url.hostHeader], ['User-Agent', `curl/${CURL_VERSION}`], ['Accept', '*/*']];
  for (const h of o.headers) {
    const i = h.indexOf(':');
    if (i <= 0) continue;
    const k = h.slice(0, i).trim();
    const val = h.slice(i + 1).trim();
    const at = reqHeaders.findIndex(([x]) => x.toLowerCase() === k.toLowerCase());
    if (at >= 0) reqHeaders[at] = [k, val];
    else reqHeaders.push([k, val]);
  }
  if (o.data !== undefined) reqHeaders.push(['Content-Length', String(Buffer.byteLength(o.data))], ['Content-Type', 'application/x-www-form-urlencoded']);
  const clientIP = conn.pod ? conn.clientIP : r.ip;
  // ingress-nginx offers h2 in its TLS handshake (use-http2: true), and curl takes it unless --http1.1
  const h2 = !!cert && !o.http11;
  const ex = exchange(sh.net.state, conn, { method, path: url.path, httpVersion: h2 ? '2.0' : '1.1', headers: reqHeaders, clientIP, url: `${url.scheme}://${url.hostHeader}${url.path}`, body: o.data }, tls);
  const sent = [`> ${method} ${url.path} HTTP/${h2 ? '2' : '1.1'}`, ...reqHeaders.map(([k, val]) => `> ${k}: ${val}`), '> '];
  if (ex.kind === 'tls-mismatch') {
    const res = curlFail(o, 35, 'OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number', [...v, 'OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number', 'Closing connection 0']);
    return { ...res, stderr: trace + res.stderr };
  }
  if (ex.kind === 'http09') {
    const res = curlFail(o, 1, 'Received HTTP/0.9 when not allowed', [...v, 'Received HTTP/0.9 when not allowed', 'Closing connection 0']);
    return { ...res, stderr: (o.verbose ? sent.map((l) => l + '\r\n').join('') : '') + trace + res.stderr };
  }
  if (ex.kind === 'empty') {
    const res = curlFail(o, 52, 'Empty reply from server', [...v, 'Empty reply from server', 'Closing connection 0']);
    return { ...res, stderr: (o.verbose ? sent.map((l) => l + '\r\n').join('') : '') + trace + res.stderr };
  }
  let res = ex.res;
  // HTTP/2: no reason phrase (curl prints "HTTP/2 200 "), lower-case names, no connection-specific headers
  if (h2) res = { ...res, headers: res.headers.filter(([k]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(k.toLowerCase())).map(([k, val]) => [k.toLowerCase(), val]) };
  const statusLine = h2 ? `HTTP/2 ${res.status} ` : `HTTP/1.1 ${res.status} ${res.reason}`;
  const headerText = [statusLine, ...res.headers.map(([k, val]) => `${k}: ${val}`)].map((l) => l + '\r\n').join('') + '\r\n';
  hops.push(...(res.trace ?? []));
  let stderr = trace + traceLines(o, res.trace ?? []);
  if (o.verbose) {
    stderr += v.map((l) => `* ${l}\n`).join('') + sent.map((l) => l + '\r\n').join('');
    stderr += [statusLine, ...res.headers.map(([k, val]) => `${k}: ${val}`), ''].map((l) => `< ${l}\r\n`).join('');
    stderr += `* Connection #0 to host ${url.host} left intact\n`;
  }
  if (o.fail && res.status >= 400) {
    const show = !o.silent || o.showError;
    return { stdout: o.writeOut ? writeOut(o.writeOut, res.status, r.ip) : '', stderr: stderr + (show ? `curl: (22) The requested URL returned error: ${res.status}\n` : ''), code: 22 };
  }
  let body = (o.include || o.head ? headerText : '') + (method === 'HEAD' ? '' : res.body);
  if (o.output && o.output !== '-') {
    // the outside machine is the user's own: -o writes a real file there; in a node or pod it goes nowhere
    if (sh.from.kind === 'outside' && o.output !== '/dev/null') (require('fs') as typeof import('fs')).writeFileSync(o.output, body);
    body = '';
  }
  if (o.writeOut) body += writeOut(o.writeOut, res.status, r.ip);
  return { stdout: body, stderr, code: 0 };
}

// ---------------------------------------------------------------- wget (busybox)

export function wget(sh: Shell, args: string[]): Result {
  let quiet = false;
  let out: string | undefined;
  let spider = false;
  let url: string | undefined;
  let timeout: number | undefined;
  const userHeaders: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // --header STR: busybox sends it instead of its own Host or User-Agent when it names one
    if (a === '--header' || a.startsWith('--header=')) {
      const h = a === '--header' ? (args[++i] ?? '') : a.slice('--header='.length);
      const c = h.indexOf(':');
      if (c > 0) userHeaders.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]);
    } else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-qO-' || a === '-qO' || a === '-Oq') {
      quiet = true;
      out = a === '-qO-' ? '-' : args[++i];
    } else if (a === '-O' || a === '--output-document') out = args[++i];
    else if (a.startsWith('-O')) out = a.slice(2);
    else if (a === '-T' || a === '--timeout') timeout = Number(args[++i]);
    else if (a === '--spider') spider = true;
    else if (a.startsWith('-')) continue;
    else url = a;
  }
  if (!url) return { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n', code: 1 };
  const u = parseUrl(url);
  if (!u) return { stdout: '', stderr: `wget: not an http or ftp url: ${url}\n`, code: 1 };
  const r = resolveHost(sh, u.host);
  if (!r.ok) return { stdout: '', stderr: `wget: bad address '${u.host}'\n`, code: 1 };
  const conn = open(sh, r.ip, u.port);
  const connecting = quiet ? '' : `Connecting to ${u.hostHeader} (${r.ip}:${u.port})\n`;
  if (!conn.ok) {
    if (conn.error === 'refused') return { stdout: '', stderr: `${connecting}wget: can't connect to remote host (${r.ip}): Connection refused\n`, code: 1 };
    return { stdout: '', stderr: `${connecting}wget: ${timeout !== undefined ? 'download timed out' : `can't connect to remote host (${r.ip}): Connection timed out`}\n`, code: 1 };
  }
  const clientIP = conn.pod ? conn.clientIP : r.ip;
  const ex = exchange(sh.net.state, conn, { method: spider ? 'HEAD' : 'GET', path: u.path, httpVersion: '1.1', headers: wgetHeaders(u.hostHeader, userHeaders), clientIP, url: `${u.scheme}://${u.hostHeader}${u.path}` }, u.scheme === 'https');
  if (ex.kind !== 'response') return { stdout: '', stderr: `${connecting}wget: ${ex.kind === 'empty' ? 'error getting response: Connection reset by peer' : 'error getting response'}\n`, code: 1 };
  if (ex.res.status >= 400) return { stdout: '', stderr: `${connecting}wget: server returned error: HTTP/1.1 ${ex.res.status} ${ex.res.reason}\n`, code: 1 };
  if (spider) return { stdout: '', stderr: quiet ? '' : `${connecting}remote file exists\n`, code: 0 };
  const size = Buffer.byteLength(ex.res.body);
  const bar = (name: string) => `${name.padEnd(20)} 100% |********************************|   ${String(size).padStart(3)}  0:00:00 ETA\n`;
  if (out === '-') return { stdout: ex.res.body, stderr: quiet ? '' : `${connecting}writing to stdout\n${bar('-')}written to stdout\n`, code: 0 };
  const file = out ?? (u.path.split('?')[0].split('/').pop() || 'index.html');
  return { stdout: '', stderr: quiet ? '' : `${connecting}saving to '${file}'\n${bar(file)}'${file}' saved\n`, code: 0 };
}

// ---------------------------------------------------------------- nc (busybox)

const NC_USAGE = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n\t-e PROG\tRun PROG after connect (must be last)\n\t-l\tListen mode, for inbound connects\n\t-lk\tWith -e, provides persistent server\n\t-p PORT\tLocal port\n\t-s ADDR\tLocal address\n\t-w SEC\tTimeout for connects and final net reads\n\t-i SEC\tDelay interval for lines sent\n\t-n\tDon\'t do DNS resolution\n\t-u\tUDP mode\n\t-v\tVerbose\n\t-o FILE\tHex dump traffic\n\t-z\tZero-I/O mode (scanning)\n';

// "kubesim does not simulate": a container whose command is an nc server (nc -lk -p 8080 -e …) keeps
// running as the image's own program (kubelet/runner.ts) instead of failing here
const NC_UNSIMULATED = 'kubesim: nc is in this image, but kubesim does not simulate it beyond port checks (nc -z[v] [-w SEC] HOST PORT)\n';

/**
 * busybox nc's port check (`nc -zv [-w SEC] [-u] HOST PORT`), as networking/nc_bloaty.c reports it:
 * `HOST (IP:PORT) open` with -v; a failure is exit 1, printed with -v unless it is a refusal (-vv
 * prints those too). A UDP probe counts as open unless the port is refused (udptest). Data transfer
 * and listening are not simulated.
 */
export function nc(sh: Shell, args: string[]): Result {
  if (infoOf(sh)?.family !== 'busybox') return fail(`kubesim: nc is in this image, but kubesim does not simulate it\n`);
  let verbose = 0;
  let zero = false;
  let udp = false;
  let listen = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j];
      if (ch === 'v') verbose++;
      else if (ch === 'z') zero = true;
      else if (ch === 'u') udp = true;
      else if (ch === 'l' || ch === 'k') listen = true;
      else if (ch === 'n') continue;
      else if ('pswio'.includes(ch)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) return fail(`nc: option requires an argument -- '${ch}'\n${NC_USAGE}`);
        break;
      } else if (ch === 'e') return fail(NC_UNSIMULATED);
      else return fail(`nc: invalid option -- '${ch}'\n${NC_USAGE}`);
    }
  }
  if (rest.length > 2) return fail(NC_USAGE);
  if (listen || !zero) return fail(NC_UNSIMULATED);
  const [host, portArg] = rest;
  if (!host || !portArg) return fail(NC_USAGE);
  const port = Number(portArg);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`nc: bad port '${portArg}'\n`);
  const r = resolveHost(sh, host);
  if (!r.ok) return fail(`nc: bad address '${host}'\n`);
  const conn = udp && !r.ip.startsWith('127.') ? sh.net.connect(sh.from, r.ip, port, 'UDP') : open(sh, r.ip, port);
  const dotted = `${r.ip}:${port}`;
  // UDP has no handshake: only an ICMP port-unreachable (a refusal) tells the probe it is closed
  if (conn.ok || (udp && conn.error === 'timeout')) return { stdout: '', stderr: verbose ? `${host} (${dotted}) open\n` : '', code: 0 };
  const refused = conn.error === 'refused';
  const show = verbose > 1 || (verbose > 0 && !refused);
  return fail(show ? `nc: ${host} (${dotted}): ${refused ? 'Connection refused' : 'Connection timed out'}\n` : '');
}

function wgetHeaders(host: string, user: [string, string][]): [string, string][] {
  const named = (n: string) => user.find(([k]) => k.toLowerCase() === n);
  const out: [string, string][] = [['Host', named('host')?.[1] ?? host], ['User-Agent', named('user-agent')?.[1] ?? 'Wget']];
  out.push(...user.filter(([k]) => !['host', 'user-agent'].includes(k.toLowerCase())), ['Connection', 'close']);
  return out;
}

// ---------------------------------------------------------------- nslookup (busybox)

export function nslookup(sh: Shell, args: string[]): Result {
  let type: 'A' | 'SRV' = 'A';
  const rest: string[] = [];
  for (const a of args) {
    const m = /^-(?:type|query|q)=(\w+)$/i.exec(a);
    if (m) type = m[1].toUpperCase() === 'SRV' ? 'SRV' : 'A';
    else if (!a.startsWith('-')) rest.push(a);
  }
  const [name, server] = rest;
  if (!name) return { stdout: '', stderr: 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n', code: 1 };
  let resolver = sh.resolver;
  if (server) {
    const ip = isIP(server) ? server : undefined;
    if (!ip) return { stdout: '', stderr: `nslookup: can't resolve '${server}'\n`, code: 1 };
    const clusterDNS = ip === dnsServiceIP(sh.net.state.config) || (sh.net.topo.podByIP(ip)?.spec?.containers ?? []).some((c: { image: string }) => appFor(c.image) === 'coredns');
    resolver = clusterDNS ? { ...podLikeResolver(sh), nameserver: ip, cluster: true } : { ...resolver, nameserver: ip, cluster: false };
  }
  const head = `Server:\t\t${resolver.nameserver}\nAddress:\t${resolver.nameserver}:53\n\n`;
  if (resolver.cluster) {
    const conn = sh.net.connect(sh.from, resolver.nameserver, 53, 'UDP');
    if (!conn.ok) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 };
  }
  if (oldBusybox(sh)) return nslookupOld(sh, name, resolver, type);
  if (isIP(name)) {
    const ptr = resolver.cluster ? reverse(sh.net.state, name) : undefined;
    if (!ptr) return { stdout: `${head}** server can't find ${name.split('.').reverse().join('.')}.in-addr.arpa: NXDOMAIN\n\n`, stderr: '', code: 1 };
    return { stdout: `${head}${name.split('.').reverse().join('.')}.in-addr.arpa\tname = ${ptr}\n\n`, stderr: '', code: 0 };
  }
  const res = resolve(sh.net.state, name, resolver, type);
  if (res.rcode !== 'NOERROR') return { stdout: `${head}** server can't find ${name}: NXDOMAIN\n\n`, stderr: '', code: 1 };
  let out = head;
  for (const a of res.answers) {
    if (a.type === 'CNAME') out += `${a.name}\tcanonical name = ${a.target}\n`;
    else if (a.type === 'SRV') out += `${a.name}\tservice = ${a.priority} ${a.weight} ${a.port} ${a.target}\n`;
  }
  const as = res.answers.filter((a) => a.type === 'A');
  if (as.length) for (const a of as) out += `Name:\t${a.name}\nAddress: ${a.type === 'A' ? a.ip : ''}\n`;
  return { stdout: out + '\n', stderr: '', code: 0 };
}

/**
 * nslookup on a node is bind9's (dnsutils): "Address:\t10.96.0.10#53", the server's port after a
 * hash; an authoritative answer (CoreDNS for cluster.local) has no "Non-authoritative answer:" line.
 */
function nslookupBind(sh: Shell, args: string[]): Result {
  let type: 'A' | 'SRV' = 'A';
  const rest: string[] = [];
  for (const a of args) {
    const m = /^-(?:type|query|q)=(\w+)$/i.exec(a);
    if (m) type = m[1].toUpperCase() === 'SRV' ? 'SRV' : 'A';
    else if (!a.startsWith('-')) rest.push(a);
  }
  const [name, server] = rest;
  if (!name) return { stdout: '', stderr: '', code: 0 };
  let resolver = sh.resolver;
  if (server) {
    if (!isIP(server)) return { stdout: '', stderr: `nslookup: couldn't get address for '${server}': not found\n`, code: 1 };
    const clusterDNS = server === dnsServiceIP(sh.net.state.config) || (sh.net.topo.podByIP(server)?.spec?.containers ?? []).some((c: { image: string }) => appFor(c.image) === 'coredns');
    resolver = clusterDNS ? { ...podLikeResolver(sh), nameserver: server, cluster: true } : { ...resolver, nameserver: server, cluster: false };
  }
  const head = `Server:\t\t${resolver.nameserver}\nAddress:\t${resolver.nameserver}#53\n\n`;
  if (resolver.cluster) {
    const conn = sh.net.connect(sh.from, resolver.nameserver, 53, 'UDP');
    if (!conn.ok) return { stdout: `;; communications error to ${resolver.nameserver}#53: timed out\n;; communications error to ${resolver.nameserver}#53: timed out\n;; communications error to ${resolver.nameserver}#53: timed out\n;; no servers could be reached\n\n`, stderr: '', code: 1 };
  }
  if (isIP(name)) {
    const ptr = resolver.cluster ? reverse(sh.net.state, name) : undefined;
    const arpa = `${name.split('.').reverse().join('.')}.in-addr.arpa`;
    if (!ptr) return { stdout: `${head}** server can't find ${arpa}: NXDOMAIN\n\n`, stderr: '', code: 1 };
    return { stdout: `${head}${arpa}\tname = ${ptr}.\n\n`, stderr: '', code: 0 };
  }
  const res = resolver.cluster ? resolve(sh.net.state, name, resolver, type) : undefined;
  if (!res || res.rcode !== 'NOERROR') return { stdout: `${head}** server can't find ${name}: NXDOMAIN\n\n`, stderr: '', code: 1 };
  let out = head;
  for (const a of res.answers) {
    if (a.type === 'CNAME') out += `${a.name}\tcanonical name = ${a.target}.\n`;
    else if (a.type === 'SRV') out += `${a.name}\tservice = ${a.priority} ${a.weight} ${a.port} ${a.target}.\n`;
  }
  for (const a of res.answers) if (a.type === 'A') out += `Name:\t${a.name}\nAddress: ${a.ip}\n`;
  return { stdout: out + '\n', stderr: '', code: 0 };
}

/** busybox 1.28 and older: the nslookup the Kubernetes docs' DNS debugging page shows (busybox:1.28). */
function oldBusybox(sh: Shell): boolean {
  if (sh.from.kind !== 'pod') return false;
  const c = (sh.from.pod.spec?.containers ?? []).find((x: { name: string }) => x.name === (sh.from as { container: string }).container);
  const m = /(?:^|\/)busybox:1\.(\d+)/.exec(c?.image ?? '');
  return !!m && Number(m[1]) <= 28;
}

function nslookupOld(sh: Shell, name: string, resolver: Resolver, type: 'A' | 'SRV'): Result {
  const state = sh.net.state;
  const named = (ip: string) => {
    const ptr = resolver.cluster ? reverse(state, ip) : undefined;
    return ptr ? `${ip} ${ptr}` : ip;
  };
  const head = `Server:    ${resolver.nameserver}\nAddress 1: ${named(resolver.nameserver)}\n\n`;
  const res = isIP(name) ? undefined : resolve(state, name, resolver, type);
  const ips = isIP(name) ? [name] : res ? addresses(state, res) : [];
  if (!ips.length) return { stdout: head, stderr: `nslookup: can't resolve '${name}'\n`, code: 1 };
  return { stdout: `${head}Name:      ${name}\n${ips.map((ip, i) => `Address ${i + 1}: ${named(ip)}\n`).join('')}`, stderr: '', code: 0 };
}

function podLikeResolver(sh: Shell): Resolver {
  if (sh.from.kind === 'pod') return podResolver(sh.net.state, sh.from.pod);
  // asking CoreDNS directly from a node: no search list, absolute names only
  return { nameserver: '', search: [], ndots: 1, cluster: true };
}

// ---------------------------------------------------------------- node views

function iptablesSaveCmd(sh: Shell, node: NodeInfo, args: string[]): Result {
  let tables: ('filter' | 'nat')[] = ['filter', 'nat'];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const t = a === '-t' || a === '--table' ? args[++i] : a.startsWith('--table=') ? a.slice(8) : a.startsWith('-t') && a.length > 2 ? a.slice(2) : undefined;
    if (t !== undefined) {
      if (t !== 'nat' && t !== 'filter') {
        if (['mangle', 'raw', 'security'].includes(t)) {
          tables = [];
          continue;
        }
        return { stdout: '', stderr: `iptables-save v1.8.9 (nf_tables): Cannot initialize: Table does not exist (do you need to insmod?)\n`, code: 1 };
      }
      tables = [t];
    }
  }
  if (sh.net.ipvs) {
    // in IPVS mode kube-proxy keeps only a few iptables rules; the services live in IPVS (ipvsadm -Ln)
    return ok(ipvsIptables(tables, ctime(nowMs())));
  }
  return ok(iptablesSave(sh.net.nodeRules(node), tables, ctime(nowMs())));
}

/** `iptables [-t TABLE] -S [CHAIN]` and `-L [CHAIN] [-n]`: kube-proxy's rules as rule specs or as the listing. */
function iptablesCmd(sh: Shell, node: NodeInfo, args: string[]): Result {
  let table: string = 'filter';
  let chain: string | undefined;
  let mode: 'S' | 'L' | undefined;
  let numeric = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--table') table = args[++i] ?? '';
    else if (a === '-S' || a === '--list-rules' || a === '-L' || a === '--list') {
      mode = a === '-S' || a === '--list-rules' ? 'S' : 'L';
      if (args[i + 1] && !args[i + 1].startsWith('-')) chain = args[++i];
    } else if (/^-[nvx]+$/.test(a)) numeric ||= a.includes('n');
    else if (/^-[LS]n$|^-n[LS]$/.test(a)) {
      numeric = true;
      mode = a.includes('S') ? 'S' : 'L';
      if (args[i + 1] && !args[i + 1].startsWith('-')) chain = args[++i];
    }
    else if (/^-[A-Z]/.test(a)) return { stdout: '', stderr: `iptables v1.8.9 (nf_tables): kubesim's nodes are managed by kube-proxy; ${a} is not simulated\n`, code: 4 };
  }
  if (table !== 'nat' && table !== 'filter') return { stdout: '', stderr: `iptables v1.8.9 (nf_tables): can't initialize iptables table \`${table}': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n`, code: 3 };
  if (!mode) return { stdout: '', stderr: "iptables v1.8.9 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n", code: 2 };
  if (sh.net.ipvs) return { stdout: '', stderr: 'kubesim: in IPVS mode the services are virtual servers: ipvsadm -Ln\n', code: 1 };
  const rules = sh.net.nodeRules(node);
  const text = mode === 'L' ? iptablesList(rules, table, chain, numeric) : iptablesSpec(rules, table, chain);
  if (text === undefined) return { stdout: '', stderr: 'iptables v1.8.9 (nf_tables): chain `' + chain + "' in table `" + table + "' is incompatible, use 'nft' tool.\n", code: 1 };
  return { stdout: text, stderr: '', code: 0 };
}

function ipCmd(sh: Shell, node: NodeInfo, args: string[]): Result {
  const sub = args[0] ?? '';
  const topo = sh.net.topo;
  if ('address'.startsWith(sub) && sub) {
    const bits = topo.config.nodeNetwork.split('/')[1];
    const mac = (i: number) => `02:42:c0:a8:31:${(i + 2).toString(16).padStart(2, '0')}`;
    const idx = topo.nodes.findIndex((n) => n.name === node.name);
    let out =
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n' +
      `2: eth0@if${idx + 10}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default \n    link/ether ${mac(idx)} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n    inet ${node.ip}/${bits} brd ${topo.config.nodeNetwork.replace(/\.0\/\d+$/, '.255')} scope global eth0\n       valid_lft forever preferred_lft forever\n` +
      `3: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n    link/ether 0a:58:0a:f4:0${idx}:01 brd ff:ff:ff:ff:ff:ff\n    inet ${node.bridgeIP}/24 brd ${node.podCIDR.replace(/\.0\/24$/, '.255')} scope global cni0\n       valid_lft forever preferred_lft forever\n`;
    if (sh.net.ipvs) {
      const ips = [...new Set(sh.net.servicePorts().flatMap(serviceAddresses))];
      out += `4: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default \n    link/ether 6e:1c:4b:7a:2f:01 brd ff:ff:ff:ff:ff:ff\n${ips.map((ip) => `    inet ${ip}/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n`).join('')}`;
    }
    return { stdout: out, stderr: '', code: 0 };
  }
  if ('route'.startsWith(sub) && sub) {
    const gw = topo.config.nodeNetwork.replace(/\.0\/\d+$/, '.1');
    let out = `default via ${gw} dev eth0 \n`;
    for (const n of topo.nodes) {
      if (!n.podCIDR) continue;
      if (n.name === node.name) out += `${n.podCIDR} dev cni0 proto kernel scope link src ${n.bridgeIP} \n`;
      else out += `${n.podCIDR} via ${n.ip} dev eth0 \n`;
    }
    out += `${topo.config.nodeNetwork} dev eth0 proto kernel scope link src ${node.ip} \n`;
    return { stdout: out, stderr: '', code: 0 };
  }
  return { stdout: '', stderr: 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | route }\n', code: 255 };
}
