// networking.k8s.io/v1 Ingress and IngressClass: their defaulting (pkg/apis/networking/v1/defaults.go
// SetDefaults_IngressClass), the validation of pkg/apis/networking/validation (ValidateIngressCreate,
// ValidateIngressUpdate, ValidateIngressSpec, ValidateIngressClass(Update)), the DefaultIngressClass
// admission plugin's choice (plugin/pkg/admission/network/defaultingressclass) and what the printers
// format (pkg/printers/internalversion/printers.go formatHosts, formatPorts,
// ingressLoadBalancerStatusStringer, printIngressClass).
import { forbidden, GoSyntax, invalid, required, unsupported, type FieldError } from './errors';
import type { KObject } from './types';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, parseIP, validateObjectMeta, validateObjectMetaUpdate } from './validation';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** networkingv1beta1.AnnotationIngressClass: the class before spec.ingressClassName existed. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** networkingv1.AnnotationIsDefaultIngressClass */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const MAX_LEN_INGRESS_CLASS_CONTROLLER = 250;
const SUPPORTED_PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];

// ---------------------------------------------------------------------------------------------
// Defaults.

/** SetDefaults_IngressClass: parameters without a scope are cluster-scoped. */
export function defaultIngressClass(ic: KObject): void {
  const params = ic.spec?.parameters;
  if (isObj(params) && !isSet(params.scope)) params.scope = 'Cluster';
}

// ---------------------------------------------------------------------------------------------
// apimachinery pkg/util/validation pieces the networking rules use.

const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const wildcardRe = new RegExp(`^${WILDCARD_FMT}$`);

/** IsWildcardDNS1123Subdomain */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value) > 253) errs.push('must be no more than 253 characters');
  if (!wildcardRe.test(value))
    errs.push(
      `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '${WILDCARD_FMT}')`,
    );
  return errs;
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRe = new RegExp(`^${HTTP_PATH_FMT}$`);

