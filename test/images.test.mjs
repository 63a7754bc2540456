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
  c.ok(['set', 'image', 'deployment/stuck', 'nginx=nginx:1.161']);
  const pods = c.ok(['get', 'pods', '-l', 'app=stuck', '--no-headers']).trim().split('\n').map((l) => l.split(/\s+/)[2]);
  assert.ok(pods.includes('ErrImagePull'), pods.join(' '));
  assert.equal(pods.filter((s) => s === 'Running').length, 2, 'the old pods keep serving');
});

test('ErrImagePull, then ImagePullBackOff on the next command, with the kubelet\'s events; set image fixes it', () => {
  c.ok(['run', 'typo', '--image=ngnix']);
  assert.equal(status('typo'), 'ErrImagePull');
  assert.equal(c.ok(['get', 'pod', 'typo']).split('\n')[1], 'typo   0/1     ErrImagePull   0          0s');
  c.ok(['run', 'bad', '--image=NGINX']);
  assert.equal(status('typo'), 'ImagePullBackOff');
  assert.equal(status('bad'), 'InvalidImageName');
  const d = c.ok(['describe', 'pod', 'typo']);
  assert.match(d, /Warning  Failed     0s    kubelet            Error: ErrImagePull\n/);
  assert.match(d, /Normal   BackOff    0s    kubelet            Back-off pulling image "ngnix"\n/);
  assert.match(d, /State:          Waiting\n      Reason:       ImagePullBackOff\n/);
  assert.match(c.ok(['describe', 'pod', 'bad']), /Warning  InspectFailed  0s    kubelet            Failed to apply default image tag "NGINX"/);
  c.ok(['set', 'image', 'pod/typo', 'typo=nginx']);
  assert.equal(status('typo'), 'Running');
});

test('a rollout to an image that cannot be pulled stalls, the old pods keep serving', () => {
  c.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
  c.ok(['set', 'image', 'deploy/web', 'nginx=nginxx']);
  // maxSurge 1, maxUnavailable 0: one new pod is tried, both old ones stay
  assert.equal(c.ok(['get', 'deploy', 'web']), 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     1            2           0s\n');
  const r = c.run(['rollout', 'status', 'deploy/web', '--watch=false']);
  assert.deepEqual([r.code, r.stdout], [0, 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n']);
  c.ok(['rollout', 'undo', 'deploy/web']);
  assert.equal(c.ok(['rollout', 'status', 'deploy/web']), 'deployment "web" successfully rolled out\n');
});
