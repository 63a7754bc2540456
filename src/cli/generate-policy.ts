// create poddisruptionbudget | pdb (kubectl pkg/cmd/create/create_pdb.go): the checks of Validate, the
// selector through metav1.ParseToLabelSelector (apimachinery labels' parser: equality requirements
// become matchLabels, set-based ones matchExpressions, `!=` / gt / lt are refused), the object in Go
// struct order for -o json; the apiserver's refusal wrapped as "failed to create poddisruptionbudgets: …".
import type { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import type { GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName, type OutputOptions } from './generate';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';

interface Opts extends OutputOptions {
  selector?: string;
  minAvailable?: string;
  maxUnavailable?: string;
}

type Tok = { t: 'id' | 'op' | 'eos'; lit: string };
type Requirement = { key: string; op: string; values: string[] };

const SPECIAL = ['!=', '==', '=', '>', '<', '!', '(', ')', ','];

/** The labels lexer in Values mode: `in`/`notin` are identifiers unless an operator is expected. */
function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i])) {
      i++;
      continue;
    }
    const sp = SPECIAL.find((x) => s.startsWith(x, i));
    if (sp) {
      out.push({ t: 'op', lit: sp });
      i += sp.length;
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]) && !SPECIAL.some((x) => s.startsWith(x, j))) j++;
    out.push({ t: 'id', lit: s.slice(i, j) });
    i = j;
  }
  out.push({ t: 'eos', lit: '' });
  return out;
}

const BINARY_OPS = 'in, notin, =, ==, !=, gt, lt';

/** labels.ParseToRequirements: the requirements sorted by key, each one's values sorted and unique. */
function parseRequirements(text: string): Requirement[] {
  const toks = lex(text);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[Math.min(pos++, toks.length - 1)];
  const isOp = (tok: Tok, lit: string) => tok.t === 'op' && tok.lit === lit;
  const values = (): string[] => {
    const open = next();
    if (!isOp(open, '(')) throw new Error(`found '${open.lit}' expected: '('`);
    const la = peek();
    if (isOp(la, ')')) {
      next();
      return [''];
    }
    if (la.t !== 'id' && !isOp(la, ',')) throw new Error(`found '${la.lit}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const tok = next();
      if (tok.t === 'id') {
        set.add(tok.lit);
        const after = peek();
        if (isOp(after, ',')) continue;
        if (isOp(after, ')')) break;
        throw new Error(`found '${after.lit}', expected: ',' or ')'`);
      } else if (isOp(tok, ',')) {
        if (set.size === 0) set.add('');
        if (isOp(peek(), ')')) {
          set.add('');
          break;
        }
        if (isOp(peek(), ',')) {
          next();
          set.add('');
        }
      } else throw new Error(`found '${tok.lit}', expected: ',', or identifier`);
    }
    const close = next();
    if (!isOp(close, ')')) throw new Error(`found '${la.lit}', expected: ')'`);
    return [...set].sort();
  };
  const requirement = (): Requirement => {
    let tok = next();
    let op = '';
    if (isOp(tok, '!')) {
      op = '!';
      tok = next();
    }
    if (tok.t !== 'id') throw new Error(`found '${tok.lit}', expected: identifier`);
    const key = tok.lit;
    const la = peek();
    if (op === '!' || la.t === 'eos' || isOp(la, ',')) return { key, op: op || 'exists', values: [] };
    const o = next();
    const name = o.t === 'id' && (o.lit === 'in' || o.lit === 'notin') ? o.lit : o.t === 'op' && ['=', '==', '!=', '>', '<'].includes(o.lit) ? { '>': 'gt', '<': 'lt' }[o.lit] ?? o.lit : undefined;
    if (!name) throw new Error(`found '${o.lit}', expected: ${BINARY_OPS}`);
    if (name === 'in' || name === 'notin') return { key, op: name, values: values() };
    const v = peek();
    if (v.t === 'eos' || isOp(v, ',')) return { key, op: name, values: [''] };
    const val = next();
    if (val.t !== 'id') throw new Error(`found '${val.lit}', expected: identifier`);
    return { key, op: name, values: [val.lit] };
  };
  const reqs: Requirement[] = [];
  for (;;) {
    const la = peek();
    if (la.t === 'eos') break;
    if (la.t !== 'id' && !isOp(la, '!')) throw new Error(`found '${la.lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(requirement());
    } catch (e) {
      throw new Error(`unable to parse requirement: ${(e as Error).message}`);
    }
    const sep = next();
    if (sep.t === 'eos') break;
    if (!isOp(sep, ',')) throw new Error(`found '${sep.lit}', expected: ',' or 'end of string'`);
    const after = peek();
    if (after.t !== 'id' && !isOp(after, '!')) throw new Error(`found '${after.lit}', expected: identifier after ','`);
  }
  // sort.Sort(ByKey): not stable, but equal keys keep their order for the few a selector has
  return reqs.map((r, i) => [r, i] as const).sort((a, b) => (a[0].key < b[0].key ? -1 : a[0].key > b[0].key ? 1 : a[1] - b[1])).map(([r]) => r);
}

