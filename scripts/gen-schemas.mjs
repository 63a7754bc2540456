#!/usr/bin/env node
// Generates src/api/goschemas.ts: the Go types the apiserver decodes each kind kubesim serves into,
// every struct reachable from them with every field, as Go's reflection sees them (reflect.Type
// String() for the error messages, the json names, int32 / int64, named string types such as
// v1.Protocol, custom unmarshalers, the patchStrategy / patchMergeKey tags).
//
// The source of truth is the reflection data of a kubectl 1.32 binary: kubectl links k8s.io/api at
// the apiserver's version and registers every type of these groups with its scheme, so its binary
// carries each struct with its fields and tags. kubernetes-types (v1.30, in node_modules) has no Go
// types (only `number`, `string`), and lacks the fields added in 1.31 and 1.32, so its declarations
// serve as the cross-check: every field they declare must be in the extracted struct of that name.
//
//   node scripts/gen-schemas.mjs [--kubectl /path/to/kubectl-1.32] [--check]
//
// --check compares the output with the checked-in file instead of writing it (exit 1 if different).
import { readFileSync, writeFileSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'src/api/goschemas.ts');

// The kinds kubesim serves or is about to: Go package path and type name.
const CORE = 'k8s.io/api/core/v1';
const ROOTS = [
  [CORE, 'Namespace'],
  [CORE, 'Node'],
  [CORE, 'Service'],
  [CORE, 'Pod'],
  [CORE, 'Endpoints'],
  [CORE, 'Event'],
  [CORE, 'ConfigMap'],
  [CORE, 'Secret'],
  [CORE, 'ServiceAccount'],
  [CORE, 'ResourceQuota'],
  [CORE, 'LimitRange'],
  [CORE, 'PersistentVolume'],
  [CORE, 'PersistentVolumeClaim'],
  ['k8s.io/api/discovery/v1', 'EndpointSlice'],
  ['k8s.io/api/apps/v1', 'Deployment'],
  ['k8s.io/api/apps/v1', 'ReplicaSet'],
  ['k8s.io/api/apps/v1', 'DaemonSet'],
  ['k8s.io/api/apps/v1', 'StatefulSet'],
  ['k8s.io/api/apps/v1', 'ControllerRevision'],
  ['k8s.io/api/coordination/v1', 'Lease'],
  ['k8s.io/api/batch/v1', 'Job'],
  ['k8s.io/api/batch/v1', 'CronJob'],
  ['k8s.io/api/policy/v1', 'PodDisruptionBudget'],
  ['k8s.io/api/storage/v1', 'StorageClass'],
  ['k8s.io/api/autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['k8s.io/api/networking/v1', 'NetworkPolicy'],
  ['k8s.io/api/rbac/v1', 'Role'],
  ['k8s.io/api/rbac/v1', 'ClusterRole'],
  ['k8s.io/api/rbac/v1', 'RoleBinding'],
  ['k8s.io/api/rbac/v1', 'ClusterRoleBinding'],
  ['k8s.io/api/networking/v1', 'Ingress'],
  ['k8s.io/api/networking/v1', 'IngressClass'],
  ['k8s.io/api/scheduling/v1', 'PriorityClass'],
  // a kind also served at another version: keyed "<apiVersion>/<Kind>" (decode.ts schemaOf)
  ['k8s.io/api/autoscaling/v1', 'HorizontalPodAutoscaler', 'autoscaling/v1/HorizontalPodAutoscaler'],
];

// Decoded from protobuf only (kubectl's typed clients send them: drain's evictions), not from JSON.
const PROTO_ONLY_ROOTS = [
  ['k8s.io/api/policy/v1', 'Eviction'],
  // the review APIs kubectl auth can-i / whoami create (kubesim serve: src/server/reviews.ts)
  ['k8s.io/api/authorization/v1', 'SelfSubjectAccessReview'],
  ['k8s.io/api/authorization/v1', 'SelfSubjectRulesReview'],
  ['k8s.io/api/authorization/v1', 'SubjectAccessReview'],
  ['k8s.io/api/authorization/v1', 'LocalSubjectAccessReview'],
  ['k8s.io/api/authentication/v1', 'SelfSubjectReview'],
  ['k8s.io/api/authentication/v1', 'TokenReview'],
];

// Types whose UnmarshalJSON the decoder has to imitate, by package path and name.
const CUSTOM = {
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'intstr',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'quantity',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': 'time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': 'microtime',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': 'raw',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'raw',
};

const args = process.argv.slice(2);
const check = args.includes('--check');
const kubectlArg = args.includes('--kubectl') ? args[args.indexOf('--kubectl') + 1] : undefined;

function findKubectl() {
  if (kubectlArg) return kubectlArg;
  const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  const real = realpathSync(onPath);
  // gcloud's kubectl is a dispatcher; its versioned siblings are the real binaries
  const sibling = join(dirname(real), 'kubectl.1.32');
  return existsSync(sibling) ? sibling : real;
}

// ---------------------------------------------------------------------------------------------
// Go's runtime type data (internal/abi, Go 1.22/1.23, amd64) in an ELF binary.

const kubectlPath = findKubectl();
{
  // the types are the apiserver's only at the same minor version
  let minor = '?';
  try {
    minor = JSON.parse(execFileSync(kubectlPath, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })).clientVersion.minor;
  } catch {
    /* reported below */
  }
  if (minor !== '32') {
    console.error(`${kubectlPath} is not kubectl 1.32 (minor ${minor}): pass --kubectl PATH`);
    process.exit(2);
  }
}
const bin = readFileSync(kubectlPath);
const u16 = (o) => bin.readUInt16LE(o);
const u32 = (o) => bin.readUInt32LE(o);
const i32 = (o) => bin.readInt32LE(o);
const u64 = (o) => Number(bin.readBigUInt64LE(o));

