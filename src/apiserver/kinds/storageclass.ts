// storage.k8s.io/v1 StorageClass: SetDefaults_StorageClass, ValidateStorageClass(Update), the columns
// of printStorageClass (the default class's name gets " (default)"; a nil reclaim policy prints
// Delete, a nil binding mode Immediate, allowVolumeExpansion false).
import type { KObject } from '../../api/types';
import { AGE } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/storage') => require('../../api/storage');

export default defineKind({
  resource: resource('StorageClass', 'storageclasses', ['sc'], 'storage.k8s.io', 'v1', false),
  defaults: (obj) => api().defaultStorageClass(obj),
  validate: (obj, old) => api().validateStorageClass(obj, old),
  columns: [
    { header: 'NAME', cell: (o: KObject) => (api().isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name) },
    { header: 'PROVISIONER', cell: (o) => String(o.provisioner ?? '') },
    { header: 'RECLAIMPOLICY', cell: (o) => String(o.reclaimPolicy ?? 'Delete') },
    { header: 'VOLUMEBINDINGMODE', cell: (o) => String(o.volumeBindingMode ?? 'Immediate') },
    { header: 'ALLOWVOLUMEEXPANSION', cell: (o) => String(o.allowVolumeExpansion === true) },
    AGE,
  ],
});
