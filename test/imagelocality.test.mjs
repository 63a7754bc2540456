// Issue 20 (H1b): the images a node reports in status.images (pkg/kubelet/nodestatus/setters.go
// Images), the ImageLocality score plugin that reads them (pkg/scheduler/framework/plugins/
// imagelocality/image_locality.go, 1.32), and the topology labels `cluster init --zones` sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cluster } from './helpers.mjs';

const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const node = (c, name) => json(c, ['get', 'node', name]);
const apply = (c, ...manifests) => c.ok(['apply', '-f', '-'], { input: manifests.map((m) => JSON.stringify(m)).join('\n---\n') });
/** The documented digest rule (imagestore.ts): sha256 of the normalized reference. */
const digest = (ref) => `sha256:${createHash('sha256').update(ref).digest('hex')}`;
const pod = (name, image, spec = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image }], ...spec } });
const LATER = '2025-03-01T12:05:00Z';

test('status.images after cluster init: each node the images of the pods it runs and pause, largest first, [repo digest, tag]', () => {
  const c = cluster({ seed: 'imgloc', init: ['--nodes', '3'] });
  try {
    const names = (n) => node(c, n).status.images.map((i) => [i.names[1], i.sizeBytes]);
    assert.deepEqual(names('controlplane'), [
      ['registry.k8s.io/etcd:3.5.16-0', 57680541],
      ['registry.k8s.io/kube-proxy:v1.32.2', 30907858],
      ['registry.k8s.io/kube-apiserver:v1.32.2', 28670731],
      ['registry.k8s.io/kube-controller-manager:v1.32.2', 26259392],
      ['registry.k8s.io/kube-scheduler:v1.32.2', 20657902],
      ['registry.k8s.io/coredns/coredns:v1.11.3', 18562039],
      ['registry.k8s.io/pause:3.10', 320368],
    ]);
    // CoreDNS runs on the control plane only: a worker has kube-proxy and the sandbox image
    assert.deepEqual(names('node01'), [
      ['registry.k8s.io/kube-proxy:v1.32.2', 30907858],
      ['registry.k8s.io/pause:3.10', 320368],
    ]);
    const pause = node(c, 'node02').status.images[1];
    assert.deepEqual(pause.names, [`registry.k8s.io/pause@${digest('registry.k8s.io/pause:3.10')}`, 'registry.k8s.io/pause:3.10']);
    // the system pods' imageIDs are the digests their nodes list
    const etcd = json(c, ['get', 'pod', '-n', 'kube-system', 'etcd-controlplane']);
    assert.equal(etcd.status.containerStatuses[0].imageID, `registry.k8s.io/etcd@${digest('registry.k8s.io/etcd:3.5.16-0')}`);
  } finally {
    c.cleanup();
  }
});

test('a pull adds the image to its node once; the imageID is the digest the node lists; describe node shows no images', () => {
  const c = cluster({ seed: 'imgloc', init: ['--nodes', '2'] });
  try {
    apply(c, pod('a', 'nginx:1.27', { nodeName: 'node01' }));
    c.at(LATER);
    const ref = 'docker.io/library/nginx:1.27';
    const first = node(c, 'node01');
    assert.deepEqual(first.status.images[0], { names: [`docker.io/library/nginx@${digest(ref)}`, ref], sizeBytes: 72195292 });
    assert.equal(json(c, ['get', 'pod', 'a']).status.containerStatuses[0].imageID, `docker.io/library/nginx@${digest(ref)}`);
    // the same image again on that node: no node write (the list did not change)
    apply(c, pod('b', 'docker.io/library/nginx:1.27', { nodeName: 'node01' }));
    c.at('2025-03-01T12:10:00Z');
    assert.equal(json(c, ['get', 'pod', 'b']).status.phase, 'Running');
    assert.equal(node(c, 'node01').metadata.resourceVersion, first.metadata.resourceVersion);
    // a reference with a digest is stored under the digest only
    const pinned = `busybox@sha256:${'a'.repeat(64)}`;
    apply(c, pod('d', pinned, { nodeName: 'node01', containers: [{ name: 'c', image: pinned, command: ['sleep', '3600'] }] }));
    c.at('2025-03-01T12:15:00Z');
    assert.ok(node(c, 'node01').status.images.some((i) => JSON.stringify(i.names) === JSON.stringify([`docker.io/library/busybox@sha256:${'a'.repeat(64)}`])));
    // describe.go's node describer prints no image list
    assert.doesNotMatch(c.ok(['describe', 'node', 'node01']), /nginx/);
  } finally {
    c.cleanup();
  }
});

test('an unschedulable pod is not tried again when only a node image list changed (nodeSchedulingPropertiesChange)', () => {
  const c = cluster({ seed: 'imgloc', init: ['--nodes', '2'] });
  try {
    apply(c, pod('big', 'nginx', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '64' } } }] }));
    const events = () => json(c, ['get', 'events', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling']).items.map((e) => e.count ?? 1);
    assert.deepEqual(events(), [1]);
    apply(c, pod('web', 'nginx:1.27'));
    c.at(LATER);
    assert.ok(node(c, 'node01').status.images.some((i) => i.names.includes('docker.io/library/nginx:1.27')));
    assert.deepEqual(events(), [1]);
  } finally {
    c.cleanup();
  }
});

