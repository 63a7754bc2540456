// Cluster IP and NodePort allocation (src/controllers/ipam.ts, nodeports.ts) against the apiserver's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');
const {
  Rand,
  ClusterIPAllocator,
  NodePortAllocator,
  AllocError,
  StatusError,
  allocateServiceAddresses,
  updateServiceAddresses,
  releaseServiceAddresses,
  buildServiceAllocators,
  clusterIPRangeOffset,
  nodePortRangeOffset,
  PodIPRange,
  fieldErrorString,
  invalidError,
  resourceByKind,
} = lib;

const CIDR = '10.96.0.0/12';
const RANGE = [30000, 32767];

function allocators(seed = 'test', cidr = CIDR, range = RANGE, ips = [], ports = []) {
  const rand = Rand.fromSeed(seed);
  return { ips: new ClusterIPAllocator(cidr, ips, rand), ports: new NodePortAllocator(range, ports, rand) };
}

function svc(name, spec) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'ClusterIP', ...spec } };
}

const port = (p, extra = {}) => ({ port: p, protocol: 'TCP', targetPort: p, ...extra });

function ipNum(ip) {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

test('range offsets follow the apiserver formulas', () => {
  assert.equal(clusterIPRangeOffset(2 ** 20), 256); // /12
  assert.equal(clusterIPRangeOffset(256), 16); // /24
  assert.equal(clusterIPRangeOffset(32), 16); // /27
  assert.equal(clusterIPRangeOffset(16), 0); // /28
  assert.equal(nodePortRangeOffset(2768), 86); // 30000-32767
  assert.equal(nodePortRangeOffset(5), 0);
  assert.equal(nodePortRangeOffset(100000), 128);
});

test('first usable IP and explicit IPs in the static band', () => {
  const a = allocators();
  assert.equal(a.ips.first(), '10.96.0.1');
  assert.equal(a.ips.cidr, '10.96.0.0/12');
  a.ips.allocate('10.96.0.1');
  a.ips.allocate('10.96.0.10');
  assert.ok(a.ips.has('10.96.0.10'));
  assert.throws(() => a.ips.allocate('10.96.0.10'), (e) => e instanceof AllocError && e.message === 'provided IP is already allocated');
  // network and broadcast addresses are outside the usable range
  assert.throws(() => a.ips.allocate('10.96.0.0'), /not in the valid range/);
  assert.throws(() => a.ips.allocate('10.111.255.255'), /not in the valid range/);
  a.ips.allocate('10.111.255.254');
  const s = svc('dns', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [port(53)] });
  assert.deepEqual(allocateServiceAddresses(s, a), []);
  assert.equal(s.spec.clusterIP, '10.96.0.20');
  // explicit node ports in the static band are fine too
  a.ports.allocate(30000);
  a.ports.allocate(30085);
  assert.ok(a.ports.has(30085));
});

test('2000 services get unique IPs and node ports from the dynamic bands', () => {
  const a = allocators('many');
  const ips = new Set();
  const nodePorts = new Set();
  for (let i = 0; i < 2000; i++) {
    const s = svc(`s${i}`, { type: 'NodePort', ports: [port(80)] });
    assert.deepEqual(allocateServiceAddresses(s, a), []);
    const ip = s.spec.clusterIP;
    assert.deepEqual(s.spec.clusterIPs, [ip]);
    assert.ok(ipNum(ip) >= ipNum('10.96.1.1') && ipNum(ip) <= ipNum('10.111.255.254'), ip);
    ips.add(ip);
    const np = s.spec.ports[0].nodePort;
    assert.ok(np >= 30086 && np <= 32767, String(np));
    nodePorts.add(np);
  }
  assert.equal(ips.size, 2000);
  assert.equal(nodePorts.size, 2000);
  assert.equal(a.ports.free(), 2768 - 2000);
});

test('random allocation falls back to the static band only when the dynamic band is full', () => {
  const a = allocators('bands', '10.0.0.0/24');
  const got = [];
  for (let i = 0; i < 254 - 16; i++) got.push(ipNum(a.ips.allocateNext()) - ipNum('10.0.0.0'));
  assert.ok(got.every((n) => n >= 17 && n <= 254));
  const next = ipNum(a.ips.allocateNext()) - ipNum('10.0.0.0');
  assert.ok(next >= 1 && next <= 16, String(next));
});

test('same seed, same choices', () => {
  const run = (seed) => {
    const a = allocators(seed);
    return Array.from({ length: 20 }, () => `${a.ips.allocateNext()}:${a.ports.allocateNext()}`);
  };
  assert.deepEqual(run('s1'), run('s1'));
  assert.notDeepEqual(run('s1'), run('s2'));
});

