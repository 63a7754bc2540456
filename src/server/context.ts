// What every handler of `kubesim serve` gets for one request, and the answers they all give: JSON
// bodies and the apiserver's Status errors (apimachinery pkg/api/errors, metav1.Status). The server
// holds no cluster state between requests: each request is one transaction over the state directory
// (src/apiserver/transaction.ts), as one CLI command is.
import type * as http from 'http';
import { StatusError, errorBody, type FieldError } from '../api/errors';
import type { Store } from '../store/store';

export interface RequestContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  /** the path split on '/' without empties: ['api', 'v1', 'namespaces', 'default', 'pods'] */
  segments: string[];
  store: Store;
  /** the request body, read once */
  body(): Promise<Buffer>;
  /** an Upgrade request (WebSocket, SPDY: exec, attach, port-forward): its raw socket, taken over by src/server/streams.ts */
  upgrade?: { socket: import('net').Socket; head: Buffer };
  /** the CLI command runner of POST /kubesim/v1/run (server/run.ts) */
  runner?: import('./run').Runner;
}

/** Who makes the request. Every request is the cluster admin until authentication lands (RBAC). */
export function requestUser(_ctx: RequestContext): { name: string; groups: string[] } {
  return { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
}

export function sendJSON(ctx: RequestContext, status: number, obj: unknown, headers: Record<string, string> = {}): void {
  const body = typeof obj === 'string' ? obj : JSON.stringify(obj);
  ctx.res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  ctx.res.end(body);
}

/** metav1.StatusReason → the HTTP code the apiserver answers it with (apimachinery pkg/api/errors). */
const CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** field.ErrorType → metav1.CauseType (apimachinery pkg/util/validation/field/errors.go). */
const CAUSE_TYPES: Record<string, string> = {
  'Required value': 'FieldValueRequired',
  'Invalid value': 'FieldValueInvalid',
  Forbidden: 'FieldValueForbidden',
  'Unsupported value': 'FieldValueNotSupported',
  'Duplicate value': 'FieldValueDuplicate',
  'Too long': 'FieldValueTooLong',
  'Not found': 'FieldValueNotFound',
  'Too many': 'FieldValueTooMany',
};

/** The metav1.Status of an error (a StatusError; anything else is an InternalError, as a panic's). */
export function statusOf(err: unknown): { code: number; status: Record<string, unknown> } {
  if (!(err instanceof StatusError)) {
    const message = err instanceof Error ? err.message.replace(/^error: /, '') : String(err);
    return { code: 500, status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 } };
  }
  const code = (err as { code?: number }).code ?? CODES[err.reason] ?? 500;
  const status: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code };
  const d = err.details;
  if (d) {
    const details: Record<string, unknown> = {};
    if (d.name) details.name = d.name;
    if (d.group) details.group = d.group;
    if (d.kind) details.kind = d.kind;
    if (d.causes?.length) details.causes = d.causes.map(causeOf);
    status.details = details;
  } else if (typeof (err as { cause?: unknown }).cause === 'string') {
    // an EvictionError's DisruptionBudget cause (pkg/registry/core/pod/storage/eviction.go)
    status.details = { causes: [{ reason: 'DisruptionBudget', message: (err as { cause?: string }).cause }] };
  } else if (err.reason === 'NotFound') {
    // a path nothing serves (the apiserver's NotFoundHandler: NewGenericServerResponse with empty details)
    status.details = {};
  }
  return { code, status };
}

function causeOf(e: FieldError): Record<string, unknown> {
  return { reason: CAUSE_TYPES[e.type] ?? 'FieldValueInvalid', message: errorBody(e), field: e.field };
}

/** An error as the apiserver answers it: the Status JSON with its code. */
export function sendStatus(ctx: RequestContext, err: unknown): void {
  const { code, status } = statusOf(err);
  sendJSON(ctx, code, status);
}
