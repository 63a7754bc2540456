// The get-table printer and AGE against kubectl's rules (REFERENCE §1) and the seed transcripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

test('HumanDuration at each boundary (apimachinery duration.go)', () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h, y = 365 * d;
  const cases = [
    [-2 * s, '<invalid>'], [-1 * s, '0s'], [-500, '0s'], [0, '0s'], [59 * s, '59s'], [90 * s, '90s'], [119 * s, '119s'],
    [120 * s, '2m'], [125 * s, '2m5s'], [9 * m + 59 * s, '9m59s'], [10 * m, '10m'], [10 * m + 30 * s, '10m'],
    [179 * m, '179m'], [3 * h, '3h'], [3 * h + 5 * m, '3h5m'], [7 * h + 59 * m, '7h59m'], [8 * h, '8h'], [47 * h, '47h'],
    [48 * h, '2d'], [2 * d + 5 * h, '2d5h'], [7 * d + 23 * h, '7d23h'], [8 * d, '8d'], [729 * d, '729d'],
    [2 * y, '2y'], [2 * y + 3 * d, '2y3d'], [7 * y + 364 * d, '7y364d'], [8 * y, '8y'], [20 * y + 5 * d, '20y'],
  ];
  for (const [ms, want] of cases) assert.equal(lib.humanDuration(ms), want, `${ms} ms`);
});

test('a missing timestamp prints <unknown>', () => {
  assert.equal(lib.age(undefined), '<unknown>');
});

test('tabwriter: get layout is max(6, widest+3) per column, last column unpadded', () => {
  const text = 'NAME\tTYPE\tCLUSTER-IP\tEXTERNAL-IP\tPORT(S)\tAGE\n' +
    'kubernetes\tClusterIP\t10.96.0.1\t<none>\t443/TCP\t66m\n' +
    'webserver\tNodePort\t10.108.113.5\t<none>\t80:30009/TCP\t19s\n';
  // seed 001's `kubectl get services`, re-spaced as kubectl prints it
  const want = [
    'NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE',
    'kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP        66m',
    'webserver    NodePort    10.108.113.5   <none>        80:30009/TCP   19s',
    '',
  ].join('\n');
  assert.equal(lib.tabwrite(text, lib.GET_TABS), want);
  assert.equal(lib.formatGrid(text.trim().split('\n').map((l) => l.split('\t'))), want);
});

test('tabwriter: minimum width 6 for short columns', () => {
  assert.equal(lib.tabwrite('A\tB\nx\ty\n', lib.GET_TABS), 'A     B\nx     y\n');
});

test('tabwriter: describe blocks end at a line without a tab', () => {
  const text = 'Name:\tweb\nLabels:\tapp=x\nEvents:\n  Type\tReason\n  ----\t------\n';
  assert.equal(lib.tabwrite(text, lib.DESCRIBE_TABS), 'Name:    web\nLabels:  app=x\nEvents:\n  Type  Reason\n  ----  ------\n');
});

test('a cell with a newline is cut and marked', () => {
  assert.equal(lib.cleanCell('a\nb'), 'a...');
  assert.equal(lib.cleanCell('plain'), 'plain');
});
