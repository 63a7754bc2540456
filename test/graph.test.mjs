// Issue 19: `kubesim graph`, the cluster map as Mermaid and Graphviz dot. The printers are pure: golden
// texts for a small map built by hand (a cordoned node, a NotReady node, a Deployment's pods, a
// not-ready endpoint drawn dashed, a pending pod, a NodePort Service); then the command on a real
// state: deterministic, syntactically sound, `dot -Tsvg` accepts it when Graphviz is installed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { cluster } from './helpers.mjs';

const lib = createRequire(import.meta.url)('../dist/lib.cjs');

// A small cluster map built by hand: two nodes (one NotReady, one cordoned), a Deployment's
// ReplicaSet with two pods, a not-ready pod the Service also selects, a pending pod, a NodePort Service.
function smallMap() {
  const node = (name, status, ip, extra = {}) => ({ name, status, ready: status.startsWith('Ready'), unschedulable: status.includes('SchedulingDisabled'), roles: '<none>', internalIP: ip, labels: {}, ...extra });
  const pod = (name, nodeName, status, ready, ip, owners = []) => ({ namespace: 'default', name, ...(nodeName ? { node: nodeName } : {}), status, ready, restarts: '0', ...(ip ? { ip } : {}), hostNetwork: false, labels: { app: 'web' }, owners });
  const rs = { kind: 'ReplicaSet', namespace: 'default', name: 'web-7d9f' };
  const deploy = { kind: 'Deployment', namespace: 'default', name: 'web' };
  const svc = { kind: 'Service', namespace: 'default', name: 'web' };
  const ref = (name) => ({ kind: 'Pod', namespace: 'default', name });
  return {
    namespaces: ['default', 'kube-system'],
    nodes: [node('controlplane', 'Ready', '192.168.49.2', { roles: 'control-plane' }), node('node01', 'Ready,SchedulingDisabled', '192.168.49.3', { zone: 'zone-a' }), node('node02', 'NotReady', '192.168.49.4')],
    pods: [
      pod('web-7d9f-abc', 'node01', 'Running', '1/1', '10.244.1.2', [rs, deploy]),
      pod('web-7d9f-xyz', 'node02', 'Running', '1/1', '10.244.2.2', [rs, deploy]),
      pod('web.canary', 'node01', 'Running', '0/1', '10.244.1.3'),
      pod('web-canary', 'node01', 'ImagePullBackOff', '0/1', '10.244.1.4'),
      pod('waiting', undefined, 'Pending', '0/1'),
    ],
    services: [{ namespace: 'default', name: 'web', type: 'NodePort', clusterIP: '10.96.12.34', externalIPs: [], loadBalancer: [], ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }], portsText: '80:30080/TCP', selector: { app: 'web' }, labels: {} }],
    workloads: [
      { kind: 'Deployment', namespace: 'default', name: 'web', labels: {} },
      { kind: 'ReplicaSet', namespace: 'default', name: 'web-7d9f', owner: deploy, labels: {} },
    ],
    edges: [
      { service: svc, pod: ref('web-7d9f-abc'), ready: true, ip: '10.244.1.2' },
      { service: svc, pod: ref('web-7d9f-xyz'), ready: true, ip: '10.244.2.2' },
      { service: svc, pod: ref('web.canary'), ready: false, ip: '10.244.1.3' },
    ],
    owners: [
      { owner: deploy, owned: rs },
      { owner: rs, owned: ref('web-7d9f-abc') },
      { owner: rs, owned: ref('web-7d9f-xyz') },
    ],
    events: [],
  };
}