const sections = {};
{
  const shoff = u64(0x28);
  const shentsize = u16(0x3a);
  const shnum = u16(0x3c);
  const shstrndx = u16(0x3e);
  const hdr = (i) => {
    const o = shoff + i * shentsize;
    return { name: u32(o), addr: u64(o + 16), off: u64(o + 24), size: u64(o + 32) };
  };
  const strtab = hdr(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const h = hdr(i);
    let end = strtab.off + h.name;
    while (bin[end]) end++;
    sections[bin.toString('latin1', strtab.off + h.name, end)] = h;
  }
}
const typelink = sections['.typelink'];
const rodata = sections['.rodata'];
if (!typelink || !rodata) throw new Error('not a Go binary with type links');
const typesBase = rodata.addr; // moduledata.types starts the read-only data
function off(va) {
  for (const [name, s] of Object.entries(sections)) {
    if (name === '.bss' || name === '.noptrbss' || !s.addr) continue;
    if (va >= s.addr && va < s.addr + s.size) return s.off + (va - s.addr);
  }
  throw new Error(`address 0x${va.toString(16)} is in no section`);
}
function varint(o) {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = bin[o++];
    v |= (b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) return [v, o];
  }
}
/** abi.Name: flags byte, varint length, bytes, then (if flagged) the tag the same way. */
function nameAt(o) {
  const flags = bin[o];
  let [len, p] = varint(o + 1);
  const name = bin.toString('utf8', p, p + len);
  p += len;
  let tag = '';
  if (flags & 2) {
    const [tlen, q] = varint(p);
    tag = bin.toString('utf8', q, q + tlen);
  }
  return { name, tag, embedded: !!(flags & 8) };
}
const KINDS = { 1: 'bool', 2: 'int', 3: 'int8', 4: 'int16', 5: 'int32', 6: 'int64', 7: 'uint', 8: 'uint8', 9: 'uint16', 10: 'uint32', 11: 'uint64', 12: 'uintptr', 13: 'float32', 14: 'float64', 17: 'array', 20: 'interface', 21: 'map', 22: 'ptr', 23: 'slice', 24: 'string', 25: 'struct' };
const EXTRA = { struct: 32, ptr: 8, slice: 8, map: 40, array: 24, interface: 32 };
const cache = new Map();
function typeAt(va) {
  if (cache.has(va)) return cache.get(va);
  const o = off(va);
  const tflag = bin[o + 20];
  const kind = KINDS[bin[o + 23] & 0x1f] ?? `kind${bin[o + 23] & 0x1f}`;
  let str = nameAt(off(typesBase + i32(o + 40))).name;
  if (tflag & 2) str = str.slice(1); // tflagExtraStar
  const t = { va, str, kind, pkg: '', methods: [], ptrToThis: i32(o + 44) };
  cache.set(va, t);
  const x = o + 48;
  if (tflag & 1) {
    const u = x + (EXTRA[kind] ?? 0);
    const pkgOff = i32(u);
    if (pkgOff) t.pkg = nameAt(off(typesBase + pkgOff)).name;
    const mcount = u16(u + 4);
    const moff = u32(u + 8);
    for (let i = 0; i < mcount; i++) t.methods.push(nameAt(off(typesBase + i32(u + moff + 16 * i))).name);
  }
  if (kind === 'ptr' || kind === 'slice' || kind === 'array') t.elem = u64(x);
  else if (kind === 'map') {
    t.key = u64(x);
    t.elem = u64(x + 8);
  } else if (kind === 'struct') {
    const fptr = u64(x + 8);
    const flen = u64(x + 16);
    t.fields = [];
    for (let i = 0; i < flen; i++) {
      const fo = off(fptr) + 24 * i;
      const n = nameAt(off(u64(fo)));
      t.fields.push({ name: n.name, tag: n.tag, embedded: n.embedded, type: u64(fo + 8) });
    }
  }
  return t;
}
const ptrTo = (t) => (t.ptrToThis ? typeAt(typesBase + t.ptrToThis) : undefined);
const hasUnmarshalJSON = (t) => t.methods.includes('UnmarshalJSON') || (ptrTo(t)?.methods.includes('UnmarshalJSON') ?? false);

