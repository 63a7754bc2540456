// Issue 18, serve-core: `kubesim serve` answers the real kubectl 1.32 (discovery, REST, Tables,
// Status errors), and what kubectl prints through it is what kubesim's own CLI prints on the same
// state (the same simulated clock: the server runs with the test's KUBESIM_NOW).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { cluster } from './helpers.mjs';
import { hasKubectl, startServe } from './serve-helpers.mjs';

const skip = hasKubectl() ? false : 'kubectl is not on PATH';
const c = cluster({ seed: 'serve-core', init: [] });
let s;
before(async () => {
  if (!skip) s = await startServe(c);
});
after(async () => {
  await s?.stop();
  c.cleanup();
});

/** kubectl through the server, insisting on success */
const k = (args, opts) => {
  const r = s.kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};

test('serve prints its address and writes serve.json and a kubeconfig with the kubesim context', { skip }, () => {
  assert.match(s.output(), /^Serving the kubesim API at http:\/\/127\.0\.0\.1:\d+ /);
  assert.match(s.output(), /export KUBECONFIG=.*kubeconfig-serve/);
  const info = JSON.parse(readFileSync(`${c.dir}/serve.json`, 'utf8'));
  assert.equal(info.url, s.url);
  assert.equal(typeof info.pid, 'number');
  assert.equal(k(['config', 'current-context']), 'kubesim\n');
});

test('version: the server is v1.32 (the dispatcher runs kubectl 1.32)', { skip }, () => {
  assert.match(k(['version']), /Server Version: v1\.32\.2\n/);
  const v = JSON.parse(k(['version', '-o', 'json']));
  assert.equal(v.serverVersion.minor, '32');
  assert.equal(v.serverVersion.gitVersion, 'v1.32.2');
});

test('api-resources through serve (aggregated discovery) prints what kubesim prints', { skip }, () => {
  for (const extra of [[], ['-o', 'wide'], ['-o', 'name'], ['--namespaced=false']]) {
    assert.equal(k(['api-resources', ...extra]), c.ok(['api-resources', ...extra]), extra.join(' '));
  }
});

