// The review APIs over HTTP (create only; kube-apiserver pkg/registry/authorization/*/rest.go and
// pkg/registry/authentication/{selfsubjectreview,tokenreview}/storage.go): POST a review, get it back
// with its status. The answers are src/apiserver/reviews.ts's, as `kubesim auth can-i` / `whoami`
// compute them; the request's user is its requester scope's (./auth.ts). Validation messages:
// pkg/apis/authorization/validation/validation.go.
import { invalid, invalidError, StatusError, type FieldError } from '../api/errors';
import type { Resource } from '../api/resources';
import { UNSTORED } from '../api/unstored';
import type { Attributes } from '../apiserver/authorizer';
import { authenticate, tokenUser } from '../apiserver/requester';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview, subjectAccessReview } from '../apiserver/reviews';
import { openRead } from '../apiserver/transaction';
import type { State } from '../store/state';
import { ADMIN_TOKEN } from './auth';
import { sendJSON, type RequestContext } from './context';
import { notFoundPath } from './http';
import { jsonBody } from './write';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** authorizationapi.ResourceAttributes / NonResourceAttributes → the authorizer's attributes. */
function attributesOf(spec: Obj): Attributes {
  const r = spec.resourceAttributes as Obj | undefined;
  if (r) {
    const a: Attributes = { verb: r.verb ?? '', apiGroup: r.group ?? '', resource: r.resource ?? '' };
    if (r.subresource) a.subresource = r.subresource;
    if (r.name) a.name = r.name;
    if (r.namespace) a.namespace = r.namespace;
    return a;
  }
  const n = (spec.nonResourceAttributes ?? {}) as Obj;
  return { verb: n.verb ?? '', nonResourceURL: n.path ?? '' };
}

/** ValidateSelfSubjectAccessReviewSpec / ValidateSubjectAccessReviewSpec */
function specErrors(spec: Obj, subject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) errs.push(invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (subject && !spec.user && !(spec.groups ?? []).length) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

const answer = (res: Resource, spec: Obj, status: Obj, metadata: Obj = { creationTimestamp: null }) => ({ kind: res.kind, apiVersion: `${res.group}/${res.version}`, metadata, spec, status });

/** TokenReview: who a bearer token authenticates as (the same authenticators as a request's: ./auth.ts). */
function tokenReview(state: State, spec: Obj): Obj {
  const token = String(spec.token ?? '');
  const u = token === ADMIN_TOKEN ? authenticate(state, { kind: 'admin' }) : tokenUser(state, token);
  if (typeof u !== 'object') return { user: {}, error: '[invalid bearer token, token lookup failed]' };
  const user: Obj = { username: u.name };
  if (u.uid) user.uid = u.uid;
  user.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length) user.extra = u.extra;
  return { authenticated: true, user, audiences: spec.audiences?.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'] };
}

export async function handle(ctx: RequestContext): Promise<void> {
  const s = ctx.segments;
  const group = s[1];
  // /apis/<group>/v1/<plural> or /apis/authorization.k8s.io/v1/namespaces/<ns>/localsubjectaccessreviews
  const namespace = s[3] === 'namespaces' ? s[4] : undefined;
  const plural = namespace !== undefined ? s[5] : s[3];
  const res = s[2] === 'v1' ? UNSTORED.find((r) => r.group === group && r.plural === plural) : undefined;
  if (!res || (namespace !== undefined) !== res.namespaced || s.length !== (namespace !== undefined ? 6 : 4)) throw notFoundPath();
  if (ctx.req.method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const body = ((await jsonBody(ctx)) ?? {}) as Obj;
  const spec = (body.spec ?? {}) as Obj;
  const state = openRead(ctx.store);
  const fail = (errs: FieldError[]) => {
    if (errs.length) throw invalidError(res, '', errs);
  };
  switch (res.kind) {
    case 'SelfSubjectReview':
      return sendJSON(ctx, 201, selfSubjectReview(state));
    case 'TokenReview':
      return sendJSON(ctx, 201, answer(res, spec, tokenReview(state, spec)));
    case 'SelfSubjectRulesReview':
      return sendJSON(ctx, 201, answer(res, spec, selfSubjectRulesReview(state, String(spec.namespace ?? ''))));
    case 'SelfSubjectAccessReview': {
      fail(specErrors(spec, false));
      return sendJSON(ctx, 201, answer(res, spec, selfSubjectAccessReview(state, attributesOf(spec))));
    }
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const errs = specErrors(spec, true);
      if (namespace !== undefined) {
        // ValidateLocalSubjectAccessReview: the review asks about its own namespace only
        const asked = spec.resourceAttributes?.namespace ?? '';
        if (spec.resourceAttributes && asked !== namespace) errs.push(invalid('spec.resourceAttributes.namespace', asked, 'must match metadata.namespace'));
        if (spec.nonResourceAttributes) errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
      }
      fail(errs);
      const user = String(spec.user ?? '');
      // exactly the user and groups the review names (a ServiceAccount's groups are not added)
      const info = { name: user, groups: (spec.groups ?? []) as string[], ...(spec.uid ? { uid: String(spec.uid) } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
      const metadata = namespace !== undefined ? { namespace, creationTimestamp: null } : undefined;
      return sendJSON(ctx, 201, answer(res, spec, subjectAccessReview(state, info, attributesOf(spec)), metadata));
    }
  }
  throw notFoundPath();
}
