// `kubectl kustomize DIR` (sigs.k8s.io/kustomize/api/krusty, kustomize v5.5 as kubectl 1.32 embeds
// it): a kustomization's resources and generators, its transformers in kustomize's order
// (kusttarget_configplugin.go: patches, namespace, prefix, suffix, labels, annotations, JSON 6902,
// replicas, images), then, at the top only, the generators' hash suffixes, the name-reference fix
// and the legacy sort. Pure over a KFs.
import { resourceForKind } from '../api/resources';
import { basename, join, KustomizeError, resolve, type KFs } from './fs';
import { nameHash } from './hash';
import { json6902, strategicMerge } from './patches';
import { containersOf, mergeAt, podSpecs, refsOf, selectorPaths, templateAnnotationPaths } from './refs';
import { allNames, groupVersion, isMap, kindOf, meta, nameOf, nsOf, parseYamlDocs, rename, type Json, type Res } from './resource';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface BuildResult {
  objects: Json[];
  /** kustomize's deprecation warnings, printed on stderr */
  warnings: string[];
}

export function build(fs: KFs, dir: string): BuildResult {
  const warnings: string[] = [];
  // the argument as given in the message, its absolute form in lstat's
  if (fs.exists(dir) && !fs.isDir(dir)) throw new KustomizeError(`must build at directory: '${dir}': file is not directory`);
  if (!fs.isDir(dir)) throw new KustomizeError(`must build at directory: not a valid directory: evalsymlink failure on '${dir}' : lstat ${resolve(dir)}: no such file or directory`);
  dir = resolve(dir);
  const resources = buildDir(fs, dir, warnings);
  // kusttarget.makeCustomizedResMap: hashes, then the back references, last
  for (const r of resources) if (r.hash) rename(r, `${nameOf(r)}-${nameHash(r.obj)}`);
  fixReferences(resources);
  return { objects: legacySort(resources).map((r) => r.obj), warnings: [...new Set(warnings)] };
}

function readKustomization(fs: KFs, dir: string): Json {
  for (const f of KUSTOMIZATION_FILES) {
    const p = join(dir, f);
    if (fs.exists(p) && !fs.isDir(p)) {
      const docs = parseYamlDocs(fs.read(p), p);
      return isMap(docs[0]) ? docs[0] : {};
    }
  }
  throw new KustomizeError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const maps = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isMap) : []);
const strMap = (v: unknown): Record<string, string> => (isMap(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});

function deprecated(k: Json, warnings: string[]): void {
  const fields: [string, string][] = [
    ['commonLabels', 'labels'],
    ['patchesStrategicMerge', 'patches'],
    ['patchesJson6902', 'patches'],
    ['bases', 'resources'],
    ['vars', 'replacements'],
  ];
  for (const [old, now] of fields) {
    if (k[old] !== undefined) warnings.push(`# Warning: '${old}' is deprecated. Please use '${now}' instead. Run 'kustomize edit fix' to update your Kustomization automatically.`);
  }
}

function buildDir(fs: KFs, dir: string, warnings: string[]): Res[] {
  const k = readKustomization(fs, dir);
  deprecated(k, warnings);
  const out: Res[] = [];
  for (const entry of [...strings(k.resources), ...strings(k.bases)]) {
    const p = join(dir, entry);
    // accumulateResources: a directory is built on its own; a file must lie under the kustomization root
    const fail = (why: string, then: string) => new KustomizeError(`accumulating resources: accumulation err='accumulating resources from '${entry}': ${why}': ${then}`);
    if (fs.isDir(p)) {
      try {
        out.push(...buildDir(fs, p, warnings));
      } catch (e) {
        if (!(e instanceof KustomizeError)) throw e;
        throw fail(`'${p}' must resolve to a file`, `recursed accumulation of path '${p}': ${e.message}`);
      }
    } else if (fs.exists(p)) {
      if (!p.startsWith(dir + '/')) throw fail(`security; file '${p}' is not in or below '${dir}'`, `must build at directory: '${p}': file is not directory`);
      for (const d of parseYamlDocs(fs.read(p), p)) out.push({ obj: checkObject(d, p), prev: [] });
    } else {
      const missing = `evalsymlink failure on '${p}' : lstat ${p}: no such file or directory`;
      throw fail(missing, `must build at directory: not a valid directory: ${missing}`);
    }
  }
  generate(fs, dir, k, out);
  transform(fs, dir, k, out);
  return out;
}

function checkObject(d: unknown, source: string): Json {
  if (!isMap(d)) throw new KustomizeError(`${source}: not a Kubernetes object`);
  if (!d.kind) throw new KustomizeError(`missing kind in object ${JSON.stringify(d)}`);
  return d;
}

