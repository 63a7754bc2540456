// The writes of the REST API (POST, PUT, PATCH, DELETE) and the subresources.
import { StatusError } from '../api/errors';
import type { RequestContext } from './context';
import type { Target } from './rest';

export async function writeRequest(ctx: RequestContext, t: Target): Promise<void> {
  void t;
  throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
}
