// Deployments and ReplicaSets (apps/v1): SetDefaults_Deployment / SetDefaults_ReplicaSet and the
// parts of ValidateDeployment / ValidateReplicaSet a lab meets (pkg/apis/apps/validation).
import { defaultPodTemplateSpec } from './defaults';
import { forbidden, GoSyntax, invalid, required, type FieldError } from './errors';
import { selectorMatches } from './labels';
import type { KObject } from './types';
import { isDNS1123Subdomain, validateLabels, validateObjectMeta, validatePodSpec } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function defaultTemplate(spec: Obj): void {
  if (!spec.template || typeof spec.template !== 'object') return;
  spec.template.metadata = { creationTimestamp: null, ...(spec.template.metadata ?? {}) };
  if (spec.template.spec && typeof spec.template.spec === 'object') defaultPodTemplateSpec(spec.template.spec);
}

export function defaultDeployment(d: KObject): void {
  const spec: Obj = (d.spec ??= {});
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  spec.strategy ??= {};
  if (!spec.strategy.type) spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec);
}

export function defaultReplicaSet(rs: KObject): void {
  const spec: Obj = (rs.spec ??= {});
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  defaultTemplate(spec);
}

// selectorMatches lives with the other label predicates; re-exported for its many importers
export { selectorMatches };

function validateWorkloadSpec(o: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: Obj = o.spec ?? {};
  if (typeof spec.replicas === 'number' && spec.replicas < 0) errs.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const sel = spec.selector;
  const empty = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
  if (!sel) errs.push(required('spec.selector'));
  else if (empty) errs.push(invalid('spec.selector', 'null', 'empty selector is invalid for deployment'));
  else errs.push(...validateLabels(sel.matchLabels ?? {}, 'spec.selector.matchLabels'));
  const tmplLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (!spec.template) errs.push(required('spec.template'));
  else {
    errs.push(...validateLabels(tmplLabels, 'spec.template.metadata.labels'));
    // values print as JSON, as the 1.3x apiserver writes them (older ones printed Go's map syntax)
    if (sel && !empty && !selectorMatches(sel, tmplLabels)) errs.push(invalid('spec.template.metadata.labels', tmplLabels, '`selector` does not match template `labels`'));
    if (spec.template.spec) errs.push(...validatePodSpec(spec.template.spec, 'spec.template.spec'));
    const rp = spec.template.spec?.restartPolicy;
    if (rp && rp !== 'Always') errs.push({ type: 'Unsupported value', field: 'spec.template.spec.restartPolicy', value: rp, detail: 'supported values: "Always"' });
  }
  if (old && JSON.stringify(old.spec?.selector ?? null) !== JSON.stringify(sel ?? null)) errs.push(invalid('spec.selector', sel, 'field is immutable'));
  return errs;
}

/**
 * ValidateDeploymentStrategy (pkg/apis/apps/validation): an unknown type is reported on the whole
 * strategy, printed as the internal struct (%#v; a rollingUpdate pointer prints as an address).
 */
function validateStrategy(strategy: Obj | undefined): FieldError[] {
  const type = strategy?.type;
  const ru = strategy?.rollingUpdate;
  if (type === 'Recreate') return ru ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : [];
  if (type === 'RollingUpdate') return ru ? [] : [required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
  const pointer = ru ? '(0xc0004f2a80)' : '(nil)';
  const value = new GoSyntax(`apps.DeploymentStrategy{Type:${JSON.stringify(String(type ?? ''))}, RollingUpdate:(*apps.RollingUpdateDeployment)${pointer}}`);
  return [{ type: 'Unsupported value', field: 'spec.strategy', value, detail: 'supported values: "Recreate", "RollingUpdate"' }];
}

export function validateDeployment(d: KObject, old?: KObject): FieldError[] {
  return [...validateObjectMeta(d, true, isDNS1123Subdomain), ...validateWorkloadSpec(d, old), ...validateStrategy(d.spec?.strategy)];
}

export function validateReplicaSet(rs: KObject, old?: KObject): FieldError[] {
  return [...validateObjectMeta(rs, true, isDNS1123Subdomain), ...validateWorkloadSpec(rs, old)];
}

