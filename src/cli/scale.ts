// kubectl scale: set spec.replicas of deployments and replica sets (TYPE NAME, TYPE/NAME, -f, -l).
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import { updateObject } from '../api/registry';
import { qualifiedSingular, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { clone } from '../util/compare';
import { mutate, namespaceOf, type GlobalOptions } from './context';
import { mappingFor, placeObject } from './resource/objects';
import { existingManifests, requireName } from './resource/files';
import { isDryRun } from './printflags';
import type { Outcome } from './outcome';
import { parseResourceArgs } from './resource/args';

interface ScaleOptions {
  replicas?: string;
  currentReplicas?: string;
  filename?: string[];
  selector?: string;
  all?: boolean;
  output?: string;
  dryRun?: string | boolean;
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet']);


const noScaler = (res: Resource) => new CliError(`error: no scaler has been implemented for {"${res.group}" "${res.kind}"}`, true);

export function runScale(g: GlobalOptions, args: string[], o: ScaleOptions): Outcome {
  if (o.replicas === undefined) throw new CliError('error: required flag(s) "replicas" not set', true);
  const replicas = Number(o.replicas);
  if (!/^-?\d+$/.test(o.replicas)) throw new CliError(`error: invalid argument "${o.replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${o.replicas}": invalid syntax`, true);
  if (replicas < 0) throw new CliError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0', true);
  const ns = namespaceOf(g);
  const targets: { kind: string; ns: string; name: string }[] = [];
  if (o.filename?.length) {
    for (const item of existingManifests(o.filename, false)) {
      const res = mappingFor(item.obj, item.source);
      placeObject(g, res, item.obj);
      if (!SCALABLE.has(res.kind)) throw noScaler(res);
      targets.push({ kind: res.kind, ns: item.obj.metadata.namespace!, name: requireName(item) });
    }
  }
  const { requests } = parseResourceArgs(args);
  if (!targets.length && !requests.length) throw new CliError('error: required resource not specified', true);
  let stdout = '';
  const errors: unknown[] = [];
  mutate(g, (state) => {
    for (const r of requests) {
      if (!SCALABLE.has(r.res.kind)) throw noScaler(r.res);
      if (r.names.length) for (const n of r.names) targets.push({ kind: r.res.kind, ns, name: n });
      else if (o.selector || o.all) {
        const sel = o.selector ? parseSelector(o.selector) : undefined;
        for (const x of state.list(r.res.kind, ns)) if (!sel || matches(sel, x.metadata.labels)) targets.push({ kind: r.res.kind, ns, name: x.metadata.name });
      } else throw new CliError('error: resource(s) were provided, but no name was specified', true);
    }
    for (const t of targets) {
      try {
        const live: KObject | undefined = state.get(t.kind, t.ns, t.name);
        const res = parseResourceArgs([t.kind]).requests[0].res;
        if (!live) throw notFound(res, t.name);
        if (o.currentReplicas !== undefined && String(live.spec?.replicas ?? 1) !== o.currentReplicas) {
          throw new CliError(`error: Expected replicas to be ${o.currentReplicas}, was ${live.spec?.replicas ?? 1}`, true);
        }
        const upd = clone(live);
        upd.spec.replicas = replicas;
        updateObject(state, upd);
        const dry = isDryRun(o.dryRun) ? ' (dry run)' : '';
        stdout += o.output === 'name' ? `${qualifiedSingular(res)}/${t.name}\n` : `${qualifiedSingular(res)}/${t.name} scaled${dry}\n`;
      } catch (e) {
        errors.push(e);
      }
    }
  }, isDryRun(o.dryRun));
  return { stdout, errors };
}

export function registerScale(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('scale')
    .description('Set a new size for a deployment or replica set')
    .argument('[args...]', '(-f FILENAME | TYPE NAME)')
    .option('--replicas <count>', 'The new desired number of replicas. Required.')
    .option('--current-replicas <count>', 'Precondition for current size.')
    .option('-f, --filename <file>', 'Filename identifying the resource to set a new size', (v: string, prev: string[] = []) => [...prev, v])
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-o, --output <format>', 'Output format. One of: name')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .action((args: string[], opts: ScaleOptions) => run(() => runScale(g(), args, opts)));
}
