// apps/v1 DaemonSet: SetDefaults_DaemonSet, the registry strategy's template generation
// (pkg/registry/apps/daemonset/strategy.go) and ValidateDaemonSet (pkg/apis/apps/validation).
import { defaultPodTemplateSpec } from './defaults';
import { forbidden, invalid, required, type FieldError } from './errors';
import type { KObject } from './types';
import { isDNS1123Subdomain, validateLabels, validateObjectMeta, validatePodSpec } from './validation';
import { selectorMatches } from './workloads';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** Equal as JSON values, key order aside. */
function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(canon).join(',')}]` : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Obj)[k])}`).join(',')}}` : JSON.stringify(v ?? null);
  return canon(a) === canon(b);
}

/** The annotation apps/v1 carries the internal spec.templateGeneration in. */
export const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

export function templateGeneration(ds: KObject): number {
  return Number(ds.metadata.annotations?.[TEMPLATE_GENERATION] ?? 1) || 1;
}

/** SetDefaults_DaemonSet, and PrepareForCreate / PrepareForUpdate's templateGeneration. */
export function defaultDaemonSet(ds: KObject, old?: KObject): void {
  const spec: Obj = (ds.spec ??= {});
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) spec.updateStrategy.type = 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  if (spec.template && typeof spec.template === 'object') {
    spec.template.metadata = { creationTimestamp: null, ...(spec.template.metadata ?? {}) };
    if (spec.template.spec && typeof spec.template.spec === 'object') defaultPodTemplateSpec(spec.template.spec);
  }
  // the template's generation: 1 on create, one more for each update that changes the template
  let gen = 1;
  if (old) gen = templateGeneration(old) + (sameJson(old.spec?.template, spec.template) ? 0 : 1);
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(gen) };
}

function intOrPercent(v: unknown): number {
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Number(v.slice(0, -1));
  return typeof v === 'number' ? v : 0;
}

/** ValidateDaemonSetUpdateStrategy and ValidateRollingUpdateDaemonSet. */
function validateStrategy(s: Obj | undefined): FieldError[] {
  const path = 'spec.updateStrategy';
  const type = s?.type;
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') return [{ type: 'Unsupported value', field: path, value: s ?? {}, detail: 'supported values: "RollingUpdate", "OnDelete"' }];
  const ru = s?.rollingUpdate;
  if (!ru) return [required(`${path}.rollingUpdate`)];
  const errs: FieldError[] = [];
  for (const f of ['maxUnavailable', 'maxSurge']) {
    const v = ru[f];
    if (typeof v === 'number' && v < 0) errs.push(invalid(`${path}.rollingUpdate.${f}`, v, 'must be greater than or equal to 0'));
    if (typeof v === 'string' && !/^\d+%$/.test(v)) errs.push(invalid(`${path}.rollingUpdate.${f}`, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
  }
  for (const f of ['maxUnavailable', 'maxSurge']) {
    if (typeof ru[f] === 'string' && intOrPercent(ru[f]) > 100) errs.push(invalid(`${path}.rollingUpdate.${f}`, ru[f], 'must not be greater than 100%'));
  }
  const hasUnavailable = intOrPercent(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercent(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(`${path}.rollingUpdate.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(required(`${path}.rollingUpdate.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSet (and ValidateDaemonSetUpdate's immutable selector). */
export function validateDaemonSet(ds: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(ds, true, isDNS1123Subdomain);
  const spec: Obj = ds.spec ?? {};
  const sel = spec.selector;
  const tmplLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (sel) errs.push(...validateLabels(sel.matchLabels ?? {}, 'spec.selector.matchLabels'));
  // LabelSelectorAsSelector(nil) is labels.Nothing(): no selector matches no template
  if (!selectorMatches(sel, tmplLabels) || !sel) errs.push(invalid('spec.template.metadata.labels', tmplLabels, '`selector` does not match template `labels`'));
  if (sel && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) errs.push(invalid('spec.selector', sel, 'empty selector is invalid for daemonset'));
  errs.push(...validateLabels(tmplLabels, 'spec.template.metadata.labels'));
  const podSpec: Obj = spec.template?.spec ?? {};
  errs.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  const rp = podSpec.restartPolicy ?? '';
  if (rp !== 'Always') errs.push({ type: 'Unsupported value', field: 'spec.template.spec.restartPolicy', value: rp, detail: 'supported values: "Always"' });
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  if (typeof spec.minReadySeconds === 'number' && spec.minReadySeconds < 0) errs.push(invalid('spec.minReadySeconds', spec.minReadySeconds, 'must be greater than or equal to 0'));
  errs.push(...validateStrategy(spec.updateStrategy));
  if (typeof spec.revisionHistoryLimit === 'number' && spec.revisionHistoryLimit < 0) errs.push(invalid('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 'must be greater than or equal to 0'));
  if (old && !sameJson(old.spec?.selector ?? null, sel ?? null)) errs.push(invalid('spec.selector', sel, 'field is immutable'));
  return errs;
}