/** metav1.ParseToLabelSelector */
export function parseToLabelSelector(text: string): Record<string, unknown> {
  let reqs: Requirement[];
  try {
    reqs = parseRequirements(text);
  } catch (e) {
    throw new CliError(`error: couldn't parse the selector string "${text}": ${(e as Error).message}`, true);
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Record<string, unknown>[] = [];
  const OPS: Record<string, string> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of reqs) {
    if (r.op === '=' || r.op === '==') matchLabels[r.key] = r.values[0];
    else if (r.op === 'gt' || r.op === 'lt') throw new CliError(`error: "${r.op}" isn't supported in label selectors`, true);
    else if (OPS[r.op]) matchExpressions.push({ key: r.key, operator: OPS[r.op], ...(r.op === 'in' || r.op === 'notin' ? { values: r.values } : {}) });
    else throw new CliError(`error: "${r.op}" is not a valid label selector operator`, true);
  }
  return { ...(Object.keys(matchLabels).length ? { matchLabels } : {}), ...(matchExpressions.length ? { matchExpressions } : {}) };
}

/** intstr.Parse: a number when strconv.Atoi takes it, the string otherwise. */
const intstrParse = (v: string): number | string => (/^[+-]?\d+$/.test(v) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER ? Number(v) : v);

export function pdbFor(name: string, namespace: string | undefined, o: Opts): KObject {
  if (!o.selector) throw new CliError('error: a selector must be specified', true);
  if (!o.maxUnavailable && !o.minAvailable) throw new CliError('error: one of min-available or max-unavailable must be specified', true);
  if (o.maxUnavailable && o.minAvailable) throw new CliError('error: min-available and max-unavailable cannot be both specified', true);
  const re = /^[0-9]+%?$/;
  if (o.minAvailable && !re.test(o.minAvailable)) throw new CliError('error: invalid format specified for min-available', true);
  if (o.maxUnavailable && !re.test(o.maxUnavailable)) throw new CliError('error: invalid format specified for max-unavailable', true);
  const selector = parseToLabelSelector(o.selector);
  const spec: Record<string, unknown> = {};
  if (o.minAvailable) spec.minAvailable = intstrParse(o.minAvailable);
  spec.selector = selector;
  if (!o.minAvailable && o.maxUnavailable) spec.maxUnavailable = intstrParse(o.maxUnavailable);
  return {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null },
    spec,
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  } as unknown as KObject;
}

export function runCreatePdb(g: GlobalOptions, names: string[], o: Opts): Outcome {
  const name = exactlyOneName(names, 'create poddisruptionbudget');
  const obj = pdbFor(name, g.namespace || undefined, o);
  try {
    return emitGenerated(g, [obj], o, 'created');
  } catch (e) {
    if (e instanceof StatusError) throw new CliError(`error: failed to create poddisruptionbudgets: ${e.message}`, true);
    throw e;
  }
}

export function registerPolicyGenerators(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  dryRunOption(
    validateOption(create.command('poddisruptionbudget'))
      .alias('pdb')
      .description('Create a pod disruption budget with the specified name')
      .argument('[name...]')
      .option('--selector <selector>', 'A label selector to use for this budget. Only equality-based selector requirements are supported.')
      .option('--min-available <n>', 'The minimum number or percentage of available pods this budget requires.')
      .option('--max-unavailable <n>', 'The maximum number or percentage of unavailable pods this budget requires.'),
  ).action((names: string[], _o: unknown, cmd: Command) => run(() => runCreatePdb(g(), names, cmd.optsWithGlobals() as Opts)));
}
