// kubectl label / annotate (pkg/cmd/label, pkg/cmd/annotate) and kubectl set image.
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import { updateObject } from '../api/registry';
import { qualifiedSingular, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { isQualifiedName, isValidLabelValue } from '../api/validation';
import { clone, setKey } from '../util/compare';
import { mutate, namespaceOf, type GlobalOptions } from './context';
import { mappingFor, placeObject } from './resource/objects';
import { existingManifests, requireName } from './resource/files';
import type { Outcome } from './outcome';
import { objectPrinter } from './printflags';
import { parseResourceArgs } from './resource/args';
import { isDryRun } from './printflags';

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

function printed(obj: KObject, verb: string, output?: string, dry = false): string {
  return objectPrinter(output)(obj, `${verb}${dry ? ' (dry run)' : ''}`);
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
  const ns = namespaceOf(g);
  const errors: unknown[] = [];
  let stdout = '';
  mutate(g, (state) => {
    const targets: { res: Resource; obj: KObject | undefined; name: string }[] = [];
    if (o.filename?.length) {
      for (const item of existingManifests(o.filename, false)) {
        const res = mappingFor(item.obj, item.source);
        placeObject(g, res, item.obj);
        const name = requireName(item);
        targets.push({ res, name, obj: state.get(res.kind, res.namespaced ? item.obj.metadata.namespace : undefined, name) });
      }
    }
    for (const r of parseResourceArgs(resources).requests) {
      const rns = r.res.namespaced ? ns : undefined;
      if (r.names.length) for (const n of r.names) targets.push({ res: r.res, name: n, obj: state.get(r.res.kind, rns, n) });
      else if (o.selector || o.all) {
        const sel = o.selector ? parseSelector(o.selector) : undefined;
        for (const x of state.list(r.res.kind, rns)) if (!sel || matches(sel, x.metadata.labels)) targets.push({ res: r.res, name: x.metadata.name, obj: x });
      } else throw new CliError('error: resource(s) were provided, but no name was specified', true);
    }
    if (targets.length === 0 && !o.filename?.length) throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', true);
    for (const t of targets) {
      try {
        if (!t.obj) throw new StatusError('NotFound', `${t.res.group ? `${t.res.plural}.${t.res.group}` : t.res.plural} "${t.name}" not found`);
        if (o.list) {
          stdout += Object.entries((t.obj.metadata[field] ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}\n`).join('');
          continue;
        }
        const { obj, verb } = applyChanges(t.obj, changes, field, !!o.overwrite);
        const stored = verb === 'not labeled' ? t.obj : updateObject(state, obj).obj;
        stdout += printed(stored, verb, o.output, isDryRun(o.dryRun));
      } catch (e) {
        errors.push(e);
      }
    }
  }, isDryRun(o.dryRun));
  return { stdout, errors };
}

/** kubectl set image TYPE/NAME container=image ... ("*" for every container). */
export function runSetImage(g: GlobalOptions, args: string[], o: { output?: string; all?: boolean; selector?: string; dryRun?: string | boolean }): Outcome {
  const pairs = args.filter((a) => a.includes('='));
  const resources = args.filter((a) => !a.includes('='));
  if (pairs.length === 0) throw new CliError('error: at least one image update is required', true);
  const images = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const ns = namespaceOf(g);
  let stdout = '';
  const errors: unknown[] = [];
  mutate(g, (state) => {
    for (const r of parseResourceArgs(resources).requests) {
      if (!['Pod', 'Deployment', 'ReplicaSet'].includes(r.res.kind)) throw new CliError(`error: no image updater has been implemented for {"${r.res.group}" "${r.res.kind}"}`, true);
      let names = r.names;
      if (!names.length && (o.all || o.selector)) {
        const sel = o.selector ? parseSelector(o.selector) : undefined;
        names = state.list(r.res.kind, ns).filter((x) => !sel || matches(sel, x.metadata.labels)).map((x) => x.metadata.name);
      }
      for (const n of names) {
        try {
          const live = state.get(r.res.kind, ns, n);
          if (!live) throw new StatusError('NotFound', `${r.res.group ? `${r.res.plural}.${r.res.group}` : r.res.plural} "${n}" not found`);
          const upd = clone(live);
          const spec = r.res.kind === 'Pod' ? upd.spec : upd.spec.template.spec;
          const containers: { name: string; image: string }[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
          for (const [name, image] of Object.entries(images)) {
            const hits = name === '*' ? containers : containers.filter((c) => c.name === name);
            if (hits.length === 0) throw new CliError(`error: unable to find container named "${name}"`, true);
            for (const c of hits) c.image = image;
          }
          const stored = updateObject(state, upd).obj;
          stdout += o.output === 'yaml' || o.output === 'json' ? printed(stored, '', o.output) : o.output === 'name' ? `${qualifiedSingular(r.res)}/${n}\n` : `${qualifiedSingular(r.res)}/${n} image updated${isDryRun(o.dryRun) ? ' (dry run)' : ''}\n`;
        } catch (e) {
          errors.push(e);
        }
      }
    }
  }, isDryRun(o.dryRun));
  return { stdout, errors };
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
      .action((args: string[], opts: MetaOptions) => run(() => runMeta(field, g(), args, opts)));
  }
  const set = program.command('set').description('Set specific features on objects');
  set
    .command('image')
    .description('Update the image of a pod template')
    .argument('[args...]', '(-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ...')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name)')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .option('--all', 'Select all resources in the namespace')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .action((args: string[], opts: { output?: string; dryRun?: string | boolean }) => run(() => runSetImage(g(), args, opts)));
}