/** IsDomainPrefixedPath: "acme.io/foo", a DNS subdomain, a slash and an HTTP path. */
function isDomainPrefixedPath(field: string, dpPath: string): FieldError[] {
  if (dpPath.length === 0) return [required(field, '')];
  const slash = dpPath.indexOf('/');
  const host = slash < 0 ? '' : dpPath.slice(0, slash);
  const path = slash < 0 ? '' : dpPath.slice(slash + 1);
  if (slash < 0 || !host || !path) return [invalid(field, dpPath, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((m) => invalid(field, host, m));
  if (!httpPathRe.test(path)) errs.push(invalid(field, path, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

/** path.IsValidPathSegmentName */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ingress.

interface IngressOptions {
  /** AllowInvalidSecretName: the stored object already had an invalid tls secretName */
  allowInvalidSecretName: boolean;
  /** AllowInvalidWildcardHostRule: the stored object already had an invalid rule under a wildcard host */
  allowInvalidWildcardHostRule: boolean;
}

/** validateIngressBackend: exactly one of service and resource; a service port by name or by number. */
function validateIngressBackend(backend: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = isSet(backend.resource);
  const hasService = isSet(backend.service);
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    errs.push(...validateTypedLocalObjectReference(obj(backend.resource), `${path}.resource`));
  } else if (hasService) {
    const svc = obj(backend.service);
    const name = str(svc.name);
    if (!name) errs.push(required(`${path}.service.name`, ''));
    // apivalidation.ValidateServiceName: a DNS-1035 label
    else for (const m of nameIsDNS1035Label(name, false)) errs.push(invalid(`${path}.service.name`, name, m));
    const port = obj(svc.port);
    const portName = str(port.name);
    const portNumber = typeof port.number === 'number' ? port.number : 0;
    if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'));
    else if (portName) for (const m of isValidPortName(portName)) errs.push(invalid(`${path}.service.port.name`, portName, m));
    else if (portNumber) for (const m of isValidPortNum(portNumber)) errs.push(invalid(`${path}.service.port.number`, portNumber, m));
    else errs.push(required(path, 'port name or number is required'));
  } else errs.push(invalid(path, '', 'resource or service backend is required'));
  return errs;
}

/** validateIngressTypedLocalObjectReference: a backend's resource. */
function validateTypedLocalObjectReference(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(ref.apiGroup)) for (const m of isDNS1123Subdomain(str(ref.apiGroup))) errs.push(invalid(`${path}.apiGroup`, str(ref.apiGroup), m));
  for (const f of ['kind', 'name']) {
    const v = str(ref[f]);
    if (!v) errs.push(required(`${path}.${f}`, ''));
    else for (const m of pathSegmentErrors(v)) errs.push(invalid(`${path}.${f}`, v, m));
  }
  return errs;
}

/** validateHTTPIngressPath: pathType required and known; Exact and Prefix paths absolute and clean. */
function validateHTTPIngressPath(p: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(p.pathType)) return [required(`${at}.pathType`, 'pathType must be specified')];
  const path = str(p.path);
  const pathType = str(p.pathType);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!path.startsWith('/')) errs.push(invalid(`${at}.path`, path, 'must be an absolute path'));
    if (path.length > 0) {
      for (const seq of INVALID_PATH_SEQUENCES) if (path.includes(seq)) errs.push(invalid(`${at}.path`, path, `must not contain '${seq}'`));
      for (const suf of INVALID_PATH_SUFFIXES) if (path.endsWith(suf)) errs.push(invalid(`${at}.path`, path, `cannot end with '${suf}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (path.length > 0 && !path.startsWith('/')) errs.push(invalid(`${at}.path`, path, 'must be an absolute path'));
  } else errs.push(unsupported(`${at}.pathType`, pathType, SUPPORTED_PATH_TYPES));
  errs.push(...validateIngressBackend(obj(p.backend), `${at}.backend`));
  return errs;
}

/** validateIngressRuleValue: an http rule needs paths. */
function validateIngressRuleValue(rule: Obj, at: string): FieldError[] {
  if (!isSet(rule.http)) return [];
  const http = obj(rule.http);
  const paths = list(http.paths);
  const errs: FieldError[] = [];
  if (paths.length === 0) errs.push(required(`${at}.http.paths`, ''));
  paths.forEach((p, i) => errs.push(...validateHTTPIngressPath(obj(p), `${at}.http.paths[${i}]`)));
  return errs;
}

/** validateIngressRules: hosts are DNS names (a wildcard only as the first label), never IPs. */
function validateIngressRules(rules: unknown[], opts: IngressOptions): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((r, i) => {
    const rule = obj(r);
    const host = str(rule.host);
    const at = `spec.rules[${i}]`;
    let wildcard = false;
    if (host.length > 0) {
      if (parseIP(host)) errs.push(invalid(`${at}.host`, host, 'must be a DNS name, not an IP address'));
      if (host.includes('*')) {
        for (const m of isWildcardDNS1123Subdomain(host)) errs.push(invalid(`${at}.host`, host, m));
        wildcard = true;
      } else for (const m of isDNS1123Subdomain(host)) errs.push(invalid(`${at}.host`, host, m));
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateIngressRuleValue(rule, at));
  });
  return errs;
}

/** validateTLSSecretName: a Secret name (DNS subdomain), when set. */
const tlsSecretNameErrors = (name: string): string[] => (name ? nameIsDNSSubdomain(name, false) : []);

function validateIngressTLS(tls: unknown[], opts: IngressOptions): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((t, ti) => {
    const entry = obj(t);
    list(entry.hosts).forEach((h, i) => {
      const host = str(h);
      const at = `spec.tls[${ti}].hosts[${i}]`;
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(invalid(at, host, m));
    });
    if (!opts.allowInvalidSecretName) for (const m of tlsSecretNameErrors(str(entry.secretName))) errs.push(invalid(`spec.tls[${ti}].secretName`, str(entry.secretName), m));
  });
  return errs;
}

/** ValidateIngressSpec */
function validateIngressSpec(spec: Obj, opts: IngressOptions): FieldError[] {
  const errs: FieldError[] = [];
  const rules = list(spec.rules);
  if (rules.length === 0 && !isSet(spec.defaultBackend)) errs.push(invalid('spec', new GoSyntax(Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  if (isSet(spec.defaultBackend)) errs.push(...validateIngressBackend(obj(spec.defaultBackend), 'spec.defaultBackend'));
  if (rules.length > 0) errs.push(...validateIngressRules(rules, opts));
  const tls = list(spec.tls);
  if (tls.length > 0) errs.push(...validateIngressTLS(tls, opts));
  if (isSet(spec.ingressClassName)) {
    const cls = str(spec.ingressClassName);
    for (const m of nameIsDNSSubdomain(cls, false)) errs.push(invalid('spec.ingressClassName', cls, m));
  }
  return errs;
}

function validateIngress(ing: KObject, opts: IngressOptions): FieldError[] {
  return [...validateObjectMeta(ing, true, nameIsDNSSubdomain), ...validateIngressSpec(obj(ing.spec), opts)];
}

/** ValidateIngressCreate: the legacy class annotation must agree with ingressClassName. */
export function validateIngressCreate(ing: KObject): FieldError[] {
  const errs = validateIngress(ing, { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false });
  const ann = ing.metadata.annotations ?? {};
  const cls = ing.spec?.ingressClassName;
  if (Object.hasOwn(ann, INGRESS_CLASS_ANNOTATION) && isSet(cls) && ann[INGRESS_CLASS_ANNOTATION] !== cls)
    errs.push(invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, ann[INGRESS_CLASS_ANNOTATION], 'must match `ingressClassName` when both are specified'));
  return errs;
}

/** ValidateIngressUpdate: what was already stored invalid (a secret name, a wildcard rule) may stay. */
export function validateIngressUpdate(ing: KObject, old: KObject): FieldError[] {
  const oldSpec = obj(old.spec);
  const opts: IngressOptions = {
    allowInvalidSecretName: list(oldSpec.tls).some((t) => tlsSecretNameErrors(str(obj(t).secretName)).length > 0),
    allowInvalidWildcardHostRule: list(oldSpec.rules).some((r) => str(obj(r).host).includes('*') && validateIngressRuleValue(obj(r), '').length > 0),
  };
  return [...validateObjectMetaUpdate(ing, old), ...validateIngress(ing, opts)];
}

// ---------------------------------------------------------------------------------------------
// IngressClass.

/** validateIngressClassParametersReference */
function validateParameters(params: unknown): FieldError[] {
  if (!isSet(params)) return [];
  const p = obj(params);
  const at = 'spec.parameters';
  const errs: FieldError[] = [];
  if (isSet(p.apiGroup)) for (const m of isDNS1123Subdomain(str(p.apiGroup))) errs.push(invalid(`${at}.apiGroup`, str(p.apiGroup), m));
  for (const f of ['kind', 'name']) {
    const v = str(p[f]);
    if (!v) errs.push(required(`${at}.${f}`, ''));
    else for (const m of pathSegmentErrors(v)) errs.push(invalid(`${at}.${f}`, v, m));
  }
  if (!isSet(p.scope)) return [...errs, required(`${at}.scope`, '')];
  const scope = str(p.scope);
  if (!PARAMETER_SCOPES.includes(scope)) errs.push(unsupported(`${at}.scope`, scope, PARAMETER_SCOPES));
  else {
    if (scope === 'Namespace') {
      if (!isSet(p.namespace)) errs.push(required(`${at}.namespace`, "`parameters.scope` is set to 'Namespace'"));
      else for (const m of nameIsDNSLabel(str(p.namespace), false)) errs.push(invalid(`${at}.namespace`, str(p.namespace), m));
    }
    if (scope === 'Cluster' && isSet(p.namespace)) errs.push(forbidden(`${at}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

/** ValidateIngressClass */
export function validateIngressClass(ic: KObject): FieldError[] {
  const errs = validateObjectMeta(ic, false, nameIsDNSSubdomain);
  const spec = obj(ic.spec);
  const controller = str(spec.controller);
  if (!controller) errs.push(required('spec.controller', ''));
  else {
    if (Buffer.byteLength(controller) > MAX_LEN_INGRESS_CLASS_CONTROLLER) errs.push({ type: 'Too long', field: 'spec.controller', detail: `must have at most ${MAX_LEN_INGRESS_CLASS_CONTROLLER} bytes` });
    errs.push(...isDomainPrefixedPath('spec.controller', controller));
  }
  errs.push(...validateParameters(spec.parameters));
  return errs;
}

/** ValidateIngressClassUpdate: the controller is immutable. */
export function validateIngressClassUpdate(ic: KObject, old: KObject): FieldError[] {
  const errs = validateObjectMetaUpdate(ic, old);
  const now = str(ic.spec?.controller);
  if (now !== str(old.spec?.controller)) errs.push(invalid('spec.controller', now, 'field is immutable'));
  return [...errs, ...validateIngressClass(ic)];
}

// ---------------------------------------------------------------------------------------------
// DefaultIngressClass admission.

/**
 * getDefaultClass: the classes annotated default "true", the newest first (by creation time, then
 * name); undefined when there is none.
 */
export function defaultIngressClassOf(classes: KObject[]): KObject | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    if (ta === tb) return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
    return tb - ta;
  });
  return defaults[0];
}

/** classDefaulterPlugin.Admit: an Ingress without a class (field or legacy annotation) gets the default one. */
export function admitDefaultIngressClass(ing: KObject, classes: () => KObject[]): void {
  if (isSet(ing.spec?.ingressClassName)) return;
  if (Object.hasOwn(ing.metadata.annotations ?? {}, INGRESS_CLASS_ANNOTATION)) return;
  const def = defaultIngressClassOf(classes());
  if (!def) return;
  (ing.spec ??= {}).ingressClassName = def.metadata.name;
}

// ---------------------------------------------------------------------------------------------
// Printing.

/** formatHosts: up to three hosts, "+ N more..." counting rules; "*" when no rule names a host. */
export function formatHosts(rules: unknown): string {
  const rs = list(rules);
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const r of rs) {
    if (hosts.length === max) more = true;
    const host = str(obj(r).host);
    if (!more && host.length !== 0) hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  const ret = hosts.join(',');
  return more ? `${ret} + ${rs.length - max} more...` : ret;
}

/** formatPorts: 80, and 443 with TLS. */
export const formatPorts = (tls: unknown): string => (list(tls).length !== 0 ? '80, 443' : '80');

/** ingressLoadBalancerStatusStringer: the ips (or hostnames) sorted and de-duplicated, cut to 16 bytes unless wide. */
export function ingressAddress(ing: KObject, wide: boolean): string {
  const set = new Set<string>();
  for (const e of list(ing.status?.loadBalancer?.ingress)) {
    const o = obj(e);
    if (str(o.ip)) set.add(str(o.ip));
    else if (str(o.hostname)) set.add(str(o.hostname));
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > 16) r = `${r.slice(0, 13)}...`;
  return r;
}

/** printIngressClass's PARAMETERS: Kind[.apiGroup]/name, <none> without parameters. */
export function ingressClassParameters(ic: KObject): string {
  const p = ic.spec?.parameters;
  if (!isObj(p)) return '<none>';
  let s = str(p.kind);
  if (isSet(p.apiGroup)) s += `.${str(p.apiGroup)}`;
  return `${s}/${str(p.name)}`;
}
