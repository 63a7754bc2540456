// kubectl describe pod (describe.go describePod, describeContainers and helpers, describeVolumes,
// DescribeProbe; kubectl pkg/util/qos GetPodQOS; pkg/util/resource ExtractContainerResourceValue;
// pkg/util/fieldpath ExtractFieldPathAsString), as built into kubectl 1.32.
import type { KObject } from '../../api/types';
import {
  Json,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  PrefixWriter,
  describeEvents,
  formatLabelSelector,
  formatRFC1123Z,
  goBoolPointer,
  goQuote,
  int,
  printAnnotationsMultiline,
  printBool,
  printLabelsMultiline,
  printPodTolerationsMultiline,
  str,
  stringOrNone,
  tabbedString,
  timestampSince,
} from './common';
import { goSort } from '../../util/gosort';
import { podQOS } from '../../api/qos';
import {
  Quantity,
  ZERO,
  formatQuantity,
  parseQuantity,
  quantityMilliValue,
  quantityValue,
  toResourceList,
} from '../../api/quantity';

// ---- containers ----

/** describeContainerPorts / describeContainerHostPorts: "port/PROTO" joined by ", ". */
function portList(ports: Json[], field: 'containerPort' | 'hostPort'): string {
  return ports.map((p) => `${int(p[field])}/${str(p.protocol)}`).join(', ');
}

/** describeContainerBasicInfo: name, IDs, image, ports, seccomp. */
function describeContainerBasicInfo(w: PrefixWriter, c: Json, status: Json | undefined, space: string): void {
  const nameIndent = space.length > 0 ? ' ' : '';
  w.write(LEVEL_1, `${nameIndent}${str(c.name)}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${str(status.containerID)}\n`);
  w.write(LEVEL_2, `Image:\t${str(c.image)}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${str(status.imageID)}\n`);
  const ports: Json[] = c.ports ?? [];
  const portString = portList(ports, 'containerPort');
  if (portString.includes(',')) w.write(LEVEL_2, `Ports:\t${portString}\n`);
  else w.write(LEVEL_2, `Port:\t${stringOrNone(portString)}\n`);
  const hostPortString = portList(ports, 'hostPort');
  if (hostPortString.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPortString}\n`);
  else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPortString)}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
}

/** describeContainerCommand: each command/arg line on its own line. */
function describeContainerCommand(w: PrefixWriter, c: Json): void {
  for (const [title, items] of [['Command', c.command], ['Args', c.args]] as [string, string[] | undefined][]) {
    if (!items || items.length === 0) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const item of items) for (const line of str(item).split('\n')) w.write(LEVEL_3, `${line}\n`);
  }
}

/** describeStatus: one container state (State or Last State). */
function describeStatus(w: PrefixWriter, stateName: string, state: Json): void {
  if (state?.running) {
    w.write(LEVEL_2, `${stateName}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${formatRFC1123Z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
    if (str(state.waiting.reason) !== '') w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${stateName}:\tTerminated\n`);
    if (str(t.reason) !== '') w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (str(t.message) !== '') w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${int(t.exitCode)}\n`);
    if (typeof t.signal === 'number' && t.signal > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${formatRFC1123Z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${formatRFC1123Z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${stateName}:\tWaiting\n`);
  }
}

/** describeContainerState: State, Last State (only a terminated one), Ready, Restart Count. */
function describeContainerState(w: PrefixWriter, status: Json): void {
  describeStatus(w, 'State', status.state);
  if (status.lastState?.terminated) describeStatus(w, 'Last State', status.lastState);
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${int(status.restartCount)}\n`);
}

/** describeResources: Limits then Requests, names sorted, quantities canonical. */
function describeResources(w: PrefixWriter, resources: Json, level: number): void {
  if (!resources) return;
  for (const [title, raw] of [['Limits', resources.limits], ['Requests', resources.requests]] as [string, unknown][]) {
    const list = toResourceList(raw as Record<string, string>);
    if (list.size > 0) w.write(level, `${title}:\n`);
    for (const name of [...list.keys()].sort()) w.write(level + 1, `${name}:\t${formatQuantity(list.get(name)!)}\n`);
  }
}

/** intstr.String(): a number or a name. */
function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}

/** Go's url.URL.String() for the parts kubectl sets (scheme, host, path). */
function probeURL(scheme: string, host: string, path: string): string {
  let s = scheme !== '' ? `${scheme}:` : '';
  if (scheme !== '' || host !== '') s += `//${host}`;
  if (path !== '' && !path.startsWith('/') && host !== '') s += '/';
  return s + path;
}

/** describe.go DescribeProbe */
export function describeProbe(probe: Json): string {
  const attrs =
    `delay=${int(probe.initialDelaySeconds)}s timeout=${int(probe.timeoutSeconds)}s period=${int(probe.periodSeconds)}s ` +
    `#success=${int(probe.successThreshold)} #failure=${int(probe.failureThreshold)}`;
  if (probe.exec) return `exec [${((probe.exec.command ?? []) as string[]).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const h = probe.httpGet;
    const port = intOrString(h.port);
    const host = str(h.host);
    const hostPort = port !== '' ? (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`) : host;
    return `http-get ${probeURL(str(h.scheme).toLowerCase(), hostPort, str(h.path))} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket ${str(probe.tcpSocket.host)}:${intOrString(probe.tcpSocket.port)} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${int(probe.grpc.port)} ${str(probe.grpc.service)} ${attrs}`;
  return `unknown ${attrs}`;
}

