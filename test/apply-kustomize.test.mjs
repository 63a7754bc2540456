// Issue 16, part 5: apply's remaining flags and kustomize. `kubesim kustomize DIR` is byte-equal to
// `kubectl kustomize DIR` (run live: it works offline) on the kustomizations of
// test/fixtures/kustomize, errors included (klog's time and pid aside); apply -k applies the build.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cluster, hasKubectl, ROOT, BIN } from './helpers.mjs';

const FIX = join(ROOT, 'test', 'fixtures', 'kustomize');
const KUSTOMIZATIONS = [
  'base', 'overlay-dev', 'overlay-prod', 'gen', 'labels', 'images', 'json6902', 'sorting', 'psm', 'nested/outer', 'annots',
  'gen-merge', 'errors-missing-res', 'errors-outside', 'errors-nested', 'errors-none',
];
/** klog's "E1202 14:59:51.781481   22223 " prefix differs run to run */
const unstamp = (s) => s.replace(/^E\d{4} [\d:.]+ +\d+ /gm, 'E ');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { stdout: r.stdout, stderr: unstamp(r.stderr), code: r.status };
};

const clusters = [];
after(() => clusters.forEach((c) => c.cleanup()));
const fresh = () => {
  const c = cluster();
  clusters.push(c);
  return c;
};

for (const dir of KUSTOMIZATIONS) {
  test(`kustomize ${dir}: byte-equal to kubectl kustomize`, (t) => {
    if (!hasKubectl()) return t.skip('kubectl is not on PATH');
    const want = run('kubectl', ['kustomize', join(FIX, dir)]);
    const got = run(process.execPath, [BIN, 'kustomize', join(FIX, dir)]);
    assert.deepEqual(got, want);
  });
}

test('kustomize: generated names carry kustomize hasher suffixes (golden)', () => {
  const out = run(process.execPath, [BIN, 'kustomize', join(FIX, 'overlay-dev')]).stdout;
  assert.match(out, /name: dev-settings-k4b9tgf9m9\n/);
  assert.match(out, /name: dev-creds-bf5fk5d75b\n/);
  // the Deployment's references follow: configMapKeyRef, envFrom, volumes, secretKeyRef, claim, service account
  assert.equal(out.match(/name: dev-settings-k4b9tgf9m9/g).length, 4);
  assert.match(out, /claimName: dev-web-data\n/);
  assert.match(out, /serviceAccountName: dev-web-sa\n/);
});

