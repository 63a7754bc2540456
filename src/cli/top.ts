// kubesim top nodes|pods: the resource metrics API's usage as kubectl 1.32 prints it (kubectl
// pkg/cmd/top/top_node.go, top_pod.go; pkg/metricsutil/metrics_printer.go and metrics_sorter.go).
// The usage is the simulated metrics-server's (src/controllers/metrics.ts). kubesim's cluster serves
// metrics.k8s.io/v1beta1 as a kubeadm cluster with the metrics-server add-on installed does (the HPA
// reads the same API), without showing a metrics-server Deployment: so no switch, and never
// kubectl's "Metrics API not available".
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { parseQuantity, quantityMilliValue } from '../api/quantity';
import type { KObject } from '../api/types';
import { lookupResource } from '../api/resources';
import { clientOf } from '../apiserver/client';
import { cpuUsage, nodeUsage, podMetrics, type PodMetrics } from '../controllers/metrics';
import { nowMs } from '../util/clock';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { checkAccess } from '../apiserver/requester';

interface NodeOptions {
  selector?: string;
  sortBy?: string;
  headers?: boolean;
  showCapacity?: boolean;
}
interface PodOptions {
  selector?: string;
  fieldSelector?: string;
  sortBy?: string;
  headers?: boolean;
  containers?: boolean;
  allNamespaces?: boolean;
  sum?: boolean;
}

const MI = 1024 * 1024;
const UNKNOWN = '<unknown>';
/** metricsCreationDelay in top_pod.go: a pod older than this without metrics is reported as such. */
const CREATION_DELAY_MS = 2 * 60_000;

/** kubectl's tabwriter (printers.GetNewTabWriter: minwidth 6, padding 3) on lines whose every cell ends in a tab: all columns are padded. */
function tabbed(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 6, c.length + 3)));
  return rows.map((r) => r.map((c, j) => c.padEnd(widths[j])).join('') + '\n').join('');
}

const cpuText = (m: number) => `${m}m`;
const memText = (b: number) => `${Math.floor(b / MI)}Mi`;

function checkSort(sortBy: string | undefined): void {
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new CliError('error: --sort-by accepts only cpu or memory', true);
}

