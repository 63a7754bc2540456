// Byte-order string comparison, as Go's sort does. (String.prototype.localeCompare would also load
// ICU's collator, which costs several milliseconds on every command.)
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
