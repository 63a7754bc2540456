// Issue 7 (in part): explain TYPE[.field…] [--recursive] for the kinds kubesim serves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'explain' });
after(() => c.cleanup());

test('explain a kind: header, description, fields with types and descriptions', () => {
  const out = c.ok(['explain', 'svc']);
  assert.match(out, /^KIND:       Service\nVERSION:    v1\n\nDESCRIPTION:\n    Service is a named abstraction of software service \(for example, mysql\)\n/);
  assert.match(out, /\nFIELDS:\n  apiVersion\t<string>\n    APIVersion defines the versioned schema/);
  assert.match(out, /\n  spec\t<ServiceSpec>\n/);
  assert.match(c.ok(['explain', 'deployments.apps']), /^KIND:       Deployment\nGROUP:      apps\nVERSION:    v1\n/);
  assert.match(c.ok(['explain', 'deployments.apps.spec.replicas']), /\nFIELD: replicas <integer>\n/);
  for (const line of out.split('\n')) assert.ok(line.length <= 80 || line.includes('\t') || !line.trim().includes(' '), `wrapped at 80: ${line}`);
});

test('explain a field path, required markers, --recursive, and errors', () => {
  const ports = c.ok(['explain', 'pod.spec.containers.ports']);
  assert.match(ports, /^KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <\[\]ContainerPort>\n\nDESCRIPTION:\n    List of ports to expose from the container\.\n/);
  assert.match(ports, /\n  containerPort\t<integer> -required-\n/);
  const rec = c.ok(['explain', 'deployment.spec', '--recursive']);
  assert.match(rec, /\n  template\t<PodTemplateSpec> -required-\n    metadata\t<ObjectMeta>\n      annotations\t<map\[string\]string>\n/);
  assert.deepEqual([c.run(['explain', 'pod.spec.nope']).stderr, c.run(['explain', 'pod.spec.nope']).code], ['error: field "nope" does not exist\n', 1]);
  assert.equal(c.run(['explain', 'widgets']).stderr, 'error: the server doesn\'t have a resource type "widgets"\n');
});
