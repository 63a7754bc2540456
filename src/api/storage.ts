// PersistentVolume, PersistentVolumeClaim (core/v1) and StorageClass (storage.k8s.io/v1): their
// defaulting (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume / _PersistentVolumeClaim,
// pkg/apis/storage/v1/defaults.go SetDefaults_StorageClass), the validation of
// pkg/apis/core/validation (ValidatePersistentVolume, ValidatePersistentVolumeClaim and their
// updates) and pkg/apis/storage/validation (ValidateStorageClass), and the helpers the printers and
// the PV controller share (pkg/apis/core/helper, pkg/apis/storage/util).
import { forbidden, invalid, required, unsupported, type FieldError } from './errors';
import { formatQuantity, parseQuantity } from './quantity';
import type { KObject } from './types';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const PV_RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const SC_RECLAIM_POLICIES = ['Delete', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** helper.GetAccessModesAsString: the short forms in a fixed order, comma-separated. */
export function accessModesString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  const out: string[] = [];
  for (const [mode, short] of [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ])
    if (list.includes(mode)) out.push(short);
  return out.join(',');
}

/** helper.GetPersistentVolumeClass: the beta annotation wins over spec.storageClassName. */
export function pvClass(pv: KObject): string {
  const ann = pv.metadata.annotations ?? {};
  if (Object.hasOwn(ann, BETA_STORAGE_CLASS_ANNOTATION)) return ann[BETA_STORAGE_CLASS_ANNOTATION];
  return str(pv.spec?.storageClassName);
}

/** helper.GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName ("" when unset). */
export function pvcClass(pvc: KObject): string {
  const ann = pvc.metadata.annotations ?? {};
  if (Object.hasOwn(ann, BETA_STORAGE_CLASS_ANNOTATION)) return ann[BETA_STORAGE_CLASS_ANNOTATION];
  return str(pvc.spec?.storageClassName);
}

