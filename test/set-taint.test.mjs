// Issue 16 part 4: set env|resources|serviceaccount|selector, taint, rollout pause|resume and
// kubernetes.io/change-cause. --local runs are compared byte for byte with real kubectl; cluster runs
// against goldens from kubectl's source (pkg/cmd/set, pkg/cmd/taint, pkg/cmd/rollout,
// polymorphichelpers) and the controllers (pkg/controller/deployment, pkg/controller/tainteviction).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, hasKubectl } from './helpers.mjs';

const c = cluster({ seed: 'set-taint', init: [] });
after(() => c.cleanup());
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));
const fail = (args) => {
  const r = c.run(args);
  assert.equal(r.code, 1, args.join(' '));
  return r.stderr;
};

const DEPLOY = `apiVersion: apps/v1
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
      - name: nginx
        image: nginx
        env:
        - name: A
          value: "1"
        - name: C
          valueFrom:
            configMapKeyRef:
              name: cm
              key: k
        - name: P
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
      - name: side
        image: busybox
`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n    tier: fe\n  ports:\n  - port: 80\n';

test('set env|resources|serviceaccount|selector|image --local match kubectl', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  const d = join(c.dir, 'deploy.yaml');
  const s = join(c.dir, 'svc.yaml');
  writeFileSync(d, DEPLOY);
  writeFileSync(s, SERVICE);
  const cases = [
    ['set', 'env', '-f', d, 'B=2', '-o', 'yaml'],
    ['set', 'env', '-f', d, 'B=2'],
    ['set', 'env', '-f', d, '--list'],
    ['set', 'env', '-f', d, 'A=2', 'Z-', '--list', '-c', 'nginx'],
    ['set', 'env', '-f', d, 'A-', '-c', 'side', '-o', 'yaml'],
    ['set', 'env', '-f', d, 'A-', '-o', 'yaml'],
    ['set', 'env', '-f', d, '-e', 'X=1', '-e', 'Y=two words', '-o', 'yaml'],
    ['set', 'env', '-f', d, 'A=2', '--overwrite=false'],
    ['set', 'env', '-f', d, '1A=2'],
    ['set', 'env', '-f', d, 'A=2', 'A-'],
    ['set', 'env', '-f', d, '-c', 'nope', 'A=2'],
    ['set', 'env', '-f', d, '--keys=a'],
    ['set', 'env', '-f', d],
    ['set', 'env', '-f', d, 'A=1', '--list', '-o', 'yaml'],
    ['set', 'env', '-f', d, 'A=1', '--dry-run=server'],
    ['set', 'env', '-f', s, 'A=1'],
    ['set', 'env', 'deploy', 'web', 'A=1'],
    ['set', 'resources', '-f', d, '--limits=cpu=200m,memory=512Mi', '-o', 'yaml'],
    ['set', 'resources', '-f', d, '--requests=cpu=0.5,memory=1Gi', '-c', 'nginx', '-o', 'yaml'],
    ['set', 'resources', '-f', d, '--limits=cpu=200m', '-c', 'side'],
    ['set', 'resources', '-f', d, '--limits=cpu=200m', '-c', 'nope'],
    ['set', 'resources', '-f', d, '--limits=cpu=abc'],
    ['set', 'resources', '-f', d],
    ['set', 'resources', '-f', s, '--limits=cpu=1'],
    ['set', 'serviceaccount', '-f', d, 'builder', '-o', 'yaml'],
    ['set', 'sa', '-f', d, 'default'],
    ['set', 'sa', '-f', d],
    ['set', 'sa', '-f', s, 'foo'],
    ['set', 'selector', '-f', s, 'app=other', '-o', 'yaml'],
    ['set', 'selector', '-f', s, 'app=other'],
    ['set', 'selector', '-f', s, 'app=other', '--resource-version=5', '-o', 'yaml'],
    ['set', 'selector', '-f', s, 'app in (a)'],
    ['set', 'selector', '-f', s, 'app=web', 'tier=fe'],
    ['set', 'selector', '-f', s],
    ['set', 'selector', '-f', d, 'app=x'],
    ['set', 'image', '-f', d, 'nginx=nginx:1.27', '-o', 'yaml'],
    ['set', 'image', '-f', d, 'nginx=x', '--record', '-o', 'yaml'],
    ['set', 'selector', '-f', s, 'a=b', '--record', '-o', 'yaml'],
    ['set', 'resources', '-f', d, '-c=side', '--limits=memory=1Gi', '-oyaml', '--record'],
    ['set', 'sa', '-f', d, 'x', '--record=false', '-o', 'yaml'],
    // -o json: the typed object's fields in Go struct order
    ['set', 'env', '-f', d, 'A=9', '-c', 'nginx', '-o', 'json'],
    ['set', 'resources', '-f', d, '--limits=cpu=1', '-o', 'json'],
    ['set', 'sa', '-f', d, 'x', '-o', 'json'],
    ['set', 'selector', '-f', s, 'a=b,c=d', '-o', 'json'],
  ];
  // label / annotate accept --record too; locally they warn and record nothing
  cases.push(['label', '-f', s, 'a=b', '--record', '-o', 'yaml'], ['annotate', '-f', s, 'a=b', '--record', '-o', 'yaml']);
  for (const args of cases) {
    const at = args[0] === 'set' ? 2 : 1;
    const full = [...args.slice(0, at), '--local', ...args.slice(at)];
    const k = spawnSync('kubectl', full, { encoding: 'utf8' });
    const r = c.run(full);
    // --record writes the program's own name (parseCommandArguments: filepath.Base(os.Args[0]))
    const ours = (x) => x.replaceAll('change-cause: kubesim ', 'change-cause: kubectl ');
    assert.deepEqual([r.code, ours(r.stdout), r.stderr], [k.status, k.stdout, k.stderr], full.join(' '));
  }
});

