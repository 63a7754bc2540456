// Issue 2: the CLI, its persisted state, nodes and namespaces, kubectl-exact printing and errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cluster, storedItems } from './helpers.mjs';

const c = cluster({ seed: 'foundation' });
after(() => c.cleanup());

test('get nodes on first use creates the default cluster (seed 001 layout)', () => {
  const out = c.ok(['get', 'nodes']);
  assert.equal(out, [
    'NAME           STATUS   ROLES           AGE   VERSION',
    'controlplane   Ready    control-plane   0s    v1.32.2',
    'node01         Ready    <none>          0s    v1.32.2',
    'node02         Ready    <none>          0s    v1.32.2',
    '',
  ].join('\n'));
  // state (format 2): the cluster.json manifest and one shard file per kind and namespace in objects/
  assert.deepEqual(readdirSync(c.dir).sort(), ['cluster.json', 'objects']);
  const manifest = JSON.parse(readFileSync(join(c.dir, 'cluster.json'), 'utf8'));
  assert.equal(manifest.formatVersion, 2);
  for (const k of ['Namespace/', 'Node/', 'Pod/kube-system', 'Service/default', 'Service/kube-system']) assert.ok(manifest.shards[k], k);
  const files = readdirSync(join(c.dir, 'objects'));
  for (const ref of Object.values(manifest.shards)) assert.ok(files.includes(ref.file), ref.file);
  const nodes = { items: storedItems(c.dir, 'nodes') };
  assert.equal(nodes.items.length, 3);
  assert.equal(nodes.items[0].kind, 'Node');
  assert.match(nodes.items[0].metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('AGE follows the clock; -o wide adds the node columns', () => {
  c.at('2025-03-01T13:16:00Z');
  const out = c.ok(['get', 'nodes', '-o', 'wide']);
  assert.equal(out.split('\n')[0], 'NAME           STATUS   ROLES           AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME');
  assert.equal(out.split('\n')[2], 'node01         Ready    <none>          76m   v1.32.2   192.168.49.3   <none>        Ubuntu 24.04.1 LTS   6.8.0-49-generic   containerd://1.7.24');
  c.at('2025-03-01T12:00:00Z');
});

test('every spelling of a resource type', () => {
  const want = c.ok(['get', 'nodes', '-o', 'name']);
  assert.equal(want, 'node/controlplane\nnode/node01\nnode/node02\n');
  for (const t of ['node', 'no', 'Node', 'NODES']) assert.equal(c.ok(['get', t, '-o', 'name']), want, t);
  assert.equal(c.ok(['get', 'node/node01', 'no/node02', '-o', 'name']), 'node/node01\nnode/node02\n');
  assert.equal(c.ok(['get', 'nodes', 'node02', 'node01', '-o', 'name']), 'node/node02\nnode/node01\n');
  assert.equal(c.ok(['get', 'deployments.apps', '-A', '-o', 'name']), 'deployment.apps/coredns\n');
});

test('namespaces: get, --show-labels, create, delete removes what they hold', () => {
  assert.equal(c.ok(['get', 'ns']), [
    'NAME              STATUS   AGE',
    'default           Active   0s',
    'kube-node-lease   Active   0s',
    'kube-public       Active   0s',
    'kube-system       Active   0s',
    '',
  ].join('\n'));
  assert.equal(c.ok(['get', 'ns', 'default', '--show-labels']), 'NAME      STATUS   AGE   LABELS\ndefault   Active   0s    kubernetes.io/metadata.name=default\n');
  assert.equal(c.ok(['create', 'namespace', 'lab']), 'namespace/lab created\n');
  const dup = c.run(['create', 'namespace', 'lab']);
  assert.equal(dup.code, 1);
  assert.equal(dup.stderr, 'Error from server (AlreadyExists): namespaces "lab" already exists\n');
  c.ok(['create', '-f', '-', '-n', 'lab'], { input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n' });
  assert.equal(c.ok(['get', 'svc', '-n', 'lab', '-o', 'name']), 'service/s\n');
  assert.equal(c.ok(['delete', 'namespace', 'lab']), 'namespace "lab" deleted\n');
  const gone = c.run(['get', 'svc', '-n', 'lab']);
  assert.equal(gone.stderr, 'No resources found in lab namespace.\n');
  const forbidden = c.run(['delete', 'ns', 'default']);
  assert.equal(forbidden.code, 1);
  assert.equal(forbidden.stderr, 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n');
});

test('create namespace --dry-run=client matches kubectl', () => {
  assert.equal(c.ok(['create', 'namespace', 'foo', '--dry-run=client', '-o', 'yaml']),
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: foo\nspec: {}\nstatus: {}\n');
  assert.equal(c.ok(['create', 'namespace', 'foo', '--dry-run=client']), 'namespace/foo created (dry run)\n');
});

test('label selectors: equality, set-based, existence', () => {
  assert.equal(c.ok(['get', 'nodes', '-l', 'node-role.kubernetes.io/control-plane', '-o', 'name']), 'node/controlplane\n');
  assert.equal(c.ok(['get', 'nodes', '-l', '!node-role.kubernetes.io/control-plane', '-o', 'name']), 'node/node01\nnode/node02\n');
  assert.equal(c.ok(['get', 'nodes', '-l', 'kubernetes.io/hostname in (node01,node02)', '-o', 'name']), 'node/node01\nnode/node02\n');
  assert.equal(c.ok(['get', 'nodes', '-l', 'kubernetes.io/hostname notin (node01),kubernetes.io/os=linux', '-o', 'name']), 'node/controlplane\nnode/node02\n');
  assert.equal(c.ok(['get', 'nodes', '-l', 'kubernetes.io/hostname!=node01', '-o', 'name']), 'node/controlplane\nnode/node02\n');
  const none = c.run(['get', 'pods', '-l', 'app=nothing']);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, 'No resources found in default namespace.\n');
  assert.equal(none.code, 0);
});

test('-A puts NAMESPACE first; --no-headers drops the header', () => {
  const out = c.ok(['get', 'svc', '-A']);
  assert.equal(out.split('\n')[0], 'NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE');
  assert.equal(out.split('\n')[1], 'default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  0s');
  assert.equal(out.split('\n')[2], 'kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   0s');
  assert.equal(c.ok(['get', 'svc', '--no-headers']), 'kubernetes   ClusterIP   10.96.0.1   <none>   443/TCP   0s\n');
});

test('-o json and -o yaml show the stored object with sorted keys', () => {
  const j = JSON.parse(c.ok(['get', 'node', 'node01', '-o', 'json']));
  const stored = storedItems(c.dir, 'nodes').find((n) => n.metadata.name === 'node01');
  assert.deepEqual(j, stored);
  const list = JSON.parse(c.ok(['get', 'nodes', '-o', 'json']));
  assert.equal(list.kind, 'List');
  assert.equal(list.items.length, 3);
  const y = c.ok(['get', 'ns', 'default', '-o', 'yaml']);
  assert.equal(y, [
    'apiVersion: v1', 'kind: Namespace', 'metadata:', '  creationTimestamp: "2025-03-01T12:00:00Z"', '  labels:',
    '    kubernetes.io/metadata.name: default', '  name: default', `  resourceVersion: "${j.metadata.resourceVersion === undefined ? '' : JSON.parse(c.ok(['get', 'ns', 'default', '-o', 'json'])).metadata.resourceVersion}"`,
    `  uid: ${JSON.parse(c.ok(['get', 'ns', 'default', '-o', 'json'])).metadata.uid}`, 'spec:', '  finalizers:', '  - kubernetes', 'status:', '  phase: Active', '',
  ].join('\n'));
});

test('describe node lists roles, taints, addresses, pods', () => {
  const out = c.ok(['describe', 'node', 'controlplane']);
  assert.match(out, /^Name:               controlplane\nRoles:              control-plane\n/);
  assert.match(out, /\nTaints:             node-role.kubernetes.io\/control-plane:NoSchedule\n/);
  assert.match(out, /\nAddresses:\n  InternalIP:  192.168.49.2\n  Hostname:    controlplane\n/);
  assert.match(out, /\nCreationTimestamp:  Sat, 01 Mar 2025 12:00:00 \+0000\n/);
  assert.match(out, /\nNon-terminated Pods:          \(7 in total\)\n/);
  // seed 001: kubectl describe nodes | grep -i address -A 1
  const all = c.ok(['describe', 'nodes']);
  const addr = all.split('\n').flatMap((l, i, a) => (/address/i.test(l) ? [l, a[i + 1]] : []));
  assert.deepEqual(addr, ['Addresses:', '  InternalIP:  192.168.49.2', 'Addresses:', '  InternalIP:  192.168.49.3', 'Addresses:', '  InternalIP:  192.168.49.4']);
});

test('api-resources, version, cluster-info', () => {
  const ar = c.ok(['api-resources']).split('\n');
  // the widest NAME is localsubjectaccessreviews (a review API), the widest APIVERSION rbac.authorization.k8s.io/v1
  assert.equal(ar[0], 'NAME                        SHORTNAMES   APIVERSION                     NAMESPACED   KIND');
  assert.ok(ar.includes('services                    svc          v1                             true         Service'));
  assert.ok(ar.includes('leases                                   coordination.k8s.io/v1         true         Lease'));
  assert.ok(ar.includes('endpointslices                           discovery.k8s.io/v1            true         EndpointSlice'));
  assert.equal(c.ok(['version']), 'Client Version: v1.32.2\nKustomize Version: v5.5.0\nServer Version: v1.32.2\n');
  assert.equal(c.ok(['version', '--client']), 'Client Version: v1.32.2\nKustomize Version: v5.5.0\n');
  assert.equal(JSON.parse(c.ok(['version', '-o', 'json'])).serverVersion.minor, '32');
  assert.equal(c.ok(['cluster-info']), 'Kubernetes control plane is running at https://192.168.49.2:6443\nCoreDNS is running at https://192.168.49.2:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use \'kubectl cluster-info dump\'.\n');
});

test('errors: unknown type, not found, unknown flag', () => {
  let r = c.run(['get', 'foo']);
  assert.deepEqual([r.code, r.stderr], [1, 'error: the server doesn\'t have a resource type "foo"\n']);
  r = c.run(['get', 'svc', 'nope']);
  assert.deepEqual([r.code, r.stderr], [1, 'Error from server (NotFound): services "nope" not found\n']);
  r = c.run(['get', 'deploy', 'web']);
  assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "web" not found\n');
  r = c.run(['get', 'svc', 'kubernetes', 'nope']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^NAME         TYPE/);
  assert.equal(r.stderr, 'Error from server (NotFound): services "nope" not found\n');
  r = c.run(['get', 'svc', 'nope', '--ignore-not-found']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
  r = c.run(['get', 'nodes', '--bogus']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "Error: unknown flag: --bogus\nSee 'kubesim get --help' for usage.\n");
});

test('cluster init: options, --force, and reproducible seeds', () => {
  const a = cluster({ seed: 'x' });
  const b = cluster({ seed: 'x' });
  try {
    a.ok(['cluster', 'init', '--nodes', '5', '--seed', 'same', '--service-cidr', '10.0.0.0/24']);
    b.ok(['cluster', 'init', '--nodes', '5', '--seed', 'same', '--service-cidr', '10.0.0.0/24']);
    assert.equal(a.ok(['get', 'nodes', '-o', 'name']).split('\n').length, 6);
    assert.deepEqual(storedItems(a.dir, 'pods'), storedItems(b.dir, 'pods'));
    assert.match(a.ok(['get', 'svc']), /kubernetes   ClusterIP   10\.0\.0\.1 /);
    const again = a.run(['cluster', 'init']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^error: a cluster already exists in .*; use --force to replace it/);
    a.ok(['cluster', 'init', '--force', '--nodes', '2']);
    assert.equal(a.ok(['get', 'nodes', '-o', 'name']), 'node/controlplane\nnode/node01\n');
    const bad = a.run(['cluster', 'init', '--force', '--service-cidr', 'banana']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--service-cidr must be an IPv4 CIDR/);
    assert.equal(a.ok(['get', 'nodes', '-o', 'name']), 'node/controlplane\nnode/node01\n', 'a rejected init changes nothing');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('a damaged state file: clear error naming it, nothing overwritten, reset recovers', () => {
  const d = cluster({ seed: 'damage' });
  try {
    d.ok(['get', 'nodes']);
    const file = join(d.dir, 'objects', JSON.parse(readFileSync(join(d.dir, 'cluster.json'), 'utf8')).shards['Service/default'].file);
    const truncated = readFileSync(file, 'utf8').slice(0, 50);
    writeFileSync(file, truncated);
    // every command that reads the damaged shard (format 2 reads only the files a command needs: a
    // table reads the summaries beside the shards, -o json the objects)
    for (const args of [['get', 'svc', '-o', 'json'], ['create', 'service', 'clusterip', 'x', '--tcp=80'], ['delete', 'svc', 'kubernetes']]) {
      const r = d.run(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, new RegExp(`^error: the state file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged \\(`));
      assert.match(r.stderr, /kubesim cluster reset/);
      assert.equal(readFileSync(file, 'utf8'), truncated, 'the damaged file is left as it was');
    }
    assert.equal(join(d.dir, 'objects', JSON.parse(readFileSync(join(d.dir, 'cluster.json'), 'utf8')).shards['Service/default'].file), file, 'no new services shard was committed');
    const cf = join(d.dir, 'cluster.json');
    const cj = JSON.parse(readFileSync(cf, 'utf8'));
    cj.formatVersion = 99;
    writeFileSync(cf, JSON.stringify(cj));
    const newer = d.run(['get', 'nodes']);
    assert.equal(newer.code, 1);
    assert.match(newer.stderr, /written by a newer kubesim \(format 99; this one reads format 2\)/);
    d.ok(['cluster', 'reset']);
    assert.match(d.ok(['get', 'svc']), /^NAME         TYPE/);
  } finally {
    d.cleanup();
  }
});
