// kubesim api-versions: kubectl's pkg/cmd/apiresources/apiversions.go, every group/version the
// server's discovery lists (metav1.ExtractGroupVersions), sorted by Go's sort.Strings.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { goCompare } from '../api/decode';
import { RESOURCES } from '../api/resources';
import type { Outcome } from './outcome';

/** Served besides the kinds' own: the resource metrics API that `top` and the HPA read (src/cli/top.ts). */
const AGGREGATED = ['metrics.k8s.io/v1beta1'];

export function apiVersions(): string[] {
  const all = new Set<string>(AGGREGATED);
  for (const r of RESOURCES) for (const v of [r.version, ...(r.otherVersions ?? [])]) all.add(r.group ? `${r.group}/${v}` : v);
  return [...all].sort(goCompare);
}

export function runApiVersions(args: string[]): Outcome {
  if (args.length) throw new CliError(`error: unexpected arguments: [${args.join(' ')}]\nSee 'kubesim api-versions -h' for help and examples`, true);
  return { stdout: apiVersions().map((v) => v + '\n').join('') };
}

export function registerApiVersions(program: Command, _g: unknown, run: (fn: () => Outcome) => void): void {
  program
    .command('api-versions')
    .description('Print the supported API versions on the server, in the form of "group/version"')
    .argument('[args...]')
    .action((args: string[]) => run(() => runApiVersions(args)));
}
