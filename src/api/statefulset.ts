// apps/v1 StatefulSet and ControllerRevision: SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go,
// StatefulSetAutoDeletePVC on as in 1.32), the claim templates' PersistentVolumeClaim defaults, and
// ValidateStatefulSet / ValidateStatefulSetUpdate / ValidateControllerRevision (pkg/apis/apps/validation).
import { defaultPodTemplateSpec } from './defaults';
import { forbidden, invalid, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { validateLabels, validateObjectMeta, validatePodSpec } from './validation';
import { selectorMatches } from './workloads';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** Equal as JSON values, key order aside. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted at every level (what Go's json.Marshal of a map gives). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Obj;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** SetDefaults_PersistentVolumeClaim(Spec) and the status a claim template is stored with. */
function defaultClaimTemplate(pvc: Obj): void {
  if (!pvc || typeof pvc !== 'object') return;
  pvc.apiVersion ??= 'v1';
  pvc.kind ??= 'PersistentVolumeClaim';
  pvc.metadata = { creationTimestamp: null, ...(pvc.metadata ?? {}) };
  pvc.spec ??= {};
  if (typeof pvc.spec === 'object' && !pvc.spec.volumeMode) pvc.spec.volumeMode = 'Filesystem';
  pvc.status ??= {};
  if (typeof pvc.status === 'object' && !pvc.status.phase) pvc.status.phase = 'Pending';
}

/** SetDefaults_StatefulSet. */
export function defaultStatefulSet(sts: KObject): void {
  const spec: Obj = (sts.spec ??= {});
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = 'RollingUpdate';
    spec.updateStrategy.rollingUpdate ??= {};
  }
  if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate && typeof spec.updateStrategy.rollingUpdate === 'object') {
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  spec.revisionHistoryLimit ??= 10;
  if (spec.template && typeof spec.template === 'object') {
    spec.template.metadata = { creationTimestamp: null, ...(spec.template.metadata ?? {}) };
    if (spec.template.spec && typeof spec.template.spec === 'object') defaultPodTemplateSpec(spec.template.spec);
  }
  if (Array.isArray(spec.volumeClaimTemplates)) for (const t of spec.volumeClaimTemplates) defaultClaimTemplate(t);
}

const nonNegative = (v: unknown, field: string): FieldError[] => (typeof v === 'number' && v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : []);

/** validatePersistentVolumeClaimRetentionPolicy */
function validateRetention(p: Obj | undefined): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  for (const f of ['whenDeleted', 'whenScaled']) {
    const v = p[f];
    if (v !== 'Retain' && v !== 'Delete') errs.push(unsupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v ?? '', ['Retain', 'Delete']));
  }
  return errs;
}

/** ValidateStatefulSetSpec */
function validateSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy ?? '';
  if (pmp === '') errs.push(required('spec.podManagementPolicy', ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us: Obj = spec.updateStrategy ?? {};
  switch (us.type ?? '') {
    case '':
      errs.push(required('spec.updateStrategy', ''));
      break;
    case 'OnDelete':
      if (us.rollingUpdate) errs.push(invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (us.rollingUpdate) errs.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
      break;
    default:
      errs.push(invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  errs.push(...validateRetention(spec.persistentVolumeClaimRetentionPolicy));
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start, 'spec.ordinals.start'));
  const sel = spec.selector;
  if (!sel) errs.push(required('spec.selector', ''));
  else {
    errs.push(...validateLabels(sel.matchLabels ?? {}, 'spec.selector.matchLabels'));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) errs.push(invalid('spec.selector', sel, 'empty selector is invalid for statefulset'));
  }
  // ValidatePodTemplateSpecForStatefulSet
  const tmplLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  const selEmpty = !sel || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
  if (!selEmpty && !selectorMatches(sel, tmplLabels)) errs.push(invalid('spec.template.metadata.labels', tmplLabels, '`selector` does not match template `labels`'));
  errs.push(...validateLabels(tmplLabels, 'spec.template.labels'));
  const podSpec: Obj = spec.template?.spec ?? {};
  // the claim templates are volumes of every pod: mounts may name them
  const claimVolumes = (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).map((t: Obj) => ({ name: t?.metadata?.name, emptyDir: {} }));
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  errs.push(...validatePodSpec(claimVolumes.length ? { ...podSpec, volumes: [...volumes, ...claimVolumes.filter((c: Obj) => !volumes.some((v: Obj) => v?.name === c.name))] } : podSpec, 'spec.template.spec'));
  const rp = podSpec.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(unsupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

/** The spec fields ValidateStatefulSetUpdate lets change. */
const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** ValidateStatefulSet, and on update ValidateStatefulSetUpdate's rule on the other spec fields. */
export function validateStatefulSet(sts: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(sts, true);
  errs.push(...validateSpec(sts.spec ?? {}));
  if (old) {
    const rest = (s: Obj | undefined) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !MUTABLE.includes(k)));
    if (!sameJson(rest(sts.spec), rest(old.spec))) {
      errs.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  return errs;
}

/** ValidateControllerRevision (and ValidateControllerRevisionUpdate's immutable data). */
export function validateControllerRevision(cr: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(cr, true);
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative(cr.revision, 'revision'));
  if (old) {
    if (!sameJson(cr.data, old.data)) errs.push(invalid('data', cr.data, 'field is immutable'));
  }
  return errs;
}
