// kubectl apply view-last-applied / set-last-applied (kubectl pkg/cmd/apply/apply_view_last_applied.go,
// apply_set_last_applied.go): the annotation kubectl apply keeps, shown as YAML (yaml.JSONToYAML) or
// as the annotation's JSON indented by two (json.Indent), and replaced from a file.
// edit-last-applied is not here: it needs the editor.
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { qualifiedSingular } from '../api/resources';
import type { KObject } from '../api/types';
import { toYAML } from '../printers/output';
import { clone } from '../util/compare';
import { LAST_APPLIED, lastApplied } from './apply-patch';
import { mutateApi, readApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { dryRunStrategy, dryRunSuffix } from './printflags';
import { select, visit } from './resource/builder';
import { readManifests } from './resource/files';
import { mappingFor, placeObject } from './resource/objects';
import { AS_PATCH } from '../apiserver/client';

interface ViewOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  output?: string;
}

/** json.Indent(dst, src, "", "  "): the annotation's own key order, its trailing newline kept. */
function goIndent(text: string): string {
  const trailing = /\s*$/.exec(text)?.[0] ?? '';
  return JSON.stringify(JSON.parse(text), null, 2) + trailing;
}

export function runViewLastApplied(g: GlobalOptions, args: string[], o: ViewOptions): Outcome {
  const format = o.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') {
    throw new CliError(`error: Unexpected -o output mode: ${format}, the flag 'output' must be one of yaml|json\nSee 'kubesim apply view-last-applied -h' for help and examples`, true);
  }
  if (!o.filename?.length && args.length === 0) {
    throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'", true);
  }
  const sel = select(g, args, o, { requireNames: false });
  const errors: unknown[] = [];
  let stdout = '';
  const api = readApi(g);
  for (const v of visit(api, sel, errors)) {
    for (const obj of v.objects) {
      const text = obj.metadata.annotations?.[LAST_APPLIED];
      if (text === undefined) {
        errors.push(new CliError(`error: no last-applied-configuration annotation found on resource: ${obj.metadata.name}`, true));
        continue;
      }
      stdout += format === 'json' ? goIndent(text) : toYAML(JSON.parse(text));
    }
  }
  return { stdout, errors };
}

interface SetOptions {
  filename?: string[];
  recursive?: boolean;
  createAnnotation?: boolean;
  output?: string;
  dryRun?: string | boolean;
}

export function runSetLastApplied(g: GlobalOptions, o: SetOptions): Outcome {
  if (!o.filename?.length) throw new CliError("error: must specify one of -f and -k\nSee 'kubesim apply set-last-applied -h' for help and examples", true);
  if (o.output !== undefined && o.output !== 'name' && o.output !== 'yaml' && o.output !== 'json') {
    throw new CliError(`error: unable to match a printer suitable for the output format "${o.output}", allowed formats are: json,name,yaml`, true);
  }
  const dry = dryRunStrategy(o.dryRun);
  const { objects, errors: readErrors } = readManifests(o.filename, !!o.recursive);
  if (readErrors.length) throw readErrors[0].error;
  let stdout = '';
  mutateApi(
    g,
    (api) => {
      // Complete: every object is checked before any is changed
      const changes: { live: KObject; config: string; kind: string }[] = [];
      for (const item of objects) {
        const res = mappingFor(item.obj, item.source);
        placeObject(g, res, item.obj);
        const live = api.find(res, item.obj.metadata.namespace, item.obj.metadata.name);
        if (!live) throw notFound(res, item.obj.metadata.name);
        const current = live.metadata.annotations?.[LAST_APPLIED];
        if (current === undefined && !o.createAnnotation) {
          throw new CliError(`error: no last-applied-configuration annotation found on resource: ${live.metadata.name}, to create the annotation, run the command with --create-annotation\nSee 'kubesim apply set-last-applied -h' for help and examples`, true);
        }
        const config = lastApplied(item.obj);
        if (current === config) stdout += `set-last-applied ${live.metadata.name}: no changes required.\n`;
        else changes.push({ live, config, kind: qualifiedSingular(res) });
      }
      for (const { live, config, kind } of changes) {
        const upd = clone(live);
        upd.metadata.annotations = { ...(upd.metadata.annotations ?? {}), [LAST_APPLIED]: config };
        const stored = dry === 'client' ? upd : api.update(upd, undefined, AS_PATCH).obj;
        if (o.output === 'name') stdout += `${kind}/${live.metadata.name}\n`;
        else if (o.output === 'json') stdout += JSON.stringify(stored, null, 4) + '\n';
        else if (o.output === 'yaml') stdout += toYAML(stored);
        else stdout += `${kind}/${live.metadata.name} configured${dryRunSuffix(o.dryRun)}\n`;
      }
    },
    dry !== 'none',
  );
  return { stdout };
}

export function registerApplySubcommands(apply: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  apply
    .command('view-last-applied')
    .description('View the latest last-applied-configuration annotations of a resource/object')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files that contains the last-applied-configuration annotations', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-o, --output <format>', 'Output format. Must be one of (yaml, json)')
    .argument('[args...]')
    .action((args: string[], _o: unknown, cmd: Command) => run(() => runViewLastApplied(g(), args, cmd.optsWithGlobals() as ViewOptions)));
  apply
    .command('set-last-applied')
    .description('Set the last-applied-configuration annotation on a live object to match the contents of a file')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files that contains the last-applied-configuration annotations', collect)
    .option('--create-annotation', "Will create 'last-applied-configuration' annotations if current objects doesn't have one")
    .option('-o, --output <format>', 'Output format: json, yaml, name')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"')
    .action((_o: unknown, cmd: Command) => run(() => runSetLastApplied(g(), cmd.optsWithGlobals() as SetOptions)));
  // the edit session of `edit` (ApplyEditMode): the last-applied configuration is what is edited,
  // and what is saved becomes the annotation; loaded only when this runs
  apply
    .command('edit-last-applied')
    .description('Edit latest last-applied-configuration annotations of a resource/object')
    .argument('[args...]', '(RESOURCE/NAME | -f FILENAME)')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to edit the resource', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--windows-line-endings', 'Defaults to the line ending native to your platform.')
    .option('--template <template>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-client-side-apply')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .option('--allow-missing-template-keys [bool]', 'If true, ignore any errors in templates when a field or map key is missing in the template.')
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .action((args: string[], _o: unknown, cmd: Command) => run(() => (require('./edit-session') as typeof import('./edit-session')).runEdit(g(), args, { ...cmd.optsWithGlobals(), lastApplied: true })));
}

