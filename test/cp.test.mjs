// kubectl cp between the user's machine and the pods' simulated file systems: round trips of files
// and directories both ways, -c, binary content, a file the container's own command wrote, and the
// messages of kubectl (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go, 1.32; the argument errors
// compared live with kubectl) and of the container's tar (busybox 1.36, GNU tar 1.34), which kubectl
// prints on its standard output when copying from a pod (the TarPipe's ErrOut is o.Out).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { cluster, hasKubectl } from './helpers.mjs';
import { startServe } from './serve-helpers.mjs';

const c = cluster({ seed: 'cp', init: [], now: '2025-03-01T11:59:00Z' });
const local = mkdtempSync(join(tmpdir(), 'kubesim-cp-'));
after(() => {
  c.cleanup();
  rmSync(local, { recursive: true, force: true });
});

const mount = { volumeMounts: [{ name: 'v', mountPath: '/data' }] };
const PODS = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bb' },
    spec: {
      volumes: [{ name: 'v', emptyDir: {} }],
      containers: [
        { name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo report > /data/report.txt; echo scratch > /tmp/made.txt; sleep 1h'], ...mount },
        { name: 'web', image: 'nginx:1.27' },
      ],
    },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ro' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', command: ['sleep', '3600'], securityContext: { readOnlyRootFilesystem: true } }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'robb' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], securityContext: { readOnlyRootFilesystem: true } }] } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'user' },
    spec: { securityContext: { runAsUser: 1000, fsGroup: 2000 }, volumes: [{ name: 'v', emptyDir: {} }], containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], ...mount }] },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stuck' }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] } },
];
c.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: PODS }) });
c.at('2025-03-01T12:00:00Z');

// the local side: a file, a tree, an empty directory, bytes that are not UTF-8
const L = (...p) => join(local, ...p);
writeFileSync(L('hello.txt'), 'hello from my laptop\n');
mkdirSync(L('site', 'css'), { recursive: true });
writeFileSync(L('site', 'index.html'), '<h1>hi</h1>\n');
writeFileSync(L('site', 'css', 'main.css'), 'h1 { color: red }\n');
mkdirSync(L('empty'));
// permission bits: a 0755 script, a 0600 key, a 0666 file, an empty 0700 directory
mkdirSync(L('modes', 'private'), { recursive: true });
writeFileSync(L('modes', 'run.sh'), '#!/bin/sh\necho ran\n');
writeFileSync(L('modes', 'key'), 'secret\n');
writeFileSync(L('modes', 'open.txt'), 'anyone\n');
chmodSync(L('modes', 'run.sh'), 0o755);
chmodSync(L('modes', 'key'), 0o600);
chmodSync(L('modes', 'open.txt'), 0o666);
chmodSync(L('modes', 'private'), 0o700);
// symbolic links: to a file beside it, to a directory, and one that leads out of the tree
mkdirSync(L('links', 'conf'), { recursive: true });
writeFileSync(L('links', 'conf', 'app.yaml'), 'port: 8080\n');
symlinkSync('conf/app.yaml', L('links', 'current.yaml'));
symlinkSync('conf', L('links', 'etc'));
symlinkSync('../../etc/hostname', L('links', 'out'));
const BYTES = Buffer.from(Array.from({ length: 512 }, (_x, i) => (i * 37 + 11) % 256));
writeFileSync(L('blob.bin'), BYTES);

const cp = (...args) => c.run(['cp', ...args]);
/** busybox ls -l's lines as "MODE NAME" (the owner is the local user's: it depends on who runs the tests) */
const modeAndName = (out) => out.split('\n').filter(Boolean).map((l) => l.replace(/^(\S+)(?:\s+\S+){7}\s/, '$1 '));
const exec = (...args) => c.run(['exec', ...args]);
const DEFAULTED = 'Defaulted container "c" out of: c, web\n';
/** the files under a local directory, with their contents */
const tree = (dir) =>
  readdirSync(dir, { recursive: true })
    .sort()
    .map((n) => (statSync(join(dir, n)).isDirectory() ? `${n}/` : `${n}: ${readFileSync(join(dir, n), 'utf8')}`));

