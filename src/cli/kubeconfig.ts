// kubesim's own kubeconfig: ~/.kubesim/config, or $KUBESIM_CONFIG. Never the user's ~/.kube/config
// or $KUBECONFIG: kubesim's contexts name simulated clusters, and a learner's real ones stay untouched.
//
// The file has kubeconfig's shape (client-go tools/clientcmd/api/v1/types.go) and is written as
// clientcmd.WriteToFile writes it: every list sorted by name (v1/conversion.go converts maps with
// sorted keys), an empty list as null, keys sorted (sigs.k8s.io/yaml), mode 0600.
//
// A kubesim cluster is a state directory, kept as the cluster's `server: file:///abs/path`: that is
// the field kubectl shows and `config set-cluster --server` sets, so `config view` reads as kubectl's
// and the same file works for both tools (an extension field would hide the one fact a cluster has).
//
// Which state directory and namespace a command uses (the precedence):
//   state directory: --state, else $KUBESIM_STATE, else the server of the cluster named by --cluster
//                    or by the context (--context, else current-context), else ~/.kubesim/cluster
//   namespace:       -n/--namespace, else the context's namespace, else default
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { CliError } from '../api/errors';
import { parseCoreYaml, Unsupported } from '../util/fastyaml';
import { yaml } from '../util/yaml';
import { perCommand } from '../util/percommand';

type Obj = Record<string, unknown>;
export interface NamedCluster {
  name: string;
  cluster: Obj & { server: string };
}
export interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string; extensions?: unknown[] };
}
export interface NamedUser {
  name: string;
  user: Obj;
}
export interface KubeConfig {
  preferences: Obj;
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  currentContext: string;
  extensions?: unknown[];
}

/** The name of the cluster, context and user kubesim writes for the default state directory. */
export const DEFAULT_NAME = 'kubesim';

export function configPath(): string {
  const env = process.env.KUBESIM_CONFIG;
  return env ? path.resolve(env) : path.join(os.homedir(), '.kubesim', 'config');
}

/** The default state directory (store.ts resolveStateDir without flag or environment). */
export function defaultStateDir(): string {
  return path.join(os.homedir(), '.kubesim', 'cluster');
}

/** Where `cluster init --name NAME` keeps a new cluster: beside the kubeconfig. */
export function namedStateDir(name: string): string {
  return path.join(path.dirname(configPath()), 'clusters', name);
}

let loaded: { file: string; cfg: KubeConfig | undefined } | undefined;
// (another command's kubeconfig may differ, or the file may have changed since)
perCommand(() => (loaded = undefined));

/**
 * The kubeconfig, or undefined when there is no file: that costs one failed open, the only work an
 * ordinary command does for contexts when none were made.
 */
export function loadKubeconfig(): KubeConfig | undefined {
  const file = configPath();
  if (loaded?.file === file) return loaded.cfg;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    loaded = { file, cfg: undefined };
    return undefined;
  }
  loaded = { file, cfg: parse(text, file) };
  return loaded.cfg;
}

/** The kubeconfig to change: the file's, or an empty one (clientcmd starts from an empty Config). */
export function editableKubeconfig(): KubeConfig {
  return loadKubeconfig() ?? emptyConfig();
}

export function emptyConfig(): KubeConfig {
  return { preferences: {}, clusters: [], users: [], contexts: [], currentContext: '' };
}

/** A new file's content: a cluster, user and context `kubesim` for the default state directory, current. */
export function initialConfig(): KubeConfig {
  const cfg = emptyConfig();
  cfg.clusters.push({ name: DEFAULT_NAME, cluster: { server: stateDirServer(defaultStateDir()) } });
  cfg.users.push({ name: DEFAULT_NAME, user: {} });
  cfg.contexts.push({ name: DEFAULT_NAME, context: { cluster: DEFAULT_NAME, user: DEFAULT_NAME } });
  cfg.currentContext = DEFAULT_NAME;
  return cfg;
}

