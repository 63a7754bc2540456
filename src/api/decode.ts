// The apiserver's decoding of a request body into the kind's Go struct, before anything else looks at
// the object (apimachinery's json serializer → sigs.k8s.io/json, case-sensitive, with the strict
// options when fieldValidation is Strict or Warn):
//
// - a value of the wrong JSON type fails the whole request with encoding/json's UnmarshalTypeError,
//   wrapped as `<Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot unmarshal <what>
//   into Go struct field <Struct>.<json.path> of type <go type>`; only the first is reported, and it
//   wins over unknown fields (UnmarshalStrict returns strict errors only when nothing else failed);
// - a key that names no field (matched case-sensitively: `targetport` is not `targetPort`) is a
//   strict error `unknown field "spec.ports[0].targetport"`, collected in the order the decoder
//   meets them (at most 100, each once): Strict fails the request with
//   `… cannot be handled as a <Kind>: strict decoding error: unknown field "a", unknown field "b"`,
//   Warn returns each as a warning, Ignore says nothing;
// - in every mode the stored object keeps only what the Go struct has: unknown fields are dropped.
//
// kubectl sends JSON marshalled from a Go map, so every object's keys arrive sorted (byte order);
// the decoder meets them in that order, whatever order the manifest had. Duplicate keys cannot reach
// the server from kubectl (its JSON comes from a map), so `duplicate field` is not modelled.
//
// The Go types come from src/api/goschemas.ts, generated from Go's reflection data of kubectl 1.32.
import { goCompare } from '../util/govalue';
import { GO_SCHEMAS_JSON } from './goschemas';
import { clone } from '../util/compare';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** metav1.FieldValidation: what the server does with unknown fields. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** A Go type as the decoder sees it; `go` is reflect.Type.String(), as errors print it. */
export type GoType =
  | { k: 'string' | 'bool' | 'intstr' | 'quantity' | 'time' | 'microtime' | 'raw' | 'any' | 'bytes'; go: string }
  | { k: 'int' | 'uint' | 'float'; go: string; bits: number }
  | { k: 'slice' | 'map'; go: string; e: number }
  | { k: 'struct'; go: string; n: string; f: Record<string, [number, string?, string?]> };

interface Table {
  kinds: Record<string, number>;
  types: GoType[];
}

let table: Table | undefined;
/** The generated table, parsed on first use (most commands never decode a user object). */
export function goTypes(): Table {
  return (table ??= JSON.parse(GO_SCHEMAS_JSON) as Table);
}
const typeOf = (i: number): GoType => goTypes().types[i];

/**
 * The Go struct type the apiserver decodes this kind into, if kubesim knows it; a kind also served
 * at another version than its stored one has that version's struct under "<apiVersion>/<Kind>".
 */
export function schemaOf(kind: string, apiVersion?: string): Extract<GoType, { k: 'struct' }> | undefined {
  const kinds = goTypes().kinds;
  const key = apiVersion && Object.hasOwn(kinds, `${apiVersion}/${kind}`) ? `${apiVersion}/${kind}` : kind;
  const i = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
  return i === undefined ? undefined : (typeOf(i) as Extract<GoType, { k: 'struct' }>);
}

/** The patchStrategy and patchMergeKey tags of a struct's field (strategic merge patch). */
export function patchMeta(t: GoType | undefined, field: string): { type?: GoType; strategy: string; mergeKey: string } {
  if (!t || t.k !== 'struct' || !Object.hasOwn(t.f, field)) return { strategy: '', mergeKey: '' };
  const [i, strategy = '', mergeKey = ''] = t.f[field];
  return { type: typeOf(i), strategy, mergeKey };
}
/** The element type of a slice or map type. */
export const elemOf = (t: GoType | undefined): GoType | undefined => (t && (t.k === 'slice' || t.k === 'map') ? typeOf(t.e) : undefined);

const SURROGATE = /[\uD800-\uDFFF]/;
export { goCompare };
/** A struct's field by its json name (own keys only: `constructor` is no field). */
const fieldOf = (t: Extract<GoType, { k: 'struct' }>, key: string) => (Object.hasOwn(t.f, key) ? t.f[key] : undefined);

/** An object's keys as kubectl's JSON has them: sorted. */
function sortedKeys(v: Obj): string[] {
  const keys = Object.keys(v);
  if (keys.length < 2) return keys;
  return keys.some((k) => SURROGATE.test(k)) ? keys.sort(goCompare) : keys.sort();
}