/** describeContainerProbe: Liveness, Readiness, Startup. */
function describeContainerProbes(w: PrefixWriter, c: Json): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

/** describeContainerEnvFrom */
function describeContainerEnvFrom(w: PrefixWriter, c: Json): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom as Json[]) {
    let from = '';
    let name = '';
    let optional = false;
    if (e.configMapRef) {
      from = 'ConfigMap';
      name = str(e.configMapRef.name);
      optional = e.configMapRef.optional === true;
    } else if (e.secretRef) {
      from = 'Secret';
      name = str(e.secretRef.name);
      optional = e.secretRef.optional === true;
    }
    const source = str(e.prefix) === '' ? from : `${from} with prefix '${e.prefix}'`;
    w.write(LEVEL_3, `${name}\t${source}\tOptional: ${optional}\n`);
  }
}

/**
 * The value kubectl shows for a fieldRef env var (EnvValueRetriever). kubectl's scheme has no pod
 * field-label conversions, so only metadata.name and metadata.namespace resolve (any apiVersion that
 * parses, including none); anything else shows empty.
 */
function fieldRefValue(pod: Json, ref: Json): string {
  if (str(ref.apiVersion).split('/').length > 2) return '';
  if (ref.fieldPath === 'metadata.name') return str(pod.metadata?.name);
  if (ref.fieldPath === 'metadata.namespace') return str(pod.metadata?.namespace);
  return '';
}

/** resourcehelper.ExtractContainerResourceValue: ceil(value / divisor) of the container's resource. */
function resourceFieldValue(c: Json, ref: Json): string {
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(str(ref.resource));
  if (!m) return '';
  const q = toResourceList(c.resources?.[m[1]]).get(m[2]) ?? ZERO;
  const d = parseQuantity(ref.divisor);
  const divisor = d && d.nanos !== 0n ? d : (parseQuantity('1') as Quantity);
  const value = m[2] === 'cpu' ? [quantityMilliValue(q), quantityMilliValue(divisor)] : [quantityValue(q), quantityValue(divisor)];
  return String(Math.ceil(Number(value[0]) / Number(value[1])));
}

