// Scheduling cases (issue 20): pod spec × node set → the node chosen or the exact FailedScheduling
// text, each citing the kube-scheduler 1.32 plugin (pkg/scheduler/framework/plugins/...) it follows.
// The messages' shape is types.go FitError.Error (reasons "<count> <reason>" sorted as strings, then
// DefaultPreemption's "preemption: ..." half, preemption.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cluster } from './helpers.mjs';

const CP_TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const TOLERATE_CP = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];

/** A pod manifest: one nginx container, these labels, spec fields and namespace. */
function pod(name, { labels, spec = {}, namespace } = {}) {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
}
const apply = (c, ...manifests) => c.ok(['apply', '-f', '-'], { input: manifests.join('\n---\n') });
const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const nodeOf = (c, name, ns = 'default') => json(c, ['get', 'pod', name, '-n', ns]).spec.nodeName ?? '';
const failures = (c, name) => json(c, ['get', 'events', '--field-selector', `involvedObject.name=${name},reason=FailedScheduling`]).items.map((e) => e.message);

const antiAffinity = (labels, topologyKey = 'kubernetes.io/hostname', extra = {}) => ({
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey, ...extra }] } },
});
const affinity = (labels, topologyKey = 'kubernetes.io/hostname') => ({
  affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey }] } },
});
const spread = (labels, topologyKey, extra = {}) => ({
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels }, ...extra }],
});
const required = (...matchExpressions) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } } });

// Each case: a fresh cluster (`init` flags), `setup`, then pod `name` is on `node`, or pending with `msg`.
const CASES = [
  {
    title: "the issue's example: node affinity/selector on the control plane, a custom taint on the workers (taint_toleration.go, node_affinity.go)",
    init: ['--nodes', '3'],
    setup: (c) => {
      c.ok(['taint', 'nodes', 'node01', 'node02', 'dedicated=lab:NoSchedule']);
      apply(c, pod('p', { spec: { nodeSelector: { disk: 'ssd' }, tolerations: TOLERATE_CP } }));
    },
    name: 'p',
    msg: `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {dedicated: lab}. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`,
  },
  {
    title: 'the taint tolerated, the node label added: the pod goes there (label nodes feeds the scheduler)',
    init: ['--nodes', '3'],
    setup: (c) => {
      c.ok(['taint', 'nodes', 'node01', 'dedicated=lab:NoSchedule']);
      c.ok(['label', 'nodes', 'node01', 'disk=ssd']);
      apply(c, pod('p', { spec: { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'lab', effect: 'NoSchedule' }] } }));
    },
    name: 'p',
    node: 'node01',
  },
  {
    title: 'node affinity Gt/Lt on a numeric label (nodeaffinity NodeSelectorRequirementsAsSelector)',
    init: ['--nodes', '4'],
    setup: (c) => {
      c.ok(['label', 'nodes', 'node01', 'gen=3']);
      c.ok(['label', 'nodes', 'node02', 'gen=5']);
      c.ok(['label', 'nodes', 'node03', 'gen=7']);
      apply(c, pod('p', { spec: required({ key: 'gen', operator: 'Gt', values: ['4'] }, { key: 'gen', operator: 'Lt', values: ['6'] }) }));
    },
    name: 'p',
    node: 'node02',
  },
  {
    title: 'node affinity matchFields metadata.name NotIn, DoesNotExist',
    init: ['--nodes', '3'],
    setup: (c) => {
      c.ok(['label', 'nodes', 'node02', 'busy=yes']);
      apply(c, pod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'busy', operator: 'DoesNotExist' }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['controlplane'] }] }] } } } } }));
    },
    name: 'p',
    node: 'node01',
  },
  {
    title: 'preferred node affinity picks the labelled node (node_affinity.go Score, weight 2)',
    init: ['--nodes', '4'],
    setup: (c) => {
      c.ok(['label', 'nodes', 'node03', 'disk=ssd']);
      apply(c, pod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } } }));
    },
    name: 'p',
    node: 'node03',
  },
  {
    title: 'a PreferNoSchedule taint is avoided (taint_toleration.go Score, weight 3)',
    init: ['--nodes', '3'],
    setup: (c) => {
      c.ok(['taint', 'nodes', 'node01', 'slow=yes:PreferNoSchedule']);
      apply(c, pod('p'));
    },
    name: 'p',
    node: 'node02',
  },
  {
    title: 'required anti-affinity on the hostname: one per worker, the third waits (interpodaffinity filtering.go, Unschedulable)',
    init: ['--nodes', '3'],
    setup: (c) => apply(c, ...['a', 'b', 'c'].map((n) => pod(n, { labels: { app: 'web' }, spec: antiAffinity({ app: 'web' }) }))),
    name: 'c',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`,
  },
  {
    title: "an existing pod's anti-affinity keeps the newcomer off its node",
    init: ['--nodes', '2'],
    setup: (c) => apply(c, pod('loner', { labels: { app: 'loner' }, spec: antiAffinity({ app: 'noisy' }) }), pod('noisy', { labels: { app: 'noisy' } })),
    name: 'noisy',
    msg: `0/2 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
  {
    title: 'required affinity to pods that do not exist (UnschedulableAndUnresolvable)',
    init: ['--nodes', '3'],
    setup: (c) => apply(c, pod('p', { spec: affinity({ app: 'db' }) })),
    name: 'p',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`,
  },
  {
    title: 'required affinity follows the pod it names',
    init: ['--nodes', '4'],
    setup: (c) => {
      apply(c, pod('db', { labels: { app: 'db' }, spec: { nodeName: 'node03' } }));
      apply(c, pod('cache', { spec: affinity({ app: 'db' }) }));
    },
    name: 'cache',
    node: 'node03',
  },
  {
    title: 'the first pod of a group with affinity to itself is placed (satisfyPodAffinity)',
    init: ['--nodes', '2'],
    setup: (c) => apply(c, pod('first', { labels: { app: 'grp' }, spec: affinity({ app: 'grp' }) })),
    name: 'first',
    node: 'node01',
  },
  {
    title: "anti-affinity looks only in the pod's namespace unless told otherwise (GetNamespacesFromPodAffinityTerm)",
    init: ['--nodes', '2'],
    setup: (c) => {
      c.ok(['create', 'namespace', 'other']);
      apply(c, pod('x', { namespace: 'other', labels: { app: 'web' } }), pod('p', { labels: { app: 'web' }, spec: antiAffinity({ app: 'web' }) }));
    },
    name: 'p',
    node: 'node01',
  },
  {
    title: 'namespaceSelector {} takes every namespace',
    init: ['--nodes', '2'],
    setup: (c) => {
      c.ok(['create', 'namespace', 'other']);
      apply(c, pod('x', { namespace: 'other', labels: { app: 'web' } }), pod('p', { spec: antiAffinity({ app: 'web' }, 'kubernetes.io/hostname', { namespaceSelector: {} }) }));
    },
    name: 'p',
    msg: `0/2 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
  {
    title: 'topology spread over hostnames counts the tainted control plane as a domain (nodeTaintsPolicy Ignore)',
    init: ['--nodes', '3'],
    setup: (c) => apply(c, ...['a', 'b', 'c'].map((n) => pod(n, { labels: { app: 's' }, spec: spread({ app: 's' }, 'kubernetes.io/hostname') }))),
    name: 'c',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`,
  },
  {
    title: 'nodeTaintsPolicy Honor leaves the control plane out: the third pod fits',
    init: ['--nodes', '3'],
    setup: (c) => apply(c, ...['a', 'b', 'c'].map((n) => pod(n, { labels: { app: 's' }, spec: spread({ app: 's' }, 'kubernetes.io/hostname', { nodeTaintsPolicy: 'Honor' }) }))),
    name: 'c',
    node: /^node0[12]$/,
  },
  {
    title: 'a spread key no node carries (podtopologyspread filtering.go ErrReasonNodeLabelNotMatch)',
    init: ['--nodes', '3'],
    setup: (c) => apply(c, pod('p', { labels: { app: 's' }, spec: spread({ app: 's' }, 'topology.kubernetes.io/zone') })),
    name: 'p',
    msg: `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`,
  },
  {
    title: 'zones: two pods in zone-b, the next must go to zone-a',
    init: ['--nodes', '4', '--zones', '2'],
    setup: (c) => {
      apply(c, ...['a', 'b'].map((n) => pod(n, { labels: { app: 'z' }, spec: { nodeName: n === 'a' ? 'node01' : 'node03' } })));
      apply(c, pod('p', { labels: { app: 'z' }, spec: spread({ app: 'z' }, 'topology.kubernetes.io/zone') }));
    },
    name: 'p',
    node: 'node02',
  },
  {
    title: 'minDomains above the zones there are: the global minimum is 0',
    init: ['--nodes', '4', '--zones', '2'],
    setup: (c) => {
      apply(c, pod('a', { labels: { app: 'z' }, spec: { nodeName: 'node02' } }));
      apply(c, pod('p', { labels: { app: 'z' }, spec: { ...spread({ app: 'z' }, 'topology.kubernetes.io/zone', { minDomains: 3 }), nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } } }));
    },
    name: 'p',
    msg: `0/4 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 1 ${NO_VICTIMS}, 3 ${NOT_HELPFUL}.`,
  },
  {
    title: 'preferred anti-affinity spreads two pods over the workers (interpodaffinity scoring.go, weight 2)',
    init: ['--nodes', '3'],
    setup: (c) => {
      apply(c, pod('a', { labels: { app: 'w' }, spec: { nodeName: 'node02' } }));
      apply(c, pod('b', { labels: { app: 'w' }, spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'w' } }, topologyKey: 'kubernetes.io/hostname' } }] } } } }));
    },
    name: 'b',
    node: 'node01',
  },
];

for (const k of CASES) {
  test(`scheduling: ${k.title}`, () => {
    const c = cluster({ seed: 'scheduling', init: k.init });
    try {
      k.setup(c);
      if (k.msg) {
        assert.equal(nodeOf(c, k.name), '', `${k.name} stays pending`);
        assert.deepEqual(failures(c, k.name), [k.msg]);
      } else if (k.node instanceof RegExp) assert.match(nodeOf(c, k.name), k.node);
      else assert.equal(nodeOf(c, k.name), k.node);
    } finally {
      c.cleanup();
    }
  });
}

test('label nodes feeds the scheduler: a pending pod is placed once a node gets the label', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '3'] });
  try {
    apply(c, pod('p', { spec: { nodeSelector: { disk: 'ssd' } } }));
    assert.equal(nodeOf(c, 'p'), '');
    c.ok(['label', 'nodes', 'node02', 'disk=ssd']);
    assert.equal(nodeOf(c, 'p'), 'node02');
  } finally {
    c.cleanup();
  }
});

test('cluster init --zones: nodes labelled round robin, by count or by name; bad values refused', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '3', '--zones', 'eu-1a,eu-1b'] });
  try {
    assert.equal(c.ok(['get', 'nodes', '-L', 'topology.kubernetes.io/zone', '--no-headers']).replace(/ +/g, ' '), 'controlplane Ready control-plane 0s v1.32.2 eu-1a\nnode01 Ready <none> 0s v1.32.2 eu-1b\nnode02 Ready <none> 0s v1.32.2 eu-1a\n');
    c.ok(['cluster', 'init', '--force', '--nodes', '2', '--zones', '2']);
    assert.deepEqual(json(c, ['get', 'nodes']).items.map((n) => n.metadata.labels['topology.kubernetes.io/zone']), ['zone-a', 'zone-b']);
    const r = c.run(['cluster', 'init', '--force', '--zones', 'a,,b']);
    assert.deepEqual([r.code, r.stderr], [1, 'error: --zones must be a number of zones from 1 to 26 or a comma-separated list of zone names, not "a,,b"\n']);
  } finally {
    c.cleanup();
  }
});

test('a deployment spreads over the zones by the default constraints (scoring, zone maxSkew 5)', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '5', '--zones', '2'] });
  try {
    c.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=4']);
    const nodes = json(c, ['get', 'pods']).items.map((p) => p.spec.nodeName).sort();
    // one replica per worker: hostname spreading puts none twice on a node while one is empty
    assert.deepEqual(nodes, ['node01', 'node02', 'node03', 'node04']);
  } finally {
    c.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// PriorityClass (scheduling.k8s.io/v1), the Priority admission plugin, DefaultPreemption.

const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

test('create priorityclass: the same output and errors as kubectl 1.32 (--dry-run=client, run live)', (t) => {
  if (!KUBECTL) return t.skip('kubectl is not installed');
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '1'] });
  try {
    const CASES = [
      ['high', '--value=1000', '--description=high priority', '-o', 'yaml'],
      ['dflt', '--global-default', '--preemption-policy=Never', '-o', 'json'],
      ['x', '--global-default=false', '--value=0x10', '-o', 'yaml'],
      ['x', '--value=abc'],
      ['x', '--value=3000000000'],
      ['x', '--global-default=maybe'],
      ['x', 'y'],
      ['--value=1'],
    ];
    for (const args of CASES) {
      const want = spawnSync('kubectl', ['create', 'priorityclass', ...args, '--dry-run=client'], { encoding: 'utf8' });
      for (const verb of ['priorityclass', 'pc']) {
        const got = c.run(['create', verb, ...args, '--dry-run=client']);
        assert.deepEqual([got.code, got.stdout, got.stderr], [want.status, want.stdout, want.stderr.replaceAll('kubectl', 'kubesim')], args.join(' '));
      }
    }
  } finally {
    c.cleanup();
  }
});

test('PriorityClass: the system classes, columns, describe, and the apiserver refusals', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '1'] });
  try {
    c.ok(['create', 'priorityclass', 'high', '--value=1000', '--description=for the important ones']);
    // printers.go priorityClassColumnDefinitions
    assert.equal(
      c.ok(['get', 'pc']),
      'NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n' +
        'high                      1000         false            0s    PreemptLowerPriority\n' +
        'system-cluster-critical   2000000000   false            0s    PreemptLowerPriority\n' +
        'system-node-critical      2000001000   false            0s    PreemptLowerPriority\n',
    );
    // describe.go describePriorityClass
    assert.equal(
      c.ok(['describe', 'priorityclass', 'high']),
      'Name:              high\nValue:             1000\nGlobalDefault:     false\nPreemptionPolicy:  PreemptLowerPriority\nDescription:       for the important ones\nAnnotations:       <none>\nEvents:            <none>\n',
    );
    const refusals = [
      [['create', 'pc', 'big', '--value=1000000001'], 'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "big" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n'],
      [['create', 'pc', 'system-mine'], "error: failed to create priorityclass: PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class\n"],
      [['delete', 'pc', 'system-node-critical'], 'Error from server (Forbidden): priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted\n'],
    ];
    for (const [args, msg] of refusals) assert.deepEqual([c.run(args).code, c.run(args).stderr], [1, msg], args.join(' '));
    c.ok(['create', 'pc', 'dflt', '--value=5', '--global-default']);
    assert.equal(c.run(['create', 'pc', 'dflt2', '--global-default']).stderr, 'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "dflt2" is forbidden: PriorityClass dflt is already marked as default. Only one default can exist\n');
  } finally {
    c.cleanup();
  }
});

test('the Priority admission plugin: the class value, the global default, and its refusals', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
  try {
    const spec = (name) => json(c, ['get', 'pod', name]).spec;
    apply(c, pod('plain'));
    assert.deepEqual([spec('plain').priority, spec('plain').priorityClassName, spec('plain').preemptionPolicy], [0, undefined, 'PreemptLowerPriority']);
    c.ok(['create', 'pc', 'high', '--value=1000', '--preemption-policy=Never']);
    c.ok(['create', 'pc', 'dflt', '--value=7', '--global-default']);
    apply(c, pod('hi', { spec: { priorityClassName: 'high' } }), pod('dflt'));
    assert.deepEqual([spec('hi').priority, spec('hi').preemptionPolicy], [1000, 'Never']);
    assert.deepEqual([spec('dflt').priority, spec('dflt').priorityClassName], [7, 'dflt']);
    const refused = (p) => c.run(['apply', '-f', '-'], { input: p }).stderr;
    assert.equal(refused(pod('nope', { spec: { priorityClassName: 'nope' } })), 'Error from server (Forbidden): error when creating "STDIN": pods "nope" is forbidden: no PriorityClass with name nope was found\n');
    assert.equal(
      refused(pod('mine', { spec: { priorityClassName: 'high', priority: 5 } })),
      'Error from server (Forbidden): error when creating "STDIN": pods "mine" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name\n',
    );
    assert.equal(
      refused(pod('pol', { spec: { priorityClassName: 'high', preemptionPolicy: 'PreemptLowerPriority' } })),
      'Error from server (Forbidden): error when creating "STDIN": pods "pol" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name\n',
    );
  } finally {
    c.cleanup();
  }
});

/** A pod of class `cls` asking for `cpu`; sleep ignores SIGTERM, so it takes its whole grace period. */
const cpuPod = (name, cls, cpu, extra = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra }, spec: { priorityClassName: cls, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu } } }] } });

test('preemption: the fewest lowest-priority victims, their events and condition, NOMINATED NODE, then the pod runs there', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
  try {
    c.ok(['create', 'pc', 'low', '--value=10']);
    c.ok(['create', 'pc', 'mid', '--value=20']);
    c.ok(['create', 'pc', 'high', '--value=1000']);
    apply(c, cpuPod('low1', 'low', '600m'));
    c.at('2025-03-01T12:00:05Z');
    apply(c, cpuPod('low2', 'low', '600m'), cpuPod('mid1', 'mid', '600m'));
    c.at('2025-03-01T12:00:10Z');
    apply(c, cpuPod('vip', 'high', '700m'));
    // node01 has 2 cpus, 1800m taken: one 600m pod must go, of the lowest priority, and of those the
    // one started last (the more important, older one is reprieved first)
    const uid = json(c, ['get', 'pod', 'vip']).metadata.uid;
    const preempted = json(c, ['get', 'events', '--field-selector', 'reason=Preempted']).items.map((e) => [e.involvedObject.name, e.type, e.message, e.source.component]);
    assert.deepEqual(preempted, [['low2', 'Normal', `Preempted by pod ${uid} on node node01`, 'default-scheduler']]);
    const victim = json(c, ['get', 'pod', 'low2']);
    assert.ok(victim.metadata.deletionTimestamp, 'the victim is being deleted');
    assert.deepEqual(
      victim.status.conditions.filter((x) => x.type === 'DisruptionTarget').map((x) => [x.status, x.reason, x.message]),
      [['True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod']],
    );
    // schedule_one.go: a pod nominated by its PostFilter gets the filters' message alone
    assert.deepEqual(failures(c, 'vip'), [`0/2 nodes are available: 1 Insufficient cpu, 1 ${CP_TAINT}.`]);
    assert.match(c.ok(['get', 'pod', 'vip', '-o', 'wide']), /\nvip +0\/1 +Pending +0 +0s +<none> +<none> +node01 +<none>\n$/);
    // 200m are free on node01 while the victim terminates, but the nominated pod counts there for
    // pods of lower priority (RunFilterPluginsWithNominatedPods)
    apply(c, cpuPod('sneak', 'low', '200m'));
    assert.deepEqual(failures(c, 'sneak'), [`0/2 nodes are available: 1 Insufficient cpu, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`]);
    // tried again while the victim terminates: PodEligibleToPreemptOthers says no
    c.ok(['label', 'node', 'node01', 'retry=1']);
    assert.equal(failures(c, 'vip').at(-1), `0/2 nodes are available: 1 Insufficient cpu, 1 ${CP_TAINT}. preemption: not eligible due to a terminating pod on the nominated node.`);
    // the grace period (30s) over, the victim is gone and the pod is bound to its nominated node
    c.at('2025-03-01T12:00:45Z');
    assert.equal(c.run(['get', 'pod', 'low2']).code, 1);
    assert.equal(nodeOf(c, 'vip'), 'node01');
    assert.deepEqual(json(c, ['get', 'pods']).items.map((p) => [p.metadata.name, p.spec.nodeName ?? '']), [['low1', 'node01'], ['mid1', 'node01'], ['sneak', ''], ['vip', 'node01']]);
  } finally {
    c.cleanup();
  }
});

test('preemption: equal or higher priority pods are no victims; a PodDisruptionBudget is respected when another choice exists', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '3'] });
  try {
    c.ok(['create', 'pc', 'low', '--value=10']);
    c.ok(['create', 'pc', 'high', '--value=1000']);
    // each worker holds 1500m of low pods; the one on node01 is protected by a budget
    apply(c, cpuPod('guarded', 'low', '1500m', { labels: { app: 'guarded' } }), cpuPod('free', 'low', '1500m'));
    c.ok(['create', 'pdb', 'keep', '--selector=app=guarded', '--min-available=1']);
    const guardedNode = nodeOf(c, 'guarded');
    apply(c, cpuPod('vip', 'high', '1'));
    assert.equal(json(c, ['get', 'pod', 'vip']).status.nominatedNodeName, nodeOf(c, 'free'));
    assert.notEqual(nodeOf(c, 'free'), guardedNode);
    assert.equal(json(c, ['get', 'pod', 'guarded']).metadata.deletionTimestamp, undefined);
    // a pod of the same priority finds no victims
    apply(c, cpuPod('peer', 'low', '1900m'));
    assert.deepEqual(failures(c, 'peer'), [`0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`]);
  } finally {
    c.cleanup();
  }
});

test('a NoExecute taint: untolerated pods go at once, tolerationSeconds ones after that long on the simulated clock (taint_eviction.go)', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
  try {
    const tolerate = (seconds) => ({ tolerations: [{ key: 'maint', operator: 'Exists', effect: 'NoExecute', ...(seconds ? { tolerationSeconds: seconds } : {}) }] });
    apply(c, pod('plain'), pod('brief', { spec: tolerate(60) }), pod('stays', { spec: tolerate() }));
    c.ok(['taint', 'nodes', 'node01', 'maint=now:NoExecute']);
    const names = () => json(c, ['get', 'pods']).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    assert.deepEqual(names(), ['brief', 'stays']);
    c.at('2025-03-01T12:00:59Z');
    assert.deepEqual(names(), ['brief', 'stays']);
    c.at('2025-03-01T12:01:01Z');
    assert.deepEqual(names(), ['stays']);
    // and a new pod that does not tolerate it is not placed there
    apply(c, pod('late'));
    assert.deepEqual(failures(c, 'late'), [`0/2 nodes are available: 1 node(s) had untolerated taint {maint: now}, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`]);
  } finally {
    c.cleanup();
  }
});

test('topologySpreadConstraints are validated as ValidatePodSpec does (pkg/apis/core/validation)', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '1'] });
  try {
    const spec = {
      topologySpreadConstraints: [
        { maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe', labelSelector: { matchLabels: { a: 'b' } } },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', nodeTaintsPolicy: 'Sometimes' },
      ],
    };
    const r = c.run(['apply', '-f', '-'], { input: pod('x', { spec }) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The Pod "x" is invalid: \n' +
        '* spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero\n' +
        '* spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty\n' +
        '* spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"\n' +
        '* spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}"\n' +
        '* spec.topologySpreadConstraints[1].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway\n' +
        '* spec.topologySpreadConstraints[2].nodeTaintsPolicy: Unsupported value: "Sometimes": supported values: "Honor", "Ignore"\n',
    );
  } finally {
    c.cleanup();
  }
});

test('affinity is validated as ValidatePodSpec does (validateAffinity, ValidateNodeSelectorRequirement, validatePodAffinityTerm)', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '1'] });
  try {
    const spec = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In' }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'a', operator: 'Foo' }] } }],
        },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { a: 'b' } } }] },
      },
    };
    const r = c.run(['apply', '-f', '-'], { input: pod('x', { spec }) });
    const term = 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey';
    assert.equal(
      r.stderr,
      'The Pod "x" is invalid: \n' +
        "* spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'\n" +
        '* spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100\n' +
        '* spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator\n' +
        `* ${term}: Required value: can not be empty\n` +
        `* ${term}: Invalid value: "": name part must be non-empty\n` +
        `* ${term}: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n`,
    );
  } finally {
    c.cleanup();
  }
});

test('spec.nodeName bypasses the scheduler; the kubelet admits or rejects the pod (lifecycle/predicate.go)', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
  try {
    c.ok(['taint', 'nodes', 'node01', 'maint=now:NoSchedule']);
    const bound = (name, spec) => pod(name, { spec: { nodeName: 'node01', ...spec } });
    apply(
      c,
      bound('fine'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big' }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '5' } } }] } }),
      bound('sel', { nodeSelector: { disk: 'ssd' } }),
    );
    // a NoSchedule taint is the scheduler's business: the kubelet runs the pod
    assert.match(c.ok(['get', 'pods', '--no-headers']), /^big +0\/1 +OutOfcpu +0 +0s\nfine +0\/1 +ContainerCreating +0 +0s\nsel +0\/1 +NodeAffinity +0 +0s\n$/);
    const st = (name) => json(c, ['get', 'pod', name]).status;
    assert.deepEqual([st('big').phase, st('big').message], ['Failed', "Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 2000"]);
    assert.equal(st('sel').message, "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector");
    const ev = json(c, ['get', 'events', '--field-selector', 'involvedObject.name=big']).items.map((e) => [e.type, e.reason, e.message, e.source.component]);
    assert.deepEqual(ev, [['Warning', 'OutOfcpu', "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 2000", 'kubelet']]);
  } finally {
    c.cleanup();
  }
});

test('preemption: a nomination is cleared when preemption can no longer help anywhere (findCandidates)', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
  try {
    c.ok(['create', 'pc', 'low', '--value=10']);
    c.ok(['create', 'pc', 'high', '--value=1000']);
    apply(c, cpuPod('low1', 'low', '1500m'));
    apply(c, cpuPod('vip', 'high', '1'));
    assert.equal(json(c, ['get', 'pod', 'vip']).status.nominatedNodeName, 'node01');
    c.ok(['cordon', 'node01']);
    assert.equal(json(c, ['get', 'pod', 'vip']).status.nominatedNodeName, undefined);
    assert.equal(failures(c, 'vip').at(-1), `0/2 nodes are available: 1 ${CP_TAINT}, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`);
  } finally {
    c.cleanup();
  }
});

/** A pod of class `cls` asking for no resources, with these labels and spec fields. */
const classPod = (name, cls, { labels, spec = {} } = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(labels ? { labels } : {}) }, spec: { priorityClassName: cls, containers: [{ name: 'c', image: 'nginx' }], ...spec } });

// framework.go RunFilterPluginsWithNominatedPods / addGENominatedPods: the pods nominated to a node
// with at least the incoming pod's priority are added to the node AND to the PreFilter states
// (InterPodAffinity and PodTopologySpread AddPod), for every filter, in the scheduling cycle and in
// preemption's dry run (SelectVictimsOnNode).
const ANTI = "node(s) didn't match pod anti-affinity rules";
const SPREAD = "node(s) didn't match pod topology spread constraints";
const NOMINATED_CASES = [
  {
    title: "an equal-priority pod's anti-affinity to the nominated pod rejects its node (filtering.go AddPod)",
    pod: classPod('shy', 'high', { spec: antiAffinity({ app: 'vip' }) }),
    name: 'shy',
    msg: `0/2 nodes are available: 1 ${ANTI}, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NOT_HELPFUL}, 1 ${ANTI}.`,
  },
  {
    title: "the nominated pod's own required anti-affinity keeps an equal-priority pod it selects off its node",
    vipAntiAffinity: true,
    // a term of its own (matching nothing) keeps the InterPodAffinity PreFilter from skipping
    pod: classPod('peer', 'high', { labels: { app: 'peer' }, spec: antiAffinity({ app: 'nothing' }) }),
    name: 'peer',
    msg: `0/2 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NOT_HELPFUL}, 1 node(s) didn't satisfy existing pods anti-affinity rules.`,
  },
  {
    title: "but not when the InterPodAffinity PreFilter skipped (no terms of its own, no existing pod's anti-affinity matching it): AddPod is not run",
    vipAntiAffinity: true,
    pod: classPod('peer', 'high', { labels: { app: 'peer' } }),
    name: 'peer',
    node: 'node01',
  },
  {
    title: 'the nominated pod counts in a DoNotSchedule spread domain (podtopologyspread filtering.go AddPod)',
    pod: classPod('spready', 'high', { labels: { app: 'vip' }, spec: spread({ app: 'vip' }, 'kubernetes.io/hostname') }),
    name: 'spready',
    msg: `0/2 nodes are available: 1 ${SPREAD}, 1 ${CP_TAINT}. preemption: 0/2 nodes are available: 1 ${NOT_HELPFUL}, 1 ${SPREAD}.`,
  },
  {
    title: 'a nominated pod of lower priority does not count: the more important pod may take the room',
    pod: classPod('boss', 'top', { spec: antiAffinity({ app: 'vip' }) }),
    name: 'boss',
    node: 'node01',
  },
];

