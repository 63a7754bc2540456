// kubectl create -f / apply -f / create namespace: each document on its own, errors collected.
import { clone } from '../util/compare';
import { Command } from 'commander';
import { CliError, fieldErrorString, GoSyntax, StatusError, StrictDecodingError } from '../api/errors';
import type { Validation } from '../apiserver/registry';
import { decodeObject, schemaOf } from '../api/decode';
import { liveAtVersion } from '../api/versions';
import type { Resource } from '../api/resources';
import type { KObject } from '../api/types';
import type { ApiClient } from '../apiserver/client';
import { mutateApi, type GlobalOptions } from './context';
import { EMPTY_NAME, infoString, objectName, type SourcedObject } from './resource/files';
import { forEachManifest, forEachObject, type Finish } from './resource/objects';
import { prune, pruneResources, type PruneOptions } from './apply-prune';
import { recordClientSideApply, serverSideApply } from '../apiserver/serverside';
import { threeWay } from '../apiserver/threeway';
import { matches, parseSelector } from '../api/labels';
import type { Outcome } from './outcome';
import { dryRunStrategy, dryRunSuffix, objectPrinter } from './printflags';
import { registerGenerators } from './generate';
import { registerServiceAccountCommands } from './serviceaccount';
import { validateOption, validationDirective, warningLine } from './warnings';
import { goJSON, goQuote, goValue, LAST_APPLIED, lastApplied, threeWayPatch } from './apply-patch';
import { registerApplySubcommands } from './apply-last-applied';
import { typedObjectJSON } from '../printers/gojson';


export interface FileOptions {
  filename?: string[];
  recursive?: boolean;
  output?: string;
  validate?: string;
  dryRun?: string | boolean;
  kustomize?: string;
}

type ApplyOptions = FileOptions & PruneOptions & { serverSide?: boolean; forceConflicts?: boolean; fieldManager?: string };

/** Every object of -f in one transaction; a dry run (client or server) is one that is never written. */
function eachObject(g: GlobalOptions, o: FileOptions, verb: () => string, fn: (api: ApiClient, item: SourcedObject, res: Resource, stderr: string[]) => string, finish?: Finish): Outcome {
  const dry = dryRunStrategy(o.dryRun) !== 'none';
  if (o.kustomize === undefined) return forEachManifest(g, o.filename ?? [], !!o.recursive, verb, fn, dry, finish);
  if (o.filename?.length) throw new CliError('error: only one of -f or -k can be specified', true);
  // -k: kustomize's build (its warnings first), each object sourced from the directory as given
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { kustomize } = require('./resource/kustomize') as typeof import('./resource/kustomize');
  const built = kustomize(o.kustomize);
  const objects = built.objects.map((obj) => ({ obj, source: o.kustomize! }));
  return forEachObject(g, objects, [], verb, fn, dry, built.warnings.map((text) => ({ text, stderr: true })), finish);
}

/** The request's fieldValidation; kubectl prints the server's warnings (once each) before the object's result. */
const serverValidation = (mode: Validation['mode'], stderr: string[]): Validation => ({ mode, warn: (m) => stderr.push(warningLine(m)) });

export function runCreateFiles(g: GlobalOptions, o: FileOptions): Outcome {
  const mode = validationDirective(o.validate);
  const dry = dryRunStrategy(o.dryRun);
  const print = objectPrinter(o.output);
  const done = `created${dryRunSuffix(o.dryRun)}`;
  // a client dry run sends nothing: the object as read, in its namespace (cli-runtime's SetNamespace)
  const fn = (api: ApiClient, item: SourcedObject, _res: Resource, stderr: string[]) =>
    print(dry === 'client' ? item.obj : api.create(item.obj, serverValidation(mode, stderr)), done);
  return eachObject(g, o, () => 'creating', fn);
}

/**
 * kubectl apply's answer to the server's 409 for apply conflicts (apply.go: IsConflict → the error
 * with its advice appended, printed as a plain error).
 */
function appliedOnServer(fn: () => KObject): KObject {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'Conflict' && e.message.startsWith('Apply failed')) throw new CliError(`error: ${e.message}\n${ADVICE}`, true);
    throw e;
  }
}

const ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