/** The JSON kind of a value as encoding/json names it in errors. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

interface DecodeState {
  /** errorContext: the innermost struct and the json names of the fields down to the value */
  struct: string;
  path: string[];
  /** the first type error (decodeState.saveError) */
  saved?: string;
  /** strictFieldStack: "spec", ".ports", "[0]" … (kept only when strict errors are collected) */
  strictPath: string[];
  strict?: string[];
  seen: Set<string>;
  /** where the unknown keys are, to drop them once decoding succeeded */
  unknown: [Obj, string][];
  /** keys in kubectl's order; a first pass without sorting is enough when nothing is wrong */
  sorted: boolean;
}

class FatalDecodeError {
  constructor(public message: string) {}
}

const typeError = (what: string, st: DecodeState, goType: string): string =>
  st.path.length > 0
    ? `json: cannot unmarshal ${what} into Go struct field ${st.struct}.${st.path.join('.')} of type ${goType}`
    : `json: cannot unmarshal ${what} into Go value of type ${goType}`;

function save(st: DecodeState, what: string, t: GoType): void {
  if (st.saved === undefined) st.saved = typeError(what, st, t.go);
}
/** saveError of an error that is not an UnmarshalTypeError: no field context. */
function saveRaw(st: DecodeState, message: string): void {
  if (st.saved === undefined) st.saved = message;
}

/** decodeState.saveStrictError: at most 100, each message once. */
function saveStrict(st: DecodeState, key: string): void {
  if (!st.strict || st.strict.length >= 100) return;
  const path = st.strictPath.length ? `${st.strictPath.join('')}.${key}` : key;
  const msg = `unknown field ${JSON.stringify(path)}`;
  if (st.seen.has(msg)) return;
  st.seen.add(msg);
  st.strict.push(msg);
}

function intProblem(v: unknown, bits: number, unsigned = false): string | undefined {
  if (typeof v !== 'number') return jsonKind(v);
  const lo = unsigned ? 0 : -(2 ** (bits - 1));
  const hi = unsigned ? 2 ** bits : 2 ** (bits - 1);
  if (!Number.isInteger(v) || v < lo || v >= hi) return `number ${String(v)}`;
  return undefined;
}

function decode(v: unknown, t: GoType, st: DecodeState): void {
  if (v === null || v === undefined || t.k === 'any' || t.k === 'raw') return; // null leaves Go's zero value
  switch (t.k) {
    case 'string':
      if (typeof v !== 'string') save(st, jsonKind(v), t);
      return;
    case 'bool':
      if (typeof v !== 'boolean') save(st, jsonKind(v), t);
      return;
    case 'int':
    case 'uint': {
      const what = intProblem(v, t.bits, t.k === 'uint');
      if (what) save(st, what, t);
      return;
    }
    case 'float':
      if (typeof v !== 'number') save(st, jsonKind(v), t);
      else if (t.bits === 32 && Math.abs(v) > 3.4028234663852886e38) save(st, `number ${String(v)}`, t);
      return;
    case 'intstr': {
      // IntOrString.UnmarshalJSON re-decodes into an int32; its error aborts decoding at once and
      // gains the outer field's context.
      if (typeof v === 'string') return;
      const what = intProblem(v, 32);
      if (what) throw new FatalDecodeError(typeError(what, st, 'int32'));
      return;
    }
    case 'time':
    case 'microtime':
      if (typeof v !== 'string') throw new FatalDecodeError(typeError(jsonKind(v), st, 'string'));
      return;
    case 'quantity': {
      // Quantity.UnmarshalJSON: its error ends decoding as it is, without a field's context
      const problem = quantityProblem(v);
      if (problem) throw new FatalDecodeError(problem);
      return;
    }
    case 'bytes':
      if (typeof v === 'string') {
        const bad = base64Problem(v);
        if (bad !== undefined) saveRaw(st, `illegal base64 data at input byte ${bad}`);
      } else if (Array.isArray(v)) {
        // a JSON array decodes into []byte element by element
        for (let i = 0; i < v.length; i++) decodeAt(st, i, v[i], U8);
      } else save(st, jsonKind(v), t);
      return;
    case 'slice': {
      if (!Array.isArray(v)) return save(st, jsonKind(v), t);
      const elem = typeOf(t.e);
      for (let i = 0; i < v.length; i++) decodeAt(st, i, v[i], elem);
      return;
    }
    case 'map': {
      if (!isObj(v)) return save(st, jsonKind(v), t);
      const elem = typeOf(t.e);
      for (const key of keysOf(v, st)) decodeAt(st, key, v[key], elem);
      return;
    }
    case 'struct':
      if (!isObj(v)) return save(st, jsonKind(v), t);
      decodeStruct(v, t, st);
  }
}

