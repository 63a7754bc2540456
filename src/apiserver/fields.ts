// Field selectors (--field-selector) with =, == and !=: metadata.name and metadata.namespace for
// every kind, and the fields each kind's strategy makes selectable (its `fields`, from
// pkg/registry/<group>/<kind>/strategy.go ToSelectableFields).
import { StatusError } from '../api/errors';
import type { Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { strategyFor } from './strategy';

type Req = { field: string; op: '=' | '!='; value: string };

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
  return strategyFor(res.kind).fields?.[field];
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

