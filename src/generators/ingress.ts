// kubectl create ingress (kubectl pkg/cmd/create/create_ingress.go): Validate's checks and messages,
// then createIngress: --rule "host/path=svc:port[,tls[=secret]]" (a path ending in "*" is a Prefix
// without the "*", any other Exact; rules of one host share one rule; TLS entries grouped by
// secret, each host once), --default-backend "svc:port", --annotation "k=v", --class. The object is
// built in Go struct order (what -o json prints); empty lists and maps are omitted (omitempty).
import { CliError } from '../api/errors';
import type { KObject } from '../api/types';

// ruleRegex: regexHostPathSvc + regexTLS; Go's MatchString is not anchored at the end
const RULE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?/;

export interface IngressOptions {
  class?: string;
  rule?: string[];
  defaultBackend?: string;
  annotation?: string[];
}

const fail = (msg: string): never => {
  throw new CliError(`error: ${msg}`, true);
};

/** CreateIngressOptions.Validate */
export function validateIngressOptions(o: IngressOptions): void {
  const rules = o.rule ?? [];
  if (!o.defaultBackend && rules.length === 0)
    fail('not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
  for (const r of rules) if (!RULE.test(r)) fail(`rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  for (const a of o.annotation ?? []) if (!a.includes('=')) fail(`annotation ${a} is invalid and should be in format key=[value]`);
  if (o.defaultBackend && o.defaultBackend.split(':').length !== 2) fail('default-backend should be in format servicename:serviceport');
}

/** parseServiceBackendPort: intstr.Parse, a number when strconv.Atoi takes it (int32 as FromInt truncates). */
function backendPort(port: string): Record<string, unknown> {
  if (/^[+-]?\d+$/.test(port)) {
    const n = Number(port) | 0;
    return n !== 0 ? { number: n } : {};
  }
  return port ? { name: port } : {};
}

/** buildIngressBackendSvc */
function backendSvc(service: string): Record<string, unknown> {
  const [name, port] = service.split(':');
  return { service: { name, port: backendPort(port ?? '') } };
}

/** buildHTTPIngressPath: "/" + the path; a trailing "*" makes it a Prefix. */
function httpPath(pathsvc: string): Record<string, unknown> {
  const parts = pathsvc.split('=');
  let path = `/${parts[0]}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backendSvc(parts[1] ?? '') };
}

type Rule = { host?: string; http: { paths: Record<string, unknown>[] } };
type TLS = { hosts?: string[]; secretName?: string };

/** buildIngressRules: one rule per host, in the order the hosts first appear. */
function buildRules(rules: string[]): Rule[] {
  const out: Rule[] = [];
  for (const rule of rules) {
    const noTLS = rule.split(',')[0];
    const slash = noTLS.indexOf('/');
    const host = slash < 0 ? noTLS : noTLS.slice(0, slash);
    const path = httpPath(slash < 0 ? '' : noTLS.slice(slash + 1));
    const same = out.find((r) => (r.host ?? '') === host);
    if (same) {
      same.http.paths.push(path);
      continue;
    }
    out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

/** buildTLSRules: a rule with ",tls[=secret]" adds its host to the entry of that secret, each host once. */
function buildTLS(rules: string[]): TLS[] {
  const out: TLS[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const tls = rule.split(',');
    if (tls.length !== 2) continue;
    const host = rule.split('/')[0];
    const parts = tls[1].split('=');
    const secret = parts.length > 1 ? parts[1] : '';
    if (seen.has(host)) continue;
    const idx = out.findIndex((t) => (t.secretName ?? '') === secret);
    seen.add(host);
    if (idx > -1) {
      (out[idx].hosts ??= []).push(host);
      continue;
    }
    const entry: TLS = {};
    if (host !== '') entry.hosts = [host];
    if (secret !== '') entry.secretName = secret;
    if (entry.secretName || entry.hosts) out.push(entry);
  }
  return out;
}

/** createIngress: the Ingress kubectl sends (or prints with --dry-run=client). */
export function ingressFor(name: string, namespace: string | undefined, o: IngressOptions): KObject {
  // a Map: a key such as __proto__ is an annotation like any other (the apiserver judges it)
  const annotations = new Map<string, string>();
  for (const a of o.annotation ?? []) {
    const i = a.indexOf('=');
    annotations.set(a.slice(0, i), a.slice(i + 1));
  }
  const sorted = Object.fromEntries([...annotations.keys()].sort().map((k) => [k, annotations.get(k) as string]));
  const spec: Record<string, unknown> = {};
  if (o.class) spec.ingressClassName = o.class;
  if (o.defaultBackend) spec.defaultBackend = backendSvc(o.defaultBackend);
  const tls = buildTLS(o.rule ?? []);
  if (tls.length) spec.tls = tls;
  const rules = buildRules(o.rule ?? []);
  if (rules.length) spec.rules = rules;
  return {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null, ...(Object.keys(sorted).length ? { annotations: sorted } : {}) },
    spec,
    status: { loadBalancer: {} },
  } as unknown as KObject;
}
