// Issue 18 follow-up: kubesim's own CLI where serve-compare found it printing other than kubectl 1.32
// (each output here was printed by the real kubectl 1.32 against `kubesim serve`, and is also a
// step of test/serve-compare.test.mjs, which compares them live).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from './helpers.mjs';

const c = cluster({ seed: 'cli-fixes', init: [] });
after(() => c.cleanup());

const res = (stdout, stderr = '', code = 0) => ({ stdout, stderr, code });

test('delete prints "No resources found" on stdout when nothing matched (delete.go DeleteResult), nothing for named objects --ignore-not-found finds gone', () => {
  c.ok(['create', 'configmap', 'keep', '--from-literal=a=b']);
  const cases = [
    [['delete', 'cm', 'nope', '--ignore-not-found'], res('')],
    [['delete', 'cm', 'nope', 'nope2', '--ignore-not-found'], res('')],
    [['delete', 'cm', '-l', 'x=1'], res('No resources found\n')],
    [['delete', 'cm', '-l', 'x=1', '--ignore-not-found'], res('No resources found\n')],
    [['delete', 'cm', '--all', '-n', 'foo'], res('No resources found\n')],
    [['delete', 'cm', 'nope'], res('', 'Error from server (NotFound): configmaps "nope" not found\n', 1)],
    [['delete', 'cm', 'keep', 'nope', '--ignore-not-found'], res('configmap "keep" deleted\n')],
  ];
  for (const [args, want] of cases) assert.deepEqual(c.run(args), want, args.join(' '));
});

test('expose names what it cannot expose by its GroupKind (polymorphichelpers canBeExposed), after reading it (expose.go)', () => {
  c.ok(['create', 'deployment', 'web', '--image=nginx', '--port=80']);
  c.ok(['create', 'configmap', 'cfg']);
  const cases = [
    [['expose', 'cm', 'cfg', '--port=80'], res('', 'error: cannot expose a ConfigMap\n', 1)],
    [['expose', 'sts', 'nope', '--port=80'], res('', 'Error from server (NotFound): statefulsets.apps "nope" not found\n', 1)],
  ];
  for (const [args, want] of cases) assert.deepEqual(c.run(args), want, args.join(' '));
});
