// kubectl's print flags (cli-runtime's genericclioptions.PrintFlags): what `-o` names, read in one
// place. `get` adds its table forms (wide, custom-columns); the verbs that create or change objects
// print with these (json, yaml, name, jsonpath…, go-template…) or kubectl's "kind/name verb" line.
import { readFileSync } from 'fs';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { printGoTemplate } from '../printers/gotemplate';
import { printJsonPath } from '../printers/jsonpath';
import { nameOf, toJSON, toYAML } from '../printers/output';
import { markClientDryRun } from '../apiserver/requester';

/** The formats of a verb that prints the objects it changed, as its error lists them. */
export const OBJECT_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

function readTemplate(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`error: error reading --template ${file}: ${(e as Error).message}`, true);
  }
}

/** The template of -o jsonpath=T / jsonpath-as-json=T / jsonpath-file=F, or undefined for other formats. */
export function jsonPathTemplate(output: string): string | undefined {
  if (output.startsWith('jsonpath=')) return output.slice('jsonpath='.length);
  if (output.startsWith('jsonpath-as-json=')) return output.slice('jsonpath-as-json='.length);
  if (output.startsWith('jsonpath-file=')) return readTemplate(output.slice('jsonpath-file='.length));
  if (output === 'jsonpath') throw new CliError('error: template format specified but no template given', true);
  return undefined;
}

/** -o go-template=T, go-template-file=F, template=T, templatefile=F, or --template with -o go-template. */
export function goTemplateOf(output: string, flag?: string): string | undefined {
  for (const p of ['go-template=', 'template=']) if (output.startsWith(p)) return output.slice(p.length);
  for (const p of ['go-template-file=', 'templatefile=']) if (output.startsWith(p)) return readTemplate(output.slice(p.length));
  if (output === 'go-template' || output === 'template' || (output === '' && flag !== undefined)) {
    if (flag === undefined) throw new CliError('error: template format specified but no template given', true);
    return flag;
  }
  return undefined;
}

/**
 * A printer for one object a verb created or changed: `-o` as PrintFlags reads it, else kubectl's
 * success line (`deployment.apps/x created (dry run)`). An unknown format is refused before
 * anything is done, so the caller builds it first.
 */
export function objectPrinter(output: string | undefined, template?: string, json: (obj: KObject) => string = toJSON): (obj: KObject, done: string) => string {
  const o = output ?? '';
  const jp = jsonPathTemplate(o);
  if (jp !== undefined) return (obj) => printJsonPath(jp, obj, { asJSON: o.startsWith('jsonpath-as-json=') });
  const gt = goTemplateOf(o, template);
  if (gt !== undefined) return (obj) => printGoTemplate(gt, obj);
  switch (o) {
    case '':
      return (obj, done) => `${nameOf(obj)} ${done}\n`;
    case 'json':
      return json;
    case 'yaml':
      return (obj) => toYAML(obj);
    case 'name':
      return (obj) => nameOf(obj) + '\n';
    default:
      throw new CliError(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: ${OBJECT_FORMATS}`, true);
  }
}

export type DryRun = 'none' | 'client' | 'server';

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * cmdutil.GetDryRunStrategy: none, client or server; a bare --dry-run and Go's true forms are
 * client, its false forms none; anything else is kubectl's error.
 */
export function dryRunStrategy(v: string | boolean | undefined): DryRun {
  const mode = parseDryRun(v);
  // a client dry run sends no write: none is authorised (apiserver/requester.ts)
  if (mode === 'client') markClientDryRun();
  return mode;
}

function parseDryRun(v: string | boolean | undefined): DryRun {
  if (v === undefined || v === false) return 'none';
  if (v === true) return 'client';
  if (GO_TRUE.includes(v)) return 'client';
  if (GO_FALSE.includes(v)) return 'none';
  if (v === 'client' || v === 'server' || v === 'none') return v;
  throw new CliError(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`, true);
}

/** --dry-run's strategies that change nothing (client and server). */
export function isDryRun(v: string | boolean | undefined): boolean {
  return dryRunStrategy(v) !== 'none';
}

/** What kubectl adds to "deleted", "scaled", "labeled": ` (dry run)` or ` (server dry run)`. */
export function dryRunSuffix(v: string | boolean | undefined): string {
  const mode = dryRunStrategy(v);
  return mode === 'client' ? ' (dry run)' : mode === 'server' ? ' (server dry run)' : '';
}
