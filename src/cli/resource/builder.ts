// cli-runtime's resource Builder (pkg/resource/builder.go) for the verbs that act on stored objects:
// what they name (TYPE NAME…, TYPE/NAME, TYPE1,TYPE2, `all`, or the objects of -f), the checks and
// messages on how those combine with -l, --field-selector and --all, and the visit that turns them
// into objects through the API: one NotFound per missing name, lists in the server's order.
import { CliError, notFound, StatusError } from '../../api/errors';
import { apiVersionOf, type Resource } from '../../api/resources';
import type { KObject } from '../../api/types';
import type { ApiClient, ListOptions } from '../../apiserver/client';
import { namespaceOf, type GlobalOptions } from '../context';
import { checkSelectors, fileRequests, parseResourceArgs, type ResourceRequest } from './args';

export interface BuilderFlags {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  /** --all: every object of the types (delete, label, scale, wait) */
  all?: boolean;
  allNamespaces?: boolean;
  ignoreNotFound?: boolean;
}

export interface Selection {
  requests: ResourceRequest[];
  /** the objects come from -f */
  fromFiles: boolean;
  /** several types: tables name their rows `kind/name` */
  multiType: boolean;
  /** some request names objects (as opposed to listing a type) */
  byName: boolean;
  namespace: string;
  flags: BuilderFlags;
}

export const NO_NAME = 'error: resource(s) were provided, but no name was specified';

/**
 * What a verb acts on. `requireNames`: a bare type is an error unless -l or --all lists it (delete,
 * label, scale, wait); otherwise it lists the type (get, describe).
 */
export function select(g: GlobalOptions, args: string[], flags: BuilderFlags, opts: { requireNames?: boolean; resolve?: (t: string) => Resource } = {}): Selection {
  const fromFiles = !!flags.filename?.length;
  let requests: ResourceRequest[];
  let multiType: boolean;
  if (fromFiles) {
    requests = fileRequests(g, flags.filename!, !!flags.recursive, args);
    multiType = new Set(requests.map((r) => r.res)).size > 1;
  } else {
    ({ requests, multiType } = parseResourceArgs(args, opts.resolve));
  }
  const byName = requests.some((r) => r.names.length > 0);
  if (!fromFiles) {
    checkSelectors(args, requests, !!(flags.selector || flags.fieldSelector || flags.all));
    if (opts.requireNames && requests.length && !byName && !flags.selector && !flags.fieldSelector && !flags.all) throw new CliError(NO_NAME, true);
  }
  return { requests, fromFiles, multiType, byName, namespace: namespaceOf(g), flags };
}

export interface Visited {
  res: Resource;
  objects: KObject[];
}

/** The namespace a request reads: its file's, else -n's; every namespace for a list with -A. */
export function namespaceFor(s: Selection, r: ResourceRequest, listing: boolean): string | undefined {
  if (!r.res.namespaced) return undefined;
  if (listing && s.flags.allNamespaces) return undefined;
  return r.namespace ?? s.namespace;
}

const FORBIDDEN = Symbol('forbidden');

/** ContinueOnError: a request the user may not make is one error among the others, and the rest go on. */
function forbiddenAsError<T>(errors: unknown[], read: () => T): T | typeof FORBIDDEN {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof StatusError) || e.reason !== 'Forbidden') throw e;
    errors.push(e);
    return FORBIDDEN;
  }
}

/**
 * The objects of each request: named ones as found (a missing one is a NotFound in `errors`, unless
 * --ignore-not-found), listed ones filtered by the selectors in the server's order.
 */
export function visit(api: ApiClient, s: Selection, errors: unknown[], list: ListOptions = {}, lazy = false): Visited[] {
  const out: Visited[] = [];
  for (const r of s.requests) {
    const objects: KObject[] = [];
    if (r.names.length) {
      for (const n of r.names) {
        // RequireObject(false) (delete): a name is not read first, so only the verb's own permission counts
        if (lazy) {
          objects.push({ apiVersion: apiVersionOf(r.res), kind: r.res.kind, metadata: { name: n, namespace: namespaceFor(s, r, false) } } as KObject);
          continue;
        }
        const obj = forbiddenAsError(errors, () => api.find(r.res, namespaceFor(s, r, false), n));
        if (obj === FORBIDDEN) continue;
        if (obj) objects.push(obj);
        else if (!s.flags.ignoreNotFound) errors.push(notFound(r.res, n));
      }
    } else {
      const listed = forbiddenAsError(errors, () => api.list(r.res, namespaceFor(s, r, true), { labelSelector: s.flags.selector, fieldSelector: s.flags.fieldSelector, ...list }));
      if (listed !== FORBIDDEN) objects.push(...listed);
    }
    out.push({ res: r.res, objects });
  }
  return out;
}
