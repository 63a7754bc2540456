// pods/exec and pods/attach through `kubesim serve`: the checks the apiserver and the kubelet make
// before the upgrade, then the program in kubesim's simulated shell at the pod (src/network/shell.ts,
// as `kubesim exec` runs it) over the stream protocol kubectl chose (src/server/remotecommand.ts:
// WebSocket v5.channel.k8s.io first, SPDY/3.1 v4.channel.k8s.io as its fallback).
import { badRequest, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { locked, openRead } from '../apiserver/transaction';
import { Network } from '../network/route';
import { openSession, runProgram, shellFor, type Result, type Shell } from '../network/shell';
import { needsMore, type Session } from '../network/interp';
import { hasShell, missingExecutable, promptOf, sessionLine, SHELLS } from '../network/podexec';
import { Topology } from '../network/topology';
import { appFor } from '../network/apps';
import type { State } from '../store/state';
import type { Store } from '../store/store';
import { sendJSON, type RequestContext } from './context';
import { containerOf } from './podlog';
import { isWebSocketRequest, upgradeWebSocket } from './websocket';
import { Channels, PROTOCOLS, refuse, spdyStreams, type StreamIO } from './remotecommand';

const isTrue = (v: string | null) => v === 'true' || v === '1';

interface Target {
  namespace: string;
  name: string;
  uid: string;
  container: string;
}

export function serveExec(ctx: RequestContext, namespace: string, name: string, sub: 'exec' | 'attach'): void {
  const q = ctx.url.searchParams;
  const argv = q.getAll('command');
  const state = openRead(ctx.store);
  const pod = state.get('Pod', namespace, name);
  if (!pod) throw notFound(lookupResource('pods')!, name);
  const container = containerOf(pod, q.get('container'));
  if (sub === 'exec' && !argv.length) throw badRequest('you must specify at least 1 command');
  if (!ctx.upgrade) throw badRequest('Upgrade request required');
  const cs = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === container);
  if (!cs?.state?.running || !pod.spec?.nodeName) return refuse(ctx, 404, `container not found ("${container}")`);
  const node = new Topology(state).node(pod.spec.nodeName);
  // the apiserver cannot reach a stopped node's kubelet: a Status with no reason (kubectl: "Error from server: …")
  if (node && !node.ready) {
    return sendJSON(ctx, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `error dialing backend: dial tcp ${node.ip}:10250: connect: no route to host`, code: 500 });
  }
  const stdin = isTrue(q.get('stdin'));
  const tty = isTrue(q.get('tty'));
  const target: Target = { namespace, name, uid: pod.metadata.uid as string, container };
  const image = (pod.spec.containers ?? []).find((c: { name: string }) => c.name === container)?.image ?? '';
  const start = (io: StreamIO): void => {
    if (sub === 'attach') return attach(ctx.store, target, pod, image, io, stdin);
    if (stdin && argv.length === 1 && SHELLS.has(argv[0]) && hasShell(image, argv[0])) {
      return shellSession(ctx.store, target, argv[0], io, false, (code) => io.finish(code));
    }
    // no stdin, or a shell the image does not have (the runtime's error at once, as `kubesim exec` says it)
    if (!stdin || (argv.length === 1 && SHELLS.has(argv[0]))) return runOnce(ctx.store, target, argv, Buffer.alloc(0), io);
    // a program reading stdin: it runs on what the client sends, once the client closes stdin; the
    // bytes as they came (tar xf - reads an archive), the text as UTF-8
    const input: Buffer[] = [];
    io.onStdin = (d) => input.push(Buffer.from(d));
    io.onStdinEnd = () => runOnce(ctx.store, target, argv, Buffer.concat(input), io);
  };
  if (isWebSocketRequest(ctx.req)) {
    const ws = upgradeWebSocket(ctx.req, ctx.upgrade.socket, ctx.upgrade.head, PROTOCOLS);
    if (ws) start(new Channels(ws, ws.protocol.startsWith('v5'), tty));
    return;
  }
  if (/^spdy\/3\.1$/i.test(String(ctx.req.headers.upgrade ?? ''))) {
    const want = ['error', ...(stdin ? ['stdin'] : []), ...(isTrue(q.get('stdout')) ? ['stdout'] : []), ...(isTrue(q.get('stderr')) && !tty ? ['stderr'] : []), ...(tty ? ['resize'] : [])];
    return spdyStreams(ctx, want, tty, start);
  }
  return refuse(ctx, 400, 'unable to upgrade: missing upgrade headers in request');
}

