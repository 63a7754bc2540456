// The simulated data plane from its three vantage points: `kubesim curl` from a machine on the
// nodes' network outside the cluster, `kubesim ssh NODE -- CMD` on a node, `kubesim exec POD -- CMD`
// inside a pod. Each runs under the state lock: requests advance the seeded random generator (load
// balancing), kube-proxy's affinity memory and the applications' logs.
import { writeOut, writeErr } from '../util/stdio';
import { clientOf } from '../apiserver/client';
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { State } from '../store/state';
import { Network } from '../network/route';
import { runArgs, runLine, runProgram, shellFor, type Result, type Shell } from '../network/shell';
import { Topology, type Vantage } from '../network/topology';
import { mutate, mutateApi, namespaceOf, openRead, readApi, touchRuntime, type GlobalOptions } from './context';
import { containerExited } from '../controllers/kubelet-exit';
import { appendLog, appFor } from '../network/apps';
import type { Outcome } from './outcome';
import { defaultContainer, resolveTarget } from './pod-target';

function toOutcome(r: Result): Outcome {
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}

/** Under the lock (requests change what the nodes remember): one topology, the vantage point, a shell there. */
function inShell<T>(g: GlobalOptions, vantage: (topo: Topology) => Vantage, fn: (sh: Shell, state: State) => T): T {
  return touchRuntime(g, (state) => {
    const topo = new Topology(state);
    return fn(shellFor(new Network(topo), vantage(topo)), state);
  });
}

export function curlOutside(g: GlobalOptions, args: string[]): Outcome {
  return inShell(g, (topo) => ({ kind: 'outside', ip: topo.outsideIP() }), (sh) => toOutcome(runProgram(sh, ['curl', ...args]) as Result));
}

function nodeVantage(topo: Topology, name: string): Vantage {
  const node = topo.node(name);
  if (!node) throw notFound(lookupResource('nodes')!, name);
  if (!node.ready) throw new CliError(`ssh: connect to host ${node.ip} port 22: No route to host`, true);
  return { kind: 'node', node, ip: node.ip };
}

/** Runs a command on a node (bash semantics: missing programs are "command not found", status 127). */
export function sshRun(g: GlobalOptions, nodeName: string, argv: string[]): Outcome {
  return inShell(g, (topo) => nodeVantage(topo, nodeName), (sh) => {
    const r = runArgs(sh, argv);
    if (!r) return { stdout: '', stderr: `bash: line 1: ${argv[0]}: command not found\n`, code: 127 };
    return toOutcome(r);
  });
}

