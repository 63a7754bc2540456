// kubectl describe role | clusterrole | rolebinding | clusterrolebinding (kubectl pkg/describe/describe.go
// RoleDescriber, ClusterRoleDescriber, RoleBindingDescriber, ClusterRoleBindingDescriber). The rules are
// listed as `auth can-i --list` lists them (api/rbacrules.ts: kubectl pkg/util/rbac's breakdown,
// compaction and sort). No events: these describers show none.
import type { KObject } from '../../api/types';
import { combineResourceGroup, goList, listedRules, type Rule } from '../../api/rbacrules';
import { LEVEL_0, LEVEL_1, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString } from './common';

/** A stored rule with wrong types (a hand-written manifest) read as strings, as the decoder would refuse them. */
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);
const asRule = (r: Record<string, unknown>): Rule => ({ verbs: list(r.verbs), apiGroups: list(r.apiGroups), resources: list(r.resources), resourceNames: list(r.resourceNames), nonResourceURLs: list(r.nonResourceURLs) });

/** RoleDescriber and ClusterRoleDescriber */
export function describeRole(role: KObject): string {
  const rules = listedRules((Array.isArray(role.rules) ? role.rules : []).map((r) => asRule((r ?? {}) as Record<string, unknown>)));
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
