// kubectl kustomize DIR: the build as YAML documents (sigs.k8s.io/kustomize/kustomize/v5/commands/build),
// keys sorted as kyaml writes them through sigs.k8s.io/yaml, warnings on stderr first. A failure is
// klog's line from kubectl's run.go ("command failed" err=…), on the simulated clock.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { build } from '../kustomize/build';
import { KustomizeError, realFs } from '../kustomize/fs';
import { toYAML } from '../printers/output';
import { nowMs } from '../util/clock';
import type { GlobalOptions } from './context';
import type { Outcome } from './outcome';

function klogLine(msg: string): string {
  const d = new Date(nowMs());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
  return `E${stamp} ${String(process.pid).padStart(7)} run.go:72] "command failed" err=${JSON.stringify(msg)}`;
}

export function runKustomize(dir: string): Outcome {
  try {
    const { objects, warnings } = build(realFs, dir.replace(/\/+$/, '') || '/');
    const stdout = objects.map((o) => toYAML(o)).join('---\n');
    return { stdout: '', parts: [...warnings.map((w) => ({ text: w + '\n', stderr: true })), { text: stdout }] };
  } catch (e) {
    if (e instanceof KustomizeError) throw new CliError(klogLine(e.message), true);
    throw e;
  }
}

export function registerKustomize(program: Command, _g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('kustomize')
    .description('Build a kustomization target from a directory or URL')
    .argument('[dir]', 'the kustomization directory', '.')
    .action((dir: string) => run(() => runKustomize(dir)));
}
