// kubectl describe service (describe.go describeService, buildIngressString, formatEndpointSlices).
import type { KObject } from '../../api/types';
import {
  Json,
  LEVEL_0,
  PrefixWriter,
  describeEvents,
  formatLabels,
  printAnnotationsMultiline,
  printLabelsMultiline,
  str,
  tabbedString,
} from './common';

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** An endpoint counts as ready unless conditions.ready is explicitly false ("unknown" means ready). */
function isReady(endpoint: Json): boolean {
  return endpoint?.conditions?.ready !== false;
}

/**
 * describe.go formatEndpointSlices: ready endpoints of the slice ports whose name is in `portNames`
 * (all ports when undefined), as ip:port — or bare IPs for slices without ports — at most 3, then
 * " + N more...". No slices at all → "<none>"; slices with nothing ready → "".
 */
export function formatEndpointSlices(slices: KObject[], portNames?: ReadonlySet<string>): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  // kubectl checks "list is full" before skipping a not-ready endpoint, so a not-ready endpoint seen
  // after the third ready one still switches to "+ N more" (even "+ 0 more...")
  const visit = (endpoint: Json, entry: () => string): void => {
    if (list.length === max) more = true;
    if (!isReady(endpoint)) return;
    if (!more) list.push(entry());
    count++;
  };
  for (const slice of slices as Json[]) {
    const endpoints: Json[] = slice.endpoints ?? [];
    const ports: Json[] = slice.ports ?? [];
    if (ports.length === 0) {
      // headless services may have no ports: bare addresses
      for (const ep of endpoints) visit(ep, () => str(ep.addresses?.[0]));
      continue;
    }
    for (const port of ports) {
      if (portNames && !portNames.has(str(port.name))) continue;
      for (const ep of endpoints) visit(ep, () => joinHostPort(str(ep.addresses?.[0]), str(port.port)));
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

/** describe.go buildIngressString: "ip (ipMode)" or hostname, joined by ", ". */
function buildIngressString(ingress: Json[]): string {
  return ingress
    .map((ing) => {
      if (str(ing.ip) !== '') return ing.ipMode ? `${ing.ip} (${ing.ipMode})` : str(ing.ip);
      return str(ing.hostname);
    })
    .join(', ');
}

/** Port, TargetPort, NodePort and Endpoints lines of one service port. */
function describeServicePort(w: PrefixWriter, sp: Json, slices: KObject[]): void {
  const name = str(sp.name) || '<unset>';
  const proto = str(sp.protocol);
  w.write(LEVEL_0, `Port:\t${name}\t${str(sp.port) || '0'}/${proto}\n`);
  // an unset targetPort is intstr's zero value, the integer 0
  const target = typeof sp.targetPort === 'string' ? sp.targetPort : String(sp.targetPort ?? 0);
  w.write(LEVEL_0, `TargetPort:\t${target}/${proto}\n`);
  if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
  w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, new Set([str(sp.name)]))}\n`);
}

/** Name through IPs, then the optional external address lines. */
function describeServiceHeader(w: PrefixWriter, svc: Json): void {
  const spec = svc.spec ?? {};
  w.write(LEVEL_0, `Name:\t${str(svc.metadata?.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(svc.metadata?.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${str(spec.type)}\n`);
  if (spec.ipFamilyPolicy != null) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  const families: string[] = spec.ipFamilies ?? [];
  w.write(LEVEL_0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${str(spec.clusterIP)}\n`);
  const ips: string[] = spec.clusterIPs ?? [];
  w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (str(spec.loadBalancerIP) !== '') w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (str(spec.externalName) !== '') w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
  const ingress: Json[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.write(LEVEL_0, `LoadBalancer Ingress:\t${buildIngressString(ingress)}\n`);
}

/** Session affinity and the traffic policy lines that follow the ports. */
function describeServiceTrailer(w: PrefixWriter, spec: Json): void {
  w.write(LEVEL_0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
  if (str(spec.externalTrafficPolicy) !== '') w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy != null) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  const ranges: string[] = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${ranges.join(',')}\n`);
  // kubectl 1.32 has no "Traffic Distribution" line (added in later releases)
}

/**
 * kubectl describe service. `slices` are the EndpointSlices labelled
 * kubernetes.io/service-name=<svc>; `events` undefined/null omits the Events section.
 */
export function describeService(svc: KObject, slices: KObject[], events?: KObject[] | null): string {
  return tabbedString((w) => {
    describeServiceHeader(w, svc);
    for (const sp of (svc.spec?.ports ?? []) as Json[]) describeServicePort(w, sp, slices);
    describeServiceTrailer(w, svc.spec ?? {});
    describeEvents(w, events);
  });
}