test('apply -k: the build applied (created, then unchanged), the warning on stderr first; -f with -k refused', () => {
  const c = fresh();
  c.ok(['create', 'namespace', 'dev']);
  const dir = join(FIX, 'overlay-dev');
  let r = c.run(['apply', '-k', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    'serviceaccount/dev-web-sa created\nconfigmap/dev-settings-k4b9tgf9m9 created\nsecret/dev-creds-bf5fk5d75b created\nservice/dev-web created\n' +
      'persistentvolumeclaim/dev-web-data created\ndeployment.apps/dev-web created\n',
  );
  assert.equal(r.stderr, "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n");
  r = c.run(['apply', '-k', dir]);
  assert.match(r.stdout, /deployment.apps\/dev-web unchanged\n/);
  assert.equal(c.ok(['get', 'deploy', 'dev-web', '-n', 'dev', '-o', 'jsonpath={.spec.template.spec.containers[0].envFrom[0].configMapRef.name}']), 'dev-settings-k4b9tgf9m9');
  r = c.run(['apply', '-k', dir, '-f', join(dir, 'kustomization.yaml')]);
  assert.deepEqual([r.code, r.stderr], [1, 'error: only one of -f or -k can be specified\n']);
  r = c.run(['apply', '-k', join(FIX, 'errors-none')]);
  assert.deepEqual([r.code, r.stderr], [1, `error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${join(FIX, 'errors-none')}'\n`]);
  r = c.run(['create', '-k', join(FIX, 'gen'), '--dry-run=client', '-o', 'name']);
  assert.equal(r.stdout, 'configmap/app-env-t625kdk659\nconfigmap/app-files-6484kktkdt\nconfigmap/fixed\nsecret/api-mc75b6h7fh\nsecret/tls-ish-dtt9g6dfth\n');
});

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;

test('apply view-last-applied: YAML (JSONToYAML) or the annotation indented by two (json.Indent); errors as kubectl prints them', () => {
  const c = fresh();
  c.ok(['apply', '-f', '-'], { input: SVC });
  const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  annotations: {}\n  name: web\n  namespace: default\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n  selector:\n    app: web\n';
  assert.equal(c.ok(['apply', 'view-last-applied', 'svc', 'web']), yaml);
  assert.equal(c.ok(['apply', 'view-last-applied', 'service/web', '-o', 'yaml']), yaml);
  const json = c.ok(['apply', 'view-last-applied', 'svc/web', '-o', 'json']);
  assert.equal(json, JSON.stringify(JSON.parse(c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'])), null, 2) + '\n');
  c.ok(['create', 'deployment', 'd', '--image=nginx']);
  let r = c.run(['apply', 'view-last-applied', 'deploy', 'd']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'error: no last-applied-configuration annotation found on resource: d\n']);
  r = c.run(['apply', 'view-last-applied', 'svc', 'web', '-o', 'wide']);
  assert.deepEqual([r.code, r.stderr], [1, "error: Unexpected -o output mode: wide, the flag 'output' must be one of yaml|json\nSee 'kubesim apply view-last-applied -h' for help and examples\n"]);
  r = c.run(['apply', 'view-last-applied', 'svc', 'nope']);
  assert.deepEqual([r.code, r.stderr], [1, 'Error from server (NotFound): services "nope" not found\n']);
});

test('apply set-last-applied: replaces the annotation from a file, "no changes required" when equal, --create-annotation', () => {
  const c = fresh();
  c.ok(['apply', '-f', '-'], { input: SVC });
  assert.equal(c.ok(['apply', 'set-last-applied', '-f', '-'], { input: SVC }), 'set-last-applied web: no changes required.\n');
  const changed = SVC.replace('8080', '9090');
  assert.equal(c.ok(['apply', 'set-last-applied', '-f', '-', '--dry-run=client'], { input: changed }), 'service/web configured (dry run)\n');
  assert.match(c.ok(['apply', 'view-last-applied', 'svc', 'web']), /targetPort: 8080/);
  assert.equal(c.ok(['apply', 'set-last-applied', '-f', '-'], { input: changed }), 'service/web configured\n');
  assert.match(c.ok(['apply', 'view-last-applied', 'svc', 'web']), /targetPort: 9090/);
  // the live object itself is untouched
  assert.equal(c.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].targetPort}']), '8080');
  c.ok(['create', 'deployment', 'd', '--image=nginx']);
  const dep = c.ok(['get', 'deploy', 'd', '-o', 'yaml']);
  let r = c.run(['apply', 'set-last-applied', '-f', '-'], { input: dep });
  assert.deepEqual([r.code, r.stderr], [1, "error: no last-applied-configuration annotation found on resource: d, to create the annotation, run the command with --create-annotation\nSee 'kubesim apply set-last-applied -h' for help and examples\n"]);
  assert.equal(c.ok(['apply', 'set-last-applied', '-f', '-', '--create-annotation', '-o', 'name'], { input: dep }), 'deployment.apps/d\n');
  r = c.run(['apply', 'set-last-applied', '-f', '-'], { input: SVC.replace('name: web', 'name: nope') });
  assert.deepEqual([r.code, r.stderr], [1, 'Error from server (NotFound): services "nope" not found\n']);
});

test('apply -f / create -f with a URL: kubesim has no network, kubectl\'s unreachable-host error and a note, exit 1', () => {
  const c = fresh();
  for (const [verb, url, host] of [['apply', 'https://example.com/app.yaml', 'example.com'], ['create', 'http://user@10.0.0.1:8080/x.yaml', '10.0.0.1']]) {
    const r = c.run([verb, '-f', url]);
    assert.deepEqual(
      [r.code, r.stdout, r.stderr],
      [1, '', `Unable to connect to the server: dial tcp: lookup ${host}: no such host\n(kubesim has no network and does not fetch URLs: download ${url} and pass the file to -f)\n`],
    );
  }
});

const PRUNE_ALL = `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: {app: x}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  labels: {app: x}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels: {app: x}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
`;
const PRUNE_SOME = PRUNE_ALL.split('---\n').slice(0, 2).join('---\n');

test('apply --prune -l: deletes the applied-before objects with the label that the input no longer has; dry runs say so', () => {
  const c = fresh();
  c.ok(['apply', '-f', '-'], { input: PRUNE_ALL });
  c.ok(['create', 'configmap', 'hand-made', '--from-literal=k=v']);
  c.ok(['label', 'configmap', 'hand-made', 'app=x']);
  assert.equal(c.ok(['apply', '-f', '-', '--prune', '-l', 'app=x', '--dry-run=client'], { input: PRUNE_SOME }), 'configmap/a configured (dry run)\nconfigmap/b configured (dry run)\ndeployment.apps/d pruned (dry run)\n');
  assert.equal(c.ok(['apply', '-f', '-', '--prune', '-l', 'app=x'], { input: PRUNE_SOME }), 'configmap/a unchanged\nconfigmap/b unchanged\ndeployment.apps/d pruned\n');
  // not created by apply (no last-applied annotation): kept; without the label: kept
  assert.equal(c.ok(['get', 'cm', '-o', 'name']), 'configmap/a\nconfigmap/b\nconfigmap/hand-made\nconfigmap/kube-root-ca.crt\nconfigmap/other\n');
  assert.equal(c.run(['get', 'deploy', 'd']).code, 1);
  // -l also selects the input: the unlabelled ConfigMap is not applied
  assert.equal(c.ok(['apply', '-f', '-', '--prune', '-l', 'app=x', '--prune-allowlist=apps/v1/Deployment'], { input: PRUNE_ALL }), 'configmap/a unchanged\nconfigmap/b unchanged\ndeployment.apps/d created\n');
  assert.equal(c.ok(['apply', '-f', '-', '--prune', '--all', '--prune-allowlist=core/v1/ConfigMap'], { input: PRUNE_SOME }), 'configmap/a unchanged\nconfigmap/b unchanged\nconfigmap/other pruned\n');
});

test('apply --prune: kubectl\'s validation messages', () => {
  const c = fresh();
  let r = c.run(['apply', '-f', '-', '--prune'], { input: PRUNE_SOME });
  assert.deepEqual([r.code, r.stderr], [1, 'Error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n']);
  r = c.run(['apply', '-f', '-', '--prune', '-l', 'a=b', '--prune-allowlist=foo'], { input: PRUNE_SOME });
  assert.deepEqual([r.code, r.stderr], [1, 'error: invalid GroupVersionKind format: foo, please follow <group/version/kind>\n']);
  assert.equal(c.run(['get', 'cm', 'a']).code, 1);
});

const SSA = (replicas, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
`;
const ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

test('apply --server-side: serverside-applied, field ownership in managedFields, conflicts with the apiserver\'s message, --force-conflicts', () => {
  const c = fresh();
  c.ok(['apply', '-f', '-'], { input: SSA(2) });
  const before = c.ok(['get', 'deploy', 'web', '-o', 'json']);
  let r = c.run(['apply', '--server-side', '-f', '-'], { input: SSA(3) });
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', `error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas\n${ADVICE}`]);
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'json']), before);
  // the same values co-own without conflict
  assert.equal(c.ok(['apply', '--server-side', '-f', '-'], { input: SSA(2) }), 'deployment.apps/web serverside-applied\n');
  assert.equal(c.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: SSA(3) }), 'deployment.apps/web serverside-applied\n');
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
  // managedFields are kept but hidden from -o yaml / json, as kubectl does without --show-managed-fields
  assert.doesNotMatch(c.ok(['get', 'deploy', 'web', '-o', 'yaml']), /managedFields/);
  // in the apiserver's order (managedfields.go sortEncodedManagedFields): Apply entries before Update ones
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.managedFields[*].manager}']), 'kubectl kubectl-client-side-apply');
  // another manager: conflicts with both owners of the image, Apply managers without a version
  r = c.run(['apply', '--server-side', '--field-manager=ci', '-f', '-'], { input: SSA(3, 'nginx:1.26') });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `error: Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.template.spec.containers[name="web"].image\nconflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.template.spec.containers[name="web"].image\n${ADVICE}`,
  );
  assert.equal(c.ok(['apply', '--server-side', '--field-manager=ci', '--force-conflicts', '-f', '-', '--dry-run=server'], { input: SSA(3, 'nginx:1.26') }), 'deployment.apps/web serverside-applied (server dry run)\n');
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
  // created by server-side apply: no last-applied annotation
  assert.equal(c.ok(['apply', '--server-side', '-f', '-'], { input: SSA(1).replace('name: web\n  labels', 'name: fresh\n  labels') }), 'deployment.apps/fresh serverside-applied\n');
  assert.doesNotMatch(c.ok(['get', 'deploy', 'fresh', '-o', 'jsonpath={.metadata.annotations}']), /last-applied/);
});

test('apply --server-side: flag checks as apply.go makes them', () => {
  const c = fresh();
  let r = c.run(['apply', '--force-conflicts', '-f', '-'], { input: SSA(1) });
  assert.deepEqual([r.code, r.stderr], [1, 'error: --force-conflicts only works with --server-side\n']);
  r = c.run(['apply', '--server-side', '--dry-run=client', '-f', '-'], { input: SSA(1) });
  assert.deepEqual([r.code, r.stderr], [1, "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server?)\n"]);
});

test('kustomize: a missing directory or a file instead of one, named as given (relative to the working directory)', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not on PATH');
  const inFix = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: FIX, env: { ...process.env, NO_COLOR: '1' } });
    return { stdout: r.stdout, stderr: unstamp(r.stderr), code: r.status };
  };
  for (const dir of ['nonexist', 'base/deployment.yaml', 'base/']) {
    assert.deepEqual(inFix(process.execPath, [BIN, 'kustomize', dir]), inFix('kubectl', ['kustomize', dir]), dir);
  }
});

test('apply after apply --server-side: client-side apply takes the fields it changes back, and a repeat is unchanged', () => {
  const c = fresh();
  c.ok(['apply', '-f', '-'], { input: SSA(2) });
  c.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: SSA(3) });
  assert.equal(c.ok(['apply', '-f', '-'], { input: SSA(2) }), 'deployment.apps/web configured\n');
  assert.equal(c.ok(['apply', '-f', '-'], { input: SSA(2) }), 'deployment.apps/web unchanged\n');
  const r = c.run(['apply', '--server-side', '-f', '-'], { input: SSA(3) });
  assert.equal(r.stderr.split('\n')[0], 'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
});
