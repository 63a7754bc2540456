// A stored object as one of its kind's other served versions shows it (the apiserver converts on
// read): what a client working at that version (apply with a manifest of it) compares against.
import { hpaToV1 } from './autoscaling';
import type { KObject } from './types';

export function liveAtVersion(o: KObject, apiVersion: string): KObject {
  if (o.apiVersion === apiVersion) return o;
  if (o.kind === 'HorizontalPodAutoscaler' && apiVersion === 'autoscaling/v1') return hpaToV1(o);
  return o;
}
