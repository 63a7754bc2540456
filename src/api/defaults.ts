// Server-side defaulting, applied before validation as the apiserver does: the v1 SetDefaults_*
// functions (pkg/apis/core/v1/defaults.go, run at decode time), the Service REST hooks that fill
// clusterIPs and IP families (pkg/registry/core/service/storage: normalizeClusterIPs,
// patchAllocatedValues, initIPFamilyFields), and the admission plugins every cluster runs on pods
// (ServiceAccount, DefaultTolerationSeconds, Priority).
//
// Objects are mutated in place. Keys that defaulting touches are then re-ordered to the Go struct
// field order, which is the order the apiserver's JSON has; unknown keys keep their place at the end.
// (kubectl's own -o yaml/-o json sort keys alphabetically, since it decodes into plain maps.)
import { setKey } from '../util/compare';
import type { KObject } from './types';
import { externallyAccessible, isIPv6String, validateServiceClusterIPsRelatedFields } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUnset = (v: unknown): boolean => v === undefined || v === null;
/** Go's zero-value test for a string field. */
const isEmpty = (v: unknown): boolean => isUnset(v) || v === '';
const sameList = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Re-insert an object's keys in the given order, keeping the object's identity. */
function reorderKeys(o: Obj, order: readonly string[]): void {
  const entries = Object.entries(o);
  const rank = (k: string): number => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  entries.sort((a, b) => rank(a[0]) - rank(b[0])); // stable: unknown keys keep their relative order
  for (const [k] of entries) delete o[k];
  for (const [k, v] of entries) setKey(o, k, v);
}

/** k8s.io/api core/v1 ServiceSpec, in struct order. */
export const SERVICE_SPEC_ORDER = [
  'ports',
  'selector',
  'clusterIP',
  'clusterIPs',
  'type',
  'externalIPs',
  'sessionAffinity',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'externalName',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'publishNotReadyAddresses',
  'sessionAffinityConfig',
  'ipFamilies',
  'ipFamilyPolicy',
  'allocateLoadBalancerNodePorts',
  'loadBalancerClass',
  'internalTrafficPolicy',
  'trafficDistribution',
] as const;

export const SERVICE_PORT_ORDER = ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'] as const;

export const POD_SPEC_ORDER = [
  'volumes',
  'initContainers',
  'containers',
  'ephemeralContainers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'dnsPolicy',
  'nodeSelector',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'securityContext',
  'imagePullSecrets',
  'hostname',
  'subdomain',
  'affinity',
  'schedulerName',
  'tolerations',
  'hostAliases',
  'priorityClassName',
  'priority',
  'dnsConfig',
  'readinessGates',
  'runtimeClassName',
  'enableServiceLinks',
  'preemptionPolicy',
  'overhead',
  'topologySpreadConstraints',
  'setHostnameAsFQDN',
  'os',
  'hostUsers',
  'schedulingGates',
  'resourceClaims',
  'resources',
] as const;

export const CONTAINER_ORDER = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
] as const;

export const CONTAINER_PORT_ORDER = ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] as const;
export const TOLERATION_ORDER = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const;

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
const DEFAULT_AFFINITY_SECONDS = 10800;

// ---------------------------------------------------------------------------------------------
// Service

/**
 * Default a Service for create, or for update when `old` (the stored object) is given.
 * clusterFamilies: the cluster's service IP families, primary first (single-stack IPv4 by default).
 */
export function defaultService(svc: KObject, old?: KObject, clusterFamilies: string[] = ['IPv4']): void {
  if (!isObj(svc.spec)) {
    if (!isUnset(svc.spec)) return; // a decode error; nothing sensible to default
    svc.spec = {};
  }
  const spec = svc.spec as Obj;
  const oldSpec = isObj(old?.spec) ? (old!.spec as Obj) : undefined;
  setServiceDefaults(svc);
  if (oldSpec) patchAllocatedValues(spec, oldSpec);
  normalizeClusterIPs(spec, oldSpec);
  if (oldSpec) dropTypeDependentFields(spec, oldSpec);
  initIPFamilyFields(svc, oldSpec, clusterFamilies);
  if (isUnset(svc.status)) svc.status = { loadBalancer: {} };
  reorderKeys(spec, SERVICE_SPEC_ORDER);
  if (Array.isArray(spec.ports)) for (const p of spec.ports) if (isObj(p)) reorderKeys(p, SERVICE_PORT_ORDER);
}