test('a file to the pod and back: the shell sees it, the copy is the same; an existing directory receives it by name', () => {
  assert.deepEqual(cp(L('hello.txt'), 'bb:/nope-dir/x'), { stdout: '', stderr: `${DEFAULTED}tar: can't change directory to '/nope-dir': No such file or directory\ncommand terminated with exit code 1\n`, code: 1 });
  assert.deepEqual(cp(L('hello.txt'), 'bb:/tmp/hello.txt'), { stdout: '', stderr: DEFAULTED, code: 0 });
  assert.equal(exec('bb', '--', 'cat', '/tmp/hello.txt').stdout, 'hello from my laptop\n');
  // the destination is a directory: the file goes into it under its own name
  assert.equal(cp(L('hello.txt'), 'bb:/data').code, 0);
  assert.equal(exec('bb', '--', 'ls', '/data').stdout, 'hello.txt\nreport.txt\n');
  assert.deepEqual(cp('bb:/tmp/hello.txt', L('back.txt')), { stdout: `${DEFAULTED}tar: removing leading '/' from member names\n`, stderr: '', code: 0 });
  assert.equal(readFileSync(L('back.txt'), 'utf8'), 'hello from my laptop\n');
  // a relative path in the pod is relative to its working directory: no leading "/" to remove
  assert.deepEqual(cp('bb:tmp/hello.txt', L('rel.txt'), '-c', 'c'), { stdout: '', stderr: '', code: 0 });
  assert.equal(readFileSync(L('rel.txt'), 'utf8'), 'hello from my laptop\n');
});

test('a directory to the pod and back, as tar does it (an empty directory too)', () => {
  assert.equal(cp(L('site'), 'bb:/tmp/www', '-c', 'c').code, 0);
  assert.equal(exec('bb', '-c', 'c', '--', 'sh', '-c', 'ls /tmp/www /tmp/www/css; cat /tmp/www/css/main.css').stdout, '/tmp/www:\ncss\nindex.html\n\n/tmp/www/css:\nmain.css\nh1 { color: red }\n');
  // into an existing directory: under the source's name
  assert.equal(cp(L('site'), 'bb:/tmp/www', '-c', 'c').code, 0);
  assert.equal(exec('bb', '-c', 'c', '--', 'ls', '/tmp/www/site').stdout, 'css\nindex.html\n');
  assert.equal(cp(L('empty'), 'bb:/tmp/empty', '-c', 'c').code, 0);
  assert.equal(exec('bb', '-c', 'c', '--', 'sh', '-c', 'test -d /tmp/empty && echo dir').stdout, 'dir\n');
  assert.deepEqual(cp('bb:/tmp/www', L('www'), '-c', 'c'), { stdout: "tar: removing leading '/' from member names\n", stderr: '', code: 0 });
  assert.deepEqual(tree(L('www')), ['css/', 'css/main.css: h1 { color: red }\n', 'index.html: <h1>hi</h1>\n', 'site/', 'site/css/', 'site/css/main.css: h1 { color: red }\n', 'site/index.html: <h1>hi</h1>\n']);
});

test('tar in the pod shell: exec … tar cf - DIR | exec -i … tar xf - -C DIR, tar tf -, test -d', () => {
  const archive = exec('bb', '-c', 'c', '--', 'tar', 'cf', '-', '/tmp/www');
  assert.equal(archive.stderr, "tar: removing leading '/' from member names\n");
  assert.equal(c.run(['exec', '-i', 'bb', '-c', 'web', '--', 'tar', 'tf', '-'], { input: archive.stdout }).stdout, 'tmp/www/\ntmp/www/css/\ntmp/www/css/main.css\ntmp/www/index.html\ntmp/www/site/\ntmp/www/site/css/\ntmp/www/site/css/main.css\ntmp/www/site/index.html\n');
  assert.deepEqual(c.run(['exec', '-i', 'bb', '-c', 'web', '--', 'tar', 'xf', '-', '-C', '/tmp'], { input: archive.stdout }), { stdout: '', stderr: '', code: 0 });
  assert.equal(exec('bb', '-c', 'web', '--', 'cat', '/tmp/tmp/www/css/main.css').stdout, 'h1 { color: red }\n');
  assert.equal(exec('bb', '-c', 'c', '--', 'test', '-d', '/tmp/www').code, 0);
  assert.equal(exec('bb', '-c', 'c', '--', 'test', '-d', '/tmp/nope').code, 1);
});

