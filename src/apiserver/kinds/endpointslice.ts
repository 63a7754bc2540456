// discovery.k8s.io/v1 EndpointSlice: defaulting, validation and the columns of printEndpointSlice.
import { defaultEndpointSlice } from '../../api/defaults';
import { validateEndpointSlice } from '../../api/validation';
import { AGE, NAME, withMore } from '../columns';
import { defineKind, resource } from '../strategy';

export default defineKind({
  resource: resource('EndpointSlice', 'endpointslices', [], 'discovery.k8s.io', 'v1', true),
  defaults: (obj) => defaultEndpointSlice(obj),
  validate: (obj) => validateEndpointSlice(obj),
  columns: [
    NAME,
    { header: 'ADDRESSTYPE', cell: (o) => o.addressType ?? '' },
    {
      header: 'PORTS',
      cell: (o) => {
        const ports: { port?: number; name?: string }[] = o.ports ?? [];
        const list = ports.slice(0, 3).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
        return withMore(list, ports.length, 3, '<unset>');
      },
    },
    {
      header: 'ENDPOINTS',
      cell: (o) => {
        const addrs: string[] = (o.endpoints ?? []).flatMap((e: { addresses?: string[] }) => e.addresses ?? []);
        return withMore(addrs.slice(0, 3), addrs.length, 3, '<unset>');
      },
    },
    AGE,
  ],
});
