// Test-only crash points: KUBESIM_TEST_CRASH=<step>[:<n>] kills the process (SIGKILL, as a power cut
// or `kill -9` would) the n-th time it reaches <step>; KUBESIM_TEST_STEPS=<file> appends each step
// reached, so a harness can enumerate every point of a commit and crash at each.
import * as fs from 'fs';
import { perCommand } from '../util/percommand';

const counts = new Map<string, number>();
let target: { step: string; n: number } | null | undefined;
perCommand(() => {
  counts.clear();
  target = undefined;
});

export function crashPoint(step: string): void {
  if (target === undefined) {
    const env = process.env.KUBESIM_TEST_CRASH;
    const m = env ? /^([a-z-]+)(?::(\d+))?$/.exec(env) : null;
    target = m ? { step: m[1], n: Number(m[2] ?? 1) } : null;
  }
  const log = process.env.KUBESIM_TEST_STEPS;
  if (!target && !log) return;
  const n = (counts.get(step) ?? 0) + 1;
  counts.set(step, n);
  if (log) fs.appendFileSync(log, `${step}\n`);
  if (target && target.step === step && target.n === n) process.kill(process.pid, 'SIGKILL');
}