const asList = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function parse(text: string, file: string): KubeConfig {
  let doc: unknown;
  // the plain YAML kubesim itself writes (and most hand edits) without the `yaml` package, whose load
  // and first parse cost a short command several milliseconds; the rest (and every error) through it
  try {
    const docs = parseCoreYaml(text);
    doc = docs.length ? docs[0] : {};
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  if (doc === undefined) doc = parseFull(text, file);
  const d = obj(doc);
  const cfg = emptyConfig();
  cfg.preferences = obj(d.preferences);
  // the first entry of a name wins, as clientcmd's conversion into maps keeps it
  const seen = new Set<string>();
  const fresh = (kind: string, n: string) => !seen.has(`${kind}/${n}`) && !!seen.add(`${kind}/${n}`);
  for (const e of asList(d.clusters)) if (fresh('c', str(e.name))) cfg.clusters.push({ name: str(e.name), cluster: { ...obj(e.cluster), server: str(obj(e.cluster).server) } });
  for (const e of asList(d.users)) if (fresh('u', str(e.name))) cfg.users.push({ name: str(e.name), user: obj(e.user) });
  for (const e of asList(d.contexts)) {
    if (!fresh('x', str(e.name))) continue;
    const c = obj(e.context);
    const context: NamedContext['context'] = { cluster: str(c.cluster), user: str(c.user) };
    if (c.namespace) context.namespace = str(c.namespace);
    if (Array.isArray(c.extensions) && c.extensions.length) context.extensions = c.extensions;
    cfg.contexts.push({ name: str(e.name), context });
  }
  cfg.currentContext = str(d['current-context']);
  if (Array.isArray(d.extensions) && d.extensions.length) cfg.extensions = d.extensions;
  return cfg;
}

function parseFull(text: string, file: string): unknown {
  try {
    const docs = yaml().parseAllDocuments(text);
    const first = Array.isArray(docs) ? docs[0] : undefined;
    if (first?.errors.length) throw first.errors[0];
    return first ? first.toJS() : {};
  } catch (e) {
    throw new CliError(`error: error loading config file "${file}": ${(e as Error).message.split('\n')[0]}`, true);
  }
}

const byName = <T extends { name: string }>(l: T[]): T[] | null => (l.length ? [...l].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : null);

/** The v1 Config object, as clientcmd writes it and `config view` prints it. */
export function toV1(cfg: KubeConfig): Obj {
  const out: Obj = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: cfg.preferences,
    clusters: byName(cfg.clusters),
    users: byName(cfg.users),
    contexts: byName(cfg.contexts.map((c) => ({ name: c.name, context: { ...c.context, ...(c.context.namespace ? {} : { namespace: undefined }) } }))),
    'current-context': cfg.currentContext,
  };
  if (cfg.extensions?.length) out.extensions = cfg.extensions;
  return out;
}

/** Writes the file whole (a temporary file renamed into place), creating its directory, mode 0600. */
export function saveKubeconfig(cfg: KubeConfig): void {
  const file = configPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toYAML } = require('../printers/output') as typeof import('../printers/output');
  fs.writeFileSync(tmp, toYAML(toV1(cfg)), { mode: 0o600 });
  fs.renameSync(tmp, file);
  loaded = { file, cfg };
}

export function stateDirServer(dir: string): string {
  return pathToFileURL(path.resolve(dir)).href;
}

/** The state directory a cluster entry names. */
export function clusterStateDir(c: NamedCluster): string {
  const server = c.cluster.server;
  if (!server) throw new CliError(`error: no server found for cluster ${JSON.stringify(c.name)}`, true);
  if (!server.startsWith('file://')) {
    throw new CliError(`error: cluster ${JSON.stringify(c.name)} has server ${JSON.stringify(server)}: a kubesim cluster is a state directory, given as file:///absolute/path`, true);
  }
  try {
    return fileURLToPath(server);
  } catch {
    throw new CliError(`error: cluster ${JSON.stringify(c.name)} has server ${JSON.stringify(server)}: a kubesim cluster is a state directory, given as file:///absolute/path`, true);
  }
}

export interface Selection {
  context?: string;
  cluster?: string;
}

/** What the kubeconfig says for a command: the state directory (if a cluster is named) and namespace. */
export function selected(sel: Selection, needDir: boolean): { stateDir?: string; namespace?: string } {
  const cfg = loadKubeconfig();
  if (!cfg && !sel.context && !sel.cluster) return {};
  const contexts = cfg?.contexts ?? [];
  const name = sel.context || cfg?.currentContext || '';
  const ctx = name ? contexts.find((c) => c.name === name) : undefined;
  // client-go's validation of the merged config (clientcmd/validation.go), wrapped in "Error in configuration"
  if (name && !ctx) throw new CliError(`Error in configuration: context was not found for specified context: ${name}`, true);
  const clusterName = sel.cluster || ctx?.context.cluster || '';
  let stateDir: string | undefined;
  if (clusterName && needDir) {
    const c = cfg?.clusters.find((x) => x.name === clusterName);
    if (!c) throw new CliError(`error: no server found for cluster ${JSON.stringify(clusterName)}`, true);
    stateDir = clusterStateDir(c);
  }
  return { stateDir, namespace: ctx?.context.namespace || undefined };
}
