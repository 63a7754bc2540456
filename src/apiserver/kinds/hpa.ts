// autoscaling/v2 HorizontalPodAutoscaler (also served at autoscaling/v1, whose requests are converted):
// SetDefaults_HorizontalPodAutoscaler, ValidateHorizontalPodAutoscaler, the columns of
// printHorizontalPodAutoscaler (pkg/printers/internalversion/printers.go, formatHPAMetrics).
import type { KObject } from '../../api/types';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';
// the kind's rules (defaults, validation, what its columns format) load when an object of it
// is handled, not at the start of every command
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = (): typeof import('../../api/autoscaling') => require('../../api/autoscaling');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const str = (q: unknown) => String(q ?? '0');

/** One metric as formatHPAMetrics writes it: "<current>/<target>", current <unknown> until the controller reports. */
function formatMetric(spec: Obj, status: Obj | undefined): string {
  switch (spec.type) {
    case 'External': {
      const t: Obj = spec.external?.target ?? {};
      if (t.averageValue != null) return `${status?.external?.current?.averageValue != null ? str(status.external.current.averageValue) : '<unknown>'}/${str(t.averageValue)} (avg)`;
      return `${status?.external ? str(status.external.current?.value) : '<unknown>'}/${str(t.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? str(status.pods.current?.averageValue) : '<unknown>'}/${str(spec.pods?.target?.averageValue)}`;
    case 'Object': {
      const t: Obj = spec.object?.target ?? {};
      if (t.averageValue != null) return `${status?.object?.current?.averageValue != null ? str(status.object.current.averageValue) : '<unknown>'}/${str(t.averageValue)} (avg)`;
      return `${status?.object ? str(status.object.current?.value) : '<unknown>'}/${str(t.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const src: Obj = spec[key] ?? {};
      const t: Obj = src.target ?? {};
      const cur: Obj | undefined = status?.[key];
      if (t.averageValue != null) return `${src.name}: ${cur ? str(cur.current?.averageValue) : '<unknown>'}/${str(t.averageValue)}`;
      const current = cur?.current?.averageUtilization != null ? `${cur.current.averageUtilization}%` : '<unknown>';
      const target = t.averageUtilization != null ? `${t.averageUtilization}%` : '<auto>';
      return `${src.name}: ${current}/${target}`;
    }
  }
  return '<unknown type>';
}

/** formatHPAMetrics: at most two, then "+ N more...". */
export function hpaTargets(o: KObject): string {
  const specs: Obj[] = o.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses: Obj[] = o.status?.currentMetrics ?? [];
  const list = specs.map((m, i) => formatMetric(m, statuses[i]));
  if (list.length > 2) return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
  return list.join(', ');
}

export default defineKind({
  resource: resource('HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], 'autoscaling', 'v2', true, undefined, ['all'], ['v1']),
  systemStatus: true,
  convertIn: (obj) => api().hpaFromV1(obj),
  defaults: (obj) => api().defaultHPA(obj),
  validate: (obj) => api().validateHPA(obj),
  // PrepareForCreate: an empty status (currentMetrics has no omitempty in v2)
  beforeStore: (_state, obj) => {
    obj.status = { currentMetrics: null, desiredReplicas: 0 };
  },
  columns: [
    NAME,
    { header: 'REFERENCE', cell: (o) => `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}` },
    { header: 'TARGETS', cell: hpaTargets },
    { header: 'MINPODS', cell: (o) => (o.spec?.minReplicas != null ? String(o.spec.minReplicas) : '<unset>') },
    { header: 'MAXPODS', cell: (o) => String(o.spec?.maxReplicas ?? 0) },
    { header: 'REPLICAS', cell: (o) => String(o.status?.currentReplicas ?? 0) },
    AGE,
  ],
});
