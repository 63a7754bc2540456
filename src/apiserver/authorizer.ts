// The RBAC authorizer: may this user do this request? Pure over the cluster's Roles, ClusterRoles,
// RoleBindings and ClusterRoleBindings, as the apiserver's authorizer chain decides it:
//   - the `system:masters` group is the superuser (pkg/kubeapiserver/authorizer/config.go puts the
//     privileged-group authorizer, authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup),
//     before RBAC), allowed everything without reading a rule;
//   - RBAC (plugin/pkg/auth/authorizer/rbac/rbac.go) visits the rules of every ClusterRoleBinding, then
//     of the RoleBindings of the request's namespace (pkg/registry/rbac/validation/rule.go
//     VisitRulesFor), and allows on the first rule that matches (RuleAllows with the helpers of
//     pkg/apis/rbac/v1/evaluation_helpers.go); otherwise there is no opinion, which ends in a deny
//     with no reason shown.
// A RoleBinding may grant a ClusterRole: its rules then apply within the binding's namespace only.
// Subjects: User by name, Group by membership, ServiceAccount as the user
// system:serviceaccount:<ns>:<name> (the binding's namespace when the subject names none).
import type { KObject } from '../api/types';
import { RESOURCES } from '../api/resources';
import type { State } from '../store/state';

/** user.Info (k8s.io/apiserver/pkg/authentication/user) */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** authorizer.Attributes: a resource request (resource set) or a non-resource one (nonResourceURL set). */
export interface Attributes {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  nonResourceURL?: string;
}

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** The RBAC objects the authorizer reads: the cluster's, or plain objects in tests. */
export interface RbacObjects {
  clusterRoleBindings(): KObject[];
  roleBindings(namespace: string): KObject[];
  role(namespace: string, name: string): KObject | undefined;
  clusterRole(name: string): KObject | undefined;
}

export const SYSTEM_MASTERS = 'system:masters';
export const AUTHENTICATED = 'system:authenticated';
const ALL = '*';

// pkg/apis/rbac/v1/evaluation_helpers.go
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/** `*`, the exact `resource` or `resource/sub`, and `*∕sub` for a subresource of any resource. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** `*`, the exact path, or a prefix ending in `*` (`/healthz/*`, `/api*`). */
export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === ALL || u === url) return true;
    if (u.endsWith('*') && url.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/** rbac.go RuleAllows */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.nonResourceURL === undefined) {
    const sub = attrs.subresource ?? '';
    const combined = sub ? `${attrs.resource}/${sub}` : attrs.resource ?? '';
    return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup ?? '') && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, attrs.name ?? '');
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.nonResourceURL);
}

/** rule.go appliesToUser; `namespace` is the binding's ('' for a ClusterRoleBinding). */
export function appliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return !!ns && user.name === `system:serviceaccount:${ns}:${subject.name}`;
    }
  }
  return false;
}

/**
 * The rules a binding's roleRef names (a Role in the binding's namespace, or a ClusterRole); a role
 * that does not exist grants nothing and is reported as the listers' NotFound (rule.go collects them).
 */
