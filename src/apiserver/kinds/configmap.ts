// core/v1 ConfigMap: ValidateConfigMap / ValidateConfigMapUpdate (pkg/apis/core/validation) and the
// columns of printConfigMap (NAME, DATA, AGE).
import { forbidden, invalid, type FieldError } from '../../api/errors';
import type { KObject } from '../../api/types';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation';
import { deepEqual } from '../../store/state';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';

/** core.MaxSecretSize: what a ConfigMap's or a Secret's values may add up to. */
export const MAX_SECRET_SIZE = 1024 * 1024;

const CONFIG_KEY_ERROR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** validation.IsConfigMapKey */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) errs.push(CONFIG_KEY_ERROR);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** A map field's keys, sorted (Go walks maps at random; kubesim reports in key order). */
export const keysOf = (m: unknown): string[] => (m && typeof m === 'object' && !Array.isArray(m) ? Object.keys(m).sort() : []);

/** The length of a []byte field's value (base64 in JSON). */
export const bytesLen = (v: unknown): number => (typeof v === 'string' ? Buffer.from(v, 'base64').length : Array.isArray(v) ? v.length : 0);

/** A []byte map as the apiserver stores it: a value sent as a JSON array of bytes becomes base64. */
export function bytesAsBase64(m: unknown): void {
  if (!m || typeof m !== 'object') return;
  const o = m as Record<string, unknown>;
  for (const k of Object.keys(o)) if (Array.isArray(o[k])) o[k] = Buffer.from(o[k] as number[]).toString('base64');
}

export const IMMUTABLE_SET = 'field is immutable when `immutable` is set';

function validateConfigMap(cm: KObject): FieldError[] {
  const errs = validateObjectMeta(cm, true, nameIsDNSSubdomain);
  const data = (cm.data ?? {}) as Record<string, unknown>;
  const binary = (cm.binaryData ?? {}) as Record<string, unknown>;
  let total = 0;
  for (const k of keysOf(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    if (Object.hasOwn(binary, k)) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(data[k] ?? ''), 'utf8');
  }
  for (const k of keysOf(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`binaryData[${k}]`, k, m));
    if (Object.hasOwn(data, k)) errs.push(invalid(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    total += bytesLen(binary[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push({ type: 'Too long', field: '', detail: `must have at most ${MAX_SECRET_SIZE} bytes` });
  return errs;
}

/** ValidateConfigMapUpdate: an immutable ConfigMap keeps its data (and stays immutable). */
function validateConfigMapUpdate(cm: KObject, old: KObject): FieldError[] {
  const errs = validateObjectMetaUpdate(cm, old);
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_SET));
    if (!deepEqual(cm.data ?? null, old.data ?? null)) errs.push(forbidden('data', IMMUTABLE_SET));
    if (!deepEqual(cm.binaryData ?? null, old.binaryData ?? null)) errs.push(forbidden('binaryData', IMMUTABLE_SET));
  }
  return [...errs, ...validateConfigMap(cm)];
}

export default defineKind({
  resource: resource('ConfigMap', 'configmaps', ['cm'], '', 'v1', true),
  defaults: (obj) => bytesAsBase64(obj.binaryData),
  validate: (obj, old) => (old ? validateConfigMapUpdate(obj, old) : validateConfigMap(obj)),
  columns: [NAME, { header: 'DATA', cell: (o) => String(keysOf(o.data).length + keysOf(o.binaryData).length) }, AGE],
});
