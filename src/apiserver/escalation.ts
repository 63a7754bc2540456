// RBAC's escalation prevention: a user may write a Role or ClusterRole only with rules they already
// hold, and bind a role only if they hold its rules, unless they are system:masters, have the
// `escalate` verb on the role (or `bind` for a binding). pkg/registry/rbac/{role,clusterrole,rolebinding,
// clusterrolebinding}/policybased/storage.go, pkg/registry/rbac/escalation_check.go, and
// pkg/registry/rbac/validation (ConfirmNoEscalation, Covers in policy_comparator.go).
import { notFound, StatusError } from '../api/errors';
import { resourceByKind } from '../api/resources';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { authorize, isSuperuser, rbacOf, rulesFor, type PolicyRule, type UserInfo } from './authorizer';
import { breakdownRule, compactRules } from '../api/rbacrules';

const GROUP = 'rbac.authorization.k8s.io';


const has = (l: string[] | undefined, s: string) => (l ?? []).includes(s);
const hasAll = (l: string[] | undefined, want: string[] | undefined) => (want ?? []).every((w) => has(l, w));

function resourceCoversAll(set: string[] | undefined, covers: string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(set, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

const urlCovers = (owner: string, sub: string) => owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));

/** policy_comparator.go ruleCovers */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((p) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, p)));
  const names = sub.resourceNames?.length ? !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames) : !owner.resourceNames?.length;
  return verbs && groups && resources && names && urls;
}

/** Covers: the broken-down rules the owner's do not cover */
export function uncovered(owner: PolicyRule[], wanted: PolicyRule[]): PolicyRule[] {
  return wanted.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
}

const q = (l: string[]) => `[${l.map((s) => JSON.stringify(s)).join(' ')}]`;

/** evaluation_helpers.go CompactString: {APIGroups:[""], Resources:["pods"], Verbs:["get"]} */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** ConfirmNoEscalation: the message when the user does not hold every rule, else undefined */
function escalation(state: State, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const errors: string[] = [];
  const missing = uncovered(rulesFor(rbacOf(state), user, namespace, errors), rules);
  if (!missing.length) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  const msg = `user ${JSON.stringify(user.name)} (groups=${q(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  // the bindings of the user's that name missing roles, as %v of the []error
  return errors.length ? `${msg}; resolution errors: [${errors.join(' ')}]` : msg;
}

const forbiddenFor = (obj: KObject, why: string) => {
  const res = resourceByKind(obj.kind);
  return new StatusError('Forbidden', `${res.plural}.${GROUP} ${JSON.stringify(obj.metadata.name)} is forbidden: ${why}`);
};

/** The policy-based storage's check before a Role, ClusterRole or binding is written by `user`. */
export function confirmNoEscalation(state: State, user: UserInfo, obj: KObject): void {
  if (isSuperuser(user)) return;
  const ns = obj.kind === 'Role' || obj.kind === 'RoleBinding' ? (obj.metadata.namespace ?? '') : '';
  const src = rbacOf(state);
  const o = obj as KObject & { rules?: PolicyRule[]; aggregationRule?: unknown; roleRef?: { kind?: string; name?: string } };
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
    const resource = obj.kind === 'Role' ? 'roles' : 'clusterroles';
    if (authorize(src, user, { verb: 'escalate', apiGroup: GROUP, resource, namespace: ns || undefined, name: obj.metadata.name })) return;
    if (obj.kind === 'ClusterRole' && o.aggregationRule) {
      if (escalation(state, user, '', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }])) throw forbiddenFor(obj, 'must have cluster-admin privileges to use the aggregationRule');
      return;
    }
    const why = escalation(state, user, ns, o.rules ?? []);
    if (why) throw forbiddenFor(obj, why);
    return;
  }
  // a binding: `bind` on the role it names, or every rule of that role already held
  const ref = o.roleRef ?? {};
  const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
  if (authorize(src, user, { verb: 'bind', apiGroup: GROUP, resource: refResource, namespace: ns || undefined, name: ref.name })) return;
  const role = ref.kind === 'Role' ? src.role(ns, ref.name ?? '') : src.clusterRole(ref.name ?? '');
  if (!role) throw notFound(resourceByKind(ref.kind === 'Role' ? 'Role' : 'ClusterRole'), ref.name ?? '');
  const why = escalation(state, user, ns, ((role as { rules?: PolicyRule[] }).rules ?? []) as PolicyRule[]);
  if (why) throw forbiddenFor(obj, why);
}
