/// <reference lib="dom" />
// The dashboard page: the map from the document (no fetch before the first paint), then a new map
// from the server's event stream after each commit; filters by namespace and label; the side panel
// with describe or "follow a request"; the events timeline.
import type { ObjectRef } from '../../graph/model';
import type { FollowResult } from '../../network/follow';
import type { VersionedMap } from '../server';
import { $, h } from './dom';
import { destinations, drawPath, followForm, renderResult, updateForm } from './follow';
import { drawLines, refKey, renderMap } from './map';
import { describe, renderTimeline } from './panel';

const initial = JSON.parse(($('#initial') as HTMLScriptElement).textContent!) as { map: VersionedMap; ns: string; l: string };
let map = initial.map;
let filter = { ns: initial.ns, l: initial.l };
let selected: ObjectRef | undefined;
let followed: { result: FollowResult; source: string; shown: number } | undefined;

const nsSelect = h('select', { id: 'ns', title: 'namespace' });
const labelInput = h('input', { id: 'label', placeholder: 'label selector, e.g. app=web', value: filter.l, title: 'label selector (kubectl -l)' });
const version = h('span', { id: 'version', class: 'muted' });
const mapRoot = h('div', { id: 'map', onclick: () => undefined });
const detail = h('div', { id: 'detail' }, h('p', { class: 'muted' }, 'Click a node, pod, Service or workload to see its describe and events.'));
const result = h('div', { id: 'result' });
const timeline = h('ol', { id: 'timeline' });
const form = followForm((source, destination, count) => void runFollow(source, destination, count));
const tabs = h('nav', { class: 'tabs' }, h('button', { id: 'tab-detail', class: 'active', onclick: () => showTab('detail') }, 'Details'), h('button', { id: 'tab-follow', onclick: () => showTab('follow') }, 'Follow a request'));
const followPane = h('div', { id: 'followpane', hidden: true }, form, result);

document.body.append(
  h('header', {}, h('h1', {}, 'kubesim'), h('label', {}, 'Namespace ', nsSelect), h('label', {}, 'Labels ', labelInput), version),
  h('main', {}, mapRoot, h('aside', {}, tabs, h('div', { class: 'pane' }, detail, followPane), h('h2', {}, 'Events'), timeline)),
);

function showTab(t: 'detail' | 'follow'): void {
  detail.hidden = t !== 'detail';
  followPane.hidden = t !== 'follow';
  $('#tab-detail')!.classList.toggle('active', t === 'detail');
  $('#tab-follow')!.classList.toggle('active', t === 'follow');
}

function select(ref: ObjectRef): void {
  selected = ref;
  showTab('detail');
  mapRoot.querySelectorAll('.selected').forEach((el) => el.classList.remove('selected'));
  mapRoot.querySelector(`[data-key="${CSS.escape(refKey(ref))}"]`)?.classList.add('selected');
  showDetail(ref);
}

function showDetail(ref: ObjectRef): void {
  void describe(detail, ref).then(() => {
    // a Service or a pod: the requests one can follow to it, one click away
    const to = destinations(map).filter((d) => d.of === refKey(ref));
    if (to.length && selected === ref) detail.prepend(h('div', { class: 'follow-to' }, 'Follow a request to ', ...to.slice(0, 6).map((d) => h('button', { type: 'button', title: d.label, onclick: () => followTo(d.value) }, d.value))));
  });
}

function followTo(destination: string): void {
  (form.elements.namedItem('destination') as HTMLInputElement).value = destination;
  showTab('follow');
  void runFollow((form.elements.namedItem('source') as HTMLSelectElement).value, destination, Number((form.elements.namedItem('count') as HTMLInputElement).value) || 1);
}

/** The map first (what the first paint shows), then after that paint the lines, the timeline and the form's choices. */
function render(m: VersionedMap): void {
  map = m;
  nsSelect.replaceChildren(h('option', { value: '' }, 'all namespaces'), ...m.namespaces.map((n) => h('option', { value: n, selected: n === filter.ns }, n)));
  version.textContent = `resourceVersion ${m.version}`;
  renderMap(mapRoot, m, select);
  if (selected) mapRoot.querySelector(`[data-key="${CSS.escape(refKey(selected))}"]`)?.classList.add('selected');
  afterPaint(() => {
    if (map !== m) return; // a newer map came meanwhile
    drawLines(mapRoot, m);
    showFollowed();
    renderTimeline(timeline, m.events, select);
    updateForm(form, m);
    document.body.dataset.commit = String(m.commit);
  });
}

/** After the next frame is painted (a task queued from requestAnimationFrame runs after it). */
function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

// ns always (empty: all namespaces), since without it the server shows the dashboard's namespace
const query = () => new URLSearchParams({ ns: filter.ns, ...(filter.l ? { l: filter.l } : {}) }).toString();

let stream: EventSource | undefined;
function listen(): void {
  stream?.close();
  stream = new EventSource(`/api/events?${query()}&since=${map.commit}`);
  stream.addEventListener('map', (e) => {
    render(JSON.parse((e as MessageEvent).data));
    if (selected && !detail.hidden) showDetail(selected);
  });
}

async function refilter(): Promise<void> {
  filter = { ns: nsSelect.value, l: labelInput.value.trim() };
  history.replaceState(null, '', `/?${query()}`);
  const r = await fetch(`/api/map?${query()}`);
  const m = await r.json();
  labelInput.classList.toggle('invalid', !r.ok);
  if (!r.ok) return;
  render(m);
  listen();
}

function showFollowed(): void {
  drawPath(mapRoot, followed?.result, followed?.source, followed?.shown);
}

function choose(i: number): void {
  if (!followed) return;
  followed.shown = i;
  renderResult(result, followed.result, i, choose);
  showFollowed();
}

async function runFollow(source: string, destination: string, count: number): Promise<void> {
  result.replaceChildren(h('p', { class: 'muted' }, 'following …'));
  const r = await fetch('/api/follow', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ source, destination, count }) });
  const body = await r.json();
  if (!r.ok) {
    followed = undefined;
    showFollowed();
    return void result.replaceChildren(h('p', { class: 'bad' }, body.error));
  }
  followed = { result: body as FollowResult, source, shown: 0 };
  choose(0);
}

nsSelect.addEventListener('change', () => void refilter());
labelInput.addEventListener('change', () => void refilter());
addEventListener('resize', () => {
  drawLines(mapRoot, map);
  showFollowed();
});
render(map);
performance.mark('map-rendered');
listen();
