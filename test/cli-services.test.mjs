// Issue 3: the seed labs end to end — create, get, describe, apply, delete; allocation; endpoints.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cluster, MANIFESTS, stateSnapshot } from './helpers.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'kubesim-manifests-'));
function file(name, text) {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}
const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const snapshot = (c) => stateSnapshot(c.dir);

test('seed 001: pod + NodePort service, get services, describe service (with and without a name), get nodes', () => {
  const c = cluster({ seed: 'seed001', now: '2025-03-01T12:00:00Z' });
  try {
    c.ok(['get', 'nodes']);
    c.at('2025-03-01T13:05:00Z');
    assert.equal(c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]), 'pod/mypod created\n');
    c.at('2025-03-01T13:05:41Z');
    assert.equal(c.ok(['create', '-f', join(MANIFESTS, 'service-nodeport.yaml')]), 'service/webserver created\n');
    c.at('2025-03-01T13:06:00Z');
    const svc = json(c, ['get', 'svc', 'webserver']);
    const ip = svc.spec.clusterIP;
    const np = svc.spec.ports[0].nodePort;
    assert.ok(np >= 30086 && np <= 32767, `random nodePorts come from the upper band: ${np}`);
    const pod = json(c, ['get', 'pod', 'mypod']);
    const podIP = pod.status.podIP;
    assert.match(podIP, /^10\.244\.[12]\.2$/, 'first pod on a worker gets .2 of its /24');
    const w = Math.max(ip.length, 'CLUSTER-IP'.length) + 3;
    const pw = Math.max(`80:${np}/TCP`.length, 'PORT(S)'.length) + 3;
    assert.equal(c.ok(['get', 'services']), [
      `NAME         TYPE        ${'CLUSTER-IP'.padEnd(w)}EXTERNAL-IP   ${'PORT(S)'.padEnd(pw)}AGE`,
      `kubernetes   ClusterIP   ${'10.96.0.1'.padEnd(w)}<none>        ${'443/TCP'.padEnd(pw)}66m`,
      `webserver    NodePort    ${ip.padEnd(w)}<none>        ${`80:${np}/TCP`.padEnd(pw)}19s`,
      '',
    ].join('\n'));
    const describeWeb = [
      'Name:                     webserver',
      'Namespace:                default',
      'Labels:                   app=webserver',
      'Annotations:              <none>',
      'Selector:                 app=webserver',
      'Type:                     NodePort',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      `IP:                       ${ip}`,
      `IPs:                      ${ip}`,
      'Port:                     <unset>  80/TCP',
      'TargetPort:               80/TCP',
      `NodePort:                 <unset>  ${np}/TCP`,
      `Endpoints:                ${podIP}:80`,
      'Session Affinity:         None',
      'External Traffic Policy:  Cluster',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
      '',
    ].join('\n');
    assert.equal(c.ok(['describe', 'service', 'webserver']), describeWeb);
    // DescribeMatchingResources prints each prefix match followed by a newline of its own
    assert.equal(c.ok(['describe', 'svc', 'web']), describeWeb + '\n', 'a name prefix matches');
    const describeK8s = [
      'Name:                     kubernetes',
      'Namespace:                default',
      'Labels:                   component=apiserver',
      '                          provider=kubernetes',
      'Annotations:              <none>',
      'Selector:                 <none>',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       10.96.0.1',
      'IPs:                      10.96.0.1',
      'Port:                     https  443/TCP',
      'TargetPort:               6443/TCP',
      'Endpoints:                192.168.49.2:6443',
      'Session Affinity:         None',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
      '',
    ].join('\n');
    assert.equal(c.ok(['describe', 'service']), describeK8s + '\n\n' + describeWeb);
    assert.equal(c.ok(['get', 'pods']), 'NAME    READY   STATUS    RESTARTS   AGE\nmypod   1/1     Running   0          60s\n');
    const node = pod.spec.nodeName;
    assert.equal(c.ok(['get', 'pods', '-o', 'wide']),
      'NAME    READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n' +
      `mypod   1/1     Running   0          60s   ${podIP}   ${node}   <none>           <none>\n`);
    assert.equal(c.ok(['get', 'nodes']), [
      'NAME           STATUS   ROLES           AGE   VERSION',
      'controlplane   Ready    control-plane   66m   v1.32.2',
      'node01         Ready    <none>          66m   v1.32.2',
      'node02         Ready    <none>          66m   v1.32.2',
      '',
    ].join('\n'));
    assert.equal(c.ok(['get', 'endpoints', 'webserver']), `NAME        ENDPOINTS       AGE\nwebserver   ${podIP}:80   19s\n`);
    const slices = json(c, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=webserver']).items;
    assert.equal(slices.length, 1);
    assert.match(slices[0].metadata.name, /^webserver-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(slices[0].endpoints[0].conditions, { ready: true, serving: true, terminating: false });
    assert.deepEqual(slices[0].ports, [{ name: '', port: 80, protocol: 'TCP' }]);
  } finally {
    c.cleanup();
  }
});

