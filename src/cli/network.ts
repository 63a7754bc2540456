// The simulated data plane from its three vantage points: `kubesim curl` from a machine on the
// nodes' network outside the cluster, `kubesim ssh NODE -- CMD` on a node, `kubesim exec POD -- CMD`
// inside a pod. Each runs under the state lock: requests advance the seeded random generator (load
// balancing), kube-proxy's affinity memory and the applications' logs.
import { writeOut, writeErr } from '../util/stdio';
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';
import { openSession, runLine, runProgram, type Result } from '../network/shell';
import { needsMore, type Session } from '../network/interp';
import { hasShell, missingExecutable, promptOf, sessionLine, SHELLS } from '../network/podexec';
import { containerOf, userOf } from '../network/container';
import { nodeVantage, Topology, type Vantage } from '../network/topology';
import { mutate, mutateApi, namespaceOf, openRead, readApi, type GlobalOptions } from './context';
import { containerExited } from '../controllers/kubelet-exit';
import { programFor } from '../controllers/kubelet/sync';
import { linesUntil } from '../controllers/program';
import { isFrozen, nowMs } from '../util/clock';
import type { KObject } from '../api/types';
import { appFor } from '../network/apps';
import type { Outcome } from './outcome';
import { inShell, podVantage, type ExecOptions } from './pod-exec';

function toOutcome(r: Result): Outcome {
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}

export function curlOutside(g: GlobalOptions, args: string[]): Outcome {
  return inShell(g, (topo) => ({ kind: 'outside', ip: topo.outsideIP() }), (sh) => toOutcome(runProgram(sh, ['curl', ...args]) as Result));
}

/**
 * Runs a command on a node. ssh hands the words, joined by spaces, to the login shell as `bash -c`
 * (as `minikube ssh -- CMD` does): missing programs are "bash: line 1: X: command not found", 127.
 */
export function sshRun(g: GlobalOptions, nodeName: string, argv: string[]): Outcome {
  return inShell(g, (topo) => nodeVantage(topo, nodeName), (sh) => toOutcome(runLine(sh, argv.join(' '))));
}

export function execRun(g: GlobalOptions, target: string, argv: string[], o: ExecOptions): Outcome {
  if (!argv.length) throw new CliError('error: you must specify at least one command for the container', true);
  let note = '';
  const at = (topo: Topology) => {
    const v = podVantage(topo, g, target, o);
    note = v.note;
    return v.from;
  };
  const input = o.stdin ? readStdin() : '';
  return inShell(g, at, (sh, state) => {
    // kubectl runs the command itself, not through a shell: `exec POD -- sh -c 'exit 3'` is sh's status
    const r = runProgram(sh, argv, { buf: input, pos: 0 });
    const tty = o.tty && o.stdin && !process.stdin.isTTY ? NO_TTY : '';
    if (!r) return { stdout: '', stderr: tty + note + `error: ${missingExecutable(state, argv[0], sh)}\n`, code: 1 };
    // kubectl's CheckErr prints an ExitError's text as it is (no "error: "), and exits with its status
    return { stdout: r.stdout, stderr: tty + note + r.stderr + (r.code !== 0 ? `command terminated with exit code ${r.code}\n` : ''), code: r.code };
  });
}

/** kubectl's SetupTTY when -t is asked for but stdin is a pipe or a file (pkg/cmd/exec/exec.go). */
const NO_TTY = 'Unable to use a TTY - input is not a terminal or the right kind of file\n';