for (const k of NOMINATED_CASES) {
  test(`nominated pods in every filter: ${k.title}`, () => {
    const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
    try {
      c.ok(['create', 'pc', 'low', '--value=10']);
      c.ok(['create', 'pc', 'high', '--value=1000']);
      c.ok(['create', 'pc', 'top', '--value=2000']);
      apply(c, cpuPod('low1', 'low', '1500m'));
      // vip preempts low1 and is nominated to node01 while low1 takes its grace period
      const vip = JSON.parse(cpuPod('vip', 'high', '1', { labels: { app: 'vip' } }));
      if (k.vipAntiAffinity) vip.spec.affinity = antiAffinity({ app: 'peer' }).affinity;
      apply(c, JSON.stringify(vip));
      assert.equal(json(c, ['get', 'pod', 'vip']).status.nominatedNodeName, 'node01');
      apply(c, k.pod);
      if (k.msg) {
        assert.equal(nodeOf(c, k.name), '', `${k.name} stays pending`);
        assert.deepEqual(failures(c, k.name), [k.msg]);
      } else assert.equal(nodeOf(c, k.name), k.node);
    } finally {
      c.cleanup();
    }
  });
}

test('scheduler events: action Binding / Scheduling / Preempting, the preemptor as related, reportingInstance default-scheduler-<host>', () => {
  const c = cluster({ seed: 'scheduling', init: ['--nodes', '2'] });
  try {
    c.ok(['create', 'pc', 'low', '--value=10']);
    c.ok(['create', 'pc', 'high', '--value=1000']);
    apply(c, cpuPod('low1', 'low', '1500m'));
    const low1 = json(c, ['get', 'pod', 'low1']);
    apply(c, cpuPod('vip', 'high', '1'));
    const vip = json(c, ['get', 'pod', 'vip']);
    const events = json(c, ['get', 'events']).items;
    const pick = (name, reason) => events.filter((e) => e.involvedObject.name === name && e.reason === reason);
    const shape = (e) => [e.action, e.reportingComponent, e.reportingInstance, e.source.component];
    // schedule_one.go finishBinding: Eventf(assumed, nil, Normal, "Scheduled", "Binding", ...)
    assert.deepEqual(pick('low1', 'Scheduled').map(shape), [['Binding', 'default-scheduler', 'default-scheduler-controlplane', 'default-scheduler']]);
    assert.equal(pick('low1', 'Scheduled')[0].related, undefined);
    // handleSchedulingFailure: Eventf(pod, nil, Warning, "FailedScheduling", "Scheduling", msg)
    assert.deepEqual(pick('vip', 'FailedScheduling').map(shape), [['Scheduling', 'default-scheduler', 'default-scheduler-controlplane', 'default-scheduler']]);
    // preemption.go prepareCandidate: Eventf(victim, pod, Normal, "Preempted", "Preempting", ...):
    // regarding the victim, related to the preemptor (reference.GetReference)
    const [preempted] = pick('low1', 'Preempted');
    assert.deepEqual(shape(preempted), ['Preempting', 'default-scheduler', 'default-scheduler-controlplane', 'default-scheduler']);
    assert.equal(preempted.message, `Preempted by pod ${vip.metadata.uid} on node node01`);
    assert.deepEqual(preempted.involvedObject, { apiVersion: 'v1', kind: 'Pod', name: 'low1', namespace: 'default', resourceVersion: low1.metadata.resourceVersion, uid: low1.metadata.uid });
    const { resourceVersion, ...related } = preempted.related;
    assert.deepEqual(related, { apiVersion: 'v1', kind: 'Pod', name: 'vip', namespace: 'default', uid: vip.metadata.uid });
    assert.match(resourceVersion, /^\d+$/);
    // other recorders' events are as before: no action, no related
    const pulled = events.find((e) => e.source.component === 'kubelet');
    assert.ok(pulled, 'a kubelet event');
    assert.deepEqual([Object.hasOwn(pulled, 'action'), Object.hasOwn(pulled, 'related')], [false, false]);
    // the YAML of kubectl get events shows them
    const yaml = c.ok(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'yaml']);
    assert.match(yaml, /\n- action: Preempting\n/);
    assert.match(yaml, /\n  related:\n    apiVersion: v1\n    kind: Pod\n    name: vip\n    namespace: default\n    resourceVersion: "\d+"\n    uid: /);
  } finally {
    c.cleanup();
  }
});

