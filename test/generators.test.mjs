// Issue 4: kubectl's generators, compared byte for byte with real kubectl running offline
// (`--dry-run=client`), errors included (stderr and exit code). klog's time and pid prefix is masked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cluster, hasKubectl } from './helpers.mjs';

const c = cluster({ seed: 'generators' });
after(() => c.cleanup());

const CASES = [
  'create deployment web --image=nginx',
  'create deployment web --image=nginx:1.27 --replicas=3',
  'create deployment web --image=nginx --port=80',
  'create deployment web --image=nginx --image=redis --replicas=2 --port=8080',
  'create deployment web --image=registry.k8s.io/pause:3.9',
  'create deployment api --image=ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'create deployment web --image=nginx -n team-a',
  'create deployment web --image=nginx --replicas=0',
  'create deploy web --image=nginx',
  'create deployment web',
  'create deployment --image=nginx',
  'create deployment a b --image=nginx',
  'create service clusterip my-cs --tcp=5678:8080',
  'create service clusterip my-cs --tcp=80',
  'create service clusterip my-cs --tcp=80 --tcp=443:8443',
  'create service clusterip my-cs --tcp=80:http',
  'create service clusterip my-cs --clusterip=None',
  'create service clusterip my-cs --clusterip=10.96.0.50 --tcp=80',
  'create service clusterip my-cs',
  'create service clusterip my-cs --tcp=abc',
  'create service clusterip my-cs --tcp=70000',
  'create service clusterip my-cs --tcp=80:0',
  'create service clusterip my-cs --tcp=80:Bad_Name',
  'create service nodeport ns --tcp=5678:8080',
  'create service nodeport ns --tcp=5678:8080 --node-port=30080',
  'create service nodeport ns --tcp=80 --tcp=443',
  'create service nodeport ns',
  'create service loadbalancer lb --tcp=80',
  'create service loadbalancer lb --tcp=80 --tcp=443:8443',
  'create service externalname my-ns --external-name bar.com',
  'create service externalname my-ns --external-name bar.com --tcp=80',
  'create service externalname my-ns',
  'create service externalname my-ns --external-name Bad_Name',
  'create svc clusterip web --tcp=80 -n team-a',
  'create namespace foo',
  'create ns foo',
];

/** klog's time and pid differ run to run; kubectl names itself where kubesim names kubesim */
function norm(s) {
  return s.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ run\.go:72\]/gm, 'E0000 00:00:00.000000 PID run.go:72]').replaceAll('kubectl', 'kubesim');
}

test('generators match kubectl --dry-run=client: -o yaml, -o json, -o name and the plain line', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  let compared = 0;
  for (const line of CASES) {
    for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
      const args = [...line.split(' '), '--dry-run=client', ...out];
      const k = spawnSync('kubectl', args, { encoding: 'utf8' });
      const s = c.run(args);
      const label = args.join(' ');
      assert.equal(s.code, k.status, `${label}: exit code (stderr ${s.stderr})`);
      assert.equal(s.stdout, k.stdout, `${label}: stdout`);
      assert.equal(norm(s.stderr), norm(k.stderr), `${label}: stderr`);
      compared++;
    }
  }
  assert.ok(compared >= 4 * 30);
});