function readStdin(): string {
  if (process.stdin.isTTY) return '';
  try {
    return (require('fs') as typeof import('fs')).readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A shell reading commands from stdin (`exec -it POD -- sh`, `run -it`, `ssh NODE`): one command at a
 * time, more lines while a compound command or a quote is open (PS2 "> " on a terminal), until
 * `exit N` or the end of input. Each command runs under the lock with the session carried over.
 */
function repl(prompt: () => string, runOne: (text: string) => Result, done: (code: number) => void, tty = !!process.stdin.isTTY): void {
  const readline = require('readline') as typeof import('readline');
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty });
  let last = 0;
  let buf = '';
  let ended = false;
  const show = () => {
    if (!tty) return;
    rl.setPrompt(buf ? '> ' : prompt());
    rl.prompt();
  };
  const run = (text: string): boolean => {
    let r: Result;
    try {
      r = runOne(text);
    } catch (e) {
      r = { stdout: '', stderr: `${(e as Error).message}\n`, code: 1 };
    }
    writeOut(r.stdout);
    writeErr(r.stderr);
    last = r.code;
    return !!r.exit;
  };
  show();
  rl.on('line', (line) => {
    if (ended) return;
    buf += line + '\n';
    if (needsMore(buf)) return show();
    const text = buf;
    buf = '';
    if (text.trim() && run(text)) {
      ended = true;
      return rl.close();
    }
    show();
  });
  rl.on('close', () => {
    // the input ended inside a compound command: the shell reports it as it parses
    if (!ended && buf.trim()) run(buf);
    done(last);
  });
}

/** A session of commands read from stdin in a pod: its shell, its prompt, its output also the container's log when attached. */
function podShell(g: GlobalOptions, at: (topo: Topology) => Vantage, name: string, tty: boolean, log: boolean, done: (code: number) => void): void {
  let sess: Session | undefined;
  let host = '';
  // bash says "I have no name!" for a user /etc/passwd does not know; the sign is $ but for root
  let who: { user?: string; uid: number; home: string } = { user: 'root', uid: 0, home: '/root' };
  repl(
    () => (sess ? promptOf(sess, who.uid === 0 ? 'root' : (who.user ?? 'I have no name!'), host, who.home) : ''),
    (text) =>
      inShell(g, at, (sh, state) => {
        sess ??= { ...openSession(sh, { name, interactive: tty, tty }), resident: true };
        host = sh.from.kind === 'pod' ? (sh.from.pod.spec?.hostname ?? sh.from.pod.metadata.name) : '';
        const c = sh.from.kind === 'pod' ? containerOf(sh.from.pod, sh.from.container) : undefined;
        if (c && sh.from.kind === 'pod') who = userOf(sh.from.pod, c);
        return sessionLine(sh, state, sess, text, log);
      }),
    done,
    tty,
  );
}

/**
 * `kubectl run -i [-t] [--rm] NAME --image=IMAGE [-- COMMAND…]`: the pod's container runs the command
 * (a shell with no command, for the base images) attached to the terminal; its output is also the
 * container's log. With restart policy Never or OnFailure the pod then completes (Succeeded or
 * Failed) and kubectl's exit code is the container's; --rm deletes the pod afterwards.
 */
