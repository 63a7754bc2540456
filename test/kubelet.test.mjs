// The kubelet on the simulated clock: commands run and exit, restarts back off, probes act, init
// containers go in order, deleted pods stop gracefully. Each case is a pod and the rows or blocks
// kubectl shows at chosen simulated times; the texts and timings are the kubelet's
// (pkg/kubelet/kuberuntime doBackOff, flowcontrol.Backoff 10 s doubling to 5 min; prober.go's
// messages; printers.go printPod), see the research notes cited in src/controllers/kubelet/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const at = (s) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

/** A cluster at T0 with the commands run; .row(name, s) → `get pod` row (spaces squeezed) at T0+s. */
function lab(...commands) {
  const c = cluster({ now: at(0) });
  c.ok(['cluster', 'init']);
  for (const cmd of commands) c.ok(cmd.args ?? cmd, cmd.input ? { input: cmd.input } : undefined);
  c.row = (name, s) => c.at(at(s)).ok(['get', 'pod', name, '--no-headers']).trim().replace(/\s+/g, ' ');
  c.field = (name, s, path) => c.at(at(s)).ok(['get', 'pod', name, '-o', `jsonpath=${path}`]);
  return c;
}

const TIMELINES = [
  {
    name: 'run --restart=Never -- echo hello: ContainerCreating while busybox pulls, then Completed',
    cmd: ['run', 'bb', '--image=busybox', '--restart=Never', '--', 'echo', 'hello'],
    rows: [
      [0, 'bb 0/1 ContainerCreating 0 0s'],
      [1, 'bb 0/1 Completed 0 1s'],
      [600, 'bb 0/1 Completed 0 10m'],
    ],
  },
  {
    name: 'run --image=busybox: sh reads end of file and exits 0, restarts at once, then backs off',
    cmd: ['run', 'bb', '--image=busybox:1.36'],
    rows: [
      [0, 'bb 0/1 ContainerCreating 0 0s'],
      [1, 'bb 0/1 Completed 0 1s'],
      [2, 'bb 0/1 Completed 1 (2s ago) 2s'],
      [3, 'bb 0/1 CrashLoopBackOff 1 (2s ago) 3s'],
      [12, 'bb 0/1 Completed 2 (11s ago) 12s'],
      [13, 'bb 0/1 CrashLoopBackOff 2 (2s ago) 13s'],
      [33, 'bb 0/1 CrashLoopBackOff 3 (2s ago) 33s'],
      [73, 'bb 0/1 CrashLoopBackOff 4 (2s ago) 73s'],
    ],
  },
  {
    name: 'sh -c "exit 1" with restartPolicy Never: Error, phase Failed',
    cmd: ['run', 'bb', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'exit 1'],
    rows: [
      [0, 'bb 0/1 ContainerCreating 0 0s'],
      [5, 'bb 0/1 Error 0 5s'],
    ],
  },
  {
    name: 'sleep 30 with restartPolicy OnFailure: Running, then Completed for good',
    cmd: ['run', 'bb', '--image=busybox:1.36', '--restart=OnFailure', '--', 'sleep', '30'],
    rows: [
      [10, 'bb 1/1 Running 0 10s'],
      [31, 'bb 0/1 Completed 0 31s'],
      [400, 'bb 0/1 Completed 0 6m40s'],
    ],
  },
  {
    name: 'a program the image does not have: StartError, exit code 128, then back-off',
    cmd: ['run', 'bb', '--image=busybox:1.36', '--', 'nosuchprogram'],
    rows: [
      [1, 'bb 0/1 StartError 0 1s'],
      [2, 'bb 0/1 StartError 1 (2s ago) 2s'],
      [5, 'bb 0/1 CrashLoopBackOff 1 (4s ago) 5s'],
    ],
  },
  {
    name: 'an image tag that never existed: ErrImagePull, ImagePullBackOff, a retry after 10 s',
    cmd: ['run', 'bb', '--image=nginx:1.161'],
    rows: [
      [0, 'bb 0/1 ErrImagePull 0 0s'],
      [1, 'bb 0/1 ImagePullBackOff 0 1s'],
      [10, 'bb 0/1 ErrImagePull 0 10s'],
      [11, 'bb 0/1 ImagePullBackOff 0 11s'],
    ],
  },
];

