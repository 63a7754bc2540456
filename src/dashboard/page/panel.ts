/// <reference lib="dom" />
// The side panel's object view: `kubectl describe` text and the object's events; and the timeline
// of the cluster's events beside the map (newest first).
import type { MapEvent, ObjectRef } from '../../graph/model';
import type { Described } from '../describe';
import { h } from './dom';

export async function describe(panel: HTMLElement, ref: ObjectRef): Promise<void> {
  panel.replaceChildren(h('p', { class: 'muted' }, `describe ${ref.kind.toLowerCase()} ${ref.name} …`));
  const r = await fetch(`/api/describe/${encodeURIComponent(ref.kind)}/${encodeURIComponent(ref.namespace || '-')}/${encodeURIComponent(ref.name)}`);
  const d = (await r.json()) as Described & { error?: string };
  if (!r.ok) return void panel.replaceChildren(h('p', { class: 'bad' }, d.error ?? r.statusText));
  panel.replaceChildren(
    h('h3', {}, `${d.kind} ${d.namespace ? d.namespace + '/' : ''}${d.name}`),
    h('pre', { id: 'describe' }, d.text),
    h('h3', {}, `Events (${d.events.length})`),
    d.events.length
      ? h('table', { class: 'events' }, ...d.events.map((e) => h('tr', { class: e.type === 'Warning' ? 'warn' : '' }, h('td', {}, e.time.slice(11, 19)), h('td', {}, e.reason), h('td', {}, e.count > 1 ? `${e.message} (×${e.count})` : e.message))))
      : h('p', { class: 'muted' }, '<none>'),
  );
}

export function renderTimeline(list: HTMLElement, events: MapEvent[], select: (r: ObjectRef) => void): void {
  const rows = [...events]
    .reverse()
    .map((e) =>
      h(
        'li',
        { class: `event ${e.type === 'Warning' ? 'warn' : ''}`, onclick: () => select(e.involved) },
        h('time', { datetime: e.time }, e.time.slice(11, 19)),
        h('span', { class: 'reason' }, e.reason),
        h('span', { class: 'object' }, e.object),
        h('span', { class: 'message' }, e.message),
      ),
    );
  list.replaceChildren(...(rows.length ? rows : [h('li', { class: 'muted' }, 'No events')]));
}
