// The dashboard's side panel: an object's `kubectl describe` text (the same describers as the CLI's
// describe, src/printers/describe) and its events, as describe's searchEvents finds them.
import { StatusError } from '../api/errors';
import { RESOURCES } from '../api/resources';
import { readClient } from '../apiserver/transaction';
import { describeObject, eventsFor } from '../printers/describe';
import { readerOf } from '../printers/describe/reader';
import type { Store } from '../store/store';

export interface Described {
  kind: string;
  namespace: string;
  name: string;
  text: string;
  events: { type: string; reason: string; message: string; time: string; count: number; source: string }[];
}

/** kind: a Kind ("Pod") or a resource name ("pods"); namespace "" or "-" for a cluster-scoped object. */
export function describeFor(store: Store, kind: string, namespace: string, name: string): Described {
  const res = RESOURCES.find((r) => r.kind === kind || r.kind.toLowerCase() === kind.toLowerCase() || r.plural === kind);
  if (!res) throw new StatusError('NotFound', `the server doesn't have a resource type "${kind}"`);
  const api = readClient(store);
  const ns = res.namespaced ? namespace : undefined;
  const obj = api.find(res, ns, name);
  if (!obj) throw new StatusError('NotFound', `${res.plural}${res.group ? '.' + res.group : ''} "${name}" not found`);
  const read = readerOf(api);
  const events = eventsFor(read, obj).map((e) => ({
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: String(e.message ?? e.note ?? '').trim(),
    time: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '',
    count: e.count ?? e.series?.count ?? 1,
    source: e.source?.component ?? e.reportingController ?? '',
  }));
  return { kind: obj.kind, namespace: obj.metadata.namespace ?? '', name, text: describeObject(obj, read), events };
}
