// securityContext's effects in the pod shell, table-driven: each row is a pod's securityContext (pod
// and container level), a command, and what busybox or coreutils print for it. The expected texts
// are those of busybox 1.36 (libbb/id.c, coreutils/whoami.c, touch.c, ash's "can't create") and
// coreutils 9.1 (Debian bookworm), with containerd's user and groups (the Kubernetes task "Configure
// a Security Context for a Pod or Container" shows the same id and ls -l), and the kubelet's
// verifyRunAsNonRoot (pkg/kubelet/kuberuntime/security_context_others.go).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'secctx', init: [], now: '2025-03-01T11:59:00Z' });
after(() => c.cleanup());

/** A pod manifest: a pod securityContext, one container with its own, an emptyDir at /data/demo. */
function pod(name, { image = 'busybox:1.36', podSc, sc, command = ['sh', '-c', 'sleep 1h'] } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...(podSc ? { securityContext: podSc } : {}),
      volumes: [{ name: 'v', emptyDir: {} }],
      containers: [{ name: 'c', image, ...(command ? { command } : {}), volumeMounts: [{ name: 'v', mountPath: '/data/demo' }], ...(sc ? { securityContext: sc } : {}) }],
    },
  };
}

const PODS = [
  // the task page's security-context.yaml (with supplementalGroups, as its current version has)
  pod('docs', { podSc: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] }, sc: { allowPrivilegeEscalation: false } }),
  pod('override', { podSc: { runAsUser: 1000 }, sc: { runAsUser: 2000 } }),
  pod('root', {}),
  pod('deb', { image: 'nginx:1.27', command: ['sleep', '3600'], podSc: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 } }),
  pod('debnginx', { image: 'nginx:1.27', command: ['sleep', '3600'], sc: { runAsUser: 101 } }),
  pod('unpriv', { image: 'nginxinc/nginx-unprivileged:1.27', command: null, podSc: { runAsNonRoot: true } }),
  pod('ro', { sc: { readOnlyRootFilesystem: true } }),
  pod('rodeb', { image: 'nginx:1.27', command: ['sleep', '3600'], sc: { readOnlyRootFilesystem: true } }),
  pod('caps', { sc: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }),
  pod('priv', { sc: { privileged: true } }),
  pod('seccomp', { podSc: { seccompProfile: { type: 'RuntimeDefault' } } }),
  pod('nonroot-nginx', { image: 'nginx:1.27', command: null, podSc: { runAsNonRoot: true } }),
  pod('nonroot-curl', { image: 'curlimages/curl:8.11.1', command: ['sleep', '3600'], sc: { runAsNonRoot: true } }),
  pod('nonroot-zero', { sc: { runAsNonRoot: true, runAsUser: 0 } }),
  pod('nonroot-ok', { podSc: { runAsNonRoot: true, runAsUser: 1000 } }),
];
// nginx under a read-only root or a non-root user: its temp paths and pid file need volumes
const nginx = (name, sc, mounts = []) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    ...(sc.runAsUser ? { securityContext: { runAsUser: sc.runAsUser } } : {}),
    volumes: mounts.map((m, i) => ({ name: `v${i}`, emptyDir: {} })),
    containers: [{ name: 'c', image: 'nginx:1.27', ...(sc.readOnlyRootFilesystem ? { securityContext: { readOnlyRootFilesystem: true } } : {}), volumeMounts: mounts.map((m, i) => ({ name: `v${i}`, mountPath: m })) }],
  },
});
PODS.push(
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site' }, data: { color: 'blue' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fgcm' }, spec: { securityContext: { fsGroup: 2000 }, volumes: [{ name: 'cm', configMap: { name: 'site' } }], containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], volumeMounts: [{ name: 'cm', mountPath: '/etc/site' }] }] } },
  nginx('ng-ro', { readOnlyRootFilesystem: true }),
  nginx('ng-ro-cache', { readOnlyRootFilesystem: true }, ['/var/cache/nginx']),
  nginx('ng-ro-ok', { readOnlyRootFilesystem: true }, ['/var/cache/nginx', '/var/run']),
  nginx('ng-user', { runAsUser: 1000 }),
);
c.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: PODS }) });
c.at('2025-03-01T12:00:00Z');

