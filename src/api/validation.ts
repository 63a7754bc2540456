// Object validation with the apiserver's own messages. Each function follows its Go original in
// kubernetes/kubernetes (pkg/apis/core/validation/validation.go, pkg/apis/discovery/validation) and
// kubernetes/apimachinery (pkg/util/validation, pkg/api/validation/objectmeta.go), in the same order,
// because kubectl prints the causes in the order the server reports them.
//
// Input is user JSON/YAML of any shape: every read goes through the loose accessors below, which give
// Go's zero value for a missing or wrongly typed field, so validation never throws. Wrong types
// themselves are reported earlier, as the decoder would, by checkTypes() (decode.ts).
import { type FieldError, GoSyntax, required, invalid, forbidden, duplicate, unsupported } from './errors';
import { validateTopologySpreadConstraints } from './spreadvalidation';
import { validateAffinity } from './affinityvalidation';
import type { KObject } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Loose accessors: Go zero values for absent or mistyped input.

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** A pointer field: set unless absent or null. */
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
/** map[string]string: entries whose values are strings (others were already a decode error). */
const strMap = (v: unknown): [string, string][] => Object.entries(obj(v)).map(([k, x]) => [k, str(x)]);
/** Go's len() counts bytes, not UTF-16 units. */
const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Drop repeated causes: kubectl prints each distinct "<field>: <body>" once (statusCausesToAggrError). */
function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const key = `${e.field}\u0000${e.type}\u0000${JSON.stringify(e.value)}\u0000${e.detail ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// apimachinery pkg/util/validation: string formats and their messages.

/** RegexError: examples are joined with " or " after "', " — hence the double space kubectl shows. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) s += ' or ';
    s += `'${ex}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}
const maxLenError = (n: number): string => `must be no more than ${n} characters`;
const inclusiveRangeError = (lo: number, hi: number): string => `must be between ${lo} and ${hi}, inclusive`;
const EMPTY_ERROR = 'must be non-empty';
const IS_NEGATIVE_ERROR = 'must be greater than or equal to 0';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

/** IANA_SVC_NAME (RFC 6335), used for container port names and named targetPorts. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLen(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qnameRe = new RegExp(`^${QNAME_FMT}$`);

/** A "qualified name" (label key, annotation key, appProtocol): optional DNS-subdomain prefix and '/'. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QNAME_ERR, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (byteLen(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qnameRe.test(name)) errs.push(`name part ${regexError(QNAME_ERR, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

// ---------------------------------------------------------------------------------------------
// IP addresses, parsed like k8s.io/utils/net ParseIPSloppy (Go 1.16 net.ParseIP, which still accepts
// leading zeros in IPv4 octets). Addresses are 16 bytes, IPv4 stored as ::ffff:a.b.c.d, as in Go.

type IP = number[];
const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4(s: string): IP | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return null;
    const n = parseInt(p, 10);
    if (n > 255) return null;
    out.push(n);
  }
  return [...V4_PREFIX, ...out];
}

/** Hex group of a v6 address: Go's xtoi, which reads any number of digits up to 0xFFFF. */
function readHex(s: string): { n: number; len: number } | null {
  const m = /^[0-9a-fA-F]+/.exec(s);
  if (!m) return null;
  const n = parseInt(m[0].slice(0, 8), 16);
  if (m[0].length > 8 || n > 0xffff) return null;
  return { n, len: m[0].length };
}

function parseIPv6(input: string): IP | null {
  const ip: number[] = new Array(16).fill(0);
  let s = input;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    const h = readHex(s);
    if (!h) return null;
    if (h.len < s.length && s[h.len] === '.') {
      // Trailing dotted IPv4 part.
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const v4 = parseIPv4(s);
      if (!v4) return null;
      for (let k = 0; k < 4; k++) ip[i + k] = v4[12 + k];
      s = '';
      i += 4;
      break;
    }
    ip[i] = h.n >> 8;
    ip[i + 1] = h.n & 0xff;
    i += 2;
    s = s.slice(h.len);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return null;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return null;
  }
  return ip;
}

/** Go's net.ParseIP: the first '.' or ':' decides the family; null when invalid. */
export function parseIP(s: string): IP | null {
  for (const c of s) {
    if (c === '.') return parseIPv4(s);
    if (c === ':') return parseIPv6(s);
  }
  return null;
}

const isV4 = (ip: IP): boolean => V4_PREFIX.every((b, i) => ip[i] === b);
/** netutils.IsIPv6String: parses, and is not an IPv4 (or IPv4-mapped) address. */
export const isIPv6String = (s: string): boolean => {
  const ip = parseIP(s);
  return ip !== null && !isV4(ip);
};

/** Go's net.ParseCIDR (sloppy): "<ip>/<decimal prefix>". */
export function parseCIDR(s: string): { ip: IP; bits: number } | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  let ip = parseIPv4(addr);
  let len = 32;
  if (!ip) {
    ip = parseIPv6(addr);
    len = 128;
  }
  if (!ip || !/^[0-9]+$/.test(mask)) return null;
  const bits = parseInt(mask, 10);
  return bits <= len ? { ip, bits } : null;
}

const IP_ERROR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_ERROR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validateIP(field: string, value: string): FieldError[] {
  return parseIP(value) ? [] : [invalid(field, value, IP_ERROR)];
}

function validateCIDR(field: string, value: string): FieldError[] {
  return parseCIDR(value) ? [] : [invalid(field, value, CIDR_ERROR)];
}

/**
 * ValidateNonSpecialIP (ValidateEndpointIP in newer trees): endpoints and external IPs may not be
 * unspecified, loopback or link-local, which are meaningless or node-local.
 */
