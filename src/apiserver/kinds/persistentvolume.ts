// core/v1 PersistentVolume (cluster-scoped): SetDefaults_PersistentVolume, the strategy's initial
// status (phase Pending with its transition time, PersistentVolumeLastPhaseTransitionTime is GA in
// 1.31), the pv-protection finalizer, ValidatePersistentVolume(Update) and the columns of
// printPersistentVolume (1.32: VOLUMEATTRIBUTESCLASS, and VOLUMEMODE with -o wide).
import type { KObject } from '../../api/types';
import { rfc3339 } from '../../util/clock';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { addFinalizer, keepDeletionMark, markForDeletion } from './volumeprotection';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/storage') => require('../../api/storage');

/** The phase column: Terminating once marked for deletion. */
const phaseOf = (o: KObject): string => (o.metadata.deletionTimestamp ? 'Terminating' : String(o.status?.phase ?? ''));

export default defineKind({
  resource: resource('PersistentVolume', 'persistentvolumes', ['pv'], '', 'v1', false),
  systemStatus: true,
  defaults: (obj) => api().defaultPersistentVolume(obj),
  warnings: (obj) => api().persistentVolumeWarnings(obj),
  validate: (obj, old) => api().validatePersistentVolume(obj, old),
  beforeStore(_state, pv) {
    addFinalizer(pv, api().PV_PROTECTION_FINALIZER);
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339() };
  },
  prepareForUpdate: keepDeletionMark,
  gracefulDelete: (_state, pv) => markForDeletion(pv),
  columns: [
    NAME,
    { header: 'CAPACITY', cell: (o) => api().quantityString(o.spec?.capacity?.storage) },
    { header: 'ACCESS MODES', cell: (o) => api().accessModesString(o.spec?.accessModes) },
    { header: 'RECLAIM POLICY', cell: (o) => String(o.spec?.persistentVolumeReclaimPolicy ?? '') },
    { header: 'STATUS', cell: phaseOf },
    { header: 'CLAIM', cell: (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ''}/${o.spec.claimRef.name ?? ''}` : '') },
    { header: 'STORAGECLASS', cell: (o) => api().pvClass(o) },
    { header: 'VOLUMEATTRIBUTESCLASS', cell: (o) => String(o.spec?.volumeAttributesClassName ?? '<unset>') },
    { header: 'REASON', cell: (o) => String(o.status?.reason ?? '') },
    AGE,
    { header: 'VOLUMEMODE', wide: true, cell: (o) => String(o.spec?.volumeMode ?? '<unset>') },
  ],
});