test('binary content is preserved both ways (emptyDir and the writable layer)', () => {
  for (const dest of ['/data/blob.bin', '/tmp/blob.bin']) {
    assert.equal(cp(L('blob.bin'), `bb:${dest}`, '-c', 'c').code, 0, dest);
    const out = L(`out${dest.replace(/\//g, '_')}`);
    assert.equal(cp(`bb:${dest}`, out, '-c', 'c').code, 0, dest);
    assert.ok(readFileSync(out).equals(BYTES), dest);
  }
});

test("files the container's command wrote (a volume, its writable layer) can be copied out", () => {
  assert.deepEqual(cp('bb:/data/report.txt', L('report.txt'), '-c', 'c'), { stdout: "tar: removing leading '/' from member names\n", stderr: '', code: 0 });
  assert.equal(readFileSync(L('report.txt'), 'utf8'), 'report\n');
  assert.equal(cp('bb:/tmp/made.txt', L('made.txt'), '-c', 'c').code, 0);
  assert.equal(readFileSync(L('made.txt'), 'utf8'), 'scratch\n');
  // and a file written by exec stays in the container for the next command
  assert.equal(exec('bb', '-c', 'c', '--', 'sh', '-c', 'echo from-exec > /tmp/exec.txt').code, 0);
  assert.equal(cp('bb:/tmp/exec.txt', L('exec.txt'), '-c', 'c').code, 0);
  assert.equal(readFileSync(L('exec.txt'), 'utf8'), 'from-exec\n');
});

test('-c picks the container (each has its own file system); -n and namespace/pod:path pick the namespace', () => {
  assert.deepEqual(cp(L('hello.txt'), 'bb:/usr/share/nginx/html/hello.txt', '-c', 'web'), { stdout: '', stderr: '', code: 0 });
  assert.equal(exec('bb', '-c', 'web', '--', 'cat', '/usr/share/nginx/html/hello.txt').stdout, 'hello from my laptop\n');
  assert.equal(exec('bb', '-c', 'c', '--', 'ls', '/usr/share/nginx/html/hello.txt').code, 1);
  assert.deepEqual(cp(L('hello.txt'), 'team/other:/tmp/h'), { stdout: '', stderr: '', code: 0 });
  assert.equal(exec('-n', 'team', 'other', '--', 'cat', '/tmp/h').stdout, 'hello from my laptop\n');
  assert.deepEqual(cp('-n', 'team', 'other:/tmp/h', L('h')), { stdout: "tar: removing leading '/' from member names\n", stderr: '', code: 0 });
});

test('a missing file in the pod: tar complains on standard output and kubectl exits 0 (kubernetes/kubectl#980)', () => {
  assert.deepEqual(cp('bb:/tmp/nope', L('nope'), '-c', 'c'), { stdout: 'tar: /tmp/nope: No such file or directory\n', stderr: '', code: 0 });
  assert.deepEqual(cp('bb:/tmp/nope', L('nope'), '-c', 'web'), { stdout: "tar: Removing leading `/' from member names\ntar: /tmp/nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n", stderr: '', code: 0 });
  assert.equal(existsSync(L('nope')), false);
});

test("a read-only root file system refuses tar's writes (busybox and GNU tar)", () => {
  assert.deepEqual(cp(L('hello.txt'), 'ro:/tmp/h.txt'), { stdout: '', stderr: 'tar: h.txt: Cannot open: Read-only file system\ntar: Exiting with failure status due to previous errors\ncommand terminated with exit code 2\n', code: 2 });
  assert.deepEqual(cp(L('hello.txt'), 'robb:/tmp/h.txt'), { stdout: '', stderr: "tar: can't open 'h.txt': Read-only file system\ncommand terminated with exit code 1\n", code: 1 });
});

