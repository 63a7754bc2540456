// core/v1 Endpoints: defaulting, validation and the columns of printEndpoints.
import { defaultEndpoints } from '../../api/defaults';
import type { KObject } from '../../api/types';
import { validateEndpoints } from '../../api/validation';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';

/** formatEndpoints: up to three ip:port pairs, then "+ N more...". */
export function formatEndpoints(ep: KObject, portNames?: Set<string>): string {
  const subsets: { addresses?: { ip: string }[]; ports?: { name?: string; port: number }[] }[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip);
      continue;
    }
    for (const p of ss.ports) {
      if (portNames && !portNames.has(p.name ?? '')) continue;
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
    }
  }
  const ret = list.join(',');
  return count > max ? `${ret} + ${count - max} more...` : ret;
}

const res = resource('Endpoints', 'endpoints', ['ep'], '', 'v1', true);
res.singular = 'endpoints'; // as discovery names it

export default defineKind({
  resource: res,
  defaults: (obj) => defaultEndpoints(obj),
  validate: (obj) => validateEndpoints(obj),
  columns: [NAME, { header: 'ENDPOINTS', cell: (o) => formatEndpoints(o) }, AGE],
});
