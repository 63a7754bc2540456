// kustomize's patches: strategic merge (merge keys from the Go types' patchMergeKey tags, $patch:
// delete / replace, null deletes) and JSON 6902 (RFC 6902 operations on JSON pointers).
import { elemOf, patchMeta, schemaOf, type GoType } from '../api/decode';
import { KustomizeError } from './fs';
import { isMap, type Json } from './resource';

const clone = <T>(v: T): T => structuredClone(v);

function fieldType(t: GoType | undefined, key: string): { type?: GoType; strategy: string; mergeKey: string } {
  if (t?.k === 'map') return { type: elemOf(t), strategy: '', mergeKey: '' };
  return patchMeta(t, key);
}

function mergeMap(base: Json, patch: Json, t: GoType | undefined): Json | undefined {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') {
    const out = clone(patch);
    delete out.$patch;
    return out;
  }
  const out = clone(base);
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const f = fieldType(t, k);
    const cur = out[k];
    if (isMap(v) && isMap(cur)) {
      const m = mergeMap(cur, v, f.type);
      if (m === undefined) delete out[k];
      else out[k] = m;
    } else if (Array.isArray(v) && Array.isArray(cur) && f.strategy.split(',').includes('merge')) {
      out[k] = mergeList(cur, v, f.mergeKey, elemOf(f.type));
    } else if (isMap(v)) {
      const m = mergeMap({}, v, f.type);
      if (m !== undefined) out[k] = m;
    } else out[k] = clone(v);
  }
  return out;
}

function mergeList(base: unknown[], patch: unknown[], key: string, t: GoType | undefined): unknown[] {
  if (!key) {
    // a merged list of scalars: the union, the patch's new items after the base's
    const out = clone(base);
    for (const p of patch) if (!out.some((b) => JSON.stringify(b) === JSON.stringify(p))) out.push(clone(p));
    return out;
  }
  if (patch.some((p) => isMap(p) && p.$patch === 'replace')) return patch.filter((p) => !(isMap(p) && p.$patch === 'replace')).map(clone);
  const out = clone(base);
  for (const p of patch) {
    if (!isMap(p)) continue;
    const i = out.findIndex((b) => isMap(b) && b[key] === p[key]);
    if (p.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) {
      const m = mergeMap(out[i] as Json, p, t);
      if (m === undefined) out.splice(i, 1);
      else out[i] = m;
    } else out.push(mergeMap({}, p, t));
  }
  return out;
}

/** A strategic merge patch applied to an object. */
export function strategicMerge(obj: Json, patch: Json): Json {
  const t = schemaOf(String(obj.kind), String(obj.apiVersion));
  return mergeMap(obj, patch, t) ?? obj;
}

/** RFC 6901 pointer to path tokens. */
function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new KustomizeError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, toks: string[], path: string): { parent: Json | unknown[]; last: string } {
  let cur: unknown = doc;
  for (const t of toks.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isMap(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
  }
  if (!isMap(cur) && !Array.isArray(cur)) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
  return { parent: cur, last: toks[toks.length - 1] };
}

function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const t of tokens(path)) cur = Array.isArray(cur) ? cur[Number(t)] : isMap(cur) ? cur[t] : undefined;
  if (cur === undefined) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
  return cur;
}

function remove(doc: unknown, path: string): unknown {
  const { parent, last } = parentOf(doc, tokens(path), path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!(i >= 0 && i < parent.length)) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
    return parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(parent, last)) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
  const v = parent[last];
  delete parent[last];
  return v;
}

function add(doc: unknown, path: string, value: unknown, replace: boolean): void {
  const { parent, last } = parentOf(doc, tokens(path), path);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!(i >= 0 && i <= parent.length)) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else {
    if (replace && !Object.hasOwn(parent, last)) throw new KustomizeError(`unable to find path ${JSON.stringify(path)}`);
    parent[last] = value;
  }
}

/** A JSON 6902 patch (a list of operations) applied to an object. */
export function json6902(obj: Json, ops: unknown[]): Json {
  const doc = clone(obj);
  for (const op of ops) {
    if (!isMap(op)) throw new KustomizeError('invalid JSON 6902 operation');
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add':
        add(doc, path, clone(op.value), false);
        break;
      case 'replace':
        add(doc, path, clone(op.value), true);
        break;
      case 'remove':
        remove(doc, path);
        break;
      case 'move':
        add(doc, path, remove(doc, String(op.from)), false);
        break;
      case 'copy':
        add(doc, path, clone(getAt(doc, String(op.from))), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) throw new KustomizeError(`testing value ${path} failed`);
        break;
      default:
        throw new KustomizeError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}
