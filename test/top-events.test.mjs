// Issue 16, part 7: top (kubectl pkg/cmd/top, pkg/metricsutil/metrics_printer.go) on the simulated
// metrics of src/controllers/metrics.ts; events (pkg/cmd/events); api-versions; logs --since and
// --timestamps; cluster-info dump. top's layout is compared live with kubectl 1.32 against a fake
// apiserver serving the metrics kubesim reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cluster, hasKubectl } from './helpers.mjs';

const execFileP = promisify(execFile);
const t = (hms) => `2025-03-01T${hms}Z`;

const PHP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        resources:
          limits:
            cpu: 500m
            memory: 8Mi
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;
const LOAD = ['run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done'];

/** The table's rows as arrays of cells (kubectl's top pads every column, the last one too). */
const cells = (out) => out.trimEnd().split('\n').map((l) => l.trim().split(/\s+/));

// ------------------------------------------------------------------ top

test('top pods follows the load generator over simulated time; top nodes adds the pods to the node', () => {
  const c = cluster({ init: [] });
  try {
    const f = join(c.dir, 'php.yaml');
    writeFileSync(f, PHP);
    c.ok(['apply', '-f', f]);
    // the pod has started but metrics-server has not scraped it twice yet
    let r = c.run(['top', 'pods']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'error: metrics not available yet\n']);
    c.at(t('12:01:00'));
    const [pod] = c.ok(['get', 'pods', '-o', 'name']).trim().replace('pod/', '').split('\n');
    // idle: 1m; the working set is capped by the 8Mi limit
    assert.deepEqual(cells(c.ok(['top', 'pods'])), [['NAME', 'CPU(cores)', 'MEMORY(bytes)'], [pod, '1m', '8Mi']]);
    c.ok(LOAD);
    c.at(t('12:02:00'));
    // 50 requests a second × 12 ms of CPU = 600m, throttled at the 500m limit; the client's own 10m
    assert.deepEqual(cells(c.ok(['top', 'pods', '--sort-by=cpu', '--no-headers'])), [[pod, '500m', '8Mi'], ['load-generator', '10m', '1Mi']]);
    assert.deepEqual(cells(c.ok(['top', 'pods', '--sort-by=memory', '--no-headers'])).map((r) => r[0]), [pod, 'load-generator']);
    assert.deepEqual(cells(c.ok(['top', 'pods', '--no-headers'])).map((r) => r[0]), ['load-generator', pod]);
    assert.deepEqual(cells(c.ok(['top', 'pod', pod, '--containers'])), [['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'], [pod, 'php-apache', '500m', '8Mi']]);
    assert.deepEqual(cells(c.ok(['top', 'pods', '-l', 'run=php-apache', '--no-headers'])), [[pod, '500m', '8Mi']]);
    // the node's usage: its pods' and its own; the percentages of its allocatable (2 CPUs)
    const node = c.ok(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}']);
    const nodes = cells(c.ok(['top', 'nodes']));
    assert.deepEqual(nodes[0], ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    assert.deepEqual(nodes.slice(1).map((r) => r[0]), ['controlplane', 'node01', 'node02']);
    const row = nodes.find((r) => r[0] === node);
    const milli = parseInt(row[1], 10);
    assert.ok(milli >= 500 && milli < 600, row.join(' '));
    assert.equal(row[2], `${Math.trunc((milli / 2000) * 100)}%`);
    assert.equal(cells(c.ok(['top', 'nodes', '--sort-by=cpu', '--no-headers']))[0][0], node);
    assert.deepEqual(cells(c.ok(['top', 'node', node, '--no-headers'])), [row]);
    // the generator gone, the server idles again
    c.ok(['delete', 'pod', 'load-generator', '--now']);
    c.at(t('12:03:00'));
    assert.deepEqual(cells(c.ok(['top', 'pods', '--no-headers'])), [[pod, '1m', '8Mi']]);
  } finally {
    c.cleanup();
  }
});

