#!/usr/bin/env node
// kubesim start-up benchmark: times whole `node bin/kubesim …` processes against two baselines
// (`node -e 0` and the real kubectl client) and prints median ratios next to the issue's targets.
//
//   npm run bench                      # node build.mjs && node bench/run.mjs
//   BENCH_ROUNDS=3 node bench/run.mjs  # fewer rounds (default 9, plus 1 discarded warm-up round)
//   BENCH_KEEP=1 node bench/run.mjs    # keep the generated state directories (path is printed)
//
// Steps:
//  1. Generate the cluster states (untimed) in a temp dir:
//       small = a default cluster + 100 services + 300 pods (3 per service, selected by it),
//       large = a 100-node cluster (kubesim's maximum) + 10,000 services + 30,000 pods,
//     spread over 10 namespaces (default + bench-01…bench-09). Each state starts with a real
//     `kubesim cluster init`; the added objects are clones of objects the CLI itself stored for a
//     small template manifest (so they keep the CLI's exact shape), with unique names, uids, cluster
//     IPs, node ports and pod IPs, plus the Endpoints and EndpointSlices the controllers would write.
//     The states are written in the store's format 1 (one `<plural>.json` per kind), which is quick
//     to produce (when kubesim itself stores format 2, what its `cluster init` wrote is flattened
//     to format 1 first, see requireFormat1); one `kubesim get namespaces` on each (untimed, its
//     time logged) then lets kubesim migrate it to whatever format the store uses now. From there
//     on the bench reads the states only through the CLI, so it works whatever the on-disk format.
//     A check afterwards runs mutating commands on a copy to confirm the controllers leave the
//     generated objects alone (a fixed point), so no timed command pays for "reconciling" them.
//  2. Run every timed command once with its output captured, to check that it works and prints
//     the expected number of rows (untimed).
//  3. Run warm-up + N rounds; each round runs every command (baselines included) once, in turn,
//     so machine noise spreads over all of them. Each run is one process, stdout to /dev/null.
//     Some commands write to the shared states (one-object creates, labels, deletes): their argv is
//     a function of the run's index n (a new name, label value or pod each run, the check pass
//     included), and in the check pass and every round they run after all the read-only commands,
//     so the reads of a round see the state the previous round left (one service more, one pod less
//     per round and state: negligible). Before each round one untimed `get namespaces` per state
//     lets the cluster catch up with what those writes set in motion (a deleted pod's stop and its
//     replacement), which would otherwise land on the round's first read.
//  4. Print medians, ratios and PASS/MISS against the targets (each a ratio to another row's median,
//     named by its id); write .bench/results.json.
// The exit code is 0 whatever the figures (the benchmark is informational); only a broken
// set-up (no build, cluster init failing) exits non-zero.
//
// Only Node built-ins are used.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createFigures, printCreateFigures, serveRows, startServed } from './serve-clients.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KUBESIM_BIN = path.join(ROOT, 'bin', 'kubesim');
const KUBECTL = '/usr/bin/kubectl';
const ROUNDS = Math.max(1, Number.parseInt(process.env.BENCH_ROUNDS ?? '9', 10) || 9);
const WARMUP_ROUNDS = 1;
const RUN_TIMEOUT_MS = 180_000; // a single run slower than this counts as a failure

const NAMESPACES = ['default', ...Array.from({ length: 9 }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`)];
const SIZES = {
  small: { services: 100, podsPerService: 3, nodes: 3 },
  // 30,000 pods need more than 3 nodes: each node's podCIDR is a /24 (253 pod IPs) and kubesim
  // allows at most 100 nodes, so the pods that do not fit their node's /24 get addresses from the
  // /24s of the pod network no node uses (still unique, still in 10.244.0.0/16).
  large: { services: 10_000, podsPerService: 3, nodes: 100 },
};
const CREATE_COUNT = 1000; // services in the generated `create -f` file
const WRITE_NS = 'bench-03'; // the namespace of the one-object write rows (label, delete) and of `get pods -n`
const NODEPORT_EVERY = 10; // every 10th generated service is a NodePort service, the rest ClusterIP

const log = (msg) => process.stderr.write(`${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Running processes
// ---------------------------------------------------------------------------------------------

/** A clean environment for kubesim: no KUBESIM_* leaking in from the caller's shell. */
function kubesimEnv(stateDir) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('KUBESIM_')) delete env[k];
  if (stateDir) env.KUBESIM_STATE = stateDir;
  return env;
}

/** Runs kubesim untimed, output captured; throws with its stderr when it fails. Returns stdout. */
function kubesim(stateDir, args) {
  return kubesimRun(stateDir, args).stdout;
}

/** The same, returning { stdout, stderr, took } (took: wall time in ms). */
function kubesimRun(stateDir, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [KUBESIM_BIN, ...args], { env: kubesimEnv(stateDir), encoding: 'utf8', maxBuffer: 1 << 30, timeout: RUN_TIMEOUT_MS });
  const took = performance.now() - t0;
  if (r.status !== 0) throw new Error(`kubesim ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`}):\n${(r.stderr ?? '').slice(0, 2000)}`);
  return { stdout: r.stdout, stderr: r.stderr, took };
}

/** The items of `kubesim get <what> -o json` (args after `get`). */
const kubesimItems = (stateDir, args) => JSON.parse(kubesim(stateDir, ['get', ...args, '-o', 'json'])).items;

// ---------------------------------------------------------------------------------------------
// A small seeded generator (mulberry32) so generated states are the same on every run
// ---------------------------------------------------------------------------------------------

function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const hex = (n) => {
    let s = '';
    while (s.length < n) s += int(0x10000).toString(16).padStart(4, '0');
    return s.slice(0, n);
  };
  const uuid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[int(4)]}${h.slice(17, 20)}-${h.slice(20)}`;
  };
  const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'; // apimachinery's rand.String alphabet
  const suffix = (n) => Array.from({ length: n }, () => ALPHABET[int(ALPHABET.length)]).join('');
  return { int, hex, uuid, suffix };
}

