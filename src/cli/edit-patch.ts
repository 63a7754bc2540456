// The strategic merge patch kubectl edit sends (pkg/cmd/util/editor/editoptions.go visitToPatch:
// strategicpatch.CreateTwoWayMergePatch from the object as it was opened to the object as saved);
// the apiserver applies it with src/apiserver/strategicpatch.ts, as it does every strategic patch.
import type { GoType } from '../api/decode';
import { threeWayPatch } from './apply-patch';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * CreateTwoWayMergePatch(original, edited): the changes and additions plus the deletions, which is
 * the three-way patch whose live object is the original.
 */
export function twoWayPatch(original: Json, edited: Json, schema: GoType | undefined): Json {
  return threeWayPatch(original, edited, original, schema);
}

/** mergepatch's preconditions of kubectl edit: apiVersion, kind and metadata.name stay. */
export function changesIdentity(patch: Json): boolean {
  return 'apiVersion' in patch || 'kind' in patch || (isMap(patch.metadata) && 'name' in patch.metadata) || 'managedFields' in patch;
}
