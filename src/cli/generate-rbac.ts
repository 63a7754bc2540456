// create role | clusterrole | rolebinding | clusterrolebinding (kubectl pkg/cmd/create/create_role.go,
// create_clusterrole.go, create_rolebinding.go, create_clusterrolebinding.go): the flags as pflag
// reads them (--verb, --resource, --non-resource-url are string slices, split at commas; --resource-name,
// --user, --group, --serviceaccount string arrays; --aggregation-rule a key=value map), the objects
// of src/generators/rbac.ts printed (--dry-run=client) or created.
import type { Command } from 'commander';
import { CliError } from '../api/errors';
import { clusterRoleBindingFor, clusterRoleFor, roleBindingFor, roleFor, type RoleArgs } from '../generators/rbac';
import type { GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName, requiredFlag, type OutputOptions } from './generate';
import { inOrder, type Outcome, type OutputPart } from './outcome';
import { validateOption } from './warnings';

interface Opts extends OutputOptions {
  verb?: string[];
  resource?: string[];
  resourceName?: string[];
  nonResourceUrl?: string[];
  aggregationRule?: string[];
  role?: string;
  clusterrole?: string;
  user?: string[];
  group?: string[];
  serviceaccount?: string[];
}

// readAsCSV: an empty value is no element (so `--verb=` leaves the verbs empty, as kubectl's)
const slice = (v: string, prev: string[] = []) => (v === '' ? prev : [...prev, ...v.split(',')]);
const array = (v: string, prev: string[] = []) => [...prev, v];
const explicitNs = (g: GlobalOptions) => g.namespace || undefined;

/** cliflag.MapStringString: `k=v,k2=v2`, repeated flags merged */
function mapOf(values: string[] = []): Record<string, string> {
  // a Map: keys such as __proto__ are label keys like any other (the apiserver judges them)
  const out = new Map<string, string>();
  for (const v of values) {
    for (const pair of v.split(',')) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new CliError(`Error: invalid argument "${v}" for "--aggregation-rule" flag: malformed pair, expect string=string`, true);
      out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  // a Go map: encoding/json writes its keys sorted
  return Object.fromEntries([...out.keys()].sort().map((k) => [k, out.get(k) as string]));
}

/** the role generators' result, their warnings (non-standard verbs) on stderr before it or the error */
function withWarnings(build: () => { obj: import('../api/types').KObject; warnings: string }, emit: (o: import('../api/types').KObject) => Outcome): Outcome {
  let built;
  try {
    built = build();
  } catch (e) {
    const warnings = (e as { warnings?: string }).warnings;
    if (!warnings) throw e;
    return { stdout: '', stderr: warnings, errors: [e] };
  }
  const out = emit(built.obj);
  if (!built.warnings) return out;
  // Validate writes the warnings before anything is created or printed
  const rest: OutputPart[] = out.parts ?? [{ text: out.stdout }, ...(out.stderr ? [{ text: out.stderr, stderr: true }] : [])];
  return inOrder([{ text: built.warnings, stderr: true }, ...rest], out.errors);
}

function roleArgs(name: string, o: Opts, namespace?: string): RoleArgs {
  return { name, verbs: o.verb ?? [], resources: o.resource ?? [], resourceNames: o.resourceName ?? [], nonResourceURLs: o.nonResourceUrl ?? [], aggregationRule: mapOf(o.aggregationRule), namespace };
}

export function runCreateRole(g: GlobalOptions, names: string[], o: Opts): Outcome {
  const name = exactlyOneName(names, 'create role');
  return withWarnings(() => roleFor(roleArgs(name, o, explicitNs(g))), (obj) => emitGenerated(g, [obj], o, 'created'));
}

export function runCreateClusterRole(g: GlobalOptions, names: string[], o: Opts): Outcome {
  const name = exactlyOneName(names, 'create clusterrole');
  return withWarnings(() => clusterRoleFor(roleArgs(name, o)), (obj) => emitGenerated(g, [obj], o, 'created'));
}

const bindingArgs = (name: string, o: Opts, namespace?: string) => ({ name, role: o.role, clusterRole: o.clusterrole, users: o.user ?? [], groups: o.group ?? [], serviceAccounts: o.serviceaccount ?? [], namespace });

export function runCreateRoleBinding(g: GlobalOptions, names: string[], o: Opts): Outcome {
  const name = exactlyOneName(names, 'create rolebinding');
  return emitGenerated(g, [roleBindingFor(bindingArgs(name, o, explicitNs(g)))], o, 'created', 'failed to create rolebinding: ');
}

export function runCreateClusterRoleBinding(g: GlobalOptions, names: string[], o: Opts): Outcome {
  // cobra checks required flags before the command runs
  if (!o.clusterrole) throw requiredFlag('clusterrole');
  const name = exactlyOneName(names, 'create clusterrolebinding');
  return emitGenerated(g, [clusterRoleBindingFor(bindingArgs(name, o))], o, 'created', 'failed to create clusterrolebinding: ');
}

export function registerRbacGenerators(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const opts = (cmd: Command) => cmd.optsWithGlobals() as Opts;
  const rules = (c: Command) =>
    c
      .argument('[name...]')
      .option('--verb <verb>', 'Verb that applies to the resources contained in the rule', slice)
      .option('--resource <resource>', 'Resource that the rule applies to', slice)
      .option('--resource-name <name>', 'Resource in the white list that the rule applies to, repeat this flag for multiple items', array);
  dryRunOption(rules(validateOption(create.command('role')).description('Create a role with single rule'))).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => runCreateRole(g(), names, opts(cmd))),
  );
  dryRunOption(
    rules(validateOption(create.command('clusterrole')).description('Create a cluster role'))
      .option('--non-resource-url <url>', 'A partial url that user should have access to.', slice)
      .option('--aggregation-rule <key=value>', 'An aggregation label selector for combining ClusterRoles.', array),
  ).action((names: string[], _o: unknown, cmd: Command) => run(() => runCreateClusterRole(g(), names, opts(cmd))));
  const subjects = (c: Command) =>
    c
      .argument('[name...]')
      .option('--clusterrole <name>', 'ClusterRole this ClusterRoleBinding should reference')
      .option('--user <name>', 'Usernames to bind to the clusterrole. The flag can be repeated to add multiple users.', array)
      .option('--group <name>', 'Groups to bind to the clusterrole. The flag can be repeated to add multiple groups.', array)
      .option('--serviceaccount <namespace:name>', 'Service accounts to bind to the clusterrole, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.', array);
  dryRunOption(subjects(validateOption(create.command('rolebinding')).description('Create a role binding for a particular role or cluster role')).option('--role <name>', 'Role this RoleBinding should reference')).action(
    (names: string[], _o: unknown, cmd: Command) => run(() => runCreateRoleBinding(g(), names, opts(cmd))),
  );
  dryRunOption(subjects(validateOption(create.command('clusterrolebinding')).description('Create a cluster role binding for a particular cluster role'))).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => runCreateClusterRoleBinding(g(), names, opts(cmd))),
  );
}
