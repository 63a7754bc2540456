// The review APIs: SelfSubjectAccessReview, SelfSubjectRulesReview and (Local)SubjectAccessReview
// (authorization.k8s.io, pkg/registry/authorization/*) and SelfSubjectReview (authentication.k8s.io,
// pkg/registry/authentication/selfsubjectreview): what the requesting user (or another) may do, and
// who they are.
import { rfc3339 } from '../util/clock';
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { aggregate, decide, isSuperuser, rbacOf, rulesFor, type Attributes, type PolicyRule, type UserInfo } from './authorizer';
import { allowed, checkAccess, requestUser } from './requester';

const review = (resource: string, group: string): Attributes => ({ verb: 'create', apiGroup: group, resource });

export interface AccessStatus {
  allowed: boolean;
  /** the authorizer's reason: the binding that allows, or the missing roles behind a deny */
  reason?: string;
}

/** SelfSubjectAccessReview: is the request allowed, and why (SubjectAccessReviewStatus)? */
export function selfSubjectAccessReview(state: State, attrs: Attributes): AccessStatus {
  checkAccess(state, review('selfsubjectaccessreviews', 'authorization.k8s.io'));
  const yes = allowed(state, attrs);
  // the decision is the request path's (its superusers shortcut included); RBAC gives the reason
  const d = decide(rbacOf(state), requestUser(state), attrs);
  return { allowed: yes, ...(d.reason && d.allowed === yes ? { reason: d.reason } : {}) };
}

/** SubjectAccessReview (and LocalSubjectAccessReview): would the authorizer chain allow this user the request? */
export function subjectAccessReview(state: State, user: UserInfo, attrs: Attributes): AccessStatus {
  const d = decide(rbacOf(state), user, attrs);
  return { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) };
}

/**
 * SelfSubjectRulesReview: the rules the user holds in a namespace. The superuser authorizer answers
 * everything for system:masters; RBAC its rules that name resources, and those that name URLs.
 */
export function selfSubjectRulesReview(state: State, namespace: string): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[]; incomplete: boolean; evaluationError?: string } {
  checkAccess(state, review('selfsubjectrulesreviews', 'authorization.k8s.io'));
  const user = requestUser(state);
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  if (isSuperuser(user)) {
    resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
  }
  const errors: string[] = [];
  for (const r of rulesFor(rbacOf(state), user, namespace, errors)) {
    if (r.resources?.length) resourceRules.push({ verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources, ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) });
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs });
  }
  const evaluationError = errors.length ? aggregate(errors) : undefined;
  return { resourceRules, nonResourceRules, incomplete: errors.length > 0, ...(evaluationError ? { evaluationError } : {}) };
}

/** SelfSubjectReview: the user the request authenticated (and impersonated) as. */
export function selfSubjectReview(state: State): KObject {
  checkAccess(state, review('selfsubjectreviews', 'authentication.k8s.io'));
  const u = requestUser(state);
  const userInfo: Record<string, unknown> = {};
  if (u.extra && Object.keys(u.extra).length) userInfo.extra = u.extra;
  if (u.groups.length) userInfo.groups = u.groups;
  if (u.uid) userInfo.uid = u.uid;
  userInfo.username = u.name;
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: rfc3339() }, status: { userInfo } } as unknown as KObject;
}