/** SetDefaults_Service. */
function setServiceDefaults(svc: KObject): void {
  const spec = svc.spec as Obj;
  if (isEmpty(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && isUnset(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds))
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_AFFINITY_SECONDS } };
  if (isEmpty(spec.type)) spec.type = 'ClusterIP';
  if (Array.isArray(spec.ports)) for (const p of spec.ports) if (isObj(p)) defaultServicePort(p);
  // Externally reachable services (NodePort, LoadBalancer, ClusterIP with externalIPs) default to Cluster.
  if (externallyAccessible(spec) && isEmpty(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if (isUnset(spec.internalTrafficPolicy) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') {
    if (isUnset(spec.allocateLoadBalancerNodePorts)) spec.allocateLoadBalancerNodePorts = true;
    defaultIngressIPMode(svc);
  }
}

/** Protocol TCP; an unset, 0 or "" targetPort becomes the port number (IntOrString int). */
function defaultServicePort(p: Obj): void {
  if (isEmpty(p.protocol)) p.protocol = 'TCP';
  const tp = p.targetPort;
  if (isUnset(tp) || tp === 0 || tp === '') p.targetPort = typeof p.port === 'number' ? p.port : 0;
}

function defaultIngressIPMode(svc: KObject): void {
  const ingress = svc.status?.loadBalancer?.ingress;
  if (!Array.isArray(ingress)) return;
  for (const ing of ingress) if (isObj(ing) && !isEmpty(ing.ip) && isUnset(ing.ipMode)) ing.ipMode = 'VIP';
}

/**
 * normalizeClusterIPs: old clients send only clusterIP. On create, clusterIPs follows it; on update,
 * an omitted clusterIPs is kept and a changed or cleared clusterIP carries clusterIPs along.
 */
function normalizeClusterIPs(spec: Obj, old?: Obj): void {
  const ip = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (!old) {
    if (ip && ips.length === 0) spec.clusterIPs = [ip];
    return;
  }
  const oldIP = typeof old.clusterIP === 'string' ? old.clusterIP : '';
  const oldIPs = Array.isArray(old.clusterIPs) ? old.clusterIPs : [];
  if (oldIPs.length > 0 && ips.length === 0 && oldIP === ip) spec.clusterIPs = [...oldIPs];
  if (oldIP === ip) return;
  if (oldIP && !ip) {
    if (sameList(oldIPs, spec.clusterIPs)) delete spec.clusterIPs;
  } else if (sameList(oldIPs, spec.clusterIPs)) {
    spec.clusterIPs = [ip];
  }
}

const needsClusterIP = (spec: Obj): boolean => spec.type !== 'ExternalName';
const needsNodePort = (spec: Obj): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const needsHCNodePort = (spec: Obj): boolean => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

/** patchAllocatedValues: resubmitting the YAML that created a Service keeps what the server allocated. */
function patchAllocatedValues(spec: Obj, old: Obj): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (isEmpty(spec.clusterIP) && !isEmpty(old.clusterIP)) spec.clusterIP = old.clusterIP;
    if (!(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) && Array.isArray(old.clusterIPs) && old.clusterIPs.length > 0)
      spec.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(spec) && Array.isArray(spec.ports)) {
    // Match by port name; never reuse a nodePort the new spec already names elsewhere.
    const used = new Set(spec.ports.filter(isObj).map((p: Obj) => p.nodePort).filter((n: unknown) => typeof n === 'number' && n !== 0));
    const byName = new Map<string, number>();
    for (const p of Array.isArray(old.ports) ? old.ports : []) if (isObj(p)) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports) {
      if (!isObj(p) || (typeof p.nodePort === 'number' && p.nodePort !== 0)) continue;
      const oldVal = byName.get(p.name ?? '') ?? 0;
      if (oldVal !== 0 && !used.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHCNodePort(old) && needsHCNodePort(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort)
    spec.healthCheckNodePort = old.healthCheckNodePort;
}

/**
 * dropTypeDependentFields: on a type change, clear what the old type had allocated or defaulted,
 * unless the user changed it too (then validation reports it).
 */
function dropTypeDependentFields(spec: Obj, old: Obj): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if ((old.clusterIP ?? '') === (spec.clusterIP ?? '') && sameList(old.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(old.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((old.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(spec) && Array.isArray(spec.ports)) {
    const oldPorts = new Set((Array.isArray(old.ports) ? old.ports : []).map((p: Obj) => p?.nodePort).filter(Boolean));
    const newPorts = spec.ports.map((p: Obj) => p?.nodePort).filter(Boolean);
    if (newPorts.every((n: number) => oldPorts.has(n))) for (const p of spec.ports) if (isObj(p)) delete p.nodePort;
  }
  if (needsHCNodePort(old) && !needsHCNodePort(spec) && (old.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) delete spec.healthCheckNodePort;
  if (externallyAccessible(old) && !externallyAccessible(spec) && old.externalTrafficPolicy === spec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (!isUnset(spec.allocateLoadBalancerNodePorts) && spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts)
      delete spec.allocateLoadBalancerNodePorts;
    if ((old.loadBalancerClass ?? null) === (spec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
}

/**
 * initIPFamilyFields: ipFamilyPolicy (kept from the old object on update; RequireDualStack for a
 * headless service without selector; else SingleStack) and ipFamilies inferred from clusterIPs or
 * the cluster's primary family. When the clusterIPs are invalid or of a family the cluster lacks, the
 * fields stay as given: the apiserver fails the request there (see validateServiceIPFamiliesForCluster).
 */
function initIPFamilyFields(svc: KObject, oldSpec: Obj | undefined, clusterFamilies: string[]): void {
  const spec = svc.spec as Obj;
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(isObj(spec.selector) ? spec.selector : {}).length === 0;
  if (isUnset(spec.ipFamilyPolicy)) {
    if (!isUnset(oldSpec?.ipFamilyPolicy)) spec.ipFamilyPolicy = oldSpec!.ipFamilyPolicy;
    else spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  if (validateServiceClusterIPsRelatedFields(svc).length > 0) return;
  const families: string[] = Array.isArray(spec.ipFamilies) ? [...spec.ipFamilies] : [];
  const ips: string[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) {
    if (i < families.length) continue;
    const fam = isIPv6String(ips[i]) ? 'IPv6' : 'IPv4';
    if (!clusterFamilies.includes(fam)) return;
    families.push(fam);
  }
  if (families.length === 0) families.push(clusterFamilies[0]);
  // Dual-stack wishes get the other family when it exists; headless selectorless ones always do.
  const wantsDual = spec.ipFamilyPolicy !== 'SingleStack' && families.length === 1;
  if (wantsDual && (headlessSelectorless || clusterFamilies.length === 2)) families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  spec.ipFamilies = families;
}

// ---------------------------------------------------------------------------------------------
// Pod

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** A pod spec's keys back in struct order, after admission set some (the Priority plugin's class name). */
export function orderPodSpec(spec: Obj): void {
  reorderKeys(spec, POD_SPEC_ORDER);
}

/** Default a Pod for create: SetDefaults_Pod/PodSpec/Container plus the standard admission plugins. */
export function defaultPod(pod: KObject): void {
  if (!isObj(pod.spec)) {
    if (!isUnset(pod.spec)) return;
    pod.spec = {};
  }
  const spec = pod.spec as Obj;
  defaultPodSpec(spec);
  defaultPodAdmission(spec);
  reorderKeys(spec, POD_SPEC_ORDER);
}

/** A pod template's spec (Deployments, ReplicaSets): SetDefaults_PodSpec, without pod admission. */
export function defaultPodTemplateSpec(spec: Obj): void {
  defaultPodSpec(spec);
  reorderKeys(spec, POD_SPEC_ORDER);
}

function defaultPodSpec(spec: Obj): void {
  for (const list of [spec.initContainers, spec.containers])
    if (Array.isArray(list)) for (const c of list) if (isObj(c)) defaultContainer(c, spec.hostNetwork === true);
  if (Array.isArray(spec.volumes)) for (const v of spec.volumes) if (isObj(v)) defaultVolume(v);
  if (isEmpty(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (isEmpty(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (isUnset(spec.securityContext)) spec.securityContext = {};
  if (isUnset(spec.terminationGracePeriodSeconds)) spec.terminationGracePeriodSeconds = 30;
  if (isEmpty(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  if (isUnset(spec.enableServiceLinks)) spec.enableServiceLinks = true;
}

/** SetDefaults_Container, plus requests-from-limits (SetDefaults_Pod) and host-network host ports. */
function defaultContainer(c: Obj, hostNetwork: boolean): void {
  if (isEmpty(c.imagePullPolicy)) c.imagePullPolicy = imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent';
  if (isEmpty(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (isEmpty(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  // ResourceRequirements is a struct, so the server always writes it, empty or not.
  if (isUnset(c.resources)) c.resources = {};
  defaultRequestsFromLimits(c.resources);
  if (Array.isArray(c.ports))
    for (const p of c.ports) {
      if (!isObj(p)) continue;
      if (isEmpty(p.protocol)) p.protocol = 'TCP';
      if (hostNetwork && !p.hostPort && typeof p.containerPort === 'number') p.hostPort = p.containerPort;
      reorderKeys(p, CONTAINER_PORT_ORDER);
    }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (isObj(c[probe])) defaultProbe(c[probe]);
  reorderKeys(c, CONTAINER_ORDER);
}

function defaultRequestsFromLimits(resources: unknown): void {
  if (!isObj(resources) || !isObj(resources.limits)) return;
  if (!isObj(resources.requests)) resources.requests = {};
  for (const [k, v] of Object.entries(resources.limits)) if (!Object.hasOwn(resources.requests, k)) setKey(resources.requests, k, v);
}

function defaultProbe(p: Obj): void {
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (isObj(p.httpGet)) {
    if (isEmpty(p.httpGet.path)) p.httpGet.path = '/';
    if (isEmpty(p.httpGet.scheme)) p.httpGet.scheme = 'HTTP';
  }
}

const VOLUME_SOURCES_WITH_MODE = ['secret', 'configMap', 'downwardAPI', 'projected'];

/** SetDefaults_Volume: no source means emptyDir; file-projecting sources get mode 0644. */
function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const s of VOLUME_SOURCES_WITH_MODE) if (isObj(v[s]) && isUnset(v[s].defaultMode)) v[s].defaultMode = 0o644;
}

/**
 * The tag of an image reference, as ParseImageName reads it: "latest" when neither tag nor digest is
 * given, "" when only a digest is.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  if (tag) return tag;
  return at >= 0 ? '' : 'latest';
}

/**
 * ServiceAccount, DefaultTolerationSeconds and Priority admission plugins (the latter's values when
 * no class applies; apiserver/priorityadmission.ts looks the classes up where there is a state).
 */
function defaultPodAdmission(spec: Obj): void {
  if (isEmpty(spec.serviceAccountName)) spec.serviceAccountName = 'default';
  // The deprecated alias the server keeps in step.
  if (isEmpty(spec.serviceAccount)) spec.serviceAccount = spec.serviceAccountName;
  addDefaultTolerations(spec);
  if (isUnset(spec.priority)) spec.priority = 0;
  if (isUnset(spec.preemptionPolicy)) spec.preemptionPolicy = 'PreemptLowerPriority';
}

/** Tolerate not-ready and unreachable nodes for 300s unless the pod already tolerates them. */
function addDefaultTolerations(spec: Obj): void {
  const tolerations: Obj[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const tolerates = (key: string): boolean =>
    tolerations.some((t) => isObj(t) && (t.key === key || isEmpty(t.key)) && (t.effect === 'NoExecute' || isEmpty(t.effect)));
  const added = [NOT_READY_TAINT, UNREACHABLE_TAINT]
    .filter((key) => !tolerates(key))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  if (added.length === 0) return;
  spec.tolerations = [...tolerations, ...added];
  for (const t of spec.tolerations) if (isObj(t)) reorderKeys(t, TOLERATION_ORDER);
}

// ---------------------------------------------------------------------------------------------
// Endpoints and EndpointSlice

/** SetDefaults_Endpoints: port protocol TCP. */
export function defaultEndpoints(ep: KObject): void {
  if (!Array.isArray(ep.subsets)) return;
  for (const ss of ep.subsets) {
    if (!isObj(ss) || !Array.isArray(ss.ports)) continue;
    for (const p of ss.ports) if (isObj(p) && isEmpty(p.protocol)) p.protocol = 'TCP';
  }
}

/** discovery/v1 SetDefaults_EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(slice: KObject): void {
  if (!Array.isArray(slice.ports)) return;
  for (const p of slice.ports) {
    if (!isObj(p)) continue;
    if (isUnset(p.name)) p.name = '';
    if (isUnset(p.protocol)) p.protocol = 'TCP';
    reorderKeys(p, ['name', 'protocol', 'port', 'appProtocol']);
  }
}