export function runAttached(g: GlobalOptions, args: string[], o: { rm?: boolean; stdin?: boolean; tty?: boolean; restart?: string }, run: (fn: () => Outcome) => void): Outcome {
  const [name, ...rest] = args;
  const ns = namespaceOf(g);
  const remove = (out: Outcome): Outcome => {
    if (!o.rm) return out;
    // the container has finished (its session or command ended): a finished pod goes at once
    mutateApi(g, (api) => api.delete(lookupResource('pods')!, ns, name, { gracePeriodSeconds: 0 }));
    return { ...out, stdout: out.stdout + `pod "${name}" deleted\n` };
  };
  const pod = waitRunning(g, ns, name);
  if (!pod) {
    // kubectl waits --pod-running-timeout (1m) for a pod that never runs
    return remove({ stdout: '', errors: [new CliError('error: timed out waiting for the condition', true)] });
  }
  const image = pod.spec.containers[0].image as string;
  const argv = rest.length ? rest : appFor(image) === 'none' ? ['sh'] : [];
  const finish = (r: Result): Outcome => {
    const code = complete(g, ns, name, r, o.restart ?? 'Always');
    const out = remove({ stdout: r.stdout, stderr: r.stderr });
    // run.go returns a CodeExitError "pod NS/NAME terminated (Error)\n<message>": kubectl prints it
    // as it is (no "error: ") and exits with the container's code
    if (code !== undefined && code !== 0) return { ...out, stderr: (out.stderr ?? '') + `pod ${ns}/${name} terminated (Error)\n`, code };
    return out;
  };
  const at = (topo: Topology) => podVantage(topo, g, name, { starting: true }).from;
  if (argv.length === 1 && SHELLS.has(argv[0]) && o.stdin) {
    // the shell waits for its input, so kubectl attaches (attach.go prints the hint on stderr)
    const tty = !!o.tty && !!process.stdin.isTTY;
    const shellName = argv[0];
    const exists = hasShell(image, shellName);
    if (!exists) {
      const r = { stdout: '', stderr: '', code: 128 };
      return finish(r);
    }
    writeErr((o.tty && !tty ? NO_TTY : '') + "If you don't see a command prompt, try pressing enter.\n");
    podShell(g, at, shellName, tty, true, (last) => run(() => finish({ stdout: '', stderr: '', code: last })));
    return { stdout: '' };
  }
  if (!argv.length) return { stdout: '' }; // a server image with no command: nothing to attach to here
  // the container runs its own command (the kubelet's program): what attaching shows is its output
  // up to its exit, and kubectl's code is its exit code
  const state = openRead(g);
  const stored = state.get('Pod', ns, name);
  const prog = stored ? programFor(state, stored, stored.spec.containers[0].name) : undefined;
  if (!prog) return { stdout: '' };
  if (!prog.exit) return { stdout: linesUntil(prog, 0, nowMs()).map((l) => l + '\n').join('') };
  // what it wrote until it exited, stdout and stderr to the terminal's own streams
  const written = prog.lines.filter((l) => l.at <= prog.exit!.at);
  const stream = (err: boolean) => written.filter((l) => !!l.err === err).map((l) => l.text + '\n').join('');
  const code = prog.exit.code;
  const done = o.restart === 'Never' || (o.restart === 'OnFailure' && code === 0);
  const out = remove({ stdout: stream(false), stderr: stream(true) + (prog.startError ? `${prog.startError}\n` : '') });
  if (done && code !== 0) return { ...out, stderr: (out.stderr ?? '') + `pod ${ns}/${name} terminated (Error)\n`, code };
  return out;
}

/**
 * kubectl run waits for the pod to run (--pod-running-timeout, 1m). On the simulated clock a pod
 * still pulling its image starts a few simulated seconds later: with the clock moving, kubesim
 * waits for it; with KUBESIM_NOW frozen, the session is the start of the container's process.
 * undefined: the pod will not run (its image cannot be pulled).
 */
function waitRunning(g: GlobalOptions, ns: string, name: string): KObject | undefined {
  const deadline = Date.now() + 60_000;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const pod = readApi(g).find(lookupResource('pods')!, ns, name);
    const cs = pod?.status?.containerStatuses?.[0];
    if (!pod) return undefined;
    if (cs?.state?.running || cs?.state?.terminated || cs?.lastState?.terminated) return pod;
    const waiting = cs?.state?.waiting?.reason;
    if (waiting && waiting !== 'ContainerCreating') return undefined;
    if (isFrozen()) return pod.spec?.nodeName ? pod : undefined;
    if (Date.now() > deadline) return undefined;
    Atomics.wait(tick, 0, 0, 250);
  }
}

/** The container's command ended: the kubelet records it (src/controllers/kubelet-exit.ts). */
function complete(g: GlobalOptions, ns: string, name: string, r: Result, restart: string): number | undefined {
  return mutate(g, (state) => containerExited(state, ns, name, r.code, restart));
}

