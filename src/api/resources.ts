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
  /** discovery's categories: `all` is what `kubectl get all` expands to */
  categories?: string[];
  /** versions also served besides the stored `version` (a request there is converted: Strategy.convertIn) */
  otherVersions?: string[];
  /** the state file holding this kind */
  file: string;
}

/**
 * Every kind kubesim serves, in registration order: each kind module in src/apiserver/kinds
 * registers its resource (src/apiserver/kinds/index.ts imports them all, before any command runs).
 */
export const RESOURCES: Resource[] = [];

export function apiVersionOf(res: Resource): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

/** `service`, `deployment.apps`: the qualified name kubectl uses in messages and `-o name`. */
export function qualifiedPlural(res: Resource): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}
export function qualifiedSingular(res: Resource): string {
  // a resource whose discovery names no singular (metrics-server's) goes by its lower-cased kind
  const singular = res.singular || res.kind.toLowerCase();
  return res.group ? `${singular}.${res.group}` : singular;
}

const byName = new Map<string, Resource>();
// (the store asks for a kind's resource on every object it touches: a thousand-object create, often)
const byKind = new Map<string, Resource>();

export function registerResource(res: Resource): void {
  if (byKind.has(res.kind)) throw new Error(`kind ${res.kind} registered twice`);
  RESOURCES.push(res);
  byKind.set(res.kind, res);
  const names = [res.plural, res.singular, res.kind.toLowerCase(), ...res.shortNames];
  for (const n of names) {
    byName.set(n, res);
    if (res.group) {
      byName.set(`${n}.${res.group}`, res);
      byName.set(`${n}.${res.version}.${res.group}`, res);
    }
  }
  // `hpa.v1.autoscaling`: the kind at another served version (what reads convert its objects to)
  for (const v of res.otherVersions ?? []) {
    const at: Resource = { ...res, version: v };
    for (const n of names) byName.set(`${n}.${v}.${res.group}`, at);
  }
}

// "Service", "svc", "Services.v1." — kubectl lower-cases the argument before matching.
export function lookupResource(name: string): Resource | undefined {
  return byName.get(name.toLowerCase()) ?? byName.get(name.toLowerCase().replace(/\.$/, ''));
}

export function resourceForKind(apiVersion: string, kind: string): Resource | undefined {
  const x = byKind.get(kind);
  return x && (apiVersionOf(x) === apiVersion || (x.otherVersions ?? []).some((v) => `${x.group}/${v}` === apiVersion)) ? x : undefined;
}
export function resourceByKind(kind: string): Resource {
  const res = byKind.get(kind);
  if (!res) throw new Error(`unknown kind ${kind}`);
  return res;
}

/** The apiserver's group priority, the order discovery (and so `api-resources` and `all`) lists groups in. */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

const groupRank = (g: string) => {
  const i = GROUP_ORDER.indexOf(g);
  return i < 0 ? GROUP_ORDER.length : i;
};

/** Resources in discovery order: by group priority, then by plural name. */
export function inDiscoveryOrder(list: Resource[]): Resource[] {
  return [...list].sort((a, b) => groupRank(a.group) - groupRank(b.group) || (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
}

/** The resources of a category (`all`), in discovery order, as kubectl's category expander gives them. */
export function categoryMembers(category: string): Resource[] {
  return inDiscoveryOrder(RESOURCES.filter((r) => r.categories?.includes(category)));
}
