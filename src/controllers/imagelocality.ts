// kube-scheduler's ImageLocality score plugin (pkg/scheduler/framework/plugins/imagelocality/
// image_locality.go, 1.32; weight 1 in the default profile, no NormalizeScore): nodes that already
// have the pod's images score higher, by the images' sizes, scaled down by how few nodes have them so
// that pods do not pile onto the one node that pulled an image first ("node heating").
//
// The image states come from the nodes' status.images, name by name, as the scheduler cache builds
// them (backend/cache/cache.go addNodeImageStates): a name's size, and how many nodes list it. The
// pod's image is looked up as written, with ":latest" added when it has no tag (normalizedImageName),
// and no registry added: with containerd the nodes list "docker.io/library/nginx:1.27", so a pod
// asking for "nginx:1.27" scores 0 everywhere, one asking for "docker.io/library/nginx:1.27" (or
// "registry.k8s.io/…", or a digest) scores where the image is. That is upstream's known gap (the
// TODO on normalizedImageName), kept as it is.
import type { KObject } from '../api/types';
import type { NodeInfo } from './schedplugins';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const MAX_NODE_SCORE = 100;

interface ImageState {
  size: number;
  /** the nodes whose status lists the name */
  numNodes: number;
}

/** name → state over every node in the snapshot, computed once per scheduling pass (per node list). */
const statesByPass = new WeakMap<NodeInfo[], Map<string, ImageState>>();

function imageStates(all: NodeInfo[]): Map<string, ImageState> {
  let states = statesByPass.get(all);
  if (states) return states;
  states = new Map();
  for (const { node } of all) {
    const seen = new Set<string>();
    for (const image of (node.status?.images ?? []) as { names?: string[]; sizeBytes?: number }[]) {
      for (const name of image.names ?? []) {
        if (seen.has(name)) continue;
        seen.add(name);
        const s = states.get(name);
        // the first node to report a name gives its size (addNodeImageStates)
        if (s) s.numNodes++;
        else states.set(name, { size: image.sizeBytes ?? 0, numNodes: 1 });
      }
    }
  }
  statesByPass.set(all, states);
  return states;
}

/** normalizedImageName: ":latest" when the last ':' is not after the last '/'. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** calculatePriority: the sum clamped to [23 MB, 1000 MB × containers], scaled to 0–100 (integer division). */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const sum = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/**
 * Score for one node: sumImageScores over the init containers and the containers (each image present
 * adds int64(size × numNodes / totalNumNodes)), then calculatePriority with both counted.
 * all: every node of the snapshot (totalNumNodes), not only the feasible ones.
 */
export function imageLocalityScore(pod: KObject, info: NodeInfo, all: NodeInfo[]): number {
  const containers: { image?: string }[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  if (!containers.length || !all.length) return 0;
  const states = imageStates(all);
  const onNode = new Set<string>();
  for (const image of (info.node.status?.images ?? []) as { names?: string[] }[]) for (const n of image.names ?? []) onNode.add(n);
  let sum = 0;
  for (const c of containers) {
    const name = normalizedImageName(c.image ?? '');
    const state = onNode.has(name) ? states.get(name) : undefined;
    if (state) sum += Math.trunc(state.size * (state.numNodes / all.length));
  }
  return calculatePriority(sum, containers.length);
}
