// kubectl describe TYPE [NAME_PREFIX]: an exact name, else every object whose name starts with it.
import { Command } from 'commander';
import { CliError, notFound } from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import type { KObject } from '../api/types';
import { describeDeployment, describeEndpoints, describeEndpointSlice, describeNamespace, describeNode, describePod, describeReplicaSet, describeService } from '../printers/describe';
import { ownedBy } from '../controllers/replicaset';
import { REVISION } from '../controllers/deployment';
import type { State } from '../store/state';
import { nowMs } from '../util/clock';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import { byNamespaceAndName } from './resource/order';
import type { Outcome } from './outcome';
import { checkSelectors, fileRequests, parseResourceArgs } from './resource/args';
import { SERVICE_NAME_LABEL } from '../controllers/endpoints';
import { isActivePod } from '../controllers/scheduler';

function eventsFor(state: State, obj: KObject): KObject[] {
  return state.list('Event', obj.metadata.namespace ?? 'default').filter((e) => e.involvedObject?.uid === obj.metadata.uid);
}

function controllerOf(pod: KObject): string | undefined {
  const ref = (pod.metadata.ownerReferences ?? []).find((r: { controller?: boolean }) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

/** The kubelet renews its node's Lease every 10 seconds, so describe shows one renewed just now. */
function nodeLease(node: KObject): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: node.metadata.name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime: new Date(nowMs()).toISOString().replace(/\.\d+Z$/, '.000000Z') },
  };
}

export function describeOne(state: State, obj: KObject): string {
  switch (obj.kind) {
    case 'Service': {
      const slices = state.list('EndpointSlice', obj.metadata.namespace).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === obj.metadata.name);
      return describeService(obj, slices, eventsFor(state, obj));
    }
    case 'Pod':
      return describePod(obj, eventsFor(state, obj), controllerOf(obj));
    case 'Node': {
      const pods = state.list('Pod').filter((p) => p.spec?.nodeName === obj.metadata.name && isActivePod(p)).sort(byNamespaceAndName);
      const events = state.list('Event', 'default').filter((e) => e.involvedObject?.kind === 'Node' && e.involvedObject?.name === obj.metadata.name);
      return describeNode(obj, pods, events, nodeLease(obj));
    }
    case 'Endpoints':
      return describeEndpoints(obj, eventsFor(state, obj));
    case 'EndpointSlice':
      return describeEndpointSlice(obj, eventsFor(state, obj));
    case 'Namespace':
      return describeNamespace(obj, [], []);
    case 'Deployment': {
      const sets = state.list('ReplicaSet', obj.metadata.namespace).filter((rs) => ownedBy(rs, obj));
      const rev = obj.metadata.annotations?.[REVISION];
      const newRS = sets.find((rs) => rs.metadata.annotations?.[REVISION] === rev);
      return describeDeployment(obj, newRS, sets.filter((rs) => rs !== newRS), eventsFor(state, obj));
    }
    case 'ReplicaSet':
      return describeReplicaSet(obj, state.list('Pod', obj.metadata.namespace).filter((p) => ownedBy(p, obj)), eventsFor(state, obj));
    default:
      throw new CliError(`error: describe is not supported for ${obj.kind} yet`, true);
  }
}

export function runDescribe(g: GlobalOptions, args: string[], o: { selector?: string; allNamespaces?: boolean; filename?: string[]; recursive?: boolean }): Outcome {
  const fromFiles = o.filename?.length ? fileRequests(g, o.filename, !!o.recursive, args) : undefined;
  const { requests } = fromFiles ? { requests: fromFiles } : parseResourceArgs(args);
  if (requests.length === 0) throw new CliError("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.", true);
  checkSelectors(args, requests, !!o.selector);
  const state = openRead(g);
  const ns = namespaceOf(g);
  const sel = o.selector ? parseSelector(o.selector) : undefined;
  const texts: string[] = [];
  const errors: unknown[] = [];
  const prefixMatch = !fromFiles && args.length === 2 && !args.some((a) => a.includes('/')) && requests.length === 1;
  for (const r of requests) {
    const rns = r.res.namespaced && !o.allNamespaces ? (r.namespace ?? ns) : undefined;
    if (fromFiles) {
      // a file names objects exactly (no prefix match)
      for (const n of r.names) {
        const obj = state.get(r.res.kind, rns, n);
        if (obj) texts.push(describeOne(state, obj));
        else errors.push(notFound(r.res, n));
      }
      continue;
    }
    const all = state.list(r.res.kind, rns).sort(byNamespaceAndName);
    if (r.names.length === 0) {
      for (const obj of all) if (!sel || matches(sel, obj.metadata.labels)) texts.push(describeOne(state, obj));
      continue;
    }
    for (const n of r.names) {
      const exact = all.find((x) => x.metadata.name === n);
      if (exact) texts.push(describeOne(state, exact));
      else if (prefixMatch) {
        // DescribeMatchingResources: only for `describe TYPE NAME`, in -n's namespace, each
        // description followed by a newline of its own
        const hits = state.list(r.res.kind, r.res.namespaced ? ns : undefined).sort(byNamespaceAndName).filter((x) => x.metadata.name.startsWith(n));
        if (hits.length === 0) errors.push(notFound(r.res, n));
        return { stdout: hits.map((h) => describeOne(state, h) + '\n').join(''), errors };
      } else errors.push(notFound(r.res, n));
    }
  }
  let stderr = '';
  if (texts.length === 0 && errors.length === 0) stderr = o.allNamespaces ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
  // the first description as it is, each next one after "\n\n"
  return { stdout: texts.join('\n\n'), stderr, errors };
}

export function registerDescribe(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('[args...]', '(TYPE [NAME_PREFIX | -l label] | TYPE/NAME)')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files containing the resource to describe', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .action((args: string[], opts: { selector?: string; allNamespaces?: boolean }) => run(() => runDescribe(g(), args, opts)));
}
