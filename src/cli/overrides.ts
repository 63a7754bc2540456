// run's --overrides / --override-type (kubectl/pkg/cmd/util/override_options.go, helpers.go Merge /
// StrategicMerge / JSONPatch): the generated object is encoded, the override applied to the JSON
// as a merge patch (the default), a strategic merge patch or a JSON patch, and the result decoded
// back into the typed object: unknown fields are dropped, a wrong type is json's error, and the
// typed object prints with its zero-valued fields (creationTimestamp: null, resources: {}, status: {}).
import { CliError, StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { decodeObject, schemaOf } from '../api/decode';
import { resourceForKind } from '../api/resources';
import { jsonPatch, mergePatch } from '../apiserver/patch';
import { PatchMergeError, strategicMergePatch } from '../apiserver/strategicpatch';
import { goOrdered } from '../printers/gojson';
import { goJSONSyntaxError } from '../util/gojsonsyntax';
import { clone } from '../util/compare';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (msg: string) => new CliError(`error: ${msg}`, true);

/** json.Marshal's text (compact, <, >, & escaped); `sorted` says which objects come out key-sorted (Go maps). */
function goCompact(v: unknown, sorted: (o: Obj) => boolean): string {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (!isObj(x)) return x;
    const keys = sorted(x) ? Object.keys(x).sort() : Object.keys(x);
    return Object.fromEntries(keys.map((k) => [k, walk(x[k])]));
  };
  return JSON.stringify(walk(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every object and list inside v (the nodes a merge patch leaves untouched keep their key order). */
function nodesOf(v: unknown, into = new Set<unknown>()): Set<unknown> {
  if (v && typeof v === 'object') {
    into.add(v);
    for (const x of Object.values(v)) nodesOf(x, into);
  }
  return into;
}

/**
 * The patched JSON, or the error applying the override gives. The texts: evanphx/json-patch's
 * MergePatch ("Invalid JSON Patch" for a patch that is no object), strategicpatch's
 * mergepatch.ErrBadJSONDoc, json.Unmarshal into jsonpatch.Patch. `text` is how the patched
 * document reads as JSON, for the decoder's "Object 'Kind' is missing in '…'".
 */
function patched(obj: KObject, overrides: string, type: string): { doc: unknown; text: () => string } {
  let patch: unknown;
  switch (type) {
    case 'merge': {
      try {
        patch = JSON.parse(overrides);
      } catch {
        throw fail('Invalid JSON Patch');
      }
      // a list replaces the document; null, a string or a number is no patch
      if (Array.isArray(patch)) return { doc: patch, text: () => goCompact(patch, () => true) };
      if (!isObj(patch)) throw fail('Invalid JSON Patch');
      const doc = mergePatch(obj, patch);
      // partialDoc: the levels the merge went through are Go maps, the rest the original bytes
      const untouched = nodesOf(obj);
      return { doc, text: () => goCompact(doc, (o) => !untouched.has(o)) };
    }
    case 'strategic': {
      try {
        patch = JSON.parse(overrides);
      } catch {
        throw fail('invalid JSON document');
      }
      if (patch === null) return { doc: obj, text: () => goCompact(obj, () => true) };
      if (!isObj(patch)) throw fail('invalid JSON document');
      let doc: unknown;
      try {
        doc = strategicMergePatch(obj as unknown as Obj, patch, schemaOf(obj.kind, obj.apiVersion));
      } catch (e) {
        if (e instanceof PatchMergeError) throw fail(e.message);
        throw e;
      }
      return { doc, text: () => goCompact(doc, () => true) };
    }
    default: {
      const syntax = goJSONSyntaxError(overrides);
      if (syntax) throw fail(syntax);
      patch = JSON.parse(overrides);
      let doc: unknown;
      try {
        doc = jsonPatch(obj, patch ?? []);
      } catch (e) {
        if (e instanceof StatusError) throw fail(e.message);
        throw e;
      }
      return { doc, text: () => goCompact(doc, () => false) };
    }
  }
}

/** The typed object's fields without omitempty, as the encoder writes them (pod only: run's object). */
function typedPod(o: KObject): KObject {
  o.metadata = { ...(o.metadata ?? {}), creationTimestamp: o.metadata?.creationTimestamp ?? null } as KObject['metadata'];
  o.spec ??= {};
  for (const c of [...(o.spec.initContainers ?? []), ...(o.spec.containers ?? [])]) c.resources ??= {};
  o.status ??= {};
  return o;
}

/** The generated object with the override applied, as Overrider.Apply returns it; obj when there is none. */
export function applyOverrides(obj: KObject, overrides: string | undefined, overrideType: string | undefined): KObject {
  if (!overrides) return obj;
  const type = overrideType || 'merge';
  if (!['json', 'merge', 'strategic'].includes(type)) throw fail(`invalid override type: ${type}`);
  const { doc, text } = patched(clone(obj), overrides, type);
  // runtime.Decode: the version and kind first (json.go's Interpret, then the scheme)
  if (!isObj(doc)) {
    const what = Array.isArray(doc) ? 'array' : typeof doc === 'string' ? 'string' : typeof doc === 'number' ? 'number' : 'bool';
    throw fail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  if (!kind) throw fail(`Object 'Kind' is missing in '${text()}'`);
  if (!apiVersion) throw fail(`Object 'apiVersion' is missing in '${text()}'`);
  const schema = schemaOf(kind, apiVersion);
  if (!schema || resourceForKind(apiVersion, kind) === undefined) {
    throw fail(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/scheme/scheme.go:28"`);
  }
  const out = doc as unknown as KObject;
  const decoded = decodeObject(out, 'Ignore');
  if (decoded.error) {
    // the client's decoder says only json's error, without the apiserver's "Pod in version … cannot be handled as a Pod: "
    const prefix = `${kind} in version ${JSON.stringify(apiVersion.split('/').pop())} cannot be handled as a ${kind}: `;
    throw fail(decoded.error.startsWith(prefix) ? decoded.error.slice(prefix.length) : decoded.error);
  }
  return goOrdered(kind === 'Pod' ? typedPod(out) : out, schema) as KObject;
}
