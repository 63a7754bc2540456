// version, cluster-info and api-resources, as kubectl prints them.
import { isTerminal } from '../util/stdio';
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { apiVersionOf, inDiscoveryOrder, resourceByKind, RESOURCES } from '../api/resources';
import { UNSTORED } from '../api/unstored';
import { clientOf } from '../apiserver/client';
import { nodeIP } from '../cluster/bootstrap';
import { formatGrid } from '../printers/table';
import { openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { toYAML } from '../printers/output';
import { checkAccess } from '../apiserver/requester';
import { versionInfo } from '../api/version';

export const CLIENT_VERSION = 'v1.32.2';

export function runVersion(g: GlobalOptions, o: { client?: boolean; output?: string }): Outcome {
  const server = o.client ? undefined : openRead(g).config.kubernetesVersion;
  if (o.output === 'json' || o.output === 'yaml') {
    const v: Record<string, unknown> = { clientVersion: versionInfo(CLIENT_VERSION), kustomizeVersion: 'v5.5.0' };
    if (server) v.serverVersion = versionInfo(server);
    return { stdout: o.output === 'json' ? JSON.stringify(v, null, 2) + '\n' : toYAML(v) };
  }
  if (o.output) throw new CliError(`error: --output must be 'yaml' or 'json'`, true);
  let out = `Client Version: ${CLIENT_VERSION}\nKustomize Version: v5.5.0\n`;
  if (server) out += `Server Version: ${server}\n`;
  return { stdout: out };
}

export function runClusterInfo(g: GlobalOptions): Outcome {
  const state = openRead(g);
  // cluster-info lists kube-system's services labelled kubernetes.io/cluster-service
  checkAccess(state, { verb: 'list', apiGroup: '', resource: 'services', namespace: 'kube-system' });
  // colour only on a terminal, never with NO_COLOR or through a pipe (chalk loads only then)
  const color = isTerminal(1) && !process.env.NO_COLOR;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  // a fixed level: chalk's own detection turns colour off under CI and the like
  const chalk = color ? new (require('chalk') as typeof import('chalk')).Instance({ level: 1 }) : undefined;
  const green = (s: string) => (chalk ? chalk.green(s) : s);
  const yellow = (s: string) => (chalk ? chalk.yellow(s) : s);
  const url = `https://${nodeIP(state.config, 0)}:6443`;
  let out = `${green('Kubernetes control plane')} is running at ${yellow(url)}\n`;
  const dns = clientOf(state).find(resourceByKind('Service'), 'kube-system', 'kube-dns');
  if (dns) out += `${green('CoreDNS')} is running at ${yellow(`${url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`)}\n`;
  out += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  return { stdout: out };
}

export function runApiResources(o: { output?: string; namespaced?: string; noHeaders?: boolean; apiGroup?: string; verbs?: string[] }): Outcome {
  // kubectl pkg/cmd/apiresources/apiresources.go sorts what discovery lists (sortableResource with
  // no --sort-by): by API group, then by name
  let list = [...inDiscoveryOrder([...RESOURCES, ...UNSTORED])].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
  if (o.namespaced !== undefined) list = list.filter((r) => String(r.namespaced) === o.namespaced);
  // apiresources.go: --api-group once given filters even when empty (--api-group= is the core group);
  // --verbs keeps the resources that support every verb asked for
  if (o.apiGroup !== undefined) list = list.filter((r) => r.group === o.apiGroup);
  const verbs = (o.verbs ?? []).flatMap((v) => v.split(',')).filter((v) => v);
  if (verbs.length) list = list.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  if (o.output === 'name') return { stdout: list.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural) + '\n').join('') };
  const wide = o.output === 'wide';
  if (o.output && !wide) throw new CliError(`error: --output ${o.output} is not available`, true);
  const rows = list.map((r) => {
    const row = [r.plural, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind];
    if (wide) row.push(r.verbs.join(','), (r.categories ?? []).join(','));
    return row;
  });
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];
  if (wide) header.push('VERBS', 'CATEGORIES');
  return { stdout: formatGrid(o.noHeaders ? rows : [header, ...rows]) };
}

export function registerInfo(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('version')
    .description('Print the client and server version information')
    .option('--client', 'If true, shows client version only (no server required)')
    .option('-o, --output <format>', "One of 'yaml' or 'json'")
    .action((opts: { client?: boolean; output?: string }) => run(() => runVersion(g(), opts)));
  const clusterInfo = program
    .command('cluster-info')
    .description('Display cluster information')
    .action(() => run(() => runClusterInfo(g())));
  clusterInfo
    .command('dump')
    .description('Dump relevant information for debugging and diagnosis')
    .option('-A, --all-namespaces', 'If true, dump all namespaces.  If true, --namespaces is ignored.')
    .option('--namespaces <namespaces>', 'A comma separated list of namespaces to dump.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-o, --output <format>', 'Output format. One of: (json, yaml).')
    .option('--output-directory <dir>', "Where to output the files.  If empty or '-' uses stdout, otherwise creates a directory hierarchy in that directory")
    .option('--pod-running-timeout <duration>', 'Ignored: kubesim answers at once.')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action((o: object) => run(() => require('./clusterdump').runClusterInfoDump(g(), o)));
  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('-o, --output <format>', 'Output format. One of: (wide, name)')
    .option('--namespaced <bool>', 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default')
    .option('--api-group <group>', 'Limit to resources in the specified API group.')
    .option('--verbs <verbs>', 'Limit to resources that support the specified verbs.', (v: string, prev: string[] = []) => [...prev, v])
    .option('--no-headers', "When using the default or custom-column output format, don't print headers")
    .action((opts: { output?: string; namespaced?: string; headers?: boolean; apiGroup?: string; verbs?: string[] }) => run(() => runApiResources({ ...opts, noHeaders: opts.headers === false })));
}
