// `kubesim graph`: the cluster map (graph/model.ts) as Mermaid or Graphviz dot text, for notes and
// READMEs. Pure: the same map prints the same text. Both formats draw the same things: one box per
// node holding its pods (kubectl's STATUS, READY and IP), the Services (type, ClusterIP, PORT(S)),
// an arrow from each Service to each pod endpoint (dashed when the endpoint is not ready), and the
// ownership chain (Deployment → ReplicaSet → Pod, StatefulSet/DaemonSet/Job → Pod) in thick arrows.
import type { ClusterMap, MapNode, MapPod, MapService, MapWorkload, ObjectRef } from '../graph/model';

/** Workload kinds as their short names label them (kubectl's short names). */
const SHORT: Record<string, string> = { Deployment: 'deploy', ReplicaSet: 'rs', StatefulSet: 'sts', DaemonSet: 'ds', Job: 'job', CronJob: 'cj', Pod: 'pod', Service: 'svc' };

/** A pod's STATUS (and READY) as one of four looks: running and ready, waiting, finished, failing. */
export function statusClass(status: string, ready = ''): 'ok' | 'wait' | 'done' | 'bad' {
  const [r, of] = ready.split('/');
  if (status === 'Running') return r === of || !ready ? 'ok' : 'wait';
  if (status === 'Completed' || status === 'Succeeded' || status === 'Terminating') return 'done';
  if (status === 'Pending' || status === 'ContainerCreating' || status === 'PodInitializing' || status === 'SchedulingGated' || /^Init:\d+\/\d+$/.test(status)) return 'wait';
  return 'bad';
}

function refKey(r: ObjectRef): string {
  return `${SHORT[r.kind] ?? r.kind.toLowerCase()}/${r.namespace ?? ''}/${r.name}`;
}

/**
 * Mermaid ids: letters, digits and underscores only (a "-" next to "->" would read as an edge), so
 * `pod/default/web-7d9f-abc` becomes `pod_default_web_7d9f_abc`; two names that escape alike (a.b,
 * a-b) get _2, _3 … in the map's stable order.
 */
class Ids {
  private byKey = new Map<string, string>();
  private used = new Set<string>();
  id(key: string): string {
    let id = this.byKey.get(key);
    if (id) return id;
    const base = key.replace(/[^A-Za-z0-9]/g, '_');
    id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }
}

function podKey(p: MapPod): string {
  return refKey({ kind: 'Pod', namespace: p.namespace, name: p.name });
}

function podLines(p: MapPod, withNs: boolean): string[] {
  return [withNs ? `${p.namespace}/${p.name}` : p.name, `${p.status} ${p.ready}`, ...(p.ip ? [p.ip] : [])];
}

function serviceLines(s: MapService, withNs: boolean): string[] {
  return [`svc ${withNs ? `${s.namespace}/${s.name}` : s.name}`, `${s.type} ${s.clusterIP || '<none>'}`, s.portsText];
}

function workloadLine(w: MapWorkload, withNs: boolean): string {
  return `${SHORT[w.kind]} ${withNs ? `${w.namespace}/${w.name}` : w.name}`;
}

function nodeLines(n: MapNode): string[] {
  return [n.name, `${n.status} ${n.roles}`, ...(n.internalIP ? [n.internalIP] : []), ...(n.zone ? [`zone ${n.zone}`] : [])];
}

interface Group {
  /** the node's name; none for the pods not scheduled yet */
  name?: string;
  /** the node, when the map has it (a user who may not list nodes still sees where pods run) */
  node?: MapNode;
  pods: MapPod[];
}

/** Pods grouped by node, in the map's node order, then nodes the map lacks, then unscheduled pods. */
function podsByNode(m: ClusterMap): Group[] {
  const groups: Group[] = m.nodes.map((node) => ({ name: node.name, node, pods: m.pods.filter((p) => p.node === node.name) }));
  const names = new Set(m.nodes.map((n) => n.name));
  const missing = [...new Set(m.pods.map((p) => p.node).filter((n): n is string => !!n && !names.has(n)))].sort();
  for (const name of missing) groups.push({ name, pods: m.pods.filter((p) => p.node === name) });
  const rest = m.pods.filter((p) => !p.node);
  if (rest.length) groups.push({ pods: rest });
  return groups;
}

function groupTitle(g: Group): string[] {
  return g.node ? nodeLines(g.node) : g.name ? [g.name] : ['not scheduled'];
}

