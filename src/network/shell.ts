// The programs a learner runs on a node (`kubesim ssh`), in a pod (`kubesim exec`) or on their own
// machine (`kubesim curl`): curl, wget, nslookup, printenv, cat, hostname and, on nodes, the
// kube-proxy views (iptables-save, ipvsadm) and `ip`. Each prints what the real program prints.
import { nowMs } from '../util/clock';
import { addresses, nodeResolver, podResolver, resolvConf, resolve, reverse, type DnsResult, type Resolver } from './dns';
import { containerEnv } from './env';
import { exchange } from './http';
import { appFor, listenerFor, NGINX_WELCOME, protocolOf } from './apps';
import { ipvsadmList, ipvsIptables } from './ipvs';
import { serviceAddresses } from './model';
import { dnsServiceIP } from '../cluster/bootstrap';
import { ctime, iptablesList, iptablesSave, iptablesSpec } from './iptables';
import type { Connection, Network } from './route';
import type { NodeInfo, Vantage } from './topology';

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Shell {
  net: Network;
  from: Vantage;
  resolver: Resolver;
}

export function shellFor(net: Network, from: Vantage): Shell {
  const resolver = from.kind === 'pod' ? podResolver(net.state, from.pod) : nodeResolver(net.state);
  return { net, from, resolver };
}

const CURL_VERSION = '7.88.1';

/** Splits a shell line into commands joined by ; && || (quotes respected). */
export function parseLine(line: string): { argv: string[]; op: string }[] {
  const out: { argv: string[]; op: string }[] = [];
  let argv: string[] = [];
  let cur = '';
  let has = false;
  let q: string | undefined;
  const flush = () => {
    if (has) argv.push(cur);
    cur = '';
    has = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) flush();
    else if (c === ';' || (c === '&' && line[i + 1] === '&') || c === '|') {
      flush();
      const op = c === ';' ? ';' : c === '|' && line[i + 1] !== '|' ? '|' : c + c;
      if (op.length === 2) i++;
      out.push({ argv, op });
      argv = [];
    } else {
      cur += c;
      has = true;
    }
  }
  flush();
  if (argv.length) out.push({ argv, op: ';' });
  return out;
}

const ok = (stdout: string): Result => ({ stdout, stderr: '', code: 0 });

/** Every program there is, by name: the table is what exists (the node-only ones on nodes and outside). */
const PROGRAMS: Record<string, (sh: Shell, args: string[]) => Result> = {
  curl: (sh, a) => curl(sh, a),
  wget: (sh, a) => wget(sh, a),
  nslookup: (sh, a) => nslookup(sh, a),
  cat: (sh, a) => cat(sh, a),
  printenv: (sh, a) => {
    const env = envOf(sh);
    if (!a.length) return ok(env.map(([k, v]) => `${k}=${v}\n`).join(''));
    const vals = a.map((n) => env.find(([k]) => k === n)?.[1]);
    return { stdout: vals.filter((v) => v !== undefined).map((v) => v + '\n').join(''), stderr: '', code: vals.every((v) => v !== undefined) ? 0 : 1 };
  },
  env: (sh) => ok(envOf(sh).map(([k, v]) => `${k}=${v}\n`).join('')),
  hostname: (sh) => ok(hostname(sh) + '\n'),
  echo: (_sh, a) => ok(a.join(' ') + '\n'),
  true: () => ok(''),
  sleep: () => ok(''),
  false: () => ({ stdout: '', stderr: '', code: 1 }),
  sh: (sh, a) => shellC(sh, 'sh', a),
  bash: (sh, a) => shellC(sh, 'bash', a),
};

/** The node's own tools, there only on nodes. */
const NODE_PROGRAMS: Record<string, (sh: Shell, node: NodeInfo, args: string[]) => Result> = {
  'iptables-save': iptablesSaveCmd,
  iptables: iptablesCmd,
  ipvsadm: (sh, node) => ok(ipvsadmList(sh.net, node)),
  ip: ipCmd,
};

function shellC(sh: Shell, name: string, args: string[]): Result {
  const i = args.indexOf('-c');
  if (i < 0 || i + 1 >= args.length) return { stdout: '', stderr: `kubesim: ${name} runs one command line here: ${name} -c "COMMANDS"\n`, code: 2 };
  return runLine(sh, args[i + 1]);
}

