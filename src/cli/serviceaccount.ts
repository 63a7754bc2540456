// kubectl create serviceaccount (create_serviceaccount.go) and kubectl create token (create_token.go):
// a TokenRequest for a ServiceAccount, answered with a JWT on the simulated clock.
import type { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { DEFAULT_TOKEN_SECONDS, parseGoDuration, serviceAccountFor, serviceAccountJWT, TOKEN_ISSUER } from '../generators/serviceaccount';
import { nowMs, rfc3339 } from '../util/clock';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import { emitGenerated } from './generate';
import type { Outcome } from './outcome';
import { objectPrinter } from './printflags';
import { validateOption } from './warnings';
import { checkAccess } from '../apiserver/requester';

interface OutputOptions {
  dryRun?: string | boolean;
  output?: string;
  validate?: string;
}

function exactlyOneName(names: string[], cmd: string): string {
  if (names.length !== 1) throw new CliError(`error: exactly one NAME is required, got ${names.length}\nSee 'kubesim ${cmd} -h' for help and examples`, true);
  return names[0];
}

export function runCreateServiceAccount(g: GlobalOptions, names: string[], o: OutputOptions): Outcome {
  const name = exactlyOneName(names, 'create serviceaccount');
  return emitGenerated(g, [serviceAccountFor(name, g.namespace || undefined)], o, 'created', 'failed to create serviceaccount: ');
}

export interface TokenOptions {
  duration?: string;
  audience?: string[];
  boundObjectKind?: string;
  boundObjectName?: string;
  boundObjectUid?: string;
  output?: string;
  template?: string;
}

const BOUND_KINDS = ['Node', 'Pod', 'Secret'];

/** The bound object as the apiserver finds it (TokenREST.Create): by kind and name, its uid checked. */
function boundObject(state: ReturnType<typeof openRead>, ns: string, o: TokenOptions): KObject | undefined {
  if (!o.boundObjectKind) return undefined;
  const kind = o.boundObjectKind;
  let obj: KObject | undefined;
  try {
    obj = state.get(kind, kind === 'Node' ? undefined : ns, o.boundObjectName!);
  } catch {
    obj = undefined;
  }
  const plural = kind === 'Node' ? 'nodes' : kind === 'Pod' ? 'pods' : 'secrets';
  if (!obj) throw new CliError(`error: failed to create token: ${plural} "${o.boundObjectName}" not found`, true);
  if (o.boundObjectUid && o.boundObjectUid !== obj.metadata.uid) throw new CliError(`error: failed to create token: Operation cannot be fulfilled on ${kind} "${obj.metadata.name}": the UID in the bound object reference (${o.boundObjectUid}) does not match the UID in record. The object might have been deleted and then recreated`, true);
  return obj;
}

export function runCreateToken(g: GlobalOptions, names: string[], o: TokenOptions): Outcome {
  const name = exactlyOneName(names, 'create token');
  const duration = o.duration === undefined ? 0 : parseGoDuration(o.duration);
  if (duration === undefined) throw new CliError(`Error: invalid argument "${o.duration}" for "--duration" flag: time: invalid duration "${o.duration}"\nSee 'kubesim create token --help' for usage.`, true);
  if (duration < 0) throw new CliError('error: --duration must be greater than or equal to 0', true);
  if (duration % 1000 !== 0) throw new CliError('error: --duration cannot be expressed in units less than seconds', true);
  const audiences = o.audience ?? [];
  if (audiences.some((a) => a === '')) throw new CliError('error: --audience must not be an empty string', true);
  if (!o.boundObjectKind) {
    if (o.boundObjectName) throw new CliError('error: --bound-object-name can only be set if --bound-object-kind is provided', true);
    if (o.boundObjectUid) throw new CliError('error: --bound-object-uid can only be set if --bound-object-kind is provided', true);
  } else {
    if (!BOUND_KINDS.includes(o.boundObjectKind)) throw new CliError(`error: supported --bound-object-kind values are ${BOUND_KINDS.join(', ')}`, true);
    if (!o.boundObjectName) throw new CliError('error: --bound-object-name is required if --bound-object-kind is provided', true);
  }
  // the printer is chosen before the request is made
  const output = o.output ?? '';
  const print = output === '' || output === 'name' ? undefined : objectPrinter(output, o.template, (x) => JSON.stringify(x, null, 4) + '\n');
  const ns = namespaceOf(g);
  const state = openRead(g);
  let sa: KObject | undefined;
  try {
    sa = state.get('ServiceAccount', ns, name);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
  }
  try {
    checkAccess(state, { verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token', namespace: ns, name });
  } catch (e) {
    throw new CliError(`error: failed to create token: ${(e as Error).message}`, true);
  }
  if (!sa) throw new CliError(`error: failed to create token: serviceaccounts "${name}" not found`, true);
  const seconds = duration / 1000 || DEFAULT_TOKEN_SECONDS;
  if (seconds < 600) throw new CliError(`error: failed to create token: TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`, true);
  if (seconds > 2 ** 32) throw new CliError(`error: failed to create token: TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`, true);
  const bound = boundObject(state, ns, o);
  if (bound?.kind === 'Pod' && (bound.spec?.serviceAccountName ?? 'default') !== name) throw new CliError(`error: failed to create token: cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`, true);
  const now = nowMs();
  const iat = Math.floor(now / 1000);
  const ref = (x: KObject) => ({ name: x.metadata.name, uid: x.metadata.uid as string });
  let pod: { name: string; uid: string } | undefined;
  let node: { name: string; uid: string } | undefined;
  if (bound?.kind === 'Pod') {
    pod = ref(bound);
    // a pod-bound token names the pod's node too (ServiceAccountTokenPodNodeInfo, on by default in 1.32)
    const n = bound.spec?.nodeName ? state.get('Node', undefined, bound.spec.nodeName) : undefined;
    if (n) node = ref(n);
  } else if (bound?.kind === 'Node') node = ref(bound);
  const k8sSecret = bound?.kind === 'Secret' ? ref(bound) : undefined;
  const token = serviceAccountJWT(state.config.createdAt, {
    namespace: ns,
    serviceAccount: ref(sa),
    audiences,
    iat,
    exp: iat + seconds,
    pod,
    node,
    secret: k8sSecret,
    seed: `token/${sa.metadata.uid}/${now}/${audiences.join(',')}/${seconds}/${bound?.metadata.uid ?? ''}`,
  });
  if (output === '') return { stdout: `${token}\n` };
  if (output === 'name') return { stdout: `tokenrequest.authentication.k8s.io/${name}\n` };
  const request = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: {
      audiences: audiences.length ? audiences : [TOKEN_ISSUER],
      expirationSeconds: seconds,
      boundObjectRef: bound ? { kind: bound.kind, apiVersion: bound.apiVersion, name: bound.metadata.name, uid: bound.metadata.uid } : null,
    },
    status: { token, expirationTimestamp: rfc3339((iat + seconds) * 1000) },
  } as unknown as KObject;
  return { stdout: print!(request, '') };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerServiceAccountCommands(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  validateOption(create.command('serviceaccount'))
    .alias('sa')
    .description('Create a service account with the specified name')
    .argument('[name...]')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name)')
    .action((names: string[], _o: unknown, cmd: Command) => run(() => runCreateServiceAccount(g(), names, cmd.optsWithGlobals())));
  create
    .command('token')
    .description('Request a service account token')
    .argument('[name...]')
    .option('--duration <duration>', 'Requested lifetime of the issued token.')
    .option('--audience <audience>', 'Audience of the requested token.', collect)
    .option('--bound-object-kind <kind>', 'Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret.')
    .option('--bound-object-name <name>', 'Name of an object to bind the token to.')
    .option('--bound-object-uid <uid>', 'UID of an object to bind the token to.')
    .option('-o, --output <format>', 'Output format.')
    .option('--template <template>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file.')
    .action((names: string[], _o: unknown, cmd: Command) => run(() => runCreateToken(g(), names, cmd.optsWithGlobals())));
}
