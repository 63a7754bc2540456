// kubectl auth can-i and auth whoami (kubectl pkg/cmd/auth/cani.go, whoami.go): the questions go to
// the apiserver's review APIs (apiserver/reviews.ts) as the command's user, --as included. Who a
// kubeconfig user is: apiserver/requester.ts (kubesim trusts a configured user's name, and a client
// certificate's CN and O, without checking who signed it).
import { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { lookupResource, RESOURCES } from '../api/resources';
import { lookupUnstored, UNSTORED } from '../api/unstored';
import { reviews } from '../apiserver/client';
import type { Attributes } from '../apiserver/authorizer';
import { ruleRows } from '../api/rbacrules';
import { GET_TABS, tabwrite } from '../printers/tabwriter';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import { inOrder, type Outcome } from './outcome';
import { warningLine } from './warnings';

type Run = (fn: () => Outcome) => void;

interface CanIFlags {
  allNamespaces?: boolean;
  quiet?: boolean;
  subresource?: string;
  list?: boolean;
  headers?: boolean;
}

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
// served but not discoverable: the impersonate verb's users and groups
const NON_STANDARD = new Set(['users', 'groups']);

/** cani.go resourceFor: the resource (plural) and group the argument names, or the argument itself with a warning. */
function resourceFor(arg: string, warn: (m: string) => void): { group: string; resource: string } {
  if (arg === '*') return { group: '', resource: '*' };
  const lower = arg.toLowerCase();
  // the RESTMapper knows what discovery lists: the kinds, then the review and metrics APIs
  const res = lookupResource(lower) ?? lookupUnstored(lower);
  if (res) return { group: res.group, resource: res.plural };
  // schema.ParseGroupResource: the first dot splits resource from group
  const dot = lower.indexOf('.');
  const gr = dot < 0 ? { resource: lower, group: '' } : { resource: lower.slice(0, dot), group: lower.slice(dot + 1) };
  const grString = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
  if (!NON_STANDARD.has(grString)) warn(gr.group ? `the server doesn't have a resource type '${gr.resource}' in group '${gr.group}'\n` : `the server doesn't have a resource type '${gr.resource}'\n`);
  return { group: '', resource: arg };
}

function runCanI(g: GlobalOptions, args: string[], f: CanIFlags): Outcome {
  const stderr: string[] = [];
  const warn = (m: string) => stderr.push(warningLine(m));
  const noHeaders = f.headers === false;
  if (f.list) {
    if (args.length) throw new CliError('error: list option must be specified with no arguments', true);
    if (f.quiet || f.allNamespaces || f.subresource) throw new CliError("error: list option can't be specified with neither quiet, all-namespaces nor subresource options", true);
    const state = openRead(g);
    const status = reviews().selfSubjectRulesReview(state, namespaceOf(g));
    const rows = ruleRows([...status.resourceRules, ...status.nonResourceRules]);
    const lines = [...(noHeaders ? [] : ['Resources\tNon-Resource URLs\tResource Names\tVerbs']), ...rows.map((r) => r.join('\t'))];
    const table = tabwrite(lines.map((l) => `${l}\n`).join(''), GET_TABS);
    if (!status.incomplete) return { stdout: table };
    return inOrder([{ text: warningLine(`the list may be incomplete: ${status.evaluationError ?? ''}`), stderr: true }, { text: table }]);
  }
  if (args.length !== 2) throw new CliError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.", true);
  const [verb, what] = args;
  let attrs: Attributes;
  if (what.startsWith('/')) {
    if (f.subresource) throw new CliError('error: --subresource can not be used with NonResourceURL', true);
    if (!NON_RESOURCE_VERBS.has(verb)) warn(`verb '${verb}' is not a known verb\n`);
    attrs = { verb, nonResourceURL: what };
  } else {
    const slash = what.indexOf('/');
    const { group, resource } = resourceFor(slash < 0 ? what : what.slice(0, slash), warn);
    const name = slash < 0 ? '' : what.slice(slash + 1);
    const namespace = f.allNamespaces ? '' : namespaceOf(g);
    if (!f.allNamespaces) {
      const res = [...RESOURCES, ...UNSTORED].find((r) => r.plural === resource && r.group === group);
      if (res && !res.namespaced) warn(group ? `resource '${resource}' is not namespace scoped in group '${group}'\n` : `resource '${resource}' is not namespace scoped\n`);
    }
    if (!RESOURCE_VERBS.has(verb)) warn(`verb '${verb}' is not a known verb\n`);
    attrs = { verb, apiGroup: group, resource, subresource: f.subresource || undefined, name: name || undefined, namespace: namespace || undefined };
  }
  if (noHeaders) throw new CliError('error: --no-headers cannot be set without --list specified', true);
  const status = reviews().selfSubjectAccessReview(openRead(g), attrs);
  // cani.go: "no", then " - " and the authorizer's reason when it gives one
  const answer = status.allowed ? 'yes\n' : `no${status.reason ? ` - ${status.reason}` : ''}\n`;
  // the warnings come first (stderr), then the answer
  return { ...inOrder([...stderr.map((text) => ({ text, stderr: true })), { text: f.quiet ? '' : answer }]), code: status.allowed ? 0 : 1 };
}

function runWhoAmI(g: GlobalOptions, output: string | undefined): Outcome {
  let review: KObject;
  try {
    review = reviews().selfSubjectReview(openRead(g));
  } catch (e) {
    // whoami.go: a Forbidden answer is reported as its own words
    if (e instanceof StatusError && e.reason === 'Forbidden') throw new CliError('error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it', true);
    throw e;
  }
  const ssr = review as unknown as { metadata: object; status: { userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } };
  const ui = ssr.status.userInfo;
  if (output === undefined) {
    const lines = ['ATTRIBUTE\tVALUE'];
    if (ui.username) lines.push(`Username\t${ui.username}`);
    if (ui.uid) lines.push(`UID\t${ui.uid}`);
    if (ui.groups?.length) lines.push(`Groups\t[${ui.groups.join(' ')}]`);
    for (const k of Object.keys(ui.extra ?? {}).sort()) lines.push(`Extra: ${k}\t[${ui.extra![k].join(' ')}]`);
    return { stdout: tabwrite(lines.map((l) => `${l}\n`).join(''), GET_TABS) };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toYAML } = require('../printers/output') as typeof import('../printers/output');
  if (output === 'yaml') return { stdout: toYAML(ssr) };
  if (output === 'json') {
    // a typed object: encoding/json writes the struct's field order
    const userInfo = { username: ui.username, uid: ui.uid, groups: ui.groups, extra: ui.extra };
    return { stdout: JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: ssr.metadata, status: { userInfo } }, null, 4) + '\n' };
  }
  if (output === 'name') return { stdout: 'selfsubjectreview.authentication.k8s.io/\n' };
  throw new CliError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`, true);
}

export function registerAuth(program: Command, g: () => GlobalOptions, run: Run): void {
  const auth = program.command('auth').description('Inspect authorization');
  auth
    .command('can-i')
    .description('Check whether an action is allowed')
    .argument('[args...]')
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('-q, --quiet', 'If true, suppress output and just return the exit code.')
    .option('--subresource <subresource>', 'SubResource such as pod/log or deployment/scale')
    .option('--list', 'If true, prints all allowed actions.')
    .option('--no-headers', 'If true, prints allowed actions without headers')
    .action((args: string[], opts: CanIFlags) => run(() => runCanI(g(), args, opts)));
  auth
    .command('whoami')
    .description('Experimental: Check self subject attributes')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .action((opts: { output?: string }) => run(() => runWhoAmI(g(), opts.output)));
}
