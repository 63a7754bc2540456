// Unit checks of the data plane's pure pieces against REFERENCE §6 and §7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

test('kube-proxy chain names: REFERENCE §6 check values', () => {
  assert.equal(lib.serviceChain('KUBE-SVC', 'default/kubernetes:https', 'TCP'), 'KUBE-SVC-NPX46M4PTMTKRN6Y');
  assert.equal(lib.serviceChain('KUBE-SVC', 'kube-system/kube-dns:dns', 'UDP'), 'KUBE-SVC-TCOU7JCQXEZGVUNU');
  assert.equal(lib.chainHash('default/kubernetes:httpstcp'), 'NPX46M4PTMTKRN6Y');
  // the endpoint chain hashes the endpoint too: two endpoints, two chains
  assert.notEqual(lib.endpointChain('default/web', 'TCP', '10.244.1.2:80'), lib.endpointChain('default/web', 'TCP', '10.244.1.3:80'));
  assert.match(lib.endpointChain('default/web', 'TCP', '10.244.1.2:80'), /^KUBE-SEP-[A-Z2-7]{16}$/);
});

test('statistic probabilities as iptables-save prints kube-proxy\'s %0.10f values', () => {
  assert.deepEqual([2, 3, 4, 5].map(lib.probability), ['0.50000000000', '0.33333333349', '0.25000000000', '0.20000000019']);
});

test('port specs: client-go parsePorts', () => {
  assert.deepEqual(lib.parsePorts(['5000', '8888:5000', ':5000', '0:5000']), [
    { local: 5000, remote: 5000 },
    { local: 8888, remote: 5000 },
    { local: 0, remote: 5000 },
    { local: 0, remote: 5000 },
  ]);
  assert.throws(() => lib.parsePorts(['1:2:3']), /invalid port format '1:2:3'/);
  assert.throws(() => lib.parsePorts(['8080:0']), /remote port must be > 0/);
  assert.throws(() => lib.parsePorts(['70000']), /value out of range/);
});

test('RESP: inline and array commands, replies', () => {
  assert.deepEqual(lib.parseCommand(Buffer.from('*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n')), { args: ['ECHO', 'hi'], used: 22 });
  assert.deepEqual(lib.parseCommand(Buffer.from('PING\r\n')), { args: ['PING'], used: 6 });
  assert.equal(lib.parseCommand(Buffer.from('*2\r\n$4\r\nECHO\r\n$2\r\nh')), undefined); // incomplete: wait for more bytes
  const data = {};
  assert.equal(lib.encode(lib.runCommand(data, ['SET', 'a', '1'], '7.4.1').reply), '+OK\r\n');
  assert.equal(lib.encode(lib.runCommand(data, ['INCR', 'a'], '7.4.1').reply), ':2\r\n');
  assert.equal(lib.encode(lib.runCommand(data, ['KEYS', 'a*'], '7.4.1').reply), '*1\r\n$1\r\na\r\n');
  assert.equal(lib.encode(lib.runCommand(data, ['GET', 'zz'], '7.4.1').reply), '$-1\r\n');
  assert.equal(lib.runCommand(data, ['QUIT'], '7.4.1').quit, true);
});
