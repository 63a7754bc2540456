// The kubelet's refresh of mounted configMap and secret volumes. A running pod's volume follows a
// change of its object at the kubelet's next periodic sync of the pod (the atomic writer swaps
// `..data`): "the total delay from the moment when the ConfigMap is updated to the moment when new
// keys are projected to the Pod can be as long as the kubelet sync period + cache propagation
// delay" (kubernetes.io docs, ConfigMaps: Mounted ConfigMaps are updated automatically). The sync
// period is the kubelet's --sync-frequency, 1 minute by default; kubesim takes that whole period: a
// change shows VOLUME_SYNC_MS (60 s) after it was made. Until then the pod sees what it had, kept
// here when the object changes. subPath mounts never follow (mounts.ts keeps their file), nor do
// volumes of an immutable object (the kubelet stops watching it): a deleted immutable object's
// content stays until the pod goes. A deleted object's content stays too (SetUp fails, the files
// remain) until it is created again.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs } from '../util/clock';
import { isApiVolume, setUpApiVolume, VOLUME_SYNC_MS, type Lookup } from '../network/volumes';
import { NEVER } from './kubelet/memory';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** Whether an API-data volume reads the object. */
function reads(v: Obj, kind: string, name: string): boolean {
  if (kind === 'ConfigMap' && v.configMap?.name === name) return true;
  if (kind === 'Secret' && v.secret?.secretName === name) return true;
  return ((v.projected?.sources ?? []) as Obj[]).some((s) => (kind === 'ConfigMap' ? s.configMap?.name === name : s.secret?.name === name));
}

/** A pod whose volumes were set up (a container was created). */
function mounted(pod: KObject): boolean {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].some((cs: Obj) => cs.containerID);
}

export function syncVolumeContents(state: State, since: number): void {
  const now = nowMs();
  // a claim's data is its PersistentVolume's: it goes with the volume (network/volumes.ts storeRef)
  for (const ch of state.changesSince(since, ['PersistentVolume'])) {
    if (ch.old && !state.get('PersistentVolume', undefined, ch.name) && state.runtime().claims?.[ch.name]) delete state.runtime(true).claims![ch.name];
  }
  // a node's files (what pods wrote through hostPath volumes) go with the node
  for (const ch of state.changesSince(since, ['Node'])) {
    if (ch.old && !state.get('Node', undefined, ch.name) && state.runtime().hostPaths?.[ch.name]) delete state.runtime(true).hostPaths![ch.name];
  }
  for (const ch of state.changesSince(since, ['ConfigMap', 'Secret'])) {
    const kind = ch.kind as 'ConfigMap' | 'Secret';
    const current = state.get(kind, ch.namespace, ch.name);
    for (const pod of state.list('Pod', ch.namespace)) {
      if (!mounted(pod) || pod.metadata.deletionTimestamp) continue;
      for (const v of (pod.spec?.volumes ?? []) as Obj[]) {
        if (!isApiVolume(v) || !reads(v, kind, ch.name)) continue;
        const uid = pod.metadata.uid as string;
        const kept = state.runtime().volumeSnaps?.[uid]?.[v.name];
        // an object that did not exist and was never seen by the pod (an optional volume, a cluster
        // upgraded to have kube-root-ca.crt): there is nothing to keep showing
        if (!ch.old && !kept?.length) continue;
        const rt = state.runtime(true);
        const list = (((rt.volumeSnaps ??= {})[uid] ??= {})[v.name] ??= []);
        if (!ch.old) {
          // created again: what the deletion kept gives way at the next sync (an immutable one's stays)
          for (const s of list) if (s.until === NEVER && !s.immutable) s.until = now + VOLUME_SYNC_MS;
          if (list.some((s) => s.until > now)) continue;
        }
        if (list.some((s) => s.until === NEVER)) continue;
        // the projection with the object as it was before this change
        const get: Lookup = (k, n) => (k === kind && n === ch.name ? ch.old : state.get(k, ch.namespace, n));
        const before = setUpApiVolume(pod, v, get, undefined, state.get('Node', undefined, pod.spec?.nodeName ?? ''));
        if (before.error !== undefined) continue;
        const files = Object.fromEntries([...before.payload].map(([p, f]) => [p, [f.data, f.mode] as [string, number]]));
        const immutable = ch.old?.immutable === true;
        list.push({ until: current && !immutable ? now + VOLUME_SYNC_MS : NEVER, files, ...(immutable ? { immutable } : {}) });
      }
    }
  }
}
