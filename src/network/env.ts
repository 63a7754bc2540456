// The environment a container starts with (kubelet's makeEnvironmentVariables): the image's own
// variables, the pod spec's env, and the service variables (pkg/kubelet/envvars) for the services
// of the pod's namespace that exist when the container starts, plus the master service. The service
// variables are fixed at start, which is why a pod created before its service has none of them.
// kubesim records which services a container started with (their names) and reads their addresses
// when asked: compact, and the same unless a service was deleted or changed since.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { imageRepo, NGINX_VERSION, HTTPD_VERSION, REDIS_VERSION } from './apps';
import { cmp } from '../util/compare';
import { configEnv } from './configenv';
import { userOf } from './container';

type Env = [string, string][];

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Variables the common images set (their Dockerfile ENV lines). */
function imageEnv(image: string): Env {
  const last = imageRepo(image).split('/').pop();
  switch (last) {
    case 'nginx':
      return [['NGINX_VERSION', NGINX_VERSION], ['NJS_VERSION', '0.8.7'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '1~bookworm']];
    case 'httpd':
      return [['HTTPD_PREFIX', '/usr/local/apache2'], ['HTTPD_VERSION', HTTPD_VERSION]];
    case 'redis':
      return [['REDIS_DOWNLOAD_URL', `http://download.redis.io/releases/redis-${REDIS_VERSION}.tar.gz`]];
    default:
      return [];
  }
}

function envName(svcName: string): string {
  return svcName.toUpperCase().replace(/-/g, '_');
}

/** envvars.FromServices: the variables for a list of services. */
export function serviceVariables(services: KObject[]): Env {
  const out: Env = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') continue;
    const ports = svc.spec.ports ?? [];
    if (!ports.length) continue;
    const name = envName(svc.metadata.name);
    out.push([`${name}_SERVICE_HOST`, ip]);
    out.push([`${name}_SERVICE_PORT`, String(ports[0].port)]);
    for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    const proto0 = (ports[0].protocol ?? 'TCP').toLowerCase();
    out.push([`${name}_PORT`, `${proto0}://${ip}:${ports[0].port}`]);
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${p.port}_${proto}`;
      out.push([prefix, `${proto.toLowerCase()}://${ip}:${p.port}`]);
      out.push([`${prefix}_PROTO`, proto.toLowerCase()]);
      out.push([`${prefix}_PORT`, String(p.port)]);
      out.push([`${prefix}_ADDR`, ip]);
    }
  }
  return out;
}

/** Service names by namespace, computed once per version of the services (many pods start in one command). */
const namesCache = new WeakMap<State, { version: number; byNs: Map<string, string[]> }>();

function serviceNames(state: State, ns: string): string[] {
  let c = namesCache.get(state);
  if (!c || c.version !== state.kindVersion('Service')) {
    c = { version: state.kindVersion('Service'), byNs: new Map() };
    namesCache.set(state, c);
  }
  let names = c.byNs.get(ns);
  if (!names) {
    names = state.list('Service', ns).map((s) => s.metadata.name);
    c.byNs.set(ns, names);
  }
  return names;
}

/**
 * The services a container starting now gets variables for: those of its namespace (unless
 * enableServiceLinks is false). The kubelet records their names at container start.
 */
export function servicesAtStart(state: State, pod: KObject): string[] {
  return pod.spec?.enableServiceLinks === false ? [] : serviceNames(state, pod.metadata.namespace as string);
}

/** The services whose variables a container sees: those recorded at its start, plus the master service. */
function visibleServices(state: State, pod: KObject, names: string[]): KObject[] {
  const ns = pod.metadata.namespace;
  const byName = new Map<string, KObject>();
  for (const n of names) {
    const s = state.get('Service', ns, n);
    if (s) byName.set(n, s);
  }
  const master = state.get('Service', 'default', 'kubernetes');
  if (master && !byName.has('kubernetes')) byName.set('kubernetes', master);
  return [...byName.values()].sort((a, b) => cmp(a.metadata.name, b.metadata.name));
}

/** A container's whole environment, in the order `printenv` shows it. */
export function containerEnv(state: State, pod: KObject, container: string): Env {
  const c = (pod.spec?.containers ?? []).find((x: { name: string }) => x.name === container);
  // the cluster's own pods started before kubesim kept anything: they see what is there now
  const recorded = state.runtime().env[pod.metadata.uid as string]?.[container] ?? servicesAtStart(state, pod);
  const services = serviceVariables(visibleServices(state, pod, recorded));
  const out: Env = [['PATH', PATH], ['HOSTNAME', pod.spec?.hostname ?? pod.metadata.name]];
  out.push(...imageEnv(c?.image ?? ''));
  // envFrom's variables come first; a key reference's value is taken as it is (issue 15: configenv.ts)
  // what the container started with (the kubelet resolves it once: a change needs a restart)
  const kept = state.runtime().configEnv?.[pod.metadata.uid as string]?.[container];
  const config = kept ? { env: kept.env, refs: new Map(Object.entries(kept.refs)) } : configEnv(state, pod, c);
  const own: Env = config.error === undefined ? [...config.env] : [];
  for (const e of (c?.env ?? []) as { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; configMapKeyRef?: unknown; secretKeyRef?: unknown } }[]) {
    if (!e.value && (e.valueFrom?.configMapKeyRef || e.valueFrom?.secretKeyRef)) {
      const v = config.error === undefined ? config.refs.get(e.name) : undefined;
      if (v !== undefined) own.push([e.name, v]);
      continue;
    }
    let v = e.value ?? '';
    const fp = e.valueFrom?.fieldRef?.fieldPath;
    if (fp === 'metadata.name') v = pod.metadata.name;
    else if (fp === 'metadata.namespace') v = pod.metadata.namespace as string;
    else if (fp === 'status.podIP') v = pod.status?.podIP ?? '';
    else if (fp === 'spec.nodeName') v = pod.spec?.nodeName ?? '';
    else if (fp === 'status.hostIP') v = pod.status?.hostIP ?? '';
    else if (fp === 'metadata.uid') v = String(pod.metadata.uid ?? '');
    else if (fp === 'spec.serviceAccountName') v = pod.spec?.serviceAccountName ?? '';
    else if (fp) {
      // metadata.labels['key'] / metadata.annotations['key'] (the downward API's subscripted paths)
      const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fp);
      if (m) v = (pod.metadata[m[1] as 'labels' | 'annotations'] as Record<string, string> | undefined)?.[m[2]] ?? '';
    }
    own.push([e.name, v.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => own.find(([k]) => k === n)?.[1] ?? services.find(([k]) => k === n)?.[1] ?? m)]);
  }
  const defined = new Set(own.map(([k]) => k));
  for (const kv of own) {
    const i = out.findIndex(([k]) => k === kv[0]);
    if (i >= 0) out[i] = kv;
    else out.push(kv);
  }
  for (const kv of services) if (!defined.has(kv[0])) out.push(kv);
  // runc: HOME from the user's /etc/passwd entry, "/" when it has none (securityContext.runAsUser)
  out.push(['HOME', c ? userOf(pod, c).home : '/root']);
  return out;
}
