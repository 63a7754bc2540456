// The imperative generators: create deployment | service <type>, run, expose. Each builds the object
// kubectl builds, prints it (--dry-run=client) or creates it through the registry.
import { runAttached } from './network';
import { registerConfigGenerators } from './generate-config';
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import type { ApiClient } from '../apiserver/client';
import { lookupResource, resourceForKind } from '../api/resources';
import type { KObject } from '../api/types';
import { deploymentFor, exposedService, parseLabels, podFor, serviceFor, type ServiceSpecArgs } from '../generators/objects';
import { nowMs } from '../util/clock';
import { typedObjectJSON } from '../printers/gojson';
import { mutateApi, namespaceOf, openRead, readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { dryRunStrategy, objectPrinter } from './printflags';
import { validateOption, validationDirective } from './warnings';
import { registerBatchGenerators } from './generate-batch';
import { registerQuotaGenerator } from './generate-quota';
import { registerPolicyGenerators } from './generate-policy';
import { registerRbacGenerators } from './generate-rbac';
import { registerIngressGenerator } from './generate-ingress';
import { registerPriorityClassGenerator } from './generate-priorityclass';
import { applyOverrides } from './overrides';

export interface OutputOptions {
  dryRun?: string | boolean;
  output?: string;
  validate?: string;
}

/** cobra's "required flag" failure, which kubectl 1.32 reports through klog. */
export function requiredFlag(flag: string): CliError {
  const d = new Date(nowMs());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `E${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
  return new CliError(`${stamp} ${String(process.pid).padStart(7)} run.go:72] "command failed" err="required flag(s) \\"${flag}\\" not set"`, true);
}

export function exactlyOneName(names: string[], cmd: string): string {
  if (names.length !== 1) throw new CliError(`error: exactly one NAME is required, got ${names.length}\nSee 'kubesim ${cmd} -h' for help and examples`, true);
  return names[0];
}


/** The generated object as the apiserver receives it (no null timestamp, no empty status). */
function forServer(obj: KObject, ns: string): KObject {
  const copy = JSON.parse(JSON.stringify(obj));
  delete copy.metadata.creationTimestamp;
  delete copy.status;
  // a cluster-scoped object (a ClusterRole) has no namespace to take
  if (resourceForKind(copy.apiVersion, copy.kind)?.namespaced !== false) copy.metadata.namespace = ns;
  if (copy.spec?.template?.metadata) delete copy.spec.template.metadata.creationTimestamp;
  return copy;
}

/**
 * Dry run prints; otherwise each object is created (server dry run: validated, not kept). `wrap`: the
 * prefix the subcommand's Run puts before the apiserver's refusal (create_deployment.go's
 * `fmt.Errorf("failed to create deployment: %v", err)`); without it the refusal is printed as is.
 */
export function emitGenerated(g: GlobalOptions, objs: KObject[], o: OutputOptions, verb: string, wrap?: string, printOrder?: number[]): Outcome {
  const mode = dryRunStrategy(o.dryRun);
  validationDirective(o.validate); // the generated objects have no unknown fields: only the flag's value is checked
  // generated objects print as kubectl prints the typed ones: JSON in struct order, YAML sorted
  const print = objectPrinter(o.output, undefined, typedObjectJSON);
  // objs are created in their order, printed in printOrder's (run --expose prints its service first)
  const ordered = (xs: KObject[]) => (printOrder ?? xs.map((_, i) => i)).map((i) => xs[i]);
  if (mode === 'client') return { stdout: ordered(objs).map((x) => print(x, `${verb} (dry run)`)).join('') };
  const ns = namespaceOf(g);
  const create = (api: ApiClient) => {
    const made = objs.map((x) => api.create(forServer(x, ns)));
    return ordered(made).map((x) => print(x, verb + (mode === 'server' ? ' (server dry run)' : ''))).join('');
  };
  try {
    return { stdout: mutateApi(g, create, mode === 'server') };
  } catch (e) {
    if (wrap !== undefined && e instanceof StatusError) throw new CliError(`error: ${wrap}${e.message}`, true);
    throw e;
  }
}

const explicitNs = (g: GlobalOptions) => g.namespace || undefined;

export function runCreateDeployment(g: GlobalOptions, names: string[], o: OutputOptions & { image?: string[]; replicas?: string; port?: string }, command: string[] = []): Outcome {
  // cobra checks required flags before the command runs: a missing --image is reported first
  if (!o.image?.length) throw requiredFlag('image');
  const name = exactlyOneName(names, 'create deployment');
  if (o.image.length > 1 && command.length) throw new CliError('error: cannot specify multiple --image options and command', true);
  const replicas = Number(o.replicas ?? 1);
  if (o.port !== undefined && !/^-?\d+$/.test(o.port)) throw new CliError(`Error: invalid argument "${o.port}" for "--port" flag: strconv.ParseInt: parsing "${o.port}": invalid syntax\nSee 'kubesim create deployment --help' for usage.`, true);
  const rand = openRead(g).rand;
  return emitGenerated(g, [deploymentFor(name, explicitNs(g), o.image, replicas, o.port === undefined ? undefined : Number(o.port), rand, command)], o, 'created', 'failed to create deployment: ');
}

export function runCreateService(g: GlobalOptions, type: ServiceSpecArgs['type'], names: string[], o: OutputOptions & { tcp?: string[]; nodePort?: string; externalName?: string; clusterip?: string }): Outcome {
  const sub = type === 'ClusterIP' ? 'clusterip' : type === 'NodePort' ? 'nodeport' : type === 'LoadBalancer' ? 'loadbalancer' : 'externalname';
  const name = exactlyOneName(names, `create service ${sub}`);
  if (type === 'ExternalName' && !o.externalName) throw requiredFlag('external-name');
  const svc = serviceFor(name, explicitNs(g), { type, tcp: o.tcp ?? [], nodePort: o.nodePort ? Number(o.nodePort) : undefined, externalName: o.externalName, clusterIP: o.clusterip });
  return emitGenerated(g, [svc], o, 'created', `failed to create ${type} service: `);
}

export interface RunOptions extends OutputOptions {
  image?: string;
  port?: string;
  labels?: string;
  env?: string[];
  restart?: string;
  expose?: boolean;
  command?: boolean;
  stdin?: boolean;
  tty?: boolean;
  rm?: boolean;
  attach?: boolean;
  overrides?: string;
  overrideType?: string;
}

const runUsage = (msg: string) => new CliError(`error: ${msg}\nSee 'kubesim run -h' for help and examples`, true);

export function runRun(g: GlobalOptions, args: string[], o: RunOptions): Outcome {
  if (args.length === 0) throw new CliError("error: NAME is required for run\nSee 'kubesim run -h' for help and examples", true);
  const [name, ...rest] = args;
  if (!o.image) throw requiredFlag('image');
  const attached = !!(o.stdin || o.attach);
  if (dryRunStrategy(o.dryRun) !== 'none' && (attached || o.tty)) throw runUsage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  if (o.tty && !o.stdin) throw runUsage('-i/--stdin is required for containers with -t/--tty=true');
  if (o.rm && !attached) throw runUsage('--rm should only be used for attached containers');
  const restart = o.restart ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CliError(`error: invalid restart policy: ${restart}`, true);
  if (o.expose && o.port === undefined) throw new CliError('error: --port must be set when exposing a service', true);
  const port = o.port === undefined ? undefined : Number(o.port);
  const labels = o.labels ? parseLabels(o.labels) : undefined;
  const generated = podFor(name, explicitNs(g), { image: o.image, port, labels, env: o.env ?? [], restart, command: !!o.command, args: rest, stdin: o.stdin, tty: o.tty });
  // run.go createGeneratedObject: the pod's overrider applies before anything is created; the
  // service --expose makes gets none
  const pod = applyOverrides(generated, o.overrides, o.overrideType);
  // run.go: the pod is created first, then (--expose) its service, which generateService prints
  // as it creates it; the pod is printed last
  if (!o.expose) return emitGenerated(g, [pod], o, 'created');
  const svc = exposedService(explicitNs(g), { name, labels: {}, selector: labels ?? { run: name }, ports: [port!], protocols: [] });
  return emitGenerated(g, [pod, svc], o, 'created', undefined, [1, 0]);
}

/** The selector, ports and protocols kubectl expose reads from the exposed object. */
function introspect(obj: KObject): { selector: Record<string, string>; ports: number[]; protocols: string[] } {
  const containerPorts = (spec: KObject['spec']) => ((spec?.containers ?? []) as { ports?: { containerPort: number; protocol?: string }[] }[]).flatMap((c) => c.ports ?? []);
  switch (obj.kind) {
    case 'Pod': {
      const ps = containerPorts(obj.spec);
      return { selector: obj.metadata.labels ?? {}, ports: ps.map((p) => p.containerPort), protocols: ps.map((p) => p.protocol ?? 'TCP') };
    }
    case 'Service':
      return { selector: obj.spec?.selector ?? {}, ports: (obj.spec?.ports ?? []).map((p: { port: number }) => p.port), protocols: (obj.spec?.ports ?? []).map((p: { protocol?: string }) => p.protocol ?? 'TCP') };
    default: {
      const ps = containerPorts(obj.spec?.template?.spec);
      const sel = obj.spec?.selector;
      if (sel?.matchExpressions?.length) throw new CliError(`error: couldn't retrieve selectors via --selector flag or introspection: the ${obj.kind.toLowerCase()} has match expressions`, true);
      return { selector: sel?.matchLabels ?? {}, ports: ps.map((p) => p.containerPort), protocols: ps.map((p) => p.protocol ?? 'TCP') };
    }
  }
}