function withNamespaces(m: ClusterMap): boolean {
  return new Set([...m.pods.map((p) => p.namespace), ...m.services.map((s) => s.namespace), ...m.workloads.map((w) => w.namespace)]).size > 1;
}

/** Mermaid's entity codes for the characters a quoted label cannot hold. */
function mermaidText(lines: string[]): string {
  return lines.map((l) => l.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>');
}

export function toMermaid(m: ClusterMap): string {
  const ids = new Ids();
  const ns = withNamespaces(m);
  const out: string[] = ['flowchart LR'];
  const classes: Record<string, string[]> = { ok: [], wait: [], done: [], bad: [] };
  for (const g of podsByNode(m)) {
    const gid = ids.id(g.name ? `node/${g.name}` : 'unscheduled');
    out.push(`  subgraph ${gid}["${mermaidText(groupTitle(g))}"]`);
    for (const p of g.pods) {
      const id = ids.id(podKey(p));
      out.push(`    ${id}["${mermaidText(podLines(p, ns))}"]`);
      classes[statusClass(p.status, p.ready)].push(id);
    }
    out.push('  end');
    if (g.node && !g.node.ready) out.push(`  style ${gid} fill:#fde2e2,stroke:#c0392b`);
    else if (g.node?.unschedulable) out.push(`  style ${gid} fill:#eeeeee,stroke:#888888,stroke-dasharray: 5 5`);
  }
  for (const s of m.services) out.push(`  ${ids.id(refKey({ kind: 'Service', namespace: s.namespace, name: s.name }))}{{"${mermaidText(serviceLines(s, ns))}"}}`);
  for (const w of m.workloads) out.push(`  ${ids.id(refKey(w))}("${mermaidText([workloadLine(w, ns)])}")`);
  for (const e of m.edges) out.push(`  ${ids.id(refKey(e.service))} ${e.ready ? '-->' : '-.->'} ${ids.id(refKey(e.pod))}`);
  for (const o of m.owners) out.push(`  ${ids.id(refKey(o.owner))} ==> ${ids.id(refKey(o.owned))}`);
  out.push('  classDef ok fill:#d5f5d5,stroke:#2e8b57', '  classDef wait fill:#fff3c4,stroke:#b8860b', '  classDef done fill:#e8e8e8,stroke:#777777', '  classDef bad fill:#fde2e2,stroke:#c0392b');
  for (const [cls, members] of Object.entries(classes)) if (members.length) out.push(`  class ${members.join(',')} ${cls}`);
  return out.join('\n') + '\n';
}

/** A dot ID in double quotes: `"` and `\` escaped; \n in labels is dot's centred line break. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function dotLabel(lines: string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

const FILL: Record<string, string> = { ok: '#d5f5d5', wait: '#fff3c4', done: '#e8e8e8', bad: '#fde2e2' };

export function toDot(m: ClusterMap): string {
  const ns = withNamespaces(m);
  const out: string[] = ['digraph cluster {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const g of podsByNode(m)) {
    const name = g.name ? `cluster_node_${g.name}` : 'cluster_unscheduled';
    const style = g.node && !g.node.ready ? ' style=filled; fillcolor="#fde2e2";' : g.node?.unschedulable ? ' style=dashed;' : '';
    out.push(`  subgraph ${q(name)} {`, `    label=${dotLabel(groupTitle(g))};${style}`);
    for (const p of g.pods) out.push(`    ${q(podKey(p))} [label=${dotLabel(podLines(p, ns))}, shape=box, style=filled, fillcolor=${q(FILL[statusClass(p.status, p.ready)])}];`);
    out.push('  }');
  }
  for (const s of m.services) out.push(`  ${q(refKey({ kind: 'Service', namespace: s.namespace, name: s.name }))} [label=${dotLabel(serviceLines(s, ns))}, shape=hexagon];`);
  for (const w of m.workloads) out.push(`  ${q(refKey(w))} [label=${dotLabel([workloadLine(w, ns)])}, shape=box, style=rounded];`);
  for (const e of m.edges) out.push(`  ${q(refKey(e.service))} -> ${q(refKey(e.pod))}${e.ready ? '' : ' [style=dashed]'};`);
  for (const o of m.owners) out.push(`  ${q(refKey(o.owner))} -> ${q(refKey(o.owned))} [style=bold, color="#555555"];`);
  out.push('}');
  return out.join('\n') + '\n';
}
