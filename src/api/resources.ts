// Every resource kubesim serves, with each name kubectl accepts for it (plural, singular, short names,
// Kind, group-qualified forms), as `kubectl api-resources` lists them.

export interface Resource {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  group: string; // '' for the core group
  version: string;
  namespaced: boolean;
  verbs: string[];
  /** the state file holding this kind */
  file: string;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(kind: string, plural: string, shortNames: string[], group: string, version: string, namespaced: boolean, verbs = ALL_VERBS): Resource {
  return { kind, plural, singular: kind.toLowerCase(), shortNames, group, version, namespaced, verbs, file: `${plural}.json` };
}

export const RESOURCES: Resource[] = [
  r('Namespace', 'namespaces', ['ns'], '', 'v1', false, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
  r('Node', 'nodes', ['no'], '', 'v1', false),
  r('Service', 'services', ['svc'], '', 'v1', true, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
  r('Pod', 'pods', ['po'], '', 'v1', true),
  r('Endpoints', 'endpoints', ['ep'], '', 'v1', true),
  r('Event', 'events', ['ev'], '', 'v1', true),
  r('EndpointSlice', 'endpointslices', [], 'discovery.k8s.io', 'v1', true),
  r('Deployment', 'deployments', ['deploy'], 'apps', 'v1', true),
  r('ReplicaSet', 'replicasets', ['rs'], 'apps', 'v1', true),
];
// Endpoints' singular is "endpoints" in discovery.
RESOURCES.find((x) => x.kind === 'Endpoints')!.singular = 'endpoints';

export function apiVersionOf(res: Resource): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

/** `service`, `deployment.apps`: the qualified name kubectl uses in messages and `-o name`. */
export function qualifiedPlural(res: Resource): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}
export function qualifiedSingular(res: Resource): string {
  return res.group ? `${res.singular}.${res.group}` : res.singular;
}

const byName = new Map<string, Resource>();
for (const res of RESOURCES) {
  const names = [res.plural, res.singular, res.kind.toLowerCase(), ...res.shortNames];
  for (const n of names) {
    byName.set(n, res);
    if (res.group) {
      byName.set(`${n}.${res.group}`, res);
      byName.set(`${n}.${res.version}.${res.group}`, res);
    }
  }
}
// "Service", "svc", "Services.v1." — kubectl lower-cases the argument before matching.
export function lookupResource(name: string): Resource | undefined {
  return byName.get(name.toLowerCase()) ?? byName.get(name.toLowerCase().replace(/\.$/, ''));
}

export function resourceForKind(apiVersion: string, kind: string): Resource | undefined {
  return RESOURCES.find((x) => x.kind === kind && apiVersionOf(x) === apiVersion);
}
export function resourceByKind(kind: string): Resource {
  const res = RESOURCES.find((x) => x.kind === kind);
  if (!res) throw new Error(`unknown kind ${kind}`);
  return res;
}
