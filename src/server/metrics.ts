// metrics.k8s.io/v1beta1 over HTTP, as metrics-server serves it behind the aggregator: the objects and
// tables of src/controllers/metricsserver.ts, got and listed (no watch). metrics-server reads nodes
// and pods with its own ServiceAccount: the request's user was authorized for the metrics resource
// only (./auth.ts).
import { StatusError } from '../api/errors';
import { openRead } from '../apiserver/transaction';
import { METRICS_API_VERSION, metricsTable, nodeMetrics, podMetricsOf } from '../controllers/metricsserver';
import { nowMs } from '../util/clock';
import { sendJSON, type RequestContext } from './context';
import { notFoundPath } from './http';
import { isTableRequest } from './table';

export function handle(ctx: RequestContext): void {
  const s = ctx.segments;
  if (s[2] !== 'v1beta1') throw notFoundPath();
  const namespace = s[3] === 'namespaces' ? s[4] : undefined;
  const [plural, name, ...rest] = namespace !== undefined ? s.slice(5) : s.slice(3);
  if ((plural !== 'nodes' && plural !== 'pods') || rest.length || (plural === 'nodes' && namespace !== undefined)) throw notFoundPath();
  const params = ctx.url.searchParams;
  if (ctx.req.method !== 'GET' || /^(1|true)$/.test(params.get('watch') ?? '')) throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const state = openRead(ctx.store);
  const query = { namespace, name, labelSelector: params.get('labelSelector') ?? undefined, fieldSelector: params.get('fieldSelector') ?? undefined };
  const rows = plural === 'nodes' ? nodeMetrics(state, nowMs(), { name, labelSelector: query.labelSelector }) : podMetricsOf(state, nowMs(), query);
  if (isTableRequest(ctx)) return sendJSON(ctx, 200, metricsTable(rows));
  if (name !== undefined) return sendJSON(ctx, 200, rows[0].object);
  // a list's items carry no kind and apiVersion (metrics-server's typed list)
  const items = rows.map(({ object: { kind: _k, apiVersion: _v, ...item } }) => item);
  sendJSON(ctx, 200, { kind: plural === 'nodes' ? 'NodeMetricsList' : 'PodMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items });
}
