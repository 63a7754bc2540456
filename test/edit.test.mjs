// Issue 16, part 1: kubectl edit driven by a scripted editor, as exam users drive it with
// KUBE_EDITOR: the temp file kubectl writes (its header, the object as get -o yaml prints it), a
// change saved as a strategic merge patch, no change, an empty file, an invalid change re-opened
// with the apiserver's causes as comments (then fixed, or abandoned with the saved copy and exit 1),
// several objects in one List, --output-patch, -o json, --save-config, a missing object, and the
// state byte-identical after a cancelled or failed edit. Messages from
// k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cluster, stateSnapshot } from './helpers.mjs';

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

const work = mkdtempSync(join(tmpdir(), 'kubesim-edit-'));
const EDITOR_SCRIPT = join(work, 'editor.mjs');
// The scripted editor: each launch copies the file it was given to shown/N and applies step N of
// EDIT_STEPS: a list of [regexp source, replacement] pairs, "keep", or "empty".
writeFileSync(
  EDITOR_SCRIPT,
  `import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
const [file] = process.argv.slice(2);
const dir = process.env.EDIT_LOG;
mkdirSync(dir, { recursive: true });
const n = readdirSync(dir).length;
const text = readFileSync(file, 'utf8');
writeFileSync(dir + '/' + n, file + '\\n' + text);
const step = JSON.parse(process.env.EDIT_STEPS)[n] ?? 'keep';
if (step === 'empty') writeFileSync(file, '');
else if (step !== 'keep') writeFileSync(file, step.reduce((t, [re, to]) => t.replace(new RegExp(re, 'm'), to), text));
`,
);

const c = cluster({ seed: 'edit' });
after(() => {
  c.cleanup();
  rmSync(work, { recursive: true, force: true });
});
c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
c.ok(['expose', 'deployment', 'web', '--port=80']);

let session = 0;
/** Runs edit with the scripted editor; returns the result, the files it was shown (path, text) and what is left in TMPDIR. */
function edit(args, steps) {
  const log = join(work, `log-${session}`);
  const tmp = join(work, `tmp-${session++}`);
  rmSync(tmp, { recursive: true, force: true });
  const env = { KUBE_EDITOR: `${process.execPath} ${EDITOR_SCRIPT}`, EDIT_LOG: log, EDIT_STEPS: JSON.stringify(steps), TMPDIR: tmp };
  mkdirSync(tmp, { recursive: true });
  const r = c.run(['edit', ...args], { env });
  let shown = [];
  try {
    shown = readdirSync(log)
      .sort((a, b) => a - b)
      .map((f) => {
        const t = readFileSync(join(log, f), 'utf8');
        const nl = t.indexOf('\n');
        return { path: t.slice(0, nl), text: t.slice(nl + 1) };
      });
  } catch {
    /* the editor never ran */
  }
  return { ...r, shown, left: readdirSync(tmp) };
}

const replicas = () => JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json'])).spec.replicas;

test('a change is saved as a patch: the file is kubectl-edit-N.yaml with the header and get -o yaml, removed after', () => {
  const yaml = c.ok(['get', 'deploy', 'web', '-o', 'yaml']);
  const r = edit(['deploy', 'web'], [[['^  replicas: 2$', '  replicas: 3']]]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'deployment.apps/web edited\n');
  assert.equal(r.code, 0);
  assert.equal(r.shown.length, 1);
  assert.match(r.shown[0].path, /\/kubectl-edit-\d+\.yaml$/);
  assert.equal(r.shown[0].text, HEADER + yaml);
  assert.deepEqual(r.left, []);
  assert.equal(replicas(), 3);
});

