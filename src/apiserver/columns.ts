// Cells several kinds' tables share (kubernetes pkg/printers/internalversion/printers.go).
import type { KObject } from '../api/types';
import { age } from '../util/duration';
import type { Column } from './strategy';

export const NAME: Column = { header: 'NAME', cell: (o) => o.metadata.name };
export const AGE: Column = { header: 'AGE', cell: (o) => age(o.metadata.creationTimestamp) };

/** "a,b,c + N more..." as the list helpers print long lists. */
export function withMore(list: string[], count: number, max: number, empty: string): string {
  const ret = list.join(',');
  if (count > max) return `${ret} + ${count - max} more...`;
  return ret === '' ? empty : ret;
}

export const orNone = (s: string | undefined): string => (s ? s : '<none>');

/** metav1.FormatLabelSelector: matchLabels sorted, then the expressions in their order. */
export function labelSelector(o: KObject): string {
  const sel = o.spec?.selector ?? {};
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator).toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** printRole's CREATED AT: the creation time as RFC 3339 in UTC (not an age). */
export const CREATED_AT: Column = { header: 'CREATED AT', cell: (o) => String(o.metadata.creationTimestamp ?? '') };
