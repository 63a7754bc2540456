// Issue 15, part 5: DaemonSets. One pod per eligible node on the simulated clock, nodes excluded by
// taints and node selectors, a node that becomes eligible gets its pod, a rolling update replaces
// the pods one node at a time, kube-proxy is a DaemonSet, and the apiserver's validation messages.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const ds = ({ name = 'agent', image = 'busybox:1.36', extra = '' } = {}) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${extra}      containers:
      - name: agent
        image: ${image}
        command: ["sleep", "infinity"]
`;
const json = (c, args) => JSON.parse(c.ok([...args, '-o', 'json']));
const rows = (text) => text.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
/** the get ds row of one set, columns joined by one space */
const dsRow = (c, name, ns = 'default') => rows(c.ok(['get', 'ds', name, '-n', ns, '--no-headers']))[0];
/** NAME STATUS NODE of the set's pods, by node */
const podsOn = (c, app) =>
  json(c, ['get', 'pods', '-l', `app=${app}`])
    .items.map((p) => [p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0], p.spec.nodeName ?? '', p.metadata.labels['controller-revision-hash'], p.metadata.deletionTimestamp ? 'Terminating' : p.status.phase])
    .sort((a, b) => (a[0] + a[3] < b[0] + b[3] ? -1 : 1));

const c = cluster({ seed: 'daemonset', init: [] });
after(() => c.cleanup());
const at = (s) => c.at(`2025-03-01T12:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`);

test('kube-proxy is a DaemonSet in kube-system that owns the kube-proxy pods', () => {
  assert.equal(c.ok(['get', 'ds', '-A']), [
    'NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE',
    'kube-system   kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   0s',
    '',
  ].join('\n'));
  const proxy = json(c, ['get', 'ds', 'kube-proxy', '-n', 'kube-system']);
  assert.deepEqual(proxy.spec.selector, { matchLabels: { 'k8s-app': 'kube-proxy' } });
  assert.equal(proxy.spec.template.spec.hostNetwork, true);
  assert.equal(proxy.spec.template.spec.priorityClassName, 'system-node-critical');
  assert.deepEqual(proxy.spec.template.spec.tolerations, [{ operator: 'Exists' }]);
  assert.deepEqual(proxy.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(proxy.metadata.annotations['deprecated.daemonset.template.generation'], '1');
  const pods = json(c, ['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy']).items;
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.equal(p.metadata.ownerReferences[0].uid, proxy.metadata.uid);
    assert.equal(p.metadata.labels['controller-revision-hash'], pods[0].metadata.labels['controller-revision-hash']);
    // as the daemon controller makes them: pinned to their node, the daemon tolerations after Exists
    assert.deepEqual(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }]);
    assert.equal(p.spec.tolerations.length, 8);
    assert.equal(p.spec.tolerations[7].key, 'node.kubernetes.io/network-unavailable');
    assert.equal(p.spec.priority, 2000001000);
  }
  assert.match(c.ok(['describe', 'ds', 'kube-proxy', '-n', 'kube-system']), /^Name:           kube-proxy\nSelector:       k8s-app=kube-proxy\nNode-Selector:  kubernetes\.io\/os=linux\nLabels:         k8s-app=kube-proxy\nAnnotations:    deprecated\.daemonset\.template\.generation: 1\nDesired Number of Nodes Scheduled: 3\nCurrent Number of Nodes Scheduled: 3\nNumber of Nodes Scheduled with Up-to-date Pods: 3\nNumber of Nodes Scheduled with Available Pods: 3\nNumber of Nodes Misscheduled: 0\nPods Status:  3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\nPod Template:\n/);
});

test('a DaemonSet runs one pod on each worker (the control plane is tainted): pending, then running', () => {
  at(0);
  assert.equal(c.ok(['apply', '-f', '-'], { input: ds() }), 'daemonset.apps/agent created\n');
  assert.equal(dsRow(c, 'agent'), 'agent 2 2 0 2 0 <none> 0s');
  const pods = json(c, ['get', 'pods', '-l', 'app=agent']).items;
  assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['node01', 'node02']);
  for (const p of pods) {
    assert.match(p.metadata.name, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.metadata.labels['pod-template-generation'], '1');
    assert.match(p.metadata.labels['controller-revision-hash'], /^[a-z0-9]{8,10}$/);
    assert.deepEqual(p.metadata.ownerReferences.map((r) => [r.kind, r.name, r.controller]), [['DaemonSet', 'agent', true]]);
    // the daemon controller pins the pod with matchFields; the scheduler binds it
    assert.deepEqual(p.spec.affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }] } } });
    assert.deepEqual(p.spec.tolerations.map((t) => `${t.key}:${t.operator}:${t.effect}`), [
      'node.kubernetes.io/not-ready:Exists:NoExecute',
      'node.kubernetes.io/unreachable:Exists:NoExecute',
      'node.kubernetes.io/disk-pressure:Exists:NoSchedule',
      'node.kubernetes.io/memory-pressure:Exists:NoSchedule',
      'node.kubernetes.io/pid-pressure:Exists:NoSchedule',
      'node.kubernetes.io/unschedulable:Exists:NoSchedule',
    ]);
  }
  const wide = rows(c.ok(['get', 'pods', '-l', 'app=agent', '-o', 'wide', '--no-headers'])).map((r) => r.split(' '));
  assert.deepEqual(wide.map((r) => [r[2], r[6]]).sort(), [['ContainerCreating', 'node01'], ['ContainerCreating', 'node02']]);
  at(30);
  assert.equal(dsRow(c, 'agent'), 'agent 2 2 2 2 2 <none> 30s');
  assert.deepEqual(rows(c.ok(['get', 'pods', '-l', 'app=agent', '-o', 'wide', '--no-headers'])).map((r) => r.split(' ')).map((r) => [r[2], r[6]]).sort(), [['Running', 'node01'], ['Running', 'node02']]);
  assert.equal(c.ok(['get', 'ds', 'agent', '-o', 'wide', '--no-headers']).trim().split(/\s+/).slice(8).join(' '), 'agent busybox:1.36 app=agent');
  const st = json(c, ['get', 'ds', 'agent']).status;
  assert.deepEqual(st, { currentNumberScheduled: 2, desiredNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 0, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2 });
  const events = c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=DaemonSet', '-o', 'custom-columns=REASON:.reason,FROM:.source.component,MESSAGE:.message', '--no-headers']);
  assert.deepEqual(rows(events).map((r) => r.replace(/agent-\w{5}/, 'agent-x')), ['SuccessfulCreate daemonset-controller Created pod: agent-x', 'SuccessfulCreate daemonset-controller Created pod: agent-x']);
  assert.equal(c.ok(['rollout', 'status', 'ds/agent']), 'daemon set "agent" successfully rolled out\n');
});

test('a pod deleted by hand is replaced on its node', () => {
  at(40);
  const victim = json(c, ['get', 'pods', '-l', 'app=agent']).items.find((p) => p.spec.nodeName === 'node01').metadata.name;
  c.ok(['delete', 'pod', victim, '--wait=false']);
  const now = podsOn(c, 'agent');
  // the image is on the node already: the replacement runs at once, beside the old pod stopping
  assert.deepEqual(now.map((p) => [p[0], p[3]]), [['node01', 'Running'], ['node01', 'Terminating'], ['node02', 'Running']]);
});

test('a rolling update replaces one node\'s pod at a time, each new pod ready before the next old one goes', () => {
  at(120);
  const oldHash = podsOn(c, 'agent')[0][2];
  assert.equal(dsRow(c, 'agent'), 'agent 2 2 2 2 2 <none> 2m');
  assert.equal(c.ok(['set', 'image', 'ds/agent', 'agent=busybox:1.37']), 'daemonset.apps/agent image updated\n');
  const d = json(c, ['get', 'ds', 'agent']);
  assert.equal(d.metadata.generation, 2);
  assert.equal(d.metadata.annotations['deprecated.daemonset.template.generation'], '2');
  // node01's old pod goes first (maxUnavailable 1) and its replacement is created at once
  let now = podsOn(c, 'agent');
  const newHash = now.find((p) => p[2] !== oldHash)[2];
  assert.deepEqual(now.map((p) => [p[0], p[2] === newHash ? 'new' : 'old', p[3]]), [['node01', 'new', 'Pending'], ['node01', 'old', 'Terminating'], ['node02', 'old', 'Running']]);
  assert.equal(c.ok(['rollout', 'status', 'ds/agent', '--watch=false']), 'Waiting for daemon set "agent" rollout to finish: 0 out of 2 new pods have been updated...\n');
  const labels = json(c, ['get', 'pods', '-l', `controller-revision-hash=${newHash}`]).items[0].metadata.labels;
  assert.equal(labels['pod-template-generation'], '2');
  // a few seconds later node01's new pod is ready: node02's turn
  at(125);
  now = podsOn(c, 'agent');
  assert.deepEqual(now.map((p) => [p[0], p[2] === newHash ? 'new' : 'old', p[3]]), [['node01', 'new', 'Running'], ['node01', 'old', 'Terminating'], ['node02', 'new', 'Running'], ['node02', 'old', 'Terminating']]);
  // the old pods take their grace period (30s) to stop; then the status counts the new ones
  at(160);
  now = podsOn(c, 'agent');
  assert.deepEqual(now.map((p) => [p[0], p[2] === newHash ? 'new' : 'old', p[3]]), [['node01', 'new', 'Running'], ['node02', 'new', 'Running']]);
  assert.equal(dsRow(c, 'agent'), 'agent 2 2 2 2 2 <none> 2m40s');
  assert.equal(c.ok(['rollout', 'status', 'ds/agent']), 'daemon set "agent" successfully rolled out\n');
  const events = rows(c.ok(['get', 'events', '--field-selector', 'involvedObject.kind=DaemonSet', '-o', 'custom-columns=REASON:.reason', '--no-headers']));
  assert.deepEqual(events.filter((r) => r === 'SuccessfulDelete').length, 2);
});

test('a tainted node is left out; a DaemonSet that tolerates the taint (or the control plane\'s) runs there too', () => {
  at(200);
  const node = json(c, ['get', 'node', 'node02']);
  node.spec.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
  delete node.metadata.resourceVersion;
  c.ok(['apply', '-f', '-'], { input: JSON.stringify(node) });
  c.ok(['apply', '-f', '-'], { input: ds({ name: 'plain' }) });
  assert.equal(dsRow(c, 'plain'), 'plain 1 1 1 1 1 <none> 0s');
  assert.deepEqual(podsOn(c, 'plain').map((p) => p[0]), ['node01']);
  const tolerations = '      tolerations:\n      - key: dedicated\n        operator: Equal\n        value: gpu\n        effect: NoSchedule\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n';
  c.ok(['apply', '-f', '-'], { input: ds({ name: 'everywhere', extra: tolerations }) });
  // busybox is on the workers already, the control plane pulls it
  assert.equal(dsRow(c, 'everywhere'), 'everywhere 3 3 2 3 2 <none> 0s');
  assert.deepEqual(podsOn(c, 'everywhere').map((p) => p[0]), ['controlplane', 'node01', 'node02']);
  // the taint came after the agent's pod: a NoSchedule taint lets it keep running, misscheduled
  const st = json(c, ['get', 'ds', 'agent']).status;
  assert.deepEqual([st.desiredNumberScheduled, st.currentNumberScheduled, st.numberMisscheduled], [1, 1, 1]);
  assert.match(c.ok(['describe', 'ds', 'agent']), /\nNumber of Nodes Misscheduled: 1\n/);
});

test('a node that comes to match the node selector gets a pod; one that stops matching loses it', () => {
  at(240);
  c.ok(['apply', '-f', '-'], { input: ds({ name: 'ssd', image: 'nginx:1.27', extra: '      nodeSelector:\n        disk: ssd\n' }) });
  assert.equal(dsRow(c, 'ssd'), 'ssd 0 0 0 0 0 disk=ssd 0s');
  c.ok(['label', 'node', 'node01', 'disk=ssd']);
  assert.equal(dsRow(c, 'ssd'), 'ssd 1 1 0 1 0 disk=ssd 0s');
  assert.deepEqual(podsOn(c, 'ssd').map((p) => [p[0], p[3]]), [['node01', 'Pending']]);
  at(270);
  assert.equal(dsRow(c, 'ssd'), 'ssd 1 1 1 1 1 disk=ssd 30s');
  c.ok(['label', 'node', 'node01', 'disk-']);
  assert.deepEqual(podsOn(c, 'ssd').map((p) => [p[0], p[3]]), [['node01', 'Terminating']]);
  assert.equal(dsRow(c, 'ssd'), 'ssd 0 0 0 0 0 disk=ssd 30s');
});

test('deleting a DaemonSet takes its pods with it', () => {
  at(300);
  assert.equal(c.ok(['delete', 'ds', 'plain', '--wait=false']), 'daemonset.apps "plain" deleted\n');
  assert.ok(podsOn(c, 'plain').every((p) => p[3] === 'Terminating'));
});

test('a cluster of more nodes: kube-proxy on each; a node stopped and started keeps its daemon pod', () => {
  const big = cluster({ seed: 'daemonset-big', init: ['--nodes', '5'] });
  after(() => big.cleanup());
  assert.match(big.ok(['get', 'ds', '-n', 'kube-system']), /\nkube-proxy   5         5         5       5            5           kubernetes\.io\/os=linux   0s\n$/);
  big.ok(['apply', '-f', '-'], { input: ds() });
  assert.equal(dsRow(big, 'agent'), 'agent 4 4 0 4 0 <none> 0s');
  big.at('2025-03-01T12:01:00Z').ok(['node', 'stop', 'node03']);
  big.at('2025-03-01T12:10:00Z');
  // the daemon pods tolerate not-ready and unreachable: nothing is evicted or replaced
  assert.deepEqual(podsOn(big, 'agent').map((p) => p[0]), ['node01', 'node02', 'node03', 'node04']);
  big.ok(['node', 'start', 'node03']);
  big.at('2025-03-01T12:11:00Z');
  assert.equal(dsRow(big, 'agent'), 'agent 4 4 4 4 4 <none> 11m');
});

test('validation: the apiserver\'s messages', () => {
  const bad = (yaml) => c.run(['apply', '-f', '-'], { input: yaml });
  const noSelector = ds({ name: 'bad' }).replace(/  selector:\n    matchLabels:\n      app: bad\n/, '');
  let r = bad(noSelector.replace('    spec:\n', '    spec:\n      restartPolicy: OnFailure\n'));
  assert.deepEqual([r.code, r.stderr], [1, 'The DaemonSet "bad" is invalid: \n* spec.template.metadata.labels: Invalid value: {"app":"bad"}: `selector` does not match template `labels`\n* spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"\n']);
  r = bad(ds({ name: 'bad' }).replace('matchLabels:\n      app: bad', 'matchLabels:\n      app: other'));
  assert.equal(r.stderr, 'The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value: {"app":"bad"}: `selector` does not match template `labels`\n');
  r = bad(ds({ name: 'bad' }).replace('spec:\n  selector:', 'spec:\n  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n  selector:'));
  assert.equal(r.stderr, 'The DaemonSet "bad" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero\n');
  r = bad(ds({ name: 'bad' }).replace('spec:\n  selector:', 'spec:\n  updateStrategy:\n    type: Blue\n  selector:'));
  assert.match(r.stderr, /^The DaemonSet "bad" is invalid: spec\.updateStrategy: Unsupported value: .*: supported values: "RollingUpdate", "OnDelete"\n$/);
  assert.equal(c.run(['get', 'ds', 'bad']).code, 1);
  // the selector cannot change
  r = bad(ds({ name: 'agent' }).replace(/app: agent/g, 'app: agent2'));
  assert.match(r.stderr, /spec\.selector: Invalid value: .*: field is immutable/);
});

test('rollout restart of kube-proxy: new pods on every node, with the built-in priority of their class', () => {
  at(400);
  const before = json(c, ['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy']).items.map((p) => p.metadata.name);
  assert.equal(c.ok(['rollout', 'restart', 'ds/kube-proxy', '-n', 'kube-system']), 'daemonset.apps/kube-proxy restarted\n');
  at(460);
  const after = json(c, ['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy']).items;
  assert.deepEqual(after.map((p) => p.spec.nodeName).sort(), ['controlplane', 'node01', 'node02']);
  for (const p of after) {
    assert.ok(!before.includes(p.metadata.name));
    assert.equal(p.spec.priority, 2000001000);
    assert.equal(p.metadata.labels['pod-template-generation'], '2');
    assert.equal(p.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2025-03-01T12:06:40Z');
  }
  assert.equal(c.ok(['rollout', 'status', 'ds/kube-proxy', '-n', 'kube-system']), 'daemon set "kube-proxy" successfully rolled out\n');
  assert.equal(dsRow(c, 'kube-proxy', 'kube-system'), 'kube-proxy 3 3 3 3 3 kubernetes.io/os=linux 7m40s');
});

test('explain daemonset.spec: the API\'s field descriptions', () => {
  const out = c.ok(['explain', 'ds.spec']);
  // kubectl 1.32's template prints GROUP first (explain/v2/templates/plaintext.tmpl)
  assert.match(out, /^GROUP:      apps\nKIND:       DaemonSet\nVERSION:    v1\n\nFIELD: spec <DaemonSetSpec>\n/);
  assert.match(out, /\n  selector\t?\s*<LabelSelector> -required-\n/);
  assert.match(out, /\n  updateStrategy\t?\s*<DaemonSetUpdateStrategy>\n    An update strategy to replace existing DaemonSet pods with new pods\.\n/);
});

test('maxSurge 1 (maxUnavailable 0): the new pod starts beside the old one, which goes once the new one is ready', () => {
  const s = cluster({ seed: 'daemonset-surge', init: [] });
  after(() => s.cleanup());
  const surge = ds({ name: 'surge' }).replace('spec:\n  selector:', 'spec:\n  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n  selector:');
  s.ok(['apply', '-f', '-'], { input: surge });
  s.at('2025-03-01T12:01:00Z');
  const oldHash = podsOn(s, 'surge')[0][2];
  s.ok(['set', 'image', 'ds/surge', 'agent=busybox:1.37']);
  const kind = (p) => [p[0], p[2] === oldHash ? 'old' : 'new', p[3]];
  assert.deepEqual(podsOn(s, 'surge').map(kind), [['node01', 'new', 'Pending'], ['node01', 'old', 'Running'], ['node02', 'old', 'Running']]);
  s.at('2025-03-01T12:01:02Z');
  assert.deepEqual(podsOn(s, 'surge').map(kind), [['node01', 'new', 'Running'], ['node01', 'old', 'Terminating'], ['node02', 'new', 'Running'], ['node02', 'old', 'Terminating']]);
  s.at('2025-03-01T12:01:40Z');
  assert.deepEqual(podsOn(s, 'surge').map(kind), [['node01', 'new', 'Running'], ['node02', 'new', 'Running']]);
  assert.equal(s.ok(['rollout', 'status', 'ds/surge']), 'daemon set "surge" successfully rolled out\n');
});
