// kubectl run --overrides / --override-type (kubectl/pkg/cmd/util/override_options.go): the override
// applies to the generated pod before it is printed or created. Every expected output here was
// printed by the real kubectl 1.32 (`run x --image=nginx --dry-run=client`, pointed at kubesim serve
// for its RESTMapper).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, stateSnapshot } from './helpers.mjs';

const c = cluster({ seed: 'run-overrides', init: [] });
after(() => c.cleanup());

const res = (stdout, stderr = '', code = 0) => ({ stdout, stderr, code });

// [override type, overrides, -o, what kubectl 1.32 printed]
const CASES = [
  ["merge", "{\"spec\":{\"nodeName\":\"n1\"}}", "yaml", res("apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: nginx\n    name: x\n    resources: {}\n  dnsPolicy: ClusterFirst\n  nodeName: n1\n  restartPolicy: Always\nstatus: {}\n")],
  ["merge", "{\"spec\":{\"containers\":[{\"name\":\"y\",\"image\":\"busybox\"}]}}", "yaml", res("apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: busybox\n    name: \"y\"\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n")],
  ["strategic", "{\"spec\":{\"containers\":[{\"name\":\"y\",\"image\":\"busybox\"}]}}", "yaml", res("apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: busybox\n    name: \"y\"\n    resources: {}\n  - image: nginx\n    name: x\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n")],
  ["merge", "{\"spec\":{\"foo\":1,\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\"}],\"nodeSelector\":{\"b\":\"1\",\"a\":\"2\"}},\"metadata\":{\"labels\":null,\"annotations\":{\"z\":\"<b>\"}}}", "json", res("{\n    \"kind\": \"Pod\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"x\",\n        \"creationTimestamp\": null,\n        \"annotations\": {\n            \"z\": \"\\u003cb\\u003e\"\n        }\n    },\n    \"spec\": {\n        \"containers\": [\n            {\n                \"name\": \"x\",\n                \"image\": \"nginx\",\n                \"resources\": {}\n            }\n        ],\n        \"restartPolicy\": \"Always\",\n        \"dnsPolicy\": \"ClusterFirst\",\n        \"nodeSelector\": {\n            \"a\": \"2\",\n            \"b\": \"1\"\n        },\n        \"tolerations\": [\n            {\n                \"key\": \"k\",\n                \"operator\": \"Exists\"\n            }\n        ]\n    },\n    \"status\": {}\n}\n")],
  ["json", "[{\"op\":\"add\",\"path\":\"/spec/hostname\",\"value\":\"h\"},{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"b\":\"1\",\"a\":\"2\"}}]", "json", res("{\n    \"kind\": \"Pod\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"x\",\n        \"creationTimestamp\": null,\n        \"labels\": {\n            \"run\": \"x\"\n        },\n        \"annotations\": {\n            \"a\": \"2\",\n            \"b\": \"1\"\n        }\n    },\n    \"spec\": {\n        \"containers\": [\n            {\n                \"name\": \"x\",\n                \"image\": \"nginx\",\n                \"resources\": {}\n            }\n        ],\n        \"restartPolicy\": \"Always\",\n        \"dnsPolicy\": \"ClusterFirst\",\n        \"hostname\": \"h\"\n    },\n    \"status\": {}\n}\n")],
  ["merge", "{bad", "yaml", res("", "error: Invalid JSON Patch\n", 1)],
  ["merge", "\"str\"", "yaml", res("", "error: Invalid JSON Patch\n", 1)],
  ["merge", "[1]", "yaml", res("", "error: couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }\n", 1)],
  ["merge", "{\"kind\":null}", "yaml", res("", "error: Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\",\"creationTimestamp\":null,\"labels\":{\"run\":\"x\"}},\"spec\":{\"containers\":[{\"name\":\"x\",\"image\":\"nginx\",\"resources\":{}}],\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\"},\"status\":{}}'\n", 1)],
  ["merge", "{\"apiVersion\":\"v2\"}", "yaml", res("", "error: no kind \"Pod\" is registered for version \"v2\" in scheme \"pkg/scheme/scheme.go:28\"\n", 1)],
  ["merge", "{\"spec\":{\"containers\":\"x\"}}", "yaml", res("", "error: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container\n", 1)],
  ["strategic", "{bad", "yaml", res("", "error: invalid JSON document\n", 1)],
  ["strategic", "{\"kind\":null}", "yaml", res("", "error: Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"run\":\"x\"},\"name\":\"x\"},\"spec\":{\"containers\":[{\"image\":\"nginx\",\"name\":\"x\",\"resources\":{}}],\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\"},\"status\":{}}'\n", 1)],
  ["json", "{bad", "yaml", res("", "error: invalid character 'b' looking for beginning of object key string\n", 1)],
  ["json", "[1,", "yaml", res("", "error: unexpected end of JSON input\n", 1)],
  ["json", "{\"op\":\"add\"}", "yaml", res("", "error: json: cannot unmarshal object into Go value of type jsonpatch.Patch\n", 1)],
  ["json", "[{\"op\":\"remove\",\"path\":\"/spec/nodeName\"}]", "yaml", res("", "error: error in remove for path: '/spec/nodeName': Unable to remove nonexistent key: nodeName: missing value\n", 1)],
  ["json", "[{\"op\":\"remove\",\"path\":\"/kind\"}]", "yaml", res("", "error: Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\",\"creationTimestamp\":null,\"labels\":{\"run\":\"x\"}},\"spec\":{\"containers\":[{\"name\":\"x\",\"image\":\"nginx\",\"resources\":{}}],\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\"},\"status\":{}}'\n", 1)],
  ["bogus", "{\"spec\":{}}", "yaml", res("", "error: invalid override type: bogus\n", 1)],
];

test('run --overrides applies a merge (default), strategic or JSON patch to the generated pod, and fails as kubectl does', () => {
  for (const [type, overrides, fmt, want] of CASES) {
    const args = ['run', 'x', '--image=nginx', '--dry-run=client', '-o', fmt, `--overrides=${overrides}`, `--override-type=${type}`];
    assert.deepEqual(c.run(args), want, `${type} ${overrides}`);
  }
});

test('run --overrides without --override-type is a merge patch; an empty --overrides leaves the pod as generated, whatever the type', () => {
  const plain = c.run(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml']);
  assert.equal(plain.code, 0);
  assert.deepEqual(c.run(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml', '--overrides=', '--override-type=bogus']), plain);
  const merged = c.run(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml', '--overrides={"spec":{"nodeName":"n1"}}']);
  assert.deepEqual(merged, CASES[0][3]);
});

test('run --overrides creates the overridden pod; a failing override creates nothing (--expose: the service gets no override)', () => {
  assert.equal(c.ok(['run', 'p1', '--image=nginx', '--port=80', '--expose', '--overrides={"metadata":{"labels":{"extra":"1"}},"spec":{"hostname":"h1"}}']), 'service/p1 created\npod/p1 created\n');
  assert.equal(c.ok(['get', 'pod', 'p1', '-o', 'jsonpath={.metadata.labels} {.spec.hostname}']), '{"extra":"1","run":"p1"} h1');
  // the service selects run=p1, the generated labels, not the overridden ones
  assert.equal(c.ok(['get', 'svc', 'p1', '-o', 'jsonpath={.spec.selector}']), '{"run":"p1"}');
  const before = stateSnapshot(c.dir);
  assert.deepEqual(c.run(['run', 'p2', '--image=nginx', '--expose', '--port=80', '--overrides={"spec":{"containers":"x"}}']), res('', 'error: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container\n', 1));
  assert.deepEqual(stateSnapshot(c.dir), before);
});
