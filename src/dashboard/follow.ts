// "Follow a request" for the dashboard: the page's form (a source string and what one would type
// after curl) as network/follow.ts's request, run under the lock as `kubesim curl` runs (only what
// the nodes remember changes: the random choices, affinity, the applications' logs).
import { CliError } from '../api/errors';
import { locked } from '../apiserver/transaction';
import { follow, type FollowResult, type FollowSource, type FollowTarget } from '../network/follow';
import type { Store } from '../store/store';

export interface FollowRequest {
  /** "outside", "node/NAME" or "pod/NAMESPACE/NAME" */
  source: string;
  /** what one types after curl: host[:port][/path], a URL, a DNS name */
  destination?: string;
  /** or the target as network/follow.ts takes it */
  target?: FollowTarget;
  /** how many requests (1–100) */
  count?: number;
}

/** The page runs at most this many requests at once: the answer is drawn, not streamed. */
const MAX_COUNT = 100;

export function sourceOf(s: string): FollowSource {
  const [kind, a, b] = String(s ?? '').split('/');
  if (kind === 'outside' || kind === '') return { kind: 'outside' };
  if (kind === 'node' && a) return { kind: 'node', node: a };
  if (kind === 'pod' && a && b) return { kind: 'pod', namespace: a, name: b };
  throw new CliError(`error: unknown source "${s}": outside, node/NAME or pod/NAMESPACE/NAME`, true);
}

export function followRequest(store: Store, req: FollowRequest): FollowResult {
  const dest = String(req.destination ?? '').trim();
  if (!req.target && !dest) throw new CliError('error: a destination is required', true);
  const target: FollowTarget = req.target ?? { kind: 'url', url: /^[a-z][a-z0-9+.-]*:\/\//i.test(dest) ? dest : `http://${dest}` };
  const count = Math.max(1, Math.min(MAX_COUNT, Math.floor(Number(req.count ?? 1)) || 1));
  const source = sourceOf(req.source);
  return locked(store, (state) => follow(state, source, target, count), false, false);
}
