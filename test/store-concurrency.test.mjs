// The state store under concurrency (format 2): rounds of parallel mutating commands queue on the
// lock and none of them fails or loses another's change, while lock-free readers keep listing and never
// see a torn state (a Service without the Endpoints written in the same commit, a pod whose
// ReplicaSet is missing). Every uid, resourceVersion, ClusterIP, NodePort and pod IP stays unique.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, NOW, tempState } from './helpers.mjs';

const ROUNDS = 2;
const WRITERS_PER_ROUND = 50;
const READERS = 20;
const KINDS = ['namespaces', 'nodes', 'services', 'pods', 'endpoints', 'endpointslices', 'deployments', 'replicasets', 'events'];
const READ_QUERIES = [
  ['get', 'services,endpoints', '-A', '-o', 'json'],
  ['get', 'deployments,replicasets,pods', '-A', '-o', 'json'],
];

const dir = tempState();
const work = mkdtempSync(join(tmpdir(), 'kubesim-conc-manifests-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/**
 * Runs kubesim asynchronously; resolves (never rejects) with what happened and when. Readers run at
 * the lowest priority: on two cores, twenty of them would otherwise starve the writer holding the lock
 * and the queue, not the store, would set the pace.
 */
function kubesim(args, { background = false } = {}) {
  const env = { ...process.env, KUBESIM_STATE: dir, KUBESIM_NOW: NOW, KUBESIM_SEED: 'conc', NO_COLOR: '1' };
  delete env.KUBESIM_TEST_CRASH;
  delete env.KUBESIM_TEST_STEPS;
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (background && child.pid) {
      try {
        setPriority(child.pid, 19);
      } catch {
        /* it runs at normal priority: slower, still correct */
      }
    }
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ args, code: null, signal: null, stdout, stderr: String(e), start, end: performance.now() }));
    child.on('close', (code, signal) => resolve({ args, code, signal, stdout, stderr, start, end: performance.now() }));
  });
}

async function ok(args) {
  const r = await kubesim(args);
  if (r.code !== 0) throw new Error(`kubesim ${args.join(' ')} exited ${r.code} (${r.signal}): ${r.stderr}`);
  return r.stdout;
}

// ---- the objects the writers make ------------------------------------------------------------------

const serviceYaml = (name) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 8080
`;
const deploymentYaml = (name) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: nginx
`;
function manifest(file, services, deployments) {
  const path = join(work, file);
  writeFileSync(path, [...services.map(serviceYaml), ...deployments.map(deploymentYaml)].join('---\n'));
  return path;
}

/**
 * What the cluster must hold once every acknowledged command is in: service name → labels it must
 * carry (absent: deleted), deployment name → replicas.
 */
const model = { services: new Map(), deployments: new Map() };
/** service name → when its create was acknowledged, its delete started, its delete was acknowledged (performance.now()) */
const createdAt = new Map();
const deleteStartedAt = new Map();
const deletedAt = new Map();
/** objects a later round may scale, label or delete; each is used by at most one such command */
const pool = { deployments: [], services: [] };

/** The 50 commands of a round, kinds interleaved so the lock sees them mixed. */
function roundCommands(r) {
  const take = (list, n) => list.splice(0, n);
  const lanes = {
    clusterip: Array.from({ length: 10 }, (_, i) => ({ args: ['create', 'service', 'clusterip', `s-${r}-${i}`, '--tcp=80:8080'], creates: { services: [`s-${r}-${i}`] } })),
    nodeport: Array.from({ length: 8 }, (_, i) => ({ args: ['create', 'service', 'nodeport', `np-${r}-${i}`, '--tcp=80:8080'], creates: { services: [`np-${r}-${i}`] } })),
    deployment: Array.from({ length: 8 }, (_, i) => ({ args: ['create', 'deployment', `d-${r}-${i}`, '--image=nginx', '--replicas=1'], creates: { deployments: [`d-${r}-${i}`] } })),
    apply: Array.from({ length: 6 }, (_, i) => ({
      args: ['apply', '-f', manifest(`a-${r}-${i}.yaml`, [`a-${r}-${i}`], [`a-${r}-${i}`])],
      creates: { services: [`a-${r}-${i}`], deployments: [`a-${r}-${i}`] },
    })),
    scale: take(pool.deployments, 6).map((d) => ({ args: ['scale', 'deployment', d, '--replicas=2'], scales: d })),
    label: take(pool.services, 6).map((s) => ({ args: ['label', 'service', s, 'k=v'], labels: s })),
    delete: take(pool.services, 6).map((s) => ({ args: ['delete', 'service', s], deletes: s })),
  };
  const cmds = [];
  for (let i = 0; cmds.length < Object.values(lanes).flat().length; i++) for (const lane of Object.values(lanes)) if (lane[i]) cmds.push(lane[i]);
  assert.equal(cmds.length, WRITERS_PER_ROUND, `round ${r}: the pool was too small for the scale/label/delete lanes`);
  return cmds;
}

