// kubectl explain TYPE[.field…] [--recursive], in kubectl 1.32's plain-text layout.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { lookupResource } from '../api/resources';
import { SCHEMAS, type FieldSchema } from '../api/schema';
import { elemOf, patchMeta, schemaOf, type GoType } from '../api/decode';
import type { Outcome } from './outcome';

/** Word-wraps a description at 80 columns with a 4-space indent, as the template does. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > 80) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n') + '\n';
}

const typeOf = (s: FieldSchema) => `<${s.type}>${s.required ? ' -required-' : ''}`;

function fieldsBlock(fields: Record<string, FieldSchema>, recursive: boolean, depth = 1): string {
  const names = Object.keys(fields).sort();
  if (recursive) {
    return names.map((n) => `${'  '.repeat(depth)}${n}\t${typeOf(fields[n])}\n` + (fields[n].fields ? fieldsBlock(fields[n].fields!, true, depth + 1) : '')).join('');
  }
  return names.map((n) => `  ${n}\t${typeOf(fields[n])}\n${wrap(fields[n].desc || '<empty>', '    ')}\n`).join('');
}

/** The OpenAPI type name explain prints for a Go type. */
function explainType(t: GoType | undefined): string {
  if (!t) return 'Object';
  switch (t.k) {
    case 'struct':
      return t.n;
    case 'slice':
      return `[]${explainType(elemOf(t))}`;
    case 'map':
      return `map[string]${explainType(elemOf(t))}`;
    case 'int':
    case 'uint':
      return 'integer';
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'intstr':
      return 'IntOrString';
    case 'quantity':
      return 'Quantity';
    case 'raw':
    case 'any':
      return 'Object';
    default:
      return 'string';
  }
}

/**
 * A kind without written documentation is explained from the Go type the apiserver decodes it into:
 * every field and its type, with kubectl's "<empty>" where a description would be.
 */
function fromGoType(kind: string, group: string, version: string): { version: string; group: string; desc: string; fields: Record<string, FieldSchema> } | undefined {
  const root = schemaOf(kind);
  if (!root) return undefined;
  const fieldsOf = (t: GoType | undefined, depth: number): Record<string, FieldSchema> | undefined => {
    let st = t;
    while (st && (st.k === 'slice' || st.k === 'map')) st = elemOf(st);
    if (!st || st.k !== 'struct' || depth > 12) return undefined;
    const out: Record<string, FieldSchema> = {};
    for (const name of Object.keys(st.f)) {
      const ft = patchMeta(st, name).type;
      out[name] = { type: explainType(ft), desc: '', fields: fieldsOf(ft, depth + 1) };
    }
    return out;
  };
  return { group, version, desc: '', fields: fieldsOf(root, 0) ?? {} };
}

export function runExplain(target: string | undefined, o: { recursive?: boolean }): Outcome {
  if (!target) throw new CliError('error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.', true);
  // the type is the longest prefix that names a resource ("deployments.apps.spec" → deployments.apps)
  const parts = target.split('.');
  let k = parts.length;
  while (k > 0 && !lookupResource(parts.slice(0, k).join('.'))) k--;
  if (k === 0) throw new CliError(`error: the server doesn't have a resource type "${parts[0]}"`, true);
  const res = lookupResource(parts.slice(0, k).join('.'))!;
  const path = parts.slice(k);
  const schema = SCHEMAS[res.kind] ?? fromGoType(res.kind, res.group, res.version);
  // kubectl's text when the server publishes no OpenAPI schema for the kind
  if (!schema) throw new CliError(`error: couldn't find resource for "${res.group ? `${res.group}/` : ''}${res.version}, Kind=${res.kind}"`, true);
  let out = `KIND:       ${res.kind}\n${res.group ? `GROUP:      ${res.group}\n` : ''}VERSION:    ${schema.version}\n\n`;
  if (path.length === 0) {
    out += `DESCRIPTION:\n${wrap(schema.desc || '<empty>', '    ')}    \nFIELDS:\n${fieldsBlock(schema.fields, !!o.recursive)}`;
    return { stdout: out };
  }
  let fields: Record<string, FieldSchema> | undefined = schema.fields;
  let field: FieldSchema | undefined;
  for (const p of path) {
    field = fields?.[p];
    if (!field) throw new CliError(`error: field "${p}" does not exist`, true);
    fields = field.fields;
  }
  out += `FIELD: ${path[path.length - 1]} <${field!.type}>\n\n`;
  out += `DESCRIPTION:\n${wrap(field!.desc || '<empty>', '    ')}    \n`;
  if (fields) out += `FIELDS:\n${fieldsBlock(fields, !!o.recursive)}`;
  return { stdout: out };
}

export function registerExplain(program: Command, run: (fn: () => Outcome) => void): void {
  program
    .command('explain')
    .description('Get documentation for a resource')
    .argument('[type]', 'TYPE | TYPE.fieldName[.fieldName]')
    .option('--recursive', 'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.')
    .option('--api-version <version>', 'Use given api-version (group/version) of the resource.')
    .action((target: string | undefined, opts: { recursive?: boolean }) => run(() => runExplain(target, opts)));
}
