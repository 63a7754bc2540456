// core/v1 PersistentVolumeClaim: SetDefaults_PersistentVolumeClaim, the admission plugins that
// change a new claim (DefaultStorageClass, plugin/pkg/admission/storage/storageclass/setdefault:
// a claim with no class gets the default one; StorageObjectInUseProtection: the pvc-protection
// finalizer), ValidatePersistentVolumeClaim(Update), and the columns of printPersistentVolumeClaim.
import { forbiddenError } from '../../api/errors';
import { parseQuantity } from '../../api/quantity';
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { addFinalizer, keepDeletionMark, markForDeletion } from './volumeprotection';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/storage') => require('../../api/storage');

/**
 * storageutil.GetDefaultClass: of the classes marked default, the newest (then the first by name),
 * as the admission plugin and the PV controller choose it since 1.28.
 */
export function defaultClassOf(state: State): KObject | undefined {
  const defaults = state.list('StorageClass').filter(api().isDefaultClass);
  defaults.sort((a, b) => Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '') || (a.metadata.name < b.metadata.name ? -1 : 1));
  return defaults[0];
}

/** helper.PersistentVolumeClaimHasClass: the beta annotation or a storageClassName (even ""). */
export const claimHasClass = (pvc: KObject): boolean =>
  Object.hasOwn(pvc.metadata.annotations ?? {}, api().BETA_STORAGE_CLASS_ANNOTATION) || (pvc.spec?.storageClassName !== undefined && pvc.spec?.storageClassName !== null);

/**
 * The PersistentVolumeClaimResize admission plugin (plugin/pkg/admission/storage/persistentvolume/
 * resize): a larger request only for a bound claim whose class allows expansion and provisioned it.
 */
function admitResize(state: State, old: KObject, pvc: KObject): void {
  const before = parseQuantity(old.spec?.resources?.requests?.storage)?.nanos ?? 0n;
  const after = parseQuantity(pvc.spec?.resources?.requests?.storage)?.nanos ?? 0n;
  if (after <= before) return;
  const res = strategyOf.resource;
  if (old.status?.phase !== 'Bound') throw forbiddenError(res, pvc.metadata.name, 'Only bound persistent volume claims can be expanded');
  const cls = api().pvcClass(pvc);
  const sc = cls ? state.get('StorageClass', undefined, cls) : undefined;
  // allowResize: the class allows it, and the claim was provisioned by it (the volume names the class)
  const pv = state.get('PersistentVolume', undefined, pvc.spec?.volumeName ?? '');
  if (sc?.allowVolumeExpansion !== true || !pv || pv.spec?.storageClassName !== cls)
    throw forbiddenError(res, pvc.metadata.name, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
}

const phaseOf = (o: KObject): string => (o.metadata.deletionTimestamp ? 'Terminating' : String(o.status?.phase ?? ''));
const bound = (o: KObject): boolean => !!o.spec?.volumeName;

const strategyOf = defineKind({
  resource: resource('PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], '', 'v1', true),
  systemStatus: true,
  defaults: (obj) => api().defaultPersistentVolumeClaim(obj),
  warnings: (obj) => api().persistentVolumeClaimWarnings(obj),
  validate: (obj, old) => api().validatePersistentVolumeClaim(obj, old),
  beforeStore(state, pvc) {
    if (!claimHasClass(pvc)) {
      const def = defaultClassOf(state);
      if (def) pvc.spec.storageClassName = def.metadata.name;
    }
    addFinalizer(pvc, api().PVC_PROTECTION_FINALIZER);
    pvc.status = { phase: 'Pending' };
  },
  prepareForUpdate: keepDeletionMark,
  allocateUpdate(state, old, pvc) {
    admitResize(state, old, pvc);
    return [];
  },
  gracefulDelete: (_state, pvc) => markForDeletion(pvc),
  columns: [
    NAME,
    { header: 'STATUS', cell: phaseOf },
    { header: 'VOLUME', cell: (o) => String(o.spec?.volumeName ?? '') },
    { header: 'CAPACITY', cell: (o) => (bound(o) ? api().quantityString(o.status?.capacity?.storage) : '') },
    { header: 'ACCESS MODES', cell: (o) => (bound(o) ? api().accessModesString(o.status?.accessModes) : '') },
    { header: 'STORAGECLASS', cell: (o) => api().pvcClass(o) },
    { header: 'VOLUMEATTRIBUTESCLASS', cell: (o) => String(o.spec?.volumeAttributesClassName ?? '<unset>') },
    AGE,
    { header: 'VOLUMEMODE', wide: true, cell: (o) => String(o.spec?.volumeMode ?? '<unset>') },
  ],
});

export default strategyOf;
