// The edit session of kubectl edit and kubectl apply edit-last-applied (k8s.io/kubectl
// pkg/cmd/util/editor/editoptions.go, NormalEditMode and ApplyEditMode): the objects in one temp file
// (a List for several) under kubectl's comment header, the user's editor, then for each object that
// changed a strategic merge patch from what was opened to what was saved (normal mode) or the saved
// object as its new last-applied annotation (apply mode). A change the apiserver refuses as Invalid
// re-opens the file with the causes as comments; saving it again unchanged gives up and says where
// the copy is. A helper of the two verbs (src/cli/edit.ts, src/cli/apply-last-applied.ts).
import * as fs from 'fs';
import { CliError, fieldErrorString, StatusError } from '../api/errors';
import { decodeObject, schemaOf } from '../api/decode';
import { apiVersionOf, qualifiedPlural, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { liveAtVersion } from '../api/versions';
import { toJSON, toYAML } from '../printers/output';
import { yaml } from '../util/yaml';
import { clone } from '../util/compare';
import { writeErr, writeOut } from '../util/stdio';
import { goJSON, LAST_APPLIED, lastApplied } from './apply-patch';
import { mutateApi, namespaceOf, readApi, type GlobalOptions } from './context';
import { changesIdentity, twoWayPatch } from './edit-patch';
import { strategicMergePatch } from '../apiserver/strategicpatch';
import { launchTempFile, terminalEditor, type Editor } from './editor';
import type { Outcome } from './outcome';
import { objectPrinter } from './printflags';
import { validationDirective, warningLine } from './warnings';
import { mappingFor } from './resource/objects';
import { readManifests } from './resource/files';
import { select, visit } from './resource/builder';

export interface EditOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  output?: string;
  outputPatch?: boolean;
  saveConfig?: boolean;
  windowsLineEndings?: boolean;
  template?: string;
  validate?: string;
  /** accepted: kubesim records no field managers (managedFields) */
  fieldManager?: string;
  showManagedFields?: boolean;
  allowMissingTemplateKeys?: boolean;
  /** apply edit-last-applied: the objects' last-applied configurations are what is edited */
  lastApplied?: boolean;
}

/** kubectl names its temp file after its own binary (filepath.Base(os.Args[0])); the exam's is kubectl */
const PREFIX = 'kubectl-edit-';

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

const NO_RESOURCES =
  'You must provide one or more resources by argument or filename.\n' +
  'Example resource specifications include:\n' +
  "   '-f rsrc.yaml'\n" +
  "   '--filename=rsrc.json'\n" +
  "   '<resource> <name>'\n" +
  "   '<resource>'";

interface Reason {
  head: string;
  other: string[];
}

