// GNU diff's unified format (diff -u: 3 lines of context, "@@ -a,b +c,d @@" hunks, deletions before
// insertions in a change) over a longest common subsequence of the lines. kubectl diff runs
// `diff -u -N` on two directories; kubesim computes the same text itself.

/** The hunks of `diff -u` from a to b (texts ending in a newline); "" when they are equal. */
export function unifiedHunks(a: string, b: string, context = 3): string {
  const x = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const y = b === '' ? [] : b.replace(/\n$/, '').split('\n');
  const ops = lcsOps(x, y);
  if (ops.every((o) => o.t === ' ')) return '';
  // group the changes with their context into hunks
  const hunks: { start: number; end: number }[] = [];
  ops.forEach((o, i) => {
    if (o.t === ' ') return;
    const start = Math.max(0, i - context);
    const end = Math.min(ops.length, i + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else hunks.push({ start, end });
  });
  let out = '';
  for (const h of hunks) {
    const slice = ops.slice(h.start, h.end);
    const first = ops[h.start];
    const aLen = slice.filter((o) => o.t !== '+').length;
    const bLen = slice.filter((o) => o.t !== '-').length;
    const range = (start: number, len: number) => (len === 1 ? `${start + 1}` : `${len === 0 ? start : start + 1},${len}`);
    out += `@@ -${range(first.ai, aLen)} +${range(first.bi, bLen)} @@\n`;
    for (const o of slice) out += `${o.t}${o.line}\n`;
  }
  return out;
}

interface Op {
  t: ' ' | '-' | '+';
  line: string;
  /** lines of a and b before this one */
  ai: number;
  bi: number;
}

function lcsOps(x: string[], y: string[]): Op[] {
  const n = x.length;
  const m = y.length;
  // suffix LCS lengths
  const L: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ t: ' ', line: x[i], ai: i, bi: j });
      i++;
      j++;
    } else if (j >= m || (i < n && L[i + 1][j] >= L[i][j + 1])) {
      ops.push({ t: '-', line: x[i], ai: i, bi: j });
      i++;
    } else {
      ops.push({ t: '+', line: y[j], ai: i, bi: j });
      j++;
    }
  }
  return ops;
}
