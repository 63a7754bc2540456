// Shared pieces of kubectl describe (kubernetes/kubectl pkg/describe/describe.go as built into kubectl
// 1.32): the PrefixWriter, tabbedString, label/annotation/taint/toleration blocks, the Events table and
// time formatting. Every describer writes its whole text into one Go tabwriter (minwidth 0, tabwidth 8,
// padding 2) flushed once at the end: PrefixWriter.Flush in DescribeEvents is a no-op in kubectl because
// tabwriter.Writer.Flush returns an error and so does not satisfy the `flusher` interface. Alignment
// blocks therefore run across the whole output and end only at a line without a tab.

import type { KObject } from '../../api/types';
import { DESCRIBE_TABS, tabwrite } from '../tabwriter';
import { humanDuration } from '../../util/duration';
import { nowMs } from '../../util/clock';
import { goSort } from '../../util/gosort';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

/** Loosely typed JSON objects: describers read user-supplied objects that may miss any field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** cli-runtime printers.WriteEscaped: terminal escapes are made visible, never sent to the terminal. */
function escapeTerminal(s: string): string {
  return s.replace(/[\x1b\r]/g, (c) => (c === '\x1b' ? '^[' : '\\r'));
}

/** kubectl's prefixWriter: each level indents by two spaces; text is already formatted by the caller. */
export class PrefixWriter {
  private readonly parts: string[] = [];

  write(level: number, text: string): void {
    this.parts.push(escapeTerminal('  '.repeat(level) + text));
  }

  /** WriteLine(a...) = fmt.Sprintln: the text then a newline, no indentation. */
  writeLine(text = ''): void {
    this.parts.push(escapeTerminal(text + '\n'));
  }

  text(): string {
    return this.parts.join('');
  }
}

/** describe.go tabbedString: run the writer, then align the whole text in one tabwriter pass. */
export function tabbedString(fn: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  fn(w);
  return tabwrite(w.text(), DESCRIBE_TABS);
}

// ---- values ----

/** Go's %v for a possibly missing scalar: missing strings print empty. */
export function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** Go's %d for a possibly missing int field (zero value 0). */
export function int(v: unknown): string {
  return typeof v === 'number' ? String(Math.trunc(v)) : '0';
}

/** describe.go stringOrNone */
export function stringOrNone(s: string): string {
  return s.length > 0 ? s : '<none>';
}

/** describe.go printBool */
export function printBool(v: unknown): string {
  return v === true ? 'True' : 'False';
}

/** Go's %v of a *bool: kubectl 1.32 prints the pointer itself, i.e. a heap address when it is set.
 * We cannot reproduce the address, so a fixed address-shaped value stands in for it. */
export function goBoolPointer(v: unknown): string {
  return typeof v === 'boolean' ? '0xc0004a2f38' : '<nil>';
}

/** Go's %q for ASCII-printable text (used for subPath and annotation maps). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Byte length as Go's len(string) counts it (UTF-8). */
export function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// ---- time ----

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Parses an RFC 3339 (metav1.Time) or RFC 3339 micro (metav1.MicroTime) timestamp; NaN if unset. */
export function parseTime(ts: unknown): number {
  return typeof ts === 'string' && ts !== '' ? Date.parse(ts) : NaN;
}

/**
 * time.Time.Format(time.RFC1123Z), "Mon, 02 Jan 2006 15:04:05 -0700". metav1.Time decodes into the
 * local zone (pt.Local()), so kubectl prints the machine's local time: "+0000" under TZ=UTC. An unset
 * time is Go's zero time, which stays in UTC.
 */
export function formatRFC1123Z(ts: unknown): string {
  const ms = parseTime(ts);
  if (Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const zone = `${sign}${pad2(Math.floor(Math.abs(off) / 60))}${pad2(Math.abs(off) % 60)}`;
  return (
    `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${String(d.getFullYear()).padStart(4, '0')} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone}`
  );
}

/** describe.go translateTimestampSince / translateMicroTimestampSince: "<unknown>" for an unset time. */
export function timestampSince(ts: unknown): string {
  const ms = parseTime(ts);
  if (Number.isNaN(ms)) return '<unknown>';
  // Go: int(d.Seconds()) truncates toward zero, so up to a second in the future is still "0s"
  const elapsed = nowMs() - ms;
  return humanDuration(elapsed < 0 ? Math.ceil(elapsed / 1000) * 1000 : elapsed);
}

// ---- maps ----

/** labels.FormatLabels: sorted k=v joined by ",", "<none>" when empty. */
export function formatLabels(m: Record<string, string> | null | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** metav1.FormatLabelSelector: the selector's String(), "<none>" when it selects everything. */
export function formatLabelSelector(sel: Json): string {
  if (!sel) return '<none>';
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>)) reqs.push([k, `${k}=${v}`]);
  for (const e of (sel.matchExpressions ?? []) as Json[]) {
    const values = [...new Set<string>(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        reqs.push([e.key, `${e.key} in (${values})`]);
        break;
      case 'NotIn':
        reqs.push([e.key, `${e.key} notin (${values})`]);
        break;
      case 'Exists':
        reqs.push([e.key, e.key]);
        break;
      case 'DoesNotExist':
        reqs.push([e.key, `!${e.key}`]);
        break;
      default:
        return '<error>';
    }
  }
  const s = reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
  return s.length > 0 ? s : '<none>';
}

/** describe.go printLabelsMultilineWithIndent */
export function printLabelsMultilineWithIndent(
  w: PrefixWriter,
  initialIndent: string,
  title: string,
  innerIndent: string,
  labels: Record<string, string> | null | undefined,
  skip: ReadonlySet<string> = new Set(),
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {})
    .filter((k) => !skip.has(k))
    .sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + innerIndent);
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

