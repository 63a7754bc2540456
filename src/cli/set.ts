// kubectl set image | env | resources | serviceaccount | selector (pkg/cmd/set in kubernetes/kubectl):
// each changes a pod template (polymorphichelpers.UpdatePodSpecForObject) or a Service's selector,
// locally (--local -f, --dry-run=client: the typed object kubectl prints) or through the API.
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { qualifiedSingular, resourceForKind } from '../api/resources';
import type { KObject } from '../api/types';
import { formatQuantity, parseQuantity } from '../api/quantity';
import { elemOf, goCompare, patchMeta, schemaOf, type GoType } from '../api/decode';
import { clone } from '../util/compare';
import type { ApiClient } from '../apiserver/client';
import { mutateApi, namespaceOf, type GlobalOptions } from './context';
import { existingManifests } from './resource/files';
import { inOrder, type OutputPart, type Outcome } from './outcome';
import { dryRunStrategy, dryRunSuffix, objectPrinter } from './printflags';
import { select, visit } from './resource/builder';
import { changeCause, recordChangeCause, recordOption, RECORD_WARNING } from './record';
import { AS_PATCH } from '../apiserver/client';

type PodSpec = { containers?: Container[]; initContainers?: Container[]; serviceAccountName?: string; [k: string]: unknown };
type Container = { name: string; image?: string; env?: EnvVar[]; resources?: { limits?: Record<string, string>; requests?: Record<string, string> }; [k: string]: unknown };
type EnvVar = { name: string; value?: string; valueFrom?: Record<string, Record<string, string>> };

interface SetFlags {
  filename?: string[];
  selector?: string;
  all?: boolean;
  local?: boolean;
  output?: string;
  dryRun?: string | boolean;
  containers?: string;
  record?: boolean;
  /** the change-cause --record writes */
  cause?: string;
}

/** polymorphichelpers.UpdatePodSpecForObject: the pod spec a kind carries, undefined if none. */
function podSpecOf(obj: KObject): PodSpec | undefined {
  switch (obj.kind) {
    case 'Pod':
      return (obj.spec ??= {});
    case 'ReplicationController':
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job':
      obj.spec ??= {};
      obj.spec.template ??= {};
      return (obj.spec.template.spec ??= {});
    case 'CronJob':
      obj.spec ??= {};
      obj.spec.jobTemplate ??= {};
      obj.spec.jobTemplate.spec ??= {};
      obj.spec.jobTemplate.spec.template ??= {};
      return (obj.spec.jobTemplate.spec.template.spec ??= {});
    default:
      return undefined;
  }
}

/** The "not a pod template" error, with Go's %T of the typed object. */
function noTemplate(obj: KObject): string {
  return `the object is not a pod or does not have a pod template: *v1.${obj.kind}`;
}

const objectName = (obj: KObject): string => {
  const res = resourceForKind(obj.apiVersion, obj.kind);
  return `${res ? qualifiedSingular(res) : obj.kind.toLowerCase()}/${obj.metadata.name}`;
};

/**
 * What kubectl prints for a local object: the typed Go object marshalled, so struct fields without
 * omitempty appear as zero values (ObjectMeta.creationTimestamp, Container.resources, status …).
 */
