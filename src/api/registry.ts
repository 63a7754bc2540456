// The apiserver's storage layer for each kind: defaulting, validation, allocation and admission
// before an object is stored, and what deleting one implies. Every failure throws a StatusError and
// leaves the state as it was.
import { clone } from '../util/compare';
import { allocateServiceAddresses, serviceAllocators, prepareServiceUpdate, releaseServiceAddresses, updateServiceAddresses, type ServiceAllocators } from '../controllers/ipam';
import { nodePortRange } from '../cluster/config';
import { deepEqual, type State } from '../store/state';
import { defaultEndpoints, defaultEndpointSlice, defaultPod, defaultService } from './defaults';
import { defaultDeployment, defaultReplicaSet, validateDeployment, validateReplicaSet } from './workloads';
import { alreadyExists, badRequest, forbiddenError, invalidError, notFound, StatusError, StrictDecodingError, type FieldError } from './errors';
import { resourceByKind, type Resource } from './resources';
import type { KObject } from './types';
import { decodeObject, type FieldValidation } from './decode';
import { validateServiceClusterIPsRelatedFields, validateServiceIPFamiliesForCluster, isDNS1123Label, isDNS1123Subdomain, validateEndpoints, validateEndpointSlice, validateObjectMeta, validatePod, validateService } from './validation';

const allocCache = new WeakMap<State, ServiceAllocators>();

