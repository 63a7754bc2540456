#!/usr/bin/env node
// Generates src/api/explain.json: what `kubectl explain` reads from the apiserver's OpenAPI v3
// document for every kind kubesim serves — each definition reachable from the kinds, with its
// description and its properties (type, description, required, enum values).
//
// The descriptions are the apiserver's: kubernetes-types (node_modules, v1.30) is generated from the
// same OpenAPI document and keeps each description as a JSDoc comment, newlines and all. What it
// lacks is in the checked-in supplement scripts/explain-supplement.json:
//   - `enums`: the enum values of the `+enum` fields and the "Possible enum values:" paragraph that
//     kube-openapi appends to their descriptions (kubernetes-types drops both);
//   - `fields` / `defs`: the fields and definitions added by Kubernetes 1.31 and 1.32 (the ones
//     gen-schemas.mjs finds in kubectl 1.32's Go types and not in kubernetes-types), and `removed`:
//     the fields 1.31 dropped;
//   - `intstr`: IntOrString's description (kubernetes-types inlines it as `number | string`);
//   - `descriptions`: text 1.31/1.32 rewrote in fields 1.30 already had, each checked against the
//     1.32 document as the k8s-openapi crate carries it (src/v1_32/api/*/v1/*.rs).
// No published package carries the 1.32 document itself: `enums`, `fields` and `defs` were taken
// from kubernetes-models 4.5.0, whose declarations keep the 1.33 document's descriptions (enum
// paragraphs included). `fields`, `defs` and `descriptions` were then checked one by one against
// the 1.32 document as the k8s-openapi crate carries it (src/v1_32/api/*/v1/*.rs; Volume.image lost
// 1.33's "before 1.33"; ContainerUser's own description is not there to check). The enum lists are
// 1.33's, unchecked (k8s-openapi drops them). Text that changed between 1.30 and 1.32 in fields that
// nobody checked keeps its 1.30 wording.
// `node scripts/gen-explain.mjs --supplement-from DIR` rebuilds `enums` from an unpacked
// kubernetes-models package (`npm pack kubernetes-models@4.5.0`).
//
//   node scripts/gen-explain.mjs [--check]
//
// --check compares the output with the checked-in file instead of writing it (exit 1 if different).
// Adding a kind is one line in ROOTS.
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDts } from './dts.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'src/api/explain.json');
const SUPPLEMENT = join(ROOT, 'scripts/explain-supplement.json');
const TYPES = join(ROOT, 'node_modules/kubernetes-types');

// The kinds kubesim serves or is about to: group, version, kind, kubernetes-types module.
const ROOTS = [
  ['', 'v1', 'Namespace', 'core/v1'],
  ['', 'v1', 'Node', 'core/v1'],
  ['', 'v1', 'Service', 'core/v1'],
  ['', 'v1', 'Pod', 'core/v1'],
  ['', 'v1', 'Endpoints', 'core/v1'],
  ['', 'v1', 'Event', 'core/v1'],
  ['', 'v1', 'ConfigMap', 'core/v1'],
  ['', 'v1', 'Secret', 'core/v1'],
  ['', 'v1', 'ServiceAccount', 'core/v1'],
  ['', 'v1', 'PersistentVolume', 'core/v1'],
  ['', 'v1', 'PersistentVolumeClaim', 'core/v1'],
  ['', 'v1', 'ResourceQuota', 'core/v1'],
  ['', 'v1', 'LimitRange', 'core/v1'],
  ['discovery.k8s.io', 'v1', 'EndpointSlice', 'discovery/v1'],
  ['apps', 'v1', 'Deployment', 'apps/v1'],
  ['apps', 'v1', 'ReplicaSet', 'apps/v1'],
  ['apps', 'v1', 'DaemonSet', 'apps/v1'],
  ['apps', 'v1', 'StatefulSet', 'apps/v1'],
  ['apps', 'v1', 'ControllerRevision', 'apps/v1'],
  ['coordination.k8s.io', 'v1', 'Lease', 'coordination/v1'],
  ['batch', 'v1', 'Job', 'batch/v1'],
  ['batch', 'v1', 'CronJob', 'batch/v1'],
  ['storage.k8s.io', 'v1', 'StorageClass', 'storage/v1'],
  ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
  ['networking.k8s.io', 'v1', 'Ingress', 'networking/v1'],
  ['networking.k8s.io', 'v1', 'IngressClass', 'networking/v1'],
  ['scheduling.k8s.io', 'v1', 'PriorityClass', 'scheduling/v1'],
  ['policy', 'v1', 'PodDisruptionBudget', 'policy/v1'],
  ['networking.k8s.io', 'v1', 'NetworkPolicy', 'networking/v1'],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'rbac/v1'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'rbac/v1'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rbac/v1'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'rbac/v1'],
];

