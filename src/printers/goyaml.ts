// kubectl writes YAML with go-yaml v2 (sigs.k8s.io/yaml), which resolves plain scalars by YAML 1.1
// rules: a string that would read back as a bool, number, null or timestamp is double-quoted
// ("true", "80", "", "2025-03-01T12:00:00Z"); other strings that cannot be plain are single-quoted.
const BOOL_OR_NULL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '~', 'null', 'Null', 'NULL', '',
]);
const INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/** characters go-yaml cannot write in a plain or single-quoted scalar (is_printable is false) */
const NOT_PRINTABLE = /[\x00-\x08\x09\x0b-\x1f\x7f]/;

export function goYamlNeedsDoubleQuotes(s: string): boolean {
  return NOT_PRINTABLE.test(s) || BOOL_OR_NULL.has(s) || INT.test(s) || FLOAT.test(s) || SPECIAL_FLOAT.test(s) || BASE60.test(s) || TIMESTAMP.test(s) || s === '<<';
}