// ---------------------------------------------------------------------------------------------
// State files: the store's format 1 (src/store/store.ts before the sharded format 2), used only to
// generate the states, before kubesim migrates them
// ---------------------------------------------------------------------------------------------

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
function readKind(dir, file) {
  const p = path.join(dir, file);
  return fs.existsSync(p) ? readJson(p).items : [];
}
/** The same text Store.writeKind produces: a v1 List, one object per line. */
function writeKind(dir, file, items) {
  const body = items.map((o) => JSON.stringify(o)).join(',\n');
  fs.writeFileSync(path.join(dir, file), `{"apiVersion":"v1","kind":"List","items":[${items.length ? `\n${body}\n` : ''}]}\n`);
}

/**
 * The generator reads what `kubesim cluster init` (and the template's `create -f`) stored, as format-1
 * files, and returns cluster.json. A kubesim whose store writes format 2 (a cluster.json manifest
 * naming shard files, v1 Lists, under objects/) has its fresh state flattened back to format 1 here
 * first, untimed: the generated state is then migrated by kubesim like any format-1 one. Anything
 * else fails clearly instead of generating a broken state.
 */
function requireFormat1(dir) {
  const file = path.join(dir, 'cluster.json');
  const cluster = readJson(file);
  if (cluster.formatVersion === 1) return cluster;
  if (cluster.formatVersion !== 2 || typeof cluster.shards !== 'object' || !cluster.shards || !cluster.config || !Array.isArray(cluster.rand) || typeof cluster.resourceVersion !== 'number') {
    throw new Error(`kubesim wrote the state ${dir} in a format the bench cannot turn into format 1 (formatVersion ${cluster.formatVersion}); teach requireFormat1 the new format`);
  }
  // kind → its format-1 file, from `kubesim api-resources` (NAME … KIND; the short names may be blank)
  const fileOf = new Map(
    kubesim(dir, ['api-resources'])
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/))
      .map((w) => [w[w.length - 1], `${w[0]}.json`]),
  );
  const files = new Map();
  let runtime;
  for (const [key, ref] of Object.entries(cluster.shards)) {
    if (key.startsWith('#index/')) continue; // derived: the migration builds them again
    const data = readJson(path.join(dir, 'objects', ref.file));
    if (key === '#runtime') {
      runtime = data;
      continue;
    }
    const kind = key.slice(0, key.indexOf('/'));
    if (!fileOf.has(kind) || !Array.isArray(data.items)) throw new Error(`${dir}: cannot flatten the shard ${key} (${ref.file}) to format 1`);
    const f = fileOf.get(kind);
    files.set(f, [...(files.get(f) ?? []), ...data.items]);
  }
  fs.rmSync(path.join(dir, 'objects'), { recursive: true, force: true });
  // format 1's order: by namespace, then name, in byte order
  for (const [f, items] of files) writeKind(dir, f, items.sort(byString((o) => `${o.metadata.namespace ?? ''}\0${o.metadata.name}`)));
  if (runtime !== undefined) fs.writeFileSync(path.join(dir, 'runtime.json'), `${JSON.stringify(runtime)}\n`);
  const v1 = { formatVersion: 1, config: cluster.config, rand: cluster.rand, resourceVersion: cluster.resourceVersion };
  fs.writeFileSync(file, `${JSON.stringify(v1, null, 2)}\n`);
  return v1;
}

