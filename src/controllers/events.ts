// Events as the kubelet and controllers record them: one Event per (object, reason, message, source),
// its count and lastTimestamp bumped when the same thing happens again (client-go's EventCorrelator).
import { clone } from '../util/compare';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { nowMs, rfc3339 } from '../util/clock';

export interface EventSource {
  component: string;
  host?: string;
}

/** core/v1 ObjectReference, as reference.GetReference fills it in. */
export interface ObjectRef {
  apiVersion?: string;
  kind?: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

/**
 * What the events/v1 recorder (k8s.io/client-go/tools/events event_recorder.go makeEvent, the
 * scheduler's) adds to an Event: the action, the related object, and its reportingInstance
 * (the controller name + "-" + its hostname, eventBroadcasterImpl.NewRecorder). The apiserver's
 * events/v1 → core/v1 conversion (pkg/apis/events/v1/conversion.go) keeps action and related as they
 * are. Left out, the Event is as before.
 */
export interface EventExtras {
  action?: string;
  related?: ObjectRef;
  reportingInstance?: string;
}

/** reference.GetReference for a stored object (client-go tools/reference/ref.go). */
export function refTo(obj: KObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    resourceVersion: obj.metadata.resourceVersion,
    uid: obj.metadata.uid,
  };
}

/** Per command and namespace: the events by what makes two the same (the correlator's key), so a
 * burst of thousands does not search the namespace's events once for each. */
const seen = new WeakMap<State, Map<string, Map<string, string>>>();
const sameKey = (uid: unknown, reason: unknown, message: unknown, component: unknown) => JSON.stringify([uid, reason, message, component]);

function existing(state: State, ns: string): Map<string, string> {
  let byNs = seen.get(state);
  if (!byNs) seen.set(state, (byNs = new Map()));
  let m = byNs.get(ns);
  if (!m) {
    m = new Map();
    for (const e of state.list('Event', ns)) if (!m.has(sameKey(e.involvedObject?.uid, e.reason, e.message, e.source?.component))) m.set(sameKey(e.involvedObject?.uid, e.reason, e.message, e.source?.component), e.metadata.name);
    byNs.set(ns, m);
  }
  return m;
}

/** at: when it happened (ms; the kubelet records steps of the past at their time); count: how many times. */
export function recordEvent(state: State, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, at?: number, count = 1, extras: EventExtras = {}): void {
  const ns = obj.metadata.namespace ?? 'default';
  const now = rfc3339(at);
  const index = existing(state, ns);
  const key = sameKey(obj.metadata.uid, reason, message, source.component);
  const name = index.get(key);
  const same = name ? state.get('Event', ns, name) : undefined;
  if (same) {
    const upd = clone(same);
    upd.count = (upd.count ?? 1) + count;
    if (!upd.lastTimestamp || Date.parse(now) >= Date.parse(upd.lastTimestamp)) upd.lastTimestamp = now;
    state.replace(upd);
    return;
  }
  // Event names are the object's name and the time in nanoseconds, in hex (record.makeEvent), so the
  // server's name order is the order they happened in. The clock gives milliseconds (and stands
  // still when frozen): the nanoseconds below them count resourceVersions, which only go up.
  const seq = BigInt(Number(state.cluster.resourceVersion ?? 0) + 1) % 1000000n;
  const eventName = `${obj.metadata.name}.${(BigInt(at ?? nowMs()) * 1000000n + seq).toString(16)}`;
  index.set(key, eventName);
  state.add({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName, namespace: ns },
    involvedObject: refTo(obj),
    reason,
    message,
    source,
    firstTimestamp: now,
    lastTimestamp: now,
    count,
    type,
    eventTime: null,
    // in core/v1 Event's field order (types.go): series, action, related, reportingComponent
    ...(extras.action !== undefined ? { action: extras.action } : {}),
    ...(extras.related ? { related: extras.related } : {}),
    reportingComponent: source.component,
    reportingInstance: extras.reportingInstance ?? source.host ?? '',
  });
}
