// The kubelet's volume plugins as a container sees them. The API-data volumes (pkg/volume/configmap,
// secret, downwardapi, projected) are payloads of files with modes (MakePayload: every key, or the
// `items` key→path list, defaultMode or the item's mode, `optional` for a missing object or key),
// written by the atomic writer (pkg/volume/util/atomic_writer.go) as a timestamped directory,
// `..data` pointing at it and one symlink per top-level name; they are mounted read-only (the kubelet
// forces it since 1.9.3). The writable volumes (emptyDir, hostPath, persistentVolumeClaim) keep what
// is written to them in the state's runtime: an emptyDir as long as its pod, a hostPath on its node,
// a claim's with its PersistentVolume.
import type { KObject } from '../api/types';
import type { State, VolumeStore } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { parseQuantity, quantityMilliValue, quantityValue } from '../api/quantity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export interface VFile {
  data: string;
  /** permission bits (0o644) */
  mode: number;
}
export type Payload = Map<string, VFile>;

/** configmap.go / secret.go: the default of defaultMode (0644). */
export const DEFAULT_MODE = 0o644;

export type SetUp = { payload: Payload; error?: undefined } | { error: string };

/** An object as the kubelet's manager gets it (a ConfigMap, Secret); a kind the store lacks is none. */
export type Lookup = (kind: 'ConfigMap' | 'Secret', name: string) => KObject | undefined;

export function lookupIn(state: State, ns: string): Lookup {
  // kube-root-ca.crt is in every namespace (the root CA publisher); a pod made in the same command
  // as its namespace may meet it a moment before it exists: the cluster's CA all the same
  return (kind, name) => stored(state, kind, ns, name) ?? (kind === 'ConfigMap' && name === 'kube-root-ca.crt' ? ({ apiVersion: 'v1', kind, metadata: { name, namespace: ns }, data: { 'ca.crt': pemCertificate(state.config.name) } } as KObject) : undefined);
}

/** The cluster CA's certificate as kubesim makes it up (kube-root-ca.crt's ca.crt before the publisher ran). */
export function pemCertificate(seed: string): string {
  const crypto = require('crypto') as typeof import('crypto');
  const body = Buffer.concat(Array.from({ length: 12 }, (_x, i) => crypto.createHash('sha512').update(`${seed}/${i}`).digest())).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function stored(state: State, kind: string, ns: string, name: string): KObject | undefined {
  try {
    return state.get(kind, ns, name);
  } catch {
    return undefined;
  }
}

/** Whether a volume is one of the API-data kinds (read-only, projected by the atomic writer). */
export function isApiVolume(v: Obj): boolean {
  return !!(v.configMap || v.secret || v.projected || v.downwardAPI);
}

/** A ConfigMap's data and binaryData, a Secret's decoded data: the bytes each key becomes. */
function keysOf(kind: 'ConfigMap' | 'Secret', obj: KObject): Map<string, string> {
  const out = new Map<string, string>();
  if (kind === 'ConfigMap') {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) out.set(k, String(v ?? ''));
    for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, unknown>)) out.set(k, Buffer.from(String(v ?? ''), 'base64').toString('latin1'));
  } else for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) out.set(k, Buffer.from(String(v ?? ''), 'base64').toString('utf8'));
  return out;
}

/**
 * MakePayload of configmap.go and secret.go (the projected plugin uses the same): the object's keys
 * as files, or only its `items`; a missing key is an error unless the source is optional.
 */
function makePayload(kind: 'ConfigMap' | 'Secret', obj: KObject | undefined, items: Obj[] | undefined, mode: number, optional: boolean, into: Payload): string | undefined {
  if (!obj) return undefined;
  const keys = keysOf(kind, obj);
  if (!items?.length) {
    for (const [k, data] of keys) into.set(k, { data, mode });
    return undefined;
  }
  for (const it of items) {
    const data = keys.get(it.key);
    if (data === undefined) {
      if (optional) continue;
      return kind === 'ConfigMap' ? `configmap references non-existent config key: ${it.key}` : `references non-existent secret key: ${it.key}`;
    }
    into.set(String(it.path), { data, mode: typeof it.mode === 'number' ? it.mode : mode });
  }
  return undefined;
}

const notFound = (kind: 'ConfigMap' | 'Secret', name: string) => `${kind === 'ConfigMap' ? 'configmap' : 'secret'} "${name}" not found`;

/** One configMap/secret source: its payload, or the SetUp error (a missing object that is not optional). */
function source(kind: 'ConfigMap' | 'Secret', name: string, src: Obj, defaultMode: number, get: Lookup, into: Payload): string | undefined {
  const obj = get(kind, name);
  const optional = src.optional === true;
  if (!obj && !optional) return notFound(kind, name);
  return makePayload(kind, obj, src.items, defaultMode, optional, into);
}

