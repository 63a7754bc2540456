// kubectl describe endpoints (describe.go describeEndpoints).
import type { KObject } from '../../api/types';
import {
  Json,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  PrefixWriter,
  describeEvents,
  printAnnotationsMultiline,
  printLabelsMultiline,
  str,
  tabbedString,
} from './common';

/** Comma-joined IPs of an address list, "<none>" when empty. */
function joinIPs(addresses: Json[] | undefined): string {
  const s = (addresses ?? []).map((a) => str(a.ip)).join(',');
  return s.length > 0 ? s : '<none>';
}

/** One subset: addresses, not-ready addresses, the ports table, then a blank line. */
function describeSubset(w: PrefixWriter, subset: Json): void {
  w.write(LEVEL_1, `Addresses:\t${joinIPs(subset.addresses)}\n`);
  w.write(LEVEL_1, `NotReadyAddresses:\t${joinIPs(subset.notReadyAddresses)}\n`);
  const ports: Json[] = subset.ports ?? [];
  if (ports.length > 0) {
    w.write(LEVEL_1, 'Ports:\n');
    w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
    w.write(LEVEL_2, '----\t----\t--------\n');
    for (const p of ports) w.write(LEVEL_2, `${str(p.name) || '<unset>'}\t${str(p.port) || '0'}\t${str(p.protocol)}\n`);
  }
  w.write(LEVEL_0, '\n');
}

/** kubectl describe endpoints; `events` undefined/null omits the Events section. */
export function describeEndpoints(ep: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(ep.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(ep.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', ep.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ep.metadata?.annotations);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const subset of (ep.subsets ?? []) as Json[]) describeSubset(w, subset);
    describeEvents(w, events);
  });
}
