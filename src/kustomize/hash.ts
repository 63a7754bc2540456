// sigs.k8s.io/kustomize/api/hasher: the name suffix of a generated ConfigMap or Secret. The name it
// hashes is always "" (getNodeValues looks up "metadata/name" as one field name, which never exists),
// so only kind, data (and binaryData / type, stringData) count.
import { createHash } from 'crypto';

type Json = Record<string, unknown>;

/** Go's encoding/json: sorted keys, <, > and & escaped (HTML-safe), as json.Marshal writes them. */
export function goMarshal(v: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Json;
    return `{${Object.keys(o).sort().map((k) => `${goMarshal(k)}:${goMarshal(o[k])}`).join(',')}}`;
  }
  if (Array.isArray(v)) return `[${v.map(goMarshal).join(',')}]`;
  return JSON.stringify(v ?? null).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** hasher.encode: the first 10 hex digits with 0 1 3 a e replaced (no vowels, no look-alikes). */
function encode(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const orEmpty = (v: unknown) => (v === undefined ? '' : v);

export function nameHash(obj: Json): string {
  let m: Json;
  if (obj.kind === 'ConfigMap') {
    m = { kind: 'ConfigMap', name: '', data: orEmpty(obj.data) };
    if (isMap(obj.binaryData)) m.binaryData = obj.binaryData;
  } else if (obj.kind === 'Secret') {
    m = { kind: 'Secret', type: orEmpty(obj.type), name: '', data: orEmpty(obj.data) };
    if (isMap(obj.stringData)) m.stringData = obj.stringData;
  } else m = obj;
  return encode(createHash('sha256').update(goMarshal(m)).digest('hex'));
}
