// The server's list order: namespace, then name.
import type { KObject } from '../api/types';
import { cmp } from '../util/compare';

export const byNamespaceAndName = (a: KObject, b: KObject) =>
  cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name);

/** Stored lists are already in order; sorting is only needed when they are not. */
export function sortedByNamespaceAndName(list: KObject[]): KObject[] {
  for (let i = 1; i < list.length; i++) if (byNamespaceAndName(list[i - 1], list[i]) > 0) return list.sort(byNamespaceAndName);
  return list;
}
