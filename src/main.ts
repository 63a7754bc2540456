// Entry point of the kubesim CLI bundle.
import { buildProgram, isCommanderExit } from './cli/program';

let exitCode = 0;
const program = buildProgram((c) => {
  exitCode = c;
});
try {
  program.parse(process.argv);
} catch (e) {
  if (isCommanderExit(e)) {
    exitCode = e.exitCode;
  } else {
    process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
    exitCode = 1;
  }
}
process.exitCode = exitCode;
