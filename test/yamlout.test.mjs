// -o yaml is written directly (src/printers/fastyamlout.ts) and must equal the yaml package's
// go-yaml-tuned rendering (which yaml-vs-kubectl.test.mjs compares with kubectl) on every object:
// the fuzz bases, thousands of fuzzed documents, and the awkward scalars by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import YAML from 'yaml';
import { bases, corpus } from './fuzz.mjs';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const awkward = {
  metadata: {
    name: 'x',
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ a: 'b'.repeat(120), c: [1, 2, 3] }) + '\n',
      note: 'line one\nline two\n',
      trailing: 'keep   ',
      colon: 'a: b',
      hash: 'a #b',
      quote: "it's",
      star: '*x',
      bang: '!x',
      dash: '- x',
      q: '?',
      unicode: 'héllo wörld',
      tab: 'a\tb',
      nul: 'a\u0000b',
      '80': 'a numeric key',
      'a b': 'a key with a space',
      empty: '',
      yes: 'yes',
      time: '2025-03-01T12:00:00Z',
      float: '1.5',
      long: 'word '.repeat(40).trim(),
    },
  },
  spec: { list: [[1, 2], [], {}, [[]], 'x', null, true, 1.5, -0, 1e21, { a: [{ b: [] }] }] },
};

test('the direct YAML writer prints what the yaml package prints, object by object', () => {
  const objs = [awkward, ...bases()];
  for (const c of corpus('yaml-writer', 1500)) {
    if (!c.text) continue;
    try {
      const v = YAML.parse(c.text);
      if (v && typeof v === 'object') objs.push(JSON.parse(JSON.stringify(v)));
    } catch {
      /* damaged text: nothing to print */
    }
  }
  assert.ok(objs.length > 1000);
  for (const o of objs) assert.equal(lib.toYAML(o), lib.packageYAML(lib.sortKeys(o)), JSON.stringify(o).slice(0, 300));
});
