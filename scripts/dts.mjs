// Reads the TypeScript declarations of kubernetes-types / kubernetes-models back into what they were
// generated from: each OpenAPI definition's description and properties (the property's own
// description, its TypeScript type, whether it is required). Used by gen-explain.mjs.
import { readFileSync } from 'node:fs';

/** A JSDoc block's text: the lines between / ** and * /, less their " * " prefix. */
function docText(lines) {
  const body = lines.join('\n').replace(/^\s*\/\*\*[ \t]?/, '').replace(/\s*\*\/\s*$/, '');
  if (!body.includes('\n')) return body.trim();
  return body
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * Parses one declaration file: { imports: name → module, interfaces: name → { desc, props: name →
 * { desc, ts, required } }, aliases: name → { desc, ts } }. Property names may be quoted
 * (kubernetes-models) or bare (kubernetes-types); a property without `?` is a required one.
 */
export function parseDts(file) {
  const src = readFileSync(file, 'utf8').split('\n');
  const imports = {};
  const interfaces = {};
  const aliases = {};
  let doc = [];
  let inDoc = false;
  let cur;
  let prop; // a multi-line property type being read
  for (const line of src) {
    const imp = /^import \{ (.*) \} from "(.*)";$/.exec(line);
    if (imp) {
      for (const n of imp[1].split(', ')) imports[n] = imp[2];
      continue;
    }
    if (inDoc || /^\s*\/\*\*/.test(line)) {
      doc.push(line);
      inDoc = !/\*\/\s*$/.test(line);
      continue;
    }
    if (prop) {
      prop.lines.push(line.trim());
      if (/^ {4}\};$/.test(line)) {
        cur.props[prop.name] = { desc: prop.desc, ts: prop.lines.join(' ').replace(/;$/, ''), required: prop.required };
        prop = undefined;
      }
      continue;
    }
    const iface = /^export (?:declare )?interface (\w+)(?: extends [\w<>, ]+)? \{$/.exec(line);
    if (iface) {
      cur = { desc: docText(doc), props: {} };
      interfaces[iface[1]] = cur;
      doc = [];
      continue;
    }
    const alias = /^export (?:declare )?type (\w+) = (.*);$/.exec(line);
    if (alias) {
      aliases[alias[1]] = { desc: docText(doc), ts: alias[2] };
      doc = [];
      continue;
    }
    if (cur) {
      const p = /^ {4}(?:readonly )?"?([\w$-]+)"?(\?)?: (.*)$/.exec(line);
      if (p) {
        const desc = docText(doc);
        doc = [];
        if (p[3].endsWith('{')) prop = { name: p[1], desc, required: !p[2], lines: [p[3]] };
        else cur.props[p[1]] = { desc, ts: p[3].replace(/;$/, ''), required: !p[2] };
        continue;
      }
      if (/^\}$/.test(line)) cur = undefined;
    }
    doc = [];
  }
  return { imports, interfaces, aliases };
}
