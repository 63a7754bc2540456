// How a big collection (a shard's objects, an index's entries) is split into part files: by a hash
// of the name or key, in a power-of-two number of parts of about PART_SIZE each, changed only when
// the collection doubles or quarters, so a change rewrites one part and a split is rare.
export const PART_SIZE = 512;

export function partsFor(count: number, current: number): number {
  let want = 1;
  while (count > want * PART_SIZE * 2) want *= 2;
  if (want >= current * 2 || want * 4 <= current) return want;
  return current;
}

/** FNV-1a of the name: which part it lives in. */
export function partOf(name: string, parts: number): number {
  if (parts <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % parts;
}
