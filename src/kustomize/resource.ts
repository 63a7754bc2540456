// A resource in a kustomize build: the object and the names and namespaces it has had (kustomize's
// PrevIds), which the name-reference fix at the end of the build matches references against.
import { yaml } from '../util/yaml';
import { KustomizeError } from './fs';

export type Json = Record<string, unknown>;
export const isMap = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

export interface Res {
  obj: Json;
  /** every (name, namespace) the object had before its current one, oldest first */
  prev: { name: string; ns: string }[];
  /** a generator's output: gets the content hash suffix unless disabled */
  hash?: boolean;
}

export const meta = (o: Json): Json => (isMap(o.metadata) ? o.metadata : (o.metadata = {}));
export const nameOf = (r: Res): string => String(meta(r.obj).name ?? '');
export const nsOf = (r: Res): string => String(meta(r.obj).namespace ?? '');
export const kindOf = (r: Res): string => String(r.obj.kind ?? '');
export function groupVersion(o: Json): { group: string; version: string } {
  const av = String(o.apiVersion ?? '');
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

/** Renames (or moves) a resource, remembering where it was. */
export function rename(r: Res, name: string, ns = nsOf(r)): void {
  if (name === nameOf(r) && ns === nsOf(r)) return;
  r.prev.push({ name: nameOf(r), ns: nsOf(r) });
  const m = meta(r.obj);
  m.name = name;
  if (ns) m.namespace = ns;
}

/** The names a resource has been known by, current first. */
export const allNames = (r: Res): string[] => [nameOf(r), ...r.prev.map((p) => p.name)];

/**
 * YAML as kyaml (yaml.v3) reads it: YAML 1.2 scalars (yes and on stay strings), several documents.
 * kustomize's error for bad YAML names the file.
 */
export function parseYamlDocs(text: string, source: string): unknown[] {
  const Y = yaml();
  // yaml.v3 resolves ints with Go's ParseInt(s, 0, 64): a leading 0 is octal, as in YAML 1.1
  const octal = { identify: (v: unknown) => typeof v === 'number', default: true, tag: 'tag:yaml.org,2002:int', test: /^[-+]?0[0-7]+$/, resolve: (s: string) => parseInt(s, 8) };
  const docs = Y.parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, version: '1.2', customTags: (tags) => [octal, ...tags] });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const d of list) {
    if (d.errors[0]) throw new KustomizeError(`failed to parse ${source}: ${d.errors[0].message.split('\n')[0]}`);
    const v = d.toJS({ maxAliasCount: 1000 });
    if (v === null || v === undefined) continue;
    // kind: List as kustomize flattens it
    if (isMap(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) out.push(...v.items);
    else out.push(v);
  }
  return out;
}
