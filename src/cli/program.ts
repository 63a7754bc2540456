// The kubesim command line: kubectl's verbs with kubectl's flags and messages, plus `cluster`.
import { Command, CommanderError } from 'commander';
import { CliError, formatErrors } from '../api/errors';
import type { GlobalOptions } from './context';
import { emit, type Outcome } from './outcome';
import { registerGet } from './get';
import { registerCreate } from './create';
import { registerDelete } from './delete';
import { registerDescribe } from './describe';
import { registerCluster } from './cluster';
import { registerInfo } from './info';
import { registerScale } from './scale';
import { registerRollout } from './rollout';
import { registerLabel } from './label';
import { registerWait } from './wait';
import { registerCompletion } from './completion';
import { registerExplain } from './explain';
import { registerNetwork } from './network';
import { registerLogs } from './logs';
import { registerNodes } from './nodes';
import { registerPortForward } from './portforward';

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('kubesim');
  program
    .description('kubesim: a kubectl-compatible simulated Kubernetes cluster for learning')
    .option('-n, --namespace <namespace>', 'If present, the namespace scope for this CLI request')
    .option('--state <dir>', 'The cluster state directory (default: $KUBESIM_STATE or ~/.kubesim/cluster)')
    .option('--context <name>', 'Ignored: kubesim has one cluster per state directory')
    .option('--kubeconfig <file>', 'Ignored: kubesim has one cluster per state directory')
    .helpOption('-h, --help', 'Help for kubesim')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(kubectlStyle(s)),
    });

  const g = (): GlobalOptions => program.opts() as GlobalOptions;
  const run = (fn: () => Outcome) => {
    try {
      setExit(emit(fn()));
    } catch (e) {
      if (e instanceof CliError || (e as { reason?: string }).reason) {
        process.stderr.write(formatErrors([e]) + '\n');
        setExit(1);
        return;
      }
      throw e;
    }
  };
  registerGet(program, g, run);
  registerDescribe(program, g, run);
  registerCreate(program, g, run);
  registerDelete(program, g, run);
  registerInfo(program, g, run);
  registerCluster(program, g, run);
  registerScale(program, g, run);
  registerRollout(program, g, run);
  registerLabel(program, g, run);
  registerWait(program, g, run);
  registerCompletion(program, g, run);
  registerExplain(program, run);
  registerNetwork(program, g, run);
  registerLogs(program, g, run);
  registerNodes(program, g, run);
  registerPortForward(program, g);
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ outputError: (s, write) => write(kubectlStyle(s, c.name())) });
    for (const sub of c.commands) sub.exitOverride().configureOutput({ outputError: (s, write) => write(kubectlStyle(s, `${c.name()} ${sub.name()}`)) });
  }
  return program;
}

/** Commander's messages in kubectl's words: "Error: unknown flag: --foo" + "See 'kubesim get --help' for usage." */
function kubectlStyle(s: string, cmd?: string): string {
  const unknownOpt = /unknown option '([^']+)'/.exec(s);
  if (unknownOpt) return `Error: unknown flag: ${unknownOpt[1]}\nSee 'kubesim ${cmd ?? ''}${cmd ? ' ' : ''}--help' for usage.\n`;
  const unknownCmd = /unknown command '([^']+)'/.exec(s);
  if (unknownCmd) return `error: unknown command "${unknownCmd[1]}" for "kubesim"\nRun 'kubesim --help' for usage.\n`;
  const missing = /option '([^']+)' argument missing/.exec(s);
  if (missing) return `Error: flag needs an argument: ${missing[1].split(/[ ,]+/).pop()}\nSee 'kubesim ${cmd ?? ''}${cmd ? ' ' : ''}--help' for usage.\n`;
  return s.replace(/^error: /, 'error: ');
}

export function isCommanderExit(e: unknown): e is CommanderError {
  return e instanceof CommanderError;
}