const U8: GoType = { k: 'uint', go: 'uint8', bits: 8 };

const keysOf = (v: Obj, st: DecodeState): string[] => (st.sorted ? sortedKeys(v) : Object.keys(v));

/** decode one element (an index or a key), on the strict path while strict errors are kept */
function decodeAt(st: DecodeState, step: string | number, v: unknown, t: GoType): void {
  if (!st.strict) return decode(v, t, st);
  st.strictPath.push(typeof step === 'number' ? `[${step}]` : st.strictPath.length ? `.${step}` : step);
  decode(v, t, st);
  st.strictPath.pop();
}

function decodeStruct(v: Obj, t: Extract<GoType, { k: 'struct' }>, st: DecodeState): void {
  for (const key of keysOf(v, st)) {
    const f = fieldOf(t, key);
    if (!f) {
      st.unknown.push([v, key]);
      saveStrict(st, key);
      continue;
    }
    const outer = st.struct;
    st.struct = t.n;
    st.path.push(key);
    decodeAt(st, key, v[key], typeOf(f[0]));
    st.path.pop();
    st.struct = outer;
  }
}

// k8s.io/apimachinery/pkg/api/resource/quantity.go
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

/** ParseQuantity's refusal of a JSON value (a string or a number; anything else is its text). */
export function quantityProblem(v: unknown): string | undefined {
  const text = (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v)).trim();
  const m = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text);
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return QUANTITY_FORMAT;
  if (!QUANTITY_SUFFIXES.has(m[2]) && !/^[eE][-+]?\d+$/.test(m[2])) return "unable to parse quantity's suffix";
  return undefined;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/**
 * encoding/base64 StdEncoding.Decode's CorruptInputError offset for a []byte field's string, or
 * undefined if it decodes (padding required; CR and LF skipped, as Go does).
 */
export function base64Problem(s: string): number | undefined {
  const src = Buffer.from(s, 'utf8');
  const isNL = (c: number) => c === 10 || c === 13;
  let si = 0;
  while (si < src.length) {
    // decodeQuantum
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = src[si++];
      if (c < 128 && B64.includes(String.fromCharCode(c))) continue;
      if (isNL(c)) {
        j--;
        continue;
      }
      if (c !== 61) return si - 1; // not '='
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 61) return si - 1;
        si++;
      }
      while (si < src.length && isNL(src[si])) si++;
      return si < src.length ? si : undefined;
    }
  }
  return undefined;
}

export interface DecodeResult {
  /** the request's failure: a type error, or (Strict) the strict decoding error */
  error?: string;
  /** the unknown-field errors (Strict and Warn), in the order they are reported */
  strict: string[];
  /** what the server sends back as warnings (Warn) */
  warnings: string[];
}

/**
 * Decodes obj as the apiserver decodes a request body of its kind in the given mode, and drops the
 * unknown fields from it (in place) unless decoding failed. A kind without a schema passes as it is.
 *
 * `patch`: the object is the result of a strategic merge patch, which the server turns into the
 * struct with the unstructured converter (FromUnstructuredWithValidation): the unknown fields are
 * all collected and reported sorted by their message.
 */
export function decodeObject(obj: unknown, mode: FieldValidation, patch = false): DecodeResult {
  const none: DecodeResult = { strict: [], warnings: [] };
  if (!isObj(obj)) return none;
  const kind = str(obj.kind);
  const schema = schemaOf(kind, str(obj.apiVersion));
  if (!schema) return none;
  const version = str(obj.apiVersion).split('/').pop() || 'v1';
  const wrap = (msg: string) => `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${msg}`;
  // the first pass takes the keys as they come; only when it finds something to report does a
  // second one meet them in kubectl's order, as the server would
  let st = decodePass(obj, schema, mode, patch, false);
  if (st.saved !== undefined || st.fatal !== undefined || st.unknown.length) st = decodePass(obj, schema, mode, patch, true);
  if (st.fatal !== undefined) return { ...none, error: wrap(st.fatal) };
  if (st.saved !== undefined) return { ...none, error: wrap(st.saved) };
  let strict = st.strict ?? [];
  if (patch && mode !== 'Ignore') strict = unknownPaths(obj, schema).map((p) => `unknown field ${JSON.stringify(p)}`).sort(goCompare);
  for (const [parent, key] of st.unknown) delete parent[key];
  normalize(obj, schema);
  if (strict.length === 0) return none;
  if (mode === 'Warn') return { strict, warnings: strict };
  return { strict, warnings: [], error: wrap(`strict decoding error: ${strict.join(', ')}`) };
}