export function runApply(g: GlobalOptions, o: ApplyOptions): Outcome {
  // apply.go Validate
  if (o.forceConflicts && !o.serverSide) throw new CliError('error: --force-conflicts only works with --server-side', true);
  if (o.serverSide && dryRunStrategy(o.dryRun) === 'client') throw new CliError("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server?)", true);
  const pruning = pruneResources(o);
  const mode = validationDirective(o.validate);
  // -l selects among the input objects too (the builder's LabelSelectorParam)
  const selector = o.selector ? parseSelector(o.selector) : undefined;
  const applied: KObject[] = [];
  const dry = dryRunStrategy(o.dryRun);
  const suffix = dryRunSuffix(o.dryRun);
  const print = objectPrinter(o.output);
  // kubectl says "error when creating" when apply had to create, "error when applying patch" otherwise
  let verb = 'creating';
  const fn = (api: ApiClient, item: SourcedObject, res: Resource, stderr: string[]) => {
    const obj = item.obj;
    verb = 'creating';
    if (selector && !matches(selector, obj.metadata.labels)) return '';
    applied.push(obj);
    if (!objectName(obj)) {
      // applyOneObject: apply finds the live object by name before anything else
      if (obj.metadata.generateName) throw new CliError(`error: from ${obj.metadata.generateName}: cannot use generate name with apply`, true);
      throw new CliError(`error: error when retrieving current configuration of:\n${infoString(res, obj)}\nfrom server for: ${JSON.stringify(item.source)}: ${EMPTY_NAME}`, true);
    }
    if (o.serverSide) {
      verb = 'applying patch';
      const ssa = { fieldManager: o.fieldManager ?? 'kubectl', force: !!o.forceConflicts };
      return print(appliedOnServer(() => serverSideApply(api, res, obj, ssa, threeWay)), `serverside-applied${suffix}`);
    }
    obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(obj) };
    // applyOneObject: a GET that fails otherwise than NotFound (Forbidden) names what it was retrieving
    verb = `retrieving current configuration of:\n${infoString(res, obj)}\nfrom server for:`;
    const live = api.find(res, obj.metadata.namespace, obj.metadata.name);
    verb = 'creating';
    // applyOneObject: a client dry run sends nothing, and says "configured" for any existing object
    if (!live) return print(dry === 'client' ? obj : api.create(obj, serverValidation(mode, stderr)), `created${suffix}`);
    if (dry === 'client') return print(obj, `configured${suffix}`);
    verb = 'applying patch';
    if (live.metadata.annotations?.[LAST_APPLIED] === undefined) {
      stderr.push(
        `Warning: resource ${res.group ? `${res.plural}.${res.group}` : res.plural}/${live.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. ` +
          'kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n',
      );
    }
    let last: unknown = {};
    try {
      last = JSON.parse(live.metadata.annotations?.[LAST_APPLIED] ?? '{}');
    } catch {
      /* a damaged annotation counts as none */
    }
    // the live object as the server holds it: nothing outside its Go struct (a state written before
    // kubesim dropped unknown fields may still have some)
    // (at the manifest's version, when the kind is served at several: kubectl reads it through that one)
    const current = liveAtVersion(clone(live), obj.apiVersion);
    decodeObject(current, 'Ignore');
    const merged = threeWay(current, last, obj) as KObject;
    recordClientSideApply(live, merged, obj);
    // kubectl says "configured" whenever it sends a patch: one with fields the server drops is one
    const dropped = decodeObject(clone(merged), 'Warn', true).strict.length > 0;
    try {
      const { obj: stored, changed } = api.update(merged, { ...serverValidation(mode, stderr), patch: true });
      return print(stored, `${changed || dropped ? 'configured' : 'unchanged'}${suffix}`);
    } catch (e) {
      if (!(e instanceof StrictDecodingError)) throw e;
      const patch = threeWayPatch(last, clone(obj), current, schemaOf(res.kind));
      verb = `applying patch:\n${goJSON(patch)}\nto:\n${infoString(res, obj)}\nfor:`;
      throw strictPatchError(patch, e.errors, item.source);
    }
  };
  const finish = o.prune ? (api: ApiClient) => prune(api, pruning, applied, o, suffix) : undefined;
  return eachObject(g, o, () => verb, fn, finish);
}

