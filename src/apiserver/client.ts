// The API the CLI talks to: client-go's verbs (get, list with label and field selectors, create,
// update, patch, delete, watch) over resources. LocalClient serves it in-process over one State (one
// command's transaction); `kubesim serve` will expose the very same calls over HTTP. Answers and
// errors are the apiserver's: NotFound, Invalid, AlreadyExists as StatusErrors.
import * as fs from 'fs';
import { nowMs } from '../util/clock';
import { notFound, StatusError } from '../api/errors';
import { qualifiedPlural, resourceForKind } from '../api/resources';
import { checkFieldSelector, fieldsMatch, parseFieldSelector } from './fields';
import { matches, parseSelector } from '../api/labels';
import type { Resource } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { MANIFEST } from '../store/store';
import { sortedByNamespaceAndName } from './order';
import { applyPatch, type PatchType } from './patch';
import type * as Scale from './scale';
import { createObject, deleteObject, updateObject, type Validation } from './registry';
import type { Cascade } from './strategy';
import { evictPod, type EvictOptions } from './eviction';
import { checkAccess, checkEscalation, checkWrite } from './requester';

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** a write of RBAC policy: the escalation check on what would be stored */
const escalationChecked = (state: State, obj: KObject) => RBAC_KINDS.has(obj.kind) && obj.apiVersion?.startsWith('rbac.authorization.k8s.io/') && checkEscalation(state, obj);

/**
 * The request attributes of a call (the apiserver's RequestInfo, apiserver/requestinfo.ts): what the
 * authorizer is asked. A namespace's own path, /api/v1/namespaces/NAME, is in the namespace NAME.
 */
function attrs(verb: string, res: Resource, namespace: string | undefined, name?: string, subresource?: string) {
  const own = res.group === '' && res.plural === 'namespaces' ? name : undefined;
  return { verb, apiGroup: res.group, resource: res.plural, namespace: res.namespaced ? namespace || undefined : own, name, subresource };
}

function attrsOf(verb: string, obj: KObject) {
  const res = resourceForKind(obj.apiVersion, obj.kind);
  // a kind the apiserver does not serve: registry's own error says so
  return res && attrs(verb, res, obj.metadata?.namespace, verb === 'create' ? undefined : obj.metadata?.name);
}

export interface ListOptions {
  /** a label selector in kubectl's syntax (-l) */
  labelSelector?: string;
  /** a field selector (--field-selector) */
  fieldSelector?: string;
  /**
   * Only what tables, selectors and `-o name` read (the apiserver's Table / PartialObjectMetadata
   * answers): kubesim keeps these summaries beside the big kinds, so a table of 30,000 pods does not
   * parse every pod.
   */
  summaries?: boolean;
}

export interface DeleteOptions {
  /** propagationPolicy: Background (the default), Foreground or Orphan */
  propagationPolicy?: Cascade;
  /** gracePeriodSeconds: how long a pod gets to stop (0 with --force: removed at once) */
  gracePeriodSeconds?: number;
}

export interface Updated {
  obj: KObject;
  /** false when the update changed nothing (kubectl's "unchanged" / "(no change)") */
  changed: boolean;
}

/** The verb (and subresource) a write is authorised as: label, set, rollout, cordon … send PATCHes. */
export interface RequestAs {
  verb: 'update' | 'patch';
  subresource?: string;
}
export const AS_PATCH: RequestAs = { verb: 'patch' };

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KObject };

export interface ApiClient {
  /** GET: the object, or a NotFound StatusError */
  get(res: Resource, namespace: string | undefined, name: string): KObject;
  /** GET that answers undefined for NotFound */
  find(res: Resource, namespace: string | undefined, name: string): KObject | undefined;
  /** LIST in the server's order (namespace, then name); namespace undefined: all namespaces */
  list(res: Resource, namespace: string | undefined, opts?: ListOptions): KObject[];
  /** POST: the object carries its namespace; `validation`: the request's fieldValidation and warnings */
  create(obj: KObject, validation?: Validation): KObject;
  /**
   * PUT, or the PATCH kubectl sends when it computed the change itself (`as`: how the request is
   * authorised; a validation with `patch` is a patch too)
   */
  update(obj: KObject, validation?: Validation, as?: RequestAs): Updated;
  /**
   * PUT with the object's resourceVersion as a precondition (kubectl replace): a stale one is the
   * apiserver's Conflict; none takes the stored object's (resource.Helper.Replace with overwrite).
   */
  replace(obj: KObject, validation?: Validation): Updated;
  /**
   * PATCH: a strategic merge patch, a JSON merge patch or a JSON patch (RFC 7386 / RFC 6902); the
   * result is validated as an update. `subresource` "status": only the patched status is kept.
   */
  patch(res: Resource, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: string, validation?: Validation): Updated;
  /** DELETE: the deleted object */
  delete(res: Resource, namespace: string | undefined, name: string, opts?: DeleteOptions): KObject;
  /**
   * POST pods/NAME/eviction (policy/v1 Eviction): the pod deleted gracefully if its
   * PodDisruptionBudget allows; a 429 EvictionError when it does not (retry later).
   */
  evict(namespace: string, name: string, opts?: EvictOptions): KObject;
  /**
   * WATCH from the state this client read: every later change of the selected objects, as events
   * (a deleted object comes with its last state), until the returned stop is called.
   */
  watch(res: Resource, namespace: string | undefined, opts: ListOptions, onEvents: (events: WatchEvent[]) => void): () => void;
}

