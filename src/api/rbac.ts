// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding: the defaults of
// pkg/apis/rbac/v1/defaults.go, the rules of pkg/apis/rbac/validation/validation.go, and what the
// table printers (pkg/printers/internalversion/printers.go printRoleBinding) and the describers show
// of a binding's subjects (pkg/apis/rbac/helpers.go SubjectsStrings).
import { GoSyntax, invalid, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, type NameValidator } from './validation';
import { validateLabelSelector } from './policy';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export const GROUP = 'rbac.authorization.k8s.io';

/** ValidateRBACName: path.IsValidPathSegmentName. */
export const rbacName: NameValidator = (name, prefix) => {
  const errs: string[] = [];
  if (!prefix && (name === '.' || name === '..')) errs.push(`may not be '${name}'`);
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
};

/** SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding and SetDefaults_Subject. */
export function defaultBinding(obj: KObject): void {
  if (obj.roleRef && typeof obj.roleRef === 'object' && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = GROUP;
  for (const s of Array.isArray(obj.subjects) ? (obj.subjects as Obj[]) : []) {
    if (s && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = GROUP;
  }
}

const goStrings = (v: unknown[]) => new GoSyntax(`[]string{${v.map((x) => JSON.stringify(String(x))).join(', ')}}`);

/** ValidatePolicyRule */
function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const len = (k: string) => (Array.isArray(rule[k]) ? rule[k].length : 0);
  if (len('verbs') === 0) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (len('nonResourceURLs') > 0) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, goStrings(rule.nonResourceURLs), 'namespaced rules cannot apply to non-resource URLs'));
    if (len('apiGroups') > 0 || len('resources') > 0 || len('resourceNames') > 0) {
      errs.push(invalid(`${path}.nonResourceURLs`, goStrings(rule.nonResourceURLs), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (len('apiGroups') === 0) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (len('resources') === 0) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

const rulesOf = (o: KObject): Obj[] => (Array.isArray(o.rules) ? o.rules : []);

/** ValidateRole (and ValidateRoleUpdate: the same plus the ObjectMeta update rules) */
export function validateRole(o: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(o, true, rbacName);
  rulesOf(o).forEach((r, i) => errs.push(...validatePolicyRule(r ?? {}, true, `rules[${i}]`)));
  if (old) errs.push(...validateObjectMetaUpdate(o, old));
  return errs;
}

/** ValidateClusterRole (and its update) */
export function validateClusterRole(o: KObject, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(o, false, rbacName);
  rulesOf(o).forEach((r, i) => errs.push(...validatePolicyRule(r ?? {}, false, `rules[${i}]`)));
  const agg = o.aggregationRule;
  if (agg) {
    const sels: Obj[] = Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [];
    if (sels.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    sels.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  if (old) errs.push(...validateObjectMetaUpdate(o, old));
  return errs;
}

/** ValidateRoleBindingSubject */
function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(s.name ?? '');
  const apiGroup = String(s.apiGroup ?? '');
  if (!name) errs.push(required(`${path}.name`, ''));
  switch (s.kind) {
    case 'ServiceAccount':
      // ValidateServiceAccountName: a DNS subdomain
      if (name) for (const m of nameIsDNSSubdomain(name, false)) errs.push(invalid(`${path}.name`, name, m));
      if (apiGroup) errs.push(unsupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(`${path}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== GROUP) errs.push(unsupported(`${path}.apiGroup`, apiGroup, [GROUP]));
      break;
    default:
      errs.push(unsupported(`${path}.kind`, String(s.kind ?? ''), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** the internal rbac.RoleRef as %#v prints it (ValidateRoleBindingUpdate's value) */
const roleRefGo = (r: Obj) => new GoSyntax(`rbac.RoleRef{APIGroup:${JSON.stringify(String(r?.apiGroup ?? ''))}, Kind:${JSON.stringify(String(r?.kind ?? ''))}, Name:${JSON.stringify(String(r?.name ?? ''))}}`);

/** ValidateRoleBinding / ValidateClusterRoleBinding and their updates (roleRef cannot change) */
export function validateBinding(o: KObject, old?: KObject): FieldError[] {
  const namespaced = o.kind === 'RoleBinding';
  const errs = validateObjectMeta(o, namespaced, rbacName);
  const ref: Obj = o.roleRef ?? {};
  const apiGroup = String(ref.apiGroup ?? '');
  if (apiGroup !== GROUP) errs.push(unsupported('roleRef.apiGroup', apiGroup, [GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(unsupported('roleRef.kind', String(ref.kind ?? ''), kinds));
  const name = String(ref.name ?? '');
  if (!name) errs.push(required('roleRef.name', ''));
  else for (const m of rbacName(name, false)) errs.push(invalid('roleRef.name', name, m));
  (Array.isArray(o.subjects) ? (o.subjects as Obj[]) : []).forEach((s, i) => errs.push(...validateSubject(s ?? {}, namespaced, `subjects[${i}]`)));
  if (old) {
    errs.push(...validateObjectMetaUpdate(o, old));
    const a: Obj = old.roleRef ?? {};
    if ((a.apiGroup ?? '') !== apiGroup || (a.kind ?? '') !== (ref.kind ?? '') || (a.name ?? '') !== name) errs.push(invalid('roleRef', roleRefGo(ref), 'cannot change roleRef'));
  }
  return errs;
}

/** rbac.SubjectsStrings: users, groups, service accounts (`ns/name`), others (`Kind/name`). */
export function subjectsStrings(subjects: unknown): { users: string[]; groups: string[]; sas: string[]; others: string[] } {
  const out = { users: [] as string[], groups: [] as string[], sas: [] as string[], others: [] as string[] };
  for (const s of Array.isArray(subjects) ? (subjects as Obj[]) : []) {
    switch (s?.kind) {
      case 'ServiceAccount':
        out.sas.push(s.namespace ? `${s.namespace}/${s.name}` : String(s.name ?? ''));
        break;
      case 'User':
        out.users.push(String(s.name ?? ''));
        break;
      case 'Group':
        out.groups.push(String(s.name ?? ''));
        break;
      default:
        out.others.push(`${s?.kind}/${s?.name}`);
    }
  }
  return out;
}
