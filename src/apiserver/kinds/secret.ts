// core/v1 Secret: SetDefaults_Secret (type Opaque), the conversion that merges stringData into data
// on every write, ValidateSecret / ValidateSecretUpdate (pkg/apis/core/validation: keys, size, the
// keys each type requires, immutability) and the columns of printSecret (NAME, TYPE, DATA, AGE).
import { forbidden, invalid, required, type FieldError } from '../../api/errors';
import type { KObject } from '../../api/types';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation';
import { deepEqual } from '../../store/state';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
import { IMMUTABLE_SET, MAX_SECRET_SIZE, bytesAsBase64, bytesLen, isConfigMapKey, keysOf } from './configmap';

/** Go's json.Unmarshal into map[string]interface{}: the error text for what is not a JSON object. */
function jsonObjectError(b64: unknown): string | undefined {
  const text = Buffer.from(typeof b64 === 'string' ? b64 : '', 'base64').toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    const t = text.trim();
    return t === '' ? 'unexpected end of JSON input' : `invalid character '${t[0]}' looking for beginning of value`;
  }
  if (v === null || (typeof v === 'object' && !Array.isArray(v))) return undefined;
  const kind = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number';
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

function validateSecret(secret: KObject): FieldError[] {
  const errs = validateObjectMeta(secret, true, nameIsDNSSubdomain);
  const data = (secret.data ?? {}) as Record<string, unknown>;
  let total = 0;
  for (const k of keysOf(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    total += bytesLen(data[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push({ type: 'Too long', field: 'data', detail: `must have at most ${MAX_SECRET_SIZE} bytes` });
  const has = (k: string) => Object.hasOwn(data, k);
  const jsonKey = (k: string) => {
    if (!has(k)) return errs.push(required(`data[${k}]`));
    const bad = jsonObjectError(data[k]);
    if (bad) errs.push(invalid(`data[${k}]`, '<secret contents redacted>', bad));
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
      jsonKey('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      jsonKey('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required('data[username]'), required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (bytesLen(data['ssh-privatekey']) === 0) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required('data[tls.crt]'));
      if (!has('tls.key')) errs.push(required('data[tls.key]'));
      break;
  }
  return errs;
}

function validateSecretUpdate(secret: KObject, old: KObject): FieldError[] {
  const errs = validateObjectMetaUpdate(secret, old);
  if (secret.type !== old.type) errs.push(invalid('type', secret.type ?? '', 'field is immutable'));
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_SET));
    if (!deepEqual(secret.data ?? null, old.data ?? null)) errs.push(forbidden('data', IMMUTABLE_SET));
  }
  return [...errs, ...validateSecret(secret)];
}

export default defineKind({
  resource: resource('Secret', 'secrets', [], '', 'v1', true),
  defaults(obj) {
    bytesAsBase64(obj.data);
    // Convert_v1_Secret_To_core_Secret: stringData's values replace data's, and are not kept
    if (obj.stringData && typeof obj.stringData === 'object') {
      const data = new Map<string, unknown>(Object.entries(obj.data ?? {}));
      for (const [k, v] of Object.entries(obj.stringData as Record<string, unknown>)) data.set(k, Buffer.from(String(v ?? ''), 'utf8').toString('base64'));
      obj.data = Object.fromEntries([...data.keys()].sort().map((k) => [k, data.get(k)]));
    }
    delete obj.stringData;
    if (!obj.type) obj.type = 'Opaque';
  },
  validate: (obj, old) => (old ? validateSecretUpdate(obj, old) : validateSecret(obj)),
  columns: [NAME, { header: 'TYPE', cell: (o) => String(o.type ?? '') }, { header: 'DATA', cell: (o) => String(keysOf(o.data).length) }, AGE],
});
