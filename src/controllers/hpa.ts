// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go and
// replica_calculator.go), for Resource metrics with a Utilization or AverageValue target, on the
// simulated clock: every HPA is looked at when it changes and every 15 s after (a timer, timers.ts,
// the controller's --horizontal-pod-autoscaler-sync-period). Usage comes from the simulated metrics
// (metrics.ts). The replica count is ceil(ready pods × usage / target) outside the 0.1 tolerance,
// with missing and unready pods counted as replica_calculator does; without a behavior, a scale up
// is limited to max(2 × current, 4) per look and a scale down waits for the highest recommendation
// of the last 5 minutes (the downscale stabilization window); with a behavior, both directions'
// stabilization windows and their policies' rates over the scale events of each policy's period.
// What the controller remembers (recommendations, scale events) lives in the state's runtime. The
// target is scaled through its spec.replicas (the scale subresource). Resource and ContainerResource
// metrics of cpu are simulated; memory has no metrics, and Pods, Object and External metrics fail as
// on a cluster without a custom or external metrics API.
import { StatusError } from '../api/errors';
import { parseQuantity, quantityMilliValue, formatQuantity } from '../api/quantity';
import { resourceByKind, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/workloads';
import { updateObject } from '../apiserver/registry';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';
import { clone, cmp } from '../util/compare';
import { addTo, type Groups } from '../util/groups';
import { recordEvent } from './events';
import { cpuUsage, type PodUsage } from './metrics';
import { dueTimers, wakeAt } from './timers';

const SOURCE = { component: 'horizontal-pod-autoscaler' };
const KIND = 'HorizontalPodAutoscaler';
export const SYNC_PERIOD_MS = 15_000;
const TOLERANCE = 0.1;
const DOWNSCALE_WINDOW_MS = 5 * 60_000;
const CPU_INITIALIZATION_MS = 5 * 60_000;
const INITIAL_READINESS_DELAY_MS = 30_000;
const METRIC_WINDOW_MS = 15_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** The kinds with a scale subresource kubesim serves, by the reference's kind. */
const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

function affected(state: State, since: number): Groups {
  const out: Groups = new Map();
  for (const c of state.changesSince(since, [KIND])) {
    if (state.get(KIND, c.namespace, c.name)) addTo(out, c.namespace, c.name);
    else forget(state, c.namespace as string, c.name);
  }
  for (const [ns, name] of dueTimers(state, KIND, nowMs())) addTo(out, ns, name);
  return out;
}

export function syncHPAs(state: State, since = 0): void {
  const todo = affected(state, since);
  for (const ns of [...todo.keys()].sort(cmp)) for (const hpa of state.pick(KIND, ns, todo.get(ns)!)) syncHPA(state, hpa);
}

/** setConditionInList: a new type goes last; the transition time moves only with the status. */
function setCondition(status: Obj, type: string, value: 'True' | 'False', reason: string, message: string): void {
  const list: Obj[] = (status.conditions ??= []);
  let c = list.find((x) => x.type === type);
  if (!c) list.push((c = { type }));
  if (c.status !== value) c.lastTransitionTime = rfc3339();
  c.status = value;
  c.reason = reason;
  c.message = message;
  // the field order the API returns
  const ordered = { type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  list[list.indexOf(c)] = ordered;
}

/**
 * What the controller remembers of an HPA between looks (its recommendations and, with a behavior,
 * its scale events): [replicas or change, ms] pairs.
 */
interface Memory {
  recs: [number, number][];
  up?: [number, number][];
  down?: [number, number][];
}
const memKey = (hpa: KObject) => `${hpa.metadata.namespace}/${hpa.metadata.name}`;
function memoryOf(state: State, hpa: KObject): Memory {
  const m = (state.runtime().hpa ?? {})[memKey(hpa)] as Memory | undefined;
  return m ? clone(m) : { recs: [] };
}
function remember(state: State, hpa: KObject, m: Memory): void {
  const all = state.runtime().hpa ?? {};
  if (JSON.stringify(all[memKey(hpa)]) === JSON.stringify(m)) return;
  (state.runtime(true).hpa ??= {})[memKey(hpa)] = m;
}
function forget(state: State, ns: string, name: string): void {
  if ((state.runtime().hpa ?? {})[`${ns}/${name}`] !== undefined) delete state.runtime(true).hpa![`${ns}/${name}`];
  wakeAt(state, KIND, ns, name, undefined);
}

class MetricError extends Error {}

interface Computed {
  replicas: number;
  utilization?: number;
  rawMilli: number;
}

const milli = (q: unknown) => {
  const p = parseQuantity(q);
  return p ? Number(quantityMilliValue(p)) : 0;
};

/** calculatePodRequests: the pods' cpu requests (m), or the first container without one. */
function podRequests(pods: KObject[], resource: string, container: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of pods) {
    let sum = 0;
    for (const c of p.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const r = c.resources?.requests?.[resource];
      if (r === undefined) throw new MetricError(`missing request for ${resource} in container ${c.name} of Pod ${p.metadata.name}`);
      sum += milli(r);
    }
    out.set(p.metadata.name, sum);
  }
  return out;
}

const readyCondition = (p: KObject): Obj | undefined => (p.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');

/** groupPods */
function groupPods(pods: KObject[], metrics: Map<string, number>, now: number): { ready: number; unready: Set<string>; missing: Set<string>; ignored: Set<string> } {
  const g = { ready: 0, unready: new Set<string>(), missing: new Set<string>(), ignored: new Set<string>() };
  for (const p of pods) {
    const name = p.metadata.name;
    if (p.metadata.deletionTimestamp || p.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (p.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    if (!metrics.has(name)) {
      g.missing.add(name);
      continue;
    }
    const cond = readyCondition(p);
    const start = p.status?.startTime ? Date.parse(p.status.startTime) : undefined;
    let unready: boolean;
    if (!cond || start === undefined) unready = true;
    else {
      const transition = Date.parse(cond.lastTransitionTime ?? p.status.startTime);
      if (start + CPU_INITIALIZATION_MS > now) unready = cond.status === 'False' || now < transition + METRIC_WINDOW_MS;
      else unready = cond.status === 'False' && start + INITIAL_READINESS_DELAY_MS > transition;
    }
    if (unready) g.unready.add(name);
    else g.ready++;
  }
  return g;
}

/** GetResourceUtilizationRatio */
function utilizationRatio(metrics: Map<string, number>, requests: Map<string, number>, target: number): { ratio: number; utilization: number; raw: number } {
  let total = 0;
  let req = 0;
  let n = 0;
  for (const [pod, v] of metrics) {
    const r = requests.get(pod);
    if (r === undefined) continue;
    total += v;
    req += r;
    n++;
  }
  if (req === 0) throw new MetricError('no metrics returned matched known pods');
  const utilization = Math.trunc((total * 100) / req);
  return { ratio: utilization / target, utilization, raw: Math.trunc(total / n) };
}

/** GetResourceReplicas (Utilization) and GetRawResourceReplicas (AverageValue). */
function resourceReplicas(current: number, target: Obj, resource: string, container: string, pods: KObject[], usage: Map<string, PodUsage>, ns: string, now: number): Computed {
  const metrics = new Map<string, number>();
  for (const p of pods) {
    const u = usage.get(`${ns}/${p.metadata.name}`);
    if (!u || resource !== 'cpu') continue;
    // a ContainerResource metric: that container's usage (getContainerMetrics)
    if (container && !(container in u.containers)) throw new MetricError(`unable to get metrics for resource ${resource}: failed to get container metrics: container ${container} not present in metrics for pod ${ns}/${p.metadata.name}`);
    metrics.set(p.metadata.name, container ? u.containers[container] : Object.values(u.containers).reduce((a, b) => a + b, 0));
  }
  if (metrics.size === 0) throw new MetricError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (!pods.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, now);
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n);
  if (metrics.size === 0) throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  // GetRawResourceReplicas (AverageValue: usage per pod against the value, no requests needed) or
  // GetResourceReplicas (Utilization: usage against the pods' requests); the same grouping after
  const plain = target.averageUtilization == null;
  const targetMilli = milli(target.averageValue);
  const requests = plain ? new Map<string, number>() : podRequests(pods, resource, container);
  const targetUtil: number = target.averageUtilization ?? 0;
  // GetMetricUsageRatio / GetResourceUtilizationRatio
  const measure = (m: Map<string, number>): { ratio: number; utilization?: number; raw: number } => {
    if (!plain) return utilizationRatio(m, requests, targetUtil);
    const raw = Math.trunc([...m.values()].reduce((a, b) => a + b, 0) / m.size);
    return { ratio: raw / targetMilli, raw };
  };
  const first = measure(metrics);
  const result = (replicas: number): Computed => ({ replicas, utilization: first.utilization, rawMilli: first.raw });
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= TOLERANCE) return result(current);
    return result(Math.ceil(first.ratio * g.ready));
  }
  if (g.missing.size > 0) {
    // a scale down counts missing pods at the target (100% of their request, or the utilization
    // target above it), a scale up at 0
    for (const n of g.missing) {
      if (first.ratio < 1) metrics.set(n, plain ? targetMilli : Math.trunc(((requests.get(n) ?? 0) * Math.max(100, targetUtil)) / 100));
      else if (plain || first.ratio > 1) metrics.set(n, 0);
    }
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, 0);
  const next = measure(metrics).ratio;
  if (Math.abs(1 - next) <= TOLERANCE || (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1)) return result(current);
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return result(current);
  return result(replicas);
}

/** calculateScaleUpLimit and convertDesiredReplicasWithRules. */
function withRules(current: number, desired: number, min: number, max: number): [number, string, string] {
  const upLimit = Math.max(2 * current, 4);
  let maxAllowed: number;
  let cond: string;
  let why: string;
  if (max > upLimit) [maxAllowed, cond, why] = [upLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'];
  else [maxAllowed, cond, why] = [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desired < min) return [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
  if (desired > maxAllowed) return [maxAllowed, cond, why];
  return [desired, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
}

type Normalized = [limited: number, stabilized: number, reason: string, message: string];

/** normalizeDesiredReplicas (no behavior): the highest recommendation of the last 5 minutes, then the rate limit. */
function normalize(status: Obj, recs: [number, number][], current: number, desired: number, min: number, max: number, now: number): Normalized {
  let stabilized = desired;
  let oldIndex = -1;
  recs.forEach(([r, t], i) => {
    if (t < now - DOWNSCALE_WINDOW_MS) oldIndex = i;
    else if (r > stabilized) stabilized = r;
  });
  if (oldIndex >= 0) recs[oldIndex] = [desired, now];
  else recs.push([desired, now]);
  if (stabilized !== desired) setCondition(status, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  else setCondition(status, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  const [limited, cond, why] = withRules(current, stabilized, min, max);
  return [limited, stabilized, cond, why];
}

/** getReplicasChangePerPeriod */
const changeIn = (events: [number, number][] | undefined, periodSeconds: number, now: number) => (events ?? []).filter(([, t]) => t > now - periodSeconds * 1000).reduce((a, [c]) => a + c, 0);

/** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors */
function policyLimit(up: boolean, current: number, mem: Memory, rules: Obj, now: number): number {
  const select = rules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  // scaling up, Min picks the smallest proposal; scaling down, the largest (the smallest change)
  const pickMin = up === (select === 'Min');
  let result = pickMin ? Infinity : -Infinity;
  for (const p of rules.policies ?? []) {
    const start = current - changeIn(mem.up, p.periodSeconds, now) + changeIn(mem.down, p.periodSeconds, now);
    let proposed: number;
    if (p.type === 'Pods') proposed = up ? start + p.value : start - p.value;
    else proposed = up ? Math.ceil(start * (1 + p.value / 100)) : Math.trunc(start * (1 - p.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** normalizeDesiredReplicasWithBehaviors: both directions' stabilization windows, then the policies' rates. */
function withBehaviors(status: Obj, mem: Memory, behavior: Obj, current: number, desired: number, min: number, max: number, now: number): Normalized {
  const upRules: Obj = behavior.scaleUp ?? {};
  const downRules: Obj = behavior.scaleDown ?? {};
  const upCutoff = now - (upRules.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = now - (downRules.stabilizationWindowSeconds ?? DOWNSCALE_WINDOW_MS / 1000) * 1000;
  let upRec = desired;
  let downRec = desired;
  let oldIndex = -1;
  mem.recs.forEach(([r, t], i) => {
    if (t > upCutoff) upRec = Math.min(r, upRec);
    if (t > downCutoff) downRec = Math.max(r, downRec);
    if (t < upCutoff && t < downCutoff) oldIndex = i;
  });
  let stabilized = Math.max(current, upRec);
  stabilized = Math.min(stabilized, downRec);
  if (oldIndex >= 0) mem.recs[oldIndex] = [desired, now];
  else mem.recs.push([desired, now]);
  if (stabilized !== desired) {
    if (desired >= current) setCondition(status, 'AbleToScale', 'True', 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation');
    else setCondition(status, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  } else setCondition(status, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  // convertDesiredReplicasWithBehaviorRate
  if (stabilized > current) {
    const limit = Math.max(policyLimit(true, current, mem, upRules, now), current);
    const [allowed, cond, why] = max > limit ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'] : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    if (stabilized > allowed) return [allowed, stabilized, cond, why];
  } else if (stabilized < current) {
    const limit = Math.min(policyLimit(false, current, mem, downRules, now), current);
    const [allowed, cond, why] = min < limit ? [limit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate'] : [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
    if (stabilized < allowed) return [allowed, stabilized, cond, why];
  }
  return [stabilized, stabilized, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
}

/** storeScaleEvent: a change, kept for the direction's longest policy period. */
function storeScaleEvent(mem: Memory, behavior: Obj, prev: number, next: number, now: number): void {
  const up = next > prev;
  const rules: Obj = (up ? behavior.scaleUp : behavior.scaleDown) ?? {};
  const longest = Math.max(0, ...(rules.policies ?? []).map((p: Obj) => p.periodSeconds ?? 0));
  const list = (up ? mem.up : mem.down) ?? [];
  const kept = list.filter(([, t]) => t > now - longest * 1000);
  kept.push([Math.abs(next - prev), now]);
  if (up) mem.up = kept;
  else mem.down = kept;
}

function syncHPA(state: State, stored: KObject): void {
  const now = nowMs();
  const hpa = clone(stored);
  const ns = hpa.metadata.namespace as string;
  const spec: Obj = hpa.spec ?? {};
  const status: Obj = clone(stored.status ?? {});
  wakeAt(state, KIND, ns, hpa.metadata.name, now + SYNC_PERIOD_MS);
  const ref: Obj = spec.scaleTargetRef ?? {};
  const finish = (s: Obj) => {
    if (JSON.stringify(s) === JSON.stringify(stored.status ?? {})) return;
    state.replace({ ...stored, status: s });
  };

  // the target's scale: its kind in the group of its apiVersion (schema.ParseGroupVersion, then the
  // RESTMapper: a Deployment without apps/v1 is no match), then the object
  const apiVersion = String(ref.apiVersion ?? '');
  const parts = apiVersion.split('/');
  const group = parts.length === 2 ? parts[0] : '';
  let res: Resource | undefined;
  let err: string | undefined;
  if (parts.length > 2) err = `unexpected GroupVersion string: ${apiVersion}`;
  else {
    try {
      const r = resourceByKind(ref.kind);
      res = r.group === group ? r : undefined;
    } catch {
      res = undefined;
    }
    if (!res) err = `no matches for kind ${JSON.stringify(ref.kind ?? '')} in group ${JSON.stringify(group)}`;
    // the scale client's answer for a kind without a scale subresource (client-go scale.Get)
    else if (!SCALABLE.includes(res.kind)) err = `unable to get client for ${res.group ? `${res.plural}.${res.group}` : res.plural}: could not find scale subresource for ${res.group}/${res.version}, Resource=${res.plural} in discovery information`;
  }
  const target = res && !err ? state.get(res.kind, ns, ref.name) : undefined;
  if (!target || !res) {
    err ??= `${res!.plural}${res!.group ? `.${res!.group}` : ''} "${ref.name}" not found`;
    recordEvent(state, hpa, 'Warning', 'FailedGetScale', err, SOURCE);
    setCondition(status, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${err}`);
    finish(status);
    return;
  }
  const current: number = target.spec?.replicas ?? 1;
  setCondition(status, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const min: number = spec.minReplicas ?? 1;
  const max: number = spec.maxReplicas ?? 1;
  const mem = memoryOf(state, hpa);
  const recs = mem.recs;
  if (!recs.length) recs.push([current, now]); // recordInitialRecommendation

  let desired = 0;
  let reason = '';
  // nil unless the metrics are computed (a target out of range, scaling disabled: none reported)
  let metricStatuses: Obj[] | undefined;
  let rescale: boolean;
  if (current === 0 && min !== 0) {
    setCondition(status, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    rescale = false;
  } else if (current > max) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = max;
    setCondition(status, 'ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count');
    rescale = true;
  } else if (current < min) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = min;
    setCondition(status, 'ScalingLimited', 'True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count');
    rescale = true;
  } else {
    // computeReplicasForMetrics
    const sel = target.spec?.selector;
    const pods = state.list('Pod', ns).filter((p) => sel && selectorMatches(sel, p.metadata.labels ?? {}));
    const usage = cpuUsage(state, now);
    const metrics: Obj[] = spec.metrics ?? [];
    metricStatuses = metrics.map(() => ({ type: '' }));
    let best = -1;
    let bestName = '';
    let invalid = 0;
    let firstErr: { reason: string; message: string; outer: string } | undefined;
    metrics.forEach((m, i) => {
      const fail = (reason: string, message: string, outer: string) => {
        invalid++;
        recordEvent(state, hpa, 'Warning', reason, message, SOURCE);
        if (!firstErr) firstErr = { reason, message, outer: `${outer}: ${message}` };
      };
      const metricName: string = m.pods?.metric?.name ?? m.object?.metric?.name ?? m.external?.metric?.name ?? '';
      // no custom or external metrics API is installed (metrics-server serves only resource metrics)
      const NO_CUSTOM = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
      if (m.type === 'Pods') return fail('FailedGetPodsMetric', `unable to get metric ${metricName}: ${NO_CUSTOM}`, 'failed to get pods metric value');
      if (m.type === 'Object') return fail('FailedGetObjectMetric', `unable to get metric ${metricName}: ${NO_CUSTOM} on ${m.object?.describedObject?.kind ?? ''} ${ns}/${m.object?.describedObject?.name ?? ''}`, 'failed to get object metric value');
      if (m.type === 'External') return fail('FailedGetExternalMetric', `unable to get external metric ${ns}/${metricName}/nil: unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered`, 'failed to get external metric value');
      const isContainer = m.type === 'ContainerResource';
      const src: Obj | undefined = isContainer ? m.containerResource : m.resource;
      if (!src) return fail('FailedGetResourceMetric', `unknown metric source type "${m.type ?? ''}"`, 'failed to get metric');
      const name: string = src.name ?? '';
      try {
        if (name !== 'cpu') throw new MetricError(`unable to get metrics for resource ${name}: no metrics returned from resource metrics API`);
        const c = resourceReplicas(current, src.target ?? {}, name, isContainer ? (src.container ?? '') : '', pods, usage, ns, now);
        const averageValue = formatQuantity({ nanos: BigInt(c.rawMilli) * 1_000_000n, format: 'DecimalSI' });
        const cur: Obj = c.utilization !== undefined ? { averageUtilization: c.utilization, averageValue } : { averageValue };
        metricStatuses![i] = isContainer ? { type: 'ContainerResource', containerResource: { name, container: src.container, current: cur } } : { type: 'Resource', resource: { name, current: cur } };
        const label = isContainer ? `${name} container resource` : `${name} resource`;
        const proposal = c.utilization !== undefined ? `${label} utilization (percentage of request)` : label;
        if (c.replicas > best) [best, bestName] = [c.replicas, proposal];
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        // computeStatusForResourceMetricGeneric: "usage" for an AverageValue target
        const what = src.target?.averageValue != null ? 'usage' : 'utilization';
        if (isContainer) fail('FailedGetContainerResourceMetric', `failed to get ${name} ${what}: ${e.message}`, `failed to get ${name} container metric value`);
        else fail('FailedGetResourceMetric', `failed to get ${name} ${what}: ${e.message}`, `failed to get ${name} resource metric value`);
      }
    });
    if (firstErr && (invalid >= metrics.length || best < current)) {
      setCondition(status, 'ScalingActive', 'False', firstErr.reason, `the HPA was unable to compute the replica count: ${firstErr.message}`);
      const s: Obj = { ...status, currentMetrics: metricStatuses, currentReplicas: current, desiredReplicas: status.desiredReplicas ?? 0 };
      recordEvent(state, hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${invalid} invalid out of ${metrics.length}), first error is: ${firstErr.outer}`, SOURCE);
      remember(state, hpa, mem);
      finish(ordered(s));
      return;
    }
    setCondition(status, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${bestName}`);
    desired = best;
    if (desired > current) reason = `${bestName} above target`;
    if (desired < current) reason = 'All metrics below target';
    const [limited, stabilized, cond, why] = spec.behavior ? withBehaviors(status, mem, spec.behavior, current, desired, min, max, now) : normalize(status, recs, current, desired, min, max, now);
    setCondition(status, 'ScalingLimited', limited === stabilized ? 'False' : 'True', cond, why);
    desired = limited;
    rescale = desired !== current;
  }
  remember(state, hpa, mem);

  if (rescale) {
    const upd = clone(target);
    upd.spec = { ...upd.spec, replicas: desired };
    try {
      updateObject(state, upd);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      recordEvent(state, hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${e.message}`, SOURCE);
      setCondition(status, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${e.message}`);
      finish(ordered({ ...status, currentReplicas: current, currentMetrics: metricStatuses ?? null }));
      return;
    }
    setCondition(status, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
    if (spec.behavior) storeScaleEvent(mem, spec.behavior, current, desired, now);
    remember(state, hpa, mem);
    recordEvent(state, hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, SOURCE);
  } else desired = current;
  // setStatus
  const s: Obj = { ...status, currentMetrics: metricStatuses ?? null, currentReplicas: current, desiredReplicas: desired };
  if (rescale) s.lastScaleTime = rfc3339(now);
  finish(ordered(s));
}

/** The status's fields in the API's order. */
function ordered(s: Obj): Obj {
  const out: Obj = {};
  if (s.conditions?.length) out.conditions = s.conditions;
  out.currentMetrics = s.currentMetrics ?? null;
  if (s.currentReplicas) out.currentReplicas = s.currentReplicas;
  out.desiredReplicas = s.desiredReplicas ?? 0;
  if (s.lastScaleTime) out.lastScaleTime = s.lastScaleTime;
  if (s.observedGeneration !== undefined) out.observedGeneration = s.observedGeneration;
  return out;
}
