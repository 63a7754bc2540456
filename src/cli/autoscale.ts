// kubectl autoscale (kubectl 1.32 pkg/cmd/autoscale/autoscale.go): an autoscaling/v1
// HorizontalPodAutoscaler for each deployment, replica set, stateful set or replication controller
// named (TYPE NAME, TYPE/NAME, -f), printed (--dry-run=client) or created (the apiserver converts it
// to the v2 it stores).
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { apiVersionOf, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { nowMs } from '../util/clock';
import { liveAtVersion } from '../api/versions';
import { mutateApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { dryRunStrategy, objectPrinter } from './printflags';
import { select, visit } from './resource/builder';

interface AutoscaleOptions {
  min?: string;
  max?: string;
  cpuPercent?: string;
  name?: string;
  filename?: string[];
  output?: string;
  dryRun?: string | boolean;
}

/** The kinds with a scale subresource (the discovery scale-kind resolver's answer). */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** cobra's "required flag" failure, which kubectl 1.32 reports through klog. */
function requiredFlag(flag: string): CliError {
  const d = new Date(nowMs());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `E${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
  return new CliError(`${stamp} ${String(process.pid).padStart(7)} run.go:72] "command failed" err="required flag(s) \\"${flag}\\" not set"`, true);
}

/** pflag's Int32Var: -1 when unset. */
function int32Flag(v: string | undefined, flag: string): number {
  if (v === undefined) return -1;
  if (!/^[+-]?\d+$/.test(v)) throw new CliError(`Error: invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax\nSee 'kubesim autoscale --help' for usage.`, true);
  const n = Number(v);
  if (n > 2147483647 || n < -2147483648) throw new CliError(`Error: invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": value out of range\nSee 'kubesim autoscale --help' for usage.`, true);
  return n;
}

/** createHorizontalPodAutoscaler: the v1 object, its fields in the struct's order. */
export function autoscalerFor(name: string, res: Resource, target: string, min: number, max: number, cpu: number): KObject {
  const spec: Record<string, unknown> = { scaleTargetRef: { kind: res.kind, name: target, apiVersion: apiVersionOf(res) } };
  if (min > 0) spec.minReplicas = min;
  spec.maxReplicas = max;
  if (cpu >= 0) spec.targetCPUUtilizationPercentage = cpu;
  return { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata: { name, creationTimestamp: null }, spec, status: { currentReplicas: 0, desiredReplicas: 0 } } as unknown as KObject;
}

/** json.MarshalIndent of the typed object: struct order, HTML escaped. */
const structJSON = (obj: KObject) => JSON.stringify(obj, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';

export function runAutoscale(g: GlobalOptions, args: string[], o: AutoscaleOptions): Outcome {
  if (o.max === undefined) throw requiredFlag('max');
  const min = int32Flag(o.min, 'min');
  const max = int32Flag(o.max, 'max');
  const cpu = int32Flag(o.cpuPercent, 'cpu-percent');
  // Validate
  if (max < 1) throw new CliError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`, true);
  if (max < min) throw new CliError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`, true);
  const mode = dryRunStrategy(o.dryRun);
  const print = objectPrinter(o.output, undefined, structJSON);
  if (!o.filename?.length && args.length === 0) {
    throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'", true);
  }
  const sel = select(g, args, o, { requireNames: true });
  let stdout = '';
  const errors: unknown[] = [];
  let count = 0;
  mutateApi(
    g,
    (api) => {
      for (const v of visit(api, sel, errors)) {
        for (const live of v.objects) {
          try {
            if (!SCALABLE.has(v.res.kind)) {
              throw new CliError(`error: cannot autoscale a ${v.res.kind}: could not find scale subresource for ${v.res.group}/${v.res.version}, Resource=${v.res.plural} in discovery information`, true);
            }
            const hpa = autoscalerFor(o.name || live.metadata.name, v.res, live.metadata.name, min, max, cpu);
            count++;
            if (mode === 'client') {
              stdout += print(hpa, 'created (dry run)');
              continue;
            }
            const req = JSON.parse(JSON.stringify(hpa));
            delete req.metadata.creationTimestamp;
            delete req.status;
            req.metadata.namespace = live.metadata.namespace;
            // autoscale's client is autoscaling/v1 (HPAClient autoscalingv1client): the server answers
            // with the stored v2 object as v1 shows it
            const created = liveAtVersion(api.create(req), 'autoscaling/v1');
            stdout += print(created, mode === 'server' ? 'autoscaled (server dry run)' : 'autoscaled');
          } catch (e) {
            errors.push(e);
          }
        }
      }
    },
    mode === 'server',
  );
  if (count === 0 && errors.length === 0) errors.push(new CliError('error: no objects passed to autoscale', true));
  return { stdout, errors };
}

export function registerAutoscale(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('autoscale')
    .description('Auto-scale a deployment, replica set, stateful set, or replication controller')
    .argument('[args...]', '(-f FILENAME | TYPE NAME | TYPE/NAME)')
    .option('--min <pods>', 'The lower limit for the number of pods that can be set by the autoscaler.')
    .option('--max <pods>', 'The upper limit for the number of pods that can be set by the autoscaler. Required.')
    .option('--cpu-percent <percent>', 'The target average CPU utilization (represented as a percent of requested CPU) over all the pods.')
    .option('--name <name>', 'The name for the newly created object. If not specified, the name of the input resource will be used.')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to autoscale.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-o, --output <format>', 'Output format. One of: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .action((args: string[], opts: AutoscaleOptions) => run(() => runAutoscale(g(), args, opts)));
}
