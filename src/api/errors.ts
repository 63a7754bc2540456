// apiserver Status errors and the way kubectl prints them (kubectl pkg/cmd/util/helpers.go checkErr,
// apimachinery pkg/api/errors and pkg/util/validation/field).
import { qualifiedPlural, type Resource } from './resources';

export type FieldErrorType = 'Required value' | 'Invalid value' | 'Forbidden' | 'Unsupported value' | 'Duplicate value' | 'Too long' | 'Not found' | 'Too many';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
}

/**
 * A value the apiserver prints with Go's %#v: an internal struct such as
 * apps.DeploymentStrategy{Type:"x", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}.
 */
export class GoSyntax {
  constructor(public text: string) {}
}

/** field.Error.ErrorBody(): ints and bools raw, strings quoted, lists and maps as JSON, internal structs as %#v. */
export function errorBody(e: FieldError): string {
  let s: string = e.type;
  const bare = e.type === 'Required value' || e.type === 'Forbidden' || e.type === 'Too long' || e.value === undefined;
  if (!bare) {
    const v = e.value;
    if (v === null) s += ': null';
    else if (typeof v === 'number' || typeof v === 'boolean') s += `: ${v}`;
    else if (typeof v === 'string') s += `: ${JSON.stringify(v)}`;
    else if (v instanceof GoSyntax) s += `: ${v.text}`;
    else s += `: ${JSON.stringify(v)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'Required value', field, detail });
export const invalid = (field: string, value: unknown, detail?: string): FieldError => ({ type: 'Invalid value', field, value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'Duplicate value', field, value });
export const unsupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'Unsupported value',
  field,
  value,
  detail: `supported values: ${supported.map((x) => JSON.stringify(x)).join(', ')}`,
});

/** An error the apiserver would answer with a Status (reason NotFound, AlreadyExists, Invalid …). */
export class StatusError extends Error {
  constructor(
    public reason: string,
    message: string,
    public details?: { kind: string; name: string; group?: string; causes?: FieldError[] },
  ) {
    super(message);
  }
  /** kubectl's AddSourceToErr: "error when creating "f.yaml": …" */
  withSource(verb: string, source: string | undefined): StatusError {
    if (!source) return this;
    return new StatusError(this.reason, `error when ${verb} ${JSON.stringify(source)}: ${this.message}`, this.details);
  }
}

export function notFound(res: Resource, name: string): StatusError {
  // StatusDetails name the resource (plural) and its group, as NewNotFound(qualifiedResource, name)
  return new StatusError('NotFound', `${qualifiedPlural(res)} ${JSON.stringify(name)} not found`, { kind: res.plural, group: res.group || undefined, name });
}

export function alreadyExists(res: Resource, name: string): StatusError {
  return new StatusError('AlreadyExists', `${qualifiedPlural(res)} ${JSON.stringify(name)} already exists`, { kind: res.plural, group: res.group || undefined, name });
}

/** Kind as apimachinery's GroupKind.String(): "Service", "Deployment.apps". */
export function invalidError(res: Resource, name: string, causes: FieldError[]): StatusError {
  const qkind = res.group ? `${res.kind}.${res.group}` : res.kind;
  const agg = causes.length === 1 ? fieldErrorString(causes[0]) : `[${causes.map(fieldErrorString).join(', ')}]`;
  // the message names the group ("Deployment.apps"), StatusDetails.kind does not ("Deployment")
  return new StatusError('Invalid', `${qkind} ${JSON.stringify(name)} is invalid: ${agg}`, { kind: res.kind, name, causes });
}

/** An admission refusal: `pods "x" is forbidden: …` (as ResourceQuota's "exceeded quota"). */
export function forbiddenError(res: Resource, name: string, why: string): StatusError {
  return new StatusError('Forbidden', `${qualifiedPlural(res)} ${JSON.stringify(name)} is forbidden: ${why}`);
}

export function badRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

/** A BadRequest for unknown fields (fieldValidation=Strict), with each `unknown field "…"` error. */
export class StrictDecodingError extends StatusError {
  constructor(
    message: string,
    public errors: string[],
  ) {
    super('BadRequest', message);
  }
}

/** A plain client-side error: kubectl prints it as "error: <message>". */
export class CliError extends Error {
  /** raw: print the message as it is, without kubectl's "error: " prefix. */
  constructor(message: string, public raw = false) {
    super(message);
  }
}

/** StandardErrorMessage: how one error reads inside a list of several. */
function standardMessage(err: unknown): string {
  if (err instanceof StatusError) return `Error from server (${err.reason}): ${err.message}`;
  const msg = err instanceof Error ? err.message : String(err);
  return msg;
}

/**
 * checkErr: the text kubectl writes to stderr for the errors of one command (without the final
 * newline). A single Invalid error prints "The Kind "name" is invalid: …" (one line per cause when
 * there are several); several errors print one StandardErrorMessage per line.
 */
export function formatErrors(errs: unknown[]): string {
  if (errs.length === 1) {
    const err = errs[0];
    if (err instanceof StatusError && err.reason === 'Invalid' && err.details) {
      // an Invalid without kind and name (a patch's): "The request is invalid"
      const s = err.details.kind || err.details.name ? `The ${err.details.kind} ${JSON.stringify(err.details.name)} is invalid` : 'The request is invalid';
      const causes = err.details.causes ?? [];
      if (causes.length === 0) return s;
      if (causes.length === 1) return `${s}: ${fieldErrorString(causes[0])}`;
      return `${s}: \n` + causes.map((c) => `* ${fieldErrorString(c)}`).join('\n');
    }
    if (err instanceof StatusError) return standardMessage(err);
    const msg = err instanceof Error ? err.message : String(err);
    if (err instanceof CliError && err.raw) return msg;
    return msg.startsWith('error: ') ? msg : `error: ${msg}`;
  }
  return errs.map(standardMessage).join('\n');
}