/** The label and field selection every LIST applies, with the apiserver's errors for bad selectors. */
export function selection(res: Resource, opts: ListOptions = {}): (o: KObject) => boolean {
  const sel = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
  const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
  if (fields) checkFieldSelector(res, fields, opts.fieldSelector!, opts.labelSelector ?? '');
  return (o) => (!sel || matches(sel, o.metadata.labels)) && (!fields || fieldsMatch(res, fields, o));
}

export class LocalClient implements ApiClient {
  /** reopen: the state as it is now, for watch (other processes commit meanwhile) */
  constructor(
    readonly state: State,
    private readonly reopen?: () => State,
  ) {}

  get(res: Resource, namespace: string | undefined, name: string): KObject {
    const obj = this.find(res, namespace, name);
    if (!obj) throw notFound(res, name);
    return obj;
  }

  find(res: Resource, namespace: string | undefined, name: string): KObject | undefined {
    checkAccess(this.state, attrs('get', res, namespace, name));
    return this.stored(res, namespace, name);
  }

  /** the stored object, read by a request that was authorised for another verb (update, patch) */
  private stored(res: Resource, namespace: string | undefined, name: string): KObject | undefined {
    return this.state.get(res.kind, res.namespaced ? namespace : undefined, name);
  }

  list(res: Resource, namespace: string | undefined, opts: ListOptions = {}): KObject[] {
    checkAccess(this.state, attrs('list', res, namespace));
    const where = res.namespaced ? namespace : undefined;
    const keep = selection(res, opts);
    const all = opts.summaries ? this.state.listSummaries(res.kind, where) : this.state.list(res.kind, where);
    return sortedByNamespaceAndName(opts.labelSelector || opts.fieldSelector ? all.filter(keep) : all);
  }

  create(obj: KObject, validation?: Validation): KObject {
    const a = attrsOf('create', obj);
    if (a) checkWrite(this.state, a);
    escalationChecked(this.state, obj);
    return createObject(this.state, obj, validation);
  }

  update(obj: KObject, validation?: Validation, as?: RequestAs): Updated {
    const verb = as?.verb ?? (validation?.patch ? 'patch' : 'update');
    const a = attrsOf(verb, obj);
    if (a) checkWrite(this.state, { ...a, subresource: as?.subresource });
    escalationChecked(this.state, obj);
    return updateObject(this.state, obj, validation);
  }

  replace(obj: KObject, validation?: Validation): Updated {
    const res = resourceForKind(obj.apiVersion, obj.kind);
    if (res) checkWrite(this.state, attrs('update', res, obj.metadata?.namespace, obj.metadata?.name));
    escalationChecked(this.state, obj);
    const old = res && this.stored(res, obj.metadata?.namespace, obj.metadata?.name);
    const rv = obj.metadata?.resourceVersion;
    if (res && old && rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) {
      throw new StatusError('Conflict', `Operation cannot be fulfilled on ${qualifiedPlural(res)} ${JSON.stringify(obj.metadata.name)}: the object has been modified; please apply your changes to the latest version and try again`, { kind: res.plural, group: res.group || undefined, name: obj.metadata.name });
    }
    return updateObject(this.state, obj, validation);
  }

