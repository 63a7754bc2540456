// The kubesim command line: kubectl's verbs with kubectl's flags and messages, plus `cluster`.
import { writeErr, writeOut } from '../util/stdio';
import { Command, CommanderError } from 'commander';
import { CliError, formatErrors } from '../api/errors';
import type { GlobalOptions } from './context';
import { emit, type Outcome } from './outcome';
import { GLOBAL_VALUE_FLAGS } from './remote';
type Run = (fn: () => Outcome) => void;
type Register = (program: Command, g: () => GlobalOptions, run: Run) => void;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The verb modules in kubectl's help order, each loaded only when one of its commands runs (all of
 * them for help, completion and an unknown command's suggestions): a verb's code costs nothing to
 * the start-up of the others. esbuild turns each require into a lazily run module of the bundle.
 */
const VERBS: { names: string[]; load: () => Register }[] = [
  { names: ['get'], load: () => require('./get').registerGet },
  { names: ['describe'], load: () => require('./describe').registerDescribe },
  { names: ['create', 'apply', 'run', 'expose'], load: () => require('./create').registerCreate },
  { names: ['delete'], load: () => require('./delete').registerDelete },
  { names: ['edit'], load: () => require('./edit').registerEdit },
  { names: ['version', 'cluster-info', 'api-resources'], load: () => require('./info').registerInfo },
  { names: ['cluster'], load: () => require('./cluster').registerCluster },
  { names: ['addons'], load: () => require('./addons').registerAddons },
  { names: ['scale'], load: () => require('./scale').registerScale },
  { names: ['autoscale'], load: () => require('./autoscale').registerAutoscale },
  { names: ['rollout'], load: () => require('./rollout').registerRollout },
  { names: ['label', 'annotate'], load: () => require('./label').registerLabel },
  { names: ['set'], load: () => require('./set').registerSet },
  { names: ['wait'], load: () => require('./wait').registerWait },
  { names: ['completion', '__complete'], load: () => require('./completion').registerCompletion },
  { names: ['explain'], load: () => (program, _g, run) => require('./explain').registerExplain(program, run) },
  { names: ['curl', 'ip', 'ssh', 'exec'], load: () => require('./network').registerNetwork },
  { names: ['logs'], load: () => require('./logs').registerLogs },
  { names: ['taint'], load: () => require('./taint').registerTaint },
  { names: ['cordon', 'uncordon', 'drain', 'node'], load: () => require('./nodes').registerNodes },
  { names: ['config'], load: () => require('./config').registerConfig },
  { names: ['patch'], load: () => require('./patch').registerPatch },
  { names: ['replace'], load: () => require('./replace').registerReplace },
  { names: ['diff'], load: () => require('./diff').registerDiff },
  { names: ['kustomize'], load: () => require('./kustomize').registerKustomize },
  { names: ['port-forward'], load: () => (program, g) => require('./portforward').registerPortForward(program, g) },
  { names: ['cp'], load: () => require('./cp').registerCp },
  { names: ['auth'], load: () => require('./auth').registerAuth },
  { names: ['top'], load: () => require('./top').registerTop },
  { names: ['events'], load: () => require('./events').registerEvents },
  { names: ['api-versions'], load: () => require('./apiversions').registerApiVersions },
  { names: ['graph'], load: () => require('./graph').registerGraph },
  { names: ['serve'], load: () => (program, g) => require('./serve-verb').registerServe(program, g) },
  { names: ['dashboard'], load: () => (program, g) => require('./dashboard-verb').registerDashboard(program, g) },
  { names: ['options', 'help'], load: () => require('./help').registerHelp },
];
/* eslint-enable @typescript-eslint/no-require-imports */


/** The verb the arguments name, if it is one of ours (undefined for help, flags only or a typo). */
export function invokedVerb(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (GLOBAL_VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return VERBS.some((v) => v.names.includes(a)) && a !== '__complete' && a !== 'completion' && a !== 'help' ? a : undefined;
  }
  return undefined;
}

export function buildProgram(setExit: (code: number) => void, args: string[] = []): Command {
  const program = new Command('kubesim');
  program
    .description('kubesim: a kubectl-compatible simulated Kubernetes cluster for learning')
    .option('-n, --namespace <namespace>', 'If present, the namespace scope for this CLI request')
    .option('--state <dir>', "The cluster state directory (default: $KUBESIM_STATE, else the context's cluster, else ~/.kubesim/cluster)")
    .option('--context <name>', "The name of the kubeconfig context to use (kubesim's own kubeconfig: $KUBESIM_CONFIG or ~/.kubesim/config)")
    .option('--cluster <name>', 'The name of the kubeconfig cluster to use')
    .option('--as <user>', 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.')
    .option('--as-group <group>', 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.', (v: string, prev: string[] = []) => [...prev, v])
    .option('--as-uid <uid>', 'UID to impersonate for the operation.')
    .option('--token <token>', 'Bearer token for authentication to the API server')
    .option('--kubeconfig <file>', "Ignored: kubesim reads only its own kubeconfig ($KUBESIM_CONFIG or ~/.kubesim/config), never the user's")
    .helpOption('-h, --help', 'Help for kubesim')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => writeOut(s),
      writeErr: (s) => writeErr(s),
      outputError: (s, write) => write(kubectlStyle(s)),
    });

  const g = (): GlobalOptions => program.opts() as GlobalOptions;
  const run: Run = (fn) => {
    try {
      setExit(emit(fn()));
    } catch (e) {
      if (e instanceof CliError || (e as { reason?: string }).reason) {
        writeErr(formatErrors([e]) + '\n');
        setExit(1);
        return;
      }
      throw e;
    }
  };
  const verb = invokedVerb(args);
  for (const v of VERBS) if (!verb || v.names.includes(verb)) v.load()(program, g, run);
  // --help in kubectl's layout (src/cli/help/render.ts, loaded only when help is shown)
  const formatHelp = (cmd: Command) => (require('./help/render') as typeof import('./help/render')).renderHelp(cmd); // eslint-disable-line @typescript-eslint/no-require-imports
  const withHelp = (c: Command): void => {
    c.configureHelp({ formatHelp });
    c.commands.forEach(withHelp);
  };
  withHelp(program);
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
