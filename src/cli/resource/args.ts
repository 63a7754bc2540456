// kubectl's resource arguments: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2 [NAME...]`, `TYPE/NAME...`.
import { CliError } from '../../api/errors';
import { categoryMembers, lookupResource, type Resource } from '../../api/resources';
import type { GlobalOptions } from '../context';
import { mappingFor, placeObject } from './objects';
import { existingManifests, requireName } from './files';

export interface ResourceRequest {
  res: Resource;
  names: string[];
  /** the namespace a file's object names for itself (else -n) */
  namespace?: string;
}


export function resolveType(t: string): Resource {
  const res = lookupResource(t);
  if (!res) throw new CliError(`error: the server doesn't have a resource type "${t}"`, true);
  return res;
}

/** `resolve`: how a type name becomes a resource (get also reads the metrics API's). */
export function parseResourceArgs(args: string[], resolve: (t: string) => Resource = resolveType): { requests: ResourceRequest[]; multiType: boolean } {
  if (args.length === 0) return { requests: [], multiType: false };
  if (args.some((a) => a.includes('/'))) {
    const requests: ResourceRequest[] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      if (i < 0) throw new CliError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`, true);
      const res = resolve(a.slice(0, i));
      const name = a.slice(i + 1);
      if (!name) throw new CliError(`error: arguments in resource/name form must have a single resource and name`, true);
      const last = requests[requests.length - 1];
      if (last && last.res === res) last.names.push(name);
      else requests.push({ res, names: [name] });
    }
    return { requests, multiType: new Set(requests.map((r) => r.res)).size > 1 };
  }
  const types = args[0].split(',').filter((t) => t !== '');
  // `all`: the kinds of that category, in discovery order (kubectl's category expander)
  const expanded = types.flatMap((t) => (t.toLowerCase() === 'all' ? categoryMembers('all').map((r) => r.plural) : [t]));
  const names = args.slice(1);
  const seen = new Set<Resource>();
  const requests: ResourceRequest[] = [];
  for (const t of expanded) {
    const res = resolve(t);
    if (seen.has(res)) continue;
    seen.add(res);
    requests.push({ res, names: [...names] });
  }
  return { requests, multiType: requests.length > 1 || types.some((t) => t.toLowerCase() === 'all') };
}

/**
 * The builder's visitBySelector: a label or field selector lists; it cannot be combined with names
 * (cli-runtime's messages).
 */
export function checkSelectors(args: string[], requests: ResourceRequest[], selector: boolean): void {
  if (!selector) return;
  if (args.some((a) => a.includes('/'))) throw new CliError('error: selectors and the all flag cannot be used when passing resource/name arguments', true);
  if (requests.some((r) => r.names.length)) throw new CliError('error: name cannot be provided when a selector is specified', true);
}

/**
 * -f for the verbs that read objects (get, describe): each object of the files names one object of
 * the cluster, in its namespace or -n's. Arguments cannot be given as well (cli-runtime's message).
 */
export function fileRequests(g: GlobalOptions, files: string[], recursive: boolean, args: string[]): ResourceRequest[] {
  if (args.length) throw new CliError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well', true);
  const out: ResourceRequest[] = [];
  for (const item of existingManifests(files, recursive)) {
    const res = mappingFor(item.obj, item.source);
    placeObject(g, res, item.obj);
    const name = requireName(item);
    const ns = res.namespaced ? item.obj.metadata.namespace : undefined;
    const last = out[out.length - 1];
    if (last && last.res === res && last.namespace === ns) last.names.push(name);
    else out.push({ res, names: [name], namespace: ns });
  }
  return out;
}