test('without --dry-run the generated objects are created', () => {
  assert.equal(c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80']), 'deployment.apps/web created\n');
  assert.equal(JSON.parse(c.ok(['get', 'pods', '-o', 'json'])).items.length, 2);
  assert.equal(c.ok(['create', 'service', 'nodeport', 'web', '--tcp=80:80']), 'service/web created\n');
  // while nginx pulls (≈3.3 s) the pods are not ready; 10 s later both are endpoints
  assert.equal(JSON.parse(c.ok(['get', 'ep', 'web', '-o', 'json'])).subsets[0].notReadyAddresses.length, 2);
  c.at('2025-03-01T12:00:10Z');
  assert.equal(JSON.parse(c.ok(['get', 'ep', 'web', '-o', 'json'])).subsets[0].addresses.length, 2);
  const bad = c.run(['create', 'service', 'clusterip', 'My_Svc', '--tcp=80']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: failed to create ClusterIP service: Service "My_Svc" is invalid: metadata\.name: Invalid value: "My_Svc": a DNS-1035 label/);
});

test('run: kubectl\'s pod (and --expose service), checked against pkg/cmd/run', () => {
  assert.equal(c.ok(['run', 'nginx', '--image=nginx', '--port=80', '--dry-run=client', '-o', 'yaml']), [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  creationTimestamp: null', '  labels:', '    run: nginx', '  name: nginx', 'spec:', '  containers:',
    '  - image: nginx', '    name: nginx', '    ports:', '    - containerPort: 80', '    resources: {}', '  dnsPolicy: ClusterFirst', '  restartPolicy: Always', 'status: {}', '',
  ].join('\n'));
  assert.match(c.ok(['run', 'bb', '--image=busybox', '--restart=Never', '--env=A=1', '--labels=app=bb', '--dry-run=client', '-o', 'yaml', '--', 'sleep', '3600']),
    /  - args:\n    - sleep\n    - "3600"\n    env:\n    - name: A\n      value: "1"\n    image: busybox\n/);
  assert.match(c.ok(['run', 'bb', '--image=busybox', '--command', '--dry-run=client', '-o', 'yaml', '--', 'sh', '-c', 'echo hi']), /  - command:\n    - sh\n    - -c\n    - echo hi\n/);
  assert.equal(c.ok(['run', 'web2', '--image=nginx', '--port=80', '--expose']), 'service/web2 created\npod/web2 created\n');
  assert.equal(JSON.parse(c.ok(['get', 'ep', 'web2', '-o', 'json'])).subsets[0].ports[0].port, 80);
  assert.match(c.run(['run', 'x']).stderr, /"command failed" err="required flag\(s\) \\"image\\" not set"\n$/);
});

test('expose: selector, ports and labels read from the object', () => {
  assert.equal(c.ok(['expose', 'deployment', 'web', '--port=8080', '--target-port=80', '--name=web-int', '--dry-run=client', '-o', 'yaml']), [
    'apiVersion: v1', 'kind: Service', 'metadata:', '  creationTimestamp: null', '  labels:', '    app: web', '  name: web-int', 'spec:', '  ports:',
    '  - port: 8080', '    protocol: TCP', '    targetPort: 80', '  selector:', '    app: web', 'status:', '  loadBalancer: {}', '',
  ].join('\n'));
  assert.equal(c.ok(['expose', 'deploy/web', '--type=NodePort', '--name=web-np']), 'service/web-np exposed\n');
  const svc = JSON.parse(c.ok(['get', 'svc', 'web-np', '-o', 'json']));
  assert.equal(svc.spec.ports[0].port, 80, 'the port comes from the container port');
  assert.ok(svc.spec.ports[0].nodePort >= 30000);
  assert.equal(c.run(['expose', 'deploy', 'nope', '--port=80']).stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  c.ok(['run', 'noport', '--image=busybox']);
  assert.equal(c.run(['expose', 'pod', 'noport']).stderr, "error: couldn't find port via --port flag or introspection\nSee 'kubesim expose -h' for help and examples\n");
});

// kubectl's create subcommands wrap the apiserver's refusal in their Run (`fmt.Errorf("failed to create
// deployment: %v", err)`: create_deployment.go, create_service.go "failed to create %s service: %v",
// create_job.go, create_cronjob.go, create_serviceaccount.go, create_rolebinding.go,
// create_clusterrolebinding.go; the format strings are in the kubectl 1.32 binary), while create role,
// clusterrole and namespace return it as is ("Error from server (AlreadyExists): …").
test('create subcommands report a refusal as their Run wraps it', () => {
  const cases = [
    [['create', 'deployment', 'wrap-d', '--image=nginx'], 'error: failed to create deployment: deployments.apps "wrap-d" already exists'],
    [['create', 'service', 'clusterip', 'wrap-s', '--tcp=80'], 'error: failed to create ClusterIP service: services "wrap-s" already exists'],
    [['create', 'service', 'nodeport', 'wrap-np', '--tcp=80'], 'error: failed to create NodePort service: services "wrap-np" already exists'],
    [['create', 'job', 'wrap-j', '--image=busybox'], 'error: failed to create job: jobs.batch "wrap-j" already exists'],
    [['create', 'cronjob', 'wrap-cj', '--image=busybox', '--schedule=* * * * *'], 'error: failed to create cronjob: cronjobs.batch "wrap-cj" already exists'],
    [['create', 'serviceaccount', 'wrap-sa'], 'error: failed to create serviceaccount: serviceaccounts "wrap-sa" already exists'],
    [['create', 'rolebinding', 'wrap-rb', '--role=r', '--user=u'], 'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "wrap-rb" already exists'],
    [['create', 'clusterrolebinding', 'wrap-crb', '--clusterrole=r', '--user=u'], 'error: failed to create clusterrolebinding: clusterrolebindings.rbac.authorization.k8s.io "wrap-crb" already exists'],
    [['create', 'role', 'wrap-r', '--verb=get', '--resource=pods'], 'Error from server (AlreadyExists): roles.rbac.authorization.k8s.io "wrap-r" already exists'],
    [['create', 'namespace', 'wrap-ns'], 'Error from server (AlreadyExists): namespaces "wrap-ns" already exists'],
  ];
  for (const [args, err] of cases) {
    c.ok(args);
    const r = c.run(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr, err + '\n', args.join(' '));
    assert.equal(r.stdout, '');
  }
});
