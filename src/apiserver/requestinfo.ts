// The apiserver's RequestInfo (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): the
// authorizer's attributes of an HTTP request. Shared by `kubesim serve` (src/server/auth.ts) and the
// in-cluster apiserver a pod reaches (src/network/apiserverapp.ts).
import { RESOURCES } from '../api/resources';
import type { Attributes } from './authorizer';

/** /namespaces/NAME/<these> is the namespace itself (requestinfo.go namespaceSubresources) */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * A resource request under /api/v1 and /apis/<group>/<version>, anything else a non-resource URL with
 * the method as its verb. /watch/ paths and ?watch=true are watches; the namespace of
 * /namespaces/NAME is NAME. kubesim's own rules on top: exec, attach and port-forward are `create`
 * whatever method upgrades them, as the CLI's checks ask (apiserver/client.ts, cli/network.ts), and a
 * cluster-scoped resource carries no namespace.
 */
export function requestInfo(method: string, pathname: string, watchParam: string | null): Attributes {
  const s = pathname.split('/').filter((x) => x !== '').map(decodeURIComponent);
  const m = method.toLowerCase();
  const at = s[0] === 'api' ? 2 : s[0] === 'apis' ? 3 : -1;
  if (at < 0 || s.length <= at) return { verb: m, nonResourceURL: pathname };
  const group = s[0] === 'api' ? '' : s[1];
  let parts = s.slice(at);
  let verb = ({ post: 'create', put: 'update', patch: 'patch', delete: 'delete' } as Record<string, string>)[m] ?? 'get';
  if (parts[0] === 'watch' && verb === 'get') {
    verb = 'watch';
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  const [resource, name, subresource] = parts;
  if (!name && verb === 'get') verb = /^(1|true)$/.test(watchParam ?? '') ? 'watch' : 'list';
  if (!name && verb === 'delete') verb = 'deletecollection';
  if (group === '' && resource === 'pods' && (subresource === 'exec' || subresource === 'attach' || subresource === 'portforward')) verb = 'create';
  const known = RESOURCES.find((r) => r.group === group && r.plural === resource);
  if (known && !known.namespaced && !(group === '' && resource === 'namespaces')) namespace = undefined;
  return { verb, apiGroup: group, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
}
