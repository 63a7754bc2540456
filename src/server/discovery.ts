// Discovery as the apiserver serves it, built from kubesim's resource registry (src/api/resources.ts,
// filled by the strategy modules): /version, /api, /apis, /api/v1 and /apis/<g>/<v> (APIResourceList),
// /apis/<g> (APIGroup), and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1, what kubectl
// 1.32 asks for first: REFERENCE §9). Kubernetes: staging/src/k8s.io/apiserver/pkg/endpoints/discovery.
import { StatusError } from '../api/errors';
import { inDiscoveryOrder, RESOURCES, type Resource } from '../api/resources';
import { UNSTORED } from '../api/unstored';
import { openRead } from '../apiserver/transaction';
import { versionInfo } from '../api/version';
import { sendJSON, type RequestContext } from './context';

interface Sub {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

const STATUS: Sub = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };
const SCALE: Sub = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
const PROXY = (kind: string): Sub => ({ name: 'proxy', kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] });

/** The subresources each resource has in kube-apiserver 1.32 (pkg/registry/<group>/<kind>/storage), kind '' = the resource's own. */
const SUBRESOURCES: Record<string, Sub[]> = {
  namespaces: [{ name: 'finalize', kind: '', verbs: ['update'] }, STATUS],
  nodes: [PROXY('NodeProxyOptions'), STATUS],
  persistentvolumeclaims: [STATUS],
  persistentvolumes: [STATUS],
  pods: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'binding', kind: 'Binding', verbs: ['create'] },
    { name: 'ephemeralcontainers', kind: '', verbs: ['get', 'patch', 'update'] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: '', verbs: ['get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    PROXY('PodProxyOptions'),
    STATUS,
  ],
  resourcequotas: [STATUS],
  serviceaccounts: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  services: [PROXY('ServiceProxyOptions'), STATUS],
  daemonsets: [STATUS],
  deployments: [SCALE, STATUS],
  replicasets: [SCALE, STATUS],
  statefulsets: [SCALE, STATUS],
  horizontalpodautoscalers: [STATUS],
  cronjobs: [STATUS],
  jobs: [STATUS],
  poddisruptionbudgets: [STATUS],
};

export function subresourcesOf(res: Resource): Sub[] {
  return SUBRESOURCES[res.plural] ?? [];
}

interface GroupVersions {
  group: string;
  /** the preferred (stored) version first */
  versions: string[];
}

/** The groups in discovery order, each with its versions (the stored one first, then the others served). */
export function groups(): GroupVersions[] {
  const out: GroupVersions[] = [];
  for (const r of inDiscoveryOrder([...RESOURCES, ...UNSTORED])) {
    let g = out.find((x) => x.group === r.group);
    if (!g) out.push((g = { group: r.group, versions: [] }));
    for (const v of [r.version, ...(r.otherVersions ?? [])]) if (!g.versions.includes(v)) g.versions.push(v);
  }
  return out;
}

/** The resources served at group/version, in discovery order; `unstored`: the review and metrics APIs too (src/api/unstored.ts). */
export function resourcesAt(group: string, version: string, unstored = false): Resource[] {
  const all = unstored ? [...RESOURCES, ...UNSTORED] : RESOURCES;
  return inDiscoveryOrder(all.filter((r) => r.group === group && (r.version === version || (r.otherVersions ?? []).includes(version))));
}

const gv = (group: string, version: string) => (group ? `${group}/${version}` : version);

/** metav1.APIResourceList of one group/version (with the subresources as "pods/log"). */
export function resourceList(group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const r of resourcesAt(group, version, true)) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    });
    for (const s of subresourcesOf(r)) {
      resources.push({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, ...(s.group !== undefined ? { group: s.group, version: s.version } : {}), kind: s.kind || r.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources };
}

function groupOf(g: GroupVersions): Record<string, unknown> {
  return {
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: gv(g.group, v), version: v })),
    preferredVersion: { groupVersion: gv(g.group, g.versions[0]), version: g.versions[0] },
  };
}

/** apidiscovery.k8s.io APIGroupDiscovery of one group: every version with its resources and subresources. */
function groupDiscovery(g: GroupVersions): Record<string, unknown> {
  return {
    metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: resourcesAt(g.group, v, true).map((r) => ({
        resource: r.plural,
        responseKind: { group: r.group, version: v, kind: r.kind },
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singular,
        verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories?.length ? { categories: r.categories } : {}),
        ...(subresourcesOf(r).length
          ? { subresources: subresourcesOf(r).map((s) => ({ subresource: s.name, responseKind: { group: s.group ?? r.group, version: s.version ?? v, kind: s.kind || r.kind }, verbs: s.verbs })) }
          : {}),
      })),
      freshness: 'Current',
    })),
  };
}

/** The aggregated-discovery version the Accept header asks for first (v2 or v2beta1), if any. */
export function aggregatedVersion(accept: string | undefined): string | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').map((x) => x.trim());
    if (params[0] !== 'application/json' && params[0] !== '*/*') continue;
    const p = Object.fromEntries(params.slice(1).map((x) => x.split('=') as [string, string]));
    if (p.g === 'apidiscovery.k8s.io' && p.as === 'APIGroupDiscoveryList' && (p.v === 'v2' || p.v === 'v2beta1')) return p.v;
    if (!p.as) return undefined; // plain JSON preferred before any aggregated form
  }
  return undefined;
}

export function handle(ctx: RequestContext): void {
  const s = ctx.segments;
  if (s.length === 0) {
    // the root lists what is served (the apiserver's index: metav1.RootPaths)
    const paths = ['/api', '/api/v1', '/apis', ...groups().flatMap((g) => (g.group ? [`/apis/${g.group}`, ...g.versions.map((v) => `/apis/${g.group}/${v}`)] : [])), '/openapi/v2', '/openapi/v3', '/version'];
    return sendJSON(ctx, 200, JSON.stringify({ paths: paths.sort() }, null, 2));
  }
  if (s[0] === 'version') {
    return sendJSON(ctx, 200, JSON.stringify(versionInfo(openRead(ctx.store).config.kubernetesVersion), null, 2));
  }
  const all = groups();
  if (s.length === 1) {
    const agg = aggregatedVersion(ctx.req.headers.accept);
    const mine = all.filter((g) => (s[0] === 'api' ? g.group === '' : g.group !== ''));
    if (agg) {
      const body = { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${agg}`, metadata: {}, items: mine.map(groupDiscovery) };
      return sendJSON(ctx, 200, body, { 'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList` });
    }
    if (s[0] === 'api') {
      const host = ctx.req.headers.host ?? '127.0.0.1';
      return sendJSON(ctx, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] });
    }
    return sendJSON(ctx, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: mine.map(groupOf) });
  }
  const group = s[0] === 'api' ? '' : s[1];
  const version = s[0] === 'api' ? s[1] : s[2];
  const g = all.find((x) => x.group === group);
  if (g && version === undefined) return sendJSON(ctx, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(g) });
  if (g && g.versions.includes(version)) return sendJSON(ctx, 200, resourceList(group, version));
  throw new StatusError('NotFound', 'the server could not find the requested resource');
}
