// core/v1 Namespace: the defaults of its strategy (the kubernetes finalizer, phase Active, the
// kubernetes.io/metadata.name label), the namespaces that may not be deleted, deletion of its
// contents, and the columns of printNamespace.
import { StatusError } from '../../api/errors';
import { resourceByKind } from '../../api/resources';
import { nameIsDNSLabel } from '../../api/validation';
import { AGE, NAME } from '../columns';
import { defineKind, metaOnly, resource } from '../strategy';

const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export default defineKind({
  resource: resource('Namespace', 'namespaces', ['ns'], '', 'v1', false, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
  systemStatus: true,
  defaults(obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  },
  validate: metaOnly(false, nameIsDNSLabel),
  beforeDelete(_state, ns) {
    const name = ns.metadata.name;
    if (IMMORTAL_NAMESPACES.includes(name)) throw new StatusError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
  },
  afterDelete(state, ns) {
    const name = ns.metadata.name;
    for (const k of state.allKinds()) {
      if (!resourceByKind(k).namespaced) continue;
      for (const o of state.list(k, name)) state.remove(k, name, o.metadata.name);
    }
  },
  fields: { 'status.phase': (o) => o.status?.phase ?? '' },
  columns: [NAME, { header: 'STATUS', cell: (o) => o.status?.phase ?? '' }, AGE],
});
