// kubesim api-versions: kubectl's pkg/cmd/apiresources/apiversions.go, every group/version the
// server's discovery lists (metav1.ExtractGroupVersions), sorted by Go's sort.Strings.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { goCompare } from '../api/decode';
import { RESOURCES } from '../api/resources';
import { UNSTORED } from '../api/unstored';
import type { Outcome } from './outcome';

export function apiVersions(): string[] {
  const all = new Set<string>();
  // besides the kinds': the review APIs and the resource metrics API that `top` and the HPA read
  for (const r of [...RESOURCES, ...UNSTORED]) for (const v of [r.version, ...(r.otherVersions ?? [])]) all.add(r.group ? `${r.group}/${v}` : v);
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