const ipToInt = (ip) => ip.split('.').reduce((n, x) => n * 256 + Number(x), 0);
const intToIp = (n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const byString = (f) => (a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);
const clone = (o) => structuredClone(o);

// ---------------------------------------------------------------------------------------------
// 1. Templates: what the CLI stores for one namespace, a ClusterIP and a NodePort service, 3 pods
// ---------------------------------------------------------------------------------------------

const T = 'tmplsvc'; // template service name and app label value
const T_NS = 'tmplns';

function templateManifest() {
  const svc = (name, type) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n    app: ${T}\nspec:\n  type: ${type}\n  selector:\n    app: ${T}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`;
  const pod = (i) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${T}-${i}\n  labels:\n    app: ${T}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - containerPort: 8080\n      name: http\n`;
  return [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${T_NS}\n`, svc(T, 'ClusterIP'), svc(`${T}np`, 'NodePort'), pod(0), pod(1), pod(2)].join('---\n');
}

function makeTemplates(work) {
  const dir = path.join(work, 'template');
  const file = path.join(work, 'template.yaml');
  fs.writeFileSync(file, templateManifest());
  kubesim(dir, ['cluster', 'init', '--seed', 'bench-template']);
  kubesim(dir, ['create', '-f', file]);
  // the kubelet starts the pods on the clock (nginx pulls for about 3 s): wait until they run
  for (let i = 0; i < 120; i++) {
    const phases = kubesim(dir, ['get', 'pods', '-n', T_NS, '-o', 'jsonpath={.items[*].status.containerStatuses[0].ready}']);
    if (phases.split(' ').every((p) => p === 'true') && phases.length) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  requireFormat1(dir);
  const find = (f, pred, what) => {
    const o = readKind(dir, f).find(pred);
    if (!o) throw new Error(`the template state has no ${what} (in ${dir}/${f})`);
    return o;
  };
  const t = {
    namespace: find('namespaces.json', (o) => o.metadata.name === T_NS, 'namespace'),
    service: find('services.json', (o) => o.metadata.name === T, 'ClusterIP service'),
    nodePortService: find('services.json', (o) => o.metadata.name === `${T}np`, 'NodePort service'),
    pod: find('pods.json', (o) => o.metadata.name === `${T}-0`, 'pod'),
    endpoints: find('endpoints.json', (o) => o.metadata.name === T, 'Endpoints'),
    slice: find('endpointslices.json', (o) => o.metadata.labels?.['kubernetes.io/service-name'] === T, 'EndpointSlice'),
  };
  if (t.pod.status?.phase !== 'Running' || !t.pod.status?.podIP) throw new Error(`the template pod is not Running with an IP: ${JSON.stringify(t.pod.status)}`);
  if (!t.endpoints.subsets?.[0]?.addresses?.length || !t.slice.endpoints?.length) throw new Error('the template service has no endpoints');
  return t;
}

// ---------------------------------------------------------------------------------------------
// 2. Generating a state: cluster init, then cloned objects written straight into the files
// ---------------------------------------------------------------------------------------------

/** Labels of a template object with the template service's name replaced by `name`. */
const relabel = (labels, name) => (labels ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v === T ? name : v])) : labels);

function generateState(work, id, size, templates) {
  const dir = path.join(work, id);
  const started = performance.now();
  const initArgs = ['cluster', 'init', '--seed', 'bench'];
  if (size.nodes !== 3) initArgs.push('--nodes', String(size.nodes));
  kubesim(dir, initArgs);

  const rnd = generator(size.services);
  const cluster = requireFormat1(dir);
  let rv = cluster.resourceVersion;
  const meta = (template, fields) => {
    // Keeps the template's key order (the apiserver's), replacing the per-object fields.
    const md = clone(template.metadata);
    Object.assign(md, { uid: rnd.uuid(), resourceVersion: String(++rv) }, fields);
    return md;
  };

  const kinds = Object.fromEntries(['namespaces', 'services', 'pods', 'endpoints', 'endpointslices'].map((k) => [k, readKind(dir, `${k}.json`)]));

  // Namespaces beyond the default one.
  for (const ns of NAMESPACES) {
    if (kinds.namespaces.some((n) => n.metadata.name === ns)) continue;
    const o = clone(templates.namespace);
    o.metadata = meta(templates.namespace, { name: ns, labels: relabelNs(templates.namespace.metadata.labels, ns) });
    kinds.namespaces.push(o);
  }

  // Cluster IPs in use, and the service range's dynamic band (above the static band, see ipam.ts).
  const usedIPs = new Set(kinds.services.flatMap((s) => s.spec.clusterIPs ?? []));
  const [cidrBase, cidrBits] = cluster.config.serviceCIDR.split('/');
  const network = ipToInt(cidrBase);
  const rangeSize = 2 ** (32 - Number(cidrBits));
  const staticBand = Math.min(Math.max(16, Math.floor(rangeSize / 16)), 256);
  const nextClusterIP = () => {
    for (;;) {
      const ip = intToIp(network + 1 + staticBand + rnd.int(rangeSize - 2 - staticBand));
      if (!usedIPs.has(ip)) {
        usedIPs.add(ip);
        return ip;
      }
    }
  };
  const usedPorts = new Set(kinds.services.flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort).filter(Boolean)));
  const [portLo, portHi] = cluster.config.nodePortRange.split('-').map(Number);
  const nextNodePort = () => {
    for (;;) {
      const p = portLo + rnd.int(portHi - portLo + 1);
      if (!usedPorts.has(p)) {
        usedPorts.add(p);
        return p;
      }
    }
  };

  // Schedulable nodes (no NoSchedule taint, i.e. not the control plane) and their pod IP ranges:
  // each node hands out .2, .3, … of its podCIDR, as the simulated kubelet does.
  const nodes = readKind(dir, 'nodes.json')
    .filter((n) => !(n.spec.taints ?? []).some((t) => t.effect === 'NoSchedule'))
    .map((n) => ({
      name: n.metadata.name,
      ip: n.status.addresses.find((a) => a.type === 'InternalIP').address,
      base: ipToInt(n.spec.podCIDR.split('/')[0]),
      next: 2,
    }));
  for (const p of kinds.pods) {
    const node = nodes.find((n) => n.name === p.spec.nodeName);
    if (node && p.status?.podIP && !p.spec.hostNetwork) node.next = Math.max(node.next, ipToInt(p.status.podIP) - node.base + 1);
  }
  // Overflow: .2–.254 of each /24 of the pod network above the last node's.
  const [podBase, podBits] = cluster.config.podCIDR.split('/');
  const podNetwork = ipToInt(podBase);
  const podBlocks = 2 ** (24 - Number(podBits));
  let overflowBlock = Math.max(0, ...nodes.map((n) => (n.base - podNetwork) / 256)) + 1;
  let overflowHost = 2;
  let overflowed = 0;
  const nextPodIP = (node) => {
    if (node.next <= 254) return intToIp(node.base + node.next++);
    if (overflowHost > 254) {
      overflowBlock++;
      overflowHost = 2;
    }
    if (overflowBlock >= podBlocks) throw new Error(`${id}: the pod network ${cluster.config.podCIDR} is full`);
    overflowed++;
    return intToIp(podNetwork + overflowBlock * 256 + overflowHost++);
  };
  let nodeTurn = 0;

  const addrT = templates.endpoints.subsets[0].addresses[0];
  const sliceEpT = templates.slice.endpoints[0];
  const width = String(size.services - 1).length;
  for (let i = 0; i < size.services; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length];
    const name = `web-${String(i).padStart(width, '0')}`;
    // every 10th service of each namespace (i / NAMESPACES.length is its ordinal there)
    const nodePort = Math.floor(i / NAMESPACES.length) % NODEPORT_EVERY === NODEPORT_EVERY - 1;

    // The Service
    const st = nodePort ? templates.nodePortService : templates.service;
    const svc = clone(st);
    svc.metadata = meta(st, { name, namespace: ns, labels: relabel(st.metadata.labels, name) });
    svc.spec.selector = relabel(st.spec.selector, name);
    const ip = nextClusterIP();
    svc.spec.clusterIP = ip;
    svc.spec.clusterIPs = [ip];
    if (nodePort) for (const p of svc.spec.ports) p.nodePort = nextNodePort();
    kinds.services.push(svc);

    // Its pods, Running on the workers in turn
    const pods = [];
    for (let k = 0; k < size.podsPerService; k++) {
      const node = nodes[nodeTurn++ % nodes.length];
      const podIP = nextPodIP(node);
      const pod = clone(templates.pod);
      pod.metadata = meta(templates.pod, { name: `${name}-${rnd.suffix(5)}`, namespace: ns, labels: relabel(templates.pod.metadata.labels, name) });
      pod.spec.nodeName = node.name;
      Object.assign(pod.status, { hostIP: node.ip, hostIPs: [{ ip: node.ip }], podIP, podIPs: [{ ip: podIP }] });
      for (const cs of pod.status.containerStatuses ?? []) cs.containerID = `containerd://${rnd.hex(64)}`;
      pods.push(pod);
      kinds.pods.push(pod);
    }

    // What the endpoints controllers write for it: addresses sorted by IP (as strings).
    const targetRef = (p) => ({ ...addrT.targetRef, name: p.metadata.name, namespace: ns, uid: p.metadata.uid });
    const sorted = [...pods].sort(byString((p) => p.status.podIP));
    const ep = clone(templates.endpoints);
    ep.metadata = meta(templates.endpoints, { name, namespace: ns });
    if (ep.metadata.labels) ep.metadata.labels = relabel(ep.metadata.labels, name);
    ep.subsets = [{ ...clone(templates.endpoints.subsets[0]), addresses: sorted.map((p) => ({ ...addrT, ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: targetRef(p) })) }];
    kinds.endpoints.push(ep);

    const sl = clone(templates.slice);
    sl.metadata = meta(templates.slice, {
      name: `${name}-${rnd.suffix(5)}`,
      generateName: `${name}-`,
      namespace: ns,
      labels: relabel(templates.slice.metadata.labels, name),
      ownerReferences: [{ ...templates.slice.metadata.ownerReferences[0], name, uid: svc.metadata.uid }],
    });
    sl.endpoints = sorted.map((p) => ({ ...sliceEpT, addresses: [p.status.podIP], nodeName: p.spec.nodeName, targetRef: targetRef(p) }));
    kinds.endpointslices.push(sl);
  }

  for (const [k, items] of Object.entries(kinds)) writeKind(dir, `${k}.json`, items);
  cluster.resourceVersion = rv;
  fs.writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify(cluster, null, 2)}\n`);

  const count = (items, ns) => items.filter((o) => ns === undefined || o.metadata.namespace === ns).length;
  const info = {
    dir,
    nodes: readKind(dir, 'nodes.json').length,
    namespaces: kinds.namespaces.length,
    services: kinds.services.length,
    servicesDefault: count(kinds.services, 'default'),
    pods: kinds.pods.length,
    podsDefault: count(kinds.pods, 'default'),
    podsWriteNs: count(kinds.pods, WRITE_NS),
    // the generated pods of WRITE_NS (no owner: a deleted one stays deleted), for the write rows
    writeNsPods: kinds.pods.filter((p) => p.metadata.namespace === WRITE_NS).map((p) => p.metadata.name),
    podsOutsideNodeCIDR: overflowed,
    bytes: fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0),
  };
  log(`  ${id}: ${info.nodes} nodes, ${info.namespaces} namespaces, ${info.services} services, ${info.pods} pods${overflowed ? ` (${overflowed} with IPs outside their node's podCIDR)` : ''}, ${(info.bytes / 1e6).toFixed(1)} MB (${ms(performance.now() - started)})`);
  return info;
}

/** A namespace's labels: the template's with its own name. */
function relabelNs(labels, ns) {
  return labels ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v === T_NS ? ns : v])) : labels;
}

/**
 * Lets kubesim migrate a generated (format-1) state to the store's current format, untimed: the
 * first command run on it does. Returns { took, notice } (notice: what it said on stderr, if anything).
 */
function migrate(info) {
  const r = kubesimRun(info.dir, ['get', 'namespaces']);
  return { took: r.took, notice: r.stderr.trim().split('\n')[0] };
}

/**
 * Confirms the controllers leave the generated objects as they are: on a copy, one mutating command
 * (creating a namespace, which runs every controller over the whole state) must hand out exactly
 * one resourceVersion. Through the CLI only, so it works on any state format: a second namespace
 * created right after gets the next resourceVersion the first command left (a command's own change
 * comes before the controllers run), so the two namespaces' resourceVersions are 1 apart exactly
 * when the controllers wrote nothing. Returns { took } (the first create's wall time), plus
 * { problem } when the state is not a fixed point.
 */
function checkFixedPoint(work, info) {
  const copy = `${info.dir}-check`;
  fs.cpSync(info.dir, copy, { recursive: true });
  try {
    const create = (name) => {
      const file = path.join(work, `${name}.yaml`);
      fs.writeFileSync(file, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`);
      const r = kubesimRun(copy, ['create', '-f', file, '-o', 'json']);
      return { took: r.took, rv: Number(JSON.parse(r.stdout).metadata.resourceVersion) };
    };
    const first = create('bench-fixpoint-check');
    const second = create('bench-fixpoint-next');
    const handedOut = second.rv - first.rv;
    if (handedOut === 1) return { took: first.took };
    // What the controllers wrote: the objects whose resourceVersion falls between the two (an object
    // deleted, or written twice, uses resourceVersions the listing cannot show).
    // the stored kinds: listable, and not the metrics API (computed, never written)
    const kinds = kubesim(copy, ['api-resources', '--verbs=list', '-o', 'name']).split('\n').filter((k) => k && !k.endsWith('.metrics.k8s.io'));
    const written = kubesimItems(copy, [kinds.join(','), '-A']).filter((o) => {
      const rv = Number(o.metadata.resourceVersion);
      return rv > first.rv && rv < second.rv;
    });
    const byKind = new Map();
    for (const o of written) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name]);
    const listing = [...byKind].map(([k, names]) => `${names.length} ${k} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`);
    const unseen = handedOut - 1 - written.length;
    return {
      took: first.took,
      problem: `a namespace create handed out ${handedOut} resourceVersions instead of 1; written by the controllers: ${listing.join('; ') || '(nothing still there)'}${unseen > 0 ? `; ${unseen} more to deletions or repeated writes` : ''}`,
    };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The `create -f` input: CREATE_COUNT services in the default namespace, same mix as the states. */
