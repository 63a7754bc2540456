// kubectl patch (pkg/cmd/patch/patch.go): a strategic merge (the default), JSON merge or JSON patch
// of the named objects through the API's PATCH, or of the objects of -f with --local. The printed
// operation is "patched" or "patched (no change)" (whether the object changed), never with a dry-run
// suffix: ToPrinter overwrites the operation PrintFlagsWithDryRunStrategy set.
import * as fs from 'fs';
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { applyPatch, type PatchType } from '../apiserver/patch';
import { schemaOf } from '../api/decode';
import { isDeepStrictEqual } from 'util';
import { clone } from '../util/compare';
import { yaml } from '../util/yaml';
import { mutateApi, type GlobalOptions } from './context';
import { inOrder, type Outcome, type OutputPart } from './outcome';
import type { Validation } from '../apiserver/registry';
import { warningLine } from './warnings';
import { dryRunStrategy, objectPrinter } from './printflags';
import { select, visit } from './resource/builder';
import { existingManifests } from './resource/files';

interface PatchOptions {
  patch?: string;
  patchFile?: string;
  type?: string;
  subresource?: string;
  local?: boolean;
  filename?: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
}

const TYPES: Record<string, PatchType> = { json: 'json', merge: 'merge', strategic: 'strategic' };

/**
 * k8s.io/apimachinery/pkg/util/yaml.ToJSON: a body that starts with "{" is taken as JSON as it is;
 * anything else is read as YAML. Returns the text a JSON decoder then reads.
 */
function toJSON(text: string, shown: string): string {
  if (/^\s*\{/.test(text)) return text;
  const docs = yaml().parseAllDocuments(text);
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return 'null';
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? 1;
    throw new CliError(`error: unable to parse ${JSON.stringify(shown)}: yaml: line ${line}: did not find expected node content`, true);
  }
  return JSON.stringify(doc.toJS() ?? null);
}

/** The patch as the decoder of its type reads it; kubectl's (local) words when it cannot. */
function decodePatch(json: string, type: PatchType): unknown {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    if (type === 'strategic') throw new CliError('error: invalid JSON document', true);
    if (type === 'merge') throw new CliError('error: Invalid JSON Patch', true);
    throw new CliError('error: invalid character in JSON patch', true);
  }
  if (type === 'strategic' && (typeof v !== 'object' || v === null || Array.isArray(v))) throw new CliError('error: invalid JSON document', true);
  if (type === 'merge' && Array.isArray(v)) throw new CliError('error: json: cannot unmarshal array into Go value of type unstructured.detector', true);
  if (type === 'merge' && (typeof v !== 'object' || v === null)) throw new CliError('error: Invalid JSON Patch', true);
  return v;
}

/** kubectl's own message for a failed local patch (the StatusError's text, "Object to be patched…" for a missing index). */
function localError(e: unknown): unknown {
  if (!(e instanceof StatusError)) return e;
  const missing = /doc is missing key: (.*)$/.exec(e.message);
  if (missing) return new CliError(`error: Object to be patched is missing field (${missing[1]})`, true);
  return new CliError(`error: ${e.message}`, true);
}

