// kubesim cluster-info dump: kubectl's pkg/cmd/clusterinfo/clusterinfo_dump.go. The nodes, then per
// namespace (kube-system and the current one; --namespaces; -A) its events, replication controllers,
// services, daemonsets, deployments, replicasets and pods as the clientset's typed lists (JSON with
// the Go structs' field order, or YAML), then each pod's containers' logs between START/END markers;
// to stdout, or to files under --output-directory.
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';
import { lookupResource } from '../api/resources';
import { clientOf } from '../apiserver/client';
import { toYAML } from '../printers/output';
import { typedListJSON } from '../printers/gojson';
import { appLog, currentTimedLog } from '../controllers/kubelet/logs';
import { startupLog } from '../network/apps';
import type { State } from '../store/state';
import { openRead, namespaceOf, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { checkAccess } from '../apiserver/requester';

interface DumpOptions {
  allNamespaces?: boolean;
  namespaces?: string[];
  output?: string;
  outputDirectory?: string;
}

/** The clientset's list of a kind: its items without kind and apiVersion (a typed list's items have none). */
function typedList(state: State, kind: string, items: KObject[], output: string): string {
  const list = {
    kind: `${kind}List`,
    apiVersion: kind === 'Node' || kind === 'Event' || kind === 'Service' || kind === 'Pod' || kind === 'ReplicationController' ? 'v1' : 'apps/v1',
    metadata: { resourceVersion: String(state.cluster.resourceVersion ?? 0) },
    items: items.map((i) => {
      const { kind: _k, apiVersion: _a, ...rest } = i;
      void _k;
      void _a;
      return rest;
    }),
  };
  if (output === 'yaml') return toYAML(list);
  return typedListJSON(list, kind);
}

function podLog(state: State, pod: KObject, c: { name: string; image: string }): string {
  const cs = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((x: { name: string }) => x.name === c.name);
  if (!cs?.state?.running && !cs?.state?.terminated && !cs?.lastState?.terminated) {
    const reason = cs?.state?.waiting?.reason ?? 'ContainerCreating';
    const why = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason === 'InvalidImageName' ? "image can't be pulled" : reason;
    return `Request log error: container "${c.name}" in pod "${pod.metadata.name}" is waiting to start: ${why}\n`;
  }
  const run = currentTimedLog(state, pod, c.name);
  const started = Date.parse(cs?.state?.running?.startedAt ?? cs?.state?.terminated?.startedAt ?? '');
  const lines = run ?? (state.runtime().logs[pod.metadata.uid as string]?.[c.name] ? appLog(state, pod, c.name, started || 0) : Number.isNaN(started) ? [] : startupLog(c, pod, started, state.config.proxyMode).map((text) => ({ text })));
  return lines.map((l) => l.text + '\n').join('');
}

export function runClusterInfoDump(g: GlobalOptions, o: DumpOptions): Outcome {
  const output = o.output ?? 'json';
  if (output !== 'json' && output !== 'yaml') throw new CliError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`, true);
  const ext = `.${output}`;
  const state = openRead(g);
  const client = clientOf(state);
  checkAccess(state, { verb: 'list', apiGroup: '', resource: 'nodes' });
  const dir = o.outputDirectory && o.outputDirectory !== '-' ? o.outputDirectory : undefined;
  let stdout = '';
  const write = (file: string, text: string) => {
    if (!dir) {
      stdout += text;
      return;
    }
    const full = join(dir, file);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  };
  const list = (plural: string, ns?: string) => {
    const res = lookupResource(plural);
    return res ? client.list(res, ns) : [];
  };
  write(`nodes${ext}`, typedList(state, 'Node', list('nodes'), output));
  const namespaces = o.allNamespaces ? list('namespaces').map((n) => n.metadata.name) : o.namespaces?.length ? o.namespaces.flatMap((n) => n.split(',')) : ['kube-system', namespaceOf(g)];
  for (const ns of namespaces) {
    write(join(ns, `events${ext}`), typedList(state, 'Event', list('events', ns), output));
    // kubesim serves no ReplicationControllers: always an empty list
    write(join(ns, `replication-controllers${ext}`), typedList(state, 'ReplicationController', [], output));
    write(join(ns, `services${ext}`), typedList(state, 'Service', list('services', ns), output));
    write(join(ns, `daemonsets${ext}`), typedList(state, 'DaemonSet', list('daemonsets', ns), output));
    write(join(ns, `deployments${ext}`), typedList(state, 'Deployment', list('deployments', ns), output));
    write(join(ns, `replicasets${ext}`), typedList(state, 'ReplicaSet', list('replicasets', ns), output));
    const pods = list('pods', ns);
    write(join(ns, `pods${ext}`), typedList(state, 'Pod', pods, output));
    for (const pod of pods) {
      let text = '';
      for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
        const what = `container ${c.name} of pod ${pod.metadata.namespace}/${pod.metadata.name}`;
        text += `==== START logs for ${what} ====\n${podLog(state, pod, c)}==== END logs for ${what} ====\n`;
      }
      write(join(ns, pod.metadata.name, 'logs.txt'), text);
    }
  }
  if (dir) stdout += `Cluster info dumped to ${o.outputDirectory}\n`;
  return { stdout };
}
