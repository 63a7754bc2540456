// The address a kubesim server listens on (serve, dashboard): loopback unless the user names one,
// and never a wildcard (every interface), since neither server authenticates anyone.
import * as net from 'net';
import { CliError } from '../api/errors';
import { writeErr } from '../util/stdio';

function isLoopback(a: string): boolean {
  return a === 'localhost' || a === '::1' || /^127\./.test(a);
}

/** The address to listen on: loopback, or one the user named (a wildcard exposes every interface: refused). */
export function checkedAddress(a: string | undefined, verb = 'serve'): string {
  if (a === undefined) return '127.0.0.1';
  if (a === '0.0.0.0' || a === '::' || a === '') throw new CliError(`error: kubesim ${verb} will not listen on every interface (${a || '""'}): name one address with --address`, true);
  if (!isLoopback(a) && net.isIP(a) === 0) throw new CliError(`error: --address must be an IP address or localhost, got "${a}"`, true);
  if (!isLoopback(a)) writeErr(`Warning: serving on ${a}, a non-loopback address: anyone who can reach it can change the cluster (there is no authentication)\n`);
  return a;
}
