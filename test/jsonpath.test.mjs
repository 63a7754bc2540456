// Issue 7 (in part): kubectl's JSONPath, compared with real kubectl running offline through
// `kubectl annotate --local -f FILE x=y -o jsonpath=…` on the same objects, errors included.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cluster, hasKubectl, MANIFESTS } from './helpers.mjs';
import { sampleService } from './fixtures.mjs';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const c = cluster({ seed: 'jsonpath' });
after(() => c.cleanup());

const EXPRESSIONS = [
  '{.metadata.name}', '{.kind}', '{$.kind}', '{kind}', 'plain text', '{.metadata.name} is a {.kind}', '{.metadata.labels}', '{.metadata.annotations.x}',
  '{.metadata.labels.app}', '{.metadata.labels.app\\.kubernetes\\.io/name}', '{.spec.ports}', '{.spec.ports[0]}', '{.spec.ports[0].port}', '{.spec.ports[1].targetPort}',
  '{.spec.ports[*].port}', '{.spec.ports[*].name}', '{.spec.ports[-1].name}', '{.spec.ports[-1:].name}', '{.spec.ports[0:1].name}', '{.spec.ports[:2].port}',
  '{.spec.ports[0:2:2].name}', '{.spec.ports[0,1].port}', "{.spec.ports[*]['name']}", "{.metadata['name','namespace']}", '{..port}',
  '{.spec.ports[?(@.name=="https")].nodePort}', '{.spec.ports[?(@.port>100)].name}', '{.spec.ports[?(@.port<100)].name}', '{.spec.ports[?(@.port>=80)].port}',
  '{.spec.ports[?(@.name!="http")].name}', '{.spec.ports[?(@.targetPort)].name}', '{.spec.ports[?(@.nodePort==30080)].name}',
  '{range .spec.ports[*]}{.name}:{.port}{"\\n"}{end}', '{range .spec.ports[*]}[{.name}] {end}', '{.spec.ports[0].port}{"\\t"}{.kind}', '{.status}',
  '{.status.loadBalancer}', '{.nope}', '{.spec.nope.deeper}', '{.spec.selector.*}', '{"literal"}', "{'single'}",
  '{.spec.ports[5]}', '{.x[}', '{.spec.ports[*]["name","port"]}', '{range .spec.ports[*]}{.name}', '{end}',
  // (a wildcard over a map with several keys, and {..name}, are left out: Go walks maps in random order)
];

test(`${EXPRESSIONS.length} JSONPath expressions print what kubectl prints`, (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  const svc = sampleService();
  const f = join(c.dir, 'svc.json');
  writeFileSync(f, JSON.stringify(svc));
  const ours = { ...svc, metadata: { ...svc.metadata, annotations: { ...svc.metadata.annotations, x: 'y' } } };
  for (const e of EXPRESSIONS) {
    const k = spawnSync('kubectl', ['annotate', '--local', '-f', f, 'x=y', '-o', `jsonpath=${e}`], { encoding: 'utf8' });
    let out = '';
    let err = '';
    try {
      out = lib.printJsonPath(e, ours);
    } catch (x) {
      err = x.message + '\n';
    }
    assert.equal(out, k.stdout, `${e}: stdout`);
    // execution errors end with Go's %#v dump of the object, which we do not reproduce
    assert.equal(err.split('\n')[0], k.stderr.split('\n')[0], `${e}: stderr`);
    assert.equal(err ? 1 : 0, k.status, `${e}: exit code`);
  }
});

test('get -o jsonpath on one object and on a list', () => {
  c.ok(['apply', '-f', join(MANIFESTS, 'service-nodeport.yaml')]);
  const np = JSON.parse(c.ok(['get', 'svc', 'webserver', '-o', 'json'])).spec.ports[0].nodePort;
  assert.equal(c.ok(['get', 'svc', 'webserver', '-o', 'jsonpath={.spec.ports[0].nodePort}']), String(np));
  assert.equal(c.ok(['get', 'svc', '-o', 'jsonpath={.items[*].metadata.name}']), 'kubernetes webserver');
  assert.equal(c.ok(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.addresses[?(@.type=="InternalIP")].address}{"\\n"}{end}']), '192.168.49.2\n192.168.49.3\n192.168.49.4\n');
  const bad = c.run(['get', 'svc', '-o', 'jsonpath={.x[}']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: error parsing jsonpath {.x[}, unterminated array\n']);
});

test('jsonpath-as-json prints each action\'s results as an indented JSON array, as kubectl does', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'w<b>' } }, spec: { ports: [{ port: 80, name: 'http' }, { port: 443 }] } };
  const f = join(c.dir, 'svc2.json');
  writeFileSync(f, JSON.stringify(svc));
  const ours = { ...svc, metadata: { ...svc.metadata, annotations: { x: 'y' } } };
  for (const e of ['{.metadata.name}', '{.spec.ports[*].port}', '{.spec.ports[0]}{.kind}', 'x{.metadata.labels}']) {
    const k = spawnSync('kubectl', ['annotate', '--local', '-f', f, 'x=y', '-o', `jsonpath-as-json=${e}`], { encoding: 'utf8' });
    assert.equal(lib.printJsonPath(e, ours, { asJSON: true }), k.stdout, e);
  }
});

test('a null value prints null, a missing key nothing, through annotate --local -o jsonpath as kubectl does', (t) => {
  const f = join(c.dir, 'nulls.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: null}\n');
  const tpl = '{.spec.clusterIP}|{.nope}|{.spec}';
  assert.equal(c.ok(['annotate', '--local', '-f', f, 'b=c', '-o', `jsonpath=${tpl}`]), 'null||{"clusterIP":null}');
  if (!hasKubectl()) return t.diagnostic('kubectl is not installed: compared with the recorded output only');
  assert.equal(spawnSync('kubectl', ['annotate', '--local', '-f', f, 'b=c', '-o', `jsonpath=${tpl}`], { encoding: 'utf8' }).stdout, 'null||{"clusterIP":null}');
});
