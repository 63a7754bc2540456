// create <kind> -o json prints what kubectl's typed client got back (create_namespace.go,
// create_deployment.go …: json.MarshalIndent of the typed object): kind, apiVersion, metadata,
// spec, status in the Go struct's order, status present even when empty. Each key list here is
// what kubectl 1.32 printed against kubesim serve.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'create-json-order', init: [] });
after(() => c.cleanup());

/** Every object key of a JSON document, as a dotted path, in the order it is written. */
function keyPaths(text) {
  const out = [];
  const walk = (v, p) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) (out.push(p + k), walk(v[k], `${p}${k}.`));
  };
  walk(JSON.parse(text), '');
  return out;
}

const CASES = [
  [['create', 'ns', 'n1'], ["kind","apiVersion","metadata","metadata.name","metadata.uid","metadata.resourceVersion","metadata.creationTimestamp","metadata.labels","metadata.labels.kubernetes.io/metadata.name","spec","spec.finalizers","status","status.phase"]],
  [['create', 'deploy', 'd1', '--image=nginx', '--dry-run=server'], ["kind","apiVersion","metadata","metadata.name","metadata.namespace","metadata.uid","metadata.generation","metadata.creationTimestamp","metadata.labels","metadata.labels.app","spec","spec.replicas","spec.selector","spec.selector.matchLabels","spec.selector.matchLabels.app","spec.template","spec.template.metadata","spec.template.metadata.creationTimestamp","spec.template.metadata.labels","spec.template.metadata.labels.app","spec.template.spec","spec.template.spec.containers","spec.template.spec.restartPolicy","spec.template.spec.terminationGracePeriodSeconds","spec.template.spec.dnsPolicy","spec.template.spec.securityContext","spec.template.spec.schedulerName","spec.template.spec.enableServiceLinks","spec.strategy","spec.strategy.type","spec.strategy.rollingUpdate","spec.strategy.rollingUpdate.maxUnavailable","spec.strategy.rollingUpdate.maxSurge","spec.revisionHistoryLimit","spec.progressDeadlineSeconds","status"]],
  [['create', 'job', 'j1', '--image=busybox', '--dry-run=server'], ["kind","apiVersion","metadata","metadata.name","metadata.namespace","metadata.uid","metadata.generation","metadata.creationTimestamp","metadata.labels","metadata.labels.batch.kubernetes.io/controller-uid","metadata.labels.batch.kubernetes.io/job-name","metadata.labels.controller-uid","metadata.labels.job-name","spec","spec.parallelism","spec.completions","spec.backoffLimit","spec.selector","spec.selector.matchLabels","spec.selector.matchLabels.batch.kubernetes.io/controller-uid","spec.manualSelector","spec.template","spec.template.metadata","spec.template.metadata.creationTimestamp","spec.template.metadata.labels","spec.template.metadata.labels.batch.kubernetes.io/controller-uid","spec.template.metadata.labels.batch.kubernetes.io/job-name","spec.template.metadata.labels.controller-uid","spec.template.metadata.labels.job-name","spec.template.spec","spec.template.spec.containers","spec.template.spec.restartPolicy","spec.template.spec.terminationGracePeriodSeconds","spec.template.spec.dnsPolicy","spec.template.spec.securityContext","spec.template.spec.schedulerName","spec.template.spec.enableServiceLinks","spec.completionMode","spec.suspend","spec.podReplacementPolicy","status"]],
  [['create', 'svc', 'clusterip', 's1', '--tcp=80', '--dry-run=server'], ["kind","apiVersion","metadata","metadata.name","metadata.namespace","metadata.uid","metadata.creationTimestamp","metadata.labels","metadata.labels.app","spec","spec.ports","spec.selector","spec.selector.app","spec.clusterIP","spec.clusterIPs","spec.type","spec.sessionAffinity","spec.ipFamilies","spec.ipFamilyPolicy","spec.internalTrafficPolicy","status","status.loadBalancer"]],
];

test('create <kind> -o json: the typed object in Go struct order (metadata, spec, status), as kubectl prints it', () => {
  for (const [args, want] of CASES) assert.deepEqual(keyPaths(c.ok([...args, '-o', 'json'])), want, args.join(' '));
});

test('create ns -o json and --dry-run=client -o json: struct order, the empty spec and status kept', () => {
  assert.equal(c.ok(['create', 'ns', 'n2', '--dry-run=client', '-o', 'json']), '{\n    "kind": "Namespace",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "n2",\n        "creationTimestamp": null\n    },\n    "spec": {},\n    "status": {}\n}\n');
  const server = JSON.parse(c.ok(['create', 'ns', 'n3', '--dry-run=server', '-o', 'json']));
  assert.deepEqual(Object.keys(server), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
  assert.deepEqual(Object.keys(server.metadata), ['name', 'uid', 'creationTimestamp', 'labels']);
});