/**
 * The apiserver's answer to a strategic merge patch whose result has unknown fields (Strict):
 * NewInvalid(GroupKind{}, "", patch: Invalid value: %+v of the patch, "strict decoding error: …"),
 * which kubectl's Patcher wraps with "error when patching" (checkErr prints it from its details:
 * "The request is invalid: patch: Invalid value: …").
 */
function strictPatchError(patch: Record<string, unknown>, errors: string[], source: string): StatusError {
  const cause = { type: 'Invalid value' as const, field: 'patch', value: new GoSyntax(goQuote(goValue(patch))), detail: `strict decoding error: ${errors.join(', ')}` };
  return new StatusError('Invalid', `error when patching ${JSON.stringify(source)}:  "" is invalid: ${fieldErrorString(cause)}`, { kind: '', name: '', causes: [cause] });
}

function dryRunNamespace(name: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: ${name}\nspec: {}\nstatus: {}\n`;
}

export function runCreateNamespace(g: GlobalOptions, name: string, o: { dryRun?: string; output?: string; validate?: string }): Outcome {
  validationDirective(o.validate);
  const mode = dryRunStrategy(o.dryRun);
  if (mode === 'client') {
    const obj = { kind: 'Namespace', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, spec: {}, status: {} } as unknown as KObject;
    const print = objectPrinter(o.output, undefined, (x) => JSON.stringify(x, null, 4) + '\n');
    if (o.output === 'yaml') return { stdout: dryRunNamespace(name) };
    return { stdout: print(obj, 'created (dry run)') };
  }
  // create_namespace.go prints what the typed client returned: -o json in the Go struct's order
  const print = objectPrinter(o.output, undefined, typedObjectJSON);
  const obj = mutateApi(g, (api) => api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), mode === 'server');
  return { stdout: print(obj, `created${dryRunSuffix(o.dryRun)}`) };
}

export function registerCreate(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  const create = validateOption(program.command('create'))
    .description('Create a resource from a file or from stdin')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to create the resource', collect)
    .option('-k, --kustomize <dir>', 'Process the kustomization directory. This flag can\'t be used together with -f or -R.')
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively')
    .option('-o, --output <format>', 'Output format: json, yaml, name')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .argument('[args...]')
    .action((args: string[], opts: FileOptions) => run(() => (noArgs('create', args), runCreateFiles(g(), opts))));
  validateOption(create.command('namespace'))
    .alias('ns')
    .description('Create a namespace with the specified name')
    .argument('<name>')
    .option('--dry-run <strategy>', 'Must be "none", "server", or "client"')
    .option('-o, --output <format>', 'Output format: json, yaml, name')
    // -o after the subcommand may land on `create` itself, whose own -o it shares
    .action((name: string, _opts: unknown, cmd: Command) => run(() => runCreateNamespace(g(), name, cmd.optsWithGlobals())));
  registerGenerators(create, program, g, run);
  registerServiceAccountCommands(create, g, run);
  const apply = validateOption(program.command('apply'))
    .description('Apply a configuration to a resource by file name or stdin')
    .option('-f, --filename <file>', 'The files that contain the configurations to apply', collect)
    .option('-k, --kustomize <dir>', 'Process a kustomization directory. This flag can\'t be used together with -f or -R.')
    .option('--server-side', 'If true, apply runs in the server instead of the client.')
    .option('--force-conflicts', 'If true, server-side apply will force the changes against conflicts.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--prune', 'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.')
    .option('--all', 'Select all resources in the namespace of the specified resource types.')
    .option('--prune-allowlist <gvk>', 'Overwrite the default allowlist with <group/version/kind> for --prune', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively')
    .option('-o, --output <format>', 'Output format: json, yaml, name')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .argument('[args...]')
    .action((args: string[], opts: ApplyOptions) => run(() => (noArgs('apply', args), runApply(g(), opts))));
  registerApplySubcommands(apply, g, run);
}

/** create -f and apply take no arguments (`--validate warn` leaves one: --validate's value needs "="). */
function noArgs(verb: string, args: string[]): void {
  if (args.length) throw new CliError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubesim ${verb} -h' for help and examples`, true);
}
