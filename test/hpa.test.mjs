// Issue 15, part 7: HorizontalPodAutoscalers. `autoscale` as kubectl 1.32 (an autoscaling/v1
// object, compared live with kubectl against a discovery-only fake apiserver), the kind's get and
// describe (printHorizontalPodAutoscaler, describeHorizontalPodAutoscalerV2), v1 manifests converted
// to the stored v2, validation messages (pkg/apis/autoscaling/validation), and the controller on the
// simulated clock with the simulated CPU of the HPA walkthrough (php-apache and a load generator).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, hasKubectl } from './helpers.mjs';

const execFileP = promisify(execFile);

const PHP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

const HPA_V1 = (name = 'php-apache', extra = '') => `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
${extra}`;

const LOAD = ['run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done'];

const t = (hms) => `2025-03-01T${hms}Z`;
const row = (c, args) => c.ok([...args, '--no-headers']).trim().split(/\s+/).join(' ');

// ------------------------------------------------------------------ autoscale vs kubectl

/** Discovery and GETs, enough for kubectl autoscale's builder and scale-kind resolver. */
function fakeApiserver() {
  const scale = (name) => ({ name: `${name}/scale`, namespaced: true, kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  const res = (name, kind) => ({ name, singularName: '', namespaced: true, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] });
  const routes = {
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] },
    '/apis': {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
        { name: 'autoscaling', versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }], preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' } },
      ],
    },
    '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [res('pods', 'Pod'), res('services', 'Service')] },
    '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [res('deployments', 'Deployment'), scale('deployments'), res('replicasets', 'ReplicaSet'), scale('replicasets'), res('daemonsets', 'DaemonSet')] },
    '/apis/autoscaling/v2': { kind: 'APIResourceList', groupVersion: 'autoscaling/v2', resources: [res('horizontalpodautoscalers', 'HorizontalPodAutoscaler')] },
    '/apis/autoscaling/v1': { kind: 'APIResourceList', groupVersion: 'autoscaling/v1', resources: [res('horizontalpodautoscalers', 'HorizontalPodAutoscaler')] },
  };
  const kinds = { deployments: 'Deployment', replicasets: 'ReplicaSet' };
  const srv = http.createServer((req, r) => {
    const path = req.url.split('?')[0];
    let body = routes[path];
    const m = /^\/apis\/apps\/v1\/namespaces\/([\w-]+)\/(deployments|replicasets)\/([\w.-]+)$/.exec(path);
    if (m) body = { apiVersion: 'apps/v1', kind: kinds[m[2]], metadata: { name: m[3], namespace: m[1] }, spec: {} };
    if (!body) {
      r.writeHead(404, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
      return;
    }
    r.writeHead(200, { 'content-type': 'application/json' });
    r.end(JSON.stringify(body));
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

async function kubectl(server, args) {
  try {
    const r = await execFileP('kubectl', ['-s', `http://127.0.0.1:${server.address().port}`, ...args], { encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

test('autoscale prints and creates what kubectl 1.32 does: an autoscaling/v1 object (compared with kubectl live)', async (t) => {
  const c = cluster({ seed: 'autoscale', init: [] });
  after(() => c.cleanup());
  for (const name of ['php-apache', 'a', 'b']) c.ok(['create', 'deployment', name, '--image=registry.k8s.io/hpa-example']);
  c.ok(['create', '-f', '-'], { input: 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n' });
  const file = join(c.dir, 'deploy.yaml');
  writeFileSync(file, PHP.split('---')[0]);
  const cases = [
    ['deployment', 'php-apache', '--max', '10', '--cpu-percent', '50', '--dry-run=client', '-o', 'yaml'],
    ['-f', file, '--max', '5', '--min', '2', '--dry-run=client', '-o', 'yaml'],
    ['-f', file, '--max', '5', '--name', 'from-file', '--dry-run=client'],
    ['deployment/php-apache', '--max=10', '--min=2', '--name', 'foo', '--dry-run=client', '-o', 'json'],
    ['deployment', 'php-apache', '--max', '3', '--min', '0', '--cpu-percent=-3', '--dry-run=client', '-o', 'yaml'],
    ['deployment', 'php-apache', '--max', '3', '--min', '2', '--cpu-percent=0', '--dry-run=client', '-o', 'json'],
    ['deployment', 'php-apache', '--max', '3', '--dry-run=client'],
    ['deployment/a', 'deployment/b', '--max', '3', '--dry-run=client', '-o', 'name'],
    ['deployment', 'a', 'b', '--max', '3', '--dry-run=client'],
    ['replicaset', 'web', '--max', '4', '--cpu-percent', '70', '--dry-run=client', '-o', 'yaml'],
    ['replicaset/web', '--max', '4', '--dry-run=client', '-o', 'jsonpath={.spec.scaleTargetRef}'],
    // the flag checks come before anything is looked up
    ['deployment', 'php-apache', '--max', '0'],
    ['deployment', 'php-apache', '--max=-1'],
    ['deployment', 'php-apache', '--max', '2', '--min', '3'],
    ['deployment', 'php-apache', '--max', 'x'],
    ['--max', '3', '--dry-run=client'],
    ['deployment', '--max', '3', '--dry-run=client'],
  ];
  if (!hasKubectl()) {
    t.skip('kubectl is not on PATH: nothing to compare with');
    return;
  }
  const server = await fakeApiserver();
  after(() => server.close());
  for (const args of cases) {
    const want = await kubectl(server, ['autoscale', ...args]);
    const got = c.run(['autoscale', ...args]);
    assert.equal(got.stdout, want.stdout, `stdout of autoscale ${args.join(' ')}`);
    assert.equal(got.stderr, want.stderr.replace(/'kubectl /g, "'kubesim "), `stderr of autoscale ${args.join(' ')}`);
    assert.equal(got.code === 0, want.code === 0, `exit of autoscale ${args.join(' ')}`);
  }
  // cobra's missing required flag, through klog (its time and pid differ)
  const klog = (s) => s.replace(/^E\d{4} [\d:.]+ +\d+ /, '');
  const want = await kubectl(server, ['autoscale', 'deployment', 'php-apache']);
  const got = c.run(['autoscale', 'deployment', 'php-apache']);
  assert.equal(klog(got.stderr), klog(want.stderr));
  assert.equal(got.code, 1);
});

test('autoscale creates the HPA (stored as v2), refuses a taken name, a missing target, a kind without a scale', () => {
  const c = cluster({ seed: 'autoscale-create', init: [] });
  after(() => c.cleanup());
  c.ok(['create', 'deployment', 'web', '--image=nginx']);
  assert.equal(c.ok(['autoscale', 'deployment', 'web', '--max', '5', '--cpu-percent', '60']), 'horizontalpodautoscaler.autoscaling/web autoscaled\n');
  const hpa = JSON.parse(c.ok(['get', 'hpa', 'web', '-o', 'json']));
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.deepEqual(hpa.spec, {
    maxReplicas: 5,
    metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 60, type: 'Utilization' } }, type: 'Resource' }],
    minReplicas: 1,
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
  });
  const again = c.run(['autoscale', 'deployment', 'web', '--max', '5']);
  assert.deepEqual([again.code, again.stderr], [1, 'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n']);
  assert.equal(c.ok(['autoscale', 'deploy/web', '--max', '5', '--name', 'web2', '--dry-run=server']), 'horizontalpodautoscaler.autoscaling/web2 autoscaled (server dry run)\n');
  assert.match(c.run(['get', 'hpa', 'web2']).stderr, /NotFound/);
  const missing = c.run(['autoscale', 'deployment', 'nope', '--max', '5']);
  assert.deepEqual([missing.code, missing.stderr], [1, 'Error from server (NotFound): deployments.apps "nope" not found\n']);
  const pod = c.ok(['get', 'pods', '-o', 'name']).trim();
  const bad = c.run(['autoscale', pod, '--max', '5']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods in discovery information\n']);
  // no default cpu target from autoscale: the apiserver's default, 80%
  assert.equal(c.ok(['autoscale', 'deploy/web', '--max', '3', '--name', 'dflt']), 'horizontalpodautoscaler.autoscaling/dflt autoscaled\n');
  assert.match(row(c, ['get', 'hpa', 'dflt']), /^dflt Deployment\/web cpu: <unknown>\/80% 1 3 1 0s$/);
});

// ------------------------------------------------------------------ the kind

test('api-resources, short name, get columns (<unknown> before metrics, -o wide the same), delete', () => {
  const c = cluster({ seed: 'hpa-kind', init: [] });
  after(() => c.cleanup());
  assert.match(c.ok(['api-resources']), /\nhorizontalpodautoscalers +hpa +autoscaling\/v2 +true +HorizontalPodAutoscaler\n/);
  assert.match(c.ok(['api-resources', '-o', 'wide']), /\nhorizontalpodautoscalers +hpa +autoscaling\/v2 +true +HorizontalPodAutoscaler +create,delete,deletecollection,get,list,patch,update,watch +all\n/);
  c.ok(['apply', '-f', '-'], { input: PHP });
  assert.equal(c.ok(['create', '-f', '-'], { input: HPA_V1() }), 'horizontalpodautoscaler.autoscaling/php-apache created\n');
  // the pod is not running yet: no metrics, the first look failed
  const table = ['NAME         REFERENCE               TARGETS              MINPODS   MAXPODS   REPLICAS   AGE', 'php-apache   Deployment/php-apache   cpu: <unknown>/50%   1         10        1          0s', ''].join('\n');
  assert.equal(c.ok(['get', 'hpa']), table);
  assert.equal(c.ok(['get', 'hpa', '-o', 'wide']), table);
  assert.equal(c.ok(['get', 'horizontalpodautoscalers.autoscaling', 'php-apache', '-o', 'name']), 'horizontalpodautoscaler.autoscaling/php-apache\n');
  assert.match(c.ok(['get', 'all']), /\nNAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\nhorizontalpodautoscaler\.autoscaling\/php-apache +Deployment\/php-apache +cpu: <unknown>\/50% +1 +10 +1 +0s\n/);
  const hpa = JSON.parse(c.ok(['get', 'hpa', 'php-apache', '-o', 'json']));
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.deepEqual(hpa.spec.metrics, [{ resource: { name: 'cpu', target: { averageUtilization: 50, type: 'Utilization' } }, type: 'Resource' }]);
  assert.equal(hpa.spec.targetCPUUtilizationPercentage, undefined);
  assert.deepEqual(hpa.status.currentMetrics, [{ type: '' }]);
  assert.equal(hpa.status.currentReplicas, 1);
  assert.equal(hpa.status.desiredReplicas, 0);
  // once the pod has run a while the metrics are there
  c.at(t('12:01:00'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 0%/50% 1 10 1 60s');
  assert.match(c.ok(['explain', 'hpa.spec']), /^GROUP: +autoscaling\nKIND: +HorizontalPodAutoscaler\nVERSION: +v2\n\nFIELD: spec <HorizontalPodAutoscalerSpec>\n/);
  assert.match(c.ok(['explain', 'hpa.spec']), /\n  maxReplicas\t<integer> -required-\n    maxReplicas is the upper limit/);
  assert.equal(c.ok(['delete', 'hpa', 'php-apache']), 'horizontalpodautoscaler.autoscaling "php-apache" deleted\n');
  assert.equal(c.run(['get', 'hpa']).stderr, 'No resources found in default namespace.\n');
});

test('a v1 manifest is converted; apply at v1 updates the stored v2; a v2 manifest with a behavior', () => {
  const c = cluster({ seed: 'hpa-versions', init: [] });
  after(() => c.cleanup());
  assert.equal(c.ok(['apply', '-f', '-'], { input: HPA_V1('h') }), 'horizontalpodautoscaler.autoscaling/h created\n');
  assert.equal(c.ok(['apply', '-f', '-'], { input: HPA_V1('h') }), 'horizontalpodautoscaler.autoscaling/h unchanged\n');
  assert.equal(c.ok(['apply', '-f', '-'], { input: HPA_V1('h').replace('targetCPUUtilizationPercentage: 50', 'targetCPUUtilizationPercentage: 70') }), 'horizontalpodautoscaler.autoscaling/h configured\n');
  assert.equal(JSON.parse(c.ok(['get', 'hpa', 'h', '-o', 'json'])).spec.metrics[0].resource.target.averageUtilization, 70);
  // read at v1: the cpu target and utilization in v1's fields, the rest in the round-trip annotations
  const v1 = JSON.parse(c.ok(['get', 'hpa.v1.autoscaling', 'h', '-o', 'json']));
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.deepEqual(v1.spec, { maxReplicas: 10, minReplicas: 1, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, targetCPUUtilizationPercentage: 70 });
  assert.deepEqual(v1.status, { currentReplicas: 0, desiredReplicas: 0 });
  assert.deepEqual(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions']).map((x) => [x.type, x.status, x.reason]), [['AbleToScale', 'False', 'FailedGetScale']]);
  assert.equal(row(c, ['get', 'hpa.v1.autoscaling', 'h']), 'h Deployment/php-apache cpu: <unknown>/70% 1 10 0 0s');
  // without a target the apiserver's default: 80% cpu
  c.ok(['create', '-f', '-'], { input: HPA_V1('nocpu').replace('  targetCPUUtilizationPercentage: 50\n', '') });
  assert.match(row(c, ['get', 'hpa', 'nocpu']), /cpu: <unknown>\/80%/);
  const strict = c.run(['create', '-f', '-'], { input: HPA_V1('x', '  foo: 1\n') });
  assert.equal(strict.stderr, 'Error from server (BadRequest): error when creating "STDIN": HorizontalPodAutoscaler in version "v1" cannot be handled as a HorizontalPodAutoscaler: strict decoding error: unknown field "spec.foo"\n');
  const v2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: v2
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  maxReplicas: 4
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
`;
  c.ok(['create', '-f', '-'], { input: v2 });
  // SetDefaults_HorizontalPodAutoscalerBehavior fills both directions of a given behavior
  assert.deepEqual(JSON.parse(c.ok(['get', 'hpa', 'v2', '-o', 'json'])).spec.behavior, {
    scaleDown: { policies: [{ periodSeconds: 15, type: 'Percent', value: 100 }], selectPolicy: 'Max', stabilizationWindowSeconds: 60 },
    scaleUp: { policies: [{ periodSeconds: 15, type: 'Pods', value: 4 }, { periodSeconds: 15, type: 'Percent', value: 100 }], selectPolicy: 'Max', stabilizationWindowSeconds: 0 },
  });
  assert.match(c.ok(['describe', 'hpa', 'v2']), /\nMax replicas:  +4\nBehavior:\n  Scale Up:\n    Stabilization Window: 0 seconds\n    Select Policy: Max\n    Policies:\n      - Type: Pods     Value: 4    Period: 15 seconds\n      - Type: Percent  Value: 100  Period: 15 seconds\n  Scale Down:\n    Stabilization Window: 60 seconds\n    Select Policy: Max\n    Policies:\n      - Type: Percent  Value: 100  Period: 15 seconds\nDeployment pods: +0 current \/ 0 desired\n/);
});

test('validation: the apiserver messages of ValidateHorizontalPodAutoscaler', () => {
  const c = cluster({ seed: 'hpa-validation', init: [] });
  after(() => c.cleanup());
  const bad = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
  scaleTargetRef:
    kind: ""
    name: a/b
  minReplicas: 0
  maxReplicas: 0
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 0
  - type: Pods
  - type: Resource
    resource:
      name: memory
      target:
        type: Bogus
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 4000
      selectPolicy: Fastest
      policies:
      - type: Pods
        value: 0
        periodSeconds: 2000
    scaleUp:
      stabilizationWindowSeconds: -1
      policies:
      - type: Nodes
        value: 1
        periodSeconds: 0
`;
  const r = c.run(['create', '-f', '-'], { input: bad });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    [
      'The HorizontalPodAutoscaler "bad" is invalid: ',
      '* spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      '* spec.maxReplicas: Invalid value: 0: must be greater than 0',
      '* spec.scaleTargetRef.kind: Required value',
      "* spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
      '* spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
      '* spec.metrics[1].pods: Required value: must populate information for the given metric source',
      '* spec.metrics[2].resource.target.type: Invalid value: "Bogus": must be either Utilization, Value, or AverageValue',
      '* spec.metrics[2].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
      '* spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero',
      '* spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
      '* spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero',
      '* spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
      '* spec.behavior.scaleDown.selectPolicy: Unsupported value: "Fastest": supported values: "Disabled", "Max", "Min"',
      '* spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero',
      '* spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
      '',
    ].join('\n'),
  );
  // min above max, through the v1 conversion
  const v1 = c.run(['create', '-f', '-'], { input: HPA_V1('mm').replace('minReplicas: 1', 'minReplicas: 11') });
  assert.equal(v1.stderr, 'The HorizontalPodAutoscaler "mm" is invalid: spec.maxReplicas: Invalid value: 10: must be greater than or equal to `minReplicas`\n');
  const zero = c.run(['create', '-f', '-'], { input: HPA_V1('zero').replace('targetCPUUtilizationPercentage: 50', 'targetCPUUtilizationPercentage: 0') });
  assert.equal(zero.stderr, 'The HorizontalPodAutoscaler "zero" is invalid: spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0\n');
  assert.equal(c.run(['get', 'hpa']).stderr, 'No resources found in default namespace.\n');
});

// ------------------------------------------------------------------ the controller

test('the walkthrough: the load generator raises the targets and the replicas; without it they come down after the 5-minute window', () => {
  const c = cluster({ seed: 'hpa-walkthrough', init: [] });
  after(() => c.cleanup());
  c.ok(['apply', '-f', '-'], { input: PHP });
  c.at(t('12:01:00'));
  c.ok(['create', '-f', '-'], { input: HPA_V1() });
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 0%/50% 1 10 1 0s');
  c.at(t('12:02:00'));
  assert.equal(c.ok(LOAD), 'pod/load-generator created\n');
  // the generator runs; the next look sees one pod at its 500m limit: 250%, five pods wanted, four
  // allowed (max(2 × 1, 4)); REPLICAS is the count the look found
  c.at(t('12:02:20'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 250%/50% 1 10 1 80s');
  const scaled = JSON.parse(c.ok(['get', 'deploy', 'php-apache', '-o', 'json']));
  assert.equal(scaled.spec.replicas, 4);
  // the load spread over the new pods as they become ready
  c.at(t('12:03:00'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 50%/50% 1 10 6 2m');
  c.at(t('12:04:00'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 50%/50% 1 10 6 3m');
  assert.match(c.ok(['logs', 'load-generator', '--tail=2']), /^OK!\nOK!\n$/);
  assert.equal(
    c.ok(['describe', 'hpa', 'php-apache']),
    [
      'Name:                                                  php-apache',
      'Namespace:                                             default',
      'Labels:                                                <none>',
      'Annotations:                                           <none>',
      'CreationTimestamp:                                     Sat, 01 Mar 2025 12:01:00 +0000',
      'Reference:                                             Deployment/php-apache',
      'Metrics:                                               ( current / target )',
      '  resource cpu on pods  (as a percentage of request):  50% (101m) / 50%',
      'Min replicas:                                          1',
      'Max replicas:                                          10',
      'Deployment pods:                                       6 current / 6 desired',
      'Conditions:',
      '  Type            Status  Reason              Message',
      '  ----            ------  ------              -------',
      '  AbleToScale     True    ReadyForNewScale    recommended size matches current size',
      '  ScalingActive   True    ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      '  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range',
      'Events:',
      '  Type    Reason             Age   From                       Message',
      '  ----    ------             ----  ----                       -------',
      '  Normal  SuccessfulRescale  105s  horizontal-pod-autoscaler  New size: 4; reason: cpu resource utilization (percentage of request) above target',
      // the look after: the metric wants 4 (the new pods not ready yet), the window's 5 wins, so
      // no metric is named (horizontal.go computes the reason before normalizing); TrimSpace
      '  Normal  SuccessfulRescale  90s   horizontal-pod-autoscaler  New size: 5; reason:',
      '  Normal  SuccessfulRescale  75s   horizontal-pod-autoscaler  New size: 6; reason: cpu resource utilization (percentage of request) above target',
      '',
    ].join('\n'),
  );
  const status = JSON.parse(c.ok(['get', 'hpa', 'php-apache', '-o', 'json'])).status;
  assert.deepEqual(status.currentMetrics, [{ resource: { current: { averageUtilization: 50, averageValue: '101m' }, name: 'cpu' }, type: 'Resource' }]);
  assert.equal(status.lastScaleTime, '2025-03-01T12:02:45Z');
  // the generator goes: usage drops at once, the replicas stay for the window of 5 minutes
  c.at(t('12:05:00'));
  c.ok(['delete', 'pod', 'load-generator', '--wait=false']);
  c.at(t('12:06:00'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 0%/50% 1 10 6 5m');
  c.at(t('12:10:00'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 0%/50% 1 10 6 9m');
  assert.match(c.ok(['describe', 'hpa']), /AbleToScale +True +ScaleDownStabilized +recent recommendations were higher than current one, applying the highest recent recommendation\n/);
  c.at(t('12:11:00'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 0%/50% 1 10 1 10m');
  const d = c.ok(['describe', 'hpa']);
  assert.match(d, /ScalingLimited +True +TooFewReplicas +the desired replica count is less than the minimum replica count\n/);
  assert.match(d, /Normal +SuccessfulRescale +\d+s +horizontal-pod-autoscaler +New size: 1; reason: All metrics below target\n/);
});

test('a behavior paces the scaling: its policies per period, its scale-down window', () => {
  const c = cluster({ seed: 'hpa-behavior', init: [] });
  after(() => c.cleanup());
  c.ok(['apply', '-f', '-'], { input: PHP });
  c.at(t('12:01:00'));
  const hpa = HPA_V1().replace('autoscaling/v1', 'autoscaling/v2').replace(
    '  targetCPUUtilizationPercentage: 50\n',
    '  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 50\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 60\n      policies:\n      - type: Pods\n        value: 1\n        periodSeconds: 30\n    scaleUp:\n      policies:\n      - type: Pods\n        value: 2\n        periodSeconds: 30\n',
  );
  c.ok(['create', '-f', '-'], { input: hpa });
  c.at(t('12:02:00'));
  c.ok(LOAD);
  const replicas = (hms) => (c.at(t(hms)), String(JSON.parse(c.ok(['get', 'deploy', 'php-apache', '-o', 'json'])).spec.replicas));
  // two more pods per 30 s
  assert.deepEqual(['12:02:20', '12:02:50', '12:03:20'].map(replicas), ['3', '5', '6']);
  c.ok(['delete', 'pod', 'load-generator', '--wait=false']);
  // the window of 60 s after the last high recommendation, then one pod less per 30 s
  assert.deepEqual(['12:04:00', '12:04:40', '12:05:10', '12:05:40', '12:06:10', '12:06:40', '12:07:10'].map(replicas), ['6', '5', '4', '3', '2', '1', '1']);
  assert.match(c.ok(['describe', 'hpa']), /Normal +SuccessfulRescale +[\dms]+ +horizontal-pod-autoscaler +New size: 3; reason: cpu resource utilization \(percentage of request\) above target\n/);
});

test('missing cpu requests: ScalingActive False FailedGetResourceMetric, and the events with the exact texts', () => {
  const c = cluster({ seed: 'hpa-norequest', init: [] });
  after(() => c.cleanup());
  c.ok(['create', 'deployment', 'php-apache', '--image=registry.k8s.io/hpa-example']);
  c.at(t('12:01:00'));
  c.ok(['autoscale', 'deployment', 'php-apache', '--max', '5', '--cpu-percent', '50']);
  const pod = c.ok(['get', 'pods', '-o', 'name']).trim().replace('pod/', '');
  c.at(t('12:01:30'));
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: <unknown>/50% 1 5 1 30s');
  assert.equal(
    c.ok(['describe', 'hpa']),
    [
      'Name:                                                  php-apache',
      'Namespace:                                             default',
      'Labels:                                                <none>',
      'Annotations:                                           <none>',
      'CreationTimestamp:                                     Sat, 01 Mar 2025 12:01:00 +0000',
      'Reference:                                             Deployment/php-apache',
      'Metrics:                                               ( current / target )',
      '  resource cpu on pods  (as a percentage of request):  <unknown> / 50%',
      'Min replicas:                                          1',
      'Max replicas:                                          5',
      'Deployment pods:                                       1 current / 0 desired',
      'Conditions:',
      '  Type           Status  Reason                   Message',
      '  ----           ------  ------                   -------',
      '  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target\'s current scale',
      `  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container hpa-example of Pod ${pod}`,
      'Events:',
      '  Type     Reason                        Age               From                       Message',
      '  ----     ------                        ----              ----                       -------',
      `  Warning  FailedGetResourceMetric       0s (x3 over 30s)  horizontal-pod-autoscaler  failed to get cpu utilization: missing request for cpu in container hpa-example of Pod ${pod}`,
      `  Warning  FailedComputeMetricsReplicas  0s (x3 over 30s)  horizontal-pod-autoscaler  invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container hpa-example of Pod ${pod}`,
      '',
    ].join('\n'),
  );
});

test('a target that does not exist: AbleToScale False FailedGetScale; one that appears is scaled into range', () => {
  const c = cluster({ seed: 'hpa-notarget', init: [] });
  after(() => c.cleanup());
  c.ok(['create', '-f', '-'], { input: HPA_V1().replace('minReplicas: 1', 'minReplicas: 2') });
  const d = c.ok(['describe', 'hpa']);
  assert.match(d, /\nDeployment pods: +0 current \/ 0 desired\n/);
  assert.match(d, /\n  AbleToScale  False   FailedGetScale  the HPA controller was unable to get the target's current scale: deployments.apps "php-apache" not found\n/);
  assert.match(d, /\n  Warning +FailedGetScale +0s +horizontal-pod-autoscaler +deployments.apps "php-apache" not found\n/);
  c.ok(['apply', '-f', '-'], { input: PHP });
  c.at(t('12:00:15'));
  assert.equal(JSON.parse(c.ok(['get', 'deploy', 'php-apache', '-o', 'json'])).spec.replicas, 2);
  assert.match(c.ok(['describe', 'hpa']), /New size: 2; reason: Current number of replicas below Spec.MinReplicas\n/);
  // a reference without its apiVersion names the core group, where no Deployment is
  c.ok(['create', '-f', '-'], { input: HPA_V1('nogroup').replace('    apiVersion: apps/v1\n', '') });
  assert.match(c.ok(['describe', 'hpa', 'nogroup']), /\n  AbleToScale  False   FailedGetScale  the HPA controller was unable to get the target's current scale: no matches for kind "Deployment" in group ""\n/);
});

test('a target above maxReplicas is scaled down to it at once; a target scaled to zero disables the autoscaler', () => {
  const c = cluster({ seed: 'hpa-range', init: [] });
  after(() => c.cleanup());
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=5']);
  c.ok(['autoscale', 'deployment', 'web', '--max', '3']);
  assert.equal(JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json'])).spec.replicas, 3);
  let d = c.ok(['describe', 'hpa', 'web']);
  assert.match(d, /\nDeployment pods: +5 current \/ 3 desired\n/);
  assert.match(d, /\n  AbleToScale     True    SucceededRescale  the HPA controller was able to update the target scale to 3\n  ScalingLimited  True    TooManyReplicas   the desired replica count is more than the maximum replica count\n/);
  assert.match(d, /Normal +SuccessfulRescale +0s +horizontal-pod-autoscaler +New size: 3; reason: Current number of replicas above Spec.MaxReplicas\n/);
  assert.equal(JSON.parse(c.ok(['get', 'hpa', 'web', '-o', 'json'])).status.currentMetrics, null);
  c.ok(['scale', 'deployment', 'web', '--replicas=0']);
  c.at(t('12:00:15'));
  d = c.ok(['describe', 'hpa', 'web']);
  assert.match(d, /\nDeployment pods: +0 current \/ 0 desired\n/);
  // a condition type new to the list goes last (setConditionInList)
  assert.match(d, /\n  AbleToScale     True    SucceededGetScale  the HPA controller was able to get the target's current scale\n  ScalingLimited  True    TooManyReplicas    the desired replica count is more than the maximum replica count\n  ScalingActive   False   ScalingDisabled    scaling is disabled since the replica count of the target is zero\n/);
  assert.equal(JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json'])).spec.replicas, 0);
});

test('the metrics model: which container scripts are request loops, at what rate', async () => {
  const { createRequire } = await import('node:module');
  const lib = createRequire(import.meta.url)('../dist/lib.cjs');
  const loop = (script, image = 'busybox:1.28') => lib.requestLoop({ name: 'c', image, command: ['/bin/sh', '-c', script] });
  // the walkthrough's generator: 10 ms of sleep and 10 ms per request, 50 a second
  assert.deepEqual(loop('while sleep 0.01; do wget -q -O- http://php-apache; done'), { host: 'php-apache', rps: 50 });
  assert.deepEqual(loop('while true; do curl -s http://web.default.svc.cluster.local:8080/; sleep 1; done', 'curlimages/curl'), { host: 'web.default.svc.cluster.local', rps: 1000 / 1010 });
  assert.deepEqual(loop('while true; do wget -qO- 10.244.1.5; done'), { host: '10.244.1.5', rps: 100 });
  // not endless, or no request: no load
  assert.equal(loop('for i in 1 2 3; do wget -q -O- http://php-apache; done'), undefined);
  assert.equal(loop('while true; do echo hi; sleep 1; done'), undefined);
  assert.equal(lib.requestLoop({ name: 'c', image: 'nginx' }), undefined);
});

test('an AverageValue target: the usage per pod against the quantity', () => {
  const c = cluster({ seed: 'hpa-value', init: [] });
  after(() => c.cleanup());
  c.ok(['apply', '-f', '-'], { input: PHP });
  c.at(t('12:01:00'));
  const hpa = HPA_V1().replace('autoscaling/v1', 'autoscaling/v2').replace('  targetCPUUtilizationPercentage: 50\n', '  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: AverageValue\n        averageValue: 100m\n');
  c.ok(['create', '-f', '-'], { input: hpa });
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 1m/100m 1 10 1 0s');
  c.at(t('12:02:00'));
  c.ok(LOAD);
  c.at(t('12:05:00'));
  // 600m over 7 pods, 1m idle each: 87m, within the tolerance of 100m
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 87m/100m 1 10 7 4m');
  assert.match(c.ok(['describe', 'hpa']), /\nMetrics: +\( current \/ target \)\n  resource cpu on pods:  87m \/ 100m\n/);
  assert.deepEqual(JSON.parse(c.ok(['get', 'hpa', 'php-apache', '-o', 'json'])).status.currentMetrics, [{ resource: { current: { averageValue: '87m' }, name: 'cpu' }, type: 'Resource' }]);
});

test('a ContainerResource metric reads one container; Pods and memory metrics fail as without those metrics APIs', () => {
  const c = cluster({ seed: 'hpa-metric-kinds', init: [] });
  after(() => c.cleanup());
  c.ok(['apply', '-f', '-'], { input: PHP });
  c.at(t('12:01:00'));
  const metric = (body) => HPA_V1().replace('autoscaling/v1', 'autoscaling/v2').replace('  targetCPUUtilizationPercentage: 50\n', `  metrics:\n${body}`);
  const container = '  - type: ContainerResource\n    containerResource:\n      name: cpu\n      container: php-apache\n      target:\n        type: Utilization\n        averageUtilization: 50\n';
  c.ok(['create', '-f', '-'], { input: metric(container) });
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache cpu: 0%/50% 1 10 1 0s');
  assert.match(c.ok(['describe', 'hpa']), /\n  resource cpu of container "php-apache" on pods  \(as a percentage of request\):  0% \(1m\) \/ 50%\n/);
  assert.match(c.ok(['describe', 'hpa']), /ScalingActive +True +ValidMetricFound +the HPA was able to successfully calculate a replica count from cpu container resource utilization \(percentage of request\)\n/);
  c.ok(['delete', 'hpa', 'php-apache']);
  const pods = '  - type: Pods\n    pods:\n      metric:\n        name: packets-per-second\n      target:\n        type: AverageValue\n        averageValue: 1k\n';
  const memory = '  - type: Resource\n    resource:\n      name: memory\n      target:\n        type: AverageValue\n        averageValue: 100Mi\n';
  c.ok(['create', '-f', '-'], { input: metric(pods + memory) });
  assert.equal(row(c, ['get', 'hpa']), 'php-apache Deployment/php-apache <unknown>/1k, memory: <unknown>/100Mi 1 10 1 0s');
  const d = c.ok(['describe', 'hpa']);
  assert.match(d, /\n  "packets-per-second" on pods: +<unknown> \/ 1k\n  resource memory on pods: +<unknown> \/ 100Mi\n/);
  assert.match(d, /ScalingActive +False +FailedGetPodsMetric +the HPA was unable to compute the replica count: unable to get metric packets-per-second: unable to fetch metrics from custom metrics API: no custom metrics API \(custom.metrics.k8s.io\) registered\n/);
  assert.match(d, /Warning +FailedGetResourceMetric +0s +horizontal-pod-autoscaler +failed to get memory usage: unable to get metrics for resource memory: no metrics returned from resource metrics API\n/);
  assert.match(d, /Warning +FailedComputeMetricsReplicas +0s +horizontal-pod-autoscaler +invalid metrics \(2 invalid out of 2\), first error is: failed to get pods metric value: unable to get metric packets-per-second: /);
});
