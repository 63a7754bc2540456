// kubesim cluster init | reset: make a new cluster with chosen settings, or start over.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { createCluster, type InitOptions } from '../cluster/bootstrap';
import { CNIS, type Cni, type ClusterConfig } from '../cluster/config';
import { isIPv4 } from '../util/ip';
import { storeFor, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { FORMAT_VERSION, resolveStateDir, Store, type ClusterFile } from '../store/store';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kubeconfig = (): typeof import('./kubeconfig') => require('./kubeconfig');

interface InitFlags {
  nodes?: string;
  kubernetesVersion?: string;
  serviceCidr?: string;
  podCidr?: string;
  serviceNodePortRange?: string;
  seed?: string;
  force?: boolean;
  lbPool?: string;
  proxyMode?: string;
  cni?: string;
  name?: string;
  ingress?: string;
  zones?: string;
}

function cidrOK(s: string): boolean {
  const m = /^([\d.]+)\/(\d+)$/.exec(s);
  return !!m && isIPv4(m[1]) && Number(m[2]) >= 8 && Number(m[2]) <= 30;
}

function toOptions(f: InitFlags): InitOptions {
  const o: InitOptions = {};
  if (f.nodes !== undefined) {
    const n = Number(f.nodes);
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new CliError(`error: --nodes must be a whole number from 1 to 100, not "${f.nodes}"`, true);
    o.nodes = n;
  }
  if (f.kubernetesVersion !== undefined) {
    if (!/^v1\.\d+\.\d+$/.test(f.kubernetesVersion)) throw new CliError(`error: --kubernetes-version must look like v1.32.2, not "${f.kubernetesVersion}"`, true);
    o.kubernetesVersion = f.kubernetesVersion;
  }
  if (f.serviceCidr !== undefined) {
    if (!cidrOK(f.serviceCidr)) throw new CliError(`error: --service-cidr must be an IPv4 CIDR such as 10.96.0.0/12, not "${f.serviceCidr}"`, true);
    o.serviceCIDR = f.serviceCidr;
  }
  if (f.podCidr !== undefined) {
    if (!cidrOK(f.podCidr) || Number(f.podCidr.split('/')[1]) > 22) throw new CliError(`error: --pod-cidr must be an IPv4 CIDR of /22 or larger such as 10.244.0.0/16, not "${f.podCidr}"`, true);
    o.podCIDR = f.podCidr;
  }
  if (f.serviceNodePortRange !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(f.serviceNodePortRange);
    if (!m || Number(m[1]) < 1 || Number(m[2]) > 65535 || Number(m[1]) > Number(m[2])) {
      throw new CliError(`error: --service-node-port-range must look like 30000-32767, not "${f.serviceNodePortRange}"`, true);
    }
    o.nodePortRange = f.serviceNodePortRange;
  }
  if (f.lbPool !== undefined) {
    const [a, b] = f.lbPool.split('-');
    if (!a || !b || !isIPv4(a) || !isIPv4(b)) throw new CliError(`error: --lb-pool must be FIRST-LAST addresses such as 192.168.49.200-192.168.49.250, not "${f.lbPool}"`, true);
    o.lbPool = f.lbPool;
  }
  if (f.proxyMode !== undefined) {
    if (f.proxyMode !== 'iptables' && f.proxyMode !== 'ipvs') throw new CliError(`error: --proxy-mode must be iptables or ipvs, not "${f.proxyMode}"`, true);
    o.proxyMode = f.proxyMode;
  }
  if (f.cni !== undefined) {
    if (!CNIS.includes(f.cni as Cni)) throw new CliError(`error: --cni must be calico or flannel, not "${f.cni}"`, true);
    o.cni = f.cni as Cni;
  }
  if (f.ingress !== undefined) {
    if (f.ingress !== 'nginx') throw new CliError(`error: --ingress must be nginx, not "${f.ingress}"`, true);
    o.addons = ['ingress'];
  }
  if (f.zones !== undefined) o.zones = parseZones(f.zones);
  if (f.seed !== undefined) o.seed = f.seed;
  return o;
}

/** `--zones 3` names zone-a, zone-b, zone-c; `--zones eu-1a,eu-1b` names them (label values). */
function parseZones(v: string): string[] {
  const bad = () => new CliError(`error: --zones must be a number of zones from 1 to 26 or a comma-separated list of zone names, not "${v}"`, true);
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1 || n > 26) throw bad();
    return Array.from({ length: n }, (_, i) => `zone-${String.fromCharCode(97 + i)}`);
  }
  const zones = v.split(',');
  if (!zones.every((z) => /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/.test(z) && z.length <= 63)) throw bad();
  return zones;
}

function summary(cfg: ClusterConfig, dir: string): string {
  return `Cluster "${cfg.name}" created in ${dir}: ${cfg.nodes} node(s), Kubernetes ${cfg.kubernetesVersion}, services ${cfg.serviceCIDR}, pods ${cfg.podCIDR}, node ports ${cfg.nodePortRange}` + (cfg.lbPool ? `, load balancer pool ${cfg.lbPool}` : '') + (cfg.zones?.length ? `, zones ${cfg.zones.join(',')}` : '') + (cfg.cni ? `, network plugin ${cfg.cni}` : '') + (cfg.addons?.includes('ingress') ? ', ingress-nginx controller' : '') + '\n';
}

export function runInit(g: GlobalOptions, f: InitFlags): Outcome {
  if (f.name !== undefined) return initNamed(g, f, f.name);
  const opts = toOptions(f);
  const store = storeFor(g);
  if (f.force) refuseForeign(store);
  const release = store.lock();
  try {
    if ((store.kind() === 'cluster' || store.kind() === 'headless') && !f.force) throw new CliError(`error: a cluster already exists in ${store.dir}; use --force to replace it, or kubesim cluster reset`, true);
    return recreate(store, opts);
  } finally {
    release();
  }
}

