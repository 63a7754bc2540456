// What happens when the simulated kubelet pulls an image, by a fixed, documented rule so labs can
// practise the failures that happen in reality, and nothing else fails:
// - a reference that is not valid (upper case, spaces, a bad tag) → InvalidImageName;
// - a registry host that cannot resolve (a reserved or private name: .invalid, .local, .test,
//   .example, .internal, .corp, .lan, example.com …) → ErrImagePull "no such host";
// - an official Docker Hub image (no user part, e.g. "ngnix") that is not in the list of known
//   official images below → ErrImagePull "pull access denied" (the typo case);
// - a version tag an official image never had (nginx:1.161, the docs' stuck rollout) → ErrImagePull
//   "not found" (containerd's NotFound, which keeps its rpc prefix);
// - everything else pulls, from any public registry (us-docker.pkg.dev, gcr.io, quay.io …).
// Each failure is followed by ImagePullBackOff on the kubelet's back-off.
import { normalizeImage } from './kubelet-image';

export type PullResult = { ok: true } | { ok: false; reason: 'InvalidImageName' | 'ErrImagePull'; message: string };

/** Names DNS does not resolve outside a private network (RFC 2606, RFC 6762, common private suffixes). */
const UNRESOLVABLE_TLDS = new Set(['invalid', 'local', 'test', 'example', 'internal', 'corp', 'lan', 'home', 'intranet', 'private', 'localdomain']);
const EXAMPLE_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** Whether a registry host resolves: localhost and addresses do, and names under a public top-level domain. */
function resolves(host: string): boolean {
  if (host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return true;
  const labels = host.toLowerCase().split('.');
  const tld = labels[labels.length - 1];
  if (labels.length < 2 || !/^[a-z]{2,}$/.test(tld) || UNRESOLVABLE_TLDS.has(tld)) return false;
  return !EXAMPLE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/**
 * The versions some official images have had (major → highest minor): a version tag beyond them
 * does not exist. Other images and non-version tags (latest, alpine, stable …) are not checked.
 */
const VERSIONS: Record<string, Record<number, number>> = {
  nginx: { 1: 29 },
  httpd: { 2: 4 },
  redis: { 2: 8, 3: 2, 4: 0, 5: 0, 6: 2, 7: 4, 8: 2 },
  busybox: { 1: 37 },
  alpine: { 3: 22 },
  mysql: { 5: 7, 8: 4, 9: 4 },
};

function tagExists(name: string, tag: string): boolean {
  const known = VERSIONS[name];
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.\d+)?(?:-[\w.-]+)?$/.exec(tag);
  if (!known || !m) return true;
  const maxMinor = known[Number(m[1])];
  return maxMinor !== undefined && (m[2] === undefined || Number(m[2]) <= maxMinor);
}

const OFFICIAL = new Set(
  ('nginx httpd redis busybox alpine ubuntu debian centos fedora postgres mysql mariadb mongo node python golang ruby php openjdk eclipse-temurin ' +
    'memcached rabbitmq traefik haproxy caddy wordpress registry hello-world consul vault elasticsearch kibana logstash influxdb telegraf ' +
    'grafana nats cassandra couchdb neo4j solr tomcat jenkins sonarqube nextcloud ghost drupal joomla adminer phpmyadmin rust gcc perl bash ' +
    'amazonlinux rockylinux almalinux archlinux oraclelinux photon clearlinux busybox-glibc percona zookeeper kong docker swarm nats-streaming ' +
    'httpbin hashicorp mongo-express redmine odoo owncloud matomo flink spark storm').split(' '),
);

/** A reference the runtime cannot parse: spaces, upper case in the repository, a bad tag. */
function invalidReference(image: string): boolean {
  if (!image || /\s/.test(image)) return true;
  const noDigest = image.split('@')[0];
  const colon = noDigest.indexOf(':', noDigest.lastIndexOf('/') + 1);
  const repo = colon >= 0 ? noDigest.slice(0, colon) : noDigest;
  if (colon >= 0 && !/^\w[\w.-]{0,127}$/.test(noDigest.slice(colon + 1))) return true;
  const parts = repo.split('/');
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  return parts.some((p) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p));
}

/** The pull outcome for an image reference, with the kubelet's message. */
export function pullImage(image: string): PullResult {
  if (invalidReference(image)) {
    const repo = normalizeImage(image).replace(/^docker\.io\//, '').replace(/:[^/:]+$/, '');
    const why = /[A-Z]/.test(image) ? `: repository name (${repo}) must be lowercase` : '';
    return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format${why}` };
  }
  const full = normalizeImage(image);
  const host = full.split('/')[0];
  const path = full.slice(host.length + 1).replace(/[:@].*$/, '');
  const fail = (why: string): PullResult => ({
    ok: false,
    reason: 'ErrImagePull',
    message: `failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${why}`,
  });
  const bareHost = host.replace(/:\d+$/, '');
  if (!resolves(bareHost)) {
    return fail(`failed to do request: Head "https://${host}/v2/${path}/manifests/${full.slice(full.lastIndexOf(':') + 1)}": dial tcp: lookup ${bareHost}: no such host`);
  }
  if (host === 'docker.io' && path.startsWith('library/')) {
    const name = path.slice('library/'.length);
    if (!OFFICIAL.has(name)) return fail('pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed');
    const tag = full.includes('@') ? '' : full.slice(full.lastIndexOf(':') + 1);
    if (tag && !tagExists(name, tag)) {
      const f = fail(`${full}: not found`) as Extract<PullResult, { ok: false }>;
      return { ...f, message: `rpc error: code = NotFound desc = ${f.message}` };
    }
  }
  return { ok: true };
}