/** Runs one program; `undefined` when it does not exist here. */
export function runProgram(sh: Shell, argv: string[]): Result | undefined {
  const prog = (argv[0] ?? '').split('/').pop() as string;
  if (Object.hasOwn(PROGRAMS, prog)) return PROGRAMS[prog](sh, argv.slice(1));
  if (Object.hasOwn(NODE_PROGRAMS, prog) && sh.from.kind === 'node') return NODE_PROGRAMS[prog](sh, sh.from.node, argv.slice(1));
  return undefined;
}

/** A command given as words, or as one quoted command line ("curl -s web | head -1"). */
export function runArgs(sh: Shell, argv: string[]): Result | undefined {
  return argv.length === 1 && /\s/.test(argv[0]) ? runLine(sh, argv[0]) : runProgram(sh, argv);
}

/** Runs a command line with ; && || and pipes into the common text filters, as `sh -c` would. */
export function runLine(sh: Shell, line: string): Result {
  const loop = /^\s*for\s+([A-Za-z_]\w*)\s+in\s+(.*?)\s*;\s*do\s+(.*?)\s*;?\s*done\s*$/s.exec(line);
  if (loop) return forLoop(sh, loop[1], loop[2], loop[3]);
  const res: Result = { stdout: '', stderr: '', code: 0 };
  let prevOp = ';';
  const cmds = parseLine(line);
  for (let i = 0; i < cmds.length; i++) {
    const pipeline = [cmds[i].argv];
    while (cmds[i].op === '|' && i + 1 < cmds.length) pipeline.push(cmds[++i].argv);
    const op = cmds[i].op;
    const skip = (prevOp === '&&' && res.code !== 0) || (prevOp === '||' && res.code === 0);
    prevOp = op;
    if (skip || !pipeline[0].length) continue;
    let r = runProgram(sh, pipeline[0]) ?? { stdout: '', stderr: `sh: ${pipeline[0][0]}: not found\n`, code: 127 };
    for (const f of pipeline.slice(1)) {
      const out = filter(f, r.stdout);
      r = { stdout: out.stdout, stderr: r.stderr + out.stderr, code: out.code };
    }
    res.stdout += r.stdout;
    res.stderr += r.stderr;
    res.code = r.code;
  }
  return res;
}

/** `for i in 1 2 3; do …; done`, with `$(seq A B)` in the list: the loops labs use to see load balancing. */
function forLoop(sh: Shell, name: string, list: string, body: string): Result {
  const words = list.replace(/\$\(seq\s+(\d+)(?:\s+(\d+))?\)/g, (_m, a: string, b?: string) => {
    const [from, to] = b === undefined ? [1, Number(a)] : [Number(a), Number(b)];
    return Array.from({ length: Math.max(0, Math.min(to - from + 1, 1000)) }, (_x, i) => String(from + i)).join(' ');
  });
  const res: Result = { stdout: '', stderr: '', code: 0 };
  for (const w of words.split(/\s+/).filter(Boolean)) {
    const r = runLine(sh, body.replace(new RegExp(`\\$\\{?${name}\\}?(?!\\w)`, 'g'), w));
    res.stdout += r.stdout;
    res.stderr += r.stderr;
    res.code = r.code;
  }
  return res;
}

/** The text filters a pipeline can end in: grep, head, tail, wc -l, sort, uniq. */
function filter(argv: string[], input: string): Result {
  const [prog, ...args] = argv;
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out = (ls: string[]): Result => ({ stdout: ls.map((l) => l + '\n').join(''), stderr: '', code: 0 });
  const count = (def: number) => {
    const a = args.find((x) => /^-n?\d+$/.test(x)) ?? (args.includes('-n') ? args[args.indexOf('-n') + 1] : undefined);
    return a ? Number(a.replace(/^-n?/, '')) : def;
  };
  switch (prog) {
    case 'head':
      return out(lines.slice(0, count(10)));
    case 'tail':
      return out(lines.slice(Math.max(0, lines.length - count(10))));
    case 'wc':
      return { stdout: `${lines.length}\n`, stderr: '', code: 0 };
    case 'sort':
      return out([...lines].sort());
    case 'uniq': {
      const groups: [string, number][] = [];
      for (const l of lines) {
        const last = groups[groups.length - 1];
        if (last && last[0] === l) last[1]++;
        else groups.push([l, 1]);
      }
      return out(groups.map(([l, n]) => (args.includes('-c') ? `${String(n).padStart(7)} ${l}` : l)));
    }
    case 'grep': {
      const flags = args.filter((a) => a.startsWith('-')).join('');
      const pat = args.find((a) => !a.startsWith('-')) ?? '';
      const re = new RegExp(pat, flags.includes('i') ? 'i' : '');
      const hits = lines.filter((l) => re.test(l) !== flags.includes('v'));
      if (flags.includes('c')) return { stdout: `${hits.length}\n`, stderr: '', code: hits.length ? 0 : 1 };
      return { ...out(hits), code: hits.length ? 0 : 1 };
    }
    default:
      return { stdout: '', stderr: `sh: ${prog}: not found\n`, code: 127 };
  }
}