/** a string runs in `sh -c`, an array is exec's argv */
const sh = (p, cmd) => c.run(['exec', p, '--', ...(Array.isArray(cmd) ? cmd : ['sh', '-c', cmd])]);
const T = 'Mar  1 12:00';
const fail = (stderr, code = 1) => ({ stdout: '', stderr: `${stderr}command terminated with exit code ${code}\n`, code });
const out = (stdout) => ({ stdout, stderr: '', code: 0 });

/** [what, pod, shell command, expected {stdout, stderr, code}] */
const ROWS = [
  // runAsUser, runAsGroup, fsGroup, supplementalGroups: busybox id lists the kernel's sorted groups
  ['runAsUser/runAsGroup/fsGroup/supplementalGroups: busybox id', 'docs', 'id', out('uid=1000 gid=3000 groups=2000,3000,4000\n')],
  ['fsGroup: the emptyDir is group 2000, setgid, rwx for all', 'docs', 'ls -l /data', out(`drwxrwsrwx    2 root     2000          4096 ${T} demo\n`)],
  ['fsGroup: a file the user makes in the volume is 1000:2000', 'docs', 'cd /data/demo && echo hello > testfile && ls -l', out(`-rw-r--r--    1 1000     2000             6 ${T} testfile\n`)],
  ['outside the volume a new file has the user\'s own group', 'docs', 'touch /tmp/f && ls -l /tmp/f && stat -c "%u:%g %U:%G %A" /tmp/f', out(`-rw-r--r--    1 1000     3000             0 ${T} /tmp/f\n1000:3000 1000:3000 -rw-r--r--\n`)],
  ['whoami: busybox has no name for uid 1000', 'docs', 'whoami', fail('whoami: unknown uid 1000\n')],
  ['a non-root user cannot write in /: touch', 'docs', 'touch /x', fail('touch: /x: Permission denied\n')],
  ['a non-root user cannot write in /: a redirect', 'docs', 'echo hi > /etc/x', fail("sh: can't create /etc/x: Permission denied\n")],
  ['a non-root user cannot mkdir in /', 'docs', 'mkdir /d', fail("mkdir: can't create directory '/d': Permission denied\n")],
  ["a non-root user cannot read root's files", 'docs', 'cat /etc/shadow; ls /root', fail("cat: can't open '/etc/shadow': Permission denied\nls: can't open '/root': Permission denied\n")],
  ['allowPrivilegeEscalation: false sets no_new_privs; a non-root user has no effective capabilities', 'docs', 'grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status', out('CapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\n')],
  ['HOME: runc takes it from /etc/passwd, "/" for a user it does not know', 'docs', 'echo $HOME', out('/\n')],
  ['ps shows the user by number', 'docs', ['ps'], out('PID   USER     TIME  COMMAND\n    1 1000      0:00 sh -c sleep 1h\n    7 1000      0:00 ps\n')],
  ['fsGroup on a configMap volume: its directories setgid, everything group 2000', 'fgcm', 'ls -ld /etc/site; ls -l /etc/site /etc/site/..data/', out(`drwxrwsrwx    2 root     2000          4096 ${T} /etc/site\n/etc/site:\nlrwxrwxrwx    1 root     2000            12 ${T} color -> ..data/color\n\n/etc/site/..data/:\n-rw-r--r--    1 root     2000             4 ${T} color\n`)],
  // the container's fields win over the pod's; no runAsGroup and no passwd entry: group 0
  ['the container\'s runAsUser overrides the pod\'s', 'override', 'id', out('uid=2000 gid=0(root) groups=0(root)\n')],
  // defaults: the image's user
  ['busybox runs as root (also in wheel)', 'root', 'id; whoami; echo $HOME', out('uid=0(root) gid=0(root) groups=0(root),10(wheel)\nroot\n/root\n')],
  ['root may write anywhere; its files are root:root', 'root', 'touch /x && ls -l /x', out(`-rw-r--r--    1 root     root             0 ${T} /x\n`)],
  ['root has containerd\'s default capabilities; escalation allowed', 'root', 'grep -E "^(CapEff|NoNewPrivs)" /proc/1/status', out('CapEff:\t00000000a80425fb\nNoNewPrivs:\t0\n')],
  ['coreutils id: the primary group first', 'deb', 'id', out('uid=1000 gid=3000 groups=3000,2000\n')],
  ['coreutils whoami without a passwd entry', 'deb', 'whoami', fail('whoami: cannot find name for user ID 1000\n')],
  ['coreutils touch: Permission denied', 'deb', 'touch /x', fail("touch: cannot touch '/x': Permission denied\n")],
  ["coreutils: root's files closed", 'deb', 'cat /etc/shadow; ls /root', fail("cat: /etc/shadow: Permission denied\nls: cannot open directory '/root': Permission denied\n", 2)],
  ['coreutils ls -l in the fsGroup volume', 'deb', 'cd /data/demo && touch a && ls -l', out(`total 0\n-rw-r--r-- 1 1000 2000 0 ${T} a\n`)],
  ['runAsUser 101 in nginx: the nginx user of its passwd, its home', 'debnginx', 'id; whoami; echo $HOME', out('uid=101(nginx) gid=101(nginx) groups=101(nginx)\nnginx\n/nonexistent\n')],
  ['nginx-unprivileged runs as 101 by itself (runAsNonRoot passes)', 'unpriv', 'id; whoami', out('uid=101(nginx) gid=101(nginx) groups=101(nginx)\nnginx\n')],
  // readOnlyRootFilesystem: writes outside the volumes fail, the volumes stay writable
  ['readOnlyRootFilesystem: busybox touch', 'ro', 'touch /x', fail('touch: /x: Read-only file system\n')],
  ['readOnlyRootFilesystem: a redirect, even in /tmp', 'ro', 'echo hi > /tmp/x', fail("sh: can't create /tmp/x: Read-only file system\n")],
  ['readOnlyRootFilesystem: mkdir', 'ro', 'mkdir /tmp/d', fail("mkdir: can't create directory '/tmp/d': Read-only file system\n")],
  ['readOnlyRootFilesystem: rm of an image file', 'ro', 'rm /etc/passwd', fail("rm: can't remove '/etc/passwd': Read-only file system\n")],
  ['readOnlyRootFilesystem: the emptyDir is writable', 'ro', 'echo ok > /data/demo/f && cat /data/demo/f', out('ok\n')],
  ['readOnlyRootFilesystem: coreutils and dash', 'rodeb', 'touch /x; echo > /y', fail("touch: cannot touch '/x': Read-only file system\nsh: 1: cannot create /y: Read-only file system\n")],
  // capabilities
  ['capabilities: drop ALL, add NET_BIND_SERVICE', 'caps', 'grep ^Cap /proc/self/status', out('CapInh:\t0000000000000000\nCapPrm:\t0000000000000400\nCapEff:\t0000000000000400\nCapBnd:\t0000000000000400\nCapAmb:\t0000000000000000\n')],
  ['seccompProfile RuntimeDefault: a filter; the default is Unconfined', 'seccomp', 'grep ^Seccomp /proc/self/status', out('Seccomp:\t2\nSeccomp_filters:\t1\n')],
  ['no seccompProfile: Unconfined', 'root', 'grep ^Seccomp /proc/self/status', out('Seccomp:\t0\nSeccomp_filters:\t0\n')],
  ['privileged: every capability', 'priv', 'grep -E "^(CapEff|CapBnd)" /proc/self/status', out('CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n')],
];

