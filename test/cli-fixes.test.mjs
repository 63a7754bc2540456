// Issue 18 follow-up: kubesim's own CLI where serve-compare found it printing other than kubectl 1.32
// (each output here was printed by the real kubectl 1.32 against `kubesim serve`, and is also a
// step of test/serve-compare.test.mjs, which compares them live).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'cli-fixes', init: [] });
after(() => c.cleanup());

const res = (stdout, stderr = '', code = 0) => ({ stdout, stderr, code });

test('delete prints "No resources found" on stdout when nothing matched (delete.go DeleteResult), nothing for named objects --ignore-not-found finds gone', () => {
  c.ok(['create', 'configmap', 'keep', '--from-literal=a=b']);
  const cases = [
    [['delete', 'cm', 'nope', '--ignore-not-found'], res('')],
    [['delete', 'cm', 'nope', 'nope2', '--ignore-not-found'], res('')],
    [['delete', 'cm', '-l', 'x=1'], res('No resources found\n')],
    [['delete', 'cm', '-l', 'x=1', '--ignore-not-found'], res('No resources found\n')],
    [['delete', 'cm', '--all', '-n', 'foo'], res('No resources found\n')],
    [['delete', 'cm', 'nope'], res('', 'Error from server (NotFound): configmaps "nope" not found\n', 1)],
    [['delete', 'cm', 'keep', 'nope', '--ignore-not-found'], res('configmap "keep" deleted\n')],
  ];
  for (const [args, want] of cases) assert.deepEqual(c.run(args), want, args.join(' '));
});

test('expose names what it cannot expose by its GroupKind (polymorphichelpers canBeExposed), after reading it (expose.go)', () => {
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--port=80']);
  c.ok(['create', 'configmap', 'cfg']);
  const cases = [
    [['expose', 'cm', 'cfg', '--port=80'], res('', 'error: cannot expose a ConfigMap\n', 1)],
    [['expose', 'sts', 'nope', '--port=80'], res('', 'Error from server (NotFound): statefulsets.apps "nope" not found\n', 1)],
  ];
  for (const [args, want] of cases) assert.deepEqual(c.run(args), want, args.join(' '));
});

test('api-resources --api-group (empty: the core group) and --verbs (every one asked for), as apiresources.go filters', () => {
  const cases = [
    [['api-resources', '--verbs=create,delete', '--api-group=batch'], res('NAME       SHORTNAMES   APIVERSION   NAMESPACED   KIND\ncronjobs   cj           batch/v1     true         CronJob\njobs                    batch/v1     true         Job\n')],
    [['api-resources', '--verbs=create', '--verbs=delete', '--api-group=batch', '-o', 'name'], res('cronjobs.batch\njobs.batch\n')],
    [['api-resources', '--api-group=nope'], res('NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND\n')],
  ];
  for (const [args, want] of cases) assert.deepEqual(c.run(args), want, args.join(' '));
  // --api-group= is the core group: v1 only
  const core = c.ok(['api-resources', '--api-group=', '-o', 'name']).trim().split('\n');
  assert.ok(core.length > 10 && core.every((n) => !n.includes('.')), core.join(' '));
  // wide, cluster-scoped, listable: kubectl 1.32's rows against serve
  assert.equal(c.ok(['api-resources', '--verbs=list', '--namespaced=false', '-o', 'wide']), `NAME                  SHORTNAMES   APIVERSION                     NAMESPACED   KIND                 VERBS                                                        CATEGORIES
namespaces            ns           v1                             false        Namespace            create,delete,get,list,patch,update,watch                    
nodes                 no           v1                             false        Node                 create,delete,deletecollection,get,list,patch,update,watch   
persistentvolumes     pv           v1                             false        PersistentVolume     create,delete,deletecollection,get,list,patch,update,watch   
nodes                              metrics.k8s.io/v1beta1         false        NodeMetrics          get,list                                                     
ingressclasses                     networking.k8s.io/v1           false        IngressClass         create,delete,deletecollection,get,list,patch,update,watch   
clusterrolebindings                rbac.authorization.k8s.io/v1   false        ClusterRoleBinding   create,delete,deletecollection,get,list,patch,update,watch   
clusterroles                       rbac.authorization.k8s.io/v1   false        ClusterRole          create,delete,deletecollection,get,list,patch,update,watch   
priorityclasses       pc           scheduling.k8s.io/v1           false        PriorityClass        create,delete,deletecollection,get,list,patch,update,watch   
storageclasses        sc           storage.k8s.io/v1              false        StorageClass         create,delete,deletecollection,get,list,patch,update,watch   
`);
});

test('rollout history --revision prints the template unaligned, tabs kept, the hash label too (history.go printTemplate)', () => {
  c.ok(['create', 'deployment', 'hist', '--image=nginx']);
  c.ok(['set', 'image', 'deploy/hist', 'nginx=nginx:1.27']);
  const rs = JSON.parse(c.ok(['get', 'rs', '-l', 'app=hist', '-o', 'json'])).items.find((r) => r.metadata.annotations['deployment.kubernetes.io/revision'] === '1');
  const hash = rs.metadata.labels['pod-template-hash'];
  assert.equal(c.ok(['rollout', 'history', 'deploy/hist', '--revision=1']), `deployment.apps/hist with revision #1
Pod Template:
  Labels:\tapp=hist
\tpod-template-hash=${hash}
  Containers:
   nginx:
    Image:\tnginx
    Port:\t<none>
    Host Port:\t<none>
    Environment:\t<none>
    Mounts:\t<none>
  Volumes:\t<none>
  Node-Selectors:\t<none>
  Tolerations:\t<none>

`);
});