test('released addresses and ports can be allocated again', () => {
  const a = allocators('reclaim', '10.1.0.0/29', [30000, 30004]);
  const ips = Array.from({ length: 6 }, () => a.ips.allocateNext());
  assert.equal(new Set(ips).size, 6);
  assert.throws(() => a.ips.allocateNext(), (e) => e instanceof AllocError && e.reason === 'full' && e.message === 'range is full');
  a.ips.release(ips[3]);
  assert.equal(a.ips.free(), 1);
  assert.equal(a.ips.allocateNext(), ips[3]);

  const ports = Array.from({ length: 5 }, () => a.ports.allocateNext());
  assert.deepEqual([...ports].sort(), [30000, 30001, 30002, 30003, 30004]);
  a.ports.release(30002);
  assert.equal(a.ports.allocateNext(), 30002);

  // a deleted service gives everything back
  const b = allocators('reclaim2');
  const s = svc('x', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [port(80)] });
  assert.deepEqual(allocateServiceAddresses(s, b), []);
  assert.ok(s.spec.healthCheckNodePort >= 30000);
  releaseServiceAddresses(s, b);
  assert.ok(!b.ips.has(s.spec.clusterIP));
  assert.ok(!b.ports.has(s.spec.ports[0].nodePort));
  assert.ok(!b.ports.has(s.spec.healthCheckNodePort));
  assert.equal(b.ports.free(), 2768);
});

test('conflicts give the apiserver messages', () => {
  const a = allocators('conflicts', CIDR, RANGE, ['10.96.0.10'], [30009]);
  const msg = (s) => allocateServiceAddresses(s, a).map(fieldErrorString);
  assert.deepEqual(msg(svc('a', { type: 'NodePort', ports: [port(80, { nodePort: 30009 })] })), [
    'spec.ports[0].nodePort: Invalid value: 30009: provided port is already allocated',
  ]);
  assert.deepEqual(msg(svc('b', { type: 'NodePort', ports: [port(80, { nodePort: 80 })] })), [
    'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
  ]);
  assert.deepEqual(msg(svc('c', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [port(80)] })), [
    'spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  ]);
  // an old client that sets only clusterIP
  const errs = allocateServiceAddresses(svc('d', { clusterIP: '10.0.0.5', ports: [port(80)] }), a);
  assert.deepEqual(errs.map(fieldErrorString), [
    'spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  ]);
  assert.equal(
    invalidError(resourceByKind('Service'), 'd', errs).message,
    'Service "d" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  );
});

test('a full range is an InternalError and takes nothing', () => {
  const a = allocators('full', '10.1.0.0/29', [30000, 30004]);
  for (let i = 0; i < 6; i++) assert.deepEqual(allocateServiceAddresses(svc(`s${i}`, { ports: [port(80)] }), a), []);
  const s = svc('late', { ports: [port(80)] });
  assert.throws(
    () => allocateServiceAddresses(s, a),
    (e) => e instanceof StatusError && e.reason === 'InternalError' && e.message === 'Internal error occurred: failed to allocate a serviceIP: range is full',
  );
  assert.equal(s.spec.clusterIP, undefined);

  const b = allocators('full2', '10.1.0.0/24', [30000, 30004]);
  const fill = svc('fill', { type: 'NodePort', ports: [1, 2, 3, 4].map((p) => port(p, { name: `p${p}` })) });
  assert.deepEqual(allocateServiceAddresses(fill, b), []);
  const ipsFree = b.ips.free();
  const t = svc('two', { type: 'NodePort', ports: [port(80, { name: 'a' }), port(81, { name: 'b' })] });
  assert.throws(() => allocateServiceAddresses(t, b), (e) => e instanceof StatusError && e.message === 'Internal error occurred: failed to allocate a nodePort: range is full');
  assert.equal(b.ips.free(), ipsFree);
  assert.equal(b.ports.free(), 1);
  assert.equal(t.spec.ports[0].nodePort, undefined);
});

test('53/TCP and 53/UDP share one node port', () => {
  const a = allocators('dns');
  const s = svc('dns', { type: 'NodePort', ports: [port(53, { name: 'dns-tcp' }), port(53, { name: 'dns', protocol: 'UDP' }), port(9153, { name: 'metrics' })] });
  assert.deepEqual(allocateServiceAddresses(s, a), []);
  const [tcp, udp, metrics] = s.spec.ports.map((p) => p.nodePort);
  assert.equal(tcp, udp);
  assert.notEqual(tcp, metrics);
  assert.equal(a.ports.free(), 2768 - 2);
  // a nodePort given on the later one is used for both
  const t = svc('dns2', { type: 'NodePort', ports: [port(53, { name: 'a' }), port(53, { name: 'b', protocol: 'UDP', nodePort: 30053 })] });
  assert.deepEqual(allocateServiceAddresses(t, a), []);
  assert.deepEqual(t.spec.ports.map((p) => p.nodePort), [30053, 30053]);
});

test('all or nothing: a failure on the second port gives back the IP and the first port', () => {
  const a = allocators('atomic', CIDR, RANGE, [], [30009]);
  const before = { ips: a.ips.free(), ports: a.ports.free() };
  const s = svc('x', { type: 'NodePort', ports: [port(80, { name: 'a' }), port(81, { name: 'b', nodePort: 30009 })] });
  const snapshot = structuredClone(s);
  assert.deepEqual(allocateServiceAddresses(s, a).map(fieldErrorString), ['spec.ports[1].nodePort: Invalid value: 30009: provided port is already allocated']);
  assert.deepEqual(s, snapshot);
  assert.deepEqual({ ips: a.ips.free(), ports: a.ports.free() }, before);
});

test('which types get what', () => {
  const a = allocators('types');
  const ext = svc('ext', { type: 'ExternalName', externalName: 'example.com' });
  assert.deepEqual(allocateServiceAddresses(ext, a), []);
  assert.equal(ext.spec.clusterIP, undefined);
  const headless = svc('h', { clusterIP: 'None', clusterIPs: ['None'], ports: [port(80)] });
  assert.deepEqual(allocateServiceAddresses(headless, a), []);
  assert.deepEqual(headless.spec.clusterIPs, ['None']);
  const cip = svc('c', { ports: [port(80)] });
  assert.deepEqual(allocateServiceAddresses(cip, a), []);
  assert.equal(cip.spec.ports[0].nodePort, undefined);
  const lb = svc('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster', ports: [port(80)] });
  assert.deepEqual(allocateServiceAddresses(lb, a), []);
  assert.ok(lb.spec.ports[0].nodePort >= 30086);
  assert.equal(lb.spec.healthCheckNodePort, undefined);
  const lbNoPorts = svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [port(80), port(443, { nodePort: 30443 })] });
  assert.deepEqual(allocateServiceAddresses(lbNoPorts, a), []);
  assert.deepEqual(lbNoPorts.spec.ports.map((p) => p.nodePort), [undefined, 30443]);
  const local = svc('np', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [port(80)] });
  assert.deepEqual(allocateServiceAddresses(local, a), []);
  assert.equal(local.spec.healthCheckNodePort, undefined); // only LoadBalancer + Local needs one
});

