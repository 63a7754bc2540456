// What the apiserver knows about one kind, in one place (the REST strategy of kubernetes
// pkg/registry/<group>/<kind>/strategy.go plus its storage hooks and table convertor): the names
// kubectl accepts, defaulting, validation, allocation and admission, what deleting implies, and
// the columns of `get`. A kind is one module in ./kinds that exports one of these.
import type { FieldError } from '../api/errors';
import { registerResource, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { validateObjectMeta, type NameValidator } from '../api/validation';
import type { State } from '../store/state';

/**
 * One column of `get`'s table: a header, whether only -o wide shows it, and its cell (which may
 * differ with -o wide, as printService's EXTERNAL-IP does: GenerateOptions.Wide).
 */
export interface Column {
  header: string;
  wide?: boolean;
  cell: (o: KObject, wide: boolean) => string;
}

export type Cascade = 'background' | 'foreground' | 'orphan';

export interface Strategy {
  resource: Resource;
  /** status is the system's to write: dropped from a new object, carried over on update */
  systemStatus?: boolean;
  /** status is kept as stored on update (a Node's, which its kubelet reports) */
  keepStatusOnUpdate?: boolean;
  /** metadata.generation counts changes of the spec (what controllers' observedGeneration follows) */
  generation?: boolean;
  /** a request at another served version than the stored one, converted to it after decoding */
  convertIn?(obj: KObject): void;
  /** SetDefaults_* and the REST hooks' defaulting; `old` on update */
  defaults?(obj: KObject, old?: KObject): void;
  /** the field errors of Validate / ValidateUpdate (`old` on update) */
  validate(obj: KObject, old?: KObject): FieldError[];
  /** WarningsOnCreate / WarningsOnUpdate: what the server warns of in a valid object (deprecated fields) */
  warnings?(obj: KObject, old?: KObject): string[];
  /** update-only rules beyond validate (a pod's immutable spec) */
  validateUpdate?(old: KObject, obj: KObject): FieldError[];
  /**
   * BeginCreate: allocation before validation (a Service's addresses); throws a StatusError or
   * returns what gives the allocation back if a later step fails.
   */
  beginCreate?(state: State, obj: KObject): () => void;
  /** admission after validation; throws (Forbidden) to refuse */
  admit?(state: State, obj: KObject): void;
  /** the last changes before a new object is stored (admission's mutations, the initial status) */
  beforeStore?(state: State, obj: KObject): void;
  /** before an update is validated: values the server carries over from the stored object */
  prepareForUpdate?(old: KObject, obj: KObject): void;
  /** allocation on update, after validation */
  allocateUpdate?(state: State, old: KObject, obj: KObject): FieldError[];
  /** throws to refuse a delete */
  beforeDelete?(state: State, obj: KObject): void;
  /**
   * Graceful deletion (rest.RESTGracefulDeleteStrategy.CheckGracefulDelete): the object marked for
   * deletion (deletionTimestamp in the future), to be removed later by whoever finishes it, or
   * undefined to remove it now. gracePeriodSeconds: what the client asked for, if anything.
   */
  gracefulDelete?(state: State, obj: KObject, gracePeriodSeconds: number | undefined): KObject | undefined;
  /** what goes with a deleted object (dependents, allocations, contents) */
  afterDelete?(state: State, obj: KObject, cascade: Cascade): void;
  /** the fields a field selector may name besides metadata.name and metadata.namespace (GetAttrs) */
  fields?: Record<string, (o: KObject) => string>;
  /** the table convertor's columns (kubernetes pkg/printers/internalversion/printers.go) */
  columns: Column[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A Resource as `kubectl api-resources` lists it. */
export function resource(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, verbs = ALL_VERBS, categories?: string[], otherVersions?: string[]): Resource {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version, namespaced, verbs, ...(categories ? { categories } : {}), ...(otherVersions ? { otherVersions } : {}), file: `${plural}.json` };
}

/** The ObjectMeta rules every kind has, for kinds with nothing more to check. */
export function metaOnly(namespaced: boolean, name?: NameValidator): (obj: KObject) => FieldError[] {
  return (obj) => validateObjectMeta(obj, namespaced, name);
}

const strategies = new Map<string, Strategy>();

/** Registers a kind: its resource names for every lookup, and its strategy for the registry. */
export function defineKind(s: Strategy): Strategy {
  strategies.set(s.resource.kind, s);
  registerResource(s.resource);
  return s;
}

export function strategyFor(kind: string): Strategy {
  const s = strategies.get(kind);
  if (!s) throw new Error(`unknown kind ${kind}`);
  return s;
}

/** The columns `get` prints for a kind; -o wide adds the wide ones. */
export function columnsFor(kind: string, wide: boolean): Column[] {
  const cols = strategyFor(kind).columns;
  return wide ? cols : cols.filter((c) => !c.wide);
}
