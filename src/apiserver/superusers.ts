// The subjects cluster-wide bindings make all-powerful (cluster-admin's `*` on everything), as
// users and groups: what requester.ts checks before it reads any rule.
import type { KObject } from '../api/types';
import type { PolicyRule, Subject } from './authorizer';

export interface Superusers {
  users: string[];
  groups: string[];
}

const all = (l: string[] | undefined) => !!l?.includes('*');

/** Every verb on every resource in every group, and every non-resource URL. */
export function grantsEverything(role: KObject | undefined): boolean {
  const rules = ((role as { rules?: PolicyRule[] } | undefined)?.rules ?? []) as PolicyRule[];
  const resources = rules.some((r) => all(r.verbs) && all(r.apiGroups) && all(r.resources) && !r.resourceNames?.length);
  const urls = rules.some((r) => all(r.verbs) && all(r.nonResourceURLs));
  return resources && urls;
}

export function superusersOf(bindings: KObject[], everything: (clusterRole: string) => boolean): Superusers {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const b of bindings) {
    const ref = (b as { roleRef?: { kind?: string; name?: string } }).roleRef;
    if (ref?.kind !== 'ClusterRole' || !ref.name || !everything(ref.name)) continue;
    for (const s of ((b as { subjects?: Subject[] }).subjects ?? []) as Subject[]) {
      if (s.kind === 'User') users.add(s.name);
      else if (s.kind === 'Group') groups.add(s.name);
      else if (s.kind === 'ServiceAccount' && s.namespace) users.add(`system:serviceaccount:${s.namespace}:${s.name}`);
    }
  }
  return { users: [...users].sort(), groups: [...groups].sort() };
}