test('no change and an empty file cancel the edit and leave the state byte-identical', () => {
  const before = stateSnapshot(c.dir);
  for (const [steps, message] of [
    [['keep'], 'Edit cancelled, no changes made.\n'],
    [[[['^#.*\\n', '']]], 'Edit cancelled, no changes made.\n'],
    [['empty'], 'Edit cancelled, saved file was empty.\n'],
  ]) {
    const r = edit(['deployment/web'], steps);
    assert.deepEqual([r.stdout, r.stderr, r.code, r.left], ['', message, 0, []]);
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('an invalid change is re-opened with the causes as comments, then fixed', () => {
  const r = edit(['deploy/web'], [[['^  replicas: 3$', '  replicas: -1']], [['^  replicas: -1$', '  replicas: 4']]]);
  assert.equal(r.stderr, 'error: deployments.apps "web" is invalid\n');
  assert.equal(r.stdout, 'deployment.apps/web edited\n');
  assert.equal(r.code, 0);
  assert.equal(r.shown.length, 2);
  assert.ok(
    r.shown[1].text.startsWith(HEADER + '# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps/v1\n'),
    r.shown[1].text.slice(0, 600),
  );
  assert.match(r.shown[1].text, /^  replicas: -1$/m);
  assert.notEqual(r.shown[0].path, r.shown[1].path);
  assert.deepEqual(r.left, []);
  assert.equal(replicas(), 4);
});

test('an invalid change abandoned: the saved copy, exit 1, the state byte-identical', () => {
  const before = stateSnapshot(c.dir);
  const r = edit(['deploy/web'], [[['^  replicas: 4$', '  replicas: -1']], 'keep']);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `error: deployments.apps "web" is invalid\nA copy of your changes has been stored to "${r.shown[1].path}"\nerror: Edit cancelled, no valid changes were saved.\n`,
  );
  assert.equal(r.stdout, '');
  assert.match(readFileSync(r.shown[1].path, 'utf8'), /^  replicas: -1$/m);
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('an immutable field is invalid too', () => {
  const before = stateSnapshot(c.dir);
  const r = edit(['deploy/web'], [[['^      app: web$', '      app: other']], 'keep']);
  assert.equal(r.code, 1);
  assert.match(r.shown[1].text, /^# deployments\.apps "web" was not valid:\n(# \* .*\n)*# \* spec\.selector: Invalid value: .*field is immutable\n/m);
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('a YAML syntax error is re-opened as kubectl reports it', () => {
  const before = stateSnapshot(c.dir);
  const r = edit(['deploy/web'], [[['^  replicas: 4$', '  replicas: [4']], 'keep']);
  assert.equal(r.code, 1);
  assert.match(r.shown[1].text, /^# The edited file had a syntax error: error parsing edited-file: error converting YAML to JSON: yaml: line \d+: .*\n#\n/m);
  assert.match(r.stderr, /^A copy of your changes has been stored to ".*kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved.\n$/);
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('--output-patch prints the strategic merge patch kubectl computes', () => {
  let r = edit(['deploy/web', '--output-patch'], [[['^  replicas: 4$', '  replicas: 2']]]);
  assert.equal(r.stdout, 'Patch: {"spec":{"replicas":2}}\ndeployment.apps/web edited\n');
  // a container of a merge list: its merge key and the order of the list
  r = edit(['deploy/web', '--output-patch'], [[['image: nginx$', 'image: nginx:1.27']]]);
  assert.equal(r.stdout, 'Patch: {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}\ndeployment.apps/web edited\n');
  const d = JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27');
  // the apiserver defaults only what is unset: the pull policy of the image nginx stays
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Always');
});

test('-o json edits JSON without the header and prints the result as JSON', () => {
  const json = c.ok(['get', 'deploy', 'web', '-o', 'json']);
  const r = edit(['deploy/web', '-o', 'json'], [[['"replicas": 2,', '"replicas": 5,']]]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.shown[0].path, /\/kubectl-edit-\d+\.json$/);
  assert.equal(r.shown[0].text, json);
  assert.equal(JSON.parse(r.stdout).spec.replicas, 5);
  assert.equal(replicas(), 5);
});

test('several objects are edited as one List; an unchanged one is skipped', () => {
  const r = edit(['deploy/web', 'svc/web'], [[['^      app: web$', '      app: web\n      tier: front']]]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.shown[0].text.startsWith(HEADER + 'apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n'), r.shown[0].text.slice(0, 400));
  assert.match(r.shown[0].text, /^- apiVersion: v1\n  kind: Service\n/m);
  assert.match(r.shown[0].text, /\nkind: List\nmetadata: {}\n$/);
  assert.equal(r.stdout, 'deployment.apps/web edited\nservice/web skipped\n');
  assert.equal(JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json'])).metadata.labels.tier, 'front');
  // kubectl 1.32's edit has no -l: the type list with names
  const l = edit(['deploy/web', 'svc/web'], ['keep']);
  assert.match(l.shown[0].text, /kind: List/);
  assert.equal(l.stderr, 'Edit cancelled, no changes made.\n');
});

test('--save-config records the edited object as the last applied configuration', () => {
  const r = edit(['deploy/web', '--save-config'], [[['^  replicas: 5$', '  replicas: 1']]]);
  assert.equal(r.stdout, 'deployment.apps/web edited\n');
  const d = JSON.parse(c.ok(['get', 'deploy', 'web', '-o', 'json']));
  const last = JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
  assert.equal(last.spec.replicas, 1);
  assert.equal(last.metadata.name, 'web');
  assert.equal(last.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], undefined);
});

test('a missing object is the server NotFound, and the editor never opens', () => {
  const before = stateSnapshot(c.dir);
  const r = edit(['deploy', 'nope'], [[['replicas', 'x']]]);
  assert.deepEqual([r.stdout, r.stderr, r.code, r.shown.length], ['', 'Error from server (NotFound): deployments.apps "nope" not found\n', 1, 0]);
  const none = edit([], ['keep']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^error: You must provide one or more resources by argument or filename\.\n/);
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('the editor command: split on spaces, through $SHELL -c with quotes, an editor that fails', () => {
  const TMPDIR = join(work, 'tmp-editor');
  mkdirSync(TMPDIR, { recursive: true });
  const r = c.run(['edit', 'deploy/web'], { env: { KUBE_EDITOR: 'false', TMPDIR } });
  assert.deepEqual([r.stdout, r.stderr, r.code], ['', 'error: there was a problem with the editor "false"\n', 1]);
  const q = c.run(['edit', 'deploy/web'], { env: { KUBE_EDITOR: `sed -i 's/^  replicas: 1$/  replicas: 2/'`, SHELL: '/bin/sh', TMPDIR } });
  assert.deepEqual([q.stdout, q.code], ['deployment.apps/web edited\n', 0], q.stderr);
  const e = c.run(['edit', 'deploy/web'], { env: { KUBE_EDITOR: '', EDITOR: 'no-such-editor-kubesim', TMPDIR } });
  assert.deepEqual([e.stderr, e.code], ['error: unable to launch the editor "no-such-editor-kubesim"\n', 1]);
  assert.equal(replicas(), 2);
});

test('-f names the objects to edit, -n the namespace', () => {
  c.ok(['create', 'namespace', 'dev']);
  c.ok(['create', 'configmap', 'cfg', '-n', 'dev', '--from-literal=a=1']);
  const file = join(work, 'cfg.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: dev\n');
  let r = edit(['-f', file, '-n', 'dev', '--output-patch'], [[['^  a: "1"$', '  a: "2"']]]);
  assert.deepEqual([r.stdout, r.stderr, r.code], ['Patch: {"data":{"a":"2"}}\nconfigmap/cfg edited\n', '', 0]);
  // RequireNamespace(o.CmdNamespace): the edited objects stay in the command's namespace
  const before = stateSnapshot(c.dir);
  for (const [args, own, cmd] of [
    [['-f', file], 'dev', 'default'],
    [['cm', 'cfg', '-n', 'dev'], 'default', 'dev'],
  ]) {
    r = edit(args, [[['^  namespace: dev$', `  namespace: ${own}`], ['^  a: "2"$', '  a: "3"']]]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `A copy of your changes has been stored to "${r.shown[0].path}"\nerror: the namespace from the provided object "${own}" does not match the namespace "${cmd}". You must pass '--namespace=${own}' to perform this operation.\n`,
    );
  }
  assert.deepEqual(stateSnapshot(c.dir), before);
  assert.equal(JSON.parse(c.ok(['get', 'cm', 'cfg', '-n', 'dev', '-o', 'json'])).data.a, '2');
});

test('--windows-line-endings writes CRLF; --validate=warn lets an unknown field through with a warning', () => {
  const r = edit(['deploy/web', '--windows-line-endings'], ['keep']);
  assert.ok(r.shown[0].text.startsWith(HEADER.replace(/\n/g, '\r\n') + 'apiVersion: apps/v1\r\n'));
  assert.equal(r.stderr, 'Edit cancelled, no changes made.\n');
  const w = edit(['deploy/web', '--validate=warn'], [[['^  replicas: 2$', '  replicas: 3\n  foo: 1']]]);
  assert.deepEqual([w.stdout, w.stderr, w.code], ['deployment.apps/web edited\n', 'Warning: unknown field "spec.foo"\n', 0]);
  assert.equal(replicas(), 3);
});

test('the patches of list and map edits, applied by real kubectl (patch --local) as kubesim applied them', (t) => {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  const manifest = join(work, 'two.yaml');
  writeFileSync(
    manifest,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
  labels: {app: two, tier: back}
spec:
  selector: {matchLabels: {app: two}}
  template:
    metadata: {labels: {app: two}}
    spec:
      containers:
      - {name: a, image: nginx}
      - {name: b, image: busybox, command: [sleep, infinity]}
`,
  );
  c.ok(['apply', '-f', manifest]);
  const cases = [
    ['a container removed', [['^      - command:\\n(        .*\\n|        - .*\\n)*?        name: b\\n(        .*\\n)*', '']], '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"$patch":"delete","name":"b"}]}}}}'],
    ['an env var added', [['^        name: a$', '        name: a\n        env:\n        - name: MODE\n          value: fast']], '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"env":[{"name":"MODE","value":"fast"}],"name":"a"}]}}}}'],
    ['a label removed', [['^    tier: back\\n', '']], '{"metadata":{"labels":{"tier":null}}}'],
  ];
  for (const [what, step, patch] of cases) {
    const before = c.ok(['get', 'deploy', 'two', '-o', 'yaml']);
    const r = edit(['deploy/two', '--output-patch'], [step]);
    assert.equal(r.stdout, `Patch: ${patch}\ndeployment.apps/two edited\n`, what);
    const after = JSON.parse(c.ok(['get', 'deploy', 'two', '-o', 'json']));
    if (!kubectl) continue;
    const file = join(work, 'before.yaml');
    writeFileSync(file, before);
    const k = spawnSync('kubectl', ['patch', '-f', file, '--local', '--type', 'strategic', '-p', patch, '-o', 'json'], { encoding: 'utf8' });
    assert.equal(k.status, 0, k.stderr);
    const theirs = JSON.parse(k.stdout);
    assert.deepEqual([after.metadata.labels, after.spec.template], [theirs.metadata.labels, theirs.spec.template], what);
  }
  if (!kubectl) t.diagnostic('kubectl is not on PATH: the patches were not applied by kubectl');
});

test('apply edit-last-applied edits the last-applied configuration, and only the annotation changes', () => {
  const k = cluster({ seed: 'edit-last-applied' });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-ela-'));
    const script = join(dir, 'ed.sh');
    writeFileSync(script, "#!/bin/sh\nsed -i 's/replicas: 1/replicas: 3/' \"$1\"\n", { mode: 0o755 });
    k.ok(['apply', '-f', '-'], { input: k.ok(['create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml']) });
    assert.equal(k.ok(['apply', 'edit-last-applied', 'deploy/web'], { env: { KUBE_EDITOR: script } }), 'deployment.apps/web edited\n');
    assert.match(k.ok(['apply', 'view-last-applied', 'deploy/web']), /\n {2}replicas: 3\n/);
    assert.equal(JSON.parse(k.ok(['get', 'deploy', 'web', '-o', 'json'])).spec.replicas, 1, 'the live spec is as it was');
    const r = k.run(['apply', 'edit-last-applied', 'deploy/web'], { env: { KUBE_EDITOR: 'true' } });
    assert.deepEqual([r.code, r.stderr], [0, 'Edit cancelled, no changes made.\n']);
    k.ok(['create', 'deployment', 'plain', '--image=nginx']);
    const none = k.run(['apply', 'edit-last-applied', 'deploy/plain'], { env: { KUBE_EDITOR: 'true' } });
    assert.deepEqual([none.code, none.stderr], [1, 'error: no last-applied-configuration annotation found on resource: plain\n']);
    rmSync(dir, { recursive: true, force: true });
  } finally {
    k.cleanup();
  }
});