// schedule_one.go selectHost: the node is drawn at random among those with the top total score
// (each score plugin normalised to 0..100, then weighted); kubesim draws once per decision from the
// seeded generator (KUBESIM_SEED), never by pod count.

test("selectHost: a ReplicaSet's 3 replicas go to the 3 equal workers, one each, whatever the seed (LeastAllocated + the default hostname spreading)", () => {
  const rs = JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  for (const seed of ['a', 'b', 'c']) {
    const c = cluster({ seed, init: ['--nodes', '4'] });
    try {
      apply(c, rs);
      assert.deepEqual(json(c, ['get', 'pods', '-l', 'app=web']).items.map((p) => p.spec.nodeName).sort(), ['node01', 'node02', 'node03'], `seed ${seed}`);
    } finally {
      c.cleanup();
    }
  }
});

test('selectHost: equal scores are a draw of the seeded generator among all the best nodes, the one with more pods included', () => {
  // two pods asking for cpu 0 and memory 0 explicitly (no non-zero defaults: a missing request
  // only gets them) on node01 leave every score as on the empty workers
  const zero = (name) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '0', memory: '0' } } }] } });
  const pick = (seed) => {
    const c = cluster({ seed, init: ['--nodes', '4'] });
    try {
      apply(c, zero('z1'), zero('z2'));
      apply(c, pod('p'));
      return nodeOf(c, 'p');
    } finally {
      c.cleanup();
    }
  };
  const picks = Object.fromEntries(['s1', 's2', 's3', 's4', 's5', 's6'].map((seed) => [seed, pick(seed)]));
  assert.ok(Object.values(picks).includes('node01'), `node01 is drawn too: ${JSON.stringify(picks)}`);
  assert.ok(new Set(Object.values(picks)).size >= 2, `the seed decides: ${JSON.stringify(picks)}`);
  assert.deepEqual(picks, { s1: 'node01', s2: 'node02', s3: 'node03', s4: 'node03', s5: 'node01', s6: 'node02' });
  // the same seed, the same draw
  assert.equal(pick('s1'), picks.s1);
});