for (const [what, p, cmd, want] of ROWS) {
  test(`${what} (${p}: ${cmd})`, () => {
    assert.deepEqual(sh(p, cmd), want);
  });
}

test('runAsNonRoot: the kubelet refuses root images with CreateContainerConfigError (its exact messages)', () => {
  const uidOf = (p) => c.ok(['get', 'pod', p, '-o', 'jsonpath={.metadata.uid}']);
  const state = (p) => JSON.parse(c.ok(['get', 'pod', p, '-o', 'jsonpath={.status.containerStatuses[0].state}']));
  const cases = [
    ['nonroot-nginx', 'container has runAsNonRoot and image will run as root (pod: "nonroot-nginx_default(%s)", container: c)'],
    ['nonroot-curl', 'container has runAsNonRoot and image has non-numeric user (curl_user), cannot verify user is non-root (pod: "nonroot-curl_default(%s)", container: c)'],
    ['nonroot-zero', 'container\'s runAsUser breaks non-root policy (pod: "nonroot-zero_default(%s)", container: c)'],
  ];
  for (const [p, msg] of cases) {
    const message = msg.replace('%s', uidOf(p));
    assert.deepEqual(state(p), { waiting: { message, reason: 'CreateContainerConfigError' } }, p);
    assert.match(c.ok(['get', 'pod', p]), new RegExp(`^NAME .*\n${p} +0/1 +CreateContainerConfigError +0 `));
    const ev = c.ok(['get', 'events', '--field-selector', `involvedObject.name=${p},reason=Failed`, '-o', 'jsonpath={.items[0].message}']);
    assert.equal(ev, `Error: ${message}`);
  }
  for (const p of ['nonroot-ok', 'unpriv']) assert.deepEqual(Object.keys(state(p)), ['running'], p);
});

