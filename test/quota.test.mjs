// Issue 15, part 7: ResourceQuota and LimitRange. The kinds (get columns of printers.go
// printResourceQuota / printLimitRange, kubectl's describers, the apiserver's validation), `create
// quota` byte-equal to kubectl, the LimitRanger admission plugin (defaults, its annotation, min / max
// / ratio refusals), the ResourceQuota admission plugin (exceeded quota, failed quota, scopes, object
// counts), the quota controller's status.used, and controllers whose pod creations are refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cluster, hasKubectl, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'quota', init: [] });
after(() => c.cleanup());

const apply = (ns, yaml) => c.run(['apply', '-n', ns, '-f', '-'], { input: yaml });
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));
const ns = (name) => c.ok(['create', 'namespace', name]);

const quotaYaml = (name, hard, extra = '') => `apiVersion: v1
kind: ResourceQuota
metadata:
  name: ${name}
spec:
${extra}  hard:
${Object.entries(hard).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}
`;

const podYaml = (name, resources = '', extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: nginx
    image: nginx
${resources}`;

const LIMITS = `apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 512Mi
    defaultRequest:
      cpu: 250m
      memory: 256Mi
    min:
      cpu: 100m
      memory: 64Mi
    max:
      cpu: "1"
      memory: 1Gi
    maxLimitRequestRatio:
      cpu: "4"
  - type: Pod
    max:
      memory: 1536Mi
`;

test('api-resources rows, short names quota and limits', () => {
  const ar = c.ok(['api-resources']);
  assert.match(ar, /\nlimitranges +limits +v1 +true +LimitRange\n/);
  assert.match(ar, /\nresourcequotas +quota +v1 +true +ResourceQuota\n/);
  assert.match(c.ok(['api-resources', '-o', 'wide']), /\nresourcequotas +quota +v1 +true +ResourceQuota +create,delete,deletecollection,get,list,patch,update,watch *\n/);
  // core resources in name order: limitranges between events and namespaces, resourcequotas after pods
  const names = ar.split('\n').map((l) => l.split(/\s+/)[0]);
  assert.ok(names.indexOf('limitranges') === names.indexOf('events') + 1);
  assert.ok(names.indexOf('resourcequotas') > names.indexOf('pods') && names.indexOf('resourcequotas') < names.indexOf('secrets'));
});

test('get and describe: printResourceQuota (REQUEST / LIMIT from status), printLimitRange (CREATED AT), the describers', () => {
  ns('golden');
  assert.equal(apply('golden', quotaYaml('compute', { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '4', 'count/deployments.apps': '2' })).code, 0);
  assert.equal(apply('golden', LIMITS).code, 0);
  assert.equal(c.ok(['get', 'quota', '-n', 'golden']), [
    'NAME      AGE   REQUEST                                                                             LIMIT',
    'compute   0s    count/deployments.apps: 0/2, pods: 0/4, requests.cpu: 0/1, requests.memory: 0/1Gi   limits.cpu: 0/2, limits.memory: 0/2Gi',
    '',
  ].join('\n'));
  // no wide columns
  assert.equal(c.ok(['get', 'resourcequotas', '-n', 'golden', '-o', 'wide']), c.ok(['get', 'quota', '-n', 'golden']));
  assert.equal(c.ok(['get', 'limits', '-n', 'golden']), 'NAME     CREATED AT\nlimits   2025-03-01T12:00:00Z\n');
  assert.equal(c.ok(['get', 'limitranges', '-A']), 'NAMESPACE   NAME     CREATED AT\ngolden      limits   2025-03-01T12:00:00Z\n');
  // the controller's status: hard copied from spec, used counted (zero)
  const rq = json(['get', 'quota', 'compute', '-n', 'golden']);
  assert.deepEqual(rq.status.hard, rq.spec.hard);
  assert.deepEqual(rq.status.used, { 'count/deployments.apps': '0', 'limits.cpu': '0', 'limits.memory': '0', pods: '0', 'requests.cpu': '0', 'requests.memory': '0' });
  // SetDefaults_LimitRangeItem leaves a Container item that has its defaults as it is
  const lr = json(['get', 'limits', 'limits', '-n', 'golden']);
  assert.deepEqual(lr.spec.limits[0].defaultRequest, { cpu: '250m', memory: '256Mi' });

  c.ok(['run', 'web', '--image=nginx', '-n', 'golden']);
  c.ok(['run', 'api', '--image=nginx', '-n', 'golden']);
  assert.equal(c.ok(['describe', 'quota', 'compute', '-n', 'golden']), [
    'Name:                   compute',
    'Namespace:              golden',
    'Resource                Used   Hard',
    '--------                ----   ----',
    'count/deployments.apps  0      2',
    'limits.cpu              1      2',
    'limits.memory           1Gi    2Gi',
    'pods                    2      4',
    'requests.cpu            500m   1',
    'requests.memory         512Mi  1Gi',
    '',
  ].join('\n'));
  assert.equal(c.ok(['describe', 'limitrange', 'limits', '-n', 'golden']), [
    'Name:       limits',
    'Namespace:  golden',
    'Type        Resource  Min   Max     Default Request  Default Limit  Max Limit/Request Ratio',
    '----        --------  ---   ---     ---------------  -------------  -----------------------',
    'Container   cpu       100m  1       250m             500m           4',
    'Container   memory    64Mi  1Gi     256Mi            512Mi          -',
    'Pod         memory    -     1536Mi  -                -              -',
    '',
  ].join('\n'));
  assert.equal(c.ok(['describe', 'namespace', 'golden']), [
    'Name:         golden',
    'Labels:       kubernetes.io/metadata.name=golden',
    'Annotations:  <none>',
    'Status:       Active',
    '',
    'Resource Quotas',
    '  Name:                   compute',
    '  Resource                Used   Hard',
    '  --------                ---    ---',
    '  count/deployments.apps  0      2',
    '  limits.cpu              1      2',
    '  limits.memory           1Gi    2Gi',
    '  pods                    2      4',
    '  requests.cpu            500m   1',
    '  requests.memory         512Mi  1Gi',
    '',
    'Resource Limits',
    ' Type       Resource  Min   Max     Default Request  Default Limit  Max Limit/Request Ratio',
    ' ----       --------  ---   ---     ---------------  -------------  -----------------------',
    ' Container  cpu       100m  1       250m             500m           4',
    ' Container  memory    64Mi  1Gi     256Mi            512Mi          -',
    ' Pod        memory    -     1536Mi  -                -              -',
    '',
  ].join('\n'));
});

test('describe quota: scopes with their help text; a used quantity in another format than its hard one', () => {
  ns('scoped');
  assert.equal(apply('scoped', quotaYaml('be', { pods: '3' }, '  scopes: [NotTerminating, BestEffort]\n')).code, 0);
  assert.equal(apply('scoped', quotaYaml('mem', { 'requests.memory': '1G' })).code, 0);
  c.ok(['apply', '-n', 'scoped', '-f', '-'], { input: podYaml('p', '    resources:\n      requests:\n        memory: 128Mi\n') });
  assert.equal(c.ok(['describe', 'quota', 'be', '-n', 'scoped']), [
    'Name:       be',
    'Namespace:  scoped',
    'Scopes:     BestEffort, NotTerminating',
    ' * Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
    ' * Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
    // the help lines hold no tab: they end the alignment block
    'Resource  Used  Hard',
    '--------  ----  ----',
    'pods      0     3',
    '',
  ].join('\n'));
  // used 128Mi (BinarySI) against 1G (DecimalSI): resource.NewQuantity(used.Value(), hard.Format)
  assert.match(c.ok(['describe', 'quota', 'mem', '-n', 'scoped']), /\nrequests\.memory {2}134217728 {2}1G\n$/);
  assert.match(c.ok(['get', 'quota', 'mem', '-n', 'scoped']), /requests\.memory: 128Mi\/1G/);
});

// ---- create quota against kubectl ----

const CREATE_CASES = [
  'create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3,replicationcontrollers=2,resourcequotas=1,secrets=5,persistentvolumeclaims=10',
  'create quota best-effort --hard=pods=100 --scopes=BestEffort',
  'create quota q --hard=cpu=1000m,memory=1.5Gi,requests.storage=10e3',
  'create quota q --hard=cpu=.5,memory=1024Mi,pods=01',
  'create quota q --hard=cpu=+2k,memory=1.500,limits.cpu=-1',
  'create quota q --hard=count/deployments.apps=2,count/jobs.batch=5,services.nodeports=0',
  'create quota q --scopes=NotTerminating,NotBestEffort,Foo',
  'create quota q',
  'create quota q -n other --hard=pods=1',
  'create resourcequota q --hard=pods=1,pods=2',
  'create quota q --hard=cpu=1 --hard=memory=2Gi',
  'create quota q --hard==1',
  'create quota q --hard=cpu',
  'create quota q --hard=cpu=1=2',
  'create quota q --hard=cpu=1,,pods=2',
  'create quota q --hard=cpu=1.2.3',
  'create quota q --hard=cpu=1iM',
  'create quota q --hard=cpu=1Gb',
  'create quota q --hard=cpu=',
  'create quota q --scopes=,BestEffort',
  'create quota q --scopes=BestEffort,',
  'create quota',
  'create quota a b',
  'create quota q --hard=memory=8Gi,cpu=0.1,ephemeral-storage=1e9,requests.nvidia.com/gpu=4',
];

const norm = (s) => s.replaceAll('kubectl', 'kubesim');

test('create quota matches kubectl --dry-run=client: -o yaml, -o json, -o name and its errors', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  let compared = 0;
  for (const line of CREATE_CASES) {
    for (const out of [['-o', 'yaml'], ['-o', 'json'], ['-o', 'name'], []]) {
      const args = [...line.split(' '), '--dry-run=client', ...out];
      const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });
      const s = c.run(args);
      const label = args.join(' ');
      assert.equal(norm(s.stderr), norm(k.stderr), `${label}: stderr`);
      assert.equal(s.stdout, k.stdout, `${label}: stdout`);
      assert.equal(s.code, k.status, `${label}: exit code`);
      compared++;
      if (k.status !== 0) break;
    }
  }
  t.diagnostic(`${CREATE_CASES.length} argument sets, ${compared} outputs compared`);
  assert.ok(compared >= 60, `compared ${compared}`);
});

test('create quota for real: the apiserver validates (ValidateResourceQuota) and kubectl wraps its refusal', () => {
  ns('made');
  assert.equal(c.ok(['create', 'quota', 'q1', '-n', 'made', '--hard=pods=2,services=1']), 'resourcequota/q1 created\n');
  const bad = (args, err) => {
    const before = stateSnapshot(c.dir);
    const r = c.run(['create', 'quota', ...args, '-n', 'made']);
    assert.equal(r.stderr, err, args.join(' '));
    assert.equal(r.code, 1);
    assert.deepEqual(stateSnapshot(c.dir), before, 'a refused create changes nothing');
  };
  // kubectl sends 1.5 as 1500m; the apiserver's Quantity keeps that text (field.Invalid prints the struct)
  bad(['q2', '--hard=pods=1.5'], 'error: failed to create quota: ResourceQuota "q2" is invalid: spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer\n');
  bad(['q2', '--hard=cpu=-1'], 'error: failed to create quota: ResourceQuota "q2" is invalid: spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0\n');
  bad(['q2', '--hard=foo=1'], 'error: failed to create quota: ResourceQuota "q2" is invalid: [spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified, spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota]\n');
  bad(['q2', '--hard=cpu=1', '--scopes=BestEffort'], 'error: failed to create quota: ResourceQuota "q2" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource\n');
  bad(['q2', '--hard=pods=1', '--scopes=Foo'], 'error: failed to create quota: ResourceQuota "q2" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"Foo"}: unsupported scope\n');
  bad(['q2', '--hard=pods=1', '--scopes=BestEffort,NotBestEffort'], 'error: failed to create quota: ResourceQuota "q2" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes\n');
  bad(['q1', '--hard=pods=1'], 'error: failed to create quota: resourcequotas "q1" already exists\n');
});

test('LimitRange validation (ValidateLimitRange) and defaulting (SetDefaults_LimitRangeItem)', () => {
  ns('lrv');
  const lr = (items) => `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\nspec:\n  limits:\n${items}`;
  const r1 = apply('lrv', lr('  - type: Container\n    min:\n      cpu: "2"\n    max:\n      cpu: "1"\n'));
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /^The LimitRange "lr" is invalid: \n\* spec\.limits\[0\]\.min\[cpu\]: Invalid value: resource\.Quantity\{.*\}: min value 2 is greater than max value 1\n/);
  const r2 = apply('lrv', lr('  - type: Pod\n    default:\n      cpu: "1"\n  - type: Pod\n    max:\n      cpu: "1"\n'));
  assert.equal(r2.stderr, 'The LimitRange "lr" is invalid: \n* spec.limits[0].default: Forbidden: may not be specified when `type` is \'Pod\'\n* spec.limits[1].type: Duplicate value: "Pod"\n');
  const r3 = apply('lrv', lr('  - type: Node\n    max:\n      storage: 1Gi\n'));
  assert.equal(r3.stderr, 'The LimitRange "lr" is invalid: spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified\n');
  const r4 = apply('lrv', lr('  - type: PersistentVolumeClaim\n    maxLimitRequestRatio:\n      storage: "2"\n'));
  assert.equal(r4.stderr, 'The LimitRange "lr" is invalid: spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided\n');
  const r5 = apply('lrv', lr('  - type: Container\n    max:\n      gpu: "1"\n'));
  // (defaulting copied max into default and defaultRequest first: they are refused too)
  assert.equal(r5.stderr, ['The LimitRange "lr" is invalid: ', ...['max', 'default', 'defaultRequest'].flatMap((f) => [
    `* spec.limits[0].${f}[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified`,
    `* spec.limits[0].${f}[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
  ]), ''].join('\n'));
  // a Container item's default limit from max, its default request from the default limit, then from min
  assert.equal(apply('lrv', lr('  - type: Container\n    max:\n      cpu: "1"\n      memory: 1Gi\n    min:\n      ephemeral-storage: 1Gi\n    default:\n      memory: 512Mi\n')).code, 0);
  const item = json(['get', 'limits', 'lr', '-n', 'lrv']).spec.limits[0];
  assert.deepEqual(item.default, { cpu: '1', memory: '512Mi' });
  assert.deepEqual(item.defaultRequest, { cpu: '1', 'ephemeral-storage': '1Gi', memory: '512Mi' });
});