/** Under the lock (a request changes what the nodes remember), a shell at the pod as it is now; undefined when it is gone. */
function atPod<T>(store: Store, t: Target, fn: (sh: Shell, state: State) => T): T | undefined {
  return locked(
    store,
    (state) => {
      const pod = state.get('Pod', t.namespace, t.name);
      if (!pod || pod.metadata.uid !== t.uid) return undefined;
      const topo = new Topology(state);
      const node = topo.node(pod.spec?.nodeName);
      if (!node) return undefined;
      return fn(shellFor(new Network(topo), { kind: 'pod', pod, node, ip: pod.status?.podIP, container: t.container }), state);
    },
    false,
    false,
  );
}

/** kubectl runs the command itself, not through a shell: `exec POD -- sh -c 'exit 3'` is sh's status. */
function runOnce(store: Store, t: Target, argv: string[], input: Buffer, io: StreamIO): void {
  let missing: string | undefined;
  const r = atPod(store, t, (sh, state) => {
    const res = runProgram(sh, argv, { buf: input.toString('utf8'), pos: 0, bytes: input });
    if (!res) missing = missingExecutable(state, argv[0], sh);
    return res;
  });
  if (missing !== undefined) return io.finish(1, missing);
  if (!r) return io.finish(1, `container not found ("${t.container}")`);
  // the bytes of a binary stdout (a tar archive) as they are, not re-encoded as UTF-8 text
  if (r.stderrFirst) io.err(r.stderr);
  io.out(r.stdoutBytes ?? r.stdout);
  if (!r.stderrFirst) io.err(r.stderr);
  io.finish(r.code);
}

/**
 * A shell reading its commands from stdin: one command at a time, more lines while a compound
 * command or a quote is open, until `exit N` or the end of input. On a terminal the server is the
 * pty too: it echoes what is typed, edits the line (backspace, ^C, ^U), ^D on an empty line ends
 * the shell, and the shell shows its prompt (PS2 "> " inside a command).
 */
