// kubesim config: kubectl 1.32's `config` subcommands (kubectl pkg/cmd/config) on kubesim's own
// kubeconfig (cli/kubeconfig.ts), with kubectl's messages. Nothing here reads a cluster's state.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { printJsonPath } from '../printers/jsonpath';
import { GET_TABS, tabwrite } from '../printers/tabwriter';
import { jsonPathTemplate } from './printflags';
import type { GlobalOptions } from './context';
import { configPath, editableKubeconfig, initialConfig, loadKubeconfig, saveKubeconfig, toV1, type KubeConfig, type NamedContext } from './kubeconfig';
import { inOrder, type Outcome } from './outcome';

type Run = (fn: () => Outcome) => void;
const err = (msg: string) => new CliError(`error: ${msg}`, true);

/**
 * The kubeconfig a command that writes changes: the file's, or (no file yet) the one kubesim starts
 * with, a `kubesim` context for the default state directory, so the first `set-context --current`
 * works as it does on a cluster kubeadm or kind set up.
 */
const writable = (): KubeConfig => loadKubeconfig() ?? initialConfig();

/** Go's json.MarshalIndent escaping of HTML characters, keys in the struct's order (printers.JSONPrinter). */
const goIndentJSON = (v: unknown): string => JSON.stringify(v, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';

/** The v1 Config in struct order, as `config view -o json` prints it. */
function structOrder(cfg: KubeConfig): Record<string, unknown> {
  const v = toV1(cfg);
  const out: Record<string, unknown> = { kind: v.kind, apiVersion: v.apiVersion, preferences: v.preferences, clusters: v.clusters, users: v.users, contexts: v.contexts, 'current-context': v['current-context'] };
  if (v.extensions) out.extensions = v.extensions;
  return out;
}

/** clientcmdapi.ShortenConfig and RedactSecrets: what `config view` hides without --raw. */
function redacted(cfg: KubeConfig): KubeConfig {
  const hide = (o: Record<string, unknown>, keys: string[], by: string) => {
    const c = { ...o };
    for (const k of keys) if (c[k]) c[k] = by;
    return c;
  };
  return {
    ...cfg,
    clusters: cfg.clusters.map((c) => ({ name: c.name, cluster: hide(c.cluster, ['certificate-authority-data'], 'DATA+OMITTED') as typeof c.cluster })),
    users: cfg.users.map((u) => ({ name: u.name, user: hide(hide(u.user, ['client-certificate-data', 'client-key-data'], 'DATA+OMITTED'), ['token', 'password'], 'REDACTED') })),
  };
}

interface ViewFlags {
  minify?: boolean;
  raw?: boolean;
  flatten?: boolean;
  output?: string;
}

function runView(g: GlobalOptions, f: ViewFlags): Outcome {
  let cfg = editableKubeconfig();
  if (f.minify) {
    // clientcmdapi.MinifyConfig
    const name = g.context || cfg.currentContext;
    if (!name) throw err('current-context must exist in order to minify');
    const ctx = cfg.contexts.find((c) => c.name === name);
    if (!ctx) throw err(`cannot locate context ${name}`);
    cfg = {
      preferences: cfg.preferences,
      contexts: [ctx],
      clusters: cfg.clusters.filter((c) => c.name === ctx.context.cluster),
      users: cfg.users.filter((u) => u.name === ctx.context.user),
      currentContext: name,
    };
  }
  if (!f.raw) cfg = redacted(cfg);
  const o = f.output ?? 'yaml';
  const jp = jsonPathTemplate(o);
  if (jp !== undefined) return { stdout: printJsonPath(jp, structOrder(cfg), { asJSON: o.startsWith('jsonpath-as-json=') }) };
  if (o === 'json') return { stdout: goIndentJSON(structOrder(cfg)) };
  if (o === 'yaml' || o === '') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toYAML } = require('../printers/output') as typeof import('../printers/output');
    return { stdout: toYAML(toV1(cfg)) };
  }
  throw err(`unable to match a printer suitable for the output format "${o}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml`);
}

