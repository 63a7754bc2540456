// -o yaml is written directly (src/printers/fastyamlout.ts): it must read back as the object on
// every object (the fuzz bases, a thousand fuzzed documents, awkward scalars by name), and break
// long lines where go-yaml (kubectl) does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import YAML from 'yaml';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bases, corpus } from './fuzz.mjs';
import { hasKubectl } from './helpers.mjs';

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
  spec: { list: [[1, 2], [], {}, [[]], 'x', null, true, 1.5, 1e21, { a: [{ b: [] }] }] },
};

test('the direct YAML writer reads back as the object it wrote, on every object', () => {
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
  // (the yaml package's own rendering differs only where go-yaml's line breaking applies)
  let same = 0;
  for (const o of objs) {
    const text = lib.toYAML(o);
    assert.deepEqual(YAML.parse(text, { maxAliasCount: -1 }), JSON.parse(JSON.stringify(lib.sortKeys(o))), text.slice(0, 300));
    if (text === lib.packageYAML(lib.sortKeys(o))) same++;
  }
  assert.ok(same > objs.length * 0.9, `${same} of ${objs.length} as the yaml package writes them`);
});

const LONG = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'a',
    annotations: {
      long: 'word '.repeat(40).trim(),
      long2: `${'x'.repeat(100)} tail words here`,
      sq: `it's ${'w '.repeat(60).trim()}`,
      mixed: `a: b ${'abc '.repeat(30).trim()}`,
      dq: `tab\there ${'word '.repeat(30).trim()}`,
      msg: 'Successfully pulled image "nginx" in 1.021s (1.021s including waiting). Image size: 72195292 bytes.',
    },
  },
  spec: { containers: [{ name: 'c', image: 'x', args: ['arg '.repeat(40).trim(), 'short'] }] },
};

test('long text breaks where go-yaml breaks it: at the first space past column 80 (kubectl)', (t) => {
  const ours = lib.toYAML(LONG);
  assert.match(ours, /\n    long: word word word word word word word word word word word word word word word\n      word word word word word word word word word word word word word word word word\n      word word word word word word word word word\n/);
  assert.match(ours, /\n    dq: "tab\\there word word/);
  if (!hasKubectl()) return t.diagnostic('kubectl is not installed: compared with the recorded lines only');
  const f = join(mkdtempSync(join(tmpdir(), 'kubesim-yaml-')), 'long.json');
  writeFileSync(f, JSON.stringify(LONG));
  const k = spawnSync('kubectl', ['annotate', '--local', '-f', f, 'x=y', '-o', 'yaml'], { encoding: 'utf8' });
  const withX = { ...LONG, metadata: { ...LONG.metadata, annotations: { ...LONG.metadata.annotations, x: 'y' } } };
  assert.equal(lib.toYAML(withX), k.stdout);
});