// ---- LimitRanger admission ----

test('LimitRanger: defaults and the kubernetes.io/limit-ranger annotation, on pods made by hand and by controllers', () => {
  ns('lr');
  assert.equal(apply('lr', LIMITS).code, 0);
  c.ok(['run', 'nginx', '--image=nginx', '-n', 'lr']);
  const pod = json(['get', 'pod', 'nginx', '-n', 'lr']);
  assert.equal(pod.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx');
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } });
  // only what is missing is set; requests defaulted from limits by the pod's own defaulting first
  c.ok(['apply', '-n', 'lr', '-f', '-'], { input: podYaml('half', '    resources:\n      limits:\n        cpu: 400m\n') });
  const half = json(['get', 'pod', 'half', '-n', 'lr']);
  assert.equal(half.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: memory request for container nginx; memory limit for container nginx');
  assert.deepEqual(half.spec.containers[0].resources, { limits: { cpu: '400m', memory: '512Mi' }, requests: { cpu: '400m', memory: '256Mi' } });
  // nothing missing: no annotation
  c.ok(['apply', '-n', 'lr', '-f', '-'], { input: podYaml('full', '    resources:\n      limits:\n        cpu: 400m\n        memory: 100Mi\n') });
  assert.equal(json(['get', 'pod', 'full', '-n', 'lr']).metadata.annotations['kubernetes.io/limit-ranger'], undefined);
  // init containers are "init container"
  c.ok(['apply', '-n', 'lr', '-f', '-'], { input: podYaml('init', '', '  initContainers:\n  - name: setup\n    image: busybox\n') });
  assert.equal(json(['get', 'pod', 'init', '-n', 'lr']).metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx; cpu, memory request for init container setup; cpu, memory limit for init container setup');
  // a Deployment's pods go through the same admission
  c.ok(['create', 'deployment', 'web', '--image=nginx', '-n', 'lr']);
  const made = json(['get', 'pods', '-n', 'lr', '-l', 'app=web']).items;
  assert.equal(made.length, 1);
  assert.deepEqual(made[0].spec.containers[0].resources, { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } });
  assert.match(c.ok(['describe', 'pod', made[0].metadata.name, '-n', 'lr']), /\nAnnotations: +kubernetes\.io\/limit-ranger: LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx\n/);
});

