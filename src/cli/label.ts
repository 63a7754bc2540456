// kubectl label / annotate (pkg/cmd/label, pkg/cmd/annotate).
import { writeErr } from '../util/stdio';
import { Command } from 'commander';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { isQualifiedName, isValidLabelValue } from '../api/validation';
import { clone, setKey } from '../util/compare';
import { mutateApi, type GlobalOptions } from './context';
import { existingManifests } from './resource/files';
import type { Outcome } from './outcome';
import { objectPrinter } from './printflags';
import { select, visit } from './resource/builder';
import { dryRunSuffix, isDryRun } from './printflags';
import { changeCause, recordChangeCause, recordOption, RECORD_WARNING } from './record';
import { AS_PATCH } from '../apiserver/client';

type Field = 'labels' | 'annotations';

interface MetaOptions {
  overwrite?: boolean;
  selector?: string;
  all?: boolean;
  local?: boolean;
  filename?: string[];
  output?: string;
  list?: boolean;
  dryRun?: string | boolean;
  /** --record (deprecated): the change-cause written with the change, on the cluster only */
  record?: boolean;
  cause?: string;
}

interface Changes {
  set: Record<string, string>;
  remove: string[];
}

/** cmdutil.GetResourcesAndPairs: resources first, then `key=value` / `key-` changes. */
function splitArgs(args: string[], field: Field): { resources: string[]; changes: Changes } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const resources: string[] = [];
  let foundPair = false;
  for (const a of args) {
    const pair = (a.includes('=') && a[0] !== '=') || (a.endsWith('-') && a !== '-');
    if (!pair) {
      if (foundPair) throw new CliError(`error: all resources must be specified before ${field === 'labels' ? 'label' : 'annotation'} changes: ${a}`, true);
      resources.push(a);
      continue;
    }
    foundPair = true;
    const eq = a.indexOf('=');
    if (eq < 0) {
      remove.push(a.slice(0, -1));
      continue;
    }
    const k = a.slice(0, eq);
    const v = a.slice(eq + 1);
    if (field === 'labels') {
      if (isQualifiedName(k).length) throw new CliError(`error: invalid label spec: ${a}`, true);
      const bad = isValidLabelValue(v);
      if (bad.length) throw new CliError(`error: invalid label value: ${JSON.stringify(a)}: ${bad.join('; ')}`, true);
    }
    setKey(set, k, v);
  }
  return { resources, changes: { set, remove } };
}

const noun = (field: Field) => (field === 'labels' ? 'label' : 'annotation');

/** Applies the changes to a copy of obj; returns it and kubectl's verb for what happened. */
function applyChanges(obj: KObject, c: Changes, field: Field, overwrite: boolean): { obj: KObject; verb: string } {
  const out = clone(obj);
  const cur: Record<string, string> = { ...(out.metadata[field] ?? {}) };
  if (!overwrite) {
    const clashes = Object.keys(c.set).filter((k) => k in cur && cur[k] !== c.set[k]);
    if (clashes.length && field === 'labels') throw new CliError(`error: '${clashes[0]}' already has a value (${cur[clashes[0]]}), and --overwrite is false`, true);
    if (clashes.length) throw new CliError(`error: --overwrite is false but found the following declared annotation(s): ${clashes.map((k) => `'${k}' already has a value (${cur[k]})`).join('; ')}`, true);
  }
  for (const k of c.remove) delete cur[k];
  Object.assign(cur, c.set);
  out.metadata[field] = cur;
  if (field === 'labels' && Object.keys(cur).length === 0 && !obj.metadata.labels) delete out.metadata.labels;
  const before = JSON.stringify(obj.metadata[field] ?? {});
  const after = JSON.stringify(cur);
  let verb = field === 'labels' ? 'labeled' : 'annotated';
  if (field === 'labels') {
    if (before === after) verb = 'not labeled';
    else if (!overwrite && Object.keys(cur).length < Object.keys(obj.metadata.labels ?? {}).length) verb = 'unlabeled';
  }
  return { obj: out, verb };
}

function printed(obj: KObject, verb: string, output?: string, suffix = ''): string {
  return objectPrinter(output)(obj, `${verb}${suffix}`);
}

function runMeta(field: Field, g: GlobalOptions, args: string[], o: MetaOptions): Outcome {
  const { resources, changes } = splitArgs(args, field);
  if (!o.list && Object.keys(changes.set).length === 0 && changes.remove.length === 0) throw new CliError(`error: at least one ${noun(field)} update is required`, true);
  if (o.local) {
    if (!o.filename?.length) throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', true);
    let stdout = '';
    for (const item of existingManifests(o.filename, false)) {
      if (o.list) {
        stdout += Object.entries((item.obj.metadata[field] ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}\n`).join('');
        continue;
      }
      const { obj } = applyChanges(item.obj, changes, field, !!o.overwrite);
      // with --local kubectl reports the action without comparing
      stdout += printed(obj, changes.remove.length && !Object.keys(changes.set).length && field === 'labels' ? 'unlabeled' : field === 'labels' ? 'labeled' : 'annotated', o.output);
    }
    return { stdout };
  }
  if (resources.length === 0 && !o.filename?.length) throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', true);
  const sel = select(g, resources, o, { requireNames: true });
  const errors: unknown[] = [];
  let stdout = '';
  mutateApi(g, (api) => {
    for (const v of visit(api, sel, errors)) {
      for (const live of v.objects) {
        try {
          if (o.list) {
            stdout += Object.entries((live.metadata[field] ?? {}) as Record<string, string>).map(([k, val]) => `${k}=${val}\n`).join('');
            continue;
          }
          const { obj, verb } = applyChanges(live, changes, field, !!o.overwrite);
          const stored = verb === 'not labeled' ? live : api.update(recordChangeCause(obj, o.cause), undefined, AS_PATCH).obj;
          stdout += printed(stored, verb, o.output, dryRunSuffix(o.dryRun));
        } catch (e) {
          errors.push(e);
        }
      }
    }
  }, isDryRun(o.dryRun));
  return { stdout, errors };
}

/** runMeta with --record's deprecation warning first. */
function runMetaRecorded(field: Field, g: GlobalOptions, args: string[], o: MetaOptions): Outcome {
  const warning = o.record !== undefined ? RECORD_WARNING : '';
  try {
    const out = runMeta(field, g, args, o);
    return { ...out, stderr: warning + (out.stderr ?? '') };
  } catch (e) {
    if (warning) writeErr(warning);
    throw e;
  }
}

export function registerLabel(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  for (const field of ['labels', 'annotations'] as Field[]) {
    const verb = field === 'labels' ? 'label' : 'annotate';
    program
      .command(verb)
      .description(field === 'labels' ? 'Update the labels on a resource' : 'Update the annotations on a resource')
      .argument('[args...]', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | KEY-')
      .option('--overwrite', 'If true, allow labels/annotations to be overwritten')
      .option('-l, --selector <selector>', 'Selector (label query) to filter on')
      .option('--all', 'Select all resources, in the namespace of the specified resource types')
      .option('--local', 'If true, will NOT contact the api-server but run locally')
      .option('-f, --filename <file>', 'Filename identifying the resource to update', (v: string, prev: string[] = []) => [...prev, v])
      .option('-o, --output <format>', 'Output format. One of: (json, yaml, name)')
      .option('--list', `If true, display the ${field} for a given resource`)
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
      .addOption(recordOption())
      .action((args: string[], opts: MetaOptions, cmd: Command) => run(() => runMetaRecorded(field, g(), args, { ...opts, cause: opts.record && !opts.local ? changeCause(cmd) : undefined })));
  }
}
