// networking.k8s.io/v1 NetworkPolicy (pkg/registry/networking/networkpolicy/strategy.go): generation
// counts spec changes, no status; SetDefaults_NetworkPolicy, ValidateNetworkPolicy; the columns of
// printNetworkPolicy (NAME, POD-SELECTOR, AGE).
import { formatLabelSelector } from '../../api/labels';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation) load when an object of it is handled, not at the start
// of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/networkpolicy') => require('../../api/networkpolicy');

export default defineKind({
  resource: resource('NetworkPolicy', 'networkpolicies', ['netpol'], 'networking.k8s.io', 'v1', true),
  generation: true,
  defaults: (obj) => api().defaultNetworkPolicy(obj),
  validate: (obj, old) => api().validateNetworkPolicy(obj, old),
  columns: [NAME, { header: 'POD-SELECTOR', cell: (o) => formatLabelSelector(o.spec?.podSelector) }, AGE],
});