// ---- generators (api/internal/generators, api/kv) ----

/** kv.ParseLiteralSource: KEY=VALUE at the first '=', surrounding quotes dropped. */
function literal(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new KustomizeError(`invalid literal source ${s}, expected key=value`);
  let v = s.slice(i + 1);
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  return [s.slice(0, i), v];
}

/** An env file: KEY=VALUE lines, # comments and blank lines skipped. */
function envPairs(text: string, file: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i < 0) {
      const v = process.env[line.trim()];
      if (v !== undefined) out.push([line.trim(), v]);
      continue;
    }
    const key = line.slice(0, i).trimStart();
    if (!key) throw new KustomizeError(`line ${n + 1}: invalid key in ${file}`);
    out.push([key, line.slice(i + 1)]);
  }
  return out;
}

/** The generators' objects, added to `out`; behavior merge / replace changes the one of that name already there. */
function generate(fs: KFs, dir: string, k: Json, out: Res[]): void {
  const global = isMap(k.generatorOptions) ? k.generatorOptions : {};
  const one = (g: Json, kind: 'ConfigMap' | 'Secret') => {
    const pairs: [string, string][] = [];
    for (const f of strings(g.envs ?? (g.env ? [g.env] : []))) pairs.push(...envPairs(readIn(fs, dir, f), f));
    for (const l of strings(g.literals)) pairs.push(literal(l));
    for (const f of strings(g.files)) {
      const i = f.indexOf('=');
      const [key, file] = i > 0 ? [f.slice(0, i), f.slice(i + 1)] : [basename(f), f];
      pairs.push([key, readIn(fs, dir, file)]);
    }
    const data: Record<string, string> = {};
    for (const [key, v] of pairs) {
      if (Object.hasOwn(data, key)) throw new KustomizeError(`configmap ${String(g.name)} illegally repeats the key \`${key}\``);
      data[key] = kind === 'Secret' ? Buffer.from(v).toString('base64') : v;
    }
    const opts = isMap(g.options) ? g.options : {};
    const labels = { ...strMap(global.labels), ...strMap(opts.labels) };
    const annotations = { ...strMap(global.annotations), ...strMap(opts.annotations) };
    const metadata: Json = { name: String(g.name ?? '') };
    if (g.namespace) metadata.namespace = String(g.namespace);
    if (Object.keys(labels).length) metadata.labels = labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    const obj: Json = { apiVersion: 'v1', kind, metadata };
    if (Object.keys(data).length) obj.data = data;
    if (kind === 'Secret') obj.type = String(g.type ?? 'Opaque');
    if (opts.immutable ?? global.immutable) obj.immutable = true;
    const disable = opts.disableNameSuffixHash ?? global.disableNameSuffixHash;
    const behavior = String(g.behavior ?? 'create');
    if (behavior === 'merge' || behavior === 'replace') {
      const ns = String(g.namespace ?? '');
      const old = out.find((r) => kindOf(r) === kind && allNames(r).includes(String(g.name)) && (!ns || nsOf(r) === ns));
      if (!old) throw new KustomizeError(`id ${JSON.stringify(`${kind}.v1.[noGrp]/${String(g.name)}.${ns || '[noNs]'}`)} does not exist; cannot merge or replace`);
      if (behavior === 'merge') {
        const m = meta(old.obj);
        if (Object.keys(labels).length) m.labels = { ...strMap(m.labels), ...labels };
        if (Object.keys(annotations).length) m.annotations = { ...strMap(m.annotations), ...annotations };
        if (obj.data) old.obj.data = { ...strMap(old.obj.data), ...(obj.data as Record<string, string>) };
      } else {
        old.obj.data = obj.data;
        if (!obj.data) delete old.obj.data;
      }
      if (disable !== undefined) old.hash = disable !== true;
      return;
    }
    out.push({ obj, prev: [], hash: disable !== true });
  };
  for (const g of maps(k.configMapGenerator)) one(g, 'ConfigMap');
  for (const g of maps(k.secretGenerator)) one(g, 'Secret');
}

function readIn(fs: KFs, dir: string, file: string): string {
  const p = join(dir, file);
  if (!fs.exists(p)) throw new KustomizeError(`evalsymlink failure on '${p}' : lstat ${p}: no such file or directory`);
  return fs.read(p);
}

// ---- transformers ----