// the named struct types of the roots, found through their pointer types in the type links
const roots = new Map();
for (let i = 0; i < typelink.size / 4; i++) {
  let e;
  try {
    const t = typeAt(typesBase + i32(typelink.off + 4 * i));
    if (t.kind !== 'ptr') continue;
    e = typeAt(t.elem);
  } catch {
    continue; // a few links point at types the linker left out of the file's sections
  }
  for (const [pkg, name] of [...ROOTS, ...PROTO_ONLY_ROOTS]) if (e.pkg === pkg && e.str.endsWith(`.${name}`) && e.str.split('.').pop() === name) roots.set(`${pkg}.${name}`, e);
}
for (const [pkg, name] of [...ROOTS, ...PROTO_ONLY_ROOTS]) if (!roots.has(`${pkg}.${name}`)) throw new Error(`${pkg}.${name} is not in the binary`);

// ---------------------------------------------------------------------------------------------
// Go's view of each type → the generated table.

/** reflect.StructTag.Get */
function tagGet(tag, key) {
  const m = new RegExp(`(?:^|\\s)${key}:"((?:[^"\\\\]|\\\\.)*)"`).exec(tag);
  return m ? m[1] : undefined;
}

const table = []; // descriptors, referenced by index
const ids = new Map(); // va → index
const structOrigin = new Map(); // index → `${pkg}.${Name}` (structs)

/** encoding/json's fields of a struct: tagged names, embedded structs without a name promoted. */
function jsonFields(t) {
  const out = [];
  for (const f of t.fields) {
    const jsonTag = tagGet(f.tag, 'json');
    if (jsonTag === '-') continue;
    const [tagName, ...opts] = (jsonTag ?? '').split(',');
    const exported = /^[A-Z]/.test(f.name);
    let ft = typeAt(f.type);
    if (f.embedded && !tagName) {
      while (ft.kind === 'ptr') ft = typeAt(ft.elem);
      if (ft.kind === 'struct') {
        out.push(...jsonFields(ft));
        continue;
      }
    }
    if (!exported) continue;
    if (opts.includes('string')) throw new Error(`${t.str}.${f.name}: ,string is not supported`);
    out.push({ json: tagName || f.name, type: f.type, patchStrategy: tagGet(f.tag, 'patchStrategy'), mergeKey: tagGet(f.tag, 'patchMergeKey') });
  }
  return out;
}