/** hashOnLineBreak: a multi-line message stays a comment. */
const hashOnLineBreak = (s: string) => s.replace(/\n(?=[^#])/g, '\n# ');

/** editHeader.writeTo */
function headerText(reasons: Reason[]): string {
  let out = HEADER;
  for (const r of reasons) {
    out += `# ${hashOnLineBreak(r.head)}${r.other.length ? ':' : ''}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

/** cmdutil.ManualStrip: the lines that are not comments ('#!' stays). */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  return lines.filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!'))).map((l, i, all) => (i < all.length - 1 ? l + '\n' : l)).join('');
}

/** cmdutil.StripComments: the document as JSON (so layout and comments do not count), else ManualStrip. */
function stripComments(text: string): string {
  try {
    return JSON.stringify(yaml().parse(text, { version: '1.1' }));
  } catch {
    return manualStrip(text);
  }
}

/** hasLines: some line that is neither blank nor a comment. */
const hasLines = (text: string) => text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'));

interface Original {
  res: Resource;
  obj: KObject;
}

/** preservedFile: where the user's changes are kept when the edit ends in an error. */
function preserved(file: string): void {
  if (file && fs.existsSync(file)) writeErr(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
}

function removeFile(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* gone already */
  }
}

/** CreateOrUpdateAnnotation: the object, keys sorted, without the annotation, as its own annotation. */
/** apply mode: the object as its last-applied annotation holds it (kubectl's error when it has none). */
function lastAppliedOf(obj: KObject): KObject {
  const text = obj.metadata.annotations?.[LAST_APPLIED];
  if (text === undefined) throw new CliError(`error: no last-applied-configuration annotation found on resource: ${obj.metadata.name}`, true);
  try {
    return JSON.parse(text) as KObject;
  } catch {
    throw new CliError(`error: the last-applied-configuration annotation of ${obj.metadata.name} is not valid JSON`, true);
  }
}

function saveConfig(obj: KObject): void {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  if (Object.keys(annotations).length) obj.metadata.annotations = annotations;
  else delete obj.metadata.annotations;
  const config = goJSON(obj) + '\n';
  obj.metadata.annotations = { ...annotations, [LAST_APPLIED]: config };
}

export function runEdit(g: GlobalOptions, args: string[], o: EditOptions, editor: Editor = terminalEditor()): Outcome {
  const format = o.output === 'json' ? 'json' : 'yaml';
  const print = objectPrinter(o.output, o.template);
  const mode = validationDirective(o.validate);
  if (!args.length && !o.filename?.length) throw new CliError(NO_RESOURCES);
  const api = readApi(g);
  const sel = select(g, args, o);
  const errors: unknown[] = [];
  const originals: Original[] = visit(api, sel, errors).flatMap((v) =>
    v.objects.map((obj) => {
      if (o.lastApplied) return { res: v.res, obj: lastAppliedOf(obj) };
      const copy = liveAtVersion(clone(obj), apiVersionOf(v.res));
      delete copy.metadata.managedFields;
      return { res: v.res, obj: copy };
    }),
  );
  if (errors.length) return { stdout: '', errors };
  if (!originals.length) throw new CliError('edit cancelled, no objects found');
  const shown: unknown = originals.length === 1 ? originals[0].obj : { apiVersion: 'v1', kind: 'List', metadata: {}, items: originals.map((x) => x.obj) };
  const body = format === 'json' ? toJSON(shown) : toYAML(shown);
  const ext = format === 'json' ? '.json' : '.yaml';

  let reasons: Reason[] = [];
  let containsError = false;
  let original = '';
  let edited = '';
  let lastFile = '';
  for (;;) {
    let buf = format === 'yaml' ? headerText(reasons) : '';
    buf += containsError ? manualStrip(edited) : body;
    // crlf.NewCRLFWriter wraps the whole buffer, header and all
    if (o.windowsLineEndings) buf = buf.replace(/\r?\n/g, '\r\n');
    if (!containsError) original = buf;
    const before = edited;
    let file: string;
    try {
      ({ edited, file } = launchTempFile(editor, PREFIX, ext, buf));
    } catch (e) {
      preserved(lastFile);
      throw e;
    }
    if (containsError && stripComments(before) === stripComments(edited)) {
      preserved(file);
      throw new CliError('Edit cancelled, no valid changes were saved.');
    }
    if (lastFile) removeFile(lastFile);
    if (stripComments(original) === stripComments(edited)) {
      removeFile(file);
      writeErr('Edit cancelled, no changes made.\n');
      return { stdout: '' };
    }
    if (!hasLines(edited)) {
      removeFile(file);
      writeErr('Edit cancelled, saved file was empty.\n');
      return { stdout: '' };
    }
    lastFile = file;
    reasons = [];
    const read = readManifests([file], false);
    if (read.errors.length) {
      // the builder's error for the stream it reads, "edited-file"
      // go-yaml's one line, without the excerpt kubesim adds for -f
      const msg = read.errors[0].error.message.split(file).join('edited-file').replace(/^error: /, '').split('\n')[0];
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: ${msg}`, other: [] });
      continue;
    }
    containsError = false;
    let invalid = 0;
    let retryable = 0;
    let notfound = 0;
    try {
      for (const { obj: next } of read.objects) {
        const orig = originals.find((x) => x.obj.metadata.uid && x.obj.metadata.uid === next.metadata?.uid) ?? originals.find((x) => x.obj.kind === next.kind && x.obj.metadata.name === next.metadata?.name);
        if (!orig) throw new CliError(`no original object found for ${next.kind}/${next.metadata?.name ?? ''}`);
        const res = mappingFor(next, 'edited-file');
        // RequireNamespace: the object stays in the command's namespace
        if (res.namespaced) {
          const ns = namespaceOf(g);
          if (!next.metadata.namespace) next.metadata.namespace = ns;
          else if (next.metadata.namespace !== ns) {
            const own = next.metadata.namespace;
            throw new CliError(`the namespace from the provided object "${own}" does not match the namespace "${ns}". You must pass '--namespace=${own}' to perform this operation.`);
          }
        }
        if (o.saveConfig) saveConfig(next);
        const patch = twoWayPatch(orig.obj as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, schemaOf(res.kind, next.apiVersion));
        if (!Object.keys(patch).length) {
          writeOut(print(next, 'skipped'));
          continue;
        }
        if (changesIdentity(patch)) throw new CliError('At least one of apiVersion, kind and name was changed');
        if (o.outputPatch) writeOut(`Patch: ${goJSON(patch)}\n`);
        try {
          const stored = mutateApi(g, (w) => {
            const live = liveAtVersion(clone(w.get(res, next.metadata.namespace, next.metadata.name)), next.apiVersion);
            decodeObject(live, 'Ignore');
            // apply mode: the saved object becomes the annotation, nothing else changes
            if (o.lastApplied) {
              live.metadata.annotations = { ...(live.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(next) };
              return w.update(live, { mode, patch: true, warn: (m) => writeErr(warningLine(m)) }).obj;
            }
            const patched = strategicMergePatch(live as unknown as Record<string, unknown>, patch, schemaOf(res.kind, next.apiVersion)) as unknown as KObject;
            return w.update(patched, { mode, patch: true, warn: (m) => writeErr(warningLine(m)) }).obj;
          });
          writeOut(print(liveAtVersion(stored, next.apiVersion), 'edited'));
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
          writeErr(addError(e, orig.res, next.metadata.name, reasons) + '\n');
          if (e.reason === 'Invalid') invalid++;
          else if (e.reason === 'NotFound') notfound++;
          else retryable++;
        }
      }
    } catch (e) {
      preserved(file);
      throw e;
    }
    if (retryable > 0) {
      writeErr(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      return { stdout: '', code: 1 };
    }
    if (notfound > 0) {
      writeErr(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      return { stdout: '', code: 1 };
    }
    if (invalid === 0) {
      removeFile(file);
      return { stdout: '' };
    }
    containsError = true;
  }
}

/** editResults.addError: the line kubectl prints, and an Invalid's causes for the re-opened file. */
function addError(e: StatusError, res: Resource, name: string, reasons: Reason[]): string {
  const what = `${qualifiedPlural(res)} ${JSON.stringify(name)}`;
  if (e.reason === 'Invalid') {
    reasons.push({ head: `${what} was not valid`, other: (e.details?.causes ?? []).map(fieldErrorString) });
    return `error: ${what} is invalid`;
  }
  if (e.reason === 'NotFound') return `error: ${what} could not be found on the server`;
  return `error: ${what} could not be patched: ${e.message}`;
}

