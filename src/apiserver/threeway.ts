// kubectl apply's three-way merge of a manifest into the live object (client-side apply's patch
// as the apiserver applies it, and server-side apply's merge): src/cli/create.ts and
// src/apiserver/serverside.ts through `kubesim serve`.
import { clone, setKey } from '../util/compare';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** Strategic-merge keys of the list fields kubesim's kinds have (the patchMergeKey tags of k8s.io/api). */
function mergeKeyOf(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      return items.some((i) => isMap(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

/**
 * kubectl apply's three-way merge: fields set in the new manifest win, fields the previous apply set
 * but the new one dropped are removed, fields nobody applied (defaults, allocated IPs and ports,
 * admission's additions, status) stay. Lists with a merge key merge item by item; others are replaced.
 */
export function threeWay(live: unknown, last: unknown, next: unknown, field = ''): unknown {
  if (Array.isArray(next) && Array.isArray(live)) {
    const key = mergeKeyOf(field, next);
    if (!key) return clone(next);
    const prev = Array.isArray(last) ? last : [];
    const find = (list: unknown[], k: unknown) => list.find((i) => isMap(i) && i[key] === k);
    const out = next.map((n) => (isMap(n) ? threeWay(find(live, n[key]), find(prev, n[key]), n, key) : n));
    for (const l of live) {
      if (!isMap(l) || find(next, l[key]) !== undefined || find(prev, l[key]) !== undefined) continue;
      out.push(clone(l));
    }
    return out;
  }
  if (!isMap(next) || !isMap(live)) return clone(next);
  const out: Json = clone(live);
  const prev = isMap(last) ? last : {};
  for (const k of Object.keys(prev)) if (!(k in next)) delete out[k];
  for (const [k, v] of Object.entries(next)) setKey(out, k, threeWay(Object.hasOwn(live, k) ? live[k] : undefined, Object.hasOwn(prev, k) ? prev[k] : undefined, v, k));
  return out;
}