function decodePass(obj: Obj, schema: Extract<GoType, { k: 'struct' }>, mode: FieldValidation, patch: boolean, sorted: boolean): DecodeState & { fatal?: string } {
  // the patch path collects its unknown fields afterwards, without the decoder's cap (unknownPaths)
  const strict = mode === 'Ignore' || patch ? undefined : [];
  const st: DecodeState & { fatal?: string } = { struct: schema.n, path: [], strictPath: [], strict, seen: new Set(), unknown: [], sorted };
  try {
    decodeStruct(obj, schema, st);
  } catch (e) {
    if (!(e instanceof FatalDecodeError)) throw e;
    st.fatal = e.message;
  }
  return st;
}

/** The unstructured converter's paths of the unknown fields (every one, in no particular order). */
function unknownPaths(v: unknown, t: GoType, path = ''): string[] {
  const out: string[] = [];
  if (t.k === 'struct' && isObj(v)) {
    for (const [key, value] of Object.entries(v)) {
      const p = path ? `${path}.${key}` : key;
      const f = fieldOf(t, key);
      if (!f) out.push(p);
      else if (value !== null) out.push(...unknownPaths(value, typeOf(f[0]), p));
    }
  } else if (t.k === 'slice' && Array.isArray(v)) {
    v.forEach((item, i) => out.push(...unknownPaths(item, typeOf(t.e), `${path}[${i}]`)));
  } else if (t.k === 'map' && isObj(v)) {
    // mapFromUnstructured does not add the key to the path
    for (const value of Object.values(v)) out.push(...unknownPaths(value, typeOf(t.e), path));
  }
  return out;
}

/**
 * The decode error the apiserver would return for this object's JSON types, or undefined. Covers
 * every kind kubesim serves; a kind without a schema is not checked. Unknown fields are no type error.
 */
export function checkTypes(o: unknown): string | undefined {
  if (!isObj(o)) return undefined;
  return decodeObject(clone(o), 'Ignore').error;
}

/** checkTypes for a Service (whatever its kind field says). */
export function checkServiceTypes(o: unknown): string | undefined {
  return isObj(o) ? checkTypes({ ...o, kind: 'Service' }) : undefined;
}

/** The zero value Go decodes a JSON null into, as it reads back: undefined for a field left out. */
function zeroOf(t: GoType): unknown {
  switch (t.k) {
    case 'string':
      return '';
    case 'int':
    case 'uint':
    case 'float':
      return 0;
    case 'bool':
      return false;
    case 'struct':
      return {};
    default:
      return undefined;
  }
}

function normalize(v: unknown, t: GoType): void {
  if (t.k === 'struct' && isObj(v)) {
    for (const [key, value] of Object.entries(v)) {
      const f = fieldOf(t, key);
      if (!f) continue;
      if (value === null) delete v[key];
      else normalize(value, typeOf(f[0]));
    }
  } else if (t.k === 'slice' && Array.isArray(v)) {
    const elem = typeOf(t.e);
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null && zeroOf(elem) !== undefined) v[i] = zeroOf(elem);
      else normalize(v[i], elem);
    }
  } else if (t.k === 'map' && isObj(v)) {
    const elem = typeOf(t.e);
    for (const [key, value] of Object.entries(v)) {
      if (value === null && zeroOf(elem) !== undefined) v[key] = zeroOf(elem);
      else normalize(value, elem);
    }
  }
}

/**
 * What the apiserver holds after decoding an object that passed checkTypes: a null field is left
 * out, a null list item or map value is its type's zero value (`ports: [null]` is one port with
 * every field zero). Changes the object in place; fields outside the schema are left as they are.
 */
export function normalizeDecoded(o: unknown): void {
  if (!isObj(o)) return;
  const schema = schemaOf(str(o.kind), str(o.apiVersion));
  if (schema) normalize(o, schema);
}
