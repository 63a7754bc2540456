// kubectl edit (k8s.io/kubectl/pkg/cmd/edit): the session lives in ./edit-session (shared with apply
// edit-last-applied); this module only declares the verb.
import { Command } from 'commander';
import type { GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';
import { runEdit, type EditOptions } from './edit-session';

export function registerEdit(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  validateOption(program.command('edit'))
    .description('Edit a resource on the server')
    .argument('[args...]', '(RESOURCE/NAME | -f FILENAME)')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to edit the resource', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .option('--output-patch', 'Output the patch if the resource is edited.')
    .option('--save-config', 'If true, the configuration of current object will be saved in its annotation.')
    .option('--windows-line-endings', 'Defaults to the line ending native to your platform.')
    .option('--template <template>', 'Template string or path to template file to use when -o=go-template, -o=go-template-file.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-edit')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .option('--allow-missing-template-keys [bool]', 'If true, ignore any errors in templates when a field or map key is missing in the template.')
    .action((args: string[], opts: EditOptions) => run(() => runEdit(g(), args, opts)));
}