function hostname(sh: Shell): string {
  if (sh.from.kind === 'pod') return sh.from.pod.spec?.hostname ?? sh.from.pod.metadata.name;
  if (sh.from.kind === 'node') return sh.from.node.name;
  return 'laptop';
}

function envOf(sh: Shell): [string, string][] {
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

function cat(sh: Shell, files: string[]): Result {
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const f of files) {
    const text = fileText(sh, f);
    if (text === undefined) {
      stderr += `cat: ${f}: No such file or directory\n`;
      code = 1;
    } else stdout += text;
  }
  return { stdout, stderr, code };
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
        return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${p.status?.podIP ?? ''}\t${p.metadata.name}\n`;
      }
      return `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${sh.net.topo.nodes.map((n) => `${n.ip}\t${n.name}\n`).join('')}`;
    }
  }
  if (sh.from.kind === 'pod' && /^\/usr\/share\/nginx\/html\/index\.html$/.test(f)) {
    const c = (sh.from.pod.spec?.containers ?? []).find((x: { name: string }) => x.name === (sh.from as { container: string }).container);
    if (c && appFor(c.image) === 'nginx') return NGINX_WELCOME;
  }
  return undefined;
}

// ---------------------------------------------------------------- name resolution

type Resolved = { ok: true; ip: string; dns?: DnsResult; dnsServer?: string; hops: string[] } | { ok: false; timeout: boolean; hops: string[] };

function isIP(s: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(s);
}

/** What a client's resolver makes of a host name, asking CoreDNS through the simulated network. */
export function resolveHost(sh: Shell, host: string): Resolved {
  if (isIP(host)) return { ok: true, ip: host, hops: [] };
  if (host === 'localhost') return { ok: true, ip: '127.0.0.1', hops: [] };
  const node = sh.net.topo.nodes.find((n) => n.name === host);
  if (node && sh.from.kind !== 'pod') return { ok: true, ip: node.ip, hops: [`resolved ${host} → ${node.ip} (/etc/hosts)`] };
  if (!sh.resolver.cluster) return { ok: false, timeout: false, hops: [`${host}: the resolver ${sh.resolver.nameserver} is the nodes' network gateway, which knows no cluster names`] };
  const dnsConn = sh.net.connect(sh.from, sh.resolver.nameserver, 53, 'UDP');
  if (!dnsConn.ok) return { ok: false, timeout: true, hops: [`DNS query to ${sh.resolver.nameserver}:53/UDP failed:`, ...dnsConn.hops] };
  const res = resolve(sh.net.state, host, sh.resolver);
  const ips = addresses(sh.net.state, res);
  const by = dnsConn.pod ? ` (answered by ${dnsConn.pod.metadata.namespace}/${dnsConn.pod.metadata.name})` : '';
  if (!ips.length) {
    const cname = res.rcode === 'NOERROR' ? res.answers.find((a) => a.type === 'CNAME') : undefined;
    const why = cname && cname.type === 'CNAME' ? `${res.name} is a CNAME for ${cname.target}, which is outside the cluster and does not resolve here` : `NXDOMAIN for ${host} (tried ${res.name})`;
    return { ok: false, timeout: false, hops: [`DNS ${sh.resolver.nameserver}${by}: ${why}`] };
  }
  const ip = ips[0];
  return { ok: true, ip, dns: res, dnsServer: sh.resolver.nameserver, hops: [`DNS ${sh.resolver.nameserver}${by}: ${res.name} → ${ips.join(', ')}`] };
}

