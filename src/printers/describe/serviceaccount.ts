// kubectl describe serviceaccount (describe.go ServiceAccountDescriber / describeServiceAccount).
import type { KObject } from '../../api/types';
import { LEVEL_0, describeEvents, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString } from './common';

/** The namespace's Secrets, or null where the server does not serve them (kubectl tolerates the error). */
export function secretsOf(read: { list(kind: string, namespace?: string): KObject[] }, namespace: string): KObject[] | null {
  try {
    return read.list('Secret', namespace);
  } catch {
    return null;
  }
}

const EMPTY_HEADER = '                   ';
/** the three headers, in the sorted order kubectl prints them (sets.StringKeySet(types).List()) */
const PULL_HEADER = 'Image pull secrets:';
const MOUNT_HEADER = 'Mountable secrets: ';
const TOKEN_HEADER = 'Tokens:            ';

/**
 * secrets: the namespace's Secrets, or null when they could not be listed (then nothing is marked
 * "(not found)", as kubectl tolerates the error). Tokens are the service-account-token Secrets
 * annotated with this account's name and uid.
 */
export function describeServiceAccount(sa: KObject, secrets: KObject[] | null, events: KObject[] | null): string {
  const tokens: string[] = [];
  const missing = new Set<string>();
  if (secrets) {
    const existing = new Set<string>();
    for (const s of secrets) {
      const ann = s.metadata?.annotations ?? {};
      if (s.type === 'kubernetes.io/service-account-token' && (ann['kubernetes.io/service-account.name'] ?? '') === sa.metadata.name && (ann['kubernetes.io/service-account.uid'] ?? '') === sa.metadata.uid) tokens.push(s.metadata.name);
      existing.add(s.metadata.name);
    }
    for (const s of [...(sa.secrets ?? []), ...(sa.imagePullSecrets ?? [])]) if (!existing.has(str(s?.name))) missing.add(str(s?.name));
  }
  const names = (list: { name?: string }[] | undefined) => (list ?? []).map((s) => str(s?.name));
  const types: [string, string[]][] = [
    [PULL_HEADER, names(sa.imagePullSecrets)],
    [MOUNT_HEADER, names(sa.secrets)],
    [TOKEN_HEADER, tokens],
  ];
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(sa.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(sa.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', sa.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', sa.metadata?.annotations);
    for (const [header, list] of types) {
      if (list.length === 0) {
        w.write(LEVEL_0, `${header}\t<none>\n`);
        continue;
      }
      let prefix = header;
      for (const name of list) {
        w.write(LEVEL_0, `${prefix}\t${name}${missing.has(name) ? ' (not found)' : ''}\n`);
        prefix = EMPTY_HEADER;
      }
    }
    describeEvents(w, events);
  });
}