/** Book an acknowledged command into the model (only once it exited 0). */
function acknowledge(cmd, result) {
  for (const s of cmd.creates?.services ?? []) {
    model.services.set(s, {});
    createdAt.set(s, result.end);
  }
  for (const d of cmd.creates?.deployments ?? []) model.deployments.set(d, 1);
  if (cmd.scales) model.deployments.set(cmd.scales, 2);
  if (cmd.labels) model.services.set(cmd.labels, { k: 'v' });
  if (cmd.deletes) {
    model.services.delete(cmd.deletes);
    deletedAt.set(cmd.deletes, result.end);
  }
}

// ---- the workload, run once; the tests below judge it ----------------------------------------------

const writes = [];
const reads = [];
/** when the first writer started and the last one ended */
const writePhase = {};
const final = {};
let layout;

before(
  async () => {
    await ok(['cluster', 'init', '--seed', 'conc']);
    layout = { manifest: JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')), objects: existsSync(join(dir, 'objects')) ? readdirSync(join(dir, 'objects')) : null };

    // objects for round 0 to scale, label and delete, made in one command
    const base = { services: Array.from({ length: 12 }, (_, i) => `base-s${i}`), deployments: Array.from({ length: 6 }, (_, i) => `base-d${i}`) };
    await ok(['apply', '-f', manifest('base.yaml', base.services, base.deployments)]);
    for (const s of base.services) {
      model.services.set(s, {});
      createdAt.set(s, performance.now());
    }
    for (const d of base.deployments) model.deployments.set(d, 1);
    pool.services.push(...base.services);
    pool.deployments.push(...base.deployments);

    let writersDone = false;
    const reader = async (n) => {
      for (let i = n; !writersDone; i++) reads.push(await kubesim(READ_QUERIES[i % READ_QUERIES.length], { background: true }));
    };
    const readers = Array.from({ length: READERS }, (_, n) => reader(n));

    try {
      writePhase.start = performance.now();
      for (let r = 0; r < ROUNDS; r++) {
        const cmds = roundCommands(r);
        await Promise.all(
          cmds.map((cmd) => {
            if (cmd.deletes) deleteStartedAt.set(cmd.deletes, performance.now());
            return kubesim(cmd.args).then((result) => {
              writes.push(result);
              if (result.code === 0) acknowledge(cmd, result);
            });
          }),
        );
        // this round's acknowledged creations are what the next round scales, labels and deletes
        for (const cmd of cmds) {
          pool.deployments.push(...(cmd.creates?.deployments ?? []).filter((d) => model.deployments.has(d)));
          pool.services.push(...(cmd.creates?.services ?? []).filter((s) => model.services.has(s)));
        }
      }
    } finally {
      writePhase.end = performance.now();
      writersDone = true;
      await Promise.all(readers);
    }

    for (const kind of KINDS) final[kind] = JSON.parse(await ok(['get', kind, '-A', '-o', 'json'])).items;
  },
  { timeout: 240_000 },
);

// ---- helpers for judging ----------------------------------------------------------------------------

const nsName = (o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const allObjects = () => KINDS.flatMap((kind) => final[kind].map((o) => ({ kind, o })));
const duplicates = (values) => {
  const seen = new Map();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
};
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
/** Active pods on the pod network (host-network pods share their node's IP by design). */
const isActivePodNetworkPod = (p) => !p.spec.hostNetwork && !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase);

/** Collects every file name (a string ending in .json) anywhere under v. */
function shardNames(v, out = new Set()) {
  if (typeof v === 'string' && v.endsWith('.json')) out.add(v.split('/').pop());
  else if (Array.isArray(v)) for (const x of v) shardNames(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) shardNames(x, out);
  return out;
}

// ---- the tests --------------------------------------------------------------------------------------

test('cluster init writes format 2: a cluster.json manifest and objects/ shards', () => {
  const m = layout.manifest;
  assert.equal(m.formatVersion, 2, 'cluster.json formatVersion');
  for (const field of ['generation', 'config', 'rand', 'resourceVersion', 'shards']) assert.ok(field in m, `cluster.json has no "${field}"`);
  assert.ok(layout.objects, 'the state dir has no objects/ directory');
  const missing = [...shardNames(m.shards)].filter((f) => !layout.objects.includes(f));
  assert.deepEqual(missing, [], 'shards cluster.json names but objects/ does not hold');
});

test('every writer exited 0: none failed on the lock', (t) => {
  const lat = writes.map((w) => w.end - w.start).sort((a, b) => a - b);
  t.diagnostic(`writes: ${writes.length}, reads: ${reads.length}`);
  t.diagnostic(`writer latency ms: max ${lat.at(-1)?.toFixed(0)}, p99 ${percentile(lat, 0.99)?.toFixed(0)}, p50 ${percentile(lat, 0.5)?.toFixed(0)}`);
  assert.equal(writes.length, ROUNDS * WRITERS_PER_ROUND);
  const failed = writes.filter((w) => w.code !== 0).map((w) => `kubesim ${w.args.join(' ')} → ${w.code ?? w.signal}: ${w.stderr.trim()}`);
  assert.deepEqual(failed, []);
});

test('every acknowledged change is in the final state', () => {
  const services = new Map(final.services.filter((s) => s.metadata.namespace === 'default').map((s) => [s.metadata.name, s]));
  const deployments = new Map(final.deployments.filter((d) => d.metadata.namespace === 'default').map((d) => [d.metadata.name, d]));
  const problems = [];
  for (const [name, labels] of model.services) {
    const s = services.get(name);
    if (!s) problems.push(`service ${name} was created but is missing`);
    else for (const [k, v] of Object.entries(labels)) if (s.metadata.labels?.[k] !== v) problems.push(`service ${name} was labelled ${k}=${v} but has ${JSON.stringify(s.metadata.labels)}`);
  }
  for (const name of services.keys()) {
    if (deletedAt.has(name)) problems.push(`service ${name} was deleted but is still there`);
    else if (!model.services.has(name) && name !== 'kubernetes') problems.push(`service ${name} is there but no acknowledged command made it`);
  }
  for (const [name, replicas] of model.deployments) {
    const d = deployments.get(name);
    if (!d) problems.push(`deployment ${name} was created but is missing`);
    else {
      if (d.spec.replicas !== replicas) problems.push(`deployment ${name} has spec.replicas ${d.spec.replicas}, not ${replicas}`);
      const pods = final.pods.filter((p) => p.metadata.namespace === 'default' && p.metadata.labels?.app === name && isActivePodNetworkPod(p));
      if (pods.length !== replicas) problems.push(`deployment ${name} has ${pods.length} pods, not ${replicas}`);
    }
  }
  for (const name of deployments.keys()) if (!model.deployments.has(name)) problems.push(`deployment ${name} is there but no acknowledged command made it`);
  for (const name of model.services.keys()) {
    const ep = final.endpoints.find((e) => e.metadata.namespace === 'default' && e.metadata.name === name);
    if (!ep) problems.push(`service ${name} has no Endpoints`);
  }
  assert.ok(model.services.size > 0 && model.deployments.size > 0, 'the model is empty: nothing was acknowledged');
  assert.deepEqual(problems, []);
});

test('no uid or resourceVersion is handed out twice, across every kind', () => {
  const objs = allObjects();
  assert.ok(objs.length > 100, `only ${objs.length} objects`);
  const missing = objs.filter(({ o }) => !o.metadata.uid || !o.metadata.resourceVersion).map(({ kind, o }) => `${kind} ${nsName(o)}`);
  assert.deepEqual(missing, [], 'objects without uid or resourceVersion');
  assert.deepEqual(duplicates(objs.map(({ o }) => o.metadata.uid)), [], 'duplicate uids');
  assert.deepEqual(duplicates(objs.map(({ o }) => o.metadata.resourceVersion)), [], 'duplicate resourceVersions');
});

test('no ClusterIP, NodePort or pod IP is allocated twice', () => {
  const ips = final.services.map((s) => s.spec.clusterIP).filter((ip) => ip && ip !== 'None');
  assert.equal(ips.length, final.services.length, 'a service without a ClusterIP');
  assert.deepEqual(duplicates(ips), [], 'duplicate ClusterIPs');
  const nodePortServices = final.services.filter((s) => s.spec.type === 'NodePort');
  assert.ok(nodePortServices.length > 0, 'no NodePort service');
  const nodePorts = nodePortServices.flatMap((s) => s.spec.ports.map((p) => p.nodePort));
  assert.ok(nodePorts.every(Number.isInteger), 'a NodePort service port without a nodePort');
  assert.deepEqual(duplicates(nodePorts), [], 'duplicate NodePorts');
  const podIPs = final.pods.filter(isActivePodNetworkPod).map((p) => p.status.podIP);
  assert.ok(podIPs.every(Boolean), 'an active pod without an IP');
  assert.deepEqual(duplicates(podIPs), [], 'duplicate pod IPs');
});

test('readers never saw a torn or stale state', (t) => {
  const during = reads.filter((r) => r.end > writePhase.start && r.end < writePhase.end).length;
  t.diagnostic(`reads: ${reads.length}, ${during} of them completed while writers ran`);
  // readers run at the lowest priority and writers are quick: a few overlapping reads are enough to judge
  assert.ok(during >= 5, `only ${during} reads completed while the writers ran: the readers hardly overlapped them`);
  const problems = [];
  for (const r of reads) {
    const what = `read #${reads.indexOf(r)} (${r.args[1]})`;
    if (r.code !== 0) {
      problems.push(`${what} exited ${r.code ?? r.signal}: ${r.stderr.trim()}`);
      continue;
    }
    let items;
    try {
      items = JSON.parse(r.stdout).items;
    } catch (e) {
      problems.push(`${what} printed no JSON: ${e.message}`);
      continue;
    }
    const of = (kind) => items.filter((o) => o.kind === kind);
    const index = (kind) => new Map(of(kind).map((o) => [nsName(o), o]));
    for (const d of duplicates(items.map((o) => o.metadata.uid))) problems.push(`${what}: uid ${d} twice`);
    if (r.args[1] === 'services,endpoints') {
      const svcs = index('Service');
      const eps = index('Endpoints');
      // the endpoints controller writes a Service's Endpoints in the same commit as the Service
      for (const [k, s] of svcs) if (s.spec.selector && !eps.has(k)) problems.push(`${what}: service ${k} without its Endpoints`);
      for (const k of eps.keys()) if (!svcs.has(k)) problems.push(`${what}: Endpoints ${k} without its service`);
      // no stale read: a create acknowledged before the read began is seen (unless a delete of it had
      // started by the time the read ended), a delete acknowledged before the read began is not
      for (const [name, at] of createdAt) {
        const seen = svcs.has(`default/${name}`);
        const deleteStart = deleteStartedAt.get(name) ?? Infinity;
        if (at < r.start && deleteStart > r.end && !seen) problems.push(`${what}: service ${name}, created before the read began, is missing`);
        if ((deletedAt.get(name) ?? Infinity) < r.start && seen) problems.push(`${what}: service ${name}, deleted before the read began, is there`);
      }
    } else {
      const sets = index('ReplicaSet');
      const deps = index('Deployment');
      const owner = (o, kind, table) => {
        const ref = (o.metadata.ownerReferences ?? []).find((x) => x.kind === kind);
        if (!ref) return;
        const found = table.get(`${o.metadata.namespace}/${ref.name}`);
        if (!found || found.metadata.uid !== ref.uid) problems.push(`${what}: ${o.kind} ${nsName(o)} without its ${kind} ${ref.name}`);
      };
      for (const p of of('Pod')) owner(p, 'ReplicaSet', sets);
      for (const rs of sets.values()) owner(rs, 'Deployment', deps);
      for (const d of deps.values()) if (![...sets.values()].some((rs) => rs.metadata.ownerReferences?.some((x) => x.uid === d.metadata.uid))) problems.push(`${what}: deployment ${nsName(d)} without a ReplicaSet`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems in ${reads.length} reads`);
});

test('nothing is left behind: no lock, no temp file, no unreferenced shard', () => {
  const top = readdirSync(dir);
  assert.ok(!top.includes('cluster.lock'), 'cluster.lock is still there after every writer exited');
  const objects = existsSync(join(dir, 'objects')) ? readdirSync(join(dir, 'objects')) : [];
  const tmp = [...top, ...objects].filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(tmp, [], 'temp files');
  // superseded shards a manifest still lists (kept a while for readers on an older manifest) count as referenced
  const manifest = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8'));
  assert.ok(shardNames(manifest.shards).size > 0, 'cluster.json references no shard');
  const referenced = shardNames(manifest);
  assert.deepEqual(objects.filter((f) => !referenced.has(f)), [], 'files in objects/ that cluster.json does not reference');
});
