// One shard's objects (a kind in a namespace), parsed only when asked for. A shard is stored in one
// or more part files (a big namespace in parts of ~500 objects, each object in the part its name
// hashes to), each holding one object per line. So an object's name is found by a scan of each
// line's start, a lookup reads one part and parses one line, and a commit rewrites only the parts
// that changed, writing back every unchanged object as the very bytes it was read from: a
// one-object change in a namespace of thousands costs about what it costs in a small one.
import type { KObject } from '../api/types';
import { cmp } from '../util/compare';
import { partOf, partsFor } from '../util/parts';

interface Entry {
  /** the line it was stored as (without the separating comma), until the object is replaced */
  raw?: Buffer;
  obj?: KObject;
  /** read from a part file (listed in name order), not added by this command (listed after, in order) */
  stored: boolean;
}

/** A part's new file content. */
export interface PartWrite {
  text: Buffer;
  count: number;
  summary?: Buffer;
}

/** What a commit writes of a shard: the number of parts and the content of those that changed. */
export interface ShardParts {
  parts: number;
  count: number;
  write: Map<number, PartWrite>;
}

const HEAD = '{"apiVersion":"v1","kind":"List","items":[';
const HEAD_BYTES = Buffer.from(HEAD);
const TAIL_BYTES = Buffer.from(']}');
const NAME_AT = Buffer.from('"metadata":{"name":"');
const NL = 0x0a;
/** Past this many needles, containing() searches each line as a string (see there). */
const MANY_NEEDLES = 8;
const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
/** The lines of a part file in kubesim's one-object-per-line form (without their commas), or undefined. */
function linesOf(buf: Buffer): Buffer[] | undefined {
  const lines: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(NL, at);
    if (nl < 0) return undefined; // the form ends every line, the last one too
    lines.push(buf.subarray(at, nl));
    at = nl + 1;
  }
  if (lines.length < 3 || !lines[0].equals(HEAD_BYTES) || !lines[lines.length - 1].equals(TAIL_BYTES)) return undefined;
  const body = lines.slice(1, -1);
  for (let i = 0; i < body.length - 1; i++) {
    if (body[i][body[i].length - 1] !== COMMA) return undefined;
    body[i] = body[i].subarray(0, body[i].length - 1);
  }
  return body;
}

/** The object name a line starts with, read without parsing it (undefined: parse the line). */
function nameOf(line: Buffer): string | undefined {
  const at = line.indexOf(NAME_AT);
  if (at < 0) return undefined;
  const from = at + NAME_AT.length;
  const end = line.indexOf(QUOTE, from);
  if (end < 0 || line.subarray(from, end).includes(BACKSLASH)) return undefined;
  return line.toString('utf8', from, end);
}

export class Shard {
  private entries = new Map<string, Entry>();
  private loaded: boolean[];
  private dirtyParts = new Set<number>();
  private order?: string[];
  /** all()'s objects until the next change */
  private every?: KObject[];
  private count: number;

  /**
   * parts: how many part files it is stored in; load(i): part i's bytes (undefined: none);
   * count: the objects stored; onDamage: the error for a part that does not parse.
   */
  constructor(
    private parts = 1,
    private load: (i: number) => Buffer | undefined = () => undefined,
    count = 0,
    private onDamage: (why: string) => Error = (why) => new Error(why),
  ) {
    this.loaded = new Array<boolean>(parts).fill(false);
    this.count = count;
  }

  private ensure(i: number): void {
    if (this.loaded[i]) return;
    this.loaded[i] = true;
    this.order = undefined;
    this.every = undefined;
    const buf = this.load(i);
    if (!buf) return;
    const lines = linesOf(buf);
    if (!lines) {
      // not the one-per-line form kubesim writes (or an empty list, `...[]}`): parse it whole
      let data: { items?: unknown };
      try {
        data = JSON.parse(buf.toString('utf8'));
      } catch (e) {
        throw this.onDamage((e as Error).message);
      }
      if (typeof data !== 'object' || data === null || !Array.isArray(data.items)) throw this.onDamage('no "items" list');
      for (const o of data.items as KObject[]) this.entries.set(o?.metadata?.name, { obj: o, stored: true });
      return;
    }
    for (const raw of lines) {
      const name = nameOf(raw);
      if (name === undefined) {
        const obj = this.parse(raw);
        this.entries.set(obj?.metadata?.name, { obj, stored: true });
      } else this.entries.set(name, { raw, stored: true });
    }
  }

