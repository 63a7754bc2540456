// The cluster clock. KUBESIM_NOW (RFC 3339) freezes it so outputs with AGE columns are reproducible.
let frozen: number | undefined;
let checked = false;

export function nowMs(): number {
  if (!checked) {
    checked = true;
    const env = process.env.KUBESIM_NOW;
    if (env) {
      const t = Date.parse(env);
      if (Number.isNaN(t)) throw new Error(`KUBESIM_NOW is not an RFC 3339 time: ${env}`);
      frozen = t;
    }
  }
  return frozen ?? Date.now();
}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time: 2024-01-02T03:04:05Z */
let lastSecond = NaN;
let lastText = '';
export function rfc3339(ms: number = nowMs()): string {
  // a command stamps thousands of objects within the same second: format it once
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

/** For tests: forget the cached KUBESIM_NOW. */
export function resetClock(): void {
  checked = false;
  frozen = undefined;
}
