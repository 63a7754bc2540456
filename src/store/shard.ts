// One shard's objects, parsed only when asked for. A shard file holds one object per line, so its
// objects' names are found by a scan of each line's start, a lookup parses one line, and at commit
// an object that did not change is written back as the very bytes it was read from: a one-object
// change in a namespace of thousands costs one parse and one stringify, not thousands (and the
// file is never decoded as a whole: lines stay bytes until an object is parsed).
import type { KObject } from '../api/types';

interface Entry {
  /** the line it was stored as (without the separating comma), until the object is replaced */
  raw?: Buffer;
  obj?: KObject;
}

const HEAD = '{"apiVersion":"v1","kind":"List","items":[';
const HEAD_BYTES = Buffer.from(HEAD);
const TAIL_BYTES = Buffer.from(']}');
const NAME_AT = Buffer.from('"metadata":{"name":"');
const NL = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/** The lines of a shard file in kubesim's one-object-per-line form (without their commas), or undefined. */
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

/** name → line of a shard file, without parsing: for reusing a summary's lines at commit. */
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

export class Shard {
  private entries = new Map<string, Entry>();
  private onDamage: (why: string) => Error = (why) => new Error(why);

  /** from a shard file's bytes; onDamage is thrown for a line that does not parse */
  static fromBytes(buf: Buffer, onDamage: (why: string) => Error): Shard {
    const s = new Shard();
    s.onDamage = onDamage;
    const lines = linesOf(buf);
    if (!lines) {
      // not the one-per-line form kubesim writes (or an empty list, `...[]}`): parse it whole
      let data: { items?: unknown };
      try {
        data = JSON.parse(buf.toString('utf8'));
      } catch (e) {
        throw onDamage((e as Error).message);
      }
      if (typeof data !== 'object' || data === null || !Array.isArray(data.items)) throw onDamage('no "items" list');
      for (const o of data.items as KObject[]) s.entries.set(o?.metadata?.name, { obj: o });
      return s;
    }
    for (const raw of lines) {
      const name = nameOf(raw);
      if (name === undefined) {
        const obj = parseLine(raw, onDamage);
        s.entries.set(obj?.metadata?.name, { obj });
      } else s.entries.set(name, { raw });
    }
    return s;
  }

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): KObject | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    if (!e.obj) e.obj = parseLine(e.raw!, this.onDamage);
    return e.obj;
  }

  set(name: string, obj: KObject): void {
    this.entries.set(name, { obj });
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  /** Every object, in the store's order (then the ones added since). */
  all(): KObject[] {
    const out: KObject[] = [];
    for (const name of this.entries.keys()) out.push(this.get(name)!);
    return out;
  }

  /** The named objects, in the store's order. */
  pick(names: Set<string>): KObject[] {
    const out: KObject[] = [];
    for (const name of this.entries.keys()) if (names.has(name)) out.push(this.get(name)!);
    return out;
  }

  /** The objects whose names pass a test, in the store's order (only those are parsed). */
  named(test: (name: string) => boolean): KObject[] {
    const out: KObject[] = [];
    for (const name of this.entries.keys()) if (test(name)) out.push(this.get(name)!);
    return out;
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
    const bytes = needles.map((n) => Buffer.from(n));
    const out: KObject[] = [];
    for (const [name, e] of this.entries) if (e.obj || bytes.some((n) => e.raw!.includes(n))) out.push(this.get(name)!);
    return out;
  }

  /** The file: names in order, each line the stored bytes when the object is unchanged. */
  bytes(order: (a: string, b: string) => number): Buffer {
    return listOf([...this.entries.keys()].sort(order).map((n) => {
      const e = this.entries.get(n)!;
      return e.raw ?? Buffer.from(JSON.stringify(e.obj));
    }));
  }

  /**
   * The summary file (api/summary.ts): an unchanged object keeps its line of the old summary (read
   * only now), a new or changed one is summarised.
   */
  summaryBytes(order: (a: string, b: string) => number, summarize: (o: KObject) => KObject, oldSummary: () => Map<string, Buffer> | undefined): Buffer {
    let old: Map<string, Buffer> | undefined | null = null;
    return listOf([...this.entries.keys()].sort(order).map((n) => {
      const e = this.entries.get(n)!;
      if (e.raw !== undefined) {
        if (old === null) old = oldSummary();
        const line = old?.get(n);
        if (line !== undefined) return line;
      }
      return Buffer.from(JSON.stringify(summarize(this.get(n)!)));
    }));
  }
}

const SEP = Buffer.from(',\n');
function listOf(lines: Buffer[]): Buffer {
  if (!lines.length) return Buffer.from(`${HEAD}]}\n`);
  const parts: Buffer[] = [HEAD_BYTES, Buffer.from('\n')];
  lines.forEach((l, i) => {
    if (i) parts.push(SEP);
    parts.push(l);
  });
  parts.push(Buffer.from('\n]}\n'));
  return Buffer.concat(parts);
}

function parseLine(line: Buffer, onDamage: (why: string) => Error): KObject {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch (e) {
    throw onDamage((e as Error).message);
  }
}
