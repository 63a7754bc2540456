// The objects of `create role | clusterrole | rolebinding | clusterrolebinding` as kubectl builds them
// (kubectl pkg/cmd/create/create_role.go, create_clusterrole.go, create_rolebinding.go,
// create_clusterrolebinding.go), their fields in Go struct order (what -o json shows). The checks
// of each command's Complete and Validate, in their order, with kubectl's messages.
import { CliError } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const GROUP = 'rbac.authorization.k8s.io';
const API_VERSION = `${GROUP}/v1`;

const VALID_RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
/** specialVerbs: the verbs that only apply to some resources (group/resource) */
const SPECIAL_VERBS: Record<string, string[]> = {
  use: ['policy/podsecuritypolicies', 'extensions/podsecuritypolicies'],
  bind: [`${GROUP}/roles`, `${GROUP}/clusterroles`],
  escalate: [`${GROUP}/roles`, `${GROUP}/clusterroles`],
  impersonate: ['/users', '/serviceaccounts', '/groups', 'authentication.k8s.io/userextras'],
};

const fail = (msg: string) => new CliError(`error: ${msg}`, true);
const unique = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) === i);

interface ResourceOption {
  group: string;
  resource: string;
  subResource: string;
}

export interface RoleArgs {
  name: string;
  verbs: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs?: string[];
  aggregationRule?: Record<string, string>;
  namespace?: string;
}

/**
 * The RESTMapper's ResourceFor over the served resources: a plural, singular or short name (in the
 * given group, if any) to its plural and group; undefined where discovery has no match.
 */
function resourceFor(r: ResourceOption): { group: string; resource: string } | undefined {
  const res = lookupResource(r.group ? `${r.resource}.${r.group}` : r.resource);
  if (!res || (r.group && res.group !== r.group)) return undefined;
  return { group: res.group, resource: res.plural };
}

/** the mapper's NoResourceMatchError for a partial resource, as kubectl's CheckErr words it */
const noMatch = (r: ResourceOption) => new CliError(`the server doesn't have a resource type "${r.resource}"${r.group ? ` in group "${r.group}"` : ''}`, true);

/** Complete: verbs without duplicates (`*` alone), `resource.group/subresource` parsed (`*` alone). */
function complete(a: RoleArgs): { verbs: string[]; resources: ResourceOption[]; resourceNames: string[] } {
  let verbs: string[] = [];
  for (const v of a.verbs) {
    if (v === '*') {
      verbs = ['*'];
      break;
    }
    if (!verbs.includes(v)) verbs.push(v);
  }
  let resources: ResourceOption[] = [];
  for (const r of a.resources) {
    const slash = r.indexOf('/');
    const sections = slash < 0 ? [r] : [r.slice(0, slash), r.slice(slash + 1)];
    const dot = sections[0].indexOf('.');
    const parts = dot < 0 ? [sections[0]] : [sections[0].slice(0, dot), sections[0].slice(dot + 1)];
    const opt = { resource: parts[0], group: parts[1] ?? '', subResource: sections[1] ?? '' };
    if (opt.resource === '*' && parts.length === 1 && sections.length === 1) {
      resources = [opt];
      break;
    }
    resources.push(opt);
  }
  return { verbs, resources, resourceNames: unique(a.resourceNames) };
}

/** validateResource; returns the warnings Validate writes for non-standard verbs first. */
function validateResources(verbs: string[], resources: ResourceOption[]): void {
  for (const r of resources) {
    if (!r.resource) throw fail('resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = resourceFor(r);
    const gr = mapped ?? { group: r.group, resource: r.resource };
    let matched = false;
    for (const v of verbs) {
      const allowed = Object.hasOwn(SPECIAL_VERBS, v) ? SPECIAL_VERBS[v] : undefined;
      if (!allowed) continue;
      if (!allowed.includes(`${gr.group}/${gr.resource}`)) throw fail(`can not perform '${v}' on '${gr.resource}' in group '${gr.group}'`);
      matched = true;
    }
    if (!mapped && !matched) throw noMatch(r);
  }
}

/** generateResourcePolicyRules: one rule per API group (groups sorted), then the non-resource URLs. */
function policyRules(verbs: string[], resources: ResourceOption[], resourceNames: string[], nonResourceURLs: string[]): Obj[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const gr = resourceFor(r) ?? { group: r.group, resource: r.resource };
    const name = r.subResource ? `${gr.resource}/${r.subResource}` : gr.resource;
    const list = byGroup.get(gr.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(gr.group, list);
  }
  const rules: Obj[] = [...byGroup.keys()].sort().map((g) => ({ verbs, apiGroups: [g], resources: byGroup.get(g), ...(resourceNames.length ? { resourceNames } : {}) }));
  if (nonResourceURLs.length) rules.push({ verbs, nonResourceURLs });
  return rules;
}

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), creationTimestamp: null });

