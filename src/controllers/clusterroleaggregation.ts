// The clusterrole aggregation controller (kube-controller-manager, pkg/controller/clusterroleaggregation):
// a ClusterRole with an aggregationRule holds the union of the rules of the ClusterRoles its
// selectors match (each selector's roles by name, itself skipped, a rule taken once: ruleExists with
// semantic equality), rewritten whenever a ClusterRole changes. admin, edit and view are made this
// way from the roles labelled rbac.authorization.k8s.io/aggregate-to-{admin,edit,view}; edit is
// itself aggregated into admin, so the pass repeats until nothing changes.
import type { KObject } from '../api/types';
import { selectorMatches } from '../api/workloads';
import type { State } from '../store/state';
import { deepEqual } from '../store/state';
import { clone } from '../util/compare';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** a rule as equality.Semantic compares it: an empty list is a nil one */
function norm(rule: Obj): Obj {
  const out: Obj = {};
  for (const k of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) if (Array.isArray(rule?.[k]) && rule[k].length) out[k] = rule[k];
  return out;
}

/** The rules an aggregated role should hold. */
export function aggregatedRules(role: KObject, all: KObject[]): Obj[] {
  const rules: Obj[] = [];
  const seen: Obj[] = [];
  const byName = [...all].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const sel of (role.aggregationRule?.clusterRoleSelectors ?? []) as Obj[]) {
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !selectorMatches(sel, other.metadata.labels)) continue;
      for (const r of (other.rules ?? []) as Obj[]) {
        const n = norm(r);
        if (seen.some((s) => deepEqual(s, n))) continue;
        seen.push(n);
        rules.push(clone(r));
      }
    }
  }
  return rules;
}

export function syncClusterRoleAggregation(state: State): void {
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    const all = state.list('ClusterRole');
    for (const role of all) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, all);
      const current = ((role.rules ?? []) as Obj[]).map(norm);
      if (deepEqual(current, rules.map(norm))) continue;
      const next = clone(role);
      next.rules = rules;
      if (state.replace(next)) changed = true;
    }
    if (!changed) return;
  }
}
