// PATCH bodies the apiserver accepts besides strategic merge: JSON merge patch (RFC 7386,
// application/merge-patch+json) and JSON patch (RFC 6902, application/json-patch+json). A patch
// that cannot apply is the apiserver's BadRequest / Invalid.
import { StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { clone } from '../util/compare';
import { schemaOf } from '../api/decode';
import type * as Strategic from './strategicpatch';

/** The strategic merge code, loaded when a strategic patch is applied (only patch and diff send one). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const strategic = (): typeof Strategic => require('./strategicpatch');

export type PatchType = 'strategic' | 'merge' | 'json';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A JSON patch that cannot apply: evanphx/json-patch (v4, what apimachinery uses) in its words. */
const failed = (msg: string) => new StatusError('BadRequest', msg);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

type Container = Record<string, unknown> | unknown[];

/** findObject: the container a path's last token is in, or undefined when the way there is missing. */
function container(doc: unknown, path: string): { con: Container; key: string } | undefined {
  if (path === '') return undefined;
  const tokens = path.split('/').slice(1).map(unescape);
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^-?\d+$/.test(t) || i < 0 || i >= cur.length) return undefined;
      cur = cur[i];
    } else if (isObj(cur)) {
      if (!Object.hasOwn(cur, t)) return undefined;
      cur = cur[t];
    } else return undefined;
  }
  if (!Array.isArray(cur) && !isObj(cur)) return undefined;
  return { con: cur, key: path.split('/').slice(1).map(unescape).pop()! };
}

/** strconv.Atoi's error for an index that is no number. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

function conGet(con: Container, key: string): unknown {
  if (Array.isArray(con)) {
    const i = atoi(key);
    if (i < 0 || i >= con.length) throw new Error(`Unable to access invalid index: ${key}: invalid index referenced`);
    return con[i];
  }
  return Object.hasOwn(con, key) ? con[key] : null;
}

function conAdd(con: Container, key: string, value: unknown): void {
  if (!Array.isArray(con)) {
    con[key] = value;
    return;
  }
  if (key === '-') {
    con.push(value);
    return;
  }
  let i: number;
  try {
    i = atoi(key);
  } catch (e) {
    throw new Error(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  if (i < -con.length || i > con.length) throw new Error(`Unable to access invalid index: ${key}: invalid index referenced`);
  con.splice(i < 0 ? con.length + i : i, 0, value);
}

function conRemove(con: Container, key: string): unknown {
  if (!Array.isArray(con)) {
    if (!Object.hasOwn(con, key)) throw new Error(`Unable to remove nonexistent key: ${key}: missing value`);
    const v = con[key];
    delete con[key];
    return v;
  }
  const i = atoi(key);
  if (i < -con.length || i >= con.length) throw new Error(`Unable to access invalid index: ${key}: invalid index referenced`);
  return con.splice(i < 0 ? con.length + i : i, 1)[0];
}

/** Go's json error for a patch that is no list of operations. */
function notAPatch(ops: unknown): string {
  const what = typeof ops === 'string' ? 'string' : typeof ops === 'number' ? 'number' : typeof ops === 'boolean' ? 'bool' : 'object';
  return `json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`;
}

