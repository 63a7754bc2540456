// kubectl describe pv, pvc and storageclass (kubectl 1.32 pkg/describe/describe.go:
// describePersistentVolume, describePersistentVolumeClaim with getPodsForPVC's "Used By",
// describeStorageClass).
import { accessModesString, isDefaultClass, pvcClass, pvClass, quantityString } from '../../api/storage';
import type { KObject } from '../../api/types';
import { cmp } from '../../util/compare';
import { describeEvents, formatLabels, formatRFC1123Z, type Json, LEVEL_0, LEVEL_1, LEVEL_2, printAnnotationsMultiline, printLabelsMultiline, type PrefixWriter, str, tabbedString, timestampSince } from './common';

/** Go's %v of a []string: [a b], [] when empty. */
const goList = (v: unknown): string => `[${(Array.isArray(v) ? v : []).map(str).join(' ')}]`;

function source(w: PrefixWriter, type: string, fields: [string, string][]): void {
  w.write(LEVEL_2, `Type:\t${type}\n` + fields.map(([k, v]) => `    ${k}:\t${v}\n`).join(''));
}

/** The Source block for the volume types kubesim models; others print kubectl's fallback. */
function printSource(w: PrefixWriter, spec: Json): void {
  if (spec.hostPath) source(w, 'HostPath (bare host directory volume)', [['Path', str(spec.hostPath.path)], ['HostPathType', spec.hostPath.type ?? '<none>']]);
  else if (spec.nfs) source(w, 'NFS (an NFS mount that lasts the lifetime of a pod)', [['Server', str(spec.nfs.server)], ['Path', str(spec.nfs.path)], ['ReadOnly', String(spec.nfs.readOnly === true)]]);
  else if (spec.local) {
    // printLocalVolumeSource
    source(w, 'LocalVolume (a persistent volume backed by local storage on a node)', [['Path', str(spec.local.path)]]);
  } else if (spec.csi) {
    source(w, 'CSI (a Container Storage Interface (CSI) volume source)', [
      ['Driver', str(spec.csi.driver)],
      ['FSType', str(spec.csi.fsType)],
      ['VolumeHandle', str(spec.csi.volumeHandle)],
      ['ReadOnly', String(spec.csi.readOnly === true)],
    ]);
    const attrs: Record<string, string> = spec.csi.volumeAttributes ?? {};
    w.write(LEVEL_2, 'VolumeAttributes:\t');
    const keys = Object.keys(attrs).sort();
    if (keys.length === 0) w.writeLine('<none>');
    keys.forEach((k, i) => {
      if (i !== 0) w.write(LEVEL_2, '\t');
      const line = `${k}=${attrs[k]}`;
      w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
    });
  } else w.write(LEVEL_1, '<unknown>\n');
}

/** printVolumeNodeAffinity: the required terms, each requirement as "key op [values]". */
function printNodeAffinity(w: PrefixWriter, affinity: Json): void {
  w.write(LEVEL_0, 'Node Affinity:\t');
  if (!affinity?.required) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  const terms: Json[] = affinity.required.nodeSelectorTerms ?? [];
  w.write(LEVEL_1, 'Required Terms:\t');
  if (terms.length === 0) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  terms.forEach((term, i) => {
    const reqs: Json[] = term.matchExpressions ?? [];
    w.write(LEVEL_2, `Term ${i}:\t`);
    if (reqs.length === 0) {
      w.writeLine('<none>');
      return;
    }
    reqs.forEach((r, j) => {
      if (j !== 0) w.write(LEVEL_2, '\t');
      let expr = `${str(r.key)} ${str(r.operator).toLowerCase()}`;
      if ((r.values ?? []).length) expr += ` [${r.values.join(', ')}]`;
      w.write(LEVEL_0, `${expr}\n`);
    });
  });
}

const statusLine = (o: KObject): string => (o.metadata.deletionTimestamp ? `Terminating (lasts ${timestampSince(o.metadata.deletionTimestamp)})` : str(o.status?.phase));

