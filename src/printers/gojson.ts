// JSON as kubectl's printer writes a typed object from the clientset (encoding/json): a struct's
// fields in the Go type's order (not sorted, as get's unstructured objects are), maps' keys sorted,
// 4-space indent, and <, >, & escaped as \u003c, \u003e, \u0026.
import { elemOf, patchMeta, schemaOf, type GoType } from '../api/decode';

/** out[k] = v as an own property, whatever k is: a map key "__proto__" is data, not the prototype. */
function put(out: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function goOrdered(v: unknown, t: GoType | undefined): unknown {
  if (Array.isArray(v)) return v.map((x) => goOrdered(x, elemOf(t)));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (t?.k === 'struct') {
    for (const f of Object.keys(t.f)) if (Object.hasOwn(o, f)) put(out, f, goOrdered(o[f], patchMeta(t, f).type));
    for (const k of Object.keys(o)) if (!Object.hasOwn(out, k)) put(out, k, o[k]);
    return out;
  }
  for (const k of Object.keys(o).sort()) put(out, k, goOrdered(o[k], elemOf(t)));
  return out;
}

/** json.MarshalIndent(list, "", "    ") of a typed list of `kind` (its envelope first: kind, apiVersion, metadata, items). */
export function typedListJSON(list: { kind: string; apiVersion: string; metadata: object; items: object[] }, itemKind: string): string {
  const t = schemaOf(itemKind);
  const v = { kind: list.kind, apiVersion: list.apiVersion, metadata: list.metadata, items: list.items.map((i) => goOrdered(i, t)) };
  return JSON.stringify(v, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

const escapeHTML = (s: string) => s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * json.MarshalIndent(obj, "", "    ") of the typed object a clientset returns (the `create <kind>`
 * generators print what the typed client got back): kind, apiVersion, metadata, spec, status in
 * the Go struct's order, and the status struct, which has no omitempty effect, as {} when the
 * apiserver's object has none.
 */
export function typedObjectJSON(obj: { kind: string; apiVersion: string; status?: unknown }): string {
  const t = schemaOf(obj.kind, obj.apiVersion);
  const typed = t && Object.hasOwn(t.f, 'status') && obj.status === undefined ? { ...obj, status: {} } : obj;
  return escapeHTML(JSON.stringify(goOrdered(typed, t), null, 4)) + '\n';
}