/** The allocators' view of what is in use, derived from the stored services once per command. */
export function allocators(state: State): ServiceAllocators {
  let a = allocCache.get(state);
  if (!a) {
    // what every stored Service holds, from the index (the apiserver's RangeAllocation), not by reading them all
    const ips: string[] = [];
    const ports: number[] = [];
    for (const k of state.index('service-addresses').keys()) {
      if (k.startsWith('ip/')) ips.push(k.slice(3));
      else ports.push(Number(k.slice(5)));
    }
    a = serviceAllocators(ips, ports, state.config.serviceCIDR, nodePortRange(state.config), state.rand);
    allocCache.set(state, a);
  }
  return a;
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

/**
 * kubesim's one admission limit, which a real cluster does not need: a Deployment may ask for
 * 2147483647 replicas, and each simulated pod costs memory and time. Past it, pod creation is
 * refused as ResourceQuota refuses it (Forbidden), and the ReplicaSet controller reports FailedCreate.
 */
export const MAX_PODS = 3000;

const SYSTEM_STATUS = new Set(['Service', 'Pod', 'Namespace', 'Deployment', 'ReplicaSet']);
const HAS_GENERATION = new Set(['Deployment', 'ReplicaSet']);

const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function validate(res: Resource, obj: KObject, old?: KObject): FieldError[] {
  switch (res.kind) {
    case 'Service':
      return validateService(obj, old);
    case 'Pod':
      return validatePod(obj);
    case 'Endpoints':
      return validateEndpoints(obj);
    case 'EndpointSlice':
      return validateEndpointSlice(obj);
    case 'Deployment':
      return validateDeployment(obj, old);
    case 'ReplicaSet':
      return validateReplicaSet(obj, old);
    case 'Namespace':
      return validateObjectMeta(obj, false, isDNS1123Label);
    default:
      return validateObjectMeta(obj, res.namespaced, isDNS1123Subdomain);
  }
}

function applyDefaults(res: Resource, obj: KObject): void {
  if (res.kind === 'Service') defaultService(obj);
  else if (res.kind === 'Pod') defaultPod(obj);
  else if (res.kind === 'Endpoints') defaultEndpoints(obj);
  else if (res.kind === 'EndpointSlice') defaultEndpointSlice(obj);
  else if (res.kind === 'Deployment') defaultDeployment(obj);
  else if (res.kind === 'ReplicaSet') defaultReplicaSet(obj);
  else if (res.kind === 'Namespace') {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  }
}

function requireNamespace(state: State, res: Resource, ns: string | undefined): void {
  if (!res.namespaced || !ns) return;
  if (!state.get('Namespace', undefined, ns)) throw notFound(resourceByKind('Namespace'), ns);
}

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
function decodeInput(input: KObject, v: Validation): KObject {
  const obj = clone(input);
  const r = decodeObject(obj, v.mode, v.patch);
  if (r.error) throw r.strict.length ? new StrictDecodingError(r.error, r.strict) : badRequest(r.error);
  for (const w of r.warnings) v.warn?.(w);
  return obj;
}

/** POST: the object must carry its namespace already (the caller applies -n and the default). */
export function createObject(state: State, input: KObject, validation: Validation = SYSTEM): KObject {
  const res = resourceByKind(input.kind);
  const obj = decodeInput(input, validation);
  const md = obj.metadata ?? (obj.metadata = {} as KObject['metadata']);
  const generated = !md.name && !!md.generateName;
  if (generated) md.name = `${md.generateName}${state.rand.suffix(5)}`;
  requireNamespace(state, res, md.namespace);
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation', 'selfLink']) delete (md as Record<string, unknown>)[f];
  // The status of a new object is the system's to write, not the user's.
  if (SYSTEM_STATUS.has(res.kind)) delete obj.status;
  if (HAS_GENERATION.has(res.kind)) md.generation = 1;
  applyDefaults(res, obj);
  // Store.create's order: a Service's addresses (BeginCreate), validation, admission (the pod
  // limit), then storage, where a taken name is AlreadyExists: an invalid object whose name is
  // taken is reported invalid. A failure after allocation gives the addresses back.
  let release = () => {};
  if (res.kind === 'Service') {
    release = createServiceChecked(state, res, obj);
  } else {
    const errs = validate(res, obj);
    if (errs.length) throw invalidError(res, md.name ?? '', errs);
  }
  if (res.kind === 'Pod' && state.count('Pod') >= MAX_PODS) {
    release();
    throw forbiddenError(res, md.name ?? '', `kubesim simulates at most ${MAX_PODS} pods in a cluster`);
  }
  const taken = () => !!md.name && !!state.get(res.kind, res.namespaced ? md.namespace : undefined, md.name);
  // a generated name that is taken is generated again, up to 8 tries (RetryGenerateName, GA in 1.32)
  for (let i = 1; generated && i < 8 && taken(); i++) md.name = `${md.generateName}${state.rand.suffix(5)}`;
  if (taken()) {
    release();
    throw alreadyExists(res, md.name!);
  }
  if (res.kind === 'Pod') {
    mountServiceAccountToken(state, obj);
    obj.status = { phase: 'Pending' };
  }
  return state.add(obj);
}

/**
 * The apiserver's order for a new Service: the clusterIP fields are checked, then addresses are
 * allocated (BeginCreate), then the whole object is validated; a failure releases what was taken.
 */
function createServiceChecked(state: State, res: Resource, svc: KObject): () => void {
  const name = svc.metadata.name ?? '';
  const ipErrs = [...validateServiceClusterIPsRelatedFields(svc), ...validateServiceIPFamiliesForCluster(svc)];
  if (ipErrs.length) throw invalidError(res, name, ipErrs);
  const used = allocators(state);
  const allocErrs = allocateServiceAddresses(svc, used);
  if (allocErrs.length) throw invalidError(res, name, allocErrs);
  const release = () => releaseServiceAddresses(svc, used);
  const errs = validate(res, svc);
  if (errs.length) {
    release();
    throw invalidError(res, name, errs);
  }
  return release;
}

/**
 * The ServiceAccount admission plugin: every pod that does not opt out gets the projected
 * kube-api-access volume (token, CA bundle, namespace) mounted read-only in each container.
 */
function mountServiceAccountToken(state: State, pod: KObject): void {
  const spec = pod.spec;
  if (spec.automountServiceAccountToken === false) return;
  if ((spec.volumes ?? []).some((v: { name: string }) => v.name.startsWith('kube-api-access-'))) return;
  const name = `kube-api-access-${state.rand.suffix(5)}`;
  const mount = { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name, readOnly: true };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) c.volumeMounts = [...(c.volumeMounts ?? []), mount];
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    },
  ];
}