function ref(va) {
  let t = typeAt(va);
  while (t.kind === 'ptr') t = typeAt(t.elem); // encoding/json allocates and decodes into the element
  if (ids.has(t.va)) return ids.get(t.va);
  const idx = table.length;
  ids.set(t.va, idx);
  const d = { go: t.str };
  table.push(d);
  const custom = CUSTOM[`${t.pkg}.${t.str.split('.').pop()}`];
  if (custom) {
    d.k = custom;
    return idx;
  }
  if (hasUnmarshalJSON(t)) throw new Error(`${t.pkg} ${t.str} has its own UnmarshalJSON: teach the generator and the decoder`);
  switch (t.kind) {
    case 'string':
    case 'bool':
    case 'float32':
    case 'float64':
      d.k = t.kind === 'float32' || t.kind === 'float64' ? 'float' : t.kind;
      if (d.k === 'float') d.bits = t.kind === 'float32' ? 32 : 64;
      break;
    case 'int':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      d.k = 'int';
      d.bits = { int: 64, int8: 8, int16: 16, int32: 32, int64: 64 }[t.kind];
      break;
    case 'uint':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      d.k = 'uint';
      d.bits = { uint: 64, uint8: 8, uint16: 16, uint32: 32, uint64: 64 }[t.kind];
      break;
    case 'slice': {
      const e = typeAt(t.elem);
      if (e.kind === 'uint8') d.k = 'bytes';
      else {
        d.k = 'slice';
        d.e = ref(t.elem);
      }
      break;
    }
    case 'map':
      if (typeAt(t.key).kind !== 'string') throw new Error(`${t.str}: a map whose keys are not strings`);
      d.k = 'map';
      d.e = ref(t.elem);
      break;
    case 'interface':
      d.k = 'any';
      break;
    case 'struct': {
      d.k = 'struct';
      d.n = t.str.split('.').pop();
      structOrigin.set(idx, `${t.pkg}.${d.n}`);
      d.f = {};
      for (const f of jsonFields(t)) {
        const entry = [ref(f.type)];
        if (f.patchStrategy || f.mergeKey) entry.push(f.patchStrategy ?? '', f.mergeKey ?? '');
        d.f[f.json] = entry;
      }
      break;
    }
    default:
      throw new Error(`${t.str}: unsupported kind ${t.kind}`);
  }
  return idx;
}

const kinds = {};
for (const [pkg, name, key] of ROOTS) kinds[key ?? name] = ref(roots.get(`${pkg}.${name}`).va);

// ---------------------------------------------------------------------------------------------
// Cross-check with kubernetes-types: each interface's fields must be in the Go struct of that name.

