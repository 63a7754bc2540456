// The resources the apiserver serves without storing anything, beside the kinds (./resources.ts):
// the review APIs, create-only (kube-apiserver pkg/registry/authentication/{selfsubjectreview,
// tokenreview}, pkg/registry/authorization/*), and the resource metrics API metrics-server adds through
// the aggregator (get, list: sigs.k8s.io/metrics-server pkg/api). Discovery, api-resources and
// api-versions list them; `kubesim serve` answers them (src/server/reviews.ts, src/server/metrics.ts).
import type { Resource } from './resources';

const review = (group: string, kind: string, namespaced = false): Resource => ({
  kind,
  plural: `${kind.toLowerCase()}s`,
  singular: kind.toLowerCase(),
  shortNames: [],
  group,
  version: 'v1',
  namespaced,
  verbs: ['create'],
  file: '',
});

// metrics-server's APIResourceList names no singular (its discovery predates singularName)
const metrics = (plural: string, kind: string, namespaced: boolean): Resource => ({ kind, plural, singular: '', shortNames: [], group: 'metrics.k8s.io', version: 'v1beta1', namespaced, verbs: ['get', 'list'], file: '' });

export const UNSTORED: Resource[] = [
  review('authentication.k8s.io', 'SelfSubjectReview'),
  review('authentication.k8s.io', 'TokenReview'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview'),
  review('authorization.k8s.io', 'SubjectAccessReview'),
  metrics('nodes', 'NodeMetrics', false),
  metrics('pods', 'PodMetrics', true),
];

/** The unstored resource a name means (`selfsubjectreviews`, `pods.metrics.k8s.io`), as kubectl's RESTMapper finds it after the kinds. */
export function lookupUnstored(name: string): Resource | undefined {
  const n = name.toLowerCase();
  return UNSTORED.find((r) => [r.plural, r.singular, r.kind.toLowerCase()].some((x) => x && (n === x || n === `${x}.${r.group}` || n === `${x}.${r.version}.${r.group}`)));
}
