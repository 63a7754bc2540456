// Whether a node satisfies a pod's nodeSelector and required node affinity
// (k8s.io/component-helpers/scheduling/corev1/nodeaffinity: GetRequiredNodeAffinity(pod).Match,
// and nodeaffinity.go's NodeSelectorRequirementsAsSelector): both must hold; the affinity's terms
// are ORed, the requirements inside a term ANDed; a term with no requirements matches nothing.
import type { KObject } from './types';

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

interface Term {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

/** A label value as a Gt/Lt operand: strconv.ParseInt(v, 10, 64), else no match. */
function asInt(v: string | undefined): bigint | undefined {
  return v !== undefined && /^[+-]?\d+$/.test(v) ? BigInt(v) : undefined;
}

function matches(r: Requirement, has: boolean, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const [a, b] = [asInt(value), asInt(values[0])];
      if (!has || values.length !== 1 || a === undefined || b === undefined) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

function termMatches(term: Term, node: KObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels: Record<string, string> = node.metadata.labels ?? {};
  if (!exprs.every((r) => matches(r, Object.hasOwn(labels, r.key ?? ''), labels[r.key ?? '']))) return false;
  // metadata.name is the only field a term may select on
  return fields.every((r) => r.key === 'metadata.name' && matches(r, true, node.metadata.name));
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution both satisfied. */
export function matchesNodeSelectorAndAffinity(pod: KObject, node: KObject): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>)) if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  const terms: Term[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return !terms || terms.some((t) => termMatches(t, node));
}

/** A NodeSelector's terms (ORed) against a node: a PersistentVolume's required node affinity (CheckNodeAffinity). */
export function matchesNodeSelectorTerms(terms: unknown[], node: KObject): boolean {
  return (terms as Term[]).some((t) => termMatches(t, node));
}

/** The summed weights of the pod's preferredDuringScheduling terms the node matches (node_affinity.go Score). */
export function preferredNodeAffinityWeight(pod: KObject, node: KObject): number {
  const prefs: { weight?: number; preference?: Term }[] = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return prefs.reduce((sum, p) => sum + (p.preference && termMatches(p.preference, node) ? Number(p.weight ?? 0) : 0), 0);
}
