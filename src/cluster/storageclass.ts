// The default StorageClass of a new cluster: minikube's `standard` (its default-storageclass addon,
// deploy/addons/storageclass/storageclass.yaml, applied by the addon manager), served by the
// simulated hostpath provisioner (controllers/persistentvolume.ts provisions its claims).
import { createHash } from 'node:crypto';
import { defaultStorageClass, DEFAULT_CLASS_ANNOTATION } from '../api/storage';
import type { KObject } from '../api/types';
import type { State } from '../store/state';

export const STANDARD_CLASS = 'standard';
export const MINIKUBE_PROVISIONER = 'k8s.io/minikube-hostpath';

/** The addon's manifest as the addon manager applied it (hence the last-applied annotation). */
function standardClass(): KObject {
  const manifest = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' }, labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' }, name: STANDARD_CLASS },
    provisioner: MINIKUBE_PROVISIONER,
  };
  const sc: KObject = JSON.parse(JSON.stringify(manifest));
  sc.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(manifest)}\n`, ...sc.metadata.annotations };
  defaultStorageClass(sc);
  return sc;
}

/**
 * A version-4-shaped uuid from the cluster's seed and a purpose: the same for the life of the
 * cluster, and taking nothing from the seeded generator (the sequence of everything else stays).
 */
export function seededUuid(seed: string, salt: string): string {
  const h = createHash('sha256').update(`${seed}/${salt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Makes `standard` unless the cluster has it (idempotent). */
export function ensureDefaultStorageClass(state: State): void {
  if (state.get('StorageClass', undefined, STANDARD_CLASS)) return;
  state.add(standardClass(), seededUuid(state.config.seed, `storageclass/${STANDARD_CLASS}`));
}