for (const tc of TIMELINES) {
  test(`timeline: ${tc.name}`, () => {
    const c = lab(tc.cmd);
    try {
      for (const [s, row] of tc.rows) assert.equal(c.row('bb', s), row, `at +${s}s`);
    } finally {
      c.cleanup();
    }
  });
}

test('the back-off doubles from 10 s to 5 min between restarts and restarts at once after 10 minutes of running', () => {
  const c = lab(['run', 'bb', '--image=busybox:1.36', '--', 'sh', '-c', 'exit 2']);
  try {
    // starts: 0.487 (pull), +1 s (first restart at once), then exits wait 10, 20, 40, 80, 160, 300, 300 s
    const starts = [];
    let restarts = -1;
    for (let s = 0; s <= 1500; s += 1) {
      const n = Number(c.field('bb', s, '{.status.containerStatuses[0].restartCount}'));
      if (n !== restarts) {
        starts.push([n, s]);
        restarts = n;
      }
      if (n >= 8) break;
      // jump close to the next expected start to keep the test fast
      if (s > 3) s += 8;
    }
    const gaps = starts.slice(1).map(([, s], i) => s - starts[i][1]);
    assert.deepEqual(starts.map(([n]) => n), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // each gap measured to the 9 s sampling step: 10, 20, 40, 80, 160, 300, 300 s
    const expected = [10, 20, 40, 80, 160, 300, 300];
    gaps.slice(1).forEach((g, i) => assert.ok(Math.abs(g - expected[i]) <= 9, `gap ${i + 2}: ${g} s, expected about ${expected[i]} s (${JSON.stringify(starts)})`));
    const msg = c.field('bb', 1500, '{.status.containerStatuses[0].state.waiting.message}');
    assert.match(msg, /^back-off 5m0s restarting failed container=bb pod=bb_default\([0-9a-f-]{36}\)$/);
  } finally {
    c.cleanup();
  }
});

test('a run that lasted over 10 minutes restarts at once (the back-off entry expired)', () => {
  const c = lab(['run', 'bb', '--image=busybox:1.36', '--', 'sh', '-c', 'sleep 700; exit 1']);
  try {
    assert.equal(c.row('bb', 701), 'bb 0/1 Error 0 11m');
    assert.equal(c.row('bb', 702), 'bb 1/1 Running 1 (2s ago) 11m');
  } finally {
    c.cleanup();
  }
});

test('describe: the container block and the events of a crash loop', () => {
  const c = lab(['run', 'bb', '--image=busybox:1.36', '--', 'sh', '-c', 'echo start; exit 1']);
  try {
    const d = c.at(at(40)).ok(['describe', 'pod', 'bb']);
    const block = d.slice(d.indexOf('    State:'), d.indexOf('    Environment:'));
    assert.equal(
      block,
      [
        '    State:          Waiting',
        '      Reason:       CrashLoopBackOff',
        '    Last State:     Terminated',
        '      Reason:       Error',
        '      Exit Code:    1',
        '      Started:      Sat, 01 Mar 2025 12:00:31 +0000',
        '      Finished:     Sat, 01 Mar 2025 12:00:31 +0000',
        '    Ready:          False',
        '    Restart Count:  3',
        '',
      ].join('\n'),
    );
    const uid = c.ok(['get', 'pod', 'bb', '-o', 'jsonpath={.metadata.uid}']);
    assert.match(d, new RegExp(`Warning  BackOff    \\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+Back-off restarting failed container bb in pod bb_default\\(${uid}\\)\\n`));
    assert.match(d, /Normal   Created    \S+ \(x4 over 40s\)\s+kubelet\s+Created container: bb\n/);
    assert.match(d, /Normal   Pulled     40s\s+kubelet\s+Successfully pulled image "busybox:1.36" in 487ms \(487ms including waiting\)\. Image size: 2167176 bytes\.\n/);
    // the log is the last run's; --previous the one before
    assert.equal(c.ok(['logs', 'bb']), 'start\n');
    assert.equal(c.ok(['logs', 'bb', '-p']), 'start\n');
    const none = lab(['run', 'one', '--image=busybox:1.36', '--restart=Never', '--', 'echo', 'hi']);
    try {
      const r = none.at(at(5)).run(['logs', 'one', '--previous']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error from server (BadRequest): previous terminated container "one" in pod "one" not found\n');
      assert.equal(none.ok(['logs', 'one']), 'hi\n');
    } finally {
      none.cleanup();
    }
  } finally {
    c.cleanup();
  }
});

test('a loop writes its log as simulated time passes; date prints the simulated time', () => {
  const c = lab(['run', 'ticker', '--image=busybox:1.36', '--', 'sh', '-c', 'i=0; while true; do echo "tick $(date)"; sleep 5; done']);
  try {
    const log = c.at(at(12)).ok(['logs', 'ticker']);
    assert.equal(log, ['tick Sat Mar  1 12:00:00 UTC 2025', 'tick Sat Mar  1 12:00:05 UTC 2025', 'tick Sat Mar  1 12:00:10 UTC 2025', ''].join('\n'));
    assert.equal(c.row('ticker', 3600), 'ticker 1/1 Running 0 60m');
    assert.equal(c.ok(['logs', 'ticker', '--tail=1']), 'tick Sat Mar  1 12:59:55 UTC 2025\n');
  } finally {
    c.cleanup();
  }
});

const INIT_POD = (initCmd) => `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
  - name: first
    image: busybox:1.36
    command: ["sh", "-c", "sleep 5"]
  - name: second
    image: busybox:1.36
    command: ["sh", "-c", "${initCmd}"]
  containers:
  - name: web
    image: nginx:1.27
`;

test('init containers run one by one, then the app: Init:0/2, Init:1/2, PodInitializing, Running', () => {
  const c = lab({ args: ['apply', '-f', '-'], input: INIT_POD('sleep 5') });
  try {
    assert.equal(c.row('app', 0), 'app 0/1 Init:0/2 0 0s');
    assert.equal(c.row('app', 6), 'app 0/1 Init:1/2 0 6s');
    assert.equal(c.row('app', 11), 'app 0/1 PodInitializing 0 11s');
    assert.equal(c.row('app', 15), 'app 1/1 Running 0 15s');
    const d = c.ok(['describe', 'pod', 'app']);
    assert.match(d, /Init Containers:\n  first:\n[\s\S]*?    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n/);
  } finally {
    c.cleanup();
  }
});

test('a failing init container: Init:Error, then Init:CrashLoopBackOff; the app never starts', () => {
  const c = lab({ args: ['apply', '-f', '-'], input: INIT_POD('exit 3') });
  try {
    assert.equal(c.row('app', 6), 'app 0/1 Init:Error 0 6s');
    assert.equal(c.row('app', 9), 'app 0/1 Init:CrashLoopBackOff 1 (3s ago) 9s');
    assert.equal(c.field('app', 9, '{.status.containerStatuses[0].state.waiting.reason}'), 'PodInitializing');
    const cond = c.field('app', 9, '{.status.conditions[?(@.type=="Initialized")].message}');
    assert.equal(cond, 'containers with incomplete status: [second]');
  } finally {
    c.cleanup();
  }
});

const LIVENESS_EXEC = `apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: ["cat", "/tmp/healthy"]
      initialDelaySeconds: 5
      periodSeconds: 5
`;

test('the docs\' liveness-exec pod: healthy for 30 s, three failed probes, killed (137 after the grace period) and restarted', () => {
  const c = lab({ args: ['apply', '-f', '-'], input: LIVENESS_EXEC });
  try {
    const early = c.at(at(25)).ok(['describe', 'pod', 'liveness-exec']);
    assert.doesNotMatch(early, /Unhealthy/);
    const d = c.at(at(45)).ok(['describe', 'pod', 'liveness-exec']);
    assert.match(d, /Warning  Unhealthy  5s \(x3 over 15s\)\s+kubelet\s+Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory\n/);
    assert.match(d, /Normal   Killing    \S+\s+kubelet\s+Container liveness failed liveness probe, will be restarted\n/);
    assert.equal(c.row('liveness-exec', 45), 'liveness-exec 1/1 Running 0 45s');
    assert.equal(c.row('liveness-exec', 72), 'liveness-exec 1/1 Running 1 (2s ago) 72s');
    assert.equal(c.field('liveness-exec', 72, '{.status.containerStatuses[0].lastState.terminated.exitCode}'), '137');
  } finally {
    c.cleanup();
  }
});

const PROBED = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe:
      httpGet: {path: PATH, port: 80}
      periodSeconds: 5
`;

test('readiness: a path nginx serves makes the pod Ready and an endpoint; a 404 keeps it out, with Unhealthy events', () => {
  for (const [path, ready] of [['/', true], ['/ready', false]]) {
    const c = lab({ args: ['apply', '-f', '-'], input: PROBED.replace('PATH', path) }, ['expose', 'pod', 'web', '--port=80']);
    try {
      assert.equal(c.row('web', 10), `web ${ready ? '1/1' : '0/1'} Running 0 10s`);
      const ep = c.ok(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}{"|"}{.subsets[*].notReadyAddresses[*].ip}']);
      const podIP = c.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
      assert.equal(ep, ready ? `${podIP}|` : `|${podIP}`);
      const d = c.ok(['describe', 'pod', 'web']);
      if (ready) assert.doesNotMatch(d, /Unhealthy/);
      else {
        assert.match(d, /Warning  Unhealthy  2s \(x2 over 7s\)\s+kubelet\s+Readiness probe failed: HTTP probe failed with statuscode: 404\n/);
        assert.match(d, /  Ready                       False \n/);
      }
    } finally {
      c.cleanup();
    }
  }
});

test('graceful deletion: Terminating for the grace period, a terminating endpoint, SIGKILL for a shell that ignores SIGTERM', () => {
  const c = lab(['create', 'deployment', 'web', '--image=busybox:1.36', '--replicas=1', '--', 'sleep', '3600'], ['expose', 'deployment', 'web', '--port=80']);
  try {
    const pod = c.at(at(5)).ok(['get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}']);
    const ip = c.ok(['get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']);
    assert.equal(c.at(at(10)).ok(['delete', 'pod', pod]), `pod "${pod}" deleted\n`);
    assert.equal(c.row(pod, 10), `${pod} 1/1 Terminating 0 10s`);
    const d = c.ok(['describe', 'pod', pod]);
    assert.match(d, /Status:                    Terminating \(lasts <invalid>\)\nTermination Grace Period:  30s\n/);
    const slice = JSON.parse(c.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'])).items[0];
    const mine = slice.endpoints.find((e) => e.addresses[0] === ip);
    assert.deepEqual(mine.conditions, { ready: false, serving: true, terminating: true });
    // the replacement does not take the address the terminating pod still holds
    const others = JSON.parse(c.ok(['get', 'pods', '-o', 'json'])).items.filter((p) => p.metadata.name !== pod);
    assert.equal(others.length, 1);
    assert.notEqual(others[0].status.podIP, ip);
    assert.equal(c.row(pod, 39), `${pod} 1/1 Terminating 0 39s`);
    const gone = c.at(at(41)).run(['get', 'pod', pod]);
    assert.equal(gone.stderr, `Error from server (NotFound): pods "${pod}" not found\n`);
  } finally {
    c.cleanup();
  }
});

test('delete flags: --grace-period, --now, --force with kubectl\'s warning; nginx stops at once on its stop signal', () => {
  const c = lab(
    ['run', 'a', '--image=busybox:1.36', '--', 'sleep', '3600'],
    ['run', 'b', '--image=busybox:1.36', '--', 'sleep', '3600'],
    ['run', 'c', '--image=busybox:1.36', '--', 'sleep', '3600'],
    ['run', 'n', '--image=nginx:1.27'],
  );
  try {
    c.at(at(10));
    assert.equal(c.ok(['delete', 'pod', 'a', '--grace-period=5']), 'pod "a" deleted\n');
    assert.equal(c.ok(['delete', 'pod', 'b', '--now']), 'pod "b" deleted\n');
    const f = c.run(['delete', 'pod', 'c', '--force']);
    assert.equal(f.stdout, 'pod "c" force deleted\n');
    assert.equal(f.stderr, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    assert.equal(c.ok(['delete', 'pod', 'n']), 'pod "n" deleted\n');
    const names = (s) => c.at(at(s)).ok(['get', 'pods', '-o', 'name']).trim().split('\n').filter(Boolean);
    assert.deepEqual(names(10), ['pod/a', 'pod/b', 'pod/n']);
    assert.deepEqual(names(11), ['pod/a', 'pod/b']);
    assert.deepEqual(names(12), ['pod/a']);
    assert.deepEqual(names(15), []);
    const bad = c.run(['delete', 'pod', 'x', '--now', '--grace-period=3']);
    assert.equal(bad.stderr, 'error: --now and --grace-period cannot be specified together\n');
  } finally {
    c.cleanup();
  }
});

test('a pending pod and a finished pod go at once; a terminating pod\'s later delete only shortens its grace', () => {
  const c = lab(['run', 'done', '--image=busybox:1.36', '--restart=Never', '--', 'true'], ['run', 'slow', '--image=busybox:1.36', '--', 'sleep', '3600']);
  try {
    c.at(at(5));
    c.ok(['delete', 'pod', 'done']);
    assert.equal(c.run(['get', 'pod', 'done']).code, 1);
    c.ok(['delete', 'pod', 'slow']);
    const first = c.ok(['get', 'pod', 'slow', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
    assert.equal(first, at(35));
    c.ok(['delete', 'pod', 'slow', '--grace-period=2']);
    assert.equal(c.ok(['get', 'pod', 'slow', '-o', 'jsonpath={.metadata.deletionTimestamp}']), at(7));
    assert.equal(c.at(at(8)).run(['get', 'pod', 'slow']).code, 1);
  } finally {
    c.cleanup();
  }
});

test('a failed command changes nothing, even after simulated time passed: the cluster catches up only on a command that succeeds or reads', () => {
  const c = lab(['run', 'bb', '--image=busybox:1.36', '--restart=Never', '--', 'echo', 'hi']);
  try {
    const r = c.at(at(0)).run(['delete', 'pod', 'nosuch']);
    assert.equal(r.code, 1);
    assert.equal(c.row('bb', 0), 'bb 0/1 ContainerCreating 0 0s');
  } finally {
    c.cleanup();
  }
});

const STARTUP_TCP = `apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  containers:
  - name: redis
    image: redis:7.4
    startupProbe:
      tcpSocket: {port: 6379}
      periodSeconds: 5
    livenessProbe:
      tcpSocket: {port: 6380}
      periodSeconds: 5
      failureThreshold: 2
`;

test('a startup probe holds liveness back until it passes; a tcpSocket probe to a closed port fails as Go\'s dialer says', () => {
  const c = lab({ args: ['apply', '-f', '-'], input: STARTUP_TCP });
  try {
    // redis pulls in about 2.2 s: the startup probe passes at once, then liveness (port 6380) fails twice
    assert.equal(c.row('slow', 5), 'slow 1/1 Running 0 5s');
    const ip = c.ok(['get', 'pod', 'slow', '-o', 'jsonpath={.status.podIP}']);
    const d = c.at(at(20)).ok(['describe', 'pod', 'slow']);
    assert.match(d, /    Startup:        tcp-socket :6379 delay=0s timeout=1s period=5s #success=1 #failure=3\n/);
    assert.match(d, new RegExp(`Warning  Unhealthy  \\S+ \\(x\\d+ over \\S+\\)\\s+kubelet\\s+Liveness probe failed: dial tcp ${ip.replace(/\./g, '\\.')}:6380: connect: connection refused\\n`));
    assert.match(d, /Normal   Killing    \S+(?: \(x\d+ over \S+\))?\s+kubelet\s+Container redis failed liveness probe, will be restarted\n/);
    assert.doesNotMatch(d, /Startup probe failed/);
  } finally {
    c.cleanup();
  }
});

const PRESTOP = `apiVersion: v1
kind: Pod
metadata:
  name: drain
spec:
  terminationGracePeriodSeconds: 60
  containers:
  - name: nginx
    image: nginx:1.27
    lifecycle:
      preStop:
        exec:
          command: ["sh", "-c", "sleep 20"]
`;

test('preStop runs first and takes its time out of the grace period; then nginx stops on its signal', () => {
  const c = lab({ args: ['apply', '-f', '-'], input: PRESTOP });
  try {
    c.at(at(10)).ok(['delete', 'pod', 'drain']);
    assert.equal(c.row('drain', 29), 'drain 1/1 Terminating 0 29s');
    assert.equal(c.at(at(31)).run(['get', 'pod', 'drain']).code, 1);
  } finally {
    c.cleanup();
  }
});