// A worker with a large image already, the other without: python (387561792 bytes) on 1 of 3 nodes
// scales to int64(387561792 × 1/3) = 129187264; calculatePriority clamps to [23 MiB, 1000 MiB × the
// containers] and gives, for one container, 100 × (129187264 − 24117248) / (1048576000 − 24117248)
// = 10 (integer division), for two (init containers count) 100 × 105070016 / 2073034752 = 5.
// The resource scores (LeastAllocated + BalancedAllocation) leave node02 behind by `gap`, since it
// also runs the pod that pulled the image (kube-proxy, the puller and the new pod count with the
// non-zero defaults 100m / 200Mi where they request nothing; memory 4112048128 bytes, cpu 2):
// - puller without requests: node02 cpu (2000−300)×100/2000 = 85, memory (4112048128 − 600 MiB)
//   ×100/4112048128 = 84 → 84, balanced 100: 184 against node01's 90, 89 → 89, 100: 189 (gap 5);
// - puller requesting 10m / 10Mi: 89, 89 → 89, balanced 99: 188 (gap 1);
// - puller requesting cpu 100m: 85, 84 → 84, balanced (1 − 0.05/2) → 97: 181 (gap 8).
// The pod goes to node02 only when ImageLocality outweighs the gap. A pod naming the image short
// ("python:3.12") matches no status name (the nodes list docker.io/library/python:3.12).
const PY = 'docker.io/library/python:3.12';
const PLACEMENT = [
  { title: 'the full reference matches the node image name: 10 outweighs a gap of 5', image: PY, node: 'node02' },
  { title: 'a digest reference matches the repo digest name', image: `docker.io/library/python@${digest(PY)}`, node: 'node02' },
  { title: 'the short name matches nothing (normalizedImageName adds no registry): resources decide', image: 'python:3.12', node: 'node01' },
  { title: 'one container, 10 against a gap of 8', image: PY, puller: { cpu: '100m' }, node: 'node02' },
  { title: 'an init container image is summed: 5 against a gap of 1', image: 'nginx', init: PY, puller: { cpu: '10m', memory: '10Mi' }, node: 'node02' },
  { title: 'an init container is counted in the containers: 5 against a gap of 8', image: 'nginx', init: PY, puller: { cpu: '100m' }, node: 'node01' },
];
for (const k of PLACEMENT) {
  test(`ImageLocality: ${k.title}`, () => {
    const c = cluster({ seed: 'imgloc', init: ['--nodes', '3'] });
    try {
      const puller = { name: 'c', image: PY, command: ['sleep', '86400'], ...(k.puller ? { resources: { requests: k.puller } } : {}) };
      apply(c, pod('puller', PY, { nodeName: 'node02', containers: [puller] }));
      c.at(LATER);
      assert.ok(node(c, 'node02').status.images.some((i) => i.names.includes(PY)));
      const spec = k.init ? { initContainers: [{ name: 'i', image: k.init, command: ['true'] }] } : {};
      apply(c, pod('p', k.image, spec));
      assert.equal(json(c, ['get', 'pod', 'p']).spec.nodeName, k.node);
    } finally {
      c.cleanup();
    }
  });
}

test('cluster init labels: the kubelet and kubeadm ones, zone and region with --zones, no failure-domain.beta labels', () => {
  const c = cluster({ seed: 'imgloc', init: ['--nodes', '2'] });
  try {
    const labels = (n) => node(c, n).metadata.labels;
    assert.deepEqual(labels('node01'), {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'node01',
      'kubernetes.io/os': 'linux',
    });
    assert.equal(labels('controlplane')['node-role.kubernetes.io/control-plane'], '');
    const CASES = [
      [['--zones', '2'], 'region-1', ['zone-a', 'zone-b']],
      [['--zones', 'us-east-1a,us-east-1b'], 'us-east-1', ['us-east-1a', 'us-east-1b']],
      [['--zones', 'europe-west1-b,europe-west1-c'], 'europe-west1', ['europe-west1-b', 'europe-west1-c']],
      [['--zones', 'us-east-1a,eu-west-1a'], 'region-1', ['us-east-1a', 'eu-west-1a']],
    ];
    for (const [flags, region, zones] of CASES) {
      c.ok(['cluster', 'init', '--force', '--nodes', '2', ...flags]);
      const all = json(c, ['get', 'nodes']).items.map((n) => n.metadata.labels);
      assert.deepEqual(all.map((l) => [l['topology.kubernetes.io/region'], l['topology.kubernetes.io/zone']]), zones.map((z) => [region, z]), flags.join(' '));
      assert.ok(all.every((l) => !Object.keys(l).some((k) => k.startsWith('failure-domain.beta.kubernetes.io/'))));
    }
  } finally {
    c.cleanup();
  }
});