/** create role: the Role and the warnings Validate prints (non-standard verbs). */
export function roleFor(a: RoleArgs): { obj: KObject; warnings: string } {
  const { verbs, resources, resourceNames } = complete(a);
  if (verbs.length === 0) throw fail('at least one verb must be specified');
  const warnings = verbs.filter((v) => !VALID_RESOURCE_VERBS.includes(v)).map((v) => `Warning: '${v}' is not a standard resource verb\n`).join('');
  if (resources.length === 0) throw Object.assign(fail('at least one resource must be specified'), { warnings });
  try {
    validateResources(verbs, resources);
  } catch (e) {
    throw Object.assign(e as Error, { warnings });
  }
  return { obj: { kind: 'Role', apiVersion: API_VERSION, metadata: meta(a.name, a.namespace), rules: policyRules(verbs, resources, resourceNames, []) } as unknown as KObject, warnings };
}

/** create clusterrole: an aggregation rule alone, or rules as for a role plus non-resource URLs. */
export function clusterRoleFor(a: RoleArgs): { obj: KObject; warnings: string } {
  const nonResourceURLs = unique(a.nonResourceURLs ?? []);
  const { verbs, resources, resourceNames } = complete(a);
  const agg = a.aggregationRule ?? {};
  const obj = (rules: Obj[] | null, aggregationRule?: Obj): KObject => ({ kind: 'ClusterRole', apiVersion: API_VERSION, metadata: meta(a.name), rules, ...(aggregationRule ? { aggregationRule } : {}) }) as unknown as KObject;
  if (Object.keys(agg).length) {
    if (nonResourceURLs.length || verbs.length || resources.length || resourceNames.length) throw fail('aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
    return { obj: obj(null, { clusterRoleSelectors: [{ matchLabels: agg }] }), warnings: '' };
  }
  if (verbs.length === 0) throw fail('at least one verb must be specified');
  if (resources.length === 0 && nonResourceURLs.length === 0) throw fail('one of resource or nonResourceURL must be specified');
  let warnings = '';
  try {
    if (resources.length) {
      warnings = verbs.filter((v) => !VALID_RESOURCE_VERBS.includes(v)).map((v) => `Warning: '${v}' is not a standard resource verb\n`).join('');
      validateResources(verbs, resources);
    }
    if (nonResourceURLs.length) {
      for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw fail(`invalid verb: '${v}' for nonResourceURL`);
      for (const u of nonResourceURLs) {
        if (u === '*') continue;
        if (!u.startsWith('/')) throw fail('nonResourceURL should start with /');
        if (u.slice(0, -1).includes('*')) throw fail("nonResourceURL only supports wildcard matches when '*' is at the end");
      }
    }
  } catch (e) {
    throw Object.assign(e as Error, { warnings });
  }
  return { obj: obj(policyRules(verbs, resources, resourceNames, nonResourceURLs)), warnings };
}

export interface BindingArgs {
  name: string;
  role?: string;
  clusterRole?: string;
  users: string[];
  groups: string[];
  serviceAccounts: string[];
  namespace?: string;
}

/** The subjects in kubectl's order: users, groups, then service accounts (`namespace:name`). */
function subjects(a: BindingArgs): Obj[] | undefined {
  const out: Obj[] = [];
  for (const name of a.users) out.push({ kind: 'User', apiGroup: GROUP, name });
  for (const name of a.groups) out.push({ kind: 'Group', apiGroup: GROUP, name });
  for (const sa of a.serviceAccounts) {
    const t = sa.split(':');
    if (t.length !== 2 || !t[0] || !t[1]) throw fail('serviceaccount must be <namespace>:<name>');
    out.push({ kind: 'ServiceAccount', name: t[1], namespace: t[0] });
  }
  return out.length ? out : undefined;
}

/** create rolebinding: exactly one of --role and --clusterrole. */
export function roleBindingFor(a: BindingArgs): KObject {
  if (!a.clusterRole === !a.role) throw fail('exactly one of clusterrole or role must be specified');
  const roleRef = a.role ? { apiGroup: GROUP, kind: 'Role', name: a.role } : { apiGroup: GROUP, kind: 'ClusterRole', name: a.clusterRole };
  const subs = subjects(a);
  return { kind: 'RoleBinding', apiVersion: API_VERSION, metadata: meta(a.name, a.namespace), ...(subs ? { subjects: subs } : {}), roleRef } as unknown as KObject;
}

/** create clusterrolebinding (--clusterrole is a required flag, checked by the command) */
export function clusterRoleBindingFor(a: BindingArgs): KObject {
  const subs = subjects(a);
  return { kind: 'ClusterRoleBinding', apiVersion: API_VERSION, metadata: meta(a.name), ...(subs ? { subjects: subs } : {}), roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: a.clusterRole } } as unknown as KObject;
}
