// kubectl get's server-side columns per kind (kubernetes pkg/printers/internalversion/printers.go).
// Each column has a header, whether it is wide-only (priority 1), and a cell function.
import { formatMap } from '../api/labels';
import type { KObject } from '../api/types';
import { age } from './age';
import { isNodeReady, nodeStatus } from '../api/nodeutil';

export interface Column {
  header: string;
  wide?: boolean;
  cell: (o: KObject) => string;
}

const name: Column = { header: 'NAME', cell: (o) => o.metadata.name };
const ageCol: Column = { header: 'AGE', cell: (o) => age(o.metadata.creationTimestamp) };

/** "a,b,c + N more..." as kubectl's list helpers print long lists. */
function withMore(list: string[], count: number, max: number, empty: string): string {
  const ret = list.join(',');
  if (count > max) return `${ret} + ${count - max} more...`;
  return ret === '' ? empty : ret;
}

// ---- Service ----
function serviceExternalIP(svc: KObject, wide: boolean): string {
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress: { ip?: string; hostname?: string }[] = svc.status?.loadBalancer?.ingress ?? [];
      const seen = new Set<string>();
      for (const i of ingress) {
        const v = i.ip || i.hostname;
        if (v) seen.add(v);
      }
      let lb = [...seen].sort().join(',');
      if (!wide && lb.length > 16) lb = lb.slice(0, 13) + '...';
      const all = [lb, ...externalIPs].filter((x) => x !== '');
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export function servicePorts(svc: KObject): string {
  const ports: { port: number; nodePort?: number; protocol?: string }[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function clusterIP(svc: KObject): string {
  const ips: string[] = svc.spec?.clusterIPs ?? [];
  const ip = ips[0] ?? svc.spec?.clusterIP;
  return ip ? ip : '<none>';
}

function serviceColumns(wide: boolean): Column[] {
  return [
    name,
    { header: 'TYPE', cell: (o) => o.spec?.type ?? '' },
    { header: 'CLUSTER-IP', cell: clusterIP },
    { header: 'EXTERNAL-IP', cell: (o) => serviceExternalIP(o, wide) },
    { header: 'PORT(S)', cell: servicePorts },
    ageCol,
    { header: 'SELECTOR', wide: true, cell: (o) => formatMap(o.spec?.selector) },
  ];
}

// ---- Pod ----
interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

export function podStatusCells(pod: KObject): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const initSpecs: { name: string; restartPolicy?: string }[] = spec.initContainers ?? [];
  for (const ic of initSpecs) if (ic.restartPolicy === 'Always') total++;
  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  initStatuses.forEach((c, i) => {
    restarts += c.restartCount ?? 0;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    if (initializing) return;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
  });
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const cs: ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const fin = c.lastState?.terminated?.finishedAt;
      if (fin && Date.parse(fin) > lastRestart) lastRestart = Date.parse(fin);
      const st = c.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
      else if (c.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${age(new Date(lastRestart).toISOString())} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsStr };
}

const orNone = (s: string | undefined) => (s ? s : '<none>');

function podColumns(): Column[] {
  return [
    name,
    { header: 'READY', cell: (o) => podStatusCells(o).ready },
    { header: 'STATUS', cell: (o) => podStatusCells(o).status },
    { header: 'RESTARTS', cell: (o) => podStatusCells(o).restarts },
    ageCol,
    { header: 'IP', wide: true, cell: (o) => orNone(o.status?.podIPs?.[0]?.ip) },
    { header: 'NODE', wide: true, cell: (o) => orNone(o.spec?.nodeName) },
    { header: 'NOMINATED NODE', wide: true, cell: (o) => orNone(o.status?.nominatedNodeName) },
    {
      header: 'READINESS GATES',
      wide: true,
      cell: (o) => {
        const gates: { conditionType: string }[] = o.spec?.readinessGates ?? [];
        if (!gates.length) return '<none>';
        const conds: { type: string; status: string }[] = o.status?.conditions ?? [];
        const ok = gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length;
        return `${ok}/${gates.length}`;
      },
    },
  ];
}

// ---- Node ----
export { isNodeReady, nodeStatus };

export function nodeRoles(node: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((node.metadata.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(node: KObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: { type: string }) => x.type === type);
  // getNodeInternalIP: the first address of the type, empty when it has none
  return a ? String(a.address ?? '') : '<none>';
}
const unknown = (s: string | undefined) => (s ? s : '<unknown>');

function nodeColumns(): Column[] {
  return [
    name,
    { header: 'STATUS', cell: nodeStatus },
    { header: 'ROLES', cell: nodeRoles },
    ageCol,
    { header: 'VERSION', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    { header: 'INTERNAL-IP', wide: true, cell: (o) => nodeAddress(o, 'InternalIP') },
    { header: 'EXTERNAL-IP', wide: true, cell: (o) => nodeAddress(o, 'ExternalIP') },
    { header: 'OS-IMAGE', wide: true, cell: (o) => unknown(o.status?.nodeInfo?.osImage) },
    { header: 'KERNEL-VERSION', wide: true, cell: (o) => unknown(o.status?.nodeInfo?.kernelVersion) },
    { header: 'CONTAINER-RUNTIME', wide: true, cell: (o) => unknown(o.status?.nodeInfo?.containerRuntimeVersion) },
  ];
}

// ---- Endpoints / EndpointSlice ----
export function formatEndpoints(ep: KObject, portNames?: Set<string>): string {
  const subsets: { addresses?: { ip: string }[]; ports?: { name?: string; port: number }[] }[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip);
      continue;
    }
    for (const p of ss.ports) {
      if (portNames && !portNames.has(p.name ?? '')) continue;
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
    }
  }
  const ret = list.join(',');
  return count > max ? `${ret} + ${count - max} more...` : ret;
}

function sliceColumns(): Column[] {
  return [
    name,
    { header: 'ADDRESSTYPE', cell: (o) => o.addressType ?? '' },
    {
      header: 'PORTS',
      cell: (o) => {
        const ports: { port?: number; name?: string }[] = o.ports ?? [];
        const list = ports.slice(0, 3).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
        return withMore(list, ports.length, 3, '<unset>');
      },
    },
    {
      header: 'ENDPOINTS',
      cell: (o) => {
        const addrs: string[] = (o.endpoints ?? []).flatMap((e: { addresses?: string[] }) => e.addresses ?? []);
        return withMore(addrs.slice(0, 3), addrs.length, 3, '<unset>');
      },
    },
    ageCol,
  ];
}

// ---- workloads, namespaces, events ----
const containers = (o: KObject) => (o.spec?.template?.spec?.containers ?? []) as { name: string; image: string }[];
const labelSelector = (o: KObject) => {
  const sel = o.spec?.selector ?? {};
  const parts = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator).toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
};
const workloadWide: Column[] = [
  { header: 'CONTAINERS', wide: true, cell: (o) => containers(o).map((c) => c.name).join(',') },
  { header: 'IMAGES', wide: true, cell: (o) => containers(o).map((c) => c.image).join(',') },
  { header: 'SELECTOR', wide: true, cell: labelSelector },
];

function deploymentColumns(): Column[] {
  return [
    name,
    { header: 'READY', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { header: 'UP-TO-DATE', cell: (o) => String(o.status?.updatedReplicas ?? 0) },
    { header: 'AVAILABLE', cell: (o) => String(o.status?.availableReplicas ?? 0) },
    ageCol,
    ...workloadWide,
  ];
}

function replicaSetColumns(): Column[] {
  return [
    name,
    { header: 'DESIRED', cell: (o) => String(o.spec?.replicas ?? 0) },
    { header: 'CURRENT', cell: (o) => String(o.status?.replicas ?? 0) },
    { header: 'READY', cell: (o) => String(o.status?.readyReplicas ?? 0) },
    ageCol,
    ...workloadWide,
  ];
}

function eventColumns(): Column[] {
  const last = (o: KObject) => o.lastTimestamp || o.eventTime || o.firstTimestamp || o.metadata.creationTimestamp;
  return [
    { header: 'LAST SEEN', cell: (o) => age(last(o)) },
    { header: 'TYPE', cell: (o) => o.type ?? '' },
    { header: 'REASON', cell: (o) => o.reason ?? '' },
    { header: 'OBJECT', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
    { header: 'MESSAGE', cell: (o) => String(o.message ?? '').trim() },
  ];
}

export function columnsFor(kind: string, wide: boolean): Column[] {
  let cols: Column[];
  switch (kind) {
    case 'Service':
      cols = serviceColumns(wide);
      break;
    case 'Pod':
      cols = podColumns();
      break;
    case 'Node':
      cols = nodeColumns();
      break;
    case 'Endpoints':
      cols = [name, { header: 'ENDPOINTS', cell: (o) => formatEndpoints(o) }, ageCol];
      break;
    case 'EndpointSlice':
      cols = sliceColumns();
      break;
    case 'Namespace':
      cols = [name, { header: 'STATUS', cell: (o) => o.status?.phase ?? '' }, ageCol];
      break;
    case 'Deployment':
      cols = deploymentColumns();
      break;
    case 'ReplicaSet':
      cols = replicaSetColumns();
      break;
    case 'Event':
      cols = eventColumns();
      break;
    default:
      cols = [name, ageCol];
  }
  return cols.filter((c) => wide || !c.wide);
}
