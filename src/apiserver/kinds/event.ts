// core/v1 Event: the columns of printEvent (kubectl get events without -o wide).
import type { KObject } from '../../api/types';
import { nameIsDNSSubdomain } from '../../api/validation';
import { age } from '../../util/duration';
import { defineKind, metaOnly, resource } from '../strategy';

const last = (o: KObject) => o.lastTimestamp || o.eventTime || o.firstTimestamp || o.metadata.creationTimestamp;

export default defineKind({
  resource: resource('Event', 'events', ['ev'], '', 'v1', true),
  validate: metaOnly(true, nameIsDNSSubdomain),
  fields: {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  columns: [
    { header: 'LAST SEEN', cell: (o) => age(last(o)) },
    { header: 'TYPE', cell: (o) => o.type ?? '' },
    { header: 'REASON', cell: (o) => o.reason ?? '' },
    { header: 'OBJECT', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
    { header: 'MESSAGE', cell: (o) => String(o.message ?? '').trim() },
  ],
});
