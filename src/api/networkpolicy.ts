// networking.k8s.io/v1 NetworkPolicy: SetDefaults_NetworkPolicy / SetDefaults_NetworkPolicyPort
// (kubernetes pkg/apis/networking/v1/defaults.go) and ValidateNetworkPolicy as kube-apiserver 1.32
// runs it (pkg/apis/networking/validation/validation.go: ValidateNetworkPolicySpec,
// ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock).
import { forbidden, GoSyntax, invalid, required, unsupported, type FieldError } from './errors';
import { validateLabelSelector } from './policy';
import type { KObject } from './types';
import { isValidPortName, isValidPortNum, parseCIDR, validateObjectMeta, validateObjectMetaUpdate } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Every port of every rule, ingress then egress. */
function allPorts(spec: Obj): Obj[] {
  return [...list(spec.ingress).flatMap((r) => list(r?.ports)), ...list(spec.egress).flatMap((r) => list(r?.ports))];
}

function dropEmpty(o: Obj, ...keys: string[]): void {
  for (const k of keys) if (Array.isArray(o[k]) && o[k].length === 0) delete o[k];
}

/**
 * SetDefaults_NetworkPolicy: no policyTypes means Ingress, plus Egress when there are egress rules;
 * SetDefaults_NetworkPolicyPort: a port's protocol is TCP unless given.
 */
export function defaultNetworkPolicy(np: KObject): void {
  const spec: Obj = (np.spec ??= {});
  if (!spec || typeof spec !== 'object') return;
  // podSelector has no omitempty: the empty selector is always written
  spec.podSelector ??= {};
  for (const p of allPorts(spec)) if (p && typeof p === 'object' && p.protocol == null) p.protocol = 'TCP';
  // the lists are omitempty: an empty one reads back as absent
  dropEmpty(spec, 'ingress', 'egress', 'policyTypes');
  for (const r of list(spec.ingress)) if (r && typeof r === 'object') dropEmpty(r, 'ports', 'from');
  for (const r of list(spec.egress)) if (r && typeof r === 'object') dropEmpty(r, 'ports', 'to');
  if (!list(spec.policyTypes).length) spec.policyTypes = list(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** ValidateNetworkPolicyPort */
function validatePort(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol != null && !PROTOCOLS.includes(port.protocol)) errs.push(unsupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  const endPort = port.endPort;
  if (port.port != null) {
    if (typeof port.port === 'number') {
      for (const m of isValidPortNum(port.port)) errs.push(invalid(`${path}.port`, port.port, m));
      if (endPort != null) {
        if (endPort < port.port) errs.push(invalid(`${path}.endPort`, endPort, 'must be greater than or equal to `port`'));
        for (const m of isValidPortNum(endPort)) errs.push(invalid(`${path}.endPort`, endPort, m));
      }
    } else {
      if (endPort != null) errs.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
      for (const m of isValidPortName(String(port.port))) errs.push(invalid(`${path}.port`, port.port, m));
    }
  } else if (endPort != null) errs.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  return errs;
}

/** A parsed CIDR as Go's net.IPNet: the family's bytes, masked, and the prefix length. */
function ipNet(s: string): { bytes: number[]; bits: number } | null {
  const c = parseCIDR(s);
  if (!c) return null;
  const v4 = c.bits <= 32 && c.ip.slice(0, 12).every((b, i) => b === (i < 10 ? 0 : 0xff)) && !s.includes(':');
  const bytes = v4 ? c.ip.slice(12) : c.ip.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, c.bits - i * 8));
    bytes[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return { bytes, bits: c.bits };
}

/** IPNet.Contains(ip): same family and the first `bits` bits equal. */
function contains(net: { bytes: number[]; bits: number }, ip: number[]): boolean {
  if (net.bytes.length !== ip.length) return false;
  for (let i = 0; i < ip.length; i++) {
    const keep = Math.max(0, Math.min(8, net.bits - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((ip[i] & mask) !== net.bytes[i]) return false;
  }
  return true;
}

/** ValidateIPBlock (1.32: "not a valid CIDR"; an except must be a strict subset of the cidr). */
function validateIPBlock(ipb: Obj, path: string): FieldError[] {
  const cidr = String(ipb.cidr ?? '');
  if (!cidr) return [required(`${path}.cidr`, '')];
  const net = ipNet(cidr);
  if (!net) return [invalid(`${path}.cidr`, cidr, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  const except = list(ipb.except) as unknown as string[];
  for (let i = 0; i < except.length; i++) {
    const p = `${path}.except[${i}]`;
    const ex = ipNet(String(except[i]));
    // the 1.32 loop returns at the first unparsable except
    if (!ex) return [...errs, invalid(p, except[i], 'not a valid CIDR')];
    if (!contains(net, ex.bytes) || net.bits >= ex.bits) errs.push(invalid(p, except[i], 'must be a strict subset of `cidr`'));
  }
  return errs;
}

/** ValidateNetworkPolicyPeer: a selector (pod, namespace or both) or an ipBlock alone. */
function validatePeer(peer: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector != null) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector != null) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock != null) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock != null) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec */
export function validateNetworkPolicySpec(spec: Obj, path = 'spec'): FieldError[] {
  const errs = validateLabelSelector(spec.podSelector ?? {}, `${path}.podSelector`);
  list(spec.ingress).forEach((rule, i) => {
    const p = `${path}.ingress[${i}]`;
    list(rule?.ports).forEach((port, j) => errs.push(...validatePort(port ?? {}, `${p}.ports[${j}]`)));
    list(rule?.from).forEach((peer, j) => errs.push(...validatePeer(peer ?? {}, `${p}.from[${j}]`)));
  });
  list(spec.egress).forEach((rule, i) => {
    const p = `${path}.egress[${i}]`;
    list(rule?.ports).forEach((port, j) => errs.push(...validatePort(port ?? {}, `${p}.ports[${j}]`)));
    list(rule?.to).forEach((peer, j) => errs.push(...validatePeer(peer ?? {}, `${p}.to[${j}]`)));
  });
  const types = list(spec.policyTypes) as unknown as string[];
  if (types.length > POLICY_TYPES.length) {
    // field.Invalid(…, &spec.PolicyTypes, …): the pointer's element printed with %#v
    errs.push(invalid(`${path}.policyTypes`, new GoSyntax(`[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(unsupported(`${path}.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return errs;
}

/** ValidateNetworkPolicy / ValidateNetworkPolicyUpdate: ObjectMeta (names are DNS subdomains), then the spec. */
export function validateNetworkPolicy(np: KObject, old?: KObject): FieldError[] {
  const meta = old ? validateObjectMetaUpdate(np, old) : validateObjectMeta(np, true);
  return [...meta, ...validateNetworkPolicySpec(np.spec ?? {})];
}