/** Go's time.Duration.String for a non-negative number of milliseconds (2m30.5s, 1h0m0s, 150ms). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toString();
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}

export function runTopNode(g: GlobalOptions, name: string | undefined, o: NodeOptions): Outcome {
  checkSort(o.sortBy);
  if (name && o.selector) throw new CliError('error: only one of NAME or --selector can be provided', true);
  const state = openRead(g);
  // the metrics API (metrics.k8s.io), served by metrics-server through the aggregator
  checkAccess(state, { verb: name ? 'get' : 'list', apiGroup: 'metrics.k8s.io', resource: 'nodes', name });
  const now = nowMs();
  const usage = nodeUsage(state, now, cpuUsage(state, now));
  const res = lookupResource('nodes')!;
  let nodes: KObject[];
  if (name) {
    if (!usage.has(name)) throw new CliError(`Error from server (NotFound): nodemetrics.metrics.k8s.io "${name}" not found`, true);
    nodes = [clientOf(state).get(res, undefined, name)];
  } else {
    nodes = clientOf(state).list(res, undefined, { labelSelector: o.selector });
  }
  const measured = nodes.filter((n) => usage.has(n.metadata.name));
  if (!measured.length) throw new CliError('error: metrics not available yet', true);
  // NodeMetricsSorter: the most used first, else by name
  const by = (n: KObject) => usage.get(n.metadata.name)!;
  measured.sort((a, b) => (o.sortBy === 'cpu' ? by(b).milli - by(a).milli : o.sortBy === 'memory' ? by(b).bytes - by(a).bytes : a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const rows: string[][] = o.headers === false ? [] : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
  const pct = (used: number, avail: unknown) => {
    const q = parseQuantity(avail);
    const a = q ? Number(quantityMilliValue(q)) : 0;
    // int64(fraction): truncated
    return `${a ? Math.trunc((used / a) * 100) : 0}%`;
  };
  for (const n of measured) {
    const u = by(n);
    const avail = (o.showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {};
    rows.push([n.metadata.name, cpuText(u.milli), pct(u.milli, avail.cpu), memText(u.bytes), pct(u.bytes * 1000, avail.memory)]);
  }
  // nodes without metrics (a stopped kubelet) last, as unknown
  for (const n of nodes.filter((x) => !usage.has(x.metadata.name)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) rows.push([n.metadata.name, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]);
  return { stdout: tabbed(rows) };
}

interface PodRow extends PodMetrics {
  milli: number;
  bytes: number;
}

export function runTopPod(g: GlobalOptions, name: string | undefined, o: PodOptions): Outcome {
  checkSort(o.sortBy);
  if (name && (o.selector || o.fieldSelector)) throw new CliError('error: only one of NAME or selector can be provided', true);
  const state = openRead(g);
  const now = nowMs();
  const ns = namespaceOf(g);
  checkAccess(state, { verb: name ? 'get' : 'list', apiGroup: 'metrics.k8s.io', resource: 'pods', namespace: o.allNamespaces ? undefined : ns, name });
  const client = clientOf(state);
  const res = lookupResource('pods')!;
  const scope = o.allNamespaces ? undefined : ns;
  let metrics: PodMetrics[];
  if (name) {
    const p = client.find(res, scope ?? ns, name);
    metrics = p ? podMetrics(state, now, [p]) : [];
    if (!metrics.length) throw new CliError(`Error from server (NotFound): podmetrics.metrics.k8s.io "${scope ?? ns}/${name}" not found`, true);
  } else {
    const listed = client.list(res, scope, { labelSelector: o.selector, fieldSelector: o.fieldSelector });
    metrics = podMetrics(state, now, listed);
    if (!metrics.length) {
      // verifyEmptyMetrics: the namespace's pods (kubectl asks in its own namespace even with -A)
      const all = o.allNamespaces ? client.list(res, ns, { labelSelector: o.selector, fieldSelector: o.fieldSelector }) : listed;
      for (const p of all) {
        const age = now - Date.parse(String(p.metadata.creationTimestamp));
        if (age > CREATION_DELAY_MS) throw new CliError(`error: Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${goDuration(age)}`, true);
      }
      if (all.length) throw new CliError('error: metrics not available yet', true);
      return { stdout: '', stderr: o.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n` };
    }
  }
  const rows: PodRow[] = metrics.map(({ pod, containers }) => ({ pod, containers, milli: containers.reduce((s, c) => s + c.milli, 0), bytes: containers.reduce((s, c) => s + c.bytes, 0) }));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  // PodMetricsSorter: the most used first, else by namespace (with -A) and name
  rows.sort((a, b) =>
    o.sortBy === 'cpu' ? b.milli - a.milli : o.sortBy === 'memory' ? b.bytes - a.bytes : cmp(String(a.pod.metadata.namespace), String(b.pod.metadata.namespace)) || cmp(a.pod.metadata.name, b.pod.metadata.name),
  );
  const withNs = !!o.allNamespaces;
  const out: string[][] = [];
  let width = 3;
  if (o.headers !== false) {
    const h = ['NAME', 'CPU(cores)', 'MEMORY(bytes)'];
    if (o.containers) h.unshift('POD');
    if (withNs) h.unshift('NAMESPACE');
    // kubectl counts the extra columns only when it prints the header (printPodResourcesSum's columnWidth)
    width = h.length;
    out.push(h);
  }
  for (const r of rows) {
    const lead = withNs ? [r.pod.metadata.namespace as string] : [];
    if (o.containers) {
      // ContainerMetricsSorter: the most used first, else by name
      const cs = [...r.containers].sort((a, b) => (o.sortBy === 'cpu' ? b.milli - a.milli : o.sortBy === 'memory' ? b.bytes - a.bytes : cmp(a.name, b.name)));
      for (const c of cs) out.push([...lead, r.pod.metadata.name, c.name, cpuText(c.milli), memText(c.bytes)]);
    } else out.push([...lead, r.pod.metadata.name, cpuText(r.milli), memText(r.bytes)]);
  }
  if (o.sum) {
    const milli = rows.reduce((s, r) => s + r.milli, 0);
    const bytes = rows.reduce((s, r) => s + r.bytes, 0);
    out.push([...new Array(Math.max(0, width - 2)).fill(''), '________', '________']);
    out.push([...new Array(Math.max(0, width - 3)).fill(''), '', cpuText(milli), memText(bytes)]);
  }
  return { stdout: tabbed(out) };
}

export function registerTop(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const top = program.command('top').description('Display resource (CPU/memory) usage');
  top
    .command('node')
    .aliases(['nodes', 'no'])
    .description('Display resource (CPU/memory) usage of nodes')
    .argument('[name]', 'NAME')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--sort-by <field>', "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.")
    .option('--no-headers', 'If present, print output without headers')
    .option('--show-capacity', 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.')
    .option('--use-protocol-buffers', 'Ignored: enables using protocol-buffers to access Metrics API.')
    .action((name: string | undefined, o: NodeOptions) => run(() => runTopNode(g(), name, o)));
  top
    .command('pod')
    .aliases(['pods', 'po'])
    .description('Display resource (CPU/memory) usage of pods')
    .argument('[name]', 'NAME')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--sort-by <field>', "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.")
    .option('--containers', 'If present, print usage of containers within a pod.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('--no-headers', 'If present, print output without headers.')
    .option('--sum', 'Print the sum of the resource usage')
    .option('--use-protocol-buffers', 'Ignored: enables using protocol-buffers to access Metrics API.')
    .action((name: string | undefined, o: PodOptions) => run(() => runTopPod(g(), name, o)));
}