function typedView(obj: KObject): KObject {
  const o = clone(obj);
  const meta = (m: Record<string, unknown> | undefined) => ({ ...(m ?? {}), creationTimestamp: (m?.creationTimestamp as unknown) ?? null });
  const pod = (s: PodSpec | undefined) => {
    for (const c of [...(s?.initContainers ?? []), ...(s?.containers ?? [])]) c.resources ??= {};
  };
  const template = (t: { metadata?: Record<string, unknown>; spec?: PodSpec }) => {
    t.metadata = meta(t.metadata);
    pod(t.spec);
  };
  o.metadata = meta(o.metadata) as KObject['metadata'];
  const spec = o.spec ?? {};
  switch (o.kind) {
    case 'Pod':
      pod(spec);
      o.status ??= {};
      break;
    case 'Deployment':
      spec.template ??= {};
      template(spec.template);
      spec.strategy ??= {};
      o.status ??= {};
      break;
    case 'ReplicaSet':
    case 'ReplicationController':
      spec.template ??= {};
      template(spec.template);
      o.status ??= { replicas: 0 };
      o.status.replicas ??= 0;
      break;
    case 'DaemonSet':
      spec.template ??= {};
      template(spec.template);
      spec.updateStrategy ??= {};
      o.status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, ...(o.status ?? {}) };
      break;
    case 'StatefulSet':
      spec.template ??= {};
      template(spec.template);
      spec.updateStrategy ??= {};
      o.status = { availableReplicas: 0, replicas: 0, ...(o.status ?? {}) };
      break;
    case 'Job':
      spec.template ??= {};
      template(spec.template);
      o.status ??= {};
      break;
    case 'CronJob':
      spec.jobTemplate ??= {};
      spec.jobTemplate.metadata = meta(spec.jobTemplate.metadata);
      spec.jobTemplate.spec ??= {};
      spec.jobTemplate.spec.template ??= {};
      template(spec.jobTemplate.spec.template);
      o.status ??= {};
      break;
    case 'Service':
      for (const p of spec.ports ?? []) p.targetPort ??= 0;
      o.status ??= { loadBalancer: {} };
      break;
  }
  if (o.spec) o.spec = spec;
  return o;
}

/**
 * json.Marshal of the typed object: struct fields in the Go struct's order (the generated schema
 * keeps it), map keys sorted; fields the schema does not know follow, sorted.
 */
function goOrdered(v: unknown, t: GoType | undefined): unknown {
  if (Array.isArray(v)) return v.map((x) => goOrdered(x, elemOf(t)));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (t?.k === 'struct') {
    for (const k of Object.keys(t.f)) if (Object.hasOwn(o, k)) out[k] = goOrdered(o[k], patchMeta(t, k).type);
    for (const k of Object.keys(o).filter((x) => !Object.hasOwn(t.f, x)).sort(goCompare)) out[k] = goOrdered(o[k], undefined);
    return out;
  }
  for (const k of Object.keys(o).sort(goCompare)) out[k] = goOrdered(o[k], elemOf(t));
  return out;
}

const typedJSON = (obj: KObject): string => JSON.stringify(goOrdered(obj, schemaOf(obj.kind, obj.apiVersion)), null, 4) + '\n';

/** A mutation of one object: the changed copy, or undefined when nothing changed. */
type Mutation = (obj: KObject, parts: OutputPart[]) => KObject | undefined;

interface RunSpec {
  args: string[];
  flags: SetFlags;
  /** kubectl's word in `deployment.apps/web <what> updated` */
  what: string;
  mutate: Mutation;
  /** set resources reports an unchanged object as an error; set env stays silent */
  unchanged?: (obj: KObject) => unknown;
  /** wraps an apiserver error (set env: "failed to patch env update to pod template: …") */
  patchError?: (e: unknown) => unknown;
}

const LOCAL_NEEDS_FILE =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

