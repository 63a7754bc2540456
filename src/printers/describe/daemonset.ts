// describe daemonset (kubectl 1.32 pkg/describe/describe.go: DaemonSetDescriber, describeDaemonSet).
import type { KObject } from '../../api/types';
import { describeEvents, formatLabelSelector, int, LEVEL_0, printAnnotationsMultiline, printLabelsMultiline, tabbedString } from './common';
import { describePodTemplate } from './workloads';

/** labels.FormatLabels */
function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/** pods: those the set controls (getPodStatusForController), counted by phase for "Pods Status". */
export function describeDaemonSet(ds: KObject, pods: KObject[], events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = ds.spec ?? {};
    const st = ds.status ?? {};
    const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
    w.write(LEVEL_0, `Name:\t${ds.metadata.name}\n`);
    // no Namespace line: kubectl 1.32's describeDaemonSet prints none (seen against kubesim serve)
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
    printLabelsMultiline(w, 'Labels', ds.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', ds.metadata.annotations);
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${int(st.desiredNumberScheduled ?? 0)}\n`);
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${int(st.currentNumberScheduled ?? 0)}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${int(st.updatedNumberScheduled ?? 0)}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${int(st.numberAvailable ?? 0)}\n`);
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${int(st.numberMisscheduled ?? 0)}\n`);
    w.write(LEVEL_0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
    describePodTemplate(w, spec.template);
    if (events) describeEvents(w, events);
  });
}