/** kubernetes-types module → the OpenAPI definition-name prefix of its package. */
function pkgOf(mod) {
  if (mod === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (mod === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (mod === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  return `io.k8s.api.${mod.replace('/', '.')}`;
}
const INTSTR = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

const args = process.argv.slice(2);
const check = args.includes('--check');
const supplement = JSON.parse(readFileSync(SUPPLEMENT, 'utf8'));

const modules = {};
const mod = (m) => (modules[m] ??= parseDts(join(TYPES, `${m}.d.ts`)));

// ---------------------------------------------------------------------------------------------
// --supplement-from DIR: the enum values and paragraphs, from kubernetes-models' declarations.
if (args.includes('--supplement-from')) {
  const dir = args[args.indexOf('--supplement-from') + 1];
  const KM = { 'core/v1': 'v1', 'discovery/v1': 'discovery.k8s.io/v1', 'coordination/v1': 'coordination.k8s.io/v1', 'storage/v1': 'storage.k8s.io/v1', 'networking/v1': 'networking.k8s.io/v1' };
  const enums = {};
  for (const m of new Set(ROOTS.map((r) => r[3]))) {
    const d = join(dir, KM[m] ?? m);
    for (const f of readdirSync(d).filter((f) => f.endsWith('.d.ts') && f !== 'index.d.ts')) {
      for (const [iname, i] of Object.entries(parseDts(join(d, f)).interfaces)) {
        for (const [p, v] of Object.entries(i.props)) {
          const para = /\n\n(Possible enum values:\n(?: - .*(?:\n|$))+)$/.exec(v.desc);
          // only the fields kubernetes-types has: the supplement's new fields carry their own
          if (!para || !/^"/.test(v.ts) || !mod(m).interfaces[iname.slice(1)]?.props[p]) continue;
          const values = v.ts.split(' | ').map((s) => JSON.parse(s));
          enums[`${pkgOf(m)}.${iname.slice(1)}.${p}`] = { values, text: para[1].replace(/\\\*/g, '*') };
        }
      }
    }
  }
  supplement.enums = Object.fromEntries(Object.entries(enums).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(SUPPLEMENT, JSON.stringify(supplement, null, 2) + '\n');
  console.log(`wrote ${Object.keys(enums).length} enum fields to ${SUPPLEMENT}`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// kubernetes-types → definitions.

const defs = {};
const special = {
  // Time / MicroTime: type string (format date-time); Quantity / IntOrString: oneOf, no type
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'string',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'string',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'oneOf',
  [INTSTR]: 'oneOf',
};

/** A TypeScript type (in module m) → the compact type: primitive name, "#def", {a: T} or {m: T}. */
function typeOf(ts, m, where) {
  let x;
  if ((x = /^Array<(.+)>$/.exec(ts))) return { a: typeOf(x[1], m, where) };
  if ((x = /^\{ \[name: string\]: (.+); \}$/.exec(ts))) return { m: typeOf(x[1], m, where) };
  if (ts === 'string' || /^"[^"]*"$/.test(ts)) return 'string';
  if (ts === 'number') return 'integer';
  if (ts === 'boolean') return 'boolean';
  if (ts === 'number | string') return `#${visitIntstr()}`;
  if (/^\w+$/.test(ts)) {
    const own = mod(m);
    if (own.interfaces[ts] || own.aliases[ts]) return `#${visit(m, ts)}`;
    const from = own.imports[ts];
    if (from) return `#${visit(posix.join(posix.dirname(m), from).replace(/^\.\//, ''), ts)}`;
  }
  throw new Error(`${where}: unsupported type ${ts}`);
}

function visitIntstr() {
  defs[INTSTR] ??= { d: supplement.intstr, k: 'oneOf' };
  return INTSTR;
}

function visit(m, name) {
  const id = `${pkgOf(m)}.${name}`;
  if (defs[id]) return id;
  const src = mod(m);
  const alias = src.aliases[name];
  if (alias) {
    defs[id] = { d: alias.desc, k: special[id] ?? (alias.ts === 'string' ? 'string' : 'object') };
    return id;
  }
  const i = src.interfaces[name];
  if (!i) throw new Error(`${m}: no interface ${name}`);
  const def = { d: supplement.descriptions[id] ?? i.desc, p: {} };
  defs[id] = def;
  const props = { ...i.props };
  for (const r of supplement.removed) if (r.startsWith(`${id}.`)) delete props[r.slice(id.length + 1)];
  const required = [];
  for (const [p, v] of Object.entries(props)) {
    const e = supplement.enums[`${id}.${p}`];
    const field = { t: typeOf(v.ts, m, `${id}.${p}`), d: supplement.descriptions[`${id}.${p}`] ?? v.desc };
    if (e) {
      field.d = field.d ? `${field.d}\n\n${e.text}` : e.text;
      field.e = e.values;
    }
    def.p[p] = field;
    if (v.required) required.push(p);
  }
  for (const [p, v] of Object.entries(supplement.fields[id] ?? {})) {
    def.p[p] = { t: resolveSupplementType(v.t, m), d: v.d, ...(v.e ? { e: v.e } : {}) };
    if (v.r) required.push(p);
  }
  if (required.length) def.r = required.sort();
  // an object without properties (FieldsV1, RawExtension) is type "object": explain names it
  if (!Object.keys(def.p).length) {
    delete def.p;
    def.k = 'object';
  }
  return id;
}

/** A supplement field's type: like a compact type, "#Name" naming a kubernetes-types or supplement definition. */
function resolveSupplementType(t, m) {
  if (typeof t === 'object') return t.a !== undefined ? { a: resolveSupplementType(t.a, m) } : { m: resolveSupplementType(t.m, m) };
  if (!t.startsWith('#')) return t;
  const name = t.slice(1);
  if (name.includes('.')) {
    // a definition new in 1.31/1.32, from the supplement
    if (!defs[name]) {
      const sd = supplement.defs[name];
      if (!sd) throw new Error(`supplement: no definition ${name}`);
      const def = { d: sd.d, p: {} };
      defs[name] = def;
      for (const [p, v] of Object.entries(sd.p)) def.p[p] = { t: resolveSupplementType(v.t, m), d: v.d, ...(v.e ? { e: v.e } : {}) };
      const r = Object.entries(sd.p).filter(([, v]) => v.r).map(([p]) => p).sort();
      if (r.length) def.r = r;
    }
    return t;
  }
  return typeOf(name, m, `supplement ${name}`);
}

const kinds = {};
for (const [group, version, kind, m] of ROOTS) kinds[kind] = { group, version, def: visit(m, kind) };

// every enum, new field and removal of the supplement must have been used
const used = (id, p) => defs[id]?.p?.[p];
const unused = [
  ...Object.keys(supplement.enums).filter((k) => {
    const i = k.lastIndexOf('.');
    return defs[k.slice(0, i)] && !used(k.slice(0, i), k.slice(i + 1));
  }),
  ...Object.entries(supplement.fields).flatMap(([id, fs]) => Object.keys(fs).filter((p) => !used(id, p)).map((p) => `${id}.${p}`)),
  ...Object.keys(supplement.descriptions).filter((k) => !defs[k] && !used(k.slice(0, k.lastIndexOf('.')), k.slice(k.lastIndexOf('.') + 1))),
];
if (unused.length) {
  console.error(`supplement entries that match nothing: ${unused.join(', ')}`);
  process.exit(1);
}

const sorted = Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]]));
const out = JSON.stringify({ kinds, defs: sorted }) + '\n';
let fieldCount = 0;
for (const d of Object.values(defs)) fieldCount += Object.keys(d.p ?? {}).length;
console.log(`${Object.keys(kinds).length} kinds, ${Object.keys(defs).length} definitions, ${fieldCount} fields`);
if (check) {
  const cur = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (cur !== out) {
    console.error(`${OUT} is not what the generator makes: run node scripts/gen-explain.mjs`);
    process.exit(1);
  }
  console.log(`${OUT} is up to date`);
} else {
  writeFileSync(OUT, out);
  console.log(`wrote ${OUT} (${out.length} bytes)`);
}
