// What PersistentVolumes and PersistentVolumeClaims share in the apiserver: the finalizer the
// StorageObjectInUseProtection admission plugin adds (plugin/pkg/admission/storage/
// storageobjectinuseprotection), and deletion that waits for it: an object with finalizers is only
// marked (deletionTimestamp now, grace 0) until the protection controller takes its finalizer off.
import type { KObject } from '../../api/types';
import { rfc3339 } from '../../util/clock';
import { clone } from '../../util/compare';

export function addFinalizer(o: KObject, finalizer: string): void {
  const list: string[] = o.metadata.finalizers ?? [];
  if (!list.includes(finalizer)) o.metadata.finalizers = [...list, finalizer];
}

/** rest.BeforeDelete with finalizers: the object stays, marked, until they are gone. */
export function markForDeletion(o: KObject): KObject | undefined {
  if (!(o.metadata.finalizers ?? []).length) return undefined;
  if (o.metadata.deletionTimestamp) return o;
  const upd = clone(o);
  upd.metadata.deletionTimestamp = rfc3339();
  upd.metadata.deletionGracePeriodSeconds = 0;
  return upd;
}

/** An update keeps the deletion mark: only the server sets it. */
export function keepDeletionMark(old: KObject, o: KObject): void {
  for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds']) {
    if (old.metadata[k] !== undefined) o.metadata[k] = old.metadata[k];
    else delete o.metadata[k];
  }
}
