// describe deployment / replicaset (kubectl 1.32 pkg/describe/describe.go: describeDeployment,
// describeReplicaSet, DescribePodTemplate, printReplicaSetsByLabels).
import type { KObject } from '../../api/types';
import {
  describeEvents, formatLabelSelector, formatRFC1123Z, int, LEVEL_0, LEVEL_1, printAnnotationsMultiline, printLabelsMultiline,
  printPodTolerationsMultiline, PrefixWriter, str, tabbedString, type Json,
} from './common';
import { describeContainers, describeTopologySpreadConstraints, describeVolumes } from './pod';

/** DescribePodTemplate */
export function describePodTemplate(w: PrefixWriter, template: Json): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const md = template.metadata ?? {};
  const spec = template.spec ?? {};
  printLabelsMultiline(w, '  Labels', md.labels);
  if (Object.keys(md.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', md.annotations);
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers, undefined, template, '  ');
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, template, '  ');
  describeVolumes(w, spec.volumes, '  ');
  describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printPodTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

/**
 * A revision's template as `rollout history --revision` prints it (kubectl pkg/polymorphichelpers
 * history.go printTemplate): DescribePodTemplate into a plain buffer, no tabwriter, so the tabs stay.
 */
export function printTemplate(template: Json): string {
  const w = new PrefixWriter();
  describePodTemplate(w, template);
  return w.text();
}

function conditions(w: PrefixWriter, conds: Json[] | undefined): void {
  if (!conds || conds.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conds) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
}

/** printReplicaSetsByLabels */
function replicaSetList(sets: KObject[]): string {
  const list = sets.map((rs) => `${rs.metadata.name} (${int(rs.status?.replicas ?? 0)}/${int(rs.spec?.replicas ?? 0)} replicas created)`).join(', ');
  return list === '' ? '<none>' : list;
}

/**
 * oldSets: every other ReplicaSet the Deployment controls, oldest first, those scaled to 0 too
 * (kubectl 1.27+, kubernetes#113083); neither line when it controls none.
 */
export function describeDeployment(d: KObject, newRS: KObject | undefined, oldSets: KObject[], events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = d.spec ?? {};
    const st = d.status ?? {};
    w.write(LEVEL_0, `Name:\t${d.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(d.metadata.namespace)}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(d.metadata.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', d.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
    w.write(LEVEL_0, `Replicas:\t${int(spec.replicas ?? 1)} desired | ${int(st.updatedReplicas ?? 0)} updated | ${int(st.replicas ?? 0)} total | ${int(st.availableReplicas ?? 0)} available | ${int(st.unavailableReplicas ?? 0)} unavailable\n`);
    w.write(LEVEL_0, `StrategyType:\t${str(spec.strategy?.type)}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${int(spec.minReadySeconds ?? 0)}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${str(ru.maxUnavailable)} max unavailable, ${str(ru.maxSurge)} max surge\n`);
    describePodTemplate(w, spec.template);
    conditions(w, st.conditions);
    if (oldSets.length || newRS) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetList(oldSets)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetList(newRS ? [newRS] : [])}\n`);
    }
    if (events) describeEvents(w, events);
  });
}

/** pods: the pods the set owns, counted by phase for "Pods Status". */
export function describeReplicaSet(rs: KObject, pods: KObject[], events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = rs.spec ?? {};
    const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
    w.write(LEVEL_0, `Name:\t${rs.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(rs.metadata.namespace)}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', rs.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
    const ref = (rs.metadata.ownerReferences ?? []).find((r: Json) => r.controller);
    if (ref) w.write(LEVEL_0, `Controlled By:\t${ref.kind}/${ref.name}\n`);
    w.write(LEVEL_0, `Replicas:\t${int(rs.status?.replicas ?? 0)} current / ${int(spec.replicas ?? 1)} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
    describePodTemplate(w, spec.template);
    conditions(w, rs.status?.conditions);
    if (events) describeEvents(w, events);
  });
}
