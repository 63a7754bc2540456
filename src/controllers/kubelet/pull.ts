// How long an image pull takes on a simulated node (what the node already has: imagestore.ts): the
// first pull of an image on a node takes time by its size; an image present on the node starts at
// once with IfNotPresent (the "already present on machine" event), and imagePullPolicy Always checks
// the registry again, which is quick when the layers are there (pkg/kubelet/images/image_manager.go).
import type { State } from '../../store/state';
import { imageSize } from './imagestore';
import { goDuration } from './backoff';

/** A first pull: about 0.4 s plus 25 MB/s, to the millisecond. */
export function firstPullMs(image: string): number {
  return 400 + Math.round(imageSize(image) / 25_000);
}

/** A pull whose layers the node has (imagePullPolicy Always): a registry round trip. */
export function repeatPullMs(state: State): number {
  return 300 + state.rand.int(700);
}

export function pulledMessage(image: string, ms: number): string {
  const d = goDuration(ms);
  return `Successfully pulled image "${image}" in ${d} (${d} including waiting). Image size: ${imageSize(image)} bytes.`;
}
