// kubectl wait --for=condition=C[=value] | --for=delete | --for=create | --for=jsonpath='{…}'=value,
// polling the state directory until every object matches or --timeout (default 30s) passes.
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import { qualifiedPlural, qualifiedSingular, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { findJsonPath, relaxedJsonPath } from '../printers/jsonpath';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { parseResourceArgs } from './resource/args';

interface WaitOptions {
  for?: string;
  timeout?: string;
  selector?: string;
  all?: boolean;
}

type Check = (o: KObject | undefined) => boolean;

function parseFor(spec: string): { check: Check; needsObject: boolean } {
  if (spec === 'delete') return { check: (o) => !o, needsObject: false };
  if (spec === 'create') return { check: (o) => !!o, needsObject: false };
  if (spec.startsWith('condition=')) {
    const [type, want = 'true'] = spec.slice('condition='.length).split('=');
    return {
      needsObject: true,
      check: (o) => (o?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type.toLowerCase() === type.toLowerCase() && c.status.toLowerCase() === want.toLowerCase()),
    };
  }
  if (spec.startsWith('jsonpath=')) {
    const m = /^jsonpath=(\{.*\}|[^=]+)(?:=(.*))?$/.exec(spec);
    if (!m) throw new CliError(`error: unrecognized condition: "${spec}"`, true);
    const path = relaxedJsonPath(m[1].replace(/^'|'$/g, ''));
    const want = m[2];
    return {
      needsObject: true,
      check: (o) => {
        if (!o) return false;
        const v = findJsonPath(path, o);
        return want === undefined ? v.length > 0 : v.length > 0 && String(v[0]) === want;
      },
    };
  }
  throw new CliError(`error: unrecognized condition: "${spec}"`, true);
}

function seconds(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s);
  if (!m) throw new CliError(`error: invalid argument "${s}" for "--timeout" flag: time: invalid duration "${s}"`, true);
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] ?? 's'] as number);
}

export function runWait(g: GlobalOptions, args: string[], o: WaitOptions): Outcome {
  if (!o.for) throw new CliError('error: --for must be specified', true);
  const { check, needsObject } = parseFor(o.for);
  const timeout = seconds(o.timeout ?? '30s');
  const ns = namespaceOf(g);
  const { requests } = parseResourceArgs(args);
  if (requests.length === 0) throw new CliError('error: resource(s) were provided, but no name was specified', true);
  // the objects to wait for are fixed at the start, as kubectl's resource builder does
  const state = openRead(g);
  const targets: { res: Resource; name: string }[] = [];
  for (const r of requests) {
    const rns = r.res.namespaced ? ns : undefined;
    if (r.names.length) for (const n of r.names) targets.push({ res: r.res, name: n });
    else {
      const sel = o.selector ? parseSelector(o.selector) : undefined;
      if (!sel && !o.all) throw new CliError('error: resource(s) were provided, but no name was specified', true);
      for (const x of state.list(r.res.kind, rns)) if (!sel || matches(sel, x.metadata.labels)) targets.push({ res: r.res, name: x.metadata.name });
    }
  }
  if (targets.length === 0) throw new CliError('error: no matching resources found', true);
  for (const t of targets) if (needsObject && !state.get(t.res.kind, t.res.namespaced ? ns : undefined, t.name)) throw notFound(t.res, t.name);
  const deadline = Date.now() + timeout * 1000;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let stdout = '';
  for (const t of targets) {
    for (;;) {
      const obj = openRead(g).get(t.res.kind, t.res.namespaced ? ns : undefined, t.name);
      if (check(obj)) {
        stdout += `${qualifiedSingular(t.res)}/${t.name} condition met\n`;
        break;
      }
      if (needsObject && !obj) throw notFound(t.res, t.name);
      if (Date.now() >= deadline) {
        return { stdout, errors: [new CliError(`error: timed out waiting for the condition on ${qualifiedPlural(t.res)}/${t.name}`, true)] };
      }
      Atomics.wait(sleeper, 0, 0, 200);
    }
  }
  return { stdout };
}

export function registerWait(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('wait')
    .description('Experimental: Wait for a specific condition on one or many resources')
    .argument('[args...]', '([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)])')
    .option('--for <condition>', 'The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath=\'{JSONPath expression}\'=[JSONPath value]]')
    .option('--timeout <duration>', 'The length of time to wait before giving up. Zero means check once and don\'t wait, negative means wait for a week.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .action((args: string[], opts: WaitOptions) => run(() => runWait(g(), args, opts)));
}
