// Service cluster IPs and node ports, as the apiserver hands them out: the bitmap ipallocator
// (pkg/registry/core/service/ipallocator/bitmap.go) and the Service registry's allocation steps
// (pkg/registry/core/service/storage/alloc.go, storage.go, strategy.go). Pure: what is in use is
// derived by the caller from the stored objects.
//
// Allocation errors: the field-level ones come back as FieldErrors (the caller wraps them with
// invalidError). "range is full" is not a field error in the apiserver but an InternalError; those
// are thrown as a StatusError, after everything has been rolled back.
import { clone } from '../util/compare';
import { invalid, duplicate, StatusError, type FieldError } from '../api/errors';
import type { KObject, ServicePort, ServiceSpec } from '../api/types';
import { intToIp, ipToInt, isIPv4, parseCidr } from '../util/ip';
import type { Rand } from '../util/rand';
import { AllocError, NodePortAllocator, OffsetBitmap, PortAllocationOperation, nodePortFieldError } from './portallocator';
import { AllocationOperation } from './operation';
import { collectNodePorts, serviceClusterIPs, serviceNodePorts } from '../api/serviceutil';

/** min(max(16, size/16), 256), 0 for ranges of 16 addresses or fewer (ipallocator calculateRangeOffset). */
export function clusterIPRangeOffset(cidrSize: number): number {
  if (cidrSize <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(cidrSize / 16)), 256);
}

function parseIPv4Cidr(cidr: string): { network: number; prefix: number; size: number } {
  const [ip, bits, extra] = cidr.split('/');
  const prefix = Number(bits);
  if (extra !== undefined || !isIPv4(ip) || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32) {
    throw new Error(`invalid CIDR address: ${cidr}`);
  }
  const c = parseCidr(cidr);
  return { network: c.base, prefix, size: c.size };
}

/**
 * The service IP range. Offset 0 is the first usable address (the network address and, for IPv4,
 * the broadcast address are never handed out, and never released either).
 */
export class ClusterIPAllocator {
  /** the range as the apiserver prints it: "10.96.0.0/12" */
  readonly cidr: string;
  private base: number;
  private max: number;
  private network: number;
  private bits: OffsetBitmap;

  constructor(cidr: string, inUse: Iterable<string>, rand: Rand) {
    const c = parseIPv4Cidr(cidr);
    this.network = c.network;
    this.cidr = `${intToIp(c.network)}/${c.prefix}`;
    this.base = c.network + 1;
    this.max = Math.max(0, c.size - 2);
    this.bits = new OffsetBitmap(this.max, clusterIPRangeOffset(c.size), rand);
    for (const ip of inUse) {
      const i = this.offsetOf(ip);
      if (i !== undefined) this.bits.allocate(i);
    }
  }

  /** The offset of an address inside the usable range, undefined when outside (or not an IPv4 address). */
  private offsetOf(ip: string): number | undefined {
    if (!isIPv4(ip)) return undefined;
    const i = ipToInt(ip) - this.base;
    return i >= 0 && i < this.max ? i : undefined;
  }

  contains(ip: string): boolean {
    return this.offsetOf(ip) !== undefined;
  }
  has(ip: string): boolean {
    const i = this.offsetOf(ip);
    return i !== undefined && this.bits.has(i);
  }
  /** The first usable address: 10.96.0.1 for 10.96.0.0/12, which kubeadm gives the `kubernetes` service. */
  first(): string {
    return intToIp(this.base);
  }
  /** The network address: what a dry-run allocation answers (ipallocator dryRunRange). */
  networkAddress(): string {
    return intToIp(this.network);
  }
  free(): number {
    return this.bits.free();
  }
  /** Reserve an address the user asked for; throws AllocError. Anywhere in the range, static band included. */
  allocate(ip: string): void {
    const i = this.offsetOf(ip);
    if (i === undefined) this.throwNotInRange();
    if (!this.bits.allocate(i)) throw new AllocError('allocated', 'provided IP is already allocated');
  }
  /** Check the range only, as the apiserver's dry-run does. */
  checkInRange(ip: string): void {
    if (this.offsetOf(ip) === undefined) this.throwNotInRange();
  }
  private throwNotInRange(): never {
    throw new AllocError('not-in-range', `provided IP is not in the valid range. The range of valid IPs is ${this.cidr}`);
  }
  /** A random free address from the dynamic band, the static band only once that is full; throws AllocError. */
  allocateNext(): string {
    const i = this.bits.allocateNext();
    if (i === undefined) throw new AllocError('full', 'range is full');
    return intToIp(this.base + i);
  }
  /** Releasing a free or out-of-range address is a no-op. */
  release(ip: string): void {
    const i = this.offsetOf(ip);
    if (i !== undefined) this.bits.release(i);
  }
}

