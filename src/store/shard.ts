// One shard's objects, parsed only when asked for. A shard file holds one object per line, so its
// objects' names are found by a scan of each line's start, a lookup parses one line, and at commit
// an object that did not change is written back as the very text it was read from: a one-object
// change in a namespace of thousands costs one parse and one stringify, not thousands.
import type { KObject } from '../api/types';

interface Entry {
  /** the line it was stored as (without the separating comma), until the object is replaced */
  text?: string;
  obj?: KObject;
}

/** name → line of a shard file, without parsing: for reusing a summary's lines at commit. */
export function linesByName(text: string): Map<string, string> | undefined {
  const lines = text.split('\n');
  if (lines[0] !== HEAD || lines.length < 4 || lines[lines.length - 2] !== ']}') return undefined;
  const out = new Map<string, string>();
  for (let i = 1; i < lines.length - 2; i++) {
    let line = lines[i];
    if (line.endsWith(',')) line = line.slice(0, -1);
    const at = line.indexOf(NAME_AT);
    const end = at < 0 ? -1 : line.indexOf('"', at + NAME_AT.length);
    if (end < 0) return undefined;
    out.set(line.slice(at + NAME_AT.length, end), line);
  }
  return out;
}

const HEAD = '{"apiVersion":"v1","kind":"List","items":[';
const NAME_AT = '"metadata":{"name":"';

export class Shard {
  private entries = new Map<string, Entry>();

  /** from a shard file's text; onDamage is thrown for a line that does not parse */
  static fromText(text: string, onDamage: (why: string) => Error): Shard {
    const s = new Shard();
    const lines = text.split('\n');
    const ours = lines[0] === HEAD && (lines.length === 2 ? false : lines[lines.length - 2] === ']}' && lines[lines.length - 1] === '');
    if (!ours) {
      // not the one-per-line form kubesim writes (or an empty list, `...[]}`): parse it whole
      let data: { items?: unknown };
      try {
        data = JSON.parse(text);
      } catch (e) {
        throw onDamage((e as Error).message);
      }
      if (typeof data !== 'object' || data === null || !Array.isArray(data.items)) throw onDamage('no "items" list');
      for (const o of data.items as KObject[]) s.entries.set(o?.metadata?.name, { obj: o });
      return s;
    }
    for (let i = 1; i < lines.length - 2; i++) {
      let line = lines[i];
      if (line.endsWith(',')) line = line.slice(0, -1);
      const at = line.indexOf(NAME_AT);
      const end = at < 0 ? -1 : line.indexOf('"', at + NAME_AT.length);
      const name = end < 0 ? undefined : line.slice(at + NAME_AT.length, end);
      if (name === undefined || name.includes('\\')) {
        const obj = parseLine(line, onDamage);
        s.entries.set(obj?.metadata?.name, { obj });
      } else s.entries.set(name, { text: line });
    }
    s.onDamage = onDamage;
    return s;
  }

  private onDamage: (why: string) => Error = (why) => new Error(why);

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): KObject | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    if (!e.obj) e.obj = parseLine(e.text!, this.onDamage);
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

  /**
   * The objects that may carry any of these `key: value` pairs: a line without the pair's JSON text
   * cannot hold it, so it is not parsed. The caller still matches what comes back.
   */
  withAnyPair(pairs: [string, string][]): KObject[] {
    return this.containing(pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`));
  }

  /** The objects whose stored text holds any of these strings (and every object changed since it was read). */
  containing(needles: string[]): KObject[] {
    const out: KObject[] = [];
    for (const [name, e] of this.entries) if (e.obj || needles.some((n) => e.text!.includes(n))) out.push(this.get(name)!);
    return out;
  }

  /** The file text: names in order, each line the stored text when the object is unchanged. */
  text(order: (a: string, b: string) => number): string {
    return listOf([...this.entries.keys()].sort(order).map((n) => {
      const e = this.entries.get(n)!;
      return e.text ?? JSON.stringify(e.obj);
    }));
  }

  /**
   * The summary file's text (api/summary.ts): an unchanged object keeps its line of the old summary
   * (read only now), a new or changed one is summarised.
   */
  summaryText(order: (a: string, b: string) => number, summarize: (o: KObject) => KObject, oldSummary: () => Map<string, string> | undefined): string {
    let old: Map<string, string> | undefined | null = null;
    return listOf([...this.entries.keys()].sort(order).map((n) => {
      const e = this.entries.get(n)!;
      if (e.text !== undefined) {
        if (old === null) old = oldSummary();
        const line = old?.get(n);
        if (line !== undefined) return line;
      }
      return JSON.stringify(summarize(this.get(n)!));
    }));
  }
}

function listOf(lines: string[]): string {
  return lines.length ? `${HEAD}\n${lines.join(',\n')}\n]}\n` : `${HEAD}]}\n`;
}

function parseLine(line: string, onDamage: (why: string) => Error): KObject {
  try {
    return JSON.parse(line);
  } catch (e) {
    throw onDamage((e as Error).message);
  }
}
