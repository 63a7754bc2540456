// kubectl describe configmap (describe.go ConfigMapDescriber.Describe) and secret (describeSecret).
import type { KObject } from '../../api/types';
import { LEVEL_0, describeEvents, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString } from './common';

const bytesOf = (v: unknown): Buffer => (typeof v === 'string' ? Buffer.from(v, 'base64') : Array.isArray(v) ? Buffer.from(v as number[]) : Buffer.alloc(0));
/** Go walks the maps at random; kubesim prints them in key order (as kubectl does for a Secret). */
const keys = (m: unknown): string[] => (m && typeof m === 'object' ? Object.keys(m).sort() : []);

/** Each data key, a "----" rule, its value and a blank line; binary keys by size; then the events. */
export function describeConfigMap(cm: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(cm.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(cm.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', cm.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', cm.metadata?.annotations);
    w.write(LEVEL_0, '\nData\n====\n');
    const data = (cm.data ?? {}) as Record<string, unknown>;
    for (const k of keys(data)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${str(data[k])}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    const binary = (cm.binaryData ?? {}) as Record<string, unknown>;
    for (const k of keys(binary)) w.write(LEVEL_0, `${k}: ${bytesOf(binary[k]).length} bytes\n`);
    w.write(LEVEL_0, '\n');
    describeEvents(w, events);
  });
}

/** Type, then each key's size (a service account token's token itself); no events. */
export function describeSecret(secret: KObject): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(secret.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(secret.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', secret.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', secret.metadata?.annotations);
    w.write(LEVEL_0, `\nType:\t${str(secret.type)}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    const data = (secret.data ?? {}) as Record<string, unknown>;
    for (const k of keys(data)) {
      const v = bytesOf(data[k]);
      if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${v.toString('utf8')}\n`);
      else w.write(LEVEL_0, `${k}:\t${v.length} bytes\n`);
    }
  });
}
