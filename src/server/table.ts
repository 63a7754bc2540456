// as=Table answers (meta.k8s.io/v1 Table): the columns of kubesim's own strategy modules, so real
// kubectl prints exactly what `kubesim get` prints. As the apiserver's TableConvertor
// (pkg/printers/storage/storage.go) every column is generated (GenerateOptions{Wide: true}); the
// wide ones carry priority 1 and kubectl drops them without -o wide. Rows come in the served order.
import { strategyFor } from '../apiserver/strategy';
import type { KObject } from '../api/types';
import { cleanCell } from '../printers/tabwriter';
import type { RequestContext } from './context';
import type { Target } from './rest';

/** Does the Accept header ask for a Table (before any plain form)? */
export function isTableRequest(ctx: RequestContext): boolean {
  for (const part of (ctx.req.headers.accept ?? '').split(',')) {
    const params = part.split(';').map((x) => x.trim());
    if (params[0] !== 'application/json') continue;
    const p = Object.fromEntries(params.slice(1).map((x) => x.split('=') as [string, string]));
    if (p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) return true;
    if (!p.as) return false;
  }
  return false;
}

/** "NOMINATED NODE" → "Nominated Node": the definition's name (kubectl upper-cases it again). */
const titled = (h: string) => h.toLowerCase().replace(/(^|[ -])([a-z])/g, (_, s: string, c: string) => s + c.toUpperCase());

export function tableOf(ctx: RequestContext, t: Target, objs: KObject[], metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const cols = strategyFor(t.res.kind).columns;
  const includeObject = ctx.url.searchParams.get('includeObject') ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: metadata ?? { resourceVersion: objs[0]?.metadata.resourceVersion ?? '' },
    columnDefinitions: cols.map((c) => ({
      name: c.header === 'NAME' ? 'Name' : titled(c.header),
      type: 'string',
      format: c.header === 'NAME' ? 'name' : '',
      description: '',
      priority: c.wide ? 1 : 0,
    })),
    rows: objs.map((o) => ({
      cells: cols.map((c) => cleanCell(String(c.cell(o, true) ?? ''))),
      ...(includeObject === 'None' ? {} : { object: includeObject === 'Object' ? o : partial(o) }),
    })),
  };
}

/** PartialObjectMetadata: the object's metadata only. */
function partial(o: KObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}
