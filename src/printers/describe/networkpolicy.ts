// describe networkpolicy (kubectl 1.32 pkg/describe/describe.go: describeNetworkPolicy,
// describeNetworkPolicySpec, printNetworkPolicySpecIngressFrom / printNetworkPolicySpecEgressTo,
// policyTypesToString). The describer lists no events.
import { formatLabelSelector } from '../../api/labels';
import type { KObject } from '../../api/types';
import { goZoneAbbr } from '../../util/gozone';
import { LEVEL_0, LEVEL_1, LEVEL_2, parseTime, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString, type Json, type PrefixWriter } from './common';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `%s` of a metav1.Time: time.Time.String(), "2006-01-02 15:04:05.999999999 -0700 MST" in the local
 * zone metav1.Time decodes into ("+0000 UTC" under TZ=UTC); Go's zero time when unset.
 */
export function goTimeString(ts: unknown): string {
  const ms = parseTime(ts);
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ms);
  const frac = d.getMilliseconds() ? '.' + pad(d.getMilliseconds(), 3).replace(/0+$/, '') : '';
  const off = -d.getTimezoneOffset();
  const num = `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
  // the zone's abbreviation as Go reads it from tzdata; CLDR's names if that cannot be read
  let abbr = goZoneAbbr(ms, off);
  for (const locale of abbr ? [] : ['en-US', 'en-AU', 'en-IN', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
    if (name && /^[A-Z]{3,5}$/.test(name)) {
      abbr = name;
      break;
    }
  }
  abbr ??= num.slice(3) === '00' ? num.slice(0, 3) : num;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac} ${num} ${abbr}`;
}

/** `%s` of a *intstr.IntOrString: the string, the int, or <nil> when the port is not given. */
const portString = (p: unknown): string => (p === undefined || p === null ? '<nil>' : String(p));

/** printNetworkPolicySpecIngressFrom and printNetworkPolicySpecEgressTo: one body, two sets of words. */
function printRules(w: PrefixWriter, rules: Json[], indent: string, dir: 'ingress' | 'egress'): void {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  const peerWord = dir === 'ingress' ? 'From' : 'To';
  if (!rules.length) {
    w.write(LEVEL_0, `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    const ports: Json[] = rule?.ports ?? [];
    if (!ports.length) w.write(LEVEL_0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    for (const port of ports) {
      const proto = port?.protocol ?? 'TCP';
      if (port?.endPort == null) w.write(LEVEL_0, `${indent}To Port: ${portString(port?.port)}/${proto}\n`);
      else w.write(LEVEL_0, `${indent}To Port Range: ${portString(port.port)}-${port.endPort}/${proto}\n`);
    }
    const peers: Json[] = rule?.[peersKey] ?? [];
    if (!peers.length) w.write(LEVEL_0, `${indent}${peerWord}: <any> (traffic not restricted by ${dir === 'ingress' ? 'source' : 'destination'})\n`);
    for (const peer of peers) {
      w.write(LEVEL_0, `${indent}${peerWord}:\n`);
      if (peer?.podSelector && peer?.namespaceSelector) {
        w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
        w.write(LEVEL_1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      } else if (peer?.podSelector) w.write(LEVEL_1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      else if (peer?.namespaceSelector) w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      else if (peer?.ipBlock) {
        w.write(LEVEL_1, `${indent}IPBlock:\n`);
        w.write(LEVEL_2, `${indent}CIDR: ${str(peer.ipBlock.cidr)}\n`);
        w.write(LEVEL_2, `${indent}Except: ${((peer.ipBlock.except ?? []) as string[]).join(', ')}\n`);
      }
    }
    if (i !== rules.length - 1) w.write(LEVEL_0, `${indent}----------\n`);
  });
}

function describeSpec(w: PrefixWriter, spec: Json): void {
  w.write(LEVEL_0, 'Spec:\n');
  w.write(LEVEL_1, 'PodSelector: ');
  const sel = spec.podSelector ?? {};
  if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) w.write(LEVEL_2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  else w.write(LEVEL_2, `${formatLabelSelector(sel)}\n`);
  const types: string[] = spec.policyTypes ?? [];
  if (types.includes('Ingress')) {
    w.write(LEVEL_1, 'Allowing ingress traffic:\n');
    printRules(w, spec.ingress ?? [], '    ', 'ingress');
  } else w.write(LEVEL_1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(LEVEL_1, 'Allowing egress traffic:\n');
    printRules(w, spec.egress ?? [], '    ', 'egress');
  } else w.write(LEVEL_1, 'Not affecting egress traffic\n');
  w.write(LEVEL_1, `Policy Types: ${types.join(', ')}\n`);
}

export function describeNetworkPolicy(np: KObject): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${np.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(np.metadata.namespace)}\n`);
    w.write(LEVEL_0, `Created on:\t${goTimeString(np.metadata.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', np.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', np.metadata.annotations);
    describeSpec(w, np.spec ?? {});
  });
}
