// What a module remembers for the one command a kubesim process runs (the kubeconfig it read, who
// the requester is, KUBESIM_NOW, the warnings already printed …). `kubesim serve` runs many commands
// in one process (cli/serverun.ts): before each, every module that was loaded forgets, through the
// reset it registered here.
const resets: (() => void)[] = [];

/** Registers how a module forgets its per-command state (called once, at module load). */
export function perCommand(reset: () => void): void {
  resets.push(reset);
}

/** Before a command runs in a process that ran others: every loaded module starts afresh. */
export function resetPerCommand(): void {
  for (const r of resets) r();
}
