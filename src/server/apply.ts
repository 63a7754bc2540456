// PATCH with application/apply-patch+yaml: server-side apply (src/apiserver/serverside.ts, what
// `kubesim apply --server-side` runs) as one transaction. kubectl sends the configuration as JSON,
// other clients YAML. The apiserver's patch handler (endpoints/handlers/patch.go) requires a
// fieldManager for apply and answers 201 when the apply created the object.
import { StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { serverSideApply } from '../apiserver/serverside';
import { threeWay } from '../apiserver/threeway';
import { mutateClient } from '../apiserver/transaction';
import { yaml } from '../util/yaml';
import { sendJSON, type RequestContext } from './context';
import { atVersion, type Target } from './rest';
import { dryRunVersion } from '../apiserver/client';
import { storedVersion } from './write';

function configOf(text: string): KObject {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    try {
      v = yaml().parse(text);
    } catch (e) {
      throw new StatusError('BadRequest', `error decoding YAML: ${(e as Error).message}`);
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new StatusError('BadRequest', 'error decoding YAML: the body is not an object');
  return v as KObject;
}

export async function applyPatch(ctx: RequestContext, t: Target, subresource?: string): Promise<void> {
  if (subresource) throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const fieldManager = ctx.url.searchParams.get('fieldManager') ?? '';
  if (!fieldManager) throw new StatusError('Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', { kind: 'PatchOptions', group: 'meta.k8s.io', name: '', causes: [{ type: 'Required value', field: 'fieldManager', detail: 'is required for apply patch' }] });
  const obj = configOf((await ctx.body()).toString('utf8'));
  obj.metadata ??= {} as KObject['metadata'];
  if (obj.metadata.name !== undefined && obj.metadata.name !== t.name) {
    throw new StatusError('BadRequest', `the name of the object (${obj.metadata.name}) does not match the name on the URL (${t.name})`);
  }
  obj.metadata.name = t.name!;
  if (t.res.namespaced && t.namespace) obj.metadata.namespace = t.namespace;
  const force = ctx.url.searchParams.get('force') === 'true';
  const dryRun = ctx.url.searchParams.getAll('dryRun').includes('All');
  const { out, created, stored } = mutateClient(
    ctx.store,
    (api) => {
      const stored = storedVersion(api, t);
      return { out: serverSideApply(api, t.res, obj, { fieldManager, force }, threeWay), created: stored === undefined, stored };
    },
    dryRun,
  );
  if (dryRun) dryRunVersion(out, stored);
  sendJSON(ctx, created ? 201 : 200, atVersion(out, t));
}
