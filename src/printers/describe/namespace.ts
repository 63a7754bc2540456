// kubectl describe namespace (describe.go describeNamespace, DescribeResourceQuotas, DescribeLimitRanges).
import type { KObject } from '../../api/types';
import {
  Json,
  LEVEL_0,
  LEVEL_1,
  PrefixWriter,
  formatRFC1123Z,
  printAnnotationsMultiline,
  printLabelsMultiline,
  str,
  tabbedString,
} from './common';
import { ZERO, formatQuantity, parseQuantity } from '../../api/quantity';

/** A quantity field printed as Quantity.String(); a missing one is the zero quantity "0". */
function quantityText(v: unknown): string {
  return formatQuantity(parseQuantity(v) ?? ZERO);
}

/** Help text kubectl prints under a quota scope (helpTextForResourceQuotaScope). */
const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** describe.go DescribeResourceQuotas */
function describeResourceQuotas(w: PrefixWriter, quotas: Json[]): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  const byName = [...quotas].sort((a, b) => (str(a.metadata?.name) < str(b.metadata?.name) ? -1 : 1));
  for (const q of byName) {
    w.write(LEVEL_1, `Name:\t${str(q.metadata?.name)}\n`);
    const scopes = [...((q.spec?.scopes ?? []) as string[])].sort();
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard: Record<string, string> = q.status?.hard ?? {};
    const used: Record<string, string> = q.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) w.write(LEVEL_1, `${r}\t${quantityText(used[r])}\t${quantityText(hard[r])}\n`);
  }
}

/** describe.go describeLimitRangeSpec. kubectl walks a Go map here (random order); we sort by name. */
function describeLimitRangeSpec(w: PrefixWriter, spec: Json, prefix: string): void {
  for (const item of (spec?.limits ?? []) as Json[]) {
    const fields = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];
    const names = new Set<string>();
    for (const f of fields) for (const k of Object.keys(item[f] ?? {})) names.add(k);
    for (const k of [...names].sort()) {
      const values = fields.map((f) => (item[f]?.[k] !== undefined ? quantityText(item[f][k]) : '-'));
      w.write(LEVEL_0, `${prefix}${str(item.type)}\t${k}\t${values.join('\t')}\n`);
    }
  }
}

/** describe.go DescribeLimitRanges */
function describeLimitRanges(w: PrefixWriter, limitRanges: Json[]): void {
  if (limitRanges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of limitRanges) describeLimitRangeSpec(w, lr.spec, ' ');
}

/** The namespace Conditions table (only when there are conditions). */
function describeNamespaceConditions(w: PrefixWriter, conditions: Json[]): void {
  if (conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n');
  w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
  w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
  for (const c of conditions) {
    w.write(LEVEL_1, `${str(c.type)}\t${str(c.status)}\t${formatRFC1123Z(c.lastTransitionTime)}\t${str(c.reason)}\t${str(c.message)}\n`);
  }
}

/**
 * kubectl describe namespace. Pass the namespace's ResourceQuotas and LimitRanges; null for either
 * means the server does not serve that resource, and its section is left out.
 */
export function describeNamespace(ns: KObject, resourceQuotas: KObject[] | null = [], limitRanges: KObject[] | null = []): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(ns.metadata?.name)}\n`);
    printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
    w.write(LEVEL_0, `Status:\t${str(ns.status?.phase)}\n`);
    describeNamespaceConditions(w, ns.status?.conditions ?? []);
    if (resourceQuotas) {
      w.write(LEVEL_0, '\n');
      describeResourceQuotas(w, resourceQuotas);
    }
    if (limitRanges) {
      w.write(LEVEL_0, '\n');
      describeLimitRanges(w, limitRanges);
    }
  });
}
