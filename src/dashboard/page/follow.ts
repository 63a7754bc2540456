/// <reference lib="dom" />
// "Follow a request": the form (source, destination, count), the hops of the first run in order
// (node entered, each iptables rule with its iptables-save text, the DNAT, the route, the pod
// reached, or where and why it was dropped), and on the map the path and the hits per pod.
import type { FollowResult } from '../../network/follow';
import type { Hop } from '../../network/hops';
import type { VersionedMap } from '../server';
import { $, h, s } from './dom';
import { refKey } from './map';

/** What the destination box offers: Service ports, NodePorts on each node, pod IPs, DNS names. */
export function destinations(m: VersionedMap): { value: string; label: string; of: string }[] {
  const out: { value: string; label: string; of: string }[] = [];
  for (const svc of m.services) {
    const of = refKey({ kind: 'Service', namespace: svc.namespace, name: svc.name });
    for (const p of svc.ports) {
      if (svc.clusterIP && svc.clusterIP !== 'None') out.push({ value: `${svc.clusterIP}:${p.port}`, label: `Service ${svc.namespace}/${svc.name} port ${p.port}`, of });
      out.push({ value: `${svc.name}.${svc.namespace}.svc.cluster.local:${p.port}`, label: `DNS name of ${svc.namespace}/${svc.name}`, of });
      if (p.nodePort) for (const n of m.nodes) out.push({ value: `${n.internalIP}:${p.nodePort}`, label: `NodePort ${p.nodePort} of ${svc.name} on ${n.name}`, of });
    }
  }
  for (const pod of m.pods) {
    if (!pod.ip || pod.hostNetwork) continue;
    const e = m.edges.find((x) => x.pod.name === pod.name && x.pod.namespace === pod.namespace);
    const svc = e && m.services.find((x) => x.name === e.service.name && x.namespace === e.service.namespace);
    const port = svc?.ports.find((p) => typeof p.targetPort === 'number')?.targetPort ?? 80;
    out.push({ value: `${pod.ip}:${port}`, label: `pod ${pod.namespace}/${pod.name}`, of: refKey({ kind: 'Pod', namespace: pod.namespace, name: pod.name }) });
  }
  return out;
}

export function sources(m: VersionedMap): { value: string; label: string }[] {
  return [
    { value: 'outside', label: 'outside the cluster (your laptop)' },
    ...m.nodes.map((n) => ({ value: `node/${n.name}`, label: `node ${n.name}` })),
    ...m.pods.filter((p) => p.status === 'Running').map((p) => ({ value: `pod/${p.namespace}/${p.name}`, label: `pod ${p.namespace}/${p.name}` })),
  ];
}

/** Keeps the form's choices in step with the map, leaving what the user chose alone. */
export function updateForm(form: HTMLFormElement, m: VersionedMap): void {
  const sel = form.elements.namedItem('source') as HTMLSelectElement;
  const was = sel.value;
  sel.replaceChildren(...sources(m).map((o) => h('option', { value: o.value, selected: o.value === was }, o.label)));
  const list = $('#destinations', form) as HTMLDataListElement;
  list.replaceChildren(...destinations(m).map((o) => h('option', { value: o.value }, o.label)));
}

export function followForm(onSubmit: (source: string, destination: string, count: number) => void): HTMLFormElement {
  const form = h(
    'form',
    { id: 'follow', class: 'follow', autocomplete: 'off' },
    h('label', {}, 'From ', h('select', { name: 'source' })),
    h('label', {}, 'To ', h('input', { name: 'destination', list: 'destinations', placeholder: 'IP:port, name:port or URL', required: true })),
    h('datalist', { id: 'destinations' }),
    h('label', {}, 'Requests ', h('input', { name: 'count', type: 'number', min: 1, max: 100, value: 1 })),
    h('button', { type: 'submit' }, 'Follow'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
    onSubmit(v('source'), v('destination'), Number(v('count')) || 1);
  });
  return form;
}

const KIND_LABEL: Record<Hop['kind'], string> = { enter: 'enters', rule: 'rule', dnat: 'DNAT', route: 'route', deliver: 'reaches', drop: 'dropped', refuse: 'refused', dns: 'DNS', policy: 'policy', tls: 'TLS', app: 'proxy' };

const podKey = (p: { namespace: string; name: string }) => refKey({ kind: 'Pod', namespace: p.namespace, name: p.name });

