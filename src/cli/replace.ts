// kubectl replace (pkg/cmd/replace/replace.go): a PUT of each object of -f as it is ("replaced"); its
// resourceVersion, when set, must be the stored one (the apiserver's Conflict otherwise), when absent
// the stored one is used (resource.Helper.Replace with overwrite). --force deletes each object
// (DeleteResult's "deleted" lines first), waits for it to be gone and creates it again.
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { qualifiedSingular, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import type { ApiClient } from '../apiserver/client';
import { type GlobalOptions } from './context';
import { inOrder, type Outcome, type OutputPart } from './outcome';
import { dryRunStrategy, dryRunSuffix, objectPrinter } from './printflags';
import { forEachManifest } from './resource/objects';
import { mutateApi } from './context';
import { readManifests, requireName } from './resource/files';
import { mappingFor, placeObject } from './resource/objects';

interface ReplaceOptions {
  filename?: string[];
  recursive?: boolean;
  force?: boolean;
  gracePeriod?: string;
  output?: string;
  dryRun?: string | boolean;
}

export function runReplace(g: GlobalOptions, args: string[], o: ReplaceOptions): Outcome {
  const dry = dryRunStrategy(o.dryRun);
  const print = objectPrinter(o.output);
  if (!o.filename?.length) throw new CliError('error: must specify one of -f and -k', true);
  let grace = -1;
  if (o.gracePeriod !== undefined) {
    if (!/^-?\d+$/.test(o.gracePeriod)) throw new CliError(`Error: invalid argument "${o.gracePeriod}" for "--grace-period" flag: strconv.ParseInt: parsing "${o.gracePeriod}": invalid syntax\nSee 'kubesim replace --help' for usage.`, true);
    grace = Number(o.gracePeriod);
  }
  // Validate: the deletion flags only go with --force
  if (grace >= 0 && !o.force) throw new CliError('error: --grace-period must have --force specified', true);
  if (args.length) throw new CliError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubesim replace -h' for help and examples`, true);
  if (o.force) {
    if (dry !== 'none') throw new CliError('error: --dry-run can not be used when --force is set', true);
    return forceReplace(g, o, grace, print);
  }
  const done = `replaced${dryRunSuffix(o.dryRun)}`;
  const fn = (api: ApiClient, item: { obj: KObject; source: string }) => {
    requireName(item);
    if (dry === 'client') return print(item.obj, done);
    return print(api.replace(item.obj).obj, done);
  };
  return forEachManifest(g, o.filename, !!o.recursive, () => 'replacing', fn, dry !== 'none');
}

function forceReplace(g: GlobalOptions, o: ReplaceOptions, grace: number, print: (obj: KObject, done: string) => string): Outcome {
  const { objects, errors: readErrors } = readManifests(o.filename!, !!o.recursive);
  const errors: unknown[] = readErrors.map((e) => e.error);
  const parts: OutputPart[] = [];
  const items: { obj: KObject; res: Resource; source: string }[] = [];
  for (const item of objects) {
    try {
      const res = mappingFor(item.obj, item.source);
      placeObject(g, res, item.obj);
      requireName(item);
      items.push({ obj: item.obj, res, source: item.source });
    } catch (e) {
      errors.push(e);
    }
  }
  mutateApi(g, (api) => {
    // DeleteResult: every object deleted first (missing ones ignored), then each created again
    for (const { obj, res } of items) {
      const ns = obj.metadata.namespace;
      if (!api.find(res, ns, obj.metadata.name)) continue;
      api.delete(res, ns, obj.metadata.name, { gracePeriodSeconds: grace >= 0 ? grace : undefined });
      // kubectl waits (up to --timeout) for the object to be gone: a pod's graceful termination
      // cannot finish inside one command on the simulated clock, so it ends at once here
      if (api.find(res, ns, obj.metadata.name)) api.delete(res, ns, obj.metadata.name, { gracePeriodSeconds: 0 });
      parts.push({ text: `${qualifiedSingular(res)} "${obj.metadata.name}" ${grace === 0 ? 'force deleted' : 'deleted'}\n` });
    }
    for (const { obj, source } of items) {
      try {
        const fresh = structuredClone(obj);
        delete fresh.metadata.resourceVersion;
        delete fresh.metadata.uid;
        parts.push({ text: print(api.create(fresh), 'replaced') });
      } catch (e) {
        if (e instanceof StatusError) errors.push(e.withSource('replacing', source));
        else throw e;
      }
    }
  });
  return inOrder(parts, errors);
}

export function registerReplace(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('replace')
    .description('Replace a resource by file name or stdin')
    .argument('[args...]')
    .option('-f, --filename <file>', 'The files that contain the configurations to replace.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--force', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.')
    .option('--grace-period <seconds>', 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .action((args: string[], opts: ReplaceOptions) => run(() => runReplace(g(), args, opts)));
}