test("nginx cannot start on a read-only root or as a non-root user until volumes hold its temp paths and pid file", () => {
  const t = '2025/03/01 11:59:34';
  const IPV6_RO = '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)';
  const cases = [
    ['ng-ro', 'CrashLoopBackOff', [IPV6_RO], [`${t} [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)`, 'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)']],
    ['ng-ro-cache', 'CrashLoopBackOff', [IPV6_RO], [`${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`, `${t} [emerg] 1#1: open() "/var/run/nginx.pid" failed (30: Read-only file system)`, 'nginx: [emerg] open() "/var/run/nginx.pid" failed (30: Read-only file system)']],
    ['ng-user', 'CrashLoopBackOff', [IPV6_RO], [
      `${t} [warn] 1#1: the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2`,
      'nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2',
      `${t} [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)`,
      'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)',
    ]],
  ];
  for (const [p, status, has, tail] of cases) {
    assert.match(c.ok(['get', 'pod', p]), new RegExp(`\n${p} +0/1 +${status} `), p);
    const log = c.ok(['logs', p]).split('\n').filter(Boolean);
    for (const l of has) assert.ok(log.includes(l), `${p}: ${l}`);
    assert.deepEqual(log.slice(-tail.length), tail, p);
  }
  assert.match(c.ok(['get', 'pod', 'ng-ro-ok']), /\nng-ro-ok +1\/1 +Running +0 /);
  assert.match(c.ok(['logs', 'ng-ro-ok']), /can not modify .*\n(.|\n)*start worker process 30\n$/);
});

test('the apiserver checks the user and group IDs (IsValidUserID, IsValidGroupID in pkg/apis/core/validation)', () => {
  const bad = pod('bad', { podSc: { runAsUser: -1, fsGroup: 2147483648, supplementalGroups: [1, -2] }, sc: { runAsGroup: -3 } });
  const r = c.run(['apply', '-f', '-'], { input: JSON.stringify(bad) });
  const range = 'must be between 0 and 2147483647, inclusive';
  assert.deepEqual(r, {
    stdout: '',
    stderr: `The Pod "bad" is invalid: \n* spec.containers[0].securityContext.runAsGroup: Invalid value: -3: ${range}\n* spec.securityContext.fsGroup: Invalid value: 2147483648: ${range}\n* spec.securityContext.runAsUser: Invalid value: -1: ${range}\n* spec.securityContext.supplementalGroups[1]: Invalid value: -2: ${range}\n`,
    code: 1,
  });
});

// ValidateSecurityContext (pkg/apis/core/validation/validation.go, 1.32): allowPrivilegeEscalation
// false cannot go with privileged or with the capability string "CAP_SYS_ADMIN"; the value is the
// internal core.SecurityContext as %#v prints it (field.Error.ErrorBody), pointers as addresses.
const scGo = (set) =>
  'core.SecurityContext{' +
  [
    ['Capabilities', 'core.Capabilities', 0x2a0],
    ['Privileged', 'bool', 0x2a8],
    ['SELinuxOptions', 'core.SELinuxOptions', 0x2b0],
    ['WindowsOptions', 'core.WindowsSecurityContextOptions', 0x2b8],
    ['RunAsUser', 'int64', 0x2c0],
    ['RunAsGroup', 'int64', 0x2c8],
    ['RunAsNonRoot', 'bool', 0x2d0],
    ['ReadOnlyRootFilesystem', 'bool', 0x2d8],
    ['AllowPrivilegeEscalation', 'bool', 0x2e0],
    ['ProcMount', 'core.ProcMountType', 0x2e8],
    ['SeccompProfile', 'core.SeccompProfile', 0x2f0],
    ['AppArmorProfile', 'core.AppArmorProfile', 0x2f8],
  ]
    .map(([f, t, a]) => `${f}:(*${t})(${set.includes(f) ? `0xc000a1c${a.toString(16)}` : 'nil'})`)
    .join(', ') +
  '}';
