// networking.k8s.io/v1 Ingress (pkg/registry/networking/ingress): short name ing, no categories
// (storage.go has no Categories(), so `get all` leaves it out); the status is the ingress
// controller's (PrepareForCreate empties it, an update keeps it), generation counts spec changes;
// ValidateIngressCreate / ValidateIngressUpdate; the DefaultIngressClass admission plugin; the
// columns of printIngress.
import type { KObject } from '../../api/types';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (validation, admission, what its columns format) load when an object of it is
// handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/networking') => require('../../api/networking');

export default defineKind({
  resource: resource('Ingress', 'ingresses', ['ing'], 'networking.k8s.io', 'v1', true),
  systemStatus: true,
  generation: true,
  validate: (obj, old) => (old ? api().validateIngressUpdate(obj, old) : api().validateIngressCreate(obj)),
  // mutating admission (DefaultIngressClass) runs before the object is validated
  beginCreate: (state, obj) => {
    api().admitDefaultIngressClass(obj, () => state.list('IngressClass'));
    return () => {};
  },
  // IngressStatus.LoadBalancer is a struct, not a pointer: a new Ingress reads `status: {loadBalancer: {}}`
  beforeStore: (_state, obj) => {
    obj.status = { loadBalancer: {} };
  },
  columns: [
    NAME,
    { header: 'CLASS', cell: (o: KObject) => (o.spec?.ingressClassName != null ? String(o.spec.ingressClassName) : '<none>') },
    { header: 'HOSTS', cell: (o) => api().formatHosts(o.spec?.rules) },
    { header: 'ADDRESS', cell: (o, wide) => api().ingressAddress(o, wide) },
    { header: 'PORTS', cell: (o) => api().formatPorts(o.spec?.tls) },
    AGE,
  ],
});