export function runExpose(g: GlobalOptions, args: string[], o: OutputOptions & { port?: string; targetPort?: string; type?: string; name?: string; protocol?: string; selector?: string; externalIp?: string; labels?: string; clusterIp?: string; portName?: string }): Outcome {
  let [type, name] = args;
  if (type?.includes('/')) [type, name] = type.split('/');
  if (!type || !name) throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'", true);
  const res = lookupResource(type);
  if (!res) throw new CliError(`error: the server doesn't have a resource type "${type}"`, true);
  const ns = namespaceOf(g);
  const obj = readApi(g).get(res, ns, name);
  // expose.go checks the object it read (a missing one is NotFound first); polymorphichelpers
  // canBeExposed names the GroupKind: "StatefulSet.apps", a core kind bare
  if (!['Pod', 'Service', 'Deployment', 'ReplicaSet'].includes(res.kind)) throw new CliError(`error: cannot expose a ${res.group ? `${res.kind}.${res.group}` : res.kind}`, true);
  const found = introspect(obj);
  const selector = o.selector ? parseLabels(o.selector) : found.selector;
  if (Object.keys(selector).length === 0) throw new CliError(`error: couldn't retrieve selectors via --selector flag or introspection: the ${res.singular} has no labels`, true);
  const ports = o.port ? o.port.split(',').map(Number) : found.ports;
  if (ports.length === 0) throw new CliError("error: couldn't find port via --port flag or introspection\nSee 'kubesim expose -h' for help and examples", true);
  if (o.port && ports.some((p) => !Number.isInteger(p))) throw new CliError(`error: strconv.Atoi: parsing "${o.port}": invalid syntax`, true);
  const svc = exposedService(explicitNs(g), {
    name: o.name ?? name,
    labels: o.labels ? parseLabels(o.labels) : (obj.metadata.labels ?? {}),
    selector,
    ports,
    protocols: o.port ? [] : found.protocols,
    protocol: o.protocol,
    targetPort: o.targetPort,
    type: o.type,
    externalIP: o.externalIp,
    portName: o.portName,
    clusterIP: o.clusterIp,
  });
  return emitGenerated(g, [svc], o, 'exposed');
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
export const dryRunOption = (c: Command) =>
  c.option('--dry-run [strategy]', 'Must be "none", "server", or "client"').option('-o, --output <format>', 'Output format. One of: (json, yaml, name)');

export function registerGenerators(create: Command, program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const opts = (cmd: Command) => cmd.optsWithGlobals();
  registerConfigGenerators(create, g, run);
  dryRunOption(
    validateOption(create.command('deployment'))
      .alias('deploy')
      .description('Create a deployment with the specified name')
      .argument('[name...]')
      .option('--image <image>', 'Image names to run. A deployment can have multiple images set for multi-container pod.', collect)
      .option('-r, --replicas <n>', 'Number of replicas to create. Default is 1.')
      .option('--port <port>', 'The containerPort that this deployment exposes.'),
  ).action((args: string[], _o: unknown, cmd: Command) => {
    // cobra's ArgsLenAtDash: the arguments after "--" are the command, those before it the names
    const raw = process.argv.slice(2);
    const dash = raw.indexOf('--');
    const after = dash < 0 ? 0 : Math.min(args.length, raw.length - dash - 1);
    run(() => runCreateDeployment(g(), args.slice(0, args.length - after), opts(cmd), args.slice(args.length - after)));
  });
  const service = create.command('service').alias('svc').description('Create a service using a specified subcommand');
  for (const [sub, type] of [['clusterip', 'ClusterIP'], ['nodeport', 'NodePort'], ['loadbalancer', 'LoadBalancer'], ['externalname', 'ExternalName']] as const) {
    const c = validateOption(service.command(sub))
      .description(`Create a ${type} service`)
      .argument('[name...]')
      .option('--tcp <port:targetPort>', 'Port pairs can be specified as \'<port>:<targetPort>\'.', collect);
    if (sub === 'clusterip') c.option('--clusterip <ip>', 'Assign your own ClusterIP or set to \'None\' for a \'headless\' service (no loadbalancing).');
    if (sub === 'nodeport') c.option('--node-port <port>', 'Port used to expose the service on each node in a cluster.');
    if (sub === 'externalname') c.option('--external-name <name>', 'External name of service');
    dryRunOption(c).action((names: string[], _o: unknown, cmd: Command) => run(() => runCreateService(g(), type, names, opts(cmd))));
  }
  dryRunOption(
    program
      .command('run')
      .description('Run a particular image on the cluster')
      .argument('[name_and_args...]')
      .option('--image <image>', 'The image for the container to run.')
      .option('--port <port>', 'The port that this container exposes.')
      .option('-l, --labels <labels>', 'Comma separated labels to apply to the pod.')
      .option('--env <k=v>', 'Environment variables to set in the container.', collect)
      .option('--restart <policy>', 'The restart policy for this Pod. Legal values [Always, OnFailure, Never].')
      .option('--expose', 'If true, create a ClusterIP service associated with the pod. Requires `--port`.')
      .option('--command', 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.')
      .option('-i, --stdin', 'Keep stdin open on the container in the pod, even if nothing is attached.')
      .option('-t, --tty', 'Allocate a TTY for the container in the pod.')
      .option('--rm', 'If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with \'--attach\' or with \'-i/--stdin\'.')
      .option('--attach', 'If true, wait for the Pod to start running, and then attach to the Pod as if \'kubectl attach ...\' were called.')
      .option('--overrides <json>', 'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.')
      .option('--override-type <type>', 'The method used to override the generated object: json, merge, or strategic.'),
  ).action((args: string[], _o: unknown, cmd: Command) => {
    const o = opts(cmd) as RunOptions;
    if (!o.stdin && !o.attach) return run(() => runRun(g(), args, o));
    // attached: create the pod quietly, then run its command where it runs (src/cli/network.ts)
    run(() => {
      runRun(g(), args, o);
      return runAttached(g(), args, o, run);
    });
  });
  dryRunOption(
    program
      .command('expose')
      .description('Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service')
      .argument('[args...]', '(-f FILENAME | TYPE NAME)')
      .option('--port <port>', 'The port that the service should serve on.')
      .option('--target-port <port>', 'Name or number for the port on the container that the service should direct traffic to.')
      .option('--type <type>', 'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName.')
      .option('--name <name>', 'The name for the newly created object.')
      .option('--protocol <protocol>', 'The network protocol for the service to be created.')
      .option('--selector <selector>', 'A label selector to use for this service.')
      .option('--external-ip <ip>', 'Additional external IP address (not managed by Kubernetes) to accept for the service.')
      .option('-l, --labels <labels>', 'Labels to apply to the service created by this call.')
      .option('--cluster-ip <ip>', 'ClusterIP to be assigned to the service.')
      .option('--port-name <name>', 'Name of the port.'),
  ).action((args: string[], _o: unknown, cmd: Command) => run(() => runExpose(g(), args, opts(cmd))));
  registerBatchGenerators(create, g, run);
  registerQuotaGenerator(create, g, run);
  registerPolicyGenerators(create, g, run);
  registerRbacGenerators(create, g, run);
  registerIngressGenerator(create, g, run);
  registerPriorityClassGenerator(create, g, run);
}
