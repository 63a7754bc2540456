// Entry point of the kubesim CLI bundle.
// every kind registers its names and strategy before any command runs
import './apiserver/kinds';
import { writeErr } from './util/stdio';
import { failure, runArgv } from './cli/runargv';

// Output goes through src/util/stdio.ts (plain descriptors; a reader that goes away ends the command
// with 141, as SIGPIPE ends kubectl). A stream a command builds itself (readline, help) can still
// meet EPIPE:
process.on('uncaughtException', (e: NodeJS.ErrnoException) => {
  if (e?.code === 'EPIPE') process.exit(141);
});

process.on('uncaughtException', (e) => {
  writeErr(failure(e) + '\n');
  process.exit(1);
});
const argv = process.argv.slice(2);
// while `kubesim serve` runs on this command's state directory, the command runs there (issue 18:
// one state, two doors; cli/remote.ts), unless bin/kubesim has already found where it runs
/* eslint-disable @typescript-eslint/no-require-imports */
const remote = (): typeof import('./cli/remote') => require('./cli/remote');
const route = (globalThis as { kubesimRouted?: boolean }).kubesimRouted
  ? 'here'
  : remote().route(argv, () => {
      // the state directory the kubeconfig selects (cli/context.ts storeFor); a bad one: run here, and fail there
      try {
        const sel = { context: remote().flagValue(argv, '--context'), cluster: remote().flagValue(argv, '--cluster') };
        const dir = (require('./cli/kubeconfig') as typeof import('./cli/kubeconfig')).selected(sel, true).stateDir;
        return (require('./store/store') as typeof import('./store/store')).resolveStateDir(dir);
      } catch {
        return undefined;
      }
    });
/* eslint-enable @typescript-eslint/no-require-imports */
if (typeof route === 'object') route.forward(() => (process.exitCode = runArgv(argv)));
else process.exitCode = runArgv(argv);
// Once nothing is left to run (every command's end, however it got there), exit at once: the
// 'exit' handlers run, Node's orderly teardown of the heap (~1% of a short command) does not.
process.once('beforeExit', () => process.exit());
