// The object model: Kubernetes JSON shapes, typed loosely at the edges (user input is any shape until
// validated) and with kubernetes-types where code reads known fields.
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

export type { Service, ServicePort, ServiceSpec, Pod, PodSpec, Container, Endpoints, EndpointSubset, Node, Namespace, Event } from 'kubernetes-types/core/v1';
export type { EndpointSlice, Endpoint as SliceEndpoint } from 'kubernetes-types/discovery/v1';
export type { ObjectMeta } from 'kubernetes-types/meta/v1';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** metadata as we handle it: writable, and open to fields we do not model. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Meta = Mutable<ObjectMeta> & { name: string; [field: string]: any };

/** Any stored object. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}
