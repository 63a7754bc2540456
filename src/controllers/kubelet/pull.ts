// How long an image pull takes on a simulated node, and what the node already has: the first pull of
// an image on a node takes time by its size; an image present on the node starts at once with
// IfNotPresent (the "already present on machine" event), and imagePullPolicy Always checks the
// registry again, which is quick when the layers are there (pkg/kubelet/images/image_manager.go).
import type { State } from '../../store/state';
import { normalizeImage } from '../kubelet-image';
import { imageRepo } from '../../network/apps';
import { goDuration } from './backoff';

/** Compressed sizes (bytes) the Pulled event reports for common images (linux/amd64). */
const SIZES: Record<string, number> = {
  nginx: 72195292,
  busybox: 2167176,
  alpine: 3653068,
  redis: 45102532,
  httpd: 58109125,
  ubuntu: 29754422,
  debian: 48494272,
  postgres: 158531247,
  mysql: 172431863,
  mongo: 264863474,
  python: 387561792,
  node: 406435124,
  'hello-app': 11258924,
  agnhost: 51235432,
  echoserver: 46392034,
  'curlimages/curl': 11787245,
  'hello-world': 13256,
};

export function imageSize(image: string): number {
  const repo = imageRepo(image);
  const last = repo.split('/').pop() as string;
  const known = SIZES[repo] ?? SIZES[last];
  if (known) return known;
  // another image: a stable size from its name, 5–80 MB
  let h = 0;
  for (const ch of repo) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 5_000_000 + (h % 75_000_000);
}

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

/** The images a node has pulled (kept in the runtime, as containerd's image store). */
export function hasImage(state: State, node: string, image: string): boolean {
  return !!state.runtime().images?.[node]?.[normalizeImage(image)];
}

export function keepImage(state: State, node: string, image: string): void {
  const rt = state.runtime(true);
  const images = (rt.images ??= {});
  (images[node] ??= {})[normalizeImage(image)] = 1;
}
