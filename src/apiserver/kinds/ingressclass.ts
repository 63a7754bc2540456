// networking.k8s.io/v1 IngressClass (pkg/registry/networking/ingressclass): cluster-scoped,
// SetDefaults_IngressClass, ValidateIngressClass(Update) (the controller is immutable), generation
// counts spec changes; the columns of printIngressClass.
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/networking') => require('../../api/networking');

export default defineKind({
  resource: resource('IngressClass', 'ingressclasses', [], 'networking.k8s.io', 'v1', false),
  generation: true,
  defaults: (obj) => api().defaultIngressClass(obj),
  validate: (obj, old) => (old ? api().validateIngressClassUpdate(obj, old) : api().validateIngressClass(obj)),
  columns: [
    NAME,
    { header: 'CONTROLLER', cell: (o) => String(o.spec?.controller ?? '') },
    { header: 'PARAMETERS', cell: (o) => api().ingressClassParameters(o) },
    AGE,
  ],
});