/** describeContainerEnvVars */
function describeContainerEnvVars(w: PrefixWriter, c: Json, pod: Json): void {
  const env: Json[] = c.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      // continuation lines of a multi-line value align under the value column
      str(e.value)
        .split('\n')
        .forEach((line, i) => w.write(LEVEL_3, i === 0 ? `${str(e.name)}:\t${line}\n` : `\t${line}\n`));
    } else if (from.fieldRef) {
      const ref = from.fieldRef;
      w.write(LEVEL_3, `${str(e.name)}:\t${fieldRefValue(pod, ref)} (${str(ref.apiVersion)}:${str(ref.fieldPath)})\n`);
    } else if (from.resourceFieldRef) {
      let value = resourceFieldValue(c, from.resourceFieldRef);
      const resource = str(from.resourceFieldRef.resource);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${str(e.name)}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(LEVEL_3, `${str(e.name)}:\t<set to the key '${str(r.key)}' in secret '${str(r.name)}'>\tOptional: ${r.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(LEVEL_3, `${str(e.name)}:\t<set to the key '${str(r.key)}' of config map '${str(r.name)}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

/** describeContainerVolumes: mounts sorted by path, then devices. */
function describeContainerVolumes(w: PrefixWriter, c: Json): void {
  const mounts: Json[] = c.volumeMounts ?? [];
  // kubectl reuses this suffix for Devices too, so "Devices:\t<none>" appears only without mounts
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of goSort([...mounts], (a, b) => str(a.mountPath) < str(b.mountPath))) {
    const flags = [m.readOnly === true ? 'ro' : 'rw'];
    if (str(m.subPath) !== '') flags.push(`path=${goQuote(m.subPath)}`);
    w.write(LEVEL_3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`);
  }
  const devices: Json[] = c.volumeDevices ?? [];
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of goSort([...devices], (a, b) => str(a.devicePath) < str(b.devicePath))) {
      w.write(LEVEL_3, `${str(d.devicePath)} from ${str(d.name)}\n`);
    }
  }
}

/** describe.go describeContainers: the section title, then each container. */
function describeContainers(w: PrefixWriter, label: string, containers: Json[], statuses: Json[] | undefined, pod: Json, space: string): void {
  const byName = new Map<string, Json>();
  for (const s of statuses ?? []) byName.set(s.name, s);
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    describeContainerBasicInfo(w, c, status, space);
    describeContainerCommand(w, c);
    if (status) describeContainerState(w, status);
    describeResources(w, c.resources ?? {}, LEVEL_2);
    describeContainerProbes(w, c);
    if ((c.envFrom ?? []).length > 0) describeContainerEnvFrom(w, c);
    describeContainerEnvVars(w, c, pod);
    describeContainerVolumes(w, c);
  }
}

// ---- volumes ----

/** Lines of a volume source after "Type:", each "Key:\tvalue" at 4 spaces like kubectl's literals. */
function writeSource(w: PrefixWriter, type: string, fields: [string, string][] = []): void {
  w.write(LEVEL_2, `Type:\t${type}\n` + fields.map(([k, v]) => `    ${k}:\t${v}\n`).join(''));
}

/** printProjectedVolumeSource as in kubectl 1.32 (Optional fields print Go *bool pointers). */
function printProjected(w: PrefixWriter, projected: Json): void {
  w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  for (const s of (projected.sources ?? []) as Json[]) {
    if (s.secret) {
      w.write(LEVEL_2, `SecretName:\t${str(s.secret.name)}\n    SecretOptionalName:\t${goBoolPointer(s.secret.optional)}\n`);
    } else if (s.downwardAPI) {
      w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
    } else if (s.configMap) {
      w.write(LEVEL_2, `ConfigMapName:\t${str(s.configMap.name)}\n    ConfigMapOptional:\t${goBoolPointer(s.configMap.optional)}\n`);
    } else if (s.serviceAccountToken) {
      // the API defaults expirationSeconds to 3600
      w.write(LEVEL_2, `TokenExpirationSeconds:\t${int(s.serviceAccountToken.expirationSeconds ?? 3600)}\n`);
    }
  }
}

/** printDownwardAPIVolumeSource */
function printDownwardAPI(w: PrefixWriter, d: Json): void {
  w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
  for (const item of (d.items ?? []) as Json[]) {
    if (item.fieldRef) w.write(LEVEL_3, `${str(item.fieldRef.fieldPath)} -> ${str(item.path)}\n`);
    if (item.resourceFieldRef) w.write(LEVEL_3, `${str(item.resourceFieldRef.resource)} -> ${str(item.path)}\n`);
  }
}

/** printEmptyDirVolumeSource: a positive sizeLimit, else "<unset>". */
function emptyDirSizeLimit(e: Json): string {
  const q = parseQuantity(e.sizeLimit);
  return q && q.nanos > 0n ? formatQuantity(q) : '<unset>';
}

/** printCSIVolumeSource, with its VolumeAttributes block (printCSIPersistentVolumeAttributesMultiline). */
function printCSI(w: PrefixWriter, csi: Json): void {
  writeSource(w, 'CSI (a Container Storage Interface (CSI) volume source)', [
    ['Driver', str(csi.driver)],
    ['FSType', str(csi.fsType)],
    ['ReadOnly', String(csi.readOnly === true)],
  ]);
  const attrs: Record<string, string> = csi.volumeAttributes ?? {};
  w.write(LEVEL_2, 'VolumeAttributes:\t');
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_2, '\t');
    const line = `${k}=${attrs[k]}`;
    w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
  });
}

/** The "Type:" block of one volume (describeVolumes' switch, for the sources kubesim models). */
function describeVolumeSource(w: PrefixWriter, v: Json): void {
  if (v.hostPath) {
    writeSource(w, 'HostPath (bare host directory volume)', [['Path', str(v.hostPath.path)], ['HostPathType', v.hostPath.type ?? '<none>']]);
  } else if (v.emptyDir) {
    writeSource(w, "EmptyDir (a temporary directory that shares a pod's lifetime)", [['Medium', str(v.emptyDir.medium)], ['SizeLimit', emptyDirSizeLimit(v.emptyDir)]]);
  } else if (v.secret) {
    writeSource(w, 'Secret (a volume populated by a Secret)', [['SecretName', str(v.secret.secretName)], ['Optional', String(v.secret.optional === true)]]);
  } else if (v.configMap) {
    writeSource(w, 'ConfigMap (a volume populated by a ConfigMap)', [['Name', str(v.configMap.name)], ['Optional', String(v.configMap.optional === true)]]);
  } else if (v.nfs) {
    writeSource(w, 'NFS (an NFS mount that lasts the lifetime of a pod)', [['Server', str(v.nfs.server)], ['Path', str(v.nfs.path)], ['ReadOnly', String(v.nfs.readOnly === true)]]);
  } else if (v.persistentVolumeClaim) {
    writeSource(w, 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [
      ['ClaimName', str(v.persistentVolumeClaim.claimName)],
      ['ReadOnly', String(v.persistentVolumeClaim.readOnly === true)],
    ]);
  } else if (v.downwardAPI) {
    printDownwardAPI(w, v.downwardAPI);
  } else if (v.projected) {
    printProjected(w, v.projected);
  } else if (v.csi) {
    printCSI(w, v.csi);
  } else if (v.image) {
    writeSource(w, 'Image (a container image or OCI artifact)', [['Reference', str(v.image.reference)], ['PullPolicy', str(v.image.pullPolicy)]]);
  } else {
    // cloud and legacy volume plugins are not modelled; kubectl's fallback text
    w.write(LEVEL_1, '<unknown>\n');
  }
}

/** describe.go describeVolumes */
function describeVolumes(w: PrefixWriter, volumes: Json[] | undefined, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  const nameIndent = space.length > 0 ? ' ' : '';
  for (const v of volumes) {
    w.write(LEVEL_1, `${nameIndent}${str(v.name)}:\n`);
    describeVolumeSource(w, v);
  }
}

// ---- pod-level ----

/** metav1.GetControllerOf → "Kind/name" */
function controllerOf(pod: Json): string {
  const ref = ((pod.metadata?.ownerReferences ?? []) as Json[]).find((r) => r.controller === true);
  return ref ? `${str(ref.kind)}/${str(ref.name)}` : '';
}

/** describePodIPs */
function describePodIPs(w: PrefixWriter, pod: Json): void {
  const ips: Json[] = pod.status?.podIPs ?? [];
  if (ips.length === 0) {
    w.write(LEVEL_0, 'IPs:\t<none>\n');
    return;
  }
  w.write(LEVEL_0, 'IPs:\n');
  for (const ip of ips) w.write(LEVEL_1, `IP:\t${str(ip.ip)}\n`);
}

/** describeTopologySpreadConstraints: sorted by topology key, continuation lines under the value. */
function describeTopologySpreadConstraints(w: PrefixWriter, tscs: Json[] | undefined, space: string): void {
  if (!tscs || tscs.length === 0) return;
  const sorted = goSort([...tscs], (a, b) => str(a.topologyKey) < str(b.topologyKey));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`);
    let line = `${str(t.topologyKey)}:${str(t.whenUnsatisfiable)} when max skew ${int(t.maxSkew)} is exceeded`;
    if (t.labelSelector) line += ` for selector ${formatLabelSelector(t.labelSelector)}`;
    w.write(LEVEL_0, `${line}\n`);
  });
}

