// kubectl explain's plain-text output, a transcription of kubectl 1.32's template
// (staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl) and its functions
// (explain/v2/funcs.go at v1.32: wrap is go-wordwrap, which keeps the description's newlines; indent
// pads every line; set copies the dict, so the cycle history is per path).
import type { OpenAPIDocument, Schema } from '../api/openapi';

/** A template error; `written` is what kubectl had already written to stdout (the header). */
export class ExplainError extends Error {
  constructor(
    message: string,
    public written = '',
  ) {
    super(message);
  }
}

type History = Record<string, 1>;

// unicode.IsSpace, less the no-break space go-wordwrap keeps inside words
const SPACES = new Set(['\t', '\v', '\f', '\r', ' ', '\u0085', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000']);

/** github.com/mitchellh/go-wordwrap WrapString (v1.0.1): breaks at spaces, keeps runs of spaces, never splits a word. */
export function wordWrap(s: string, lim: number): string {
  let buf = '';
  let current = 0;
  let word = '';
  let space = '';
  let wordLen = 0;
  let spaceLen = 0;
  for (const ch of s) {
    if (ch === '\n') {
      if (!word) {
        if (current + spaceLen <= lim) buf += space;
      } else buf += space + word;
      space = word = '';
      spaceLen = wordLen = 0;
      buf += ch;
      current = 0;
    } else if (SPACES.has(ch)) {
      if (!space || word) {
        current += spaceLen + wordLen;
        buf += space + word;
        space = word = '';
        spaceLen = wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > lim && wordLen < lim) {
        buf += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (!word) {
    if (current + spaceLen <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

const wrap = (l: number, s: string) => wordWrap(s, l);
const indent = (n: number, s: string) => ' '.repeat(n) + s.replaceAll('\n', '\n' + ' '.repeat(n));
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Explainer {
  constructor(private doc: OpenAPIDocument) {}

  private resolve(ref: unknown): Schema | undefined {
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    let cur: Schema = this.doc;
    for (const k of ref.slice(1).split('/')) {
      if (!k) continue;
      if (!isObj(cur[k])) return undefined;
      cur = cur[k];
    }
    return cur;
  }

  /** The GROUP/KIND/VERSION header and the schema at the field path, as `kubectl explain` prints it. */
  render(gvk: { group: string; kind: string; version: string }, fieldPath: string[], recursive: boolean): string {
    let out = gvk.group ? `GROUP:      ${gvk.group}\n` : '';
    out += `KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`;
    const schema = Object.values(this.doc.components.schemas).find((s) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: Schema) => g.group === gvk.group && g.kind === gvk.kind && g.version === gvk.version));
    if (!schema) throw new ExplainError(`error: GVK ${gvk.group}/${gvk.version}, Kind=${gvk.kind} not found in OpenAPI schema`, out);
    const body = this.output(schema, {}, fieldPath, recursive);
    if (!body) throw new ExplainError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`, out);
    return out + body + '\n';
  }

  private output(schema: Schema, history: History, path: string[], recursive: boolean): string {
    const ref: string = schema.$ref ?? '';
    const next = { ...history, [ref]: 1 as const };
    const resolved = this.resolve(ref) ?? schema;
    if (path.length === 0) {
      let out = 'DESCRIPTION:\n' + indent(4, wrap(76, this.description(resolved) || '<empty>')) + '\n';
      const fields = this.fieldList(resolved, 1, {}, recursive);
      if (fields) out += 'FIELDS:\n' + fields;
      return out;
    }
    if (ref && history[ref]) return '';
    if (isObj(resolved.properties) && resolved.properties[path[0]]) {
      const sub = resolved.properties[path[0]];
      let out = '';
      if (path.length === 1) out += `FIELD: ${path[0]} <${this.typeGuess(sub)}>\n` + this.extractEnum(sub, true, -1, 0) + '\n\n';
      return out + this.output(sub, {}, path.slice(1), recursive);
    }
    if (resolved.items) return this.output(resolved.items, next, path, recursive);
    if (isObj(resolved.additionalProperties)) return this.output(resolved.additionalProperties, next, path, recursive);
    for (const sub of resolved.allOf ?? []) {
      const o = this.output(sub, next, path, recursive);
      if (o) return o;
    }
    return '';
  }

  private fieldList(schema: Schema, level: number, history: History, recursive: boolean): string {
    const ref: string = schema.$ref ?? '';
    if (ref && history[ref]) return '';
    const next = { ...history, [ref]: 1 as const };
    const resolved = this.resolve(ref) ?? schema;
    let out = '';
    // Go templates range over a map in sorted key order
    for (const k of Object.keys(resolved.properties ?? {}).sort()) {
      out += this.fieldDetail(k, resolved, recursive, level);
      if (recursive) out += this.fieldList(resolved.properties[k], level + 1, next, recursive);
    }
    for (const sub of resolved.allOf ?? []) out += this.fieldList(sub, level, next, recursive);
    if (resolved.items) out += this.fieldList(resolved.items, level, next, recursive);
    if (isObj(resolved.additionalProperties)) out += this.fieldList(resolved.additionalProperties, level, next, recursive);
    return out;
  }

  private fieldDetail(name: string, schema: Schema, short: boolean, level: number): string {
    const ind = level * 2;
    const f = schema.properties[name];
    let out = indent(ind, name) + `\t<${this.typeGuess(f)}>`;
    if ((schema.required ?? []).includes(name)) out += ' -required-';
    out += this.extractEnum(f, false, 4, ind) + '\n';
    if (!short) out += indent(ind + 2, wrap(78 - ind, f.description || '<no description>')) + '\n\n';
    return out;
  }

  private description(schema: Schema): string {
    const s = this.resolve(schema.$ref) ?? schema;
    let out = s.description ? s.description + '\n' : '';
    for (const sub of s.allOf ?? []) out += this.description(sub);
    if (s.items) out += this.description(s.items);
    if (isObj(s.additionalProperties)) out += this.description(s.additionalProperties);
    return out;
  }

  private typeGuess(s: Schema): string {
    if (s.items) return '[]' + this.typeGuess(s.items);
    if (isObj(s.additionalProperties)) return 'map[string]' + this.typeGuess(s.additionalProperties);
    if (s.allOf && !s.properties && s.allOf.length === 1) return this.typeGuess(s.allOf[0]);
    if (s.$ref) {
      const r = this.resolve(s.$ref);
      if (!r || !r.type || r.type === 'object') return (s.$ref as string).split('/').pop()!.split('.').pop() || 'Object';
      return r.type;
    }
    return s.type === 'object' ? 'Object' : s.type || 'Object';
  }

  private extractEnum(s: Schema, long: boolean, limit: number, ind: number): string {
    const values: unknown[] = s.enum ?? [];
    if (!values.length) return '';
    let out = long ? 'ENUM:' : '\n' + ' '.repeat(ind) + 'enum: ';
    for (let i = 0; i < values.length; i++) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !long) out += ', ';
      else if (long) out += '\n    ';
      out += values[i] === '' ? '""' : String(values[i]);
    }
    return out;
  }
}