/** `spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated` */
export function clusterIPFieldError(clusterIPs: string[], ip: string, err: AllocError): FieldError {
  return invalid('spec.clusterIPs', clusterIPs, `failed to allocate IP ${ip}: ${err.message}`);
}

// ---------------------------------------------------------------------------------------------
// Service-level allocation
// ---------------------------------------------------------------------------------------------

export interface ServiceAllocators {
  ips: ClusterIPAllocator;
  ports: NodePortAllocator;
}

export interface AllocateOptions {
  /** --dry-run=server: touch nothing; new IPs read as the network address, new node ports 32769, 32770, … */
  dryRun?: boolean;
}

/** Allocators holding everything the given Services use. */
export function buildServiceAllocators(services: Iterable<KObject>, serviceCIDR: string, nodePortRange: [number, number], rand: Rand): ServiceAllocators {
  const ips: string[] = [];
  const ports: number[] = [];
  for (const svc of services) {
    ips.push(...serviceClusterIPs(svc));
    ports.push(...serviceNodePorts(svc));
  }
  return serviceAllocators(ips, ports, serviceCIDR, nodePortRange, rand);
}

/** Allocators holding the given addresses and node ports. */
export function serviceAllocators(ips: string[], ports: number[], serviceCIDR: string, nodePortRange: [number, number], rand: Rand): ServiceAllocators {
  return { ips: new ClusterIPAllocator(serviceCIDR, ips, rand), ports: new NodePortAllocator(nodePortRange, ports, rand) };
}

/**
 * Create: assign spec.clusterIP/clusterIPs, node ports and the health-check node port of a defaulted
 * Service (allocateCreate). All or nothing: on an error everything taken here is given back, svc is
 * left as it was, and the FieldErrors are returned (a full range throws an InternalError StatusError).
 */
export function allocateServiceAddresses(svc: KObject, used: ServiceAllocators, opts: AllocateOptions = {}): FieldError[] {
  const spec: ServiceSpec = clone(svc.spec ?? {});
  normalizeClusterIPsOnCreate(spec);
  const txn = new Txn(used, opts.dryRun ?? false);
  const errs = txn.run(() => {
    allocClusterIPs(spec, txn.ips);
    if (needsNodePort(spec)) initNodePorts(spec, txn.ports);
    if (needsHealthCheck(spec)) allocHealthCheckNodePort(spec, txn.ports);
  });
  if (errs.length === 0) svc.spec = spec;
  return errs;
}

/**
 * The update fix-ups the apiserver makes before it validates (beginUpdate, PrepareForUpdate): fill in
 * values the client left out but we allocated before (patchAllocatedValues: resubmitting the YAML a
 * NodePort Service was created from keeps its nodePorts), keep clusterIP/clusterIPs in step, and wipe
 * fields the new type does not use (dropTypeDependentFields). Mutates newSvc; idempotent.
 */
export function prepareServiceUpdate(oldSvc: KObject, newSvc: KObject): void {
  const old: ServiceSpec = oldSvc.spec ?? {};
  const spec: ServiceSpec = newSvc.spec ?? (newSvc.spec = {});
  patchAllocatedValues(spec, old);
  normalizeClusterIPsOnUpdate(spec, old);
  dropTypeDependentFields(spec, old);
  // A LoadBalancer status means nothing for the other types.
  if (spec.type !== 'LoadBalancer' && newSvc.status?.loadBalancer) newSvc.status = { ...newSvc.status, loadBalancer: {} };
}

