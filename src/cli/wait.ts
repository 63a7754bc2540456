// kubectl wait --for=condition=C[=value] | --for=delete | --for=create | --for=jsonpath='{…}'=value,
// polling the state directory until every object matches or --timeout (default 30s) passes.
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { qualifiedPlural, qualifiedSingular, type Resource } from '../api/resources';
import type { KObject } from '../api/types';
import { findJsonPath, relaxedJsonPath } from '../printers/jsonpath';
import { readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { namespaceFor, NO_NAME, select } from './resource/builder';

interface WaitOptions {
  for?: string;
  timeout?: string;
  selector?: string;
  all?: boolean;
  filename?: string[];
  recursive?: boolean;
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
  if (args.length === 0 && !o.filename?.length) throw new CliError(NO_NAME, true);
  const sel = select(g, args, o, { requireNames: true });
  // the objects to wait for are fixed at the start, as kubectl's resource builder does; a named one
  // need not exist yet for --for=create or delete
  const api = readApi(g);
  const targets: { res: Resource; ns: string | undefined; name: string }[] = [];
  for (const r of sel.requests) {
    if (r.names.length) for (const n of r.names) targets.push({ res: r.res, ns: namespaceFor(sel, r, false), name: n });
    else for (const x of api.list(r.res, namespaceFor(sel, r, true), { labelSelector: o.selector })) targets.push({ res: r.res, ns: x.metadata.namespace, name: x.metadata.name });
  }
  if (targets.length === 0) throw new CliError('error: no matching resources found', true);
  for (const t of targets) if (needsObject) api.get(t.res, t.ns, t.name);
  const deadline = Date.now() + timeout * 1000;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let stdout = '';
  for (const t of targets) {
    for (;;) {
      const obj = readApi(g).find(t.res, t.ns, t.name);
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
    .option('-f, --filename <file>', 'identifying the resource.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .action((args: string[], opts: WaitOptions) => run(() => runWait(g(), args, opts)));
}
