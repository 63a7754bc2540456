// The scheduler as kube-scheduler 1.32 shows itself: filters in the default profile's order, the
// FitError message of FailedScheduling (types.go FitError.Error, preemption.go, noderesources/fit.go),
// resource sums as resourcehelper.PodRequests makes them, and pods that did not fit tried again when
// room is made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cluster } from './helpers.mjs';

const lib = createRequire(import.meta.url)('../dist/lib.cjs');

const CP_TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';

/** A pod manifest: one container `c` with these resources, plus spec fields. */
function pod(name, { resources, ports, init, spec = {} } = {}) {
  const c = { name: 'c', image: 'nginx', ...(resources ? { resources } : {}), ...(ports ? { ports } : {}) };
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(init ? { initContainers: init } : {}), containers: [c], ...spec } });
}

const apply = (c, ...manifests) => c.ok(['apply', '-f', '-'], { input: manifests.join('\n---\n') });
const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const nodeOf = (c, name) => json(c, ['get', 'pod', name]).spec.nodeName ?? '';
const scheduledCondition = (c, name) => (json(c, ['get', 'pod', name]).status.conditions ?? []).find((x) => x.type === 'PodScheduled');
/** The FailedScheduling events of a pod, as [count, message]. */
const failures = (c, name) =>
  json(c, ['get', 'events', '--field-selector', `involvedObject.name=${name},reason=FailedScheduling`]).items.map((e) => [e.count, e.message]);

/** The message a pending pod must carry: its event, its PodScheduled condition and describe agree. */
function assertUnschedulable(c, name, msg) {
  assert.equal(nodeOf(c, name), '', `${name} is not bound`);
  assert.deepEqual(failures(c, name), [[1, msg]]);
  const cond = scheduledCondition(c, name);
  assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', msg]);
  assert.ok(c.ok(['describe', 'pod', name]).includes(`Warning  FailedScheduling  0s    default-scheduler  ${msg}\n`), 'describe shows the event');
  assert.match(c.ok(['get', 'pod', name]), new RegExp(`^NAME.*\\n${name} +0/1 +Pending `));
}