test('updates: type changes allocate and release, omitted values are kept', () => {
  const a = allocators('update');
  const v1 = svc('web', { ports: [port(80, { name: 'http' })] });
  assert.deepEqual(allocateServiceAddresses(v1, a), []);
  const ip = v1.spec.clusterIP;

  // ClusterIP -> NodePort: a node port, same IP (the client omitted clusterIP)
  const v2 = svc('web', { type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [port(80, { name: 'http' })] });
  assert.deepEqual(updateServiceAddresses(v1, v2, a), []);
  assert.equal(v2.spec.clusterIP, ip);
  assert.deepEqual(v2.spec.clusterIPs, [ip]);
  const np = v2.spec.ports[0].nodePort;
  assert.ok(a.ports.has(np));

  // resubmitting the original NodePort YAML keeps the node port
  const v3 = svc('web', { type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [port(80, { name: 'http' })] });
  assert.deepEqual(updateServiceAddresses(v2, v3, a), []);
  assert.equal(v3.spec.ports[0].nodePort, np);
  assert.equal(a.ports.free(), 2768 - 1);

  // NodePort -> ClusterIP with the live nodePort still in the object (kubectl apply): wiped and released
  const v4 = svc('web', { clusterIP: ip, clusterIPs: [ip], externalTrafficPolicy: 'Cluster', ports: [port(80, { name: 'http', nodePort: np })] });
  assert.deepEqual(updateServiceAddresses(v3, v4, a), []);
  assert.equal(v4.spec.ports[0].nodePort, undefined);
  assert.equal(v4.spec.externalTrafficPolicy, undefined);
  assert.ok(!a.ports.has(np));
  assert.equal(a.ports.free(), 2768);

  // LoadBalancer with Local traffic gets a health-check port; back to Cluster releases it
  const v5 = svc('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', allocateLoadBalancerNodePorts: true, ports: [port(80, { name: 'http' })] });
  assert.deepEqual(updateServiceAddresses(v4, v5, a), []);
  const hc = v5.spec.healthCheckNodePort;
  assert.ok(a.ports.has(hc));
  const v6 = structuredClone(v5);
  v6.spec.externalTrafficPolicy = 'Cluster';
  assert.deepEqual(updateServiceAddresses(v5, v6, a), []);
  assert.equal(v6.spec.healthCheckNodePort, undefined);
  assert.ok(!a.ports.has(hc));

  // -> ExternalName releases the IP; back again allocates a new one
  const v7 = svc('web', { type: 'ExternalName', externalName: 'example.com', clusterIP: ip, clusterIPs: [ip], ports: v6.spec.ports });
  assert.deepEqual(updateServiceAddresses(v6, v7, a), []);
  assert.equal(v7.spec.clusterIP, undefined);
  assert.ok(!a.ips.has(ip));
  assert.equal(a.ports.free(), 2768);
  const v8 = svc('web', { ports: [port(80, { name: 'http' })] });
  assert.deepEqual(updateServiceAddresses(v7, v8, a), []);
  assert.ok(a.ips.has(v8.spec.clusterIP));
});

