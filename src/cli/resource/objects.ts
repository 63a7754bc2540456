// The objects of -f as the verbs that write them see them: each one's resource (or kubectl's
// "resource mapping not found"), its namespace, and one locked pass over all of them.
import { CliError, StatusError } from '../../api/errors';
import { resourceForKind, type Resource } from '../../api/resources';
import type { KObject } from '../../api/types';
import type { ApiClient } from '../../apiserver/client';
import { mutateApi, namespaceOf, type GlobalOptions } from '../context';
import { inOrder, type Outcome, type OutputPart } from '../outcome';
import { readManifests, type SourcedObject } from './files';

/** The resource of a manifest object, or kubectl's "resource mapping not found" error. */
export function mappingFor(obj: KObject, source: string): Resource {
  const res = resourceForKind(obj.apiVersion, obj.kind);
  if (!res) {
    const ns = obj.metadata?.namespace ?? '';
    throw new CliError(
      `error: resource mapping not found for name: ${JSON.stringify(obj.metadata?.name ?? '')} namespace: ${JSON.stringify(ns)} from ${JSON.stringify(source)}: no matches for kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(obj.apiVersion)}\nensure CRDs are installed first`,
      true,
    );
  }
  return res;
}

/** The namespace a manifest object goes to: its own, else -n, else default; a conflict is an error. */
export function placeObject(g: GlobalOptions, res: Resource, obj: KObject): void {
  if (!res.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const own = obj.metadata.namespace;
  if (own && g.namespace && own !== g.namespace) {
    throw new CliError(`error: the namespace from the provided object "${own}" does not match the namespace "${g.namespace}". You must pass '--namespace=${own}' to perform this operation.`, true);
  }
  obj.metadata.namespace = own || namespaceOf(g);
}

/**
 * Runs fn on every object of the -f arguments in one locked transaction (a dry run: one that is
 * never written). Each object's failure is collected (a StatusError gets kubectl's "error when
 * <verb> "file"") and the others go on. What fn puts in `stderr` (warnings, whole lines) is
 * written before that object's result, as kubectl does.
 */
export function forEachManifest(
  g: GlobalOptions,
  files: string[],
  recursive: boolean,
  verb: () => string,
  fn: (api: ApiClient, item: SourcedObject, res: Resource, stderr: string[]) => string,
  dryRun = false,
  finish?: Finish,
): Outcome {
  const { objects, errors: readErrors } = readManifests(files, recursive);
  return forEachObject(g, objects, readErrors.map((e) => e.error), verb, fn, dryRun, [], finish);
}

/** Work after every object went well, in the same transaction (apply --prune): its stdout. */
export type Finish = (api: ApiClient) => string;

/** forEachManifest over objects already read (-k's build); `errors` are the reading's, reported last. */
export function forEachObject(
  g: GlobalOptions,
  objects: SourcedObject[],
  readErrors: unknown[],
  verb: () => string,
  fn: (api: ApiClient, item: SourcedObject, res: Resource, stderr: string[]) => string,
  dryRun = false,
  parts: OutputPart[] = [],
  finish?: Finish,
): Outcome {
  const errors: unknown[] = [...readErrors];
  mutateApi(g, (api) => {
    for (const item of objects) {
      const stderr: string[] = [];
      try {
        const res = mappingFor(item.obj, item.source);
        placeObject(g, res, item.obj);
        const out = fn(api, item, res, stderr);
        parts.push(...stderr.map((text) => ({ text, stderr: true })), { text: out });
      } catch (e) {
        parts.push(...stderr.map((text) => ({ text, stderr: true })));
        if (e instanceof StatusError) errors.push(e.withSource(verb(), item.source));
        else if (e instanceof CliError) errors.push(e);
        else throw e;
      }
    }
    if (finish && errors.length === 0) parts.push({ text: finish(api) });
  }, dryRun);
  return inOrder(parts, errors);
}

