// create job | cronjob (kubectl pkg/cmd/create/create_job.go, create_cronjob.go): the objects
// kubectl builds, in Go struct order for -o json. `create job NAME --from=cronjob/X` copies the
// CronJob's job template, as kubectl's createJobFromCronJob does (annotation
// cronjob.kubernetes.io/instantiate: manual, an owner reference without blockOwnerDeletion).
import type { Command } from 'commander';
import { CliError } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { namespaceOf, readApi, type GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName, requiredFlag } from './generate';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';

interface Opts {
  dryRun?: string | boolean;
  output?: string;
  validate?: string;
  image?: string;
  from?: string;
  schedule?: string;
  restart?: string;
}

const explicitNs = (g: GlobalOptions) => g.namespace || undefined;

function container(name: string, image: string, command: string[]): Record<string, unknown> {
  return { name, image, ...(command.length ? { command } : {}), resources: {} };
}

export function jobFor(name: string, namespace: string | undefined, image: string, command: string[]): KObject {
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null } as unknown as KObject['metadata'],
    spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container(name, image, command)], restartPolicy: 'Never' } } },
    status: {},
  };
}

export function cronJobFor(name: string, namespace: string | undefined, image: string, schedule: string, restart: string, command: string[]): KObject {
  return {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null } as unknown as KObject['metadata'],
    spec: {
      schedule,
      jobTemplate: {
        metadata: { name, creationTimestamp: null },
        spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container(name, image, command)], restartPolicy: restart } } },
      },
    },
    status: {},
  };
}

function jobFromCronJob(name: string, namespace: string | undefined, cj: KObject): KObject {
  const jt = cj.spec?.jobTemplate ?? {};
  const annotations = { 'cronjob.kubernetes.io/instantiate': 'manual', ...(jt.metadata?.annotations ?? {}) };
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      creationTimestamp: null,
      ...(jt.metadata?.labels ? { labels: jt.metadata.labels } : {}),
      annotations,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true }],
    } as unknown as KObject['metadata'],
    spec: JSON.parse(JSON.stringify(jt.spec ?? {})),
    status: {},
  };
}

/** cobra's ArgsLenAtDash: the arguments after "--" are the command, those before it the names. */
function splitAtDash(args: string[]): [string[], string[]] {
  const raw = process.argv.slice(2);
  const dash = raw.indexOf('--');
  const after = dash < 0 ? 0 : Math.min(args.length, raw.length - dash - 1);
  return [args.slice(0, args.length - after), args.slice(args.length - after)];
}

export function runCreateJob(g: GlobalOptions, names: string[], o: Opts, command: string[]): Outcome {
  const name = exactlyOneName(names, 'create job');
  if (!o.image === !o.from) throw new CliError('error: either --image or --from must be specified', true);
  if (command.length && o.from) throw new CliError('error: cannot specify --from and command', true);
  if (o.image) return emitGenerated(g, [jobFor(name, explicitNs(g), o.image, command)], o, 'created', 'failed to create job: ');
  const [type, from] = o.from!.includes('/') ? o.from!.split('/', 2) : [o.from!, ''];
  const res = lookupResource(type);
  if (!res) throw new CliError(`error: the server doesn't have a resource type "${type}"`, true);
  if (!from) throw new CliError('error: from must be an existing cronjob', true);
  const obj = readApi(g).get(res, namespaceOf(g), from);
  if (obj.kind !== 'CronJob') throw new CliError(`error: unknown object type *v1.${obj.kind}`, true);
  return emitGenerated(g, [jobFromCronJob(name, explicitNs(g), obj)], o, 'created', 'failed to create job: ');
}

export function runCreateCronJob(g: GlobalOptions, names: string[], o: Opts, command: string[]): Outcome {
  // cobra checks required flags first, in their order
  const missing = [!o.image && 'image', !o.schedule && 'schedule'].filter(Boolean);
  if (missing.length) throw requiredFlag(missing.join('\\", \\"'));
  const name = exactlyOneName(names, 'create cronjob');
  return emitGenerated(g, [cronJobFor(name, explicitNs(g), o.image!, o.schedule!, o.restart || 'OnFailure', command)], o, 'created', 'failed to create cronjob: ');
}

export function registerBatchGenerators(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const opts = (cmd: Command) => cmd.optsWithGlobals() as Opts;
  dryRunOption(
    validateOption(create.command('job'))
      .description('Create a job with the specified name')
      .argument('[name...]')
      .option('--image <image>', 'Image name to run.')
      .option('--from <resource>', "The name of the resource to create a Job from (only cronjob is supported)."),
  ).action((args: string[], _o: unknown, cmd: Command) => {
    const [names, command] = splitAtDash(args);
    run(() => runCreateJob(g(), names, opts(cmd), command));
  });
  dryRunOption(
    validateOption(create.command('cronjob'))
      .alias('cj')
      .description('Create a cronjob with the specified name')
      .argument('[name...]')
      .option('--image <image>', 'Image name to run.')
      .option('--schedule <schedule>', 'A schedule in the Cron format the job should be run with.')
      .option('--restart <policy>', "job's restart policy. supported values: OnFailure, Never"),
  ).action((args: string[], _o: unknown, cmd: Command) => {
    const [names, command] = splitAtDash(args);
    run(() => runCreateCronJob(g(), names, opts(cmd), command));
  });
}
