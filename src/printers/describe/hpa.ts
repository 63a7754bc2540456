// describe hpa (kubectl 1.32 pkg/describe/describe.go: HorizontalPodAutoscalerDescriber,
// describeHorizontalPodAutoscalerV2 and printDirectionBehavior).
import type { KObject } from '../../api/types';
import { describeEvents, formatRFC1123Z, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString, type Json, type PrefixWriter } from './common';

const q = (v: unknown) => String(v ?? '0');

function metricLine(w: PrefixWriter, m: Json, cur: Json | undefined): void {
  switch (m.type) {
    case 'External': {
      const t = m.external?.target ?? {};
      if (t.averageValue != null) {
        const current = cur?.external?.current?.averageValue != null ? q(cur.external.current.averageValue) : '<unknown>';
        w.write(LEVEL_1, `${JSON.stringify(m.external?.metric?.name ?? '')} (target average value):\t${current} / ${q(t.averageValue)}\n`);
      } else {
        const current = cur?.external ? q(cur.external.current?.value) : '<unknown>';
        w.write(LEVEL_1, `${JSON.stringify(m.external?.metric?.name ?? '')} (target value):\t${current} / ${q(t.value)}\n`);
      }
      return;
    }
    case 'Pods': {
      const current = cur?.pods ? q(cur.pods.current?.averageValue) : '<unknown>';
      w.write(LEVEL_1, `${JSON.stringify(m.pods?.metric?.name ?? '')} on pods:\t${current} / ${q(m.pods?.target?.averageValue)}\n`);
      return;
    }
    case 'Object': {
      const o = m.object ?? {};
      w.write(LEVEL_1, `"${o.metric?.name ?? ''}" on ${o.describedObject?.kind ?? ''}/${o.describedObject?.name ?? ''} `);
      if (o.target?.type === 'AverageValue') w.write(LEVEL_0, `(target average value):\t${cur?.object ? q(cur.object.current?.averageValue) : '<unknown>'} / ${q(o.target?.averageValue)}\n`);
      else w.write(LEVEL_0, `(target value):\t${cur?.object ? q(cur.object.current?.value) : '<unknown>'} / ${q(o.target?.value)}\n`);
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const src = m[key] ?? {};
      const c = cur?.[key];
      if (m.type === 'Resource') w.write(LEVEL_1, `resource ${src.name ?? ''} on pods`);
      else w.write(LEVEL_1, `resource ${src.name ?? ''} of container "${src.container ?? ''}" on pods`);
      if (src.target?.averageValue != null) {
        w.write(LEVEL_0, `:\t${c ? q(c.current?.averageValue) : '<unknown>'} / ${q(src.target.averageValue)}\n`);
      } else {
        const current = c?.current?.averageUtilization != null ? `${c.current.averageUtilization}% (${q(c.current.averageValue)})` : '<unknown>';
        const target = src.target?.averageUtilization != null ? `${src.target.averageUtilization}%` : '<auto>';
        w.write(LEVEL_1, `(as a percentage of request):\t${current} / ${target}\n`);
      }
      return;
    }
  }
  w.write(LEVEL_1, `<unknown metric type ${JSON.stringify(m.type ?? '')}>\n`);
}

function directionBehavior(w: PrefixWriter, direction: string, rules: Json): void {
  if (!rules) return;
  w.write(LEVEL_1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds != null) w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(LEVEL_2, 'Policies:\n');
    for (const p of rules.policies) w.write(LEVEL_3, `- Type: ${p.type ?? ''}\tValue: ${p.value ?? 0}\tPeriod: ${p.periodSeconds ?? 0} seconds\n`);
  }
}

export function describeHPA(hpa: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    const spec = hpa.spec ?? {};
    const st = hpa.status ?? {};
    w.write(LEVEL_0, `Name:\t${hpa.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(hpa.metadata.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', hpa.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', hpa.metadata.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${formatRFC1123Z(hpa.metadata.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Reference:\t${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}\n`);
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
    (spec.metrics ?? []).forEach((m: Json, i: number) => metricLine(w, m ?? {}, (st.currentMetrics ?? [])[i]));
    w.write(LEVEL_0, `Min replicas:\t${spec.minReplicas != null ? spec.minReplicas : '<unset>'}\n`);
    w.write(LEVEL_0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
    if (spec.behavior) {
      w.write(LEVEL_0, 'Behavior:\n');
      directionBehavior(w, 'Scale Up', spec.behavior.scaleUp);
      directionBehavior(w, 'Scale Down', spec.behavior.scaleDown);
    }
    w.write(LEVEL_0, `${spec.scaleTargetRef?.kind ?? ''} pods:\t`);
    w.write(LEVEL_0, `${st.currentReplicas ?? 0} current / ${st.desiredReplicas ?? 0} desired\n`);
    if (st.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------\t-------\n');
      for (const c of st.conditions) w.write(LEVEL_1, `${c.type ?? ''}\t${c.status ?? ''}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    if (events) describeEvents(w, events);
  });
}