test('set on the cluster: env from a ConfigMap, --list --resolve, resources, serviceaccount, selector', () => {
  c.at('2025-03-01T11:00:00Z');
  c.ok(['create', 'deployment', 'api', '--image=nginx']);
  c.ok(['create', 'configmap', 'cfg', '--from-literal=db.host=db', '--from-literal=port=5432']);
  c.ok(['create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret']);
  assert.equal(c.ok(['set', 'env', 'deployment/api', '--from=configmap/cfg', '--prefix=APP_']), 'deployment.apps/api env updated\n');
  assert.equal(c.ok(['set', 'env', 'deployment/api', '--from=secret/pw', '--keys=password']), 'deployment.apps/api env updated\n');
  assert.equal(c.ok(['set', 'env', 'deployment/api', 'MODE=prod']), 'deployment.apps/api env updated\n');
  // setting the same value again changes nothing, and kubectl prints nothing
  assert.equal(c.ok(['set', 'env', 'deployment/api', 'MODE=prod']), '');
  assert.equal(
    c.ok(['set', 'env', 'deployment/api', '--list']),
    '# Deployment api, container nginx\n# APP_DB_HOST from configmap cfg, key db.host\n# APP_PORT from configmap cfg, key port\n# PASSWORD from secret pw, key password\nMODE=prod\n',
  );
  assert.equal(c.ok(['set', 'env', 'deployment/api', '--list', '--resolve']), '# Deployment api, container nginx\nAPP_DB_HOST=db\nAPP_PORT=5432\nPASSWORD=s3cret\nMODE=prod\n');
  assert.equal(c.ok(['set', 'env', 'deployment/api', 'MODE-', '--dry-run=client']), 'deployment.apps/api env updated (dry run)\n');
  assert.equal(json(['get', 'deploy', 'api']).spec.template.spec.containers[0].env.at(-1).name, 'MODE');
  assert.equal(c.ok(['set', 'resources', 'deployment', 'api', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=100m']), 'deployment.apps/api resource requirements updated\n');
  assert.deepEqual(json(['get', 'deploy', 'api']).spec.template.spec.containers[0].resources, { limits: { cpu: '200m', memory: '512Mi' }, requests: { cpu: '100m', memory: '512Mi' } }); // the missing request defaults to the limit
  assert.equal(fail(['set', 'resources', 'deployment', 'api', '--limits=cpu=200m']), 'error: info: deployment.apps/api "api" was not changed\n');
  assert.equal(c.ok(['set', 'serviceaccount', 'deployment', 'api', 'builder']), 'deployment.apps/api serviceaccount updated\n');
  assert.equal(json(['get', 'deploy', 'api']).spec.template.spec.serviceAccountName, 'builder');
  c.ok(['create', 'service', 'clusterip', 'api', '--tcp=80']);
  assert.equal(c.ok(['set', 'selector', 'service', 'api', 'app=api,tier=web']), 'service/api selector updated\n');
  assert.deepEqual(json(['get', 'svc', 'api']).spec.selector, { app: 'api', tier: 'web' });
  const rv = json(['get', 'svc', 'api']).metadata.resourceVersion;
  assert.equal(fail(['set', 'selector', 'service', 'api', 'app=api', '--resource-version=1']), 'Error from server (Conflict): Operation cannot be fulfilled on services "api": the object has been modified; please apply your changes to the latest version and try again\n');
  assert.equal(c.ok(['set', 'selector', 'service', 'api', 'app=api', `--resource-version=${rv}`]), 'service/api selector updated\n');
  // -l and --all pick the objects; a CronJob's template is under jobTemplate
  c.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *']);
  assert.equal(c.ok(['set', 'env', 'deployments', '-l', 'app=api', 'LEVEL=debug']), 'deployment.apps/api env updated\n');
  assert.equal(c.ok(['set', 'env', 'cronjob', '--all', 'LEVEL=debug']), 'cronjob.batch/tick env updated\n');
  assert.deepEqual(json(['get', 'cronjob', 'tick']).spec.jobTemplate.spec.template.spec.containers[0].env, [{ name: 'LEVEL', value: 'debug' }]);
  assert.equal(c.ok(['set', 'resources', 'cronjob/tick', '--requests=memory=64Mi', '-o', 'jsonpath={.spec.jobTemplate.spec.template.spec.containers[0].resources}']), '{"requests":{"memory":"64Mi"}}');
  // a pod's env is immutable: the apiserver's error, wrapped as set env does
  c.ok(['run', 'solo', '--image=nginx']);
  const err = fail(['set', 'env', 'pod/solo', 'X=1']);
  assert.match(err, /^error: failed to patch env update to pod template: Pod "solo" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  // --record: the deprecation warning and the command line in the change-cause annotation
  const r = c.run(['set', 'image', 'deployment/api', 'nginx=nginx:1.27', '--record']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'deployment.apps/api image updated\n', 'Flag --record has been deprecated, --record will be removed in the future\n']);
  assert.equal(json(['get', 'deploy', 'api']).metadata.annotations['kubernetes.io/change-cause'], 'kubesim set image deployment/api nginx=nginx:1.27 --record=true');
  c.at('2025-03-01T11:05:00Z');
  assert.match(c.ok(['rollout', 'history', 'deployment/api']), /\n\d+ +kubesim set image deployment\/api nginx=nginx:1\.27 --record=true\n\n$/);
  c.ok(['annotate', 'deployment/api', 'team=web', '--record']);
  assert.equal(json(['get', 'deploy', 'api']).metadata.annotations['kubernetes.io/change-cause'], 'kubesim annotate deployment/api team=web --record=true');
});

test('rollout pause keeps a template change from rolling out until resume', () => {
  c.at('2025-03-01T12:00:00Z');
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
  c.at('2025-03-01T12:01:00Z');
  assert.equal(c.ok(['rollout', 'pause', 'deployment/web']), 'deployment.apps/web paused\n');
  assert.equal(fail(['rollout', 'pause', 'deployment/web']), 'error: deployments.apps "web" is already paused\n');
  assert.equal(fail(['rollout', 'restart', 'deployment/web']), 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
  c.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
  c.at('2025-03-01T12:02:00Z');
  const webSets = () => json(['get', 'rs']).items.filter((rs) => rs.metadata.name.startsWith('web-'));
  assert.equal(webSets().length, 1, 'no new ReplicaSet while paused');
  const d = json(['get', 'deploy', 'web']);
  assert.deepEqual(d.status.conditions.find((x) => x.type === 'Progressing').reason, 'DeploymentPaused');
  // DeploymentStatusViewer has no word for a pause: no replica of the new template is updated
  assert.equal(c.ok(['rollout', 'status', 'deployment/web', '--watch=false']), 'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...\n');
  assert.equal(c.ok(['rollout', 'resume', 'deployment/web']), 'deployment.apps/web resumed\n');
  assert.equal(fail(['rollout', 'resume', 'deployment/web']), 'error: deployments.apps "web" is not paused\n');
  assert.equal(fail(['rollout', 'pause', 'daemonset/x']), 'error: pausing is not supported\n');
  c.at('2025-03-01T12:04:00Z');
  const sets = webSets();
  assert.equal(sets.length, 2);
  assert.deepEqual(sets.map((rs) => rs.spec.replicas).sort(), [0, 2]);
});

test('kubernetes.io/change-cause reaches rollout history', () => {
  c.at('2025-03-01T12:10:00Z');
  c.ok(['create', 'deployment', 'cc', '--image=nginx']);
  c.ok(['annotate', 'deployment', 'cc', 'kubernetes.io/change-cause=initial deploy']);
  c.at('2025-03-01T12:11:00Z');
  assert.equal(c.ok(['rollout', 'history', 'deployment/cc']), 'deployment.apps/cc \nREVISION  CHANGE-CAUSE\n1         initial deploy\n\n');
  c.ok(['set', 'image', 'deployment/cc', 'nginx=nginx:1.27']);
  c.ok(['annotate', 'deployment', 'cc', '--overwrite', 'kubernetes.io/change-cause=image 1.27']);
  c.at('2025-03-01T12:12:00Z');
  assert.equal(c.ok(['rollout', 'history', 'deployment/cc']), 'deployment.apps/cc \nREVISION  CHANGE-CAUSE\n1         initial deploy\n2         image 1.27\n\n');
  // scale --record: the command line becomes the current revision's change-cause
  const r = c.run(['scale', 'deployment/cc', '--replicas=2', '--record']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'deployment.apps/cc scaled\n', 'Flag --record has been deprecated, --record will be removed in the future\n']);
  c.at('2025-03-01T12:13:00Z');
  assert.equal(c.ok(['rollout', 'history', 'deployment/cc']), 'deployment.apps/cc \nREVISION  CHANGE-CAUSE\n1         initial deploy\n2         kubesim scale deployment/cc --replicas=2 --record=true\n\n');
});

test('taint: kubectl\'s messages for adding, changing and removing taints', () => {
  const t = cluster({ seed: 'taint-msgs', init: [] });
  try {
    const run = (args) => {
      const r = t.run(['taint', ...args]);
      return [r.code, r.stdout + r.stderr];
    };
    const cases = [
      [['nodes', 'node01', 'dedicated=gpu:NoSchedule'], [0, 'node/node01 tainted\n']],
      [['nodes', 'node01', 'dedicated=gpu:NoSchedule'], [1, 'error: node node01 already has dedicated taint(s) with same effect(s) and --overwrite is false\n']],
      [['nodes', 'node01', 'dedicated=cpu:NoSchedule', '--overwrite'], [0, 'node/node01 modified\n']],
      [['nodes', 'node01', 'dedicated:NoSchedule-'], [0, 'node/node01 untainted\n']],
      [['nodes', 'node01', 'dedicated-'], [1, 'error: taint "dedicated" not found\n']],
      [['nodes', 'node01', 'a=b:Bad'], [1, "error: invalid taint effect: Bad, unsupported taint effect\nSee 'kubesim taint -h' for help and examples\n"]],
      // a spec without an effect is a key alone, so a=b fails as a key (parseTaint)
      [['nodes', 'node01', 'a=b'], [1, "error: invalid taint spec: a=b, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\nSee 'kubesim taint -h' for help and examples\n"]],
      [['nodes', 'node01', 'a:NoSchedule'], [0, 'node/node01 tainted\n']],
      [['nodes', 'node01', 'a:NoSchedule-', 'b=:NoSchedule'], [0, 'node/node01 modified\n']],
      [['nodes', 'node01', 'b-'], [0, 'node/node01 untainted\n']],
      [['nodes', 'node01', 'a=1:NoSchedule', 'a=2:NoSchedule'], [1, "error: duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}\nSee 'kubesim taint -h' for help and examples\n"]],
      [['nodes', 'node01', 'x=1:NoExecute', 'x-'], [1, 'error: can not both modify and remove the following taint(s) in the same command: {"x":""}\n']],
      [['pods', 'p', 'a=b:NoSchedule'], [1, 'error: invalid resource type pods, only node types are supported\n']],
      [['nodes', 'a=b:NoSchedule'], [1, "error: at least one resource name must be specified since 'all' parameter is not set\n"]],
      [['nodes', 'node01'], [1, 'error: at least one taint update is required\n']],
      [['nodes', 'a=b:NoSchedule', 'node01'], [1, 'error: all resources must be specified before taint changes: node01\n']],
      [['nodes', '--all', '-l', 'a=b', 'k=v:NoSchedule'], [1, "error: setting 'all' parameter with a non empty selector is prohibited\n"]],
      [['nodes', '-l', 'kubernetes.io/hostname=node02', 'k=v:PreferNoSchedule'], [0, 'node/node02 tainted\n']],
      [['nodes', 'node02', 'k:PreferNoSchedule-', 'z=1:NoSchedule'], [0, 'node/node02 modified\n']],
      [['nodes', 'node02', 'z-', '--dry-run=client'], [0, 'node/node02 untainted (dry run)\n']],
    ];
    for (const [args, want] of cases) assert.deepEqual(run(args), want, args.join(' '));
    assert.deepEqual(JSON.parse(t.ok(['get', 'node', 'node02', '-o', 'json'])).spec.taints, [{ effect: 'NoSchedule', key: 'z', value: '1' }]);
  } finally {
    t.cleanup();
  }
});

test('taint: NoSchedule keeps new pods off, NoExecute evicts pods that do not tolerate it (tolerationSeconds on the simulated clock)', () => {
  const t = cluster({ seed: 'taint-evict', init: [] });
  try {
    t.at('2025-03-01T12:00:00Z');
    const pod = (name, tolerations) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'node01', ...(tolerations ? { tolerations } : {}), containers: [{ name: 'c', image: 'nginx' }] } });
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        pod('plain'),
        pod('brief', [{ key: 'maint', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]),
        pod('forever', [{ key: 'maint', operator: 'Exists' }]),
      ],
    };
    t.ok(['apply', '-f', '-'], { input: JSON.stringify(list) });
    t.at('2025-03-01T12:00:30Z');
    assert.equal(t.ok(['taint', 'nodes', 'node02', 'gpu=yes:NoSchedule']), 'node/node02 tainted\n');
    assert.equal(t.ok(['taint', 'nodes', 'node01', 'maint=yes:NoExecute']), 'node/node01 tainted\n');
    t.ok(['run', 'newcomer', '--image=nginx']);
    t.at('2025-03-01T12:00:31Z');
    const names = () => JSON.parse(t.ok(['get', 'pods', '-o', 'json'])).items.map((p) => `${p.metadata.name}:${p.spec.nodeName ?? ''}:${p.metadata.deletionTimestamp ? 'Terminating' : p.status.phase}`);
    // the plain pod goes at once; the newcomer can go neither to node02 (NoSchedule) nor node01
    assert.deepEqual(names().filter((n) => !n.startsWith('plain')), ['brief:node01:Running', 'forever:node01:Running', 'newcomer::Pending']);
    assert.match(t.ok(['get', 'events', '--field-selector', 'involvedObject.name=plain']), /Normal +TaintManagerEviction +pod\/plain +Marking for deletion Pod default\/plain\n/);
    t.at('2025-03-01T12:01:29Z');
    assert.ok(names().includes('brief:node01:Running'), 'brief stays its 60 s');
    t.at('2025-03-01T12:01:40Z');
    assert.deepEqual(names(), ['forever:node01:Running', 'newcomer::Pending']);
    // brief went at 12:01:30 (tainted at 12:00:30 + 60 s), plain at the taint
    assert.equal(
      t.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction']),
      'LAST SEEN   TYPE     REASON                 OBJECT      MESSAGE\n10s         Normal   TaintManagerEviction   pod/brief   Marking for deletion Pod default/brief\n70s         Normal   TaintManagerEviction   pod/plain   Marking for deletion Pod default/plain\n',
    );
    // untainted, node01 takes the newcomer
    assert.equal(t.ok(['taint', 'nodes', 'node01', 'maint-']), 'node/node01 untainted\n');
    t.at('2025-03-01T12:02:00Z');
    assert.deepEqual(names(), ['forever:node01:Running', 'newcomer:node01:Running']);
  } finally {
    t.cleanup();
  }
});
