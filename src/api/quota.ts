// core/v1 ResourceQuota and LimitRange: SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go),
// ValidateResourceQuota and ValidateLimitRange (pkg/apis/core/validation/validation.go), and the
// resource-name sets of pkg/apis/core/helper/helpers.go they use.
import { duplicate, forbidden, GoSyntax, invalid, required, type FieldError } from './errors';
import { cmpQuantity, formatQuantity, parseQuantity, quantityMilliValue, quantityValue, type Quantity } from './quantity';
import type { KObject } from './types';
import { isQualifiedName, nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const keysOf = (m: unknown): string[] => (m && typeof m === 'object' && !Array.isArray(m) ? Object.keys(m).sort() : []);

/** A quantity field's value (zero when it does not parse, which decoding already refused). */
export const q = (v: unknown): Quantity => parseQuantity(v) ?? { nanos: 0n, format: 'DecimalSI' };

// ---- Quantity as Go keeps it ----

interface GoParsed {
  /** the int64Amount of the fast path (undefined: the inf.Dec path) */
  value?: bigint;
  scale?: number;
  /** the text ParseQuantity caches when it is already canonical (Quantity.String returns it) */
  cached?: string;
}

/**
 * resource.ParseQuantity's fast path (quantity.go): the int64Amount it builds and whether it keeps
 * the original text, which String() and MarshalJSON then return as it was ("+2k", "10e3", "1.500").
 */
function goParse(text: string): GoParsed {
  const m = /^([+-]?)0*(\d*)(?:\.(\d*))?(.*)$/.exec(text);
  if (!m) return {};
  const num = m[2] || '0';
  const denom = m[3] ?? '';
  const suffix = m[4];
  const bin: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  const dec: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  let exponent: number;
  let binary = false;
  if (suffix in bin) {
    exponent = bin[suffix];
    binary = true;
  } else if (suffix in dec) exponent = dec[suffix];
  else if (/^[eE][-+]?\d+$/.test(suffix)) exponent = Number(suffix.slice(1));
  else return {};
  const negative = m[1] === '-';
  let precision: number;
  let mantissa = 1n;
  let scale = 0;
  if (!binary) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else precision = -1;
  if (precision < 0) return {};
  scale -= denom.length;
  if (scale < -9) return {};
  const shifted = num + denom;
  const value = BigInt(shifted);
  const result = (negative ? -1n : 1n) * value * mantissa;
  if (result > 9223372036854775807n || result < -9223372036854775808n) return {};
  let cached: string | undefined;
  if (binary) {
    if (exponent % 10 === 0 && (value & 7n) !== 0n) cached = text;
  } else if (scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0') cached = text;
  return { value: result, scale, cached };
}

/** Quantity.String() of a quantity as the apiserver decoded it from this text. */
export function goQuantityString(text: unknown): string {
  const s = typeof text === 'number' ? String(text) : String(text ?? '');
  return goParse(s.trim()).cached ?? formatQuantity(q(s));
}

/** A resource.Quantity value in a field error: Go prints the struct with %#v. */
export function goQuantitySyntax(text: unknown): GoSyntax {
  const s = (typeof text === 'number' ? String(text) : String(text ?? '')).trim();
  const p = goParse(s);
  const format = q(s).format;
  const fmt = format === 'BinarySI' && !/(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(s) ? 'DecimalSI' : format;
  // past int64's fast path Go keeps an inf.Dec, printed as its (unknowable) address
  if (p.value === undefined) return new GoSyntax(`resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(0xc000000000)}, s:"", Format:"${fmt}"}`);
  return new GoSyntax(`resource.Quantity{i:resource.int64Amount{value:${p.value}, scale:${p.scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(p.cached ?? '')}, Format:"${fmt}"}`);
}

// ---- resource names (pkg/apis/core/helper) ----

const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers']);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (n: string) => n.startsWith('hugepages-');
const isNative = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');
/** IsExtendedResourceName: fully qualified, outside kubernetes.io, not "requests." prefixed */
const isExtended = (n: string) => !isNative(n) && !n.startsWith('requests.') && isQualifiedName(`requests.${n}`).length === 0;

export const isStandardQuotaResourceName = (n: string) => STANDARD_QUOTA_RESOURCES.has(n) || isHugePages(n) || n.startsWith('requests.hugepages-');

export const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

/** IsResourceQuotaScopeValidForResource */
function scopeValidFor(scope: string, res: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return res === 'pods' || POD_COMPUTE.has(res);
    case 'BestEffort':
      return res === 'pods';
    default:
      return true;
  }
}

/** validateResourceName */
function validateResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

/** validateContainerResourceName */
function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = validateResourceName(name, field);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  return errs;
}

/** ValidateResourceQuantityValue */
function validateQuantityValue(name: string, text: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const v = q(text);
  if (v.nanos < 0n) errs.push(invalid(field, goQuantityString(text), 'must be greater than or equal to 0'));
  if ((INTEGER_RESOURCES.has(name) || isExtended(name)) && quantityMilliValue(v) % 1000n !== 0n) errs.push(invalid(field, goQuantitySyntax(text), 'must be an integer'));
  return errs;
}

// ---- ResourceQuota ----

const scopesSyntax = (scopes: string[]) => new GoSyntax(`[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(s)).join(', ')}}`);

function conflicting(set: Set<string>): boolean {
  return (set.has('BestEffort') && set.has('NotBestEffort')) || (set.has('Terminating') && set.has('NotTerminating'));
}

function validateQuotaScopes(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const scopes: string[] = Array.isArray(spec.scopes) ? spec.scopes : [];
  if (!scopes.length) return errs;
  const hard = keysOf(spec.hard);
  const seen = new Set<string>();
  for (const s of scopes) {
    if (!QUOTA_SCOPES.includes(s)) errs.push(invalid('spec.scopes', scopesSyntax(scopes), 'unsupported scope'));
    for (const k of hard) if (isStandardQuotaResourceName(k) && !scopeValidFor(s, k)) errs.push(invalid('spec.scopes', scopesSyntax(scopes), 'unsupported scope applied to resource'));
    seen.add(s);
  }
  if (conflicting(seen)) errs.push(invalid('spec.scopes', scopesSyntax(scopes), 'conflicting scopes'));
  return errs;
}

function validateScopeSelector(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const exprs: Obj[] = spec.scopeSelector?.matchExpressions ?? [];
  if (!spec.scopeSelector) return errs;
  const path = 'spec.scopeSelector.matchExpressions';
  const hard = keysOf(spec.hard);
  const seen = new Set<string>();
  for (const req of exprs) {
    const scope = String(req.scopeName ?? '');
    if (!QUOTA_SCOPES.includes(scope)) errs.push(invalid(`${path}.scopeName`, scope, 'unsupported scope'));
    for (const k of hard) if (isStandardQuotaResourceName(k) && !scopeValidFor(scope, k)) errs.push(invalid(path, new GoSyntax('&core.ScopeSelector{…}'), 'unsupported scope applied to resource'));
    if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) && req.operator !== 'Exists') {
      errs.push(invalid(`${path}.operator`, String(req.operator ?? ''), 'must be \'Exist\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity'));
    }
    const values: string[] = Array.isArray(req.values) ? req.values : [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) errs.push(required(`${path}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) errs.push(invalid(`${path}.values`, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        break;
      default:
        errs.push(invalid(`${path}.operator`, String(req.operator ?? ''), 'not a valid selector operator'));
    }
    seen.add(scope);
  }
  if (conflicting(seen)) errs.push(invalid(path, new GoSyntax('&core.ScopeSelector{…}'), 'conflicting scopes'));
  return errs;
}

/** ValidateResourceQuotaSpec */
function validateResourceQuotaSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of keysOf(spec.hard)) {
    const path = `spec.hard[${k}]`;
    const nameErrs = validateResourceName(k, path);
    if (!k.includes('/') && !isStandardQuotaResourceName(k)) nameErrs.push(invalid(path, k, 'must be a standard resource for quota'));
    errs.push(...nameErrs, ...validateQuantityValue(k, spec.hard[k], path));
  }
  errs.push(...validateQuotaScopes(spec), ...validateScopeSelector(spec));
  return errs;
}

/**
 * ValidateResourceQuota (the status is the system's: dropped on create, kept on update), and
 * ValidateResourceQuotaUpdate: the metadata's update rules, the spec, and scopes that may not change.
 */
export function validateResourceQuota(rq: KObject, old?: KObject): FieldError[] {
  const spec: Obj = rq.spec ?? {};
  if (!old) return [...validateObjectMeta(rq, true, nameIsDNSSubdomain), ...validateResourceQuotaSpec(spec)];
  const errs = [...validateObjectMetaUpdate(rq, old), ...validateResourceQuotaSpec(spec)];
  const scopes: string[] = Array.isArray(spec.scopes) ? spec.scopes : [];
  const oldScopes = new Set<string>(Array.isArray(old.spec?.scopes) ? old.spec.scopes : []);
  if (new Set(scopes).size !== oldScopes.size || scopes.some((s) => !oldScopes.has(s))) errs.push(invalid('spec.scopes', scopesSyntax(scopes), 'field is immutable'));
  return errs;
}

// ---- LimitRange ----

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

/** SetDefaults_LimitRangeItem: a Container item's default limit from max, default request from the default limit, then from min. */
export function defaultLimitRange(lr: KObject): void {
  for (const item of (lr.spec?.limits ?? []) as Obj[]) {
    if (!item || item.type !== 'Container') continue;
    const def: Obj = { ...(item.default ?? {}) };
    const defReq: Obj = { ...(item.defaultRequest ?? {}) };
    for (const k of Object.keys(item.max ?? {})) if (!(k in def)) def[k] = item.max[k];
    for (const k of Object.keys(def)) if (!(k in defReq)) defReq[k] = def[k];
    for (const k of Object.keys(item.min ?? {})) if (!(k in defReq)) defReq[k] = item.min[k];
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(defReq).length) item.defaultRequest = defReq;
  }
}

/** ValidateLimitRange; on update the metadata's update rules first (rest.BeforeUpdate) */
export function validateLimitRange(lr: KObject, old?: KObject): FieldError[] {
  const errs = old ? [...validateObjectMetaUpdate(lr, old), ...validateObjectMeta(lr, true, nameIsDNSSubdomain)] : validateObjectMeta(lr, true, nameIsDNSSubdomain);
  const seen = new Set<string>();
  ((lr.spec?.limits ?? []) as Obj[]).forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    const type = String(item?.type ?? '');
    const typeErrs = isQualifiedName(type).map((m) => invalid(`${p}.type`, type, m));
    if (!typeErrs.length && !type.includes('/') && !LIMIT_TYPES.includes(type)) typeErrs.push(invalid(`${p}.type`, type, 'must be a standard limit type or fully qualified'));
    errs.push(...typeErrs);
    if (seen.has(type)) errs.push(duplicate(`${p}.type`, type));
    seen.add(type);
    const nameCheck = (k: string, field: string) => (type === 'Pod' || type === 'Container' ? validateContainerResourceName(k, field) : validateResourceName(k, field));
    const keys = new Set<string>();
    const take = (f: string): Obj => {
      const m: Obj = item?.[f] ?? {};
      for (const k of keysOf(m)) {
        errs.push(...nameCheck(k, `${p}.${f}[${k}]`));
        keys.add(k);
      }
      return m;
    };
    const max = take('max');
    const min = take('min');
    let def: Obj = {};
    let defReq: Obj = {};
    if (type === 'Pod') {
      if (keysOf(item.default).length) errs.push(forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (keysOf(item.defaultRequest).length) errs.push(forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    } else {
      def = take('default');
      defReq = take('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !('storage' in min) && !('storage' in max)) {
      errs.push(required(`${p}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const ratio = take('maxLimitRequestRatio');
    for (const k of [...keys].sort()) {
      const s = (m: Obj) => goQuantityString(m[k]);
      const has = (m: Obj) => k in m;
      const c = (a: Obj, b: Obj) => cmpQuantity(q(a[k]), q(b[k]));
      if (has(min) && has(max) && c(min, max) > 0) errs.push(invalid(`${p}.min[${k}]`, goQuantitySyntax(min[k]), `min value ${s(min)} is greater than max value ${s(max)}`));
      if (has(defReq) && has(min) && c(min, defReq) > 0) errs.push(invalid(`${p}.defaultRequest[${k}]`, goQuantitySyntax(defReq[k]), `min value ${s(min)} is greater than default request value ${s(defReq)}`));
      if (has(defReq) && has(max) && c(defReq, max) > 0) errs.push(invalid(`${p}.defaultRequest[${k}]`, goQuantitySyntax(defReq[k]), `default request value ${s(defReq)} is greater than max value ${s(max)}`));
      if (has(defReq) && has(def) && c(defReq, def) > 0) errs.push(invalid(`${p}.defaultRequest[${k}]`, goQuantitySyntax(defReq[k]), `default request value ${s(defReq)} is greater than default limit value ${s(def)}`));
      if (has(def) && has(min) && c(min, def) > 0) errs.push(invalid(`${p}.default[${k}]`, goQuantitySyntax(min[k]), `min value ${s(min)} is greater than default value ${s(def)}`));
      if (has(def) && has(max) && c(def, max) > 0) errs.push(invalid(`${p}.default[${k}]`, goQuantitySyntax(max[k]), `default value ${s(def)} is greater than max value ${s(max)}`));
      if (has(ratio) && cmpQuantity(q(ratio[k]), q('1')) < 0) errs.push(invalid(`${p}.maxLimitRequestRatio[${k}]`, goQuantitySyntax(ratio[k]), `ratio ${s(ratio)} is less than 1`));
      if (has(ratio) && has(min) && has(max)) {
        const milli = quantityValue(q(ratio[k])) < MAX_MILLI && quantityValue(q(min[k])) < MAX_MILLI && quantityValue(q(max[k])) < MAX_MILLI;
        const r = milli ? Number(quantityMilliValue(q(ratio[k]))) / 1000 : Number(quantityValue(q(ratio[k])));
        const lo = milli ? quantityMilliValue(q(min[k])) : quantityValue(q(min[k]));
        const hi = milli ? quantityMilliValue(q(max[k])) : quantityValue(q(max[k]));
        const limit = Number(hi) / Number(lo);
        if (r > limit) errs.push(invalid(`${p}.maxLimitRequestRatio[${k}]`, goQuantitySyntax(ratio[k]), `ratio ${s(ratio)} is greater than max/min = ${limit.toFixed(6)}`));
      }
      // IsOvercommitAllowed: hugepages and extended resources may not overcommit
      if ((isHugePages(k) || isExtended(k)) && has(def) && has(defReq) && c(def, defReq) !== 0) {
        errs.push(invalid(`${p}.defaultRequest[${k}]`, goQuantitySyntax(defReq[k]), `default value ${s(def)} must equal to defaultRequest value ${s(defReq)} in ${k}`));
      }
    }
  });
  return errs;
}

/** resource.MaxMilliValue */
export const MAX_MILLI = 9223372036854775n;