/**
 * Update (allocateUpdate): prepareServiceUpdate, then allocate or release what a type change calls
 * for (ExternalName -> other: a cluster IP; -> ExternalName: release it; -> NodePort/LoadBalancer:
 * node ports; -> ClusterIP: release them; health-check port on/off). Releases happen only when
 * everything succeeded. On an error newSvc is left as it was and the FieldErrors are returned.
 */
export function updateServiceAddresses(oldSvc: KObject, newSvc: KObject, used: ServiceAllocators, opts: AllocateOptions = {}): FieldError[] {
  const oldSpec: ServiceSpec = oldSvc.spec ?? {};
  const draft: KObject = { ...newSvc, spec: clone(newSvc.spec ?? {}), status: clone(newSvc.status) };
  prepareServiceUpdate(oldSvc, draft);
  const spec: ServiceSpec = draft.spec;
  const txn = new Txn(used, opts.dryRun ?? false);
  const errs = txn.run(() => {
    updateClusterIPs(spec, oldSpec, txn.ips);
    updateNodePorts(spec, oldSpec, txn.ports);
  });
  if (errs.length > 0) return errs;
  newSvc.spec = spec;
  if (draft.status !== undefined) newSvc.status = draft.status;
  return [];
}

/** Delete: give back the Service's cluster IPs, node ports and health-check node port (releaseAllocatedResources). */
export function releaseServiceAddresses(svc: KObject, used: ServiceAllocators): void {
  const spec: ServiceSpec = svc.spec ?? {};
  for (const ip of serviceClusterIPs(svc)) used.ips.release(ip);
  for (const p of collectNodePorts(spec)) used.ports.release(p);
  if (needsHealthCheck(spec) && spec.healthCheckNodePort) used.ports.release(spec.healthCheckNodePort);
}

// --- the transaction -------------------------------------------------------------------------

/** A field-level refusal, carried out of the allocation steps to Txn.run. */
class FieldFailure extends Error {
  constructor(public cause: FieldError) {
    super(cause.detail ?? cause.type);
  }
}

function internalError(message: string): StatusError {
  return new StatusError('InternalError', `Internal error occurred: ${message}`);
}

/** An allocation transaction over the cluster IPs; a dry run checks the range but not whether an address is free, and answers the network address. */
class IPAllocationOperation extends AllocationOperation<string> {
  constructor(ips: ClusterIPAllocator, dryRun: boolean) {
    super(ips, dryRun ? { allocate: (ip) => ips.checkInRange(ip), allocateNext: () => ips.networkAddress() } : undefined);
  }
}

class Txn {
  ips: IPAllocationOperation;
  ports: PortAllocationOperation;
  constructor(used: ServiceAllocators, dryRun: boolean) {
    this.ips = new IPAllocationOperation(used.ips, dryRun);
    this.ports = new PortAllocationOperation(used.ports, dryRun);
  }
  /** Run the steps; commit when they all succeed, otherwise roll back and report. */
  run(steps: () => void): FieldError[] {
    try {
      steps();
    } catch (e) {
      this.ports.rollback();
      this.ips.rollback();
      if (e instanceof FieldFailure) return [e.cause];
      throw e;
    }
    this.ips.commit();
    this.ports.commit();
    return [];
  }
}

// --- cluster IPs -----------------------------------------------------------------------------

function isHeadless(spec: ServiceSpec): boolean {
  return (spec.clusterIPs?.[0] ?? spec.clusterIP) === 'None';
}

/** normalizeClusterIPs on create: an old client sets only the singular field. */
function normalizeClusterIPsOnCreate(spec: ServiceSpec): void {
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
}

