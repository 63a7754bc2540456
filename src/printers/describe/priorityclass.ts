// kubectl describe priorityclass (kubectl pkg/describe/describe.go describePriorityClass).
import type { KObject } from '../../api/types';
import { describeEvents, formatLabels, LEVEL_0, str, tabbedString } from './common';

export function describePriorityClass(pc: KObject, events: KObject[]): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${pc.metadata.name}\n`);
    w.write(LEVEL_0, `Value:\t${Number(pc.value ?? 0)}\n`);
    w.write(LEVEL_0, `GlobalDefault:\t${!!pc.globalDefault}\n`);
    w.write(LEVEL_0, `PreemptionPolicy:\t${str(pc.preemptionPolicy)}\n`);
    w.write(LEVEL_0, `Description:\t${str(pc.description)}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(pc.metadata.annotations)}\n`);
    describeEvents(w, events);
  });
}
