// kubectl taint (pkg/cmd/taint: taint.go, utils.go): add, change and remove a node's taints. What
// they do to pods is the scheduler's (NoSchedule) and the taint eviction controller's (NoExecute).
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { lookupResource } from '../api/resources';
import type { KObject } from '../api/types';
import { isQualifiedName, isValidLabelValue } from '../api/validation';
import { clone } from '../util/compare';
import { mutateApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { dryRunStrategy, dryRunSuffix, objectPrinter } from './printflags';
import { select, visit } from './resource/builder';
import { AS_PATCH } from '../apiserver/client';

interface Taint {
  key: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}

interface TaintFlags {
  selector?: string;
  all?: boolean;
  overwrite?: boolean;
  output?: string;
  dryRun?: string | boolean;
}

const usage = (msg: string) => new CliError(`error: ${msg}\nSee 'kubesim taint -h' for help and examples`, true);

/** v1.Taint.ToString */
function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** parseTaint: `key=value:effect`, `key:effect` or `key`. */
function parseTaint(st: string): Taint {
  const parts = st.split(':');
  let key: string;
  let value = '';
  let effect = '';
  if (parts.length === 1) key = parts[0];
  else if (parts.length === 2) {
    effect = parts[1];
    if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) throw usage(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw usage(`invalid taint spec: ${st}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const errs = isValidLabelValue(value);
      if (errs.length) throw usage(`invalid taint spec: ${st}, ${errs.join('; ')}`);
    }
  } else throw usage(`invalid taint spec: ${st}`);
  const errs = isQualifiedName(key);
  if (errs.length) throw usage(`invalid taint spec: ${st}, ${errs.join('; ')}`);
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

/** parseTaints: additions need an effect and are unique by key and effect. */
function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const s of specs) {
    if (s.endsWith('-')) {
      const t = parseTaint(s.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(s);
    if (!t.effect) throw usage(`invalid taint spec: ${s}`);
    if (add.some((x) => x.key === t.key && x.effect === t.effect)) throw usage(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
    add.push(t);
  }
  return { add, remove };
}

const matches = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/** reorganizeTaints: the new list and kubectl's word for what happened. */
function reorganize(node: KObject, overwrite: boolean, add: Taint[], remove: Taint[]): { op: string; taints: Taint[] } {
  const old = (node.spec?.taints ?? []) as Taint[];
  let taints = [...add];
  for (const o of old) if (!taints.some((t) => matches(t, o))) taints.push(o);
  const added = old.length !== taints.length;
  const errors: string[] = [];
  let removed = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => (r.effect ? !matches(r, t) : t.key !== r.key));
    removed = taints.length !== before;
    if (!removed) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  if (errors.length) throw new CliError(`error: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`, true);
  const op = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { op, taints };
}

function runTaint(g: GlobalOptions, args: string[], o: TaintFlags): Outcome {
  const resources: string[] = [];
  const specs: string[] = [];
  for (const s of args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) specs.push(s);
    else if (specs.length) throw new CliError(`error: all resources must be specified before taint changes: ${s}`, true);
    else resources.push(s);
  }
  if (resources.length < 1) throw new CliError('error: one or more resources must be specified as <resource> <name>', true);
  if (specs.length < 1) throw new CliError('error: at least one taint update is required', true);
  const { add, remove } = parseTaints(specs);
  const type = resources[0].toLowerCase();
  const res = lookupResource(type);
  if (!res) throw new CliError(`error: the server doesn't have a resource type "${type}"`, true);
  if (res.kind !== 'Node') throw new CliError(`error: invalid resource type ${type}, only node types are supported`, true);
  const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect)).map((r) => `{"${r.key}":"${r.effect ?? ''}"}`));
  if (conflicts.length) throw new CliError(`error: can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`, true);
  if (o.all && o.selector) throw new CliError("error: setting 'all' parameter with a non empty selector is prohibited", true);
  if (!o.all && !o.selector && resources.length < 2) throw new CliError("error: at least one resource name must be specified since 'all' parameter is not set", true);
  const dry = dryRunStrategy(o.dryRun);
  const names = o.all || o.selector ? [] : resources.slice(1);
  const sel = select(g, ['nodes', ...names], { selector: o.selector, all: o.all });
  let stdout = '';
  return mutateApi(
    g,
    (api) => {
      const errors: unknown[] = [];
      // the builder's visitor stops at the first error; the nodes before it stay changed
      try {
      for (const v of visit(api, sel, errors)) {
        for (const node of v.objects) {
          if (!o.overwrite) {
            const exists = add.flatMap((a) => ((node.spec?.taints ?? []) as Taint[]).filter((t) => matches(a, t)).map(() => a.key));
            if (exists.length) throw new CliError(`error: node ${node.metadata.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`, true);
          }
          const { op, taints } = reorganize(node, !!o.overwrite, add, remove);
          const upd = clone(node);
          upd.spec ??= {};
          if (taints.length) upd.spec.taints = taints;
          else delete upd.spec.taints;
          const out = dry === 'client' ? upd : api.update(upd, undefined, AS_PATCH).obj;
          stdout += objectPrinter(o.output)(out, `${op}${dryRunSuffix(o.dryRun)}`);
        }
      }
      } catch (e) {
        errors.unshift(e);
      }
      return { stdout, errors: errors.slice(0, 1) };
    },
    dry !== 'none',
  );
}

export function registerTaint(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('taint')
    .description('Update the taints on one or more nodes')
    .argument('[args...]', 'NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)")
    .option('--overwrite', 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.')
    .option('--all', 'Select all nodes in the cluster')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .action((args: string[], opts: TaintFlags) => run(() => runTaint(g(), args, opts)));
}