test('discovery: aggregated v2 and v2beta1 by Accept, legacy lists with subresources', { skip }, async () => {
  const get = async (path, accept) => {
    const r = await fetch(s.url + path, { headers: accept ? { accept } : {} });
    return { type: r.headers.get('content-type'), body: await r.json(), status: r.status };
  };
  for (const v of ['v2', 'v2beta1']) {
    const r = await get('/apis', `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json`);
    assert.equal(r.type, `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
    assert.equal(r.body.apiVersion, `apidiscovery.k8s.io/${v}`);
    const apps = r.body.items.find((g) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((x) => x.resource === 'deployments');
    assert.deepEqual(deploy.subresources.map((x) => x.subresource), ['scale', 'status']);
    assert.deepEqual(deploy.subresources[0].responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  }
  const core = await get('/api/v1');
  assert.equal(core.body.kind, 'APIResourceList');
  const names = core.body.resources.map((x) => x.name);
  for (const n of ['pods', 'pods/log', 'pods/exec', 'pods/eviction', 'pods/status', 'services/status']) assert.ok(names.includes(n), n);
  assert.deepEqual(core.body.resources.find((x) => x.name === 'pods/eviction'), { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  assert.deepEqual((await get('/api')).body.versions, ['v1']);
  const root = (await get('/')).body.paths;
  for (const p of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/apis/autoscaling/v1', '/apis/autoscaling/v2', '/version']) assert.ok(root.includes(p), p);
  assert.deepEqual((await get('/apis/apps')).body.preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
  const missing = await get('/apis/nope/v1');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
});

test('get --chunk-size pages with limit and continue and prints the same table', { skip }, async () => {
  assert.equal(k(['get', 'pods', '-A', '--chunk-size=2']), c.ok(['get', 'pods', '-A']));
  const page = await (await fetch(`${s.url}/api/v1/namespaces/kube-system/pods?limit=3`)).json();
  assert.equal(page.items.length, 3);
  assert.equal(typeof page.metadata.continue, 'string');
  assert.equal(page.metadata.remainingItemCount > 0, true);
  const next = await (await fetch(`${s.url}/api/v1/namespaces/kube-system/pods?limit=3&continue=${encodeURIComponent(page.metadata.continue)}`)).json();
  assert.notEqual(next.items[0].metadata.name, page.items[2].metadata.name);
  assert.ok(next.items[0].metadata.name > page.items[2].metadata.name);
});

// each row: kubectl's args through the server = kubesim's args on the same state
const SAME = [
  ['get', 'pods', '-A'],
  ['get', 'pods', '-A', '-o', 'wide'],
  ['get', 'nodes'],
  ['get', 'nodes', '-o', 'wide'],
  ['get', 'all', '-A'],
];
for (const args of SAME) {
  test(`kubectl ${args.join(' ')} through serve prints what kubesim prints`, { skip }, () => {
    assert.equal(k(args), c.ok(args));
  });
}

test('a missing object is the apiserver NotFound Status kubectl prints', { skip }, () => {
  const r = s.kubectl(['get', 'pod', 'nope']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  assert.equal(r.stderr, c.run(['get', 'pod', 'nope']).stderr);
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`;

test('create -f, run and expose through serve: kubectl prints what kubesim prints, and the objects are there', { skip }, () => {
  assert.equal(k(['create', '-f', '-', '--validate=false'], { input: deployment }), 'deployment.apps/web created\n');
  assert.equal(k(['run', 'p1', '--image=nginx', '--labels=run=p1']), 'pod/p1 created\n');
  assert.equal(k(['expose', 'deployment', 'web', '--port', '80']), 'service/web exposed\n');
  for (const args of [
    ['get', 'deploy,rs,pods,svc'],
    ['get', 'pods', '-o', 'wide'],
    ['get', 'pods', '-l', 'app=web'],
    ['get', 'pods', '--field-selector', 'metadata.name=p1'],
    ['get', 'svc', 'web', '-o', 'yaml'],
    ['get', 'deploy', 'web', '-o', 'json'],
    ['get', 'pods', '-o', 'name'],
    ['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'],
  ]) {
    assert.equal(k(args), c.ok(args), args.join(' '));
  }
});

test('create of an existing object is the AlreadyExists kubectl prints', { skip }, () => {
  const r = s.kubectl(['create', '-f', '-', '--validate=false'], { input: deployment });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "web" already exists\n');
  assert.equal(r.stderr, c.run(['create', '-f', '-'], { input: deployment }).stderr);
});

test('an invalid object is the Invalid Status with its causes, as kubectl prints it', { skip }, () => {
  const bad = deployment.replace('replicas: 2', 'replicas: -1').replace('name: web\nspec', 'name: bad\nspec');
  const r = s.kubectl(['create', '-f', '-', '--validate=false'], { input: bad });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, c.run(['create', '-f', '-'], { input: bad }).stderr);
  assert.match(r.stderr, /^The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n$/);
});

test('label, annotate, scale and the three patch types through serve', { skip }, () => {
  assert.equal(k(['label', 'deploy', 'web', 'tier=fe']), 'deployment.apps/web labeled\n');
  assert.equal(k(['annotate', 'deploy', 'web', 'note=x']), 'deployment.apps/web annotated\n');
  assert.equal(k(['scale', 'deploy', 'web', '--replicas=3']), 'deployment.apps/web scaled\n');
  assert.equal(k(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":1}}']), 'deployment.apps/web patched\n');
  assert.equal(k(['patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']), 'deployment.apps/web patched\n');
  assert.equal(k(['patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"2"}]']), 'deployment.apps/web patched\n');
  const d = JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.deepEqual(d.metadata.labels, { j: '2', m: '1', tier: 'fe' });
  assert.equal(d.metadata.annotations.note, 'x');
  assert.equal(d.spec.replicas, 1);
  assert.equal(k(['get', 'deploy', 'web', '--show-labels']), c.ok(['get', 'deploy', 'web', '--show-labels']));
  // the scale subresource as kubectl reads it
  assert.equal(k(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale']).includes('"replicas":1'), true);
});

test('describe service and deployment: kubectl renders them client-side from what serve answers', { skip }, () => {
  assert.equal(k(['describe', 'service', 'web']), c.ok(['describe', 'service', 'web']));
  // event ages are kubectl's own clock against the simulated one: compare the rest
  const noAges = (t) => t.replace(/^  (Normal|Warning) .*$/gm, (l) => l.trim().split(/\s+/).filter((_, i) => i !== 2).join(' ')).replace(/^  Type +Reason +Age +From .*\n  ----.*$/m, 'EVENTS');
  assert.equal(noAges(k(['describe', 'deployment', 'web'])), noAges(c.ok(['describe', 'deployment', 'web'])));
});

test('delete through serve', { skip }, () => {
  assert.equal(k(['delete', 'deploy', 'web', '--wait=false']), 'deployment.apps "web" deleted\n');
  assert.equal(c.run(['get', 'deploy', 'web']).stderr, 'Error from server (NotFound): deployments.apps "web" not found\n');
  assert.equal(k(['delete', 'svc', 'web', '--wait=false']), 'service "web" deleted\n');
  const r = s.kubectl(['delete', 'svc', 'web']);
  assert.equal(r.stderr, 'Error from server (NotFound): services "web" not found\n');
});

// kubectl's typed generators send protobuf (client-go's clientset default): decoded into the JSON
// the same Go struct gives, the object is the one kubesim's own generator makes
const GENERATORS = [
  ['deployment', 'web2', ['create', 'deployment', 'web2', '--image=nginx', '--replicas=2', '--port=80']],
  ['configmap', 'c2', ['create', 'configmap', 'c2', '--from-literal=a=b', '--from-literal=c=d']],
  ['secret', 's2', ['create', 'secret', 'generic', 's2', '--from-literal=x=y']],
  ['service', 's3', ['create', 'service', 'nodeport', 's3', '--tcp=80:8080']],
  ['job', 'j2', ['create', 'job', 'j2', '--image=busybox', '--', 'echo', 'hi']],
  ['cronjob', 'cj2', ['create', 'cronjob', 'cj2', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']],
  ['pdb', 'p2', ['create', 'pdb', 'p2', '--selector=app=x', '--min-available=1']],
  ['role', 'r2', ['create', 'role', 'r2', '--verb=get', '--resource=pods']],
  ['quota', 'q2', ['create', 'quota', 'q2', '--hard=pods=3']],
  ['serviceaccount', 'sa2', ['create', 'serviceaccount', 'sa2']],
  ['ingress', 'i2', ['create', 'ingress', 'i2', '--rule=a.com/=svc:80']],
  ['rolebinding', 'rb2', ['create', 'rolebinding', 'rb2', '--clusterrole=view', '--user=bob']],
];
/** what differs between two creations of the same object: identity, allocations, the job's uid labels */
const comparable = (text) => {
  const o = JSON.parse(text);
  const strip = (m) => {
    if (!m) return;
    for (const k of ['uid', 'resourceVersion', 'namespace', 'creationTimestamp']) delete m[k];
    for (const l of [m.labels, m.matchLabels]) if (l) for (const k of ['batch.kubernetes.io/controller-uid', 'controller-uid']) delete l[k];
  };
  strip(o.metadata);
  strip(o.spec?.template?.metadata);
  strip(o.spec?.selector);
  delete o.status;
  if (o.kind === 'Service') {
    delete o.spec.clusterIP;
    delete o.spec.clusterIPs;
    for (const p of o.spec.ports) delete p.nodePort;
  }
  return o;
};

test('kubectl create <generator> (protobuf bodies) makes the object kubesim create makes', { skip }, () => {
  c.ok(['create', 'namespace', 'viacli']);
  assert.equal(k(['create', 'namespace', 'viaserve']), 'namespace/viaserve created\n');
  for (const [res, name, args] of GENERATORS) {
    assert.equal(k(['-n', 'viaserve', ...args]), c.ok(['-n', 'viacli', ...args]), args.join(' '));
    const viaServe = comparable(c.ok(['-n', 'viaserve', 'get', res, name, '-o', 'json']));
    const viaCli = comparable(c.ok(['-n', 'viacli', 'get', res, name, '-o', 'json']));
    assert.deepEqual(viaServe, viaCli, args.join(' '));
  }
});

test('apply --server-side through serve: created, conflicts as the apiserver words them, --force-conflicts, server dry run', { skip }, () => {
  const w = (replicas) => deployment.replace('name: web\n', 'name: ssa\n').replace('replicas: 2', `replicas: ${replicas}`);
  assert.equal(k(['apply', '--server-side', '-f', '-', '--validate=false'], { input: w(2) }), 'deployment.apps/ssa serverside-applied\n');
  assert.equal(c.ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.metadata.managedFields[*].manager}']), 'kubectl');
  // a client-side apply's fields, then a server-side apply that changes one: the 409 and kubectl's advice
  const csa = deployment.replace('name: web\n', 'name: csa\n');
  assert.equal(k(['apply', '-f', '-', '--validate=false'], { input: csa }), 'deployment.apps/csa created\n');
  const r = s.kubectl(['apply', '--server-side', '-f', '-', '--validate=false'], { input: csa.replace('replicas: 2', 'replicas: 3') });
  assert.equal(r.code, 1);
  const cli = cluster({ seed: 'serve-core' });
  try {
    cli.ok(['apply', '-f', '-'], { input: csa });
    assert.equal(r.stderr, cli.run(['apply', '--server-side', '-f', '-'], { input: csa.replace('replicas: 2', 'replicas: 3') }).stderr);
  } finally {
    cli.cleanup();
  }
  assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas\nPlease review the fields above/);
  const forced = ['apply', '--server-side', '--force-conflicts', '-f', '-', '--validate=false'];
  assert.equal(k([...forced, '--dry-run=server'], { input: csa.replace('replicas: 2', 'replicas: 3') }), 'deployment.apps/csa serverside-applied (server dry run)\n');
  assert.equal(c.ok(['get', 'deploy', 'csa', '-o', 'jsonpath={.spec.replicas}']), '2');
  assert.equal(k(forced, { input: csa.replace('replicas: 2', 'replicas: 3') }), 'deployment.apps/csa serverside-applied\n');
  assert.equal(c.ok(['get', 'deploy', 'csa', '-o', 'jsonpath={.spec.replicas}']), '3');
});

test('fieldValidation Warn sends Warning headers, Strict the BadRequest; a stale resourceVersion is the Conflict Status', { skip }, async () => {
  const post = (v, body) => fetch(`${s.url}/api/v1/namespaces/default/configmaps?fieldValidation=${v}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let r = await post('Warn', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned' }, data: { a: 'b' }, foo: 1 });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('warning'), '299 - "unknown field \\"foo\\""');
  r = await post('Strict', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, foo: 1 });
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"', reason: 'BadRequest', code: 400 });
  r = await fetch(`${s.url}/api/v1/namespaces/default/configmaps/warned`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warned', resourceVersion: '1' } }) });
  assert.equal(r.status, 409);
  assert.deepEqual(await r.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Operation cannot be fulfilled on configmaps "warned": the object has been modified; please apply your changes to the latest version and try again',
    reason: 'Conflict',
    details: { name: 'warned', kind: 'configmaps' },
    code: 409,
  });
  // the dry run answers the object and stores nothing
  r = await post('Strict', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } }).then(() => fetch(`${s.url}/api/v1/namespaces/default/configmaps/dry`));
  assert.equal(r.status, 200);
  r = await fetch(`${s.url}/api/v1/namespaces/default/configmaps?dryRun=All`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'notstored' } }) });
  assert.equal(r.status, 201);
  assert.equal((await fetch(`${s.url}/api/v1/namespaces/default/configmaps/notstored`)).status, 404);
});

test('replace, cordon, rollout restart and undo through serve', { skip }, () => {
  k(['create', 'deployment', 'roll', '--image=nginx']);
  const live = k(['get', 'deploy', 'roll', '-o', 'yaml']);
  assert.equal(k(['replace', '-f', '-', '--validate=false'], { input: live }), 'deployment.apps/roll replaced\n');
  k(['label', 'deploy', 'roll', 'changed=yes']);
  const stale = s.kubectl(['replace', '-f', '-', '--validate=false'], { input: live });
  assert.equal(stale.code, 1);
  assert.equal(stale.stderr, 'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on deployments.apps "roll": the object has been modified; please apply your changes to the latest version and try again\n');
  assert.equal(k(['cordon', 'node01']), 'node/node01 cordoned\n');
  assert.equal(k(['get', 'nodes']), c.ok(['get', 'nodes']));
  assert.equal(k(['uncordon', 'node01']), 'node/node01 uncordoned\n');
  assert.equal(k(['rollout', 'restart', 'deploy/roll']), 'deployment.apps/roll restarted\n');
  assert.equal(k(['rollout', 'history', 'deploy/roll']), c.ok(['rollout', 'history', 'deploy/roll']));
  assert.equal(k(['rollout', 'undo', 'deploy/roll']), 'deployment.apps/roll rolled back\n');
});

test('describe pod and node render client-side as kubesim renders them (event ages aside)', { skip }, () => {
  const ages = (t) => t.replace(/^  (Normal|Warning) .*$/gm, (l) => l.trim().split(/\s+/).filter((_, i) => i !== 2).join(' ')).replace(/^  Type +Reason +Age +From .*\n  ----.*$/m, 'EVENTS').replace(/ +\S+$/gm, '');
  assert.equal(ages(k(['describe', 'pod', 'p1'])), ages(c.ok(['describe', 'pod', 'p1'])));
  assert.equal(k(['describe', 'namespace', 'default']), c.ok(['describe', 'namespace', 'default']));
});

test('pods/eviction: a Success Status (201) and the pod is going; an unknown pod is NotFound', { skip }, async () => {
  const pod = JSON.parse(c.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'json'])).items[0].metadata.name;
  const evict = (name) =>
    fetch(`${s.url}/api/v1/namespaces/kube-system/pods/${name}/eviction`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'kube-system' } }),
    });
  let r = await evict(pod);
  assert.equal(r.status, 201);
  assert.deepEqual(await r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  assert.match(c.ok(['get', 'pod', pod, '-n', 'kube-system', '-o', 'jsonpath={.metadata.deletionTimestamp}']), /^\d{4}-/);
  r = await evict('nope');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).message, 'pods "nope" not found');
});

test('an admission refusal is the Forbidden Status kubectl prints, as kubesim prints it', { skip }, () => {
  c.ok(['create', 'namespace', 'quota']);
  c.ok(['create', 'quota', 'q', '-n', 'quota', '--hard=configmaps=1']);
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: over\n';
  const r = s.kubectl(['create', '-f', '-', '-n', 'quota', '--validate=false'], { input: cm });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": configmaps "over" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1\n');
  assert.equal(r.stderr, c.run(['create', '-f', '-', '-n', 'quota'], { input: cm }).stderr);
  const ns = s.kubectl(['create', 'configmap', 'x', '-n', 'nope']);
  assert.equal(ns.stderr, c.run(['create', 'configmap', 'x', '-n', 'nope']).stderr);
});

test('a second serve on the same state is refused while the first runs', { skip }, () => {
  const r = c.run(['serve', '--port', '0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `error: kubesim serve is already running for ${c.dir} at ${s.url} (pid ${s.child.pid})\n`);
});

test('SIGINT stops the server and removes serve.json', { skip }, async () => {
  const d = cluster({ seed: 'serve-core' });
  try {
    const other = await startServe(d);
    assert.ok(existsSync(`${d.dir}/serve.json`));
    const code = await other.stop('SIGINT');
    assert.equal(code, 0);
    assert.equal(existsSync(`${d.dir}/serve.json`), false);
  } finally {
    d.cleanup();
  }
});

test('serve --tls: https with a self-signed certificate the kubeconfig trusts', { skip }, async () => {
  const d = cluster({ seed: 'serve-core' });
  try {
    const t = await startServe(d, ['--tls']);
    try {
      assert.match(t.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const cfg = JSON.parse(readFileSync(t.kubeconfig, 'utf8'));
      assert.match(Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), /^-----BEGIN CERTIFICATE-----\n/);
      const r = t.kubectl(['get', 'nodes']);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, d.ok(['get', 'nodes']));
    } finally {
      await t.stop();
    }
  } finally {
    d.cleanup();
  }
});

test('serve refuses to listen on every interface', { skip }, () => {
  const r = c.run(['serve', '--port', '0', '--address', '0.0.0.0']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'error: kubesim serve will not listen on every interface (0.0.0.0): name one address with --address\n');
});
