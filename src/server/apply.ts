// PATCH with application/apply-patch+yaml: server-side apply.
import { StatusError } from '../api/errors';
import type { RequestContext } from './context';
import type { Target } from './rest';

export async function applyPatch(_ctx: RequestContext, _t: Target, _subresource?: string): Promise<void> {
  throw new StatusError('UnsupportedMediaType', 'server-side apply is not served yet');
}