  private ensureAll(): void {
    for (let i = 0; i < this.parts; i++) this.ensure(i);
  }

  private parse(line: Buffer): KObject {
    try {
      return JSON.parse(line.toString('utf8'));
    } catch (e) {
      throw this.onDamage((e as Error).message);
    }
  }

  get size(): number {
    return this.count;
  }

  get(name: string): KObject | undefined {
    this.ensure(partOf(name, this.parts));
    const e = this.entries.get(name);
    if (!e) return undefined;
    if (!e.obj) e.obj = this.parse(e.raw!);
    return e.obj;
  }

  set(name: string, obj: KObject): void {
    const part = partOf(name, this.parts);
    this.ensure(part);
    const e = this.entries.get(name);
    if (!e) {
      this.count++;
      this.order = undefined;
    }
    this.entries.set(name, { obj, stored: e?.stored ?? false });
    this.every = undefined;
    this.dirtyParts.add(part);
  }

  delete(name: string): void {
    const part = partOf(name, this.parts);
    this.ensure(part);
    if (!this.entries.delete(name)) return;
    this.count--;
    this.order = undefined;
    this.every = undefined;
    this.dirtyParts.add(part);
  }

  /** The names in the store's order (by name), then those added by this command. */
  private names(): string[] {
    this.ensureAll();
    if (!this.order) {
      const stored: string[] = [];
      const fresh: string[] = [];
      for (const [n, e] of this.entries) (e.stored ? stored : fresh).push(n);
      this.order = [...stored.sort(cmp), ...fresh];
    }
    return this.order;
  }

  /** Every object, in the store's order (then the ones added since); a new array each time. */
  all(): KObject[] {
    if (!this.every) this.every = this.names().map((n) => this.get(n)!);
    return this.every.slice();
  }

  /**
   * The named objects, in the store's order, reading only their parts: stored objects are in name
   * order, and those added by this command follow in the order they were added.
   */
  pick(names: Set<string>): KObject[] {
    for (const n of names) this.ensure(partOf(n, this.parts));
    const stored = [...names].filter((n) => this.entries.get(n)?.stored).sort(cmp);
    // those added by this command, in the order they were added (the map's own order)
    const fresh: string[] = [];
    for (const [n, e] of this.entries) if (!e.stored && names.has(n)) fresh.push(n);
    return [...stored, ...fresh].map((n) => this.get(n)!);
  }

  /** The objects whose names pass a test, in the store's order (only those are parsed). */
  named(test: (name: string) => boolean): KObject[] {
    return this.names()
      .filter(test)
      .map((n) => this.get(n)!);
  }

