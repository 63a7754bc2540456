// Issue 7 (in part): shell completion scripts complete verbs, resource types and object names.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { BIN, cluster } from './helpers.mjs';

const c = cluster({ seed: 'completion' });
after(() => c.cleanup());

function bashComplete(line) {
  const words = line.split(' ');
  const script = `source <(kubesim completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_kubesim; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(BIN)}:${process.env.PATH}`, KUBESIM_STATE: c.dir } });
  return r.stdout.split('\n').filter(Boolean);
}

test('bash completion: verbs, types, names (with -n), subcommands', (t) => {
  if (spawnSync('bash', ['--version']).status !== 0) {
    t.skip('bash is not installed');
    return;
  }
  c.ok(['run', 'web', '--image=nginx']);
  assert.deepEqual(bashComplete('kubesim des'), ['describe']);
  assert.ok(bashComplete('kubesim get ').includes('services'));
  assert.deepEqual(bashComplete('kubesim get svc'), ['svc']);
  assert.deepEqual(bashComplete('kubesim get pods w'), ['web']);
  assert.deepEqual(bashComplete('kubesim describe svc -n kube-system k'), ['kube-dns']);
  assert.deepEqual(bashComplete('kubesim cluster '), ['init', 'reset']);
});

test('completion scripts for zsh and fish; unknown shells are refused', () => {
  assert.match(c.ok(['completion', 'zsh']), /bashcompinit/);
  assert.match(c.ok(['completion', 'fish']), /^# kubesim fish completion/);
  const r = c.run(['completion', 'tcsh']);
  assert.deepEqual([r.code, r.stderr], [1, 'error: Unsupported shell type "tcsh".\n']);
});
