// What a `get` table needs of an object, kept beside each shard of the big kinds: the apiserver's
// Table conversion is cheap when the server has the objects in memory; kubesim reads them from disk,
// and a 30,000-pod table should not parse 80 MB. A summary is the object with only the fields the
// table columns, label selectors, field selectors and `-o name` read (a test checks the columns
// give the same rows from the summary as from the object).
import type { KObject } from './types';

/** A field tree: true keeps a field whole; an object keeps those of its fields (mapped over arrays). */
type Keep = { [field: string]: true | Keep };

const META: Keep = { name: true, namespace: true, creationTimestamp: true, deletionTimestamp: true, labels: true };
const CONTAINER_STATUS: Keep = { name: true, ready: true, restartCount: true, state: true, lastState: { terminated: { finishedAt: true } } };

const KEEP: Record<string, Keep> = {
  Pod: {
    apiVersion: true,
    kind: true,
    metadata: META,
    spec: {
      containers: { name: true },
      initContainers: { name: true, restartPolicy: true },
      nodeName: true,
      readinessGates: true,
      restartPolicy: true,
      schedulerName: true,
      serviceAccountName: true,
      hostNetwork: true,
    },
    status: {
      phase: true,
      reason: true,
      conditions: { type: true, status: true, reason: true },
      podIP: true,
      podIPs: true,
      nominatedNodeName: true,
      containerStatuses: CONTAINER_STATUS,
      initContainerStatuses: CONTAINER_STATUS,
    },
  },
  Service: {
    apiVersion: true,
    kind: true,
    metadata: META,
    spec: { type: true, clusterIP: true, clusterIPs: true, externalIPs: true, externalName: true, ports: { port: true, nodePort: true, protocol: true }, selector: true },
    status: { loadBalancer: { ingress: { ip: true, hostname: true } } },
  },
};

export function hasSummary(kind: string): boolean {
  return Object.hasOwn(KEEP, kind);
}

export function summarize(o: KObject): KObject {
  const out = pick(o, KEEP[o.kind]) as KObject;
  if (o.kind === 'Pod' && Array.isArray(out.status?.conditions)) {
    // the columns read the Ready and PodScheduled conditions and those of readiness gates
    const gates = new Set(((o.spec?.readinessGates ?? []) as { conditionType?: string }[]).map((g) => g.conditionType));
    out.status.conditions = out.status.conditions.filter((c: { type?: string }) => c.type === 'Ready' || c.type === 'PodScheduled' || gates.has(c.type));
  }
  return out;
}

function pick(v: unknown, keep: Keep): unknown {
  if (Array.isArray(v)) return v.map((x) => pick(x, keep));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(keep)) {
    if (!Object.hasOwn(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    out[k] = sub === true ? x : pick(x, sub);
  }
  return out;
}