test('LimitRanger: min, max and maxLimitRequestRatio refusals with the plugin\'s texts; the state is unchanged', () => {
  const refuse = (name, resources, err) => {
    const before = stateSnapshot(c.dir);
    const r = c.run(['apply', '-n', 'lr', '-f', '-'], { input: podYaml(name, resources) });
    assert.equal(r.stderr, err, name);
    assert.equal(r.code, 1);
    assert.deepEqual(stateSnapshot(c.dir), before, `${name}: state unchanged`);
  };
  refuse('small', '    resources:\n      requests:\n        cpu: 50m\n      limits:\n        memory: 2Gi\n',
    'Error from server (Forbidden): error when creating "STDIN": pods "small" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000, maximum memory usage per Pod is 1536Mi, but limit is 2Gi]\n');
  refuse('greedy', '    resources:\n      requests:\n        cpu: 100m\n      limits:\n        cpu: "1"\n',
    'Error from server (Forbidden): error when creating "STDIN": pods "greedy" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000\n');
  refuse('big', '    resources:\n      limits:\n        cpu: "2"\n',
    'Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2\n');
  // the Pod item sums the containers
  const two = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: a\n    image: nginx\n    resources:\n      limits:\n        memory: 1Gi\n  - name: b\n    image: nginx\n    resources:\n      limits:\n        memory: 1Gi\n`;
  const before = stateSnapshot(c.dir);
  const r = c.run(['apply', '-n', 'lr', '-f', '-'], { input: two });
  assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "two" is forbidden: maximum memory usage per Pod is 1536Mi, but limit is 2Gi\n');
  assert.deepEqual(stateSnapshot(c.dir), before);
});

// ---- ResourceQuota admission ----

test('quota: exceeded quota on pods, the cpu / memory aliases and requests; must specify; state unchanged', () => {
  ns('q');
  assert.equal(apply('q', quotaYaml('compute', { pods: '2', cpu: '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' })).code, 0);
  const res = (cpu, mem) => `    resources:\n      requests:\n        cpu: ${cpu}\n        memory: ${mem}\n      limits:\n        cpu: ${cpu}\n        memory: ${mem}\n`;
  const create = (name, r) => c.run(['apply', '-n', 'q', '-f', '-'], { input: podYaml(name, r) });
  const refused = (name, r, err) => {
    const before = stateSnapshot(c.dir);
    const out = create(name, r);
    assert.equal(out.stderr, `Error from server (Forbidden): error when creating "STDIN": pods "${name}" is forbidden: ${err}\n`, name);
    assert.equal(out.code, 1);
    assert.deepEqual(stateSnapshot(c.dir), before, `${name}: state unchanged`);
  };
  refused('bare', '', 'failed quota: compute: must specify cpu for: nginx; limits.cpu for: nginx; limits.memory for: nginx; requests.memory for: nginx');
  refused('nolimits', '    resources:\n      requests:\n        cpu: 100m\n        memory: 100Mi\n', 'failed quota: compute: must specify limits.cpu for: nginx; limits.memory for: nginx');
  assert.equal(create('a', res('600m', '256Mi')).code, 0);
  assert.equal(c.ok(['get', 'quota', '-n', 'q', '--no-headers']).split(/\s{3,}/).slice(2).join(' | '), 'cpu: 600m/1, pods: 1/2, requests.memory: 256Mi/1Gi | limits.cpu: 600m/2, limits.memory: 256Mi/2Gi\n');
  refused('b', res('500m', '256Mi'), 'exceeded quota: compute, requested: cpu=500m, used: cpu=600m, limited: cpu=1');
  refused('c', res('600m', '900Mi'), 'exceeded quota: compute, requested: cpu=600m,requests.memory=900Mi, used: cpu=600m,requests.memory=256Mi, limited: cpu=1,requests.memory=1Gi');
  assert.equal(create('d', res('400m', '256Mi')).code, 0);
  refused('e', res('0', '0'), 'exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2');
  const rq = json(['get', 'quota', 'compute', '-n', 'q']);
  assert.deepEqual(rq.status.used, { cpu: '1', 'limits.cpu': '1', 'limits.memory': '512Mi', pods: '2', 'requests.memory': '512Mi' });
});

test('quota: used counts follow deletes and finished pods (the quota controller)', () => {
  c.ok(['delete', 'pod', 'a', '-n', 'q', '--grace-period=0', '--force']);
  assert.deepEqual(json(['get', 'quota', 'compute', '-n', 'q']).status.used, { cpu: '400m', 'limits.cpu': '400m', 'limits.memory': '256Mi', pods: '1', 'requests.memory': '256Mi' });
  c.ok(['delete', 'pod', 'd', '-n', 'q', '--grace-period=0', '--force']);
  assert.deepEqual(json(['get', 'quota', 'compute', '-n', 'q']).status.used, { cpu: '0', 'limits.cpu': '0', 'limits.memory': '0', pods: '0', 'requests.memory': '0' });
  // a pod that ran to completion no longer counts against compute, only count/pods would
  ns('done');
  assert.equal(apply('done', quotaYaml('pods', { pods: '1', 'count/pods': '5' })).code, 0);
  c.ok(['run', 'once', '--image=busybox', '--restart=Never', '-n', 'done', '--', 'true']);
  c.at('2025-03-01T12:05:00Z');
  assert.equal(json(['get', 'pod', 'once', '-n', 'done']).status.phase, 'Succeeded');
  assert.deepEqual(json(['get', 'quota', 'pods', '-n', 'done']).status.used, { 'count/pods': '1', pods: '0' });
  c.ok(['run', 'twice', '--image=busybox', '--restart=Never', '-n', 'done', '--', 'true']);
});

test('quota: object counts (services, nodeports, load balancers, configmaps, count/deployments.apps, count/jobs.batch)', () => {
  ns('counts');
  assert.equal(apply('counts', quotaYaml('objects', { services: '3', 'services.nodeports': '1', 'services.loadbalancers': '0', configmaps: '2', 'count/deployments.apps': '1', 'count/jobs.batch': '1' })).code, 0);
  // kube-root-ca.crt is one of the configmaps
  assert.equal(json(['get', 'quota', 'objects', '-n', 'counts']).status.used.configmaps, '1');
  // (how each create verb wraps the apiserver's refusal is not this test's business: the refusal is)
  const err = (r) => r.stderr.trim().replace(/^.*?(\w+(\.\w+)? "[^"]+" is forbidden: )/, '$1');
  c.ok(['create', 'service', 'clusterip', 'a', '--tcp=80', '-n', 'counts']);
  c.ok(['create', 'service', 'nodeport', 'b', '--tcp=80', '-n', 'counts']);
  assert.equal(err(c.run(['create', 'service', 'nodeport', 'c', '--tcp=80', '-n', 'counts'])), 'services "c" is forbidden: exceeded quota: objects, requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1');
  assert.equal(err(c.run(['create', 'service', 'loadbalancer', 'd', '--tcp=80', '-n', 'counts'])), 'services "d" is forbidden: exceeded quota: objects, requested: services.loadbalancers=1,services.nodeports=1, used: services.loadbalancers=0,services.nodeports=1, limited: services.loadbalancers=0,services.nodeports=1');
  c.ok(['create', 'configmap', 'one', '--from-literal=a=b', '-n', 'counts']);
  assert.equal(err(c.run(['create', 'configmap', 'two', '--from-literal=a=b', '-n', 'counts'])), 'configmaps "two" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=2, limited: configmaps=2');
  c.ok(['create', 'deployment', 'web', '--image=nginx', '-n', 'counts']);
  assert.equal(err(c.run(['create', 'deployment', 'web2', '--image=nginx', '-n', 'counts'])), 'deployments.apps "web2" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
  c.ok(['create', 'job', 'j1', '--image=busybox', '-n', 'counts']);
  assert.equal(err(c.run(['create', 'job', 'j2', '--image=busybox', '-n', 'counts'])), 'jobs.batch "j2" is forbidden: exceeded quota: objects, requested: count/jobs.batch=1, used: count/jobs.batch=1, limited: count/jobs.batch=1');
  // a service changed to NodePort on update is charged too
  const svc = json(['get', 'svc', 'a', '-n', 'counts']);
  svc.spec.type = 'NodePort';
  const r = c.run(['apply', '-n', 'counts', '-f', '-'], { input: JSON.stringify(svc) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /services "a" is forbidden: exceeded quota: objects, requested: services\.nodeports=1, used: services\.nodeports=1, limited: services\.nodeports=1\n$/);
  assert.deepEqual(json(['get', 'quota', 'objects', '-n', 'counts']).status.used, { configmaps: '2', 'count/deployments.apps': '1', 'count/jobs.batch': '1', services: '2', 'services.loadbalancers': '0', 'services.nodeports': '1' });
  c.ok(['delete', 'deployment', 'web', '-n', 'counts']);
  c.ok(['create', 'deployment', 'web2', '--image=nginx', '-n', 'counts']);
});

test('quota scopes: BestEffort / NotBestEffort, Terminating, PriorityClass through scopeSelector', () => {
  ns('sc');
  assert.equal(apply('sc', quotaYaml('be', { pods: '1' }, '  scopes: [BestEffort]\n')).code, 0);
  assert.equal(apply('sc', quotaYaml('term', { pods: '1' }, '  scopes: [Terminating]\n')).code, 0);
  assert.equal(apply('sc', quotaYaml('high', { pods: '1' }, '  scopeSelector:\n    matchExpressions:\n    - scopeName: PriorityClass\n      operator: In\n      values: [high]\n')).code, 0);
  const mk = (name, r = '', extra = '') => c.run(['apply', '-n', 'sc', '-f', '-'], { input: podYaml(name, r, extra) });
  assert.equal(mk('be1').code, 0);
  assert.match(mk('be2').stderr, /pods "be2" is forbidden: exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1\n$/);
  // not best effort: the be quota does not match it
  assert.equal(mk('burst', '    resources:\n      requests:\n        cpu: 10m\n').code, 0);
  assert.equal(mk('dl1', '    resources:\n      requests:\n        cpu: 10m\n', '  activeDeadlineSeconds: 30\n').code, 0);
  assert.match(mk('dl2', '    resources:\n      requests:\n        cpu: 10m\n', '  activeDeadlineSeconds: 30\n').stderr, /exceeded quota: term, requested: pods=1, used: pods=1, limited: pods=1\n$/);
  assert.deepEqual(Object.fromEntries(json(['get', 'quota', '-n', 'sc']).items.map((q) => [q.metadata.name, q.status.used.pods])), { be: '1', high: '0', term: '1' });
  // ValidateResourceQuotaUpdate: scopes may not change; hard may
  const r = apply('sc', quotaYaml('be', { pods: '1' }, '  scopes: [NotBestEffort]\n'));
  assert.equal(r.stderr, 'The ResourceQuota "be" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"NotBestEffort"}: field is immutable\n');
  assert.equal(apply('sc', quotaYaml('be', { pods: '2' }, '  scopes: [BestEffort]\n')).stdout, 'resourcequota/be configured\n');
  assert.equal(mk('be2').code, 0);
});

test('a Deployment scaled past its quota: FailedCreate events, ReplicaFailure, and the missing pods once the quota is raised', () => {
  ns('dep');
  assert.equal(apply('dep', quotaYaml('pods', { pods: '2' })).code, 0);
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', 'dep']);
  assert.equal(json(['get', 'pods', '-n', 'dep']).items.length, 2);
  c.ok(['scale', 'deployment', 'web', '--replicas=4', '-n', 'dep']);
  assert.equal(json(['get', 'pods', '-n', 'dep']).items.length, 2);
  const rs = json(['get', 'rs', '-n', 'dep']).items[0];
  const failure = rs.status.conditions.find((x) => x.type === 'ReplicaFailure');
  assert.equal(failure.reason, 'FailedCreate');
  assert.match(failure.message, /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2$/);
  const rsText = c.ok(['describe', 'rs', rs.metadata.name, '-n', 'dep']);
  assert.match(rsText, /\nConditions:\n {2}Type {13}Status {2}Reason\n {2}-{4} {13}-{6} {2}-{6}\n {2}ReplicaFailure {3}True {4}FailedCreate\n/);
  assert.match(rsText, /Warning {2}FailedCreate {6}0s {4}replicaset-controller {2}Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2\n/);
  const dText = c.ok(['describe', 'deployment', 'web', '-n', 'dep']);
  assert.match(dText, /\n {2}ReplicaFailure {3}True {4}FailedCreate\n/);
  assert.match(dText, /\nNewReplicaSet: +web-[a-z0-9]+ \(2\/4 replicas created\)\n/);
  // raised: the ReplicaSet retries on its own and the condition goes
  c.at('2025-03-01T12:06:00Z');
  assert.equal(apply('dep', quotaYaml('pods', { pods: '5' })).code, 0);
  assert.equal(json(['get', 'pods', '-n', 'dep']).items.length, 4);
  assert.equal(json(['get', 'rs', '-n', 'dep']).items[0].status.conditions, undefined);
  assert.doesNotMatch(c.ok(['describe', 'deployment', 'web', '-n', 'dep']), /ReplicaFailure/);
  assert.match(c.ok(['get', 'quota', '-n', 'dep']), /pods: 4\/5/);
  // pods going make room too: scale past, then delete a pod of another owner
  c.ok(['scale', 'deployment', 'web', '--replicas=6', '-n', 'dep']);
  assert.equal(json(['get', 'pods', '-n', 'dep']).items.length, 5);
});

test('a Job reports refused pods as FailedCreate too, and retries when the quota is raised', () => {
  ns('jobs');
  assert.equal(apply('jobs', quotaYaml('none', { pods: '0' })).code, 0);
  c.ok(['create', 'job', 'j', '--image=busybox', '-n', 'jobs']);
  assert.match(c.ok(['describe', 'job', 'j', '-n', 'jobs']), /Warning {2}FailedCreate {2}0s {4}job-controller {2}Error creating: pods "j-[a-z0-9]{5}" is forbidden: exceeded quota: none, requested: pods=1, used: pods=0, limited: pods=0\n/);
  assert.equal(apply('jobs', quotaYaml('none', { pods: '1' })).code, 0);
  assert.equal(json(['get', 'pods', '-n', 'jobs']).items.length, 1);
});

test('a DaemonSet reports refused pods as FailedCreate and makes them once the quota allows', () => {
  ns('daemons');
  assert.equal(apply('daemons', quotaYaml('one', { pods: '1' })).code, 0);
  const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: agent\n        image: busybox\n';
  assert.equal(apply('daemons', ds).code, 0);
  assert.equal(json(['get', 'pods', '-n', 'daemons']).items.length, 1);
  assert.match(c.ok(['describe', 'ds', 'agent', '-n', 'daemons']), /Warning +FailedCreate +\S+ +daemonset-controller +Error creating: pods "agent-[a-z0-9]{5}" is forbidden: exceeded quota: one, requested: pods=1, used: pods=1, limited: pods=1\n/);
  assert.equal(apply('daemons', quotaYaml('one', { pods: '5' })).code, 0);
  const want = json(['get', 'ds', 'agent', '-n', 'daemons']).status.desiredNumberScheduled;
  assert.equal(json(['get', 'pods', '-n', 'daemons']).items.length, want);
});

test('scopeSelector PriorityClass with DoesNotExist and NotIn match pods that name no class', () => {
  ns('prio');
  assert.equal(apply('prio', quotaYaml('noclass', { pods: '1' }, '  scopeSelector:\n    matchExpressions:\n    - scopeName: PriorityClass\n      operator: DoesNotExist\n')).code, 0);
  assert.equal(apply('prio', quotaYaml('notin', { pods: '5' }, '  scopeSelector:\n    matchExpressions:\n    - scopeName: PriorityClass\n      operator: NotIn\n      values: [high]\n')).code, 0);
  c.ok(['run', 'a', '--image=nginx', '-n', 'prio']);
  assert.match(c.run(['run', 'b', '--image=nginx', '-n', 'prio']).stderr, /exceeded quota: noclass, requested: pods=1, used: pods=1, limited: pods=1\n$/);
  assert.deepEqual(Object.fromEntries(json(['get', 'quota', '-n', 'prio']).items.map((q) => [q.metadata.name, q.status.used.pods])), { noclass: '1', notin: '1' });
});
