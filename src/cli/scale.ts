// kubectl scale: set spec.replicas of deployments and replica sets (TYPE NAME, TYPE/NAME, -f, -l).
import { Command } from 'commander';
import { CliError } from '../api/errors';
import type { Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { clone } from '../util/compare';
import { mutateApi, type GlobalOptions } from './context';
import { dryRunStrategy, dryRunSuffix, objectPrinter } from './printflags';
import type { Outcome } from './outcome';
import { select, visit } from './resource/builder';
import { changeCause, recordChangeCause, recordOption, RECORD_WARNING } from './record';

interface ScaleOptions {
  replicas?: string;
  currentReplicas?: string;
  filename?: string[];
  selector?: string;
  all?: boolean;
  output?: string;
  dryRun?: string | boolean;
  /** --record (deprecated): the change-cause annotation, written after the scale as RunScale's Recorder patch does */
  record?: boolean;
  cause?: string;
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);


const noScaler = (res: Resource) => new CliError(`error: no scaler has been implemented for {"${res.group}" "${res.kind}"}`, true);

export function runScale(g: GlobalOptions, args: string[], o: ScaleOptions): Outcome {
  if (o.replicas === undefined) throw new CliError('error: required flag(s) "replicas" not set', true);
  const replicas = Number(o.replicas);
  if (!/^-?\d+$/.test(o.replicas)) throw new CliError(`error: invalid argument "${o.replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${o.replicas}": invalid syntax`, true);
  // Complete builds the printer (an unknown -o fails first), Validate checks the count
  const print = objectPrinter(o.output);
  if (replicas < 0) throw new CliError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0', true);
  if (!o.filename?.length && args.length === 0) throw new CliError('error: required resource not specified', true);
  const mode = dryRunStrategy(o.dryRun);
  const sel = select(g, args, o, { requireNames: true });
  for (const r of sel.requests) if (!SCALABLE.has(r.res.kind)) throw noScaler(r.res);
  let stdout = '';
  let printed = 0;
  // scale.go prints info.Object, the object as the builder read it (before the scale), through one
  // printer for all: YAML documents after the first start with "---" (printers/yaml.go)
  const show = (obj: KObject) => {
    const text = print(obj, `scaled${dryRunSuffix(o.dryRun)}`);
    stdout += (o.output === 'yaml' && printed++ > 0 ? '---\n' : '') + text;
  };
  const errors: unknown[] = [];
  mutateApi(g, (api) => {
    for (const v of visit(api, sel, errors)) {
      for (const live of v.objects) {
        // a client dry run prints what it read and sends nothing: no precondition is checked
        if (mode === 'client') {
          show(live);
          continue;
        }
        try {
          if (o.currentReplicas !== undefined && String(live.spec?.replicas ?? 1) !== o.currentReplicas) {
            throw new CliError(`error: Expected replicas to be ${o.currentReplicas}, was ${live.spec?.replicas ?? 1}`, true);
          }
          const upd = clone(live);
          upd.spec.replicas = replicas;
          // kubectl patches the scale subresource, or (with --current-replicas) updates it
          api.update(recordChangeCause(upd, o.cause), undefined, { verb: o.currentReplicas !== undefined ? 'update' : 'patch', subresource: 'scale' });
          show(live);
        } catch (e) {
          errors.push(e);
        }
      }
    }
  }, mode !== 'none');
  return { stdout, stderr: o.record !== undefined ? RECORD_WARNING : undefined, errors };
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
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .addOption(recordOption())
    .action((args: string[], opts: ScaleOptions, cmd: Command) => run(() => runScale(g(), args, { ...opts, cause: opts.record ? changeCause(cmd) : undefined })));
}