/** fieldpath.FormatMap: key="value" lines (Go %q), sorted, without the last newline. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** downwardapi.go CollectData: one file per item, from the pod's fields or a container's resources. */
function downward(pod: KObject, items: Obj[], defaultMode: number, node: KObject | undefined, into: Payload): void {
  for (const it of items ?? []) {
    let data = '';
    const fp: string | undefined = it.fieldRef?.fieldPath;
    if (fp) {
      const md = pod.metadata;
      const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fp);
      if (sub) data = (md[sub[1] as 'labels' | 'annotations'] ?? {})[sub[2]] ?? '';
      else if (fp === 'metadata.labels') data = formatMap(md.labels);
      else if (fp === 'metadata.annotations') data = formatMap(md.annotations);
      else if (fp === 'metadata.name') data = md.name;
      else if (fp === 'metadata.namespace') data = String(md.namespace ?? '');
      else if (fp === 'metadata.uid') data = String(md.uid ?? '');
      else if (fp === 'spec.nodeName') data = String(pod.spec?.nodeName ?? '');
      else if (fp === 'spec.serviceAccountName') data = String(pod.spec?.serviceAccountName ?? '');
      else if (fp === 'status.podIP') data = String(pod.status?.podIP ?? '');
      else if (fp === 'status.hostIP') data = String(pod.status?.hostIP ?? '');
    } else if (it.resourceFieldRef) data = resourceValue(pod, it.resourceFieldRef, node);
    into.set(String(it.path), { data, mode: typeof it.mode === 'number' ? it.mode : defaultMode });
  }
}

/**
 * resource.ExtractContainerResourceValue: limits default to the node's allocatable
 * (MergeContainerResourceLimits); cpu rounds up to the divisor (1 core by default), memory and
 * ephemeral storage to theirs (1 byte).
 */
function resourceValue(pod: KObject, ref: Obj, node: KObject | undefined): string {
  const containers: Obj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const c = ref.containerName ? containers.find((x) => x.name === ref.containerName) : pod.spec?.containers?.[0];
  const [kind, res] = String(ref.resource ?? '').split('.') as [string, string];
  let q = parseQuantity(c?.resources?.[kind]?.[res]);
  if (!q && kind === 'limits') q = parseQuantity(node?.status?.allocatable?.[res]);
  if (!q) return '0';
  const divisor = parseQuantity(ref.divisor ?? '1') ?? parseQuantity('1')!;
  if (res === 'cpu') {
    const m = quantityMilliValue(q);
    const d = quantityMilliValue(divisor) || 1n;
    return String((m + d - 1n) / d);
  }
  const v = quantityValue(q);
  const d = quantityValue(divisor) || 1n;
  return String((v + d - 1n) / d);
}

/**
 * SetUp of an API-data volume: its files, or the error the kubelet reports as
 * `MountVolume.SetUp failed for volume "NAME" : ERROR` (the projected plugin joins several errors
 * as utilerrors.NewAggregate prints them).
 */
export function setUpApiVolume(pod: KObject, v: Obj, get: Lookup, token?: string, node?: KObject): SetUp {
  const payload: Payload = new Map();
  if (v.configMap) {
    const err = source('ConfigMap', String(v.configMap.name ?? ''), v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE, get, payload);
    return err ? { error: err } : { payload };
  }
  if (v.secret) {
    const err = source('Secret', String(v.secret.secretName ?? ''), v.secret, v.secret.defaultMode ?? DEFAULT_MODE, get, payload);
    return err ? { error: err } : { payload };
  }
  if (v.downwardAPI) {
    downward(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_MODE, node, payload);
    return { payload };
  }
  const errs: string[] = [];
  const mode = v.projected?.defaultMode ?? DEFAULT_MODE;
  for (const src of (v.projected?.sources ?? []) as Obj[]) {
    let err: string | undefined;
    if (src.configMap) err = source('ConfigMap', String(src.configMap.name ?? ''), src.configMap, mode, get, payload);
    else if (src.secret) err = source('Secret', String(src.secret.name ?? ''), src.secret, mode, get, payload);
    else if (src.downwardAPI) downward(pod, src.downwardAPI.items ?? [], mode, node, payload);
    else if (src.serviceAccountToken) payload.set(String(src.serviceAccountToken.path ?? 'token'), { data: token ?? '', mode });
    if (err) errs.push(err);
  }
  if (errs.length) return { error: errs.length === 1 ? errs[0] : `[${errs.join(', ')}]` };
  return { payload };
}

// ------------------------------------------------------------ writable volumes

