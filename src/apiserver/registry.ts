// The apiserver's generic storage (k8s.io/apiserver pkg/registry/generic/registry/store.go): decode,
// default, validate, allocate, admit and store, the same for every kind, with each kind's strategy
// (./kinds) supplying what differs. Every failure throws a StatusError and leaves the state as it was.
import { alreadyExists, badRequest, invalidError, notFound, StatusError, StrictDecodingError } from '../api/errors';
import { admitWebhooks } from './webhooks';
import { resourceByKind, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { decodeObject, type FieldValidation } from '../api/decode';
import { deepEqual, type State } from '../store/state';
import { clone } from '../util/compare';
import { strategyFor, type Cascade } from './strategy';
import { limitRangerMutate, limitRangerValidate } from './limitranger';
import { admitQuota } from './quotaadmission';
import './kinds';

export type { Cascade } from './strategy';

/**
 * The request's fieldValidation (kubectl --validate) and who hears the server's warnings. `patch`:
 * the object is what a strategic merge patch made (apply to an existing object). Objects the system
 * writes itself are decoded with Ignore: unknown fields are dropped silently.
 */
export interface Validation {
  mode: FieldValidation;
  warn?: (message: string) => void;
  patch?: boolean;
}
const SYSTEM: Validation = { mode: 'Ignore' };

/**
 * The request body as the apiserver decodes it, before anything else: a field of the wrong JSON
 * type, or (Strict) an unknown field, is a BadRequest; the copy returned has no unknown fields.
 */
function decode(input: KObject, v: Validation): KObject {
  const obj = clone(input);
  const r = decodeObject(obj, v.mode, v.patch);
  if (r.error) throw r.strict.length ? new StrictDecodingError(r.error, r.strict) : badRequest(r.error);
  for (const w of r.warnings) v.warn?.(w);
  if (typeof obj.kind === 'string') strategyFor(obj.kind).convertIn?.(obj);
  return obj;
}

function requireNamespace(state: State, res: Resource, ns: string | undefined): void {
  if (!res.namespaced || !ns) return;
  if (!state.get('Namespace', undefined, ns)) throw notFound(resourceByKind('Namespace'), ns);
}

/** Creates the two system services during bootstrap; returns the error instead of throwing. */
export function createService(state: State, svc: KObject): StatusError | undefined {
  try {
    createObject(state, svc);
    return undefined;
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
}

/** POST: the object must carry its namespace already (the caller applies -n and the default). */
export function createObject(state: State, input: KObject, validation: Validation = SYSTEM): KObject {
  const s = strategyFor(input.kind);
  const res = s.resource;
  const obj = decode(input, validation);
  const md = obj.metadata ?? (obj.metadata = {} as KObject['metadata']);
  const generated = !md.name && !!md.generateName;
  if (generated) md.name = `${md.generateName}${state.rand.suffix(5)}`;
  requireNamespace(state, res, md.namespace);
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation', 'selfLink']) delete (md as Record<string, unknown>)[f];
  if (s.systemStatus) delete obj.status;
  if (s.generation) md.generation = 1;
  s.defaults?.(obj);
  // mutating admission (LimitRanger's defaults) comes before validation, so what it sets is validated
  limitRangerMutate(state, obj);
  // Store.Create's order: BeginCreate (a Service's addresses), validation, admission, then storage,
  // where a taken name is AlreadyExists: an invalid object whose name is taken is reported invalid.
  // A failure after allocation gives the allocation back.
  const release = s.beginCreate?.(state, obj) ?? (() => {});
  try {
    const errs = s.validate(obj);
    if (errs.length) throw invalidError(res, md.name ?? '', errs);
    for (const w of s.warnings?.(obj) ?? []) validation.warn?.(w); // WarningsOnCreate, once valid
    s.admit?.(state, obj);
    limitRangerValidate(state, obj);
    admitWebhooks(state, obj);
    const taken = () => !!md.name && !!state.get(res.kind, res.namespaced ? md.namespace : undefined, md.name);
    // a generated name that is taken is generated again, up to 8 tries (RetryGenerateName, GA in 1.32)
    for (let i = 1; generated && i < 8 && taken(); i++) md.name = `${md.generateName}${state.rand.suffix(5)}`;
    if (taken()) throw alreadyExists(res, md.name!);
    // ResourceQuota runs last of the validating plugins (after LimitRanger, so defaults count); it
    // charges the quotas, so nothing may fail after it
    admitQuota(state, obj);
  } catch (e) {
    release();
    throw e;
  }
  s.beforeStore?.(state, obj);
  return state.add(obj, md.uid as string | undefined); // a uid the strategy needed early (a Job's selector)
}

/** PUT: replaces the stored object's spec and metadata, keeping what the system owns. */
export function updateObject(state: State, input: KObject, validation: Validation = SYSTEM): { obj: KObject; changed: boolean } {
  const s = strategyFor(input.kind);
  const res = s.resource;
  const obj = decode(input, validation);
  const ns = res.namespaced ? obj.metadata?.namespace : undefined;
  const old = state.get(res.kind, ns, obj.metadata?.name);
  if (!old) throw notFound(res, obj.metadata?.name);
  obj.metadata = { ...obj.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: old.metadata.resourceVersion };
  const keepStatus = s.systemStatus || s.keepStatusOnUpdate;
  if (keepStatus) obj.status = old.status;
  s.prepareForUpdate?.(old, obj);
  s.defaults?.(obj, old);
  // metadata.generation counts changes of the spec (what controllers' observedGeneration follows),
  // compared as the apiserver does, after decoding has defaulted the new object: re-applying an
  // unchanged manifest changes nothing (and apply says "unchanged")
  if (s.generation) obj.metadata.generation = (old.metadata.generation ?? 1) + (deepEqual(old.spec, obj.spec) ? 0 : 1);
  if (keepStatus) obj.status = old.status;
  const errs = [...s.validate(obj, old)];
  if (!errs.length && s.validateUpdate) errs.push(...s.validateUpdate(old, obj));
  if (errs.length) throw invalidError(res, obj.metadata.name, errs);
  limitRangerValidate(state, obj, old);
  admitWebhooks(state, obj);
  const allocErrs = s.allocateUpdate?.(state, old, obj) ?? [];
  if (allocErrs.length) throw invalidError(res, obj.metadata.name, allocErrs);
  admitQuota(state, obj, old);
  const changed = state.replace(obj);
  // WarningsOnUpdate; kubectl sends no request for an apply that changes nothing
  if (changed) for (const w of s.warnings?.(obj, old) ?? []) validation.warn?.(w);
  return { obj: state.get(res.kind, ns, obj.metadata.name)!, changed };
}

/** DELETE: removes the object and what the apiserver and garbage collector remove with it. */
export function deleteObject(state: State, res: Resource, namespace: string | undefined, name: string, cascade: Cascade = 'background', gracePeriodSeconds?: number): KObject {
  const s = strategyFor(res.kind);
  const ns = res.namespaced ? namespace : undefined;
  const obj = state.get(res.kind, ns, name);
  if (!obj) throw notFound(res, name);
  s.beforeDelete?.(state, obj);
  const marked = s.gracefulDelete?.(state, obj, gracePeriodSeconds);
  if (marked) {
    state.replace(marked);
    return state.get(res.kind, ns, name) ?? marked;
  }
  state.remove(res.kind, ns, name);
  s.afterDelete?.(state, obj, cascade);
  return obj;
}