test("ownership: tar as root keeps the archive's owner unless --no-preserve; a non-root user owns what it extracts", () => {
  const uid = process.getuid();
  const gid = process.getgid();
  assert.equal(cp(L('hello.txt'), 'bb:/tmp/kept.txt', '-c', 'c').code, 0);
  assert.equal(cp(L('hello.txt'), 'bb:/tmp/mine.txt', '-c', 'c', '--no-preserve').code, 0);
  assert.equal(exec('bb', '-c', 'c', '--', 'stat', '-c', '%u:%g %n', '/tmp/kept.txt', '/tmp/mine.txt').stdout, `${uid}:${gid} /tmp/kept.txt\n0:0 /tmp/mine.txt\n`);
  assert.equal(cp(L('hello.txt'), 'user:/data/u.txt').code, 0);
  assert.equal(exec('user', '--', 'stat', '-c', '%u:%g', '/data/u.txt').stdout, '1000:2000\n');
  // and a non-root user cannot write outside the world-writable places
  assert.deepEqual(cp(L('hello.txt'), 'user:/etc/h'), { stdout: '', stderr: "tar: can't open 'h': Permission denied\ncommand terminated with exit code 1\n", code: 1 });
});

test("permission bits to the pod: root's tar keeps the headers' modes (busybox and GNU tar); --no-preserve and a non-root user's tar mask them with the umask", () => {
  const modes = (pod, dir, ctr = []) => exec(pod, ...ctr, '--', 'stat', '-c', '%a %n', `${dir}/run.sh`, `${dir}/key`, `${dir}/open.txt`, `${dir}/private`).stdout;
  const kept = (dir) => `755 ${dir}/run.sh\n600 ${dir}/key\n666 ${dir}/open.txt\n700 ${dir}/private\n`;
  const masked = (dir) => `755 ${dir}/run.sh\n600 ${dir}/key\n644 ${dir}/open.txt\n700 ${dir}/private\n`;
  for (const ctr of ['c', 'web']) {
    assert.equal(cp(L('modes'), `bb:/tmp/modes-${ctr}`, '-c', ctr).code, 0, ctr);
    assert.equal(modes('bb', `/tmp/modes-${ctr}`, ['-c', ctr]), kept(`/tmp/modes-${ctr}`), ctr);
    // `tar --no-same-permissions --no-same-owner -xmf -`
    assert.equal(cp(L('modes'), `bb:/tmp/np-${ctr}`, '-c', ctr, '--no-preserve').code, 0, ctr);
    assert.equal(modes('bb', `/tmp/np-${ctr}`, ['-c', ctr]), masked(`/tmp/np-${ctr}`), ctr);
  }
  // ls -l and the shell agree: the script is executable, the key is not readable by others
  assert.deepEqual(modeAndName(exec('bb', '-c', 'c', '--', 'ls', '-l', '/tmp/modes-c').stdout), ['-rw------- key', '-rw-rw-rw- open.txt', 'drwx------ private', '-rwxr-xr-x run.sh']);
  assert.equal(exec('bb', '-c', 'c', '--', 'sh', '-c', 'cd /tmp/modes-c && test -x run.sh && echo executable; test -x open.txt || echo not-executable').stdout, 'executable\nnot-executable\n');
  // the mode decides what runs: the script by its #! line, the key not at all (execve's EACCES)
  assert.deepEqual(exec('bb', '-c', 'c', '--', '/tmp/modes-c/run.sh'), { stdout: 'ran\n', stderr: '', code: 0 });
  assert.deepEqual(exec('bb', '-c', 'c', '--', 'sh', '-c', '/tmp/modes-c/key; echo $?'), { stdout: '126\n', stderr: 'sh: /tmp/modes-c/key: Permission denied\n', code: 0 });
  assert.deepEqual(exec('bb', '-c', 'web', '--', 'sh', '-c', 'cd /tmp/modes-web && ./run.sh && ./key'), { stdout: 'ran\n', stderr: 'sh: 1: ./key: Permission denied\ncommand terminated with exit code 126\n', code: 126 });
  const direct = exec('bb', '-c', 'c', '--', '/tmp/modes-c/key');
  assert.equal(direct.code, 1);
  assert.match(direct.stderr, /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "\/tmp\/modes-c\/key": permission denied: unknown\n$/);
  // a non-root user's tar (busybox: ARCHIVE_DONT_RESTORE_PERM unless root): the umask applies
  assert.equal(cp(L('modes'), 'user:/data/modes').code, 0);
  assert.equal(modes('user', '/data/modes'), masked('/data/modes'));
});

