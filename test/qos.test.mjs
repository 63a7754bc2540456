// A pod's QoS class (kubernetes pkg/apis/core/helper/qos ComputePodQOS): quantities compare by value,
// so the scheduler, the kubelet and describe agree on one answer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cluster } from './helpers.mjs';

const { computePodQOS } = createRequire(import.meta.url)('../dist/lib.cjs');

const pod = (...resources) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'nginx', resources: r })) } });

const CASES = [
  ['no resources', pod({}), 'BestEffort'],
  ['cpu "1" equals "1000m"', pod({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } }), 'Guaranteed'],
  // before defaulting; the apiserver copies limits into missing requests, which makes the stored pod Guaranteed
  ['limits only, undefaulted', pod({ limits: { cpu: '500m', memory: '128Mi' } }), 'Burstable'],
  ['request below limit', pod({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '64Mi' } }), 'Burstable'],
  ['limit without memory', pod({ requests: { cpu: '1' }, limits: { cpu: '1' } }), 'Burstable'],
  ['one container of two without limits', pod({ limits: { cpu: '1', memory: '1Gi' } }, {}), 'Burstable'],
  ['zero quantities do not count', pod({ requests: { cpu: '0' }, limits: { memory: '0' } }), 'BestEffort'],
  ['other resources do not count', pod({ requests: { 'ephemeral-storage': '1Gi' } }), 'BestEffort'],
  ['0.5 equals 500m', pod({ requests: { cpu: '0.5', memory: '1e9' }, limits: { cpu: '500m', memory: '1G' } }), 'Guaranteed'],
];

for (const [name, p, want] of CASES) {
  test(`QoS: ${name} → ${want}`, () => assert.equal(computePodQOS(p), want));
}

test('the stored status.qosClass and describe say the same class', () => {
  const c = cluster();
  after(c.cleanup);
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: "1", memory: 1Gi}, limits: {cpu: 1000m, memory: 1024Mi}}}]}\n';
  c.ok(['create', '-f', '-'], { input: yaml });
  assert.equal(c.ok(['get', 'pod', 'g', '-o', 'jsonpath={.status.qosClass}']), 'Guaranteed');
  assert.match(c.ok(['describe', 'pod', 'g']), /^QoS Class: +Guaranteed$/m);
});