function transform(fs: KFs, dir: string, k: Json, rs: Res[]): void {
  // PatchStrategicMergeTransformer (the deprecated field), then PatchTransformer
  for (const p of strings(k.patchesStrategicMerge)) {
    const text = fs.exists(join(dir, p)) ? fs.read(join(dir, p)) : p;
    for (const d of parseYamlDocs(text, p)) if (isMap(d)) applyPatch(rs, d, undefined);
  }
  for (const p of maps(k.patches)) {
    const text = p.path ? readIn(fs, dir, String(p.path)) : String(p.patch ?? '');
    const target = isMap(p.target) ? p.target : undefined;
    const docs = parseYamlDocs(text, String(p.path ?? 'patch'));
    if (docs.length === 1 && Array.isArray(docs[0])) {
      if (!target) throw new KustomizeError('must specify a target for JSON patch ' + text.trim());
      for (const r of matching(rs, target)) r.obj = json6902(r.obj, docs[0]);
    } else for (const d of docs) if (isMap(d)) applyPatch(rs, d, target);
  }
  if (typeof k.namespace === 'string' && k.namespace) setNamespace(rs, k.namespace);
  const prefix = typeof k.namePrefix === 'string' ? k.namePrefix : '';
  const suffix = typeof k.nameSuffix === 'string' ? k.nameSuffix : '';
  if (prefix || suffix) {
    for (const r of rs) if (!['CustomResourceDefinition', 'APIService', 'Namespace'].includes(kindOf(r))) rename(r, `${prefix}${nameOf(r)}${suffix}`);
  }
  if (isMap(k.commonLabels)) addLabels(rs, strMap(k.commonLabels), true, true);
  for (const l of maps(k.labels)) addLabels(rs, strMap(l.pairs), l.includeSelectors === true, l.includeSelectors === true || l.includeTemplates === true);
  if (isMap(k.commonAnnotations)) {
    const a = strMap(k.commonAnnotations);
    for (const r of rs) {
      mergeAt(r.obj, ['metadata', 'annotations'], a, true);
      for (const p of templateAnnotationPaths(kindOf(r))) mergeAt(r.obj, p, a, true);
    }
  }
  for (const p of maps(k.patchesJson6902)) {
    const text = p.path ? readIn(fs, dir, String(p.path)) : String(p.patch ?? '');
    const ops = parseYamlDocs(text, String(p.path ?? 'patch'))[0];
    if (Array.isArray(ops) && isMap(p.target)) for (const r of matching(rs, p.target)) r.obj = json6902(r.obj, ops);
  }
  for (const rep of maps(k.replicas)) {
    for (const r of rs) {
      if (!allNames(r).includes(String(rep.name)) || !['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(kindOf(r))) continue;
      const spec = isMap(r.obj.spec) ? r.obj.spec : (r.obj.spec = {});
      (spec as Json).replicas = Number(rep.count);
    }
  }
  for (const img of maps(k.images)) for (const r of rs) for (const ps of podSpecs(r.obj)) for (const c of containersOf(ps)) setImage(c, img);
}

function setNamespace(rs: Res[], ns: string): void {
  for (const r of rs) {
    const res = resourceForKind(String(r.obj.apiVersion), kindOf(r));
    // namespace.go: a Namespace object in the build is renamed to the namespace
    if (kindOf(r) === 'Namespace') rename(r, ns);
    if (res && !res.namespaced) continue;
    rename(r, nameOf(r), ns);
  }
  // RoleBinding subjects of the build's own ServiceAccounts (and of "default") follow them
  for (const r of rs) {
    if (kindOf(r) !== 'RoleBinding' && kindOf(r) !== 'ClusterRoleBinding') continue;
    for (const s of maps(r.obj.subjects)) {
      if (s.kind === 'ServiceAccount' && (s.name === 'default' || rs.some((o) => kindOf(o) === 'ServiceAccount' && allNames(o).includes(String(s.name))))) s.namespace = ns;
    }
  }
}

function addLabels(rs: Res[], labels: Record<string, string>, selectors: boolean, templates: boolean): void {
  for (const r of rs) {
    mergeAt(r.obj, ['metadata', 'labels'], labels, true);
    const { selectors: sel, templates: tpl } = selectorPaths(kindOf(r));
    if (selectors) for (const [p, create] of sel) mergeAt(r.obj, p, labels, create);
    if (templates) for (const [p, create] of tpl) mergeAt(r.obj, p, labels, create);
  }
}

/** image.Split: name, then ":tag" and/or "@digest". */
function splitImage(image: string): { name: string; tag: string } {
  const at = image.indexOf('@');
  const slash = image.lastIndexOf('/', at < 0 ? image.length : at);
  const colon = image.indexOf(':', slash + 1);
  const end = [colon, at].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? image.length;
  return { name: image.slice(0, end), tag: image.slice(end) };
}

function setImage(c: Json, img: Json): void {
  if (typeof c.image !== 'string') return;
  const { name, tag } = splitImage(c.image);
  if (name !== img.name) return;
  let t = tag;
  if (img.digest) t = `@${String(img.digest)}`;
  else if (img.newTag !== undefined) t = `:${String(img.newTag)}`;
  c.image = `${img.newName ? String(img.newName) : name}${t}`;
}

/** A patch's target selector (types.Selector): fields match exactly, name and namespace as anchored regexps. */
function matching(rs: Res[], t: Json): Res[] {
  const re = (v: unknown) => new RegExp(`^(?:${String(v)})$`);
  const labelsMatch = (r: Res, sel: unknown) =>
    String(sel ?? '')
      .split(',')
      .filter(Boolean)
      .every((term) => {
        const [key, val] = term.split('=');
        const labels = isMap(meta(r.obj).labels) ? (meta(r.obj).labels as Json) : {};
        return val === undefined ? Object.hasOwn(labels, key) : labels[key] === val;
      });
  return rs.filter((r) => {
    const gv = groupVersion(r.obj);
    if (t.kind && t.kind !== kindOf(r)) return false;
    if (t.group !== undefined && t.group !== gv.group) return false;
    if (t.version && t.version !== gv.version) return false;
    if (t.name && !allNames(r).some((n) => re(t.name).test(n))) return false;
    if (t.namespace && !re(t.namespace).test(nsOf(r))) return false;
    if (t.labelSelector && !labelsMatch(r, t.labelSelector)) return false;
    return true;
  });
}

function applyPatch(rs: Res[], patch: Json, target: Json | undefined): void {
  let targets: Res[];
  if (target) targets = matching(rs, target);
  else {
    const pm = isMap(patch.metadata) ? patch.metadata : {};
    targets = rs.filter((r) => kindOf(r) === patch.kind && allNames(r).includes(String(pm.name)) && (!pm.namespace || pm.namespace === nsOf(r)));
    if (targets.length === 0) {
      const gv = groupVersion(patch);
      throw new KustomizeError(`no resource matches strategic merge patch "${patch.kind}.${gv.version}.${gv.group || '[noGrp]'}/${String(pm.name)}.${String(pm.namespace ?? '[noNs]')}": no matches for Id ${patch.kind}.${gv.version}.${gv.group || '[noGrp]'}/${String(pm.name)}.${String(pm.namespace ?? '[noNs]')}; failed to find unique target for patch ${patch.kind}.${gv.version}.${gv.group || '[noGrp]'}/${String(pm.name)}.${String(pm.namespace ?? '[noNs]')}`);
    }
  }
  for (const r of targets) {
    const p = structuredClone(patch);
    // a targeted patch does not rename what it patches
    if (target && isMap(p.metadata)) {
      delete p.metadata.name;
      delete p.metadata.namespace;
    }
    const before = { name: nameOf(r), ns: nsOf(r) };
    r.obj = strategicMerge(r.obj, p);
    meta(r.obj).name = before.name;
    if (before.ns) meta(r.obj).namespace = before.ns;
  }
}

// ---- name references (nameref.go) and the legacy order ----

function fixReferences(rs: Res[]): void {
  for (const r of rs) {
    const ns = nsOf(r);
    for (const ref of refsOf(r.obj)) {
      const v = String(ref.holder[ref.key]);
      const cands = rs.filter((c) => kindOf(c) === ref.kind && c !== r && allNames(c).includes(v));
      if (cands.length === 0) continue;
      const same = cands.find((c) => nsOf(c) === ns) ?? cands[0];
      ref.holder[ref.key] = nameOf(same);
    }
  }
}

const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding',
  'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment',
  'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** SortOrderTransformer's legacy order: by kind rank, then group_version_kind, then namespace and name. */
function legacySort(rs: Res[]): Res[] {
  const rank = (k: string) => (ORDER_FIRST.includes(k) ? ORDER_FIRST.indexOf(k) - ORDER_FIRST.length : ORDER_LAST.includes(k) ? 1 + ORDER_LAST.indexOf(k) : 0);
  const gvk = (r: Res) => {
    const gv = groupVersion(r.obj);
    return `${gv.group || '~G'}_${gv.version || '~V'}_${kindOf(r) || '~K'}`;
  };
  const id = (r: Res) => `${nsOf(r) || '~X'}|${nameOf(r) || '~N'}`;
  const lt = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rs].sort((a, b) => rank(kindOf(a)) - rank(kindOf(b)) || lt(gvk(a), gvk(b)) || lt(id(a), id(b)));
}