interface ExecOptions {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

function podVantage(topo: Topology, g: GlobalOptions, target: string, o: ExecOptions): { from: Vantage; note: string } {
  const ns = namespaceOf(g);
  const { pod } = resolveTarget(clientOf(topo.state), ns, target);
  let note = '';
  let container = o.container;
  if (!container) {
    const def = defaultContainer(pod);
    container = def.name;
    if (def.note) note = def.note + '\n';
  } else if (!(pod.spec?.containers ?? []).some((c: { name: string }) => c.name === container)) {
    throw new CliError(`Error from server (BadRequest): container ${container} is not valid for pod ${pod.metadata.name}`, true);
  }
  const cs = (pod.status?.containerStatuses ?? []).find((c: { name: string }) => c.name === container);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    throw new CliError(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`, true);
  }
  const node = topo.node(pod.spec?.nodeName);
  if (!cs?.state?.running || !node) throw new CliError(`error: unable to upgrade connection: container not found ("${container}")`, true);
  if (!node.ready) throw new CliError(`Error from server: error dialing backend: dial tcp ${node.ip}:10250: connect: no route to host`, true);
  return { from: { kind: 'pod', pod, node, ip: pod.status.podIP, container: container as string }, note };
}

function missingExecutable(state: State, prog: string): string {
  return `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${state.rand.hex(64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${prog}": executable file not found in $PATH: unknown\n`;
}

export function execRun(g: GlobalOptions, target: string, argv: string[], o: ExecOptions): Outcome {
  if (!argv.length) throw new CliError('error: you must specify at least one command for the container', true);
  let note = '';
  const at = (topo: Topology) => {
    const v = podVantage(topo, g, target, o);
    note = v.note;
    return v.from;
  };
  return inShell(g, at, (sh, state) => {
    const r = runProgram(sh, argv);
    if (!r) return { stdout: '', stderr: note + missingExecutable(state, argv[0]), code: 1 };
    return { stdout: r.stdout, stderr: note + r.stderr + (r.code !== 0 ? `command terminated with exit code ${r.code}\n` : ''), code: r.code };
  });
}

/** An interactive shell (`exec -it POD -- sh`, `ssh NODE`): one command line at a time from stdin. */
function repl(prompt: string, runOne: (line: string) => Result, done: (code: number) => void): void {
  const tty = !!process.stdin.isTTY;
  const readline = require('readline') as typeof import('readline');
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty });
  let last = 0;
  if (tty) rl.setPrompt(prompt);
  if (tty) rl.prompt();
  rl.on('line', (line) => {
    const t = line.trim();
    if (t === 'exit' || t === 'logout') return rl.close();
    if (t) {
      try {
        const r = runOne(t);
        writeOut(r.stdout);
        writeErr(r.stderr);
        last = r.code;
      } catch (e) {
        writeErr(`${(e as Error).message}\n`);
        last = 1;
      }
    }
    if (tty) rl.prompt();
  });
  rl.on('close', () => done(last));
}

const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash']);

/**
 * `kubectl run -i [-t] [--rm] NAME --image=IMAGE [-- COMMAND…]`: the pod's container runs the command
 * (a shell with no command, for the base images) attached to the terminal; its output is also the
 * container's log. With restart policy Never or OnFailure the pod then completes (Succeeded or
 * Failed) and kubectl's exit code is the container's; --rm deletes the pod afterwards.
 */
export function runAttached(g: GlobalOptions, args: string[], o: { rm?: boolean; stdin?: boolean; restart?: string }, run: (fn: () => Outcome) => void): Outcome {
  const [name, ...rest] = args;
  const ns = namespaceOf(g);
  const remove = (out: Outcome): Outcome => {
    if (!o.rm) return out;
    mutateApi(g, (api) => api.delete(lookupResource('pods')!, ns, name));
    return { ...out, stdout: out.stdout + `pod "${name}" deleted\n` };
  };
  const pod = readApi(g).find(lookupResource('pods')!, ns, name);
  if (!pod?.status?.containerStatuses?.[0]?.state?.running) {
    // kubectl waits --pod-running-timeout (1m) for a pod that never runs
    return remove({ stdout: '', errors: [new CliError('error: timed out waiting for the condition', true)] });
  }
  const image = pod.spec.containers[0].image as string;
  const argv = rest.length ? rest : appFor(image) === 'none' ? ['sh'] : [];
  const finish = (r: Result): Outcome => {
    const code = complete(g, ns, name, r, o.restart ?? 'Always');
    const out = remove({ stdout: r.stdout, stderr: r.stderr });
    if (code !== undefined && code !== 0) return { ...out, errors: [new CliError(`error: pod ${ns}/${name} terminated (Error)`, true)], code };
    return out;
  };
  const at = (topo: Topology) => podVantage(topo, g, name, {}).from;
  if (argv.length === 1 && SHELLS.has(argv[0]) && o.stdin) {
    repl(`/ # `, (line) => inShell(g, at, (sh) => runLine(sh, line)), (last) => run(() => finish({ stdout: '', stderr: '', code: last })));
    return { stdout: '' };
  }
  if (!argv.length) return { stdout: '' }; // a server image with no command: nothing to attach to here
  const r = inShell(g, at, (sh, state) => {
    const out = runArgs(sh, argv) ?? { stdout: '', stderr: missingExecutable(state, argv[0]), code: 128 };
    const lines = (out.stdout + out.stderr).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length && sh.from.kind === 'pod') appendLog(state, sh.from.pod, sh.from.container, lines);
    return out;
  });
  return finish(r);
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
        repl(`docker@${nodeName}:~$ `, (line) => sshRun(g(), nodeName, [line]) as Result, (code) => (process.exitCode = code));
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
          const prompt = from.kind === 'pod' ? `${from.pod.metadata.name}:/# ` : '# ';
          repl(prompt, (line) => inShell(g(), at, (sh) => runLine(sh, line)), (code) => (process.exitCode = code));
          return { stdout: '' };
        });
      }
      run(() => execRun(g(), pod, command, o));
    });
}
