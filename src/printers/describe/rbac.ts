// kubectl describe role | clusterrole | rolebinding | clusterrolebinding (kubectl pkg/describe/describe.go
// RoleDescriber, ClusterRoleDescriber, RoleBindingDescriber, ClusterRoleBindingDescriber), with the
// rule compaction of kubectl pkg/util/rbac/rbac.go: each rule broken down to one group, resource,
// resource name and verb (BreakdownRule), the single-resource rules merged by group/resource/name
// with their verbs in order of appearance (CompactRules), sorted by the rules' protobuf String()
// (SortableRuleSlice: by verbs first). No events: these describers show none.
import type { KObject } from '../../api/types';
import { LEVEL_0, LEVEL_1, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString } from './common';

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);

/** BreakdownRule */
function breakdown(r: Record<string, unknown>): Rule[] {
  const verbs = list(r.verbs);
  const names = list(r.resourceNames);
  const out: Rule[] = [];
  for (const g of list(r.apiGroups)) {
    for (const res of list(r.resources)) {
      for (const v of verbs) {
        if (names.length) for (const n of names) out.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [n], nonResourceURLs: [] });
        else out.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [], nonResourceURLs: [] });
      }
    }
  }
  for (const u of list(r.nonResourceURLs)) for (const v of verbs) out.push({ verbs: [v], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [u] });
  return out;
}

/** CompactRules over broken-down rules (every resource rule there is a simple one) */
function compact(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const r of rules) {
    const isSimple = r.resourceNames.length <= 1 && r.nonResourceURLs.length === 0 && r.apiGroups.length === 1 && r.resources.length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames.length > 0, r.resourceNames[0] ?? '']);
    const existing = simple.get(key);
    if (!existing) simple.set(key, { ...r, verbs: [...r.verbs] });
    else for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
  }
  return [...out, ...simple.values()];
}

/** fmt's %v of a []string */
const goList = (xs: string[]) => `[${xs.join(' ')}]`;

/** PolicyRule.String(), the sort key */
const ruleString = (r: Rule) => `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;

/** CombineResourceGroup: `resource.group/subresource` */
function combineResourceGroup(resources: string[], groups: string[]): string {
  if (!resources.length) return '';
  const slash = resources[0].indexOf('/');
  let out = slash < 0 ? resources[0] : resources[0].slice(0, slash);
  if (groups.length && groups[0] !== '') out += `.${groups[0]}`;
  if (slash >= 0) out += `/${resources[0].slice(slash + 1)}`;
  return out;
}

/** The rules as describe shows them: broken down, compacted, sorted (stable). */
export function describedRules(rules: unknown): Rule[] {
  const broken = (Array.isArray(rules) ? rules : []).flatMap((r) => breakdown((r ?? {}) as Record<string, unknown>));
  const keyed = compact(broken).map((r) => ({ r, k: ruleString(r) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)); // Array.prototype.sort is stable
  return keyed.map((x) => x.r);
}

/** RoleDescriber and ClusterRoleDescriber */
export function describeRole(role: KObject): string {
  const rules = describedRules(role.rules);
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(role.metadata?.name)}\n`);
    printLabelsMultiline(w, 'Labels', role.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', role.metadata?.annotations);
    w.write(LEVEL_0, 'PolicyRule:\n');
    w.write(LEVEL_1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
    w.write(LEVEL_1, '---------\t-----------------\t--------------\t-----\n');
    for (const r of rules) w.write(LEVEL_1, `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
  });
}

/** RoleBindingDescriber and ClusterRoleBindingDescriber */
export function describeBinding(b: KObject): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(b.metadata?.name)}\n`);
    printLabelsMultiline(w, 'Labels', b.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', b.metadata?.annotations);
    w.write(LEVEL_0, 'Role:\n');
    w.write(LEVEL_1, `Kind:\t${str(b.roleRef?.kind)}\n`);
    w.write(LEVEL_1, `Name:\t${str(b.roleRef?.name)}\n`);
    w.write(LEVEL_0, 'Subjects:\n');
    w.write(LEVEL_1, 'Kind\tName\tNamespace\n');
    w.write(LEVEL_1, '----\t----\t---------\n');
    for (const s of Array.isArray(b.subjects) ? b.subjects : []) w.write(LEVEL_1, `${str(s?.kind)}\t${str(s?.name)}\t${str(s?.namespace)}\n`);
  });
}
