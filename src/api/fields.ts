// Field selectors (--field-selector): the fields each kind's apiserver strategy makes selectable
// (pkg/registry/core/*/strategy.go ToSelectableFields), with =, == and !=.
import { StatusError } from './errors';
import type { Resource } from './resources';
import type { KObject } from './types';

type Req = { field: string; op: '=' | '!='; value: string };

const BY_KIND: Record<string, Record<string, (o: KObject) => string>> = {
  Pod: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  Service: { 'spec.clusterIP': (o) => o.spec?.clusterIP ?? '', 'spec.type': (o) => o.spec?.type ?? '' },
  Node: { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  Namespace: { 'status.phase': (o) => o.status?.phase ?? '' },
  ReplicaSet: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  Event: {
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
};

export function parseFieldSelector(text: string): Req[] {
  return text.split(',').filter(Boolean).map((part) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part.trim());
    if (!m) throw new StatusError('BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
    return { field: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
  });
}

function getter(res: Resource, field: string): ((o: KObject) => string) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata.name;
  if (field === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
  return BY_KIND[res.kind]?.[field];
}

/** The apiserver's BadRequest for a field the kind cannot select on. */
export function checkFieldSelector(res: Resource, reqs: Req[], text: string, labels: string): void {
  for (const r of reqs) {
    if (getter(res, r.field)) continue;
    const gv = res.group ? `${res.group}/${res.version}` : `/${res.version}`;
    throw new StatusError('BadRequest', `Unable to find "${gv}, Resource=${res.plural}" that match label selector "${labels}", field selector "${text}": field label not supported: ${r.field}`);
  }
}

export function fieldsMatch(res: Resource, reqs: Req[], o: KObject): boolean {
  return reqs.every((r) => (getter(res, r.field)!(o) === r.value) === (r.op === '='));
}

