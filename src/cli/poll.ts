// Following something until the user interrupts: `get -w` and `logs -f` poll the state files
// (other kubesim processes replace them atomically) and exit 0 on SIGINT or SIGTERM, as kubectl does.
export function pollUntilInterrupted(tick: () => void, ms = 250): () => void {
  const timer = setInterval(tick, ms);
  const stop = () => {
    clearInterval(timer);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => clearInterval(timer);
}

/** Ends the process (exit 0) on SIGINT or SIGTERM, after stopping what follows the state. */
export function untilInterrupted(stop: () => void): void {
  const end = () => {
    stop();
    process.exit(0);
  };
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
}