const DTS = {
  [CORE]: 'core/v1.d.ts',
  'k8s.io/api/apps/v1': 'apps/v1.d.ts',
  'k8s.io/api/discovery/v1': 'discovery/v1.d.ts',
  'k8s.io/api/coordination/v1': 'coordination/v1.d.ts',
  'k8s.io/apimachinery/pkg/apis/meta/v1': 'meta/v1.d.ts',
};
function dtsInterfaces(file) {
  const src = readFileSync(join(ROOT, 'node_modules/kubernetes-types', file), 'utf8');
  const out = new Map();
  let cur;
  let depth = 0;
  for (const line of src.split('\n')) {
    const start = /^export interface (\w+) \{/.exec(line);
    if (start) {
      cur = new Set();
      out.set(start[1], cur);
      depth = 1;
      continue;
    }
    if (!cur) continue;
    if (depth === 1) {
      const field = /^ {4}(?:readonly )?([\w$]+)\??: /.exec(line);
      if (field) cur.add(field[1]);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) cur = undefined;
  }
  return out;
}
// fields 1.30 had that later versions dropped (k8s.io/api 1.31 replaced PodResourceClaim.source
// with resourceClaimName / resourceClaimTemplateName)
const REMOVED = new Set(['PodResourceClaim.source']);
const dtsCache = {};
const added = [];
let missing = 0;
let compared = 0;
for (const [idx, origin] of structOrigin) {
  const pkg = origin.slice(0, origin.lastIndexOf('.'));
  const name = origin.slice(origin.lastIndexOf('.') + 1);
  if (!DTS[pkg]) continue;
  const decl = (dtsCache[pkg] ??= dtsInterfaces(DTS[pkg])).get(name);
  if (!decl) {
    added.push(`${name} (whole struct)`);
    continue;
  }
  compared++;
  const goFields = new Set(Object.keys(table[idx].f));
  for (const f of decl) {
    if (!goFields.has(f) && !REMOVED.has(`${name}.${f}`)) {
      console.error(`kubernetes-types declares ${name}.${f}, the Go struct has no such field`);
      missing++;
    }
  }
  for (const f of goFields) if (!decl.has(f)) added.push(`${name}.${f}`);
}
if (missing) process.exit(1);
console.log(`${table.length} Go types, ${structOrigin.size} structs; ${compared} compared with kubernetes-types 1.30: every declared field is there.`);
console.log(`Newer than kubernetes-types 1.30 (${added.length}): ${added.sort().join(', ')}`);

// ---------------------------------------------------------------------------------------------
// The protobuf view of the same types (go-to-protobuf's `protobuf:"bytes,N,opt,name=x"` tags), for
// the bodies kubectl's typed clients send as application/vnd.kubernetes.protobuf. Unlike JSON, an
// embedded struct with a protobuf tag is a nested message (VolumeSource is field 2 of Volume):
// its json name '' says its fields go inline into the parent's JSON object.

const PROTO_CUSTOM = {
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'intstr',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'quantity',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': 'time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': 'microtime',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': 'duration',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': 'raw',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'raw',
};
const ptable = [];
const pids = new Map();
function pref(va) {
  let t = typeAt(va);
  while (t.kind === 'ptr') t = typeAt(t.elem);
  if (pids.has(t.va)) return pids.get(t.va);
  const idx = ptable.length;
  pids.set(t.va, idx);
  const d = {};
  ptable.push(d);
  const custom = PROTO_CUSTOM[`${t.pkg}.${t.str.split('.').pop()}`];
  if (custom) {
    d.k = custom;
    return idx;
  }
  switch (t.kind) {
    case 'string':
    case 'bool':
      d.k = t.kind;
      break;
    case 'float32':
    case 'float64':
      d.k = 'float';
      d.bits = t.kind === 'float32' ? 32 : 64;
      break;
    case 'int':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      d.k = 'int';
      d.bits = /32|16|8/.test(t.kind) ? 32 : 64;
      break;
    case 'slice': {
      const e = typeAt(t.elem);
      if (e.kind === 'uint8') d.k = 'bytes';
      else {
        d.k = 'slice';
        d.e = pref(t.elem);
      }
      break;
    }
    case 'map':
      d.k = 'map';
      d.e = pref(t.elem);
      break;
    case 'interface':
      d.k = 'raw';
      break;
    case 'struct': {
      d.k = 'struct';
      d.f = [];
      for (const f of t.fields) {
        const pb = tagGet(f.tag, 'protobuf');
        if (!pb) continue;
        const num = Number(pb.split(',')[1]);
        const [jsonName, ...opts] = (tagGet(f.tag, 'json') ?? '').split(',');
        // proto2 writes a non-pointer scalar even when zero; encoding/json's omitempty drops it
        const dropZero = opts.includes('omitempty') && typeAt(f.type).kind !== 'ptr' ? 1 : 0;
        d.f.push([num, f.embedded && !jsonName ? '' : jsonName || f.name, pref(f.type), dropZero]);
      }
      break;
    }
    default:
      throw new Error(`${t.str}: unsupported kind ${t.kind} in protobuf`);
  }
  return idx;
}
const pkinds = {};
for (const [pkg, name, key] of [...ROOTS, ...PROTO_ONLY_ROOTS]) pkinds[key ?? name] = pref(roots.get(`${pkg}.${name}`).va);
const PROTO_OUT = join(ROOT, 'src/api/protoschemas.ts');
const protoOut =
  `// GENERATED by scripts/gen-schemas.mjs from the Go reflection data of kubectl 1.32: the protobuf\n` +
  `// field numbers of the kinds' Go types (their \`protobuf:"…"\` tags). Do not edit: run the script.\n` +
  `//\n` +
  `// kinds: kind → type index. types[i]: { k: kind, bits?, e?: element type, f?: [[field number,\n` +
  `// json name ('' for an embedded struct whose fields JSON inlines), type, 1 if omitempty drops its zero]] }.\n` +
  `export const PROTO_SCHEMAS_JSON = ${JSON.stringify(JSON.stringify({ kinds: pkinds, types: ptable }))};\n`;

// ---------------------------------------------------------------------------------------------

const body = JSON.stringify({ kinds, types: table });
const out =
  `// GENERATED by scripts/gen-schemas.mjs from the Go reflection data of kubectl 1.32 (k8s.io/api at\n` +
  `// the apiserver's version), cross-checked with kubernetes-types. Do not edit: run the script.\n` +
  `//\n` +
  `// kinds: kind → type index. types[i]: { go: reflect.Type.String(), k: kind, bits?, e?: element\n` +
  `// type, n?: struct name, f?: { jsonName: [type, patchStrategy?, patchMergeKey?] } }.\n` +
  `export const GO_SCHEMAS_JSON = ${JSON.stringify(body)};\n`;
if (check) {
  const cur = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (cur !== out) {
    console.error(`${OUT} is not what the generator makes: run node scripts/gen-schemas.mjs`);
    process.exit(1);
  }
  console.log(`${OUT} is up to date`);
  if ((existsSync(PROTO_OUT) ? readFileSync(PROTO_OUT, 'utf8') : '') !== protoOut) {
    console.error(`${PROTO_OUT} is not what the generator makes: run node scripts/gen-schemas.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, out);
  writeFileSync(PROTO_OUT, protoOut);
  console.log(`wrote ${OUT} (${out.length} bytes) and ${PROTO_OUT} (${protoOut.length} bytes)`);
}