test("permission bits from the pod: kubectl's untarAll does not look at them (os.Create 0666, os.MkdirAll 0755, less the local umask)", () => {
  const umask = process.umask();
  assert.equal(exec('bb', '-c', 'c', '--', 'chmod', '700', '/tmp/modes-c/open.txt').code, 0);
  assert.equal(exec('bb', '-c', 'c', '--', 'stat', '-c', '%a', '/tmp/modes-c/open.txt').stdout, '700\n');
  assert.equal(cp('bb:/tmp/modes-c', L('modes-back'), '-c', 'c').code, 0);
  const mode = (...p) => statSync(L('modes-back', ...p)).mode & 0o7777;
  for (const f of ['run.sh', 'key', 'open.txt']) assert.equal(mode(f), 0o666 & ~umask, f);
  assert.equal(mode('private'), 0o755 & ~umask);
  assert.equal(readFileSync(L('modes-back', 'run.sh'), 'utf8'), '#!/bin/sh\necho ran\n');
});

test("symbolic links to the pod are links there (ls -l: name -> target; cat and cd follow them); from the pod kubectl skips every one with a warning", () => {
  assert.deepEqual(cp(L('links'), 'bb:/tmp/links', '-c', 'c'), { stdout: '', stderr: '', code: 0 });
  // the link out of the tree is the pod's /etc/hostname: tar -x keeps a link as it is
  assert.equal(exec('bb', '-c', 'c', '--', 'sh', '-c', 'cd /tmp/links && cat current.yaml etc/app.yaml && readlink out && cat out && test -L etc && echo link').stdout, 'port: 8080\nport: 8080\n../../etc/hostname\nbb\nlink\n');
  assert.deepEqual(modeAndName(exec('bb', '-c', 'c', '--', 'ls', '-l', '/tmp/links').stdout), ['drwxr-xr-x conf', 'lrwxrwxrwx current.yaml -> conf/app.yaml', 'lrwxrwxrwx etc -> conf', 'lrwxrwxrwx out -> ../../etc/hostname']);
  // GNU tar and coreutils in the other container
  assert.equal(cp(L('links'), 'bb:/tmp/links', '-c', 'web').code, 0);
  assert.equal(exec('bb', '-c', 'web', '--', 'sh', '-c', 'stat -c "%F %N" /tmp/links/current.yaml; cat /tmp/links/etc/app.yaml').stdout, "symbolic link '/tmp/links/current.yaml' -> 'conf/app.yaml'\nport: 8080\n");
  // back: untarAll makes no link at all, in the tree or out of it (CVE-2019-11246's successors)
  const dest = L('links-back');
  assert.deepEqual(cp('bb:/tmp/links', dest, '-c', 'c'), {
    stdout: "tar: removing leading '/' from member names\n",
    stderr:
      `warning: skipping symlink: ${JSON.stringify(join(dest, 'current.yaml'))} -> "conf/app.yaml" (consider using "kubectl exec -n "" "bb" -- tar cf - "/tmp/links" | tar xf -")\n` +
      `warning: skipping symlink: ${JSON.stringify(join(dest, 'etc'))} -> "conf"\n` +
      `warning: skipping symlink: ${JSON.stringify(join(dest, 'out'))} -> "../../etc/hostname"\n`,
    code: 0,
  });
  assert.deepEqual(tree(dest), ['conf/', 'conf/app.yaml: port: 8080\n']);
  assert.equal(existsSync(join(dest, 'out')), false);
  // a link copied by name: skipped too, nothing written
  assert.equal(cp('bb:/tmp/links/current.yaml', L('one-link.yaml'), '-c', 'c').stderr, `warning: skipping symlink: ${JSON.stringify(L('one-link.yaml'))} -> "conf/app.yaml" (consider using "kubectl exec -n "" "bb" -- tar cf - "/tmp/links/current.yaml" | tar xf -")\n`);
  assert.equal(existsSync(L('one-link.yaml')), false);
});

