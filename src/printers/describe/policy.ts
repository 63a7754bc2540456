// describe poddisruptionbudget (kubectl 1.32 pkg/describe/describe.go: describePodDisruptionBudgetV1).
import type { KObject } from '../../api/types';
import { describeEvents, formatLabelSelector, int, LEVEL_0, LEVEL_2, str, tabbedString } from './common';

export function describePodDisruptionBudget(pdb: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = pdb.spec ?? {};
    const st = pdb.status ?? {};
    w.write(LEVEL_0, `Name:\t${pdb.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(pdb.metadata.namespace)}\n`);
    if (spec.minAvailable != null) w.write(LEVEL_0, `Min available:\t${String(spec.minAvailable)}\n`);
    else if (spec.maxUnavailable != null) w.write(LEVEL_0, `Max unavailable:\t${String(spec.maxUnavailable)}\n`);
    w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
    w.write(LEVEL_0, 'Status:\n');
    w.write(LEVEL_2, `Allowed disruptions:\t${int(st.disruptionsAllowed)}\n`);
    w.write(LEVEL_2, `Current:\t${int(st.currentHealthy)}\n`);
    w.write(LEVEL_2, `Desired:\t${int(st.desiredHealthy)}\n`);
    w.write(LEVEL_2, `Total:\t${int(st.expectedPods)}\n`);
    if (events) describeEvents(w, events);
  });
}