function runGetContexts(names: string[], f: { output?: string; headers?: boolean }): Outcome {
  const o = f.output ?? '';
  if (o !== '' && o !== 'name') throw err(`--output ${o} is not available in kubectl config get-contexts; resetting to default output format`);
  const cfg = editableKubeconfig();
  const found: NamedContext[] = [];
  const errors: string[] = [];
  if (names.length === 0) found.push(...cfg.contexts);
  for (const n of names) {
    const c = cfg.contexts.find((x) => x.name === n);
    if (c) found.push(c);
    else errors.push(`context ${n} not found`);
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let text = '';
  if (o === 'name') text = found.map((c) => c.name + '\n').join('');
  else {
    let rows = f.headers === false ? '' : 'CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n';
    for (const c of found) rows += `${c.name === cfg.currentContext ? '*' : ''}\t${c.name}\t${c.context.cluster}\t${c.context.user}\t${c.context.namespace ?? ''}\n`;
    text = tabwrite(rows, GET_TABS);
  }
  // utilerrors.NewAggregate: one error as itself, several in brackets
  const e = errors.length === 0 ? undefined : errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return { stdout: text, errors: e ? [err(e)] : undefined };
}

/** get-users sorts; get-clusters ranges over a Go map (its order varies from run to run): both sorted here. */
function names(list: { name: string }[]): string {
  return 'NAME\n' + list.map((x) => x.name).sort().map((n) => n + '\n').join('');
}

function runCurrentContext(): Outcome {
  const cur = loadKubeconfig()?.currentContext;
  if (!cur) throw err('current-context is not set');
  return { stdout: cur + '\n' };
}

function exactlyOne(args: string[]): string {
  if (args.length !== 1) throw err(`Unexpected args: [${args.join(' ')}]`);
  return args[0];
}

function runUseContext(args: string[]): Outcome {
  const name = exactlyOne(args);
  const cfg = writable();
  if (!cfg.contexts.some((c) => c.name === name)) throw err(`no context exists with the name: ${JSON.stringify(name)}`);
  cfg.currentContext = name;
  saveKubeconfig(cfg);
  return { stdout: `Switched to context ${JSON.stringify(name)}.\n` };
}

interface SetContextFlags {
  current?: boolean;
  namespace?: string;
  cluster?: string;
  user?: string;
}

function runSetContext(args: string[], f: SetContextFlags): Outcome {
  const cfg = writable();
  let name = args[0] ?? '';
  if (f.current && name) throw err('you cannot specify both a context name and --current');
  if (f.current) {
    if (!cfg.currentContext) throw err('no current context is set');
    name = cfg.currentContext;
  }
  if (!name) throw err('you must specify a non-empty context name or --current');
  let ctx = cfg.contexts.find((c) => c.name === name);
  const exists = !!ctx;
  if (!ctx) {
    ctx = { name, context: { cluster: '', user: '' } };
    cfg.contexts.push(ctx);
  }
  // only the flags given change the context (kubectl checks Changed)
  if (f.cluster !== undefined) ctx.context.cluster = f.cluster;
  if (f.user !== undefined) ctx.context.user = f.user;
  if (f.namespace !== undefined) ctx.context.namespace = f.namespace || undefined;
  saveKubeconfig(cfg);
  return { stdout: `Context ${JSON.stringify(name)} ${exists ? 'modified' : 'created'}.\n` };
}

function runSetCluster(args: string[], f: { server?: string; insecureSkipTlsVerify?: string }): Outcome {
  const name = args[0];
  if (!name) throw err('you must specify a non-empty cluster name');
  const cfg = writable();
  let c = cfg.clusters.find((x) => x.name === name);
  if (!c) {
    c = { name, cluster: { server: '' } };
    cfg.clusters.push(c);
  }
  if (f.server !== undefined) c.cluster.server = f.server;
  saveKubeconfig(cfg);
  return { stdout: `Cluster ${JSON.stringify(name)} set.\n` };
}

// config set-credentials (kubectl pkg/cmd/config/set_credentials.go): fields merged onto the entry; a
// certificate path made absolute, or its bytes embedded; a token or basic auth clears the other.
interface SetCredentialsFlags {
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
  embedCerts?: string | boolean;
  username?: string;
  password?: string;
}
function runSetCredentials(args: string[], f: SetCredentialsFlags): Outcome {
  const name = args[0];
  if (!name) throw err('you must specify a non-empty user name');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs'), path = require('path') as typeof import('path');
  const embed = f.embedCerts === true || f.embedCerts === 'true';
  const methods = [...(f.token ? ['--token'] : []), ...(f.username || f.password ? ['--username/--password'] : [])];
  if (methods.length > 1) throw err(`you cannot specify more than one authentication method at the same time: ${methods.join(', ')}`);
  if (embed) {
    if (!f.clientCertificate && !f.clientKey) throw err('you must specify a --client-certificate or --client-key to embed');
    for (const [flag, file] of [['client-certificate', f.clientCertificate], ['client-key', f.clientKey]] as const) {
      if (file && !fs.existsSync(file)) throw err(`could not stat ${flag} file ${file}: stat ${file}: no such file or directory`);
    }
  }
  const cfg = writable();
  let u = cfg.users.find((x) => x.name === name);
  if (!u) cfg.users.push((u = { name, user: {} }));
  const user = u.user;
  const file = (key: string, value: string | undefined) => {
    if (value === undefined) return;
    if (embed) {
      let data: Buffer;
      try {
        data = fs.readFileSync(value);
      } catch (e) {
        throw err(`open ${value}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      }
      user[`${key}-data`] = data.toString('base64');
      delete user[key];
    } else {
      // clientcmd writes a path relative to the kubeconfig's directory when it needs no "../"
      // (RelativizePathWithNoBacksteps), and resolves it against that directory when read
      const abs = path.resolve(value);
      const rel = path.relative(path.dirname(configPath()), abs);
      user[key] = value === '' ? '' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
      if (user[key]) delete user[`${key}-data`];
    }
  };
  file('client-certificate', f.clientCertificate);
  file('client-key', f.clientKey);
  if (f.token !== undefined) user.token = f.token;
  if (f.username !== undefined) user.username = f.username;
  if (f.password !== undefined) user.password = f.password;
  const setToken = !!user.token && f.token !== undefined;
  const setBasic = (!!user.username || !!user.password) && (f.username !== undefined || f.password !== undefined);
  if (setToken || setBasic) {
    if (!setToken) delete user.token;
    if (!setBasic) {
      delete user.username;
      delete user.password;
    }
  }
  for (const k of Object.keys(user)) if (user[k] === '') delete user[k];
  saveKubeconfig(cfg);
  return { stdout: `User ${JSON.stringify(name)} set.\n` };
}

function runDeleteUser(args: string[]): Outcome {
  const name = args[0];
  if (!name) throw err('you must specify a user name to delete');
  const cfg = editableKubeconfig();
  const file = configPath();
  const i = cfg.users.findIndex((c) => c.name === name);
  if (i < 0) throw err(`cannot delete user ${name}, not in ${file}`);
  cfg.users.splice(i, 1);
  saveKubeconfig(cfg);
  return { stdout: `deleted user ${name} from ${file}\n` };
}

function runDeleteContext(args: string[]): Outcome {
  const name = args[0];
  if (!name) throw err('you must specify a context name to delete');
  const cfg = editableKubeconfig();
  const file = configPath();
  const i = cfg.contexts.findIndex((c) => c.name === name);
  if (i < 0) throw err(`cannot delete context ${name}, not in ${file}`);
  const parts = [];
  if (cfg.currentContext === name) parts.push({ text: 'warning: this removed your active context, use "kubectl config use-context" to select a different one\n', stderr: true });
  cfg.contexts.splice(i, 1);
  saveKubeconfig(cfg);
  parts.push({ text: `deleted context ${name} from ${file}\n` });
  return inOrder(parts);
}

function runDeleteCluster(args: string[]): Outcome {
  const name = args[0];
  if (!name) throw err('you must specify a cluster name to delete');
  const cfg = editableKubeconfig();
  const file = configPath();
  const i = cfg.clusters.findIndex((c) => c.name === name);
  if (i < 0) throw err(`cannot delete cluster ${name}, not in ${file}`);
  cfg.clusters.splice(i, 1);
  saveKubeconfig(cfg);
  return { stdout: `deleted cluster ${name} from ${file}\n` };
}

function runRenameContext(args: string[]): Outcome {
  if (args.length !== 2) throw err('Unexpected args: [' + args.join(' ') + ']');
  const [from, to] = args;
  const cfg = editableKubeconfig();
  const file = configPath();
  const ctx = cfg.contexts.find((c) => c.name === from);
  if (!ctx) throw err(`cannot rename the context ${JSON.stringify(from)}, it's not in ${file}`);
  if (cfg.contexts.some((c) => c.name === to)) throw err(`cannot rename the context ${JSON.stringify(from)}, the context ${JSON.stringify(to)} already exists in ${file}`);
  ctx.name = to;
  if (cfg.currentContext === from) cfg.currentContext = to;
  saveKubeconfig(cfg);
  return { stdout: `Context ${JSON.stringify(from)} renamed to ${JSON.stringify(to)}.\n` };
}

// config set / unset (kubectl pkg/cmd/config/set.go, unset.go, navigation_step_parser.go): a dot
// path of json names and map keys. kubesim knows the string fields of a context, cluster and user and
// the top-level lists; other paths are refused rather than guessed at.
const FIELDS: Record<string, string[]> = {
  contexts: ['cluster', 'user', 'namespace'],
  clusters: ['server', 'tls-server-name', 'certificate-authority', 'proxy-url'],
  users: ['client-certificate', 'client-key', 'token', 'tokenFile', 'as', 'username', 'password'],
};
const LISTS = ['clusters', 'contexts', 'users'] as const;
type ListName = (typeof LISTS)[number];
type Entry = { name: string } & Record<string, unknown>;
const inner = (list: ListName): string => (list === 'clusters' ? 'cluster' : list === 'contexts' ? 'context' : 'user');

function entries(cfg: KubeConfig, list: ListName): Entry[] {
  return cfg[list] as unknown as Entry[];
}

function parsePath(property: string): { list?: ListName; key?: string; field?: string } {
  const parts = property.split('.');
  if (parts[0] === 'current-context' && parts.length === 1) return {};
  const list = LISTS.find((l) => l === parts[0]);
  if (!list) throw err(`unable to parse ${parts[0]} after [] at api.Config`);
  if (parts.length > 3 || (parts[2] !== undefined && !FIELDS[list].includes(parts[2]))) {
    throw err(`kubesim's config set and unset know ${list}.NAME.{${FIELDS[list].join(',')}}, not ${property}`);
  }
  return { list, key: parts[1], field: parts[2] };
}

function runSet(args: string[]): Outcome {
  if (args.length !== 2) throw err(`Unexpected args: [${args.join(' ')}]`);
  const [property, value] = args;
  if (value === '') throw err('you cannot use set to unset a property');
  const p = parsePath(property);
  const cfg = writable();
  if (!p.list) cfg.currentContext = value;
  else {
    if (!p.key || !p.field) throw err(`can't set a map to a value: ${property}`);
    let e = entries(cfg, p.list).find((x) => x.name === p.key);
    if (!e) {
      e = { name: p.key, [inner(p.list)]: p.list === 'contexts' ? { cluster: '', user: '' } : p.list === 'clusters' ? { server: '' } : {} };
      entries(cfg, p.list).push(e);
    }
    (e[inner(p.list)] as Record<string, unknown>)[p.field] = value;
  }
  saveKubeconfig(cfg);
  return { stdout: `Property ${JSON.stringify(property)} set.\n` };
}

function runUnset(args: string[]): Outcome {
  if (args.length !== 1) throw err(`Unexpected args: [${args.join(' ')}]`);
  const property = args[0];
  const p = parsePath(property);
  const file = loadKubeconfig();
  const cfg = file ?? editableKubeconfig();
  if (!p.list) cfg.currentContext = '';
  else if (p.key === undefined) cfg[p.list].splice(0);
  else {
    const list = entries(cfg, p.list);
    const i = list.findIndex((x) => x.name === p.key);
    if (p.field === undefined) {
      if (i >= 0) list.splice(i, 1);
    } else {
      if (i < 0) throw err(`current map key \`${p.key}\` is invalid`);
      const o = list[i][inner(p.list)] as Record<string, unknown>;
      // cluster, user (a context's) and server are always written: unset empties them
      if (['cluster', 'user', 'server'].includes(p.field) && !(p.list === 'users')) o[p.field] = '';
      else delete o[p.field];
    }
  }
  if (file) saveKubeconfig(cfg);
  return { stdout: `Property ${JSON.stringify(property)} unset.\n` };
}

export function registerConfig(program: Command, g: () => GlobalOptions, run: Run): void {
  const config = program.command('config').description('Modify kubeconfig files (kubesim\'s own: ~/.kubesim/config or $KUBESIM_CONFIG)');
  config
    .command('view')
    .description('Display merged kubeconfig settings or a specified kubeconfig file')
    .option('--minify', 'Remove all information not used by current-context from the output')
    .option('--raw', 'Display raw byte data and sensitive data')
    .option('--flatten', 'Flatten the resulting kubeconfig file into self-contained output')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, jsonpath, jsonpath-as-json, jsonpath-file)')
    .action((opts: ViewFlags) => run(() => runView(g(), opts)));
  config
    .command('get-contexts')
    .description('Describe one or many contexts')
    .argument('[name...]')
    .option('-o, --output <format>', 'Output format. One of: (name).')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers (default print headers).")
    .action((args: string[], opts: { output?: string; headers?: boolean }) => run(() => runGetContexts(args, opts)));
  config
    .command('get-clusters')
    .description('Display clusters defined in the kubeconfig')
    .action(() => run(() => ({ stdout: names(editableKubeconfig().clusters) })));
  config
    .command('get-users')
    .description('Display users defined in the kubeconfig')
    .action(() => run(() => ({ stdout: names(editableKubeconfig().users) })));
  config
    .command('current-context')
    .description('Display the current-context')
    .action(() => run(runCurrentContext));
  config
    .command('use-context')
    .alias('use')
    .description('Set the current-context in a kubeconfig file')
    .argument('[name...]')
    .action((args: string[]) => run(() => runUseContext(args)));
  config
    .command('set-context')
    .description('Set a context entry in kubeconfig')
    .argument('[name]')
    .option('--current', 'Modify the current context')
    .option('--cluster <name>', 'cluster for the context entry in kubeconfig')
    .option('--user <name>', 'user for the context entry in kubeconfig')
    .option('--namespace <namespace>', 'namespace for the context entry in kubeconfig')
    // --namespace and --cluster are also global flags, which commander reads wherever they are: as
    // kubectl's local flags shadow its global ones, here they are the context's
    .action((name: string | undefined, opts: SetContextFlags) => run(() => runSetContext(name ? [name] : [], { ...opts, namespace: opts.namespace ?? g().namespace, cluster: opts.cluster ?? g().cluster })));
  config
    .command('set-cluster')
    .description('Set a cluster entry in kubeconfig (a kubesim cluster is a state directory: --server=file:///path)')
    .argument('[name]')
    .option('--server <server>', 'server for the cluster entry in kubeconfig')
    .action((name: string | undefined, opts: { server?: string }) => run(() => runSetCluster(name ? [name] : [], opts)));
  config
    .command('set-credentials')
    .description('Set a user entry in kubeconfig')
    .argument('[name]')
    .option('--token <token>', 'token for the user entry in kubeconfig')
    .option('--client-certificate <file>', 'Path to client-certificate file for the user entry in kubeconfig')
    .option('--client-key <file>', 'Path to client-key file for the user entry in kubeconfig')
    .option('--embed-certs [bool]', 'Embed client cert/key for the user entry in kubeconfig')
    .option('--username <name>', 'username for the user entry in kubeconfig')
    .option('--password <password>', 'password for the user entry in kubeconfig')
    // --token is also a global flag, which commander reads wherever it is: here it is the entry's
    .action((name: string | undefined, opts: SetCredentialsFlags) => run(() => runSetCredentials(name ? [name] : [], { ...opts, token: opts.token ?? g().token })));
  config
    .command('delete-user')
    .description('Delete the specified user from the kubeconfig')
    .argument('[name]')
    .action((name: string | undefined) => run(() => runDeleteUser(name ? [name] : [])));
  config
    .command('delete-context')
    .description('Delete the specified context from the kubeconfig')
    .argument('[name]')
    .action((name: string | undefined) => run(() => runDeleteContext(name ? [name] : [])));
  config
    .command('delete-cluster')
    .description('Delete the specified cluster from the kubeconfig')
    .argument('[name]')
    .action((name: string | undefined) => run(() => runDeleteCluster(name ? [name] : [])));
  config
    .command('rename-context')
    .description('Rename a context from the kubeconfig file')
    .argument('[names...]')
    .action((args: string[]) => run(() => runRenameContext(args)));
  config
    .command('set')
    .description('Set an individual value in a kubeconfig file')
    .argument('[args...]')
    .action((args: string[]) => run(() => runSet(args)));
  config
    .command('unset')
    .description('Unset an individual value in a kubeconfig file')
    .argument('[args...]')
    .action((args: string[]) => run(() => runUnset(args)));
}
