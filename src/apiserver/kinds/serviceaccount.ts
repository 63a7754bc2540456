// core/v1 ServiceAccount: ValidateServiceAccount (its name a DNS subdomain), the columns of
// printServiceAccount (NAME, SECRETS, AGE), and the ServiceAccount admission plugin's look-up
// (plugin/pkg/admission/serviceaccount): a pod runs as a ServiceAccount that exists.
import { forbiddenError } from '../../api/errors';
import { resourceByKind } from '../../api/resources';
import type { KObject } from '../../api/types';
import { nameIsDNSSubdomain } from '../../api/validation';
import type { State } from '../../store/state';
import { Rand } from '../../util/rand';
import { AGE, NAME } from '../columns';
import { defineKind, metaOnly, resource } from '../strategy';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

const res = resource('ServiceAccount', 'serviceaccounts', ['sa'], '', 'v1', true);

/**
 * Stores a ServiceAccount the system makes (the serviceaccount controller's `default`, kubeadm's
 * and the controller-manager's), its uid derived from its namespace's so that making it leaves the
 * seeded choices of everything else as they were. Does nothing when the namespace is missing or
 * going, or the account exists.
 */
export function ensureServiceAccount(state: State, namespace: string, name: string): KObject | undefined {
  const ns = state.get('Namespace', undefined, namespace);
  if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return undefined;
  const have = state.get('ServiceAccount', namespace, name);
  if (have) return have;
  const sa: KObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
  return state.add(sa, Rand.fromSeed(`${ns.metadata.uid}/serviceaccount/${name}/${state.cluster.resourceVersion}`).uuid());
}

/**
 * The admission plugin's look-up of the pod's ServiceAccount. It waits for `default`, which the
 * serviceaccount controller makes as soon as a namespace exists (a Namespace and a Pod applied
 * together): kubesim makes it then. Any other missing account refuses the pod.
 */
export function admitServiceAccount(state: State, pod: KObject): void {
  const ns = pod.metadata.namespace as string;
  const name: string = pod.spec?.serviceAccountName || DEFAULT_SERVICE_ACCOUNT;
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return; // mirror pods are left alone
  if (state.get('ServiceAccount', ns, name)) return;
  if (name === DEFAULT_SERVICE_ACCOUNT && ensureServiceAccount(state, ns, name)) return;
  // admission runs before the name is generated: a generated name is reported as its prefix
  const md = pod.metadata;
  const generated = !!md.generateName && md.name?.length === md.generateName.length + 5 && md.name.startsWith(md.generateName);
  throw forbiddenError(resourceByKind('Pod'), (generated ? md.generateName : md.name) ?? '', `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
}

export default defineKind({
  resource: res,
  validate: metaOnly(true, nameIsDNSSubdomain),
  columns: [NAME, { header: 'SECRETS', cell: (o) => String((o.secrets ?? []).length) }, AGE],
});
