// kubectl describe resourcequota and limitrange (describe.go describeQuota, describeLimitRange,
// describeLimitRangeSpec). Neither prints events.
import type { KObject } from '../../api/types';
import { formatQuantity, parseQuantity, quantityValue, ZERO } from '../../api/quantity';
import { goQuantityString } from '../../api/quota';
import { Json, LEVEL_0, PrefixWriter, str, tabbedString } from './common';

/** helpTextForResourceQuotaScope */
const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** The Used cell: a used quantity whose format differs from the hard one is shown as its value in the hard one's format. */
function usedText(used: unknown, hard: unknown): string {
  if (used === undefined) return '0';
  const h = parseQuantity(hard) ?? ZERO;
  const u = parseQuantity(used) ?? ZERO;
  if (u.format === h.format) return goQuantityString(used);
  return formatQuantity({ nanos: quantityValue(u) * 1_000_000_000n, format: h.format });
}

export function describeResourceQuota(rq: KObject): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(rq.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(rq.metadata?.namespace)}\n`);
    const scopes = [...((rq.spec?.scopes ?? []) as string[])].sort();
    if (scopes.length) {
      w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_0, '--------\t----\t----\n');
    const hard: Record<string, unknown> = rq.status?.hard ?? {};
    const used: Record<string, unknown> = rq.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) w.write(LEVEL_0, `${r}\t${usedText(used[r], hard[r])}\t${goQuantityString(hard[r])}\n`);
  });
}

/** describeLimitRangeSpec: one row per item and resource (Go walks a map: kubesim in name order). */
export function describeLimitRangeSpec(w: PrefixWriter, spec: Json, prefix: string): void {
  for (const item of (spec?.limits ?? []) as Json[]) {
    const fields = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];
    const names = new Set<string>();
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) for (const k of Object.keys(item?.[f] ?? {})) names.add(k);
    for (const k of [...names].sort()) {
      const values = fields.map((f) => (item[f]?.[k] !== undefined ? goQuantityString(item[f][k]) : '-'));
      w.write(LEVEL_0, `${prefix}${str(item.type)}\t${k}\t${values.join('\t')}\n`);
    }
  }
}

export function describeLimitRange(lr: KObject): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(lr.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(lr.metadata?.namespace)}\n`);
    w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    describeLimitRangeSpec(w, lr.spec, '');
  });
}
