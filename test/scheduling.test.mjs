// Scheduling cases (issue 20): pod spec × node set → the node chosen or the exact FailedScheduling
// text, each citing the kube-scheduler 1.32 plugin (pkg/scheduler/framework/plugins/...) it follows.
// The messages' shape is types.go FitError.Error (reasons "<count> <reason>" sorted as strings, then
// DefaultPreemption's "preemption: ..." half, preemption.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