function shellSession(store: Store, t: Target, shellName: string, io: StreamIO, log: boolean, done: (code: number) => void): void {
  let sess: Session | undefined;
  let host = '';
  let last = 0;
  let pending = '';
  let line = '';
  let over = false;
  const end = (code: number) => {
    if (over) return;
    over = true;
    done(code);
  };
  const prompt = () => {
    if (io.tty && !over) io.out(pending ? '> ' : sess ? promptOf(sess, 'root', host, '/root') : '');
  };
  /** runs one complete command; true when the shell exits */
  const run = (text: string): boolean => {
    let r: Result | undefined;
    try {
      r = atPod(store, t, (sh, state) => {
        sess ??= { ...openSession(sh, { name: shellName, interactive: io.tty, tty: io.tty }), resident: true };
        host = sh.from.kind === 'pod' ? (sh.from.pod.spec?.hostname ?? sh.from.pod.metadata.name) : '';
        return sessionLine(sh, state, sess, text, log);
      });
    } catch (e) {
      r = { stdout: '', stderr: `${(e as Error).message}\n`, code: 1 };
    }
    if (!r) {
      end(137); // the pod went away under the shell
      return true;
    }
    io.out(r.stdout);
    io.err(r.stderr);
    last = r.code;
    if (r.exit) end(r.code);
    return !!r.exit;
  };
  const submit = (text: string) => {
    pending += text + '\n';
    if (needsMore(pending)) return;
    const cmd = pending;
    pending = '';
    if (cmd.trim() && run(cmd)) return;
  };
  // the first prompt needs the session's directory and host: open it before any input
  atPod(store, t, (sh) => {
    sess = { ...openSession(sh, { name: shellName, interactive: io.tty, tty: io.tty }), resident: true };
    host = sh.from.kind === 'pod' ? (sh.from.pod.spec?.hostname ?? sh.from.pod.metadata.name) : '';
  });
  prompt();
  io.onStdin = (d) => {
    if (over) return;
    if (!io.tty) {
      line += d.toString();
      let nl: number;
      while (!over && (nl = line.indexOf('\n')) >= 0) {
        const one = line.slice(0, nl);
        line = line.slice(nl + 1);
        submit(one);
      }
      return;
    }
    const s = d.toString();
    for (let i = 0; i < s.length && !over; i++) {
      const ch = s[i];
      if (ch === '\r' || ch === '\n') {
        io.out('\n');
        const one = line;
        line = '';
        submit(one);
        prompt();
      } else if (ch === '\x7f' || ch === '\b') {
        if (line) {
          line = line.slice(0, -1);
          io.out('\b \b');
        }
      } else if (ch === '\x03') {
        io.out('^C\n');
        line = '';
        pending = '';
        last = 130;
        prompt();
      } else if (ch === '\x15') {
        io.out('\b \b'.repeat(line.length));
        line = '';
      } else if (ch === '\x04') {
        if (!line && !pending) {
          if (sess?.dialect === 'bash') io.out('exit\n');
          end(last);
        }
      } else if (ch === '\x1b') {
        // an escape sequence (arrows, function keys): no line history here, skipped
        if (s[i + 1] === '[' || s[i + 1] === 'O') i += 2;
        while (i < s.length && /[0-9;]/.test(s[i])) i++;
      } else if (ch >= ' ' || ch === '\t') {
        line += ch;
        io.out(ch);
      }
    }
  };
  io.onStdinEnd = () => {
    if (over) return;
    if (line) submit(line);
    // the input ended inside a compound command: the shell reports it as it parses
    if (!over && pending.trim()) run(pending);
    end(last);
  };
}

/**
 * attach: the container's own process. A shell waiting on stdin (`kubectl run -it … -- sh`, a base
 * image run with -i) takes the client's input and its output is also the container's log; when it
 * exits the container has exited (src/controllers/kubelet-exit.ts) and the attach ends without an
 * error (the exit code is in the pod's status, where `kubectl run -i` reads it). Any other process:
 * what it writes from now on, until the client leaves or the pod goes away.
 */
function attach(store: Store, t: Target, pod: KObject, image: string, io: StreamIO, stdin: boolean): void {
  const c = (pod.spec?.containers ?? []).find((x: { name: string }) => x.name === t.container) ?? {};
  const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
  const shell = argv.length ? argv[0] : appFor(image) === 'none' ? 'sh' : '';
  if (stdin && argv.length <= 1 && SHELLS.has(shell) && hasShell(image, shell)) {
    return shellSession(store, t, shell, io, true, (code) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { containerExited } = require('../controllers/kubelet-exit') as typeof import('../controllers/kubelet-exit');
      locked(store, (state) => containerExited(state, t.namespace, t.name, code, pod.spec?.restartPolicy ?? 'Always'), false, true);
      // attaching has no status of its own: the exit code is the container's, in the pod's status
      io.finish(0);
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { containerLog } = require('../controllers/kubelet/readlog') as typeof import('../controllers/kubelet/readlog');
  let seen = containerLog(openRead(store), pod, t.container).length;
  const timer = setInterval(() => {
    if (io.closed) return clearInterval(timer);
    const state = openRead(store);
    const now = state.get('Pod', t.namespace, t.name);
    if (!now || now.metadata.uid !== t.uid) {
      clearInterval(timer);
      return io.finish(0);
    }
    const all = containerLog(state, now, t.container);
    if (all.length > seen) io.out(all.slice(seen).map((l) => l.text + '\n').join(''));
    seen = all.length;
  }, 250);
  io.onStdinEnd = () => clearInterval(timer);
}