/** describe.go printLabelsMultiline */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | null | undefined): void {
  printLabelsMultilineWithIndent(w, '', title, '\t', labels);
}

// annotations kubectl never shows
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

/** describe.go shorten: cut at maxLength bytes and mark with "...". */
function shorten(s: string, maxLength: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length > maxLength ? b.subarray(0, maxLength).toString('utf8') + '...' : s;
}

/**
 * describe.go printAnnotationsMultiline: `key: value` per line; a value that is multi-line, or whose
 * key+value exceed 140 bytes, goes on indented lines below the key, each cut to 138 bytes + "...".
 */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | null | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = str(annotations![key]).replace(/\n$/, '');
    if (byteLen(value) + byteLen(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const line of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** core/v1 Taint.ToString */
export function taintToString(t: Json): string {
  const key = str(t.key);
  const value = str(t.value);
  const effect = str(t.effect);
  if (effect === '') return value === '' ? key : `${key}=${value}:`;
  return value === '' ? `${key}:${effect}` : `${key}=${value}:${effect}`;
}

/** describe.go printTaintsMultilineWithIndent: sorted (Go's unstable sort) by "effect,key". */
export function printNodeTaintsMultiline(w: PrefixWriter, title: string, taints: Json[] | null | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const cmpKey = (t: Json): string => `${str(t.effect)},${str(t.key)}`;
  const sorted = goSort([...taints], (a, b) => cmpKey(a) < cmpKey(b));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${taintToString(t)}\n`);
  });
}

/** describe.go printTolerationsMultilineWithIndent: sorted (Go's unstable sort) by key. */
export function printTolerationsMultilineWithIndent(
  w: PrefixWriter,
  initialIndent: string,
  title: string,
  innerIndent: string,
  tolerations: Json[] | null | undefined,
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = goSort([...tolerations], (a, b) => str(a.key) < str(b.key));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + innerIndent);
    w.write(LEVEL_0, tolerationText(t) + '\n');
  });
}

/** One toleration as kubectl writes it: key[=value][:effect][ op=Exists][ for Ns]. */
function tolerationText(t: Json): string {
  const key = str(t.key);
  const value = str(t.value);
  const effect = str(t.effect);
  let s = key;
  if (value !== '') s += `=${value}`;
  if (effect !== '') s += `:${effect}`;
  // `operator: Exists` with no value tolerates everything matching the key (or everything)
  if (t.operator === 'Exists' && value === '') s += key !== '' || effect !== '' ? ' op=Exists' : 'op=Exists';
  if (typeof t.tolerationSeconds === 'number') s += ` for ${Math.trunc(t.tolerationSeconds)}s`;
  return s;
}

/** describe.go printPodTolerationsMultiline */
export function printPodTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Json[] | null | undefined): void {
  printTolerationsMultilineWithIndent(w, '', title, '\t', tolerations);
}

// ---- events ----

/** kubectl 1.32 event.SortableEvents orders by lastTimestamp alone; an unset one is Go's zero time. */
function eventSortTime(e: Json): number {
  const t = parseTime(e.lastTimestamp);
  return Number.isNaN(t) ? -Infinity : t;
}

/** The Age column: "<since first>" or "<since last> (xN over <since first>)". */
function eventInterval(e: Json): string {
  const firstSince = Number.isNaN(parseTime(e.eventTime)) ? timestampSince(e.firstTimestamp) : timestampSince(e.eventTime);
  if (e.series) return `${timestampSince(e.series.lastObservedTime)} (x${int(e.series.count)} over ${firstSince})`;
  if (typeof e.count === 'number' && e.count > 1) return `${timestampSince(e.lastTimestamp)} (x${e.count} over ${firstSince})`;
  return firstSince;
}

/**
 * describe.go DescribeEvents. `events` undefined/null means events were not requested
 * (--show-events=false): no Events section at all. Empty → "Events:\t<none>", part of the block above.
 */
export function describeEvents(w: PrefixWriter, events: KObject[] | null | undefined): void {
  if (!events) return;
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  const sorted = goSort([...events] as Json[], (a, b) => eventSortTime(a) < eventSortTime(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    // kubectl 1.32 shows source.component only (reportingController is not consulted)
    const from = str(e.source?.component);
    w.write(LEVEL_1, `${str(e.type)}\t${str(e.reason)}\t${eventInterval(e)}\t${from}\t${str(e.message).trim()}\n`);
  }
}
