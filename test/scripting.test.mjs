// Issue 7 (in part): custom-columns (checked by hand against kubectl's CustomColumnsPrinter and
// REFERENCE §8), --field-selector with the apiserver's selectable fields, --sort-by.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'scripting' });
after(() => c.cleanup());
const json = (args) => JSON.parse(c.ok([...args, '-o', 'json']));

test('custom-columns: relaxed paths, <none>, Go %v for lists and maps, --no-headers, a columns file', () => {
  c.ok(['run', 'a', '--image=nginx', '--labels=app=a,tier=web']);
  const p = json(['get', 'pod', 'a']);
  assert.equal(c.ok(['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IPS:.status.podIPs,LABELS:metadata.labels,GATES:{.spec.readinessGates}']),
    `NAME   IPS                    LABELS                GATES\na      [map[ip:${p.status.podIP}]]   map[app:a tier:web]   <none>\n`);
  assert.equal(c.ok(['get', 'pods', '--no-headers', '-o', 'custom-columns=N:.metadata.name,C:.spec.containers[*].name']), 'a     a\n');
  const f = join(c.dir, 'cols.txt');
  writeFileSync(f, 'NAME          NODE\n.metadata.name   .spec.nodeName\n');
  assert.equal(c.ok(['get', 'pods', '-o', `custom-columns-file=${f}`]), `NAME   NODE\na      ${p.spec.nodeName}\n`);
  const bad = c.run(['get', 'pods', '-o', 'custom-columns=NAME']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n']);
});

test('--field-selector: the apiserver\'s fields per kind, = == !=, and its error for the others', () => {
  c.ok(['run', 'b', '--image=nginx']);
  c.ok(['run', 'broken', '--image=ngnix']);
  // while nginx pulls, every pod is Pending
  assert.equal(c.ok(['get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name']), 'pod/a\npod/b\npod/broken\n');
  c.at('2025-03-01T12:00:10Z');
  assert.equal(c.ok(['get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name']), 'pod/a\npod/b\n');
  assert.equal(c.ok(['get', 'pods', '--field-selector', 'status.phase!=Running', '-o', 'name']), 'pod/broken\n');
  assert.equal(c.ok(['get', 'pods', '--field-selector', 'metadata.name==b', '-o', 'name']), 'pod/b\n');
  const node = json(['get', 'pod', 'a']).spec.nodeName;
  assert.match(c.ok(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node},metadata.namespace=kube-system`, '-o', 'name']), /^pod\/kube-proxy-\w{5}\n$/);
  assert.equal(c.ok(['get', 'svc', '-A', '--field-selector', 'spec.clusterIP=10.96.0.10', '-o', 'name']), 'service/kube-dns\n');
  const r = c.run(['get', 'pods', '--field-selector', 'spec.bogus=x']);
  assert.deepEqual([r.code, r.stderr], [1, 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.bogus=x": field label not supported: spec.bogus\n']);
});

test('--sort-by sorts numbers as numbers and text as text', () => {
  c.ok(['create', 'deployment', 'big', '--image=nginx', '--replicas=10']);
  c.ok(['create', 'deployment', 'small', '--image=nginx', '--replicas=2']);
  c.ok(['create', 'deployment', 'mid', '--image=nginx', '--replicas=3']);
  assert.equal(c.ok(['get', 'deploy', '--sort-by=.spec.replicas', '-o', 'name']), 'deployment.apps/small\ndeployment.apps/mid\ndeployment.apps/big\n');
  assert.equal(c.ok(['get', 'deploy', '--sort-by={.metadata.name}', '-o', 'custom-columns=N:.metadata.name', '--no-headers']), 'big\nmid\nsmall\n');
  assert.equal(c.ok(['get', 'svc', '-A', '--sort-by=.spec.clusterIP', '-o', 'jsonpath={.items[*].spec.clusterIP}']), '10.96.0.1 10.96.0.10');
});