/** PUT: replaces the stored object's spec and metadata, keeping what the system owns. */
export function updateObject(state: State, input: KObject, validation: Validation = SYSTEM): { obj: KObject; changed: boolean } {
  const res = resourceByKind(input.kind);
  const obj = decodeInput(input, validation);
  const ns = res.namespaced ? input.metadata.namespace : undefined;
  const old = state.get(res.kind, ns, input.metadata.name);
  if (!old) throw notFound(res, input.metadata.name);
  obj.metadata = { ...obj.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: old.metadata.resourceVersion };
  if (SYSTEM_STATUS.has(res.kind) || res.kind === 'Node') obj.status = old.status;
  if (HAS_GENERATION.has(res.kind)) {
    // metadata.generation counts changes of the spec (what controllers' observedGeneration follows)
    obj.metadata.generation = (old.metadata.generation ?? 1) + (deepEqual(old.spec, obj.spec) ? 0 : 1);
  }
  // the apiserver carries allocated values (clusterIP, nodePorts) over before it validates
  if (res.kind === 'Service') {
    prepareServiceUpdate(old, obj);
    defaultService(obj, old);
  } else applyDefaults(res, obj);
  if (res.kind === 'Namespace') obj.status = old.status;
  const errs = validate(res, obj, old);
  if (errs.length) throw invalidError(res, obj.metadata.name, errs);
  if (res.kind === 'Pod') {
    const podErrs = podUpdateErrors(old, obj);
    if (podErrs.length) throw invalidError(res, obj.metadata.name, podErrs);
  }
  if (res.kind === 'Service') {
    const allocErrs = updateServiceAddresses(old, obj, allocators(state));
    if (allocErrs.length) throw invalidError(res, obj.metadata.name, allocErrs);
  }
  const changed = state.replace(obj);
  return { obj: state.get(res.kind, ns, obj.metadata.name)!, changed };
}

/** A pod's spec may not change after creation, except images, activeDeadlineSeconds and tolerations additions. */
function podUpdateErrors(old: KObject, obj: KObject): FieldError[] {
  const strip = (p: KObject) => {
    const s = clone(p.spec);
    for (const c of s.containers ?? []) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    return s;
  };
  if (deepEqual(strip(old), strip(obj))) return [];
  return [{ type: 'Forbidden', field: 'spec', detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)' }];
}

export type Cascade = 'background' | 'foreground' | 'orphan';

/** Kinds whose objects can have controller owners, searched by the garbage collector. */
const DEPENDENT_KINDS = ['ReplicaSet', 'Pod'];

/**
 * The garbage collector: the dependents of a deleted object (by ownerReferences uid) go with it,
 * recursively; with `orphan` they stay and lose that owner reference.
 */
function collectDependents(state: State, owner: KObject, cascade: Cascade): void {
  const ns = owner.metadata.namespace;
  if (cascade === 'orphan') {
    for (const kind of DEPENDENT_KINDS) {
      for (const o of state.list(kind, ns)) {
        const refs = o.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === owner.metadata.uid)) continue;
        const upd = clone(o);
        const kept = refs.filter((r) => r.uid !== owner.metadata.uid);
        if (kept.length) upd.metadata.ownerReferences = kept;
        else delete upd.metadata.ownerReferences;
        state.replace(upd);
      }
    }
    return;
  }
  // one pass over the namespace per generation of dependents (Deployment → ReplicaSets → Pods),
  // not one per deleted object: deleting 5,000 pods stays linear
  let owners = new Set<string>([owner.metadata.uid as string]);
  while (owners.size) {
    const next = new Set<string>();
    for (const kind of DEPENDENT_KINDS) {
      for (const o of state.list(kind, ns)) {
        if (!(o.metadata.ownerReferences ?? []).some((r) => owners.has(r.uid))) continue;
        state.remove(kind, o.metadata.namespace, o.metadata.name);
        next.add(o.metadata.uid as string);
      }
    }
    owners = next;
  }
}

/** DELETE: removes the object and what the apiserver and garbage collector remove with it. */
export function deleteObject(state: State, res: Resource, namespace: string | undefined, name: string, cascade: Cascade = 'background'): KObject {
  const ns = res.namespaced ? namespace : undefined;
  const obj = state.get(res.kind, ns, name);
  if (!obj) throw notFound(res, name);
  if (res.kind === 'Namespace' && IMMORTAL_NAMESPACES.includes(name)) {
    throw new StatusError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
  }
  state.remove(res.kind, ns, name);
  if (res.kind === 'Deployment' || res.kind === 'ReplicaSet') collectDependents(state, obj, cascade);
  if (res.kind === 'Service') {
    releaseServiceAddresses(obj, allocators(state));
    // the endpoints controller deletes the Endpoints of a deleted service (hand-written or not) once
    // the command is done, so `delete -f` of a service and its Endpoints deletes both
    state.deletedServices.push(`${ns}/${name}`);
  }
  if (res.kind === 'Namespace') {
    for (const k of state.allKinds()) {
      const r = resourceByKind(k);
      if (!r.namespaced) continue;
      for (const o of state.list(k, name)) state.remove(k, name, o.metadata.name);
    }
  }
  return obj;
}
