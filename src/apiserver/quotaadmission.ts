// The ResourceQuota admission plugin (kubernetes plugin/pkg/admission/resourcequota/controller.go
// CheckRequest), the same for every kind: the namespace's quotas that match the object (by the
// resources in their status.hard and their scopes) must allow what it adds, or the request is
// refused (Forbidden: "exceeded quota: …", or "failed quota: …" when a pod leaves cpu or memory
// unsaid under a quota on them); an admitted object's usage is charged to each quota's status.used
// at once, as the plugin does, so the next create in the same breath sees it. The quota controller
// (src/controllers/resourcequota.ts) recounts later.
import { forbiddenError } from '../api/errors';
import { addUsage, exceededNames, isZeroUsage, maskUsage, matchingResources, podConstraints, prettyPrint, quotaMatches, quotaTracks, subtractNonNegative, usageOf, type Usage } from '../api/quotaeval';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { clone } from '../util/compare';

/** Evaluator.Handles: pods and object counts on create; services and claims on update too. */
const handlesUpdate = (kind: string) => kind === 'Service' || kind === 'PersistentVolumeClaim';

/** CheckRequest for a create (old undefined) or an update; throws Forbidden, else charges the quotas. */
export function admitQuota(state: State, obj: KObject, old?: KObject): void {
  const ns = obj.metadata.namespace;
  if (!ns || !quotaTracks(obj.kind)) return;
  if (old && !handlesUpdate(obj.kind)) return;
  const quotas = state.list('ResourceQuota', ns);
  if (!quotas.length) return;
  const forbid = (why: string) => forbiddenError(resourceByKind(obj.kind), obj.metadata.name ?? '', why);
  const interesting: KObject[] = [];
  for (const rq of quotas) {
    const hard: Usage = rq.status?.hard ?? {};
    if (!quotaMatches(rq, obj)) continue;
    const restricted = matchingResources(obj.kind, Object.keys(hard));
    if (obj.kind === 'Pod') {
      const missing = podConstraints(obj, restricted);
      if (missing) throw forbid(`failed quota: ${rq.metadata.name}: ${missing}`);
    }
    const used: Usage = rq.status?.used ?? {};
    const unknown = restricted.filter((r) => !(r in used));
    if (unknown.length) throw forbid(`status unknown for quota: ${rq.metadata.name}, resources: ${unknown.sort().join(',')}`);
    interesting.push(rq);
  }
  let delta = usageOf(obj);
  if (old) delta = subtractNonNegative(delta, usageOf(old));
  if (!interesting.length || isZeroUsage(delta)) return;
  const charged: KObject[] = [];
  for (const rq of interesting) {
    const hard: Usage = rq.status.hard;
    const used: Usage = rq.status.used;
    const requested = maskUsage(delta, Object.keys(hard));
    const newUsage = addUsage(used, requested);
    const exceeded = exceededNames(maskUsage(newUsage, Object.keys(requested)), hard);
    if (exceeded.length) {
      throw forbid(`exceeded quota: ${rq.metadata.name}, requested: ${prettyPrint(maskUsage(requested, exceeded))}, used: ${prettyPrint(maskUsage(used, exceeded))}, limited: ${prettyPrint(maskUsage(hard, exceeded))}`);
    }
    const upd = clone(rq);
    upd.status.used = newUsage;
    charged.push(upd);
  }
  for (const upd of charged) state.replace(upd);
}
