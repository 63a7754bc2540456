// The kubelet's makeEnvironmentVariables for what comes from ConfigMaps and Secrets: envFrom
// (configMapRef / secretRef, with a prefix; keys that are not valid variable names skipped) and
// env[].valueFrom.configMapKeyRef / secretKeyRef, optional or not. A missing object or key is the
// error the kubelet reports as CreateContainerConfigError.
import type { KObject } from '../api/types';
import type { State } from '../store/state';

type Env = [string, string][];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const validEnvName = (k: string) => ENV_NAME.test(k) && k !== '.' && k !== '..' && !k.startsWith('..');

/** A source's values as strings: a ConfigMap's data, a Secret's decoded data. */
function valuesOf(kind: 'ConfigMap' | 'Secret', obj: KObject): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) out[k] = kind === 'Secret' ? Buffer.from(String(v ?? ''), 'base64').toString('utf8') : String(v ?? '');
  return out;
}

const lower = (kind: string) => (kind === 'ConfigMap' ? 'configmap' : 'secret');

/**
 * What a container's envFrom gives (in the order it applies: later ones win) and the values of its
 * key references by variable name, or the kubelet's error for the first missing object or key.
 */
export function configEnv(state: State, pod: KObject, c: Obj | undefined): { env: Env; refs: Map<string, string>; error?: undefined } | { error: string } {
  const ns = pod.metadata.namespace as string;
  const env: Env = [];
  const refs = new Map<string, string>();
  for (const from of (c?.envFrom ?? []) as Obj[]) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const obj = state.get(kind, ns, ref.name);
    if (!obj) {
      if (ref.optional === true) continue;
      return { error: `${lower(kind)} "${ref.name ?? ''}" not found` };
    }
    const values = valuesOf(kind, obj);
    for (const k of Object.keys(values).sort()) {
      const name = `${from.prefix ?? ''}${k}`;
      if (validEnvName(name)) env.push([name, values[k]]);
    }
  }
  for (const e of (c?.env ?? []) as Obj[]) {
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (!ref || e.value) continue;
    const kind = e.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const obj = state.get(kind, ns, ref.name);
    if (!obj) {
      if (ref.optional === true) continue;
      return { error: `${lower(kind)} "${ref.name ?? ''}" not found` };
    }
    const values = valuesOf(kind, obj);
    if (!Object.hasOwn(values, ref.key)) {
      if (ref.optional === true) continue;
      return { error: `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}` };
    }
    refs.set(e.name, values[ref.key]);
  }
  return { env, refs };
}
