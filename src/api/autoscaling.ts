// autoscaling HorizontalPodAutoscaler: the v2 defaults (k8s.io/kubernetes pkg/apis/autoscaling/v2
// defaults.go SetDefaults_HorizontalPodAutoscaler), the v1 → v2 conversion the apiserver applies to
// an autoscaling/v1 request (pkg/apis/autoscaling/v1 conversion.go: targetCPUUtilizationPercentage
// becomes a cpu Resource metric), and ValidateHorizontalPodAutoscaler (pkg/apis/autoscaling/validation).
import { forbidden, invalid, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { isDNS1123Subdomain, validateObjectMeta } from './validation';
import { parseQuantity, quantityMilliValue } from './quantity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** autoscaling.DefaultCPUUtilization: the target when an HPA names no metric. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: what the controller does without a behavior. */
export const DEFAULT_SCALE_UP = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
export const DEFAULT_SCALE_DOWN = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** Fills a set direction's unset fields with the defaults (SetDefaults_HorizontalPodAutoscalerBehavior). */
function defaultRules(rules: Obj | undefined, def: Obj): Obj {
  if (!rules) return structuredClone(def);
  const out: Obj = { ...rules };
  out.stabilizationWindowSeconds ??= def.stabilizationWindowSeconds;
  out.selectPolicy ??= def.selectPolicy;
  if (!out.policies?.length) out.policies = structuredClone(def.policies);
  return out;
}

/** SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, an 80% cpu target, a given behavior filled. */
export function defaultHPA(hpa: KObject): void {
  const spec: Obj = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  // only a behavior that is there is filled in (an HPA without one prints none)
  if (spec.behavior && typeof spec.behavior === 'object') {
    spec.behavior = { ...spec.behavior, scaleUp: defaultRules(spec.behavior.scaleUp, DEFAULT_SCALE_UP), scaleDown: defaultRules(spec.behavior.scaleDown, DEFAULT_SCALE_DOWN) };
  }
}

/**
 * An autoscaling/v1 object as the v2 the server stores (Convert_v1_HorizontalPodAutoscaler_To_…):
 * targetCPUUtilizationPercentage is a cpu Resource metric with that utilization; status's
 * currentCPUUtilizationPercentage a current metric. The v1 apiserver's own defaulting (minReplicas 1)
 * is the v2 one's too.
 */
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
/** DropRoundTripHorizontalPodAutoscalerAnnotations */
const ROUND_TRIP = ['autoscaling.alpha.kubernetes.io/metrics', CURRENT_METRICS, CONDITIONS, 'autoscaling.alpha.kubernetes.io/behavior'];

export function hpaFromV1(o: KObject): void {
  if (o.apiVersion !== 'autoscaling/v1') return;
  o.apiVersion = 'autoscaling/v2';
  const ann = o.metadata?.annotations;
  if (ann) {
    for (const k of ROUND_TRIP) delete ann[k];
    if (!Object.keys(ann).length) delete o.metadata.annotations;
  }
  const spec: Obj = o.spec ?? {};
  const cpu = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  if (cpu !== undefined && cpu !== null) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }];
  else delete spec.metrics;
  const status: Obj | undefined = o.status;
  if (status) {
    const cur = status.currentCPUUtilizationPercentage;
    delete status.currentCPUUtilizationPercentage;
    if (cur !== undefined && cur !== null) status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } }];
  }
}

/**
 * The stored v2 object as autoscaling/v1 shows it (Convert_autoscaling_HorizontalPodAutoscaler_To_v1…):
 * a cpu Utilization metric is targetCPUUtilizationPercentage, its current value
 * currentCPUUtilizationPercentage. (The other metrics and the conditions, which v1 carries in
 * annotations, are left out.)
 */
export function hpaToV1(o: KObject): KObject {
  const out: Obj = structuredClone(o);
  out.apiVersion = 'autoscaling/v1';
  const spec: Obj = out.spec ?? {};
  const metrics: Obj[] = spec.metrics ?? [];
  delete spec.metrics;
  delete spec.behavior;
  const cpu = metrics.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  if (cpu?.resource?.target?.averageUtilization != null) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  // the v2 facts v1 has no field for, in the annotations of the round trip (v1 MetricStatus and
  // HorizontalPodAutoscalerCondition JSON, struct order)
  const st0: Obj = out.status ?? {};
  const annotations: Obj = { ...(out.metadata?.annotations ?? {}) };
  if (st0.currentMetrics?.length) {
    annotations[CURRENT_METRICS] = JSON.stringify(
      st0.currentMetrics.map((m: Obj) => {
        if (m?.type !== 'Resource' || !m.resource) return { type: m?.type ?? '' };
        const cur: Obj = m.resource.current ?? {};
        const r: Obj = { name: m.resource.name };
        if (cur.averageUtilization != null) r.currentAverageUtilization = cur.averageUtilization;
        r.currentAverageValue = cur.averageValue ?? '0';
        return { type: 'Resource', resource: r };
      }),
    );
  }
  if (st0.conditions?.length) annotations[CONDITIONS] = JSON.stringify(st0.conditions.map((c: Obj) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message })));
  if (Object.keys(annotations).length) out.metadata = { ...out.metadata, annotations };
  if (out.status) {
    const st: Obj = out.status;
    const cur = (st.currentMetrics ?? []).find((m: Obj) => m?.type === 'Resource' && m.resource?.name === 'cpu');
    const v1: Obj = { currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas ?? 0 };
    if (st.lastScaleTime) v1.lastScaleTime = st.lastScaleTime;
    if (st.observedGeneration !== undefined) v1.observedGeneration = st.observedGeneration;
    if (cur?.resource?.current?.averageUtilization != null) v1.currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
    out.status = v1;
  }
  return out as KObject;
}