test('seed 003: explicit nodePort 31110, ClusterIP service, named targetPort', () => {
  const c = cluster({ seed: 'seed003' });
  try {
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx-pod\n  labels:\n    app: nginx\nspec:\n  containers:\n    - name: nginx-container\n      image: nginx\n      imagePullPolicy: IfNotPresent\n      ports:\n        - containerPort: 80\n          protocol: TCP\n          name: web\n' });
    assert.equal(c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-nodeport-service\nspec:\n  type: NodePort\n  ports:\n    - targetPort: 80\n      port: 80\n      nodePort: 31110\n  selector:\n    app: nginx\n' }), 'service/nginx-nodeport-service created\n');
    assert.match(c.ok(['get', 'svc', 'nginx-nodeport-service']), /\nnginx-nodeport-service   NodePort   10\.\S+ +<none>        80:31110\/TCP   0s\n$/);
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: named\nspec:\n  ports:\n  - port: 8080\n    targetPort: web\n  selector:\n    app: nginx\n' });
    c.at('2025-03-01T12:00:10Z'); // nginx has pulled (≈3.3 s): the pod is a ready endpoint
    const podIP = json(c, ['get', 'pod', 'nginx-pod']).status.podIP;
    assert.equal(json(c, ['get', 'ep', 'named']).subsets[0].ports[0].port, 80, 'named targetPort resolved through the container port');
    assert.match(c.ok(['describe', 'svc', 'named']), new RegExp(`\\nTargetPort:               web/TCP\\nEndpoints:                ${podIP.replace(/\./g, '\\.')}:80\\n`));
    const dup = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 31110\n' });
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr, 'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 31110: provided port is already allocated\n');
    const range = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 80\n' });
    assert.equal(range.stderr, 'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n');
    const ipTaken = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n' });
    assert.equal(ipTaken.stderr, 'The Service "other" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated\n');
    // explicit picks are honoured, and deleting frees them again
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pinned\nspec:\n  clusterIP: 10.96.0.50\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30010\n' });
    assert.equal(json(c, ['get', 'svc', 'pinned']).spec.clusterIP, '10.96.0.50');
    assert.equal(c.ok(['delete', 'svc', 'pinned']), 'service "pinned" deleted\n');
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pinned2\nspec:\n  clusterIP: 10.96.0.50\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30010\n' });
  } finally {
    c.cleanup();
  }
});