const PRIV = 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true';
const SYSADMIN = 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN';
/** [what, container securityContext, init container?, the errors (field, set fields, detail) or none] */
const NNP_ROWS = [
  ['privileged with allowPrivilegeEscalation false', { privileged: true, allowPrivilegeEscalation: false }, false, [['spec.containers[0].securityContext', ['Privileged', 'AllowPrivilegeEscalation'], PRIV]]],
  ['CAP_SYS_ADMIN added with allowPrivilegeEscalation false', { allowPrivilegeEscalation: false, runAsUser: 1000, capabilities: { add: ['NET_ADMIN', 'CAP_SYS_ADMIN'] } }, false, [['spec.containers[0].securityContext', ['Capabilities', 'RunAsUser', 'AllowPrivilegeEscalation'], SYSADMIN]]],
  ['both: two errors, in the order of the checks', { privileged: true, allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } }, false, [['spec.containers[0].securityContext', ['Capabilities', 'Privileged', 'AllowPrivilegeEscalation'], PRIV], ['spec.containers[0].securityContext', ['Capabilities', 'Privileged', 'AllowPrivilegeEscalation'], SYSADMIN]]],
  ['an init container is checked too', { privileged: true, allowPrivilegeEscalation: false }, true, [['spec.initContainers[0].securityContext', ['Privileged', 'AllowPrivilegeEscalation'], PRIV]]],
  ['SYS_ADMIN without the CAP_ prefix is not looked at', { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'] } }, false, []],
  ['privileged with allowPrivilegeEscalation true', { privileged: true, allowPrivilegeEscalation: true }, false, []],
  ['privileged with allowPrivilegeEscalation unset', { privileged: true, capabilities: { add: ['CAP_SYS_ADMIN'] } }, false, []],
];
test('the apiserver refuses allowPrivilegeEscalation false with privileged or CAP_SYS_ADMIN (ValidateSecurityContext), through create -f', () => {
  NNP_ROWS.forEach(([what, sc, init, errs], i) => {
    const name = `nnp${i}`;
    const ctr = { name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], securityContext: sc };
    const spec = init ? { initContainers: [ctr], containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] } : { containers: [ctr] };
    const before = c.run(['get', 'pods', '-o', 'name']).stdout;
    const r = c.run(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec }) });
    if (!errs.length) {
      assert.deepEqual(r, { stdout: `pod/${name} created\n`, stderr: '', code: 0 }, what);
      return;
    }
    const lines = errs.map(([f, set, d]) => `${f}: Invalid value: ${scGo(set)}: ${d}`);
    const stderr = lines.length === 1 ? `The Pod "${name}" is invalid: ${lines[0]}\n` : `The Pod "${name}" is invalid: \n${lines.map((l) => `* ${l}\n`).join('')}`;
    assert.deepEqual(r, { stdout: '', stderr, code: 1 }, what);
    assert.equal(c.run(['get', 'pods', '-o', 'name']).stdout, before, `${what}: nothing stored`);
  });
});

test('no_new_privs and capabilities of the pods that pass: SYS_ADMIN added under allowPrivilegeEscalation false; privileged ignores no_new_privs', () => {
  c.at('2025-03-01T12:05:00Z');
  // nnp4: SYS_ADMIN in the bounding set (bit 21), no_new_privs set; nnp5: privileged, every capability, escalation allowed
  assert.deepEqual(sh('nnp4', 'grep -E "^(CapBnd|NoNewPrivs)" /proc/self/status'), out('CapBnd:\t00000000a82425fb\nNoNewPrivs:\t1\n'));
  assert.deepEqual(sh('nnp5', 'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'), out('CapEff:\t000001ffffffffff\nNoNewPrivs:\t0\n'));
});
