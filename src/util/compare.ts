// Byte-order string comparison, as Go's sort does. (String.prototype.localeCompare would also load
// ICU's collator, which costs several milliseconds on every command.)
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy of a JSON value; for plain JSON it is several times faster than structuredClone. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * obj[key] = value, with the key always data: "__proto__" from a manifest, a label or a redis key
 * becomes an own property as JSON.parse makes it, never the object's prototype.
 */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
