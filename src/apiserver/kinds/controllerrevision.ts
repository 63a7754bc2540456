// apps/v1 ControllerRevision: ValidateControllerRevision, the columns of printControllerRevision
// (NAME CONTROLLER REVISION AGE; CONTROLLER as formatResourceName of the controller reference).
import type { KObject } from '../../api/types';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/statefulset') => require('../../api/statefulset');

function controller(o: KObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r: { controller?: boolean }) => r.controller);
  if (!ref) return '<none>';
  const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

export default defineKind({
  resource: resource('ControllerRevision', 'controllerrevisions', [], 'apps', 'v1', true),
  validate: (obj, old) => api().validateControllerRevision(obj, old),
  columns: [NAME, { header: 'CONTROLLER', cell: controller }, { header: 'REVISION', cell: (o) => String(o.revision ?? 0) }, AGE],
});
