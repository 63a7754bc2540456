// kubectl describe endpointslice (describe.go describeEndpointSliceV1).
import type { KObject } from '../../api/types';
import {
  Json,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  PrefixWriter,
  describeEvents,
  printAnnotationsMultiline,
  printLabelsMultiline,
  str,
  tabbedString,
} from './common';

/** The Ports: table, or "Ports: <unset>" (no tab: it ends the alignment block). */
function describeSlicePorts(w: PrefixWriter, ports: Json[]): void {
  if (ports.length === 0) {
    w.write(LEVEL_0, 'Ports: <unset>\n');
    return;
  }
  w.write(LEVEL_0, 'Ports:\n');
  w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
  w.write(LEVEL_1, '----\t----\t--------\n');
  for (const p of ports) {
    const name = str(p.name) || '<unset>';
    const port = typeof p.port === 'number' ? String(p.port) : '<unset>';
    w.write(LEVEL_1, `${name}\t${port}\t${str(p.protocol)}\n`);
  }
}

/** One "- Addresses:" entry with its conditions, hostname, target, node and zone. */
function describeSliceEndpoint(w: PrefixWriter, ep: Json): void {
  const addresses = ((ep.addresses ?? []) as string[]).join(', ');
  w.write(LEVEL_1, `- Addresses:\t${addresses || '<none>'}\n`);
  w.write(LEVEL_2, 'Conditions:\n');
  const ready = ep.conditions?.ready;
  w.write(LEVEL_3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`);
  w.write(LEVEL_2, `Hostname:\t${ep.hostname ?? '<unset>'}\n`);
  if (ep.targetRef) w.write(LEVEL_2, `TargetRef:\t${str(ep.targetRef.kind)}/${str(ep.targetRef.name)}\n`);
  w.write(LEVEL_2, `NodeName:\t${ep.nodeName ?? '<unset>'}\n`);
  w.write(LEVEL_2, `Zone:\t${ep.zone ?? '<unset>'}\n`);
}

/** kubectl describe endpointslice; `events` undefined/null omits the Events section. */
export function describeEndpointSlice(slice: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(slice.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(slice.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', slice.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', slice.metadata?.annotations);
    w.write(LEVEL_0, `AddressType:\t${str(slice.addressType)}\n`);
    describeSlicePorts(w, slice.ports ?? []);
    const endpoints: Json[] = slice.endpoints ?? [];
    if (endpoints.length === 0) {
      w.write(LEVEL_0, 'Endpoints: <none>\n');
    } else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const ep of endpoints) describeSliceEndpoint(w, ep);
    }
    describeEvents(w, events);
  });
}