test('a failed update changes nothing', () => {
  const a = allocators('update-fail', CIDR, RANGE, [], [30009]);
  const v1 = svc('web', { type: 'NodePort', ports: [port(80, { name: 'a' })] });
  assert.deepEqual(allocateServiceAddresses(v1, a), []);
  const old = v1.spec.ports[0].nodePort;
  const before = a.ports.free();
  const v2 = svc('web', { type: 'NodePort', ports: [port(81, { name: 'b' }), port(82, { name: 'c', nodePort: 30009 })] });
  const snapshot = structuredClone(v2);
  assert.deepEqual(updateServiceAddresses(v1, v2, a).map(fieldErrorString), ['spec.ports[1].nodePort: Invalid value: 30009: provided port is already allocated']);
  assert.deepEqual(v2, snapshot);
  assert.equal(a.ports.free(), before);
  assert.ok(a.ports.has(old)); // the deferred release of the old port did not happen
});

test('dry run touches nothing', () => {
  const a = allocators('dry');
  const s = svc('x', { type: 'NodePort', ports: [port(80, { name: 'a' }), port(81, { name: 'b' })] });
  assert.deepEqual(allocateServiceAddresses(s, a, { dryRun: true }), []);
  assert.equal(s.spec.clusterIP, '10.96.0.0');
  assert.deepEqual(s.spec.ports.map((p) => p.nodePort), [32769, 32770]);
  assert.equal(a.ports.free(), 2768);
  assert.equal(a.ips.free(), 2 ** 20 - 2);
});

test('allocators built from stored services', () => {
  const stored = [
    svc('a', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], type: 'NodePort', ports: [port(80, { nodePort: 30080 })] }),
    svc('h', { clusterIP: 'None', clusterIPs: ['None'] }),
    svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], healthCheckNodePort: 31000, ports: [port(443, { nodePort: 30443 })] }),
  ];
  const a = buildServiceAllocators(stored, CIDR, RANGE, Rand.fromSeed('built'));
  assert.ok(a.ips.has('10.96.0.1') && a.ips.has('10.96.5.5'));
  assert.equal(a.ips.free(), 2 ** 20 - 4);
  assert.ok(a.ports.has(30080) && a.ports.has(30443) && a.ports.has(31000));
});

test('pod IPs: lowest free from .2, each taken once, none past the range', () => {
  assert.equal(new PodIPRange('10.244.1.0/24', new Set()).take(), '10.244.1.2');
  const used = new Set(['10.244.1.2', '10.244.1.4']);
  const r = new PodIPRange('10.244.1.0/24', used);
  assert.deepEqual([r.take(), r.take(), r.take()], ['10.244.1.3', '10.244.1.5', '10.244.1.6']);
  assert.ok(used.has('10.244.1.6'), 'taken addresses are marked in use');
  const all = new Set(Array.from({ length: 253 }, (_, i) => `10.244.1.${i + 2}`));
  assert.equal(new PodIPRange('10.244.1.0/24', all).take(), undefined);
  assert.equal(new PodIPRange('not-a-cidr', new Set()).take(), undefined);
});
