// describe statefulset (kubectl 1.32 pkg/describe/describe.go: StatefulSetDescriber,
// describeStatefulSet, describeVolumeClaimTemplates).
import type { KObject } from '../../api/types';
import { describeEvents, formatLabelSelector, formatRFC1123Z, LEVEL_0, LEVEL_1, printAnnotationsMultiline, printLabelsMultiline, printLabelsMultilineWithIndent, str, tabbedString, type PrefixWriter } from './common';
import { describePodTemplate } from './workloads';

/** storageutil.GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName. */
function claimClass(pvc: KObject): string {
  const beta = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (beta !== undefined) return beta;
  return pvc.spec?.storageClassName ?? '';
}

function describeVolumeClaimTemplates(w: PrefixWriter, templates: KObject[] | undefined): void {
  if (!templates?.length) {
    w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
    return;
  }
  w.write(LEVEL_0, 'Volume Claims:\n');
  for (const pvc of templates) {
    w.write(LEVEL_1, `Name:\t${str(pvc.metadata?.name)}\n`);
    w.write(LEVEL_1, `StorageClass:\t${claimClass(pvc)}\n`);
    printLabelsMultilineWithIndent(w, '  ', 'Labels', '\t', pvc.metadata?.labels);
    printLabelsMultilineWithIndent(w, '  ', 'Annotations', '\t', pvc.metadata?.annotations);
    const storage = pvc.spec?.resources?.requests?.storage;
    w.write(LEVEL_1, `Capacity:\t${storage !== undefined ? String(storage) : '<default>'}\n`);
    // Go's %s of a []PersistentVolumeAccessMode
    w.write(LEVEL_1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(' ')}]\n`);
  }
}

/** pods: those the set controls (getPodStatusForController), counted by phase. */
export function describeStatefulSet(sts: KObject, pods: KObject[], events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = sts.spec ?? {};
    const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
    w.write(LEVEL_0, `Name:\t${sts.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(sts.metadata.namespace)}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(sts.metadata.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', sts.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', sts.metadata.annotations);
    w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total\n`);
    w.write(LEVEL_0, `Update Strategy:\t${str(spec.updateStrategy?.type)}\n`);
    const ru = spec.updateStrategy?.rollingUpdate;
    if (ru && ru.partition !== undefined && ru.partition !== null) {
      w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(LEVEL_1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
    }
    w.write(LEVEL_0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
    describePodTemplate(w, spec.template);
    describeVolumeClaimTemplates(w, spec.volumeClaimTemplates);
    if (events) describeEvents(w, events);
  });
}