const MERMAID = String.raw`flowchart LR
  subgraph node_controlplane["controlplane<br/>Ready control-plane<br/>192.168.49.2"]
  end
  subgraph node_node01["node01<br/>Ready,SchedulingDisabled #lt;none#gt;<br/>192.168.49.3<br/>zone zone-a"]
    pod_default_web_7d9f_abc["web-7d9f-abc<br/>Running 1/1<br/>10.244.1.2"]
    pod_default_web_canary["web.canary<br/>Running 0/1<br/>10.244.1.3"]
    pod_default_web_canary_2["web-canary<br/>ImagePullBackOff 0/1<br/>10.244.1.4"]
  end
  style node_node01 fill:#eeeeee,stroke:#888888,stroke-dasharray: 5 5
  subgraph node_node02["node02<br/>NotReady #lt;none#gt;<br/>192.168.49.4"]
    pod_default_web_7d9f_xyz["web-7d9f-xyz<br/>Running 1/1<br/>10.244.2.2"]
  end
  style node_node02 fill:#fde2e2,stroke:#c0392b
  subgraph unscheduled["not scheduled"]
    pod_default_waiting["waiting<br/>Pending 0/1"]
  end
  svc_default_web{{"svc web<br/>NodePort 10.96.12.34<br/>80:30080/TCP"}}
  deploy_default_web("deploy web")
  rs_default_web_7d9f("rs web-7d9f")
  svc_default_web --> pod_default_web_7d9f_abc
  svc_default_web --> pod_default_web_7d9f_xyz
  svc_default_web -.-> pod_default_web_canary
  deploy_default_web ==> rs_default_web_7d9f
  rs_default_web_7d9f ==> pod_default_web_7d9f_abc
  rs_default_web_7d9f ==> pod_default_web_7d9f_xyz
  classDef ok fill:#d5f5d5,stroke:#2e8b57
  classDef wait fill:#fff3c4,stroke:#b8860b
  classDef done fill:#e8e8e8,stroke:#777777
  classDef bad fill:#fde2e2,stroke:#c0392b
  class pod_default_web_7d9f_abc,pod_default_web_7d9f_xyz ok
  class pod_default_web_canary,pod_default_waiting wait
  class pod_default_web_canary_2 bad
`;

const DOT = String.raw`digraph cluster {
  rankdir=LR;
  node [fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=9];
  subgraph "cluster_node_controlplane" {
    label="controlplane\nReady control-plane\n192.168.49.2";
  }
  subgraph "cluster_node_node01" {
    label="node01\nReady,SchedulingDisabled <none>\n192.168.49.3\nzone zone-a"; style=dashed;
    "pod/default/web-7d9f-abc" [label="web-7d9f-abc\nRunning 1/1\n10.244.1.2", shape=box, style=filled, fillcolor="#d5f5d5"];
    "pod/default/web.canary" [label="web.canary\nRunning 0/1\n10.244.1.3", shape=box, style=filled, fillcolor="#fff3c4"];
    "pod/default/web-canary" [label="web-canary\nImagePullBackOff 0/1\n10.244.1.4", shape=box, style=filled, fillcolor="#fde2e2"];
  }
  subgraph "cluster_node_node02" {
    label="node02\nNotReady <none>\n192.168.49.4"; style=filled; fillcolor="#fde2e2";
    "pod/default/web-7d9f-xyz" [label="web-7d9f-xyz\nRunning 1/1\n10.244.2.2", shape=box, style=filled, fillcolor="#d5f5d5"];
  }
  subgraph "cluster_unscheduled" {
    label="not scheduled";
    "pod/default/waiting" [label="waiting\nPending 0/1", shape=box, style=filled, fillcolor="#fff3c4"];
  }
  "svc/default/web" [label="svc web\nNodePort 10.96.12.34\n80:30080/TCP", shape=hexagon];
  "deploy/default/web" [label="deploy web", shape=box, style=rounded];
  "rs/default/web-7d9f" [label="rs web-7d9f", shape=box, style=rounded];
  "svc/default/web" -> "pod/default/web-7d9f-abc";
  "svc/default/web" -> "pod/default/web-7d9f-xyz";
  "svc/default/web" -> "pod/default/web.canary" [style=dashed];
  "deploy/default/web" -> "rs/default/web-7d9f" [style=bold, color="#555555"];
  "rs/default/web-7d9f" -> "pod/default/web-7d9f-abc" [style=bold, color="#555555"];
  "rs/default/web-7d9f" -> "pod/default/web-7d9f-xyz" [style=bold, color="#555555"];
}
`;

test('mermaid: golden text (subgraphs per node, escaped ids, dashed not-ready endpoint, thick ownership)', () => {
  assert.equal(lib.toMermaid(smallMap()), MERMAID);
});

test('dot: golden text (a cluster per node, the same content)', () => {
  assert.equal(lib.toDot(smallMap()), DOT);
});

test('pod looks from STATUS and READY', () => {
  const cases = [
    ['Running', '1/1', 'ok'],
    ['Running', '1/2', 'wait'],
    ['Pending', '0/1', 'wait'],
    ['ContainerCreating', '0/1', 'wait'],
    ['Init:0/2', '0/1', 'wait'],
    ['Completed', '0/1', 'done'],
    ['Terminating', '1/1', 'done'],
    ['CrashLoopBackOff', '0/1', 'bad'],
    ['ImagePullBackOff', '0/1', 'bad'],
    ['Error', '0/1', 'bad'],
    ['OOMKilled', '0/1', 'bad'],
  ];
  for (const [status, ready, want] of cases) assert.equal(lib.statusClass(status, ready), want, `${status} ${ready}`);
});

