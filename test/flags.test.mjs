// Issue 13 (part): kubectl's command-line grammar (pflag and cobra), compared with real kubectl on
// argument vectors it parses offline (client dry runs and parse errors). Output and exit code must
// match, with kubectl's name for itself read as kubesim's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cluster, hasKubectl } from './helpers.mjs';

const c = cluster({ seed: 'flags' });
after(() => c.cleanup());
const KUBECTL = hasKubectl();

const D = ['create', 'deployment', 'x', '--image=nginx', '--dry-run=client'];
export const VECTORS = [
  [...D, '-o=json'],
  [...D, '-o=json', '-n=foo'],
  [...D, '-ojson'],
  [...D, '-o', 'json'],
  [...D, '--output=yaml'],
  [...D, '--output', 'yaml'],
  ['create', 'deployment', 'x', '--image', 'nginx', '--dry-run=client', '-o', 'name'],
  ['create', 'deployment', 'x', '--image=nginx', '--dry-run', 'client', '-o', 'name'],
  [...D, '-o', 'name', '--replicas=3'],
  [...D, '-o', 'yaml', '--replicas', '3'],
  [...D, '-o', 'yaml', '-r', '3'],
  [...D, '-o', 'yaml', '-r=3'],
  [...D, '-o', 'yaml', '-r3'],
  [...D, '-o', 'name', '--replicas=abc'],
  [...D, '-o', 'yaml', '--port=80'],
  [...D, '-o', 'yaml', '--port', '8080'],
  ['create', 'deployment', 'x', '--dry-run=client', '-o', 'name'],
  ['create', 'deployment', '--image=nginx', '--dry-run=client'],
  ['create', 'deployment', 'x', 'y', '--image=nginx', '--dry-run=client'],
  ['get', 'pods', '-o'],
  ['get', 'pods', '--output'],
  ['get', 'pods', '-x'],
  ['get', 'pods', '-Ax'],
  ['get', 'pods', '--foo=bar'],
  ['get', 'pods', '--foo'],
  ['get', 'pods', '--show-labels=maybe'],
  ['get', 'pods', '-A=maybe'],
  ['gett', 'pods'],
  ['crate'],
  ['desc'],
  ['lgos', 'x'],
  ['zzzzzz'],
  [...D, '-o', 'name', '-n'],
  ['-n'],
  ['create', 'namespace', 'ns1', '--dry-run=client', '-o', 'yaml'],
  ['create', 'ns', 'ns1', '--dry-run=client', '-o', 'name'],
  ['create', 'service', 'clusterip', 's1', '--tcp=80:8080', '--dry-run=client', '-o', 'yaml'],
  ['create', 'service', 'nodeport', 's1', '--tcp=80:8080', '--node-port=30080', '--dry-run=client', '-o', 'yaml'],
  ['create', 'svc', 'clusterip', 's1', '--tcp', '80:8080', '--dry-run=client', '-o=name'],
  [...D, '-o=jsonpath={.metadata.name}'],
  [...D, '-o', 'go-template={{.kind}}'],
  [...D, '--output=name', '-n=kube-system'],
  ['-n=kube-system', ...D, '-o', 'yaml'],
  ['--namespace=kube-system', ...D, '-o', 'name'],
  ['--namespace', 'kube-system', ...D, '-o', 'jsonpath={.metadata.namespace}'],
  ['create', 'deployment', 'x', '--image=nginx', '--dry-run=bogus'],
  ['create', 'deployment', 'x', '--image=nginx', '--image=httpd', '--dry-run=client', '-o', 'yaml'],
  [...D, '-o', 'yaml', '--replicas=-1'],
  [...D, '-o', 'yaml', '--replicas', '-1'],
  [...D, '-o', 'jsonpath-as-json={.metadata.name}'],
  [...D, '-o', 'template={{.kind}}'],
  [...D, '-o', 'wide'],
  [...D, '-o', 'jsonpath'],
  [...D, '-o', 'custom-columns=N:.metadata.name'],
  ['create', 'namespace', 'ns1', '--dry-run=client', '-o', 'jsonpath={.kind}'],
  ['create', 'service', 'clusterip', 's1', '--tcp=80:8080', '--dry-run=client', '-o', 'go-template={{.spec.type}}'],
  [...D, '-o', 'name', '--port=x'],
  [...D, '-o', 'name', '--replicas=99999999999'],
  ['create', 'service', 'nodeport', 's1', '--tcp=80:8080', '--node-port=abc', '--dry-run=client', '-o', 'name'],
  [...D, '-o', 'yaml', '--replicas=0x10'],
  [...D, '-o', 'yaml', '--replicas=010'],
  [...D, '-o', 'yaml', '-r', '1_0'],
  ['scale', 'deploy', 'x', '--replicas=abc'],
  ['scale', 'deploy', 'x', '--replicas', '0x'],
];
// `run` needs discovery from a server even for a client dry run: tested in generators.test.mjs

// kubectl names itself where kubesim names kubesim; klog's header carries the time and pid
const asKubesim = (s) => s.replaceAll('kubectl', 'kubesim').replace(/^([EWI])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, '$1MMDD hh:mm:ss.uuuuuu PID ');

test(`${VECTORS.length} argument vectors parse as kubectl parses them`, { skip: !KUBECTL && 'kubectl is not installed' }, () => {
  const diffs = [];
  for (const args of VECTORS) {
    const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    const s = c.run(args);
    const want = { code: k.status, stdout: asKubesim(k.stdout), stderr: asKubesim(k.stderr) };
    const got = { code: s.code, stdout: s.stdout, stderr: asKubesim(s.stderr) };
    try {
      assert.deepEqual(got, want);
    } catch {
      diffs.push(`kubesim ${args.join(' ')}\n  want ${JSON.stringify(want).slice(0, 400)}\n  got  ${JSON.stringify(got).slice(0, 400)}`);
    }
  }
  assert.equal(diffs.length, 0, `${diffs.length} of ${VECTORS.length} differ:\n${diffs.join('\n')}`);
});