function hopItem(hop: Hop): HTMLElement {
  const body = hop.kind === 'rule' && hop.rule ? h('code', { class: 'rule' }, h('span', { class: 'hop-node' }, hop.node ?? ''), ' ', h('b', {}, hop.chain ?? ''), ' ', hop.rule) : h('span', { class: 'text' }, hop.text.trim());
  return h('li', { class: `hop ${hop.kind}`, 'data-kind': hop.kind, 'data-text': hop.text }, h('span', { class: 'badge' }, KIND_LABEL[hop.kind] ?? hop.kind), body);
}

/** The replies per pod (when repeated), the runs to choose from, and the chosen run's hops, into the panel. */
export function renderResult(panel: HTMLElement, r: FollowResult, shown: number, choose: (i: number) => void): void {
  const run = r.runs[shown];
  const failed = r.runs.filter((x) => x.exitCode !== 0).length;
  const many = r.runs.length > 1;
  panel.replaceChildren(
    h('p', { class: 'muted' }, `curl ${r.url} from ${r.source}`),
    many ? h('h3', {}, `Replies per pod (${r.runs.length} requests)`) : '',
    many ? h('ul', { id: 'hits' }, ...r.hits.map((x) => h('li', { 'data-pod': `${x.pod.namespace}/${x.pod.name}` }, `${x.pod.namespace}/${x.pod.name}: ${x.count}`)), failed ? h('li', { class: 'bad' }, `failed: ${failed}`) : '') : '',
    many ? h('div', { class: 'runs' }, ...r.runs.map((x, i) => h('button', { type: 'button', class: `${i === shown ? 'active' : ''} ${x.exitCode === 0 ? '' : 'bad'}`, title: x.pod ? `${x.pod.namespace}/${x.pod.name}` : x.error ?? '', onclick: () => choose(i) }, String(i + 1)))) : '',
    h('h3', {}, many ? `Request ${shown + 1}, hop by hop` : 'The request, hop by hop'),
    h('ol', { id: 'hops' }, ...run.hops.map(hopItem)),
    h('p', { class: `reply ${run.exitCode === 0 ? 'ok' : 'bad'}` }, run.reply ? `Reply: ${run.reply.statusLine}` : run.error ?? `curl exited ${run.exitCode}`),
  );
}

/** Where a request starts on the map: a marker for outside the cluster, else the node or pod it leaves. */
function startOf(root: HTMLElement, source: string): Element | null {
  const [kind, a, b] = source.split('/');
  if (kind === 'node') return root.querySelector(`.node[data-name="${CSS.escape(a)}"] .nodehead`);
  if (kind === 'pod') return root.querySelector(`[data-key="${CSS.escape(refKey({ kind: 'Pod', namespace: a, name: b }))}"]`);
  const marker = h('div', { class: 'outside', title: 'a machine on the nodes\' network, outside the cluster' }, 'outside');
  root.append(marker);
  return marker;
}

/** On the map: where the request started, the nodes it went through, the pod it reached, the path; the hits per pod. */
export function drawPath(root: HTMLElement, r: FollowResult | undefined, source = 'outside', shown = 0): void {
  root.querySelectorAll('.on-path, .reached').forEach((el) => el.classList.remove('on-path', 'reached'));
  root.querySelectorAll('.hitcount, .outside, svg .path').forEach((el) => el.remove());
  if (!r) return;
  const run = r.runs[shown];
  const points: DOMRect[] = [];
  const box = root.getBoundingClientRect();
  const start = startOf(root, source);
  if (start) points.push(start.getBoundingClientRect());
  for (const hop of run.hops) {
    // route: the node it reaches is `to`; enter: the node is `node`
    const node = hop.kind === 'route' ? hop.to ?? hop.node : hop.kind === 'enter' ? hop.node : undefined;
    const el = hop.kind === 'deliver' && hop.pod ? root.querySelector(`[data-key="${CSS.escape(podKey(hop.pod))}"]`) : node ? root.querySelector(`.node[data-name="${CSS.escape(node)}"] .nodehead`) : null;
    if (!el) continue;
    el.classList.add(hop.kind === 'deliver' ? 'reached' : 'on-path');
    points.push(el.getBoundingClientRect());
  }
  for (const { pod, count } of r.hits) {
    const el = root.querySelector(`[data-key="${CSS.escape(podKey(pod))}"]`);
    if (el && r.runs.length > 1) el.append(h('span', { class: 'hitcount', 'data-hits': count }, `×${count}`));
  }
  const svg = root.querySelector('svg.lines');
  if (svg && points.length > 1) {
    const xy = (p: DOMRect) => `${p.left + p.width / 2 - box.left + root.scrollLeft},${p.top + p.height / 2 - box.top + root.scrollTop}`;
    svg.append(s('polyline', { class: 'path', points: points.map(xy).join(' ') }));
  }
}
