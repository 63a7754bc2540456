// kubectl's generic describer (pkg/describe/describe.go genericDescriber, printUnstructuredContent,
// smartLabelFor) for every kind without a describer of its own: Event and Lease among kubesim's.
// kubectl 1.32's output was recorded for an Event and a node Lease and matches this byte for byte.
import { goValue } from '../../util/govalue';
import type { KObject } from '../../api/types';
import { describeEvents, LEVEL_0, printAnnotationsMultiline, printLabelsMultiline, str, tabbedString, type PrefixWriter } from './common';

const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** github.com/fatih/camelcase Split: runs of one character class, "PDFLoader" → PDF, Loader. */
export function camelSplit(src: string): string[] {
  const cls = (r: string) => (/\p{Ll}/u.test(r) ? 1 : /\p{Lu}/u.test(r) ? 2 : /\p{Nd}/u.test(r) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const r of src) {
    const c = cls(r);
    if (c === last) runs[runs.length - 1].push(r);
    else runs.push([r]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i][0]) === 2 && cls(runs[i + 1][0]) === 1) runs[i + 1].unshift(runs[i].pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** smartLabelFor: "involvedObject" → "Involved Object", "apiVersion" → "API Version"; keys with other characters as they are. */
export function smartLabelFor(field: string): string {
  if ([...field].some((r) => !/\p{L}/u.test(r) && r !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}


const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const byteOrder = (a: string, b: string) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

function printUnstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, skipPrefix: string): void {
  for (const field of Object.keys(content).sort(byteOrder)) {
    const value = content[field];
    const path = `${skipPrefix}.${field}`;
    if (SKIP.has(path)) continue;
    if (isMap(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) printUnstructuredContent(w, level + 1, child, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
  }
}

/** genericDescriber.Describe: name, namespace, labels, annotations, every other field, events. */
export function describeGeneric(obj: KObject, events?: KObject[] | null): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${str(obj.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${str(obj.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
    printUnstructuredContent(w, LEVEL_0, obj, '');
    if (events) describeEvents(w, events);
  });
}
