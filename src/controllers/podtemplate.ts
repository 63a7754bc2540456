// A controller's new pod from its template (pkg/controller/controller_utils.go GetPodFromTemplate):
// the template's labels, annotations and spec, a generated name from the owner's, and the owner as
// controller. ReplicaSets, DaemonSets and Jobs each add their own marks to it.
import type { KObject } from '../api/types';
import { clone } from '../util/compare';

export function podFromTemplate(owner: KObject, generateName = `${owner.metadata.name}-`): KObject {
  const tmpl = clone(owner.spec?.template ?? {});
  const md = { ...(tmpl.metadata ?? {}) };
  delete md.creationTimestamp;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...md,
      name: '',
      generateName,
      namespace: owner.metadata.namespace,
      ownerReferences: [{ apiVersion: owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid }],
    },
    spec: tmpl.spec ?? {},
  };
}