/** storageutil.IsDefaultAnnotation: the GA annotation or the beta one, "true". */
export function isDefaultClass(sc: KObject): boolean {
  const ann = sc.metadata.annotations ?? {};
  return ann[DEFAULT_CLASS_ANNOTATION] === 'true' || ann[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** A quantity as Quantity.String() prints it (the text as given if it does not parse). */
export function quantityString(v: unknown): string {
  const q = parseQuantity(v);
  return q ? formatQuantity(q) : v === undefined || v === null ? '0' : String(v);
}

// ---------------------------------------------------------------------------------------------
// Defaults.

/** SetDefaults_PersistentVolume (phase Pending, reclaim policy Retain, volume mode Filesystem) and the hostPath type. */
export function defaultPersistentVolume(pv: KObject): void {
  const spec: Obj = (pv.spec ??= {});
  if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
  if (!isSet(spec.volumeMode)) spec.volumeMode = 'Filesystem';
  if (isObj(spec.hostPath) && !isSet(spec.hostPath.type)) spec.hostPath.type = '';
}

/** SetDefaults_PersistentVolumeClaimSpec: volume mode Filesystem. */
export function defaultPersistentVolumeClaim(pvc: KObject): void {
  const spec: Obj = (pvc.spec ??= {});
  if (!isSet(spec.volumeMode)) spec.volumeMode = 'Filesystem';
}

/** SetDefaults_StorageClass: reclaim policy Delete, binding mode Immediate. */
export function defaultStorageClass(sc: KObject): void {
  if (!isSet(sc.reclaimPolicy)) sc.reclaimPolicy = 'Delete';
  if (!isSet(sc.volumeBindingMode)) sc.volumeBindingMode = 'Immediate';
}

// ---------------------------------------------------------------------------------------------
// Shared pieces.

/** ValidateClassName: a DNS subdomain. */
const classNameErrors = (name: string, field: string): FieldError[] => isDNS1123Subdomain(name).map((m) => invalid(field, name, m));

function validateAccessModes(modes: unknown, path: string, requiredDetail?: string): FieldError[] {
  const list: unknown[] = Array.isArray(modes) ? modes : [];
  const errs: FieldError[] = [];
  if (list.length === 0) errs.push(required(path, requiredDetail));
  let once = false;
  let other = false;
  for (const m of list) {
    const mode = str(m);
    if (!ACCESS_MODES.includes(mode)) errs.push(unsupported(path, mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') once = true;
    else if (ACCESS_MODES.includes(mode)) other = true;
  }
  if (once && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** apimachinery ValidateLabelSelector: matchLabels, then each requirement's operator and values, its key, its values. */
function validateLabelSelector(sel: Obj, path: string): FieldError[] {
  const errs: FieldError[] = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  const exprs: unknown[] = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  exprs.forEach((e, i) => {
    const r = obj(e);
    const at = `${path}.matchExpressions[${i}]`;
    const op = str(r.operator);
    const n = Array.isArray(r.values) ? r.values.length : 0;
    if (op === 'In' || op === 'NotIn') {
      if (n === 0) errs.push(required(`${at}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (n > 0) errs.push(forbidden(`${at}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else errs.push(invalid(`${at}.operator`, op, 'not a valid selector operator'));
    errs.push(...isQualifiedName(str(r.key)).map((m) => invalid(`${at}.key`, str(r.key), m)));
    (Array.isArray(r.values) ? r.values : []).forEach((v: unknown, j: number) => errs.push(...isValidLabelValue(str(v)).map((m) => invalid(`${at}.values[${j}]`, str(v), m))));
  });
  return errs;
}

/** ValidatePositiveQuantityValue, on a quantity that decoded. */
function positiveQuantity(v: unknown, path: string): FieldError[] {
  const q = parseQuantity(v);
  if (!q) return [];
  return q.nanos <= 0n ? [invalid(path, formatQuantity(q), 'must be greater than zero')] : [];
}

/** validateHostPathVolumeSource: a path without '..' and a known type. */
function validateHostPath(hp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = str(hp.path);
  if (!p) {
    errs.push(required(`${path}.path`));
    return errs;
  }
  if (p.split('/').includes('..')) errs.push(invalid(`${path}.path`, p, "must not contain '..'"));
  if (isSet(hp.type) && !HOST_PATH_TYPES.includes(str(hp.type))) errs.push(unsupported(`${path}.type`, str(hp.type), HOST_PATH_TYPES));
  return errs;
}

/** The volume sources kubesim's PVs model (hostPath, local, nfs, csi); others count as a source. */
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi', 'cinder', 'fc',
  'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO', 'local', 'storageos', 'csi',
];

function validateSource(spec: Obj, path: string, hasNodeAffinity: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const src of PV_SOURCES) {
    if (!isSet(spec[src])) continue;
    if (n > 0 && src !== 'flexVolume') {
      errs.push(forbidden(`${path}.${src}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const s = obj(spec[src]);
    if (src === 'hostPath') errs.push(...validateHostPath(s, `${path}.hostPath`));
    else if (src === 'local') {
      const p = str(s.path);
      if (!p) errs.push(required(`${path}.local.path`));
      else if (p.split('/').includes('..')) errs.push(invalid(`${path}.local.path`, p, "must not contain '..'"));
      if (!hasNodeAffinity) errs.push(required(`${path}.nodeAffinity`, 'Local volume requires node affinity'));
    } else if (src === 'nfs') {
      if (!str(s.server)) errs.push(required(`${path}.nfs.server`));
      const p = str(s.path);
      if (!p) errs.push(required(`${path}.nfs.path`));
      else if (!p.startsWith('/')) errs.push(invalid(`${path}.nfs.path`, p, 'must be an absolute path'));
    } else if (src === 'csi') {
      if (!str(s.driver)) errs.push(required(`${path}.csi.driver`));
      if (!str(s.volumeHandle)) errs.push(required(`${path}.csi.volumeHandle`));
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** validateVolumeNodeAffinity: required node selector terms, each with a requirement. */
function validateNodeAffinity(na: Obj, path: string): { specified: boolean; errs: FieldError[] } {
  const req = na.required;
  if (!isSet(req)) return { specified: true, errs: [required(`${path}.required`, 'must specify required node constraints')] };
  const terms: unknown[] = Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : [];
  const errs: FieldError[] = [];
  if (terms.length === 0) errs.push(required(`${path}.required.nodeSelectorTerms`, 'must have at least one node selector term'));
  terms.forEach((t, i) => {
    const term = obj(t);
    const exprs: unknown[] = Array.isArray(term.matchExpressions) ? term.matchExpressions : [];
    exprs.forEach((e, j) => {
      const ex = obj(e);
      const at = `${path}.required.nodeSelectorTerms[${i}].matchExpressions[${j}]`;
      const op = str(ex.operator);
      const values: unknown[] = Array.isArray(ex.values) ? ex.values : [];
      if (op === 'In' || op === 'NotIn') {
        if (values.length === 0) errs.push(required(`${at}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length > 0) errs.push(forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      } else if (op === 'Gt' || op === 'Lt') {
        if (values.length !== 1) errs.push(required(`${at}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      } else errs.push(invalid(`${at}.operator`, op, 'not a valid selector operator'));
      errs.push(...isQualifiedName(str(ex.key)).map((m) => invalid(`${at}.key`, str(ex.key), m)));
    });
  });
  return { specified: true, errs };
}

// ---------------------------------------------------------------------------------------------
// PersistentVolume.

function validatePersistentVolumeSpec(spec: Obj): FieldError[] {
  const path = 'spec';
  const errs: FieldError[] = [];
  errs.push(...validateAccessModes(spec.accessModes, `${path}.accessModes`));
  const cap = obj(spec.capacity);
  const keys = Object.keys(cap);
  if (keys.length === 0) errs.push(required(`${path}.capacity`));
  // the value is the ResourceList as JSON: keys sorted, quantities canonical (nil: null)
  const capValue = isObj(spec.capacity) ? Object.fromEntries(keys.sort().map((k) => [k, quantityString(cap[k])])) : null;
  if (!Object.hasOwn(cap, 'storage') || keys.length > 1) errs.push(unsupported(`${path}.capacity`, capValue, ['storage']));
  for (const k of keys.sort()) errs.push(...positiveQuantity(cap[k], `${path}.capacity[${k}]`));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy && !PV_RECLAIM_POLICIES.includes(policy)) errs.push(unsupported(`${path}.persistentVolumeReclaimPolicy`, policy, PV_RECLAIM_POLICIES));
  let affinity = false;
  if (isSet(spec.nodeAffinity)) {
    const r = validateNodeAffinity(obj(spec.nodeAffinity), `${path}.nodeAffinity`);
    affinity = r.specified;
    errs.push(...r.errs);
  }
  errs.push(...validateSource(spec, path, affinity));
  const hp = obj(spec.hostPath);
  if (isSet(spec.hostPath) && str(hp.path).replace(/\/+$/, '') === '' && str(hp.path) !== '' && policy === 'Recycle')
    errs.push(forbidden(`${path}.persistentVolumeReclaimPolicy`, "may not be 'recycle' for a hostPath mount of '/'"));
  if (str(spec.storageClassName)) errs.push(...classNameErrors(str(spec.storageClassName), `${path}.storageClassName`));
  if (isSet(spec.volumeMode) && !VOLUME_MODES.includes(str(spec.volumeMode))) errs.push(unsupported(`${path}.volumeMode`, str(spec.volumeMode), VOLUME_MODES));
  return errs;
}

/** ValidatePersistentVolume, and ValidatePersistentVolumeUpdate when there is an old one. */
export function validatePersistentVolume(pv: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(pv, false, nameIsDNSSubdomain);
  errs.push(...validatePersistentVolumeSpec(obj(pv.spec)));
  if (!old) return errs;
  // rest.BeforeUpdate: the common metadata rules first, then the strategy's
  const meta = validateObjectMetaUpdate(pv, old);
  const spec = obj(pv.spec);
  const was = obj(old.spec);
  const source = (s: Obj) => JSON.stringify(PV_SOURCES.map((k) => s[k] ?? null));
  if (source(spec) !== source(was)) errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  if (str(spec.volumeMode) !== str(was.volumeMode)) errs.push(invalid('volumeMode', str(spec.volumeMode), 'field is immutable'));
  if (isSet(was.nodeAffinity) && JSON.stringify(spec.nodeAffinity ?? null) !== JSON.stringify(was.nodeAffinity)) errs.push(invalid('nodeAffinity', spec.nodeAffinity ?? null, 'field is immutable'));
  return [...meta, ...errs];
}

// ---------------------------------------------------------------------------------------------
// PersistentVolumeClaim.

function validateClaimSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateAccessModes(spec.accessModes, `${path}.accessModes`, 'at least 1 access mode is required'));
  if (isObj(spec.selector)) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const requests = obj(obj(spec.resources).requests);
  if (!Object.hasOwn(requests, 'storage')) errs.push(required(`${path}.resources[storage]`));
  else errs.push(...positiveQuantity(requests.storage, `${path}.resources[storage]`));
  if (str(spec.storageClassName)) errs.push(...classNameErrors(str(spec.storageClassName), `${path}.storageClassName`));
  if (isSet(spec.volumeMode) && !VOLUME_MODES.includes(str(spec.volumeMode))) errs.push(unsupported(`${path}.volumeMode`, str(spec.volumeMode), VOLUME_MODES));
  for (const key of ['dataSource', 'dataSourceRef']) {
    if (!isObj(spec[key])) continue;
    const ds = spec[key];
    if (!str(ds.name)) errs.push(required(`${path}.${key}.name`));
    if (!str(ds.kind)) errs.push(required(`${path}.${key}.kind`));
    if (!str(ds.apiGroup) && str(ds.kind) !== 'PersistentVolumeClaim') errs.push(invalid(`${path}.${key}`, str(ds.kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  return errs;
}

/** ValidatePersistentVolumeClaimSpec, as a template's spec is checked too (a StatefulSet's volumeClaimTemplates). */
export function validatePersistentVolumeClaimSpec(spec: unknown, path: string): FieldError[] {
  return validateClaimSpec(obj(spec), path);
}

/** The spec fields a bound claim may change: the storage request (bound only) and the attributes class. */
function comparableSpec(pvc: KObject, old: KObject): { now: Obj; was: Obj } {
  const now: Obj = JSON.parse(JSON.stringify(pvc.spec ?? {}));
  const was: Obj = JSON.parse(JSON.stringify(old.spec ?? {}));
  // volumeName may be set once (the PV controller binds)
  if (!str(was.volumeName)) was.volumeName = now.volumeName;
  // a class may be set where there was none (the DefaultStorageClass admission of an older server)
  if (!isSet(was.storageClassName) && isSet(now.storageClassName)) was.storageClassName = now.storageClassName;
  if (pvc.status?.phase === 'Bound' && isObj(now.resources?.requests)) now.resources.requests.storage = was.resources?.requests?.storage;
  now.volumeAttributesClassName = was.volumeAttributesClassName;
  for (const s of [now, was]) for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
  return { now, was };
}

/**
 * ValidatePersistentVolumeClaimUpdate. The server appends a cmp.Diff of the two specs to the
 * immutability message; kubesim prints the changed fields in that diff's shape.
 */
function validateClaimUpdate(pvc: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const { now, was } = comparableSpec(pvc, old);
  if (JSON.stringify(sortKeys(now)) !== JSON.stringify(sortKeys(was))) {
    errs.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(was, now)}`));
  }
  const newSize = parseQuantity(pvc.spec?.resources?.requests?.storage);
  const oldSize = parseQuantity(old.spec?.resources?.requests?.storage);
  const statusSize = parseQuantity(old.status?.capacity?.storage);
  // RecoverVolumeExpansionFailure (beta, on in 1.32): a request may shrink down to above status.capacity
  if (newSize && oldSize && newSize.nanos < oldSize.nanos && (!statusSize || newSize.nanos <= statusSize.nanos))
    errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  if (str(pvc.spec?.volumeMode) !== str(old.spec?.volumeMode)) errs.push(invalid('volumeMode', str(pvc.spec?.volumeMode), 'field is immutable'));
  return errs;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

/** Go field names of core.PersistentVolumeClaimSpec, in declaration order. */
const CLAIM_SPEC_FIELDS: [string, string][] = [
  ['accessModes', 'AccessModes'],
  ['selector', 'Selector'],
  ['resources', 'Resources'],
  ['volumeName', 'VolumeName'],
  ['storageClassName', 'StorageClassName'],
  ['volumeMode', 'VolumeMode'],
  ['dataSource', 'DataSource'],
  ['dataSourceRef', 'DataSourceRef'],
  ['volumeAttributesClassName', 'VolumeAttributesClassName'],
];

const POINTER_FIELDS = new Set(['storageClassName', 'volumeMode', 'volumeAttributesClassName']);

function goValue(key: string, v: unknown): string {
  if (v === undefined || v === null) return key === 'volumeName' ? '""' : 'nil';
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return POINTER_FIELDS.has(key) ? `&${text}` : text;
}

/** cmp.Diff's report of two claim specs: the changed fields, - old and + new, the rest elided. */
function specDiff(was: Obj, now: Obj): string {
  const lines = ['  core.PersistentVolumeClaimSpec{'];
  let elided = false;
  for (const [key, goName] of CLAIM_SPEC_FIELDS) {
    const a = JSON.stringify(sortKeys(was[key] ?? null));
    const b = JSON.stringify(sortKeys(now[key] ?? null));
    if (a === b) {
      if (!elided) lines.push('  \t... // unchanged fields');
      elided = true;
      continue;
    }
    elided = false;
    lines.push(`- \t${goName}: ${goValue(key, was[key])},`, `+ \t${goName}: ${goValue(key, now[key])},`);
  }
  lines.push('  }', '');
  return lines.join('\n');
}

/** ValidatePersistentVolumeClaim, and ValidatePersistentVolumeClaimUpdate when there is an old one. */
export function validatePersistentVolumeClaim(pvc: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old) errs.push(...validateObjectMetaUpdate(pvc, old));
  errs.push(...validateObjectMeta(pvc, true, nameIsDNSSubdomain));
  errs.push(...validateClaimSpec(obj(pvc.spec), 'spec'));
  if (old) errs.push(...validateClaimUpdate(pvc, old));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// StorageClass.

/** ValidateStorageClass, and ValidateStorageClassUpdate when there is an old one. */
export function validateStorageClass(sc: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(sc, false, nameIsDNSSubdomain);
  const prov = str(sc.provisioner);
  if (!prov) errs.push(required('provisioner'));
  else errs.push(...isQualifiedName(prov.toLowerCase()).map((m) => invalid('provisioner', prov, m)));
  const params = obj(sc.parameters);
  const keys = Object.keys(params);
  if (keys.length > 512) errs.push({ type: 'Too long', field: 'parameters', detail: 'must have at most 512 bytes' });
  else {
    let total = 0;
    for (const k of keys) {
      if (k.length < 1) errs.push(invalid('parameters', k, 'field can not be empty.'));
      total += Buffer.byteLength(k) + Buffer.byteLength(str(params[k]));
    }
    if (total > 256 * 1024) errs.push({ type: 'Too long', field: 'parameters', detail: `must have at most ${256 * 1024} bytes` });
  }
  const policy = str(sc.reclaimPolicy);
  if (policy && !SC_RECLAIM_POLICIES.includes(policy)) errs.push(unsupported('reclaimPolicy', policy, SC_RECLAIM_POLICIES));
  if (!isSet(sc.volumeBindingMode)) errs.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(str(sc.volumeBindingMode))) errs.push(unsupported('volumeBindingMode', str(sc.volumeBindingMode), BINDING_MODES));
  if (!old) return errs;
  const upd: FieldError[] = [];
  if (JSON.stringify(sortKeys(sc.parameters ?? null)) !== JSON.stringify(sortKeys(old.parameters ?? null))) upd.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (prov !== str(old.provisioner)) upd.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (str(sc.reclaimPolicy) !== str(old.reclaimPolicy)) upd.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (str(sc.volumeBindingMode) !== str(old.volumeBindingMode)) upd.push(invalid('volumeBindingMode', str(sc.volumeBindingMode), 'field is immutable'));
  // rest.BeforeUpdate: the metadata rules, then ValidateStorageClass, then ValidateStorageClassUpdate
  return [...validateObjectMetaUpdate(sc, old), ...errs, ...upd];
}

// ---------------------------------------------------------------------------------------------
// Warnings (pkg/api/persistentvolume and persistentvolumeclaim util.go GetWarningsFor…).

const DEPRECATED_CLASS_ANNOTATION_MSG = 'deprecated since v1.8; use "storageClassName" attribute instead';

function classAnnotationWarning(o: KObject): string[] {
  return Object.hasOwn(o.metadata.annotations ?? {}, BETA_STORAGE_CLASS_ANNOTATION) ? [`metadata.annotations[${BETA_STORAGE_CLASS_ANNOTATION}]: ${DEPRECATED_CLASS_ANNOTATION_MSG}`] : [];
}

/** GetWarningsForPersistentVolume: the beta class annotation, the Recycle policy. */
export function persistentVolumeWarnings(pv: KObject): string[] {
  const out = classAnnotationWarning(pv);
  if (pv.spec?.persistentVolumeReclaimPolicy === 'Recycle')
    out.push('spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.');
  return out;
}

/** GetWarningsForPersistentVolumeClaim: the beta class annotation, a storage request or limit that is not a whole number of bytes. */
export function persistentVolumeClaimWarnings(pvc: KObject): string[] {
  const out = classAnnotationWarning(pvc);
  for (const key of ['requests', 'limits']) {
    const q = parseQuantity(pvc.spec?.resources?.[key]?.storage);
    if (q && q.nanos % 1_000_000_000n !== 0n) out.push(`spec.resources.${key}[storage]: fractional byte value "${formatQuantity(q)}" is invalid, must be an integer`);
  }
  return out;
}