/**
 * `cluster init --name NAME`: a cluster of its own, for multi-cluster practice: a new state directory
 * (beside the kubeconfig, clusters/NAME, or --state / $KUBESIM_STATE), and a cluster and context NAME
 * in kubesim's kubeconfig, made current. The kubeconfig changes only once the cluster is made.
 */
function initNamed(g: GlobalOptions, f: InitFlags, name: string): Outcome {
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) throw new CliError(`error: --name must be letters, digits, '-', '_' or '.', not "${name}"`, true);
  const opts = { ...toOptions(f), name };
  const kc = kubeconfig();
  const store = new Store(resolveStateDir(g.state ?? (process.env.KUBESIM_STATE ? undefined : kc.namedStateDir(name))));
  if (f.force) refuseForeign(store);
  const release = store.lock();
  let out: Outcome;
  try {
    if ((store.kind() === 'cluster' || store.kind() === 'headless') && !f.force) throw new CliError(`error: a cluster already exists in ${store.dir}; use --force to replace it, or kubesim cluster reset`, true);
    out = recreate(store, opts);
  } finally {
    release();
  }
  const cfg = kc.loadKubeconfig() ?? kc.initialConfig();
  const server = kc.stateDirServer(store.dir);
  const cluster = cfg.clusters.find((c) => c.name === name);
  if (cluster) cluster.cluster.server = server;
  else cfg.clusters.push({ name, cluster: { server } });
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (ctx) ctx.context.cluster = name;
  else cfg.contexts.push({ name, context: { cluster: name, user: kc.DEFAULT_NAME } });
  if (!cfg.users.some((u) => u.name === kc.DEFAULT_NAME)) cfg.users.push({ name: kc.DEFAULT_NAME, user: {} });
  cfg.currentContext = name;
  kc.saveKubeconfig(cfg);
  return { stdout: out.stdout + `Switched to context ${JSON.stringify(name)}.\n` };
}

/** Starts over with the same settings when they can still be read, the defaults otherwise. */
export function runReset(g: GlobalOptions): Outcome {
  const store = storeFor(g);
  refuseForeign(store);
  const release = store.lock();
  try {
    let opts: InitOptions = {};
    try {
      const { seed, createdAt, ...rest } = store.readCluster().config;
      void seed;
      void createdAt;
      opts = rest;
    } catch {
      /* damaged or missing: defaults */
    }
    return recreate(store, opts);
  } finally {
    release();
  }
}

/** `cluster reset` and `init --force` replace a cluster, never a directory of someone else's files. */
function refuseForeign(store: Store): void {
  if (store.kind() === 'foreign') {
    throw new CliError(`error: ${store.dir} is not a kubesim cluster state and holds other files; kubesim will not write or delete anything there`, true);
  }
}

/**
 * Replaces whatever state is in the (locked) store with a new cluster, in one commit: the old
 * cluster's files are superseded by the new manifest, not deleted before it (a crash keeps one).
 */
function recreate(store: Store, opts: InitOptions): Outcome {
  let old: ClusterFile | undefined;
  try {
    old = store.kind() === 'cluster' ? store.readCluster() : undefined;
  } catch {
    old = undefined; // damaged: the new cluster replaces it
  }
  const state = createCluster(store, opts);
  state.commit(old?.formatVersion === FORMAT_VERSION ? old : state.cluster);
  store.removeFormat1();
  return { stdout: summary(state.config, store.dir) };
}

export function registerCluster(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const cluster = program.command('cluster').description('Create, reset and inspect the simulated cluster (kubesim only)');
  cluster
    .command('init')
    .description('Create a new cluster')
    .option('--nodes <n>', 'number of nodes, the first is the control plane (default 3)')
    .option('--kubernetes-version <version>', 'Kubernetes version the nodes report (default v1.32.2)')
    .option('--service-cidr <cidr>', 'service ClusterIP range (default 10.96.0.0/12)')
    .option('--pod-cidr <cidr>', 'pod network, a /24 per node (default 10.244.0.0/16)')
    .option('--service-node-port-range <range>', 'NodePort range (default 30000-32767)')
    .option('--lb-pool <first-last>', 'addresses for LoadBalancer services, like MetalLB (default: none, EXTERNAL-IP stays <pending>)')
    .option('--proxy-mode <mode>', 'kube-proxy mode: iptables or ipvs (default iptables)')
    .option('--cni <plugin>', 'network plugin: calico enforces NetworkPolicies, flannel does not (default calico)')
    .option('--ingress <controller>', "install an ingress controller: nginx (minikube's ingress addon, ingress-nginx)")
    .option('--zones <n|list>', 'put the nodes in zones round robin (label topology.kubernetes.io/zone, and topology.kubernetes.io/region: the zones\' common stem as in us-east-1a → us-east-1, else region-1): a count (zone-a, zone-b, ...) or a comma-separated list of names')
    .option('--seed <seed>', 'seed for every random choice (default: KUBESIM_SEED, else random)')
    .option('--force', 'replace an existing cluster')
    .option('--name <name>', "a cluster of its own (state in clusters/NAME beside kubesim's kubeconfig), added to the kubeconfig as cluster and context NAME and made current")
    .action((opts: InitFlags) => run(() => runInit(g(), opts)));
  cluster
    .command('reset')
    .description('Delete everything and start a new cluster with the same settings')
    .action(() => run(() => runReset(g())));
}
