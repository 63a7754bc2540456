// -o json | yaml | name, as kubectl prints them: keys sorted (kubectl works on unstructured maps),
// JSON indented by 4 spaces, YAML in go-yaml's block style with sequences not indented.
import { setKey } from '../util/compare';
import { qualifiedSingular, resourceByKind } from '../api/resources';
import { UNSTORED } from '../api/unstored';
import type { KObject } from '../api/types';
import { yaml } from '../util/yaml';
import { goYamlNeedsDoubleQuotes } from './goyaml';
import { writeYaml } from './fastyamlout';

type Json = Parameters<typeof writeYaml>[0];

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) setKey(out, k, sortKeys(x));
    }
    return out;
  }
  return v;
}

/** One object as itself; several as a v1 List, as kubectl get does. */
export function asListOrSingle(objs: KObject[], single: boolean): unknown {
  if (single && objs.length === 1) return objs[0];
  return { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } };
}

/** kubectl hides metadata.managedFields unless --show-managed-fields (printers' ManagedFieldsPrinter). */
function hideManagedFields(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as { metadata?: Record<string, unknown>; items?: unknown };
  let out = o;
  if (o.metadata && typeof o.metadata === 'object' && 'managedFields' in o.metadata) {
    const { managedFields: _hidden, ...metadata } = o.metadata;
    out = { ...o, metadata };
  }
  if (Array.isArray(o.items) && o.items.some((i) => i && typeof i === 'object' && (i as { metadata?: object }).metadata && 'managedFields' in (i as { metadata: object }).metadata)) {
    out = { ...out, items: o.items.map(hideManagedFields) };
  }
  return out;
}

/** showManagedFields: get's --show-managed-fields keeps them */
export function toJSON(v: unknown, showManagedFields = false): string {
  return JSON.stringify(sortKeys(showManagedFields ? v : hideManagedFields(v)), null, 4) + '\n';
}

/** The yaml package's rendering, tuned to go-yaml's (the reference for writeYaml's pieces). */
export function packageYAML(v: unknown, lineWidth = 80): string {
  const Y = yaml();
  const doc = new Y.Document(v, { aliasDuplicateObjects: false });
  Y.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !node.value.includes('\n') && goYamlNeedsDoubleQuotes(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth, minContentWidth: 0, singleQuote: true, blockQuote: 'literal' });
}

export function toYAML(v: unknown, showManagedFields = false): string {
  return writeYaml(sortKeys(showManagedFields ? v : hideManagedFields(v)) as Json, packageYAML);
}

export function nameOf(o: KObject): string {
  // metrics-server's NodeMetrics and PodMetrics are no stored kind
  const unstored = UNSTORED.find((r) => r.kind === o.kind && `${r.group}/${r.version}` === o.apiVersion);
  return `${qualifiedSingular(unstored ?? resourceByKind(o.kind))}/${o.metadata.name}`;
}