test('top: kube-system, --containers with -A and --sum, errors as kubectl words them', () => {
  const c = cluster({ init: [] });
  try {
    // nodes have metrics only after the first scrapes too
    assert.deepEqual(c.run(['top', 'nodes']).stderr, 'error: metrics not available yet\n');
    c.at(t('12:00:30'));
    const sys = cells(c.ok(['top', 'pods', '-n', 'kube-system', '--sort-by=cpu']));
    assert.deepEqual(sys[1].slice(0, 2), ['kube-apiserver-controlplane', '40m']);
    assert.ok(sys.slice(1).every((r) => /^\d+Mi$/.test(r[2]) && parseInt(r[2], 10) > 0), JSON.stringify(sys));
    const all = c.ok(['top', 'pods', '-A', '--containers', '--sum']);
    const lines = all.trimEnd().split('\n');
    assert.deepEqual(cells(lines[0])[0], ['NAMESPACE', 'POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    // the sum: two rules under the two usage columns, then the totals
    assert.deepEqual(cells(lines.at(-2))[0], ['________', '________']);
    const usage = cells(lines.slice(1, -2).join('\n'));
    const total = usage.reduce((s, r) => s + parseInt(r[3], 10), 0);
    assert.equal(cells(lines.at(-1))[0][0], `${total}m`);
    // the same column under the rules and the totals as under CPU(cores)
    const at = lines[0].indexOf('CPU(cores)');
    assert.equal(lines.at(-2).indexOf('________'), at);
    assert.equal(lines.at(-1).indexOf(`${total}m`), at);
    assert.match(lines[0], / {3}$/);
    // no pods: stderr only, exit 0
    assert.deepEqual(c.run(['top', 'pods']), { stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
    for (const [args, err] of [
      [['top', 'pods', '--sort-by=name'], 'error: --sort-by accepts only cpu or memory\n'],
      [['top', 'nodes', '--sort-by', 'disk'], 'error: --sort-by accepts only cpu or memory\n'],
      [['top', 'pods', 'x', '-l', 'a=b'], 'error: only one of NAME or selector can be provided\n'],
      [['top', 'nodes', 'x', '-l', 'a=b'], 'error: only one of NAME or --selector can be provided\n'],
      [['top', 'pod', 'nope'], 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n'],
      [['top', 'node', 'nope'], 'Error from server (NotFound): nodemetrics.metrics.k8s.io "nope" not found\n'],
    ]) {
      const r = c.run(args);
      assert.deepEqual([r.code, r.stderr], [1, err], args.join(' '));
    }
    // a pod that never runs: after kubectl's two minutes it says so, with the age
    c.ok(['run', 'broken', '--image=nosuchregistry.invalid/x']);
    c.at(t('12:03:00'));
    assert.equal(c.run(['top', 'pods']).stderr, 'error: Metrics not available for pod default/broken, age: 2m30s\n');
  } finally {
    c.cleanup();
  }
});

/** A fake apiserver with the metrics API serving the given pod and node metrics, for kubectl top. */
function metricsServer(pods, nodes, nodeObjs) {
  const list = (kind, items) => ({ kind, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
  const routes = {
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] },
    '/apis': {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } }],
    },
    '/apis/metrics.k8s.io/v1beta1/pods': list('PodMetricsList', pods),
    '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods': list('PodMetricsList', pods.filter((p) => p.metadata.namespace === 'default')),
    '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods': list('PodMetricsList', pods.filter((p) => p.metadata.namespace === 'kube-system')),
    '/apis/metrics.k8s.io/v1beta1/nodes': list('NodeMetricsList', nodes),
    '/api/v1/nodes': { kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: nodeObjs },
  };
  const srv = http.createServer((req, r) => {
    const body = routes[req.url.split('?')[0]];
    r.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    r.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

test('top prints what kubectl 1.32 prints for the same metrics (compared with kubectl live)', async (tc) => {
  if (!hasKubectl()) return tc.skip('kubectl is not installed');
  const c = cluster({ init: [] });
  let srv;
  try {
    c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    c.ok(['run', 'cache', '--image=redis']);
    c.at(t('12:01:00'));
    // the metrics kubesim reports, as metrics-server's objects (container usage from --containers)
    const pods = new Map();
    for (const [ns, pod, name, cpu, mem] of cells(c.ok(['top', 'pods', '-A', '--containers', '--no-headers']))) {
      const k = `${ns}/${pod}`;
      if (!pods.has(k)) pods.set(k, { metadata: { name: pod, namespace: ns }, timestamp: '2025-03-01T12:01:00Z', window: '15s', containers: [] });
      pods.get(k).containers.push({ name, usage: { cpu, memory: mem } });
    }
    const nodes = cells(c.ok(['top', 'nodes', '--no-headers'])).map(([name, cpu, , mem]) => ({ metadata: { name }, timestamp: '2025-03-01T12:01:00Z', window: '15s', usage: { cpu, memory: mem } }));
    const nodeObjs = JSON.parse(c.ok(['get', 'nodes', '-o', 'json'])).items;
    srv = await metricsServer([...pods.values()], nodes, nodeObjs);
    const kubectl = async (args) => {
      try {
        return (await execFileP('kubectl', ['-s', `http://127.0.0.1:${srv.address().port}`, '--use-protocol-buffers=false', ...args], { encoding: 'utf8' })).stdout;
      } catch (e) {
        return `exit ${e.code}: ${e.stderr}`;
      }
    };
    for (const args of [
      ['top', 'pods'],
      ['top', 'pods', '--sum'],
      ['top', 'pods', '--containers', '--sum'],
      ['top', 'pods', '-A'],
      ['top', 'pods', '-A', '--containers', '--sum'],
      // Go's sort.Sort keeps equal rows in order only up to 12 (insertion sort): ties are compared on small lists
      ['top', 'pods', '--sort-by=memory'],
      ['top', 'pods', '-n', 'kube-system', '--sort-by=cpu', '--containers'],
      ['top', 'pods', '--no-headers', '--sum'],
      ['top', 'nodes'],
      ['top', 'nodes', '--sort-by=memory', '--no-headers'],
      ['top', 'nodes', '--show-capacity'],
    ]) {
      assert.equal(c.ok(args), await kubectl(args), args.join(' '));
    }
  } finally {
    srv?.close();
    c.cleanup();
  }
});

// ------------------------------------------------------------------ events

/** A fake apiserver answering the events list with the given EventList, its times moved to the
 * real clock (kubectl's LAST SEEN is measured from now), for kubectl events. */
function eventsServer(list, simNow) {
  const shift = (v) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v) ? new Date(Date.parse(v) + (Date.now() - Date.parse(simNow))).toISOString().replace(/\.\d+Z$/, 'Z') : v);
  const moved = (o) => (Array.isArray(o) ? o.map(moved) : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, moved(v)])) : shift(o));
  const srv = http.createServer((req, r) => {
    const url = new URL(req.url, 'http://x');
    let body;
    if (url.pathname === '/api') body = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
    else if (url.pathname === '/apis') body = { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
    else if (url.pathname === '/api/v1') body = { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['list'], shortNames: ['po'] }, { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['list'], shortNames: ['ev'] }] };
    else if (/^\/api\/v1\/(namespaces\/[\w-]+\/)?events$/.test(url.pathname)) {
      const ns = /namespaces\/([\w-]+)/.exec(url.pathname)?.[1];
      const fs = url.searchParams.get('fieldSelector') ?? '';
      const want = Object.fromEntries(fs ? fs.split(',').map((t) => t.split('=')) : []);
      const items = list.items.filter((e) => (!ns || e.metadata.namespace === ns) && Object.entries(want).every(([k, v]) => e.involvedObject[k.split('.')[1]] === v));
      body = moved({ kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    }
    r.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    r.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

test('events: oldest first, --for, --types, -A, -o, the empty answers; the same table as kubectl 1.32 (live)', async (tc) => {
  const c = cluster({ init: [] });
  let srv;
  try {
    assert.deepEqual(c.run(['events']), { stdout: '', stderr: 'No events found in default namespace.\n', code: 0 });
    c.ok(['create', 'deployment', 'web', '--image=nginx']);
    c.at(t('12:00:10'));
    c.ok(['run', 'bad', '--image=nosuchregistry.invalid/x']);
    c.at(t('12:03:00'));
    const rows = cells(c.ok(['events']));
    assert.deepEqual(rows[0], ['LAST', 'SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    const table = c.ok(['events']).split('\n').slice(1, -1);
    // oldest first: the deployment's events (at 12:00:00) before the later pod's, the back-offs (seen last) at the end
    const objects = table.map((l) => l.split(/\s{3,}/)[3]);
    assert.ok(objects.lastIndexOf('Deployment/web') < objects.indexOf('Pod/bad'), objects.join(' '));
    assert.match(table.at(-1), /^\S+ \(x\d+ over 2m\d*s?\)\s+(Normal|Warning)\s+/);
    const warnings = cells(c.ok(['events', '--types', 'Warning', '--no-headers']));
    assert.ok(warnings.length > 0 && warnings.every((r) => r.includes('Warning')));
    assert.deepEqual(c.ok(['events', '--types=warning,Normal']), c.ok(['events']));
    const forBad = c.ok(['events', '--for', 'pod/bad', '--no-headers']).trim().split('\n');
    assert.ok(forBad.every((l) => l.includes('Pod/bad')) && forBad.length >= 4, forBad.join('\n'));
    assert.equal(c.ok(['events', '--for', 'deploy/web', '--no-headers']).split('\n').filter(Boolean).length, 1);
    assert.deepEqual(c.run(['events', '--for', 'pod/nope']).stderr, 'No events found in default namespace.\n');
    assert.deepEqual(c.run(['events', '-n', 'empty']).stderr, 'No events found in empty namespace.\n');
    const all = c.ok(['events', '-A']);
    assert.match(all, /^NAMESPACE +LAST SEEN +TYPE/);
    assert.match(all, /\nkube-system +\S+ +Normal +Pulled +Pod\/coredns-/);
    for (const [args, err] of [
      [['events', '--types', 'Info'], 'error: valid --types are Normal or Warning\n'],
      [['events', '--for', 'pod'], 'error: --for must be in resource/name form\n'],
      [['events', '--for', 'pod/a/b'], 'error: arguments in resource/name form may not have more than one slash\n'],
      [['events', '--for', 'nothing/a'], 'error: the server doesn\'t have a resource type "nothing"\n'],
    ]) {
      const r = c.run(args);
      assert.deepEqual([r.code, r.stderr], [1, err], args.join(' '));
    }
    // -o json: the clientset's EventList, fields in the Go struct's order
    const json = c.ok(['events', '-o', 'json', '--for', 'deployment/web']);
    assert.match(json, /^\{\n {4}"kind": "EventList",\n {4}"apiVersion": "v1",\n {4}"metadata": \{\},\n {4}"items": \[\n {8}\{\n {12}"kind": "Event",\n {12}"apiVersion": "v1",\n {12}"metadata": \{/);
    assert.equal(JSON.parse(json).items[0].reason, 'ScalingReplicaSet');
    assert.match(c.ok(['events', '-o', 'yaml', '--for', 'deployment/web']), /^apiVersion: v1\nitems:\n- apiVersion: v1\n/);
    assert.match(c.ok(['events', '-o', 'name', '--for', 'deployment/web']), /^event\/web\.[0-9a-f]+\n$/);
    assert.equal(c.ok(['events', '-o', 'jsonpath={.items[*].reason}', '--for', 'deployment/web']), 'ScalingReplicaSet');

    if (!hasKubectl()) return tc.skip('kubectl is not installed');
    // the apiserver's list order (etcd's: namespace, then name), which kubectl sorts itself; not
    // kubesim events' already sorted output (Go's unstable sort.Sort would reorder its ties again)
    const list = JSON.parse(c.ok(['get', 'events', '-A', '-o', 'json']));
    srv = await eventsServer(list, c.now);
    const kubectl = async (args) => {
      try {
        return (await execFileP('kubectl', ['-s', `http://127.0.0.1:${srv.address().port}`, ...args], { encoding: 'utf8' })).stdout;
      } catch (e) {
        return `exit ${e.code}: ${e.stderr}`;
      }
    };
    for (const args of [['events'], ['events', '--types=Warning'], ['events', '--for', 'pod/bad', '--no-headers'], ['events', '-n', 'kube-system']]) {
      assert.equal(c.ok(args), await kubectl(args), args.join(' '));
    }
  } finally {
    srv?.close();
    c.cleanup();
  }
});

test('events -w: what exists, then each new or changed event as other commands make them, one flushed line at a time; ends on SIGINT', async () => {
  const c = cluster({ init: [] });
  const child = spawn(process.execPath, [BIN, 'events', '-w', '--types=Normal'], { env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now, KUBESIM_SEED: 'test', NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const done = new Promise((resolve) => child.on('exit', resolve));
  const until = async (fn) => {
    for (const end = Date.now() + 8000; Date.now() < end; ) {
      if (fn()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  try {
    // no events in default yet: nothing, not even the header
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(out, '');
    c.ok(['run', 'w1', '--image=nginx']);
    assert.ok(await until(() => out.includes('Pulling')), out);
    const lines = out.split('\n');
    assert.match(lines[0], /^LAST SEEN   TYPE     REASON      OBJECT   MESSAGE$/);
    assert.match(lines[1], /^0s {10}Normal   Scheduled   Pod\/w1   Successfully assigned default\/w1 to node0\d$/);
    // the next lines are aligned on their own (the tabwriter flushed after each)
    assert.equal(lines[2], '0s    Normal   Pulling   Pod/w1   Pulling image "nginx"');
    child.kill('SIGINT');
    assert.equal(await done, 0);
  } finally {
    child.kill();
    c.cleanup();
  }
});

// ------------------------------------------------------------------ api-versions

test('api-versions: every served group/version, the metrics API too, in kubectl 1.32\'s order (live)', async (tc) => {
  const c = cluster({ init: [] });
  let srv;
  try {
    const ours = c.ok(['api-versions']);
    const list = ours.trim().split('\n');
    for (const v of ['v1', 'apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'metrics.k8s.io/v1beta1', 'policy/v1', 'storage.k8s.io/v1']) assert.ok(list.includes(v), v);
    assert.equal(list.at(-1), 'v1');
    const r = c.run(['api-versions', 'extra']);
    assert.deepEqual([r.code, r.stderr], [1, "error: unexpected arguments: [extra]\nSee 'kubesim api-versions -h' for help and examples\n"]);
    if (!hasKubectl()) return tc.skip('kubectl is not installed');
    // the same versions served in discovery's order (grouped, reversed): kubectl sorts them itself
    const groups = new Map();
    for (const gv of [...list].reverse().filter((v) => v.includes('/'))) {
      const [name, version] = gv.split('/');
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push({ groupVersion: gv, version });
    }
    const routes = {
      '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] },
      '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(([name, versions]) => ({ name, versions, preferredVersion: versions[0] })) },
    };
    srv = await new Promise((resolve) => {
      const s = http.createServer((req, res) => {
        const body = routes[req.url.split('?')[0]];
        res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 }));
      });
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { stdout } = await execFileP('kubectl', ['-s', `http://127.0.0.1:${srv.address().port}`, 'api-versions'], { encoding: 'utf8' });
    assert.equal(ours, stdout);
  } finally {
    srv?.close();
    c.cleanup();
  }
});

// ------------------------------------------------------------------ logs --since, --timestamps

test('logs --timestamps, --since, --since-time: each line at its simulated time (the CRI log\'s RFC3339NanoFixed stamps)', () => {
  const c = cluster({ init: [] });
  try {
    c.ok(['run', 'ticker', '--image=busybox', '--', '/bin/sh', '-c', 'while true; do echo tick; sleep 5; done']);
    c.ok(['run', 'web', '--image=nginx']);
    c.at(t('12:01:00'));
    const stamped = c.ok(['logs', 'ticker', '--timestamps']).trim().split('\n');
    for (const l of stamped) assert.match(l, /^2025-03-01T12:00:\d\d\.\d{9}Z tick$/);
    // one line every 5 s from the container's start
    const times = stamped.map((l) => Date.parse(l.split(' ')[0]));
    for (let i = 1; i < times.length; i++) assert.equal(Math.round((times[i] - times[i - 1]) / 1000), 5);
    assert.ok(times.at(-1) <= Date.parse(t('12:01:00')));
    // --since=12s: the lines of the last 12 seconds (12:00:48 on)
    const recent = stamped.filter((l) => Date.parse(l.split(' ')[0]) >= Date.parse(t('12:00:48')));
    assert.equal(c.ok(['logs', 'ticker', '--since=12s', '--timestamps']), recent.join('\n') + '\n');
    assert.equal(c.ok(['logs', 'ticker', '--since=12s']), recent.map(() => 'tick\n').join(''));
    assert.equal(c.ok(['logs', 'ticker', '--since', '1m30s']), stamped.map(() => 'tick\n').join(''));
    assert.equal(c.ok(['logs', 'ticker', '--since-time=2025-03-01T12:00:48Z', '--timestamps']), recent.join('\n') + '\n');
    // a sub-second since-time counts from its whole second (a metav1.Time)
    assert.equal(c.ok(['logs', 'ticker', '--since-time=2025-03-01T12:00:48.900Z', '--timestamps']), recent.join('\n') + '\n');
    // --tail first, then --since
    assert.equal(c.ok(['logs', 'ticker', '--since=12s', '--tail=1', '--timestamps']), recent.at(-1) + '\n');
    assert.equal(c.ok(['logs', 'ticker', '--since-time=2025-03-01T13:00:00Z']), '');
    // a server's start-up lines at its start, then a request's line when it was served
    const ip = c.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
    c.at(t('12:02:00'));
    c.ok(['exec', 'ticker', '--', 'wget', '-q', '-O', '/dev/null', `http://${ip}/`]);
    c.at(t('12:02:30'));
    const web = c.ok(['logs', 'web', '--timestamps']).trim().split('\n');
    assert.ok(web.length > 2);
    assert.match(web.at(-1), /^2025-03-01T12:02:00\.\d{9}Z \d+\.\d+\.\d+\.\d+ - - \[01\/Mar\/2025:12:02:00 \+0000\] "GET \/ HTTP\/1\.1" 200 /);
    for (const l of web.slice(0, -1)) assert.match(l, /^2025-03-01T12:00:0\d\.\d{9}Z /);
    // stamps stay in order within one millisecond
    assert.deepEqual([...web].sort(), web);
    assert.equal(c.ok(['logs', 'web', '--since=1m']).split('\n').filter(Boolean).length, 1);
    for (const [args, err] of [
      [['logs', 'web', '--since=5s', '--since-time=2025-03-01T12:00:00Z'], 'error: at most one of `sinceTime` or `sinceSeconds` may be specified\n'],
      [['logs', 'web', '--since=soon'], 'Error: invalid argument "soon" for "--since" flag: time: invalid duration "soon"\nSee \'kubesim logs --help\' for usage.\n'],
      [['logs', 'web', '--since-time=yesterday'], 'error: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"\n'],
      [['logs', 'web', '--since=-5s'], 'error: --since must be greater than 0\n'],
    ]) {
      const r = c.run(args);
      assert.deepEqual([r.code, r.stderr], [1, err], args.join(' '));
    }
  } finally {
    c.cleanup();
  }
});

// ------------------------------------------------------------------ cluster-info dump

/** A fake apiserver serving what a kubesim dump directory holds (lists and pod logs), for kubectl cluster-info dump. */
function dumpServer(dir) {
  const read = (f) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const srv = http.createServer((req, r) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    let body;
    let m;
    if (p === '/api/v1/nodes') body = read('nodes.json');
    else if ((m = /^\/api\/v1\/namespaces\/([\w-]+)\/(events|services|pods|replicationcontrollers)$/.exec(p))) body = read(`${m[1]}/${m[2] === 'replicationcontrollers' ? 'replication-controllers' : m[2]}.json`);
    else if ((m = /^\/apis\/apps\/v1\/namespaces\/([\w-]+)\/(daemonsets|deployments|replicasets)$/.exec(p))) body = read(`${m[1]}/${m[2]}.json`);
    else if ((m = /^\/api\/v1\/namespaces\/([\w-]+)\/pods\/([\w.-]+)\/log$/.exec(p))) {
      const c = url.searchParams.get('container');
      const text = readFileSync(join(dir, m[1], m[2], 'logs.txt'), 'utf8');
      const start = `==== START logs for container ${c} of pod ${m[1]}/${m[2]} ====\n`;
      const part = text.slice(text.indexOf(start) + start.length, text.indexOf(`==== END logs for container ${c} of pod`));
      const waiting = /^Request log error: (.*)\n$/.exec(part);
      r.writeHead(waiting ? 400 : 200, { 'content-type': waiting ? 'application/json' : 'text/plain' });
      r.end(waiting ? JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: waiting[1], reason: 'BadRequest', code: 400 }) : part);
      return;
    }
    r.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    r.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

test('cluster-info dump: nodes, then per namespace its lists and its pods\' logs; --output-directory, --namespaces, -o yaml; the same as kubectl 1.32 (live)', async (tc) => {
  const c = cluster({ init: [] });
  let srv;
  try {
    c.ok(['create', 'deployment', 'web', '--image=nginx']);
    c.ok(['run', 'bad', '--image=nosuchregistry.invalid/x']);
    c.at(t('12:01:00'));
    const out = c.ok(['cluster-info', 'dump']);
    // the JSON documents one after the other: nodes, then kube-system's and default's 7 lists
    const kinds = [...out.matchAll(/^\{\n {4}"kind": "(\w+)",\n {4}"apiVersion": "([\w/]+)",\n {4}"metadata": \{\n {8}"resourceVersion": "\d+"\n {4}\},\n {4}"items": \[/gm)].map((m) => `${m[2]} ${m[1]}`);
    const per = ['v1 EventList', 'v1 ReplicationControllerList', 'v1 ServiceList', 'apps/v1 DaemonSetList', 'apps/v1 DeploymentList', 'apps/v1 ReplicaSetList', 'v1 PodList'];
    assert.deepEqual(kinds, ['v1 NodeList', ...per, ...per]);
    assert.match(out, /==== START logs for container kube-proxy of pod kube-system\/kube-proxy-\w+ ====\n(.+\n)+==== END logs for container kube-proxy of pod kube-system\/kube-proxy-\w+ ====\n/);
    assert.match(out, /==== START logs for container nginx of pod default\/web-[\w-]+ ====\n\/docker-entrypoint\.sh: /);
    assert.match(out, /==== START logs for container bad of pod default\/bad ====\nRequest log error: container "bad" in pod "bad" is waiting to start: trying and failing to pull image\n==== END logs for container bad of pod default\/bad ====\n/);
    const dir = join(c.dir, 'dump');
    assert.equal(c.ok(['cluster-info', 'dump', '--output-directory', dir]), `Cluster info dumped to ${dir}\n`);
    assert.equal(JSON.parse(readFileSync(join(dir, 'default', 'deployments.json'), 'utf8')).items[0].metadata.name, 'web');
    assert.match(readFileSync(join(dir, 'default', 'bad', 'logs.txt'), 'utf8'), /^==== START logs for container bad of pod default\/bad ====\n/);
    assert.equal(c.ok(['cluster-info', 'dump', '--namespaces', 'default']).match(/"kind": "PodList"/g).length, 1);
    assert.equal(c.ok(['cluster-info', 'dump', '-A']).match(/"kind": "PodList"/g).length, c.ok(['get', 'ns', '--no-headers']).trim().split('\n').length);
    assert.match(c.ok(['cluster-info', 'dump', '-o', 'yaml', '--namespaces=default']), /^apiVersion: v1\nitems:\n- metadata:\n/);
    if (!hasKubectl()) return tc.skip('kubectl is not installed');
    srv = await dumpServer(dir);
    const { stdout } = await execFileP('kubectl', ['-s', `http://127.0.0.1:${srv.address().port}`, 'cluster-info', 'dump'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    // two known differences: Go writes NodeSystemInfo's deprecated kubeProxyVersion (no omitempty) that
    // kubesim's nodes lack; and this fake server's 400 does not reach kubectl's DoRaw as the Status a
    // real apiserver sends (whose message kubectl prints, as kubesim does)
    const theirs = stdout
      .replace(/\n {20}"kubeProxyVersion": "",/g, '')
      .replace('Request log error: the server rejected our request for an unknown reason (get pods bad)', 'Request log error: container "bad" in pod "bad" is waiting to start: trying and failing to pull image');
    assert.equal(out, theirs);
  } finally {
    srv?.close();
    c.cleanup();
  }
});