function sameStrings(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** normalizeClusterIPs on update: keep clusterIP and clusterIPs in step when the client sent only one. */
function normalizeClusterIPsOnUpdate(spec: ServiceSpec, old: ServiceSpec): void {
  if (old.clusterIPs?.length && !spec.clusterIPs?.length && (old.clusterIP ?? '') === (spec.clusterIP ?? '')) {
    spec.clusterIPs = old.clusterIPs;
  }
  if ((old.clusterIP ?? '') === (spec.clusterIP ?? '')) return;
  if (old.clusterIP && !spec.clusterIP) {
    // Clearing the singular field clears the plural too, unless that was changed as well.
    if (sameStrings(old.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
  } else if (sameStrings(old.clusterIPs, spec.clusterIPs)) {
    spec.clusterIPs = [spec.clusterIP ?? ''];
  }
}

/** allocClusterIPs: the first (and, IPv4-only, sole) family. */
function allocClusterIPs(spec: ServiceSpec, op: IPAllocationOperation): void {
  if (spec.type === 'ExternalName' || isHeadless(spec)) return;
  const requested = spec.clusterIPs ?? [];
  const want = requested[0] ?? '';
  let ip: string;
  if (want === '') {
    try {
      ip = op.allocateNext();
    } catch (e) {
      throw e instanceof AllocError ? internalError(`failed to allocate a serviceIP: ${e.message}`) : e;
    }
  } else {
    try {
      op.allocate(want);
    } catch (e) {
      throw e instanceof AllocError ? new FieldFailure(clusterIPFieldError(requested, want, e)) : e;
    }
    ip = want;
  }
  spec.clusterIPs = [ip, ...requested.slice(1)];
  spec.clusterIP = ip;
}

/** updateClusterIPs, single-stack: only a change to or from ExternalName moves addresses. */
function updateClusterIPs(spec: ServiceSpec, old: ServiceSpec, op: IPAllocationOperation): void {
  if (old.type === 'ExternalName' && spec.type !== 'ExternalName') return allocClusterIPs(spec, op);
  if (old.clusterIPs?.[0] === 'None') return;
  if (old.type !== 'ExternalName' && spec.type === 'ExternalName') {
    const ips = old.clusterIPs?.length ? old.clusterIPs : old.clusterIP ? [old.clusterIP] : [];
    for (const ip of ips) op.releaseDeferred(ip);
  }
}

// --- node ports ------------------------------------------------------------------------------

function needsNodePort(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** NeedsHealthCheck: only LoadBalancer services that keep traffic on the local node. */
function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** Whether ports without a nodePort get one; LoadBalancers may opt out (explicit values are still honoured). */
function shouldAllocateNodePorts(spec: ServiceSpec): boolean {
  if (spec.type === 'NodePort') return true;
  if (spec.type === 'LoadBalancer') return spec.allocateLoadBalancerNodePorts !== false;
  return false;
}


/** A nodePort the user gave any port with this port number (53/TCP and 53/UDP share one). */
function findRequestedNodePort(port: number, ports: ServicePort[]): number {
  return ports.find((p) => p.port === port && p.nodePort)?.nodePort ?? 0;
}

function allocateNodePort(op: PortAllocationOperation, index: number, port: number): void {
  try {
    op.allocate(port);
  } catch (e) {
    throw e instanceof AllocError ? new FieldFailure(nodePortFieldError(index, port, e)) : e;
  }
}

function allocateNextNodePort(op: PortAllocationOperation): number {
  try {
    return op.allocateNext();
  } catch (e) {
    throw e instanceof AllocError ? internalError(`failed to allocate a nodePort: ${e.message}`) : e;
  }
}

/** initNodePorts (create): ports that share a port number share a node port, saving one. */
function initNodePorts(spec: ServiceSpec, op: PortAllocationOperation): void {
  const ports = spec.ports ?? [];
  const byPort = new Map<number, number>();
  ports.forEach((p, i) => {
    if (!p.nodePort && !shouldAllocateNodePorts(spec)) return;
    const shared = byPort.get(p.port) ?? 0;
    if (shared === 0) {
      const requested = findRequestedNodePort(p.port, ports);
      if (requested) allocateNodePort(op, i, requested);
      p.nodePort = requested || allocateNextNodePort(op);
      byPort.set(p.port, p.nodePort);
    } else if (p.nodePort !== shared) {
      if (!p.nodePort) p.nodePort = shared;
      else allocateNodePort(op, i, p.nodePort);
    }
  });
}

/** allocHealthCheckNodePort: failures here are InternalErrors in the apiserver. */
function allocHealthCheckNodePort(spec: ServiceSpec, op: PortAllocationOperation): void {
  const requested = spec.healthCheckNodePort ?? 0;
  try {
    if (requested) op.allocate(requested);
    else spec.healthCheckNodePort = op.allocateNext();
  } catch (e) {
    if (!(e instanceof AllocError)) throw e;
    const what = requested ? `requested HealthCheck NodePort ${requested}` : 'a HealthCheck NodePort 0';
    throw internalError(`failed to allocate ${what}: ${e.message}`);
  }
}

/** txnUpdateNodePorts: release on a change to ClusterIP/ExternalName, (re)allocate for NodePort/LoadBalancer. */
function updateNodePorts(spec: ServiceSpec, old: ServiceSpec, op: PortAllocationOperation): void {
  if (needsNodePort(old) && (spec.type === 'ExternalName' || spec.type === 'ClusterIP')) {
    for (const p of collectNodePorts(old)) op.releaseDeferred(p);
  }
  if (needsNodePort(spec)) reconcileNodePorts(spec, old, op);
  updateHealthCheckNodePort(spec, old, op);
}

/** updateNodePorts (alloc.go): keep the old ones still listed, allocate new ones, release the dropped ones. */
function reconcileNodePorts(spec: ServiceSpec, old: ServiceSpec, op: PortAllocationOperation): void {
  const oldPorts = collectNodePorts(old);
  const taken = new Set<number>();
  const seen = new Set<string>();
  (spec.ports ?? []).forEach((p, i) => {
    if (!p.nodePort && !shouldAllocateNodePorts(spec)) return;
    if (p.nodePort) {
      if (!oldPorts.includes(p.nodePort) && !taken.has(p.nodePort)) {
        allocateNodePort(op, i, p.nodePort);
        taken.add(p.nodePort);
      }
    } else {
      p.nodePort = allocateNextNodePort(op);
    }
    // The apiserver fails here with a bare "duplicate nodePort" error; validation's wording is friendlier.
    const key = `${p.protocol ?? 'TCP'}/${p.nodePort}`;
    if (seen.has(key)) throw new FieldFailure(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    seen.add(key);
  });
  const newPorts = collectNodePorts(spec);
  for (const p of oldPorts) if (!newPorts.includes(p)) op.releaseDeferred(p);
}

function updateHealthCheckNodePort(spec: ServiceSpec, old: ServiceSpec, op: PortAllocationOperation): void {
  const needed = needsHealthCheck(old);
  const needs = needsHealthCheck(spec);
  if (!needed && needs) allocHealthCheckNodePort(spec, op);
  else if (needed && !needs && old.healthCheckNodePort) op.releaseDeferred(old.healthCheckNodePort);
}

// --- update fix-ups (storage.go patchAllocatedValues, strategy.go dropTypeDependentFields) ----

/** Let a client resubmit the YAML it created the Service from: keep what was allocated for it. */
function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (old.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(spec)) patchNodePorts(spec, old);
  if (needsHealthCheck(old) && needsHealthCheck(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort) {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/** Missing nodePorts come back from the old port of the same name, unless another port now uses that value. */
function patchNodePorts(spec: ServiceSpec, old: ServiceSpec): void {
  const newPorts = new Set(collectNodePorts(spec));
  const used = new Set(collectNodePorts(old).filter((p) => newPorts.has(p)));
  const byName = new Map<string, number>();
  for (const p of old.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
  for (const p of spec.ports ?? []) {
    if (p.nodePort) continue;
    const oldVal = byName.get(p.name ?? '') ?? 0;
    if (oldVal && !used.has(oldVal)) p.nodePort = oldVal;
  }
}

function externallyAccessible(spec: ServiceSpec): boolean {
  return needsNodePort(spec) || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/**
 * Wipe fields the new type does not use, but only those the user left as they were (a changed value
 * is kept so that validation can refuse it). Wiped addresses were released above.
 */
function dropTypeDependentFields(spec: ServiceSpec, old: ServiceSpec): void {
  if (old.type !== 'ExternalName' && spec.type === 'ExternalName') {
    if ((old.clusterIP ?? '') === (spec.clusterIP ?? '') && sameStrings(old.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameStrings(old.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (old.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(spec)) {
    const oldPorts = new Set(collectNodePorts(old));
    if (collectNodePorts(spec).every((p) => oldPorts.has(p))) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(spec) && old.healthCheckNodePort === spec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    const a = old.allocateLoadBalancerNodePorts;
    if (a !== undefined && a === spec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (old.loadBalancerClass === spec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(spec) && old.externalTrafficPolicy === spec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
}
