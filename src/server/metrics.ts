// metrics.k8s.io/v1beta1 over HTTP, as metrics-server serves it behind the aggregator
// (sigs.k8s.io/metrics-server pkg/api/node.go, pod.go): NodeMetrics and PodMetrics, get and list with
// label selectors (and field selectors on pods), from kubesim's simulated usage
// (src/controllers/metrics.ts, what `kubesim top` prints). metrics-server reads nodes and pods with
// its own ServiceAccount: the request's user was authorized for the metrics resource only (./auth.ts).
// Usage is served in millicores and bytes, so kubectl top's MilliValue and Value()/Mi are kubesim's.
import { StatusError } from '../api/errors';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import { selection } from '../apiserver/client';
import { sortedByNamespaceAndName } from '../apiserver/order';
import { openRead } from '../apiserver/transaction';
import { cpuUsage, METRICS_DELAY_MS, nodeUsage, podMetrics } from '../controllers/metrics';
import { nowMs, rfc3339 } from '../util/clock';
import { formatQuantity, parseQuantity } from '../api/quantity';
import { sendJSON, type RequestContext } from './context';
import { notFoundPath } from './http';
import { isTableRequest } from './table';

const API_VERSION = 'metrics.k8s.io/v1beta1';

// metrics-server's memory is in Ki (BinarySI): whole KiB when the bytes allow it
const usage = (milli: number, bytes: number) => ({ cpu: `${milli}m`, memory: bytes % 1024 ? `${bytes}` : `${bytes / 1024}Ki` });

/**
 * metrics-server's Table (pkg/api/table.go addPodMetricsToTable, addNodeMetricsToTable): Name, the
 * usage's resources in name order as quantities (a pod's containers summed), Window; no columns
 * without rows.
 */
function table(rows: { name: string; milli: number; bytes: number; object: unknown }[], window: string): Record<string, unknown> {
  const q = (v: string) => formatQuantity(parseQuantity(v)!);
  const columnDefinitions = rows.length
    ? [{ name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 }, ...['cpu', 'memory', 'Window'].map((name) => ({ name, type: 'string', format: name === 'Window' ? 'duration' : 'quantity', description: '', priority: 0 }))]
    : [];
  const cells = (r: (typeof rows)[number]) => {
    const u = usage(r.milli, r.bytes);
    return [r.name, q(u.cpu), q(u.memory), window];
  };
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions, rows: rows.map((r) => ({ cells: cells(r), object: r.object })) };
}

/** metrics-server's object metadata: the node's or pod's name, namespace and labels, created now */
function metadataOf(o: KObject, now: number): Record<string, unknown> {
  const m: Record<string, unknown> = { name: o.metadata.name };
  if (o.metadata.namespace) m.namespace = o.metadata.namespace;
  m.creationTimestamp = rfc3339(now);
  if (o.metadata.labels) m.labels = o.metadata.labels;
  return m;
}

const notFound = (kind: string, name: string) => new StatusError('NotFound', `${kind}.metrics.k8s.io ${JSON.stringify(name)} not found`, { kind, name, group: 'metrics.k8s.io' });

export function handle(ctx: RequestContext): void {
  const s = ctx.segments;
  if (s[2] !== 'v1beta1') throw notFoundPath();
  const namespace = s[3] === 'namespaces' ? s[4] : undefined;
  const [plural, name, ...rest] = namespace !== undefined ? s.slice(5) : s.slice(3);
  if ((plural !== 'nodes' && plural !== 'pods') || rest.length || (plural === 'nodes' && namespace !== undefined)) throw notFoundPath();
  const params = ctx.url.searchParams;
  if (ctx.req.method !== 'GET' || /^(1|true)$/.test(params.get('watch') ?? '')) throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const state = openRead(ctx.store);
  const now = nowMs();
  const window = `${METRICS_DELAY_MS / 1000}s`;
  const timestamp = rfc3339(now);
  const opts = { labelSelector: params.get('labelSelector') ?? undefined, fieldSelector: params.get('fieldSelector') ?? undefined };
  if (plural === 'nodes') {
    const measured = nodeUsage(state, now, cpuUsage(state, now));
    const keep = selection(resourceByKind('Node'), { labelSelector: opts.labelSelector });
    const nodes = name !== undefined ? [state.get('Node', undefined, name)].filter((n): n is KObject => !!n) : state.listAll('Node').filter(keep);
    const items = sortedByNamespaceAndName(nodes)
      .filter((n) => measured.has(n.metadata.name))
      .map((n) => {
        const u = measured.get(n.metadata.name)!;
        return { metadata: metadataOf(n, now), timestamp, window, usage: usage(u.milli, u.bytes) };
      });
    if (name !== undefined && !items.length) throw notFound('nodemetrics', name);
    if (isTableRequest(ctx)) return sendJSON(ctx, 200, table(items.map((i) => ({ name: i.metadata.name as string, ...measured.get(i.metadata.name as string)!, object: { kind: 'NodeMetrics', apiVersion: API_VERSION, ...i } })), window));
    if (name !== undefined) {
      return sendJSON(ctx, 200, { kind: 'NodeMetrics', apiVersion: API_VERSION, ...items[0] });
    }
    return sendJSON(ctx, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
  }
  let pods: KObject[];
  if (name !== undefined) pods = [state.get('Pod', namespace, name)].filter((p): p is KObject => !!p);
  else pods = sortedByNamespaceAndName(state.list('Pod', namespace).filter(selection(resourceByKind('Pod'), opts)));
  const measured = podMetrics(state, now, pods);
  const items = measured.map(({ pod, containers }) => ({
    metadata: metadataOf(pod, now),
    timestamp,
    window,
    containers: containers.map((c) => ({ name: c.name, usage: usage(c.milli, c.bytes) })),
  }));
  if (name !== undefined && !items.length) throw notFound('podmetrics', `${namespace ?? ''}/${name}`);
  if (isTableRequest(ctx)) {
    const sum = (i: number, k: 'milli' | 'bytes') => measured[i].containers.reduce((t, c) => t + c[k], 0);
    return sendJSON(ctx, 200, table(items.map((it, i) => ({ name: it.metadata.name as string, milli: sum(i, 'milli'), bytes: sum(i, 'bytes'), object: { kind: 'PodMetrics', apiVersion: API_VERSION, ...it } })), window));
  }
  if (name !== undefined) {
    return sendJSON(ctx, 200, { kind: 'PodMetrics', apiVersion: API_VERSION, ...items[0] });
  }
  sendJSON(ctx, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
}