function runSet(g: GlobalOptions, spec: RunSpec): Outcome {
  const o = spec.flags;
  const dry = dryRunStrategy(o.dryRun);
  if (o.local && dry === 'server') throw new CliError('error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?', true);
  if (!o.filename?.length && spec.args.length < 1) throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', true);
  const parts: OutputPart[] = [];
  if (o.record !== undefined) parts.push({ text: RECORD_WARNING, stderr: true });
  const errors: unknown[] = [];
  const print = (obj: KObject, local: boolean) => {
    const shown = local ? typedView(obj) : obj;
 const text = o.output ? objectPrinter(o.output, undefined, local ? typedJSON : undefined)(shown, '') : `${objectName(obj)} ${spec.what} updated${dryRunSuffix(o.dryRun)}\n`;
    parts.push({ text });
  };
  const one = (live: KObject, save?: (obj: KObject) => KObject) => {
    const changed = spec.mutate(clone(live), parts);
    if (!changed) {
      const e = spec.unchanged?.(live);
      if (e) errors.push(e);
      return;
    }
    if (!save) return print(recordChangeCause(changed, o.cause), true);
    try {
      print(save(recordChangeCause(changed, o.cause)), false);
    } catch (e) {
      errors.push(spec.patchError ? spec.patchError(e) : e);
    }
  };
  const guarded = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      errors.push(e);
    }
  };
  if (o.local) {
    if (!o.filename?.length || spec.args.length) throw new CliError(LOCAL_NEEDS_FILE, true);
    for (const item of existingManifests(o.filename, false)) guarded(() => one(item.obj));
    return inOrder(parts, errors);
  }
  const sel = select(g, spec.args, o, { requireNames: true });
  mutateApi(
    g,
    (api: ApiClient) => {
      for (const v of visit(api, sel, errors)) {
        for (const live of v.objects) {
          if (dry === 'client') guarded(() => one(live));
          else guarded(() => one(live, (obj) => api.update(obj, undefined, AS_PATCH).obj));
        }
      }
    },
    dry !== 'none',
  );
  return inOrder(parts, errors);
}

/** A per-object failure as kubectl's patch loop reports it: "error: deployment.apps/web <err>". */
function objectError(obj: KObject, msg: string): CliError {
  return new CliError(`error: ${objectName(obj)} ${msg}`, true);
}

// ---------------------------------------------------------------------------------------- set image