function rulesOfRef(src: RbacObjects, binding: KObject, namespace: string, errors?: string[]): PolicyRule[] {
  const ref = (binding as { roleRef?: { kind?: string; name?: string } }).roleRef;
  if (!ref?.name) return [];
  const role = ref.kind === 'Role' ? (namespace ? src.role(namespace, ref.name) : undefined) : ref.kind === 'ClusterRole' ? src.clusterRole(ref.name) : undefined;
  if (!role && (ref.kind === 'Role' || ref.kind === 'ClusterRole')) errors?.push(`${ref.kind.toLowerCase()}.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
  return ((role as { rules?: PolicyRule[] } | undefined)?.rules ?? []) as PolicyRule[];
}

const subjectsOf = (b: KObject): Subject[] => ((b as { subjects?: Subject[] }).subjects ?? []) as Subject[];

/**
 * rule.go VisitRulesFor: every rule granted to the user for a namespace ('' : cluster-wide only),
 * ClusterRoleBindings first. `visit` answers false to stop.
 */
export function visitRulesFor(src: RbacObjects, user: UserInfo, namespace: string, visit: (rule: PolicyRule, source: () => string) => boolean, errors?: string[]): void {
  for (const b of src.clusterRoleBindings()) {
    const subject = subjectsOf(b).find((s) => appliesTo(user, s, ''));
    if (!subject) continue;
    for (const r of rulesOfRef(src, b, '', errors)) if (!visit(r, () => describeSource(b, subject, ''))) return;
  }
  if (!namespace) return;
  for (const b of src.roleBindings(namespace)) {
    const subject = subjectsOf(b).find((s) => appliesTo(user, s, namespace));
    if (!subject) continue;
    for (const r of rulesOfRef(src, b, namespace, errors)) if (!visit(r, () => describeSource(b, subject, namespace))) return;
  }
}

/** rule.go clusterRoleBindingDescriber / roleBindingDescriber: where a rule came from, for RBAC's reasons. */
function describeSource(b: KObject, subject: Subject, namespace: string): string {
  const ref = (b as { roleRef?: { kind?: string; name?: string } }).roleRef ?? {};
  const who = subject.kind === 'ServiceAccount' ? `${subject.name}/${subject.namespace || namespace}` : subject.name;
  const binding = namespace ? `RoleBinding ${JSON.stringify(`${b.metadata.name}/${namespace}`)}` : `ClusterRoleBinding ${JSON.stringify(b.metadata.name)}`;
  return `${binding} of ${ref.kind ?? ''} ${JSON.stringify(ref.name ?? '')} to ${subject.kind} ${JSON.stringify(who)}`;
}

/**
 * The rules a user holds in a namespace (SelfSubjectRulesReview, ConfirmNoEscalation's owner rules);
 * `errors` collects the bound roles that are missing.
 */
export function rulesFor(src: RbacObjects, user: UserInfo, namespace: string, errors?: string[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  visitRulesFor(src, user, namespace, (r) => !!out.push(r), errors);
  return out;
}

export function isSuperuser(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}

/** The decision of the authorizer chain: system:masters, then RBAC. */
export function authorize(src: RbacObjects, user: UserInfo, attrs: Attributes): boolean {
  if (isSuperuser(user)) return true;
  let allowed = false;
  visitRulesFor(src, user, attrs.namespace ?? '', (r) => !(allowed = ruleAllows(attrs, r)));
  return allowed;
}

/**
 * The decision with the reason the review APIs report (rbac.go Authorize): the binding that allowed
 * it, or on a deny the bound roles that are missing ("RBAC: …"); system:masters gives none.
 */
export function decide(src: RbacObjects, user: UserInfo, attrs: Attributes): { allowed: boolean; reason: string } {
  if (isSuperuser(user)) return { allowed: true, reason: '' };
  let reason = '';
  const errors: string[] = [];
  visitRulesFor(src, user, attrs.namespace ?? '', (r, source) => (ruleAllows(attrs, r) ? ((reason = `RBAC: allowed by ${source()}`), false) : true), errors);
  if (reason) return { allowed: true, reason };
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
}

/** utilerrors.NewAggregate(…).Error(): one error as itself, several in brackets */
export const aggregate = (errors: string[]): string => (errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);

/**
 * The apiserver's Forbidden message (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go
 * forbiddenMessage, wrapped by apierrors.NewForbidden): `pods "web" is forbidden: User "jane" cannot get
 * resource "pods" in API group "" in the namespace "dev"`.
 */
export function forbiddenMessage(user: UserInfo, attrs: Attributes): string {
  if (attrs.nonResourceURL !== undefined) return `forbidden: User ${JSON.stringify(user.name)} cannot ${attrs.verb} path ${JSON.stringify(attrs.nonResourceURL)}`;
  const group = attrs.apiGroup ?? '';
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource ?? '';
  const where = attrs.namespace ? `in the namespace ${JSON.stringify(attrs.namespace)}` : 'at the cluster scope';
  const why = `User ${JSON.stringify(user.name)} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(group)} ${where}`;
  // schema.GroupResource.String(): "pods", "deployments.apps"
  const gr = group ? `${attrs.resource}.${group}` : attrs.resource ?? '';
  return attrs.name ? `${gr} ${JSON.stringify(attrs.name)} is forbidden: ${why}` : `${gr} is forbidden: ${why}`;
}

const has = (kind: string) => RESOURCES.some((r) => r.kind === kind);

/** The cluster's RBAC objects (none before their kinds are registered). */
export function rbacOf(state: State): RbacObjects {
  const registered = has('ClusterRoleBinding');
  return {
    clusterRoleBindings: () => (registered ? state.list('ClusterRoleBinding') : []),
    roleBindings: (ns) => (registered ? state.list('RoleBinding', ns) : []),
    role: (ns, name) => (registered ? state.get('Role', ns, name) : undefined),
    clusterRole: (name) => (registered ? state.get('ClusterRole', undefined, name) : undefined),
  };
}

/** Plain objects as the RBAC source (tests, and requests that carry their objects). */
export function rbacFrom(objects: KObject[]): RbacObjects {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    clusterRoleBindings: () => of('ClusterRoleBinding'),
    roleBindings: (ns) => of('RoleBinding').filter((o) => o.metadata.namespace === ns),
    role: (ns, name) => of('Role').find((o) => o.metadata.namespace === ns && o.metadata.name === name),
    clusterRole: (name) => of('ClusterRole').find((o) => o.metadata.name === name),
  };
}
