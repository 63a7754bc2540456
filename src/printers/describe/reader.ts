// The describers' reads through the API (the CLI's describe and the dashboard's side panel).
import { StatusError } from '../../api/errors';
import { resourceByKind } from '../../api/resources';
import type { ApiClient } from '../../apiserver/client';
import type { DescribeReader } from './index';

/**
 * kubectl's describers ignore a failed secondary read (events, a Deployment's ReplicaSets …): one
 * the user may not make reads as nothing.
 */
export function readerOf(api: ApiClient): DescribeReader {
  const allowed = <T>(read: () => T, none: T): T => {
    try {
      return read();
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'Forbidden') return none;
      throw e;
    }
  };
  return {
    list: (kind, namespace) => allowed(() => api.list(resourceByKind(kind), namespace), []),
    find: (kind, namespace, name) => allowed(() => api.find(resourceByKind(kind), namespace, name), undefined),
  };
}
