// The root-ca-cert-publisher (kube-controller-manager, pkg/controller/certificates/rootcacertpublisher):
// every namespace has the ConfigMap kube-root-ca.crt holding the cluster's CA bundle under ca.crt,
// with the annotation describing its use; it is put back when deleted and when its data or the
// annotation is changed. The certificate is kubesim's own: PEM-shaped, derived from the cluster's
// seed (the same cluster always has the same CA), its uid from the namespace's so the seeded
// sequence of everything else stays as it was.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone } from '../util/compare';
import { Rand } from '../util/rand';
import { nowMs } from '../util/clock';
import { createHash } from 'node:crypto';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

const caCache = new Map<string, string>();

/** A PEM "certificate" of a kubeadm CA's size (a 766-byte DER body), the same for the same seed. */
export function rootCAFor(seed: string): string {
  const cached = caCache.get(seed);
  if (cached) return cached;
  const body = Buffer.alloc(766);
  // SEQUENCE (762 bytes) { SEQUENCE (482 bytes) { [0] { INTEGER 2 } … — the DER opening of an X.509 certificate
  Buffer.from([0x30, 0x82, 0x02, 0xfa, 0x30, 0x82, 0x01, 0xe2, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x08]).copy(body, 0);
  for (let off = 15, i = 0; off < body.length; i++) {
    const block = createHash('sha256').update(`${seed}/kubernetes-ca/${i}`).digest();
    off += block.copy(body, off);
  }
  const b64 = body.toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  const pem = `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
  caCache.set(seed, pem);
  return pem;
}

/** syncNamespace: create the ConfigMap, or put its data and annotation back. */
export function syncRootCACerts(state: State, since: number): void {
  // its informers: a namespace added or updated, its kube-root-ca.crt changed or deleted
  const names = new Set<string>();
  for (const c of state.changesSince(since, ['Namespace'])) names.add(c.name);
  for (const c of state.changesSince(since, ['ConfigMap'])) if (c.name === ROOT_CA_CONFIGMAP) names.add(c.namespace);
  publishRootCA(state, names);
}

/** Each named namespace's kube-root-ca.crt, made or put right. */
export function publishRootCA(state: State, names: Iterable<string>): void {
  const ca = rootCAFor(state.config.seed);
  for (const name of [...names].sort()) {
    const ns = state.get('Namespace', undefined, name);
    if (!ns) continue;
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') continue;
    const cm = state.get('ConfigMap', name, ROOT_CA_CONFIGMAP);
    if (!cm) {
      const obj: KObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ROOT_CA_CONFIGMAP, namespace: name, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { 'ca.crt': ca },
      } as KObject;
      state.add(obj, Rand.fromSeed(`${ns.metadata.uid}/kube-root-ca.crt/${nowMs()}`).uuid());
      continue;
    }
    const dataOk = cm.data && Object.keys(cm.data).length === 1 && cm.data['ca.crt'] === ca;
    if (dataOk && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) continue;
    const upd = clone(cm);
    upd.data = { 'ca.crt': ca };
    upd.metadata.annotations = { ...(upd.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
    state.replace(upd);
  }
}