/** pathvalidation.IsValidPathSegmentName */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

/** ValidateCrossVersionObjectReference */
function validateRef(ref: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name']) {
    const v = String(ref?.[f] ?? '');
    if (!v) errs.push(required(`${path}.${f}`, ''));
    else for (const msg of pathSegmentErrors(v)) errs.push(invalid(`${path}.${f}`, v, msg));
  }
  return errs;
}

const milli = (q: unknown) => {
  const p = parseQuantity(q);
  return p ? quantityMilliValue(p) : 0n;
};

/** validateMetricTarget */
function validateTarget(t: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (t?.value !== undefined && milli(t.value) <= 0n) errs.push(invalid(`${path}.value`, t.value, 'must be positive'));
  if (t?.averageValue !== undefined && milli(t.averageValue) <= 0n) errs.push(invalid(`${path}.averageValue`, t.averageValue, 'must be positive'));
  if (typeof t?.averageUtilization === 'number' && t.averageUtilization < 1) errs.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

/** validateResourceSource / validateContainerResourceSource */
function validateResourceSource(src: Obj, path: string, container: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!src.name) errs.push(required(`${path}.name`, 'must specify a resource name'));
  if (container && !src.container) errs.push(required(`${path}.container`, 'must specify a container'));
  errs.push(...validateTarget(src.target, `${path}.target`));
  const t: Obj = src.target ?? {};
  if (t.averageUtilization === undefined && t.averageValue === undefined) errs.push(required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (t.averageUtilization !== undefined && t.averageValue !== undefined) errs.push(forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
  return errs;
}

const SOURCE_FIELDS: Record<string, string> = { ContainerResource: 'containerResource', External: 'external', Object: 'object', Pods: 'pods', Resource: 'resource' };

/** validateMetricSpec (the source checks of the Object, Pods and External kinds are only their presence here). */
function validateMetric(m: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = m.type ?? '';
  if (!type) errs.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!SOURCE_FIELDS[type]) errs.push(unsupported(`${path}.type`, type, Object.keys(SOURCE_FIELDS)));
  const present = Object.entries(SOURCE_FIELDS).filter(([, f]) => m[f] != null).map(([, f]) => f);
  if (present.length === 1 && (present[0] === 'resource' || present[0] === 'containerResource')) errs.push(...validateResourceSource(m[present[0]], `${path}.${present[0]}`, present[0] === 'containerResource'));
  const expected = SOURCE_FIELDS[type];
  if (expected && m[expected] == null) errs.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (present.length !== 1) for (const f of present.filter((f) => f !== expected).sort()) errs.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  return errs;
}

/** validateScalingRules */
function validateRules(r: Obj | undefined, path: string): FieldError[] {
  if (!r) return [];
  const errs: FieldError[] = [];
  const w = r.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(invalid(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > 3600) errs.push(invalid(`${path}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
  if (r.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(r.selectPolicy)) errs.push(unsupported(`${path}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']));
  if (!r.policies?.length) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  (r.policies ?? []).forEach((p: Obj, i: number) => {
    const pp = `${path}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(unsupported(`${pp}.type`, p.type ?? '', ['Percent', 'Pods']));
    if (!(p.value > 0)) errs.push(invalid(`${pp}.value`, p.value ?? 0, 'must be greater than zero'));
    if (!(p.periodSeconds > 0)) errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds ?? 0, 'must be greater than zero'));
    if (p.periodSeconds > 1800) errs.push(invalid(`${pp}.periodSeconds`, p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

/** ValidateHorizontalPodAutoscaler (and the update's: the same spec rules). */
export function validateHPA(hpa: KObject): FieldError[] {
  const errs = validateObjectMeta(hpa, true, isDNS1123Subdomain);
  const spec: Obj = hpa.spec ?? {};
  const min = spec.minReplicas;
  const max = spec.maxReplicas ?? 0;
  // MinReplicasLowerBound is 1 unless the HPAScaleToZero feature gate (alpha, off) is on
  if (typeof min === 'number' && min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateRef(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  (spec.metrics ?? []).forEach((m: Obj, i: number) => errs.push(...validateMetric(m ?? {}, `spec.metrics[${i}]`)));
  if (spec.behavior) {
    errs.push(...validateRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}
