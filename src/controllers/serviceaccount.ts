// The serviceaccount controller (pkg/controller/serviceaccount/serviceaccounts_controller.go): every
// namespace has a `default` ServiceAccount, made when the namespace appears and again whenever it is
// deleted. Also the accounts a kubeadm cluster starts with in kube-system: coredns and kube-proxy
// (kubeadm's addons) and one per controller, which the controller-manager makes for itself when it
// runs with --use-service-account-credentials (as kubeadm runs it).
import { DEFAULT_SERVICE_ACCOUNT, ensureServiceAccount } from '../apiserver/kinds/serviceaccount';
import type { State } from '../store/state';

/** `kubectl get sa -n kube-system` on a new kubeadm 1.32 cluster, `default` aside. */
export const KUBE_SYSTEM_SERVICE_ACCOUNTS = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'coredns',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'kube-proxy',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
];

/** At cluster creation, before any pod is admitted: each namespace's `default` and kube-system's set. */
export function createSystemServiceAccounts(state: State): void {
  for (const ns of state.list('Namespace')) ensureServiceAccount(state, ns.metadata.name, DEFAULT_SERVICE_ACCOUNT);
  for (const name of KUBE_SYSTEM_SERVICE_ACCOUNTS) ensureServiceAccount(state, 'kube-system', name);
}

/**
 * Looks at the namespaces changed since its last pass (a new one) and those whose `default` account
 * changed (a deleted one), and makes the account where it is missing.
 */
export function syncServiceAccounts(state: State, since: number): void {
  if (noServiceAccounts(state)) createSystemServiceAccounts(state);
  const look = new Set<string>();
  for (const c of state.changesSince(since, ['Namespace', 'ServiceAccount'])) {
    if (c.kind === 'Namespace') look.add(c.name);
    else if (c.name === DEFAULT_SERVICE_ACCOUNT) look.add(c.namespace);
  }
  for (const ns of [...look].sort()) ensureServiceAccount(state, ns, DEFAULT_SERVICE_ACCOUNT);
}

/**
 * A cluster made before kubesim kept ServiceAccounts has none stored in kube-system: the first pass
 * of the controllers gives it what a new cluster starts with. (The manifest answers, without reading.)
 */
export function noServiceAccounts(state: State): boolean {
  return !state.stored('ServiceAccount', 'kube-system');
}