// One state per case: `setup` makes it, then `name` must fail with exactly `msg`.
const CASES = [
  {
    title: 'the worked example: the control plane is tainted, the workers lack cpu',
    nodes: 3,
    setup: (c) => apply(c, pod('big', { resources: { requests: { cpu: '3' } } })),
    name: 'big',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`,
  },
  {
    title: 'limits alone are requests (apiserver defaulting): Insufficient memory',
    nodes: 3,
    setup: (c) => apply(c, pod('mem', { resources: { limits: { memory: '5Gi' } } })),
    name: 'mem',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`,
  },
  {
    title: 'one node can give several resource reasons',
    nodes: 3,
    setup: (c) => apply(c, pod('both', { resources: { requests: { cpu: '2500m', memory: '4Gi', 'ephemeral-storage': '100Gi' } } })),
    name: 'both',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient cpu, 2 Insufficient ephemeral-storage, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`,
  },
  {
    title: 'requests add up with what is already on the node (1500m + 600m > 2)',
    nodes: 2,
    setup: (c) => apply(c, pod('first', { resources: { requests: { cpu: '1500m' } } }), pod('second', { resources: { requests: { cpu: '600m' } } })),
    name: 'second',
    msg: `0/2 nodes are available: 1 Insufficient cpu, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
  {
    title: 'a host port taken on the only worker',
    nodes: 2,
    setup: (c) => apply(c, pod('web1', { ports: [{ containerPort: 80, hostPort: 8080 }] }), pod('web2', { ports: [{ containerPort: 80, hostPort: 8080 }] })),
    name: 'web2',
    msg: `0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
  {
    title: 'the control plane tolerated but too full: its pods hold 850m',
    nodes: 2,
    setup: (c) =>
      apply(c, pod('cp', { resources: { requests: { cpu: '1200m' } }, spec: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] } })),
    name: 'cp',
    msg: `0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
  {
    title: 'the first failing filter wins: cordoned, unreachable (a stopped node), tainted',
    nodes: 3,
    setup: (c) => {
      c.ok(['cordon', 'node01']);
      c.ok(['node', 'stop', 'node02']);
      apply(c, pod('stuck', { resources: { requests: { cpu: '5' } } }));
    },
    name: 'stuck',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`,
  },
  {
    title: 'reasons sort as plain strings: "10 …" before "2 …", in both halves',
    nodes: 13,
    setup: (c) => {
      c.ok(['cordon', 'node01', 'node02']);
      apply(c, pod('wide', { resources: { requests: { cpu: '4' } } }));
    },
    name: 'wide',
    msg: `0/13 nodes are available: 1 ${CP_TAINT}, 10 Insufficient cpu, 2 node(s) were unschedulable. preemption: 0/13 nodes are available: 10 ${NO_VICTIMS}, 3 ${NOT_HELPFUL}.`,
  },
  {
    title: 'required node affinity',
    nodes: 3,
    setup: (c) =>
      apply(
        c,
        pod('aff', {
          spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } } },
        }),
      ),
    name: 'aff',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`,
  },
  {
    // the policy comes from the class: the Priority admission plugin refuses a pod's own that differs
    title: 'preemptionPolicy Never (from its PriorityClass): not eligible',
    nodes: 3,
    setup: (c) =>
      apply(
        c,
        JSON.stringify({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'meek' }, value: 10, preemptionPolicy: 'Never' }),
        pod('meek', { resources: { requests: { memory: '100Gi' } }, spec: { priorityClassName: 'meek' } }),
      ),
    name: 'meek',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never.`,
  },
];

for (const k of CASES) {
  test(`FailedScheduling: ${k.title}`, () => {
    const c = cluster({ seed: 'sched', init: ['--nodes', String(k.nodes)] });
    try {
      k.setup(c);
      assertUnschedulable(c, k.name, k.msg);
    } finally {
      c.cleanup();
    }
  });
}

test('Too many pods: the 111th pod of a node with allocatable pods 110', () => {
  const c = cluster({ seed: 'sched', init: ['--nodes', '2'] });
  try {
    // node01 runs kube-proxy: 109 replicas fill it, the 110th finds no room
    c.ok(['create', 'deployment', 'many', '--image=nginx', '--replicas=110']);
    const pods = json(c, ['get', 'pods']).items;
    assert.equal(pods.filter((p) => p.spec.nodeName === 'node01').length, 109);
    const pending = pods.filter((p) => !p.spec.nodeName);
    assert.equal(pending.length, 1);
    assertUnschedulable(c, pending[0].metadata.name, `0/2 nodes are available: 1 Too many pods, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`);
    // scaling down removes the pending pod first; one more pod then fits
    c.ok(['scale', 'deployment', 'many', '--replicas=109']);
    assert.equal(json(c, ['get', 'pods']).items.filter((p) => !p.spec.nodeName).length, 0);
  } finally {
    c.cleanup();
  }
});

test('a pending pod is scheduled when a bound pod goes: resources and host ports', () => {
  const c = cluster({ seed: 'sched', init: ['--nodes', '2'] });
  try {
    apply(c, pod('hog', { resources: { requests: { cpu: '1500m' } } }), pod('late', { resources: { requests: { cpu: '1' } } }));
    apply(c, pod('web1', { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }] }), pod('web2', { ports: [{ containerPort: 81, hostPort: 8080, protocol: 'UDP' }] }));
    // a TCP port of the same number is another port
    apply(c, pod('tcp', { ports: [{ containerPort: 80, hostPort: 8080 }] }));
    assert.deepEqual(['hog', 'late', 'web1', 'web2', 'tcp'].map((n) => nodeOf(c, n)), ['node01', '', 'node01', '', 'node01']);
    // an unbound pod's deletion makes no room, and does not bring the others back
    c.ok(['delete', 'pod', 'web2']);
    assert.equal(failures(c, 'late')[0][0], 1);
    c.at('2025-03-01T12:01:00Z');
    c.ok(['delete', 'pod', 'hog']);
    // a Terminating pod still holds its requests: hog's nginx stops a second after SIGTERM, then it goes
    assert.equal(nodeOf(c, 'late'), '');
    c.at('2025-03-01T12:01:01Z');
    assert.equal(nodeOf(c, 'late'), 'node01');
    assert.equal(scheduledCondition(c, 'late').status, 'True');
    assert.match(c.ok(['describe', 'pod', 'late']), /Warning  FailedScheduling  61s   default-scheduler  0\/2 nodes are available: .*\n  Normal   Scheduled         0s    default-scheduler  Successfully assigned default\/late to node01\n/);
    apply(c, pod('web3', { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }] }));
    assert.equal(nodeOf(c, 'web3'), '');
    c.ok(['delete', 'pod', 'web1']);
    assert.equal(nodeOf(c, 'web3'), '', 'the host port is held until web1 has stopped');
    c.at('2025-03-01T12:01:02Z');
    assert.equal(nodeOf(c, 'web3'), 'node01');
  } finally {
    c.cleanup();
  }
});

test('a pending pod is tried again when a node changes, and its event counts the attempts', () => {
  const c = cluster({ seed: 'sched', init: ['--nodes', '3'] });
  try {
    c.ok(['cordon', 'node01', 'node02']);
    apply(c, pod('waits'));
    const msg = `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`;
    assert.deepEqual(failures(c, 'waits'), [[1, msg]]);
    // still no room after the label: a second attempt, the same event counted twice
    c.ok(['label', 'node', 'node01', 'disk=ssd']);
    assert.deepEqual(failures(c, 'waits'), [[2, msg]]);
    c.ok(['uncordon', 'node02']);
    assert.equal(nodeOf(c, 'waits'), 'node02');
  } finally {
    c.cleanup();
  }
});

test('init containers: the larger of the containers\' sum and the largest init container', () => {
  const c = cluster({ seed: 'sched', init: ['--nodes', '2'] });
  try {
    // requests max(200m, 1500m) = 1500m: 400m more fits (sum: 2100m would not), 200m more after that does not
    // (containers only: 800m would)
    apply(c, pod('init', { resources: { requests: { cpu: '200m' } }, init: [{ name: 'setup', image: 'busybox', resources: { requests: { cpu: '1500m' } } }] }));
    apply(c, pod('b', { resources: { requests: { cpu: '400m' } } }));
    apply(c, pod('c', { resources: { requests: { cpu: '200m' } } }));
    assert.deepEqual(['init', 'b', 'c'].map((n) => nodeOf(c, n)), ['node01', 'node01', '']);
    assert.match(failures(c, 'c')[0][1], /^0\/2 nodes are available: 1 Insufficient cpu, /);
    const d = c.ok(['describe', 'node', 'node01']);
    assert.match(d, /\n  default +init +1500m \(75%\) +0 \(0%\) +0 \(0%\) +0 \(0%\) +0s\n/);
    assert.match(d, /\n  default +b +400m \(20%\) +0 \(0%\)/);
    assert.match(d, /\n  cpu +1900m \(95%\) +0 \(0%\)\n/);
  } finally {
    c.cleanup();
  }
});

test('scoring: a pod goes to the worker with the smaller share requested', () => {
  const c = cluster({ seed: 'sched', init: ['--nodes', '3'] });
  try {
    apply(c, pod('heavy', { resources: { requests: { cpu: '1500m', memory: '2Gi' } } }));
    const heavy = nodeOf(c, 'heavy');
    // three light pods: the other worker holds less (by requests) until it has taken all three
    for (const n of ['l1', 'l2', 'l3']) apply(c, pod(n, { resources: { requests: { cpu: '100m', memory: '64Mi' } } }));
    const other = heavy === 'node01' ? 'node02' : 'node01';
    assert.deepEqual(['l1', 'l2', 'l3'].map((n) => nodeOf(c, n)), [other, other, other]);
  } finally {
    c.cleanup();
  }
});

// the sums themselves (component-helpers resource PodRequests/PodLimits)
const q = (list) => Object.fromEntries([...list].map(([k, v]) => [k, lib.formatQuantity(v)]));
const spec = (s) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: s });
const ctr = (name, requests, limits, extra = {}) => ({ name, image: 'x', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) }, ...extra });
const SUMS = [
  ['containers add up', spec({ containers: [ctr('a', { cpu: '100m', memory: '1Gi' }), ctr('b', { cpu: '250m' })] }), { cpu: '350m', memory: '1Gi' }, {}],
  ['an init container larger than the sum wins', spec({ initContainers: [ctr('i', { cpu: '2' })], containers: [ctr('a', { cpu: '500m', memory: '1Gi' })] }), { cpu: '2', memory: '1Gi' }, {}],
  [
    'a sidecar adds to the sum and to later init containers',
    spec({ initContainers: [ctr('side', { cpu: '100m' }, null, { restartPolicy: 'Always' }), ctr('i', { cpu: '1' })], containers: [ctr('a', { cpu: '500m' })] }),
    { cpu: '1100m' },
    {},
  ],
  ['overhead adds to requests, and to limits that are set', spec({ overhead: { cpu: '50m', memory: '10Mi' }, containers: [ctr('a', { cpu: '100m' }, { cpu: '200m' })] }), { cpu: '150m', memory: '10Mi' }, { cpu: '250m' }],
];
for (const [name, p, reqs, limits] of SUMS) {
  test(`pod requests/limits: ${name}`, () => {
    assert.deepEqual(q(lib.podRequests(p)), reqs);
    assert.deepEqual(q(lib.podLimits(p)), limits);
  });
}

const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { disk: 'ssd', cores: '8' } } };
const affinity = (...terms) => spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } }, containers: [] });
const req = (key, operator, values) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
const AFFINITY = [
  ['In', req('disk', 'In', ['hdd', 'ssd']), true],
  ['NotIn', req('disk', 'NotIn', ['ssd']), false],
  ['NotIn of a missing label', req('zone', 'NotIn', ['a']), true],
  ['Exists', req('disk', 'Exists'), true],
  ['DoesNotExist', req('disk', 'DoesNotExist'), false],
  ['Gt', req('cores', 'Gt', ['4']), true],
  ['Lt', req('cores', 'Lt', ['4']), false],
  ['Gt of a non-number', req('disk', 'Gt', ['4']), false],
  ['matchFields metadata.name', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, true],
  ['an empty term matches nothing', {}, false],
];
for (const [name, term, want] of AFFINITY) {
  test(`node affinity: ${name}`, () => {
    assert.equal(lib.matchesNodeSelectorAndAffinity(affinity(term), node), want);
    // terms are ORed
    assert.equal(lib.matchesNodeSelectorAndAffinity(affinity({}, term), node), want);
  });
}

test('node affinity: the nodeSelector must hold as well', () => {
  const p = affinity(req('disk', 'Exists'));
  p.spec.nodeSelector = { disk: 'hdd' };
  assert.equal(lib.matchesNodeSelectorAndAffinity(p, node), false);
});