test('run --dry-run=server answers no resourceVersion (dryrun.go); run --expose creates the pod, then the service, and prints the service first (run.go)', () => {
  const both = (args) => JSON.parse(`[${c.ok(args).replace(/\n\}\n\{/, '\n},{')}]`);
  const dry = both(['run', 'dry', '--image=nginx', '--port=80', '--expose', '--dry-run=server', '-o', 'json']);
  assert.deepEqual(dry.map((x) => [x.kind, x.metadata.resourceVersion, !!x.metadata.uid]), [['Service', undefined, true], ['Pod', undefined, true]]);
  assert.equal(c.run(['get', 'pod,svc', 'dry']).code, 1);
  assert.equal(c.ok(['run', 'ex', '--image=nginx', '--port=80', '--expose']), 'service/ex created\npod/ex created\n');
  // the versions each got when created: the pod's first
  const [svc, pod] = both(['run', 'ex3', '--image=nginx', '--port=80', '--expose', '-o', 'json']);
  assert.ok(Number(pod.metadata.resourceVersion) < Number(svc.metadata.resourceVersion), `pod ${pod.metadata.resourceVersion} svc ${svc.metadata.resourceVersion}`);
  assert.equal(c.ok(['run', 'ex2', '--image=nginx', '--port=80', '--expose', '--dry-run=client', '-o', 'name']), 'service/ex2\npod/ex2\n');
});

test('get --show-managed-fields keeps managedFields in -o yaml/json; without it they are left out (JSONYamlPrintFlags)', () => {
  c.ok(['apply', '--server-side', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: b\n' });
  const yaml = c.ok(['get', 'cm', 'ssa', '-o', 'yaml', '--show-managed-fields']);
  assert.match(yaml, /\n  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:data:\n        f:a: \{\}\n    manager: kubectl\n    operation: Apply\n    time: "2025-03-01T12:00:00Z"\n  name: ssa\n/);
  assert.doesNotMatch(c.ok(['get', 'cm', 'ssa', '-o', 'yaml']), /managedFields/);
  assert.doesNotMatch(c.ok(['get', 'cm', '-o', 'json']), /managedFields/);
  assert.deepEqual(JSON.parse(c.ok(['get', 'cm', '-o', 'json', '--show-managed-fields'])).items.filter((i) => i.metadata.managedFields).map((i) => i.metadata.name), ['ssa']);
  // other printers are not touched by it
  assert.equal(c.ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.metadata.managedFields[*].manager}']), 'kubectl');
  assert.equal(c.ok(['get', 'cm', 'ssa', '--show-managed-fields', '--no-headers']).split(/\s+/).slice(0, 2).join(' '), 'ssa 1');
});

test('create namespace --dry-run=server stores nothing and says so, its answer without a version (kubectl 1.32 against serve)', () => {
  const before = c.ok(['get', 'ns', '-o', 'name']);
  assert.deepEqual(c.run(['create', 'ns', 'zz', '--dry-run=server']), res('namespace/zz created (server dry run)\n'));
  const y = c.ok(['create', 'ns', 'zz', '--dry-run=server', '-o', 'yaml']);
  assert.match(y, /^apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: "2025-03-01T12:00:00Z"\n  labels:\n    kubernetes.io\/metadata.name: zz\n  name: zz\n  uid: \S+\nspec:\n  finalizers:\n  - kubernetes\nstatus:\n  phase: Active\n$/);
  assert.equal(c.ok(['get', 'ns', '-o', 'name']), before);
  assert.equal(c.run(['get', 'ns', 'zz']).code, 1);
});

test('every --dry-run=server answers as dryrun.go: a created object without a version, a changed one at the stored version (kubectl 1.32 against serve)', () => {
  const cm = (name, a) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: ${a}\n`;
  const rv = (args, input) => c.ok([...args, '--dry-run=server', '-o', 'jsonpath={.metadata.resourceVersion}'], { input });
  c.ok(['apply', '-f', '-'], { input: cm('dr', 'b') });
  const stored = c.ok(['get', 'cm', 'dr', '-o', 'jsonpath={.metadata.resourceVersion}']);
  const cases = [
    [['create', '-f', '-'], cm('dr-new', 'b'), ''],
    [['apply', '-f', '-'], cm('dr-new', 'b'), ''],
    [['apply', '--server-side', '-f', '-'], cm('dr-new', 'b'), ''],
    [['create', 'configmap', 'dr-new'], undefined, ''],
    [['apply', '-f', '-'], cm('dr', 'c'), stored],
    [['apply', '--server-side', '--force-conflicts', '-f', '-'], cm('dr', 'c'), stored],
    [['label', 'cm', 'dr', 'x=y'], undefined, stored],
    [['patch', 'cm', 'dr', '-p', '{"data":{"q":"r"}}'], undefined, stored],
  ];
  for (const [args, input, want] of cases) assert.equal(rv(args, input), want, args.join(' '));
  assert.equal(c.ok(['get', 'cm', 'dr', '-o', 'jsonpath={.metadata.resourceVersion}']), stored);
  assert.equal(c.run(['get', 'cm', 'dr-new']).code, 1);
});