export function registerNetwork(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('curl')
    .description('Run curl from a machine on the nodes\' network outside the cluster (your laptop); --trace shows every hop')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action((args: string[]) => run(() => curlOutside(g(), args)));

  program
    .command('ip')
    .description("Print a node's IP address, like `minikube ip` (default: the control-plane node)")
    .argument('[node]')
    .option('--node <name>', 'The node to print the address of')
    .action((nodeArg: string | undefined, o: { node?: string }) =>
      run(() => {
        const name = o.node ?? nodeArg ?? 'controlplane';
        const node = new Topology(openRead(g())).node(name);
        if (!node) throw notFound(lookupResource('nodes')!, name);
        return { stdout: node.ip + '\n' };
      }),
    );

  program
    .command('ssh')
    .description('Run a command on a node, like `minikube ssh`: kubesim ssh [NODE] [-- COMMAND [args...]]')
    .argument('[node]')
    .argument('[command...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action((nodeArg: string | undefined, command: string[]) => {
      // `ssh -- CMD`: what follows "--" is the command, on the default node (as `minikube ssh -- CMD`)
      const raw = process.argv.slice(2);
      const at = raw.indexOf('ssh');
      const dash = raw.indexOf('--', at + 1);
      if (nodeArg !== undefined && dash > at && !raw.slice(at + 1, dash).some((a) => !a.startsWith('-'))) {
        command = [nodeArg, ...command];
        nodeArg = undefined;
      }
      const nodeName = nodeArg ?? 'controlplane';
      if (command.length) return run(() => sshRun(g(), nodeName, command));
      run(() => {
        nodeVantage(new Topology(openRead(g())), nodeName); // fails now for an unknown or stopped node
        const tty = !!process.stdin.isTTY;
        let sess: Session | undefined;
        repl(
          () => (sess ? promptOf(sess, 'docker', nodeName, '/home/docker') : ''),
          (text) =>
            inShell(g(), (topo) => nodeVantage(topo, nodeName), (sh) => {
              sess ??= openSession(sh, { name: tty ? '-bash' : 'bash', interactive: tty, tty });
              sh.session = sess;
              const r = runLine(sh, text);
              sess.lineOffset = (sess.lineOffset ?? 0) + text.split('\n').length - 1;
              return r;
            }),
          (code) => (process.exitCode = code),
          tty,
        );
        return { stdout: '' };
      });
    });

  program
    .command('exec')
    .description('Execute a command in a container (simulated programs: curl, wget, nslookup, printenv, cat, hostname)')
    .argument('[pod]', 'POD or TYPE/NAME')
    .argument('[command...]')
    .option('-c, --container <name>', 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen')
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .allowExcessArguments()
    .action((pod: string | undefined, command: string[], o: ExecOptions) => {
      if (!pod) return run(() => {
        throw new CliError('error: pod, type/name or --filename must be specified', true);
      });
      // kubectl 1.32 wants the command after "--"
      if (command.length && !process.argv.includes('--')) {
        return run(() => {
          throw new CliError("Error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubesim exec -h' for help and examples", true);
        });
      }
      if (o.stdin && command.length === 1 && SHELLS.has(command[0])) {
        return run(() => {
          const at = (topo: Topology) => podVantage(topo, g(), pod, o).from;
          const from = at(new Topology(openRead(g()))); // fails now for a pod that cannot be entered
          const image = from.kind === 'pod' ? ((from.pod.spec?.containers ?? []).find((c: { name: string }) => c.name === from.container)?.image ?? '') : '';
          // the shell must be in the image, as any program kubectl exec starts
          if (!hasShell(image, command[0])) return execRun(g(), pod, command, { ...o, stdin: false });
          const tty = !!o.tty && !!process.stdin.isTTY;
          if (o.tty && !tty) writeErr(NO_TTY);
          podShell(g(), at, command[0], tty, false, (code) => {
            // kubectl reports the shell's exit status like any command's
            if (code !== 0) writeErr(`command terminated with exit code ${code}\n`);
            process.exitCode = code;
          });
          return { stdout: '' };
        });
      }
      run(() => execRun(g(), pod, command, o));
    });
}
