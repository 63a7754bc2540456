// The LimitRanger admission plugin (kubernetes plugin/pkg/admission/limitranger/admission.go): on a
// pod's create it fills each container's missing requests and limits from the namespace's
// LimitRanges (Container defaults) and says so in the kubernetes.io/limit-ranger annotation
// (mutation, before validation); then it holds containers, pods and claims to the ranges' min, max
// and maxLimitRequestRatio (validation), refusing with Forbidden.
import { forbiddenError } from '../api/errors';
import { MAX_MILLI, goQuantityString, q } from '../api/quota';
import { podLimits, podRequests } from '../api/resourcehelper';
import { formatQuantity, quantityMilliValue, quantityValue, type ResourceList } from '../api/quantity';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const ANNOTATION = 'kubernetes.io/limit-ranger';

const rangesOf = (state: State, obj: KObject): KObject[] => (obj.metadata.namespace ? state.list('LimitRange', obj.metadata.namespace) : []);

/** defaultContainerResourceRequirements: the Container items' defaultRequest and default. */
function containerDefaults(lr: KObject): { requests: Obj; limits: Obj } {
  const requests: Obj = {};
  const limits: Obj = {};
  for (const item of (lr.spec?.limits ?? []) as Obj[]) {
    if (item?.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** mergeContainerResources: what it set, as the annotation's phrases. */
function mergeContainer(c: Obj, defaults: { requests: Obj; limits: Obj }, prefix: string, notes: string[]): void {
  const res: Obj = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const k of Object.keys(defaults.limits)) {
    if (res.limits && k in res.limits) continue;
    (res.limits ??= {})[k] = defaults.limits[k];
    setLimits.push(k);
  }
  for (const k of Object.keys(defaults.requests)) {
    if (res.requests && k in res.requests) continue;
    (res.requests ??= {})[k] = defaults.requests[k];
    setRequests.push(k);
  }
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
}

/** Admit (PodMutateLimitFunc for each LimitRange): a new pod's defaults. */
export function limitRangerMutate(state: State, obj: KObject): void {
  if (obj.kind !== 'Pod') return;
  for (const lr of rangesOf(state, obj)) {
    const defaults = containerDefaults(lr);
    const notes: string[] = [];
    for (const c of (obj.spec?.containers ?? []) as Obj[]) mergeContainer(c, defaults, 'container', notes);
    for (const c of (obj.spec?.initContainers ?? []) as Obj[]) mergeContainer(c, defaults, 'init container', notes);
    if (notes.length) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
}

/** requestLimitEnforcedValues: milli-values when nothing overflows them, else values. */
function enforcedValues(req: Obj | undefined, lim: Obj | undefined, enforced: unknown): [bigint, bigint, bigint] {
  const r = q(req);
  const l = q(lim);
  const e = q(enforced);
  if (quantityValue(r) <= MAX_MILLI && quantityValue(l) <= MAX_MILLI && quantityValue(e) <= MAX_MILLI) return [quantityMilliValue(r), quantityMilliValue(l), quantityMilliValue(e)];
  return [quantityValue(r), quantityValue(l), quantityValue(e)];
}

type Lists = { requests: Obj; limits: Obj };

function minConstraint(type: string, name: string, enforced: unknown, { requests, limits }: Lists): string | undefined {
  const [r, l, e] = enforcedValues(requests[name], limits[name], enforced);
  const es = goQuantityString(enforced);
  if (!(name in requests)) return `minimum ${name} usage per ${type} is ${es}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${es}, but request is ${goQuantityString(requests[name])}`;
  if (name in limits && l < e) return `minimum ${name} usage per ${type} is ${es}, but limit is ${goQuantityString(limits[name])}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: unknown, { requests, limits }: Lists): string | undefined {
  const [r, l, e] = enforcedValues(requests[name], limits[name], enforced);
  const es = goQuantityString(enforced);
  if (!(name in limits)) return `maximum ${name} usage per ${type} is ${es}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${es}, but limit is ${goQuantityString(limits[name])}`;
  if (name in requests && r > e) return `maximum ${name} usage per ${type} is ${es}, but request is ${goQuantityString(requests[name])}`;
  return undefined;
}

/** maxRequestConstraint: a claim's request against max. */
function maxRequestConstraint(type: string, name: string, enforced: unknown, requests: Obj): string | undefined {
  const [r, , e] = enforcedValues(requests[name], undefined, enforced);
  const es = goQuantityString(enforced);
  if (!(name in requests)) return `maximum ${name} usage per ${type} is ${es}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${es}, but request is ${goQuantityString(requests[name])}`;
  return undefined;
}

/** Go's %f */
const goFloat = (x: number) => x.toFixed(6);

function ratioConstraint(type: string, name: string, enforced: unknown, { requests, limits }: Lists): string | undefined {
  const [r, l] = enforcedValues(requests[name], limits[name], enforced);
  const es = goQuantityString(enforced);
  if (!(name in requests) || r === 0n) return `${name} max limit to request ratio per ${type} is ${es}, but no request is specified or request is 0`;
  if (!(name in limits) || l === 0n) return `${name} max limit to request ratio per ${type} is ${es}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  const e = q(enforced);
  const inMilli = quantityValue(e) <= MAX_MILLI;
  const observedCmp = inMilli ? observed * 1000 : observed;
  const max = Number(inMilli ? quantityMilliValue(e) : quantityValue(e));
  if (observedCmp > max) return `${name} max limit to request ratio per ${type} is ${es}, but provided ratio is ${goFloat(observed)}`;
  return undefined;
}

/** One item's min, max and ratio over one set of requests and limits (Go walks each map at random; kubesim in name order). */
function checkItem(item: Obj, type: string, lists: Lists, errs: string[]): void {
  const names = (m: unknown) => Object.keys((m ?? {}) as Obj).sort();
  for (const k of names(item.min)) {
    const e = minConstraint(type, k, item.min[k], lists);
    if (e) errs.push(e);
  }
  for (const k of names(item.max)) {
    const e = maxConstraint(type, k, item.max[k], lists);
    if (e) errs.push(e);
  }
  for (const k of names(item.maxLimitRequestRatio)) {
    const e = ratioConstraint(type, k, item.maxLimitRequestRatio[k], lists);
    if (e) errs.push(e);
  }
}

const asText = (list: ResourceList): Obj => Object.fromEntries([...list].map(([k, v]) => [k, formatQuantity(v)]));

/** PodValidateLimitFunc and PersistentVolumeClaimValidateLimitFunc for one LimitRange. */
function validateAgainst(lr: KObject, obj: KObject): string[] {
  const errs: string[] = [];
  for (const item of (lr.spec?.limits ?? []) as Obj[]) {
    const type = String(item?.type ?? '');
    if (obj.kind === 'Pod' && type === 'Container') {
      for (const c of [...(obj.spec?.containers ?? []), ...(obj.spec?.initContainers ?? [])] as Obj[]) {
        checkItem(item, type, { requests: c.resources?.requests ?? {}, limits: c.resources?.limits ?? {} }, errs);
      }
    }
    if (obj.kind === 'Pod' && type === 'Pod') {
      checkItem(item, type, { requests: asText(podRequests({ ...obj, spec: { ...obj.spec, overhead: undefined } })), limits: asText(podLimits({ ...obj, spec: { ...obj.spec, overhead: undefined } })) }, errs);
    }
    if (obj.kind === 'PersistentVolumeClaim' && type === 'PersistentVolumeClaim') {
      const requests: Obj = obj.spec?.resources?.requests ?? {};
      for (const k of Object.keys(item.min ?? {}).sort()) {
        const e = minConstraint(type, k, item.min[k], { requests, limits: {} });
        if (e) errs.push(e);
      }
      for (const k of Object.keys(item.max ?? {}).sort()) {
        const e = maxRequestConstraint(type, k, item.max[k], requests);
        if (e) errs.push(e);
      }
    }
  }
  return errs;
}

/** Validate: the first LimitRange the object breaks refuses it, with all that range's complaints (an aggregate). */
export function limitRangerValidate(state: State, obj: KObject, old?: KObject): void {
  if (obj.kind !== 'Pod' && obj.kind !== 'PersistentVolumeClaim') return;
  // pods' containers cannot change after creation; an object being deleted is left alone
  if (old && (obj.kind === 'Pod' || old.metadata.deletionTimestamp)) return;
  for (const lr of rangesOf(state, obj)) {
    const errs = validateAgainst(lr, obj);
    if (errs.length) throw forbiddenError(resourceByKind(obj.kind), obj.metadata.name ?? '', errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }
}
