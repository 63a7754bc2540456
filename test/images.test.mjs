// Issue 4: the image rule (README "Images"): invalid references, unreachable registries and
// misspelt official images fail the way a kubelet reports them; fixing the image starts the pod.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cluster } from './helpers.mjs';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const c = cluster({ seed: 'images' });
after(() => c.cleanup());
const status = (name) => c.ok(['get', 'pod', name, '--no-headers']).split(/\s+/)[2];

test('the pull rule', () => {
  assert.deepEqual(lib.pullImage('nginx'), { ok: true });
  assert.deepEqual(lib.pullImage('nginx:1.27-alpine'), { ok: true });
  assert.deepEqual(lib.pullImage('registry.k8s.io/pause:3.9'), { ok: true });
  assert.deepEqual(lib.pullImage('bitnami/redis'), { ok: true });
  assert.equal(lib.pullImage('NGINX').reason, 'InvalidImageName');
  assert.equal(lib.pullImage('NGINX').message, 'Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": invalid reference format: repository name (library/NGINX) must be lowercase');
  assert.equal(lib.pullImage('nginx:bad tag').reason, 'InvalidImageName');
  assert.equal(lib.pullImage('ngnix').reason, 'ErrImagePull');
  assert.match(lib.pullImage('ngnix').message, /pull access denied, repository does not exist or may require authorization/);
  assert.match(lib.pullImage('registry.internal.corp/app:1').message, /dial tcp: lookup registry\.internal\.corp: no such host$/);
});

// Issue 14: every public registry pulls (the docs' hello-app and guestbook images); what fails is what
// fails on a real node: a name that cannot resolve, a misspelt official image, a tag that never existed
test('public registries pull; unresolvable hosts and tags that never existed fail as containerd says', () => {
  const cases = [
    ['us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0', true],
    ['gcr.io/google-samples/hello-app:2.0', true],
    ['quay.io/prometheus/prometheus:v2.53.0', true],
    ['localhost:5000/app:1', true],
    ['nginx:1.27-alpine', true],
    ['nginx:1.29.1', true],
    ['nginx:stable', true],
    ['redis:7.2', true],
    ['nosuch.invalid/app:1', false],
    ['myreg.local/app', false],
    ['example.com/app:1', false],
    ['nginx:1.161', false],
    ['nginx:2', false],
    ['redis:9', false],
  ];
  for (const [image, ok] of cases) assert.equal(lib.pullImage(image).ok, ok, image);
  assert.equal(
    lib.pullImage('nginx:1.161').message,
    'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found',
  );
  assert.equal(
    lib.pullImage('example.com/app:1').message,
    'failed to pull and unpack image "example.com/app:1": failed to resolve reference "example.com/app:1": failed to do request: Head "https://example.com/v2/app/manifests/1": dial tcp: lookup example.com: no such host',
  );
  // a Deployment rolled out to a tag that does not exist stalls, as the docs' rollout tutorial shows
  c.ok(['create', 'deployment', 'stuck', '--image=nginx:1.27', '--replicas=2']);
  c.at('2025-03-01T12:00:10Z'); // the old pods have pulled nginx:1.27 and run
  c.ok(['set', 'image', 'deployment/stuck', 'nginx=nginx:1.161']);
  const pods = c.ok(['get', 'pods', '-l', 'app=stuck', '--no-headers']).trim().split('\n').map((l) => l.split(/\s+/)[2]);
  assert.ok(pods.includes('ErrImagePull'), pods.join(' '));
  assert.equal(pods.filter((s) => s === 'Running').length, 2, 'the old pods keep serving');
});

test('ErrImagePull at the failed pull, ImagePullBackOff a second later, a retry after 10 s, with the kubelet\'s events; set image fixes it', () => {
  c.at('2025-03-01T12:01:00Z');
  c.ok(['run', 'typo', '--image=ngnix']);
  assert.equal(status('typo'), 'ErrImagePull');
  assert.equal(c.ok(['get', 'pod', 'typo']).split('\n')[1], 'typo   0/1     ErrImagePull   0          0s');
  c.ok(['run', 'bad', '--image=NGINX']);
  assert.equal(status('bad'), 'InvalidImageName');
  c.at('2025-03-01T12:01:01Z');
  assert.equal(status('typo'), 'ImagePullBackOff');
  assert.equal(status('bad'), 'InvalidImageName', 'an invalid name is not retried');
  const d = c.ok(['describe', 'pod', 'typo']);
  assert.match(d, /Warning  Failed     1s    kubelet            Error: ErrImagePull\n/);
  assert.match(d, /Normal   BackOff    0s    kubelet            Back-off pulling image "ngnix"\n/);
  assert.match(d, /State:          Waiting\n      Reason:       ImagePullBackOff\n/);
  assert.match(c.ok(['describe', 'pod', 'bad']), /Warning  InspectFailed  1s    kubelet            Failed to apply default image tag "NGINX"/);
  // the first retry, 10 s after the failed pull: ErrImagePull again, the events aggregated
  c.at('2025-03-01T12:01:10Z');
  assert.equal(status('typo'), 'ErrImagePull');
  assert.match(c.ok(['describe', 'pod', 'typo']), /Warning  Failed     0s \(x2 over 10s\)  kubelet            Error: ErrImagePull\n/);
  c.at('2025-03-01T12:01:11Z');
  assert.equal(status('typo'), 'ImagePullBackOff');
  // a new image is not under the old one's back-off: it is pulled at once (nginx ≈3.3 s)
  c.ok(['set', 'image', 'pod/typo', 'typo=nginx']);
  assert.equal(status('typo'), 'ContainerCreating');
  c.at('2025-03-01T12:01:20Z');
  assert.equal(status('typo'), 'Running');
});

test('a rollout to an image that cannot be pulled stalls, the old pods keep serving', () => {
  c.at('2025-03-01T12:02:00Z');
  c.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
  c.at('2025-03-01T12:02:10Z');
  c.ok(['set', 'image', 'deploy/web', 'nginx=nginxx']);
  // maxSurge 1, maxUnavailable 0: one new pod is tried, both old ones stay
  assert.equal(c.ok(['get', 'deploy', 'web']), 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     1            2           10s\n');
  const r = c.run(['rollout', 'status', 'deploy/web', '--watch=false']);
  assert.deepEqual([r.code, r.stdout], [0, 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n']);
  c.ok(['rollout', 'undo', 'deploy/web']);
  assert.equal(c.ok(['rollout', 'status', 'deploy/web']), 'deployment "web" successfully rolled out\n');
});