/** Mermaid sanity: every subgraph ends, every id is letters, digits and _, every edge joins declared ids. */
function checkMermaid(text) {
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'flowchart LR');
  let depth = 0;
  const ids = new Set();
  for (const l of lines.slice(1)) {
    const t = l.trim();
    if (t.startsWith('subgraph ')) {
      depth++;
      ids.add(/^subgraph (\S+?)\[/.exec(t)[1]);
    } else if (t === 'end') depth--;
    else if (/^[A-Za-z0-9_]+(\[|\{\{|\()"/.test(t)) ids.add(/^[A-Za-z0-9_]+/.exec(t)[0]);
    assert.ok(depth >= 0 && depth <= 1, l);
    const edge = /^(\S+) (-->|-\.->|==>) (\S+)$/.exec(t);
    if (edge) {
      assert.ok(ids.has(edge[1]) && ids.has(edge[3]), `edge between undeclared ids: ${l}`);
    }
  }
  assert.equal(depth, 0, 'unbalanced subgraph/end');
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_]+$/);
  assert.ok(!ids.has('end'));
  // labels: quoted, no raw quote or angle bracket but the <br/> line breaks
  for (const m of text.matchAll(/"([^"]*)"/g)) assert.doesNotMatch(m[1].replace(/<br\/>/g, ''), /[<>]/);
}

/** dot sanity: balanced braces outside quotes, every statement ends with ";". */
function checkDot(text) {
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let depth = 0;
  for (const ch of unquoted) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    assert.ok(depth >= 0);
  }
  assert.equal(depth, 0);
  for (const l of unquoted.split('\n').map((x) => x.trim()).filter(Boolean)) assert.ok(/[{};]$/.test(l), l);
}

test('the golden texts pass the syntax checks', () => {
  checkMermaid(MERMAID);
  checkDot(DOT);
});

const c = cluster({ seed: 'graph', init: [] });
after(() => c.cleanup());
c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '--port=80']);
c.ok(['expose', 'deployment', 'web', '--type=NodePort', '--port=80']);
c.ok(['apply', '-f', '-'], {
  input: `apiVersion: v1
kind: Pod
metadata: {name: canary, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx
    readinessProbe: {httpGet: {path: /, port: 9999}, periodSeconds: 5}
`,
});
c.at('2025-03-01T12:01:00Z');

test('kubesim graph on a real state: deterministic, sound, the content of the map', () => {
  const m = c.ok(['graph']);
  assert.equal(c.ok(['graph', '-o', 'mermaid']), m);
  checkMermaid(m);
  const pods = c.ok(['get', 'pods', '-o', 'name']).trim().split('\n').map((l) => l.slice(4));
  assert.equal(pods.length, 4);
  for (const p of pods) assert.ok(m.includes(`    pod_default_${p.replace(/-/g, '_')}["${p}<br/>Running `), p);
  assert.match(m, /^  svc_default_web -\.-> pod_default_canary$/m);
  assert.equal((m.match(/^  svc_default_web --> /gm) ?? []).length, 3);
  assert.equal((m.match(/^  rs_default_web_\w+ ==> pod_default_web_/gm) ?? []).length, 3);
  assert.match(m, /^  svc_default_web\{\{"svc web<br\/>NodePort 10\.\d+\.\d+\.\d+<br\/>80:3\d{4}\/TCP"\}\}$/m);
  assert.equal((m.match(/^  subgraph node_/gm) ?? []).length, 3);
  const all = c.ok(['graph', '-A']);
  checkMermaid(all);
  assert.match(all, /kube-system\/coredns-/);
  assert.match(all, /^  svc_kube_system_kube_dns --> pod_kube_system_coredns_/m);
  const d = c.ok(['graph', '-o', 'dot', '-A']);
  checkDot(d);
  assert.equal(c.ok(['graph', '-o', 'dot', '-A']), d);
  assert.match(d, /^  "svc\/default\/web" -> "pod\/default\/canary" \[style=dashed\];$/m);
  const sel = c.ok(['graph', '-l', 'app=web']);
  assert.doesNotMatch(sel, /svc_default_kubernetes/);
});

test('dot -Tsvg accepts the dot text', (t) => {
  const probe = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.log('# skipped: Graphviz (dot) is not installed here');
    t.skip('Graphviz (dot) is not installed');
    return;
  }
  for (const text of [DOT, c.ok(['graph', '-o', 'dot', '-A'])]) {
    const r = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /<svg/);
  }
});
