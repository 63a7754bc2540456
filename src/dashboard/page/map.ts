/// <reference lib="dom" />
// The cluster map: Services on top, the nodes as regions with their pods inside, the workloads that
// own the pods below; an SVG layer draws Service → endpoint pod (dashed when not ready) and
// Deployment → ReplicaSet → Pod. Nodes as columns need no graph layout: the browser's flexbox is it.
import type { MapPod, MapService, MapWorkload, ObjectRef } from '../../graph/model';
import type { VersionedMap } from '../server';
import { h, s } from './dom';
import { statusClass } from './status';

export type Select = (ref: ObjectRef) => void;

export const refKey = (r: { kind: string; namespace?: string; name: string }) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

const ports = (svc: MapService) => svc.ports.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol}`).join(',');

function card(kind: string, ns: string | undefined, name: string, cls: string, select: Select, ...children: (Node | string | undefined | false)[]): HTMLElement {
  return h('div', { class: `obj ${cls}`, 'data-key': refKey({ kind, namespace: ns, name }), 'data-kind': kind, 'data-ns': ns ?? '', 'data-name': name, tabindex: 0, title: `${kind} ${ns ? ns + '/' : ''}${name}`, onclick: (e) => (e.stopPropagation(), select({ kind, namespace: ns, name })), onkeydown: (e) => (e as KeyboardEvent).key === 'Enter' && select({ kind, namespace: ns, name }) }, ...children);
}

function podCard(p: MapPod, select: Select): HTMLElement {
  const cls = statusClass(p.status);
  const [ready, total] = p.ready.split('/');
  return card(
    'Pod',
    p.namespace,
    p.name,
    `pod ${cls}${ready !== total && cls === 'ok' ? ' unready' : ''}`,
    select,
    h('div', { class: 'name' }, p.name),
    h('div', { class: 'meta' }, h('span', { class: `status ${cls}`, 'data-status': p.status }, p.status), ' ', p.ready, p.restarts !== '0' ? ` ↻${p.restarts.split(' ')[0]}` : ''),
    h('div', { class: 'ip' }, p.ip ?? '<none>'),
  );
}

function serviceCard(svc: MapService, select: Select, prefix: string): HTMLElement {
  return card(
    'Service',
    svc.namespace,
    svc.name,
    `svc type-${svc.type}`,
    select,
    h('div', { class: 'name' }, prefix + svc.name),
    h('div', { class: 'meta' }, h('span', { class: 'type' }, svc.type), ' ', svc.clusterIP),
    h('div', { class: 'ports' }, ports(svc) || '<none>'),
  );
}

function workloadCard(w: MapWorkload, select: Select): HTMLElement {
  return card(w.kind, w.namespace, w.name, `workload kind-${w.kind}`, select, h('div', { class: 'kind' }, w.kind), h('div', { class: 'name' }, w.name));
}

/** Builds the map's DOM into root (replacing what was there); lines are drawn by drawLines once laid out. */
export function renderMap(root: HTMLElement, m: VersionedMap, select: Select): void {
  const multiNs = new Set(m.services.map((x) => x.namespace)).size > 1;
  const label = (ns: string | undefined) => (multiNs && ns ? ns + '/' : '');
  const services = h('section', { class: 'band services' }, h('h2', {}, `Services (${m.services.length})`), h('div', { class: 'row' }, ...m.services.map((svc) => serviceCard(svc, select, label(svc.namespace)))));
  const byNode = new Map<string, MapPod[]>();
  for (const p of m.pods) {
    const k = p.node ?? '';
    byNode.set(k, [...(byNode.get(k) ?? []), p]);
  }
  const nodeRegion = (name: string, head: HTMLElement, cls: string, pods: MapPod[], attrs: Record<string, string> = {}) =>
    h('div', { class: `node ${cls}`, 'data-name': name, ...attrs }, head, h('div', { class: 'pods' }, ...pods.map((p) => podCard(p, select))));
  const nodes = m.nodes.map((n) =>
    nodeRegion(
      n.name,
      card('Node', undefined, n.name, 'nodehead', select, h('div', { class: 'name' }, n.name, h('span', { class: 'status' }, n.status)), h('div', { class: 'meta' }, `${n.internalIP} · ${n.roles} · pods ${n.podCIDR ?? ''}`)),
      `${n.ready ? 'ready' : 'notready'}${n.unschedulable ? ' cordoned' : ''}`,
      byNode.get(n.name) ?? [],
      { 'data-ready': String(n.ready), 'data-cordoned': String(n.unschedulable), 'data-ip': n.internalIP },
    ),
  );
  const unscheduled = byNode.get('') ?? [];
  if (unscheduled.length) nodes.push(nodeRegion('', h('div', { class: 'nodehead' }, h('div', { class: 'name' }, 'not scheduled')), 'unscheduled', unscheduled));
  const workloads = m.workloads.filter((w) => w.kind !== 'ReplicaSet' || m.owners.some((o) => o.owner.kind === 'ReplicaSet' && o.owner.name === w.name && o.owner.namespace === w.namespace));
  root.replaceChildren(
    services,
    h('section', { class: 'band nodes' }, h('h2', {}, `Nodes (${m.nodes.length}) · Pods (${m.pods.length})`), h('div', { class: 'row' }, ...nodes)),
    h('section', { class: 'band workloads' }, h('h2', {}, `Workloads (${m.workloads.length})`), h('div', { class: 'row' }, ...workloads.map((w) => workloadCard(w, select)))),
    s('svg', { class: 'lines', 'aria-hidden': 'true' }),
  );
}

/** The lines between cards, from where the browser laid them out (again on resize). */
export function drawLines(root: HTMLElement, m: VersionedMap): void {
  const svg = root.querySelector('svg.lines') as SVGSVGElement | null;
  if (!svg) return;
  const box = root.getBoundingClientRect();
  svg.setAttribute('width', String(root.scrollWidth));
  svg.setAttribute('height', String(root.scrollHeight));
  const at = new Map<string, DOMRect>();
  root.querySelectorAll<HTMLElement>('.obj[data-key]').forEach((el) => at.set(el.dataset.key!, el.getBoundingClientRect()));
  const x = (r: DOMRect) => r.left + r.width / 2 - box.left + root.scrollLeft;
  const top = (r: DOMRect) => r.top - box.top + root.scrollTop;
  const bottom = (r: DOMRect) => r.bottom - box.top + root.scrollTop;
  const curve = (x1: number, y1: number, x2: number, y2: number) => `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
  const paths: SVGElement[] = [];
  for (const e of m.edges) {
    const a = at.get(refKey(e.service));
    const b = at.get(refKey(e.pod));
    if (a && b) paths.push(s('path', { d: curve(x(a), bottom(a), x(b), top(b)), class: `edge endpoint${e.ready ? '' : ' notready'}`, 'data-from': refKey(e.service), 'data-to': refKey(e.pod) }));
  }
  for (const o of m.owners) {
    const a = at.get(refKey(o.owner));
    const b = at.get(refKey(o.owned));
    if (!a || !b) continue;
    // a workload below owns a pod above: from the owner's top to the pod's bottom; workload to workload side by side
    const d = o.owned.kind === 'Pod' ? curve(x(a), top(a), x(b), bottom(b)) : `M${x(a)},${bottom(a) - 4} L${x(b)},${bottom(b) - 4}`;
    paths.push(s('path', { d, class: 'edge owner', 'data-from': refKey(o.owner), 'data-to': refKey(o.owned) }));
  }
  svg.replaceChildren(...paths);
}