test('errors: the pod, its container, tar missing from the image', () => {
  assert.deepEqual(cp(L('hello.txt'), 'ghost:/tmp/x'), { stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n', code: 1 });
  assert.deepEqual(cp('ghost:/tmp/x', L('x')), { stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n', code: 1 });
  assert.deepEqual(cp(L('hello.txt'), 'stuck:/tmp/x'), { stdout: '', stderr: 'error: unable to upgrade connection: container not found ("c")\n', code: 1 });
  assert.deepEqual(cp(L('hello.txt'), 'bb:/tmp/x', '-c', 'nope'), { stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod bb\n', code: 1 });
});

test("argument errors are kubectl's (compared live with kubectl 1.32 when it is installed)", (t) => {
  const cases = [['a'], ['a', 'b', 'c'], [':a', 'b'], ['a/b/c:d', 'e'], ['p:a', 'q:b'], ['a', 'b'], [L('hello.txt'), 'p:'], [L('missing'), 'p:/x'], ['--retries', 'x', 'a', 'p:b']];
  const want = {
    a: 'error: source and destination are required\n',
    'a b c': 'error: source and destination are required\n',
    ':a b': 'error: filespec must match the canonical format: [[namespace/]pod:]file/path\n',
    'a/b/c:d e': 'error: filespec must match the canonical format: [[namespace/]pod:]file/path\n',
    'p:a q:b': 'error: one of src or dest must be a local file specification\n',
    'a b': 'error: one of src or dest must be a remote file specification\n',
  };
  for (const args of cases) {
    const ours = cp(...args);
    assert.equal(ours.code, 1, args.join(' '));
    if (want[args.join(' ')]) assert.equal(ours.stderr, want[args.join(' ')], args.join(' '));
  }
  assert.equal(cp(L('hello.txt'), 'p:').stderr, 'error: filepath can not be empty\n');
  assert.equal(cp(L('missing'), 'p:/x').stderr, `error: ${L('missing')} doesn't exist in local filesystem\n`);
  if (!hasKubectl()) return t.skip('kubectl is not installed: compared with the texts from cp.go only');
  for (const args of cases) {
    const real = spawnSync('kubectl', ['cp', ...args, '--kubeconfig', '/dev/null'], { encoding: 'utf8' });
    assert.equal(cp(...args).stderr, real.stderr.replace(/kubectl/g, 'kubesim'), args.join(' '));
  }
});

test('the real kubectl cp through kubesim serve: its tar runs in the simulated container (text files)', async (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed');
  const s = await startServe(c);
  try {
    const k = (...args) => s.kubectl(['cp', ...args]);
    assert.deepEqual(k(L('site'), 'bb:/tmp/real', '-c', 'c'), { stdout: '', stderr: '', code: 0 });
    assert.equal(exec('bb', '-c', 'c', '--', 'cat', '/tmp/real/css/main.css').stdout, 'h1 { color: red }\n');
    // tar's note on the leading "/" arrives before the archive, so kubectl prints it (on its stdout) as in process
    assert.deepEqual(k('bb:/tmp/real', L('real'), '-c', 'c'), { stdout: "tar: removing leading '/' from member names\n", stderr: '', code: 0 });
    assert.deepEqual(tree(L('real')), ['css/', 'css/main.css: h1 { color: red }\n', 'index.html: <h1>hi</h1>\n']);
    assert.deepEqual(k('bb:/data/report.txt', L('real-report.txt'), '-c', 'c').code, 0);
    assert.equal(readFileSync(L('real-report.txt'), 'utf8'), 'report\n');
  } finally {
    await s.stop();
  }
});

test("the real kubectl cp through kubesim serve: modes kept in the pod and not back, links made in the pod and skipped back (its warnings are ours)", async (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed');
  const s = await startServe(c);
  try {
    const k = (...args) => s.kubectl(['cp', ...args]);
    assert.deepEqual(k(L('modes'), 'bb:/tmp/real-modes', '-c', 'c'), { stdout: '', stderr: '', code: 0 });
    assert.equal(exec('bb', '-c', 'c', '--', 'stat', '-c', '%a %n', '/tmp/real-modes/run.sh', '/tmp/real-modes/key', '/tmp/real-modes/open.txt', '/tmp/real-modes/private').stdout, '755 /tmp/real-modes/run.sh\n600 /tmp/real-modes/key\n666 /tmp/real-modes/open.txt\n700 /tmp/real-modes/private\n');
    assert.equal(k('bb:/tmp/real-modes', L('real-modes'), '-c', 'c').code, 0);
    const umask = process.umask();
    for (const f of ['run.sh', 'key', 'open.txt']) assert.equal(statSync(L('real-modes', f)).mode & 0o7777, 0o666 & ~umask, f);
    assert.equal(statSync(L('real-modes', 'private')).mode & 0o7777, 0o755 & ~umask);
    assert.deepEqual(k(L('links'), 'bb:/tmp/real-links', '-c', 'c'), { stdout: '', stderr: '', code: 0 });
    assert.deepEqual(modeAndName(exec('bb', '-c', 'c', '--', 'ls', '-l', '/tmp/real-links').stdout), ['drwxr-xr-x conf', 'lrwxrwxrwx current.yaml -> conf/app.yaml', 'lrwxrwxrwx etc -> conf', 'lrwxrwxrwx out -> ../../etc/hostname']);
    const real = k('bb:/tmp/real-links', L('real-links'), '-c', 'c');
    const ours = cp('bb:/tmp/real-links', L('our-links'), '-c', 'c');
    assert.equal(real.code, 0);
    assert.equal(ours.stderr, real.stderr.replaceAll(L('real-links'), L('our-links')));
    assert.deepEqual(tree(L('real-links')), tree(L('our-links')));
    // the hint names the file spec's namespace: "" without one, whatever -n says
    assert.equal(cp(L('links'), 'team/other:/tmp/links').code, 0);
    for (const args of [['-n', 'team', 'other:/tmp/links'], ['team/other:/tmp/links']]) {
      const r = k(...args, L('real-team'));
      const o = cp(...args, L('our-team'));
      assert.equal(o.stderr, r.stderr.replaceAll(L('real-team'), L('our-team')), args.join(' '));
      assert.match(o.stderr, args[0] === '-n' ? /exec -n "" "other"/ : /exec -n "team" "other"/);
    }
    assert.equal(lstatSync(L('real-links', 'conf')).isDirectory(), true);
  } finally {
    await s.stop();
  }
});

test('the real kubectl cp through kubesim serve: a binary file goes to and from the pod byte-exact, tar\'s note before the archive', async (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not installed');
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  // every byte value, then bytes that are no UTF-8 (a lone continuation byte, a truncated sequence)
  const blob = Buffer.concat([BYTES, Buffer.from([0x80, 0xff, 0xc3, 0x28, 0xe2, 0x82]), Buffer.alloc(70_000, 0xa7)]);
  writeFileSync(L('serve-blob.bin'), blob);
  const s = await startServe(c);
  try {
    const k = (...args) => s.kubectl(['cp', ...args]);
    for (const [dest, gnuOrBusybox] of [['/data/serve-blob.bin', 'c'], ['/tmp/serve-blob.bin', 'web']]) {
      assert.deepEqual(k(L('serve-blob.bin'), `bb:${dest}`, '-c', gnuOrBusybox), { stdout: '', stderr: '', code: 0 }, dest);
      // what arrived in the pod, read back in process (no stream involved)
      const inPod = L(`inpod-${gnuOrBusybox}.bin`);
      assert.equal(cp(`bb:${dest}`, inPod, '-c', gnuOrBusybox).code, 0);
      assert.equal(sha(readFileSync(inPod)), sha(blob), `to ${dest}`);
      // and back through serve: tar's note about the leading "/" is on kubectl's stdout, as in process
      const back = L(`back-${gnuOrBusybox}.bin`);
      const r = k(`bb:${dest}`, back, '-c', gnuOrBusybox);
      assert.deepEqual(r, { stdout: cp(`bb:${dest}`, L('again.bin'), '-c', gnuOrBusybox).stdout, stderr: '', code: 0 }, `from ${dest}`);
      assert.match(r.stdout, /^tar: [Rr]emoving leading/);
      assert.equal(sha(readFileSync(back)), sha(blob), `from ${dest}`);
    }
  } finally {
    await s.stop();
  }
});

// the shell's chmod, ln -s, readlink and rm of a link, busybox 1.36 (coreutils/chmod.c, ln.c:
// bb_simple_perror_msg of the name) and coreutils 9.1 (chmod.c, ln.c)
const SHELL_ROWS = [
  ['chmod: symbolic modes, -R', ['bb', '-c', 'c'], 'mkdir -p /tmp/m/d && touch /tmp/m/d/f && chmod -R go-rx,u+s /tmp/m/d && stat -c "%a %n" /tmp/m/d /tmp/m/d/f && chmod a=r,u+w /tmp/m/d/f && stat -c %A /tmp/m/d/f', { stdout: '4700 /tmp/m/d\n4600 /tmp/m/d/f\n-rw-r--r--\n', stderr: '', code: 0 }],
  ['chmod: busybox errors', ['bb', '-c', 'c'], 'chmod 644 /tmp/none; chmod u+z /tmp/m', { stdout: '', stderr: "chmod: /tmp/none: No such file or directory\nchmod: invalid mode 'u+z'\ncommand terminated with exit code 1\n", code: 1 }],
  ['chmod: coreutils errors', ['bb', '-c', 'web'], 'chmod 644 /tmp/none; chmod u+z /tmp', { stdout: '', stderr: "chmod: cannot access '/tmp/none': No such file or directory\nchmod: invalid mode: 'u+z'\nTry 'chmod --help' for more information.\ncommand terminated with exit code 1\n", code: 1 }],
  ["chmod: a non-root user may not change root's file (EPERM), its own yes", ['user'], 'chmod 600 /etc/passwd; touch /tmp/mine && chmod 600 /tmp/mine && stat -c %a /tmp/mine', { stdout: '600\n', stderr: 'chmod: /etc/passwd: Operation not permitted\n', code: 0 }],
  ['chmod: a read-only root file system (EROFS)', ['ro'], 'chmod 600 /etc/passwd', { stdout: '', stderr: "chmod: changing permissions of '/etc/passwd': Read-only file system\ncommand terminated with exit code 1\n", code: 1 }],
  ['ln -s: into a directory, an existing name, -f', ['bb', '-c', 'c'], 'cd /tmp/m && ln -s /etc/hostname d && readlink d/hostname && ln -s x d/hostname; ln -sf /etc/os-release d/hostname && readlink d/hostname', { stdout: '/etc/hostname\n/etc/os-release\n', stderr: 'ln: d/hostname: File exists\n', code: 0 }],
  ['ln -s: coreutils message', ['bb', '-c', 'web'], 'ln -s a /tmp/l && ln -s b /tmp/l', { stdout: '', stderr: "ln: failed to create symbolic link '/tmp/l': File exists\ncommand terminated with exit code 1\n", code: 1 }],
  ['rm removes the link, not its target; a dangling link is still listed', ['bb', '-c', 'c'], 'cd /tmp/m && echo kept > t && ln -s t l && ln -s gone dangling && rm l && cat t && ls && test -e dangling || echo dangling', { stdout: 'kept\nd\ndangling\nt\ndangling\n', stderr: '', code: 0 }],
];
for (const [what, pod, cmd, want] of SHELL_ROWS) {
  test(`shell: ${what}`, () => {
    assert.deepEqual(exec(...pod, '--', 'sh', '-c', cmd), want);
  });
}
