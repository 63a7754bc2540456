// Issue 16, part 6: kubesim's own kubeconfig. The `config` subcommands against real kubectl on the
// same starting file (kubectl runs them offline: KUBECONFIG=<file> for it, KUBESIM_CONFIG=<file> for
// kubesim), contexts choosing the namespace and the cluster of every command, `cluster init --name`,
// the precedence of --state and KUBESIM_STATE, and the user's ~/.kube/config never touched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, NOW, hasKubectl } from './helpers.mjs';

const roots = [];
after(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempRoot() {
  const d = mkdtempSync(join(tmpdir(), 'kubesim-config-'));
  roots.push(d);
  mkdirSync(join(d, 'home'));
  return d;
}

/** The environment without anything that would point either tool at a real kubeconfig or state. */
function baseEnv(home) {
  const env = { ...process.env, HOME: home, KUBESIM_NOW: NOW, KUBESIM_SEED: 'config', NO_COLOR: '1' };
  delete env.KUBESIM_STATE;
  delete env.KUBECONFIG;
  delete env.KUBESIM_CONFIG;
  return env;
}

/** kubesim in a sandbox: HOME and KUBESIM_CONFIG in root, no KUBESIM_STATE unless given. */
function sim(root, env = {}) {
  const run = (args, more = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...baseEnv(join(root, 'home')), KUBESIM_CONFIG: join(root, 'config'), ...env, ...more } });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  };
  const ok = (args, more) => {
    const r = run(args, more);
    if (r.code !== 0) throw new Error(`kubesim ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  return { run, ok };
}

const START = `apiVersion: v1
clusters:
- cluster:
    server: file:///tmp/kubesim-a
  name: kubesim
- cluster:
    server: file:///tmp/kubesim-b
  name: dev
contexts:
- context:
    cluster: kubesim
    user: kubesim
  name: kubesim
- context:
    cluster: dev
    namespace: team
    user: kubesim
  name: dev
current-context: kubesim
kind: Config
preferences: {}
users:
- name: kubesim
  user: {}
`;

// each step runs on both tools; stdout, stderr, exit code and the file afterwards must match
const STEPS = [
  ['config', 'view'],
  ['config', 'view', '--minify'],
  ['config', 'view', '-o', 'json'],
  ['config', 'view', '-o', 'jsonpath={.current-context}'],
  ['config', 'view', '-o', 'jsonpath={.contexts[*].name}'],
  ['config', 'view', '--raw'],
  ['config', 'view', '--flatten'],
  ['--context', 'dev', 'config', 'view', '--minify'],
  ['--context', 'nope', 'config', 'view', '--minify'],
  ['config', 'get-contexts'],
  ['config', 'get-contexts', '-o', 'name'],
  ['config', 'get-contexts', 'dev', '--no-headers'],
  ['config', 'get-contexts', 'nope'],
  ['config', 'get-contexts', '-o', 'wide'],
  ['config', 'get-clusters'],
  ['config', 'get-users'],
  ['config', 'current-context'],
  ['config', 'use-context', 'dev'],
  ['config', 'use-context', 'nope'],
  ['config', 'current-context'],
  ['config', 'set-context', '--current', '--namespace=qa'],
  ['config', 'set-context', 'new', '--cluster=kubesim', '--user=kubesim', '--namespace=x'],
  ['config', 'set-context', 'new', '--namespace', 'y'],
  ['config', 'set-context', 'bare'],
  ['config', 'set-context'],
  ['config', 'set-context', 'a', '--current'],
  ['config', 'set-cluster', 'other', '--server=file:///tmp/kubesim-c'],
  ['config', 'set-cluster', 'other', '--server=file:///tmp/kubesim-d'],
  ['config', 'rename-context', 'new', 'newer'],
  ['config', 'rename-context', 'nope', 'x'],
  ['config', 'rename-context', 'newer', 'dev'],
  ['config', 'rename-context', 'dev', 'staging'],
  ['config', 'get-contexts'],
  ['config', 'set', 'contexts.kubesim.namespace', 'web'],
  ['config', 'set', 'contexts.fresh.cluster', 'dev'],
  ['config', 'set', 'clusters.dev.server', 'file:///tmp/kubesim-e'],
  ['config', 'set', 'users.u2.username', 'me'],
  ['config', 'set', 'current-context', 'fresh'],
  ['config', 'get-contexts'],
  ['config', 'set', 'current-context', ''],
  ['config', 'set', 'foo', 'bar'],
  ['config', 'unset', 'contexts.fresh.cluster'],
  ['config', 'unset', 'contexts.kubesim.namespace'],
  ['config', 'unset', 'contexts.zz.namespace'],
  ['config', 'unset', 'contexts.fresh'],
  ['config', 'unset', 'users.u2'],
  ['config', 'unset', 'foo'],
  ['config', 'unset', 'current-context'],
  ['config', 'current-context'],
  ['config', 'set', 'current-context', 'staging'],
  ['config', 'delete-context', 'newer'],
  ['config', 'delete-context', 'newer'],
  ['config', 'delete-context', 'staging'],
  ['config', 'current-context'],
  ['config', 'view', '--minify'],
  ['config', 'delete-cluster', 'other'],
  ['config', 'delete-cluster', 'other'],
  ['config', 'use-context', 'kubesim'],
  ['config', 'delete-context', 'bare'],
  ['config', 'delete-context', 'kubesim'],
  ['config', 'view'],
  ['config', 'view', '-o', 'json'],
];

test('config subcommands: output, errors and the file match real kubectl 1.32 step by step', (t) => {
  if (!hasKubectl()) return t.skip('kubectl is not on PATH: nothing to compare with');
  const root = tempRoot();
  const simFile = join(root, 'config');
  const kubeDir = join(root, 'kubectl');
  mkdirSync(kubeDir);
  const kubeFile = join(kubeDir, 'config');
  writeFileSync(simFile, START);
  writeFileSync(kubeFile, START);
  const s = sim(root);
  for (const args of STEPS) {
    const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...baseEnv(join(root, 'home')), KUBECONFIG: kubeFile } });
    const mine = s.run(args);
    const norm = (text, file) => text.split(file).join('<file>');
    const what = `kubesim ${args.join(' ')}`;
    // get-clusters ranges over a Go map: kubectl's order varies from run to run, kubesim sorts
    const unordered = (text) => (args[1] === 'get-clusters' ? text.split('\n').sort().join('\n') : text);
    assert.equal(unordered(mine.stdout), unordered(norm(k.stdout, kubeFile).replace(/<file>/g, simFile)), `${what}: stdout`);
    assert.equal(norm(mine.stderr, simFile), norm(k.stderr, kubeFile), `${what}: stderr`);
    assert.equal(mine.code, k.status, `${what}: exit code`);
    assert.equal(readFileSync(simFile, 'utf8'), readFileSync(kubeFile, 'utf8'), `${what}: the file afterwards`);
  }
});

test('no kubeconfig: kubesim works as before, and the first set-context makes the kubesim context', () => {
  const root = tempRoot();
  const s = sim(root);
  assert.match(s.ok(['get', 'nodes']), /^NAME +STATUS/);
  assert.ok(!existsSync(join(root, 'config')), 'an ordinary command writes no kubeconfig');
  assert.ok(existsSync(join(root, 'home', '.kubesim', 'cluster', 'cluster.json')), 'the default state directory');
  assert.equal(s.run(['config', 'current-context']).stderr, 'error: current-context is not set\n');
  assert.equal(s.ok(['config', 'set-context', '--current', '--namespace', 'dev']), 'Context "kubesim" modified.\n');
  assert.equal(
    readFileSync(join(root, 'config'), 'utf8'),
    `apiVersion: v1
clusters:
- cluster:
    server: file://${join(root, 'home', '.kubesim', 'cluster')}
  name: kubesim
contexts:
- context:
    cluster: kubesim
    namespace: dev
    user: kubesim
  name: kubesim
current-context: kubesim
kind: Config
preferences: {}
users:
- name: kubesim
  user: {}
`,
  );
  assert.equal(statSync(join(root, 'config')).mode & 0o777, 0o600);
});

test("set-context --current --namespace dev: every verb's default namespace is dev, -n overrides", () => {
  const s = sim(tempRoot());
  s.ok(['create', 'namespace', 'dev']);
  s.ok(['run', 'web', '--image=nginx', '-n', 'dev']);
  s.ok(['run', 'other', '--image=nginx']);
  s.ok(['config', 'set-context', '--current', '--namespace=dev']);
  assert.deepEqual(s.ok(['get', 'pods', '-o', 'name']), 'pod/web\n');
  assert.deepEqual(s.ok(['get', 'pods', '-n', 'default', '-o', 'name']), 'pod/other\n');
  s.ok(['run', 'second', '--image=nginx']);
  assert.equal(s.ok(['get', 'pod', 'second', '-o', 'jsonpath={.metadata.namespace}']), 'dev');
  assert.equal(s.run(['get', 'pods', '-n', 'kube-public']).stderr, 'No resources found in kube-public namespace.\n');
});

test('cluster init --name: two clusters, use-context and --context switch between them', () => {
  const root = tempRoot();
  const s = sim(root);
  assert.equal(
    s.ok(['cluster', 'init', '--name', 'prod', '--nodes', '2']),
    `Cluster "prod" created in ${join(root, 'clusters', 'prod')}: 2 node(s), Kubernetes v1.32.2, services 10.96.0.0/12, pods 10.244.0.0/16, node ports 30000-32767\nSwitched to context "prod".\n`,
  );
  assert.equal(s.ok(['config', 'current-context']), 'prod\n');
  assert.equal(s.ok(['get', 'nodes', '-o', 'name']), 'node/controlplane\nnode/node01\n');
  s.ok(['run', 'in-prod', '--image=nginx']);
  assert.equal(
    s.ok(['config', 'get-contexts']),
    'CURRENT   NAME      CLUSTER   AUTHINFO   NAMESPACE\n          kubesim   kubesim   kubesim    \n*         prod      prod      kubesim    \n',
  );
  assert.equal(s.ok(['config', 'use-context', 'kubesim']), 'Switched to context "kubesim".\n');
  assert.equal(s.ok(['get', 'nodes', '-o', 'name']), 'node/controlplane\nnode/node01\nnode/node02\n');
  assert.equal(s.run(['get', 'pods']).stderr, 'No resources found in default namespace.\n');
  assert.equal(s.ok(['--context', 'prod', 'get', 'pods', '-o', 'name']), 'pod/in-prod\n');
  assert.equal(s.ok(['get', 'pods', '--context=prod', '-o', 'name']), 'pod/in-prod\n');
  // --cluster takes the context's namespace with another cluster's state
  assert.equal(s.ok(['--cluster', 'prod', 'get', 'nodes', '-o', 'name']), 'node/controlplane\nnode/node01\n');
  assert.equal(s.ok(['config', 'get-clusters']), 'NAME\nkubesim\nprod\n');
  // an existing cluster is kept, and the kubeconfig is left as it was
  const before = readFileSync(join(root, 'config'), 'utf8');
  const again = s.run(['cluster', 'init', '--name', 'prod']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^error: a cluster already exists in .*clusters\/prod; use --force/);
  assert.equal(readFileSync(join(root, 'config'), 'utf8'), before);
});

test('an unknown --context or --cluster is an error before anything is read', () => {
  const root = tempRoot();
  const s = sim(root);
  for (const [args, msg] of [
    [['--context', 'foo', 'get', 'pods'], 'Error in configuration: context was not found for specified context: foo\n'],
    [['get', 'nodes', '--context=foo'], 'Error in configuration: context was not found for specified context: foo\n'],
    [['--cluster', 'zz', 'get', 'pods'], 'error: no server found for cluster "zz"\n'],
  ]) {
    const r = s.run(args);
    assert.deepEqual([r.stdout, r.stderr, r.code], ['', msg, 1], args.join(' '));
  }
  assert.ok(!existsSync(join(root, 'home', '.kubesim')), 'no state was made');
  s.ok(['config', 'use-context', 'kubesim']);
  const r = s.run(['--context', 'foo', 'get', 'pods']);
  assert.deepEqual([r.stderr, r.code], ['Error in configuration: context was not found for specified context: foo\n', 1]);
  assert.ok(!existsSync(join(root, 'home', '.kubesim', 'cluster')), 'no state was made');
  if (hasKubectl()) {
    const k = spawnSync('kubectl', ['--context', 'foo', 'get', 'pods'], { encoding: 'utf8', env: { ...baseEnv(join(root, 'home')), KUBECONFIG: join(root, 'config') } });
    assert.equal(k.stderr, 'Error in configuration: context was not found for specified context: foo\n', "kubectl's own words");
  }
});

test('--state and KUBESIM_STATE win over the context\'s cluster; the context\'s namespace still applies', () => {
  const root = tempRoot();
  const s = sim(root);
  s.ok(['cluster', 'init', '--name', 'one', '--nodes', '1']);
  s.ok(['config', 'set-context', '--current', '--namespace', 'kube-system']);
  const other = join(root, 'other');
  const third = join(root, 'third');
  s.ok(['cluster', 'init', '--nodes', '2'], { KUBESIM_STATE: other });
  s.ok(['cluster', 'init', '--nodes', '3'], { KUBESIM_STATE: third });
  const nodes = (more, args = []) => s.ok([...args, 'get', 'nodes', '--no-headers', '-o', 'name'], more).trim().split('\n').length;
  assert.equal(nodes({}), 1);
  assert.equal(nodes({ KUBESIM_STATE: other }), 2);
  assert.equal(nodes({ KUBESIM_STATE: other }, ['--state', third]), 3);
  assert.equal(nodes({}, ['--state', third]), 3);
  // the namespace comes from the context whichever state is used
  assert.match(s.ok(['get', 'sa', '-o', 'name'], { KUBESIM_STATE: other }), /serviceaccount\/kube-proxy/);
});

test("the user's ~/.kube/config and $KUBECONFIG are never read or written", () => {
  const root = tempRoot();
  const home = join(root, 'home');
  mkdirSync(join(home, '.kube'));
  const real = join(home, '.kube', 'config');
  writeFileSync(real, START.replace(/kubesim/g, 'real'));
  chmodSync(real, 0);
  const before = statSync(real);
  // a named pipe: opening it for reading or writing would block until the test's timeout
  const fifo = join(home, '.kube', 'fifo');
  execFileSync('mkfifo', [fifo]);
  const s = sim(root, { KUBECONFIG: fifo });
  for (const args of [
    ['get', 'nodes'],
    ['config', 'view'],
    ['config', 'set-context', '--current', '--namespace', 'dev'],
    ['config', 'get-contexts'],
    ['cluster', 'init', '--name', 'x', '--nodes', '1'],
    ['config', 'use-context', 'kubesim'],
    ['--context', 'x', 'get', 'pods'],
  ]) {
    const r = s.run(args);
    assert.notEqual(r.code, null, `kubesim ${args.join(' ')} did not finish: it opened $KUBECONFIG`);
  }
  chmodSync(real, 0o600);
  assert.equal(readFileSync(real, 'utf8'), START.replace(/kubesim/g, 'real'));
  const now = statSync(real);
  assert.deepEqual([now.mtimeMs, now.ctimeMs !== before.ctimeMs], [before.mtimeMs, true], 'only the test changed it (chmod)');
  // strace, when there is one, shows every file kubesim opens: none under ~/.kube
  const strace = spawnSync('strace', ['-f', '-e', 'trace=open,openat,stat,statx,newfstatat,access', '-o', join(root, 'trace'), process.execPath, BIN, 'get', 'nodes'], {
    encoding: 'utf8',
    env: { ...baseEnv(home), KUBESIM_CONFIG: join(root, 'config'), KUBECONFIG: fifo },
    timeout: 30_000,
  });
  if (strace.status === 0) assert.doesNotMatch(readFileSync(join(root, 'trace'), 'utf8'), /\.kube\//);
});