test('seed 004: the "ClusterIP,NodePort,LoadBalancer" manifest gets the Unsupported value error and changes nothing', () => {
  const c = cluster({ seed: 'seed004' });
  try {
    c.ok(['get', 'svc']);
    const before = snapshot(c);
    const f = file('seed004.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n    name: nginx  # Name of service gets a DNS entry\n    labels:\n        app: nginx\nspec:\n    type: ClusterIP,NodePort,LoadBalancer\n    selector:\n        app: nginx # For pods / deployments with this label\n    ports:\n        - name: http\n          port: 80\n          targetPort: 80\n          nodePort: 31000 # it will assign one dynamically, but we can specify it here\n');
    const r = c.run(['create', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'The Service "nginx" is invalid: spec.type: Unsupported value: "ClusterIP,NodePort,LoadBalancer": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n');
    assert.deepEqual(snapshot(c), before, 'a failed create leaves the state byte-identical');
    const ext = c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n    name: external-service\nspec:\n    type: ExternalName\n    externalName: api.acmecorp.com\n    ports:\n    - port: 9000\n' });
    assert.equal(ext, 'service/external-service created\n');
    assert.match(c.ok(['get', 'svc', 'external-service']), /\nexternal-service   ExternalName   <none>       api\.acmecorp\.com   9000\/TCP   0s\n$/);
    assert.equal(c.run(['get', 'ep', 'external-service']).code, 1, 'ExternalName services get no Endpoints');
  } finally {
    c.cleanup();
  }
});

test('several causes print one line each; one bad document does not stop the others', () => {
  const c = cluster({ seed: 'multi' });
  try {
    const f = file('multi.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: multi\nspec:\n  ports:\n  - port: 80\n  - port: 70000\n    protocol: HTTP\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: good\nspec:\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: My_Svc\nspec:\n  ports:\n  - port: 80\n');
    const r = c.run(['create', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'service/good created\n');
    assert.equal(r.stderr,
      `Error from server (Invalid): error when creating "${f}": Service "multi" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value, spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP", spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]\n` +
      `Error from server (Invalid): error when creating "${f}": Service "My_Svc" is invalid: metadata.name: Invalid value: "My_Svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n`);
    const single = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: two\nspec:\n  ports:\n  - port: 80\n  - port: 81\n' });
    assert.equal(single.stderr, 'The Service "two" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value\n');
    const noPorts = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: np\nspec:\n  selector:\n    app: x\n' });
    assert.equal(noPorts.stderr, 'The Service "np" is invalid: spec.ports: Required value\n');
    const cipNodePort = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cnp\nspec:\n  ports:\n  - port: 80\n    nodePort: 30001\n' });
    assert.equal(cipNodePort.stderr, "The Service \"cnp\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n");
    const headlessNP = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: hnp\nspec:\n  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n' });
    assert.equal(headlessNP.stderr, 'The Service "hnp" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services\n');
  } finally {
    c.cleanup();
  }
});

test('file errors: YAML syntax, unknown kind, missing fields, AlreadyExists, stdin and directories', () => {
  const c = cluster({ seed: 'files' });
  try {
    let r = c.run(['create', '-f', file('bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: a: b\n')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n')[0], `error: error parsing ${join(tmp, 'bad.yaml')}: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context`);
    assert.match(r.stderr, /column 11/);
    r = c.run(['create', '-f', file('foo.yaml', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n')]);
    assert.equal(r.stderr, `error: resource mapping not found for name: "x" namespace: "" from "${join(tmp, 'foo.yaml')}": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n`);
    r = c.run(['create', '-f', file('nokind.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n')]);
    assert.equal(r.stderr, `error: error validating "${join(tmp, 'nokind.yaml')}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n`);
    r = c.run(['create', '-f', join(tmp, 'missing.yaml')]);
    assert.equal(r.stderr, `error: the path "${join(tmp, 'missing.yaml')}" does not exist\n`);
    const svc = file('svc.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'from-json' }, spec: { ports: [{ port: 80 }] } }] }));
    assert.equal(c.ok(['create', '-f', svc]), 'service/from-json created\n');
    r = c.run(['create', '-f', svc]);
    assert.equal(r.stderr, `Error from server (AlreadyExists): error when creating "${svc}": services "from-json" already exists\n`);
    const dir = join(tmp, 'dir');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: in-dir\nspec:\n  ports:\n  - port: 80\n');
    writeFileSync(join(dir, 'sub', 'b.yml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: in-sub\nspec:\n  ports:\n  - port: 80\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    assert.equal(c.ok(['create', '-f', dir]), 'service/in-dir created\n');
    assert.equal(c.ok(['delete', '-f', dir]), 'service "in-dir" deleted\n');
    assert.equal(c.ok(['create', '-R', '-f', dir]), 'service/in-dir created\nservice/in-sub created\n');
    const type = c.run(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: t\nspec:\n  ports:\n  - port: "80"\n' });
    assert.equal(type.stderr, 'Error from server (BadRequest): error when creating "STDIN": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32\n');
    const ns = c.run(['create', '-f', '-', '-n', 'other'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: t\n  namespace: default\nspec:\n  ports:\n  - port: 80\n' });
    assert.equal(ns.stderr, "error: the namespace from the provided object \"default\" does not match the namespace \"other\". You must pass '--namespace=default' to perform this operation.\n");
    const nons = c.run(['create', '-f', '-', '-n', 'nowhere'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: t\nspec:\n  ports:\n  - port: 80\n' });
    assert.equal(nons.stderr, 'Error from server (NotFound): error when creating "STDIN": namespaces "nowhere" not found\n');
  } finally {
    c.cleanup();
  }
});

test('apply: created, unchanged, configured; allocated values kept; immutable clusterIP', () => {
  const c = cluster({ seed: 'apply' });
  try {
    const f = join(MANIFESTS, 'service-nodeport.yaml');
    assert.equal(c.ok(['apply', '-f', f]), 'service/webserver created\n');
    const first = json(c, ['get', 'svc', 'webserver']);
    assert.match(first.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /^\{"apiVersion":"v1","kind":"Service","metadata":\{"annotations":\{\},"labels":\{"app":"webserver"\},"name":"webserver","namespace":"default"\}/);
    assert.equal(c.ok(['apply', '-f', f]), 'service/webserver unchanged\n');
    const changed = file('web2.yaml', readFileSync(f, 'utf8').replace('app: webserver\n  name', 'app: webserver\n    tier: web\n  name'));
    assert.equal(c.ok(['apply', '-f', changed]), 'service/webserver configured\n');
    const second = json(c, ['get', 'svc', 'webserver']);
    assert.equal(second.spec.clusterIP, first.spec.clusterIP);
    assert.equal(second.spec.ports[0].nodePort, first.spec.ports[0].nodePort, 'apply keeps the allocated nodePort');
    assert.equal(second.metadata.labels.tier, 'web');
    const moved = file('web3.yaml', readFileSync(f, 'utf8').replace('spec:\n', 'spec:\n  clusterIP: 10.96.0.99\n'));
    const r = c.run(['apply', '-f', moved]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^The Service "webserver" is invalid: spec\.clusterIPs\[0\]: Invalid value: \["10\.96\.0\.99"\]: may not change once set\n/);
    assert.equal(json(c, ['get', 'svc', 'webserver']).spec.clusterIP, first.spec.clusterIP);
    c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    const w = c.run(['apply', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
    assert.equal(w.stdout, 'pod/mypod configured\n');
    assert.match(w.stderr, /^Warning: resource pods\/mypod is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/);
  } finally {
    c.cleanup();
  }
});

test('delete: by name, -f, -l, --all; IPs and ports are reclaimed', () => {
  const c = cluster({ seed: 'delete' });
  try {
    c.ok(['apply', '-f', MANIFESTS]);
    let r = c.run(['delete', 'svc', 'nope']);
    assert.deepEqual([r.code, r.stderr], [1, 'Error from server (NotFound): services "nope" not found\n']);
    assert.equal(c.ok(['delete', 'svc', 'webserver-headless', 'my-database']), 'service "webserver-headless" deleted\nservice "my-database" deleted\n');
    assert.equal(c.ok(['delete', '-f', join(MANIFESTS, 'external-db.yaml')]), 'service "external-db" deleted\nendpoints "external-db" deleted\n');
    r = c.run(['delete', '-f', join(MANIFESTS, 'external-db.yaml')]);
    assert.equal(r.stderr, `Error from server (NotFound): error when deleting "${join(MANIFESTS, 'external-db.yaml')}": services "external-db" not found\nError from server (NotFound): error when deleting "${join(MANIFESTS, 'external-db.yaml')}": endpoints "external-db" not found\n`);
    assert.equal(c.ok(['delete', 'pods', '-l', 'app=webserver']), 'pod "mypod" deleted\n');
    assert.equal(c.ok(['get', 'ep', 'webserver']), 'NAME        ENDPOINTS   AGE\nwebserver   <none>      0s\n', 'endpoints follow the deleted pod');
    const np = json(c, ['get', 'svc', 'webserver']).spec.ports[0].nodePort;
    assert.equal(c.ok(['delete', 'svc', '--all']), 'service "kubernetes" deleted\nservice "nginx" deleted\nservice "redis-master" deleted\nservice "webserver" deleted\nservice "webserver-internal" deleted\nservice "webserver-public" deleted\n');
    r = c.run(['delete', 'svc']);
    assert.equal(r.stderr, 'error: resource(s) were provided, but no name was specified\n');
    c.ok(['create', '-f', '-'], { input: `apiVersion: v1\nkind: Service\nmetadata:\n  name: reuse\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: ${np}\n` });
  } finally {
    c.cleanup();
  }
});

test('endpoints: not-ready pods, label changes, named ports per pod, selector-less services left alone', () => {
  const c = cluster({ seed: 'endpoints' });
  try {
    const pod = (name, labels, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}\n${extra}spec:\n  containers:\n  - name: app\n    image: nginx\n    ports:\n    - containerPort: 8080\n      name: http\n`;
    c.ok(['create', '-f', '-'], { input: pod('a', { app: 'web' }) });
    c.ok(['create', '-f', '-'], { input: pod('b', { app: 'web' }, '  annotations:\n    kubesim.io/ready: "false"\n') });
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n' });
    c.at('2025-03-01T12:00:10Z'); // both pods run nginx; b's readiness stays false
    const ipA = json(c, ['get', 'pod', 'a']).status.podIP;
    const ipB = json(c, ['get', 'pod', 'b']).status.podIP;
    const ep = json(c, ['get', 'ep', 'web']);
    assert.deepEqual(ep.subsets[0].addresses.map((a) => a.ip), [ipA]);
    assert.deepEqual(ep.subsets[0].notReadyAddresses.map((a) => a.ip), [ipB]);
    assert.equal(ep.subsets[0].ports[0].port, 8080);
    assert.equal(c.ok(['get', 'ep', 'web']), `NAME   ENDPOINTS         AGE\nweb    ${ipA}:8080   10s\n`);
    const slice = json(c, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']).items[0];
    assert.deepEqual(slice.endpoints.map((e) => [e.addresses[0], e.conditions.ready]).sort(), [[ipA, true], [ipB, false]].sort());
    // publishNotReadyAddresses puts every pod in addresses
    c.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  publishNotReadyAddresses: true\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n' });
    assert.deepEqual(json(c, ['get', 'ep', 'web']).subsets[0].addresses.map((a) => a.ip).sort(), [ipA, ipB].sort());
    // relabelling a pod out of the selector removes it (apply of the pod with new labels)
    c.ok(['apply', '-f', '-'], { input: pod('a', { app: 'other' }) });
    assert.deepEqual(json(c, ['get', 'ep', 'web']).subsets[0].addresses.map((a) => a.ip), [ipB]);
    // a pod without the named port is left out for that port
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: c\n  labels:\n    app: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n' });
    c.at('2025-03-01T12:00:20Z'); // c runs
    assert.equal(json(c, ['get', 'pod', 'c']).status.phase, 'Running');
    assert.ok(!json(c, ['get', 'ep', 'web']).subsets.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).some((a) => a.targetRef.name === 'c'));
    // selector-less service: hand-written endpoints stay as written
    c.ok(['create', '-f', join(MANIFESTS, 'external-db.yaml')]);
    assert.equal(c.ok(['get', 'ep', 'external-db']), 'NAME          ENDPOINTS             AGE\nexternal-db   192.168.49.100:5432   0s\n');
    c.ok(['create', '-f', '-'], { input: pod('d', { app: 'web' }) });
    assert.equal(c.ok(['get', 'ep', 'external-db']), 'NAME          ENDPOINTS             AGE\nexternal-db   192.168.49.100:5432   0s\n');
    // … and the mirroring controller copies them into an EndpointSlice, which kube-proxy reads
    const mirrored = json(c, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=external-db']).items;
    assert.equal(mirrored.length, 1);
    assert.equal(mirrored[0].metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.deepEqual(mirrored[0].metadata.ownerReferences.map((o) => o.kind), ['Endpoints']);
    assert.deepEqual(mirrored[0].endpoints, [{ addresses: ['192.168.49.100'], conditions: { ready: true } }]);
    assert.deepEqual(mirrored[0].ports, [{ name: 'postgres', port: 5432, protocol: 'TCP' }]);
    assert.match(c.ok(['describe', 'ep', 'external-db']), /^Name:         external-db\nNamespace:    default\n/);
  } finally {
    c.cleanup();
  }
});

test('LoadBalancer: <pending> on a bare cluster, an address from --lb-pool, nodePorts either way', () => {
  const bare = cluster({ seed: 'lb' });
  const pool = cluster({ seed: 'lb', init: ['--lb-pool', '192.168.49.200-192.168.49.201'] });
  try {
    for (const c of [bare, pool]) c.ok(['create', '-f', join(MANIFESTS, 'service-loadbalancer.yaml')]);
    const b = json(bare, ['get', 'svc', 'webserver-public']);
    assert.ok(b.spec.ports[0].nodePort > 0);
    assert.match(bare.ok(['get', 'svc', 'webserver-public']), / LoadBalancer   10\.\S+ +<pending>     80:\d+\/TCP   0s\n$/);
    assert.match(pool.ok(['get', 'svc', 'webserver-public']), / LoadBalancer   10\.\S+ +192\.168\.49\.200   80:\d+\/TCP   0s\n$/);
    assert.deepEqual(json(pool, ['get', 'svc', 'webserver-public']).status.loadBalancer.ingress, [{ ip: '192.168.49.200', ipMode: 'VIP' }]);
    assert.match(pool.ok(['describe', 'svc', 'webserver-public']), /\nLoadBalancer Ingress:     192\.168\.49\.200 \(VIP\)\n/);
    for (const n of ['lb2', 'lb3']) pool.ok(['create', '-f', '-'], { input: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n` });
    assert.match(pool.ok(['get', 'svc', 'lb2']), /192\.168\.49\.201/);
    assert.match(pool.ok(['get', 'svc', 'lb3']), /<pending>/, 'an exhausted pool leaves the service pending');
    pool.ok(['delete', 'svc', 'lb2']);
    assert.match(pool.ok(['get', 'svc', 'lb3']), /192\.168\.49\.201/, 'a freed address goes to the waiting service');
  } finally {
    bare.cleanup();
    pool.cleanup();
  }
});

test('system services and pods from cluster creation', () => {
  const c = cluster({ seed: 'system' });
  try {
    const dns = json(c, ['get', 'svc', 'kube-dns', '-n', 'kube-system']);
    assert.equal(dns.spec.clusterIP, '10.96.0.10');
    assert.deepEqual(dns.spec.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`), ['dns:53/UDP', 'dns-tcp:53/TCP', 'metrics:9153/TCP']);
    const pods = json(c, ['get', 'pods', '-n', 'kube-system']).items;
    assert.equal(pods.filter((p) => p.metadata.labels['k8s-app'] === 'kube-dns').length, 2);
    assert.equal(pods.filter((p) => p.metadata.labels['k8s-app'] === 'kube-proxy').length, 3);
    for (const comp of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) assert.ok(pods.some((p) => p.metadata.name === `${comp}-controlplane`), comp);
    assert.equal(json(c, ['get', 'ep', 'kube-dns', '-n', 'kube-system']).subsets[0].addresses.length, 2);
    assert.equal(c.ok(['get', 'ep', 'kubernetes']), 'NAME         ENDPOINTS           AGE\nkubernetes   192.168.49.2:6443   0s\n');
  } finally {
    c.cleanup();
  }
});

test('scheduler: spreads pods, keeps off the tainted control plane, reports unschedulable pods', () => {
  const c = cluster({ seed: 'sched' });
  try {
    for (let i = 0; i < 4; i++) c.ok(['create', '-f', '-'], { input: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: c\n    image: nginx\n` });
    const nodes = json(c, ['get', 'pods']).items.map((p) => p.spec.nodeName).sort();
    assert.deepEqual(nodes, ['node01', 'node01', 'node02', 'node02']);
    const ips = json(c, ['get', 'pods']).items.map((p) => p.status.podIP);
    assert.equal(new Set(ips).size, 4);
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: picky\nspec:\n  nodeSelector:\n    disk: ssd\n  containers:\n  - name: c\n    image: nginx\n' });
    assert.match(c.ok(['get', 'pod', 'picky']), /picky   0\/1     Pending   0          0s/);
    assert.match(c.ok(['describe', 'pod', 'picky']), /Warning  FailedScheduling  0s    default-scheduler  0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    // a deleted pod's IP is free again, an IP in use is never handed out twice
    const gone = json(c, ['get', 'pod', 'p0']);
    c.ok(['delete', 'pod', 'p0']);
    c.at('2025-03-01T12:00:05Z'); // the graceful delete is over: p0 is gone with its sandbox
    assert.equal(c.run(['get', 'pod', 'p0']).code, 1);
    c.ok(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p9\nspec:\n  nodeName: ' + gone.spec.nodeName + '\n  containers:\n  - name: c\n    image: nginx\n' });
    assert.equal(json(c, ['get', 'pod', 'p9']).status.podIP, gone.status.podIP);
  } finally {
    c.cleanup();
  }
});
