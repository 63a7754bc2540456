// What a node's container runtime holds: the images pulled there (containerd's image store, kept in
// the runtime shard), their sizes and digests, and the list the kubelet reports in the Node's
// status.images (pkg/kubelet/nodestatus/setters.go Images).
//
// Sizes: the compressed size containerd reports for an image (linux/amd64), from the table below for
// well-known images, otherwise a stable size from the repository name (5–80 MB). The same number is
// the Pulled event's "Image size" and status.images' sizeBytes.
//
// Digests: kubesim has no registry, so an image's repo digest is sha256 of its normalized reference
// ("docker.io/library/nginx:1.27" → sha256:…), the same wherever it is pulled; a reference that
// names a digest keeps it. The container status' imageID and status.images' names agree.
import { createHash } from 'crypto';
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { clone } from '../../util/compare';
import { normalizeImage } from '../kubelet-image';
import { imageRepo } from '../../network/apps';

/** Compressed sizes (bytes) of common images (linux/amd64), as containerd reports them. */
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
  // what a kubeadm node runs (registry.k8s.io, v1.32) and the add-ons kubesim installs, approximately
  pause: 320368,
  etcd: 57680541,
  'kube-apiserver': 28670731,
  'kube-controller-manager': 26259392,
  'kube-scheduler': 20657902,
  'kube-proxy': 30907858,
  'coredns/coredns': 18562039,
  'flannel/flannel': 32307004,
  'flannel/flannel-cni-plugin': 4856838,
  'ingress-nginx/controller': 105374518,
  'ingress-nginx/kube-webhook-certgen': 26907342,
};

/** The sandbox image every node has (kubelet --pod-infra-container-image, kubeadm 1.32's pause). */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

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

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The repository of a normalized reference, without tag or digest: docker.io/library/nginx. */
function repository(ref: string): string {
  const noDigest = ref.replace(/@.*$/, '');
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/**
 * The image's repo digest name, as the runtime reports it in the container status' imageID and the
 * node's image names: docker.io/library/nginx@sha256:… (the reference's own digest when it names one).
 */
export function repoDigest(image: string): string {
  const ref = normalizeImage(image);
  const named = /@(sha256:[0-9a-f]{64})$/.exec(ref)?.[1];
  return `${repository(ref)}@${named ?? `sha256:${sha256(ref)}`}`;
}

/**
 * The image's names in status.images: its repo digest, then its tag (RepoDigests then RepoTags,
 * setters.go). A reference with a digest is stored under the digest only: containerd's CRI pulls
 * "repo:tag@digest" as repo@digest (reference.ParseDockerRef drops the tag).
 */
export function imageNames(image: string): string[] {
  const ref = normalizeImage(image);
  return ref.includes('@') ? [repoDigest(ref)] : [repoDigest(ref), ref];
}

/** The images a node has pulled (kept in the runtime, as containerd's image store). */
export function hasImage(state: State, node: string, image: string): boolean {
  return !!state.runtime().images?.[node]?.[normalizeImage(image)];
}

/**
 * The node's runtime now has the image; its kubelet reports it in the Node's status.images at once
 * (a changed image list is a node status change, posted on the next status sync). publish: false
 * when the caller publishes once after adding many (cluster init).
 */
export function keepImage(state: State, node: string, image: string, publish = true): void {
  const ref = normalizeImage(image);
  if (state.runtime().images?.[node]?.[ref]) return;
  const rt = state.runtime(true);
  ((rt.images ??= {})[node] ??= {})[ref] = 1;
  if (publish) publishNodeImages(state, node);
}

/** The node status' image list cap (KubeletConfiguration nodeStatusMaxImages, default 50). */
const NODE_STATUS_MAX_IMAGES = 50;

export interface ContainerImage {
  names: string[];
  sizeBytes: number;
}

/**
 * setters.go Images over the runtime's list: largest first, ties by image ID descending
 * (sliceutils.ByImageSize; the ID is sha256 of the reference's config here), at most 50 images.
 */
export function nodeImageList(state: State, node: string): ContainerImage[] {
  const refs = Object.keys(state.runtime().images?.[node] ?? {});
  const list = refs.map((ref) => ({ names: imageNames(ref), sizeBytes: imageSize(ref), id: sha256(`config/${ref}`) }));
  list.sort((a, b) => b.sizeBytes - a.sizeBytes || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return list.slice(0, NODE_STATUS_MAX_IMAGES).map(({ names, sizeBytes }) => ({ names, sizeBytes }));
}

/** Writes the node's status.images when the list changed (a node write costs: every controller reading nodes looks again). */
export function publishNodeImages(state: State, node: string): void {
  const current = state.get('Node', undefined, node);
  if (!current) return;
  const images = nodeImageList(state, node);
  if (JSON.stringify(current.status?.images ?? []) === JSON.stringify(images)) return;
  const upd = clone(current);
  (upd.status ??= {}).images = images;
  state.replace(upd);
}

/** Whether a Node change touched nothing but status.images (not a scheduling-relevant update). */
export function onlyImagesChanged(old: KObject | undefined, now: KObject | undefined): boolean {
  if (!old || !now) return false;
  const strip = (n: KObject) => JSON.stringify({ ...n, metadata: { ...n.metadata, resourceVersion: undefined, managedFields: undefined }, status: { ...n.status, images: undefined } });
  return strip(old) === strip(now);
}
