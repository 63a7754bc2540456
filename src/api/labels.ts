// Label selectors as kubectl's -l accepts them (apimachinery pkg/labels/selector.go): equality
// (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`), existence (`a`, `!a`).
import { CliError } from './errors';

type Req = { key: string; op: 'in' | 'notin' | 'exists' | '!'; values: string[] };
export type Selector = Req[];

export function parseSelector(text: string): Selector {
  const reqs: Selector = [];
  let i = 0;
  const s = text;
  const ws = () => {
    while (i < s.length && s[i] === ' ') i++;
  };
  const ident = () => {
    ws();
    const m = /^[A-Za-z0-9_.\-/]+/.exec(s.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  const bad = (why: string) => new CliError(`error: unable to parse requirement: ${why}`, true);
  while (i < s.length) {
    ws();
    let neg = false;
    if (s[i] === '!') {
      neg = true;
      i++;
    }
    const key = ident();
    if (!key) throw bad(`found '${s[i] ?? ''}', expected: identifier`);
    ws();
    if (neg) {
      reqs.push({ key, op: '!', values: [] });
    } else if (i >= s.length || s[i] === ',') {
      reqs.push({ key, op: 'exists', values: [] });
    } else if (s.startsWith('!=', i) || s.startsWith('==', i) || s[i] === '=') {
      const op = s.startsWith('!=', i) ? 'notin' : 'in';
      i += s.startsWith('=', i) && !s.startsWith('==', i) ? 1 : 2;
      const v = ident();
      reqs.push({ key, op, values: [v] });
    } else {
      const word = ident();
      if (word !== 'in' && word !== 'notin') throw bad(`found '${word}', expected: in, notin, =, ==, !=, gt, lt`);
      ws();
      if (s[i] !== '(') throw bad(`found '${s[i] ?? ''}', expected: '('`);
      i++;
      const values: string[] = [];
      for (;;) {
        values.push(ident());
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ')') {
          i++;
          break;
        }
        throw bad(`found '${s[i] ?? ''}', expected: ',' or ')'`);
      }
      reqs.push({ key, op: word, values });
    }
    ws();
    if (i < s.length) {
      if (s[i] !== ',') throw bad(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return reqs;
}

export function matches(sel: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(l[r.key])) return false;
        break;
      case 'notin':
        if (has && r.values.includes(l[r.key])) return false;
        break;
    }
  }
  return true;
}

/** A Service/ReplicaSet map selector: every pair must match; an empty map matches everything. */
export function matchesMap(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const k of Object.keys(selector)) if (l[k] !== selector[k]) return false;
  return true;
}

/** `k=v,k=v` sorted by key, as kubectl prints selectors; `<none>` when empty. */
export function formatMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/**
 * metav1.FormatLabelSelector: LabelSelectorAsSelector's String(): the requirements sorted by key
 * (matchLabels as `k=v`, expressions as `k in (a,b)`, `k notin (a)`, `k`, `!k`, values sorted),
 * `<none>` for a selector that selects everything, `<error>` for an unknown operator.
 */
export function formatLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | null | undefined): string {
  if (!sel) return '<none>';
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') reqs.push([e.key, `${e.key} in (${values})`]);
    else if (e.operator === 'NotIn') reqs.push([e.key, `${e.key} notin (${values})`]);
    else if (e.operator === 'Exists') reqs.push([e.key, e.key]);
    else if (e.operator === 'DoesNotExist') reqs.push([e.key, `!${e.key}`]);
    else return '<error>';
  }
  // sort.Sort(ByKey): an insertion sort for so few requirements, so equal keys keep their order
  const s = reqs
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
    .map(([r]) => r[1])
    .join(',');
  return s || '<none>';
}

/** metav1.LabelSelector as a test: matchLabels and matchExpressions, all must hold. */
export function selectorMatches(sel: Record<string, any> | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  if (sel.matchLabels && !matchesMap(sel.matchLabels, l)) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