/** Where a writable volume's files live in the runtime, and the directory of it the volume is. */
export interface StoreRef {
  /** runtime table and key */
  table: 'emptyDirs' | 'hostPaths' | 'claims' | 'layers';
  key: string;
  /** the volume's directory inside the store ("" for its root): a hostPath's path on its node */
  base: string;
}

/**
 * The store of a writable volume: an emptyDir is the pod's (by uid and volume name), a hostPath is
 * a directory of the node's files, a claim's is its PersistentVolume's (spec.volumeName, else the
 * claim's uid; a claim kubesim does not keep: its namespace and name).
 */
export function storeRef(state: State, pod: KObject, v: Obj): StoreRef | undefined {
  if (v.emptyDir) return { table: 'emptyDirs', key: `${pod.metadata.uid}/${v.name}`, base: '' };
  if (v.hostPath) return { table: 'hostPaths', key: String(pod.spec?.nodeName ?? ''), base: String(v.hostPath.path ?? '').replace(/^\/+|\/+$/g, '') };
  if (v.persistentVolumeClaim) {
    const ns = pod.metadata.namespace as string;
    const name = String(v.persistentVolumeClaim.claimName ?? '');
    const claim = stored(state, 'PersistentVolumeClaim', ns, name);
    const key = claim ? String(claim.spec?.volumeName || claim.metadata.uid) : `${ns}/${name}`;
    return { table: 'claims', key, base: '' };
  }
  return undefined;
}

/** The store itself (made when writing). */
export function storeOf(state: State, ref: StoreRef, write: boolean): VolumeStore | undefined {
  const rt = state.runtime(write);
  if (ref.table === 'emptyDirs' || ref.table === 'layers') {
    // by pod uid, then volume (an emptyDir) or container (a writable layer)
    const [uid, vol] = splitOnce(ref.key);
    if (!write) return rt[ref.table]?.[uid]?.[vol];
    return ((rt[ref.table] ??= {})[uid] ??= {})[vol] ??= { f: {}, d: [] };
  }
  const table = ref.table === 'hostPaths' ? (write ? (rt.hostPaths ??= {}) : rt.hostPaths) : write ? (rt.claims ??= {}) : rt.claims;
  if (!write) return table?.[ref.key];
  return (table![ref.key] ??= { f: {}, d: [] });
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('/');
  return [s.slice(0, i), s.slice(i + 1)];
}

// ------------------------------------------------------------ what a running pod sees

/** How long a changed ConfigMap or Secret takes to reach a mounted volume (see volumesync.ts). */
export const VOLUME_SYNC_MS = 60_000;

/**
 * The files of an API-data volume as the pod sees them now: the projection made at the kubelet's
 * last sync of it (a change reaches the volume VOLUME_SYNC_MS after it was made; the snapshots
 * volumesync.ts keeps hold the content until then), else the objects as they are.
 */
export function mountedPayload(state: State, pod: KObject, v: Obj, token?: string, node?: KObject): { payload: Payload; since: number } {
  const snaps = state.runtime().volumeSnaps?.[pod.metadata.uid as string]?.[v.name] ?? [];
  const now = nowMs();
  const start = Date.parse(pod.status?.startTime ?? '') || now;
  let since = start;
  for (const s of snaps) {
    if (s.until > now) return { payload: withToken(new Map(Object.entries(s.files).map(([p, [data, mode]]) => [p, { data, mode }])), v, token), since };
    since = Math.max(since, s.until);
  }
  const r = setUpApiVolume(pod, v, lookupIn(state, pod.metadata.namespace as string), token, node);
  if (r.error === undefined) return { payload: r.payload, since };
  // an update that fails (a key gone) leaves the files as they were
  const last = snaps[snaps.length - 1];
  return { payload: last ? new Map(Object.entries(last.files).map(([p, [data, mode]]) => [p, { data, mode }])) : new Map(), since };
}

/** A kept projection with the service-account token the kubelet keeps fresh (it is not kept with the rest). */
function withToken(payload: Payload, v: Obj, token: string | undefined): Payload {
  for (const src of (v.projected?.sources ?? []) as Obj[]) {
    const f = src.serviceAccountToken ? payload.get(String(src.serviceAccountToken.path ?? 'token')) : undefined;
    if (f) f.data = token ?? '';
  }
  return payload;
}

/** The atomic writer's timestamped directory name for a projection made at `ms`. */
export function dataDirName(ms: number, seed: string): string {
  const t = rfc3339(ms).replace(/[-:T]/g, '_').replace(/Z$/, '');
  let h = 0;
  for (const ch of seed + ms) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `..${t}.${h % 1_000_000_000}`;
}