export function runPatch(g: GlobalOptions, args: string[], o: PatchOptions): Outcome {
  const dry = dryRunStrategy(o.dryRun);
  if (o.patch && o.patchFile) throw new CliError('error: cannot specify --patch and --patch-file together', true);
  if (!o.patch && !o.patchFile) throw new CliError('error: must specify --patch or --patch-file containing the contents of the patch', true);
  if (o.local && args.length) throw new CliError('error: cannot specify --local and server resources', true);
  if (o.local && dry === 'server') throw new CliError('error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?', true);
  const typeName = o.type ?? 'strategic';
  const type = TYPES[typeName.toLowerCase()];
  if (!type) throw new CliError(`error: --type must be one of [json merge strategic], not ${JSON.stringify(typeName)}`, true);
  if (!o.local && o.subresource !== undefined && !['status', 'scale'].includes(o.subresource)) {
    throw new CliError(`error: invalid subresource value: ${JSON.stringify(o.subresource)}. Must be one of [status scale]`, true);
  }
  let text = o.patch ?? '';
  if (o.patchFile) {
    try {
      text = fs.readFileSync(o.patchFile, 'utf8');
    } catch (e) {
      throw new CliError(`error: unable to read patch file: open ${o.patchFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : 'permission denied'}`, true);
    }
  }
  const json = toJSON(text, o.patch ?? '');
  const print = objectPrinter(o.output);
  const operation = (before: KObject, after: KObject) => (isDeepStrictEqual(before, after) ? 'patched (no change)' : 'patched');

  if (o.local) {
    // the patch applied here to the object of the file: nothing is sent
    if (!o.filename?.length) throw new CliError(NO_RESOURCES, true);
    const patch = decodePatch(json, type);
    const patchOne = (obj: KObject) => {
      if (type === 'strategic' && !schemaOf(obj.kind, obj.apiVersion)) {
        // getPatchedJSON: no Go type to read the patch tags from
        const [group, version] = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion ?? ''];
        throw new CliError(`error: strategic merge patch is not supported for ${group}/${version}, Kind=${obj.kind} locally, try --type merge`, true);
      }
      try {
        const after = applyPatch(clone(obj), type, clone(patch));
        return print(after, operation(obj, after));
      } catch (e) {
        throw localError(e);
      }
    };
    return { stdout: existingManifests(o.filename, !!o.recursive).map((i) => patchOne(i.obj)).join('') };
  }
  if (!args.length && !o.filename?.length) throw new CliError(NO_RESOURCES, true);
  const sel = select(g, args, o, { requireNames: true });
  const errors: unknown[] = [];
  const parts: OutputPart[] = [];
  const out = (text: string) => parts.push({ text });
  // kubectl patch sends no fieldValidation: the server's default, Warn (unknown fields dropped, each a warning)
  const validation: Validation = { mode: 'Warn', warn: (m) => parts.push({ text: warningLine(m), stderr: true }) };
  mutateApi(
    g,
    (api) => {
      for (const v of visit(api, sel, errors)) {
        for (const live of v.objects) {
          try {
            if (dry === 'client') {
              const after = applyPatch(clone(live), type, decodePatch(json, type));
              out(print(after, operation(live, after)));
              continue;
            }
            const { obj } = api.patch(v.res, live.metadata.namespace, live.metadata.name, type, serverPatch(json, type), o.subresource, validation);
            if (obj.kind === 'Scale' && (!o.output || o.output === 'name')) {
              // a Scale is named scale.autoscaling/NAME; it changed when its replicas did
              const was = live.spec?.replicas;
              out(`scale.autoscaling/${obj.metadata.name}${o.output ? '' : was === obj.spec.replicas ? ' patched (no change)' : ' patched'}\n`);
              continue;
            }
            out(print(obj, operation(live, obj)));
          } catch (e) {
            errors.push(dry === 'client' ? localError(e) : serverError(e));
          }
        }
      }
    },
    dry !== 'none',
  );
  return inOrder(parts, errors);
}

/** kubectl's text for the apiserver's 422 of a failed JSON patch test (a generic server response). */
function serverError(e: unknown): unknown {
  if (e instanceof StatusError && e.reason === 'Invalid' && e.message.startsWith('testing value ')) {
    return new CliError('The request is invalid: the server rejected our request due to an error in our request', true);
  }
  return e;
}

/** The patch body as the apiserver decodes it (its BadRequest for one it cannot read). */
function serverPatch(json: string, type: PatchType): unknown {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new StatusError('BadRequest', `invalid JSON in the patch: ${(e as Error).message}`);
  }
  if (type !== 'json' && (typeof v !== 'object' || v === null || Array.isArray(v))) {
    const what = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v;
    throw new StatusError('BadRequest', `json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  return v;
}

const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

export function registerPatch(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('patch')
    .description('Update fields of a resource')
    .argument('[args...]', '(-f FILENAME | TYPE NAME)')
    .option('-p, --patch <patch>', 'The patch to be applied to the resource JSON file.')
    .option('--patch-file <file>', 'A file containing a patch to be applied to the resource.')
    .option('--type <type>', 'The type of patch being provided; one of [json merge strategic]')
    .option('--subresource <name>', 'If specified, patch will operate on the subresource of the requested object. Must be one of [status scale].')
    .option('--local', 'If true, patch will operate on the content of the file, not the server-side resource.')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to update', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .action((args: string[], opts: PatchOptions) => run(() => runPatch(g(), args, opts)));
}
