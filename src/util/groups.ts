// namespace → names: how the controllers collect what a change touched.
export type Groups = Map<string, Set<string>>;

/** Adds `name` under `key` (nothing for a missing name). */
export function addTo(groups: Groups, key: string, name: string | undefined): void {
  if (name === undefined || name === '') return;
  let s = groups.get(key);
  if (!s) groups.set(key, (s = new Set()));
  s.add(name);
}