/** RFC 6902 add, remove, replace, move, copy and test, applied in order to a copy. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new StatusError('BadRequest', notAPatch(ops));
  const root: Record<string, unknown> = { '': clone(doc) };
  // the document sits under key "" of a root, so a path of "" is a key like any other
  const at = (path: string) => (path === '' ? { con: root as Container, key: '' } : container(root[''], path));
  const wrap = (op: string, path: string, f: () => unknown) => {
    try {
      return f();
    } catch (e) {
      throw failed(`error in ${op} for path: '${path}': ${(e as Error).message}`);
    }
  };
  for (const op of ops) {
    if (!isObj(op)) throw new StatusError('BadRequest', 'json: cannot unmarshal array into Go value of type jsonpatch.Operation');
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    const path = op.path;
    const value = Object.hasOwn(op, 'value') ? clone(op.value) : null;
    if (['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(kind) && typeof path !== 'string') throw failed(`${kind} operation failed to decode path: missing value`);
    const p = path as string;
    switch (kind) {
      case 'add': {
        const c = at(p);
        if (!c) throw failed(`add operation does not apply: doc is missing path: ${JSON.stringify(p)}: missing value`);
        wrap('add', p, () => conAdd(c.con, c.key, value));
        break;
      }
      case 'remove': {
        const c = at(p);
        if (!c) throw failed(`remove operation does not apply: doc is missing path: ${JSON.stringify(p)}: missing value`);
        wrap('remove', p, () => conRemove(c.con, c.key));
        break;
      }
      case 'replace': {
        const c = at(p);
        if (!c) throw failed(`replace operation does not apply: doc is missing path: ${p}: missing value`);
        if (Array.isArray(c.con)) {
          const i = /^-?\d+$/.test(c.key) ? Number(c.key) : NaN;
          if (!(i >= 0 && i < c.con.length)) throw failed(`replace operation does not apply: doc is missing key: ${p}: missing value`);
          c.con[i] = value;
        } else c.con[c.key] = value;
        break;
      }
      case 'move': {
        const from = typeof op.from === 'string' ? op.from : '';
        const f = at(from);
        if (!f) throw failed(`move operation does not apply: doc is missing from path: ${from}: missing value`);
        const v = wrap('move', f.key, () => conRemove(f.con, f.key));
        const t = at(p);
        if (!t) throw failed(`move operation does not apply: doc is missing destination path: ${p}: missing value`);
        wrap('move', p, () => conAdd(t.con, t.key, v));
        break;
      }
      case 'copy': {
        const from = typeof op.from === 'string' ? op.from : '';
        const f = at(from);
        if (!f) throw failed(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
        const v = clone(wrap('copy', from, () => conGet(f.con, f.key)));
        const t = at(p);
        if (!t) throw failed(`copy operation does not apply: doc is missing destination path: ${p}: missing value`);
        wrap('copy', p, () => conAdd(t.con, t.key, v));
        break;
      }
      case 'test': {
        const c = at(p);
        if (!c) throw failed(`test operation does not apply: is missing path: ${p}: missing value`);
        let cur: unknown;
        try {
          cur = conGet(c.con, c.key);
        } catch {
          cur = null;
        }
        // interpretJSONPatchError: a failed test is the 422 that says only "the server rejected our request"
        if (!deepEqual(cur ?? null, value)) throw new StatusError('Invalid', `testing value ${p} failed: test failed`, { kind: '', name: '', causes: [] });
        break;
      }
      default:
        throw failed(`Unexpected kind: ${kind}`);
    }
  }
  return root[''];
}

/**
 * The object a patch makes of the stored one. A strategic merge patch needs the kind's Go type
 * (the apiserver answers 415 for the kinds without one, as for custom resources).
 */
export function applyPatch(old: KObject, type: PatchType, patch: unknown): KObject {
  let patched: unknown;
  if (type === 'strategic') {
    const schema = schemaOf(old.kind, old.apiVersion);
    if (!schema && old.kind !== 'Scale') throw new StatusError('UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    if (!isObj(patch)) throw new StatusError('BadRequest', 'invalid JSON document');
    const { strategicMergePatch, PatchMergeError } = strategic();
    try {
      patched = strategicMergePatch(old as unknown as Record<string, unknown>, patch, schema);
    } catch (e) {
      if (e instanceof PatchMergeError) throw new StatusError('BadRequest', e.message);
      throw e;
    }
  } else if (type === 'merge') {
    if (!isObj(patch)) throw new StatusError('BadRequest', 'Invalid JSON Patch');
    patched = mergePatch(old, patch);
  } else patched = jsonPatch(old, patch);
  if (!isObj(patched)) throw new StatusError('BadRequest', 'the patch does not make an object');
  return patched as KObject;
}