  /**
   * The objects that may carry any of these `key: value` pairs: a line without the pair's JSON text
   * cannot hold it, so it is not parsed. The caller still matches what comes back.
   */
  withAnyPair(pairs: [string, string][]): KObject[] {
    return this.containing(pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`));
  }

  /** The objects whose stored text holds any of these strings (and every object changed since it was read). */
  containing(needles: string[]): KObject[] {
    // Many needles (the selectors of a thousand new services): each line decoded once and searched
    // for all of them in one pass (anyOf), not once per needle. (A match in UTF-8 bytes is a match in
    // the decoded text: UTF-8 is self-synchronising.)
    const has =
      needles.length > MANY_NEEDLES
        ? ((found: (text: string) => boolean) => (raw: Buffer) => found(raw.toString('utf8')))(anyOf(needles))
        : ((bytes: Buffer[]) => (raw: Buffer) => bytes.some((b) => raw.includes(b)))(needles.map((n) => Buffer.from(n)));
    return this.names()
      .filter((n) => {
        const e = this.entries.get(n)!;
        return !!e.obj || has(e.raw!);
      })
      .map((n) => this.get(n)!);
  }

  /**
   * The parts to write: those that changed, or all of them when the shard grows or shrinks past a
   * split. An unchanged object keeps its bytes; with `summarize`, each written part gets its summary
   * file too, an unchanged object keeping its line of the old summary (`oldSummary(part)`).
   */
  partsToWrite(summarize?: (o: KObject) => KObject, oldSummary?: (part: number) => Map<string, Buffer> | undefined): ShardParts {
    const parts = partsFor(this.count, this.parts);
    const split = parts !== this.parts;
    const todo = split ? Array.from({ length: parts }, (_, i) => i) : [...this.dirtyParts];
    if (split) this.ensureAll();
    const members = new Map<number, string[]>(todo.map((i) => [i, []]));
    for (const n of split ? this.entries.keys() : this.namesIn(todo)) members.get(partOf(n, parts))?.push(n);
    const write = new Map<number, PartWrite>();
    for (const [i, names] of members) {
      names.sort(cmp);
      const old = summarize && !split ? (oldSummary?.(i) ?? null) : null;
      write.set(i, {
        text: listOf(names.map((n) => this.entries.get(n)!.raw ?? Buffer.from(JSON.stringify(this.entries.get(n)!.obj)))),
        count: names.length,
        summary: summarize
          ? listOf(
              names.map((n) => {
                const e = this.entries.get(n)!;
                const line = e.raw !== undefined ? old?.get(n) : undefined;
                return line ?? Buffer.from(JSON.stringify(summarize(this.get(n)!)));
              }),
            )
          : undefined,
      });
    }
    return { parts, count: this.count, write };
  }

  /** The names stored in the given parts (loaded already: a changed part was read before it changed). */
  private namesIn(parts: number[]): string[] {
    const want = new Set(parts);
    for (const i of want) this.ensure(i);
    return [...this.entries.keys()].filter((n) => want.has(partOf(n, this.parts)));
  }
}

/**
 * Whether a text holds any of the needles, found without a search per needle: the needles grouped by
 * their first character, each group's longest common prefix searched for (natively: `"app":"` for a
 * thousand `"app":"load-…"` selectors), and at each place it occurs a set lookup per needle length.
 */
export function anyOf(needles: string[]): (text: string) => boolean {
  if (needles.includes('')) return () => true;
  const byFirst = new Map<string, string[]>();
  for (const n of new Set(needles)) {
    const l = byFirst.get(n[0]);
    if (l) l.push(n);
    else byFirst.set(n[0], [n]);
  }
  const groups = [...byFirst.values()].map((ns) => {
    let prefix = ns[0];
    for (const n of ns) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
    return { prefix, lengths: [...new Set(ns.map((n) => n.length))], set: new Set(ns) };
  });
  return (text) => {
    for (const g of groups) {
      for (let i = text.indexOf(g.prefix); i >= 0; i = text.indexOf(g.prefix, i + 1)) {
        for (const len of g.lengths) if (g.set.has(text.substr(i, len))) return true;
      }
    }
    return false;
  };
}

/** name → line of a part file, without parsing: for reusing a summary's lines at commit. */
export function linesByName(buf: Buffer): Map<string, Buffer> | undefined {
  const lines = linesOf(buf);
  if (!lines) return undefined;
  const out = new Map<string, Buffer>();
  for (const line of lines) {
    const name = nameOf(line);
    if (name === undefined) return undefined;
    out.set(name, line);
  }
  return out;
}

const SEP = Buffer.from(',\n');
/** A v1 List, one object per line: readable, diffable, and each line reusable as it is. */
export function listOf(lines: Buffer[]): Buffer {
  if (!lines.length) return Buffer.from(`${HEAD}]}\n`);
  const parts: Buffer[] = [HEAD_BYTES, Buffer.from('\n')];
  lines.forEach((l, i) => {
    if (i) parts.push(SEP);
    parts.push(l);
  });
  parts.push(Buffer.from('\n]}\n'));
  return Buffer.concat(parts);
}
