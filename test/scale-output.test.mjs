// kubectl scale -o (scale.go RunScale): with an output format it prints info.Object, the object as
// the builder read it before the scale, through one printer (YAML documents after the first begin
// with "---"); a client dry run prints without sending anything, so --current-replicas is not
// checked. Checked against kubectl 1.32 through kubesim serve (test/serve-compare.test.mjs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'scale-output', init: [] });
after(() => c.cleanup());
c.ok(['create', 'deployment', 'web', '--image=nginx']);
c.ok(['create', 'deployment', 'db', '--image=redis', '--replicas=2']);

const res = (stdout, stderr = '', code = 0) => ({ stdout, stderr, code });
const REPLICAS = ['-o', 'jsonpath={.metadata.name}={.spec.replicas} '];

test('scale --dry-run=server|client with -o prints the objects as read, and changes nothing', () => {
  const before = stateSnapshot(c.dir);
  const cases = [
    [['scale', 'deploy', 'web', '--replicas=5', '--dry-run=server', ...REPLICAS], res('web=1 ')],
    [['scale', 'deploy', 'web', 'db', '--replicas=5', '--dry-run=client', ...REPLICAS], res('web=1 db=2 ')],
    [['scale', 'deploy', 'web', 'db', '--replicas=5', '--dry-run=server', '-o', 'name'], res('deployment.apps/web\ndeployment.apps/db\n')],
    [['scale', 'deploy', 'web', '--replicas=5', '--dry-run=server'], res('deployment.apps/web scaled (server dry run)\n')],
    // a client dry run sends no scale, so it checks no precondition
    [['scale', 'deploy', 'web', '--replicas=5', '--current-replicas=9', '--dry-run=client'], res('deployment.apps/web scaled (dry run)\n')],
    [['scale', 'deploy', 'web', '--replicas=5', '--current-replicas=9', '--dry-run=server'], res('', 'error: Expected replicas to be 9, was 1\n', 1)],
    [['scale', 'deploy', 'web', '--replicas=-1', '-o', 'wide'], res('', 'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n', 1)],
  ];
  for (const [args, want] of cases) assert.deepEqual(c.run(args), want, args.join(' '));
  assert.deepEqual(stateSnapshot(c.dir), before);
});

test('scale -o yaml: every object read, "---" between them, no managedFields; -o json: one document each', () => {
  const yaml = c.ok(['scale', 'deploy', 'web', 'db', '--replicas=4', '--dry-run=server', '-o', 'yaml']);
  const docs = yaml.split(/^---\n/m);
  assert.equal(docs.length, 2);
  assert.match(docs[0], /^apiVersion: apps\/v1\nkind: Deployment\n/);
  assert.match(docs[0], /^  name: web$/m);
  assert.match(docs[0], /^  replicas: 1$/m);
  assert.match(docs[1], /^  name: db$/m);
  assert.match(docs[1], /^  replicas: 2$/m);
  assert.doesNotMatch(yaml, /managedFields/);
  const json = c.ok(['scale', 'deploy', 'web', 'db', '--replicas=4', '--dry-run=client', '-o', 'json']);
  assert.doesNotMatch(json, /^---/m);
  assert.deepEqual(json.split(/^(?=\{)/m).map((d) => JSON.parse(d).spec.replicas), [1, 2]);
});

test('scale -o prints the object before the scale, and scales it', () => {
  assert.deepEqual(c.run(['scale', 'deploy', 'web', '--replicas=3', ...REPLICAS]), res('web=1 '));
  assert.equal(c.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
});