/** Name through Controlled By / NominatedNodeName. */
function describePodHeader(w: PrefixWriter, pod: Json, controller: string): void {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(LEVEL_0, `Name:\t${str(pod.metadata?.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(pod.metadata?.namespace)}\n`);
  if (typeof spec.priority === 'number') w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
  if (str(spec.priorityClassName) !== '') w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (str(spec.runtimeClassName) !== '') w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (str(spec.serviceAccountName) !== '') w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(LEVEL_0, str(spec.nodeName) === '' ? 'Node:\t<none>\n' : `Node:\t${spec.nodeName}/${str(status.hostIP)}\n`);
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${formatRFC1123Z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', pod.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', pod.metadata?.annotations);
  if (pod.metadata?.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${timestampSince(pod.metadata.deletionTimestamp)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${int(pod.metadata.deletionGracePeriodSeconds)}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${str(status.phase)}\n`);
  }
  if (str(status.reason) !== '') w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
  if (str(status.message) !== '') w.write(LEVEL_0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_0, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
  w.write(LEVEL_0, `IP:\t${str(status.podIP)}\n`);
  describePodIPs(w, pod);
  if (controller !== '') w.write(LEVEL_0, `Controlled By:\t${controller}\n`);
  if (str(status.nominatedNodeName) !== '') w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(LEVEL_0, 'Resources:\n');
    describeResources(w, spec.resources, LEVEL_1);
  }
}

/** Readiness Gates and Conditions tables ("%v \t%v \n": note the trailing spaces). */
function describePodConditions(w: PrefixWriter, pod: Json): void {
  const conditions: Json[] = pod.status?.conditions ?? [];
  const gates: Json[] = pod.spec?.readinessGates ?? [];
  if (gates.length > 0) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of gates) {
      const c = conditions.find((x) => x.type === g.conditionType);
      w.write(LEVEL_1, `${str(g.conditionType)} \t${c ? str(c.status) : '<none>'} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)} \n`);
  }
}

/**
 * kubectl describe pod. `controller` overrides the "Controlled By" value (e.g. "ReplicaSet/web-5d4f");
 * by default it comes from the pod's controller ownerReference. `events` undefined/null omits the
 * Events section.
 */
export function describePod(pod: KObject, events?: KObject[] | null, controller?: string): string {
  return tabbedString((w) => {
    const spec = pod.spec ?? {};
    describePodHeader(w, pod, controller ?? controllerOf(pod));
    if ((spec.initContainers ?? []).length > 0) {
      describeContainers(w, 'Init Containers', spec.initContainers, pod.status?.initContainerStatuses, pod, '');
    }
    describeContainers(w, 'Containers', spec.containers ?? [], pod.status?.containerStatuses, pod, '');
    if ((spec.ephemeralContainers ?? []).length > 0) {
      describeContainers(w, 'Ephemeral Containers', spec.ephemeralContainers, pod.status?.ephemeralContainerStatuses, pod, '');
    }
    describePodConditions(w, pod);
    describeVolumes(w, spec.volumes, '');
    w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    printPodTolerationsMultiline(w, 'Tolerations', spec.tolerations);
    describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '');
    describeEvents(w, events);
  });
}

// exported for describers of pod templates (Deployment, ReplicaSet: DescribePodTemplate) built on the same pieces
export { describeContainers, describeVolumes, describeTopologySpreadConstraints };
