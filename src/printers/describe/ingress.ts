// kubectl describe ingress and ingressclass (kubectl 1.32 pkg/describe/describe.go:
// IngressDescriber.describeIngressV1 with describeBackendV1 and describeIngressTLSV1,
// IngressClassDescriber.describeIngressClassV1). Since kubectl 1.31 (kubernetes#124598) a service
// backend's endpoints come from the Service's EndpointSlices, as in describe service.
import { ingressAddress } from '../../api/networking';
import type { KObject } from '../../api/types';
import { describeEvents, type Json, LEVEL_0, LEVEL_1, LEVEL_2, printAnnotationsMultiline, printLabelsMultiline, type PrefixWriter, str, tabbedString } from './common';
import { formatEndpointSlices } from './service';

/** What describeBackendV1 fetches for a service backend: the Service and its EndpointSlices. */
export interface BackendReader {
  service(name: string): KObject | undefined;
  slices(serviceName: string): KObject[];
}

/** serviceBackendStringer: name:number, or name:portName when the number is unset. */
function serviceBackendStringer(svc: Json): string {
  const port = svc?.port ?? {};
  const p = typeof port.number === 'number' && port.number !== 0 ? String(port.number) : str(port.name);
  return `${str(svc?.name)}:${p}`;
}

/**
 * describeBackendV1: "svc:port (endpoints)", the endpoints of the Service port the backend names;
 * a missing Service is "<error: services "x" not found>"; a resource backend its group, kind, name.
 */
function describeBackend(backend: Json, read: BackendReader): string {
  if (backend?.service) {
    const sb = serviceBackendStringer(backend.service);
    const name = str(backend.service.name);
    const slices = read.slices(name);
    const svc = read.service(name);
    if (!svc) return `${sb} (<error: services "${name}" not found>)`;
    let spName = '';
    const want = backend.service.port ?? {};
    for (const sp of (svc.spec?.ports ?? []) as Json[]) {
      if (typeof want.number === 'number' && want.number !== 0 && want.number === sp.port) spName = str(sp.name);
      else if (str(want.name) !== '' && str(want.name) === str(sp.name)) spName = str(sp.name);
    }
    return `${sb} (${formatEndpointSlices(slices, new Set([spName]))})`;
  }
  if (backend?.resource) {
    const r = backend.resource;
    const apiGroup = r.apiGroup != null ? str(r.apiGroup) : '<none>';
    return `APIGroup: ${apiGroup}, Kind: ${str(r.kind)}, Name: ${str(r.name)}`;
  }
  return '';
}

/** describeIngressTLSV1: "SNI routes hosts" without a secret, else "secret terminates hosts". */
function describeIngressTLS(w: PrefixWriter, tls: Json[]): void {
  w.write(LEVEL_0, 'TLS:\n');
  for (const t of tls) {
    const hosts = ((t?.hosts ?? []) as unknown[]).map(str).join(',');
    if (str(t?.secretName) === '') w.write(LEVEL_1, `SNI routes ${hosts}\n`);
    else w.write(LEVEL_1, `${str(t.secretName)} terminates ${hosts}\n`);
  }
}

export function describeIngress(ing: KObject, read: BackendReader, events: KObject[]): string {
  return tabbedString((w) => {
    const ns = str(ing.metadata.namespace);
    w.write(LEVEL_0, `Name:\t${ing.metadata.name}\n`);
    printLabelsMultiline(w, 'Labels', ing.metadata.labels);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    w.write(LEVEL_0, `Address:\t${ingressAddress(ing, true)}\n`);
    w.write(LEVEL_0, `Ingress Class:\t${ing.spec?.ingressClassName != null ? str(ing.spec.ingressClassName) : '<none>'}\n`);
    const def = ing.spec?.defaultBackend;
    const defaultBackend = def != null ? describeBackend(def, read) : '<default>';
    w.write(LEVEL_0, `Default backend:\t${defaultBackend}\n`);
    const tls: Json[] = ing.spec?.tls ?? [];
    if (tls.length !== 0) describeIngressTLS(w, tls);
    w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    let count = 0;
    for (const rule of (ing.spec?.rules ?? []) as Json[]) {
      if (rule?.http == null) continue;
      count++;
      w.write(LEVEL_1, `${str(rule.host) || '*'}\t\n`);
      for (const p of (rule.http.paths ?? []) as Json[]) w.write(LEVEL_2, `\t${str(p.path)} \t${describeBackend(p.backend, read)}\n`);
    }
    if (count === 0) w.write(LEVEL_1, `*\t*\t${defaultBackend}\n`);
    printAnnotationsMultiline(w, 'Annotations', ing.metadata.annotations);
    describeEvents(w, events);
  });
}

export function describeIngressClass(ic: KObject, events: KObject[]): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ic.metadata.name}\n`);
    printLabelsMultiline(w, 'Labels', ic.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', ic.metadata.annotations);
    w.write(LEVEL_0, `Controller:\t${str(ic.spec?.controller)}\n`);
    const p = ic.spec?.parameters;
    if (p != null) {
      w.write(LEVEL_0, 'Parameters:\n');
      if (p.apiGroup != null) w.write(LEVEL_1, `APIGroup:\t${str(p.apiGroup)}\n`);
      w.write(LEVEL_1, `Kind:\t${str(p.kind)}\n`);
      w.write(LEVEL_1, `Name:\t${str(p.name)}\n`);
    }
    describeEvents(w, events);
  });
}
