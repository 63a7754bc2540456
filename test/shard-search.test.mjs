// Shard.containing's search for many needles at once (store/shard.ts anyOf): it must find exactly
// what a search per needle finds, whatever the needles share, their lengths, or the text's characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const naive = (needles) => (text) => needles.some((n) => text.includes(n));

test('anyOf finds what a search per needle finds', () => {
  const texts = [
    '{"metadata":{"name":"web-1","labels":{"app":"web","tier":"front"}}}',
    '{"metadata":{"name":"é","labels":{"app":"café","x":""}}}',
    '{"a":"b"}',
    '',
    '"app":"load-0999"',
    'xx"app":"load-099',
  ];
  const table = [
    { needles: ['"app":"web"'], hits: [true, false, false, false, false, false] },
    { needles: ['"app":"load-0999"', '"app":"load-0998"', '"tier":"front"'], hits: [true, false, false, false, true, false] },
    { needles: ['"app":"café"', '"app":"caf"'], hits: [false, true, false, false, false, false] },
    // needles of different lengths with a shared prefix, one the prefix of another
    { needles: ['"app":"load-099', '"app":"load-0999"', '"app"'], hits: [true, true, false, false, true, true] },
    // different first characters
    { needles: ['b"}', '{"a"', 'zzz'], hits: [false, false, true, false, false, false] },
    { needles: ['x', ''], hits: [true, true, true, true, true, true] },
    { needles: ['"x":""'], hits: [false, true, false, false, false, false] },
  ];
  for (const { needles, hits } of table) {
    const found = lib.anyOf(needles);
    assert.deepEqual(texts.map(found), hits, JSON.stringify(needles));
    assert.deepEqual(texts.map(found), texts.map(naive(needles)), JSON.stringify(needles));
  }
});

test('anyOf agrees with a search per needle on generated needles and texts', () => {
  let seed = 7;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const alphabet = 'ab"":-é';
  const word = (max) => Array.from({ length: 1 + rnd(max) }, () => alphabet[rnd(alphabet.length)]).join('');
  for (let round = 0; round < 200; round++) {
    const needles = Array.from({ length: 1 + rnd(20) }, () => word(4));
    const texts = Array.from({ length: 10 }, () => word(30));
    assert.deepEqual(texts.map(lib.anyOf(needles)), texts.map(naive(needles)), JSON.stringify({ needles, texts }));
  }
});

test('Shard.containing returns the lines holding any needle, many needles or few, in the store order', () => {
  const line = (name, app) => JSON.stringify({ metadata: { name, labels: { app } } });
  const text = `{"apiVersion":"v1","kind":"List","items":[\n${['a', 'b', 'c', 'd'].map((n, i) => line(n, `app-${i}`)).join(',\n')}\n]}\n`;
  const shard = () => new lib.Shard(1, () => Buffer.from(text), 4);
  const needle = (i) => `"app":"app-${i}"`;
  const names = (objs) => objs.map((o) => o.metadata.name);
  assert.deepEqual(names(shard().containing([needle(2), needle(0)])), ['a', 'c']);
  const many = [...Array.from({ length: 50 }, (_, i) => needle(100 + i)), needle(3), needle(1)];
  assert.deepEqual(names(shard().containing(many)), ['b', 'd']);
  assert.deepEqual(names(shard().containing(Array.from({ length: 50 }, (_, i) => needle(100 + i)))), []);
});
