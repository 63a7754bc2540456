// kubectl create quota (kubectl pkg/cmd/create/create_quota.go createQuota): --hard's
// resource=quantity pairs (populateResourceListV1) and --scopes (parseScopes), as kubectl builds
// the ResourceQuota: each quantity as resource.Quantity marshals it (its own text when ParseQuantity
// keeps it, else the canonical form), the map's keys in order as encoding/json writes them.
import { CliError } from '../api/errors';
import { quantityProblem } from '../api/decode';
import { goQuantityString } from '../api/quota';
import type { KObject } from '../api/types';

const fail = (msg: string): never => {
  throw new CliError(`error: ${msg}`, true);
};

/** populateResourceListV1: "" is no list at all. */
export function parseHard(spec: string | undefined): Record<string, string> | undefined {
  if (!spec) return undefined;
  const pairs: [string, string][] = [];
  for (const statement of spec.split(',')) {
    const parts = statement.split('=');
    if (parts.length !== 2) fail(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    const problem = quantityProblem(parts[1]);
    if (problem || parts[1].trim() !== parts[1]) fail(problem ?? "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    pairs.push([parts[0], goQuantityString(parts[1])]);
  }
  // a later pair for the same resource replaces an earlier one; the keys print sorted
  const byName = new Map(pairs);
  const out: Record<string, string> = Object.create(null);
  for (const k of [...byName.keys()].sort()) out[k] = byName.get(k)!;
  return out;
}

/** parseScopes: the apiserver, not kubectl, checks the names. */
export function parseScopes(spec: string | undefined): string[] | undefined {
  if (!spec) return undefined;
  const scopes = spec.split(',');
  if (scopes.some((s) => s === '')) fail('invalid resource quota scope ""');
  return scopes;
}

export function quotaFor(name: string, namespace: string | undefined, o: { hard?: string; scopes?: string }): KObject {
  if (name === '') fail('name must be specified');
  const hard = parseHard(o.hard);
  const scopes = parseScopes(o.scopes);
  const spec: Record<string, unknown> = {};
  if (hard) spec.hard = hard;
  if (scopes) spec.scopes = scopes;
  return {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null },
    spec,
    status: {},
  } as unknown as KObject;
}
