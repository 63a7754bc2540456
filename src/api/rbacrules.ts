// Policy rules as kubectl lists them (`auth can-i --list`, the Role describers): each rule broken down
// to one verb, group, resource and name, the simple ones merged again by resource, sorted by the Go
// String() of the rule (kubectl pkg/util/rbac/rbac.go BreakdownRule, CompactRules, SortableRuleSlice;
// pkg/describe CombineResourceGroup).
export interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export function breakdownRule(rule: Rule): Rule[] {
  const out: Rule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) for (const n of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [n] });
        else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/**
 * Rules of one group, resource and at most one name merge their verbs (in the order met). kubectl's
 * CompactRules (pkg/util/rbac) adds only verbs not yet there; the apiserver's (registry/rbac/validation
 * policy_compact.go, behind the escalation message) appends them all: `uniqueVerbs` says which.
 */
export function compactRules(rules: Rule[], uniqueVerbs = false): Rule[] {
  const compacted: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const r of rules) {
    const isSimple = (r.resourceNames?.length ?? 0) <= 1 && !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1;
    if (!isSimple) {
      compacted.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const had = simple.get(key);
    if (had) had.verbs = [...(had.verbs ?? []), ...(r.verbs ?? []).filter((v) => !uniqueVerbs || !had.verbs?.includes(v))];
    else simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
  }
  return [...compacted, ...simple.values()];
}

/** Go's %v of a []string: [a b] */
export const goList = (l: string[] | undefined): string => `[${(l ?? []).join(' ')}]`;

/** PolicyRule.String() (generated.pb.go), the sort key */
export function ruleString(r: Rule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

export function sortRules(rules: Rule[]): Rule[] {
  const keyed = rules.map((r) => [ruleString(r), r] as const);
  // Array.prototype.sort is stable, as sort.Stable; strings.Compare is bytewise
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, r]) => r);
}

/** pods, deployments.apps, pods/log, deployments.apps/scale */
export function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const [res, sub] = resources[0].split(/\/(.*)/s, 2);
  let s = res;
  if (groups?.length && groups[0] !== '') s += `.${groups[0]}`;
  if (sub !== undefined) s += `/${sub}`;
  return s;
}

/** The rules as kubectl lists them: broken down, compacted, sorted (stable). */
export function listedRules(rules: Rule[]): Rule[] {
  return sortRules(compactRules(rules.flatMap(breakdownRule), true));
}

/** The rows of kubectl's rule table: resources, non-resource URLs, resource names, verbs. */
export function ruleRows(rules: Rule[]): string[][] {
  const all = listedRules(rules);
  return all.map((r) => [combineResourceGroup(r.resources, r.apiGroups), goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs)]);
}
