// -o yaml must print what kubectl prints. kubectl's own YAML printer runs offline through
// `kubectl annotate --local -f OBJ.json k=v -o yaml`: we give it our stored object, add the same
// annotation on our side, and compare byte for byte.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cluster, hasKubectl, MANIFESTS } from './helpers.mjs';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const c = cluster({ seed: 'yaml' });
after(() => c.cleanup());

test('get -o yaml matches kubectl\'s YAML printer for every kind', (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
  c.ok(['apply', '-f', join(MANIFESTS, 'service-nodeport.yaml')]);
  c.ok(['apply', '-f', join(MANIFESTS, 'external-db.yaml')]);
  const slice = JSON.parse(c.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=webserver', '-o', 'json'])).items[0].metadata.name;
  const event = JSON.parse(c.ok(['get', 'events', '-o', 'json'])).items[0].metadata.name;
  const targets = [['svc', 'webserver'], ['svc', 'kubernetes'], ['pod', 'mypod'], ['ep', 'webserver'], ['ep', 'external-db'], ['node', 'node01'], ['ns', 'default'], ['endpointslice', slice], ['event', event], ['pod', '-n', 'kube-system', 'etcd-controlplane']];
  for (const args of targets) {
    const obj = JSON.parse(c.ok(['get', ...args, '-o', 'json']));
    const file = join(c.dir, 'obj.json');
    writeFileSync(file, JSON.stringify(obj));
    const k = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'kubesim.io/x=1', '-o', 'yaml'], { encoding: 'utf8' });
    assert.equal(k.status, 0, k.stderr);
    obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), 'kubesim.io/x': '1' };
    assert.equal(lib.toYAML(obj), k.stdout, args.join(' '));
  }
});