export function describePersistentVolume(pv: KObject, events: KObject[]): string {
  return tabbedString((w) => {
    const spec: Json = pv.spec ?? {};
    w.write(LEVEL_0, `Name:\t${pv.metadata.name}\n`);
    printLabelsMultiline(w, 'Labels', pv.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', pv.metadata.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goList(pv.metadata.finalizers)}\n`);
    w.write(LEVEL_0, `StorageClass:\t${pvClass(pv)}\n`);
    w.write(LEVEL_0, `Status:\t${statusLine(pv)}\n`);
    w.write(LEVEL_0, `Claim:\t${spec.claimRef ? `${str(spec.claimRef.namespace)}/${str(spec.claimRef.name)}` : ''}\n`);
    w.write(LEVEL_0, `Reclaim Policy:\t${str(spec.persistentVolumeReclaimPolicy)}\n`);
    w.write(LEVEL_0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`);
    if (spec.volumeMode != null) w.write(LEVEL_0, `VolumeMode:\t${str(spec.volumeMode)}\n`);
    w.write(LEVEL_0, `Capacity:\t${quantityString(spec.capacity?.storage)}\n`);
    printNodeAffinity(w, spec.nodeAffinity);
    w.write(LEVEL_0, `Message:\t${str(pv.status?.message)}\n`);
    w.write(LEVEL_0, 'Source:\n');
    printSource(w, spec);
    describeEvents(w, events);
  });
}

/** printPodsMultiline: the pods' names sorted, one per line, "<none>" for none. */
function printPods(w: PrefixWriter, title: string, pods: KObject[]): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (pods.length === 0) {
    w.writeLine('<none>');
    return;
  }
  [...pods]
    .sort((a, b) => cmp(a.metadata.name, b.metadata.name))
    .forEach((p, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${p.metadata.name}\n`);
    });
}

/** getPodsForPVC: each pod once per volume that names the claim, then owner pods not yet listed. */
export function podsForClaim(pods: KObject[], pvc: KObject): KObject[] {
  const out: KObject[] = [];
  for (const p of pods) for (const v of p.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName === pvc.metadata.name) out.push(p);
  for (const ref of pvc.metadata.ownerReferences ?? []) {
    if (ref.kind !== 'Pod') continue;
    const owner = pods.find((p) => p.metadata.uid === ref.uid);
    if (owner && !out.some((p) => p.metadata.uid === owner.metadata.uid)) out.push(owner);
  }
  return out;
}

export function describePersistentVolumeClaim(pvc: KObject, pods: KObject[], events: KObject[]): string {
  return tabbedString((w) => {
    const spec: Json = pvc.spec ?? {};
    w.write(LEVEL_0, `Name:\t${pvc.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(pvc.metadata.namespace)}\n`);
    w.write(LEVEL_0, `StorageClass:\t${pvcClass(pvc)}\n`);
    w.write(LEVEL_0, `Status:\t${statusLine(pvc)}\n`);
    w.write(LEVEL_0, `Volume:\t${str(spec.volumeName)}\n`);
    printLabelsMultiline(w, 'Labels', pvc.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', pvc.metadata.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goList(pvc.metadata.finalizers)}\n`);
    const bound = !!spec.volumeName;
    w.write(LEVEL_0, `Capacity:\t${bound ? quantityString(pvc.status?.capacity?.storage) : ''}\n`);
    w.write(LEVEL_0, `Access Modes:\t${bound ? accessModesString(pvc.status?.accessModes) : ''}\n`);
    if (spec.volumeMode != null) w.write(LEVEL_0, `VolumeMode:\t${str(spec.volumeMode)}\n`);
    if (spec.dataSource) {
      w.write(LEVEL_0, 'DataSource:\n');
      if (spec.dataSource.apiGroup != null) w.write(LEVEL_1, `APIGroup:\t${str(spec.dataSource.apiGroup)}\n`);
      w.write(LEVEL_1, `Kind:\t${str(spec.dataSource.kind)}\n`);
      w.write(LEVEL_1, `Name:\t${str(spec.dataSource.name)}\n`);
    }
    printPods(w, 'Used By', pods);
    const conditions: Json[] = pvc.status?.conditions ?? [];
    if (conditions.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)} \t${formatRFC1123Z(c.lastProbeTime)} \t${formatRFC1123Z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`);
    }
    describeEvents(w, events);
  });
}

/** printBoolPtr: True, False or <unset>. */
const boolPtr = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : '<unset>');

export function describeStorageClass(sc: KObject, events: KObject[]): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${sc.metadata.name}\n`);
    w.write(LEVEL_0, `IsDefaultClass:\t${isDefaultClass(sc) ? 'Yes' : 'No'}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
    w.write(LEVEL_0, `Provisioner:\t${str(sc.provisioner)}\n`);
    w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
    w.write(LEVEL_0, `AllowVolumeExpansion:\t${boolPtr(sc.allowVolumeExpansion)}\n`);
    const opts: unknown[] = Array.isArray(sc.mountOptions) ? sc.mountOptions : [];
    if (opts.length === 0) w.write(LEVEL_0, 'MountOptions:\t<none>\n');
    else {
      w.write(LEVEL_0, 'MountOptions:\n');
      for (const o of opts) w.write(LEVEL_1, `${str(o)}\n`);
    }
    if (sc.reclaimPolicy != null) w.write(LEVEL_0, `ReclaimPolicy:\t${str(sc.reclaimPolicy)}\n`);
    if (sc.volumeBindingMode != null) w.write(LEVEL_0, `VolumeBindingMode:\t${str(sc.volumeBindingMode)}\n`);
    if (sc.allowedTopologies != null) {
      // printAllowedTopologies
      const terms: Json[] = sc.allowedTopologies;
      w.write(LEVEL_0, 'AllowedTopologies:\t');
      if (terms.length === 0) w.writeLine('<none>');
      else {
        w.writeLine('');
        terms.forEach((t, i) => {
          const reqs: Json[] = t.matchLabelExpressions ?? [];
          w.write(LEVEL_1, `Term ${i}:\t`);
          if (reqs.length === 0) {
            w.writeLine('<none>');
            return;
          }
          reqs.forEach((r, j) => {
            if (j !== 0) w.write(LEVEL_1, '\t');
            let expr = `${str(r.key)} in`;
            if ((r.values ?? []).length) expr += ` [${r.values.join(', ')}]`;
            w.write(LEVEL_0, `${expr}\n`);
          });
        });
      }
    }
    describeEvents(w, events);
  });
}