function createManifest(work) {
  const file = path.join(work, `services-${CREATE_COUNT}.yaml`);
  const docs = [];
  for (let i = 0; i < CREATE_COUNT; i++) {
    const name = `load-${String(i).padStart(4, '0')}`;
    const type = i % NODEPORT_EVERY === NODEPORT_EVERY - 1 ? 'NodePort' : 'ClusterIP';
    docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  type: ${type}\n  selector:\n    app: ${name}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n`);
  }
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}

// ---------------------------------------------------------------------------------------------
// 3. The timed commands
// ---------------------------------------------------------------------------------------------

/**
 * The timed commands. Each entry: id, label (the table's), argv (an array, or a function of the run
 * index n giving one: a different command each run), env, expectLines (stdout lines in the check
 * pass), and optionally: short (how a target naming this row shows it), target { vs: <a row id>,
 * max } (PASS when this row's median ≤ max × that row's), write (changes a shared state: runs after
 * the read-only commands), prepare (untimed, before each run), okCodes (exit codes that are fine).
 */
function commands(work, small, large, createFile, haveKubectl, served) {
  const ks = (id, label, info, args, expectLines, extra = {}) => ({
    id,
    label,
    argv: typeof args === 'function' ? (n) => (args(n) ? [process.execPath, KUBESIM_BIN, ...args(n)] : undefined) : [process.execPath, KUBESIM_BIN, ...args],
    env: kubesimEnv(info.dir),
    expectLines,
    ...extra,
  });
  // `create -f` runs on a fresh copy of the small state as it was before any write row ran.
  const createBase = `${small.dir}-create-base`;
  fs.cpSync(small.dir, createBase, { recursive: true });
  const createCopy = `${small.dir}-create`;

  // One-object writes, repeated on the same state: a new object, label value or victim each run n.
  const writes = (size, info, suffix) => {
    // the first generated pod of WRITE_NS is relabelled every run; the others are deleted, one per run
    const [labelled, ...victims] = info.writeNsPods;
    return [
      ks(`create-svc-${size}`, `create service clusterip (${suffix})`, info, (n) => ['create', 'service', 'clusterip', `bench-w-${n}`, '--tcp=80:8080'], 1, {
        short: `create svc (${suffix})`,
        shown: 'create service clusterip bench-w-<n> --tcp=80:8080',
        write: true,
      }),
      ks(`label-pod-${size}`, `label pod --overwrite (${suffix})`, info, (n) => ['label', 'pod', labelled, `bench=v${n}`, '--overwrite', '-n', WRITE_NS], 1, {
        short: `label pod (${suffix})`,
        shown: `label pod ${labelled} bench=v<n> --overwrite -n ${WRITE_NS}`,
        write: true,
      }),
      // --wait=false: the delete itself. By default kubectl then waits while the pod stops, which on
      // kubesim is simulated time (nginx stops a second after SIGTERM), not work to measure
      ks(`delete-pod-${size}`, `delete pod (${suffix})`, info, (n) => (n < victims.length ? ['delete', 'pod', victims[n], '-n', WRITE_NS, '--wait=false'] : undefined), 1, {
        short: `delete pod (${suffix})`,
        shown: `delete pod <a different ${WRITE_NS} pod each run, of ${victims.length}> -n ${WRITE_NS} --wait=false`,
        write: true,
      }),
    ];
  };
  const [smallWrites, largeWrites] = [writes('small', small, 'small'), writes('large', large, 'large')];
  for (const c of largeWrites) c.target = { vs: c.id.replace(/-large$/, '-small'), max: 2 };

  const list = [
    { id: 'node', label: 'node -e 0', short: 'node', argv: [process.execPath, '-e', '0'], baseline: true },
    haveKubectl && { id: 'kubectl', label: 'kubectl version --client', short: 'kubectl', argv: [KUBECTL, 'version', '--client'], baseline: true },
    ks('get-nodes', 'get nodes (small)', small, ['get', 'nodes'], small.nodes + 1, { target: { vs: 'node', max: 1.35 } }),
    ks('get-namespaces', 'get namespaces (small)', small, ['get', 'namespaces'], small.namespaces + 1),
    ks('get-services-small', `get services (${small.services - 2})`, small, ['get', 'services'], small.servicesDefault + 1, { target: { vs: 'node', max: 1.35 } }),
    ks('get-services-A-small', `get services -A (${small.services - 2})`, small, ['get', 'services', '-A'], small.services + 1),
    ks('get-services-large', `get services (${large.services - 2})`, large, ['get', 'services'], large.servicesDefault + 1),
    ks('get-services-A-large', `get services -A (${large.services - 2})`, large, ['get', 'services', '-A'], large.services + 1, { target: { vs: 'node', max: 3 } }),
    ks('get-pods-A-large', `get pods -A (${large.pods})`, large, ['get', 'pods', '-A'], large.pods + 1, { target: { vs: 'node', max: 8 } }),
    ks('get-pods-ns-small', `get pods -n ${WRITE_NS} (${small.podsWriteNs})`, small, ['get', 'pods', '-n', WRITE_NS], small.podsWriteNs + 1),
    ks('get-pods-ns-large', `get pods -n ${WRITE_NS} (${large.podsWriteNs})`, large, ['get', 'pods', '-n', WRITE_NS], large.podsWriteNs + 1),
    ...(served ? serveRows(KUBECTL, served, WRITE_NS, small.podsWriteNs + 1) : []),
    ks('create', `create -f ${CREATE_COUNT} services (small)`, { dir: createCopy }, ['create', '-f', createFile], CREATE_COUNT, {
      // untimed: a fresh copy of the small state before every run
      prepare: () => {
        fs.rmSync(createCopy, { recursive: true, force: true });
        fs.cpSync(createBase, createCopy, { recursive: true });
      },
      target: haveKubectl ? { vs: 'annotate', max: 3 } : undefined,
    }),
    // the simulated data plane: a request through kube-proxy's rules, and the rules themselves
    ...dataPlane(small, ks),
    haveKubectl && { id: 'annotate', label: `kubectl annotate --local (${CREATE_COUNT})`, short: 'kubectl annotate', argv: [KUBECTL, 'annotate', '--local', '-f', createFile, 'a=b', '-o', 'name'], expectLines: CREATE_COUNT },
    // the writes, small and large side by side
    ...smallWrites.flatMap((c, i) => [c, largeWrites[i]]),
  ];
  return list.filter(Boolean);
}

/**
 * The simulated data plane in the small state: a DNS query from a node through kube-proxy's rules to
 * CoreDNS, a request from outside through a NodePort, and the rules themselves. (The bench's pods
 * run nginx, which listens on 80 while their services target 8080: that request is refused, as on a
 * real cluster, and still walks the whole path.)
 */
function dataPlane(small, ks) {
  const services = kubesimItems(small.dir, ['services', '-A']);
  const np = services.find((s) => s.spec.type === 'NodePort');
  return [
    ks('nslookup', 'ssh node01 -- nslookup (small)', small, ['ssh', 'node01', '--', 'nslookup', 'kubernetes.default.svc.cluster.local', '10.96.0.10'], 4),
    np && ks('curl-nodeport', 'curl NodePort from outside (small)', small, ['curl', '-s', `192.168.49.3:${np.spec.ports[0].nodePort}`], 0, { okCodes: [7] }),
    ks('iptables-save', 'ssh node01 -- iptables-save (small)', small, ['ssh', 'node01', '--', 'iptables-save']),
  ].filter(Boolean);
}

/** A command's argv for run n; undefined when it has no run n (a delete that ran out of victims). */
const argvOf = (cmd, n) => (typeof cmd.argv === 'function' ? cmd.argv(n) : cmd.argv);

/**
 * Run n of a command: its wall time in ms, stdout to /dev/null (or captured for the check pass);
 * { skipped } when the command has no run n.
 */
function runOnce(cmd, n, capture = false) {
  const argv = argvOf(cmd, n);
  if (!argv) return { skipped: true };
  cmd.prepare?.();
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    env: cmd.env ?? process.env,
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: RUN_TIMEOUT_MS,
  });
  const elapsed = performance.now() - t0;
  const error = r.error ? r.error.message : r.status !== 0 && !(cmd.okCodes ?? []).includes(r.status) ? `exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''}: ${(r.stderr ?? '').trim().split('\n').slice(0, 5).join(' | ')}` : undefined;
  return { elapsed, error, stdout: r.stdout };
}

// ---------------------------------------------------------------------------------------------
// 4. Figures and the report
// ---------------------------------------------------------------------------------------------

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '-');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '-');

function printTable(rows) {
  const header = ['command', 'median ms', '× node', '× kubectl', 'target', 'result'];
  const cells = rows.map((r) => [
    r.label,
    Number.isFinite(r.medianMs) ? String(Math.round(r.medianMs)) : r.error ? 'FAILED' : '-',
    ratio(r.ratioNode),
    ratio(r.ratioKubectl),
    r.target ? `≤ ${r.target.max}× ${r.target.vsLabel}` : '',
    r.target ? (r.target.pass === undefined ? 'n/a' : `${r.target.pass ? 'PASS' : 'MISS'} (${Number.isFinite(r.target.ratio) ? `${r.target.ratio.toFixed(3)}×` : 'no figure'})`) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const right = new Set([1, 2, 3]);
  const line = (c) => c.map((x, i) => (right.has(i) ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('   ').trimEnd();
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

// ---------------------------------------------------------------------------------------------
// Issue 18, one state, two doors: `get pods -A` on a copy of the large state with `kubesim serve`
// running on it, so the command runs in the server (src/cli/remote.ts); the other rows stay in-process
// ---------------------------------------------------------------------------------------------

/** `kubesim serve` on a copy of the large state (its kubeconfig in the work dir); { dir, child }. */
function startServedLarge(work, large) {
  const dir = `${large.dir}-served`;
  fs.cpSync(large.dir, dir, { recursive: true });
  const env = { ...kubesimEnv(dir), KUBESIM_CONFIG: path.join(work, 'served-config') };
  const child = spawn(process.execPath, [KUBESIM_BIN, 'serve', '--port', '0'], { env, stdio: 'ignore' });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; !fs.existsSync(path.join(dir, 'serve.json')); waited += 50) {
    if (waited > 60_000 || child.exitCode !== null) throw new Error('bench: kubesim serve did not start on the large state');
    Atomics.wait(pause, 0, 0, 50);
  }
  log(`  large: kubesim serve running on a copy (${dir})`);
  return { dir, child };
}

function servedCommand(served, large) {
  return {
    id: 'get-pods-A-served',
    label: `get pods -A (${large.pods}) through serve`,
    short: 'get pods -A through serve',
    argv: [process.execPath, KUBESIM_BIN, 'get', 'pods', '-A'],
    env: kubesimEnv(served.dir),
    expectLines: large.pods + 1,
    target: { vs: 'node', max: 3 },
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'kubesim.cjs'))) {
    console.error('bench: dist/kubesim.cjs is missing; run `node build.mjs` (or `npm run bench`)');
    process.exit(1);
  }
  const haveKubectl = fs.existsSync(KUBECTL);
  if (!haveKubectl) console.log(`bench: ${KUBECTL} not found: skipping the kubectl baseline and the kubectl annotate comparison`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-bench-'));
  let served;
  let servedLarge;
  try {
    log(`bench: generating states in ${work} (untimed)`);
    const templates = makeTemplates(work);
    const small = generateState(work, 'small', SIZES.small, templates);
    const large = generateState(work, 'large', SIZES.large, templates);
    const createFile = createManifest(work);

    // Untimed: the first command on each state migrates it to the store's current format (if it is
    // not format 1 any more); nothing below reads the state files.
    for (const [id, info] of [['small', small], ['large', large]]) {
      const r = migrate(info);
      info.migrationMs = r.took;
      log(`  ${id}: first command (\`get namespaces\`, migrating the format-1 files if the store needs to) took ${ms(r.took)}${r.notice ? `: ${r.notice}` : ', no notice'}`);
    }

    const notes = [];
    for (const [id, info] of [['small', small], ['large', large]]) {
      const r = checkFixedPoint(work, info);
      log(`  ${id}: controllers' fixed-point check (one namespace create) took ${ms(r.took)}${r.problem ? `: ${r.problem}` : ', ok'}`);
      if (r.problem) notes.push(`${id} state: ${r.problem}`);
    }

    // issue 18: the real kubectl through `kubesim serve` (bench/serve-clients.mjs)
    if (haveKubectl) served = await startServed(KUBESIM_BIN, small.dir, kubesimEnv()).catch((e) => notes.push(`kubesim serve: ${e.message}`));
    const cmds = commands(work, small, large, createFile, haveKubectl, served || undefined);
    // issue 18: kubesim's own get pods -A through a server on the large state
    servedLarge = startServedLarge(work, large);
    cmds.push(servedCommand(servedLarge, large));
    // The order every pass runs them in: the read-only commands first, then those that write to the
    // shared states.
    const order = [...cmds.filter((c) => !c.write), ...cmds.filter((c) => c.write)];
    const ranOut = (c, n) => {
      if (c.ranOut) return;
      c.ranOut = true;
      notes.push(`${c.label}: no run ${n} (ran out of objects to act on), ${n} runs in all`);
    };

    // Untimed check pass (run n = 0): each command works and prints as many lines as expected.
    log('bench: checking each command once (untimed)');
    for (const c of order) {
      const r = runOnce(c, 0, true);
      if (r.skipped) {
        c.error = 'no run 0';
        notes.push(`${c.label}: FAILED: nothing to act on`);
        continue;
      }
      if (r.error) {
        c.error = r.error;
        notes.push(`${c.label}: FAILED: ${r.error}`);
        log(`  ${c.label}: FAILED: ${r.error}`);
        continue;
      }
      const lines = r.stdout.split('\n').filter(Boolean).length;
      if (c.expectLines !== undefined && lines !== c.expectLines) notes.push(`${c.label}: printed ${lines} lines, expected ${c.expectLines}`);
      log(`  ${c.label}: ok, ${lines} lines, ${ms(r.elapsed)}`);
    }

    // Timed rounds, round-robin over the commands; the first WARMUP_ROUNDS are discarded.
    for (const c of cmds) c.times = [];
    const total = WARMUP_ROUNDS + ROUNDS;
    for (let round = 0; round < total; round++) {
      // Untimed: the previous round's writes left the kubelets work that falls due seconds later
      // (a deleted pod stops, its ReplicaSet's replacement starts); the first command after that
      // moment catches the cluster up (cli/context.ts). Letting one untimed read do it keeps that
      // cost, which belongs to the writes, off whichever timed read happens to come first.
      // (a deleted nginx stops within a second and its replacement starts a second or two later:
      // wait for that, then read twice, for the replacement's own later steps)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
      for (const info of [small, large]) for (let i = 0; i < 2; i++) kubesimRun(info.dir, ['get', 'namespaces']);
      const t0 = performance.now();
      for (const c of order) {
        if (c.error || c.ranOut) continue;
        const n = round + 1; // the check pass was run 0
        const r = runOnce(c, n);
        if (r.skipped) {
          ranOut(c, n);
          continue;
        }
        if (r.error) {
          c.error = r.error;
          notes.push(`${c.label}: FAILED in round ${round}: ${r.error}`);
          continue;
        }
        if (round >= WARMUP_ROUNDS) c.times.push(r.elapsed);
      }
      log(`bench: round ${round + 1}/${total}${round < WARMUP_ROUNDS ? ' (warm-up, discarded)' : ''} ${ms(performance.now() - t0)}`);
    }

    const serveCreates = served && createFigures(KUBECTL, served, work);

    // Medians, ratios, targets.
    const med = Object.fromEntries(cmds.map((c) => [c.id, c.error ? NaN : median(c.times)]));
    const rows = cmds.map((c) => {
      const m = med[c.id];
      const row = {
        id: c.id,
        label: c.label,
        command: c.shown ? `node bin/kubesim ${c.shown}` : c.argv.slice(c.argv[1] === KUBESIM_BIN ? 1 : 0).map((a) => (a === KUBESIM_BIN ? 'bin/kubesim' : a === process.execPath ? 'node' : a)).join(' '),
        medianMs: m,
        minMs: c.times.length ? Math.min(...c.times) : NaN,
        maxMs: c.times.length ? Math.max(...c.times) : NaN,
        runsMs: c.times.map((t) => Math.round(t * 10) / 10),
        ratioNode: m / med.node,
        ratioKubectl: haveKubectl ? m / med.kubectl : NaN,
        error: c.error,
      };
      if (c.target) {
        const vs = cmds.find((x) => x.id === c.target.vs);
        const r = m / med[c.target.vs]; // NaN when that row failed or does not exist
        row.target = { ...c.target, vsLabel: vs ? (vs.short ?? vs.label) : `${c.target.vs} (no such row)`, ratio: r, pass: Number.isFinite(r) ? r <= c.target.max : false };
      }
      return row;
    });

    console.log('');
    console.log(`kubesim bench: ${ROUNDS} rounds (+${WARMUP_ROUNDS} warm-up), median wall time per process; node ${process.version}, ${os.cpus().length} CPUs`);
    console.log(`small: ${small.nodes} nodes, ${small.services} services, ${small.pods} pods; large: ${large.nodes} nodes, ${large.services} services, ${large.pods} pods; ${NAMESPACES.length} namespaces`);
    console.log('');
    printTable(rows);
    if (serveCreates) printCreateFigures(serveCreates);
    if (notes.length) {
      console.log('\nnotes:');
      for (const n of notes) console.log(`  - ${n}`);
    }

    const outDir = path.join(ROOT, '.bench');
    fs.mkdirSync(outDir, { recursive: true });
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      rounds: ROUNDS,
      warmupRounds: WARMUP_ROUNDS,
      kubectl: haveKubectl ? KUBECTL : null,
      states: Object.fromEntries([['small', small], ['large', large]].map(([k, v]) => [k, { ...v, dir: undefined, writeNsPods: undefined }])),
      commands: rows,
      serveCreates,
      notes,
    };
    fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(result, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
    console.log(`\nresults: ${path.relative(process.cwd(), path.join(outDir, 'results.json')) || path.join(outDir, 'results.json')}`);
  } finally {
    servedLarge?.child.kill('SIGTERM');
    await served?.stop?.();
    if (process.env.BENCH_KEEP) log(`bench: kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
