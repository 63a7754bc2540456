// PATCH bodies the apiserver accepts besides strategic merge: JSON merge patch (RFC 7386,
// application/merge-patch+json) and JSON patch (RFC 6902, application/json-patch+json). A patch
// that cannot apply is the apiserver's BadRequest / Invalid.
import { StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { clone } from '../util/compare';

export type PatchType = 'merge' | 'json';

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

function pointer(path: unknown): string[] {
  if (typeof path !== 'string') throw new StatusError('BadRequest', 'the server rejected our request due to an error in our request');
  if (path === '') return [];
  if (!path.startsWith('/')) throw new StatusError('BadRequest', `the server rejected our request due to an error in our request`);
  return path.slice(1).split('/').map(unescape);
}

function parentOf(doc: unknown, tokens: string[], path: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObj(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw new StatusError('Invalid', `jsonpatch path ${path}: doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw new StatusError('Invalid', `jsonpatch path ${path}: doc is missing path: "${path}": missing value`);
  return { parent: cur, key: tokens[tokens.length - 1] };
}

/** RFC 6902 add, remove, replace, move, copy and test, applied in order to a copy. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new StatusError('BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = clone(doc);
  const get = (path: string): unknown => {
    let cur: unknown = out;
    for (const t of pointer(path)) cur = Array.isArray(cur) ? cur[Number(t)] : isObj(cur) ? cur[t] : undefined;
    return cur;
  };
  const remove = (path: string): unknown => {
    const { parent, key } = parentOf(out, pointer(path), path);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!(i >= 0 && i < parent.length)) throw new StatusError('Invalid', `Unable to remove nonexistent key: ${key}: missing value`);
      return parent.splice(i, 1)[0];
    }
    if (!(key in parent)) throw new StatusError('Invalid', `Unable to remove nonexistent key: ${key}: missing value`);
    const v = parent[key];
    delete parent[key];
    return v;
  };
  const add = (path: string, value: unknown) => {
    const tokens = pointer(path);
    if (!tokens.length) {
      out = clone(value);
      return;
    }
    const { parent, key } = parentOf(out, tokens, path);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!(Number.isInteger(i) && i >= 0 && i <= parent.length)) throw new StatusError('Invalid', `Unable to access invalid index: ${key}: invalid index referenced`);
      parent.splice(i, 0, clone(value));
    } else parent[key] = clone(value);
  };
  for (const op of ops) {
    if (!isObj(op)) throw new StatusError('BadRequest', 'json: cannot unmarshal into Go value of type jsonpatch.Operation');
    const path = op.path as string;
    switch (op.op) {
      case 'add':
        add(path, op.value);
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        remove(path);
        add(path, op.value);
        break;
      case 'move':
        add(path, remove(op.from as string));
        break;
      case 'copy':
        add(path, get(op.from as string));
        break;
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw new StatusError('Invalid', `testing value ${path} failed: test failed`);
        break;
      default:
        throw new StatusError('Invalid', `Unexpected kind: ${String(op.op)}`);
    }
  }
  return out;
}

/** The object a patch makes of the stored one; apiVersion, kind, name and namespace stay. */
export function applyPatch(old: KObject, type: PatchType, patch: unknown): KObject {
  const patched = (type === 'merge' ? mergePatch(old, patch) : jsonPatch(old, patch)) as KObject;
  if (!isObj(patched)) throw new StatusError('BadRequest', 'the patch does not make an object');
  return patched;
}
