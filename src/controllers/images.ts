// What happens when the simulated kubelet pulls an image, by a fixed, documented rule so labs can
// practise failures:
// - a reference that is not valid (upper case, spaces, a bad tag) → InvalidImageName;
// - a registry host the cluster cannot reach (anything but the well-known public registries and
//   localhost) → ErrImagePull, then ImagePullBackOff;
// - an official Docker Hub image (no user part, e.g. "ngnix") that is not in the list of known
//   official images below → ErrImagePull "pull access denied" (the typo case);
// - everything else pulls.
import { normalizeImage } from './kubelet-image';

export type PullResult = { ok: true } | { ok: false; reason: 'InvalidImageName' | 'ErrImagePull'; message: string };

const REGISTRIES = new Set(['docker.io', 'registry.k8s.io', 'k8s.gcr.io', 'gcr.io', 'ghcr.io', 'quay.io', 'mcr.microsoft.com', 'public.ecr.aws', 'registry.gitlab.com', 'localhost']);

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
  if (!REGISTRIES.has(bareHost)) {
    return fail(`failed to do request: Head "https://${host}/v2/${path}/manifests/${full.slice(full.lastIndexOf(':') + 1)}": dial tcp: lookup ${bareHost}: no such host`);
  }
  if (host === 'docker.io' && path.startsWith('library/') && !OFFICIAL.has(path.slice('library/'.length))) {
    return fail('pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed');
  }
  return { ok: true };
}