function setImage(g: GlobalOptions, args: string[], o: SetFlags): Outcome {
  const pairs = args.filter((a) => a.includes('='));
  const resources = args.filter((a) => !a.includes('='));
  if (pairs.length === 0) throw new CliError('error: at least one image update is required', true);
  const images = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  if (!o.local) {
    const sel = select(g, resources, o, { requireNames: true });
    for (const r of sel.requests) if (!['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(r.res.kind)) throw new CliError(`error: no image updater has been implemented for {"${r.res.group}" "${r.res.kind}"}`, true);
  }
  return runSet(g, {
    args: resources,
    flags: o,
    what: 'image',
    mutate: (obj) => {
      const spec = podSpecOf(obj);
      if (!spec) throw objectError(obj, noTemplate(obj));
      const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
      for (const [name, image] of Object.entries(images)) {
        const hits = name === '*' ? containers : containers.filter((c) => c.name === name);
        if (hits.length === 0) throw new CliError(`error: unable to find container named "${name}"`, true);
        for (const c of hits) c.image = image;
      }
      return obj;
    },
  });
}

// ------------------------------------------------------------------------------------------ set env

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** envutil.ParseEnv: KEY=VALUE and KEY- arguments. */
function parseEnv(specs: string[]): { env: EnvVar[]; remove: string[] } {
  const env: EnvVar[] = [];
  const remove: string[] = [];
  for (const s of specs) {
    if (s.includes('=')) {
      const eq = s.indexOf('=');
      const k = s.slice(0, eq);
      if (!ENV_NAME.test(k)) {
        throw new CliError(
          `error: ${JSON.stringify(k)} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
          true,
        );
      }
      env.push({ name: k, value: s.slice(eq + 1) });
    } else if (s.endsWith('-')) remove.push(s.slice(0, -1));
    else throw new CliError(`error: unknown environment variable: ${s}`, true);
  }
  if (remove.some((r) => env.some((e) => e.name === r))) throw new CliError('error: can not both modify and remove the same environment variable in the same command', true);
  return { env, remove };
}

/** envutil.SplitEnvironmentFromResources: resources first, then the environment changes. */
function splitEnv(args: string[]): { resources: string[]; envArgs: string[] } {
  const i = args.findIndex((a) => a.includes('=') || (a.endsWith('-') && a !== '-'));
  if (i < 0) return { resources: args, envArgs: [] };
  const rest = args.slice(i);
  const bad = rest.find((a) => !(a.includes('=') || a.endsWith('-')));
  if (bad) throw new CliError(`error: all resources must be specified before environment changes: ${bad}`, true);
  return { resources: args.slice(0, i), envArgs: rest };
}

/** set_env.go updateEnv: replaced in place, removed, the new ones appended. */
function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const out: EnvVar[] = [];
  const covered = new Set(remove);
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((x) => x.name === e.name);
    if (newer) {
      covered.add(e.name);
      out.push(newer);
      continue;
    }
    out.push(e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(e);
  }
  return out;
}

/** envutil.GetEnvVarRefString */
function refString(from: EnvVar['valueFrom']): string {
  if (from?.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from?.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from?.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from?.resourceFieldRef) return `resource ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid env var source';
}

/** set_env.go selectContainers: by name, `*` (the default) matching all, with shell-like globs. */
function selectContainers(cs: Container[] | undefined, pattern: string): Container[] {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return (cs ?? []).filter((c) => re.test(c.name));
}

const keyToEnvName = (k: string) => k.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();

interface EnvFlags extends SetFlags {
  env?: string[];
  from?: string;
  prefix?: string;
  keys?: string[];
  list?: boolean;
  resolve?: boolean;
  overwrite?: boolean;
}

/** envutil.GetEnvVarRefValue for --resolve: a ConfigMap's or Secret's key, or an object field. */
function resolveRef(api: ApiClient | undefined, ns: string, from: EnvVar['valueFrom'], obj: KObject): string {
  const cm = from?.configMapKeyRef;
  const sec = from?.secretKeyRef;
  if ((cm || sec) && api) {
    const kind = cm ? 'ConfigMap' : 'Secret';
    const ref = (cm ?? sec)!;
    const o = api.get(resourceForKind('v1', kind)!, ns, ref.name);
    const v = cm ? o.data?.[ref.key] : o.data?.[ref.key] !== undefined ? Buffer.from(o.data[ref.key], 'base64').toString() : undefined;
    if (v === undefined) throw new Error(`key ${ref.key} not found in ${cm ? 'config map' : 'secret'} ${ref.name}`);
    return v;
  }
  if (from?.fieldRef) {
    const path = from.fieldRef.fieldPath.split('.');
    let cur: unknown = obj;
    for (const p of path) cur = (cur as Record<string, unknown> | undefined)?.[p];
    if (typeof cur === 'string') return cur;
  }
  throw new Error('invalid valueFrom');
}

function setEnv(g: GlobalOptions, args: string[], o: EnvFlags): Outcome {
  const { resources, envArgs } = splitEnv(args);
  if (o.list && o.output) throw new CliError('error: --list and --output may not be specified together', true);
  if (o.keys?.length && !o.from) throw new CliError('error: when specifying --keys, a configmap or secret must be provided with --from', true);
  const { env, remove } = parseEnv([...(o.env ?? []), ...envArgs]);
  const pattern = o.containers ?? '*';
  let api: ApiClient | undefined;
  if (o.from) {
    // the --from object comes from the cluster; its keys in Go's map order are random, we sort them
    const sel = select(g, [o.from], { selector: o.selector, all: o.all }, {});
    mutateApi(g, (a) => {
      const errs: unknown[] = [];
      for (const v of visit(a, sel, errs)) {
        for (const src of v.objects) {
          if (src.kind !== 'ConfigMap' && src.kind !== 'Secret') throw new CliError('error: unsupported resource specified in --from', true);
          for (const key of Object.keys(src.data ?? {}).sort()) {
            if (o.keys?.length && !o.keys.includes(key)) continue;
            const ref = { name: src.metadata.name, key };
            env.push({ name: keyToEnvName(key), valueFrom: src.kind === 'ConfigMap' ? { configMapKeyRef: ref } : { secretKeyRef: ref } });
          }
        }
      }
      if (errs.length) throw errs[0];
    }, true);
  }
  if (o.prefix) for (const e of env) e.name = `${o.prefix}${e.name}`;
  const ns = namespaceOf(g);
  if (o.list) {
    // --list prints the env after the changes, and changes nothing
    const out: OutputPart[] = [];
    const errors: unknown[] = [];
    const list = (obj: KObject) => {
      const spec = podSpecOf(obj);
      if (!spec) throw objectError(obj, noTemplate(obj));
      for (const c of selectContainers(spec.containers, pattern)) {
        out.push({ text: `# ${obj.kind} ${obj.metadata.name}, container ${c.name}\n` });
        const failed = new Map<string, string[]>();
        for (const e of updateEnv(c.env ?? [], env, remove)) {
          if (!e.valueFrom) out.push({ text: `${e.name}=${e.value ?? ''}\n` });
          else if (!o.resolve) out.push({ text: `# ${e.name} from ${refString(e.valueFrom)}\n` });
          else {
            try {
              out.push({ text: `${e.name}=${resolveRef(api, ns, e.valueFrom, obj)}\n` });
            } catch (err) {
              out.push({ text: `# ${e.name} from ${refString(e.valueFrom)}\n` });
              const m = (err as Error).message;
              failed.set(m, [...(failed.get(m) ?? []), e.name]);
            }
          }
        }
        const lines = [...failed].map(([m, vars]) => `error retrieving reference for ${vars.sort().join(', ')}: ${m}`).sort();
        for (const l of lines) out.push({ text: l + '\n', stderr: true });
        if (lines.length) errors.push(objectError(obj, 'failed to retrieve valueFrom references'));
      }
    };
    if (o.local) {
      if (!o.filename?.length || resources.length) throw new CliError(LOCAL_NEEDS_FILE, true);
      for (const item of existingManifests(o.filename, false)) list(item.obj);
      return inOrder(out, errors);
    }
    if (!o.filename?.length && resources.length < 1) throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', true);
    const sel = select(g, resources, o, { requireNames: true });
    mutateApi(g, (a) => {
      api = a;
      for (const v of visit(a, sel, errors)) for (const obj of v.objects) list(obj);
    }, true);
    return inOrder(out, errors);
  }
  return runSet(g, {
    args: resources,
    flags: o,
    what: 'env',
    mutate: (obj, parts) => {
      const spec = podSpecOf(obj);
      if (!spec) throw objectError(obj, noTemplate(obj));
      const before = JSON.stringify(obj);
      const containers = selectContainers(spec.containers, pattern);
      if (containers.length === 0) parts.push({ text: `Warning: ${obj.kind}/${obj.metadata.name} does not have any containers matching ${JSON.stringify(pattern)}\n`, stderr: true });
      for (const c of containers) {
        if (o.overwrite === false) {
          for (const e of env) {
            const cur = (c.env ?? []).find((x) => x.name === e.name);
            if (cur) throw new CliError(`error: ${objectName(obj)}\n '${e.name}' already has a value (${cur.value ?? ''}), and --overwrite is false`, true);
          }
        }
        const next = updateEnv(c.env ?? [], env, remove);
        if (next.length) c.env = next;
        else delete c.env;
      }
      return JSON.stringify(obj) === before ? undefined : obj;
    },
    patchError: (e) => new CliError(`error: failed to patch env update to pod template: ${(e as Error).message.replace(/^error: /, '').replace(/^The /, 'The ')}`, true),
  });
}

// ------------------------------------------------------------------------------------ set resources

/** kubectl.HandleResourceRequirementsV1 / populateResourceListV1: name=quantity,... */
function resourceList(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new CliError(`error: Invalid argument syntax ${pair}, expected <resource>=<value>`, true);
    const q = parseQuantity(pair.slice(eq + 1));
    if (!q) throw new CliError("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", true);
    out[pair.slice(0, eq)] = formatQuantity(q);
  }
  return out;
}

function setResources(g: GlobalOptions, args: string[], o: SetFlags & { limits?: string; requests?: string }): Outcome {
  if (!o.limits && !o.requests) throw new CliError('error: you must specify an update to requests or limits (in the form of --requests/--limits)', true);
  const limits = resourceList(o.limits);
  const requests = resourceList(o.requests);
  const pattern = o.containers ?? '*';
  return runSet(g, {
    args,
    flags: o,
    what: 'resource requirements',
    mutate: (obj) => {
      const spec = podSpecOf(obj);
      if (!spec) throw objectError(obj, noTemplate(obj));
      const before = JSON.stringify(obj);
      const containers = [...selectContainers(spec.initContainers, pattern), ...selectContainers(spec.containers, pattern)];
      if (containers.length === 0) throw new CliError(`error: unable to find container named ${pattern}`, true);
      for (const c of containers) {
        c.resources ??= {};
        if (Object.keys(limits).length) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
        if (Object.keys(requests).length) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
      }
      return JSON.stringify(obj) === before ? undefined : obj;
    },
    unchanged: (obj) => new CliError(`error: info: ${objectName(obj)} ${JSON.stringify(obj.metadata.name)} was not changed`, true),
  });
}

// ------------------------------------------------------------------------------- set serviceaccount

function setServiceAccount(g: GlobalOptions, args: string[], o: SetFlags): Outcome {
  if (args.length === 0) throw new CliError('error: serviceaccount is required', true);
  const name = args[args.length - 1];
  return runSet(g, {
    args: args.slice(0, -1),
    flags: o,
    what: 'serviceaccount',
    mutate: (obj) => {
      const spec = podSpecOf(obj);
      if (!spec) throw objectError(obj, noTemplate(obj));
      spec.serviceAccountName = name;
      return obj;
    },
  });
}

// ------------------------------------------------------------------------------------- set selector

/** metav1.ParseToLabelSelector for the equality forms set selector accepts (key=value, key==value). */
function parseSelector(s: string): { labels: Record<string, string>; unsupported?: string } {
  const labels: Record<string, string> = {};
  const exprs: string[] = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^=!\s]+)\s*==?\s*([^=!\s]*)$/.exec(part);
    if (m) labels[m[1]] = m[2];
    else exprs.push(part);
  }
  if (exprs.length) {
    const sets = exprs.map((e) => {
      const m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(e);
      if (m) return `{${m[1]} ${m[2] === 'in' ? 'In' : 'NotIn'} [${m[3].split(',').map((x) => x.trim()).join(' ')}]}`;
      if (e.startsWith('!')) return `{${e.slice(1)} DoesNotExist []}`;
      if (/^[^=!\s]+\s*!=/.test(e)) return `{${e.split('!=')[0].trim()} NotIn [${e.split('!=')[1].trim()}]}`;
      return `{${e} Exists []}`;
    });
    return { labels, unsupported: `error: match expression [${sets.join(' ')}] not supported on this object` };
  }
  return { labels };
}

function setSelector(g: GlobalOptions, args: string[], o: SetFlags & { resourceVersion?: string }): Outcome {
  if (args.length === 0) throw new CliError('error: one selector is required', true);
  const { labels, unsupported } = parseSelector(args[args.length - 1]);
  if (o.local && args.length > 1) {
    throw new CliError("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'", true);
  }
  return runSet(g, {
    args: args.slice(0, -1),
    flags: o,
    what: 'selector',
    mutate: (obj) => {
      if (obj.kind !== 'Service') throw new CliError('error: setting a selector is only supported for Services', true);
      if (unsupported) throw new CliError(unsupported, true);
      obj.spec ??= {};
      obj.spec.selector = labels;
      if (o.resourceVersion) {
        // the patch carries the resourceVersion as a precondition; the apiserver's optimistic
        // concurrency refuses it when the object moved on (the command reads and writes in one
        // transaction, so the live version is the one it compares with)
        if (!o.local && obj.metadata.resourceVersion !== o.resourceVersion) {
          throw new StatusError('Conflict', `Operation cannot be fulfilled on services ${JSON.stringify(obj.metadata.name)}: the object has been modified; please apply your changes to the latest version and try again`);
        }
        obj.metadata.resourceVersion = o.resourceVersion;
      }
      return obj;
    },
  });
}

// ------------------------------------------------------------------------------------- registration

const collect = (v: string, prev: string[] = []) => [...prev, v];

const withCause = <T extends SetFlags>(o: T, cmd: Command): T => ({ ...o, cause: o.record ? changeCause(cmd) : undefined });

/**
 * Options shared by the set verbs; `record`: the verb still accepts the deprecated --record;
 * `selector`: it takes -l (set serviceaccount and set selector do not, in kubectl 1.32).
 */
function common(c: Command, withContainers: boolean, record = true, selector = true): Command {
  c.option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource', collect);
  if (selector) c.option('-l, --selector <selector>', 'Selector (label query) to filter on');
  c.option('--all', 'Select all resources, in the namespace of the specified resource types')
    .option('--local', 'If true, set will NOT contact api-server but run locally.')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"');
  if (record) c.addOption(recordOption());
  if (withContainers) c.option('-c, --containers <names>', 'The names of containers in the selected pod templates to change - may use wildcards');
  return c;
}

export function registerSet(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const set = program.command('set').description('Set specific features on objects');
  common(set.command('image').description('Update the image of a pod template').argument('[args...]', '(-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ...'), false).action((args: string[], opts: SetFlags, cmd: Command) => run(() => setImage(g(), args, withCause(opts, cmd))));
  common(set.command('env').description('Update environment variables on a pod template').argument('[args...]', 'RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N'), true, false)
    .option('-e, --env <env>', 'Specify a key-value pair for an environment variable to set into each container.', collect)
    .option('--from <resource>', 'The name of a resource from which to inject environment variables')
    .option('--prefix <prefix>', 'Prefix to append to variable names')
    .option('--keys <keys>', 'Comma-separated list of keys to import from specified resource', (v: string, prev: string[] = []) => [...prev, ...v.split(',')])
    .option('--list', 'If true, display the environment and any changes in the standard format.')
    .option('--resolve', 'If true, show secret or configmap references when listing variables')
    .option('--overwrite [bool]', 'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.', (v: string) => v !== 'false')
    .action((args: string[], opts: EnvFlags, cmd: Command) => run(() => setEnv(g(), args, withCause(opts, cmd))));
  common(set.command('resources').description('Update resource requests/limits on objects with pod templates').argument('[args...]', '(-f FILENAME | TYPE NAME) ([--limits=LIMITS & --requests=REQUESTS]'), true)
    .option('--limits <limits>', "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.")
    .option('--requests <requests>', "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.")
    .action((args: string[], opts: SetFlags & { limits?: string; requests?: string }, cmd: Command) => run(() => setResources(g(), args, withCause(opts, cmd))));
  for (const name of ['serviceaccount', 'sa']) {
    const c = name === 'sa' ? undefined : set.command(name).alias('sa');
    if (!c) continue;
    common(c.description('Update the service account of a resource').argument('[args...]', '(-f FILENAME | TYPE NAME) SERVICE_ACCOUNT'), false, true, false).action((args: string[], opts: SetFlags, cmd: Command) => run(() => setServiceAccount(g(), args, withCause(opts, cmd))));
  }
  common(set.command('selector').description('Set the selector on a resource').argument('[args...]', '(-f FILENAME | TYPE NAME) EXPRESSIONS'), false, true, false)
    .option('--resource-version <version>', 'If non-empty, the selectors update will only succeed if this is the current resource-version for the object.')
    .action((args: string[], opts: SetFlags & { resourceVersion?: string }, cmd: Command) => run(() => setSelector(g(), args, withCause(opts, cmd))));
}