/** A connection to an address, treating 127.0.0.1 as the vantage point itself. */
function open(sh: Shell, ip: string, port: number): Connection {
  if (ip.startsWith('127.')) {
    if (sh.from.kind === 'pod') {
      const l = listenerFor(sh.from.pod, port);
      if (l && sh.from.pod.status?.phase === 'Running') return { ok: true, pod: sh.from.pod, listener: l, node: sh.from.node, ip, port, clientIP: '127.0.0.1', hops: [`localhost inside pod ${sh.from.pod.metadata.name}: container ${l.container.name}`] };
      return { ok: false, error: 'refused', hops: [`nothing in pod ${sh.from.pod.metadata.name} listens on port ${port}`] };
    }
    if (sh.from.kind === 'node') return sh.net.connect(sh.from, sh.from.node.ip, port);
    return { ok: false, error: 'refused', hops: [`nothing listens on this machine's port ${port}`] };
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
}

function parseCurl(args: string[]): CurlOpts | string {
  const o: CurlOpts = { silent: false, showError: false, verbose: false, head: false, include: false, headers: [], insecure: false, fail: false, trace: false };
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

function traceLines(o: CurlOpts, hops: string[]): string {
  return o.trace ? hops.map((h) => `kubesim trace: ${h}\n`).join('') : '';
}

export function curl(sh: Shell, args: string[]): Result {
  const o = parseCurl(args);
  if (typeof o === 'string') return { stdout: '', stderr: o, code: 2 };
  if (!o.url) return { stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", code: 2 };
  const url = parseUrl(o.url);
  if (!url) {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(o.url)?.[1];
    if (scheme) return curlFail(o, 1, `Protocol "${scheme}" not supported or disabled in libcurl`);
    return curlFail(o, 3, 'URL using bad/illegal format or missing URL');
  }
  const hops: string[] = [];
  const r = resolveHost(sh, url.host);
  hops.push(...r.hops);
  if (!r.ok) {
    const res = curlFail(o, 6, `Could not resolve host: ${url.host}`, [`Could not resolve host: ${url.host}`, 'Closing connection 0']);
    return { ...res, stderr: traceLines(o, hops) + res.stderr };
  }
  const conn = open(sh, r.ip, url.port);
  hops.push(...conn.hops);
  const trace = traceLines(o, hops);
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
  v.push(`Connected to ${url.host} (${r.ip}) port ${url.port} (#0)`);
  const tls = url.scheme === 'https';
  if (tls && !o.insecure && conn.pod && protocolOf(conn.listener) === 'https') {
    // the API server's certificate comes from the cluster's CA; the echoserver's and netexec's are self-signed
    const problem = conn.listener.app === 'apiserver' ? 'unable to get local issuer certificate' : 'self-signed certificate';
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
  const ex = exchange(sh.net.state, conn, { method, path: url.path, httpVersion: '1.1', headers: reqHeaders, clientIP, url: `${url.scheme}://${url.hostHeader}${url.path}`, body: o.data }, tls);
  const sent = [`> ${method} ${url.path} HTTP/1.1`, ...reqHeaders.map(([k, val]) => `> ${k}: ${val}`), '> '];
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
  const res = ex.res;
  const statusLine = `HTTP/1.1 ${res.status} ${res.reason}`;
  const headerText = [statusLine, ...res.headers.map(([k, val]) => `${k}: ${val}`)].map((l) => l + '\r\n').join('') + '\r\n';
  let stderr = trace;
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
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-q' || a === '--quiet') quiet = true;
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
  const ex = exchange(sh.net.state, conn, { method: spider ? 'HEAD' : 'GET', path: u.path, httpVersion: '1.1', headers: [['Host', u.hostHeader], ['User-Agent', 'Wget'], ['Connection', 'close']], clientIP, url: `${u.scheme}://${u.hostHeader}${u.path}` }, u.scheme === 'https');
  if (ex.kind !== 'response') return { stdout: '', stderr: `${connecting}wget: ${ex.kind === 'empty' ? 'error getting response: Connection reset by peer' : 'error getting response'}\n`, code: 1 };
  if (ex.res.status >= 400) return { stdout: '', stderr: `${connecting}wget: server returned error: HTTP/1.1 ${ex.res.status} ${ex.res.reason}\n`, code: 1 };
  if (spider) return { stdout: '', stderr: quiet ? '' : `${connecting}remote file exists\n`, code: 0 };
  const size = Buffer.byteLength(ex.res.body);
  const bar = (name: string) => `${name.padEnd(20)} 100% |********************************|   ${String(size).padStart(3)}  0:00:00 ETA\n`;
  if (out === '-') return { stdout: ex.res.body, stderr: quiet ? '' : `${connecting}writing to stdout\n${bar('-')}written to stdout\n`, code: 0 };
  const file = out ?? (u.path.split('?')[0].split('/').pop() || 'index.html');
  return { stdout: '', stderr: quiet ? '' : `${connecting}saving to '${file}'\n${bar(file)}'${file}' saved\n`, code: 0 };
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
