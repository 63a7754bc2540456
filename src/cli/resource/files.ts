// Reading -f: files, directories (with -R, recursively), `-` for stdin; YAML with several documents,
// JSON, and `kind: List`. Each object remembers its source for kubectl's "error when creating "f.yaml"".
import { cmp } from '../../util/compare';
import * as fs from 'fs';
import * as path from 'path';
import { CliError } from '../../api/errors';
import type { KObject } from '../../api/types';
import { yaml } from '../../util/yaml';
import { readStdin } from '../../util/stdio';
import { parseManifestYaml, Unsupported } from '../../util/fastyaml';

export interface SourcedObject {
  obj: KObject;
  source: string;
}

/** A document that could not be used; the others go on, as with kubectl. */
export interface SourceError {
  source: string;
  error: CliError;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * A URL: kubectl GETs it (cli-runtime's readHttpWithRetries); kubesim has no network, so it answers
 * as kubectl does when the host cannot be reached (checkErr's "Unable to connect to the server",
 * with Go's dial error), and says why.
 */
function unreachable(arg: string): CliError | undefined {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(arg);
  if (!m) return undefined;
  const host = m[2].replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  return new CliError(
    `Unable to connect to the server: dial tcp: lookup ${host}: no such host\n` +
      `(kubesim has no network and does not fetch URLs: download ${arg} and pass the file to -f)`,
    true,
  );
}

function expand(arg: string, recursive: boolean): string[] {
  if (arg === '-') return ['-'];
  const url = unreachable(arg);
  if (url) throw url;
  let st: fs.Stats;
  try {
    st = fs.statSync(arg);
  } catch {
    throw new CliError(`error: the path "${arg}" does not exist`, true);
  }
  if (!st.isDirectory()) return [arg];
  const out: string[] = [];
  for (const entry of fs.readdirSync(arg, { withFileTypes: true }).sort((a, b) => cmp(a.name, b.name))) {
    const p = path.join(arg, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...expand(p, true));
    } else if (EXTENSIONS.has(path.extname(entry.name))) out.push(p);
  }
  return out;
}

/** go-yaml's wording for the mistakes people make most, so messages read as kubectl's. */
function goYamlMessage(e: { code?: string; message: string }): string {
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'mapping values are not allowed in this context';
    case 'MULTILINE_IMPLICIT_KEY':
      return "could not find expected ':'";
    case 'TAB_AS_INDENT':
      return 'found character that cannot start any token';
    case 'BAD_INDENT':
      return /Flow sequence/.test(e.message) ? "did not find expected ',' or ']'" : /Flow map/.test(e.message) ? "did not find expected ',' or '}'" : 'did not find expected key';
    case 'UNEXPECTED_TOKEN':
      return 'did not find expected key';
    case 'MISSING_CHAR':
      return /quote/.test(e.message) ? 'found unexpected end of stream' : 'did not find expected key';
    default:
      return e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  }
}

function parseText(text: string, source: string): unknown[] {
  let docs: unknown[];
  try {
    docs = parseDocuments(text, source);
  } catch (e) {
    // the parsers recurse: a document nested thousands deep overflows them
    if (e instanceof RangeError) throw yamlError(source, `exceeded max depth of ${MAX_DEPTH}`);
    throw e;
  }
  if (docs.some(tooDeep)) throw yamlError(source, `exceeded max depth of ${MAX_DEPTH}`);
  return docs;
}

function parseDocuments(text: string, source: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(text)];
    } catch {
      /* not plain JSON: YAML is a superset, let the YAML parser report */
    }
  }
  try {
    return parseManifestYaml(text).filter((v) => v !== null && v !== undefined);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  const Y = yaml();
  const lc = new Y.LineCounter();
  // YAML 1.1 as go-yaml reads it for kubectl (yes/no are bools), but timestamps stay strings
  const docs = Y.parseAllDocuments(text, {
    lineCounter: lc,
    uniqueKeys: false,
    prettyErrors: false,
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const d of list) {
    const err = d.errors[0];
    if (err && /call stack/i.test(err.message)) throw yamlError(source, `exceeded max depth of ${MAX_DEPTH}`);
    if (err) {
      const { line, col } = lc.linePos(err.pos[0]);
      const srcLine = text.split('\n')[line - 1] ?? '';
      throw new CliError(
        `error: error parsing ${source}: error converting YAML to JSON: yaml: line ${line}: ${goYamlMessage(err)}\n` +
          `  ${line} | ${srcLine}\n  ${' '.repeat(String(line).length)} | ${' '.repeat(Math.max(0, col - 1))}^ (column ${col})`,
        true,
      );
    }
    const self = selfReference(Y, d);
    if (self) throw yamlError(source, `anchor '${self}' value contains itself`);
    let v: unknown;
    try {
      v = d.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // go-yaml's words for what the yaml package throws on aliases
      const msg = (e as Error).message ?? '';
      const unknown = /Unresolved alias[^:]*: (.*)$/.exec(msg);
      if (unknown) throw yamlError(source, `unknown anchor '${unknown[1]}' referenced`);
      if (/Excessive alias count/.test(msg)) throw yamlError(source, 'document contains excessive aliasing');
      throw e;
    }
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function yamlError(source: string, what: string): CliError {
  return new CliError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${what}`, true);
}

/** The name of an anchor used inside its own value (go-yaml refuses it; the yaml package would make a cycle). */
function selfReference(Y: ReturnType<typeof yaml>, doc: InstanceType<ReturnType<typeof yaml>['Document']>): string | undefined {
  let found: string | undefined;
  Y.visit(doc, {
    Alias(_key, node, path) {
      const target = node.resolve(doc);
      if (target && path.includes(target as never)) {
        found = node.source;
        return Y.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Objects nested deeper than this are refused when read, before any recursive code (defaulting,
 * validation, printing) meets them: no manifest of a real kind comes near it.
 */
export const MAX_DEPTH = 1000;

function tooDeep(v: unknown): boolean {
  // iterative: the check itself must not overflow the stack
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > MAX_DEPTH) return true;
    if (x && typeof x === 'object') for (const c of Object.values(x as object)) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}

function flattenLists(v: unknown): unknown[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { kind?: string; items?: unknown };
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) return o.items.flatMap(flattenLists);
  }
  return [v];
}

function checkShape(v: unknown, source: string): KObject {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new CliError(`error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`, true);
  }
  const o = v as Record<string, unknown>;
  const missing: string[] = [];
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') missing.push('apiVersion not set');
  if (typeof o.kind !== 'string' || o.kind === '') missing.push('kind not set');
  if (missing.length) {
    const what = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
    throw new CliError(`error: error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`, true);
  }
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) {
    throw new CliError(`error: error validating "${source}": error validating data: ValidationError(${o.kind}.metadata): invalid type for io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta: got "${Array.isArray(o.metadata) ? 'array' : typeof o.metadata}", expected "map"; if you choose to ignore these errors, turn validation off with --validate=false`, true);
  }
  return o as unknown as KObject;
}

/**
 * Every object in the -f arguments, in order. A file that cannot be read or parsed is an error for
 * that file only; the caller goes on with the rest and exits 1, as kubectl does.
 */
export function readManifests(files: string[], recursive: boolean): { objects: SourcedObject[]; errors: SourceError[] } {
  const objects: SourcedObject[] = [];
  const errors: SourceError[] = [];
  if (files.length === 0) throw new CliError('error: must specify one of -f and -k', true);
  for (const arg of files) {
    for (const file of expand(arg, recursive)) {
      const source = file === '-' ? 'STDIN' : file;
      try {
        const text = file === '-' ? readStdin() : fs.readFileSync(file, 'utf8');
        for (const doc of parseText(text, source).flatMap(flattenLists)) {
          try {
            objects.push({ obj: checkShape(doc, source), source });
          } catch (e) {
            errors.push({ source, error: e as CliError });
          }
        }
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        errors.push({ source, error: e });
      }
    }
  }
  if (objects.length === 0 && errors.length === 0) throw new CliError('error: no objects passed to create', true);
  return { objects, errors };
}

/**
 * The -f objects of a verb that acts on existing objects (label, scale): a file that cannot be used
 * fails the command, as the builder's error does.
 */
export function existingManifests(files: string[], recursive: boolean): SourcedObject[] {
  const { objects, errors } = readManifests(files, recursive);
  if (errors.length) throw errors[0].error;
  return objects;
}

/** client-go's Request.Name(""): an object from a file without a name cannot be fetched or changed. */
export const EMPTY_NAME = 'resource name may not be empty';

export function requireName(item: SourcedObject): string {
  const name = objectName(item.obj);
  if (!name) throw new CliError(`error: ${EMPTY_NAME}`, true);
  return name;
}

/** ObjectMeta.GetName() of an unstructured object: a name that is not a string reads as none. */
export function objectName(obj: KObject): string {
  const name: unknown = obj.metadata?.name;
  return typeof name === 'string' ? name : '';
}

/** resource.Info.String(): how apply's errors name an object of a file. */
export function infoString(res: { group: string; version: string; plural: string; kind: string }, obj: KObject): string {
  const gv = `${res.group}/${res.version}`;
  return `Resource: "${gv}, Resource=${res.plural}", GroupVersionKind: "${gv}, Kind=${res.kind}"\nName: ${JSON.stringify(obj.metadata?.name ?? '')}, Namespace: ${JSON.stringify(obj.metadata?.namespace ?? '')}`;
}
