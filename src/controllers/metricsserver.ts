// What metrics-server serves as metrics.k8s.io/v1beta1 behind the aggregator (sigs.k8s.io/metrics-server
// pkg/api/node.go, pod.go, table.go): NodeMetrics and PodMetrics made from kubesim's simulated usage
// (./metrics.ts, what `kubesim top` prints), got and listed with label selectors (and field
// selectors on pods), and the Table they print as. One source for `kubesim serve`
// (src/server/metrics.ts) and the CLI's `get podmetrics|nodemetrics` (src/cli/get.ts).
// Usage is in millicores and bytes, so kubectl top's MilliValue and Value()/Mi are kubesim's.
import { StatusError } from '../api/errors';
import { formatQuantity, parseQuantity } from '../api/quantity';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import { selection } from '../apiserver/client';
import type { Column } from '../apiserver/strategy';
import { sortedByNamespaceAndName } from '../apiserver/order';
import type { State } from '../store/state';
import { rfc3339 } from '../util/clock';
import { cpuUsage, METRICS_DELAY_MS, nodeUsage, podMetrics } from './metrics';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

// metrics-server's memory is in Ki (BinarySI): whole KiB when the bytes allow it
const usage = (milli: number, bytes: number) => ({ cpu: `${milli}m`, memory: bytes % 1024 ? `${bytes}` : `${bytes / 1024}Ki` });

/** One NodeMetrics or PodMetrics, with its usage summed (a pod's containers) for the table. */
export interface Measured {
  object: KObject;
  milli: number;
  bytes: number;
}

export interface MetricsQuery {
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** metrics-server's object metadata: the node's or pod's name, namespace and labels, created now */
function metadataOf(o: KObject, now: number): KObject['metadata'] {
  const m: Record<string, unknown> = { name: o.metadata.name };
  if (o.metadata.namespace) m.namespace = o.metadata.namespace;
  m.creationTimestamp = rfc3339(now);
  if (o.metadata.labels) m.labels = o.metadata.labels;
  return m as KObject['metadata'];
}

const WINDOW = `${METRICS_DELAY_MS / 1000}s`;

export const metricsNotFound = (kind: 'nodemetrics' | 'podmetrics', name: string) =>
  new StatusError('NotFound', `${kind}.metrics.k8s.io ${JSON.stringify(name)} not found`, { kind, name, group: 'metrics.k8s.io' });

/** The NodeMetrics of the measured nodes (a named one missing: NotFound), in name order. */
export function nodeMetrics(state: State, now: number, q: MetricsQuery): Measured[] {
  const measured = nodeUsage(state, now, cpuUsage(state, now));
  const keep = selection(resourceByKind('Node'), { labelSelector: q.labelSelector });
  const nodes = q.name !== undefined ? [state.get('Node', undefined, q.name)].filter((n): n is KObject => !!n) : state.listAll('Node').filter(keep);
  const timestamp = rfc3339(now);
  const out = sortedByNamespaceAndName(nodes)
    .filter((n) => measured.has(n.metadata.name))
    .map((n) => {
      const u = measured.get(n.metadata.name)!;
      return { object: { kind: 'NodeMetrics', apiVersion: METRICS_API_VERSION, metadata: metadataOf(n, now), timestamp, window: WINDOW, usage: usage(u.milli, u.bytes) } as KObject, ...u };
    });
  if (q.name !== undefined && !out.length) throw metricsNotFound('nodemetrics', q.name);
  return out;
}

/** The PodMetrics of the measured pods of a namespace (undefined: all), a named one missing: NotFound. */
export function podMetricsOf(state: State, now: number, q: MetricsQuery): Measured[] {
  let pods: KObject[];
  if (q.name !== undefined) pods = [state.get('Pod', q.namespace, q.name)].filter((p): p is KObject => !!p);
  else pods = sortedByNamespaceAndName(state.list('Pod', q.namespace).filter(selection(resourceByKind('Pod'), q)));
  const timestamp = rfc3339(now);
  const out = podMetrics(state, now, pods).map(({ pod, containers }) => ({
    object: {
      kind: 'PodMetrics',
      apiVersion: METRICS_API_VERSION,
      metadata: metadataOf(pod, now),
      timestamp,
      window: WINDOW,
      containers: containers.map((c) => ({ name: c.name, usage: usage(c.milli, c.bytes) })),
    } as KObject,
    milli: containers.reduce((t, c) => t + c.milli, 0),
    bytes: containers.reduce((t, c) => t + c.bytes, 0),
  }));
  if (q.name !== undefined && !out.length) throw metricsNotFound('podmetrics', `${q.namespace ?? ''}/${q.name}`);
  return out;
}

/** The sum of an object's usage (a pod's containers), read back from the object (the CLI's table rows). */
function summed(o: KObject): { cpu: string; memory: string } {
  const usages = (o.kind === 'PodMetrics' ? ((o.containers ?? []) as { usage: Record<string, string> }[]).map((c) => c.usage) : [o.usage as Record<string, string>]).filter(Boolean);
  let milli = 0;
  let bytes = 0;
  for (const u of usages) {
    milli += Number(String(u.cpu).replace(/m$/, ''));
    bytes += u.memory.endsWith('Ki') ? Number(u.memory.slice(0, -2)) * 1024 : Number(u.memory);
  }
  return usage(milli, bytes);
}

const quantity = (v: string) => formatQuantity(parseQuantity(v)!);

/**
 * metrics-server's Table (pkg/api/table.go addPodMetricsToTable, addNodeMetricsToTable): Name, the
 * usage's resources in name order as quantities (a pod's containers summed), Window. kubectl prints
 * the headers upper-cased; -o wide adds nothing (every column has priority 0).
 */
export const METRICS_COLUMNS: Column[] = [
  { header: 'NAME', cell: (o) => o.metadata.name },
  { header: 'CPU', cell: (o) => quantity(summed(o).cpu) },
  { header: 'MEMORY', cell: (o) => quantity(summed(o).memory) },
  { header: 'WINDOW', cell: (o) => String(o.window ?? '') },
];

/** The Table a request with `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` gets: no columns without rows. */
export function metricsTable(rows: Measured[]): Record<string, unknown> {
  const columnDefinitions = rows.length
    ? [{ name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 }, ...['cpu', 'memory', 'Window'].map((name) => ({ name, type: 'string', format: name === 'Window' ? 'duration' : 'quantity', description: '', priority: 0 }))]
    : [];
  const cells = (r: Measured) => {
    const u = usage(r.milli, r.bytes);
    return [r.object.metadata.name, quantity(u.cpu), quantity(u.memory), WINDOW];
  };
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions, rows: rows.map((r) => ({ cells: cells(r), object: r.object })) };
}