  patch(res: Resource, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: string, validation?: Validation): Updated {
    checkWrite(this.state, attrs('patch', res, namespace, name, subresource));
    const old = this.stored(res, namespace, name);
    if (!old) throw notFound(res, name);
    const patched = applyPatch(old, type, patch);
    if (!subresource) escalationChecked(this.state, patched);
    if (subresource === 'scale') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { scaleOf } = require('./scale') as typeof Scale;
      // the patch applies to the Scale; only its spec.replicas reaches the object
      const scale = applyPatch(scaleOf(old), type, patch);
      const replicas = Number(scale.spec?.replicas);
      const { changed } = updateObject(this.state, { ...old, spec: { ...old.spec, replicas } });
      return { obj: scaleOf(this.stored(res, namespace, name)!), changed };
    }
    if (subresource === 'status') {
      // the status strategies (PrepareForUpdate of */status) keep everything but the status
      const obj = { ...old, status: patched.status };
      const changed = this.state.replace(obj);
      return { obj: this.state.get(res.kind, res.namespaced ? namespace : undefined, name)!, changed };
    }
    return updateObject(this.state, patched, validation && { ...validation, patch: type === 'strategic' });
  }

  delete(res: Resource, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KObject {
    checkWrite(this.state, attrs('delete', res, namespace, name));
    return deleteObject(this.state, res, namespace, name, opts.propagationPolicy ?? 'background', opts.gracePeriodSeconds);
  }

  evict(namespace: string, name: string, opts: EvictOptions = {}): KObject {
    checkWrite(this.state, { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'eviction', namespace, name });
    return evictPod(this.state, namespace, name, opts);
  }

  watch(res: Resource, namespace: string | undefined, opts: ListOptions, onEvents: (events: WatchEvent[]) => void): () => void {
    const reopen = this.reopen;
    if (!reopen) throw new Error('watch needs a client that can read the state again');
    checkAccess(this.state, attrs('watch', res, namespace));
    const key = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    let seen = new Map(this.list(res, namespace, opts).map((o) => [key(o), o]));
    // every commit renames a new manifest into place: its mtime says when to look again
    const manifest = this.state.store.file(MANIFEST);
    let last = mtime(manifest);
    // a kubelet's next step falls due as simulated time passes: then it is time to look too
    let due = this.state.cluster.nextDue;
    const timer = setInterval(() => {
      const now = mtime(manifest);
      if (now === last && (due === undefined || due > nowMs())) return;
      const state = reopen();
      last = mtime(manifest);
      due = state.cluster.nextDue;
      const next = new Map(new LocalClient(state).list(res, namespace, opts).map((o) => [key(o), o]));
      const events: WatchEvent[] = [];
      for (const [k, o] of next) {
        const before = seen.get(k);
        if (!before) events.push({ type: 'ADDED', object: o });
        else if (before.metadata.resourceVersion !== o.metadata.resourceVersion) events.push({ type: 'MODIFIED', object: o });
      }
      for (const [k, o] of seen) if (!next.has(k)) events.push({ type: 'DELETED', object: o });
      seen = next;
      if (events.length) onEvents(events);
    }, WATCH_POLL_MS);
    return () => clearInterval(timer);
  }
}

/** The review APIs (apiserver/reviews.ts), loaded by the commands that ask them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const reviews = (): typeof import('./reviews') => require('./reviews');

const WATCH_POLL_MS = 250;

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * A dry run stores nothing, so its answer has no version of its own (the apiserver's
 * registry/generic/registry/dryrun.go): a created object none, an updated one the stored one's.
 */
export function dryRunVersion<T extends KObject | undefined>(obj: T, stored: string | undefined): T {
  if (!obj?.metadata) return obj;
  if (stored === undefined) delete obj.metadata.resourceVersion;
  else obj.metadata.resourceVersion = stored;
  return obj;
}

/**
 * The client of a server dry run (--dry-run=server): every step runs, nothing is kept, and its
 * answers carry the versions dryrun.go gives (copies: the transaction's objects stay as they are).
 */
export class DryRunClient extends LocalClient {
  private versionOf(kind: string, apiVersion: string, namespace: string | undefined, name: string): string | undefined {
    const res = resourceForKind(apiVersion, kind);
    return this.state.get(kind, res?.namespaced ? namespace : undefined, name)?.metadata.resourceVersion;
  }

  private answer(u: Updated, stored: string | undefined): Updated {
    return { ...u, obj: dryRunVersion(JSON.parse(JSON.stringify(u.obj)) as KObject, stored) };
  }

  create(obj: KObject, validation?: Validation): KObject {
    return dryRunVersion(JSON.parse(JSON.stringify(super.create(obj, validation))) as KObject, undefined);
  }

  update(obj: KObject, validation?: Validation, as?: RequestAs): Updated {
    const stored = this.versionOf(obj.kind, obj.apiVersion, obj.metadata?.namespace, obj.metadata?.name);
    return this.answer(super.update(obj, validation, as), stored);
  }

  replace(obj: KObject, validation?: Validation): Updated {
    const stored = this.versionOf(obj.kind, obj.apiVersion, obj.metadata?.namespace, obj.metadata?.name);
    return this.answer(super.replace(obj, validation), stored);
  }

  patch(res: Resource, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: string, validation?: Validation): Updated {
    const stored = this.state.get(res.kind, res.namespaced ? namespace : undefined, name)?.metadata.resourceVersion;
    return this.answer(super.patch(res, namespace, name, type, patch, subresource, validation), stored);
  }
}

const clients = new WeakMap<State, LocalClient>();

/** The client of one command's state (one transaction). */
export function clientOf(state: State): LocalClient {
  let c = clients.get(state);
  if (!c) clients.set(state, (c = new LocalClient(state)));
  return c;
}
