// Where objects name other objects (kustomize's nameReference field specs, api/konfig/builtinpluginconsts/
// namereference.go, for the kinds kubesim serves) and where pod templates and selectors are
// (commonlabels.go, commonannotations.go, images.go, replicas.go).
import { isMap, type Json } from './resource';

/** The pod specs of an object: a Pod's own, a workload's template, a CronJob's job template. */
export function podSpecs(o: Json): Json[] {
  const spec = isMap(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  switch (o.kind) {
    case 'Pod':
      return [spec];
    case 'CronJob': {
      const jt = spec.jobTemplate;
      const t = isMap(jt) && isMap(jt.spec) && isMap(jt.spec.template) ? jt.spec.template : undefined;
      return t && isMap(t.spec) ? [t.spec] : [];
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
    case 'ReplicationController':
    case 'PodTemplate':
      return isMap(spec.template) && isMap(spec.template.spec) ? [spec.template.spec] : [];
    default:
      return [];
  }
}

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isMap) : []);
const at = (o: unknown, ...path: string[]): Json | undefined => {
  let cur: unknown = o;
  for (const p of path) cur = isMap(cur) ? cur[p] : undefined;
  return isMap(cur) ? cur : undefined;
};

export function containersOf(ps: Json): Json[] {
  return [...list(ps.initContainers), ...list(ps.containers), ...list(ps.ephemeralContainers)];
}

/** A reference: the map holding it, its key, and the kind it names. */
export interface Ref {
  holder: Json;
  key: string;
  kind: string;
}

export function refsOf(o: Json): Ref[] {
  const out: Ref[] = [];
  const add = (holder: Json | undefined, key: string, kind: string) => {
    if (holder && typeof holder[key] === 'string') out.push({ holder, key, kind });
  };
  for (const ps of podSpecs(o)) {
    add(ps, 'serviceAccountName', 'ServiceAccount');
    add(ps, 'priorityClassName', 'PriorityClass');
    for (const s of list(ps.imagePullSecrets)) add(s, 'name', 'Secret');
    for (const v of list(ps.volumes)) {
      add(at(v, 'configMap'), 'name', 'ConfigMap');
      add(at(v, 'secret'), 'secretName', 'Secret');
      add(at(v, 'persistentVolumeClaim'), 'claimName', 'PersistentVolumeClaim');
      for (const src of list(at(v, 'projected')?.sources)) {
        add(at(src, 'configMap'), 'name', 'ConfigMap');
        add(at(src, 'secret'), 'name', 'Secret');
      }
    }
    for (const c of containersOf(ps)) {
      for (const e of list(c.env)) {
        add(at(e, 'valueFrom', 'configMapKeyRef'), 'name', 'ConfigMap');
        add(at(e, 'valueFrom', 'secretKeyRef'), 'name', 'Secret');
      }
      for (const e of list(c.envFrom)) {
        add(at(e, 'configMapRef'), 'name', 'ConfigMap');
        add(at(e, 'secretRef'), 'name', 'Secret');
      }
    }
  }
  const spec = at(o, 'spec');
  switch (o.kind) {
    case 'StatefulSet':
      add(spec, 'serviceName', 'Service');
      break;
    case 'Ingress':
      add(at(spec, 'defaultBackend', 'service'), 'name', 'Service');
      for (const r of list(spec?.rules)) for (const p of list(at(r, 'http')?.paths)) add(at(p, 'backend', 'service'), 'name', 'Service');
      for (const t of list(spec?.tls)) add(t, 'secretName', 'Secret');
      break;
    case 'HorizontalPodAutoscaler': {
      const t = at(spec, 'scaleTargetRef');
      if (t && typeof t.kind === 'string') add(t, 'name', t.kind);
      break;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const r = at(o, 'roleRef');
      if (r && typeof r.kind === 'string') add(r, 'name', r.kind);
      for (const s of list(o.subjects)) if (s.kind === 'ServiceAccount') add(s, 'name', 'ServiceAccount');
      break;
    }
    case 'ServiceAccount':
      for (const s of list(o.secrets)) add(s, 'name', 'Secret');
      for (const s of list(o.imagePullSecrets)) add(s, 'name', 'Secret');
      break;
  }
  return out;
}

/**
 * The label maps commonLabels (and labels with includeSelectors) set, besides metadata.labels:
 * [path, create] per commonlabels.go. `templates` are the ones includeTemplates adds alone.
 */
export function selectorPaths(kind: string): { selectors: [string[], boolean][]; templates: [string[], boolean][] } {
  const tpl: [string[], boolean] = [['spec', 'template', 'metadata', 'labels'], true];
  switch (kind) {
    case 'Service':
      return { selectors: [[['spec', 'selector'], true]], templates: [] };
    case 'ReplicationController':
      return { selectors: [[['spec', 'selector'], true]], templates: [tpl] };
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      return { selectors: [[['spec', 'selector', 'matchLabels'], true]], templates: [tpl] };
    case 'StatefulSet':
      return { selectors: [[['spec', 'selector', 'matchLabels'], true]], templates: [tpl] };
    case 'Job':
      return { selectors: [[['spec', 'selector', 'matchLabels'], false]], templates: [tpl] };
    case 'CronJob':
      return {
        selectors: [[['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], false]],
        templates: [
          [['spec', 'jobTemplate', 'metadata', 'labels'], true],
          [['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], true],
        ],
      };
    case 'PodDisruptionBudget':
      return { selectors: [[['spec', 'selector', 'matchLabels'], false]], templates: [] };
    case 'NetworkPolicy':
      return { selectors: [[['spec', 'podSelector', 'matchLabels'], false]], templates: [] };
    default:
      return { selectors: [], templates: [] };
  }
}

/** The annotation maps commonAnnotations sets besides metadata.annotations (commonannotations.go). */
export function templateAnnotationPaths(kind: string): string[][] {
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
    case 'ReplicationController':
      return [['spec', 'template', 'metadata', 'annotations']];
    case 'CronJob':
      return [
        ['spec', 'jobTemplate', 'metadata', 'annotations'],
        ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'],
      ];
    default:
      return [];
  }
}

/** Merges `values` into the map at `path` (creating it when `create`); false when absent and not created. */
export function mergeAt(o: Json, path: string[], values: Record<string, string>, create: boolean): void {
  let cur: Json = o;
  for (const p of path) {
    if (!isMap(cur[p])) {
      if (!create) return;
      cur[p] = {};
    }
    cur = cur[p] as Json;
  }
  Object.assign(cur, values);
}