export function validateNonSpecialIP(value: string, field: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [invalid(field, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = isV4(ip);
  const unspecified = v4 ? ip.slice(12).every((b) => b === 0) : ip.every((b) => b === 0);
  const loopback = v4 ? ip[12] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
  const linkLocal = v4 ? ip[12] === 169 && ip[13] === 254 : ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
  const llMulticast = v4 ? ip[12] === 224 && ip[13] === 0 && ip[14] === 0 : ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
  if (unspecified) errs.push(invalid(field, value, `may not be unspecified (${value})`));
  if (loopback) errs.push(invalid(field, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(invalid(field, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (llMulticast) errs.push(invalid(field, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

/** IsFullyQualifiedDomainName (EndpointSlice FQDN addresses). */
function validateFQDN(field: string, value: string): FieldError[] {
  if (value.length === 0) return [required(field)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length > 0) return [invalid(field, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalid(field, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return [invalid(field, label, errs.join(','))];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Field-level helpers shared by the object validators.

const dns1123LabelField = (value: string, field: string): FieldError[] => isDNS1123Label(value).map((m) => invalid(field, value, m));
const dns1123SubdomainField = (value: string, field: string): FieldError[] => isDNS1123Subdomain(value).map((m) => invalid(field, value, m));
const qualifiedNameField = (value: string, field: string): FieldError[] => isQualifiedName(value).map((m) => invalid(field, value, m));

/** apimachinery ValidateLabels: keys are qualified names, values label values; both at the map's path. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of strMap(labels)) {
    errs.push(...qualifiedNameField(k, field));
    errs.push(...isValidLabelValue(v).map((m) => invalid(field, v, m)));
  }
  return errs;
}

/** Annotation keys are qualified names compared in lower case; the whole map is limited to 256 KiB. */
function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of strMap(annotations)) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((m) => invalid(field, k, m)));
    size += byteLen(k) + byteLen(v);
  }
  const limit = 256 * 1024;
  if (size > limit) errs.push({ type: 'Too long', field, detail: `must have at most ${limit} bytes` });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta (apimachinery pkg/api/validation/objectmeta.go).

/** A name rule as apimachinery's ValidateNameFunc: prefix=true validates a generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/** A generateName may end in '-': mask it so the rule still applies to the rest. */
const maskTrailingDash = (name: string): string => (name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name);

export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/**
 * ValidateObjectMeta for create. Assumes the server already filled metadata.namespace. Most kinds
 * name objects as DNS subdomains, hence the default rule.
 */
export function validateObjectMeta(o: KObject, namespaced: boolean, nameValidator: NameValidator = nameIsDNSSubdomain, fldPath = 'metadata'): FieldError[] {
  const meta = obj(o?.metadata);
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName) errs.push(...nameValidator(generateName, true).map((m) => invalid(`${fldPath}.generateName`, generateName, m)));
  const name = str(meta.name);
  if (!name) errs.push(required(`${fldPath}.name`, 'name or generateName is required'));
  else errs.push(...nameValidator(name, false).map((m) => invalid(`${fldPath}.name`, name, m)));
  errs.push(...validateNamespaceField(str(meta.namespace), namespaced, `${fldPath}.namespace`));
  const generation = num(meta.generation);
  if (generation < 0) errs.push(invalid(`${fldPath}.generation`, generation, IS_NEGATIVE_ERROR));
  errs.push(...validateLabels(meta.labels, `${fldPath}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${fldPath}.annotations`));
  return errs;
}

function validateNamespaceField(ns: string, namespaced: boolean, field: string): FieldError[] {
  if (!namespaced) return ns ? [forbidden(field, 'not allowed on this type')] : [];
  if (!ns) return [required(field)];
  return nameIsDNSLabel(ns, false).map((m) => invalid(field, ns, m));
}

/** ValidateObjectMetaUpdate, less the resourceVersion rule: the store fills that in for unconditional updates. */
export function validateObjectMetaUpdate(o: KObject, old: KObject, fldPath = 'metadata'): FieldError[] {
  const meta = obj(o?.metadata);
  const oldMeta = obj(old?.metadata);
  const errs: FieldError[] = [];
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp']) {
    if (str(meta[key]) !== str(oldMeta[key])) errs.push(invalid(`${fldPath}.${key}`, str(meta[key]), 'field is immutable'));
  }
  errs.push(...validateLabels(meta.labels, `${fldPath}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${fldPath}.annotations`));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Service (ValidateService, ValidateServiceUpdate).

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const MAX_AFFINITY_SECONDS = 86400;
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';

const specOf = (svc: KObject | undefined): Obj => obj(svc?.spec);
const clusterIPsOf = (spec: Obj): string[] => arr(spec.clusterIPs).map(str);
/** Go prints a nil slice as null; an absent list reads the same here. */
const listValue = (list: string[]): string[] | null => (list.length > 0 ? list : null);
/** A pointer-to-string field, dereferenced as field.Error does (nil → null). */
const ptrValue = (v: unknown): string | null => (isSet(v) ? str(v) : null);

/** isHeadlessService: looks at clusterIPs, which defaulting keeps in step with clusterIP. */
export function isHeadlessService(svc: KObject): boolean {
  const ips = clusterIPsOf(specOf(svc));
  return ips.length === 1 && ips[0] === 'None';
}

/** pkg/api/service ExternallyAccessible. */
export function externallyAccessible(spec: Obj): boolean {
  const type = str(spec.type);
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(spec.externalIPs).length > 0);
}

/** pkg/api/service NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local. */
export const needsHealthCheck = (spec: Obj): boolean => str(spec.type) === 'LoadBalancer' && str(spec.externalTrafficPolicy) === 'Local';

/** Validate a Service for create (old absent) or update, as ValidateServiceCreate / ValidateServiceUpdate. */
export function validateService(svc: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old) {
    errs.push(...validateObjectMetaUpdate(svc, old));
    errs.push(...validateUpgradeDowngradeClusterIPs(old, svc));
    errs.push(...validateUpgradeDowngradeIPFamilies(old, svc));
    errs.push(...validateLoadBalancerClassField(svc, old));
    errs.push(...validateServiceExternalTrafficFieldsUpdate(old, svc));
  }
  errs.push(...validateServiceSpecAndMeta(svc));
  return dedupe(errs);
}

function validateServiceSpecAndMeta(svc: KObject): FieldError[] {
  const spec = specOf(svc);
  const errs = validateObjectMeta(svc, true, nameIsDNS1035Label);
  errs.push(...validateTopologyAnnotations(svc));
  const type = str(spec.type);
  const ports = arr(spec.ports);
  const headless = isHeadlessService(svc);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  errs.push(...validateServiceTypeSpecifics(svc));
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(obj(p), ports.length > 1, names, `spec.ports[${i}]`)));
  if (isSet(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(spec));
  errs.push(...validateServiceClusterIPsRelatedFields(svc));
  errs.push(...validateExternalIPs(spec));
  if (!type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(unsupported('spec.type', type, SERVICE_TYPES));
  errs.push(...validateNodePortUse(spec));
  errs.push(...validateDuplicatePorts(spec));
  errs.push(...validateSourceRanges(svc));
  errs.push(...validateAllocateLoadBalancerNodePorts(spec));
  errs.push(...validateLoadBalancerClassField(svc));
  errs.push(...validateServiceExternalTrafficPolicy(spec));
  errs.push(...validateInternalTrafficPolicy(spec));
  errs.push(...validateTrafficDistribution(spec));
  return errs;
}

function validateTopologyAnnotations(svc: KObject): FieldError[] {
  const ann = obj(svc.metadata?.annotations);
  if (!(TOPOLOGY_MODE_ANNOTATION in ann) || !(TOPOLOGY_HINTS_ANNOTATION in ann)) return [];
  const mode = str(ann[TOPOLOGY_MODE_ANNOTATION]);
  if (mode === str(ann[TOPOLOGY_HINTS_ANNOTATION])) return [];
  return [invalid(`metadata.annotations[${TOPOLOGY_MODE_ANNOTATION}]`, mode, `must match annotations[${TOPOLOGY_HINTS_ANNOTATION}] when both are specified`)];
}

/** The per-type switch: headless NodePort/LoadBalancer, and what ExternalName may not carry. */
function validateServiceTypeSpecifics(svc: KObject): FieldError[] {
  const spec = specOf(svc);
  const type = str(spec.type);
  const headless = isHeadlessService(svc);
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless)
    return [invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`)];
  if (type !== 'ExternalName') return [];
  const errs: FieldError[] = [];
  if (clusterIPsOf(spec).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  if (arr(spec.ipFamilies).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
  if (isSet(spec.ipFamilyPolicy)) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
  // The value is a CNAME, which may end in a dot to mark it fully qualified.
  const cname = str(spec.externalName).replace(/\.$/, '');
  if (cname) errs.push(...dns1123SubdomainField(cname, 'spec.externalName'));
  else errs.push(required('spec.externalName'));
  return errs;
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && !name) errs.push(required(`${path}.name`));
  else if (name) {
    errs.push(...dns1123LabelField(name, `${path}.name`));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const port = num(sp.port);
  errs.push(...isValidPortNum(port).map((m) => invalid(`${path}.port`, port, m)));
  errs.push(...validateProtocol(sp.protocol, `${path}.protocol`));
  errs.push(...validatePortNumOrName(sp.targetPort, `${path}.targetPort`));
  if (isSet(sp.appProtocol)) errs.push(...qualifiedNameField(str(sp.appProtocol), `${path}.appProtocol`));
  return errs;
}

function validateProtocol(value: unknown, field: string): FieldError[] {
  const protocol = str(value);
  if (!protocol) return [required(field)];
  return PROTOCOLS.includes(protocol) ? [] : [unsupported(field, protocol, PROTOCOLS)];
}

/** ValidatePortNumOrName: an IntOrString is a port number or an IANA_SVC_NAME. */
export function validatePortNumOrName(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') return isValidPortName(value).map((m) => invalid(field, value, m));
  const n = num(value);
  return isValidPortNum(n).map((m) => invalid(field, n, m));
}

function validateSessionAffinity(spec: Obj): FieldError[] {
  const affinity = str(spec.sessionAffinity);
  const errs: FieldError[] = [];
  if (!affinity) errs.push(required('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(affinity)) errs.push(unsupported('spec.sessionAffinity', affinity, AFFINITIES));
  if (affinity === 'ClientIP') errs.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig));
  else if (affinity === 'None' && isSet(spec.sessionAffinityConfig))
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  return errs;
}

function validateClientIPAffinityConfig(config: unknown): FieldError[] {
  const path = 'spec.sessionAffinityConfig';
  const why = 'when session affinity type is ClientIP';
  if (!isSet(config)) return [required(path, why)];
  const clientIP = obj(config).clientIP;
  if (!isSet(clientIP)) return [required(`${path}.clientIP`, why)];
  const timeout = obj(clientIP).timeoutSeconds;
  if (!isSet(timeout)) return [required(`${path}.clientIP.timeoutSeconds`, why)];
  const t = num(timeout);
  if (t <= 0 || t > MAX_AFFINITY_SECONDS)
    return [invalid(`${path}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  return [];
}

/**
 * ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, IP syntax, ipFamilies and
 * ipFamilyPolicy values. The apiserver also runs this alone, before allocation and before the rest
 * of validation (initIPFamilyFields), so a store should report only these errors when any exist.
 */
export function validateServiceClusterIPsRelatedFields(svc: KObject): FieldError[] {
  const spec = specOf(svc);
  if (str(spec.type) === 'ExternalName') return [];
  const ips = clusterIPsOf(spec);
  const errs: FieldError[] = [...validateClusterIPSync(spec, ips), ...validateIPFamilyValues(spec)];
  let hasInvalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalidIPs = true;
        errs.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(`spec.clusterIPs[${i}]`, ip);
    if (ipErrs.length > 0) hasInvalidIPs = true;
    errs.push(...ipErrs);
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  // Bad addresses would make the family checks below misleading.
  if (hasInvalidIPs) return errs;
  if (ips.length > 1 && !isDualStack(ips)) errs.push(invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  errs.push(...validateClusterIPFamilies(svc, spec, ips));
  return errs;
}

function validateClusterIPSync(spec: Obj, ips: string[]): FieldError[] {
  const clusterIP = str(spec.clusterIP);
  if (clusterIP) {
    if (ips.length === 0) return [required('spec.clusterIPs')];
    if (ips[0] !== clusterIP) return [invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`')];
    return [];
  }
  return ips.length > 0 ? [invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified')] : [];
}

function validateIPFamilyValues(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(spec.ipFamilies).forEach((f, i) => {
    const family = str(f);
    if (!IP_FAMILIES.includes(family)) errs.push(unsupported(`spec.ipFamilies[${i}]`, family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(`spec.ipFamilies[${i}]`, family));
    seen.add(family);
  });
  if (isSet(spec.ipFamilyPolicy) && !IP_FAMILY_POLICIES.includes(str(spec.ipFamilyPolicy)))
    errs.push(unsupported('spec.ipFamilyPolicy', str(spec.ipFamilyPolicy), IP_FAMILY_POLICIES));
  return errs;
}

function isDualStack(ips: string[]): boolean {
  const v6 = ips.map(isIPv6String);
  return v6.includes(true) && v6.includes(false);
}

function validateClusterIPFamilies(svc: KObject, spec: Obj, ips: string[]): FieldError[] {
  const families = arr(spec.ipFamilies).map(str);
  if (isHeadlessService(svc) || ips.length === 0 || families.length === 0) return [];
  const errs: FieldError[] = [];
  ips.slice(0, families.length).forEach((ip, i) => {
    if (families[i] === 'IPv4' && isIPv6String(ip))
      errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
    if (families[i] === 'IPv6' && !isIPv6String(ip))
      errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
  });
  return errs;
}

function validateExternalIPs(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  arr(spec.externalIPs).forEach((v, i) => {
    const ip = str(v);
    const field = `spec.externalIPs[${i}]`;
    const ipErrs = validateIP(field, ip);
    errs.push(...(ipErrs.length > 0 ? ipErrs : validateNonSpecialIP(ip, field)));
  });
  return errs;
}

/** nodePort on a ClusterIP service, and the same (protocol, nodePort) used twice. */
function validateNodePortUse(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ports = arr(spec.ports).map(obj);
  if (str(spec.type) === 'ClusterIP')
    ports.forEach((p, i) => {
      if (num(p.nodePort) !== 0) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const nodePort = num(p.nodePort);
    if (nodePort === 0) return;
    const key = `${str(p.protocol)}/${nodePort}`;
    if (seen.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, nodePort));
    seen.add(key);
  });
  return errs;
}

/**
 * The same (protocol, port) twice. The server reports the key as a Go core.ServicePort printed with
 * %#v, a raw string no JSON value reproduces, so it travels in `detail` with no value.
 */
function validateDuplicatePorts(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(spec.ports).forEach((p, i) => {
    const protocol = str(obj(p).protocol);
    const port = num(obj(p).port);
    const key = `${protocol}/${port}`;
    if (seen.has(key)) {
      const goValue = `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
      errs.push({ type: 'Duplicate value', field: `spec.ports[${i}]`, detail: goValue });
    }
    seen.add(key);
  });
  return errs;
}

/** loadBalancerSourceRanges (the server's path really is capitalised) or its older annotation. */
function validateSourceRanges(svc: KObject): FieldError[] {
  const spec = specOf(svc);
  const notLB = str(spec.type) !== 'LoadBalancer';
  const ranges = arr(spec.loadBalancerSourceRanges);
  const errs: FieldError[] = [];
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  if (ranges.length > 0) {
    const path = 'spec.LoadBalancerSourceRanges';
    if (notLB) errs.push(forbidden(path, lbOnly));
    // Historically the values may be space-padded.
    ranges.forEach((r, i) => errs.push(...validateCIDR(`${path}[${i}]`, str(r).trim())));
    return errs;
  }
  const ann = obj(svc.metadata?.annotations);
  if (!(LB_SOURCE_RANGES_ANNOTATION in ann)) return errs;
  const path = `metadata.annotations[${LB_SOURCE_RANGES_ANNOTATION}]`;
  if (notLB) errs.push(forbidden(path, lbOnly));
  const val = str(ann[LB_SOURCE_RANGES_ANNOTATION]).trim();
  if (val) for (const r of val.split(',')) errs.push(...validateCIDR(path, r.trim()));
  return errs;
}

function validateAllocateLoadBalancerNodePorts(spec: Obj): FieldError[] {
  const isLB = str(spec.type) === 'LoadBalancer';
  const set = isSet(spec.allocateLoadBalancerNodePorts);
  if (set && !isLB) return [forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'")];
  // The server's path here lacks "spec." (defaulting makes this unreachable in practice).
  if (isLB && !set) return [required('allocateLoadBalancerNodePorts')];
  return [];
}

function validateLoadBalancerClassField(svc: KObject, old?: KObject): FieldError[] {
  const spec = specOf(svc);
  const errs: FieldError[] = [];
  const isLB = str(spec.type) === 'LoadBalancer';
  if (old && isLB && str(specOf(old).type) === 'LoadBalancer' && ptrValue(spec.loadBalancerClass) !== ptrValue(specOf(old).loadBalancerClass))
    errs.push(invalid('spec.loadBalancerClass', ptrValue(spec.loadBalancerClass), 'may not change once set'));
  if (!isSet(spec.loadBalancerClass)) return errs;
  if (isLB) errs.push(...qualifiedNameField(str(spec.loadBalancerClass), 'spec.loadBalancerClass'));
  else errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  return errs;
}

function validateServiceExternalTrafficPolicy(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(unsupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  const hc = num(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec)) {
    if (hc !== 0)
      errs.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc === 0) errs.push(required('spec.healthCheckNodePort'));
  else errs.push(...isValidPortNum(hc).map((m) => invalid('spec.healthCheckNodePort', hc, m)));
  return errs;
}

function validateInternalTrafficPolicy(spec: Obj): FieldError[] {
  // Only these types require it: other types were never checked and stored objects must stay valid.
  if (!isSet(spec.internalTrafficPolicy))
    return ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(str(spec.type)) ? [required('spec.internalTrafficPolicy')] : [];
  const itp = str(spec.internalTrafficPolicy);
  return TRAFFIC_POLICIES.includes(itp) ? [] : [unsupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES)];
}

function validateTrafficDistribution(spec: Obj): FieldError[] {
  if (!isSet(spec.trafficDistribution)) return [];
  const td = str(spec.trafficDistribution);
  return td === 'PreferClose' ? [] : [unsupported('spec.trafficDistribution', td, ['PreferClose'])];
}

/** Primary (and secondary) cluster IPs are immutable, except to or from ExternalName or headless. */
function validateUpgradeDowngradeClusterIPs(old: KObject, svc: KObject): FieldError[] {
  const spec = specOf(svc);
  if (str(spec.type) === 'ExternalName' || str(specOf(old).type) === 'ExternalName') return [];
  if (isHeadlessService(old) && isHeadlessService(svc)) return [];
  const oldIPs = clusterIPsOf(specOf(old));
  const ips = clusterIPsOf(spec);
  const value = listValue(ips);
  const errs: FieldError[] = [];
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, value, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalid('spec.clusterIPs[0]', value, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(invalid('spec.clusterIPs[0]', value, 'may not change once set'));
    if (ips.length === 1 && str(spec.ipFamilyPolicy) !== 'SingleStack')
      errs.push(invalid('spec.ipFamilyPolicy', ptrValue(spec.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid('spec.clusterIPs[0]', value, 'may not change once set'));
  }
  return errs;
}

/** Same for ipFamilies; the server reports some of these with the clusterIPs as the value. */
function validateUpgradeDowngradeIPFamilies(old: KObject, svc: KObject): FieldError[] {
  const spec = specOf(svc);
  if (str(spec.type) === 'ExternalName' || str(specOf(old).type) === 'ExternalName') return [];
  if (isHeadlessService(old) !== isHeadlessService(svc) || isHeadlessService(svc)) return [];
  const oldFams = arr(specOf(old).ipFamilies).map(str);
  const fams = arr(spec.ipFamilies).map(str);
  const ipsValue = listValue(clusterIPsOf(spec));
  const errs: FieldError[] = [];
  if (oldFams.length === fams.length) {
    oldFams.forEach((f, i) => {
      if (f !== fams[i]) errs.push(invalid('spec.ipFamilies[0]', listValue(fams), 'may not change once set'));
    });
  } else if (oldFams.length > fams.length) {
    if (clusterIPsOf(spec).length === 0) errs.push(invalid('spec.ipFamilies[0]', listValue(fams), 'primary ipFamily can not be unset'));
    if (fams.length > 0 && fams[0] !== oldFams[0]) errs.push(invalid('spec.ipFamilies[0]', ipsValue, 'may not change once set'));
    if (fams.length === 1 && str(spec.ipFamilyPolicy) !== 'SingleStack')
      errs.push(invalid('spec.ipFamilyPolicy', ptrValue(spec.ipFamilyPolicy), "must be set to 'SingleStack' when releasing the secondary ipFamily"));
  } else if (oldFams.length > 0 && fams.length > 0 && fams[0] !== oldFams[0]) {
    errs.push(invalid('spec.ipFamilies[0]', ipsValue, 'may not change once set'));
  }
  return errs;
}

function validateServiceExternalTrafficFieldsUpdate(old: KObject, svc: KObject): FieldError[] {
  const before = specOf(old);
  const after = specOf(svc);
  if (needsHealthCheck(before) && needsHealthCheck(after) && num(after.healthCheckNodePort) !== num(before.healthCheckNodePort))
    return [forbidden('spec.healthCheckNodePort', 'field is immutable')];
  return [];
}

/**
 * The checks initIPFamilyFields makes against the cluster's configured families before allocation
 * (errors the apiserver returns without running the rest of validation). Single-stack IPv4 by default.
 */
export function validateServiceIPFamiliesForCluster(svc: KObject, clusterFamilies: string[] = ['IPv4']): FieldError[] {
  const spec = specOf(svc);
  if (str(spec.type) === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const policy = str(spec.ipFamilyPolicy);
  const policyValue = ptrValue(spec.ipFamilyPolicy);
  const ips = clusterIPsOf(spec);
  const fams = arr(spec.ipFamilies).map(str);
  if (policy === 'SingleStack') {
    if (ips.length === 2)
      errs.push(invalid('spec.ipFamilyPolicy', policyValue, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (fams.length === 2)
      errs.push(invalid('spec.ipFamilyPolicy', policyValue, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) {
    const fam = isIPv6String(ips[i]) ? 'IPv6' : 'IPv4';
    if (i >= fams.length && !clusterFamilies.includes(fam)) errs.push(invalid(`spec.clusterIPs[${i}]`, ips, `${fam} is not configured on this cluster`));
  }
  if (errs.length > 0) return errs;
  // Headless without a selector may carry families the cluster lacks.
  if (str(spec.clusterIP) === 'None' && Object.keys(obj(spec.selector)).length === 0) return errs;
  if (policy === 'RequireDualStack' && clusterFamilies.length < 2)
    errs.push(invalid('spec.ipFamilyPolicy', policyValue, 'this cluster is not configured for dual-stack services'));
  fams.forEach((f, i) => {
    if (!clusterFamilies.includes(f)) errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Pod (validatePodMetadataAndSpec, ValidatePodSpec, validateContainers …), the commonly used fields.

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Validate a Pod for create (ValidatePodCreate). */
export function validatePod(pod: KObject): FieldError[] {
  const spec = obj(pod?.spec);
  const errs = validateObjectMeta(pod, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpec(spec, 'spec'));
  errs.push(...validateContainersOnlyForPod(arr(spec.containers), 'spec.containers'));
  errs.push(...validateContainersOnlyForPod(arr(spec.initContainers), 'spec.initContainers'));
  if (arr(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  return dedupe(errs);
}

/** ValidatePodSpec, in the server's order, for the fields kubesim's pods use. */
export function validatePodSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(spec.terminationGracePeriodSeconds)) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const volumes = validateVolumes(arr(spec.volumes), `${path}.volumes`, errs);
  errs.push(...validateContainers(arr(spec.containers), volumes, `${path}.containers`));
  errs.push(...validateInitContainers(arr(spec.initContainers), arr(spec.containers), volumes, `${path}.initContainers`));
  errs.push(...validateHostNetworkPorts(spec, path));
  errs.push(...validateEnum(spec.restartPolicy, RESTART_POLICIES, `${path}.restartPolicy`));
  errs.push(...validateEnum(spec.dnsPolicy, DNS_POLICIES, `${path}.dnsPolicy`));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateSecurityContextIDs(obj(spec.securityContext), `${path}.securityContext`, true));
  // ValidatePodSpec's order: affinity, then (after dnsConfig and readiness gates) topology spread
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateTopologySpreadConstraints(arr(spec.topologySpreadConstraints), `${path}.topologySpreadConstraints`));
  errs.push(...validateNamedRef(spec.serviceAccountName, `${path}.serviceAccountName`));
  errs.push(...validateNamedRef(spec.nodeName, `${path}.nodeName`));
  if (isSet(spec.activeDeadlineSeconds)) {
    const v = num(spec.activeDeadlineSeconds);
    if (v < 1 || v > 2147483647) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, 2147483647)));
  }
  if (str(spec.hostname)) errs.push(...dns1123LabelField(str(spec.hostname), `${path}.hostname`));
  if (str(spec.subdomain)) errs.push(...dns1123LabelField(str(spec.subdomain), `${path}.subdomain`));
  errs.push(...validateTolerations(arr(spec.tolerations), `${path}.tolerations`));
  errs.push(...validateNamedRef(spec.priorityClassName, `${path}.priorityClassName`));
  if (isSet(spec.preemptionPolicy)) errs.push(...validateEnum(spec.preemptionPolicy, PREEMPTION_POLICIES, `${path}.preemptionPolicy`));
  return errs;
}

/** An enum that must be set (after defaulting): Required, else Unsupported. */
function validateEnum(value: unknown, allowed: string[], field: string): FieldError[] {
  const v = str(value);
  if (!v) return [required(field)];
  return allowed.includes(v) ? [] : [unsupported(field, v, allowed)];
}

/** Optional references to objects named as DNS subdomains (service account, node, priority class). */
function validateNamedRef(value: unknown, field: string): FieldError[] {
  const v = str(value);
  return v ? nameIsDNSSubdomain(v, false).map((m) => invalid(field, v, m)) : [];
}

/** Volume names (DNS labels, unique); returns the names that are valid, for volumeMounts to refer to. */
function validateVolumes(volumes: unknown[], path: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const name = str(obj(v).name);
    const field = `${path}[${i}].name`;
    const el = name ? dns1123LabelField(name, field) : [required(field)];
    if (names.has(name)) el.push(duplicate(field, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return names;
}

function validateContainers(containers: unknown[], volumes: Set<string>, path: string): FieldError[] {
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ctr = obj(c);
    errs.push(...validateContainerCommon(ctr, volumes, `${path}[${i}]`));
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(`${path}[${i}].name`, name));
    else names.add(name);
    if (isSet(ctr.restartPolicy)) errs.push(forbidden(`${path}[${i}].restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(inits: unknown[], regular: unknown[], volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => str(obj(c).name)));
  inits.forEach((c, i) => {
    const ctr = obj(c);
    errs.push(...validateContainerCommon(ctr, volumes, `${path}[${i}]`));
    const restartAlways = str(ctr.restartPolicy) === 'Always';
    if (isSet(ctr.restartPolicy) && !restartAlways) errs.push(unsupported(`${path}[${i}].restartPolicy`, str(ctr.restartPolicy), ['Always']));
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(`${path}[${i}].name`, name));
    else if (name) names.add(name);
    // Init containers run one at a time, so host ports only clash within one.
    errs.push(...checkHostPortConflicts([ctr], path));
    if (!restartAlways)
      for (const probe of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (isSet(ctr[probe])) errs.push(forbidden(`${path}[${i}].${probe}`, 'may not be set for init containers without restartPolicy=Always'));
  });
  return errs;
}

/** validateContainerCommon: what every kind of container must satisfy. */
function validateContainerCommon(ctr: Obj, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr.name);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...dns1123LabelField(name, `${path}.name`));
  if (!str(ctr.image)) errs.push(required(`${path}.image`));
  errs.push(...validateEnum(ctr.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES, `${path}.terminationMessagePolicy`));
  errs.push(...validateContainerPorts(arr(ctr.ports), `${path}.ports`));
  errs.push(...validateVolumeMounts(arr(ctr.volumeMounts), volumes, `${path}.volumeMounts`));
  errs.push(...validateEnum(ctr.imagePullPolicy, PULL_POLICIES, `${path}.imagePullPolicy`));
  errs.push(...validateSecurityContextIDs(obj(ctr.securityContext), `${path}.securityContext`, false));
  errs.push(...validateNoNewPrivs(obj(ctr.securityContext), `${path}.securityContext`));
  return errs;
}

/**
 * The end of ValidateSecurityContext (pkg/apis/core/validation/validation.go): no_new_privs cannot
 * hold for a privileged container, nor for one that adds CAP_SYS_ADMIN (the string exactly: the
 * runtime's "SYS_ADMIN" is not looked at). The value is the whole internal SecurityContext, printed
 * with %#v (field.Error.ErrorBody), so its pointers are addresses (the apiserver's are arbitrary).
 */
function validateNoNewPrivs(sc: Obj, path: string): FieldError[] {
  if (sc.allowPrivilegeEscalation !== false) return [];
  const errs: FieldError[] = [];
  if (sc.privileged === true) errs.push(invalid(path, securityContextGo(sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  for (const cap of arr(obj(sc.capabilities).add)) {
    if (cap === 'CAP_SYS_ADMIN') errs.push(invalid(path, securityContextGo(sc), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return errs;
}

/** core.SecurityContext (pkg/apis/core/types.go, 1.32) as %#v prints it. */
function securityContextGo(sc: Obj): GoSyntax {
  const fields: [string, string, string][] = [
    ['Capabilities', 'core.Capabilities', 'capabilities'],
    ['Privileged', 'bool', 'privileged'],
    ['SELinuxOptions', 'core.SELinuxOptions', 'seLinuxOptions'],
    ['WindowsOptions', 'core.WindowsSecurityContextOptions', 'windowsOptions'],
    ['RunAsUser', 'int64', 'runAsUser'],
    ['RunAsGroup', 'int64', 'runAsGroup'],
    ['RunAsNonRoot', 'bool', 'runAsNonRoot'],
    ['ReadOnlyRootFilesystem', 'bool', 'readOnlyRootFilesystem'],
    ['AllowPrivilegeEscalation', 'bool', 'allowPrivilegeEscalation'],
    ['ProcMount', 'core.ProcMountType', 'procMount'],
    ['SeccompProfile', 'core.SeccompProfile', 'seccompProfile'],
    ['AppArmorProfile', 'core.AppArmorProfile', 'appArmorProfile'],
  ];
  const body = fields.map(([name, type, json], i) => `${name}:(*${type})(${sc[json] === undefined || sc[json] === null ? 'nil' : `0xc000a1c${(0x2a0 + i * 8).toString(16)}`})`);
  return new GoSyntax(`core.SecurityContext{${body.join(', ')}}`);
}

/**
 * The user and group IDs of validatePodSpecSecurityContext (fsGroup, runAsUser, runAsGroup,
 * supplementalGroups) and ValidateSecurityContext (runAsUser, runAsGroup): IsValidUserID and
 * IsValidGroupID, 0 to 2147483647.
 */
function validateSecurityContextIDs(sc: Obj, path: string, pod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const check = (v: unknown, field: string) => {
    if (isSet(v) && (num(v) < 0 || num(v) > 2147483647)) errs.push(invalid(field, num(v), inclusiveRangeError(0, 2147483647)));
  };
  if (pod) check(sc.fsGroup, `${path}.fsGroup`);
  check(sc.runAsUser, `${path}.runAsUser`);
  check(sc.runAsGroup, `${path}.runAsGroup`);
  if (pod) arr(sc.supplementalGroups).forEach((g, i) => check(g, `${path}.supplementalGroups[${i}]`));
  return errs;
}

/** validateContainerPorts: IANA_SVC_NAME names, unique; containerPort required and in range. */
export function validateContainerPorts(ports: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = obj(p);
    const at = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(`${at}.name`, name, m)));
      else if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort);
    if (containerPort === 0) errs.push(required(`${at}.containerPort`));
    else errs.push(...isValidPortNum(containerPort).map((m) => invalid(`${at}.containerPort`, containerPort, m)));
    const hostPort = num(port.hostPort);
    if (hostPort !== 0) errs.push(...isValidPortNum(hostPort).map((m) => invalid(`${at}.hostPort`, hostPort, m)));
    errs.push(...validateProtocol(port.protocol, `${at}.protocol`));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown[], volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((m, i) => {
    const mnt = obj(m);
    const name = str(mnt.name);
    const mountPath = str(mnt.mountPath);
    if (!name) errs.push(required(`${path}[${i}].name`));
    if (!volumes.has(name)) errs.push({ type: 'Not found', field: `${path}[${i}].name`, value: name });
    if (!mountPath) errs.push(required(`${path}[${i}].mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalid(`${path}[${i}].mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
  });
  return errs;
}

/** AccumulateUniqueHostPorts: the same protocol/hostIP/hostPort twice. */
function checkHostPortConflicts(containers: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    arr(obj(c).ports).forEach((p, pi) => {
      const port = obj(p);
      const hostPort = num(port.hostPort);
      if (hostPort === 0) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateHostNetworkPorts(spec: Obj, path: string): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  arr(spec.containers).forEach((c, ci) => {
    arr(obj(c).ports).forEach((p, pi) => {
      const port = obj(p);
      if (num(port.hostPort) !== num(port.containerPort))
        errs.push(invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, num(port.hostPort), 'must match `containerPort` when `hostNetwork` is true'));
    });
  });
  return errs;
}

function validateTolerations(tolerations: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const tol = obj(t);
    const at = `${path}[${i}]`;
    const key = str(tol.key);
    const operator = str(tol.operator);
    const effect = str(tol.effect);
    if (key) errs.push(...qualifiedNameField(key, `${at}.key`));
    if (!key && operator !== 'Exists')
      errs.push(invalid(`${at}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (isSet(tol.tolerationSeconds) && effect !== 'NoExecute')
      errs.push(invalid(`${at}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(str(tol.value));
      if (msgs.length > 0) errs.push(invalid(`${at}.operator`, str(tol.value), msgs.join(';')));
    } else if (operator === 'Exists') {
      if (str(tol.value)) errs.push(invalid(`${at}.operator`, str(tol.value), "value must be empty when `operator` is 'Exists'"));
    } else errs.push(unsupported(`${at}.operator`, operator, ['Equal', 'Exists']));
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(unsupported(`${at}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateContainersOnlyForPod(containers: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const image = str(obj(c).image);
    if (image.length !== image.trim().length) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Endpoints (ValidateEndpoints) and EndpointSlice (discovery validation).

/** Validate Endpoints for create or update (the rules are the same). */
export function validateEndpoints(ep: KObject): FieldError[] {
  const errs = validateObjectMeta(ep, true, nameIsDNSSubdomain);
  arr(ep?.subsets).forEach((s, i) => errs.push(...validateEndpointSubset(obj(s), `subsets[${i}]`)));
  return dedupe(errs);
}

function validateEndpointSubset(ss: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const addresses = arr(ss.addresses);
  const notReady = arr(ss.notReadyAddresses);
  // A headless service's endpoints may lack ports, but never addresses.
  if (addresses.length === 0 && notReady.length === 0) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
  addresses.forEach((a, i) => errs.push(...validateEndpointAddress(obj(a), `${path}.addresses[${i}]`)));
  notReady.forEach((a, i) => errs.push(...validateEndpointAddress(obj(a), `${path}.notReadyAddresses[${i}]`)));
  const ports = arr(ss.ports);
  ports.forEach((p, i) => errs.push(...validateEndpointPort(obj(p), ports.length > 1, `${path}.ports[${i}]`)));
  return errs;
}

function validateEndpointAddress(addr: Obj, path: string): FieldError[] {
  const ip = str(addr.ip);
  const errs = validateIP(`${path}.ip`, ip);
  if (str(addr.hostname)) errs.push(...dns1123LabelField(str(addr.hostname), `${path}.hostname`));
  if (isSet(addr.nodeName)) errs.push(...nameIsDNSSubdomain(str(addr.nodeName), false).map((m) => invalid(`${path}.nodeName`, str(addr.nodeName), m)));
  errs.push(...validateNonSpecialIP(ip, `${path}.ip`));
  return errs;
}

function validateEndpointPort(port: Obj, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port.name);
  if (requireName && !name) errs.push(required(`${path}.name`));
  else if (name) errs.push(...dns1123LabelField(name, `${path}.name`));
  const n = num(port.port);
  errs.push(...isValidPortNum(n).map((m) => invalid(`${path}.port`, n, m)));
  errs.push(...validateProtocol(port.protocol, `${path}.protocol`));
  if (isSet(port.appProtocol)) errs.push(...qualifiedNameField(str(port.appProtocol), `${path}.appProtocol`));
  return errs;
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

/**
 * Validate an EndpointSlice. Unlike Endpoints, slice ports are not range-checked by the server (a
 * missing port means "all ports"), and two unnamed ports count as a duplicate name "".
 */
export function validateEndpointSlice(slice: KObject): FieldError[] {
  const errs = validateObjectMeta(slice, true, nameIsDNSSubdomain);
  const addressType = str(slice?.addressType);
  if (!addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(unsupported('addressType', addressType, ADDRESS_TYPES));
  errs.push(...validateSliceEndpoints(arr(slice?.endpoints), addressType));
  errs.push(...validateSlicePorts(arr(slice?.ports)));
  return dedupe(errs);
}

const tooMany = (field: string, actual: number, max: number): FieldError => ({ type: 'Too many', field, value: actual, detail: `must have at most ${max} items` });

function validateSliceEndpoints(endpoints: unknown[], addressType: string): FieldError[] {
  if (endpoints.length > 1000) return [tooMany('endpoints', endpoints.length, 1000)];
  const errs: FieldError[] = [];
  endpoints.forEach((e, i) => {
    const ep = obj(e);
    const path = `endpoints[${i}]`;
    const addresses = arr(ep.addresses);
    if (addresses.length === 0) errs.push(required(`${path}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > 100) errs.push(tooMany(`${path}.addresses`, addresses.length, 100));
    addresses.forEach((a, j) => errs.push(...validateSliceAddress(str(a), addressType, `${path}.addresses[${j}]`)));
    if (isSet(ep.nodeName)) errs.push(...nameIsDNSSubdomain(str(ep.nodeName), false).map((m) => invalid(`${path}.nodeName`, str(ep.nodeName), m)));
    const topology = obj(ep.deprecatedTopology);
    if (Object.keys(topology).length > 16) errs.push(tooMany(`${path}.deprecatedTopology`, Object.keys(topology).length, 16));
    errs.push(...validateLabels(topology, `${path}.deprecatedTopology`));
    if (isSet(ep.hostname)) errs.push(...dns1123LabelField(str(ep.hostname), `${path}.hostname`));
    if (isSet(ep.hints)) errs.push(...validateHints(obj(ep.hints), `${path}.hints`));
  });
  return errs;
}

/** Addresses are checked by the slice's addressType; unknown types are not checked at all. */
function validateSliceAddress(address: string, addressType: string, field: string): FieldError[] {
  const ip = parseIP(address);
  if (addressType === 'IPv4') {
    const errs = ip && isV4(ip) ? [] : [invalid(field, address, 'must be a valid IPv4 address')];
    return [...errs, ...validateNonSpecialIP(address, field)];
  }
  if (addressType === 'IPv6') {
    const errs = ip && !isV4(ip) ? [] : [invalid(field, address, 'must be a valid IPv6 address')];
    return [...errs, ...validateNonSpecialIP(address, field)];
  }
  return addressType === 'FQDN' ? validateFQDN(field, address) : [];
}

function validateHints(hints: Obj, path: string): FieldError[] {
  const zones = arr(hints.forZones);
  if (zones.length > 8) return [tooMany(`${path}.forZones`, zones.length, 8)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const name = str(obj(z).name);
    const field = `${path}.forZones[${i}].name`;
    if (seen.has(name)) errs.push(duplicate(field, name));
    else seen.add(name);
    errs.push(...isValidLabelValue(name).map((m) => invalid(field, name, m)));
  });
  return errs;
}

function validateSlicePorts(ports: unknown[]): FieldError[] {
  if (ports.length > 20000) return [tooMany('ports', ports.length, 20000)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = obj(p);
    const path = `ports[${i}]`;
    const name = str(port.name);
    if (name) errs.push(...dns1123LabelField(name, `${path}.name`));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
    if (!isSet(port.protocol)) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(str(port.protocol))) errs.push(unsupported(`${path}.protocol`, str(port.protocol), PROTOCOLS));
    if (isSet(port.appProtocol)) errs.push(...qualifiedNameField(str(port.appProtocol), `${path}.appProtocol`));
  });
  return errs;
}

// Decode-time type errors and unknown fields live in ./decode; these names stay importable from here.
export { checkTypes, checkServiceTypes, normalizeDecoded, quantityProblem } from './decode';
